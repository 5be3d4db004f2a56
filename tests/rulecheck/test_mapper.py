"""Mappers: labelled data integrity, retriever, classifier, LLM output parsing, a real small LLM."""

from __future__ import annotations

import json

import pytest

from rulecheck.errors import RuleError
from rulecheck.mapper import map_clause
from rulecheck.mapper.classify import LABELS, Classifier, load_labelled
from rulecheck.mapper.llm import LLMMapper, build_prompt, parse_completion
from rulecheck.rule import Rule
from workbench.llm import Generator


def test_labelled_clauses_are_ours_and_typecheck() -> None:
    header = json.loads(LABELS.read_text().splitlines()[0])
    assert "ours" in header["_about"] and "CC BY 4.0" in header["_about"]
    data = load_labelled()
    assert len(data) >= 100
    assert len({d.id for d in data}) == len(data)
    for d in data:
        rule = Rule.from_json(d.rule)
        assert list(d.functions) == rule.functions(), d.id
        assert d.rule["source"].startswith("CODE-ACCORD ")


def test_labelled_clauses_are_real_code_accord(shared_data) -> None:
    import csv

    path = shared_data / "buildingcode/code-accord/annotated_data/entities/all.csv"
    real = {r["example_id"]: r["content"].strip() for r in csv.DictReader(path.open(encoding="utf-8"))}
    for d in load_labelled():
        assert real[d.id] == d.clause


def test_retriever_finds_domain_functions() -> None:
    r = map_clause("Every flight has a minimum clear width of 900mm.", mapper="retrieve", k=5)
    assert r.names()[0] == "flight_width"
    r = map_clause("twice the rise plus the going (2R G) equals between 550mm and 700mm.", k=3)
    assert "two_risers_plus_going" in r.names()


def test_clause_with_no_matching_function() -> None:
    r = map_clause("asdf qwer zxcv", mapper="retrieve")
    assert r.functions == () and "no catalogue function matches" in r.error
    with pytest.raises(RuleError, match="empty clause"):
        map_clause("   ")
    with pytest.raises(RuleError, match="unknown mapper"):
        map_clause("x", mapper="oracle")


def test_classifier_learns_from_labels() -> None:
    data = load_labelled()
    train = [d for d in data if d.split != "test"]
    clf = Classifier().fit([d.clause for d in train], [d.functions for d in train])
    got = clf.map("The riser of the steps may be no more than 170 millimetres.", 6).names()
    assert "riser_height" in got and "at_most" in got


def test_parse_completion_errors_are_data() -> None:
    r = parse_completion(" each door\nFunctions: door_clear_width, at_least\nApplies to: all_of_class(\"IfcDoor\")\n"
                         "Check: at_least(door_clear_width(x), 8.5 m2)", "clause")
    assert r.rule is None and "rule rejected" in r.error and "Area" in r.error
    r = parse_completion("I cannot help with that.", "clause")
    assert r.rule is None and r.functions == () and "no 'Applies to:'" in r.error


def test_prompt_lists_only_candidates() -> None:
    p = build_prompt("Every bedroom is at least 2.4m wide.", ["bedrooms", "space_width", "at_least"])
    assert "space_width(x: Element) -> Length" in p and "door_clear_width" not in p.split("Answer with")[0]
    assert p.endswith("Clause: Every bedroom is at least 2.4m wide.\n")


@pytest.mark.llm
@pytest.mark.slow
def test_real_small_llm_output_is_parsed_as_data(smollm: Generator) -> None:
    mapper = LLMMapper(smollm, shortlist=4, max_tokens=80)
    [res] = mapper.map_many(["Every flight has a minimum clear width of 900mm."])
    # decoding under the catalogue grammar: even a 135M model writes a rule that parses and type-checks
    assert res.clause.startswith("Every flight")
    assert res.rule is not None and not res.error, res.error
    from rulecheck.functions import CATALOGUE

    assert all(name in CATALOGUE for name in res.names())
