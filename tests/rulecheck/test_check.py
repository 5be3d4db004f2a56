"""Verdicts of the shipped CODE-ACCORD rules on the real models, values verified by hand (docs/rules.md)."""

from __future__ import annotations

import pytest

from rulecheck.check import FAIL, NA, PASS, check_element, check_model, check_rule
from rulecheck.rule import Rule


def _by_rule(verdicts, rule_id):
    return [v for v in verdicts if v.rule == rule_id]


@pytest.fixture(scope="module")
def duplex_verdicts(duplex, rules):
    return check_model(duplex, rules)


@pytest.fixture(scope="module")
def fzk_verdicts(fzk, rules):
    return check_model(fzk, rules)


def test_every_rule_gives_a_verdict(duplex_verdicts, rules) -> None:
    assert {v.rule for v in duplex_verdicts} == {r.id for r in rules}
    for v in duplex_verdicts:
        assert v.status in (PASS, FAIL, NA)
        if v.status == NA:
            assert v.why, v
        if v.status in (PASS, FAIL):
            assert v.measured and v.value is not None and v.unit in ("m", "m2", "")


def test_duplex_flight_rise_fails(duplex_verdicts) -> None:
    # 16 risers x 0.19375 m = 3.1 m, the storey height (Level 2 at 3.1 m)
    r03 = _by_rule(duplex_verdicts, "R03")
    assert [v.status for v in r03] == [FAIL, FAIL]
    assert all(v.value == pytest.approx(3.1, abs=1e-3) and v.unit == "m" for v in r03)


def test_duplex_riser_and_going(duplex_verdicts) -> None:
    r06 = _by_rule(duplex_verdicts, "R06")  # 2R+G = 2 x 0.19375 + 0.25 = 0.6375
    assert all(v.status == PASS and v.value == pytest.approx(0.6375, abs=1e-4) for v in r06)
    assert any("feet" in n for v in r06 for n in v.notes)  # the wrong unit is reported
    r07 = _by_rule(duplex_verdicts, "R07")  # going 0.25 < 0.30 preferred
    assert all(v.status == FAIL and v.value == pytest.approx(0.25) for v in r07)
    r09 = _by_rule(duplex_verdicts, "R09")  # Finnish: riser 193.75 mm > 190 mm
    assert all(v.status == FAIL and v.value == pytest.approx(0.19375, abs=1e-5) for v in r09)
    r10 = _by_rule(duplex_verdicts, "R10")  # tread 250 mm >= 250 mm
    assert all(v.status == PASS for v in r10)


def test_duplex_bedrooms(duplex_verdicts) -> None:
    r01 = _by_rule(duplex_verdicts, "R01")
    assert len(r01) == 4 and all(v.status == PASS for v in r01)
    assert all(v.value == pytest.approx(22.04, abs=0.01) for v in r01)  # from geometry, no quantity
    r02 = _by_rule(duplex_verdicts, "R02")
    assert all(v.status == PASS and v.value == pytest.approx(3.708, abs=0.01) for v in r02)


def test_duplex_doors(duplex_verdicts) -> None:
    r13 = _by_rule(duplex_verdicts, "R13")
    assert len(r13) == 14
    fails = [v for v in r13 if v.status == FAIL]
    # the two glazed 813 mm doors into the living rooms: 0.813 - 0.051 leaf = 0.762 m < 0.8 m
    assert len(fails) == 2 and all(v.value == pytest.approx(0.762, abs=1e-3) for v in fails)
    assert all("Glass" in v.name for v in fails)
    na = [v for v in r13 if v.status == NA]
    assert len(na) == 8 and all("leads_to_habitable_room(x)) is false" in v.why for v in na)
    r15 = _by_rule(duplex_verdicts, "R15")  # exits >= 1200 mm: 1.25 - 0.051 = 1.199 m fails by 1 mm
    assert sorted(round(v.value, 3) for v in r15) == [0.762, 0.762, 1.199, 1.199]
    assert all(v.status == FAIL for v in r15)


