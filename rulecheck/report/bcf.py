"""BCF 2.1 export: one topic per failing element, naming the element by its IFC GUID.

The archive holds ``bcf.version`` and one folder per topic with ``markup.bcf`` and a
``viewpoint.bcfv`` whose component selection is the failing element, which is what BIM tools
(BIMcollab, Solibri, BlenderBIM) use to zoom to it.
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from rulecheck.check import FAIL, Verdict

_NS = uuid.UUID("6f1c1f8e-4a0b-4b4e-9a53-2f9a8d1c0b21")


def _xml(root: ET.Element) -> bytes:
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8")


def topics(verdicts: Sequence[Verdict]) -> list[Verdict]:
    """The verdicts that become topics: failures on an element."""
    return [v for v in verdicts if v.status == FAIL and v.guid]


def write(verdicts: Sequence[Verdict], path: str | Path, model_name: str, author: str = "workbench-rulecheck") -> Path:
    """Write a ``.bcf`` (BCF 2.1 zip); topic GUIDs are stable for (model, rule, element).

    Returns the path written.
    """
    p = Path(path)
    now = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as zf:
        version = ET.Element("Version", VersionId="2.1")
        ET.SubElement(version, "DetailedVersion").text = "2.1"
        zf.writestr("bcf.version", _xml(version))
        for v in topics(verdicts):
            tid = str(uuid.uuid5(_NS, f"{model_name}|{v.rule}|{v.guid}"))
            vid = str(uuid.uuid5(_NS, f"viewpoint|{tid}"))
            markup = ET.Element("Markup")
            header = ET.SubElement(markup, "Header")
            fe = ET.SubElement(header, "File", isExternal="true")
            ET.SubElement(fe, "Filename").text = model_name
            topic = ET.SubElement(markup, "Topic", Guid=tid, TopicType="Issue", TopicStatus="Open")
            ET.SubElement(topic, "Title").text = f"{v.rule}: {v.ifc_class} {v.name}"[:250]
            ET.SubElement(topic, "CreationDate").text = now
            ET.SubElement(topic, "CreationAuthor").text = author
            where = " / ".join(x for x in (v.storey, v.space) if x)
            desc = (f"{v.clause}\nSource: {v.source}\nMeasured: {v.shortfall or '; '.join(v.measured)}\n"
                    f"{'Where: ' + where + chr(10) if where else ''}{v.remedy or v.why}")
            if v.notes:
                desc += "\nNotes: " + "; ".join(v.notes)
            ET.SubElement(topic, "Description").text = desc
            vp = ET.SubElement(markup, "Viewpoints", Guid=vid)
            ET.SubElement(vp, "Viewpoint").text = "viewpoint.bcfv"
            zf.writestr(f"{tid}/markup.bcf", _xml(markup))
            visinfo = ET.Element("VisualizationInfo", Guid=vid)
            comps = ET.SubElement(visinfo, "Components")
            sel = ET.SubElement(comps, "Selection")
            ET.SubElement(sel, "Component", IfcGuid=v.guid or "")
            ET.SubElement(comps, "Visibility", DefaultVisibility="true")
            zf.writestr(f"{tid}/viewpoint.bcfv", _xml(visinfo))
    return p
