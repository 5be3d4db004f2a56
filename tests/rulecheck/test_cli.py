"""`workbench rules ...` end to end through the real CLI app."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from workbench.cli import app

runner = CliRunner()


def test_functions_lists_catalogue() -> None:
    res = runner.invoke(app, ["rules", "functions", "--category", "domain"])
    assert res.exit_code == 0, res.output
    assert "door_clear_width" in res.output and "all_of_class" not in res.output


def test_check_writes_reports(ifc_dir, tmp_path) -> None:
    out = tmp_path / "v.json"
    res = runner.invoke(app, ["rules", "check", str(ifc_dir / "duplex.ifc"), "--report", str(tmp_path / "r.html"),
                              "--bcf", str(tmp_path / "r.bcf"), "--json", str(out)])
    assert res.exit_code == 0, res.output
    rows = json.loads(out.read_text())
    assert {r["status"] for r in rows} == {"pass", "fail", "not applicable"}
    assert (tmp_path / "r.bcf").stat().st_size > 0 and "BCF" in res.output


def test_check_bad_file_is_one_clear_line(tmp_path) -> None:
    bad = tmp_path / "bad.ifc"
    bad.write_text("hello")
    res = runner.invoke(app, ["rules", "check", str(bad)])
    assert res.exit_code != 0
    assert "not an IFC file" in str(res.exception)


def test_map_retrieve() -> None:
    res = runner.invoke(app, ["rules", "map", "Every flight has a minimum clear width of 900mm."])
    assert res.exit_code == 0, res.output
    assert "flight_width" in res.output
