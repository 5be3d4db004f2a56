"""Usage slices in Joern's ``ProgramUsageSlice`` JSON shape, extracted from a `Cpg`.

A usage slice says, for one object (a parameter, a local, a field, a method's return value),
how it is defined (``definedBy``), which calls and field reads it receives (``invokedCalls``)
and which calls it is passed to (``argToCalls``). JoernTI types objects from these slices; so
do our predictors. The JSON keys are Joern's (``objectSlices`` → ``slices`` of
``{targetObj, definedBy, invokedCalls, argToCalls}``, plus ``userDefinedTypes``); we add a few
optional keys to ``targetObj`` (``insertAt``, ``wrapFrom``, ``annotatable``) that Joern ignores
and that say where an annotation goes.

Conventions, as Joern's: ``typeFullName`` is ``"ANY"`` when unknown; operators are named
``<operator>.fieldAccess``, ``<operator>.addition``, ...; ``lineNumber`` is 1-based and
``columnNumber`` 0-based (code points), as `workbench.span.Span`.

>>> from typeinfer.cpg import build_cpg
>>> p = slice_program(build_cpg("function f(s) { return s.trim().length; }", "a.ts"))
>>> sl = p.method("f").slice("s")
>>> print(sl)
s = ? | calls trim()
>>> ProgramUsageSlice.from_json(p.to_json()) == p
True
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields, replace
from typing import Any

from typeinfer.cpg import CLASS_KINDS, FIELD_KINDS, METHOD_KINDS, Cpg, accessor
from typeinfer.errors import SliceFormatError

ANY = "ANY"

#: Joern's operator names for the JavaScript operators a slice records.
OPERATORS = {
    "+": "<operator>.addition", "-": "<operator>.subtraction", "*": "<operator>.multiplication",
    "/": "<operator>.division", "%": "<operator>.modulo", "**": "<operator>.exponentiation",
    "<": "<operator>.lessThan", "<=": "<operator>.lessEqualsThan", ">": "<operator>.greaterThan",
    ">=": "<operator>.greaterEqualsThan", "==": "<operator>.equals", "===": "<operator>.equals",
    "!=": "<operator>.notEquals", "!==": "<operator>.notEquals", "&&": "<operator>.logicalAnd",
    "||": "<operator>.logicalOr", "??": "<operator>.nullishCoalescing",
    "!": "<operator>.logicalNot", "typeof": "<operator>.typeOf", "instanceof": "<operator>.instanceOf",
    "in": "<operator>.in", "&": "<operator>.and", "|": "<operator>.or", "^": "<operator>.xor",
    "<<": "<operator>.shiftLeft", ">>": "<operator>.arithmeticShiftRight",
    ">>>": "<operator>.logicalShiftRight", "~": "<operator>.not", "void": "<operator>.void",
    "delete": "<operator>.delete",
}
FIELD_ACCESS = "<operator>.fieldAccess"
INDEX_ACCESS = "<operator>.indexAccess"
ASSIGNMENT = "<operator>.assignment"

_LITERALS = {"string": "string", "template_string": "string", "number": "number", "true": "boolean",
             "false": "boolean", "regex": "RegExp", "null": "null", "undefined": "undefined"}


def _drop_none(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None}


@dataclass(frozen=True, slots=True)
class DefComponent:
    """An object or a definition: Joern's ``DefComponent`` (targets and ``definedBy``)."""

    name: str
    typeFullName: str = ANY
    label: str = "LOCAL"
    lineNumber: int | None = None
    columnNumber: int | None = None
    #: For calls and field reads in ``definedBy``: the callee as written (``Math.floor``).
    resolvedMethod: str | None = None
    #: Where ``: T`` goes (1-based line, 0-based code-point column); targets only.
    insertAt: tuple[int, int] | None = None
    #: For a bare arrow parameter ``x => ..``: where ``(`` goes before ``x: T)``.
    wrapFrom: tuple[int, int] | None = None
    annotatable: bool = False

    def __str__(self) -> str:
        return self.name if self.typeFullName == ANY else f"{self.name}: {self.typeFullName}"

    def to_json(self) -> dict[str, Any]:
        d = {f.name: getattr(self, f.name) for f in fields(self)}
        for k in ("insertAt", "wrapFrom"):
            d[k] = list(d[k]) if d[k] is not None else None
        if not self.annotatable:
            d.pop("annotatable")
        return _drop_none(d)

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> DefComponent:
        d = dict(d)
        for k in ("insertAt", "wrapFrom"):
            if d.get(k) is not None:
                d[k] = tuple(d[k])
        return cls(**{f.name: d[f.name] for f in fields(cls) if f.name in d})


