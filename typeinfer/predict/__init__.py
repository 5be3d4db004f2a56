"""Predictors: each maps a program's usage slices to ranked type candidates per target.

All predictors share one interface (`Predictor`): ``predict(program, context)`` returns, for
each target key (`target_key`), a tuple of `Candidate` best first. `typeinfer.combine` merges
them and drops the ones that contradict the slice.

>>> c = Candidate("string", 0.9, "symbolic", "defined by literal 'a'")
>>> print(c)
string (0.90, symbolic: defined by literal 'a')
>>> eval(repr(c)) == c
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from typeinfer.signatures import Signatures
from typeinfer.slices import MethodUsageSlice, ObjectUsageSlice, ProgramUsageSlice


@dataclass(frozen=True, slots=True)
class Candidate:
    """A proposed type for one target, with a confidence in [0, 1] and the evidence for it."""

    type: str
    confidence: float
    source: str
    evidence: str = ""
    #: The evidence bounds the type without determining it: a parameter passed on to a function
    #: (its type is at most that parameter's), assigned to a declared variable, passed a value by
    #: a caller (at least that value's), the members it is used with, or a guess from its name.
    bound: bool = False

    def __str__(self) -> str:
        why = f": {self.evidence}" if self.evidence else ""
        return f"{self.type} ({self.confidence:.2f}, {self.source}{why})"


def target_key(method: MethodUsageSlice, sl: ObjectUsageSlice) -> str:
    """A stable name for a target: ``method::label::name``, the same before and after stripping.

    >>> from typeinfer.slices import DefComponent
    >>> m = MethodUsageSlice("", "A.m", "a.ts")
    >>> target_key(m, ObjectUsageSlice(DefComponent("x", label="METHOD_PARAMETER_IN")))
    'A.m::METHOD_PARAMETER_IN::x'
    """
    return f"{method.fullName}::{sl.targetObj.label}::{sl.targetObj.name}"


Predictions = dict[str, tuple[Candidate, ...]]


class Predictor(Protocol):
    """Anything that proposes types for the targets of a program slice."""

    name: str

    def predict(self, program: ProgramUsageSlice, signatures: Signatures) -> Predictions:
        """Candidates per target key, best first (targets without a guess may be absent)."""
        ...