def test_railings_measured_above_pitch_line_and_floor(duplex_verdicts) -> None:
    # Revit's "900mm Handrail Only" and "1100mm Guard Rail" along the two flights: the handrail top is
    # 0.904 m above the pitch line (0.19375 / 0.25 m steps); the guard stands on the Level 2 floor
    # (3.129 m finish) with its top at 4.2 m, 1.071 m above it. Before issue 18 these were
    # "not applicable" (bounding box 3-4 m high); a level handrail read its own 0.04 m box height.
    railings = sorted(_by_rule(duplex_verdicts, "R17"), key=lambda v: v.value)
    assert [v.status for v in railings] == [PASS] * 4
    assert [round(v.value, 3) for v in railings] == [0.904, 0.904, 1.071, 1.071]
    assert all("pitch line" in v.notes[0] for v in railings[:2])
    assert all(v.storey == "Level 1" and v.space for v in railings)


def test_fail_says_by_how_much_and_where(duplex_verdicts) -> None:
    glazed = [v for v in _by_rule(duplex_verdicts, "R13") if v.status == FAIL]
    assert {v.space for v in glazed} == {"A102 Living Room", "B102 Living Room"}
    assert glazed[0].shortfall == "762 mm, 38 mm below 800 mm"
    assert glazed[0].remedy == "increase the door clear width by at least 38 mm"
    [r19] = _by_rule(duplex_verdicts, "R19")
    assert r19.shortfall == "29.4 %, 4.4 percentage points above 25.0 %"


def test_not_applicable_is_never_pass(duplex_verdicts, fzk_verdicts) -> None:
    fzk_stair = _by_rule(fzk_verdicts, "R03")
    # the riser is read from the tread geometry (0.177 m), but the spiral stair has no riser count
    assert fzk_stair[0].status == NA and "no NumberOfRiser" in fzk_stair[0].why
    fzk_width = _by_rule(fzk_verdicts, "R05")
    assert fzk_width[0].status == NA and "spiral" in fzk_width[0].why


def test_fzk_verdicts(fzk_verdicts) -> None:
    r01 = _by_rule(fzk_verdicts, "R01")
    assert [(v.name, v.status) for v in r01] == [("Schlafzimmer", PASS)]
    assert r01[0].value == pytest.approx(21.410325) and "NetFloorArea" in r01[0].notes[0]
    r13 = {v.name: v for v in _by_rule(fzk_verdicts, "R13")}
    # 0.885 - 2 x 0.05 lining - 0.04 leaf = 0.745 m
    assert r13["Innentuer-1"].status == FAIL and r13["Innentuer-1"].value == pytest.approx(0.745)
    assert all(v.status == PASS for v in _by_rule(fzk_verdicts, "R17"))


def test_rule_matching_nothing(openhouse, rules) -> None:
    r01 = next(r for r in rules if r.id == "R01")
    [v] = check_rule(openhouse, r01)
    assert v.status == NA and v.guid is None and "no element in the model matches bedrooms()" in v.why


def test_missing_quantity_is_not_applicable(fzk) -> None:
    rule = Rule.from_json({"id": "Q", "clause": "c", "applies_to": 'all_of_class("IfcSpace")',
                           "check": 'at_least(quantity_area(x, "Qto_SpaceBaseQuantities", "NetFloorArea"), 5 m2)'})
    verdicts = check_rule(fzk, rule)
    assert all(v.status == NA and "Qto_SpaceBaseQuantities: property set missing" in v.why for v in verdicts)


def test_unexpected_error_is_not_a_pass(duplex) -> None:
    rule = Rule.from_json({"id": "E", "clause": "c", "applies_to": 'all_of_class("IfcDoor")',
                           "check": 'name_matches(x, "([unclosed")'})
    v = check_element(duplex, rule, duplex.by_type("IfcDoor")[0])
    assert v.status == NA and "bad name pattern" in v.why
