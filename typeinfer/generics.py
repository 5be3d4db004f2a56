"""Type arguments for bare generic names: ``Reducer`` → ``Reducer<S, A>`` where ``S, A`` are in scope.

Rules that find a type by name (a parameter called ``enhancer`` meets ``StoreEnhancer``) or by
propagation through a callee's parameter find the type's *name*; written as is, a generic type
without its arguments is an error for tsc and a miss for exact match. `Generics` reads what
the file says about each type's type parameters, cheaply (regular expressions over the text,
no second parse): its own declarations (``interface Box<T, U = T>`` → names ``T, U``, one
required), and the written uses of imported names (``Box<A, B>`` → two arguments). The
library's generic interfaces come from `typeinfer.signatures.Signatures`.

`Generics.complete` then fills the arguments, in this order: the declared parameter names when
all of them are in scope (code tends to reuse them: ``createStore<S, A, Ext, StateExt>`` takes a
``StoreEnhancer<Ext, StateExt>``); the scope's type parameters when there are exactly as many as
the type needs; nothing when every parameter has a default; ``any`` otherwise. An imported
name never written with arguments in the file gets the scope's type parameter when there is
exactly one (``manySep<OUT>(options)`` → ``ManySepMethodOpts<OUT>``), else stays bare.

>>> g = Generics.from_text("interface Box<T, U = T> { v: T }\\ntype Id = string;\\nconst m = f as Opts<A>;")
>>> g.complete("Box", ("T", "U")), g.complete("Box", ("X",)), g.complete("Box", ())
('Box<T,U>', 'Box<X>', 'Box<any>')
>>> g.complete("Id", ("T",)), g.complete("Opts[]", ("K",)), g.complete("Opts", ("K", "V"))
('Id', 'Opts<K>[]', 'Opts<any>')
>>> g.complete("Other", ("K",)), g.complete("Other", ("K", "V")), g.complete("string", ("K",))
('Other<K>', 'Other', 'string')
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

# A lookahead for the first letter lets the matcher skip ahead (same matches, a few times faster).
_DECL = re.compile(r"(?=[ict])\b(?:interface|class|type)\s+([A-Za-z_$][\w$]*)\s*(<?)")
_ENUM = re.compile(r"(?=e)\benum\s+([A-Za-z_$][\w$]*)")
_IMPORT = re.compile(r"(?=i)\bimport\s+(?:type\s+)?(?:([A-Za-z_$][\w$]*)\s*,?\s*)?(?:\{([^}]*)\})?\s*from\b")
_USE = re.compile(r"(?=[A-Z])(?<![\w$.])([A-Z][\w$]*)<")
_NOT_GENERIC = frozenset({"Function", "Object", "String", "Number", "Boolean", "Date", "RegExp",
                          "Error", "Buffer", "Uint8Array", "ArrayBuffer", "PropertyKey", "Symbol"})
_ALIAS = re.compile(r"(?=t)\btype\s+([A-Za-z_$][\w$]*)\s*=\s*((?:[^;=]|=>)+?)(?:;|\n[ \t]*\n|\n(?=\S))")
_BARE = re.compile(r"([A-Z][\w$]*)((?:\[\])*)")


@dataclass(frozen=True, slots=True)
class Params:
    """What is known of a generic type's parameters: their names (when declared), how many are required."""

    names: tuple[str, ...]
    required: int
    total: int


def _args(text: str, start: int) -> list[str] | None:
    """Top-level comma-separated parts of the ``<...>`` opening at ``start`` (``None``: unbalanced)."""
    depth, parts, cur = 0, [], start + 1
    i = start
    while i < len(text) and i < start + 2000:
        ch = text[i]
        if ch in "<([{":
            depth += 1
        elif ch in ")]}" or (ch == ">" and text[i - 1] != "="):
            depth -= 1
            if depth == 0:
                if ch != ">":
                    return None
                parts.append(text[cur:i])
                return [p.strip() for p in parts if p.strip()]
        elif ch == "," and depth == 1:
            parts.append(text[cur:i])
            cur = i + 1
        elif ch in ";\n" and depth == 1 and text[cur:i].strip() == "":
            return None
        i += 1
    return None


