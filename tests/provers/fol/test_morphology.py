"""Word forms → lemmas: one predicate per concept, for real and invented English words."""

from __future__ import annotations

import pytest

from provers.fol.morphology import is_plural_noun, name_key, noun_lemma, split_name, verb_lemma


@pytest.mark.parametrize(("plural", "singular"), [
    ("cats", "cat"), ("mice", "mouse"), ("geese", "goose"), ("wolves", "wolf"), ("children", "child"),
    ("butterflies", "butterfly"), ("boxes", "box"), ("churches", "church"), ("buses", "bus"),
    ("wumpuses", "wumpus"), ("sterpuses", "sterpus"), ("impuses", "impus"), ("blorps", "blorp"),
    ("glorpies", "glorpy"), ("wumpus", "wumpus"), ("glass", "glass"), ("big2", "big2"), ("zoë", "zoë"),
])
def test_noun_lemma(plural: str, singular: str) -> None:
    assert noun_lemma(plural) == singular


@pytest.mark.parametrize(("form", "base"), [
    ("chases", "chase"), ("eats", "eat"), ("sees", "see"), ("flies", "fly"), ("watches", "watch"),
    ("has", "have"), ("does", "do"), ("carries", "carry"), ("misses", "miss"), ("chase", "chase"),
])
def test_verb_lemma(form: str, base: str) -> None:
    assert verb_lemma(form) == base


@pytest.mark.parametrize(("word", "plural"), [
    ("cats", True), ("wumpuses", True), ("famous", False), ("nervous", False), ("wumpus", False),
    ("glass", False), ("red", False), ("p700", False),
])
def test_plural_nouns_are_told_from_adjectives_and_singulars(word: str, plural: bool) -> None:
    assert is_plural_noun(word) is plural


def test_name_keys_join_spellings_of_one_concept_and_only_those() -> None:
    same = ["Student", "Students", "student", "IsStudent", "is_student", "IS_STUDENT"]
    assert {name_key(n) for n in same} == {"student"}
    assert name_key("Teaches") == name_key("teach") == name_key("Teach")
    assert name_key("HasFourSides") == name_key("has_four_side")
    assert len({name_key(n) for n in ["Student", "Study", "Teacher", "Teach", "P0", "P700"]}) == 6
    assert split_name("USCitizen2") == ["us", "citizen", "2"] and name_key("_") == "_"
