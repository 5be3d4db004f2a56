"""HTML, BCF and IDS outputs, and the ifctester cross-check on the real models."""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile

import pytest

from rulecheck.check import FAIL, check_model
from rulecheck.report import bcf, html, ids


@pytest.fixture(scope="module")
def verdicts(duplex, rules):
    return check_model(duplex, rules)


def test_html(verdicts, tmp_path) -> None:
    p = html.write(verdicts, tmp_path / "r.html", "duplex.ifc", "rules.json")
    text = p.read_text()
    assert text.startswith("<!doctype html>") and "Every single bedroom" in text
    assert text.count("<tr data-status=") == len(verdicts)  # every verdict has a row (filtered, not dropped)
    statuses = [line.split("data-status='")[1].split("'")[0] for line in text.splitlines() if "<tr data-status=" in line]
    assert statuses == sorted(statuses, key=["fail", "pass", "not applicable"].index)  # fails first
    assert "762 mm, 38 mm below 800 mm" in text and "increase the door clear width by at least 38 mm" in text


def test_bcf(verdicts, tmp_path) -> None:
    p = bcf.write(verdicts, tmp_path / "r.bcf", "duplex.ifc")
    fails = [v for v in verdicts if v.status == FAIL and v.guid]
    with zipfile.ZipFile(p) as zf:
        names = zf.namelist()
        assert "bcf.version" in names
        markups = [n for n in names if n.endswith("markup.bcf")]
        assert len(markups) == len(fails)
        guids = set()
        for m in markups:
            topic = ET.fromstring(zf.read(m)).find("Topic")
            assert topic is not None and topic.find("Title").text
            vp = ET.fromstring(zf.read(m.replace("markup.bcf", "viewpoint.bcfv")))
            guids.add(vp.find("Components/Selection/Component").get("IfcGuid"))
    assert guids == {v.guid for v in fails}


def test_ids_export(rules, tmp_path) -> None:
    specs = ids.export(rules, tmp_path / "r.ids")
    assert {s.rule for s in specs} == {"R09", "R10", "R16"}
    from ifctester import ids as it

    again = it.open(str(tmp_path / "r.ids"))
    assert len(again.specifications) == 3


@pytest.mark.parametrize("model_name", ["duplex", "fzk", "openhouse"])
def test_ids_subset_agrees_with_ifctester(model_name, request, rules) -> None:
    model = request.getfixturevalue(model_name)
    rows = ids.cross_check(model, rules)
    assert all(r.agree for r in rows), [r for r in rows if not r.agree]
    if model_name == "duplex":
        assert len(rows) == 8 and {r.ifctester for r in rows} == {"pass", "fail"}


def test_bcf_opens_in_bcf_client(verdicts, tmp_path) -> None:
    """The BlenderBIM/IfcOpenShell BCF library (bcf-client, schema-bound parser) reads our file."""
    from bcf.v2.bcfxml import BcfXml

    p = bcf.write(verdicts, tmp_path / "r.bcf", "duplex.ifc")
    doc = BcfXml.load(str(p))
    fails = {v.guid for v in verdicts if v.status == FAIL and v.guid}
    seen = set()
    for handler in doc.topics.values():
        vp = next(iter(handler.viewpoints.values()))
        seen.add(vp.visualization_info.components.selection.component[0].ifc_guid)
        assert handler.topic.title.startswith("R")
    assert seen == fails
