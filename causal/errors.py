"""The one exception root of `causal`, and its few refinements.

Every message names the culprit: the variable, the box, the parent assignment, the query
position. `NotIdentifiable` carries the hedge that proves the failure.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workbench.errors import WorkbenchError
from workbench.span import Span

if TYPE_CHECKING:
    from causal.identify import Hedge


class CausalError(WorkbenchError):
    """Anything wrong with a causal model, a diagram, a table or a query."""


class QueryError(CausalError, ValueError):
    """A query string that does not parse, with the position of the fault.

    Example
    -------
    >>> e = QueryError("expected ')'", "P(Y", Span.from_offsets("P(Y", 3))
    >>> print(e.context())
    P(Y
       ^
    """

    def __init__(self, what: str, text: str, span: Span) -> None:
        super().__init__(what, where=f"query {text!r} at {span}")
        self.text = text
        self.span = span

    def context(self) -> str:
        """The query with a caret under the fault."""
        return self.span.context(self.text)


class NotIdentifiable(CausalError):
    """The interventional query cannot be computed from observations; `hedge` says why."""

    def __init__(self, query: str, hedge: Hedge) -> None:
        super().__init__(f"{query} is not identifiable: {hedge}")
        self.query = query
        self.hedge = hedge
