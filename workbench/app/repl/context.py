"""The live resources next to the REPL's state: the console, where pictures go, and coqtop.

A `Session` is a value that undo can restore; a running ``coqtop`` is not, so it lives here and
is (re)opened on the theorem of whichever proof state a command works on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console

from workbench.config import cache_dir


def history_file() -> Path:
    """Where the REPL keeps its input history across sessions (``<cache>/repl/history``)."""
    return cache_dir() / "repl" / "history"


@dataclass
class Context:
    """What commands print to and the processes they share; closed when the REPL ends.

    Parameters
    ----------
    console:
        Where results are rendered.
    out_dir:
        Where pictures are written unless a command is given a path.
    """

    console: Console = field(default_factory=Console)
    out_dir: Path = field(default_factory=Path.cwd)
    #: Lines that ended in an error so far (scripted mode stops at the first, see `workbench.app.repl.run`).
    failures: int = 0
    _coq: Any = None
    _coq_theorem: Any = None

    def _env(self) -> Any:
        from provers.itp.env.coq import CoqEnv

        if self._coq is None:
            self._coq = CoqEnv(tactic_timeout=5.0)
        return self._coq

    def open_theorem(self, theorem: Any) -> Any:
        """Open ``theorem`` in coqtop (started on first use): its first `ProofState`.

        Raises
        ------
        provers.itp.errors.AssistantError
            When coqtop is missing or will not start.
        provers.itp.errors.TheoremError
            When Coq rejects the statement.
        """
        state = self._env().open(theorem)
        self._coq_theorem = theorem
        return state

    def coq_for(self, theorem: Any) -> Any:
        """The `provers.itp.env.coq.CoqEnv`, with ``theorem`` open (reopened when another one is).

        Proof states carry their tactic path, so after undo or a switch between proofs the
        environment replays whatever state a command hands it.
        """
        if self._coq_theorem != theorem:
            self.open_theorem(theorem)
        return self._env()

    def forget_theorem(self) -> None:
        """Something else (a proof search) opened theorems in coqtop: reopen before the next step."""
        self._coq_theorem = None

    def close(self) -> None:
        if self._coq is not None:
            self._coq.close()
            self._coq = None
            self._coq_theorem = None
