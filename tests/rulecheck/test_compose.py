"""Clause → rule without an LLM: quantities and units (pint), the composer, its refusals, and the
catalogue grammar that constrains the LLM path (sampled, parsed and type-checked here)."""

from __future__ import annotations

import random
import re

import pytest

from rulecheck.errors import RuleTypeError
from rulecheck.mapper.classify import eval_split, load_labelled
from rulecheck.mapper.compose import compose
from rulecheck.mapper.grammar import catalogue_grammar
from rulecheck.rule import Const, Rule, parse_expr, typecheck
from rulecheck.units import find_quantities


@pytest.mark.parametrize(("text", "want"), [
    ("a clear width of 32 inches (815 mm) minimum", ["32 in"]),
    ("at least 6 feet, 8 inches (203 cm)", ["80 in"]),
    ("at least seven feet six inches (2.3 m) high", ["90 in"]),
    ("a width of 1,500 millimetres", ["1500 mm"]),
    ("is 700-1000mm above floor level", ["700 mm", "1000 mm"]),
    ("between 200 and 300 millimetres", ["200 mm", "300 mm"]),
    ("not steeper than 1:12", ["1:12"]),
    ("8 per cent (1:12.5)", ["8 %"]),
    ("70 square feet", ["70 ft2"]),
    ("at most 2 in the first storey", []),
    # numbers in words as state and city codes write them; "thirty-two" is one number, not a range
    ("not less than thirty-two inches in width", ["32 in"]),
    ("at least eighty square feet of floor space", ["80 ft2"]),
    ("at least seven and a half feet high", ["7.5 ft"]),
    ("between thirty and forty inches", ["30 in", "40 in"]),
    ("between 30º and 50º from horizontal", ["30 deg", "50 deg"]),
    ("handrails shall be 865 mm to 1 070 mm high", ["865 mm", "1070 mm"]),  # SI thousands separator
])
def test_quantities_in_clause_text(text: str, want: list[str]) -> None:
    assert [str(q) for q in find_quantities(text)] == want


def test_rule_constants_in_us_units_and_the_unit_error() -> None:
    e = parse_expr("between(railing_height(x), 34 in, 38 in)")
    assert [round(a.si.value, 4) for a in e.args[1:]] == [0.8636, 0.9652]
    assert str(parse_expr("at_most(ramp_slope(x), 1:12)")) == "at_most(ramp_slope(x), 1:12)"
    with pytest.raises(RuleTypeError, match=r"unknown unit 'furlong'; accepted: mm, cm, m, in, ft, yd, .*ratios written 1:12"):
        parse_expr("at_least(door_width(x), 3 furlong)")
    with pytest.raises(RuleTypeError, match="argument 2 is Area but an earlier argument is Length"):
        typecheck(parse_expr("at_least(door_width(x), 20 ft2)"))


