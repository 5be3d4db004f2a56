"""`workbench rules ...` end to end through the real CLI app."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from workbench.app.cli import app

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
    assert res.exit_code == 2
    assert res.output.startswith(f"error: {bad}: not an IFC file") and "Traceback" not in res.output


def test_check_bad_inputs_and_outputs_fail_before_checking(ifc_dir, tmp_path) -> None:
    duplex = str(ifc_dir / "duplex.ifc")
    (tmp_path / "folder").mkdir()
    cut = tmp_path / "cut.ifc"
    cut.write_bytes((ifc_dir / "duplex.ifc").read_bytes()[:5000])
    files = {"bin.json": b"\xff\xfe[]", "list.json": b"[1, 2]", "obj.json": b"{}", "cut.json": b'[{"id": "R1", "clause": '}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    cases = [
        ([str(tmp_path / "folder")], "folder: is a folder, not an IFC file"),
        ([str(cut)], "cut.ifc: truncated IFC file"),
        ([duplex, "--rules", str(tmp_path / "bin.json")], "bin.json: not UTF-8 text: byte 0xff at line 1, column 1"),
        ([duplex, "--rules", str(tmp_path / "list.json")], "list.json: rule 1 is a JSON int, not an object"),
        ([duplex, "--rules", str(tmp_path / "obj.json")], "obj.json: no rules"),
        ([duplex, "--rules", str(tmp_path / "cut.json")], "cut.json:1:25: not JSON"),
        ([duplex, "--json", str(tmp_path / "folder")], "folder: is a folder; give a file name"),
    ]
    for args, says in cases:
        res = runner.invoke(app, ["rules", "check", *args])
        assert res.exit_code == 2 and isinstance(res.exception, SystemExit), (args, res.exception)
        assert res.output.startswith("error: ") and says in res.output, (args, res.output)


def test_functions_unknown_category_and_map_bad_k() -> None:
    res = runner.invoke(app, ["rules", "functions", "--category", "nosuch"])
    assert res.exit_code == 2 and "unknown category 'nosuch'; choose one of aggregation, domain" in res.output
    res = runner.invoke(app, ["rules", "map", "Every door is 800mm wide.", "--k", "0"])
    assert res.exit_code == 2 and "Invalid value for '--k'" in res.output


def test_map_retrieve() -> None:
    res = runner.invoke(app, ["rules", "map", "Every flight has a minimum clear width of 900mm."])
    assert res.exit_code == 0, res.output
    assert "flight_width" in res.output


def test_map_clause_rejects_k_below_one() -> None:
    import pytest

    from rulecheck.errors import RuleError
    from rulecheck.mapper import map_clause

    for k in (0, -2):  # the REPL's `map --k` reaches the library directly
        with pytest.raises(RuleError, match=f"k must be at least 1, got {k}"):
            map_clause("Every door is 800mm wide.", k=k)
