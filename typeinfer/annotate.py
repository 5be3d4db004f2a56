"""Insert inferred annotations into source text.

Each answered, annotatable target becomes one edit at its ``insertAt`` position (``: T``); a
bare arrow parameter ``x => ..`` gets parentheses (``(x: T) => ..``). Edits are applied from the
end of the text backwards, so earlier positions stay valid.

>>> from typeinfer.infer import analyse
>>> a = analyse("function area(w, h = 2) { const k = 'cm'; return w * h; }\\narea(3);", "a.ts")
>>> print(annotate(a.text, a.inferences.values()))
function area(w: number, h: number = 2): number { const k: string = 'cm'; return w * h; }
area(3);
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

from typeinfer.combine import Inference


@dataclass(frozen=True, slots=True)
class Edit:
    """Insert ``text`` at a 1-based line and 0-based code-point column."""

    line: int
    col: int
    text: str


@functools.lru_cache(maxsize=4096)
def writable(t: str) -> bool:
    """Whether ``t`` can be written as an annotation: one line that parses as a TypeScript type.

    A type copied from elsewhere may hold a comment or a line break that would break the
    file (and a file with a syntax error hides every other tsc error).

    >>> writable("Map<string, number[]>"), writable("{ a: 1 // note\\n }"), writable("'unterminated")
    (True, False, False)
    """
    from typeinfer.cpg import _parser

    if "\n" in t or "//" in t or "/*" in t:
        return False
    return not _parser("typescript").parse(f"let __x: {t};".encode()).root_node.has_error


def edits_for(inf: Inference) -> tuple[Edit, ...]:
    """The text edits that write one inference into the source (none when it abstained)."""
    if inf.writes is not None:
        return inf.writes
    t = inf.target
    if inf.type is None or not t.annotatable or t.insertAt is None or not writable(inf.type):
        return ()
    if t.wrapFrom is not None:
        return (Edit(*t.wrapFrom, "("), Edit(*t.insertAt, f": {inf.type})"))
    return (Edit(*t.insertAt, f": {inf.type}"),)


#: Default confidence below which `annotate` leaves a target alone: written annotations must
#: not make the code worse under ``tsc --noEmit`` (hints in the editor show all answers).
WRITE_CONFIDENCE = 0.75


def annotate(text: str, inferences: Iterable[Inference], min_confidence: float = 0.0) -> str:
    """``text`` with every answered annotatable inference of at least ``min_confidence`` written in."""
    starts = [0]
    for i, ch in enumerate(text):
        if ch == "\n":
            starts.append(i + 1)
    edits = [e for inf in inferences if inf.confidence >= min_confidence for e in edits_for(inf)]
    offsets = sorted(((starts[e.line - 1] + e.col, i, e.text) for i, e in enumerate(edits)
                      if 0 < e.line <= len(starts)), reverse=True)
    out = text
    for off, _, ins in offsets:
        out = out[:off] + ins + out[off:]
    return out


_STRIP_OWNERS = frozenset({"required_parameter", "optional_parameter", "variable_declarator",
                           "public_field_definition"})


def strip_annotations(text: str, path: str = "<memory>.ts") -> str:
    """``text`` without the annotations `annotate` could write back (the evaluation's input).

    Removed: types of parameters, variables and class fields, and return types of functions
    with a body. Kept: interfaces, type aliases, overload and ``declare`` signatures, casts,
    type parameters (they are part of the program, not of the annotations we infer).

    >>> strip_annotations("function f(a: number, b?: Foo<T>): string { const x: T[] = []; return ''; }")
    "function f(a, b?) { const x = []; return ''; }"
    >>> strip_annotations("function g(cb: (n: number, s: string) => void, k = 1) {}")
    'function g(cb, k = 1) {}'
    """
    from typeinfer.cpg import METHOD_KINDS, _parser, dialect_of

    data = text.encode("utf-8", "surrogatepass")
    tree = _parser(dialect_of(path)).parse(data)
    cuts: list[tuple[int, int]] = []
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        kind = node.type
        if kind in ("interface_declaration", "type_alias_declaration", "ambient_declaration",
                    "function_signature", "method_signature", "abstract_method_signature"):
            continue
        if kind in _STRIP_OWNERS:
            t = node.child_by_field_name("type")
            if t is not None and t.type == "type_annotation":
                cuts.append((t.start_byte, t.end_byte))
        elif kind in METHOD_KINDS and node.child_by_field_name("body") is not None:
            r = node.child_by_field_name("return_type")
            if r is not None and r.type == "type_annotation":
                cuts.append((r.start_byte, r.end_byte))
        stack.extend(node.named_children)
    outer: list[tuple[int, int]] = []  # a function type's own parameters are inside its cut
    for a, b in sorted(cuts):
        if outer and a < outer[-1][1]:
            continue
        outer.append((a, b))
    out = bytearray(data)
    for a, b in reversed(outer):
        while a > 0 and out[a - 1:a] in (b" ", b"\t"):
            a -= 1
        del out[a:b]
    return out.decode("utf-8", "replace")