@dataclass(frozen=True, slots=True)
class ObservedCall:
    """A call (or field read, or operator) the object receives or is passed to.

    ``position`` is set for ``argToCalls`` (0-based argument index; ``"receiver"`` is unused).
    """

    callName: str
    resolvedMethod: str | None = None
    paramTypes: tuple[str, ...] = ()
    returnType: str = ANY
    position: int | str | None = None
    lineNumber: int | None = None
    columnNumber: int | None = None

    def __str__(self) -> str:
        if self.resolvedMethod == FIELD_ACCESS:
            return f".{self.callName}"
        pos = f"@{self.position}" if self.position is not None else ""
        return f"{self.callName}(){pos}"

    def to_json(self) -> dict[str, Any]:
        d = {f.name: getattr(self, f.name) for f in fields(self)}
        d["paramTypes"] = list(self.paramTypes)
        return _drop_none(d)

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> ObservedCall:
        d = dict(d)
        d["paramTypes"] = tuple(d.get("paramTypes", ()))
        return cls(**{f.name: d[f.name] for f in fields(cls) if f.name in d})


@dataclass(frozen=True, slots=True)
class ObjectUsageSlice:
    """Joern's ``ObjectUsageSlice``: one object and everything the method does with it."""

    targetObj: DefComponent
    definedBy: DefComponent | None = None
    invokedCalls: tuple[ObservedCall, ...] = ()
    argToCalls: tuple[ObservedCall, ...] = ()

    def __str__(self) -> str:
        parts = [f"{self.targetObj} = {self.definedBy.name if self.definedBy else '?'}"]
        if self.invokedCalls:
            parts.append("calls " + ", ".join(str(c) for c in self.invokedCalls))
        if self.argToCalls:
            parts.append("arg of " + ", ".join(str(c) for c in self.argToCalls))
        return " | ".join(parts)

    def to_json(self) -> dict[str, Any]:
        return {"targetObj": self.targetObj.to_json(),
                "definedBy": self.definedBy.to_json() if self.definedBy else None,
                "invokedCalls": [c.to_json() for c in self.invokedCalls],
                "argToCalls": [c.to_json() for c in self.argToCalls]}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> ObjectUsageSlice:
        return cls(DefComponent.from_json(d["targetObj"]),
                   DefComponent.from_json(d["definedBy"]) if d.get("definedBy") else None,
                   tuple(ObservedCall.from_json(c) for c in d.get("invokedCalls", ())),
                   tuple(ObservedCall.from_json(c) for c in d.get("argToCalls", ())))


@dataclass(frozen=True, slots=True)
class MethodUsageSlice:
    """Joern's ``MethodUsageSlice``: the slices of one method."""

    code: str
    fullName: str
    fileName: str
    slices: tuple[ObjectUsageSlice, ...] = ()
    lineNumber: int | None = None
    columnNumber: int | None = None
    #: Type parameters in scope (``<T>``), a hint for predictors; not in Joern's shape.
    typeParameters: tuple[str, ...] = ()

    def slice(self, name: str, label: str | None = None) -> ObjectUsageSlice:
        """The slice of the object called ``name`` (optionally with a given label)."""
        for s in self.slices:
            if s.targetObj.name == name and (label is None or s.targetObj.label == label):
                return s
        raise KeyError(f"{self.fullName} has no slice for {name!r}")

    def to_json(self) -> dict[str, Any]:
        return _drop_none({"code": self.code, "fullName": self.fullName, "fileName": self.fileName,
                           "slices": [s.to_json() for s in self.slices],
                           "lineNumber": self.lineNumber, "columnNumber": self.columnNumber,
                           "typeParameters": list(self.typeParameters) or None})

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> MethodUsageSlice:
        return cls(d.get("code", ""), d["fullName"], d.get("fileName", ""),
                   tuple(ObjectUsageSlice.from_json(s) for s in d.get("slices", ())),
                   d.get("lineNumber"), d.get("columnNumber"), tuple(d.get("typeParameters", ())))


@dataclass(frozen=True, slots=True)
class UserDefinedType:
    """Joern's ``UserDefinedType``: a class or interface with its fields and procedures."""

    name: str
    fields: tuple[DefComponent, ...] = ()
    procedures: tuple[ObservedCall, ...] = ()
    fileName: str = ""
    lineNumber: int | None = None
    columnNumber: int | None = None
    #: Names in ``extends``/``implements`` (not in Joern's shape): members may come from them.
    bases: tuple[str, ...] = ()
    _members: frozenset[str] | None = field(default=None, init=False, repr=False, compare=False)

    def members(self) -> frozenset[str]:
        """Names of its fields and procedures (computed once: the predictors ask thousands of times)."""
        got = self._members
        if got is None:
            got = frozenset([f.name for f in self.fields] + [p.callName for p in self.procedures])
            object.__setattr__(self, "_members", got)
        return got

    def to_json(self) -> dict[str, Any]:
        return _drop_none({"name": self.name, "fields": [f.to_json() for f in self.fields],
                           "procedures": [p.to_json() for p in self.procedures],
                           "fileName": self.fileName, "lineNumber": self.lineNumber,
                           "columnNumber": self.columnNumber, "bases": list(self.bases) or None})

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> UserDefinedType:
        return cls(d["name"], tuple(DefComponent.from_json(f) for f in d.get("fields", ())),
                   tuple(ObservedCall.from_json(p) for p in d.get("procedures", ())),
                   d.get("fileName", ""), d.get("lineNumber"), d.get("columnNumber"),
                   tuple(d.get("bases", ())))


