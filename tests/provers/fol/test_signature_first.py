"""The signature grammars: every string they allow is a formula (or a signature) we can use.

Property test: for random signatures (hypothesis), random derivations of `formula_grammar`
(the GBNF sampler of test_grammar) must parse with the strict NLTK parser, use only the
signature's predicates at their arities and its constants, and bind every variable. The
FOLIO-train shots must respect their own signatures too, so the examples and the grammar agree.
"""

from __future__ import annotations

import random
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from provers.fol.parse import NLTK_WORDS, parse_nltk
from provers.fol.signature_first import (
    MAX_ARITY,
    Signature,
    SignatureParseError,
    formula_grammar,
    parse_signature,
    shot_formula,
    signature_grammar,
    signature_of,
)
from provers.fol.syntax import FolError, free_names
from tests.provers.fol.test_grammar import read_gbnf, sample

_pred = st.from_regex(r"[A-Z][A-Za-z0-9_]{1,12}", fullmatch=True)
_const = st.from_regex(r"[a-z][A-Za-z0-9_]{1,10}", fullmatch=True).filter(
    lambda c: c not in NLTK_WORDS and c not in ("x", "y", "z"))


@st.composite
def signatures(draw: st.DrawFn) -> Signature:
    names = draw(st.lists(_pred, min_size=1, max_size=6, unique=True))
    arities = [draw(st.integers(1, MAX_ARITY)) for _ in names]
    consts = draw(st.lists(_const.filter(lambda c: c not in names), max_size=4, unique=True))
    return Signature(tuple(zip(names, arities, strict=True)), tuple(consts))


@settings(max_examples=25, deadline=None)
@given(sig=signatures(), seed=st.integers(0, 2**32 - 1), comma=st.sampled_from([",", ", "]))
def test_every_string_of_the_formula_grammar_parses_and_respects_the_signature(sig: Signature, seed: int,
                                                                               comma: str) -> None:
    rules = read_gbnf(formula_grammar(sig, comma))
    rng = random.Random(seed)
    for _ in range(8):
        text = sample(rules, "root", rng, max_depth=8)
        assert text.endswith("\n")
        f = parse_nltk(text.strip())
        assert sig.admits(f) == [], text
        assert free_names(f) == set(), text


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_every_string_of_the_signature_grammar_reads_back(seed: int) -> None:
    rules = read_gbnf(signature_grammar())
    text = sample(rules, "root", random.Random(seed), max_depth=8)
    assert text.endswith("\n</SIGNATURE>")
    sig = parse_signature(text)
    declared = re.findall(r"([A-Z]\w*)\(", text.split("\n")[0])
    assert [n for n, _ in sig.predicates] == list(dict.fromkeys(declared))
    assert all(c not in NLTK_WORDS for c in sig.constants)
    assert parse_signature(str(sig)) == sig  # the text we put back in the prompt reads the same


def test_signature_of_gold_formulas_and_its_refusals() -> None:
    fs = [parse_nltk("all x.(Dog(x) -> Animal(x))"), parse_nltk("Owns(ann, rex) & Dog(rex)")]
    sig = signature_of(fs)
    assert str(sig) == "Predicates: Dog(x), Animal(x), Owns(x,y)\nConstants: ann, rex"
    assert sig.admits(parse_nltk("Owns(rex, bob)")) == ["constant bob is not in the signature"]
    assert sig.admits(parse_nltk("Dog(rex, ann)")) == ["predicate Dog/2 has arity 1 in the signature"]
    for bad in ("Owns(ann) & Owns(ann, rex)", "Dog(father(rex))", "ann = rex"):
        with pytest.raises(FolError):
            signature_of([parse_nltk(bad)])


def test_a_stage_one_answer_without_predicates_is_an_error() -> None:
    with pytest.raises(SignatureParseError, match="Predicates"):
        parse_signature("I think the predicates are dogs")
    with pytest.raises(SignatureParseError, match="no predicate declaration"):
        parse_signature("Predicates: none\nConstants: rex")
    # a repeated name keeps its first arity; a constant that is a predicate name is dropped
    sig = parse_signature("Predicates: Dog(x), Dog(x,y), Cat(x)\nConstants: rex, Cat, all")
    assert sig.predicates == (("Dog", 1), ("Cat", 1)) and sig.constants == ("rex",)


def test_shot_formulas_name_variables_by_depth() -> None:
    f = parse_nltk("all a.(P(a) -> exists b.(Q(a,b) & all c.R(b,c)))")
    assert shot_formula(f) == "all x.(P(x) -> (exists y.(Q(x,y) & (all z.R(y,z)))))"
    with pytest.raises(FolError, match="deeper"):
        shot_formula(parse_nltk("all a.all b.all c.all d.S(a,b,c)"))


def test_train_shots_respect_their_signatures(shared_data) -> None:  # type: ignore[no-untyped-def]
    from provers.fol.shots import load_train

    pool, _ = load_train(shared_data / "logic/folio/folio-train.jsonl")
    assert len(pool) > 200
    for story in pool:
        assert len(story.fols) == len(story.sentences)
        for text in story.fols:
            f = parse_nltk(text)
            assert story.signature.admits(f) == [] and free_names(f) == set(), (story.id, text)


def test_fixed_staged_shots_fit_the_grammar_limits() -> None:
    from provers.fol.prompts import STAGED_FIXED, staged_fixed_shots

    text = staged_fixed_shots()
    assert text.count("<SIGNATURE>") == STAGED_FIXED and "folio-validation" not in text
    for block in re.findall(r"<SIGNATURE>\n(.*?)\n</SIGNATURE>", text, flags=re.S):
        assert parse_signature(block) and str(parse_signature(block)) == block
