"""The one exception root of `causal`, and its few refinements.

Every message names the culprit: the variable, the box, the parent assignment, the query
position. `NotIdentifiable` carries the hedge that proves the failure; `LimitError` says how
large a table a computation would need, before it is allocated.
"""

from __future__ import annotations

from causal.hedge import Hedge
from workbench.errors import WorkbenchError
from workbench.span import Span


class CausalError(WorkbenchError):
    """Anything wrong with a causal model, a diagram, a table or a query."""

    def at(self, where: str) -> CausalError:
        """This error located at ``where`` (a model file), unless it already names a place.

        Example
        -------
        >>> print(CausalError("positivity fails").at("m.yaml"))
        m.yaml: positivity fails
        """
        if self.where:
            return self
        located = type(self).__new__(type(self))
        located.__dict__.update(self.__dict__)
        located.where = where
        located.args = (f"{where}: {self.what}",)
        return located


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


class LimitError(CausalError):
    """A computation would allocate a table larger than the configured cap (checked before
    allocating anything, so it fails at once instead of exhausting memory).

    Example
    -------
    >>> print(LimitError("P(A | do(B=1))", 4.4e40, 50_000_000))
    P(A | do(B=1)) needs a table of 4.4e+40 cells (3.5e+32 GB), over the cap of 50,000,000 cells (raise it with --max-cells)
    """

    def __init__(self, what: str, cells: float, cap: int, where: str | None = None) -> None:
        self.cells, self.cap = cells, cap
        size = f"{cells:,.0f}" if cells < 1e15 else f"{cells:.2g}"
        mem = f"{cells * 8 / 1e9:.2g} GB"
        super().__init__(f"{what} needs a table of {size} cells ({mem}), over the cap of {cap:,} cells "
                         "(raise it with --max-cells)", where=where)
