"""LINC compatibility: the same Prover9 problems and labels as LINC's published outputs."""

from __future__ import annotations

import json

import pytest

from provers.fol import eval as ev
from provers.fol.backends.prover9 import find_prover9, prover9_input
from provers.fol.linc import (
    linc_fol_lines,
    linc_label,
    linc_problem,
    linc_reformat,
    nltk_prover9_text,
)
from provers.fol.vote import majority
from workbench.results import ResultLog

FOLIO = "logic/linc_outputs/gpt-3.5-turbo-16k-0613_folio-neurosymbolic-8shot"
PW = "logic/linc_outputs/gpt-4-0613_proofwriter-neurosymbolic-8shot"


def test_prover9_text_is_what_nltk_writes() -> None:
    premises, goal, negated = linc_problem(
        "TEXT:\tAll students are humans.\nFOL:\tall x. (Student(x) -> Human(x))\n"
        "TEXT:\tNo young person teaches.\nFOL:\tall x y. (Young(x) & Knows(x, y) -> -Teach(x))\n"
        "TEXT:\tRose is a human.\nFOL:\tHuman(Rose) | Rose = Jerry"
    )
    assert premises == ["all x (Student(x) -> Human(x))",
                        "all x all y ((Young(x) & Knows(x,y)) -> -(Teach(x)))"]
    assert goal == "(Human(Rose) | (Rose = Jerry))"
    assert negated == "-((Human(Rose) | (Rose = Jerry)))"
    assert prover9_input(premises, goal, 10).startswith("assign(max_seconds, 10).\n\nclear(auto_denials).\n")


def test_linc_argument_rewriting_quirks_are_kept() -> None:
    assert linc_reformat("Born(Ann, 1990)") == "Born(Ann, OneNineNineZero)"
    broken = linc_reformat("all x.(Dog(x) & (A -> B))")
    assert broken == "all x.(Dog(x) & (A__>_B))"
    # the implication silently became one proposition letter, as it did in LINC
    assert nltk_prover9_text(broken) == "all x (Dog(x) & A__>_B)"
    assert linc_fol_lines("TEXT: a\nFOL: P\nFOL: FOL: Q") == ["P", "Q"]


def test_linc_errors_for_what_linc_rejects() -> None:
    binary = find_prover9()
    arity = linc_label("FOL: Owns(Ann)\nFOL: Owns(Ann, Car)\nFOL: Owns(Ann)", binary)
    assert arity.label.value == "Error" and arity.reason == "fatal" and "multiple arities" in arity.detail
    xor = linc_label("FOL: P(a) ⊕ Q(a)\nFOL: P(a)", binary)
    assert xor.reason == "parse" and "premise 1" in xor.detail
    none = linc_label("no formulas here", binary)
    assert none.reason == "parse" and "no 'FOL:' line" in none.detail


@pytest.mark.parametrize(("prefix", "count"), [(FOLIO, 12), (PW, 20)])
def test_sample_labels_match_linc(shared_data, prefix: str, count: int) -> None:  # type: ignore[no-untyped-def]
    problems = ev.sampled_items(shared_data / prefix, limit=count)
    binary = find_prover9()
    same = total = 0
    for p in problems:
        assert p.linc_labels is not None
        mine = [linc_label(c, binary).label.value for c in p.completions]
        same += sum(a == b for a, b in zip(mine, p.linc_labels, strict=True))
        total += len(mine)
        assert majority(mine) == majority(p.linc_labels)
    assert same / total >= 0.99, (same, total)


def test_linc_eval_rows_and_resume(shared_data, tmp_path) -> None:  # type: ignore[no-untyped-def]
    problems = ev.sampled_items(shared_data / FOLIO, limit=3)
    binary = find_prover9()
    log = ResultLog(tmp_path / "linc.jsonl")
    rows = ev.run(problems, lambda p: ev.sampled_row(p, "linc", None, binary, 10.0), log)
    assert [r["id"] for r in rows] == ["p0", "p1", "p2"]
    assert rows[0]["source_row"] == json.loads((shared_data / "logic/linc_outputs/linc_folio_order_to_validation_row.json").read_text())[0]
    assert all(len(r["samples"]) == 10 and r["label"] == majority(r["samples"]).value for r in rows)
    rows2 = ev.run(problems, lambda p: pytest.fail("resume must not recompute"), log, resume=True)
    assert rows2 == rows
    s = ev.summarise(rows)
    assert s["samples"] == 30 and 0 <= s["same_as_linc_rate"] <= 1


def test_prover9_text_equals_real_nltk_on_recorded_formulas(shared_data) -> None:  # type: ignore[no-untyped-def]
    """Against NLTK itself (the dev extra has it): every FOL line of 12 GPT-3.5 FOLIO problems
    and 12 GPT-4 ProofWriter problems prints to the same Prover9 text, or both refuse it.
    (All 46,628 lines of both files agree; this slice keeps the test fast.)"""
    logic = pytest.importorskip("nltk.sem.logic")
    prover9 = pytest.importorskip("nltk.inference.prover9")
    from provers.fol.datasets import load_linc
    from provers.fol.parse import FolParseError

    checked = 0
    for run in (FOLIO, PW):
        for problem in load_linc(shared_data / run)[:12]:
            for completion in problem.completions:
                for line in linc_fol_lines(completion):
                    text = linc_reformat(line)
                    try:
                        theirs: str | None = str(prover9.convert_to_prover9(logic.Expression.fromstring(text)))
                    except Exception:  # noqa: BLE001 - NLTK's refusals are of many types
                        theirs = None
                    try:
                        ours: str | None = nltk_prover9_text(text)
                    except FolParseError:
                        ours = None
                    assert ours == theirs, text
                    checked += 1
    assert checked > 800
