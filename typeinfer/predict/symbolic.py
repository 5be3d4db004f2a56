"""Symbolic predictor: types that follow from the slices by rules, propagated to a fixpoint.

Rules, each with a fixed confidence (`CONFIDENCE`) and an evidence line:

* ``definedBy`` a literal, ``new Foo()``, a cast, an array of literals, an operator → that type;
* ``definedBy`` a call → the callee's return type: a method of this program (as predicted so
  far), a global function or a member of a known type from the ``.d.ts`` signatures
  (``Math.floor`` → ``number``, ``s.trim()`` → ``string``); ``await`` unwraps ``Promise<T>``;
* ``definedBy`` another variable or field → its type (propagation along data flow);
* a parameter passed to a call → the callee's parameter type; assigned to ``this.f`` → ``f``'s
  type; every caller passing a typed value at its position → that type;
* the calls it receives → the one type that has them all (``x.toFixed()`` → ``number``), and
  arithmetic operators → ``number``.

Rounds repeat until nothing changes (at most `MAX_ROUNDS`), so types flow through chains of
assignments and calls.

>>> from typeinfer.cpg import build_cpg
>>> from typeinfer.slices import slice_program
>>> from typeinfer.signatures import Signatures
>>> src = "function f(n) { const s = 'a'; let d = new Date(); return g(s); }\\n" \\
...       "function g(x) { return x.length > 0; }\\nf(3);"
>>> preds = SymbolicPredictor().predict(slice_program(build_cpg(src)), Signatures())
>>> [(k, c[0].type) for k, c in sorted(preds.items())]  # doctest: +NORMALIZE_WHITESPACE
[('f::LOCAL::d', 'Date'), ('f::LOCAL::s', 'string'), ('f::METHOD_PARAMETER_IN::n', 'number'),
 ('f::METHOD_RETURN::<return>', 'boolean'), ('g::METHOD_PARAMETER_IN::x', 'string'),
 ('g::METHOD_RETURN::<return>', 'boolean')]
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from typeinfer.generics import Generics
from typeinfer.predict import Candidate, Predictions, target_key
from typeinfer.signatures import BOXES, Signatures, split_generic
from typeinfer.slices import (
    ASSIGNMENT,
    DefComponent,
    MethodUsageSlice,
    ObjectUsageSlice,
    ProgramUsageSlice,
    UserDefinedType,
)
from typeinfer.typenames import informative

MAX_ROUNDS = 4
CONFIDENCE = {"literal": 0.95, "new": 0.95, "cast": 0.9, "operator": 0.85, "call": 0.85,
              "flow": 0.85, "void": 0.8, "callee-param": 0.8, "caller-arg": 0.75,
              "duck": 0.6, "arith": 0.55, "name": 0.5, "method-name": 0.6, "lexical": 0.45,
              "type-param": 0.82, "duck-specific": 0.25, "field-name": 0.5, "pushed": 0.8,
              "shape": 0.7}
#: Rules whose answer bounds the type rather than determines it (`Candidate.bound`): the callee's
#: parameter type and an assignment's target are upper bounds, a caller's argument a lower one,
#: members used and names are guesses among several types. On the second held-out set, a
#: parameter hint resting on one of these alone was right 45 times in 136.
BOUND_RULES = frozenset({"callee-param", "flow", "caller-arg", "duck", "duck-specific", "name",
                         "method-name", "lexical", "field-name"})
_UNIVERSAL = frozenset({"toString", "valueOf", "hasOwnProperty", "constructor", "toLocaleString",
                        "isPrototypeOf", "propertyIsEnumerable"})
_NUMERIC_OPS = frozenset({"<operator>.subtraction", "<operator>.multiplication",
                          "<operator>.division", "<operator>.modulo", "<operator>.exponentiation",
                          "<operator>.lessThan", "<operator>.greaterThan", "<operator>.lessEqualsThan",
                          "<operator>.greaterEqualsThan",
                          # TypeScript's operand rule: bitwise and shift operands are number or bigint
                          "<operator>.and", "<operator>.or", "<operator>.xor", "<operator>.shiftLeft",
                          "<operator>.arithmeticShiftRight", "<operator>.logicalShiftRight", "<operator>.not",
                          "<operator>.increment"})
#: `_NUMERIC_OPS` whose operands TypeScript requires to be numbers, bigints or enums (not the
#: comparisons, which strings pass): such an operand is a number (a bigint beside a bigint) as
#: surely as a literal is its type, so the rule is as strong as "operator" (its answer enters the
#: environment: copies, returns and arguments inherit it). Chosen for JavaScript on its dev files
#: (no enums there), then for TypeScript on the six tuning sets (docs/types.md, C20).
_ARITHMETIC_OPS = _NUMERIC_OPS - {"<operator>.lessThan", "<operator>.greaterThan", "<operator>.lessEqualsThan",
                                  "<operator>.greaterEqualsThan"}
_UNBOX = {v: k for k, v in BOXES.items()}
#: Global conversion functions (declared as variables of a constructor interface, so not in
#: `Signatures.functions`): what calling them without ``new`` returns.
_CONVERSIONS = {"BigInt": "bigint", "Number": "number", "String": "string", "Boolean": "boolean",
                "Symbol": "symbol"}
#: Array methods that add their arguments as elements.
_ADDS = frozenset({"push", "unshift"})
#: Library types that duck typing may answer (``x.toFixed()`` → number; ``Array`` only makes it ambiguous).
_DUCK_LIBRARY = frozenset({"String", "Number", "Boolean", "RegExp", "Date", "Map", "Set", "Promise", "Array"})
_TYPE_PARAM = re.compile(r"^(T|U|K|V|S|R|TResult\d*|TKey|TValue)$")


@dataclass
class _World:
    program: ProgramUsageSlice
    sig: Signatures
    env: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # key → (type, rule, why)
    methods: dict[str, MethodUsageSlice] = field(default_factory=dict)
    by_short: dict[str, list[MethodUsageSlice]] = field(default_factory=dict)
    udts: dict[str, UserDefinedType] = field(default_factory=dict)
    callers: dict[tuple[str, int], list[str]] = field(default_factory=dict)
    keys: set[str] = field(default_factory=set)
    udt_tokens: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    #: `udt_tokens` by last token: every name match (`_by_name`) shares the variable's last word
    udt_by_last: dict[str, list[tuple[str, tuple[str, ...]]]] = field(default_factory=dict)
    generics: Generics = field(default_factory=lambda: Generics())
    #: field name → the types declared for fields of that name (interfaces keep their annotations)
    field_types: dict[str, set[str]] = field(default_factory=dict)
    #: The library types duck typing may answer, with their members (in the signatures' order).
    duck_library: list[tuple[str, Any]] = field(default_factory=list)
    #: Interfaces an object literal can be: (name, required members, all members).
    shapes: list[tuple[str, frozenset[str], frozenset[str]]] = field(default_factory=list)
    #: While set, the `env` keys `type_of` is asked for (what a rule's answer depends on).
    reads: set[str] | None = None

    def __post_init__(self) -> None:
        for m in self.program.objectSlices:
            self.methods.setdefault(m.fullName, m)
            self.by_short.setdefault(m.fullName.rsplit(".", 1)[-1].split("#")[0], []).append(m)
            for s in m.slices:
                k = target_key(m, s)
                self.keys.add(k)
                if informative(s.targetObj.typeFullName):
                    self.env[k] = (s.targetObj.typeFullName, "annotation", "written in the source")
                for c in s.argToCalls:
                    if isinstance(c.position, int) and not c.callName.startswith("<operator>"):
                        self.callers.setdefault((_callee_name(c.callName, c.resolvedMethod), c.position),
                                                []).append(k)
        for t in self.program.userDefinedTypes:
            self.udts.setdefault(t.name, t)
        self.set_udt_tokens([(t, _type_tokens(t)) for t in self.udts])
        self.duck_library = [(t, m.keys()) for t, (_, m) in self.sig.interfaces.items() if t in _DUCK_LIBRARY]
        for t in self.program.userDefinedTypes:
            for f in t.fields:
                if informative(f.typeFullName):
                    self.field_types.setdefault(f.name, set()).add(f.typeFullName)
        for t in self.udts.values():  # a class (it has a constructor) is made with `new`, not a literal
            if t.fields and all(p.callName != "constructor" for p in t.procedures):
                self.shapes.append((t.name, frozenset([f.name for f in t.fields if f.label != "OPTIONAL"]
                                                      + [p.callName for p in t.procedures]), t.members()))

    def set_udt_tokens(self, tokens: list[tuple[str, tuple[str, ...]]]) -> None:
        """The type names a variable's name may match, in declaration order (and their index)."""
        self.udt_tokens = tokens
        self.udt_by_last = {}
        for t, tt in tokens:
            if tt:
                self.udt_by_last.setdefault(tt[-1], []).append((t, tt))

    # -- lookups ---------------------------------------------------------------------------------
    def var(self, method: str, name: str) -> str | None:
        """Key of variable ``name`` seen from ``method`` (walking out through enclosing methods)."""
        scope: str | None = method
        while scope is not None:
            if scope in self.methods:
                for label in ("LOCAL", "METHOD_PARAMETER_IN"):
                    k = f"{scope}::{label}::{name}"
                    if k in self.keys:
                        return k
            scope = scope.rsplit(".", 1)[0] if "." in scope else (":program" if scope != ":program" else None)
        return None

    def cls_of(self, method: str) -> str | None:
        parts = method.split(".")
        for i in range(len(parts) - 1, 0, -1):
            if ".".join(parts[:i]) in self.udts:
                return ".".join(parts[:i])
        return None

    def type_of(self, key: str | None) -> str | None:
        if key is None:
            return None
        if self.reads is not None:
            self.reads.add(key)
        got = self.env.get(key)
        return got[0] if got is not None else None

    def ret_of_method(self, name: str, near: str) -> str | None:
        cands = self.by_short.get(name, [])
        for m in cands:
            t = self.type_of(f"{m.fullName}::METHOD_RETURN::<return>")
            if t:
                return t
        return None

    def value_type(self, recv: str, method: str) -> str | None:
        """Type of a receiver expression written as text (``x``, ``this``, ``this.f``, ``Math``)."""
        if recv == "this":
            return self.cls_of(method)
        if recv.startswith("this.") and recv.count(".") == 1:
            cls = self.cls_of(method)
            return self.field_type(cls, recv[5:]) if cls else None
        if re.fullmatch(r"[A-Za-z_$][\w$]*", recv):
            t = self.type_of(self.var(method, recv))
            return t or self.sig.variables.get(recv)
        if re.fullmatch(r"[A-Za-z_$][\w$]*(\??\.[A-Za-z_$][\w$]*)+", recv):
            head, _, member = recv.replace("?.", ".").rpartition(".")
            ht = self.value_type(head, method)
            return self.member_type(ht, member, method, call=False) if ht else None
        return None

    def field_type(self, cls: str | None, name: str) -> str | None:
        seen = set()
        while cls and cls not in seen:
            seen.add(cls)
            t = self.type_of(f"{cls}.<fields>::MEMBER::{name}")
            if t:
                return t
            udt = self.udts.get(cls)
            if udt is None:
                return None
            for f in udt.fields:
                if f.name == name and informative(f.typeFullName):
                    return f.typeFullName
                if f.name == name and f.label == "ACCESSOR":  # an unannotated getter: what it returns
                    return self.type_of(f"{cls}.{name}::METHOD_RETURN::<return>")
            for p in udt.procedures:
                if p.callName == name:
                    return None
            cls = udt.bases[0] if udt.bases else None
        return None

    def member_type(self, typ: str, member: str, method: str, call: bool = True) -> str | None:
        """What ``typ.member(...)`` returns (``call``), or the type of ``typ.member``: a method
        read without a call is a function value, which has no answer here."""
        udt = self.udts.get(split_generic(typ)[0])
        if udt is not None:
            for p in udt.procedures:
                if p.callName == member:
                    if not call:
                        return None
                    t = self.type_of(f"{udt.name}.{member}::METHOD_RETURN::<return>")
                    return t or (p.returnType if informative(p.returnType) else None)
            return self.field_type(udt.name, member)
        return self.sig.member_type(typ, member, call)

    # -- expressions -------------------------------------------------------------------------------
    def expr(self, d: DefComponent | None, method: str) -> tuple[str, str, str] | None:
        """(type, rule, evidence) of a ``definedBy`` expression."""
        if d is None:
            return None
        label = d.label
        if label.startswith("AWAIT_"):
            inner = self.expr(DefComponent(d.name, d.typeFullName, label[6:], d.lineNumber,
                                           d.columnNumber, d.resolvedMethod), method)
            if inner is None:
                return None
            base, args = split_generic(inner[0])
            return (args[0] if base in ("Promise", "PromiseLike") and args else inner[0],
                    inner[1], "await " + inner[2])
        if label.startswith("ITERATE_"):
            inner = self.expr(DefComponent(d.name, d.typeFullName, label[8:], d.lineNumber,
                                           d.columnNumber, d.resolvedMethod), method)
            if inner is None:
                return None
            whole = inner[0]
            if whole.endswith("[]"):
                return whole[:-2], inner[1], "element of " + inner[2]
            base, args = split_generic(whole)
            if base in ("Array", "ReadonlyArray", "Set") and args:
                return args[0], inner[1], "element of " + inner[2]
            return None
        if label == "REST":
            scope = self.methods[method].typeParameters if method in self.methods else ()
            args = [t for t in scope if t.lower().startswith("arg")]  # f<ARGS extends unknown[]>(...args)
            if len(args) == 1:
                return args[0], "arith", f"rest parameter of a method generic in {args[0]}"
            return "any[]", "arith", "rest parameter"
        if label == "NO_RETURN":
            return "void", "void", "no return value"
        if informative(d.typeFullName) and d.typeFullName not in ("null", "undefined"):
            rule = {"LITERAL": "literal", "NEW": "new", "CAST": "cast"}.get(label, "operator")
            return d.typeFullName, rule, f"{label.lower()} {d.name}"
        t: str | None
        if label == "IDENTIFIER":
            t = self.value_type(d.name, method)
            return (t, "flow", f"from {d.name}") if t else None
        if label == "OBJECT" and d.resolvedMethod:
            keys = frozenset(d.resolvedMethod.split(","))
            fits = [n for n, need, have in self.shapes if need <= keys <= have
                    and (self.generics.visible is None or n in self.generics.visible)]
            return (fits[0], "shape", f"{{{d.resolvedMethod}}} is the shape of {fits[0]}") if len(fits) == 1 else None
        if label == "FIELD" and d.resolvedMethod and "." in d.resolvedMethod:
            recv, _, member = d.resolvedMethod.rpartition(".")
            rt = self.value_type(recv.rstrip("?"), method)
            t = self.member_type(rt, member, method, call=False) if rt else None
            return (t, "call", f"{d.resolvedMethod} of {rt}") if t else None
        if label == "CALL" and d.resolvedMethod:
            callee = d.resolvedMethod.split("|")[0]
            if "." not in callee:
                t = self.ret_of_method(callee, method)
                if t is None:
                    fn = self.sig.function(callee)
                    t = fn[0] if fn else _CONVERSIONS.get(callee)
                return (t, "call", f"returned by {callee}()") if t else None
            recv, _, member = callee.rpartition(".")
            rt = self.value_type(recv.rstrip("?"), method)
            t = self.member_type(rt, member, method) if rt else None
            return (t, "call", f"returned by {callee}() on {rt}") if t else None
        return None


