"""A rule as a typed expression tree over catalogue functions.

Grammar (parsed with lark, never ``eval``)::

    expr     := NAME "(" [expr ("," expr)*] ")"     a call of a catalogue function
              | NUMBER [UNIT]                       a constant: 775 mm, 8.5 m2, 25 %, 42 deg, 36 in, 20 ft2
              | "1:" NUMBER                         a ratio (slope): 1:12
              | STRING                              "IfcDoor"
              | "x"                                 the element being checked

A `Rule` says which elements it applies to (``applies_to``, an ``Elements`` expression), an
optional precondition (``when``, ``Bool`` over ``x``) and the ``check`` (``Bool`` over ``x``).

Invariants: nodes are frozen dataclasses; ``parse_expr(str(e)) == e``; ``eval(repr(e)) == e``;
``Rule.from_json(r.to_json()) == r``; every rule built by `Rule.from_json` type-checks.

>>> e = parse_expr('at_least(door_clear_width(x), 775 mm)')
>>> str(e)
'at_least(door_clear_width(x), 775 mm)'
>>> typecheck(e)
'Bool'
>>> Const(775, "mm").si
Measure(value=0.775, unit='m', note='')
>>> eval(repr(e)) == e
True
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rulecheck.errors import RuleError, RuleSyntaxError, RuleTypeError
from rulecheck.functions import CATALOGUE
from rulecheck.functions.registry import NUMERIC
from rulecheck.ifc import Measure, check_ifc_class
from rulecheck.units import unit_info

GRAMMAR = r"""
?start: expr
?expr: call | const | text | var
call: NAME "(" [expr ("," expr)*] ")"
const: NUMBER UNIT? | RATIO
text: ESCAPED_STRING
var: "x"
UNIT.2: /%|[A-Za-z][A-Za-z0-9_]*/
RATIO.3: /1\s*:\s*\d+(\.\d+)?/
NAME: /(?!x\b)[a-z_][a-z0-9_]*/
NUMBER: /-?\d+(\.\d+)?/
%import common.ESCAPED_STRING
%import common.WS
%ignore WS
"""


@dataclass(frozen=True)
class Const:
    """A number with a unit as written (``775 mm``, ``36 in``); `si` gives the `Measure` in SI.

    A ratio ``1:12`` is ``Const(12, "1:")``; its SI value is the plain number 1/12.

    >>> Const(36, "in").si.value, str(Const(12, "1:")), round(Const(12, "1:").si.value, 4)
    (0.9144, '1:12', 0.0833)
    >>> Const(3, "furlong")
    Traceback (most recent call last):
    ...
    rulecheck.errors.RuleTypeError: unknown unit 'furlong'; accepted: mm, cm, m, in, ft, yd, mm2, cm2, m2, in2, ft2, m3, ft3, %, deg, and ratios written 1:12
    """

    value: float
    unit: str = ""

    def __post_init__(self) -> None:
        unit_info(self.unit)  # raises for an unknown unit, listing the accepted ones

    @property
    def si(self) -> Measure:
        factor, _, unit = unit_info(self.unit)
        if self.unit == "1:":
            return Measure(round(1.0 / self.value, 12), unit) if self.value else Measure(float("inf"), unit)
        return Measure(round(self.value * factor, 12), unit)

    @property
    def type(self) -> str:
        return unit_info(self.unit)[1]

    def __str__(self) -> str:
        if self.unit == "1:":
            return f"1:{self.value:g}"
        return f"{self.value:g} {self.unit}".strip()


@dataclass(frozen=True)
class Text:
    """A string literal: an IFC class, a property set, a name pattern, a function name."""

    value: str

    def __str__(self) -> str:
        return json.dumps(self.value, ensure_ascii=False)


@dataclass(frozen=True)
class Var:
    """The element being checked; the only variable, written ``x``."""

    name: str = "x"

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class Call:
    """A call of a catalogue function."""

    fn: str
    args: tuple[Expr, ...] = ()

    def __str__(self) -> str:
        return f"{self.fn}({', '.join(str(a) for a in self.args)})"

    def functions(self) -> list[str]:
        """Names of the catalogue functions used, outermost first, without repeats."""
        return _functions(self)


Expr = Const | Text | Var | Call


def _functions(e: Expr) -> list[str]:
    out: list[str] = []

    def walk(n: Expr) -> None:
        if isinstance(n, Call):
            if n.fn not in out:
                out.append(n.fn)
            for a in n.args:
                walk(a)
                if isinstance(a, Text) and a.value in CATALOGUE and a.value not in out and _is_ref(n, a):
                    out.append(a.value)

    walk(e)
    return out


def _is_ref(call: Call, arg: Text) -> bool:
    fn = CATALOGUE[call.fn] if call.fn in CATALOGUE else None
    if fn is None:
        return False
    idx = call.args.index(arg)
    return idx < len(fn.params) and fn.params[idx][1] in ("Fn", "Pred")


@lru_cache(maxsize=1)
def _parser() -> Any:
    from lark import Lark

    return Lark(GRAMMAR, parser="lalr", maybe_placeholders=False)


def parse_expr(text: str, where: str = "rule") -> Expr:
    """Parse an expression; a syntax error names the offset and shows a caret.

    Raises
    ------
    RuleSyntaxError
        With ``where`` like ``"rule R1, offset 12"`` and the text with a caret under the fault.

    >>> parse_expr("at_least(x, )")
    Traceback (most recent call last):
    ...
    rulecheck.errors.RuleSyntaxError: rule, offset 12: unexpected ')'
      at_least(x, )
                  ^
    """
    from lark import Token, Tree
    from lark.exceptions import LarkError, UnexpectedInput

    try:
        tree = _parser().parse(text)
    except UnexpectedInput as exc:
        pos = getattr(exc, "pos_in_stream", None) or 0
        token = getattr(exc, "token", None)
        found = f"unexpected {str(token)!r}" if token is not None and str(token) else (
            f"unexpected character {text[pos:pos + 1]!r}" if pos < len(text) else "unexpected end")
        raise RuleSyntaxError(f"{found}\n  {text}\n  {' ' * pos}^", where=f"{where}, offset {pos}") from None
    except LarkError as exc:
        raise RuleSyntaxError(str(exc), where=where) from None

    def build(node: Any) -> Expr:
        if isinstance(node, Token):
            raise RuleSyntaxError(f"unexpected token {node!r}", where=where)
        assert isinstance(node, Tree)
        if node.data == "call":
            name, *args = node.children
            return Call(str(name), tuple(build(a) for a in args if a is not None))
        if node.data == "const" and isinstance(node.children[0], Token) and node.children[0].type == "RATIO":
            den = float(str(node.children[0]).split(":")[1])
            return Const(int(den) if den.is_integer() else den, "1:")
        if node.data == "const":
            num = float(str(node.children[0]))
            unit = str(node.children[1]) if len(node.children) > 1 else ""
            return Const(int(num) if num.is_integer() else num, unit)
        if node.data == "text":
            return Text(json.loads(str(node.children[0])))
        if node.data == "var":
            return Var()
        raise RuleSyntaxError(f"unexpected node {node.data}", where=where)

    return build(tree)


def typecheck(e: Expr, where: str = "rule", has_x: bool = True) -> str:
    """The type of an expression, checking every call against its catalogue signature.

    Generic ``Q`` parameters must all get the same numeric type; an ``Fn``/``Pred`` argument
    must be a string naming a catalogue function of one ``Element`` argument.

    Raises
    ------
    RuleTypeError
        Naming the call and the argument, e.g. ``at_least: argument 2 is Area, expected Length``.
    """
    if isinstance(e, Const):
        return e.type
    if isinstance(e, Text):
        return "String"
    if isinstance(e, Var):
        if not has_x:
            raise RuleTypeError("x is not bound here (applies_to selects elements, it has no x)", where=where)
        return "Element"
    fn = CATALOGUE[e.fn]
    if len(e.args) != len(fn.params):
        raise RuleTypeError(
            f"{e.fn} takes {len(fn.params)} argument(s) ({fn.signature}), got {len(e.args)}", where=where)
    q: str | None = None
    for i, ((pname, ptype), arg) in enumerate(zip(fn.params, e.args, strict=True), start=1):
        if ptype in ("Fn", "Pred"):
            if not isinstance(arg, Text) or arg.value not in CATALOGUE:
                raise RuleTypeError(f"{e.fn}: argument {i} ({pname}) must name a catalogue function", where=where)
            ref = CATALOGUE[arg.value]
            if [t for _, t in ref.params] != ["Element"]:
                raise RuleTypeError(f"{e.fn}: {arg.value} must take exactly one Element", where=where)
            want = "Bool" if ptype == "Pred" else "numeric"
            got = ref.returns
            if (want == "Bool" and got != "Bool") or (want == "numeric" and got not in NUMERIC):
                raise RuleTypeError(f"{e.fn}: {arg.value} returns {got}, expected {want}", where=where)
            if ptype == "Fn":
                q = _unify(q, got, e, i, where)
            continue
        got = typecheck(arg, where, has_x)
        if pname == "ifc_class" and isinstance(arg, Text):
            check_ifc_class(arg.value, f"{where}, {e.fn} argument {i}")
        if ptype == "Q":
            if got not in NUMERIC:
                raise RuleTypeError(f"{e.fn}: argument {i} ({pname}) is {got}, expected a number", where=where)
            q = _unify(q, got, e, i, where)
        elif got != ptype:
            raise RuleTypeError(f"{e.fn}: argument {i} ({pname}) is {got}, expected {ptype}", where=where)
    if fn.returns == "Q":
        return q or "Number"
    return fn.returns


def _unify(q: str | None, got: str, e: Call, i: int, where: str) -> str:
    if q is None or q == got:
        return got
    raise RuleTypeError(f"{e.fn}: argument {i} is {got} but an earlier argument is {q}", where=where)


@dataclass(frozen=True)
class Rule:
    """One checkable requirement, traced to its clause.

    Parameters
    ----------
    id:
        Short identifier, unique in a rules file.
    clause:
        The clause text as published.
    source:
        Where the clause comes from (``CODE-ACCORD 102_UK_DocM_V1_AccessAndUseOfBuildings``).
    applies_to:
        ``Elements`` expression (no ``x``): what the rule is checked on.
    check:
        ``Bool`` expression over ``x``.
    when:
        Optional ``Bool`` precondition over ``x``; elements failing it are "not applicable".
    """

    id: str
    clause: str
    source: str
    applies_to: Expr
    check: Expr
    when: Expr | None = None

    def __post_init__(self) -> None:
        where = f"rule {self.id}"
        if typecheck(self.applies_to, f"{where} applies_to", has_x=False) != "Elements":
            raise RuleTypeError("applies_to must select Elements", where=where)
        if typecheck(self.check, f"{where} check") != "Bool":
            raise RuleTypeError("check must be a yes/no (Bool) expression", where=where)
        if self.when is not None and typecheck(self.when, f"{where} when") != "Bool":
            raise RuleTypeError("when must be a yes/no (Bool) expression", where=where)

    def __str__(self) -> str:
        cond = f" when {self.when}" if self.when is not None else ""
        return f"{self.id}: for x in {self.applies_to}{cond}: {self.check}"

    def functions(self) -> list[str]:
        """Every catalogue function the rule uses."""
        out: list[str] = []
        for e in (self.applies_to, self.when, self.check):
            for f in _functions(e) if e is not None else []:
                if f not in out:
                    out.append(f)
        return out

    def to_json(self) -> dict[str, Any]:
        """A JSON object with the expressions in their text notation."""
        d: dict[str, Any] = {"id": self.id, "clause": self.clause, "source": self.source,
                             "applies_to": str(self.applies_to), "check": str(self.check)}
        if self.when is not None:
            d["when"] = str(self.when)
        return d

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Rule:
        """Parse and type-check a rule object.

        Raises
        ------
        RuleError
            A missing field, a syntax error or a type error, naming the rule id and field.
        """
        rid = str(d.get("id", "?"))
        for key in ("id", "clause", "applies_to", "check"):
            if key not in d:
                raise RuleError(f"rule has no {key!r} field", where=f"rule {rid}")
        return cls(
            id=rid,
            clause=str(d["clause"]),
            source=str(d.get("source", "")),
            applies_to=parse_expr(str(d["applies_to"]), f"rule {rid} applies_to"),
            check=parse_expr(str(d["check"]), f"rule {rid} check"),
            when=parse_expr(str(d["when"]), f"rule {rid} when") if d.get("when") else None,
        )


def load_rules(path: Any) -> list[Rule]:
    """Rules from a JSON file holding a list of rule objects (or ``{"rules": [...]}``).

    Raises
    ------
    RuleError
        Unreadable file, bad JSON (with line), duplicate ids, or any invalid rule.
    """
    from pathlib import Path

    from workbench.data import read_text

    p = Path(path)
    try:
        data = json.loads(read_text(p, RuleError))
    except json.JSONDecodeError as exc:
        raise RuleError(f"not JSON: {exc.msg}", where=f"{p}:{exc.lineno}:{exc.colno}") from exc
    items = data.get("rules") if isinstance(data, dict) else data
    if not isinstance(items, list) or not items:
        raise RuleError('no rules: expected a non-empty JSON list of rule objects (or {"rules": [...]})', where=str(p))
    rules: list[Rule] = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise RuleError(f"rule {i + 1} is a JSON {type(item).__name__}, not an object", where=str(p))
        try:
            rules.append(Rule.from_json(item))
        except RuleError as exc:
            raise RuleError(str(exc), where=str(p)) from exc
    ids = [r.id for r in rules]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise RuleError(f"duplicate rule ids: {', '.join(dupes)}", where=str(p))
    return rules
