"""Known library signatures, read from ``.d.ts`` files (TypeScript's ``lib.*.d.ts`` and a project's).

A `Signatures` table answers three questions the symbolic predictor and the combiner ask:
what does a global function or variable return (``parseInt`` → ``number``), what is the type
of member ``m`` of type ``T`` (``string``'s ``length`` → ``number``), and which members does a
type have (JoernTI's type-violation check: a candidate type must have every invoked member).

The standard library comes from the npm ``typescript`` package; `find_typescript_lib` looks in
``$WORKBENCH_TYPESCRIPT_LIB``, the workbench cache (where ``scripts/setup.sh`` installs
``typescript@5.9.3``) and ``node_modules`` folders. Without it the table is empty and the
predictors simply know less.

>>> sig = Signatures.from_dts("interface Box<T> { get(): T; size: number; }\\n"
...                           "declare function parseInt(s: string): number;")
>>> sig.member_type("Box<string>", "get"), sig.member_type("Box<string>", "size")
('string', 'number')
>>> sig.member_type("Box<string>", "get", call=False) is None  # a function value
True
>>> sig.function("parseInt")
('number', ('string',))
>>> sorted(sig.members("Box<string>"))
['get', 'size']
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import re
from dataclasses import dataclass, field
from pathlib import Path

from typeinfer.cpg import _parser, accessor

#: Primitive type → the interface holding its members.
BOXES = {"string": "String", "number": "Number", "boolean": "Boolean", "bigint": "BigInt",
         "symbol": "Symbol"}
#: The ES lib files read by default (DOM is left out: large, and not what libraries use).
DEFAULT_LIBS = ("es5", "es2015.core", "es2015.collection", "es2015.promise", "es2015.iterable",
                "es2015.symbol", "es2015.symbol.wellknown", "es2016.array.include", "es2017.object",
                "es2017.string", "es2018.promise", "es2019.array", "es2019.object", "es2019.string",
                "es2020.bigint", "es2020.string", "es2020.promise", "es2021.string", "es2021.promise",
                "es2022.array", "es2022.object", "es2022.error", "es2023.array", "decorators")


def cache_dir() -> Path:
    """Where `typeinfer` keeps downloads and derived files (outside git): ``types/`` in the
    workbench cache (``$WORKBENCH_CACHE``, default ``~/.cache/workbench``)."""
    from workbench.config import cache_dir as workbench_cache

    return workbench_cache() / "types"


def _setup_tsc_dir() -> Path:
    """Where ``scripts/setup.sh`` installs ``typescript`` (it follows ``$XDG_CACHE_HOME``)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "workbench" / "types" / "tsc"


def find_typescript_lib() -> Path | None:
    """The ``lib`` folder of an installed npm ``typescript`` package, or ``None``."""
    env = os.environ.get("WORKBENCH_TYPESCRIPT_LIB")
    candidates = [Path(env)] if env else []
    candidates += [cache_dir() / "tsc" / "node_modules" / "typescript" / "lib",
                   _setup_tsc_dir() / "node_modules" / "typescript" / "lib",
                   Path.cwd() / "node_modules" / "typescript" / "lib",
                   Path("/usr/lib/node_modules/typescript/lib"),
                   Path("/usr/local/lib/node_modules/typescript/lib")]
    for c in candidates:
        if (c / "lib.es5.d.ts").is_file():
            return c
    return None


