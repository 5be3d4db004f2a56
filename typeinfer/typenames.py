"""Type strings: normalisation for exact-match scoring, and built-in vs user-defined.

Two annotations match when their normal forms are equal: whitespace removed, ``Array<T>``
written ``T[]``, union members sorted, single quotes made double, ``readonly`` dropped.

>>> normalize("Array< string >")
'string[]'
>>> normalize("null | Foo<'a'>") == normalize('Foo<"a"> | null')
True
>>> is_builtin("Promise<string>"), is_builtin("Foo"), is_builtin("Foo[]")
(True, False, False)
"""

from __future__ import annotations

import functools
import re

PRIMITIVES = frozenset({"string", "number", "boolean", "bigint", "symbol", "void", "undefined",
                        "null", "never", "object", "any", "unknown"})
#: Types that say nothing: never proposed, and left out of accuracy (as in ManyTypes4TypeScript).
UNINFORMATIVE = frozenset({"any", "unknown", "ANY", ""})
#: Global types of the ES library most code uses (the rest are looked up in `Signatures`).
BUILTIN_NAMES = frozenset({
    "Array", "ReadonlyArray", "Promise", "PromiseLike", "Map", "Set", "WeakMap", "WeakSet",
    "ReadonlyMap", "ReadonlySet", "Record", "Partial", "Required", "Readonly", "Pick", "Omit",
    "Exclude", "Extract", "NonNullable", "ReturnType", "Parameters", "InstanceType", "Date",
    "RegExp", "Error", "TypeError", "RangeError", "Function", "Object", "String", "Number",
    "Boolean", "Symbol", "Uint8Array", "ArrayBuffer", "DataView", "Iterable", "Iterator",
    "IterableIterator", "AsyncIterable", "AsyncIterator", "AsyncIterableIterator", "Generator",
    "AsyncGenerator", "JSON", "Math", "BigInt", "ArrayLike", "PropertyKey", "Awaited",
    "Int8Array", "Int16Array", "Int32Array", "Uint16Array", "Uint32Array", "Float32Array",
    "Float64Array", "Uint8ClampedArray", "BigInt64Array", "BigUint64Array", "Buffer",
})


@functools.lru_cache(maxsize=65536)
def normalize(t: str) -> str:
    """The normal form used for exact match."""
    t = " ".join(t.replace("'", '"').split()).strip().rstrip(";")
    t = re.sub(r"\breadonly\s+", "", t)
    t = re.sub(r"\s*([<>,|&\[\]():{}=?;])\s*", r"\1", t).replace(";}", "}")
    t = re.sub(r'import\("[^"]*"\)\.', "", t)
    # a typed array's default buffer type argument (TypeScript ≥ 5.7 prints it): the same type
    t = re.sub(r"\b((?:Uint8|Uint8Clamped|Int8|Uint16|Int16|Uint32|Int32|Float32|Float64|BigInt64|BigUint64)Array"
               r"|DataView)<ArrayBufferLike>", r"\1", t)
    t = _array(t)
    parts = _split_top(t, "|")
    if len(parts) > 1:
        t = "|".join(sorted(_strip_parens(p) for p in parts))
    return t


def _array(t: str) -> str:
    # Array<X> → X[] where X has no top-level union (innermost first)
    while True:
        m = re.search(r"\bArray<([^<>|&]*)>", t)
        if not m:
            return t
        t = t[: m.start()] + m.group(1) + "[]" + t[m.end():]


def _strip_parens(t: str) -> str:
    return t[1:-1] if t.startswith("(") and t.endswith(")") and _split_top(t[1:-1], "|") else t


def union_members(t: str) -> list[str]:
    """The top-level members of a union type, as written (``A<B | C> | D`` → ``A<B | C>``, ``D``).

    >>> union_members("Map<string, A | B> | undefined")
    ['Map<string, A | B>', 'undefined']
    """
    return [m.strip() for m in _split_top(t, "|")]


def _split_top(t: str, sep: str) -> list[str]:
    out, depth, cur = [], 0, ""
    for ch in t:
        if ch in "<([{":
            depth += 1
        elif ch in ">)]}":
            depth -= 1
        if ch == sep and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    out.append(cur)
    return out


def base_name(t: str) -> str:
    """The head of a type: ``Map<K, V>`` → ``Map``, ``Foo[]`` → ``Array``, ``a.B`` → ``a.B``."""
    t = t.strip()
    if t.endswith("[]"):
        return "Array"
    return t.split("<", 1)[0].strip()


def is_builtin(t: str) -> bool:
    """Whether a type is made only of primitives, literals and standard-library types."""
    t = normalize(t)
    for part in re.split(r"[|&<>,\[\]()=:{}?]+", t):
        part = part.strip()
        if not part or part in PRIMITIVES or part in BUILTIN_NAMES or part[0] in "\"'`0123456789-":
            continue
        if part in ("true", "false", "=>", "keyof", "typeof", "extends", "infer"):
            continue
        return False
    return True


def informative(t: str | None) -> bool:
    """Whether a type says something (not ``any``/``unknown``/missing)."""
    return t is not None and normalize(t) not in UNINFORMATIVE
