"""Combine predictors' candidates; keep only types consistent with the slice; abstain otherwise.

As JoernTI's type-violation check: a candidate type must have every member the object
receives (``x.push()`` rules out ``string``), may not be called unless it is callable, and may
not be indexed when it is a number or boolean. Types the signatures do not know (imported from
elsewhere) cannot be checked and pass. Among the consistent candidates the best score wins;
the score is the best predictor's confidence times its weight, plus a bonus when predictors
agree. Below `THRESHOLD` the combiner abstains (``type`` is ``None``).

>>> from typeinfer.predict import Candidate
>>> from typeinfer.slices import DefComponent, MethodUsageSlice, ObjectUsageSlice, ObservedCall
>>> from typeinfer.slices import ProgramUsageSlice
>>> from typeinfer.signatures import Signatures
>>> sig = Signatures.from_dts("interface String { trim(): string; }\\ninterface Array<T> { push(x: T): number; }")
>>> s = ObjectUsageSlice(DefComponent("x", label="LOCAL"), invokedCalls=(ObservedCall("push"),))
>>> prog = ProgramUsageSlice((MethodUsageSlice("", "f", "a.ts", (s,)),))
>>> cands = {"f::LOCAL::x": (Candidate("string", 0.9, "learned"), Candidate("number[]", 0.6, "learned"))}
>>> inf = combine(prog, [cands], sig)["f::LOCAL::x"]
>>> inf.type, inf.rejected
('number[]', (('string', "string has no member 'push'"),))
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from typeinfer.predict import Candidate, Predictions, target_key
from typeinfer.signatures import Signatures, split_generic
from typeinfer.slices import ASSIGNMENT, DefComponent, ObjectUsageSlice, ProgramUsageSlice
from typeinfer.typenames import BUILTIN_NAMES, PRIMITIVES, informative, normalize

if TYPE_CHECKING:
    from typeinfer.annotate import Edit

THRESHOLD = 0.3
AGREEMENT_BONUS = 0.05
#: Per-predictor weight on its confidence.
WEIGHTS = {"symbolic": 1.0, "learned": 0.9, "llm": 0.8}
_UNIVERSAL = frozenset({"toString", "valueOf", "hasOwnProperty", "constructor", "toLocaleString"})
_TYPE_WORDS = frozenset({"true", "false", "keyof", "typeof", "readonly", "infer", "extends", "in",
                         "is", "asserts", "new", "unique"})
_NOT_CALLABLE = frozenset({"string", "number", "boolean", "bigint", "symbol", "void", "undefined",
                           "null", "object"})


@dataclass(frozen=True, slots=True)
class Inference:
    """The combined verdict for one target: a type (or ``None``: abstain) and why."""

    key: str
    method: str
    target: DefComponent
    type: str | None
    confidence: float
    source: str
    evidence: tuple[str, ...] = ()
    rejected: tuple[tuple[str, str], ...] = ()
    slice: ObjectUsageSlice | None = None
    #: Every predictor's evidence for the type only bounds it (`typeinfer.predict.Candidate.bound`).
    bound: bool = False
    #: The edits that write it, when a judge decided them (`typeinfer.judge`: checked to add no
    #: compiler error, or JSDoc in JavaScript); ``None``: the plain annotation at ``insertAt``.
    writes: tuple[Edit, ...] | None = None

    def __str__(self) -> str:
        if self.type is None:
            return f"{self.target.name}: ? (abstain)"
        return f"{self.target.name}: {self.type} ({self.confidence:.2f}, {self.source})"


def violation(t: str, sl: ObjectUsageSlice, sig: Signatures,
              udts: dict[str, frozenset[str] | None], scope: frozenset[str] | None = None) -> str | None:
    """Why type ``t`` contradicts the slice, or ``None`` when it is consistent (or uncheckable)."""
    return _violation(t, sl, _received(sl), sig, udts, scope)


def _received(sl: ObjectUsageSlice) -> tuple[frozenset[str], frozenset[str]]:
    """What the object receives: the members it needs (calls, field reads), and every call name
    (operators too). Once per target, whatever the number of candidates checked against it."""
    members = frozenset(c.callName for c in sl.invokedCalls
                        if not c.callName.startswith("<operator>") and c.callName not in _UNIVERSAL
                        and c.resolvedMethod != ASSIGNMENT)
    return members, frozenset(c.callName for c in sl.invokedCalls)


def _violation(t: str, sl: ObjectUsageSlice, received: tuple[frozenset[str], frozenset[str]],
               sig: Signatures, udts: dict[str, frozenset[str] | None],
               scope: frozenset[str] | None) -> str | None:
    members, kinds = received
    base = normalize(t)
    if sl.definedBy is not None and sl.definedBy.label == "REST" and not base.endswith("[]") \
            and not base.startswith(("Array<", "ReadonlyArray<")):
        return f"{t} is not an array, but a rest parameter is"
    if scope is not None:
        for name in _type_names(base):
            if name not in scope:
                return f"type {name!r} is not in scope here"
    if "<operator>.call" in kinds and base in _NOT_CALLABLE | {"string[]", "number[]"}:
        return f"{t} is not callable"
    if "<operator>.indexAccess" in kinds and base in ("number", "boolean"):
        return f"{t} cannot be indexed"
    if not members:
        return None
    alternatives = [a.strip() for a in base.split("|")] if "|" in base and "<" not in base else [base]
    known: list[frozenset[str]] = []
    for alt in alternatives:
        if alt in ("null", "undefined"):
            continue
        have = _members(alt, sig, udts)
        if have is None:
            return None  # an alternative we cannot check: give it the benefit of the doubt
        known.append(have)
    if not known:
        return None
    missing = sorted(m for m in members if not any(m in k for k in known))
    return f"{t} has no member {missing[0]!r}" if missing else None


@functools.lru_cache(maxsize=65536)
def _type_names(base: str) -> tuple[str, ...]:
    """The names a (normalised) type refers to that must be in scope: not primitives, not
    keywords, not object-type keys (computed once per type: candidates repeat across targets).

    >>> _type_names('Map<string, Foo> | { a: Bar }')
    ('Map', 'Foo', 'Bar')
    """
    return tuple(n for n in re.findall(r"(?<![\w.\"'])[A-Za-z_$][\w$]*(?![\w$]*\s*:)", base)
                 if n not in PRIMITIVES and n not in _TYPE_WORDS)


def _members(t: str, sig: Signatures, udts: dict[str, frozenset[str] | None]) -> frozenset[str] | None:
    head = split_generic(t)[0]
    if head in udts:
        return udts[head]
    if t.startswith("{") or "=>" in t or t.startswith("("):
        return None
    return sig.members(t)


def _udt_members(program: ProgramUsageSlice, sig: Signatures) -> dict[str, frozenset[str] | None]:
    """Members of each user-defined type including inherited ones; ``None`` when a base is unknown."""
    by_name = {t.name: t for t in program.userDefinedTypes}
    out: dict[str, frozenset[str] | None] = {}

    def resolve(name: str, seen: frozenset[str]) -> frozenset[str] | None:
        if name in out:
            return out[name]
        t = by_name.get(name)
        if t is None:
            return sig.members(name)
        acc = set(t.members())
        for b in t.bases:
            if b in seen:
                continue
            bm = resolve(b, seen | {name})
            if bm is None:
                return None
            acc |= bm
        return frozenset(acc)

    for name in by_name:
        out[name] = resolve(name, frozenset())
    return out


def combine(program: ProgramUsageSlice, predictions: list[Predictions], sig: Signatures,
            threshold: float = THRESHOLD) -> dict[str, Inference]:
    """One `Inference` per unannotated, annotatable-or-not target of the program.

    Parameters
    ----------
    program:
        The slices the candidates were made for (needed for the consistency check).
    predictions:
        One mapping per predictor (`typeinfer.predict.Predictor.predict`).
    threshold:
        Minimum combined score to answer; lower scores abstain.
    """
    udts = _udt_members(program, sig)
    # names a type may use: the file's declared and imported types, the library's, built-ins
    names = frozenset(udts) | frozenset(sig.interfaces) | BUILTIN_NAMES | frozenset(sig.variables)
    out: dict[str, Inference] = {}
    scope, scope_of = names, None
    for m, sl in program.targets():
        if sl.targetObj.label == "ARGUMENT" or informative(sl.targetObj.typeFullName):
            continue
        if scope_of is not m:  # the method's type parameters too (one set per method, not per type)
            scope_of = m
            scope = names | frozenset(m.typeParameters) if m.typeParameters else names
        key = target_key(m, sl)
        received = _received(sl)
        pooled: dict[str, list[Candidate]] = {}
        for preds in predictions:
            for c in preds.get(key, ()):
                if informative(c.type):
                    pooled.setdefault(normalize(c.type), []).append(c)
        scored = []
        rejected = []
        for _norm, cs in pooled.items():
            why = _violation(cs[0].type, sl, received, sig, udts, scope)
            if why is not None:
                if not why.endswith("is not in scope here"):  # the model's vocabulary, not a verdict
                    rejected.append((cs[0].type, why))
                continue
            if len(cs) == 1:  # the common case, without the general one's sorting
                best, sources = cs[0], [cs[0].source]
            else:
                best = max(cs, key=lambda c: c.confidence * WEIGHTS.get(c.source, 0.7))
                sources = sorted({c.source for c in cs})
            score = min(0.99, best.confidence * WEIGHTS.get(best.source, 0.7)
                        + AGREEMENT_BONUS * (len(sources) - 1))
            scored.append((score, best, sources, cs))
        scored.sort(key=lambda x: -x[0])
        if scored and scored[0][0] >= threshold:
            score, best, sources, cs = scored[0]
            out[key] = Inference(key, m.fullName, sl.targetObj, best.type, round(score, 3),
                                 "+".join(sources), tuple(c.evidence for c in cs if c.evidence),
                                 tuple(rejected), sl, bound=all(c.bound for c in cs))
        else:
            conf = round(scored[0][0], 3) if scored else 0.0
            out[key] = Inference(key, m.fullName, sl.targetObj, None, conf, "none", (),
                                 tuple(rejected), sl)
    return out
