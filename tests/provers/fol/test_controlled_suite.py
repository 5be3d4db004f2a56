"""The hand-written controlled-English suite: every sentence gives its expected FOL, every
sentence outside the language is an error naming the word and its position.

The sentences (tests/provers/fol/data/controlled_suite.tsv, controlled_errors.tsv) were written
for this suite from the language's rules: plurals regular and irregular, invented nouns
(``wumpuses``), 3rd-person and base-form verbs, negation, names with digits and Unicode letters.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from provers.fol.controlled import ControlledParseError, parse_theory, to_fol
from provers.fol.syntax import MAX_DEPTH

DATA = Path(__file__).with_name("data")


def _rows(name: str) -> list[list[str]]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    rows = [ln.split("\t") for ln in lines if ln.strip() and not ln.startswith("#")]
    return [[cell.encode().decode("unicode_escape") if "\\u" in cell else cell for cell in row] for row in rows]


SUITE = _rows("controlled_suite.tsv")
ERRORS = _rows("controlled_errors.tsv")


def test_the_suite_is_large_enough() -> None:
    assert len(SUITE) >= 150 and len(ERRORS) >= 15


@pytest.mark.parametrize(("sentence", "fol"), SUITE, ids=[s for s, _ in SUITE])
def test_sentence_gives_its_fol(sentence: str, fol: str) -> None:
    assert str(to_fol(sentence)) == fol


@pytest.mark.parametrize(("sentence", "word", "position"), ERRORS, ids=[s for s, _, _ in ERRORS])
def test_sentence_outside_the_language_is_an_error_naming_the_word(sentence: str, word: str, position: str) -> None:
    with pytest.raises(ControlledParseError) as err:
        to_fol(sentence, 4)
    assert err.value.word == word and err.value.index == 4
    assert f"word {position} {word!r}" in str(err.value)


def test_one_predicate_per_lemma_across_a_theory() -> None:
    """The bug this suite is for: 'Cats are mammals. Each mammal is warm.' made two predicates."""
    theory = parse_theory("Cats are mammals. Each mammal is warm. Wumpuses are yumpuses. Polly is a wumpus. "
                          "Every yumpus is a sterpus. Sterpuses are shy. The cat chases the mouse. "
                          "Cats chase the dog.")
    names = sorted({p for s in theory for p in _predicates(str(s.formula))})
    assert names == ["Cat", "Chase", "Mammal", "Shy", "Sterpus", "Warm", "Wumpus", "Yumpus"]


def _predicates(fol: str) -> list[str]:
    import re

    return re.findall(r"([A-Z]\w*)\(", fol)


def test_a_rule_past_the_depth_limit_is_a_parse_error_naming_the_limit() -> None:
    with pytest.raises(ControlledParseError, match=f"the limit is {MAX_DEPTH}"):
        to_fol(", ".join(["red"] * 3000) + " things are round")
