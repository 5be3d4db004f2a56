"""Run rules on a model: one verdict per (rule, element): pass, fail or not applicable: why.

Invariants
----------
* A verdict is ``pass`` only when the check expression evaluated to True on the element.
  Any missing data, implausible unit, absent geometry, or unexpected error while evaluating
  is ``not applicable`` with the reason — never a pass.
* A rule that selects no element yields one ``not applicable`` verdict without a GUID, so no
  rule silently disappears from a report.
* The measured value is the first argument of every comparison in the check (``riser_height(x)``
  in ``at_most(riser_height(x), 190 mm)``), reported in SI with its unit and provenance notes,
  and written in the unit the rule's bound uses (``30 in (0.762 m)``, ``29.4 %``).
* A fail says by how much (``shortfall``: "0.762 m, 0.038 m below 0.800 m") and what to change
  (``remedy``); every element verdict says where the element is (``storey``, ``space``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from typing import Any

from rulecheck.errors import NotApplicable, RuleError
from rulecheck.functions import CATALOGUE
from rulecheck.functions.registry import Env
from rulecheck.ifc import Measure, Model
from rulecheck.rule import Call, Const, Expr, Rule, Text, Var
from rulecheck.units import display, display_gap

PASS, FAIL, NA = "pass", "fail", "not applicable"
COMPARISONS = {"at_least": ">=", "at_most": "<=", "greater_than": ">", "less_than": "<",
               "equal_to": "=", "between": "in"}


@dataclass(frozen=True)
class Verdict:
    """The outcome of one rule on one element.

    ``value``/``unit`` is the first measured value (SI); ``measured`` lists every compared
    value as ``"riser_height(x) = 0.194 m"``; ``why`` explains a fail or a not-applicable.
    """

    rule: str
    clause: str
    source: str
    status: str
    guid: str | None = None
    ifc_class: str = ""
    name: str = ""
    value: float | None = None
    unit: str = ""
    measured: tuple[str, ...] = ()
    why: str = ""
    notes: tuple[str, ...] = ()
    storey: str = ""
    space: str = ""
    shortfall: str = ""
    remedy: str = ""

    def __str__(self) -> str:
        what = f"{self.ifc_class} {self.name!r} {self.guid}" if self.guid else "(model)"
        extra = f" — {self.why}" if self.why else ""
        return f"[{self.rule}] {what}: {self.status}{extra}"

    def to_json(self) -> dict[str, Any]:
        """Plain JSON object."""
        d = asdict(self)
        d["measured"] = list(self.measured)
        d["notes"] = list(self.notes)
        return d


#: Connectives whose first argument can decide them: fn → (first value → result, or None to go on).
_SHORT_CIRCUIT = {"or": lambda a: True if a is True else None, "and": lambda a: False if a is False else None,
                  "implies": lambda a: True if a is False else None}


def evaluate(expr: Expr, env: Env, trace: dict[int, Any] | None = None) -> Any:
    """Evaluate an expression; values of sub-expressions are memoised in ``trace`` by node id.

    Raises
    ------
    NotApplicable
        A function cannot be evaluated (missing data, no geometry, ...).
    """
    trace = {} if trace is None else trace
    key = id(expr)
    if key in trace:
        return trace[key]
    if isinstance(expr, Const):
        value: Any = expr.si
    elif isinstance(expr, Text):
        value = expr.value
    elif isinstance(expr, Var):
        if env.x is None:
            raise RuleError("x is not bound")
        value = env.x
    elif isinstance(expr, Call) and expr.fn in _SHORT_CIRCUIT:
        # Kleene logic: or(True, ?) is True and and(False, ?) is False even when ? cannot be
        # evaluated on this element (an office door needs no habitable-room test)
        first = evaluate(expr.args[0], env, trace)
        decided = _SHORT_CIRCUIT[expr.fn](first)
        value = decided if decided is not None else CATALOGUE[expr.fn].impl(env, first, evaluate(expr.args[1], env, trace))
    else:
        assert isinstance(expr, Call)
        fn = CATALOGUE[expr.fn]
        args = [evaluate(a, env, trace) for a in expr.args]
        value = fn.impl(env, *args)
    trace[key] = value
    return value


def _comparisons(expr: Expr) -> Iterator[Call]:
    if isinstance(expr, Call):
        if expr.fn in COMPARISONS:
            yield expr
        for a in expr.args:
            yield from _comparisons(a)


def _label(el: Any) -> str:
    return str(getattr(el, "LongName", None) or getattr(el, "Name", None) or "")


def check_rule(model: Model, rule: Rule) -> list[Verdict]:
    """Verdicts of one rule on every element it applies to."""
    base: dict[str, Any] = {"rule": rule.id, "clause": rule.clause, "source": rule.source}
    try:
        elements = evaluate(rule.applies_to, Env(model))
    except NotApplicable as exc:
        return [Verdict(**base, status=NA, why=f"cannot select elements: {exc}")]
    if not elements:
        return [Verdict(**base, status=NA, why=f"no element in the model matches {rule.applies_to}")]
    return [check_element(model, rule, el) for el in elements]


def location(model: Model, element: Any) -> tuple[str, str]:
    """``(storey, space)`` names of an element; a door or window names the spaces on both sides.

    Memoised per model; never raises (a location is a help, not a verdict).
    """
    def build() -> tuple[str, str]:
        from rulecheck.functions.circulation import containing_space
        from rulecheck.functions.selection import _storey
        from rulecheck.functions.topology import spaces_of

        env = Env(model, element)
        try:
            storey = _storey(element) if not element.is_a("IfcBuildingStorey") else element
            storey_name = str(storey.Name or storey.LongName or "") if storey is not None else ""
        except Exception:  # noqa: BLE001 - odd data: no location rather than no verdict
            storey_name = ""
        try:
            if element.is_a("IfcDoor") or element.is_a("IfcWindow"):
                spaces = list(spaces_of(env, element))
            else:
                one = containing_space(env, element)
                spaces = [one] if one is not None else []
        except Exception:  # noqa: BLE001 - no geometry, no boundaries: the storey still helps
            spaces = []
        names = [" ".join(p for p in (s.Name, s.LongName) if p) for s in spaces]
        return storey_name, " / ".join(n for n in names if n)

    if not hasattr(element, "GlobalId"):
        return "", ""
    return model.memo(("location", element.id()), build)


def _written_unit(e: Expr) -> str:
    return e.unit if isinstance(e, Const) else ""


def _shortfall(cmp: Call, trace: dict[int, Any]) -> tuple[str, str] | None:
    """For a comparison that came out false: ("0.762 m, 0.038 m below 0.800 m", "increase ...")."""
    vals = [v for a in cmp.args if isinstance(v := trace.get(id(a)), Measure)]
    if len(vals) != len(cmp.args):
        return None
    a, bounds = vals[0], vals[1:]
    like = next((_written_unit(x) for x in cmp.args[1:] if isinstance(x, Const)), "")
    what = "value"
    if isinstance(cmp.args[0], Call):
        names = [t.value for t in cmp.args[0].args if isinstance(t, Text)]
        what = names[-1] if names and cmp.args[0].fn.split("_")[0] in ("attribute", "property", "quantity") \
            else cmp.args[0].fn.replace("_", " ")
    lo = bounds[0] if cmp.fn in ("at_least", "greater_than", "between") else None
    hi = bounds[-1] if cmp.fn in ("at_most", "less_than", "between") else None
    if cmp.fn == "equal_to":
        gap = a.value - bounds[0].value
        return (f"{display(a.value, a.unit, like)}, {display_gap(abs(gap), a.unit, like)} "
                f"{'above' if gap > 0 else 'below'} the required {display(bounds[0].value, a.unit, like)}",
                f"make the {what} equal to {display(bounds[0].value, a.unit, like)}")
    if lo is not None and a.value < lo.value + (1e-9 if cmp.fn == "greater_than" else 0):
        gap = lo.value - a.value
        return (f"{display(a.value, a.unit, like)}, {display_gap(gap, a.unit, like)} below "
                f"{display(lo.value, a.unit, like)}",
                f"increase the {what} by at least {display_gap(gap, a.unit, like)}")
    if hi is not None and a.value > hi.value - (1e-9 if cmp.fn == "less_than" else 0):
        gap = a.value - hi.value
        return (f"{display(a.value, a.unit, like)}, {display_gap(gap, a.unit, like)} above "
                f"{display(hi.value, a.unit, like)}",
                f"reduce the {what} by at least {display_gap(gap, a.unit, like)}")
    return None


def check_element(model: Model, rule: Rule, element: Any) -> Verdict:
    """The verdict of one rule on one element (never raises for bad model data)."""
    storey, space = location(model, element)
    base: dict[str, Any] = {"rule": rule.id, "clause": rule.clause, "source": rule.source,
            "guid": getattr(element, "GlobalId", None), "ifc_class": element.is_a(),
            "name": _label(element), "storey": storey, "space": space}
    env = Env(model, element)
    try:
        if rule.when is not None and not evaluate(rule.when, env):
            return Verdict(**base, status=NA, why=f"precondition {rule.when} is false")
        trace: dict[int, Any] = {}
        ok = evaluate(rule.check, env, trace)
    except NotApplicable as exc:
        return Verdict(**base, status=NA, why=str(exc))
    except Exception as exc:  # a bug or odd data must not turn into a pass or stop the batch
        return Verdict(**base, status=NA, why=f"evaluation error: {type(exc).__name__}: {exc}")
    measured: list[str] = []
    notes: list[str] = []
    first: Measure | None = None
    shortfall = remedy = ""
    for cmp in _comparisons(rule.check):
        lhs = trace.get(id(cmp.args[0]))
        if isinstance(lhs, Measure):
            first = first or lhs
            bounds = ", ".join(str(a) for a in cmp.args[1:])
            like = next((_written_unit(a) for a in cmp.args[1:] if isinstance(a, Const)), "")
            measured.append(f"{cmp.args[0]} = {display(lhs.value, lhs.unit, like)} ({COMPARISONS[cmp.fn]} {bounds})")
            if lhs.note and lhs.note not in notes:
                notes.append(lhs.note)
            if not ok and not shortfall and trace.get(id(cmp)) is False:
                found = _shortfall(cmp, trace)
                if found:
                    shortfall, remedy = found
    status = PASS if ok is True else FAIL
    why = "" if ok else "requires " + str(rule.check)
    return Verdict(**base, status=status, value=first.value if first else None,
                   unit=first.unit if first else "", measured=tuple(measured), why=why,
                   notes=tuple(notes), shortfall=shortfall, remedy=remedy)


def check_model(model: Model, rules: Iterable[Rule]) -> list[Verdict]:
    """All verdicts of all rules, in rule order; saves the geometry cache afterwards."""
    out: list[Verdict] = []
    for rule in rules:
        out.extend(check_rule(model, rule))
    model.save_geometry_cache()
    return out


def summary(verdicts: Iterable[Verdict]) -> dict[str, dict[str, int]]:
    """Counts per rule: ``{rule: {"pass": n, "fail": n, "not applicable": n}}``."""
    out: dict[str, dict[str, int]] = {}
    for v in verdicts:
        row = out.setdefault(v.rule, {PASS: 0, FAIL: 0, NA: 0})
        row[v.status] += 1
    return out
