"""`workbench logic` end to end: eval on 10 FOLIO rows, prove, check."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from workbench.app.cli import app

runner = CliRunner()


def test_eval_on_ten_folio_rows_then_resume(shared_data, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "gold.jsonl"
    data = str(shared_data / "logic/folio/folio-validation.jsonl")
    result = runner.invoke(app, ["logic", "eval", data, "--limit", "10", "--out", str(out), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in rows] == [f"row-{i}" for i in range(10)]
    assert rows[2]["label"] == "Error" and rows[2]["reason"] == "parse"   # row 2 is malformed gold FOL
    assert rows[2]["error"]["formula"] == "conclusion" and rows[2]["error"]["offset"] == 83
    assert rows[5]["correct"] is False                                    # row 5 does not entail its label
    summary = json.loads(out.with_suffix(".summary.json").read_text())
    assert summary["problems"] == 10 and summary["correct"] == 8
    assert "accuracy" in result.output and "80.00% (8/10)" in result.output
    again = runner.invoke(app, ["logic", "eval", data, "--limit", "10", "--out", str(out), "--resume"])
    assert again.exit_code == 0 and out.read_text().count("\n") == 10


def test_prove_prints_label_and_proof() -> None:
    result = runner.invoke(app, ["logic", "prove", "all x.(Dog(x) -> Animal(x))", "Dog(Rex)",
                                 "-c", "Animal(Rex)", "-b", "prover9", "-b", "z3"])
    assert result.exit_code == 0, result.output
    assert "True" in result.output and "PROOF" not in result.output  # the proof body, not the banner
    assert "resolve" in result.output or "clausify" in result.output
    uncertain = runner.invoke(app, ["logic", "prove", "∀x (Dog(x) → Animal(x))", "Animal(rex)",
                                    "-c", "Dog(rex)", "-b", "z3"])
    assert "Uncertain" in uncertain.output and "Dog?1" in uncertain.output  # the countermodel


def test_prove_reports_malformed_input_with_a_caret(tmp_path: Path) -> None:
    result = runner.invoke(app, ["logic", "prove", "all x.(Dog(x) &)", "-c", "P"])
    assert result.exit_code == 2 and result.stderr.startswith("error: premise 1: ")
    assert "premise 1" in result.output and "offset 15" in result.output and "^" in result.output
    f = tmp_path / "p.txt"
    f.write_text("# a comment\n![X]: (dog(X) => animal(X))\ndog(rex)\nanimal(rex)\n")
    ok = runner.invoke(app, ["logic", "prove", "-f", str(f), "-b", "eprover"])
    assert ok.exit_code == 0 and "True" in ok.output


def test_check_shows_three_syntaxes_and_conflicts() -> None:
    result = runner.invoke(app, ["logic", "check", "all x.(Owns(x) -> Rich(x))", "Owns(Ann, Car)"])
    assert result.exit_code == 1
    assert "'Owns' is used as" in result.output and "Owns_2" in result.output
    assert "∀x" in result.output and "![X]" in result.output


def _bad_files(tmp_path: Path) -> dict[str, Path]:
    """Real bad inputs: a folder, bytes that are not UTF-8, an empty file, a missing file."""
    (tmp_path / "folder").mkdir()
    (tmp_path / "binary.txt").write_bytes(b"P(a)\n\xff\xfeQ(b)\n")
    (tmp_path / "empty.jsonl").write_text("")
    return {"folder": tmp_path / "folder", "binary": tmp_path / "binary.txt",
            "empty": tmp_path / "empty.jsonl", "missing": tmp_path / "missing.txt"}


def _no_traceback(result) -> str:  # type: ignore[no-untyped-def]
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return " ".join(result.output.split())


def test_unreadable_formula_files_are_one_error_line(tmp_path: Path) -> None:
    f = _bad_files(tmp_path)
    for cmd in (["prove", "-f"], ["check", "-f"], ["ask", "-f"]):
        for bad, says in (("folder", "is a folder, not a file"), ("binary", "not UTF-8 text: byte 0xff at line 2, column 1"),
                          ("missing", "no such file")):
            result = runner.invoke(app, ["logic", *cmd, str(f[bad])])
            assert result.exit_code == 2 and result.stderr.startswith("error: "), (cmd, bad, result.output)
            assert f"{f[bad]}: {says}" in _no_traceback(result), (cmd, bad, result.output)


def test_eval_rejects_bad_sources_outputs_and_options_before_running(tmp_path: Path, shared_data: Path) -> None:
    f = _bad_files(tmp_path)
    out = str(tmp_path / "o.jsonl")
    cases = [
        (["eval", str(f["binary"]), "--mode", "gold", "--out", out], "not UTF-8 text"),
        (["eval", str(f["empty"]), "--out", out], "no problems in this file"),
        (["eval", str(tmp_path / "none.jsonl"), "--out", out], "none.jsonl: no such file"),
        (["eval", "--limit", "2", "--out", str(f["folder"])], "is a folder; give a file name"),
        (["eval", "--limit", "2", "--policy", "nosuch", "--out", out], "unknown policy 'nosuch'"),
        (["eval", "--dataset", "proofwriter", "--semantics", "nosuch", "--out", out], "unknown semantics 'nosuch'"),
        (["eval", str(f["binary"]), "--dataset", "proofwriter", "--out", out], "not UTF-8 text"),
        (["prove", "P(a)", "-c", "Q(a)", "--policy", "nosuch"], "unknown policy 'nosuch'"),
        (["eval", "--dataset", "proofwriter", "--parser", "llm", "--shots", "3", "--out", out], "--shots: must be one of 1, 2, 4, 8, not 3"),
    ]
    for args, says in cases:
        result = runner.invoke(app, ["logic", *args])
        assert result.exit_code == 2 and result.stderr.startswith("error: "), (args, result.output)
        assert says in _no_traceback(result), (args, result.output)
    assert not Path(out).exists()  # nothing ran, nothing was written
    for args, option in ((["eval", "--limit", "0"], "--limit"), (["eval", "--limit", "-1"], "--limit"),
                         (["eval", "--jobs", "0"], "--jobs"), (["prove", "P", "--timeout", "0"], "--timeout"),
                         (["eval", "--dataset", "proofwriter", "--parser", "llm", "-k", "0"], "-k"),
                         (["ask", "Bob is red.", "-k", "-1"], "-k")):
        result = runner.invoke(app, ["logic", *args])
        assert result.exit_code == 2 and f"Invalid value for '{option}'" in _no_traceback(result), (args, result.output)


def test_ask_with_a_server_that_is_down_says_why() -> None:
    result = runner.invoke(app, ["logic", "ask", "Bob is red.", "-c", "Bob is blue.", "--parser", "llm",
                                 "--model", "openai:http://127.0.0.1:9/v1#m", "-k", "1"])
    assert result.exit_code == 2 and "cannot connect" in _no_traceback(result), result.output


def test_feedback_without_the_batch_decoder_is_refused_before_any_request() -> None:
    for extra in (["--model", "openai:http://127.0.0.1:9/v1#m"], ["--whole"]):
        result = runner.invoke(app, ["logic", "ask", "Bob is red.", "-c", "Bob is blue.", "--parser", "llm",
                                     "-k", "1", "--feedback", *extra])
        assert result.exit_code == 2 and "needs stepwise decoding and a generator that fills" in _no_traceback(result), (
            extra, result.output)


def test_eval_linc_files_that_are_not_lists(tmp_path: Path) -> None:
    (tmp_path / "x_generations_raw.json").write_text("{}")
    (tmp_path / "x_references.json").write_text("5")
    result = runner.invoke(app, ["logic", "eval", str(tmp_path / "x"), "--out", str(tmp_path / "o.jsonl")])
    assert result.exit_code == 2 and "error: " in result.stderr
    assert "LINC files must hold JSON lists" in _no_traceback(result), result.output
