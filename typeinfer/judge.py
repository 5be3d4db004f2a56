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
candidates, never as hints.

In JavaScript (``checkJs``) the same holds; what is written is an inline JSDoc comment
(``/** @type {T} */ x``, ``/** @returns {T} */ function f``), not a TypeScript annotation.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from typeinfer.annotate import Edit, edits_for, writable
from typeinfer.checker import Checker, CheckResult, Decl
from typeinfer.combine import Inference
from typeinfer.cpg import dialect_of

log = logging.getLogger("typeinfer.judge")
#: Most trial checks for one file (each re-checks the file); what is left unchecked is dropped.
MAX_CHECKS = 32
#: Longest compiler type shown (longer ones are cut; the written annotation stays whole).
SHOW_CHARS = 80
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


@dataclass(frozen=True)
class _Item:
    key: str
    edits: tuple[Edit, ...]

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
    ``Uint8Array<ArrayBufferLike> & Uint8Array<ArrayBuffer>``); those are holes like ``any``."""
    return d is not None and not d.has_any and not d.anonymous and d.full not in _PLACEHOLDERS


def _key(inf: Inference) -> tuple[str, tuple[int, int]] | None:
    t = inf.target
    if t.label == "METHOD_RETURN":
        return (t.label, t.insertAt) if t.insertAt else None
    return (t.label, (t.lineNumber or 0, t.columnNumber or 0))


def _index(result: CheckResult) -> dict[tuple[str, tuple[int, int]], Decl]:
    return {(d.label, d.at): d for d in result.decls}


def writes_for(inf: Inference, typ: str, decl: Decl | None, js: bool) -> tuple[Edit, ...]:
    """The edits that write ``typ`` for a target: an annotation (TypeScript) or inline JSDoc (JavaScript)."""
    if not writable(typ):
        return ()
    if not js:
        return edits_for(replace(inf, type=typ, writes=None))
    if decl is None or decl.jsdoc_at is None or "*/" in typ:
        return ()
    tag = "@returns" if inf.target.label == "METHOD_RETURN" else "@type"
    return (Edit(*decl.jsdoc_at, f"/** {tag} {{{typ}}} */ "),)


def _shown(d: Decl) -> str:
    t = d.shown
    return t if len(t) <= SHOW_CHARS else t[: SHOW_CHARS - 3] + "..."


class _Trials:
    """Trial checks of one text against its own errors (the baseline)."""

    def __init__(self, checker: Checker, path: str, text: str, baseline: CheckResult) -> None:
        self.checker, self.path, self.text = checker, path, text
        self.base = Counter(baseline.errors)
        self.count = 0

    def new_error_lines(self, items: Sequence[_Item]) -> tuple[set[int], set[int], CheckResult]:
        """Lines with a new error, and the lines of the functions around them."""
        self.count += 1
        edits = [(e.line, e.col, e.text) for i in items for e in i.edits]
        r = self.checker.analyse(self.path, self.text, edits, keep=False)
        worse = Counter(r.errors) - self.base
        around: set[int] = set()
        n = len(r.errors)
        for err, fn, called in zip(r.errors, r.within or [None] * n, r.callees or [None] * n, strict=False):
            if err not in worse:
                continue
            for span in (fn, called):  # the function around it, and the one its call calls
                if span is not None:
                    around.update(range(span[0], span[1] + 1))
        return {line for line, _code in worse}, around, r

    def verify(self, base: list[_Item], items: list[_Item]) -> tuple[list[_Item], CheckResult | None]:
        """The items that, written together with ``base``, add no error (and that text's check)."""
        if not items:
            return [], None
        if self.count >= MAX_CHECKS:
            return [], None
        bad, around, r = self.new_error_lines(base + items)
        if not bad:
            return items, r
        rest = [i for i in items if not (i.lines & bad)]
        if len(rest) == len(items):  # not on an annotated line: the annotations of the function around it
            rest = [i for i in items if not (i.lines & around)]
        if len(rest) < len(items):
            return self.verify(base, rest)
        if len(items) == 1:
            return [], None
        half = len(items) // 2
        left, rl = self.verify(base, items[:half])
        right, rr = self.verify(base + left, items[half:])
        return left + right, rr or rl


def judge(inferences: dict[str, Inference], text: str, path: str | Path, checker: Checker,
          write_check: bool = True) -> Judged:
    """Hints for one file: the compiler's types, and predictions that add no compiler error.

    ``write_check=False`` skips the last trial (whether writing the compiler's own types adds
    an error: it decides which hints carry edits, not which are hints); their edits are then
    left for the caller to check (`typeinfer.tsc.checked_annotations` does over a project).
    """
    js = is_js(path)
    p = str(path)
    base = checker.analyse(p, text)
    trials = _Trials(checker, p, text, base)
    decls0 = _index(base)
    hints: dict[str, Inference] = {}
    holes: dict[str, Inference] = {}
    for key, inf in inferences.items():
        k = _key(inf)
        d = decls0.get(k) if k else None
        if known(d):
            assert d is not None
            hints[key] = _compiler_hint(inf, d, ("the compiler's type",))
        else:
            holes[key] = inf

    # 1. predictions for parameters and fields (the compiler cannot derive them from anything)
    def items_for(keys: Sequence[str], decls: dict[tuple[str, tuple[int, int]], Decl]) -> list[_Item]:
        out = []
        for key in keys:
            inf = holes[key]
            if inf.type is None:
                continue
            k = _key(inf)
            edits = writes_for(inf, inf.type, decls.get(k) if k else None, js)
            if edits:
                out.append(_Item(key, edits))
        return out

    first = [k for k, i in holes.items() if i.target.label in ("METHOD_PARAMETER_IN", "MEMBER")]
    for key in first:
        holes[key] = _choose(holes[key])
    ok1, r1 = trials.verify([], items_for(first, decls0))
    # 2. returns and variables: the compiler's type given (1), else a verified prediction
    decls1 = _index(r1) if r1 is not None else decls0
    second = []
    derived: dict[str, Inference] = {}
    for key, inf in holes.items():
        if key in first:
            continue
        k = _key(inf)
        d = decls1.get(k) if k else None
        if known(d):
            assert d is not None
            derived[key] = _compiler_hint(inf, d, ("the compiler's type, given the verified hints",))
        else:
            second.append(key)
    ok2, _ = trials.verify(ok1, items_for(second, decls0))
    verified = {i.key: i for i in ok1 + ok2}
    for key in verified:
        inf = holes[key]
        hints[key] = replace(inf, writes=verified[key].edits,
                             evidence=inf.evidence + ("adds no compiler error",))
    # 3. writing the compiler's own types: kept where it adds no error (names not in scope can)
    own = []
    for key, inf in list(hints.items()) + list(derived.items()):
        if key in verified:
            continue
        k = _key(inf)
        full = (decls1.get(k) or decls0.get(k)) if k else None
        typ = full.full if full is not None else inf.type
        edits = writes_for(inf, typ or "", full, js) if typ else ()
        if edits:
            own.append(_Item(key, edits))
    ok3 = trials.verify(list(verified.values()), own)[0] if write_check else own
    writes = {i.key: i.edits for i in ok3}
    hints.update(derived)
    for key, inf in hints.items():
        if key not in verified:
            hints[key] = replace(inf, writes=writes.get(key, ()))
    candidates = {k: i for k, i in holes.items() if k not in hints and i.type is not None}
    log.info("%s: %d compiler hints, %d verified of %d predictions, %d checks", p,
             len(hints) - len(verified), len(verified), len(verified) + len(candidates), trials.count)
    return Judged(hints, candidates, trials.count)


#: Sources whose answer alone is not tried as a hint: the learned model alone (trained on other
#: packages) is right on 14 of 58 dev parameters (`benchmarks/types_eval.py --split dev`).
#: (TypeScript's own usage inference, the inferFromUsage code fix, was tried as a candidate
#: too: alone right on 10 of 43 dev parameters, so never a hint alone; agreeing with a
#: predictor it changed nothing that is tried, and it cost seconds per large file: gone.)
WEAK_ALONE = frozenset({"learned"})


def _choose(inf: Inference) -> Inference:
    """The candidate tried for a parameter or field: the predictors' answer, unless it is the
    learned model's alone (then it stays a hover candidate)."""
    if inf.source in WEAK_ALONE:
        return replace(inf, type=None)
    return inf


def _compiler_hint(inf: Inference, d: Decl, evidence: tuple[str, ...]) -> Inference:
    return replace(inf, type=_shown(d), confidence=1.0, source="tsc", evidence=evidence, rejected=(),
                   writes=())


def judged_inferences(inferences: dict[str, Inference], judged: Judged) -> dict[str, Inference]:
    """Every target once: its hint, else its unverified prediction (``writes=()``: never
    written, source marked), else the abstention (what ``types infer`` prints and writes)."""
    out = {}
    for key, inf in inferences.items():
        if key in judged.hints:
            out[key] = judged.hints[key]
        elif key in judged.candidates:
            out[key] = replace(inf, writes=(), source=f"{inf.source} (unverified)")
        else:
            out[key] = inf
    for key, inf in judged.hints.items():
        out.setdefault(key, inf)
    return out


def judge_project(analyses: Sequence[tuple[Path, str, dict[str, Inference]]], root: Path,
                  done: Callable[[Path], None] | None = None) -> list[dict[str, Inference]]:
    """`judged_inferences` for each file of a project (one checker for the root; files see each
    other); ``done`` is called after each file (progress)."""
    from typeinfer.checker import checker_for

    checker = checker_for(root)
    out = []
    for f, text, infs in analyses:
        out.append(judged_inferences(infs, judge(infs, text, f.resolve(), checker)))
        if done is not None:
            done(f)
    return out
