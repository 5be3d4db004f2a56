"""Queries in the usual notation, ``P(C=1 | do(S=0), Z=1)``, parsed and answered.

`parse_query` reads the string into a `Query` (errors carry the position, with a caret under
the fault); `answer` computes it on a model. A model with all mechanisms is answered by
surgery (the ground truth); a model with only observations (a joint or a CSV data file) is
answered by identification, and a non-identifiable query raises `NotIdentifiable` with its
hedge instead of a number.

>>> q = parse_query("P(C=1 | do(S=0))")
>>> q
Query(outcomes=(('C', '1'),), do=(('S', '0'),), given=())
>>> print(answer(load_model("smoking"), q))
P(C=1 | do(S=0)) = 0.253478  [identified: Σ_{T} P(T | S) Σ_{S} P(S) P(C | S, T)]
>>> parse_query("P(C | do(S=1)")
Traceback (most recent call last):
...
causal.errors.QueryError: query 'P(C | do(S=1)' at 1:14: expected ')' at the end
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from causal.eliminate import DEFAULT_MAX_CELLS
from causal.errors import CausalError, QueryError
from causal.identify import Estimand, identify
from causal.model import CausalModel, load_model
from causal.semantics import Table, state_index
from workbench.span import Span

__all__ = ["Answer", "Query", "answer", "identify_query", "load_model", "parse_query"]

Term = tuple[str, str | None]

_TOKEN = re.compile(r"\s*(?:(?P<name>[A-Za-z_][\w.']*|[+-]?\d[\w.]*)|(?P<punct>[(),|=]))")


@dataclass(frozen=True)
class Query:
    """``P(outcomes | do(do), given)``; a term's value is ``None`` when left open."""

    outcomes: tuple[Term, ...]
    do: tuple[Term, ...] = ()
    given: tuple[Term, ...] = ()

    def __str__(self) -> str:
        def terms(ts: tuple[Term, ...]) -> str:
            return ", ".join(v if x is None else f"{v}={x}" for v, x in ts)

        cond = ([f"do({terms(self.do)})"] if self.do else []) + ([terms(self.given)] if self.given else [])
        return f"P({terms(self.outcomes)} | {', '.join(cond)})" if cond else f"P({terms(self.outcomes)})"

    def variables(self) -> list[str]:
        return [v for v, _ in (*self.outcomes, *self.do, *self.given)]


def parse_query(text: str) -> Query:
    """Parse ``P(Y[=y], ... | do(X[=x], ...), Z[=z], ...)``.

    Raises
    ------
    QueryError
        With the position of the first unexpected token.
    """
    toks: list[tuple[str, int, int]] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            if text[pos:].strip() == "":
                break
            bad = pos + len(text[pos:]) - len(text[pos:].lstrip())
            raise QueryError(f"unexpected character {text[bad]!r}", text, Span.from_offsets(text, bad))
        tok = m.group("name") or m.group("punct")
        toks.append((tok, m.start(m.lastindex or 0), m.end()))
        pos = m.end()
    return _Parser(text, toks).query()


class _Parser:
    def __init__(self, text: str, toks: list[tuple[str, int, int]]) -> None:
        self.text, self.toks, self.i = text, toks, 0

    def peek(self) -> str | None:
        return self.toks[self.i][0] if self.i < len(self.toks) else None

    def fail(self, what: str) -> QueryError:
        at = self.toks[self.i][1] if self.i < len(self.toks) else len(self.text)
        return QueryError(what, self.text, Span.from_offsets(self.text, at))

    def expect(self, tok: str, what: str | None = None) -> None:
        if self.peek() != tok:
            raise self.fail(what or f"expected {tok!r}")
        self.i += 1

    def name(self) -> str:
        tok = self.peek()
        if tok is None or tok in "(),|=" or not (tok[0].isalpha() or tok[0] == "_"):
            raise self.fail("expected a variable name")
        self.i += 1
        return tok

    def term(self) -> Term:
        var = self.name()
        if self.peek() != "=":
            return var, None
        self.i += 1
        tok = self.peek()
        if tok is None or tok in "(),|=":
            raise self.fail(f"expected a value for {var}")
        self.i += 1
        return var, tok

    def terms(self) -> list[Term]:
        out = [self.term()]
        while self.peek() == ",":
            self.i += 1
            out.append(self.term())
        return out

    def query(self) -> Query:
        if self.peek() not in ("P", "p"):
            raise self.fail("a query starts with P(")
        self.i += 1
        self.expect("(")
        outcomes = self.terms()
        do: list[Term] = []
        given: list[Term] = []
        if self.peek() == "|":
            self.i += 1
            while True:
                if self.peek() == "do" and self.i + 1 < len(self.toks) and self.toks[self.i + 1][0] == "(":
                    self.i += 2
                    do += self.terms()
                    self.expect(")", "expected ')' after do(...")
                else:
                    given.append(self.term())
                if self.peek() != ",":
                    break
                self.i += 1
        self.expect(")", "expected ')' at the end")
        if self.peek() is not None:
            raise self.fail("unexpected text after the query")
        seen: set[str] = set()
        for var, _ in (*outcomes, *do, *given):
            if var in seen:
                raise QueryError(f"variable {var!r} appears twice", self.text, Span.from_offsets(self.text, self.text.rfind(var), self.text.rfind(var) + len(var)))
            seen.add(var)
        return Query(tuple(outcomes), tuple(do), tuple(given))


