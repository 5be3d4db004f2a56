"""The exception root of `provers.itp` and its built-in mix-ins.

Every message says what went wrong and where: the theorem (``file:line name``), the tactic, or
the assistant binary. A failure of the proof assistant process is wrapped with the stage it
happened in and the original output.
"""

from __future__ import annotations

from workbench.errors import WorkbenchError


class ItpError(WorkbenchError):
    """Root of every error raised on purpose by `provers.itp`."""


class TheoremError(ItpError, ValueError):
    """A theorem cannot be opened: its prelude or statement does not parse or typecheck."""


class AssistantError(ItpError, RuntimeError):
    """The proof assistant process died, hung, or answered something unreadable."""


class TacticRejected(ItpError, ValueError):
    """A tactic string is not a single safe tactic (several sentences, a vernacular, ``admit``)."""
