"""``workbench prove file X.v``: prove every unfinished lemma of a Coq file and write the proofs back.

A lemma is unfinished when its proof ends in ``Admitted.`` or runs ``admit``/``give_up``
(`provers.itp.corpus.coq.unfinished_theorems`). Each one is searched for in its file's
context (the file up to it), and a proof the search finds (re-checked by ``coqc``) replaces its
``Proof. ... Admitted.``. Then the whole new file is compiled with ``coqc``; should it fail
(a later lemma may depend on an earlier proof being opaque or transparent), replacements are
undone from the last one until it compiles, so the file written always compiles whenever the
original did. A written proof keeps the lemma's type: its own ``Proof using`` or, in a section,
``Proof using All.`` (`proof_head`). Lemmas no proof was found for are left exactly as they were.

A found proof that names the lemma itself or a lemma the file declares *later* is not written
back: such a name can only resolve to a compiled copy of the same file that something loaded
(CoqHammer's ``Tactics`` loads e.g. ``Coq.Relations.Operators_Properties``, whose ``hammer``
then proves ``clos_rst1n_rst`` by ``strivial use: Operators_Properties.clos_rst1n_rst``):
coqc accepts it, but it is circular, not a proof of the user's lemma.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from provers.itp.corpus.coq import parse_file, unfinished_theorems
from provers.itp.env.coq import CoqEnv
from provers.itp.errors import TheoremError
from provers.itp.search import Budget, SearchResult, TacticGenerator, best_first


@dataclass(frozen=True, slots=True)
class FillReport:
    """What `fill_file` did: every unfinished lemma's search, which proofs went in, the check."""

    results: tuple[SearchResult, ...]
    #: Names whose proofs were written into the file.
    written: tuple[str, ...]
    #: ``coqc`` accepts the written file.
    compiles: bool
    message: str = ""
    #: Names whose found proof cites the lemma itself or a later one of the file (not written).
    circular: tuple[str, ...] = ()
    text: str = field(default="", repr=False)


def compile_ok(text: str, name: str, args: tuple[str, ...] = (), timeout: float = 600.0) -> tuple[bool, str]:
    """Whether ``coqc`` accepts ``text`` as the file ``name`` (compiled in a fresh folder)."""
    tmp = Path(tempfile.mkdtemp(prefix="itp-fill-"))
    try:
        (tmp / name).write_text(text, encoding="utf-8")
        try:
            proc = subprocess.run(["coqc", "-q", *args, name], cwd=tmp, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return False, f"coqc ran past {timeout:g} s"
        return proc.returncode == 0, (proc.stdout + proc.stderr).strip()[-500:]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def proof_text(tactics: tuple[str, ...], head: str = "Proof.") -> str:
    """A found proof as it is written into the file."""
    return f"\n{head}\n" + "".join(f"  {t}.\n" for t in tactics) + "Qed."


def proof_head(proof: list[str], in_section: bool) -> str:
    """The sentence that opens a written proof: the lemma's own ``Proof using ...`` (it fixes
    which section variables the lemma takes), else, inside a section, ``Proof using All.`` (an
    admitted lemma takes *every* section variable, and the rest of the file was written against
    that type; a ``Qed`` proof would take only those it uses), else ``Proof.``.

    >>> proof_head(["Proof using A.", "intros.", "admit."], True), proof_head(["Proof."], True), proof_head([], False)
    ('Proof using A.', 'Proof using All.', 'Proof.')
    """
    first = " ".join(proof[0].split()) if proof else ""
    if first.startswith("Proof using"):
        return first if first.endswith(".") else first + "."
    return "Proof using All." if in_section else "Proof."


def fill_file(
    path: str | Path,
    generator: TacticGenerator,
    budget: Budget,
    tactic_timeout: float = 5.0,
    hammer: bool = False,
    on_result: Callable[[SearchResult], None] | None = None,
) -> FillReport:
    """Search a proof for every unfinished lemma of ``path``; the new text (not written here).

    Raises
    ------
    TheoremError
        When the file cannot be read.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TheoremError(f"cannot read the file: {exc}", where=str(path)) from exc
    holes = unfinished_theorems(text, str(path))
    _, blocks, _ = parse_file(text)
    results: list[SearchResult] = []
    found: list[tuple[int, int, str, str]] = []
    circular: list[str] = []
    with CoqEnv(tactic_timeout=tactic_timeout, hammer=hammer, hammer_timeout=budget.seconds) as env:
        for thm, start, end in holes:
            res = best_first(env, thm, generator, budget)
            results.append(res)
            if on_result is not None:
                on_result(res)
            if res.proved and cites_later(res.proof, {b.name.rsplit(".", 1)[-1] for b in blocks if b.end >= end}):
                circular.append(thm.name)
            elif res.proved:
                block = next(b for b in blocks if b.stmt_end == start and b.end == end)
                head = proof_head(block.proof, any(kind == "Section" for kind, _ in block.stack))
                found.append((start, end, thm.name, proof_text(res.proof, head)))
    written = list(found)
    while True:
        needs = any(_HAMMER_WORD.search(p) for *_, p in written)
        new = _apply(text, written, "From Hammer Require Import Tactics.\n" if needs else "")
        ok, msg = compile_ok(new, path.name)
        if ok or not written:
            break
        written.pop()
    return FillReport(tuple(results), tuple(n for _, _, n, _ in written), ok, "" if ok else msg, tuple(circular), new)


def cites_later(tactics: tuple[str, ...], later: set[str]) -> bool:
    """Whether a proof names (qualified or not) one of ``later``: the lemma itself and those after it.

    >>> cites_later(("strivial use: Operators_Properties.clos_rst1n_rst",), {"clos_rst1n_rst"})
    True
    >>> cites_later(("induction H; eauto using clos_rst1n_rst_aux",), {"clos_rst1n_rst"})
    False
    """
    return any(w.rsplit(".", 1)[-1] in later for t in tactics for w in _IDENT.findall(t))


_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_']*(?:\.[A-Za-z_][A-Za-z0-9_']*)*")


#: Tactics of CoqHammer's reconstruction library (their proofs need ``From Hammer Require Import Tactics``).
_HAMMER_WORD = re.compile(r"\b(?:sauto|hauto|qauto|lauto|sfirstorder|scongruence|strivial|ssimpl|sintuition|sblast|srun|scrush|fcrush|sdone)\b")


def _apply(text: str, found: list[tuple[int, int, str, str]], head: str) -> str:
    out, pos = [], 0
    for start, end, _, proof in sorted(found):
        out += [text[pos:start], proof]
        pos = end
    out.append(text[pos:])
    return head + "".join(out)