@dataclass(frozen=True, slots=True)
class ProgramUsageSlice:
    """Joern's ``ProgramUsageSlice``: every method's slices plus the user-defined types."""

    objectSlices: tuple[MethodUsageSlice, ...] = ()
    userDefinedTypes: tuple[UserDefinedType, ...] = ()

    def method(self, full_name: str) -> MethodUsageSlice:
        """The method slice with this full name."""
        for m in self.objectSlices:
            if m.fullName == full_name:
                return m
        raise KeyError(f"no method {full_name!r} in the program slice")

    def targets(self) -> Iterator[tuple[MethodUsageSlice, ObjectUsageSlice]]:
        """Every (method, object slice) pair."""
        for m in self.objectSlices:
            for s in m.slices:
                yield m, s

    def to_json(self) -> dict[str, Any]:
        return {"objectSlices": [m.to_json() for m in self.objectSlices],
                "userDefinedTypes": [t.to_json() for t in self.userDefinedTypes]}

    @classmethod
    def from_json(cls, d: dict[str, Any] | str) -> ProgramUsageSlice:
        """Read the JSON shape (a dict or a JSON string).

        Raises
        ------
        SliceFormatError
            If a required key is missing or has the wrong type.
        """
        try:
            d = json.loads(d) if isinstance(d, str) else d
            return cls(tuple(MethodUsageSlice.from_json(m) for m in d.get("objectSlices", ())),
                       tuple(UserDefinedType.from_json(t) for t in d.get("userDefinedTypes", ())))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise SliceFormatError(f"not a ProgramUsageSlice document: {exc!r}") from exc

    def merge(self, other: ProgramUsageSlice) -> ProgramUsageSlice:
        """Both programs' slices (for a project: one `ProgramUsageSlice` per file, merged)."""
        return ProgramUsageSlice(self.objectSlices + other.objectSlices,
                                 self.userDefinedTypes + other.userDefinedTypes)


# -- extraction ---------------------------------------------------------------------------------

def annotation_of(node: Any) -> str | None:
    """The text of a node's type annotation (``x: Foo`` → ``Foo``), if it has one."""
    t = node.child_by_field_name("type") or node.child_by_field_name("return_type")
    if t is None:
        return None
    text = t.text.decode("utf-8", "replace").lstrip()
    if text.startswith(":"):
        text = text[1:]
    return " ".join(text.split()) or None


