"""`workbench prove` end to end: a stdlib theorem from its file, a bad name, the demo."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys

import pytest
from rich.console import Console

pytestmark = pytest.mark.skipif(shutil.which("coqtop") is None, reason="coqtop not installed (apt-get install coq)")


def _prove(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "workbench.app.cli", "prove", *args], capture_output=True, text=True, timeout=240)


def test_prove_theorem_from_stdlib_file() -> None:
    from provers.itp.corpus.coq import coq_theories

    out = _prove("theorem", str(coq_theories() / "Lists" / "List.v"), "app_nil_r", "--seconds", "60", "--no-show")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "proved" in out.stdout and "re-checked with coqc" in out.stdout and "Qed." in out.stdout


def test_prove_unknown_theorem_is_one_error_line() -> None:
    from provers.itp.corpus.coq import coq_theories

    out = _prove("theorem", str(coq_theories() / "Lists" / "List.v"), "no_such_lemma")
    assert out.returncode == 2 and "no theorem named 'no_such_lemma'" in " ".join(out.stderr.split())
    assert "Traceback" not in out.stderr


def test_demo_shows_search_and_checked_proofs() -> None:
    from provers.itp.cli import demo

    buf = io.StringIO()
    demo(Console(file=buf, width=120))
    text = buf.getvalue()
    assert text.count("re-checked with coqc") == 3, text
    assert "✓" in text and "→" in text


def test_bad_batch_inputs_and_options_fail_before_ray_starts(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from workbench.app.cli import app

    runner = CliRunner()
    good = tmp_path / "t.jsonl"
    good.write_text('{"id": "t", "name": "t", "statement": "Lemma t : True."}\n')
    (tmp_path / "bin.jsonl").write_bytes(b'{"id": "a"}\n\xff\n')
    (tmp_path / "folder").mkdir()
    (tmp_path / "empty.jsonl").write_text("\n")
    cases = [
        (["batch", str(tmp_path / "empty.jsonl")], "empty.jsonl: no theorems in this file"),
        (["batch", str(tmp_path / "bin.jsonl")], "bin.jsonl: not UTF-8 text: byte 0xff at line 2, column 1"),
        (["batch", str(tmp_path / "folder")], "folder: is a folder, not a file"),
        (["batch", str(good), "--generator", "nosuch"], "--generator: unknown generator 'nosuch'"),
        (["batch", str(good), "--generator", "llm:"], "unknown generator 'llm:'"),
        (["batch", str(good), "--out", str(tmp_path / "folder")], "folder: is a folder; give a file name"),
        (["extract", "--root", str(tmp_path / "none")], "none: not a folder of Coq theories"),
        (["extract", "--root", str(tmp_path / "folder")], "no Coq sources (.v files) in this folder"),
        (["index", "--dirs", "Lists,nosuch", "--out", str(tmp_path / "i.npz")], "--dirs: no theories folder 'nosuch'; known: Arith"),
        (["index", "--reuse", "--out", str(tmp_path / "i.npz")], "i.npz: no index to reuse"),
    ]
    for args, says in cases:
        r = runner.invoke(app, ["prove", *args, *(["--out", str(tmp_path / "o.jsonl")] if args[0] == "extract" else [])])
        assert r.exit_code == 2 and r.output.startswith("error: ") and says in " ".join(r.output.split()), (args, r.output)
    assert not (tmp_path / "prove-results.jsonl").exists() and not (tmp_path / "i.npz").exists()
    for args, option in ((["batch", str(good), "--workers", "0"], "--workers"),
                         (["theorem", str(good), "t", "--seconds", "-1"], "--seconds"),
                         (["theorem", str(good), "t", "--expansions", "0"], "--expansions")):
        r = runner.invoke(app, ["prove", *args])
        assert r.exit_code == 2 and f"Invalid value for '{option}'" in r.output, (args, r.output)
