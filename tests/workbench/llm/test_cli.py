"""`workbench models`: list, try (on a recording and on the GGUF model), demo."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from workbench.app.models import app, demo
from workbench.llm import Generator

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
    cmd = [sys.executable, "-m", "workbench.app.cli", "models", "serve", f"replay:{rec}", "--port", str(port)]
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


def test_bad_grammar_files_numbers_and_ports_are_one_error_line(tmp_path: Path) -> None:
    import socket

    from workbench.app.cli import app as root

    rec = tmp_path / "r.jsonl"
    rec.write_text('{"prompt": "hi", "completions": ["Cold(Bob)"]}\n')
    (tmp_path / "g.gbnf").write_bytes(b'root ::= "a"\n\xff')
    (tmp_path / "folder").mkdir()
    for grammar, says in (("g.gbnf", "g.gbnf: not UTF-8 text: byte 0xff at line 2, column 1"),
                          ("folder", "folder: is a folder, not a file"), ("none.gbnf", "none.gbnf: no such file")):
        r = runner.invoke(root, ["models", "try", f"replay:{rec}", "hi", "-g", str(tmp_path / grammar)])
        assert r.exit_code == 2 and r.output.startswith("error: ") and says in r.output, (grammar, r.output)
    for args, option in ((["-n", "0"], "-n"), (["--max-tokens", "0"], "--max-tokens"), (["-t", "-1"], "--temperature")):
        r = runner.invoke(root, ["models", "try", f"replay:{rec}", "hi", *args])
        assert r.exit_code == 2 and f"Invalid value for '{option}'" in r.output, (args, r.output)
    r = runner.invoke(root, ["models", "serve", f"replay:{rec}", "--port", "70000"])
    assert r.exit_code == 2 and "Invalid value for '--port'" in r.output
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        r = runner.invoke(root, ["models", "serve", f"replay:{rec}", "--port", str(port)])
    assert r.exit_code == 2 and f"error: 127.0.0.1:{port}: cannot listen there: Address already in use" in r.output
    assert "Traceback" not in r.output
