"""The one exception root of `typeinfer`.

>>> str(SliceError("cannot read file", where="src/a.ts"))
'src/a.ts: cannot read file'
"""

from __future__ import annotations

from workbench.errors import WorkbenchError


class SliceError(WorkbenchError):
    """Anything `typeinfer` raises on purpose: unreadable input, a bad slice file, a missing model."""


class SliceFormatError(SliceError, ValueError):
    """A usage-slice JSON document that does not have Joern's ``ProgramUsageSlice`` shape."""
