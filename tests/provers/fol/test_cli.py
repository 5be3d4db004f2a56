"""`workbench logic` end to end: eval on 10 FOLIO rows, prove, check."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from workbench.cli import app

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
    assert result.exit_code == 1
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
