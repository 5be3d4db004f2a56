"""Export the IDS-expressible rules to an ``.ids`` file and cross-check them with ifctester.

A rule is IDS-expressible when it selects a plain class (optionally external/internal through
``Pset_<Class>Common.IsExternal``), has no precondition, and compares one attribute, property
or quantity with constant bounds. Everything computed (clear widths, 2R+G, areas from
geometry, topology) is outside IDS — that is what the catalogue adds.

Semantics differ in one documented way: IDS fails an element whose required value is missing,
where `check` says "not applicable: <why>". The cross-check therefore compares *pass* with
*pass*: an element agrees when (ours is pass) == (ifctester passed it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rulecheck.check import PASS, Verdict, check_rule
from rulecheck.ifc import Model
from rulecheck.rule import Call, Const, Rule, Text, Var
from workbench.errors import require

_BOUNDS = {"at_least": ("minInclusive",), "at_most": ("maxInclusive",), "greater_than": ("minExclusive",),
           "less_than": ("maxExclusive",), "between": ("minInclusive", "maxInclusive")}
_LOOKUPS = {"attribute_length", "attribute_number", "property_length", "property_number",
            "quantity_length", "quantity_area", "quantity_volume"}
_SHORTHAND = {"door_width": "OverallWidth", "door_height": "OverallHeight"}


@dataclass(frozen=True)
class IdsSpec:
    """The IDS reading of a rule: applicability and one requirement with numeric bounds (SI)."""

    rule: str
    entity: str
    external: bool | None
    kind: str  # "attribute" or "property"
    pset: str
    name: str
    bounds: tuple[tuple[str, float], ...]

    def __str__(self) -> str:
        where = {True: " (external)", False: " (internal)", None: ""}[self.external]
        target = self.name if self.kind == "attribute" else f"{self.pset}.{self.name}"
        return f"{self.rule}: {self.entity}{where} {target} " + " ".join(f"{k}={v:g}" for k, v in self.bounds)


def expressible(rule: Rule) -> IdsSpec | None:
    """The `IdsSpec` of a rule, or ``None`` when IDS cannot express it.

    >>> from rulecheck.rule import Rule, parse_expr
    >>> r = Rule("R", "c", "s", parse_expr('all_of_class("IfcDoor")'),
    ...          parse_expr('at_least(attribute_length(x, "OverallHeight"), 2100 mm)'))
    >>> str(expressible(r))
    'R: IfcDoor OverallHeight minInclusive=2.1'
    """
    if rule.when is not None:
        return None
    sel, external = rule.applies_to, None
    if isinstance(sel, Call) and sel.fn in ("external", "internal") and len(sel.args) == 1:
        external, sel = sel.fn == "external", sel.args[0]
    if not (isinstance(sel, Call) and sel.fn == "all_of_class" and isinstance(sel.args[0], Text)):
        return None
    chk = rule.check
    if not (isinstance(chk, Call) and chk.fn in _BOUNDS and all(isinstance(a, Const) for a in chk.args[1:])):
        return None
    look = chk.args[0]
    if not (isinstance(look, Call) and look.args and isinstance(look.args[0], Var)):
        return None
    texts = [a.value for a in look.args[1:] if isinstance(a, Text)]
    if look.fn in _SHORTHAND and not texts:
        kind, pset, name = "attribute", "", _SHORTHAND[look.fn]
    elif look.fn in _LOOKUPS and look.fn.startswith("attribute") and len(texts) == 1:
        kind, pset, name = "attribute", "", texts[0]
    elif look.fn in _LOOKUPS and len(texts) == 2:
        kind, pset, name = "property", texts[0], texts[1]
    else:
        return None
    bounds = tuple((b, c.si.value) for b, c in zip(_BOUNDS[chk.fn], chk.args[1:], strict=True)
                   if isinstance(c, Const))
    return IdsSpec(rule.id, sel.args[0].value, external, kind, pset, name, bounds)


def build_ids(rules: Sequence[Rule], title: str = "rulecheck export") -> tuple[Any, list[IdsSpec]]:
    """An ifctester `Ids` holding one specification per expressible rule."""
    ids = require("ifctester.ids", "rules")
    doc = ids.Ids(title=title)
    specs: list[IdsSpec] = []
    for rule in rules:
        spec = expressible(rule)
        if spec is None:
            continue
        specs.append(spec)
        s = ids.Specification(name=rule.id, ifcVersion=["IFC2X3", "IFC4", "IFC4X3_ADD2"],
                              description=rule.clause[:500], identifier=rule.id)
        s.applicability.append(ids.Entity(name=spec.entity.upper()))
        if spec.external is not None:
            s.applicability.append(ids.Property(
                propertySet=f"Pset_{spec.entity[3:]}Common", baseName="IsExternal",
                value="TRUE" if spec.external else "FALSE"))
        value = ids.Restriction(options=dict(spec.bounds), base="double")
        if spec.kind == "attribute":
            s.requirements.append(ids.Attribute(name=spec.name, value=value))
        else:
            s.requirements.append(ids.Property(propertySet=spec.pset, baseName=spec.name, value=value))
        doc.specifications.append(s)
    return doc, specs


def export(rules: Sequence[Rule], path: str | Path) -> list[IdsSpec]:
    """Write the expressible rules to an ``.ids`` file; return what was exported.

    With no expressible rule nothing is written (an IDS document needs one specification;
    ifctester's schema validation would fail on an empty one) and ``[]`` is returned.
    """
    doc, specs = build_ids(rules)
    if specs:
        doc.to_xml(str(path))
    return specs


@dataclass(frozen=True)
class Agreement:
    """One element of one IDS-expressible rule: our verdict next to ifctester's."""

    rule: str
    guid: str
    ours: str
    ifctester: str

    @property
    def agree(self) -> bool:
        return (self.ours == PASS) == (self.ifctester == "pass")


def cross_check(model: Model, rules: Sequence[Rule]) -> list[Agreement]:
    """Run ifctester on the exported specifications and pair its results with `check`'s."""
    doc, specs = build_ids(rules)
    doc.validate(model.file)
    by_id = {r.id: r for r in rules}
    out: list[Agreement] = []
    for spec, s in zip(specs, doc.specifications, strict=True):
        passed = {e.GlobalId for e in s.passed_entities}
        failed = {e.GlobalId for e in s.failed_entities}
        ours: dict[str, Verdict] = {v.guid: v for v in check_rule(model, by_id[spec.rule]) if v.guid}
        for guid in sorted(passed | failed | set(ours)):
            theirs = "pass" if guid in passed else "fail" if guid in failed else "not applicable"
            mine = ours[guid].status if guid in ours else "not applicable"
            out.append(Agreement(spec.rule, guid, mine, theirs))
    return out
