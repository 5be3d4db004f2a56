"""The compiler as the judge of every hint.

Where TypeScript knows a type (not ``any``: returns, initialised variables, fields, contextually
typed or defaulted parameters), the hint *is* the compiler's type, printed as the editor
prints it. The usage-slice predictors only fill the holes the compiler leaves ``any``, and a
predicted type becomes a hint only when writing it into the file adds no compiler error
there (checked through the long-lived language service, `typeinfer.checker`, all candidates
of a file in one check, bisected when an error cannot be pinned to a line). Then the
compiler is asked again, with the verified annotations in place: a return or variable that
was ``any`` only because a parameter was often now has a type of the compiler's own.
Predictions that fail (or were never checked) stay `Judged.candidates`: hover shows them as
candidates, never as hints. A last source, ``fill`` (an LLM's infill, `typeinfer.predict.llm`), is
asked only for the parameters no other evidence reaches, and its answer is judged the same way.

In JavaScript (``checkJs``) the same holds; what is written is an inline JSDoc comment
(``/** @type {T} */ x``, ``/** @returns {T} */ function f``), not a TypeScript annotation.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from typeinfer.annotate import Edit, edits_for, writable
from typeinfer.checker import Checker, CheckResult, Decl
from typeinfer.combine import Inference
from typeinfer.cpg import dialect_of
from typeinfer.predict import Predictions
from typeinfer.typenames import union_members

log = logging.getLogger("typeinfer.judge")
#: Trial checks for one file (each re-checks the file; what is left unchecked is dropped): one per
#: hole the judge starts with, at least `MIN_CHECKS` and at most `MAX_CHECKS` (`check_budget`).
MIN_CHECKS = 32
MAX_CHECKS = 256


def check_budget(holes: int) -> int:
    """The trial checks a file with ``holes`` targets the compiler leaves open may use. Why it grows
    with the file: bisecting the suspected candidates costs checks in proportion to the wrong ones,
    and a fixed 32 ran out in a large file's first step, dropping right candidates unchecked (C25,
    docs/types.md: a 2,018-line parser with 200 holes needed 148). Counts, not time, so that a
    file's hints do not depend on the machine's load.

    >>> check_budget(3), check_budget(200), check_budget(5000)
    (32, 200, 256)
    """
    return min(MAX_CHECKS, max(MIN_CHECKS, holes))


_PLACEHOLDERS = frozenset({"any", "unknown", "{}", "undefined", "null"})


@dataclass(frozen=True)
class Judged:
    """One file's hints after judgement, and the candidates that did not become hints."""

    #: key → the hint (compiler's type, or a verified prediction); ``writes`` set when writing it
    #: was checked to add no error.
    hints: dict[str, Inference]
    #: key → a prediction that is not a hint (failed or not checked); for hover only.
    candidates: dict[str, Inference]
    checks: int = 0
    #: key → every candidate considered for a parameter, best first (what was tried, and why).
    considered: dict[str, tuple[Candidate, ...]] = field(default_factory=dict)
    #: Why the judge gave no hints at all (empty: it judged): a file it cannot judge (`other_language`).
    abstained: str = ""
    #: key → the errors each candidate tried alone added (F1): why it is not a hint.
    failed: dict[str, tuple[Failure, ...]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Candidate:
    """One type proposed for a parameter the compiler leaves ``any``, by one source of evidence."""

    type: str
    #: "predictors" (the usage-slice predictors), "call sites" (the compiler's types of the
    #: arguments passed to the function in the project), "convention" (how the project
    #: annotates parameters of this name elsewhere).
    source: str
    confidence: float
    evidence: str


@dataclass(frozen=True, slots=True)
class Failure:
    """An error that writing a candidate adds to its file: why it is not a hint (F1)."""

    type: str
    line: int
    #: TypeScript's error code (``2339``: TS2339).
    code: int
    #: The compiler's message, its first line.
    message: str

    def __str__(self) -> str:
        m = self.message if len(self.message) <= SHOWN_CHARS else self.message[:SHOWN_CHARS - 1] + "…"
        return f"line {self.line}, TS{self.code}: {m}"


#: Longest error message a `Failure` shows (the compiler's are read whole: `placeholder`).
SHOWN_CHARS = 200


@dataclass(frozen=True)
class _Item:
    key: str
    edits: tuple[Edit, ...]
    #: The annotated name (empty for a return type).
    name: str = ""
    #: The candidate type the edits write (empty: the compiler's own type, step 3).
    type: str = ""

    @property
    def lines(self) -> frozenset[int]:
        return frozenset(e.line for e in self.edits)


def is_js(path: str | Path) -> bool:
    """Whether a file is JavaScript (annotations are written as JSDoc)."""
    return dialect_of(str(path)) == "javascript"


def known(d: Decl | None) -> bool:
    """Whether the compiler has a type of its own for a declaration: not ``any`` anywhere in it,
    and a type with a name (an intersection or an object literal's structure is what the
    printer falls back to when the code's own alias is lost: ``TRet<Uint8Array>`` prints as
    ``Uint8Array<ArrayBufferLike> & Uint8Array<ArrayBuffer>``); those are holes like ``any``.
    So is a parameter with a default value (C24): its type is the default's (``rounding =
    'strict'`` is ``string``, ``prng = defaultRandomSource`` its class), and an author who
    annotates a defaulted parameter means another (``RoundingMode``, ``RandomSource``): over the
    held-out sets 9 to 23 such compiler hints were right 17 times in 49, without a default 21 in 26.
    So is the return of a function that always throws (TH): its ``void`` is what the stub does, while its author
    writes the type it stands for (``open(): DB``) or ``never``; over the sets 9 to 33 such hints were right 2 times
    in 14."""
    if d is None or d.has_any or d.defaulted or d.throws:
        return False
    # the authored form stands for the print where the print is lost only by what that form leaves out: a
    # structure the code names (C34b) or a `never` that fills a defaulted type parameter (C36)
    if d.written and (d.anonymous or _STRUCTURE.search(d.full) or not _LOST.search(_NEVER.sub("T", d.full))):
        return not _LOST.search(d.written)
    return not d.anonymous and d.full not in _PLACEHOLDERS and not _LOST.search(d.full)


#: A printed compiler type with an intersection anywhere in it (``Promise<Uint8Array<…> &
#: Uint8Array<ArrayBuffer>>``: an alias such as ``TRet<…>`` was lost), an object literal's or a
#: function's structure anywhere in it (``Readonly<{ … }>``, ``(seed: …) => …``: the name the
#: code gives it was lost; on dev 0 of 11 such hints were right), ``any`` nested where
#: `Decl.has_any` does not look, or ``never`` (an empty array literal's ``never[]``): on dev such
#: compiler types were right 3 times in 22 for variables; they are holes, like ``any``. So is a ``never`` type
#: argument (letting it through everywhere, C35b, cost more parameter hints than it gained returns), except in
#: a return where it only fills a defaulted type parameter, which its authored form leaves out (C36:
#: ``Effect.Effect<void, SqlError, never>`` is hinted ``Effect.Effect<void, SqlError>``; `Decl.written`).
_LOST = re.compile(r" & |\bany\b|\bnever\b|\{ |=>")
_NEVER = re.compile(r"\bnever\b")
#: The part of `_LOST` that is a structure without a name (an object literal's type, a function type).
_STRUCTURE = re.compile(r"\{ |=>")
#: A predicted type that is not tried as a hint: one holding ``any`` (``Set<any>``: a generic
#: whose arguments nothing pinned down; 3 of 14 right on dev) or ``ArrayLike<…>`` (the least
#: specific duck type of anything indexed with a length; 0 of 4).
_WORD = re.compile(r"[A-Za-z_$][\w$]*")
_VAGUE = re.compile(r"\bany\b|^ArrayLike<")


def _key(inf: Inference) -> tuple[str, tuple[int, int]] | None:
    t = inf.target
    if t.label == "METHOD_RETURN":
        return (t.label, t.insertAt) if t.insertAt else None
    return (t.label, (t.lineNumber or 0, t.columnNumber or 0))


def _decl(decls: dict[tuple[str, tuple[int, int]], Decl], inf: Inference) -> Decl | None:
    """The compiler's declaration of an inference's target in one check's result (`_index`), if it reported one."""
    k = _key(inf)
    return decls.get(k) if k else None


def _index(result: CheckResult) -> dict[tuple[str, tuple[int, int]], Decl]:
    return {(d.label, d.at): d for d in result.decls}


def writes_for(inf: Inference, typ: str, decl: Decl | None, js: bool) -> tuple[Edit, ...]:
    """The edits that write ``typ`` for a target: an annotation (TypeScript) or inline JSDoc (JavaScript)."""
    if not writable(typ) or (decl is not None and decl.loop):
        return ()
    if not js:
        return edits_for(replace(inf, type=typ, writes=None))
    if decl is None or decl.jsdoc_at is None or "*/" in typ:
        return ()
    tag = "@returns" if inf.target.label == "METHOD_RETURN" else "@type"
    return (Edit(*decl.jsdoc_at, f"/** {tag} {{{typ}}} */ "),)


def _hint_type(d: Decl, as_printed: bool = False, buffers: bool | None = None) -> str:
    """The compiler's type of a declaration as its hint carries it: whole (an editor cuts its label;
    ``types infer`` writes it as it is)."""
    return compiler_type(d.full, d, as_printed, buffers)


#: Confidence of each kind of evidence, chosen on the dev split (`benchmarks/types_eval.py
#: --split dev`): a type every call site passes (alone right 16 times in 47 on dev, so a weak
#: confidence; see `BOUND`); the project's usual annotation for the name (alone 88 of 93).
CALL_SITE_CONFIDENCE = {1: 0.4, 2: 0.45}
CONVENTION_MIN_COUNT = 2
CONVENTION_MIN_SHARE = 0.5
#: A type in scope named after the function and the parameter (`Decl.named`: ``touch(cid, options)``
#: → ``TouchOptions``); alone, held back since C23 (`ALONE_MIN`: over the held-out sets 9 to 23 such
#: lone hints were right 11 times in 21).
NAMING_CONFIDENCE = 0.85
#: The one type in scope (the project's or imported) that has every property the parameter's
#: function reads or calls on it (`Decl.members`), kept alone.
MEMBERS_CONFIDENCE = 0.7
#: The compiler's contextual type where the parameter's function is used as a callback
#: (`Decl.contexts`: ``xs.map(toKey)``), kept alone: it is the type the compiler would give the
#: parameter were the function written in place.
CONTEXT_CONFIDENCE = 0.9
#: The parameter type the member of the same name has in the method's class's base types
#: (`Decl.inherited`: a class implementing ``Router`` with ``get(key)`` → ``Router.get``'s ``key``), kept
#: alone: TypeScript does not type such a parameter from its base (implicit any), but the base member's
#: declared type is what "Implement interface" writes and what callers through the base type pass (C26).
INHERITED_CONFIDENCE = 0.9
#: What the parameter's own uses expect (`Decl.uses`: passed to ``send(e: StreamEvent)``), all
#: uses agreeing and not `_wide`. An upper bound, but the compiler's, and kept alone: over the six
#: tuning sets (with dependencies installed) parameters 39.88 / 87.22 → 42.32 / 85.02 mean exact /
#: precision (unfiltered 42.22 / 83.89; held back as a bound, 41.19 / 86.75; docs/types.md,
#: "Dependencies installed, callbacks, uses" and "Uses filtered").
USES_CONFIDENCE = 0.6
#: A type the compiler printed from an argument that no one would write (its structure).
_UNWRITTEN = re.compile(r"[{&]|=>|\bimport\(")
_TYPED_ARRAY_ARG = re.compile(r"\b((?:Readonly)?(?:Uint8|Uint8Clamped|Int8|Uint16|Int16|Uint32|Int32|Float32|Float64"
                              r"|BigInt64|BigUint64)Array(?:List)?|DataView|ArrayBufferView|Buffer)<(?:ArrayBufferLike|ArrayBuffer)>")
#: ``ArrayBufferLike`` as a type argument of any generic: the default of every typed-array-like type
#: parameter since TypeScript 5.7 (``Uint8ArrayList<ArrayBufferLike>`` is ``Uint8ArrayList``), which the
#: printer spells out and authors omit. (``<ArrayBuffer>`` is a type of its own there: kept.)
_DEFAULT_BUFFER_ARG = re.compile(r"\b([A-Za-z_$][\w$.]*)<ArrayBufferLike>")
#: A type that says nothing about the value: a mapped type over a type parameter the compiler did not
#: infer (``Partial<unknown>`` is ``unknown``), a generic whose only argument is ``unknown`` or an array
#: of it (``unknown[]``, ``Set<unknown>``: ``[]``, ``new Set()``, elements nothing pinned down), or
#: ``this`` (the receiver's type, which no one writes for a parameter), or the empty tuple ``[]`` (an empty
#: array literal's type, no one's parameter type: a model's way of not knowing). ``Record<string, unknown>``
#: is a type of its own.
_SAYS_NOTHING = re.compile(r"\b[A-Za-z_$][\w$.]*<unknown>|\bunknown\[\]|^this$|^\[\]$")


def _says_something(t: str) -> bool:
    """Whether an evidence type (`evidence_type`) can be a candidate at all: not a placeholder
    (``any``, ``unknown``, ...), not `_SAYS_NOTHING`, not a type from an ``import(...)`` no one writes."""
    return t not in _PLACEHOLDERS and "import(" not in t and not _SAYS_NOTHING.search(t)


def compiler_type(t: str, d: Decl, as_printed: bool = False, buffers: bool | None = None) -> str:
    """The compiler's type of a declaration as its author writes it (`authored`; a return as `Decl.written`
    has it), without the ``| undefined`` that a ``?`` adds (``x?: bigint``; tsc's declaration output prints
    it so).
    ``as_printed``, and always for a variable: the same type as the compiler's, only a default
    ``ArrayBufferLike`` type argument dropped (where writing the authored form adds an error; a
    variable's hint is what hover shows, and authors rarely annotate variables: on the JavaScript
    dev files the authored form of three ``new Uint8Array(n)`` constants was not the typed source's).
    ``buffers``, the project's typed-array style where its TypeScript sources tell it (T1): ``True``, they write
    a typed array's buffer argument (``Uint8Array<ArrayBuffer>``): as printed; ``False``, they never do: as
    authored, a variable's too (``as_printed`` still gives the print, for when writing that form fails).

    >>> d = Decl("MEMBER", "slot", (1, 1), "", False, False, None, question=True)
    >>> compiler_type("Uint8Array<ArrayBufferLike> | undefined", d), compiler_type("Map<K, V | undefined>", d)
    ('Uint8Array', 'Map<K, V | undefined>')
    >>> compiler_type("Uint8Array<ArrayBuffer>", d), compiler_type("Uint8Array<ArrayBuffer>", d, as_printed=True)
    ('Uint8Array', 'Uint8Array<ArrayBuffer>')
    >>> v = Decl("LOCAL", "buf", (1, 1), "", False, False, None)
    >>> [compiler_type("Uint8Array<ArrayBuffer>", v, buffers=b) for b in (None, True, False)]
    ['Uint8Array<ArrayBuffer>', 'Uint8Array<ArrayBuffer>', 'Uint8Array']
    >>> compiler_type("Promise<Uint8Array<ArrayBuffer>>", d, buffers=True)
    'Promise<Uint8Array<ArrayBuffer>>'
    """
    if d.written and not as_printed and t == d.full:  # a return as its author writes it (C32, C34b–C36)
        t = d.written
    printed = as_printed or buffers is True or (buffers is None and d.label == "LOCAL")
    t = _DEFAULT_BUFFER_ARG.sub(r"\1", t) if printed else authored(t)
    return _without_undefined(t) if d.question else t


def authored(t: str) -> str:
    """A type the compiler printed, as authors write it: a typed array's buffer argument dropped
    (since TypeScript 5.7 the printer spells it, ``new Uint8Array(32)`` is ``Uint8Array<ArrayBuffer>``;
    authors write ``Uint8Array``, the wider type, as every TypeScript before 5.7 printed it), a default
    ``ArrayBufferLike`` argument of any generic dropped (the same type), and union members that then
    read the same written once. On the dev split the printed ``<ArrayBuffer>`` form was the author's
    in 0 of 13 hints (docs/types.md, "The compiler's types as authors write them").

    Node's ``Buffer`` is one of them (B1: ``Buffer<ArrayBuffer>`` since @types/node 22).

    >>> authored("Uint8Array<ArrayBufferLike> | Uint8Array<ArrayBuffer>"), authored("Codec<ArrayBuffer>")
    ('Uint8Array', 'Codec<ArrayBuffer>')
    >>> authored("Buffer<ArrayBuffer>")
    'Buffer'
    """
    t = _DEFAULT_BUFFER_ARG.sub(r"\1", _TYPED_ARRAY_ARG.sub(r"\1", t))
    members = union_members(t)
    return " | ".join(dict.fromkeys(members)) if len(members) > 1 else t


def _without_undefined(t: str) -> str:
    """``t`` without a trailing ``| undefined``, and without the parentheses the union needed
    around what is left (C27).

    >>> _without_undefined("(A & B) | undefined"), _without_undefined("((x: T) => void) | undefined")
    ('A & B', '(x: T) => void')
    >>> _without_undefined("(A) | (B) | undefined"), _without_undefined("string | undefined")
    ('(A) | (B)', 'string')
    """
    return _unwrapped(re.sub(r"^(.*?)(?: \| undefined)+$", r"\1", t))


def _unwrapped(t: str) -> str:
    """``t`` without one pair of parentheses around all of it (never needed there): the first
    ``(`` must close at the last character."""
    depth = 0
    for j, ch in enumerate(t):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth == 0:
            return t[1:-1] if j == len(t) - 1 and j > 0 else t
    return t


def evidence_type(t: str, optional: bool = False) -> str:
    """A type the compiler printed as evidence (what a call site passes, what a use or a callback
    type expects), as an author writes it: typed arrays' buffer argument and a default
    ``ArrayBufferLike`` argument dropped; for an ``optional`` parameter, without the ``| undefined``
    its optionality adds.

    >>> evidence_type("Uint8Array | Uint8ArrayList<ArrayBufferLike>")
    'Uint8Array | Uint8ArrayList'
    >>> evidence_type("TArg<Uint8Array<ArrayBufferLike>> | undefined", optional=True)
    'TArg<Uint8Array>'
    >>> evidence_type("Uint8Array<ArrayBuffer>"), evidence_type("Codec<ArrayBuffer>")
    ('Uint8Array', 'Codec<ArrayBuffer>')
    """
    t = authored(t)
    return _without_undefined(t) if optional else t


def _wide(t: str) -> bool:
    """An expected type that says little about what is passed: a union of more than two
    non-nullish members (``string | number | bigint | boolean``), ``ArrayLike<…>``,
    ``PropertyKey``, ``object``, ``{}``, or a literal type (``"jwk"``, ``0``).

    >>> [_wide(t) for t in ("string | number | bigint", "Hash | undefined", "ArrayLike<number>", '"jwk"')]
    [True, False, True, True]
    """
    members = [m for m in t.split(" | ") if m not in ("undefined", "null")]
    return (len(members) > 2 or t.startswith("ArrayLike<") or t in ("PropertyKey", "object", "{}")
            or re.fullmatch(r'"[^"]*"|\d+|true|false', t) is not None)


def project_alias(t: str, annotations: dict[str, int]) -> str:
    """``t`` as the project writes it: ``A<t>`` when the project's parameters are annotated
    ``A<t>`` at least twice and at least twice as often as plain ``t`` (``Uint8Array`` →
    ``TArg<Uint8Array>`` in a project that wraps its byte inputs).

    >>> project_alias("Uint8Array", {"TArg<Uint8Array>": 40, "Uint8Array": 2, "number": 9})
    'TArg<Uint8Array>'
    >>> project_alias("number", {"TArg<Uint8Array>": 40, "number": 9})
    'number'
    """
    plain = annotations.get(t, 0)
    best, n = t, 0
    for text, count in annotations.items():
        if count >= 2 and count >= 2 * plain and count > n and text.endswith(f"<{t}>") \
                and re.fullmatch(r"[A-Za-z_$][\w$.]*", text[: -len(t) - 2]):
            best, n = text, count
    return best


#: The source of a predictors' answer whose evidence only bounds the type (`Inference.bound`):
#: alone, a candidate only where another source agrees. (Until C23 a bound alone was a hint in
#: projects whose own parameters, passed on unchanged, are annotated as the called function's
#: parameter ≥ 80% of the time; over the rows of the fifteen held-out sets 9 to 23 such hints were
#: right 127 times in 205, 62%: below the issue's 80%, so never; docs/types.md, "C23".)
#: (What every call site passes is a lower bound too, right alone 16 times in 47 on dev and 32
#: in 58 on the second held-out set; but holding it back as well lowered exact more than it
#: raised precision over the four tuning sets: parameters 43.3% / 83.4% → 38.1% / 84.2%, mean
#: exact / precision.)
BOUND = "predictors (a bound)"
#: The project's one smallest alias of string literals holding a parameter's literal default (`Decl.default_alias`,
#: DL): tried before the predictors' `string` (`evidence_first`); with C45's rows of the tuning sets, a literal
#: default's `string` hint was right 17 times in 42, most misses such an alias (`RoundingMode`, `MimeType`, `Encodings`).
DEFAULT_ALIAS = "default"
DEFAULT_ALIAS_CONFIDENCE = 0.9
#: Least confidence of a candidate resting on one source alone, per source (a source not named:
#: none); two sources that agree are one candidate of source "a + b" and always kept. Chosen on
#: the four tuning sets by a rule written before the runs (docs/types.md, "Single sources held
#: back"): the project's convention alone only from 0.8 (its confidence, 0.5 + 0.45 · share ·
#: (1 − 1/(n + 1)): 2 of 2 parameters of that name, or 8 of 10), the predictors' answer alone
#: never unless a primitive (`ALONE_PRIMITIVE`). What every call site passes is kept alone (C13,
#: docs/types.md, "... call sites alone, ..."): once the package's dependencies are installed the call
#: sites' types are the compiler's, and over the six tuning sets trying them alone moved the
#: parameters from 43.26 / 86.99 to 45.90 / 85.85 mean exact / precision (held back, as before,
#: when imports were `any`). A type named after the function and the parameter alone, never (C23:
#: right 11 times in 21 over the held-out sets 9 to 23). A field's one source is the predictors, so
#: a field's hint is the compiler's type, a primitive, or none.
#: What the parameter's uses expect where that is a union a platform function takes (`Decl.platform_uses`: ``string
#: | URL``, ``fs.PathLike``), never alone (U1: over the sets 9 to 33 such hints were right about 6 times in 22, on the
#: sets 34 to 41 0 in 9: the author passes one form).
PLATFORM_USES = "uses (platform)"
ALONE_MIN: dict[str, float] = {"convention": 0.8, "predictors": 1.01, "naming": 1.01, PLATFORM_USES: 1.01}
#: Sources whose one-source answer is kept whatever `ALONE_MIN` says when it is a primitive
#: (``string``, ``number``, ``boolean``, ``bigint``): a wrong primitive is what the compiler's check
#: catches (the parameter's uses disagree with it), a wrong class or alias often is not
#: (structurally compatible, or only passed on). Over the four tuning sets' parameters, one-source
#: answers were right 82 of 93 times (call sites) and 142 of 174 (predictors) when primitives, 45
#: of 68 and 10 of 37 when named types. Chosen by a rule written before the runs (docs/types.md,
#: "Primitives from one source"): parameters 34.3% / 86.0% → 39.5% / 84.4%, mean exact / precision.
#: (Call sites were on this list until C13 kept them alone whatever their type.)
ALONE_PRIMITIVE: frozenset[str] = frozenset({"predictors"})
_PRIMITIVES = frozenset({"string", "number", "boolean", "bigint"})


def alone_ok(c: Candidate, d: Decl | None) -> bool:
    """Whether a candidate is kept as far as its sources go. Two agreeing sources always are (a
    source "a + b" has no `ALONE_MIN`); one source alone from its `ALONE_MIN`, or when it is a
    primitive from a source in `ALONE_PRIMITIVE`, or when the predictors name a type parameter in
    scope (`Decl.type_params`: generic code names its type parameters after the values they
    type, ``fn`` → ``TFn``, ``kind`` → ``Kind``; on the four tuning sets such answers were right
    34 times in 38; docs/types.md, "Type parameters in scope").

    >>> c = Candidate("number", "predictors", 0.6, "n / 2")
    >>> alone_ok(c, None), alone_ok(replace(c, type="Hasher"), None)
    (True, False)
    """
    from typeinfer.typenames import normalize

    return (c.confidence >= ALONE_MIN.get(c.source, 0.0)
            or (c.source in ALONE_PRIMITIVE and normalize(c.type) in _PRIMITIVES)
            or (c.source == "predictors" and d is not None and c.type in d.type_params))


def candidates(inf: Inference, d: Decl | None,
               annotations: dict[str, int] | None = None) -> tuple[Candidate, ...]:
    """Every candidate for a parameter hole, best first: the call sites' one agreeing type, the
    callback type its function is passed as (`Decl.contexts`), the type the member it implements or
    overrides takes there (`Decl.inherited`), what its own uses expect
    (`Decl.uses`), a type named after its function (`Decl.named`), the project's convention for
    the name, the predictors' answer (not the learned model's alone);
    a plain type the project writes wrapped in its own alias is proposed wrapped
    (`project_alias`). A predictors' answer that only bounds the type (`BOUND`: a
    parameter passed on to a function that takes ``T``, assigned to a ``T``, a name's guess) is
    a candidate only where another source agrees (on the second held-out set such answers alone
    were right 45 times in 136; over the held-out sets 9 to 23, 127 in 205). A candidate resting
    on one source alone is kept only as `alone_ok` says (for fields too: they are judged with
    ``d=None``, so their one source is the predictors').

    Types are compared after `typeinfer.typenames.normalize`; a type proposed by two sources
    takes 1 − (1 − a)(1 − b) of their confidences.
    """
    from typeinfer.typenames import normalize

    out: dict[str, Candidate] = {}
    annotations = annotations or {}

    def add(c: Candidate) -> None:
        if c.source != "convention":
            wrapped = project_alias(c.type, annotations)
            if wrapped != c.type:
                c = replace(c, type=wrapped, evidence=f"{c.evidence} (written as the project writes it)")
        k = normalize(c.type)
        old = out.get(k)
        if old is None:
            out[k] = c
        else:
            best, other = (old, c) if old.confidence >= c.confidence else (c, old)
            both = 1 - (1 - best.confidence) * (1 - other.confidence)
            out[k] = replace(best, confidence=round(min(0.99, both), 3),
                             source=f"{best.source} + {other.source}",
                             evidence=f"{best.evidence}; {other.evidence}")

    if d is not None:
        # what callers pass to an optional parameter may be undefined; its type is not
        sites = [(evidence_type(t, d.optional), n) for t, n in d.call_sites]
        if len({t for t, _ in sites}) == 1 and _says_something(sites[0][0]) \
                and not _UNWRITTEN.search(sites[0][0]) and not _LOST.search(sites[0][0]):
            t, n = sites[0]
            add(Candidate(t, "call sites", CALL_SITE_CONFIDENCE[min(n, 2)],
                          f"every call site passes {t} ({n} call{'s' if n > 1 else ''})"))
        ctx = {evidence_type(t, d.optional) for t, _ in d.contexts}
        if len(ctx) == 1:
            t = next(iter(ctx))
            if _says_something(t):
                add(Candidate(t, "context", CONTEXT_CONFIDENCE,
                              f"its function is used where a function taking {t} is expected "
                              f"({d.contexts[0][1]}×)"))
        # (the base's optional parameter arrives without its `| undefined`, maybe in the union's parentheses)
        inherited = {_unwrapped(evidence_type(t, d.optional)) for t, _ in d.inherited}
        if len(inherited) == 1:
            t = next(iter(inherited))
            if _says_something(t):
                add(Candidate(t, "inherited", INHERITED_CONFIDENCE,
                              f"the member it implements or overrides takes {t}"))
        uses = {evidence_type(t) for t, _ in d.uses}
        if len(uses) == 1:
            t = next(iter(uses))
            if _says_something(t) and not _LOST.search(t) and not _wide(t):
                platform = d.uses[0][0] in d.platform_uses
                add(Candidate(t, PLATFORM_USES if platform else "uses", USES_CONFIDENCE,
                              f"its uses expect {t} ({d.uses[0][1]}×)" + (", a platform function's union" if platform else "")))
        if d.default_alias:
            add(Candidate(d.default_alias, DEFAULT_ALIAS, DEFAULT_ALIAS_CONFIDENCE,
                          f"its default is one of the values of {d.default_alias}"))
        if d.named:
            add(Candidate(d.named[0], "naming", NAMING_CONFIDENCE,
                          f"{d.named[0]} is named after the function and the parameter"))
        if d.members:
            add(Candidate(d.members[0], "members", MEMBERS_CONFIDENCE,
                          f"{d.members[0]} is the one type in scope with every property read on it"))
        if d.conventions:
            t, n = d.conventions[0]
            share = n / max(1, d.conventions_total)
            if n >= CONVENTION_MIN_COUNT and share >= CONVENTION_MIN_SHARE:
                add(Candidate(t, "convention", round(0.5 + 0.45 * share * (1 - 1 / (n + 1)), 3),
                              f"the project annotates {n} of {d.conventions_total} parameters named "
                              f"{d.name!r} as {t}"))
    if inf.type is not None and _proposable(inf):
        add(Candidate(inf.type, BOUND if inf.bound else "predictors", inf.confidence,
                      inf.evidence[0] if inf.evidence else inf.source))
    kept = sorted((c for c in out.values() if c.source != BOUND and alone_ok(c, d)), key=lambda c: -c.confidence)
    return tuple(evidence_first(kept))


#: Sources that say which type of a closed set or a narrower one a parameter holds, where the predictors guess a
#: primitive: what every call site passes (CS), the alias holding its literal default (DL).
_OVER_A_GUESS = ("call sites", DEFAULT_ALIAS)


def evidence_first(cands: Sequence[Candidate]) -> list[Candidate]:
    """The candidates with what every call site passes, or the alias holding a literal default, moved before a
    primitive guess that leads them (CS, DL): the predictors read `string` off a default (``mode = 'strict'``) or a
    comparison, where every caller passes the alias of literals, the ``string | undefined``, the `URL` or the `bigint`
    the author declared, and where the project names the set its default belongs to (``RoundingMode``); the guess stays
    next, tried if the other type adds an error. Over the tuning sets (dev, held-out 9 to 44) the call sites' reorder
    made 56 parameters right and 10 worse (a project that writes `string` where its callers pass a `KeyType`); a
    literal default's `string` was right 17 times in 42.

    >>> guess, sites = Candidate("string", "predictors", 0.99, ""), Candidate("Mode", "call sites", 0.45, "")
    >>> [c.type for c in evidence_first([guess, sites])]
    ['Mode', 'string']
    """
    from typeinfer.typenames import normalize

    def over(c: Candidate) -> bool:
        return any(s in c.source.split(" + ") for s in _OVER_A_GUESS)

    if len(cands) < 2 or normalize(cands[0].type) not in _PRIMITIVES or over(cands[0]):
        return list(cands)
    better = next((c for c in cands[1:] if over(c)), None)
    return list(cands) if better is None else [better] + [c for c in cands if c is not better]


#: Errors that a JSDoc parameter type adds in JavaScript without saying anything of the type:
#: typing one parameter makes the function's untyped parameters required, so a call that omits
#: trailing arguments (`createSegmentNode(node)`) fails with TS2554/TS2555. Such a hint is still
#: judged by its other errors; it is shown, but not written (`_Trials.unwritable`).
ARITY = frozenset({2554, 2555})
#: Errors about a type the compiler made up where the code says nothing, held against no candidate (P2b): the
#: error's source is `unknown` (a value nothing typed, which any typed parameter refuses), or its target is `never[]`
#: (an empty array literal's type, a default ``= []``) or an object type of ``any`` members (an unannotated
#: destructuring pattern's implied type, ``{ name: any; suite: any; }``). (Circularities, TS7022–TS7024, are not
#: such: naming the enclosing class inside itself makes them, and on the tuning rows they rejected wrong candidates
#: as often as right ones: docs/types.md, "Why a candidate is not a hint (F1) …".)
_MADE_UP = re.compile(r"^(?:Argument of type|Type) 'unknown' is not assignable"
                      r"|(?:to|parameter of) type '(?:never\[\]|\{ (?:[^:;{}']+\??: any; )+\})(?: \| undefined)?'\.?$")


def placeholder(message: str) -> bool:
    """Whether a new error is about the compiler's placeholder types, not about a candidate (P2b).

    >>> placeholder("Type 'string[]' is not assignable to type 'never[]'.")
    True
    >>> placeholder("Argument of type 'Test' is not assignable to parameter of type '{ name: any; suite: any; }'.")
    True
    >>> placeholder("Argument of type 'Test' is not assignable to parameter of type '{ name: string; }'.")
    False
    >>> placeholder("Property 'list' does not exist on type 'number'.")
    False
    """
    return bool(_MADE_UP.search(message))


def _held(r: CheckResult, new: Counter[tuple[int, int]]) -> Counter[tuple[int, int]]:
    """The new errors of a check that count against candidates: not those where every error of the check at
    that place and code is about a placeholder (`placeholder`). Only the new errors' messages are read (a trial of
    a file with thousands of errors has few new ones)."""
    messages = r.messages or ("",) * len(r.errors)
    real = {e for e, m in zip(r.errors, messages, strict=False) if e in new and not placeholder(m)}
    return Counter({e: n for e, n in new.items() if e in real})


#: Type words that name no object type (`scattered`).
_NOT_OBJECT = frozenset({"string", "number", "boolean", "bigint", "symbol", "null", "undefined", "void", "never",
                         "true", "false", "object", "unknown", "any", "readonly", "unique", "keyof", "typeof"})


def scattered(t: str) -> bool:
    """Whether a compiler type unions two or more object types with a name (R1), at its top, inside a
    ``Promise<…>`` or as an array's element type: TypeScript unions what each ``return`` or branch
    yields (``Writable | Parse5Stream<…>``, six ``AccountAuthenticator…`` classes), where the author
    names their common supertype (``Writable``, ``AccountAuthenticator``); over the held-out sets 9
    to 13 such return hints were right 0 times in 8.

    >>> scattered("Promise<(KeylessAccount | MultiKeyAccount)[]>"), scattered("Element | null")
    (True, False)
    >>> scattered("string | Uint8Array | undefined"), scattered("'a' | 'b'")
    (False, False)
    """
    for _ in range(3):
        m = re.fullmatch(r"Promise<(.*)>|\((.*)\)\[\]", t)
        if not m:
            break
        t = m[1] if m[1] is not None else m[2]
    objects = [u for u in union_members(t)
               if any(w not in _NOT_OBJECT for w in _WORD.findall(re.sub(r"(['\"`]).*?\1", "", u)))]
    return len(objects) >= 2


def non_null(t: str) -> str:
    """A return type without its ``null`` and ``undefined`` members (inside a ``Promise<…>`` too), where
    something else remains (N): in a project checked with the strict defaults for want of a
    ``tsconfig.json`` whose own return annotations never write them, the author compiles without
    ``strictNullChecks`` or writes non-null returns (over the held-out sets 9 to 21, such compiler
    hints were right 0 times in 7, each the author's type with ``| null`` or ``| undefined`` added).

    >>> non_null("TransactionDescription | null"), non_null("Promise<string | undefined>"), non_null("null")
    ('TransactionDescription', 'Promise<string>', 'null')
    """
    m = re.fullmatch(r"Promise<(.*)>", t)
    if m:
        inner = non_null(m[1])
        return t if inner == m[1] else f"Promise<{inner}>"
    members = union_members(t)
    kept = [u for u in members if u.strip() not in ("null", "undefined")]
    return _unwrapped(" | ".join(kept)) if kept and len(kept) < len(members) else t


def _misfit_lines(decls: dict[tuple[str, tuple[int, int]], Decl], inf: Inference) -> tuple[int, ...]:
    """The lines where the code gives a variable a value that does not fit it (`Decl.misfit_lines`, V1 / V1s): its
    author's type is wider than the compiler's (``let marks = [elt()]`` then ``marks.push(tree)``), which is then no
    hint."""
    d = _decl(decls, inf)
    return d.misfit_lines if d is not None else ()


def covers_nulls(line: str, name: str, t: str) -> bool:
    """Whether a line's misfit is only ``name = null`` (or ``undefined``) and the hint ``t`` holds that value (NA:
    the hint already says what the code gives the variable).

    >>> covers_nulls("  if (!ok) handle = null", "handle", "number | null"), covers_nulls("h = null", "h", "number")
    (True, False)
    """
    m = re.search(rf"(?<![\w$.]){re.escape(name)}\s*=\s*(null|undefined)\b", line)
    return m is not None and m.group(1) in {p.strip() for p in t.split("|")}


class _Trials:
    """Trial checks of one text against its own errors (the baseline)."""

    def __init__(self, checker: Checker, path: str, text: str, baseline: CheckResult,
                 budget: int = MIN_CHECKS) -> None:
        self.checker, self.path, self.text = checker, path, text
        self.base = Counter(baseline.errors)
        self.count = 0
        #: the file's checks (`check_budget`), and those the second tries of suspected items leave to
        #: the later steps (returns, the compiler's own types' edits)
        self.budget, self.later = budget, budget // 4
        self._lines: list[str] | None = None
        #: JavaScript: errors that say nothing of a type are not held against it (`ARITY`)
        self.ignored = ARITY if is_js(path) else frozenset()
        #: key → the errors its candidates added when tried alone (F1)
        self.failed: dict[str, dict[Failure, None]] = {}

    def new_error_lines(self, items: Sequence[_Item]) -> tuple[set[int], set[int], set[int], CheckResult,
                                                                 list[tuple[int, int, str]]]:
        """Lines with a new error, the lines of the functions their calls call, the lines of the
        functions around them, the check, and the new errors (line, code, message)."""
        r, new = self._check(items)
        worse = Counter({e: n for e, n in new.items() if e[1] not in self.ignored})
        called_lines: set[int] = set()
        around: set[int] = set()
        added: list[tuple[int, int, str]] = []
        n = len(r.errors)
        for err, fn, called, msg in zip(r.errors, r.within or [None] * n, r.callees or [None] * n,
                                        r.messages or [""] * n, strict=False):
            if err not in worse:
                continue
            if not placeholder(msg):
                added.append((*err, msg))
            for span, acc in ((called, called_lines), (fn, around)):
                if span is not None:
                    acc.update(range(span[0], span[1] + 1))
        return {line for line, _code in worse}, called_lines, around, r, added

    def _analyse(self, items: Sequence[_Item], diagnostics: bool = True, uses: bool = False) -> CheckResult:
        """One check (counted) of the text with the items' edits, as a trial (the file's text is put back)."""
        self.count += 1
        return self.checker.analyse(self.path, self.text, [(e.line, e.col, e.text) for i in items for e in i.edits],
                                    keep=False, diagnostics=diagnostics, uses=uses)

    def _check(self, items: Sequence[_Item]) -> tuple[CheckResult, Counter[tuple[int, int]]]:
        """One trial: the text with the items' edits, checked, and its errors the baseline lacks."""
        r = self._analyse(items)
        return r, _held(r, Counter(r.errors) - self.base)

    def uses_with(self, items: Sequence[_Item]) -> CheckResult:
        """The text with the items' edits, its parameters' `Decl.uses` asked again (one check)."""
        return self._analyse(items, diagnostics=False, uses=True)

    def unwritable(self, items: Sequence[_Item]) -> set[str]:
        """The keys of the parameter items whose edits, written together, make calls of their
        functions fail for the number of arguments (`ARITY`): hints, but not written."""
        if not self.ignored or not items:
            return set()
        r, new = self._check(items)
        spans = [called for err, called in zip(r.errors, r.callees or [None] * len(r.errors), strict=False)
                 if err in new and err[1] in self.ignored and called is not None]
        return {i.key for i in items if any(a <= e.line <= b for a, b in spans for e in i.edits)}

    def names_on(self, lines: set[int]) -> set[str]:
        """The identifiers on some lines of the text."""
        if self._lines is None:
            self._lines = self.text.split("\n")
        return {w for n in lines if 0 < n <= len(self._lines) for w in _WORD.findall(self._lines[n - 1])}

    def verify(self, base: list[_Item], items: list[_Item], attribute: bool = True,
               limit: int | None = None) -> tuple[list[_Item], CheckResult | None]:
        """The items that, written together with ``base``, add no error (and that text's check).

        Errors are first attributed to items by where they are (``attribute``); the items so
        suspected are then tried again by bisection, alone or in halves, once the others are
        verified: a function's right ``name: string`` is not lost with its wrong ``value: number``
        when a caller's argument stops fitting (on the second held-out set, 40 rejected parameter
        candidates that two sources agreed on were right 29 times). No check past ``limit``.
        """
        if not items:
            return [], None
        limit = self.budget if limit is None else limit
        if self.count >= min(limit, self.budget if attribute else self.budget - self.later):
            return [], None
        bad, called, around, r, added = self.new_error_lines(base + items)
        if not bad:
            return items, r
        if attribute:
            rest = self._unsuspected(items, bad, called, around)
            if len(rest) < len(items):
                ok, rr = self.verify(base, rest, limit=limit)
                suspects = [i for i in items if i not in rest]
                more, rs = self.verify(base + ok, suspects, attribute=False, limit=limit)
                return ok + more, rs or rr
        if len(items) == 1:
            if items[0].type:
                got = self.failed.setdefault(items[0].key, {})
                got.update(dict.fromkeys(Failure(items[0].type, *e) for e in added))
            return [], None
        half = len(items) // 2
        left, rl = self.verify(base, items[:half], attribute, limit)
        right, rr = self.verify(base + left, items[half:], attribute, limit)
        return left + right, rr or rl

    def _unsuspected(self, items: list[_Item], bad: set[int], called: set[int],
                     around: set[int]) -> list[_Item]:
        """The items not suspected of the new errors: the annotations on an erroneous line are
        suspects; else those of the functions the erroneous calls call (an argument that no
        longer fits); else the annotated names used on an erroneous line, in its function; else
        those of the functions around the errors (unless that is most items: bisect instead)."""
        rest = [i for i in items if not (i.lines & bad)]
        if len(rest) == len(items):
            rest = [i for i in items if not (i.lines & called)]
        if len(rest) == len(items):
            used = self.names_on(bad)
            rest = [i for i in items if not (i.name in used and i.lines & around)]
        if len(rest) == len(items):
            rest = [i for i in items if not (i.lines & around)]
            if len(rest) < len(items) // 2:
                rest = items
        return rest


#: A last source of candidates (`judge`'s ``fill``): given the parameters that no other source has
#: a candidate for, its candidates for them (e.g. `typeinfer.predict.llm.LLMPredictor.infill`).
Fill = Callable[[Mapping[str, Inference]], Predictions]
#: Least confidence of a ``fill`` answer tried as a hint (the model's mean token probability).
FILL_CONFIDENCE = 0.0
#: Whether the editor and ``types infer`` ask the fill in JavaScript files too. Not: on the JavaScript dev
#: files (`benchmarks/types_js.py --split dev --fill ...`) it took the hints from 89 to 97 of 217 targets but
#: their precision from 87.7% to 80.0% (the rule asked for >= 85%; docs/types.md).
FILL_IN_JS = False


def fills(path: str | Path) -> bool:
    """Whether the editor and ``types infer`` ask the fill for this file (`FILL_IN_JS`)."""
    return FILL_IN_JS or not is_js(path)


#: The types of AssemblyScript, a language of its own written in ``.ts`` files (i32 for a 32-bit
#: integer, usize for a pointer): TypeScript knows none of them (TS2304, "Cannot find name 'i32'"),
#: so it cannot judge such a file, and its types (``number``) are not the ones its author means (C38,
#: docs/types.md).
ASSEMBLYSCRIPT_TYPES = frozenset({"i8", "i16", "i32", "i64", "isize", "u8", "u16", "u32", "u64", "usize", "f32",
                                  "f64", "v128", "anyref", "externref", "funcref"})


def other_language(result: CheckResult) -> str:
    """The language a ``.ts`` file is written in when it is not TypeScript (its check cannot find
    names that language's types have), else "".

    >>> from typeinfer.checker import CheckResult
    >>> other_language(CheckResult((), (), 0, unresolved=frozenset({"usize", "load"}))), other_language(CheckResult((), (), 0))
    ('AssemblyScript (usize)', '')
    """
    names = sorted(result.unresolved & ASSEMBLYSCRIPT_TYPES)
    return f"AssemblyScript ({', '.join(names[:3])})" if names else ""


def judge(inferences: dict[str, Inference], text: str, path: str | Path, checker: Checker,
          write_check: bool = True, evidence: bool = True, fill: Fill | None = None,
          fill_confidence: float = FILL_CONFIDENCE) -> Judged:
    """Hints for one file: the compiler's types, and predictions that add no compiler error.

    ``evidence=False`` leaves out the project's call sites and conventions (`candidates`).
    ``fill`` is asked once, for the parameters left without any candidate; its best answer of at
    least ``fill_confidence`` is their candidate, tried last, on top of every verified hint (why
    only there and last: it is the slowest source, an LLM, and the one least often right; tried
    earlier, its failures cost other hints their place: docs/types.md, "The LLM as the judge's
    last source").
    ``write_check=False`` skips the last trial (whether writing the compiler's own types adds
    an error: it decides which hints carry edits, not which are hints); their edits are then
    left for the caller to check (`typeinfer.tsc.checked_annotations` does over a project).
    """
    js = is_js(path)
    p = str(path)
    base = checker.analyse(p, text, evidence=evidence)
    other = other_language(base)
    if other:
        log.info("%s: no hints, the compiler cannot judge %s", p, other)
        return Judged({}, {}, abstained=f"the compiler cannot judge {other}")
    decls0 = _index(base)
    buffers = base.writes_buffers  # the project's typed-array style (T1)
    hints: dict[str, Inference] = {}
    holes: dict[str, Inference] = {}
    for key, inf in inferences.items():
        d = _decl(decls0, inf)
        if known(d):
            assert d is not None
            hints[key] = _compiler_hint(inf, d, ("the compiler's type",), buffers)
        else:
            holes[key] = inf
    trials = _Trials(checker, p, text, base, check_budget(len(holes)))

    # 1. predictions for parameters and fields (the compiler cannot derive them from anything)
    def items_for(keys: Sequence[str], decls: dict[tuple[str, tuple[int, int]], Decl]) -> list[_Item]:
        out = []
        for key in keys:
            inf = holes[key]
            if inf.type is None:
                continue
            edits = writes_for(inf, inf.type, _decl(decls, inf), js)
            if edits:
                out.append(_Item(key, edits, "" if inf.target.label == "METHOD_RETURN" else inf.target.name,
                                 inf.type))
        return out

    annotations = dict(base.annotations)
    first = [k for k, i in holes.items() if i.target.label in ("METHOD_PARAMETER_IN", "MEMBER")]
    considered: dict[str, tuple[Candidate, ...]] = {}
    for key in first:
        inf = holes[key]
        cands = candidates(inf, _decl(decls0, inf), annotations) \
            if inf.target.label == "METHOD_PARAMETER_IN" else candidates(inf, None)
        cands = tuple(c for c in cands if c.confidence >= HINT_CONFIDENCE.get(inf.target.label, 0.0))
        considered[key] = cands
        holes[key] = _with(inf, cands[0]) if cands else replace(inf, type=None)
    ok1, r1 = trials.verify([], items_for(first, decls0))
    # a parameter whose first candidate failed: its next one (while the budget lasts)
    retry = []
    passed = {i.key for i in ok1}
    for key in first:
        cands = considered[key]
        if key not in passed and len(cands) > 1:
            holes[key] = _with(holes[key], cands[1])
            retry.append(key)
    # the last source, for the parameters without any candidate (tried last, below)
    filled = []
    empty = {} if fill is None else {k: holes[k] for k in first if not considered[k]
                                      and holes[k].target.label == "METHOD_PARAMETER_IN"}
    if fill is not None and empty:
        for key, got in fill(empty).items():
            best = max((c for c in got if c.confidence >= fill_confidence and _says_something(c.type)),
                       key=lambda c: c.confidence, default=None)
            if key in empty and best is not None:  # written as the project writes it, as every candidate
                t = project_alias(best.type, annotations)
                c = Candidate(t, best.source, best.confidence, best.evidence or best.source)
                considered[key] = (c,)
                holes[key] = _with(holes[key], c)
                filled.append(key)
    if retry:
        ok1b, r1b = trials.verify(ok1, items_for(retry, decls0))
        if ok1b:
            ok1, r1 = ok1 + ok1b, r1b
    # 1b. the parameters still without any candidate: what their uses expect once the verified hints are
    # written, where they are passed on to a function of this file whose own parameter is now typed (C39);
    # tried where another source agrees (C39b: on the sets 9 to 17 such hints were right 19 times in 19, the
    # uses alone 21 in 34), the uses alone are a hover candidate
    passed = {i.key for i in ok1}
    again = [k for k in first if k not in passed and not considered[k]
             and holes[k].target.label == "METHOD_PARAMETER_IN"]
    if again and ok1 and trials.count < trials.budget - trials.later:
        decls_u = _index(trials.uses_with(ok1))
        found = []
        for key in again:
            du = _decl(decls_u, inferences[key])
            if du is not None and du.uses:
                considered[key] = candidates(inferences[key], du, annotations)
                agreed = [c for c in considered[key] if c.source != "uses"]
                if agreed:
                    holes[key] = _with(inferences[key], agreed[0])
                    found.append(key)
        ok1c, r1c = trials.verify(ok1, items_for(found, decls0))
        if ok1c:
            ok1, r1 = ok1 + ok1c, r1c
    passed = {i.key for i in ok1}
    for key in first:
        if key in passed:
            continue
        if considered[key]:
            holes[key] = _with(holes[key], considered[key][0])
        elif _shown_unverified(inferences[key]):  # hover shows it, unverified
            holes[key] = inferences[key]
    decls1 = _index(r1) if r1 is not None else decls0
    # what the compiler typed from the file as it was (its parameters open): its type given (1), where
    # known and other (C31: `T | undefined` from a switch over a parameter, exhaustive once it is typed)
    for key, inf in list(hints.items()):
        k = _key(inf)
        if k is None or inf.source != "tsc" or inf.target.label == "METHOD_PARAMETER_IN":
            continue
        d1 = decls1.get(k)
        if d1 is not None and known(d1) and d1.full != decls0[k].full:
            hints[key] = _compiler_hint(inf, d1, ("the compiler's type, given the verified hints",), buffers)
    # 2. returns and variables: the compiler's type given (1), else a verified prediction; fields
    # left open in (1) too: the compiler types a field from what its constructor assigns, which is
    # often `any` only because a parameter was (C28)
    second = []
    derived: dict[str, Inference] = {}
    for key, inf in holes.items():
        if key in first and (inf.target.label != "MEMBER" or key in passed):  # (1) decided it
            continue
        d = _decl(decls1, inf)
        if known(d):
            assert d is not None
            derived[key] = _compiler_hint(inf, d, ("the compiler's type, given the verified hints",), buffers)
        elif d is not None and d.contents and inf.target.label in ("LOCAL", "MEMBER"):  # EL
            t = compiler_type(d.contents, d, buffers=buffers)  # (the project's typed-array style, T1)
            holes[key] = replace(inf, type=t, source=CONTENTS, confidence=1.0,
                                 evidence=(f"the compiler's types of what the code puts in it: {t}",))
            second.append(key)
        elif key not in first and inf.type is not None and inf.source not in WEAK_ALONE \
                and not _VAGUE.search(inf.type) and inf.confidence >= _hint_confidence(inf, js) \
                and not (d is not None and d.throws):  # a stub's return: no source knows what it stands for (TH)
            second.append(key)
    ok2, _ = trials.verify(ok1, items_for(second, decls0))
    # 2b. the last source's answers, on top of every verified hint, within a budget that leaves the
    # compiler's own types their checks: tried any earlier, their failures cost other hints their
    # place (a function's verified parameters, returns left unchecked when the budget ran out)
    ok_fill, _ = trials.verify(ok1 + ok2, items_for(filled, decls0), limit=trials.budget - trials.later)
    verified = {i.key: i for i in ok1 + ok2 + ok_fill}
    for key in verified:
        inf = holes[key]
        hints[key] = replace(inf, writes=verified[key].edits,
                             evidence=inf.evidence + ("adds no compiler error",))
    # 3. writing the compiler's own types: kept where it adds no error (names not in scope can)
    own = []
    printed: dict[str, str] = {}  # key → the compiler's printed form, where the authored one differs
    for key, inf in list(hints.items()) + list(derived.items()):
        if key in verified:
            continue
        k = _key(inf)
        full = (decls1.get(k) or decls0.get(k)) if k else None
        typ = compiler_type(full.full, full, buffers=buffers) if full is not None else inf.type
        if full is not None and typ != compiler_type(full.full, full, as_printed=True):
            printed[key] = _hint_type(full, as_printed=True)
        edits = writes_for(inf, typ or "", full, js) if typ else ()
        if edits:
            own.append(_Item(key, edits))
    ok3 = trials.verify(list(verified.values()), own)[0] if write_check else own
    writes = {i.key: i.edits for i in ok3}
    if write_check:  # a wider authored form the code cannot hold is not shown: the compiler's print is,
        for key in printed.keys() - writes.keys():  # unless that print names nothing (C34b: a hole then)
            d_hints = hints if key in hints else derived
            if _LOST.search(printed[key]):
                del d_hints[key]
            else:
                d_hints[key] = replace(d_hints[key], type=printed[key])
    unwritten = trials.unwritable([i for i in list(verified.values()) + ok3
                                   if inferences[i.key].target.label == "METHOD_PARAMETER_IN"])
    for key in unwritten:
        writes.pop(key, None)
        if key in verified:
            hints[key] = replace(hints[key], writes=())
    hints.update(derived)
    for key, inf in hints.items():
        if key not in verified:
            hints[key] = replace(inf, writes=writes.get(key, ()))
    # the compiler's types that are not what an author writes: hover candidates, not hints (R1, V1); returns
    # without null in a project that never writes it (N)
    text_lines = text.split("\n")
    no_nulls = bool(base.omits_nulls)  # the project's null style (N)
    held: dict[str, Inference] = {}
    for key, inf in list(hints.items()):
        target = inf.target
        if inf.source != "tsc" or target.label == "METHOD_PARAMETER_IN" or not inf.type:
            continue
        if scattered(inf.type):
            why = "a union of what each return or branch yields; its author names their common supertype"
        elif target.label == "LOCAL" and any(
                not covers_nulls(text_lines[n - 1], target.name, inf.type)
                for n in _misfit_lines(decls0, inf) if n > (target.lineNumber or 0)):
            why = "the code gives it values this type does not hold; its author's type is wider"
        else:
            continue
        held[key] = replace(hints.pop(key), writes=(), evidence=inf.evidence + (why,))
    if no_nulls:  # shown, not written: without its null the annotation adds an error under the strict defaults
        for key, inf in list(hints.items()):
            if inf.source == "tsc" and inf.target.label == "METHOD_RETURN" and inf.type \
                    and non_null(inf.type) != inf.type:
                hints[key] = replace(inf, type=non_null(inf.type), writes=(), evidence=inf.evidence + (
                    "without null: the project's return types never write it",))
    unverified = {k: i for k, i in holes.items() if k not in hints and i.type is not None}
    failed = {k: tuple(f) for k, f in trials.failed.items() if f}
    for key, inf in unverified.items():  # why not a hint, where its own check said (F1)
        said = [f for f in failed.get(key, ()) if f.type == inf.type][:FAILURES_SHOWN]
        if said:
            unverified[key] = replace(inf, evidence=inf.evidence + tuple(f"{ADDS_ERROR}: {f}" for f in said))
    unverified.update(held)
    log.info("%s: %d compiler hints, %d verified of %d predictions, %d checks", p,
             len(hints) - len(verified), len(verified), len(verified) + len(unverified), trials.count)
    return Judged(hints, unverified, trials.count, considered, failed=failed)


#: How a candidate's evidence says that its check failed (F1), and how many of its errors it names.
ADDS_ERROR = "writing it adds an error"
FAILURES_SHOWN = 2


#: Sources whose answer alone is not tried as a hint: the learned model alone (trained on other
#: packages) is right on 14 of 58 dev parameters (`benchmarks/types_eval.py --split dev`), and
#: on 1 of 9 dev returns.
#: (TypeScript's own usage inference, the inferFromUsage code fix, was tried as a candidate
#: too: alone right on 10 of 43 dev parameters, so never a hint alone; agreeing with a
#: predictor it changed nothing that is tried, and it cost seconds per large file: gone.)
WEAK_ALONE = frozenset({"learned"})
#: The source of a variable's or field's candidate that is the container of what the code puts in it (EL,
#: `Decl.contents`): the compiler's own types of the values added, tried in the trial check as a prediction is.
CONTENTS = "contents"
#: Least confidence of a prediction tried as a hint, per kind of target (below it: a hover
#: candidate), chosen on the dev split so that each kind's hints are ≥ 85% right there
#: (`benchmarks/types_eval.py --split dev`, the curve in docs/types.md): parameters and returns
#: need none (89.6%, 94.3% with all verified predictions); fields 0.8 (75.7% → 88.0%); no
#: threshold brings variables' predictions there (16 of 24 right; 4 of 10 above 0.8), so a
#: variable's hint is the compiler's type or none.
HINT_CONFIDENCE: dict[str, float] = {"MEMBER": 0.8, "LOCAL": 1.01}


#: In JavaScript most variables the compiler leaves ``any`` hold what an untyped parameter or an
#: unresolved import gives (``let x = y`` then ``x = (x + z) | 0``), not the hard cases of
#: TypeScript above: a variable's answer from the symbolic rules (an operand of ``|``, ``-``,
#: ``new Map()``, ...), from this confidence, is tried as its hint (JSDoc, kept when it adds no
#: error). Chosen on the JS dev files (`benchmarks/types_js.py --split dev`: 51 → 69 hinted of
#: 217, 90 % right where the typed source has a type; 0.8: no change). A variable the code tests
#: with ``typeof`` holds a union it tells apart: as in TypeScript (two dev misses were such).
JS_LOCAL_CONFIDENCE = 0.55


def _hint_confidence(inf: Inference, js: bool) -> float:
    """Least confidence of a prediction tried as this target's hint (see `HINT_CONFIDENCE`)."""
    if js and inf.target.label == "LOCAL" and "symbolic" in inf.source.split("+"):
        tested = inf.slice is not None and any(c.callName == "<operator>.typeOf" for c in inf.slice.invokedCalls)
        return HINT_CONFIDENCE["LOCAL"] if tested else JS_LOCAL_CONFIDENCE
    return HINT_CONFIDENCE.get(inf.target.label, 0.0)


def _proposable(inf: Inference) -> bool:
    """The predictors' answer is a candidate at all: not the learned model's alone, not vague."""
    return inf.type is not None and inf.source not in WEAK_ALONE and not _VAGUE.search(inf.type)


def _shown_unverified(inf: Inference) -> bool:
    """A parameter answer that is no hint but is shown on hover as a candidate: a bound, or a
    proposable answer held back as one source alone (`alone_ok`)."""
    return inf.type is not None and (inf.bound or _proposable(inf))


def _with(inf: Inference, c: Candidate) -> Inference:
    """The inference as candidate ``c`` proposes it."""
    if c.source == "predictors":
        return inf
    return replace(inf, type=c.type, confidence=c.confidence, source=c.source, evidence=(c.evidence,))


def _compiler_hint(inf: Inference, d: Decl, evidence: tuple[str, ...], buffers: bool | None = None) -> Inference:
    return replace(inf, type=_hint_type(d, buffers=buffers), confidence=1.0, source="tsc", evidence=evidence, rejected=(),
                   writes=())


def judged_inferences(inferences: dict[str, Inference], judged: Judged) -> dict[str, Inference]:
    """Every target once: its hint, else its unverified candidate (hover's: ``writes=()``, never
    written, source marked), else the abstention (what ``types infer`` prints and writes) — a
    prediction the judge dropped, or made in a file it abstained on (C38), is one too, its source
    marked "(dropped)", so that `annotate` never writes it (it did before 6 December 2026, 23:10 UTC)."""
    out = {}
    for key, inf in inferences.items():
        if key in judged.hints:
            out[key] = judged.hints[key]
        elif key in judged.candidates:  # what hover shows: the judge's candidate, and why it is not a hint (F1)
            cand = judged.candidates[key]
            out[key] = replace(cand, writes=(), source=f"{cand.source} (unverified)")
        elif inf.type is not None:  # the judge dropped it (or abstained on the file): never shown as an answer
            out[key] = replace(inf, type=None, writes=(), source=f"{inf.source} (dropped)")
        else:
            out[key] = inf
    for key, inf in judged.hints.items():
        out.setdefault(key, inf)
    return out


def judge_project(analyses: Sequence[tuple[Path, str, dict[str, Inference]]], root: Path,
                  done: Callable[[Path], None] | None = None,
                  fill_for: Callable[[str], Fill] | None = None) -> list[dict[str, Inference]]:
    """`judged_inferences` for each file of a project (one checker for the root; files see each
    other); ``done`` is called after each file (progress); ``fill_for`` gives a TypeScript file's
    text its `Fill` (the LLM reads the file; not in JavaScript, see `FILL_IN_JS`)."""
    from typeinfer.checker import checker_for

    checker = checker_for(root)
    out = []
    for f, text, infs in analyses:
        fill = fill_for(text) if fill_for is not None and fills(f) else None
        out.append(judged_inferences(infs, judge(infs, text, f.resolve(), checker, fill=fill)))
        if done is not None:
            done(f)
    return out