@dataclass
class Signatures:
    """Interfaces (members with their types), global functions and global variables."""

    #: interface name → (type parameters, member → type; methods map to their return type)
    interfaces: dict[str, tuple[tuple[str, ...], dict[str, str]]] = field(default_factory=dict)
    #: function name → (return type, parameter types)
    functions: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    #: method "Iface.m" → parameter types
    method_params: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: global variable → its type (``Math`` → ``Math``, ``JSON`` → ``JSON``)
    variables: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_dts(cls, text: str) -> Signatures:
        """Read declarations from the text of a ``.d.ts`` file."""
        sig = cls()
        sig.add_dts(text)
        return sig

    def add_dts(self, text: str) -> None:
        """Add the declarations of one ``.d.ts`` text (interfaces merge, as in TypeScript)."""
        data = text.encode("utf-8", "replace")
        tree = _parser("typescript").parse(data)
        stack = [tree.root_node]
        while stack:
            node = stack.pop()
            t = node.type
            if t in ("interface_declaration", "class_declaration", "abstract_class_declaration"):
                self._interface(node)
            elif t == "function_signature" or t == "function_declaration":
                name = node.child_by_field_name("name")
                if name is not None:
                    old = self.functions.get(_txt(name))
                    new = (_ret(node), _params(node))
                    self.functions[_txt(name)] = new if old is None or old[0] == new[0] else ("", ())
            elif t == "variable_declarator":
                name, typ = node.child_by_field_name("name"), node.child_by_field_name("type")
                if name is not None and typ is not None:
                    self.variables.setdefault(_txt(name), _ann(typ))
            else:
                stack.extend(node.named_children)

    def _interface(self, node: object) -> None:
        name = node.child_by_field_name("name")  # type: ignore[attr-defined]
        body = node.child_by_field_name("body")  # type: ignore[attr-defined]
        if name is None or body is None:
            return
        tp = node.child_by_field_name("type_parameters")  # type: ignore[attr-defined]
        params = tuple(_txt(c.child_by_field_name("name")) for c in (tp.named_children if tp else ())
                       if c.child_by_field_name("name") is not None)
        iname = _txt(name)
        old_params, members = self.interfaces.get(iname, (params, {}))
        for m in body.named_children:
            mname = m.child_by_field_name("name")
            if mname is None:
                continue
            key = _txt(mname)
            kind = accessor(m)
            if kind == "get":  # read as a property
                members[key] = _ret(m) or "any"
            elif kind == "set":
                ps = _params(m)
                members.setdefault(key, ps[0] if ps else "any")
            elif m.type in ("method_signature", "method_definition", "abstract_method_signature"):
                ret = _ret(m)
                if members.get(key, ret) != ret:
                    ret = ""  # overloads that disagree: the return type depends on the call
                members[key] = ret
                self.method_params.setdefault(f"{iname}.{key}", _params(m))
            elif m.type in ("property_signature", "public_field_definition"):
                typ = m.child_by_field_name("type")
                members.setdefault(key, _ann(typ) if typ is not None else "any")
        self.interfaces[iname] = (old_params or params, members)

    # -- queries -------------------------------------------------------------------------------
    def _lookup(self, typ: str) -> tuple[str, dict[str, str], dict[str, str]] | None:
        """(interface, members, substitution) for a type expression, or None when unknown."""
        typ = typ.strip()
        if typ.endswith("[]"):
            typ = f"Array<{typ[:-2]}>"
        typ = BOXES.get(typ, typ)
        base, args = split_generic(typ)
        entry = self.interfaces.get(base)
        if entry is None:
            return None
        params, members = entry
        return base, members, dict(zip(params, args, strict=False))

    def members(self, typ: str) -> frozenset[str] | None:
        """Member names of a type, or ``None`` when the type is unknown here."""
        found = self._lookup(typ)
        return None if found is None else frozenset(found[1])

    def member_type(self, typ: str, member: str, call: bool = True) -> str | None:
        """The type of ``typ.member(...)`` (``call``) or of ``typ.member``, generics substituted.

        A method read without a call is a function value, which no predictor writes: ``None``.
        """
        found = self._lookup(typ)
        if found is None or not found[1].get(member):
            return None
        base, members, subst = found
        if not call and f"{base}.{member}" in self.method_params:
            return None
        return substitute(members[member], subst)

    def function(self, name: str) -> tuple[str, tuple[str, ...]] | None:
        """(return type, parameter types) of a global function (``None`` if unknown or overloaded)."""
        f = self.functions.get(name)
        return f if f and f[0] else None

    def types_with(self, names: frozenset[str]) -> list[str]:
        """Interfaces that have every one of ``names`` as a member (duck typing)."""
        return [i for i, (_, m) in self.interfaces.items() if names <= m.keys()]


def split_generic(typ: str) -> tuple[str, list[str]]:
    """``Map<string, Array<T>>`` → ``('Map', ['string', 'Array<T>'])``.

    >>> split_generic("Map<string, Array<T>>")
    ('Map', ['string', 'Array<T>'])
    """
    if "<" not in typ or not typ.endswith(">"):
        return typ, []
    base, inner = typ.split("<", 1)
    args, depth, cur = [], 0, ""
    for ch in inner[:-1]:
        if ch in "<([{":
            depth += 1
        elif ch in ">)]}":
            depth -= 1
        if ch == "," and depth == 0:
            args.append(cur.strip())
            cur = ""
        else:
            cur += ch
    args.append(cur.strip())
    return base.strip(), args


def substitute(typ: str, subst: dict[str, str]) -> str:
    """Replace type parameters by arguments (whole words only)."""
    if not subst:
        return typ
    return re.sub(r"\b[A-Za-z_]\w*\b", lambda m: subst.get(m.group(0), m.group(0)), typ)


def _txt(node: object) -> str:
    return node.text.decode("utf-8", "replace")  # type: ignore[attr-defined]


def _ann(typ: object) -> str:
    text = _txt(typ).lstrip()
    return " ".join((text[1:] if text.startswith(":") else text).split())


def _ret(node: object) -> str:
    r = node.child_by_field_name("return_type")  # type: ignore[attr-defined]
    return _ann(r) if r is not None else "any"


def _params(node: object) -> tuple[str, ...]:
    ps = node.child_by_field_name("parameters")  # type: ignore[attr-defined]
    out = []
    for p in ps.named_children if ps is not None else ():
        t = p.child_by_field_name("type")
        typ = _ann(t) if t is not None else "any"
        pat = p.child_by_field_name("pattern")
        if pat is not None and pat.type == "rest_pattern":  # ...items: T[] takes arguments of type T
            typ = typ[:-2] if typ.endswith("[]") and "|" not in typ else "any"
        out.append(typ)
    return tuple(out)


#: Bumped when what `Signatures` records changes, so that stale pickles are not read.
_FORMAT = 3


@functools.cache
def standard_library(libs: tuple[str, ...] = DEFAULT_LIBS) -> Signatures:
    """TypeScript's standard library signatures (empty when no ``typescript`` install is found).

    Parsed once and pickled in the cache folder, keyed by the lib folder and file list.
    """
    lib = find_typescript_lib()
    if lib is None:
        return Signatures()
    key = hashlib.sha1(repr((str(lib), libs, _FORMAT)).encode()).hexdigest()[:12]
    cached = cache_dir() / f"stdlib-{key}.pickle"
    if cached.is_file():
        try:
            with cached.open("rb") as fh:
                return pickle.load(fh)
        except (OSError, pickle.PickleError, EOFError):
            pass
    sig = Signatures()
    for name in libs:
        f = lib / f"lib.{name}.d.ts"
        if f.is_file():
            sig.add_dts(f.read_text(encoding="utf-8", errors="replace"))
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        with cached.open("wb") as fh:
            pickle.dump(sig, fh)
    except OSError:
        pass
    return sig
