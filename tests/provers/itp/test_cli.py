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
    return subprocess.run([sys.executable, "-m", "workbench.cli", "prove", *args], capture_output=True, text=True, timeout=240)


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
