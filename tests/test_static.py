"""The code passes its own static checks: ruff (style, imports, likely bugs) and mypy (the type hints
every module carries). Why a test: a hint that no checker reads drifts from the code it describes, and
a regression should show in CI, not in a reader's head."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: The packages whose code is type-checked (the benchmarks and tests are scripts, not an API).
PACKAGES = ("provers", "typeinfer", "rulecheck", "causal", "workbench")


def _tool(name: str) -> str:
    exe = Path(sys.executable).with_name(name)
    if not exe.is_file():
        pytest.skip(f"{name} is not installed beside this Python (pip install -e '.[dev]')")
    return str(exe)


def test_ruff_finds_nothing() -> None:
    proc = subprocess.run([_tool("ruff"), "check", "."], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_mypy_finds_nothing() -> None:
    proc = subprocess.run([_tool("mypy"), *PACKAGES], cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout[-5000:] + proc.stderr[-2000:]
