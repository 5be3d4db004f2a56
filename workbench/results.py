"""Append-only JSONL result logs: the one way long runs keep their results.

Invariants
----------
* A row is written (and flushed to disk) the moment its work item finishes; a summary is
  always computed from the rows on disk, never kept only in memory.
* Every row has a key field (``"id"`` by default); `ResultLog.done` is the set of keys
  already on disk, so ``--resume`` skips them.
* A run killed in the middle of a write leaves at most one partial last line. Reading ignores
  it and the next `append` cuts it off first, so a resumed run recomputes that item and the
  log ends with exactly one row per key.

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "r.jsonl"
>>> log = ResultLog(p)
>>> log.append({"id": "a", "label": "True"})
>>> _ = p.open("a").write('{"id": "b", "lab')   # a crash mid-write
>>> sorted(log.done())
['a']
>>> log.append({"id": "b", "label": "False"})
>>> [r["id"] for r in log.rows()]
['a', 'b']
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from workbench.errors import WorkbenchError


class ResultLog:
    """A JSONL file of finished work items, keyed by ``key``.

    Parameters
    ----------
    path:
        The ``.jsonl`` file; its folder is created on first append.
    key:
        The field that names a work item.
    """

    def __init__(self, path: str | os.PathLike[str], key: str = "id") -> None:
        self.path = Path(path)
        self.key = key

    def rows(self) -> list[dict[str, Any]]:
        """Every complete row on disk, in the order written."""
        return list(self._iter_rows())

    def done(self) -> set[str]:
        """Keys of the items already finished."""
        return {str(row[self.key]) for row in self._iter_rows() if self.key in row}

    def append(self, row: dict[str, Any]) -> None:
        """Write one finished item and flush it to disk before returning.

        Raises
        ------
        WorkbenchError
            If ``row`` lacks the key field or cannot be encoded as JSON.
        """
        if self.key not in row:
            raise WorkbenchError(f"result row has no {self.key!r} field", where=str(self.path))
        try:
            line = json.dumps(row, ensure_ascii=False, default=_json_default)
        except (TypeError, ValueError) as exc:
            raise WorkbenchError(f"result row is not JSON: {exc}", where=str(self.path)) from exc
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._cut_partial_tail()
        with self.path.open("a", encoding="utf-8") as fh:
            fh.write(line + "\n")
            fh.flush()
            os.fsync(fh.fileno())

    def reset(self) -> None:
        """Start over: remove the file (used when a run is started without ``--resume``)."""
        self.path.unlink(missing_ok=True)

    def _iter_rows(self) -> Iterator[dict[str, Any]]:
        if not self.path.exists():
            return
        with self.path.open(encoding="utf-8", errors="replace") as fh:
            for line in fh:
                if not line.endswith("\n"):
                    return  # a partial last line from an interrupted write
                line = line.strip()
                if not line:
                    continue
                try:
                    row = json.loads(line)
                except json.JSONDecodeError:
                    continue
                if isinstance(row, dict):
                    yield row

    def _cut_partial_tail(self) -> None:
        if not self.path.exists() or self.path.stat().st_size == 0:
            return
        with self.path.open("rb+") as fh:
            fh.seek(-1, os.SEEK_END)
            if fh.read(1) == b"\n":
                return
            fh.seek(0)
            data = fh.read()
            fh.truncate(data.rfind(b"\n") + 1)


def _json_default(obj: Any) -> Any:
    if hasattr(obj, "to_json"):
        return obj.to_json()
    if isinstance(obj, (set, frozenset, tuple)):
        return list(obj)
    if isinstance(obj, Path):
        return str(obj)
    return str(obj)


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (0–100) by linear interpolation; 0.0 for no values.

    >>> percentile([1.0, 2.0, 3.0, 4.0], 50)
    2.5
    """
    if not values:
        return 0.0
    xs = sorted(values)
    pos = (len(xs) - 1) * q / 100.0
    lo = int(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)