def _callee_name(name: str, resolved: str | None) -> str:
    """How calls and callees meet: by name, but ``new A()`` only reaches ``A.constructor``."""
    return resolved if name == "constructor" and resolved else name


def _concrete(t: str, scope: tuple[str, ...]) -> bool:
    """A type with no unbound type parameter (``U[]`` from a generic signature is not)."""
    for word in re.findall(r"\b[A-Za-z_]\w*\b", t):
        if _TYPE_PARAM.match(word) and word not in scope:
            return False
    return t != "this" and (t == "any[]" or not re.search(r"\bany\b", t)) and informative(t)


@functools.lru_cache(maxsize=100_000)
def _tokens(name: str) -> tuple[str, ...]:
    return tuple(p.lower() for p in _WORDS.findall(name))


_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
#: Abbreviations in variable names, spelled out to meet type names (``tokType`` → TokenType).
ABBREVIATIONS = {"tok": "token", "opts": "options", "opt": "option", "prod": "production",
                 "prods": "productions", "idx": "index", "ctx": "context", "cb": "callback",
                 "fn": "function", "el": "element", "msg": "message", "err": "error",
                 "def": "definition", "defs": "definitions", "val": "value", "cfg": "config",
                 "conf": "config", "str": "string", "num": "number", "pos": "position",
                 "attr": "attribute", "attrs": "attrs", "args": "arguments", "param": "parameter",
                 "params": "parameters", "req": "request", "res": "response", "doc": "document"}


