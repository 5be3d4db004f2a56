"""The Coq standard library as a premise corpus, read from the ``.v`` sources Debian ships.

What is extracted, and how
--------------------------
* **Sentences**: the source is split at a ``.`` followed by white space, outside comments
  (nested ``(* *)``) and strings. Bullets and braces stay glued to the next sentence.
* **Files and imports**: every ``.v`` under ``theories/`` gets the logical name
  ``Coq.<dir>.<file>``; ``Require [Import|Export] A B.`` and ``From P Require ... A.`` are
  resolved to those names (exact, else the unique/first suffix match). Every file also imports
  ``Coq.Init.Prelude`` (coqtop loads it), except the ``Init`` files themselves.
* **Premises**: the lemma-like declarations (``Theorem``, ``Lemma``, ``Fact``, ``Remark``,
  ``Corollary``, ``Proposition``, ``Property``) and definitions (``Definition``, ``Fixpoint``,
  ``Inductive``, ``Record``, ``Axiom``, ...), named with their module path inside the file.
* **Theorems**: lemma-like declarations whose proof ends in ``Qed`` or ``Defined``.
* **Premises a proof uses**: the identifiers of the proof script (comments and strings
  removed, qualified ones kept whole) resolved against the premises *accessible* to the theorem
  — same file and earlier, preferring the latest one; else a unique match in the imported files.
  Ambiguous names (the same short name in two imported files) are dropped, and so are lemmas
  that only exist through functor instantiation (``Nat.add_comm`` comes from ``Include``-d
  module functors, which a textual extractor cannot see). This is a lower bound of the true set.
* **Prelude** of a theorem (to prove it in isolation): the file's sentences before it, with
  the proofs of earlier ``Qed`` lemmas replaced by ``Admitted.``; the **epilogue** closes the
  sections and modules still open there.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Collection, Iterable
from functools import lru_cache
from pathlib import Path

from provers.itp.corpus.base import Corpus, Premise, SourceFile
from provers.itp.env.base import Theorem
from provers.itp.errors import ItpError, TheoremError
from provers.itp.vernac import STRING, sentences, strip_comments

#: The sub-library the benchmarks index and prove in (CPU-friendly: ~3,700 premises).
CORE_DIRS = ("Init", "Logic", "Bool", "Arith", "Lists", "Relations", "Sorting", "Sets", "Wellfounded", "Classes", "Program", "Setoids", "Structures")

LEMMA_KINDS = ("Theorem", "Lemma", "Fact", "Remark", "Corollary", "Proposition", "Property")
DEF_KINDS = (
    "Definition", "Fixpoint", "CoFixpoint", "Inductive", "CoInductive", "Record", "Structure",
    "Class", "Axiom", "Parameter", "Conjecture", "Variant",
)
_ATTRS = r"(?:#\[[^\]]*\]\s*)*(?:(?:Local|Global|Program|Polymorphic|Monomorphic|Private)\s+)*"
#: Declarations that enter proof mode when they have no ``:=`` body.
_OPENS_PROOF = (*LEMMA_KINDS, "Definition", "Fixpoint", "CoFixpoint")
_DECL = re.compile(rf"^{_ATTRS}({'|'.join(LEMMA_KINDS + DEF_KINDS)})\s+([A-Za-z_][A-Za-z0-9_']*)")
_BULLETS = re.compile(r"^(?:[-+*{}]\s*)+")
_REQUIRE = re.compile(r"^(?:From\s+([A-Za-z0-9_.]+)\s+)?Require\s+(?:(?:Import|Export)\s+)?(.*)$", re.S)
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_']*(?:\.[A-Za-z_][A-Za-z0-9_']*)*")
_PROOF_TERM = re.compile(r"^Proof\s+(?!using\b|with\b)\S")
_PROOF_END = ("Qed.", "Defined.", "Admitted.", "Abort.", "Save")
#: Tactic and keyword names, never premise uses even when a premise has the same name.
TACTIC_WORDS = frozenset("""
abstract absurd apply as assert assumption at auto autorewrite by case cbn cbv change clear
compute congruence constructor contradict contradiction cut cutrewrite decide dependent destruct
discriminate do eapply eassumption easy eauto econstructor edestruct eexists elim eleft end
eright exact exfalso exists f_equal field first firstorder fold fun generalize hnf idtac in
induction info injection intro intros intuition inversion inversion_clear lazy left let lia
match move nia now omega pattern pose progress red refine reflexivity remember rename repeat
replace revert rewrite right ring set setoid_rewrite simpl simple solve specialize split
subst symmetry tauto then transitivity trivial try unfold using with Proof Qed Defined forall
exists type Type Prop Set nat bool
""".split())
#: Statements longer than this are cut in the premise text (long definitions).
MAX_STATEMENT = 600


def split_sentences(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` offsets of each sentence (end exclusive, after its ``.``), lexed as Coq
    does (`provers.itp.vernac.sentences`); a library file that does not lex ends early.

    >>> src = 'Lemma a : True. (* a. comment *) Proof. exact I. Qed.'
    >>> [src[s:e].strip() for s, e in split_sentences(src)]
    ['Lemma a : True.', '(* a. comment *) Proof.', 'exact I.', 'Qed.']
    """
    return [(s.start, s.end) for s in sentences(text, strict=False)]