@pytest.mark.parametrize(("clause", "rule"), [
    ("Door openings shall provide a clear width of 32 inches (815 mm) minimum.",
     'for x in all_of_class("IfcDoor"): at_least(door_clear_width(x), 32 in)'),
    ("Risers shall be 4 inches (100 mm) high minimum and 7 inches (180 mm) high maximum.",
     "for x in stair_flights(): between(riser_height(x), 4 in, 7 in)"),
    ("Stair riser heights shall be 7 inches maximum and 4 inches minimum.",
     "for x in stair_flights(): between(riser_height(x), 4 in, 7 in)"),
    ("Ramp runs shall have a running slope not steeper than 1:12.", "for x in ramps(): at_most(ramp_slope(x), 1:12)"),
    ("The top edge height of top rails, or equivalent guardrail system members, are 42 inches (107 cm), plus or "
     "minus 3 inches (8 cm), above the walking-working surface.",
     'for x in all_of_class("IfcRailing") when name_matches(x, "guard"): between(railing_height(x), 39 in, 45 in)'),
    ("Vertical clearance above any stair tread to any overhead obstruction is at least 6 feet, 8 inches (203 cm), "
     "as measured from the leading edge of the tread.", "for x in stair_flights(): at_least(headroom(x), 80 in)"),
    ("The ceiling of an exit route must be at least seven feet six inches (2.3 m) high.",
     "for x in corridors(): at_least(space_height(x), 90 in)"),
    ("No individual flight has a rise of more than 1800mm between landings.",
     "for x in stair_flights(): at_most(flight_rise(x), 1800 mm)"),
    ("The riser of the indoor steps of dwelling units and living quarters may be no more than 190 millimetres, and "
     "the tread must be no less than 250 millimetres.",
     "for x in stair_flights() when not(is_external(x)): and(at_most(riser_height(x), 190 mm), at_least(going(x), 250 mm))"),
    ("Habitable rooms shall have a floor area of not less than 70 square feet.",
     "for x in habitable_rooms(): at_least(space_area(x), 70 ft2)"),
    # a height "from the upper surface of the tread" is a railing height, not a distance to something else
    ("The height of handrails shall be not more than 37 inches (94 cm) nor less than 30 inches (76 cm) from the upper "
     "surface of the handrail to the surface of the tread.",
     'for x in all_of_class("IfcRailing") when name_matches(x, "handrail"): between(railing_height(x), 30 in, 37 in)'),
    ("Stairs shall be installed between 30 deg. and 50 deg. from horizontal.",
     "for x in stair_flights(): between(stair_pitch(x), 30 deg, 50 deg)"),
    # a window's size is its overall width and height; "the window of an emergency exit" is a window
    ("The free opening of the window of an emergency exit must be at least 600 millimetres in height and 500 "
     "millimetres in width.",
     'for x in all_of_class("IfcWindow"): and(at_least(door_height(x), 600 mm), at_least(door_width(x), 500 mm))'),
    ("Walks, halls, corridors, passageways, aisles, or other circulation spaces shall have 80 in (2030 mm) minimum "
     "clear head room.", "for x in corridors(): at_least(space_height(x), 80 in)"),
    # US state and city codes: sleeping rooms are bedrooms, "floor space" is an area, an exclusion is not the subject
    ("The floor area of each sleeping room must be at least 80 square feet and at least 7 feet in width.",
     "for x in bedrooms(): and(at_least(space_area(x), 80 ft2), at_least(space_width(x), 7 ft))"),
    ("A habitable room, other than a kitchen, shall not be less than seven feet (2,134 mm) in any plan dimension.",
     'for x in habitable_rooms() when not(name_matches(x, "kitchen|küche")): at_least(space_width(x), 7 ft)'),
    ("All exterior doors providing means of egress shall be not less than thirty-two inches in width.",
     "for x in exit_doors(): at_least(door_clear_width(x), 32 in)"),
    # the measure word before the number is the head, not "the ceiling" at the end of the sentence
    ("Habitable rooms provided with artificial ventilation have ceiling heights not less than 2.40 meters measured "
     "from the floor to the ceiling", "for x in habitable_rooms(): at_least(space_height(x), 2.4 m)"),
    # "at least the width of the stair" bounds the landing by another element (warned); its depth is the number
    ("Stairway landings and platforms are at least the width of the stair and at least 30 inches (76 cm) in depth, "
     "as measured in the direction of travel.",
     "for x in union(stair_flights(), ramps()): at_least(landing_depth(x), 30 in)"),
    # a tread "wide, measured from riser to riser" is the going (ADAAG 4.9.2), not the flight's width
    ("Stair treads shall be no less than 11 in (280 mm) wide, measured from riser to riser.",
     "for x in stair_flights(): at_least(going(x), 11 in)"),
    # "not less than A or more than B": the negation covers both bounds
    ("Handrails shall not be less than 30 inches (762 mm) high or more than 42 inches (1067 mm) high measured "
     "vertically above the nosing of the tread.",
     'for x in all_of_class("IfcRailing") when name_matches(x, "handrail"): between(railing_height(x), 30 in, 42 in)'),
])
def test_composer_reads_the_common_shapes(clause: str, rule: str) -> None:
    c = compose(clause)
    assert not c.refusal, c.refusal
    assert [str(r).split(": ", 1)[1] for r in c.rules] == [rule]


def test_an_exclusion_the_composer_cannot_apply_is_a_warning() -> None:
    c = compose("Every door, except doors to bathrooms, shall be at least 800 mm wide.")
    assert [str(r).split(": ", 1)[1] for r in c.rules] == ['for x in all_of_class("IfcDoor"): at_least(door_clear_width(x), 800 mm)']
    assert c.warnings == ("the exclusion 'except doors to bathrooms' is not applied",)