_NUMBER_WORDS = frozenset({"idx", "index", "occurrence", "occurence", "count", "size", "length",
                           "line", "column", "col", "start", "end", "from", "to", "offset", "pos",
                           "depth", "level", "width", "height", "ms", "num", "lookahead", "max",
                           "min", "timeout", "delay", "port", "total", "limit", "much", "many"})
_BOOLEAN_HEADS = frozenset({"is", "has", "should", "can", "allow", "enable", "enabled", "use",
                            "track", "skip", "ignore", "force", "strict", "cautious", "not"})
_BOOLEAN_TAILS = frozenset({"first", "before", "front", "binary", "enabled", "disabled", "visible",
                            "required", "allowed", "ok"})
_STRING_WORDS = frozenset({"name", "text", "image", "message", "msg", "label", "prefix", "suffix",
                           "mode", "channel", "char", "str", "url", "path", "title", "description",
                           "status", "mechanism", "identifier", "separator", "sep"})


def _lexical(var: str) -> str | None:
    """A primitive type the variable's name points to (``maxLookahead`` → number), if any."""
    v = _tokens(var.lstrip("_$"))
    if not v:
        return None
    if v[0] in _BOOLEAN_HEADS and len(v) > 1 or v[-1] in _BOOLEAN_TAILS:
        return "boolean"
    if v[-1] in _NUMBER_WORDS or v[-1] == "id" and var.endswith("ID"):
        return "number"
    if v[-1] in _STRING_WORDS or v[-1] in ("value", "data", "response") and len(v) > 1:
        return "string"
    return None