@dataclass
class _Slicer:
    cpg: Cpg
    members: dict[int, list[int]] = field(default_factory=dict)  # class id → `this.x` uses
    #: (line, column) of a byte offset: the CPG's own method, bound once (slices ask thousands).
    pos: Callable[[int], tuple[int, int]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.pos = self.cpg._point

    def text(self, node: Any, limit: int = 200) -> str:
        start, end = node.start_byte, node.end_byte
        return self.cpg._data[start:min(end, start + limit)].decode("utf-8", "replace")

    def describe(self, node: Any | None) -> DefComponent | None:
        """An expression as a ``definedBy`` component (label says what kind of expression)."""
        while node is not None and node.type in ("parenthesized_expression", "non_null_expression"):
            node = node.named_children[0] if node.named_child_count else None
        if node is None:
            return None
        line, col = self.pos(node.start_byte)
        kind = node.type
        mk = lambda name, t=ANY, label="OTHER", res=None: DefComponent(  # noqa: E731
            name, t, label, line, col, res)
        if kind in _LITERALS:
            text = self.text(node, 40)
            big = kind == "number" and text.endswith("n") and not text.startswith("0x")
            return mk(text, "bigint" if big else _LITERALS[kind], "LITERAL")
        if kind == "identifier" and self.text(node) == "undefined":
            return mk("undefined", "undefined", "LITERAL")
        if kind in ("as_expression", "satisfies_expression", "type_assertion"):
            typ = node.named_children[-1] if kind != "type_assertion" else node.named_children[0]
            inner = self.describe(node.named_children[0 if kind != "type_assertion" else -1])
            t = " ".join(self.text(typ).split())
            if kind == "satisfies_expression" and inner is not None:
                return inner
            return mk(inner.name if inner else "", t, "CAST")
        if kind == "new_expression":
            ctor = node.child_by_field_name("constructor")
            targs = node.child_by_field_name("type_arguments")
            name = self.text(ctor) if ctor else ""
            t = name + ("".join(self.text(targs).split()) if targs is not None else "")
            return mk(name, t, "NEW", name)
        if kind == "call_expression":
            fn = node.child_by_field_name("function")
            if fn is None:
                return None
            callee = fn.child_by_field_name("property") if fn.type == "member_expression" else fn
            return mk(self.text(callee) if callee else self.text(fn), ANY, "CALL", self.text(fn))
        if kind == "await_expression":
            inner = self.describe(node.named_children[0]) if node.named_child_count else None
            if inner is None:
                return None
            return replace(inner, label="AWAIT_" + inner.label)
        if kind == "identifier":
            return mk(self.text(node), ANY, "IDENTIFIER")
        if kind == "this":
            return mk("this", ANY, "IDENTIFIER")
        if kind == "member_expression":
            prop = node.child_by_field_name("property")
            return mk(self.text(prop) if prop else "", ANY, "FIELD", self.text(node))
        if kind == "array":
            elems = [self.describe(c) for c in node.named_children]
            ts = {e.typeFullName for e in elems if e is not None}
            t = f"{ts.pop()}[]" if len(ts) == 1 and ANY not in ts and elems else ANY
            return mk(self.text(node, 40), t, "ARRAY")
        if kind == "object":  # the keys, when all are plain names, go in resolvedMethod: "a,b"
            return mk(self.text(node, 40), ANY, "OBJECT", _object_keys(self, node))
        if kind in METHOD_KINDS:
            return mk(self.text(node, 40), ANY, "FUNCTION")
        if kind in CLASS_KINDS:
            return mk(self.text(node, 40), ANY, "CLASS")
        if kind in ("binary_expression", "unary_expression", "update_expression"):
            op = node.child_by_field_name("operator")
            opname = self.text(op) if op is not None else ("++" if kind == "update_expression" else "")
            return mk(opname, _operator_type(self, node, opname), "OPERATOR",
                      OPERATORS.get(opname, "<operator>." + opname))
        if kind == "ternary_expression":
            a = self.describe(node.child_by_field_name("consequence"))
            b = self.describe(node.child_by_field_name("alternative"))
            if a and b and a.typeFullName == b.typeFullName:
                return a
            return mk(self.text(node, 40), ANY, "OPERATOR", "<operator>.conditional")
        if kind == "assignment_expression":
            return self.describe(node.child_by_field_name("right"))
        return mk(self.text(node, 40), ANY, "OTHER")

    # -- one object ----------------------------------------------------------------------------
    def usage(self, uses: list[int]) -> tuple[list[ObservedCall], list[ObservedCall]]:
        invoked: list[ObservedCall] = []
        args: list[ObservedCall] = []
        nodes = self.cpg.nodes
        ts = self.cpg.node
        for u in uses:
            # climb with the CPG's parent ids and field names (the tree's own are slower to ask)
            a = nodes[u]
            pid = a["parent"]
            if pid is None:
                continue
            line, col = self.pos(a["start"])
            fld = a["field"]
            cid = u
            pk = nodes[pid]["kind"]
            while pk in ("parenthesized_expression", "non_null_expression", "as_expression"):
                fld = nodes[pid]["field"]
                cid, pid = pid, nodes[pid]["parent"]
                if pid is None:
                    break
                pk = nodes[pid]["kind"]
            if pid is None:
                continue
            parent = ts(pid)
            if pk == "member_expression" and fld == "object":
                prop = parent.child_by_field_name("property")
                name = self.text(prop) if prop is not None else ""
                gid = nodes[pid]["parent"]
                gk, gf = (nodes[gid]["kind"], nodes[pid]["field"]) if gid is not None else (None, None)
                if gk == "call_expression" and gf == "function":
                    invoked.append(ObservedCall(name, None, self.arg_types(ts(gid)), ANY, None, line, col))
                elif gk == "assignment_expression" and gf == "left":
                    invoked.append(ObservedCall(name, ASSIGNMENT, (), ANY, None, line, col))
                else:
                    invoked.append(ObservedCall(name, FIELD_ACCESS, (), ANY, None, line, col))
            elif pk == "subscript_expression" and fld == "object":
                idx = self.describe(parent.child_by_field_name("index"))
                invoked.append(ObservedCall(INDEX_ACCESS, INDEX_ACCESS,
                                            (idx.typeFullName if idx else ANY,), ANY, None, line, col))
            elif pk == "call_expression" and fld == "function":
                invoked.append(ObservedCall("<operator>.call", None, self.arg_types(parent), ANY, None,
                                            line, col))
            elif pk == "arguments":
                call = parent.parent
                if call is None:
                    continue
                nid = ts(cid).id
                children = parent.named_children
                pos = [c.id for c in children if c.type != "comment"].index(nid) \
                    if any(c.id == nid for c in children) else 0
                fn = call.child_by_field_name("function") or call.child_by_field_name("constructor")
                if fn is None:
                    continue
                if call.type == "new_expression":
                    args.append(ObservedCall("constructor", f"{self.text(fn)}.constructor", (), ANY,
                                             pos, line, col))
                else:
                    callee = fn.child_by_field_name("property") if fn.type == "member_expression" else fn
                    args.append(ObservedCall(self.text(callee) if callee else "", self.text(fn), (),
                                             ANY, pos, line, col))
            elif pk in ("binary_expression", "unary_expression", "augmented_assignment_expression"):
                op = parent.child_by_field_name("operator")
                opname = self.text(op) if op is not None else ""
                if pk == "augmented_assignment_expression":
                    opname = opname.rstrip("=")
                other = parent.child_by_field_name("right" if fld == "left" else "left")
                od = self.describe(other) if other is not None and pk != "unary_expression" else None
                invoked.append(ObservedCall(OPERATORS.get(opname, "<operator>." + opname),
                                            OPERATORS.get(opname, "<operator>." + opname),
                                            (od.typeFullName,) if od else (), ANY, None, line, col))
            elif pk == "update_expression":  # `i++`, `--n`
                invoked.append(ObservedCall("<operator>.increment", "<operator>.increment", (), ANY, None, line, col))
            elif pk == "template_substitution":
                invoked.append(ObservedCall("<operator>.formatString", None, (), ANY, None, line, col))
            elif pk == "await_expression":
                invoked.append(ObservedCall("<operator>.await", None, (), ANY, None, line, col))
            elif pk == "for_in_statement" and fld == "right":
                invoked.append(ObservedCall("<operator>.iterator", None, (), ANY, None, line, col))
            elif pk == "spread_element":
                invoked.append(ObservedCall("<operator>.spread", None, (), ANY, None, line, col))
            elif pk == "assignment_expression" and fld == "right":
                left = parent.child_by_field_name("left")
                if left is not None and left.type == "member_expression":
                    args.append(ObservedCall(ASSIGNMENT, self.text(left), (), ANY, 1, line, col))
                elif left is not None:
                    args.append(ObservedCall(ASSIGNMENT, self.text(left), (), ANY, 1, line, col))
            elif pk == "return_statement" or (pk == "arrow_function" and fld == "body"):
                args.append(ObservedCall("<operator>.return", None, (), ANY, 0, line, col))
            elif pk == "variable_declarator" and fld == "value":
                name = parent.child_by_field_name("name")
                args.append(ObservedCall(ASSIGNMENT, self.text(name) if name else "", (), ANY, 1,
                                         line, col))
        return invoked, args

    def arg_types(self, call: Any) -> tuple[str, ...]:
        a = call.child_by_field_name("arguments")
        if a is None:
            return ()
        out = []
        for c in a.named_children:
            if c.type == "comment":
                continue
            d = self.describe(c)
            out.append(d.typeFullName if d else ANY)
        return tuple(out)

    def first_assignment(self, uses: list[int]) -> DefComponent | None:
        for u in uses:
            if self.cpg.nodes[u]["field"] == "left":
                p = self.cpg.node(u).parent
                if p is not None and p.type == "assignment_expression":
                    return self.describe(p.child_by_field_name("right"))
        return None

    # -- targets --------------------------------------------------------------------------------
    def param(self, pid: int) -> ObjectUsageSlice | None:
        a = self.cpg.nodes[pid]
        if a.get("pattern"):
            return None
        node = self.cpg.node(pid)
        ident = node
        default = None
        if node.type in ("required_parameter", "optional_parameter"):
            ident = node.child_by_field_name("pattern") or node
            default = node.child_by_field_name("value")
        if ident.type == "assignment_pattern":
            default = ident.child_by_field_name("right")
            ident = ident.child_by_field_name("left") or ident
        end = ident.end_byte
        if ident.type == "rest_pattern" and default is None:
            default_rest = True
        else:
            default_rest = False
        if ident.type == "rest_pattern":
            ident = ident.named_children[0] if ident.named_child_count else ident
        if node.type == "optional_parameter":
            for c in node.children:
                if c.type == "?":
                    end = c.end_byte
        wrap = None
        parent = node.parent
        if parent is not None and parent.type == "arrow_function" and node.type == "identifier":
            wrap = self.pos(node.start_byte)
        ann = annotation_of(node) if node.type in ("required_parameter", "optional_parameter") else None
        js = self.cpg.dialect == "javascript"
        target = DefComponent(self.text(ident), ann or ANY, "METHOD_PARAMETER_IN",
                              *self.pos(ident.start_byte), None, self.pos(end), wrap,
                              annotatable=not js and ann is None and ident.type == "identifier"
                              and self.text(ident) != "this")
        invoked, args = self.usage(self.cpg.uses(pid))
        defined = self.describe(default)
        if default_rest:
            defined = DefComponent("...", ANY, "REST", *self.pos(node.start_byte))
        return ObjectUsageSlice(target, defined, tuple(invoked), tuple(args))

    def local(self, lid: int) -> ObjectUsageSlice | None:
        node = self.cpg.node(lid)
        uses = self.cpg.uses(lid)
        if node.type == "identifier":  # `for (const x of xs)` — typed by the loop, not annotatable
            target = DefComponent(self.text(node), ANY, "LOCAL", *self.pos(node.start_byte))
            p = node.parent
            right = p.child_by_field_name("right") if p is not None else None
            d = self.describe(right)
            d = replace(d, label="ITERATE_" + d.label) if d is not None else None
            invoked, args = self.usage(uses)
            return ObjectUsageSlice(target, d, tuple(invoked), tuple(args))
        name = node.child_by_field_name("name")
        if name is None:
            return None
        ann = annotation_of(node)
        decl = node.parent
        const = decl is not None and decl.type == "lexical_declaration" and \
            self.text(decl, 6).startswith("const")
        value = node.child_by_field_name("value")
        defined = self.describe(value) if value is not None else self.first_assignment(uses)
        js = self.cpg.dialect == "javascript"
        target = DefComponent(self.text(name), ann or ANY, "LOCAL", *self.pos(name.start_byte), None,
                              self.pos(name.end_byte), None,
                              annotatable=not js and ann is None and not (
                                  defined is not None and defined.label in ("FUNCTION", "CLASS")))
        invoked, args = self.usage(uses)
        del const
        return ObjectUsageSlice(target, defined, tuple(invoked), tuple(args))

    def returns(self, mid: int) -> ObjectUsageSlice | None:
        a = self.cpg.nodes[mid]
        node = self.cpg.node(mid)
        if a["name"] in ("constructor",) or mid == 0:
            return None
        if node.type == "method_definition" and accessor(node) == "set":
            return None
        params = node.child_by_field_name("parameters")
        single = node.child_by_field_name("parameter")
        body = node.child_by_field_name("body")
        if body is None:
            return None
        ann = annotation_of(node)
        wrap = None
        if params is not None:
            at = self.pos(params.end_byte)
        elif single is not None:
            at, wrap = self.pos(single.end_byte), self.pos(single.start_byte)
        else:
            return None
        if body.type != "statement_block":
            defined = self.describe(body)
        else:
            defined = None
            for r in a["returns"]:
                rn = self.cpg.node(r)
                if rn.named_child_count and rn.named_children[0].type != "comment":
                    defined = self.describe(rn.named_children[0])
                    if defined is not None and defined.typeFullName not in (ANY, "null", "undefined"):
                        break
            if defined is None:
                line, col = self.pos(body.start_byte)
                defined = DefComponent("<empty>", "void", "NO_RETURN", line, col)
        flags = ("async " if a.get("is_async") else "") + ("generator" if a.get("is_generator") else "")
        if flags.strip() and defined is not None:
            defined = replace(defined, resolvedMethod=(defined.resolvedMethod or "") + "|" + flags.strip())
        js = self.cpg.dialect == "javascript"
        target = DefComponent("<return>", ann or ANY, "METHOD_RETURN", *self.pos(node.start_byte), None,
                              at, None if wrap is None else wrap,
                              annotatable=not js and ann is None and wrap is None)
        invoked, args = self.usage(self._call_sites(mid))
        return ObjectUsageSlice(target, defined, tuple(invoked), tuple(args))

    def arguments(self, mid: int) -> list[ObjectUsageSlice]:
        """Typed non-variable arguments (``f(3)``, ``g(new A())``) of calls to this file's methods."""
        out = []
        for u in self.calls_in.get(mid, ()):
            call = self.cpg.node(u)
            args = call.child_by_field_name("arguments")
            fn = call.child_by_field_name("function") or call.child_by_field_name("constructor")
            if args is None or fn is None:
                continue
            callee = fn.child_by_field_name("property") if fn.type == "member_expression" else fn
            name = self.text(callee) if callee is not None else ""
            pos = 0
            for a in args.named_children:
                if a.type == "comment":
                    continue
                d = self.describe(a)
                if d is not None and d.label != "IDENTIFIER" and d.typeFullName != ANY:
                    line, col = self.pos(a.start_byte)
                    out.append(ObjectUsageSlice(
                        DefComponent(self.text(a, 40), d.typeFullName, "ARGUMENT", line, col), d, (),
                        (ObservedCall(name, self.text(fn), (), ANY, pos, line, col),)))
                pos += 1
        return out

    def _call_sites(self, mid: int) -> list[int]:
        """Call nodes of this method (their usage is the return value's usage)."""
        return self.calls_to.get(mid, [])

    def fields(self, cid: int) -> list[ObjectUsageSlice]:
        out = []
        uses_by_name: dict[str, list[int]] = {}
        for u in self.members.get(cid, []):
            uses_by_name.setdefault(self.cpg.nodes[u]["name"], []).append(u)
        for fid in self.cpg.nodes[cid]["fields"]:
            node = self.cpg.node(fid)
            if node.type not in FIELD_KINDS:
                continue
            name = node.child_by_field_name("name") or node.child_by_field_name("property")
            if name is None:
                continue
            fname = self.text(name)
            ann = annotation_of(node)
            value = node.child_by_field_name("value")
            uses = uses_by_name.get(fname, [])
            defined = self.describe(value) if value is not None else self.first_assignment(uses)
            end = name.end_byte
            for c in node.children:
                if c.type in ("?", "!") and c.start_byte >= name.end_byte:
                    end = c.end_byte
            js = self.cpg.dialect == "javascript"
            target = DefComponent(fname, ann or ANY, "MEMBER", *self.pos(name.start_byte), None,
                                  self.pos(end), None,
                                  annotatable=not js and ann is None
                                  and name.type in ("property_identifier", "private_property_identifier")
                                  and not (defined is not None and defined.label == "FUNCTION"))
            invoked, args = self.usage(uses)
            out.append(ObjectUsageSlice(target, defined, tuple(invoked), tuple(args)))
        return out

    def type_decl(self, cid: int) -> UserDefinedType:
        a = self.cpg.nodes[cid]
        node = self.cpg.node(cid)
        flds = []
        for fid in a["fields"]:
            fa = self.cpg.nodes[fid]
            fn = self.cpg.node(fid)
            t = annotation_of(fn) if fn.type != "identifier" else None
            line, col = self.pos(fn.start_byte)
            optional = fn.type == "optional_parameter" or any(c.type == "?" for c in fn.children)
            flds.append(DefComponent(fa.get("name", ""), t or ANY, "OPTIONAL" if optional else "LOCAL", line, col))
        procs = []
        accessors: dict[str, DefComponent] = {}
        for pid in a["procedures"]:
            pa = self.cpg.nodes[pid]
            pn = self.cpg.node(pid)
            ps = pn.child_by_field_name("parameters")
            ptypes = tuple((annotation_of(p) or ANY) for p in (ps.named_children if ps else ())
                           if p.type in ("required_parameter", "optional_parameter"))
            line, col = self.pos(pn.start_byte)
            name = pa.get("name", "")
            kind = accessor(pn)
            if kind == "get":  # read as a property: its type is what it returns
                accessors[name] = DefComponent(name, annotation_of(pn) or ANY, "ACCESSOR", line, col)
            elif kind == "set":  # a getter, when there is one, says the type
                accessors.setdefault(name, DefComponent(name, ptypes[0] if ptypes else ANY, "ACCESSOR", line, col))
            else:
                procs.append(ObservedCall(name, f"{a['name']}.{name}", ptypes, annotation_of(pn) or ANY,
                                          None, line, col))
        flds.extend(accessors.values())
        bases = []
        for c in node.named_children:
            if c.type in ("class_heritage", "extends_type_clause", "extends_clause", "implements_clause"):
                for b in _walk(c):
                    if b.type in ("identifier", "type_identifier") and b.parent is not None \
                            and b.parent.type != "type_arguments":
                        bases.append(self.text(b))
        line, col = self.pos(node.start_byte)
        return UserDefinedType(a["name"], tuple(flds), tuple(procs), self.cpg.path, line, col,
                               tuple(bases))

    #: method → call sites calling it; method → call sites (of this file's methods) inside it
    calls_to: dict[int, list[int]] = field(default_factory=dict)
    calls_in: dict[int, list[int]] = field(default_factory=dict)


def _object_keys(s: _Slicer, node: Any) -> str | None:
    """``{a: 1, "b": x, c, d() {}}`` → ``"a,b,c,d"``; ``None`` with a spread or a computed key,
    whose names the text does not show."""
    keys = []
    for c in node.named_children:
        if c.type == "comment":
            continue
        if c.type == "pair":
            key = c.child_by_field_name("key")
        elif c.type == "method_definition":
            key = c.child_by_field_name("name")
        else:  # `c` shorthand; a spread_element is not a key
            key = c
        if key is None or key.type not in ("property_identifier", "string", "shorthand_property_identifier"):
            return None
        keys.append(s.text(key).strip("'\""))
    return ",".join(keys)


def _field_of(parent: Any, child: Any) -> str | None:
    for i, c in enumerate(parent.children):
        if c.id == child.id:
            return parent.field_name_for_child(i)
    return None


def _walk(node: Any) -> Iterator[Any]:
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(reversed(n.named_children))


def _operator_type(s: _Slicer, node: Any, op: str) -> str:
    if op in ("==", "===", "!=", "!==", "<", "<=", ">", ">=", "!", "instanceof", "in"):
        return "boolean"
    if op in ("-", "*", "/", "%", "**", "&", "|", "^", "<<", ">>", "~", "++", "--"):
        # bigint and number do not mix: a bigint operand makes a bigint (`n * 2n`, `-x` of a bigint)
        sides = [node.child_by_field_name(f) for f in ("left", "right", "argument", "operand")]
        types = {d.typeFullName for d in map(s.describe, [x for x in sides if x is not None]) if d}
        return "bigint" if "bigint" in types else "number"
    if op == ">>>":  # unsigned shift is not defined on bigint
        return "number"
    if op == "typeof":
        return "string"
    if op == "+":
        sides = [node.child_by_field_name("left"), node.child_by_field_name("right")]
        types = {(d.typeFullName if d else ANY) for d in map(s.describe, sides) if True}
        if node.child_by_field_name("left") is None:
            return "number"
        if "string" in types:
            return "string"
        if types == {"number"}:
            return "number"
        if "bigint" in types:
            return "bigint"
    return ANY


def slice_program(cpg: Cpg) -> ProgramUsageSlice:
    """Every usage slice of a file, plus its classes and interfaces.

    Parameters
    ----------
    cpg:
        The file's code property graph (`typeinfer.cpg.build_cpg`).
    """
    s = _Slicer(cpg)
    nodes = cpg.nodes
    for u, v, k in cpg.edges:
        if k == "CALL":
            s.calls_to.setdefault(v, []).append(u)
            s.calls_in.setdefault(nodes[u]["method"], []).append(u)
    last = len(nodes) - 1
    for i, a in enumerate(nodes):
        # `this.x`: the object, its first child, is the next node in pre-order
        if a["kind"] == "member_expression" and i < last and nodes[i + 1]["kind"] == "this" \
                and nodes[i + 1]["parent"] == i and nodes[i + 1]["field"] == "object":
            prop = cpg.node(i).child_by_field_name("property")
            m = a["method"]
            cls = nodes[m].get("cls") if m else None
            while cls is None and m:  # arrow functions inside methods see the same `this`
                m = nodes[m]["parent_method"]
                cls = nodes[m].get("cls") if m else None
            if prop is not None and cls is not None:
                a["name"] = s.text(prop)
                s.members.setdefault(cls, []).append(i)
    methods = []
    for mid in cpg.methods:
        a = nodes[mid]
        out: list[ObjectUsageSlice] = []
        for pid in a["params"]:
            sl = s.param(pid)
            if sl is not None:
                out.append(sl)
        for _name, did in a["scope"].items():
            if nodes[did].get("label") == "LOCAL" and nodes[did]["method"] == mid:
                sl = s.local(did)
                if sl is not None:
                    out.append(sl)
        r = s.returns(mid)
        if r is not None:
            out.append(r)
        out += s.arguments(mid)
        node = cpg.node(mid)
        tparams = node.child_by_field_name("type_parameters")
        tps = tuple(s.text(c.child_by_field_name("name")) for c in
                    (tparams.named_children if tparams is not None else ())
                    if c.child_by_field_name("name") is not None)
        cls = a.get("cls")
        if cls is not None:
            ctp = cpg.node(cls).child_by_field_name("type_parameters")
            tps += tuple(s.text(c.child_by_field_name("name")) for c in
                         (ctp.named_children if ctp is not None else ())
                         if c.child_by_field_name("name") is not None)
        line, col = s.pos(node.start_byte)
        head = s.text(node, 120).split("{")[0].strip() if mid else cpg.path
        methods.append(MethodUsageSlice(head, a["full_name"], cpg.path, tuple(out), line, col, tps))
    udts = []
    for cid in cpg.types:
        if cpg.nodes[cid]["kind"] in CLASS_KINDS:
            flds = s.fields(cid)
            if flds:
                line, col = s.pos(cpg.node(cid).start_byte)
                methods.append(MethodUsageSlice(f"class {nodes[cid]['name']}",
                                                f"{nodes[cid]['name']}.<fields>", cpg.path,
                                                tuple(flds), line, col))
        udts.append(s.type_decl(cid))
    known = {t.name for t in udts}
    for name, line, col in _named_types(cpg):
        if name not in known:
            known.add(name)
            udts.append(UserDefinedType(name, (), (), cpg.path, line, col, (OPAQUE,)))
    return ProgramUsageSlice(tuple(methods), tuple(udts))


#: Base of a type whose members are not known here (imported, an alias, an enum).
OPAQUE = "<opaque>"


def _named_types(cpg: Cpg) -> Iterator[tuple[str, int, int]]:
    """Capitalised type names imported into the file or declared as aliases and enums."""
    for top in cpg.tree.root_node.named_children:
        node = top
        if node.type == "export_statement":
            decl = node.child_by_field_name("declaration")
            node = decl if decl is not None else node
        if node.type in ("type_alias_declaration", "enum_declaration"):
            n = node.child_by_field_name("name")
            if n is not None:
                yield n.text.decode("utf-8", "replace"), *cpg._point(n.start_byte)
        elif node.type == "import_statement":
            for n in _walk(node):
                if n.type == "import_specifier":
                    alias = n.child_by_field_name("alias") or n.child_by_field_name("name")
                    n = alias
                elif not (n.type == "identifier" and n.parent is not None and n.parent.type == "import_clause"):
                    continue
                if n is not None:
                    text = n.text.decode("utf-8", "replace")
                    if text[:1].isupper():
                        yield text, *cpg._point(n.start_byte)
