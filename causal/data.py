"""Observational data: a CSV file read into state codes, and its empirical joint distribution.

`read_csv` checks the file against the model's variables and domains and turns it into a
`Samples` array of state indices (one column per variable); `empirical` counts the rows of
each joint assignment. Every problem is one `CausalError` naming the file, and the line and
column where there is one: a missing column is reported as a missing column of the header,
a value outside a variable's domain with its line.

>>> import pathlib, tempfile
>>> p = pathlib.Path(tempfile.mkdtemp()) / "d.csv"
>>> _ = p.write_text("X,Y\\n0,1\\n1,1\\n1,0\\n")
>>> s = read_csv(p, ["X", "Y"], [(0, 1), (0, 1)])
>>> s.array.tolist()
[[0, 1], [1, 1], [1, 0]]
>>> print(empirical(s, [(0, 1), (0, 1)]).marginal(["Y"]))
Y=0  0.333333
Y=1  0.666667
>>> read_csv(p, ["X", "Z"], [(0, 1), (0, 1)])
Traceback (most recent call last):
...
causal.errors.CausalError: ...d.csv: no column 'Z' (the header has X, Y)
"""

from __future__ import annotations

import csv
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from causal.eliminate import DEFAULT_MAX_CELLS
from causal.errors import CausalError, LimitError
from causal.semantics import Table


@dataclass(frozen=True, eq=False)
class Samples:
    """``n`` rows of state indices, one column per variable (``array`` has shape ``(n, k)``)."""

    variables: tuple[str, ...]
    array: np.ndarray

    def __len__(self) -> int:
        return int(self.array.shape[0])

    def select(self, variables: Sequence[str]) -> Samples:
        """The columns of ``variables``, in that order."""
        missing = [v for v in variables if v not in self.variables]
        if missing:
            raise CausalError(f"the data have no column {missing[0]!r} (they have {', '.join(self.variables)})")
        return Samples(tuple(variables), self.array[:, [self.variables.index(v) for v in variables]])


def read_csv(path: str | Path, variables: Sequence[str], domains: Sequence[Sequence[Any]]) -> Samples:
    """Read the columns ``variables`` of a CSV file with a header row (other columns are ignored).

    Values match a domain entry as written or as its string (``1`` matches the state ``1``).

    Raises
    ------
    CausalError
        No such file, not UTF-8, a missing column (with the header's columns), a row with too
        few fields, a value outside the domain (``file:line: column 'S': ...``), no rows.
    """
    path = Path(path)
    if not path.is_file():
        raise CausalError("no such data file (CSV)", where=str(path))
    try:
        with open(path, newline="", encoding="utf-8") as fh:
            rows = list(csv.reader(fh))
    except UnicodeDecodeError as exc:
        raise CausalError(f"not UTF-8 text: byte {exc.object[exc.start]:#04x} at offset {exc.start}", where=str(path)) from None
    except csv.Error as exc:
        raise CausalError(f"not a CSV file: {exc}", where=str(path)) from None
    if not rows:
        raise CausalError("empty file: a CSV needs a header row naming the variables", where=str(path))
    header = [h.strip() for h in rows[0]]
    cols = []
    for v in variables:
        if v not in header:
            raise CausalError(f"no column {v!r} (the header has {', '.join(header)})", where=str(path))
        cols.append(header.index(v))
    lookups = [{str(x): i for i, x in enumerate(d)} for d in domains]
    codes = np.empty((len(rows) - 1, len(variables)), dtype=np.int64)
    for n, row in enumerate(rows[1:]):
        line = n + 2
        if len(row) < len(header):
            if not any(cell.strip() for cell in row):
                raise CausalError("empty line inside the data", where=f"{path}:{line}")
            raise CausalError(f"{len(row)} fields, the header has {len(header)}", where=f"{path}:{line}")
        for j, (c, lookup) in enumerate(zip(cols, lookups, strict=True)):
            cell = row[c].strip()
            code = lookup.get(cell)
            if code is None:
                raise CausalError(f"column {variables[j]!r}: value {cell!r} is not in the domain "
                                  f"{tuple(domains[j])}", where=f"{path}:{line}:{c + 1}")
            codes[n, j] = code
    if not len(codes):
        raise CausalError("no data rows under the header", where=str(path))
    return Samples(tuple(variables), codes)


def counts(samples: Samples, domains: Sequence[Sequence[Any]], *, max_cells: int = DEFAULT_MAX_CELLS) -> np.ndarray:
    """How many rows have each joint assignment: an integer array, one axis per variable.

    Raises
    ------
    LimitError
        When the joint table would have more than ``max_cells`` cells.
    """
    shape = tuple(len(d) for d in domains)
    cells = math.prod(shape)
    if cells > max_cells:
        raise LimitError(f"the empirical joint over {', '.join(samples.variables)}", cells, max_cells)
    flat = np.ravel_multi_index(tuple(samples.array.T), shape) if samples.variables else np.zeros(len(samples), int)
    return np.bincount(flat, minlength=int(np.prod(shape, dtype=np.int64))).reshape(shape)


def empirical(samples: Samples, domains: Sequence[Sequence[Any]], *, max_cells: int = DEFAULT_MAX_CELLS) -> Table:
    """The empirical joint of ``samples`` (counts / n) over their variables."""
    c = counts(samples, domains, max_cells=max_cells)
    return Table(samples.variables, tuple(tuple(d) for d in domains), c / c.sum())
