"""The exceptions of `rulecheck`: one root, `RuleError`, each message says what and where."""

from __future__ import annotations

from workbench.errors import WorkbenchError


class RuleError(WorkbenchError):
    """Root of every error `rulecheck` raises on purpose.

    Example
    -------
    >>> str(RuleError("no function named 'door_widht'", where="rule R1"))
    "rule R1: no function named 'door_widht'"
    """


class IfcFileError(RuleError, OSError):
    """An IFC file cannot be read: missing, truncated, not IFC, or an unknown schema."""


class RuleSyntaxError(RuleError, ValueError):
    """A rule expression does not parse; ``where`` carries the offset and a caret line."""


class RuleTypeError(RuleError, TypeError):
    """A rule expression is well formed but calls a function with the wrong types or arity."""


class UnknownFunction(RuleTypeError, KeyError):
    """A rule names a function that is not in the catalogue."""

    def __str__(self) -> str:  # KeyError would quote the message
        return Exception.__str__(self)


class NotApplicable(RuleError):
    """A function cannot be evaluated on this element; the message is the *why*.

    `check.py` turns it into the verdict ``not applicable: <why>`` — never a pass.
    """
