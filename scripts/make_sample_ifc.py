"""Write ``rulecheck/data/sample_house.ifc``: the small IFC4 model the rules demo runs on anywhere.

The shared IFC models (`workbench data`) are not part of the package; this one is made here
with ``ifcopenshell.api`` (so it is ours, under the project's MIT licence) and shipped as package
data. It is small on purpose but exercises what the shipped CODE-ACCORD rules read: bedrooms
with area quantities and box geometry (one too small and too narrow), an external front door and
a narrow internal door, a stair flight whose risers are too high and whose total rise is over
1,800 mm, a railing lower than 0.9 m, in a two-storey residential building.

    .venv/bin/python scripts/make_sample_ifc.py     # rewrites the file (the GUIDs are fixed: same bytes)
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import ifcopenshell
import ifcopenshell.api.aggregate
import ifcopenshell.api.context
import ifcopenshell.api.geometry
import ifcopenshell.api.project
import ifcopenshell.api.pset
import ifcopenshell.api.root
import ifcopenshell.api.spatial
import ifcopenshell.api.unit
import ifcopenshell.guid

OUT = Path(__file__).resolve().parents[1] / "rulecheck" / "data" / "sample_house.ifc"


def build() -> ifcopenshell.file:
    counter = [0]

    def guid() -> str:  # reproducible GUIDs: the file is the same bytes on every run
        counter[0] += 1
        return ifcopenshell.guid.compress(hashlib.md5(f"sample-house-{counter[0]}".encode()).hexdigest())

    f = ifcopenshell.api.project.create_file(version="IFC4")
    project = ifcopenshell.api.root.create_entity(f, ifc_class="IfcProject", name="Sample house (workbench demo)")
    units = [ifcopenshell.api.unit.add_si_unit(f, unit_type=t) for t in ("LENGTHUNIT", "AREAUNIT", "VOLUMEUNIT")]
    ifcopenshell.api.unit.assign_unit(f, units=units)  # metres, square metres, cubic metres
    model = ifcopenshell.api.context.add_context(f, context_type="Model")
    body = ifcopenshell.api.context.add_context(f, context_type="Model", context_identifier="Body",
                                                target_view="MODEL_VIEW", parent=model)
    site = ifcopenshell.api.root.create_entity(f, ifc_class="IfcSite", name="Site")
    building = ifcopenshell.api.root.create_entity(f, ifc_class="IfcBuilding", name="Sample house")
    ground = ifcopenshell.api.root.create_entity(f, ifc_class="IfcBuildingStorey", name="Ground floor")
    upper = ifcopenshell.api.root.create_entity(f, ifc_class="IfcBuildingStorey", name="First floor")
    ifcopenshell.api.aggregate.assign_object(f, relating_object=project, products=[site])
    ifcopenshell.api.aggregate.assign_object(f, relating_object=site, products=[building])
    ifcopenshell.api.aggregate.assign_object(f, relating_object=building, products=[ground, upper])
    ifcopenshell.api.pset.edit_pset(f, pset=ifcopenshell.api.pset.add_pset(f, product=building, name="Pset_BuildingCommon"),
                                    properties={"OccupancyType": "Residential", "NumberOfStoreys": 2})
    ifcopenshell.api.geometry.edit_object_placement(f, product=upper, matrix=_at(0, 0, 2.8))

    def place(product, storey, x: float, y: float, z: float = 0.0) -> None:
        if product.is_a("IfcSpace"):  # a space is part of its storey, an element is contained in it
            ifcopenshell.api.aggregate.assign_object(f, relating_object=storey, products=[product])
        else:
            ifcopenshell.api.spatial.assign_container(f, relating_structure=storey, products=[product])
        ifcopenshell.api.geometry.edit_object_placement(f, product=product, matrix=_at(x, y, z + (2.8 if storey is upper else 0)))

    def box(product, length: float, width: float, height: float) -> None:
        rep = ifcopenshell.api.geometry.add_wall_representation(f, context=body, length=length, height=height, thickness=width)
        ifcopenshell.api.geometry.assign_representation(f, product=product, representation=rep)

    rooms = [("Bedroom 1", upper, 0.0, 0.0, 3.6, 3.2), ("Bedroom 2", upper, 4.0, 0.0, 3.4, 2.2),
             ("Living room", ground, 0.0, 0.0, 5.0, 4.2), ("Kitchen", ground, 5.2, 0.0, 3.0, 3.0)]
    for name, storey, x, y, length, width in rooms:
        space = ifcopenshell.api.root.create_entity(f, ifc_class="IfcSpace", name=name)
        place(space, storey, x, y)
        box(space, length, width, 2.5)
        qto = ifcopenshell.api.pset.add_qto(f, product=space, name="Qto_SpaceBaseQuantities")
        ifcopenshell.api.pset.edit_qto(f, qto=qto, properties={"NetFloorArea": round(length * width, 2), "Height": 2.5})

    for name, width, external, x in (("Front door", 1.0, True, 1.0), ("Bathroom door", 0.762, False, 6.0)):
        door = ifcopenshell.api.root.create_entity(f, ifc_class="IfcDoor", name=name)
        door.OverallWidth, door.OverallHeight = width, 2.04
        place(door, ground, x, -0.1)
        box(door, width, 0.05, 2.04)
        ifcopenshell.api.pset.edit_pset(f, pset=ifcopenshell.api.pset.add_pset(f, product=door, name="Pset_DoorCommon"),
                                        properties={"IsExternal": external, "FireExit": external})

    stair = ifcopenshell.api.root.create_entity(f, ifc_class="IfcStair", name="Main stair")
    place(stair, ground, 8.5, 0.0)
    ifcopenshell.api.pset.edit_pset(f, pset=ifcopenshell.api.pset.add_pset(f, product=stair, name="Pset_StairCommon"),
                                    properties={"IsExternal": False, "RiserHeight": 0.2, "TreadLength": 0.24,
                                                "NumberOfRiser": 14, "NumberOfTreads": 13})
    flight = ifcopenshell.api.root.create_entity(f, ifc_class="IfcStairFlight", name="Main stair flight")
    flight.NumberOfRisers, flight.NumberOfTreads, flight.RiserHeight, flight.TreadLength = 14, 13, 0.2, 0.24
    ifcopenshell.api.aggregate.assign_object(f, relating_object=stair, products=[flight])
    ifcopenshell.api.geometry.edit_object_placement(f, product=flight, matrix=_at(8.5, 0.0, 0.0))
    box(flight, 3.12, 0.85, 2.8)
    ifcopenshell.api.pset.edit_pset(f, pset=ifcopenshell.api.pset.add_pset(f, product=flight, name="Pset_StairFlightCommon"),
                                    properties={"RiserHeight": 0.2, "TreadLength": 0.24, "NumberOfRiser": 14})

    railing = ifcopenshell.api.root.create_entity(f, ifc_class="IfcRailing", name="Landing balustrade")
    place(railing, upper, 8.5, 0.9)
    box(railing, 1.2, 0.05, 0.85)
    ifcopenshell.api.pset.edit_pset(f, pset=ifcopenshell.api.pset.add_pset(f, product=railing, name="Pset_RailingCommon"),
                                    properties={"Height": 0.85, "IsExternal": False})

    for entity in f.by_type("IfcRoot"):
        entity.GlobalId = guid()
    return f


def _at(x: float, y: float, z: float):  # a 4x4 placement matrix
    import numpy as np

    m = np.eye(4)
    m[:3, 3] = (x, y, z)
    return m


if __name__ == "__main__":
    model = build()
    text = model.to_string()
    # the header's timestamp would make every run a new file: fix it
    import re

    text = re.sub(r"FILE_NAME\('[^']*','[^']*'", "FILE_NAME('sample_house.ifc','2026-12-03T00:00:00'", text, count=1)
    OUT.write_text(text)
    print(f"{OUT}: {len(text):,} bytes, {len(model.by_type('IfcProduct'))} products")