def _clean(sentence: str) -> str:
    return " ".join(strip_comments(sentence).split())


class _Block:
    """One declaration found in a file, with its proof sentences."""

    __slots__ = ("kind", "name", "qual", "start", "stmt_end", "end", "line", "proof", "ending", "stack")

    def __init__(self, kind: str, name: str, qual: str, start: int, stmt_end: int, line: int, stack: tuple[tuple[str, str], ...]) -> None:
        self.kind, self.name, self.qual = kind, name, qual
        self.start, self.stmt_end, self.end, self.line = start, stmt_end, stmt_end, line
        self.proof: list[str] = []
        self.ending = ""
        self.stack = stack


def parse_file(text: str) -> tuple[list[str], list[_Block], list[tuple[int, int]]]:
    """Requires (raw module names), declarations and sentence offsets of one Coq file."""
    sents = split_sentences(text)
    requires: list[str] = []
    blocks: list[_Block] = []
    stack: list[tuple[str, str]] = []  # (kind "Module"/"Section", name)
    open_proof: _Block | None = None
    line_starts = _line_index(text)
    for s, e in sents:
        sent = _BULLETS.sub("", _clean(text[s:e]))
        if open_proof is not None:
            if _PROOF_TERM.match(sent):  # ``Proof term.`` is a whole proof
                open_proof.proof.append(sent)
                open_proof.ending = "Proof"
                open_proof.end = e
                open_proof = None
            elif sent.startswith(_PROOF_END):
                open_proof.ending = sent.split(".")[0].split()[0]
                open_proof.end = e
                open_proof = None
            else:
                open_proof.proof.append(sent)
            continue
        m = _DECL.match(sent)
        if m:
            kind, name = m.group(1), m.group(2)
            qual = ".".join([n for k, n in stack if k == "Module"] + [name])
            blk = _Block(kind, name, qual, s, e, _line_of(line_starts, s + len(text[s:e]) - len(text[s:e].lstrip())), tuple(stack))
            blocks.append(blk)
            if kind in _OPENS_PROOF and ":=" not in sent:
                open_proof = blk
            continue
        req = _REQUIRE.match(sent)
        if req:
            prefix = req.group(1)
            for mod in req.group(2).rstrip(".").split():
                requires.append(f"{prefix}.{mod}" if prefix else mod)
            continue
        words = sent.rstrip(".").split()
        if not words:
            continue
        if words[0] in ("Module", "Section") and len(words) > 1:
            rest = [w for w in words[1:] if w not in ("Type", "Import", "Export")] or [""]
            ident = re.match(r"[A-Za-z_][A-Za-z0-9_']*", rest[0])  # ``Make(X:T)`` → ``Make``
            name = ident.group() if ident else rest[0]
            if words[0] == "Section" or not _module_body(sent):
                stack.append(("Module" if words[0] == "Module" else "Section", name))
        elif words[0] == "End" and len(words) > 1 and stack:
            while stack and stack[-1][1] != words[1]:
                stack.pop()
            if stack:
                stack.pop()
    return requires, blocks, sents