def _type_tokens(name: str) -> tuple[str, ...]:
    """Tokens of a type name, without an interface's ``I`` prefix (``IToken`` → ``token``)."""
    tt = _tokens(name)
    return tt[1:] if len(tt) > 1 and tt[0] == "i" and name[:2].isupper() else tt


#: Words after which a type name's last word is not its head noun.
_LINKS = frozenset({"with", "of", "for", "and", "or", "to", "from", "by", "in", "on"})


def _by_name(var: str, by_last: Mapping[str, list[tuple[str, tuple[str, ...]]]],
             aliases: Mapping[str, frozenset[str]] | None = None) -> list[tuple[str, float, str]]:
    """Types in scope whose name matches the variable's (``state`` → ``ImmerState``).

    When the name ends several type names, a union alias among them that covers the others
    is the answer (``state``: ``ProxyArrayState``, ``MapState``, … and ``ImmerState``, their union).
    ``by_last`` holds the type names' tokens by their last token (`_World.udt_by_last`): every
    match (equal, one ends the other, plural) ends in the same word, so only those are compared.

    >>> _by_name("state", {"state": [("MapState", ("map", "state"))]})
    [('MapState', 0.6, "name 'state' ends type MapState")]
    """
    v = [ABBREVIATIONS.get(x, x) for x in _tokens(var.lstrip("_$"))]
    if not v:
        return []
    if v[-1] in ("opts", "options"):
        v[-1] = "options"
    exact, suffix, tail = [], [], []
    vt = tuple(v)
    for t, tt in by_last.get(vt[-1], ()):
        if tt == vt:
            exact.append(t)
        elif tt[-len(vt):] == vt and not _LINKS & set(tt[:-len(vt)]):
            suffix.append(t)  # ImmerState is a state; ProductionWithOccurrence is no occurrence
        elif vt[-len(tt):] == tt:
            tail.append(t)
    out = [(t, 0.75, f"name {var!r} matches type {t}") for t in exact]
    if len(v[-1]) > 3 and v[-1].endswith("s") and not exact:
        single = tuple(v[:-1] + [v[-1][:-1]])
        plural = [t for t, tt in by_last.get(single[-1], ()) if tt[-len(single):] == single]
        if len(plural) == 1:
            out.append((f"{plural[0]}[]", 0.65, f"plural name {var!r} of type {plural[0]}"))
    if len(suffix) == 1:
        out.append((suffix[0], 0.6, f"name {var!r} ends type {suffix[0]}"))
    elif len(suffix) > 2 and aliases and not exact:
        unions = [t for t in suffix if len(aliases.get(t, frozenset()) & set(suffix)) >= 2]
        if len(unions) == 1:
            out.append((unions[0], 0.6, f"name {var!r} ends types {', '.join(sorted(suffix)[:4])}…; "
                                         f"{unions[0]} is their union"))
    if len(tail) == 1:
        out.append((tail[0], 0.55, f"name {var!r} ends with type {tail[0]}"))
    return out


