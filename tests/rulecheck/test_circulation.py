"""Headroom, landing depth, corridor width and location on the real models; ramp slope on a ramp
flight built here with ifcopenshell (no shared model has a ramp)."""

from __future__ import annotations

from pathlib import Path

import pytest

from rulecheck.check import check_rule, location
from rulecheck.errors import NotApplicable
from rulecheck.functions import CATALOGUE
from rulecheck.functions.registry import Env
from rulecheck.ifc import open_model
from rulecheck.rule import Rule


def _value(model, fn: str, el) -> float:  # type: ignore[no-untyped-def]
    return CATALOGUE[fn].impl(Env(model, el), el).value


def test_stair_headroom_and_landings_on_duplex(duplex) -> None:
    for flight in duplex.by_type("IfcStairFlight"):
        # the Level 1 gypsum ceiling over the first nosings: 2.37 m above the pitch line
        assert _value(duplex, "headroom", flight) == pytest.approx(2.372, abs=0.01)
        # top landing: the Hallway, 1.81 m deep in the direction of travel; bottom: the Foyer
        assert _value(duplex, "landing_depth", flight) == pytest.approx(1.81, abs=0.02)


def test_corridor_width_is_the_narrowest_passage(duplex, fzk) -> None:
    halls = [s for s in CATALOGUE["corridors"].impl(Env(duplex)) if s.LongName == "Hallway"]
    # an L-shaped hallway: a 0.95 m arm (x 6.418 to 7.369) next to a 1.965 m wide part
    assert [round(_value(duplex, "corridor_clear_width", h), 2) for h in halls] == [0.96, 0.96]
    [flur] = [s for s in CATALOGUE["corridors"].impl(Env(fzk)) if s.LongName == "Flur"]
    assert _value(fzk, "corridor_clear_width", flur) == pytest.approx(1.52, abs=0.02)


def test_spiral_stair_has_no_pitch_line_but_its_risers_are_measured(fzk) -> None:
    [stair] = fzk.by_type("IfcStair")
    riser = CATALOGUE["riser_height"].impl(Env(fzk, stair), stair)  # 15 treads, 2.65 m: 0.177 m each
    assert riser.value == pytest.approx(2.65 / 15, abs=1e-3) and "tread geometry" in riser.note
    with pytest.raises(NotApplicable, match="no going"):  # a spiral stair's going depends on the walking line
        _value(fzk, "going", stair)
    with pytest.raises(NotApplicable, match="no stepped or sloped profile"):
        _value(fzk, "headroom", stair)


def test_every_verdict_has_a_location(duplex) -> None:
    door = next(d for d in duplex.by_type("IfcDoor") if "Glass" in d.Name)
    storey, space = location(duplex, door)
    assert storey == "Level 1" and space in ("A102 Living Room", "B102 Living Room")


def _ramp_model(tmp_path: Path, with_pset: bool) -> Path:
    """One storey and one ramp flight: a wedge 6 m long rising 0.5 m (1:12), 1.2 m wide."""
    import ifcopenshell
    import ifcopenshell.api

    f = ifcopenshell.file(schema="IFC4")
    project = ifcopenshell.api.run("root.create_entity", f, ifc_class="IfcProject", name="Ramp test")
    ifcopenshell.api.run("unit.assign_unit", f)
    ctx = ifcopenshell.api.run("context.add_context", f, context_type="Model")
    body = ifcopenshell.api.run("context.add_context", f, context_type="Model", context_identifier="Body",
                                target_view="MODEL_VIEW", parent=ctx)
    site = ifcopenshell.api.run("root.create_entity", f, ifc_class="IfcSite", name="Site")
    building = ifcopenshell.api.run("root.create_entity", f, ifc_class="IfcBuilding", name="B")
    storey = ifcopenshell.api.run("root.create_entity", f, ifc_class="IfcBuildingStorey", name="Ground")
    ifcopenshell.api.run("aggregate.assign_object", f, relating_object=project, products=[site])
    ifcopenshell.api.run("aggregate.assign_object", f, relating_object=site, products=[building])
    ifcopenshell.api.run("aggregate.assign_object", f, relating_object=building, products=[storey])
    ramp = ifcopenshell.api.run("root.create_entity", f, ifc_class="IfcRampFlight", name="Ramp run")
    ifcopenshell.api.run("spatial.assign_container", f, relating_structure=storey, products=[ramp])
    ramp.ObjectPlacement = f.createIfcLocalPlacement(None, f.createIfcAxis2Placement3D(f.createIfcCartesianPoint((0.0, 0.0, 0.0))))
    pts = [f.createIfcCartesianPoint(p) for p in ((0.0, 0.0), (6.0, 0.0), (6.0, 0.5), (0.0, 0.0))]
    profile = f.createIfcArbitraryClosedProfileDef("AREA", None, f.createIfcPolyline(pts))
    # the profile in the world x-z plane: local z = world -y, local x = world x
    position = f.createIfcAxis2Placement3D(f.createIfcCartesianPoint((0.0, 0.0, 0.0)),
                                           f.createIfcDirection((0.0, -1.0, 0.0)), f.createIfcDirection((1.0, 0.0, 0.0)))
    solid = f.createIfcExtrudedAreaSolid(profile, position, f.createIfcDirection((0.0, 0.0, 1.0)), 1.2)
    shape = f.createIfcShapeRepresentation(body, "Body", "SweptSolid", [solid])
    ramp.Representation = f.createIfcProductDefinitionShape(None, None, [shape])
    if with_pset:  # IFC4 Pset_RampFlightCommon.Slope is an angle: atan(0.5 / 6) = 4.764 deg, in radians
        pset = ifcopenshell.api.run("pset.add_pset", f, product=ramp, name="Pset_RampFlightCommon")
        ifcopenshell.api.run("pset.edit_pset", f, pset=pset, properties={"Slope": 0.0831412})
    path = tmp_path / f"ramp_{with_pset}.ifc"
    f.write(str(path))
    return path


