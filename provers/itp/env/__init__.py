"""Proof environments: one interface (`base.ProofEnv`), one adapter per proof assistant.

`coq.CoqEnv` drives ``coqtop`` offline; `leandojo.LeanDojoEnv` drives Lean through
``lean-dojo`` when a Lean toolchain (``lake``) is installed.
"""

from provers.itp.env.base import (
    Outcome,
    ProofEnv,
    ProofFinished,
    ProofState,
    TacticError,
    TacticTimeout,
    Theorem,
)

__all__ = [
    "Outcome",
    "ProofEnv",
    "ProofFinished",
    "ProofState",
    "TacticError",
    "TacticTimeout",
    "Theorem",
]
