"""`workbench types infer` through the real CLI: bad paths and options are one error line."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from workbench.app.cli import app

runner = CliRunner()


def test_bad_paths_outputs_and_options(tmp_path: Path) -> None:
    src = tmp_path / "a.ts"
    src.write_text("function f(x) { return x.trim(); }\n")
    (tmp_path / "folder").mkdir()
    (tmp_path / "notes.txt").write_text("let x = 1;\n")
    cases = [
        ([str(tmp_path / "none.ts")], "none.ts: no such file or folder"),
        ([str(tmp_path / "notes.txt")], "notes.txt: not a TypeScript/JavaScript file (want .ts, .tsx"),
        ([str(src), "--format", "json", "-o", str(tmp_path / "folder")], "folder: is a folder; give a file name"),
        ([str(tmp_path), "--format", "annotate", "-o", str(src)], "annotating a folder writes a folder here, but this is a file"),
    ]
    for args, says in cases:
        r = runner.invoke(app, ["types", "infer", "--no-learned", *args])
        assert r.exit_code == 2 and r.output.startswith("error: ") and says in " ".join(r.output.split()), (args, r.output)
    r = runner.invoke(app, ["types", "infer", str(src), "--min-confidence", "7"])
    assert r.exit_code == 2 and "Invalid value for '--min-confidence'" in r.output
    out = tmp_path / "new" / "a.json"  # a missing output folder is created
    r = runner.invoke(app, ["types", "infer", "--no-learned", str(src), "--format", "json", "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert any(i["name"] == "x" and i["type"] == "string" for i in json.loads(out.read_text())["inferences"])
