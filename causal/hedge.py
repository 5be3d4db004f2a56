"""The hedge: the witness that an interventional query is not identifiable (Shpitser–Pearl).

Its own module because both the ID algorithm (`causal.identify`, which finds it) and the
exception that carries it (`causal.errors.NotIdentifiable`) need it, and neither should import
the other.

>>> h = Hedge(frozenset("XY"), frozenset("Y"), frozenset("X"))
>>> print(h)
hedge F = {X, Y}, F' = {Y}
>>> eval(repr(h)) == h
True
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Hedge:
    """Why a query fails: c-forests ``F' ⊂ F`` with ``F ∩ x ≠ ∅`` and ``F' ∩ x = ∅``."""

    F: frozenset[str]
    F_prime: frozenset[str]
    #: The intervened variables at the failing step (those in F are the ones that matter).
    x: frozenset[str] = frozenset()

    def __str__(self) -> str:
        return f"hedge F = {{{', '.join(sorted(self.F))}}}, F' = {{{', '.join(sorted(self.F_prime))}}}"

    def explain(self) -> str:
        """A paragraph a user can read."""
        xs = ", ".join(sorted(self.x & self.F))
        return (
            f"{self}: F is one c-component (its nodes are tied by hidden confounders) that "
            f"contains the intervened {xs}; F' = F without {xs} is also a "
            f"single c-component, with the same roots. Two models that agree on every observation "
            f"but differ on the effect of {xs} can be built on this pair, so no formula "
            f"over the observed variables computes the query."
        )
