"""A GBNF grammar generated from the catalogue, so a constrained LLM can only write typed rules.

One nonterminal per (type, whether ``x`` is in scope): ``bool-x`` is a yes/no expression over
the element, ``els`` an element set without ``x`` (for *Applies to*), ``len-x`` a length ...
Each alternative is a catalogue function whose parameters are the nonterminals of their types;
generic ``Q`` functions (``at_least``, ``plus``, ``min_of`` ...) are expanded once per numeric
type so both sides of a comparison have the same type; ``Fn``/``Pred`` arguments are the quoted
names of the functions that fit; an ``ifc_class`` argument is a quoted IFC class name from
`IFC_CLASSES`; constants carry the units of their type. So whatever is decoded parses with
`rule.parse_expr` and type-checks — no invented function, no wrong arity, no unit mismatch.

The completion format is three lines::

    Applies to: <els>
    When: <bool-x> | none
    Check: <bool-x>

>>> g = catalogue_grammar()
>>> "door_clear_width" in g and 'root ::=' in g
True
"""

from __future__ import annotations

from functools import lru_cache

from rulecheck.functions import CATALOGUE
from rulecheck.functions.registry import NUMERIC
from rulecheck.units import SYMBOLS

#: IFC classes a constrained rule may select (the building elements codes talk about).
IFC_CLASSES = ("IfcDoor", "IfcWindow", "IfcSpace", "IfcStair", "IfcStairFlight", "IfcRamp", "IfcRampFlight",
               "IfcRailing", "IfcWall", "IfcSlab", "IfcRoof", "IfcColumn", "IfcBeam", "IfcCovering",
               "IfcSanitaryTerminal", "IfcTransportElement", "IfcBuildingStorey", "IfcBuilding", "IfcFurniture",
               "IfcOpeningElement", "IfcMember", "IfcPlate", "IfcFooting", "IfcBuildingElementProxy")

_SHORT = {"Bool": "bool", "Elements": "els", "Element": "el", "Length": "len", "Area": "area", "Volume": "vol",
          "Number": "num", "String": "str"}


def _nt(t: str, x: bool) -> str:
    return _SHORT[t] + ("-x" if x else "")


def _units(t: str) -> list[str]:
    return [u for u, (_, kind, _) in SYMBOLS.items() if kind == t and u not in ("", "1:")]


def _arg(fn: str, pname: str, ptype: str, q: str | None, x: bool) -> str | None:
    if ptype == "Q":
        return _nt(q, x) if q else None
    if ptype in ("Fn", "Pred"):
        want = "Bool" if ptype == "Pred" else q
        names = [f.name for f in CATALOGUE if [t for _, t in f.params] == ["Element"] and f.returns == want]
        return "(" + " | ".join(f'"\\"{n}\\""' for n in names) + ")" if names else None
    if ptype == "String":
        return "ifcclass" if pname == "ifc_class" else "text"
    if ptype == "Element":
        return '"x"' if x else None
    return _nt(ptype, x)


def _alternatives(t: str, x: bool) -> list[str]:
    out: list[str] = []
    for fn in CATALOGUE:
        types = [p for _, p in fn.params]
        generic = fn.returns == "Q" or "Q" in types or "Fn" in types
        for q in (NUMERIC if generic else (None,)):
            ret = q if fn.returns == "Q" else fn.returns
            if ret != t:
                continue
            args = [_arg(fn.name, n, p, q, x) for n, p in fn.params]
            if any(a is None for a in args):
                continue
            inner = ' ", " '.join(args)  # type: ignore[arg-type]
            out.append(f'"{fn.name}(" {inner} ")"' if args else f'"{fn.name}()"')
    return out


@lru_cache(maxsize=1)
def catalogue_grammar() -> str:
    """The GBNF grammar of the three-line rule completion, generated from the catalogue."""
    lines = ['root ::= "Applies to: " els "\\nWhen: " (bool-x | "none") "\\nCheck: " bool-x "\\n"']
    for x in (False, True):
        for t in ("Bool", "Elements", "Length", "Area", "Volume", "Number"):
            alts = _alternatives(t, x)
            if t in NUMERIC:
                alts.append(f"const-{_SHORT[t]}")
            if alts:
                lines.append(f"{_nt(t, x)} ::= " + " | ".join(alts))
            else:
                lines.append(f'{_nt(t, x)} ::= "none()"')  # never reached: no function of that type
    for t in NUMERIC:
        units = _units(t)
        extra = ' | "1:" digits' if t == "Number" else ""
        unit_alt = ' (" " (' + " | ".join(f'"{u}"' for u in units) + "))" if units else ""
        opt = "?" if t == "Number" else ""
        lines.append(f"const-{_SHORT[t]} ::= number{unit_alt}{opt}{extra}")
    lines += [
        'number ::= digits ("." digits)?',
        "digits ::= [0-9] [0-9]? [0-9]? [0-9]? [0-9]?",
        "ifcclass ::= " + " | ".join(f'"\\"{c}\\""' for c in IFC_CLASSES),
        'text ::= "\\"" [a-zA-Z0-9 |_.-]{1,40} "\\""',
    ]
    return "\n".join(lines) + "\n"
