"""Rule expressions: parse/print round trips, type checking, the catalogue's own examples."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from rulecheck.errors import RuleError, RuleSyntaxError, RuleTypeError, UnknownFunction
from rulecheck.functions import CATALOGUE, AtomicFunction, atomic
from rulecheck.functions.registry import Catalogue
from rulecheck.rule import Call, Const, Rule, Text, Var, load_rules, parse_expr, typecheck


def test_catalogue_size_and_categories() -> None:
    assert len(CATALOGUE) >= 40
    cats = {f.category for f in CATALOGUE}
    assert cats == {"selection", "property", "geometry", "domain", "topology", "aggregation", "logic"}


@pytest.mark.parametrize("fn", list(CATALOGUE), ids=lambda f: f.name)
def test_every_example_parses_and_typechecks(fn: AtomicFunction) -> None:
    assert fn.description and fn.examples
    for ex in fn.examples:
        e = parse_expr(ex)
        typecheck(e)
        assert parse_expr(str(e)) == e
        assert eval(repr(e)) == e
    used = [parse_expr(ex).functions() for ex in fn.examples]
    assert any(fn.name in names for names in used), f"no example of {fn.name} uses it"


def test_duplicate_registration_rejected() -> None:
    with pytest.raises(RuleError, match="already registered"):
        @atomic("logic", "again", ["at_least(1, 2)"])
        def at_least(env, a: Q, b: Q) -> Bool:  # noqa: F821
            return True


def test_unknown_type_rejected() -> None:
    cat = Catalogue()
    with pytest.raises(RuleError, match="unknown type"):
        cat.register(AtomicFunction("f", "logic", (("a", "Colour"),), "Bool", "d", (), lambda e, a: a))


def test_tree_structure() -> None:
    e = parse_expr('between(two_risers_plus_going(x), 550 mm, 0.7 m)')
    assert e == Call("between", (Call("two_risers_plus_going", (Var(),)), Const(550, "mm"), Const(0.7, "m")))
    assert Const(550, "mm").si.value == pytest.approx(0.55)
    assert str(parse_expr('named(all_of_class("IfcSpace"), "bed\\"room")')) == 'named(all_of_class("IfcSpace"), "bed\\"room")'
    assert parse_expr('"IfcDoor"') == Text("IfcDoor")


def test_syntax_error_has_position() -> None:
    with pytest.raises(RuleSyntaxError) as err:
        parse_expr("at_least(door_width(x) 900 mm)", where="rule R9 check")
    assert "rule R9 check, offset 23" in str(err.value)
    assert "^" in str(err.value)


def test_no_eval_of_text() -> None:
    with pytest.raises(RuleSyntaxError):
        parse_expr("__import__('os').system('true')")


def test_type_errors() -> None:
    with pytest.raises(RuleTypeError, match="argument 2 is Area but an earlier argument is Length"):
        typecheck(parse_expr("at_least(door_width(x), 8.5 m2)"))
    with pytest.raises(RuleTypeError, match="takes 1 argument"):
        typecheck(parse_expr("door_width(x, x)"))
    with pytest.raises(UnknownFunction, match="did you mean door_width"):
        typecheck(parse_expr("door_widht(x)"))
    with pytest.raises(RuleTypeError, match="must name a catalogue function"):
        typecheck(parse_expr('sum_of(bedrooms(), "not_a_function")'))
    with pytest.raises(RuleTypeError, match="returns Bool, expected numeric"):
        typecheck(parse_expr('sum_of(bedrooms(), "is_bedroom")'))
    assert typecheck(parse_expr('sum_of(bedrooms(), "space_area")')) == "Area"


def test_rule_json_roundtrip(rules) -> None:
    assert len(rules) >= 15
    for r in rules:
        again = Rule.from_json(r.to_json())
        assert again == r
        assert str(r).startswith(f"{r.id}: for x in ")
    assert {"flight_rise", "stair_flights", "at_most"} <= set(rules[2].functions())


def test_rule_must_be_bool() -> None:
    with pytest.raises(RuleTypeError, match="check must be a yes/no"):
        Rule.from_json({"id": "B", "clause": "c", "applies_to": "bedrooms()", "check": "space_area(x)"})
    with pytest.raises(RuleTypeError, match="x is not bound"):
        Rule.from_json({"id": "B", "clause": "c", "applies_to": "spaces_of(x)", "check": "is_bedroom(x)"})


def test_bad_rules_file(tmp_path) -> None:
    p = tmp_path / "r.json"
    p.write_text('[{"id": "A", "clause": "c", "applies_to": "bedrooms()"')
    with pytest.raises(RuleError, match="not JSON"):
        load_rules(p)
    p.write_text('[{"id": "A", "clause": "c", "applies_to": "bedrooms()"}]')
    with pytest.raises(RuleError, match="no 'check' field"):
        load_rules(p)


def test_units_work_beside_a_pint_cache_left_by_a_deleted_installation(tmp_path) -> None:
    """The CI failure of stop 35: pint's ``:auto:`` disk cache, written by a checkout that
    was then deleted, sent every later registry to files that no longer exist."""
    import shutil
    import subprocess
    import sys

    import pint

    other = tmp_path / "other-venv"
    shutil.copytree(Path(pint.__file__).parent, other / "pint")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "PYTHONPATH": str(other)}
    subprocess.run(
        [sys.executable, "-c", "import pint; pint.UnitRegistry(cache_folder=':auto:')"],
        env=env, check=True, cwd=tmp_path,
    )
    assert any((tmp_path / "cache").rglob("*.pickle"))  # the stale cache exists
    shutil.rmtree(other)
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
    out = subprocess.run(
        [sys.executable, "-c", "from rulecheck.units import unit_info; print(unit_info('mm'))"],
        env=env, capture_output=True, text=True, cwd=tmp_path,
    )
    assert out.returncode == 0, out.stderr[-500:]
    assert "0.001" in out.stdout
