"""The root `workbench` command: one error handler, bad job files, unknown demo parts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from workbench.app.cli import app

runner = CliRunner()


def test_bad_job_files_and_options_are_one_error_line(tmp_path: Path) -> None:
    (tmp_path / "bin.toml").write_bytes(b'[job]\nkind = "prove"\n\xff\n')
    (tmp_path / "cut.toml").write_text('[job]\nkind = "causal-query"\nout = "r.jsonl')
    (tmp_path / "folder").mkdir()
    for name, says in (("bin.toml", "bin.toml: not UTF-8 text: byte 0xff at line 3, column 1"),
                       ("cut.toml", "cut.toml: not TOML: Unterminated string"),
                       ("folder", "folder: is a folder, not a file"), ("none.toml", "none.toml: no such file")):
        r = runner.invoke(app, ["batch", str(tmp_path / name)])
        assert r.exit_code == 1 and says in " ".join(r.output.split()) and "Traceback" not in r.output, (name, r.output)
    r = runner.invoke(app, ["batch", str(tmp_path / "cut.toml"), "--workers", "0"])
    assert r.exit_code == 2 and "Invalid value for '--workers'" in r.output


def test_demo_of_an_unknown_part_names_the_parts() -> None:
    r = runner.invoke(app, ["demo", "nosuch"])
    assert r.exit_code == 2 and r.output.startswith("error: no part named 'nosuch'; choose from logic, causal")


def test_entry_point_prints_one_error_line_on_stderr(tmp_path: Path) -> None:
    out = subprocess.run([sys.executable, "-m", "workbench.app.cli", "causal", "query", str(tmp_path), "P(C=1)"],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 2 and "Traceback" not in out.stderr + out.stdout
    assert out.stderr.startswith(f"error: {tmp_path}: is a folder, not a file") and out.stdout == ""
    out = subprocess.run([sys.executable, "-m", "workbench.app.cli", "demo", "nosuch"], capture_output=True, text=True, timeout=120)
    assert out.returncode == 2 and out.stderr.startswith("error: no part named 'nosuch'") and out.stdout == ""


def test_batch_to_an_address_nobody_answers_fails_fast(tmp_path: Path) -> None:
    job = tmp_path / "j.toml"
    job.write_text(f'[job]\nkind = "causal-query"\nout = "{tmp_path / "r.jsonl"}"\n'
                   '[items]\nqueries = [{model = "smoking", query = "P(C=1 | do(S=0))"}]\n')
    r = runner.invoke(app, ["batch", str(job), "--address", "127.0.0.1:9"])  # ray.init would retry for minutes
    assert r.exit_code == 1 and "error: 127.0.0.1:9: cannot reach a Ray cluster there" in r.stderr
