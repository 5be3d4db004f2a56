"""The controlled-English parser on real ProofWriter dev rows, each sentence form, and its errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from provers.fol.backends.base import Label, get_backend
from provers.fol.controlled import ControlledParseError, Sentence, decide, parse_theory, to_fol
from provers.fol.datasets import NLProblem, load_proofwriter
from provers.fol.pipeline import controlled_row
from workbench.app.cli import app


@pytest.mark.parametrize(("sentence", "fol"), [
    ("Bob is cold", "Cold(bob)"),
    ("Bob is not red", "¬Red(bob)"),
    ("The cat chases the dog", "Chase(cat, dog)"),
    ("The bald eagle does not eat the dog", "¬Eat(bald_eagle, dog)"),
    ("If something is kind and rough then it is red", "∀x ((Kind(x) ∧ Rough(x)) → Red(x))"),
    ("All quiet things are rough", "∀x (Quiet(x) → Rough(x))"),
    ("Red, cold things are round", "∀x ((Red(x) ∧ Cold(x)) → Round(x))"),
    ("All quiet, kind people are furry", "∀x ((Quiet(x) ∧ Kind(x)) → Furry(x))"),
    ("Cold people are nice", "∀x (Cold(x) → Nice(x))"),
    ("Red people are not blue", "∀x (Red(x) → ¬Blue(x))"),
    ("If the cat chases the dog then the dog is big", "Chase(cat, dog) → Big(dog)"),
    ("If someone visits the mouse and they are young then the mouse sees the cat",
     "∀x ((Visit(x, mouse) ∧ Young(x)) → See(mouse, cat))"),
    ("If something is quiet and not red then it is not white", "∀x ((Quiet(x) ∧ ¬Red(x)) → ¬White(x))"),
    ("If Dave is smart and Dave is kind then Dave is quiet", "(Smart(dave) ∧ Kind(dave)) → Quiet(dave)"),
    ("If someone needs the cat then they chase the bald eagle", "∀x (Need(x, cat) → Chase(x, bald_eagle))"),
    ("Every wumpus is a tumpus", "∀x (Wumpus(x) → Tumpus(x))"),
    ("Wumpuses are not shy", "∀x (Wumpus(x) → ¬Shy(x))"),
    ("Max is a wumpus", "Wumpus(max)"),
])
def test_each_sentence_form(sentence: str, fol: str) -> None:
    assert str(to_fol(sentence)) == fol


def test_unparsable_sentence_is_named_with_its_position() -> None:
    with pytest.raises(ControlledParseError) as info:
        parse_theory("Bob is cold. The cat chases the dog. The cat is wet because of the rain.")
    err = info.value
    assert (err.index, err.sentence, err.word, err.offset) == (3, "The cat is wet because of the rain", "because", 15)
    assert str(err).startswith("sentence 3 'The cat is wet because of the rain', word 5 'because' (offset 15)")


def test_unparsable_problem_is_an_error_row() -> None:
    row = controlled_row(NLProblem("q", ("Bob is cold.", "Bob sings loudly in the rain."), "Bob is cold.", "True"),
                         get_backend("z3"))
    assert row["label"] == "Error" and row["reason"] == "controlled-parse"
    assert row["error"]["sentence_index"] == 2 and row["error"]["word"] == "loudly"  # an object must be a name or "the ..."


def test_proofwriter_semantics_differs_from_classical_only_where_it_should() -> None:
    # contraposition: classical FOL derives ¬Red(bob); ProofWriter's forward chaining does not
    theory = parse_theory("Bob is not round. Red things are round.")
    goal = Sentence("Bob is red", to_fol("Bob is red"))
    z3 = get_backend("z3")
    assert decide(theory, goal, z3, "classical").label is Label.FALSE
    assert decide(theory, goal, z3, "proofwriter").label is Label.UNCERTAIN


def test_accuracy_on_a_slice_of_proofwriter_dev(shared_data: Path) -> None:
    problems = load_proofwriter(shared_data / "logic/proofwriter/dev.json")
    assert len(problems) == 600
    z3 = get_backend("z3")
    chosen = problems[::20]  # 30 rows across the four ProofWriter sections
    rows = [controlled_row(p, z3) for p in chosen]
    assert {r["gold"] for r in rows} == {"True", "False", "Uncertain"}
    assert [r["id"] for r in rows if not r["correct"]] == []
    assert all(r["premises_fol"] and r["conclusion_fol"] for r in rows)


def test_eval_and_ask_cli(shared_data: Path, tmp_path: Path) -> None:  # noqa: ARG001 - needs the data
    runner = CliRunner()
    out = tmp_path / "pw.jsonl"
    result = runner.invoke(app, ["logic", "eval", "--dataset", "proofwriter", "--parser", "controlled",
                                 "--limit", "12", "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == 12 and all(r["correct"] for r in rows)
    again = runner.invoke(app, ["logic", "eval", "--dataset", "proofwriter", "--limit", "12", "--out", str(out), "--resume"])
    assert again.exit_code == 0 and out.read_text().count("\n") == 12
    ask = runner.invoke(app, ["logic", "ask", "Bob is big. All big things are red. Red things are not kind.",
                              "-c", "Bob is kind"])
    assert ask.exit_code == 0, ask.output
    assert "False" in ask.output and "Not_Kind" not in ask.output and "¬Kind(x)" in ask.output
    bad = runner.invoke(app, ["logic", "ask", "Bob is big. Bob is red because it rains.", "-c", "Bob is red"])
    assert bad.exit_code == 2 and "sentence 2" in bad.output


def test_prontoqa_file_in_logic_lm_format(tmp_path: Path) -> None:
    data = [{"id": "ProntoQA_1", "context": "Each jompus is fruity. Every jompus is a wumpus. Wumpuses are not "
             "transparent. Every tumpus is not angry. Zumpuses are dull. Max is a jompus.",
             "question": "Is the following statement true or false? Max is not transparent.", "answer": "A"},
            {"id": "ProntoQA_2", "context": "Every yumpus is a zumpus. Each zumpus is bright. Alex is a yumpus.",
             "question": "Is the following statement true or false? Alex is not bright.", "answer": "B"}]
    path = tmp_path / "prontoqa.json"
    path.write_text(json.dumps(data))
    out = tmp_path / "p.jsonl"
    result = CliRunner().invoke(app, ["logic", "eval", str(path), "--dataset", "prontoqa", "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [(r["label"], r["correct"]) for r in rows] == [("True", True), ("False", True)]
    assert rows[0]["premises_fol"][2] == "∀x (Wumpus(x) → ¬Transparent(x))"