def _type_param_named(var: str, scope: tuple[str, ...]) -> str | None:
    """The one type parameter in scope named after the variable (``input`` → ``TInput``).

    >>> _type_param_named("initialValue", ("TValue", "TError")), _type_param_named("x", ("T",))
    ('TValue', None)
    """
    v = tuple(ABBREVIATIONS.get(x, x) for x in _tokens(var.lstrip("_$")))
    hits = []
    for tp in scope:
        name = tp[1:] if len(tp) > 2 and tp[0] == "T" and tp[1].isupper() else tp
        tt = tuple(ABBREVIATIONS.get(x, x) for x in _tokens(name))
        if len(name) > 1 and tt and v[-len(tt):] == tt:
            hits.append(tp)
    return hits[0] if len(hits) == 1 else None


def _unbox(t: str) -> str:
    return _UNBOX.get(t, t)


class SymbolicPredictor:
    """Rule-based predictor over usage slices and library signatures (no training, no model)."""

    name = "symbolic"

    def __init__(self, generics: Generics | None = None,
                 call_sites: Mapping[tuple[str, int], tuple[str, str]] | None = None,
                 aliases: Mapping[str, frozenset[str]] | None = None) -> None:
        self.generics = generics
        #: (function name, argument position) → (type, evidence) from the project's other files
        #: (`typeinfer.project.call_site_types`); a type ``A|B`` means the call sites disagree
        self.call_sites = call_sites or {}
        #: union aliases declared anywhere in the project (`typeinfer.generics.union_aliases`)
        self.aliases = aliases or {}

    def bind(self, text: str) -> SymbolicPredictor:
        """A predictor that also knows the type parameters declared and used in ``text``."""
        return SymbolicPredictor(Generics.from_text(text), self.call_sites, self.aliases)

    def predict(self, program: ProgramUsageSlice, signatures: Signatures) -> Predictions:
        """Candidates per target key for every unannotated target the rules can type."""
        w = _World(program, signatures)
        g = self.generics or Generics()
        w.generics = Generics(g.declared, g.used, signatures.interfaces, g.guess_imported, g.visible,
                              {**self.aliases, **g.aliases})
        if g.visible is not None:  # other files' types inform members, but a name must be visible
            w.set_udt_tokens([(t, tt) for t, tt in w.udt_tokens if t in g.visible])
        found: dict[str, list[Candidate]] = {}
        # The rules read the environment only through `type_of`: a target whose keys read have
        # not changed since its last answer answers the same, so later rounds reuse it.
        # `tick` counts environment changes; `changed_at` says when each key last changed.
        targets = [(i, m, s, target_key(m, s)) for i, (m, s) in enumerate(program.targets())
                   if not informative(s.targetObj.typeFullName) and s.targetObj.label != "ARGUMENT"]
        memo: dict[int, tuple[int, set[str], list[Candidate]]] = {}
        changed_at: dict[str, int] = {}
        tick = 0
        for _ in range(MAX_ROUNDS):
            changed = False
            for i, m, s, k in targets:
                got = memo.get(i)
                if got is not None and all(changed_at.get(d, 0) <= got[0] for d in got[1]):
                    cands = got[2]
                else:
                    w.reads = set()
                    cands = self._rules(w, m, s)
                    memo[i] = (tick, w.reads, cands)
                    w.reads = None
                if not cands:
                    continue
                found[k] = cands
                best = cands[0]
                if best.confidence >= 0.6 and w.env.get(k, ("",))[0] != best.type:
                    w.env[k] = (best.type, best.source, best.evidence)
                    tick += 1
                    changed_at[k] = tick
                    changed = True
            if not changed:
                break
        return {k: tuple(v) for k, v in found.items()}

    def _rules(self, w: _World, m: MethodUsageSlice, s: ObjectUsageSlice) -> list[Candidate]:
        out: dict[str, Candidate] = {}
        scope = m.typeParameters

        def add(t: str | None, rule: str, why: str) -> None:
            if not t or t in ("null", "undefined", "never") or not _concrete(t, scope):
                return
            t = w.generics.complete(_unbox(t), scope)
            c = Candidate(t, CONFIDENCE[rule], "symbolic", why, bound=rule in BOUND_RULES)
            if t not in out or out[t].confidence < c.confidence:
                out[t] = c

        label = s.targetObj.label
        r = w.expr(s.definedBy, m.fullName)
        if r is not None:
            t: str | None = r[0]
            rule, why = r[1], r[2]
            if label == "METHOD_RETURN" and s.definedBy and "|" in (s.definedBy.resolvedMethod or ""):
                flags = (s.definedBy.resolvedMethod or "").split("|")[-1]
                if "generator" in flags:
                    t = None
                elif "async" in flags and t is not None and not t.startswith("Promise<"):
                    t = f"Promise<{t}>"
            if label == "LOCAL" and t in ("null", "undefined"):
                t = None
            add(t, rule, why)
        if label != "METHOD_RETURN":
            self._flows_into(w, m, s, add)
            self._received(w, s, add)
        if label == "LOCAL" and s.definedBy is not None and s.definedBy.label == "ARRAY" and s.definedBy.name == "[]":
            self._pushed(w, m, s, add)
        if label in ("METHOD_PARAMETER_IN", "LOCAL"):
            tp = _type_param_named(s.targetObj.name, scope)
            if tp:
                add(tp, "type-param", f"name {s.targetObj.name!r} names type parameter {tp}")
        if label != "METHOD_RETURN" and not any(c.confidence >= 0.7 for c in out.values()):
            for t, conf, why in _by_name(s.targetObj.name, w.udt_by_last,  # a local holds one of them
                                         w.generics.aliases if label == "METHOD_PARAMETER_IN" else None):
                add(t, "name", why)
                t = w.generics.complete(t, scope)
                out[t] = Candidate(t, conf, "symbolic", why, bound=True)
        if label == "METHOD_PARAMETER_IN" and not any(c.confidence >= 0.5 for c in out.values()):
            declared = w.field_types.get(s.targetObj.name, set())
            if len(declared) == 1:  # an interface declares `name: T` and the parameter is called name
                t = next(iter(declared))
                add(t, "field-name", f"fields named {s.targetObj.name!r} are declared {t}")
        if label != "METHOD_RETURN" and not any(c.confidence >= 0.5 for c in out.values()):
            guess = _lexical(s.targetObj.name)
            if guess:
                add(guess, "lexical", f"name {s.targetObj.name!r} usually holds a {guess}")
        if label == "METHOD_PARAMETER_IN" and not any(c.confidence >= 0.7 for c in out.values()) \
                and m.slices and m.slices[0] is s:
            mt = _tokens(m.fullName.rsplit(".", 1)[-1].split("#")[0])
            hits = [t for t, tt in w.udt_by_last.get(mt[-1], ()) if tt == mt[1:]] if len(mt) > 1 else []
            if len(hits) == 1:
                add(hits[0], "method-name", f"method name {m.fullName.rsplit('.', 1)[-1]} names type {hits[0]}")
        if label == "METHOD_PARAMETER_IN" and _tokens(s.targetObj.name)[-1:] in (("options",), ("opts",)):
            mt = tuple(x for x in _tokens(m.fullName.rsplit(".", 1)[-1].split("#")[0]) if not x.isdigit())
            hits = [t for t, tt in w.udt_tokens if mt and tt[: len(mt)] == mt
                    and tt[-1] in ("opts", "options", "config")]
            if len(hits) == 1:
                add(hits[0], "method-name", f"options of {'.'.join(mt)}(): {hits[0]}")
        if label == "METHOD_PARAMETER_IN":
            short = m.fullName.rsplit(".", 1)[-1].split("#")[0]
            short = _callee_name(short, m.fullName.split("#")[0])
            idx = next((i for i, x in enumerate(t for t in m.slices
                                                if t.targetObj.label == "METHOD_PARAMETER_IN")
                        if x is s), None)
            callers = w.callers.get((short, idx), []) if idx is not None else []
            passed = {t for t in (w.type_of(c) for c in callers) if t}
            if idx is not None and (short, idx) in self.call_sites:
                t, why = self.call_sites[(short, idx)]
                passed |= set(t.split("|"))
            lub = w.generics.covering_alias(sorted(passed)) if len(passed) > 1 else None
            if lub:  # callers pass ProxyArrayState and MapState: the union alias ImmerState has both
                add(lub, "callee-param", f"callers pass {', '.join(sorted(passed))}: all are {lub}")
            for caller in callers:
                add(w.type_of(caller), "caller-arg", f"{caller.rsplit('::', 1)[-1]} is passed to {short}()")
            if idx is not None and (short, idx) in self.call_sites and "|" not in self.call_sites[(short, idx)][0]:
                add(*self.call_sites[(short, idx)][:1], "caller-arg", self.call_sites[(short, idx)][1])
        return sorted(out.values(), key=lambda c: -c.confidence)

    def _flows_into(self, w: _World, m: MethodUsageSlice, s: ObjectUsageSlice, add) -> None:  # type: ignore[no-untyped-def]
        for c in s.argToCalls:
            if c.callName == ASSIGNMENT and c.resolvedMethod:
                target = c.resolvedMethod
                if target.startswith("this.") and target.count(".") == 1:
                    cls = w.cls_of(m.fullName)
                    add(w.field_type(cls, target[5:]) if cls else None, "flow", f"assigned to {target}")
                elif re.fullmatch(r"[\w$]+", target):
                    add(w.type_of(w.var(m.fullName, target)), "flow", f"assigned to {target}")
                continue
            if not isinstance(c.position, int) or c.callName.startswith("<operator>"):
                continue
            callee = c.resolvedMethod or c.callName
            if c.callName == "constructor":
                cls = callee.rsplit(".", 1)[0]
                ps = [x for x in w.methods.get(f"{cls}.constructor", MethodUsageSlice("", "", "")).slices
                      if x.targetObj.label == "METHOD_PARAMETER_IN"]
                if c.position < len(ps):
                    add(w.type_of(target_key(w.methods[f"{cls}.constructor"], ps[c.position])),
                        "callee-param", f"argument {c.position} of new {cls}()")
                continue
            if "." not in callee or callee.startswith("this."):
                short = callee.split(".")[-1]
                for mm in w.by_short.get(short, []):
                    ps = [x for x in mm.slices if x.targetObj.label == "METHOD_PARAMETER_IN"]
                    if c.position < len(ps):
                        add(w.type_of(target_key(mm, ps[c.position])), "callee-param",
                            f"argument {c.position} of {short}()")
                fn = w.sig.function(short) if "." not in callee else None
                if fn and c.position < len(fn[1]):
                    add(fn[1][c.position], "callee-param", f"argument {c.position} of {short}()")
                continue
            recv, _, member = callee.rpartition(".")
            rt = w.value_type(recv, m.fullName)
            if rt:
                base = split_generic(BOXES.get(rt, rt))[0]
                mps = w.sig.method_params.get(f"{base}.{member}")
                if mps and c.position < len(mps):
                    add(mps[c.position], "callee-param", f"argument {c.position} of {callee}()")

    def _pushed(self, w: _World, m: MethodUsageSlice, s: ObjectUsageSlice, add) -> None:  # type: ignore[no-untyped-def]
        """``const xs = []`` then ``xs.push(a)``: an array of what is pushed, when every pushed value
        has one known type (TypeScript's own evolving ``any[]`` is what the annotation replaced)."""
        name = s.targetObj.name
        args = [t for c in s.invokedCalls if c.callName in _ADDS for t in c.paramTypes]
        known = [t for t in args if informative(t)]
        variables = [w.type_of(target_key(m, o)) for o in m.slices for c in o.argToCalls
                     if c.callName in _ADDS and c.resolvedMethod == f"{name}.{c.callName}"]
        if len(known) + len(variables) < len(args) or None in variables:  # something pushed is unknown
            return
        kinds = set(known) | {t for t in variables if t}
        if len(kinds) == 1:
            t = kinds.pop()
            add(f"({t})[]" if "|" in t or "=>" in t else f"{t}[]", "pushed", f"{name}.push({t})")

    def _received(self, w: _World, s: ObjectUsageSlice, add) -> None:  # type: ignore[no-untyped-def]
        names = frozenset(c.callName for c in s.invokedCalls
                          if not c.callName.startswith("<operator>") and c.callName not in _UNIVERSAL
                          and c.resolvedMethod != ASSIGNMENT)
        ops = [c for c in s.invokedCalls if c.callName.startswith("<operator>")]
        if names:
            lib = [t for t, have in w.duck_library if names <= have]
            udts = [t.name for t in w.udts.values() if names <= t.members()
                    and (w.generics.visible is None or t.name in w.generics.visible)]
            pool = lib + udts
            if len(pool) == 1 and pool[0] != "Array":  # Array counts for ambiguity: x.concat() is not a string
                add(pool[0], "duck", "has " + ", ".join(sorted(names)))
            elif len(udts) > 1 and not lib:  # several project types fit: the most specific, weakly
                sizes = sorted((len(w.udts[t].members()), t) for t in udts)
                if sizes[0][0] < sizes[1][0]:
                    add(sizes[0][1], "duck-specific", f"has {', '.join(sorted(names))}; the smallest of "
                                                      f"{', '.join(t for _, t in sizes[:3])}")
        for c in ops:
            strength = "operator" if c.callName in _ARITHMETIC_OPS else "arith"
            if c.callName in _NUMERIC_OPS and "bigint" in c.paramTypes:  # bigint and number do not mix
                add("bigint", strength, f"operand of {c.callName.split('.')[-1]} with a bigint")
            elif c.callName in _NUMERIC_OPS:
                add("number", strength, f"operand of {c.callName.split('.')[-1]}")
            elif c.callName in ("<operator>.addition", "<operator>.equals", "<operator>.notEquals") \
                    and c.paramTypes and c.paramTypes[0] in ("string", "number", "boolean"):
                add(c.paramTypes[0], "arith", f"{c.callName.split('.')[-1]} with a {c.paramTypes[0]}")
