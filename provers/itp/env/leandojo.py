"""Lean 4 through LeanDojo (``lean-dojo``): the `ProofEnv` for users who have a Lean toolchain.

Lean toolchains are installed from GitHub (elan), which our machines cannot reach, so this
adapter is exercised only where ``lake`` is on PATH (`available`); tests skip otherwise.

How it maps: a `Theorem`'s ``file`` is the path of the ``.lean`` file inside the repository
and ``name`` its full Lean name; the repository (a URL or a local git checkout) and commit are
given to the environment. LeanDojo's `Dojo` keeps every `TacticState` it produced, so this
adapter remembers, for each tactic path, the Dojo state it reached and runs the next tactic on
it directly. ``LeanError`` and ``ProofGivenUp`` (``sorry``) become `TacticError`, a tactic
timeout becomes `TacticTimeout`, and a Dojo crash closes the Dojo; the next call re-enters it
and replays the path, as the Coq adapter does. `recheck` replays the proof in a fresh Dojo.
"""

from __future__ import annotations

import shutil
from typing import Any

from provers.itp.env.base import (
    CheckResult,
    Outcome,
    ProofFinished,
    ProofState,
    TacticError,
    TacticTimeout,
    Theorem,
)
from provers.itp.errors import AssistantError, TheoremError
from workbench.errors import require


def available() -> str | None:
    """None when LeanDojo can run here, else the reason it cannot (for skips and messages)."""
    if shutil.which("lake") is None:
        return "Lean's `lake` is not on PATH (install elan and a Lean 4 toolchain)"
    try:
        import lean_dojo  # noqa: F401
    except ImportError:
        return "lean-dojo is not installed: pip install 'neurosym-workbench[leandojo]'"
    return None


class LeanDojoEnv:
    """A `ProofEnv` over LeanDojo.

    Parameters
    ----------
    repo:
        Git URL or local path of the Lean repository (``LeanGitRepo``).
    commit:
        The commit (or tag) whose trace LeanDojo uses.
    timeout:
        Seconds LeanDojo allows one tactic (``Dojo(..., timeout=)``).

    Example
    -------
    >>> env = LeanDojoEnv("https://github.com/yangky11/lean4-example", "main")  # doctest: +SKIP
    >>> s = env.open(Theorem("hello_world", "", file="Lean4Example.lean"))     # doctest: +SKIP
    >>> env.run(s, "rw [Nat.add_comm b, ← Nat.add_assoc]")                     # doctest: +SKIP
    """

    def __init__(self, repo: str, commit: str, timeout: float = 60.0) -> None:
        self.repo = repo
        self.commit = commit
        self.timeout = timeout
        self._ctx: Any = None
        self._dojo: Any = None
        self._theorem: Theorem | None = None
        self._states: dict[tuple[str, ...], Any] = {}

    def __enter__(self) -> LeanDojoEnv:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _lean_theorem(self, theorem: Theorem) -> Any:
        ld = require("lean_dojo", "leandojo")
        return ld.Theorem(ld.LeanGitRepo(self.repo, self.commit), theorem.file, theorem.name)

    def open(self, theorem: Theorem) -> ProofState:
        """Enter a Dojo for ``theorem``; its initial state.

        Raises
        ------
        AssistantError
            When no Lean toolchain is installed or the Dojo cannot start.
        TheoremError
            When LeanDojo cannot find or initialise the theorem.
        """
        reason = available()
        if reason:
            raise AssistantError(reason, where=theorem.where)
        ld = require("lean_dojo", "leandojo")
        self.close()
        self._theorem = theorem
        try:
            self._ctx = ld.Dojo(self._lean_theorem(theorem), timeout=int(self.timeout))
            self._dojo, init = self._ctx.__enter__()
        except Exception as exc:  # noqa: BLE001 - DojoInitError and friends, wrapped with where
            self._ctx = None
            raise TheoremError(f"LeanDojo could not open the theorem: {exc.__class__.__name__}: {exc}", where=theorem.where) from exc
        self._states = {(): init}
        return ProofState(init.pp, ())

    def run(self, state: ProofState, tactic: str) -> Outcome:
        """Run one tactic; a crashed Dojo is reported as an error and re-entered next time."""
        ld = require("lean_dojo", "leandojo")
        try:
            lean_state = self._state_of(state)
        except Exception as exc:  # noqa: BLE001 - cannot restore: the tactic's error
            return TacticError(tactic, f"could not restore the state: {exc}")
        try:
            res = self._dojo.run_tac(lean_state, tactic)
        except Exception as exc:  # noqa: BLE001 - DojoCrashError / DojoTacticTimeoutError
            self.close(keep_theorem=True)
            if "Timeout" in exc.__class__.__name__:
                return TacticTimeout(tactic, self.timeout)
            return TacticError(tactic, f"LeanDojo crashed (restarted): {exc.__class__.__name__}: {exc}")
        path = (*state.tactics, tactic)
        if isinstance(res, ld.ProofFinished):
            return ProofFinished(path)
        if isinstance(res, ld.TacticState):
            self._states[path] = res
            return ProofState(res.pp, path)
        if isinstance(res, ld.ProofGivenUp):
            return TacticError(tactic, "the tactic gave up (sorry)")
        return TacticError(tactic, str(getattr(res, "error", res)))

    def _state_of(self, state: ProofState) -> Any:
        if self._dojo is not None and state.tactics in self._states:
            return self._states[state.tactics]
        if self._theorem is None:
            raise TheoremError("no theorem is open")
        node = self.open(self._theorem)
        for tac in state.tactics:
            out = self.run(node, tac)
            if not isinstance(out, ProofState):
                raise AssistantError(f"replaying {tac!r} gave {out}", where=self._theorem.where)
            node = out
        return self._states[state.tactics]

    def recheck(self, theorem: Theorem, tactics: tuple[str, ...]) -> CheckResult:
        """Replay the proof in a fresh Dojo; ok when Lean reports the proof finished."""
        script = "by\n" + "".join(f"  {t}\n" for t in tactics)
        fresh = LeanDojoEnv(self.repo, self.commit, self.timeout)
        try:
            node: Outcome = fresh.open(theorem)
            for tac in tactics:
                if not isinstance(node, ProofState):
                    break
                node = fresh.run(node, tac)
            ok = isinstance(node, ProofFinished)
            return CheckResult(ok, script, "" if ok else f"replay ended with {node}")
        except Exception as exc:  # noqa: BLE001 - a failed re-check is a result
            return CheckResult(False, script, str(exc))
        finally:
            fresh.close()

    def close(self, keep_theorem: bool = False) -> None:
        """Leave the Dojo (its Lean process ends)."""
        if self._ctx is not None:
            try:
                self._ctx.__exit__(None, None, None)
            except Exception:  # noqa: BLE001 - already dead
                pass
        self._ctx = self._dojo = None
        self._states = {}
        if not keep_theorem:
            self._theorem = None