@dataclass
class Generics:
    """Type-parameter facts of one file (plus the library's): see the module docstring."""

    declared: dict[str, Params] = field(default_factory=dict)
    used: dict[str, int] = field(default_factory=dict)
    library: Mapping[str, tuple[tuple[str, ...], object]] = field(default_factory=dict)
    guess_imported: bool = True
    #: Type names the file declares or imports (``None``: not read from a text, anything goes).
    visible: frozenset[str] | None = None
    #: ``type A = B | C | D`` → ``A: {B, C, D}`` (unions of named types only).
    aliases: dict[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def from_text(cls, text: str, library: Mapping[str, tuple[tuple[str, ...], object]] | None = None) -> Generics:
        """Scan a source text for declarations and written uses of generic types."""
        g = cls(library=library or {})
        seen = {m.group(1) for m in _ENUM.finditer(text)}
        for m in _IMPORT.finditer(text):
            if m.group(1):
                seen.add(m.group(1))
            for part in (m.group(2) or "").split(","):
                words = part.replace("type ", " ").split()
                if words:
                    seen.add(words[-1])
        for m in _DECL.finditer(text):
            seen.add(m.group(1))
            name = m.group(1)
            if not m.group(2):
                g.declared.setdefault(name, Params((), 0, 0))
                continue
            parts = _args(text, m.end(2) - 1)
            if parts is None:
                continue
            names = tuple(re.match(r"(?:const\s+|in\s+|out\s+)*([\w$]+)", p).group(1)  # type: ignore[union-attr]
                          for p in parts if re.match(r"(?:const\s+|in\s+|out\s+)*[\w$]+", p))
            required = sum(1 for p in parts if "=" not in p.replace("=>", ""))
            g.declared[name] = Params(names, required, len(parts))
        for m in _USE.finditer(text):
            name = m.group(1)
            if name in g.declared or name in g.used:
                continue
            parts = _args(text, m.end() - 1)
            if parts:
                g.used[name] = len(parts)
        g.visible = frozenset(seen)
        g.aliases = union_aliases(text)
        return g

    def covering_alias(self, types: list[str]) -> str | None:
        """The smallest visible union alias that has every one of ``types`` as a member.

        >>> g = Generics.from_text("type State = A | B<T> | C;\\ntype Wide = A | B | C | D;\\n")
        >>> g.covering_alias(["A", "B<number>"]), g.covering_alias(["A", "D"]), g.covering_alias(["E", "A"])
        ('State', 'Wide', None)
        """
        need = {_base(t) for t in types}
        fits = [(len(m), a) for a, m in self.aliases.items()
                if need <= m and (self.visible is None or a in self.visible)]
        return min(fits)[1] if fits else None

    def params(self, name: str) -> Params | None:
        """The type's parameters, or ``None`` when nothing is known about them."""
        if name in self.declared:
            return self.declared[name]
        if name in self.used:
            return Params((), self.used[name], self.used[name])
        lib = self.library.get(name)
        if lib is not None:
            n = len(lib[0])
            return Params((), n, n)
        return None

    def complete(self, t: str, scope: tuple[str, ...]) -> str:
        """``t`` with type arguments when it is a bare name of a generic type (else unchanged)."""
        m = _BARE.fullmatch(t)
        if m is None:
            return t
        name, arrays = m.group(1), m.group(2)
        if name in scope:  # a type parameter itself
            return t
        p = self.params(name)
        if p is None and len(scope) == 1 and name not in _NOT_GENERIC:
            # an imported type seen nowhere with arguments, in a method with one type parameter
            return f"{name}<{scope[0]}>{arrays}" if self.guess_imported else t
        if p is None or p.total == 0:
            return t
        if p.names and p.required and all(n in scope for n in p.names[: p.required]):
            k = p.required
            while k < len(p.names) and p.names[k] in scope:
                k += 1
            return f"{name}<{','.join(p.names[:k])}>{arrays}"
        if len(scope) == p.total or (len(scope) >= p.required > 0 and len(scope) <= p.total):
            return f"{name}<{','.join(scope)}>{arrays}"
        if p.required == 0:
            return t
        return f"{name}<{','.join(['any'] * p.required)}>{arrays}"


def _base(t: str) -> str:
    return t.split("<", 1)[0].strip()


def union_aliases(text: str) -> dict[str, frozenset[str]]:
    """``type A = B | C<T> | D`` declarations of a text → ``{"A": {"B", "C", "D"}}``.

    >>> a = union_aliases("export type S =\\n  | Obj\\n  | Arr<T>\\n\\ntype N = string | number;\\ntype F = (x) => Y;")
    >>> {k: sorted(v) for k, v in a.items()}
    {'S': ['Arr', 'Obj']}
    """
    out: dict[str, frozenset[str]] = {}
    for m in _ALIAS.finditer(text):
        parts = [p.strip() for p in m.group(2).split("|") if p.strip()]
        if len(parts) < 2 or not all(re.fullmatch(r"[A-Z][\w$]*(<[^|]*>)?", p) for p in parts):
            continue
        out[m.group(1)] = frozenset(_base(p) for p in parts)
    return out
