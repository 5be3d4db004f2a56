"""Run rules on a model: one verdict per (rule, element): pass, fail or not applicable: why.

Invariants
----------
* A verdict is ``pass`` only when the check expression evaluated to True on the element.
  Any missing data, implausible unit, absent geometry, or unexpected error while evaluating
  is ``not applicable`` with the reason — never a pass.
* A rule that selects no element yields one ``not applicable`` verdict without a GUID, so no
  rule silently disappears from a report.
* The measured value is the first argument of every comparison in the check (``riser_height(x)``
  in ``at_most(riser_height(x), 190 mm)``), reported in SI with its unit and provenance notes.
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


def check_element(model: Model, rule: Rule, element: Any) -> Verdict:
    """The verdict of one rule on one element (never raises for bad model data)."""
    base: dict[str, Any] = {"rule": rule.id, "clause": rule.clause, "source": rule.source,
            "guid": getattr(element, "GlobalId", None), "ifc_class": element.is_a(),
            "name": _label(element)}
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
    for cmp in _comparisons(rule.check):
        lhs = trace.get(id(cmp.args[0]))
        if isinstance(lhs, Measure):
            first = first or lhs
            bounds = ", ".join(str(a) for a in cmp.args[1:])
            measured.append(f"{cmp.args[0]} = {lhs} ({COMPARISONS[cmp.fn]} {bounds})")
            if lhs.note and lhs.note not in notes:
                notes.append(lhs.note)
    status = PASS if ok is True else FAIL
    why = "" if ok else "requires " + str(rule.check)
    return Verdict(**base, status=status, value=first.value if first else None,
                   unit=first.unit if first else "", measured=tuple(measured), why=why,
                   notes=tuple(notes))


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