@dataclass(frozen=True, eq=False)
class Answer:
    """The value of a query: ``table`` over the query's open variables (do, given, outcomes)."""

    query: Query
    table: Table
    method: str
    estimand: Estimand | None = None

    def value(self) -> float:
        """The single number, when every variable of the query has a value."""
        if self.table.variables:
            raise CausalError(f"{self.query} leaves {list(self.table.variables)} open; it is a table")
        return float(self.table.array)

    def __str__(self) -> str:
        how = f"identified: {self.estimand.formula}" if self.estimand else self.method
        if not self.table.variables:
            return f"{self.query} = {self.value():.6g}  [{how}]"
        return f"{self.query}  [{how}]\n{self.table}"


def answer(model: CausalModel, query: Query | str, *, method: str = "auto",
           max_cells: int = DEFAULT_MAX_CELLS) -> Answer:
    """Compute ``query`` on ``model``.

    Parameters
    ----------
    method:
        ``"surgery"`` (needs every mechanism: the ground truth), ``"identify"`` (uses only
        the observational joint), or ``"auto"`` (surgery when the mechanisms are known).
    max_cells:
        The largest table the computation may allocate (`LimitError` beyond, before allocating).

    Raises
    ------
    NotIdentifiable
        When identification is needed and fails.
    CausalError
        Unknown variables or values, conditioning on a zero-probability event (naming the model).
    LimitError
        When a table would be larger than ``max_cells``.
    """
    q = parse_query(query) if isinstance(query, str) else query
    for v, x in (*q.outcomes, *q.do, *q.given):
        model.check_variable(v, observed=method != "surgery" and not model.has_mechanisms)
        if x is not None:
            model.check_value(v, x)
    if method == "auto":
        method = "surgery" if model.has_mechanisms else "identify"
    if method == "surgery":
        if not model.has_mechanisms:
            raise CausalError("surgery needs every mechanism (CPT); the model has only observations", where=model.where)
        table = model.engine.table([v for v, _ in q.outcomes], dict(q.do), dict(q.given), max_cells=max_cells)
        estimand = None
    elif method == "identify":
        for v in q.variables():
            model.check_variable(v, observed=True)
        estimand = identify(model.graph(), [v for v, _ in q.outcomes], [v for v, _ in q.do], [v for v, _ in q.given])
        table = evaluate_estimand(model, estimand, max_cells=max_cells)
    else:
        raise CausalError(f"unknown method {method!r} (auto, surgery, identify)")
    return Answer(q, select(table, q), method, estimand)


def identify_query(model: CausalModel, query: Query | str, *, max_cells: int = DEFAULT_MAX_CELLS
                   ) -> tuple[Estimand, Table | None, str | None]:
    """``(estimand, value, why not)`` for ``query``: what `workbench causal identify` (and the
    REPL's ``identify``) report. The value is computed when the model has observations (data,
    a joint or CPTs); if that fails, ``why not`` says why and the estimand still stands.

    Raises
    ------
    NotIdentifiable
        With the hedge.
    CausalError
        Unknown or latent variables, values outside their domains.
    """
    q = parse_query(query) if isinstance(query, str) else query
    for v, x in (*q.outcomes, *q.do, *q.given):
        model.check_variable(v, observed=True)
        if x is not None:
            model.check_value(v, x)
    est = identify(model.graph(), [v for v, _ in q.outcomes], [v for v, _ in q.do], [v for v, _ in q.given])
    if model.data is None and not model.has_mechanisms:
        return est, None, None
    try:
        return est, select(evaluate_estimand(model, est, max_cells=max_cells), q), None
    except CausalError as exc:
        return est, None, str(exc)


def evaluate_estimand(model: CausalModel, estimand: Estimand, *, max_cells: int = DEFAULT_MAX_CELLS) -> Table:
    """The estimand's value on the model's observed distribution: its data or joint table, or,
    for a model with CPTs, term by term from the engine (no joint of all its variables).

    Raises
    ------
    CausalError
        Positivity failures (naming the term, the assignment and the model).
    LimitError
        When the observed joint (for data) or a term's table would be larger than ``max_cells``.
    """
    from causal.infer import ObservedMarginals

    if model.data is not None:
        source: Table | ObservedMarginals = model.observational(estimand.variables(), max_cells=max_cells)
    elif model.has_mechanisms:
        source = ObservedMarginals(model, max_cells)
    else:
        raise CausalError("the model has neither CPTs nor data", where=model.where)
    try:
        return estimand.evaluate(source, max_cells=max_cells)
    except CausalError as exc:
        raise exc.at(model.where) from None


def select(table: Table, q: Query) -> Table:
    """Fix the variables the query gives a value; order the rest as do, given, outcomes."""
    fixed = {v: x for v, x in (*q.do, *q.given, *q.outcomes) if x is not None}
    idx = tuple(state_index(v, d, fixed[v]) if v in fixed else slice(None) for v, d in zip(table.variables, table.domains, strict=True))
    rest = [i for i, v in enumerate(table.variables) if v not in fixed]
    return Table(tuple(table.variables[i] for i in rest), tuple(table.domains[i] for i in rest), np.asarray(table.array[idx]))
