"""Hard limits are errors, never crashes: deep formulas, invisible characters, time limits.

Each deep input used to end in a ``RecursionError`` traceback (exit 1), or an "internal" batch
row without its gold label; now it is one line naming `MAX_DEPTH`, exit 2, and in a batch an
Error row with the gold label kept. A prover call honours one time budget for the whole call.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from provers.fol import printers
from provers.fol.backends.base import Label, get_backend
from provers.fol.backends.prover9 import find_prover9
from provers.fol.batch import decide_item
from provers.fol.datasets import SampledProblem
from provers.fol.eval import sampled_row
from provers.fol.parse import FolParseError, parse
from provers.fol.portfolio import Portfolio
from provers.fol.syntax import MAX_DEPTH, FolLimitError, canonical, depth, without_xor

WORKBENCH = [sys.executable, "-m", "workbench.app.cli"]
PIGEONHOLE = Path(__file__).with_name("data") / "pigeonhole10.txt"

DEEP = {
    "500 nested nltk parentheses": "(" * 500 + "P(a)" + ")" * 500,
    "400 nested nltk negations": "-" * 400 + "P(a)",
    "400 nested folio negations": "¬" * 400 + "P(a)",
    "500 quantified variables": "all " + " ".join(f"x{i}" for i in range(500)) + ".P(x1)",
    "3000-conjunct nltk rule": "all x.(" + " & ".join(f"P{i}(x)" for i in range(3000)) + " -> Q(x))",
    "3000-conjunct folio rule": "∀x (" + " ∧ ".join(f"P{i}(x)" for i in range(3000)) + " → Q(x))",
    "3000-conjunct tptp rule": "![X]: (" + " & ".join(f"p{i}(X)" for i in range(3000)) + " => q(X))",
    "500 nested function terms": "P(" + "father(" * 500 + "a" + ")" * 500 + ")",
}


@pytest.mark.parametrize("name", list(DEEP))
def test_deep_input_is_one_line_exit_2_through_the_cli(name: str) -> None:
    run = subprocess.run([*WORKBENCH, "logic", "prove", "-c", "P(a)", "-b", "z3", "--", DEEP[name]],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 2, run.stderr[-2000:]
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in run.stderr and "RecursionError" not in run.stderr
    assert lines[0].startswith("error: premise 1: ") and f"the limit is {MAX_DEPTH}" in lines[0]


def _at_depth(shape: str, d: int) -> str:
    """A formula of exactly depth ``d`` in one of the shapes that used to recurse."""
    if shape == "negation":
        return "-" * (d - 1) + "P"
    if shape == "left chain":
        return " & ".join(f"P{i}" for i in range(d))
    if shape == "right nesting":
        return "".join(f"(P{i} -> " for i in range(d - 1)) + "Q" + ")" * (d - 1)
    if shape == "quantifiers":
        return "all " + " ".join(f"x{i}" for i in range(d - 2)) + ".P(x1)"
    return "P(" + "father(" * (d - 2) + "a" + ")" * (d - 2) + ")"


@pytest.mark.parametrize("shape", ["negation", "left chain", "right nesting", "quantifiers", "terms"])
def test_the_limit_is_exact_and_formulas_at_it_go_through_every_stage(shape: str) -> None:
    f = parse(_at_depth(shape, MAX_DEPTH))
    assert depth(f) == MAX_DEPTH
    for printer, syntax in ((printers.to_nltk, "nltk"), (printers.to_tptp, "tptp"), (str, "folio")):
        again = parse(printer(f), syntax)  # type: ignore[arg-type]
        assert canonical(again) == canonical(without_xor(f) if syntax == "nltk" else f)
    assert get_backend("z3").decide([f], f, 10).label is Label.TRUE
    with pytest.raises(FolLimitError, match=f"the limit is {MAX_DEPTH}"):
        parse(_at_depth(shape, MAX_DEPTH + 1))


def test_deep_gold_row_in_a_batch_is_an_error_row_that_keeps_its_gold(tmp_path: Path) -> None:
    rows = [{"premises-FOL": ["∀x (Dog(x) → Animal(x))", "Dog(rex)"], "conclusion-FOL": "Animal(rex)", "label": "True"},
            {"premises-FOL": [DEEP["3000-conjunct folio rule"], "P1(a)"], "conclusion-FOL": "Q(a)", "label": "True"},
            {"premises-FOL": ["Dog(rex)"], "conclusion-FOL": DEEP["400 nested folio negations"], "label": "False"}]
    data = tmp_path / "deep.jsonl"
    data.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    out = tmp_path / "rows.jsonl"
    run = subprocess.run([*WORKBENCH, "logic", "eval", str(data), "--out", str(out), "--jobs", "1"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    got = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["label"] for r in got] == ["True", "Error", "Error"]
    assert [r["gold"] for r in got] == ["True", "True", "False"]
    assert got[1]["reason"] == "limit" and got[2]["error"]["formula"] == "conclusion"
    item = {"id": "deep", "premises": rows[1]["premises-FOL"], "conclusion": "Q(a)", "label": "True",
            "syntax": "folio", "form": "gold"}
    row = decide_item(item)
    assert row["ok"] is False and row["gold"] == "True" and row["reason"] == "limit"


def test_one_deep_sample_never_sinks_the_valid_samples() -> None:
    good = "FOL: all x.(Dog(x) -> Animal(x))\nFOL: Dog(Rex)\nFOL: Animal(Rex)"
    bad = "FOL: Dog(Rex)\nFOL: " + DEEP["3000-conjunct nltk rule"] + "\nFOL: Animal(Rex)"
    problem = SampledProblem("p", (bad, good, good), "True")
    row = sampled_row(problem, "robust", Portfolio(["z3"]), None, 10.0)
    assert row["label"] == "True" and row["samples"] == ["Error", "True", "True"]
    assert row["sample_reasons"][0] == "limit" and str(MAX_DEPTH) in row["sample_details"][0]
    linc = sampled_row(problem, "linc", None, find_prover9(), 10.0)
    assert linc["label"] == "True" and linc["samples"] == ["Error", "True", "True"]
    assert linc["sample_reasons"][0] == "limit"


def test_invisible_characters_are_refused_with_their_position() -> None:
    with pytest.raises(FolParseError) as err:
        parse("Dog(Re\u200bx)")
    assert err.value.offset == 6 and "U+200B" in err.value.what
    run = subprocess.run([*WORKBENCH, "logic", "prove", "Dog(Rex)", "-c", "Dog(Re\u200bx)", "-b", "z3"],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and "conclusion" in run.stderr and "column 7" in run.stderr
    assert "ZERO WIDTH SPACE" in run.stderr and "Traceback" not in run.stderr


def test_nfkc_folds_compatibility_forms_into_one_symbol() -> None:
    assert parse("Ｄｏｇ(Ｒｅｘ)") == parse("Dog(Rex)")
    assert parse("∀x (P(x) → x ≠ a)") == parse("all x.(P(x) -> x != a)")  # ≠ survives NFKC


@pytest.mark.parametrize("backend", ["z3", "prover9", "eprover"])
def test_one_time_budget_per_prover_call(backend: str) -> None:
    """Pigeonhole (11 in 10) needs far more than a second; the call stops at its budget.

    The bound here is loose (a loaded CI machine); benchmarks/fol_limits.py measures the CLI.
    """
    lines = [ln for ln in PIGEONHOLE.read_text().splitlines() if ln and not ln.startswith("#")]
    formulas = [parse(ln) for ln in lines]
    start = time.perf_counter()
    verdict = get_backend(backend).decide(formulas[:-1], formulas[-1], timeout=1.0)
    wall = time.perf_counter() - start
    assert verdict.label is Label.ERROR and verdict.reason == "timeout", verdict
    assert wall < 2.0, f"{backend} took {wall:.2f} s for a 1 s budget"


def test_formulas_built_by_code_past_the_limit_are_refused_not_recursed() -> None:
    from provers.fol import printers
    from provers.fol.syntax import Not, Pred

    f = Pred("P")
    for _ in range(3000):
        f = Not(f)
    for printer in (printers.to_nltk, printers.to_prover9, printers.to_tptp, printers.to_folio):
        with pytest.raises(FolLimitError):
            printer(f)
    for backend in ("z3", "prover9", "eprover"):
        verdict = get_backend(backend).decide([f], Pred("P"), 5)
        assert verdict.label is Label.ERROR and verdict.reason == "limit"


def test_check_command_exits_2_on_a_formula_past_the_limit() -> None:
    from typer.testing import CliRunner

    from workbench.app.cli import app

    result = CliRunner().invoke(app, ["logic", "check", "--", DEEP["400 nested nltk negations"], "P(a)"])
    assert result.exit_code == 2 and f"the limit is {MAX_DEPTH}" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("backend", ["z3", "prover9", "eprover"])
def test_unicode_and_digits_in_names_stay_distinct_symbols_on_every_backend(backend: str) -> None:
    rule = parse("all x.(Big(x) -> Größer(x))")
    prover = get_backend(backend)
    assert prover.decide([rule, parse("Big(zoë)")], parse("Größer(zoë)"), 10).label is Label.TRUE
    assert prover.decide([rule, parse("Big(zoë)")], parse("Größer(zoe)"), 10).label is Label.UNCERTAIN
    assert prover.decide([parse("Big2(p0)")], parse("Big(p0)"), 10).label is Label.UNCERTAIN
    assert prover.decide([parse("Big(p0)")], parse("Big(p700)"), 10).label is Label.UNCERTAIN