@pytest.mark.parametrize("with_pset", [False, True])
def test_ramp_slope_from_geometry_and_from_the_property(tmp_path: Path, with_pset: bool) -> None:
    model = open_model(_ramp_model(tmp_path, with_pset), cache_dir="")
    [ramp] = CATALOGUE["ramps"].impl(Env(model))
    value = CATALOGUE["ramp_slope"].impl(Env(model, ramp), ramp)
    assert value.value == pytest.approx(0.5 / 6, abs=0.002)
    assert ("Slope" in value.note) == with_pset
    rule = Rule.from_json({"id": "R", "clause": "Ramp runs shall have a running slope not steeper than 1:12.",
                           "applies_to": "ramps()", "check": "at_most(ramp_slope(x), 1:12)"})
    [v] = check_rule(model, rule)
    assert v.status == "pass" and v.storey == "Ground"
    strict = Rule.from_json({"id": "S", "clause": "c", "applies_to": "ramps()", "check": "at_most(ramp_slope(x), 1:20)"})
    [v] = check_rule(model, strict)
    assert v.status == "fail" and v.shortfall.startswith("1:12.0, ")


def test_scope_of_r13_and_r14_in_an_office_building(tmp_path: Path, rules) -> None:  # type: ignore[no-untyped-def]
    """R14 (residential, at most two storeys) is not applied to an office; R13 applies to every door."""
    import ifcopenshell
    import ifcopenshell.api

    f = ifcopenshell.file(schema="IFC4")
    project = ifcopenshell.api.run("root.create_entity", f, ifc_class="IfcProject", name="Office")
    ifcopenshell.api.run("unit.assign_unit", f)
    site = ifcopenshell.api.run("root.create_entity", f, ifc_class="IfcSite", name="Site")
    building = ifcopenshell.api.run("root.create_entity", f, ifc_class="IfcBuilding", name="Office block")
    storey = ifcopenshell.api.run("root.create_entity", f, ifc_class="IfcBuildingStorey", name="Ground")
    ifcopenshell.api.run("aggregate.assign_object", f, relating_object=project, products=[site])
    ifcopenshell.api.run("aggregate.assign_object", f, relating_object=site, products=[building])
    ifcopenshell.api.run("aggregate.assign_object", f, relating_object=building, products=[storey])
    pset = ifcopenshell.api.run("pset.add_pset", f, product=building, name="Pset_BuildingCommon")
    ifcopenshell.api.run("pset.edit_pset", f, pset=pset, properties={"OccupancyType": "Office"})
    door = ifcopenshell.api.run("root.create_entity", f, ifc_class="IfcDoor", name="Entrance")
    door.OverallWidth, door.OverallHeight = 900.0, 2100.0
    ifcopenshell.api.run("spatial.assign_container", f, relating_structure=storey, products=[door])
    pset = ifcopenshell.api.run("pset.add_pset", f, product=door, name="Pset_DoorCommon")
    ifcopenshell.api.run("pset.edit_pset", f, pset=pset, properties={"IsExternal": True})
    path = tmp_path / "office.ifc"
    f.write(str(path))
    model = open_model(path, cache_dir="")
    by_id = {r.id: r for r in rules}
    [r14] = check_rule(model, by_id["R14"])
    assert r14.status == "not applicable" and "precondition and(in_residential_building(x)" in r14.why
    [r13] = check_rule(model, by_id["R13"])  # in scope although no space is known: the miss is the leaf thickness
    assert r13.status == "not applicable" and "leaf thickness" in r13.why and r13.storey == "Ground"
