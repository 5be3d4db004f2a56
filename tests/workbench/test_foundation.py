"""The shell: result logs survive crashes, config precedence, spans, the CLI mounts every part."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from workbench.app.cli import PARTS
from workbench.config import resolve
from workbench.errors import WorkbenchError
from workbench.results import ResultLog, percentile
from workbench.span import Span


def test_result_log_drops_partial_line_and_resumes(tmp_path: Path) -> None:
    log = ResultLog(tmp_path / "r.jsonl")
    for i in range(3):
        log.append({"id": str(i), "v": i})
    with (tmp_path / "r.jsonl").open("a") as fh:
        fh.write('{"id": "3", "v"')  # killed mid-write
    assert log.done() == {"0", "1", "2"}
    log.append({"id": "3", "v": 3})
    assert [r["id"] for r in log.rows()] == ["0", "1", "2", "3"]
    assert (tmp_path / "r.jsonl").read_text().count("\n") == 4


def test_result_log_rejects_row_without_key(tmp_path: Path) -> None:
    with pytest.raises(WorkbenchError, match="no 'id' field"):
        ResultLog(tmp_path / "r.jsonl").append({"x": 1})


def test_config_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = tmp_path / "workbench.toml"
    cfg.write_text('[llm]\nmodel = "from-toml"\n')
    monkeypatch.setenv("WORKBENCH_CONFIG", str(cfg))
    assert resolve("llm.model", default="d") == "from-toml"
    monkeypatch.setenv("WORKBENCH_LLM_MODEL", "from-env")
    assert resolve("llm.model", default="d") == "from-env"
    assert resolve("llm.model", flag="from-flag", default="d") == "from-flag"
    assert resolve("llm.missing", default="d") == "d"


def test_span_lsp_positions_count_utf16() -> None:
    text = "x\n∀😀 y"
    span = Span.from_offsets(text, 5, 6)  # the 'y' after an astral-plane character
    assert (span.start_line, span.start_col) == (2, 3)
    assert span.to_lsp_range(text)["start"] == {"line": 1, "character": 4}


def test_percentile() -> None:
    assert percentile([], 50) == 0.0
    assert percentile([5.0], 99) == 5.0
    assert percentile([1.0, 2.0, 3.0, 4.0, 5.0], 50) == 3.0


def test_cli_mounts_every_part() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "workbench.app.cli", "--help"], capture_output=True, text=True, check=True
    ).stdout
    for name, _, _ in PARTS:
        assert name in out
