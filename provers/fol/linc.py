"""LINC's own pipeline, reproduced: model completion → FOL lines → NLTK → Prover9 → label.

LINC (Olausson et al., 2023) labels a sampled completion as follows, and this module does the
same steps in the same order so that its labels match LINC's published ``*_prc.json``:

1. keep the lines containing ``FOL:`` (the marker removed); the last is the conclusion, the
   others are premises — no such line is an Error;
2. inside every innermost ``( ... )`` group, argument text is rewritten: digits become words
   (``1`` → ``One``), ``.`` → ``Dot``, ``-`` → ``_``, spaces → ``_``, quotes dropped — applied
   with a plain text replace over the whole formula (so ``(A -> B)`` becomes the
   proposition letter ``(A__>_B)``, exactly as in LINC);
3. NLTK's parser (`provers.fol.parse.parse_nltk_tree`): anything NLTK rejects is an Error;
4. NLTK's Prover9 printer, then Prover9 with ``max_seconds = 10``: premises ⊢ conclusion →
   True; premises ⊢ ``-(conclusion)`` → False; search exhausted → Uncertain; a fatal error
   (e.g. a symbol used with two arities) or a time limit → Error.

>>> linc_fol_lines("TEXT:\\tAll dogs bark.\\nFOL:\\tall x.(Dog(x) -> Bark(x))\\nFOL:\\tBark(Rex)")
['all x.(Dog(x) -> Bark(x))', 'Bark(Rex)']
>>> linc_reformat("Age(Tom, 3) & Likes(Tom, St. Louis)")
'Age(Tom, Three) & Likes(Tom, StDot_Louis)'
>>> nltk_prover9_text("all x.(Dog(x) -> -Cat(x)) & x != Bob")
'(all x (Dog(x) -> -(Cat(x))) & -((x = Bob)))'
"""

from __future__ import annotations

import re
import time

from provers.fol.backends.base import Label, Verdict
from provers.fol.backends.prover9 import GRACE, decide_texts
from provers.fol.parse import (
    FolParseError,
    _App,
    _Name,
    _RawBin,
    _RawEq,
    _RawNot,
    _RawQuant,
    parse_nltk_tree,
)
from provers.fol.syntax import FolLimitError

#: LINC's prover time limit (``nltk.Prover9(10)``).
LINC_TIMEOUT = 10.0

_ARG_REWRITES = (
    ("0", "Zero"), ("1", "One"), ("2", "Two"), ("3", "Three"), ("4", "Four"), ("5", "Five"),
    ("6", "Six"), ("7", "Seven"), ("8", "Eight"), ("9", "Nine"), (".", "Dot"), ("’", ""),
    ("-", "_"), ("'", ""), (" ", "_"),
)


def linc_fol_lines(completion: str) -> list[str]:
    """The FOL formulas of a completion, as LINC extracts them (premises, then conclusion)."""
    return [line.replace("FOL:", "").strip() for line in completion.split("\n") if "FOL:" in line]


def linc_reformat(fol: str) -> str:
    """LINC's argument rewriting (step 2 of the module docstring), quirks included."""
    pieces: list[str] = []
    for group in re.findall(r"\([^()]+\)", fol):
        for piece in group[1:-1].split(","):
            if piece.strip() not in pieces:
                pieces.append(piece.strip())
    for piece in pieces:
        new = piece
        for old, repl in _ARG_REWRITES:
            new = new.replace(old, repl)
        fol = fol.replace(piece, new)
    return fol


_OPS = {"and": "&", "or": "|", "imp": "->", "iff": "<->"}


def _nltk_str(x: object) -> str:
    """``str()`` of an NLTK expression (used by NLTK for atoms and arguments)."""
    if isinstance(x, _Name):
        return x.name
    if isinstance(x, _App):
        return f"{x.name}({','.join(_nltk_str(a) for a in x.args)})"
    if isinstance(x, _RawNot):
        return "-" + _nltk_str(x.body)
    if isinstance(x, _RawEq):
        return f"({_nltk_str(x.left)} = {_nltk_str(x.right)})"
    if isinstance(x, _RawBin):
        return f"({_nltk_str(x.left)} {_OPS.get(x.op, x.op)} {_nltk_str(x.right)})"
    assert isinstance(x, _RawQuant)
    names, body = [x.var], x.body
    while isinstance(body, _RawQuant) and body.kind == x.kind:
        names.append(body.var)
        body = body.body
    return f"{x.kind} {' '.join(names)}.{_nltk_str(body)}"


def _to_p9(x: object) -> str:
    """NLTK's ``_convert_to_prover9`` over the untyped tree."""
    if isinstance(x, _RawQuant):
        return f"{x.kind} {x.var} {_to_p9(x.body)}"
    if isinstance(x, _RawNot):
        return f"-({_to_p9(x.body)})"
    if isinstance(x, _RawBin):
        return f"({_to_p9(x.left)} {_OPS[x.op]} {_to_p9(x.right)})"
    if isinstance(x, _RawEq):
        return f"({_to_p9(x.left)} = {_to_p9(x.right)})"
    return _nltk_str(x)


def nltk_prover9_text(fol: str) -> str:
    """The Prover9 formula NLTK writes for an NLTK-syntax formula.

    Raises
    ------
    FolParseError
        When NLTK would not parse ``fol``.
    """
    return _to_p9(parse_nltk_tree(fol))


def linc_problem(completion: str) -> tuple[list[str], str, str]:
    """Prover9 texts (premises, goal, negated goal) for one completion, as LINC builds them.

    Raises
    ------
    FolParseError
        On a formula NLTK rejects, or a completion without any ``FOL:`` line.
    """
    lines = linc_fol_lines(completion)
    if not lines:
        raise FolParseError("no 'FOL:' line in the completion", completion, 0, "nltk")
    premises = [linc_reformat(p) for p in lines[:-1]]
    conclusion = linc_reformat(lines[-1])
    texts = []
    for i, p in enumerate(premises):
        try:
            texts.append(nltk_prover9_text(p))
        except FolParseError as exc:
            exc.where = f"premise {i + 1}: {exc.where}"
            raise
    return texts, nltk_prover9_text(conclusion), nltk_prover9_text(f"-({conclusion})")


def linc_label(completion: str, binary: str, timeout: float = LINC_TIMEOUT) -> Verdict:
    """LINC's label for one sampled completion (an Error verdict carries the reason)."""
    start = time.perf_counter()
    try:
        premises, goal, negated = linc_problem(completion)
    except FolParseError as exc:
        reason = "limit" if isinstance(exc, FolLimitError) else "parse"
        return Verdict(Label.ERROR, "prover9-linc", time.perf_counter() - start, None, reason,
                       f"{exc.where}: {exc.what}")
    # LINC makes two Prover9 calls, each stopped by Prover9's own max_seconds (CPU time);
    # the wall budget covers both with a grace for a loaded machine.
    return decide_texts(binary, premises, goal, negated, 2 * (timeout + GRACE), "prover9-linc",
                        max_seconds=max(1, int(timeout)))
