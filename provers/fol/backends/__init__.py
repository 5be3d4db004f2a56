"""Theorem-proving backends behind one interface (`provers.fol.backends.base.Backend`).

Importing this package registers the built-in backends: ``z3``, ``prover9``, ``eprover``.
"""

from provers.fol.backends import eprover, prover9, z3  # noqa: F401  (registration)
from provers.fol.backends.base import (
    BACKENDS,
    Backend,
    BackendError,
    Evidence,
    Label,
    Verdict,
    get_backend,
    register,
)

__all__ = ["BACKENDS", "Backend", "BackendError", "Evidence", "Label", "Verdict", "get_backend", "register"]