def _line_index(text: str) -> list[int]:
    starts = [0]
    for m in re.finditer("\n", text):
        starts.append(m.end())
    return starts


def _line_of(starts: list[int], offset: int) -> int:
    import bisect

    return bisect.bisect_right(starts, offset)


@lru_cache(maxsize=1)
def coq_theories() -> Path:
    """The folder of the standard library sources (``coqc -where``/theories).

    Raises
    ------
    ItpError
        When Coq is not installed or ships no sources.
    """
    try:
        where = subprocess.run(["coqc", "-where"], capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ItpError("coqc not found: install Coq 8.16 (apt-get install coq)") from exc
    root = Path(where) / "theories"
    if not any(root.rglob("*.v")):
        raise ItpError("no .v sources under the Coq library (Debian: libcoq-stdlib)", where=str(root))
    return root


def logical_name(root: Path, path: Path) -> str:
    """``Coq.Arith.PeanoNat`` for ``<root>/Arith/PeanoNat.v``."""
    return "Coq." + ".".join(path.relative_to(root).with_suffix("").parts)


@lru_cache(maxsize=4)
def extract_stdlib(root: Path | None = None) -> Corpus:
    """Extract the whole standard library (about 580 files; a few seconds).

    Raises
    ------
    ItpError
        When the sources cannot be found.
    """
    root = Path(root) if root else coq_theories()
    paths = sorted(root.rglob("*.v"))
    names = {logical_name(root, p): p for p in paths}
    by_suffix = _suffix_index(names)
    parsed = {n: parse_file(p.read_text(encoding="utf-8", errors="replace")) for n, p in names.items()}
    files: list[SourceFile] = []
    for n, (requires, _, _) in parsed.items():
        imports = [_resolve_module(r, names, by_suffix) for r in requires]
        if not n.startswith("Coq.Init."):
            imports.append("Coq.Init.Prelude")
        files.append(SourceFile(n, str(names[n]), tuple(dict.fromkeys(i for i in imports if i and i != n))))
    premises: list[Premise] = []
    for n, (_, blocks, _) in parsed.items():
        text = names[n].read_text(encoding="utf-8", errors="replace")
        for b in blocks:
            stmt = _clean(text[b.start : b.stmt_end])
            premises.append(Premise(b.qual, stmt[:MAX_STATEMENT], n, b.line, b.kind))
    corpus = Corpus(files, _dedupe(premises), [])
    theorems: list[Theorem] = []
    for n, (_, blocks, _) in parsed.items():
        text = names[n].read_text(encoding="utf-8", errors="replace")
        for b in blocks:
            if b.kind in LEMMA_KINDS and b.ending in ("Qed", "Defined"):
                thm = Theorem(b.qual, _clean(text[b.start : b.stmt_end]), file=n, line=b.line, proof=" ".join(b.proof))
                theorems.append(thm)
    resolver = _Resolver(corpus)
    corpus.theorems = [
        Theorem(t.name, t.statement, file=t.file, line=t.line, proof=t.proof, premises=resolver.used(t))
        for t in theorems
    ]
    return corpus


def _suffix_index(names: Iterable[str]) -> dict[str, list[str]]:
    """Every dotted suffix of each logical name (``Lists.List``, ``List``) → the names."""
    by_suffix: dict[str, list[str]] = {}
    for n in names:
        parts = n.split(".")
        for i in range(1, len(parts)):
            by_suffix.setdefault(".".join(parts[i:]), []).append(n)
    return by_suffix


def required_files(prelude: str, known: Collection[str]) -> list[str]:
    """The logical names (among ``known``) of the files a prelude's ``Require`` sentences load,
    resolved like the extractor resolves a file's imports.

    >>> required_files("From Coq Require Import List. Require Import Arith.PeanoNat Bogus.", ["Coq.Lists.List", "Coq.Arith.PeanoNat"])
    ['Coq.Lists.List', 'Coq.Arith.PeanoNat']
    """
    requires, _, _ = parse_file(prelude)
    by_suffix = _suffix_index(known)
    found = (_resolve_module(raw, known, by_suffix) for raw in requires)
    return list(dict.fromkeys(f for f in found if f))


def _resolve_module(raw: str, names: Collection[str], by_suffix: dict[str, list[str]]) -> str | None:
    if raw in names:
        return raw
    cands = by_suffix.get(raw.removeprefix("Coq."), [])
    return sorted(cands)[0] if cands else None


def _dedupe(premises: list[Premise]) -> list[Premise]:
    seen: dict[str, int] = {}
    out: list[Premise] = []
    for p in premises:
        if p.full_name in seen:
            out[seen[p.full_name]] = p
        else:
            seen[p.full_name] = len(out)
            out.append(p)
    return out


class _Resolver:
    """Identifiers of a proof → accessible premise full names (see the module docstring)."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.by_short: dict[str, list[int]] = {}
        for i, p in enumerate(corpus.premises):
            parts = p.name.split(".")
            for k in range(len(parts)):
                self.by_short.setdefault(".".join(parts[k:]), []).append(i)
            full = p.full_name.split(".")
            for k in range(len(full) - len(parts)):
                self.by_short.setdefault(".".join(full[k:]), []).append(i)

    def used(self, thm: Theorem) -> tuple[str, ...]:
        files = self.corpus.imported(thm.file)
        out: list[str] = []
        for ident in dict.fromkeys(_IDENT.findall(STRING.sub(" ", thm.proof))):
            if ident in TACTIC_WORDS:
                continue
            cands = [self.corpus.premises[i] for i in self.by_short.get(ident, [])]
            same = [p for p in cands if p.file == thm.file and p.line < thm.line]
            if same:
                out.append(max(same, key=lambda p: p.line).full_name)
                continue
            imported = {p.full_name for p in cands if p.file in files}
            if len(imported) == 1:
                out.append(imported.pop())
        return tuple(dict.fromkeys(out))


def theorem_from_file(file: str, name: str) -> Theorem:
    """The theorem ``name`` of a Coq source file, ready to open: prelude, statement, epilogue.

    ``name`` may be qualified with its module path (``Nat.add_0_r``) or short; the first
    lemma-like declaration with that name is taken.

    Raises
    ------
    TheoremError
        When the file cannot be read or has no such theorem.
    """
    path = Path(file)
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise TheoremError(f"cannot read the file: {exc}", where=file) from exc
    _, blocks, sents = parse_file(text)
    target = next((b for b in blocks if b.kind in LEMMA_KINDS and name in (b.qual, b.name)), None)
    if target is None:
        raise TheoremError(f"no theorem named {name!r}", where=file)
    return _theorem_of(text, blocks, sents, target, _logical_or_path(path), dict(proof_using(text, path.name)))


@lru_cache(maxsize=32)
def proof_using(text: str, name: str = "File.v", timeout: float = 300.0) -> tuple[tuple[str, str], ...]:
    """``(lemma, "Proof using ...")`` that Coq suggests for the lemmas of the sections of a file.

    Why: the prelude admits earlier proofs, and an admitted lemma takes *every* variable of its
    section once the section closes, a ``Qed`` one only those its proof uses; with a bare
    ``Admitted`` later sentences of the file see other types (``Permutation.v``: the prelude
    of ``Permutation_nth_error`` failed, ``symmetry in HP`` met an extra ``Type`` argument).
    The file is compiled once with ``Set Suggest Proof Using`` (in a scratch folder; a file that
    does not compile there gives the suggestions up to its error, possibly none).
    """
    import tempfile

    with tempfile.TemporaryDirectory(prefix="itp-using-") as tmp:
        (Path(tmp) / name).write_text("Set Suggest Proof Using.\n" + text, encoding="utf-8")
        try:
            out = subprocess.run(["coqc", "-q", name], cwd=tmp, capture_output=True, text=True, timeout=timeout)
        except (OSError, subprocess.TimeoutExpired):
            return ()
    found = _SUGGESTED.findall(out.stdout + out.stderr)
    return tuple((lemma, " ".join(cmd.split())) for lemma, cmd in found)


_SUGGESTED = re.compile(r"The proof of (\S+)\s+should start with one of the following commands:\s*\n(Proof using[^\n]*)")


def _theorem_of(text: str, blocks: list[_Block], sents: list[tuple[int, int]], target: _Block, file: str,
                using: dict[str, str] | None = None) -> Theorem:
    open_modules = {n for k, n in target.stack if k == "Module"}
    prelude = _prelude(text, blocks, sents, target.start, open_modules, using or {})
    closers = "\n".join(f"End {n}." for _, n in reversed(target.stack))
    return Theorem(
        target.qual, _clean(text[target.start : target.stmt_end]), prelude=prelude, file=file,
        line=target.line, proof=" ".join(target.proof), epilogue=closers,
    )


_GAVE_UP = re.compile(r"\b(?:admit|give_up)\b")


def unfinished_theorems(text: str, file: str = "") -> list[tuple[Theorem, int, int]]:
    """The lemmas of a Coq source whose proof ends in ``Admitted`` or uses ``admit``/``give_up``,
    each ready to prove, with the span of its proof in ``text`` (from just after the statement
    to just after the proof's last sentence) that a found proof replaces.

    >>> src = "Lemma a : True. Proof. exact I. Qed.\\nLemma b : True /\\\\ True. Proof. split. admit. exact I. Admitted.\\n"
    >>> [(t.name, src[s:e].strip()) for t, s, e in unfinished_theorems(src)]
    [('b', 'Proof. split. admit. exact I. Admitted.')]
    """
    _, blocks, sents = parse_file(text)
    out: list[tuple[Theorem, int, int]] = []
    holes = [b for b in blocks if b.kind in LEMMA_KINDS and (b.ending == "Admitted" or any(_GAVE_UP.search(p) for p in b.proof))]
    using = dict(proof_using(text, Path(file).name if file.endswith(".v") else "File.v")) if holes else {}
    for b in holes:
        out.append((_theorem_of(text, blocks, sents, b, file, using), b.stmt_end, b.end))
    return out


_MODULE = re.compile(r"^\s*Module\s+(?!Type\b)(?:(?:Import|Export)\s+)?([A-Za-z_][A-Za-z0-9_']*)")


_WITH_CLAUSE = re.compile(r"\bwith\s+(?:Definition|Module)\s+[A-Za-z_][A-Za-z0-9_'.]*\s*:=")


def _module_body(sentence: str) -> bool:
    """Whether a ``Module`` sentence gives its body (``Module M := F X.``: nothing is opened), as
    opposed to one whose ``:=`` sits in a binder or a ``with`` constraint (``Module Make (M : S with
    Definition t := nat) <: T with Module E := X.`` opens ``Make``: its ``End`` comes later).

    >>> _module_body("Module M := N."), _module_body("Module P <: S with Module E:=Bits.")
    (True, False)
    >>> _module_body("Module U (O:T) (M:S with Definition E.t := O.t) <: S'."), _module_body("Module M <: S with Module E := X := F X.")
    (False, True)
    """
    flat, prev = sentence, ""
    while flat != prev:  # drop the binders, innermost first
        prev, flat = flat, re.sub(r"\([^()]*\)", "", flat)
    return ":=" in _WITH_CLAUSE.sub("", flat)


def _drop_signature(sentence: str, open_modules: Collection[str]) -> str:
    """``Module M (X : T) <: S.`` → ``Module M (X : T).`` when ``M`` is in ``open_modules``.

    >>> _drop_signature("\\nModule Nat\\n  <: NAxiomsSig\\n  <: OrderedTypeFull.", {"Nat"})
    '\\nModule Nat.'
    >>> _drop_signature("Module Make (X : T) : S.", {"Make"}), _drop_signature("Module M := N.", {"M"})
    ('Module Make (X : T).', 'Module M := N.')
    """
    code = _clean(sentence)
    m = _MODULE.match(code)
    if not m or m.group(1) not in open_modules or _module_body(code):
        return sentence
    depth = 0
    for i, c in enumerate(code):
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif c == ":" and depth == 0 and i > m.end(1) - 1:
            cut = i - 1 if code[i - 1] == "<" else i
            lead = sentence[: len(sentence) - len(sentence.lstrip())]
            return lead + code[:cut].rstrip() + "."
    return sentence


def _logical_or_path(path: Path) -> str:
    """The logical name of a standard library file (as in the corpus), else the path."""
    try:
        root = coq_theories().resolve()
        return logical_name(root, path.resolve())
    except (ItpError, ValueError):
        return str(path)


_INSTANCE = re.compile(rf"^{_ATTRS}Instance\s+([A-Za-z_][A-Za-z0-9_']*)")
_MORPHISM = re.compile(rf"^{_ATTRS}Add\s+(?:Parametric\s+)?Morphism\b.*\bas\s+([A-Za-z_][A-Za-z0-9_']*)\s*\.$", re.S)
_PROOF_START = re.compile(r"^Proof(?:\s+(?:using|with)\b.*)?\.$", re.S)


def _instance_proofs(text: str, sents: list[tuple[int, int]], upto: int) -> dict[int, tuple[int, str]]:
    """Named instances (``Instance x : …``, ``Add Morphism … as x``) proved by ``Proof. … Qed.``
    before ``upto``: statement end → (proof end, name).

    Why: the prelude admits them like lemmas. Replayed as they are, some cannot run outside their
    own library: in ``Coq.Classes.Morphisms`` a ``rewrite`` with a relation other than ``=``
    needs setoid rewriting, which finds its classes under the library's own name
    (``Coq.Classes.Morphisms.Proper``), not under the prelude's copy ("Setoid library not
    loaded": every theorem of the file after ``respectful_morphism`` could not even be tried).
    An instance proved by ``Qed`` is opaque: admitted, the rest of the file sees the same
    declaration. ``Program`` instances (obligations) and ``Defined`` ones (transparent) stay.

    >>> src = ("Instance i : P. Proof. auto. Qed. Add Parametric Morphism A : (@f A) with signature "
    ...        "eq ==> eq as f_m. Proof. auto. Qed. Program Instance p : P. Instance d : P. Proof. auto. Defined.")
    >>> sorted(name for _, name in _instance_proofs(src, split_sentences(src), len(src)).values())
    ['f_m', 'i']
    """
    out: dict[int, tuple[int, str]] = {}
    before = [(s, e) for s, e in sents if e <= upto]  # the statement and its Qed both come before upto
    clean = [_BULLETS.sub("", _clean(text[s:e])) for s, e in before]
    for i, sent in enumerate(clean[:-1]):
        m = _INSTANCE.match(sent) or _MORPHISM.match(sent)
        if not m or "Program" in sent.split(m.group(1))[0] or ":=" in sent or not _PROOF_START.match(clean[i + 1]):
            continue
        j = next((j for j in range(i + 2, len(clean)) if clean[j].startswith(_PROOF_END)), None)
        if j is not None and clean[j] == "Qed.":
            out[before[i][1]] = (before[j][1], m.group(1))
    return out


def _prelude(text: str, blocks: list[_Block], sents: list[tuple[int, int]], upto: int, open_modules: Collection[str] = (),
             using: dict[str, str] | None = None) -> str:
    """The file before ``upto`` with earlier ``Qed`` proofs (of lemmas, and of named instances:
    `_instance_proofs`) replaced by ``Admitted.`` (after the
    ``Proof using`` Coq suggests for the lemma, when ``using`` has one: `proof_using`).

    The modules still open at ``upto`` lose their signature constraint (``Module Nat <:
    NAxiomsSig.`` → ``Module Nat.``): the epilogue closes them with only part of their
    fields, which the constraint would refuse; the constraint says nothing about the lemma.
    """
    admitted = {b.stmt_end: (b.end, b.name) for b in blocks if b.kind in LEMMA_KINDS and b.ending == "Qed" and b.end <= upto}
    admitted.update(_instance_proofs(text, sents, upto))
    using = using or {}
    out: list[str] = []
    skip_until = -1
    for s, e in sents:
        if s >= upto:
            break
        if e <= skip_until:
            continue
        out.append(_drop_signature(text[s:e], open_modules))
        if e in admitted:
            end, lemma = admitted[e]
            out.append(f" {using[lemma]} Admitted." if lemma in using else " Admitted.")
            skip_until = end
    return "".join(out).strip() + "\n"