@pytest.mark.parametrize(("clause", "why"), [
    ("An upstand built on site should not exceed a U-value of 0.35W/(m2K).", "the clause bounds 0.35 W/(m2K)"),
    ("Partitioning doors in accommodation premises shall be equipped with closing devices.", "no quantity with a unit"),
    ("Perimeter insulation should be continuous and have a minimum thickness of 25mm.", "names no element"),
    ("If the height of the building does not exceed 28 metres, access to the attic from the outside is required.",
     "only quantities are in a condition"),
    ("Doors shall have fire resistance of 30 minutes.", "30 minutes (time)"),
    ("Guarding should be sized to prevent the passage of a 100mm sphere.", "bounds a gap"),
    # the pitch of a roof, the height of a building: not what stair_pitch / element_height of a wall measure
    ("A roof with a pitch greater than 1:8 must be constructed making appropriate use of roof stairs.",
     "no catalogue function measures what 1:8 bounds"),
    # the handle of a window is measured, not the window (its sill height is not the handle's)
    ("The handle to at least one window in the principal living area is 700-1000mm above floor level.",
     "names no element"),
    # nor is the window named in the exception after the number
    ("The handle to at least one window in the principal living area is located between 450mm and 1200mm above "
     "floor level, unless the window is fitted with a remote opening device.", "no catalogue function measures"),
])
def test_composer_refuses_with_a_reason(clause: str, why: str) -> None:
    c = compose(clause)
    assert c.rules == () and why in c.refusal


def test_every_composition_of_the_dev_clauses_type_checks() -> None:
    # the rules are built through Rule(...), so each one type-checks; the test split is not read here
    data = [d for d in load_labelled() if eval_split(d.id) != "test"]
    composed = [compose(d.clause) for d in data]
    assert sum(bool(c.rules) for c in composed) >= 30
    for c in composed:
        for r in c.rules:
            assert Rule.from_json(r.to_json()) == r


def _sample(grammar: str, rng: random.Random) -> str:
    """One random string of a GBNF grammar (depth-limited: deep choices take the shortest option)."""
    rules = {}
    for line in grammar.strip().splitlines():
        name, body = line.split(" ::= ", 1)
        rules[name] = body
    token = re.compile(r'"(?:[^"\\]|\\.)*"|\[[^\]]*\](?:\{\d+,\d+\})?|[()|?]|[a-z][a-z0-9-]*')

    def parse(body: str) -> list:
        toks = token.findall(body)
        pos = 0

        def alt() -> list:
            nonlocal pos
            options, seq = [], []
            while pos < len(toks) and toks[pos] != ")":
                t = toks[pos]
                pos += 1
                if t == "|":
                    options.append(seq)
                    seq = []
                elif t == "(":
                    seq.append(("group", alt()))
                    pos += 1
                elif t == "?":
                    seq[-1] = ("opt", seq[-1])
                else:
                    seq.append(t)
            options.append(seq)
            return options

        return alt()

    parsed = {k: parse(v) for k, v in rules.items()}

    def gen(options: list, depth: int) -> str:
        seq = rng.choice(options) if depth < 6 else min(options, key=lambda s: sum(not str(t).startswith('"') for t in s))
        out = []
        for t in seq:
            if isinstance(t, tuple) and t[0] == "group":
                out.append(gen(t[1], depth + 1))
            elif isinstance(t, tuple) and t[0] == "opt":
                if rng.random() < 0.5:
                    out.append(gen([[t[1]]], depth + 1))
            elif t.startswith('"'):
                out.append(t[1:-1].encode().decode("unicode_escape"))
            elif t.startswith("["):
                out.append("wc" if "a-z" in t else str(rng.randint(1, 9)))
            else:
                out.append(gen(parsed[t], depth + 1))
        return "".join(out)

    return gen(parsed["root"], 0)


def test_catalogue_grammar_only_derives_typed_rules() -> None:
    rng = random.Random(0)
    grammar = catalogue_grammar()
    for _ in range(150):
        text = _sample(grammar, rng)
        lines = dict(line.split(": ", 1) for line in text.strip().splitlines())
        rule = Rule("G", "c", "s", parse_expr(lines["Applies to"]), parse_expr(lines["Check"]),
                    None if lines["When"] == "none" else parse_expr(lines["When"]))
        assert rule.functions()
    assert isinstance(Const(12, "1:").si.value, float)


def test_acceptance_readings_match_what_the_composer_composes() -> None:
    """A person's reading in the acceptance file belongs to a composed rule: if the composer starts
    or stops composing a clause, its reading must be redone (benchmarks/rules_acceptance.py)."""
    import json
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "rulecheck" / "data" / "clauses_acceptance.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    stale = [(r["id"], r["reading"]) for r in rows if "_about" not in r
             and bool(compose(r["clause"]).rules) != (r["reading"] in ("faithful", "partial", "wrong"))]
    assert not stale, stale
