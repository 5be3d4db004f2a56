"""The IFC adapter on the real shared models: bad files, units, wrong-unit detection, geometry cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from rulecheck.errors import IfcFileError, NotApplicable
from rulecheck.functions import CATALOGUE
from rulecheck.functions.registry import Env
from rulecheck.ifc import open_model


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(IfcFileError, match="file not found"):
        open_model(tmp_path / "nope.ifc")


def test_truncated_file(ifc_dir: Path, tmp_path: Path) -> None:
    data = (ifc_dir / "duplex.ifc").read_bytes()
    cut = tmp_path / "cut.ifc"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(IfcFileError, match="truncated") as err:
        open_model(cut, cache_dir="")
    assert "cut.ifc" in str(err.value)


def test_non_ifc_file(tmp_path: Path) -> None:
    p = tmp_path / "model.ifc"
    p.write_text("this is a PDF, honest\n")
    with pytest.raises(IfcFileError, match="not an IFC file"):
        open_model(p, cache_dir="")


def test_unknown_schema(ifc_dir: Path, tmp_path: Path) -> None:
    text = (ifc_dir / "IfcOpenHouse_IFC4.ifc").read_text(errors="replace")
    p = tmp_path / "future.ifc"
    p.write_text(text.replace("FILE_SCHEMA(('IFC4'));", "FILE_SCHEMA(('IFC9'));"))
    with pytest.raises(IfcFileError, match="unknown IFC schema 'IFC9'"):
        open_model(p, cache_dir="")


def test_units(duplex, openhouse) -> None:
    assert duplex.length_scale == 1.0 and duplex.schema == "IFC2X3"
    assert openhouse.length_scale == pytest.approx(0.001)


def test_duplex_riser_written_in_feet(duplex) -> None:
    flight = duplex.by_type("IfcStairFlight")[0]
    assert flight.RiserHeight == pytest.approx(0.6357, abs=1e-3)  # the raw, wrong value
    m = duplex.length(flight.RiserHeight, "RiserHeight", "riser")
    assert m.value == pytest.approx(0.19375, abs=1e-4)
    assert "feet" in m.note and "metre" in m.note
    riser = CATALOGUE["riser_height"].impl(Env(duplex, flight), flight)
    assert riser.value == pytest.approx(0.19375, abs=1e-4)


def test_openhouse_riser_written_in_metres(openhouse) -> None:
    flight = openhouse.by_type("IfcStairFlight")[0]
    riser = CATALOGUE["riser_height"].impl(Env(openhouse, flight), flight)
    assert riser.value == pytest.approx(0.2)
    assert "metres although the project unit is the millimetre" in riser.note
    # the geometry agrees: 2 risers over a 0.4 m high flight
    assert openhouse.shape(flight).extent[2] == pytest.approx(0.4, abs=1e-3)


def test_implausible_in_every_unit(duplex) -> None:
    with pytest.raises(NotApplicable, match="implausible"):
        duplex.length(12345.0, "RiserHeight", "riser")


def test_geometry_cache_roundtrip(ifc_dir: Path, tmp_path: Path) -> None:
    m1 = open_model(ifc_dir / "duplex.ifc", cache_dir=tmp_path)
    space = m1.by_type("IfcSpace")[0]
    v1 = m1.shape(space).verts
    assert m1.save_geometry_cache().exists()
    m2 = open_model(ifc_dir / "duplex.ifc", cache_dir=tmp_path)
    assert m2.shape(m2.by_guid(space.GlobalId)).verts.tolist() == v1.tolist()
    assert not m2._dirty  # served from disk, nothing re-tessellated


def test_element_without_geometry(duplex) -> None:
    stair = duplex.by_type("IfcStair")[0]  # duplex stairs have geometry only on their flights
    with pytest.raises(NotApplicable, match="no geometry"):
        duplex.shape(stair)
