"""`workbench models`: list, try (on a recording and on the GGUF model), demo."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from workbench.llm import Generator
from workbench.llm.cli import app, demo

runner = CliRunner()


def test_list_names_every_registry_model() -> None:
    result = runner.invoke(app, ["list"])
    assert result.exit_code == 0, result.output
    for name in ("smollm2-135m", "qwen2.5-coder-0.5b", "qwen2.5-coder-1.5b"):
        assert name in result.output


def test_try_prints_completions_and_speed(tmp_path: Path) -> None:
    rec = tmp_path / "r.jsonl"
    rec.write_text('{"prompt": "Bob is cold.", "completions": ["Cold(Bob)", "Cold(bob)"]}\n')
    result = runner.invoke(app, ["try", f"replay:{rec}", "Bob is cold.", "-n", "2"])
    assert result.exit_code == 0, result.output
    assert "Cold(Bob)" in result.output and "Cold(bob)" in result.output and "tok/s" in result.output


@pytest.mark.llm
def test_try_with_a_grammar_file(smollm: Generator, tmp_path: Path) -> None:
    grammar = tmp_path / "yn.gbnf"
    grammar.write_text('root ::= " " ("yes" | "no") "."\n')
    result = runner.invoke(app, ["try", "smollm2-135m", "Is fire hot? Answer:", "--grammar", str(grammar), "-n", "2"])
    assert result.exit_code == 0, result.output
    answers = [line.strip() for line in result.output.splitlines() if line.strip() in ("yes.", "no.")]
    assert len(answers) == 2


@pytest.mark.llm
def test_demo_runs_offline(smollm: Generator) -> None:
    console = Console(record=True, width=100)
    demo(console)
    text = console.export_text()
    assert "smollm2-135m" in text and "grammar-constrained samples" in text


def test_serve_command_answers_an_openai_client(tmp_path: Path) -> None:
    import socket
    import subprocess
    import sys
    import time

    from workbench.llm import LLMError, SamplingParams
    from workbench.llm.openai import OpenAIGenerator

    rec = tmp_path / "r.jsonl"
    rec.write_text('{"prompt": "Bob is cold.", "completions": ["Cold(Bob)"]}\n')
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cmd = [sys.executable, "-m", "workbench.cli", "models", "serve", f"replay:{rec}", "--port", str(port)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        gen = None
        for _ in range(100):
            try:
                gen = OpenAIGenerator(f"http://127.0.0.1:{port}/v1", retries=0)
                break
            except LLMError:  # not listening yet
                time.sleep(0.1)
        assert gen is not None, "server did not come up"
        assert gen.model == "replay:r.jsonl"
        assert gen.generate(["Bob is cold."], SamplingParams())[0][0].text == "Cold(Bob)"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
