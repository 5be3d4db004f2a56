"""A disk cache in front of any generator: a rerun of an experiment costs nothing.

The key of an entry is the sha256 of ``[generator name, prompt, sampling parameters]``
(all of `SamplingParams`, seed and grammar included), so changing any of them is a miss.
Entries live in one SQLite database (WAL mode, busy timeout), which several processes may
read and write at once: a batch run on Ray workers and a notebook share it safely.

Invariants
----------
* A hit returns exactly the completions stored, field for field (text, finish reason,
  token log-probs, token count).
* Only misses reach the inner generator, in one batched call, in prompt order.
* A sampled result is cached like any other: with ``seed=None`` a cache pins the first sample
  drawn (that is the point: reruns are reproducible).

>>> import tempfile, os
>>> from workbench.llm.replay import ReplayGenerator
>>> inner = ReplayGenerator({"2+2=": ["4"]})
>>> gen = CachedGenerator(inner, os.path.join(tempfile.mkdtemp(), "c.sqlite"))
>>> gen.generate(["2+2="], SamplingParams())[0][0].text, gen.misses, gen.hits
('4', 1, 0)
>>> gen.generate(["2+2="], SamplingParams())[0][0].text, gen.misses, gen.hits
('4', 1, 1)
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections.abc import Sequence
from contextlib import closing
from pathlib import Path
from typing import Any

from workbench.config import cache_dir
from workbench.llm.base import Completion, Generator, LLMError, SamplingParams

_SCHEMA = """
CREATE TABLE IF NOT EXISTS generations (
    key TEXT PRIMARY KEY,
    model TEXT NOT NULL,
    prompt TEXT NOT NULL,
    params TEXT NOT NULL,
    completions TEXT NOT NULL,
    created REAL NOT NULL
)
"""


_TIMEOUT_S = 60.0


def default_path() -> Path:
    """``<cache>/generations.sqlite``."""
    return cache_dir() / "generations.sqlite"


def cache_key(model: str, prompt: str, params: SamplingParams) -> str:
    """The hex sha256 naming one (model, prompt, params) entry.

    >>> cache_key("m", "p", SamplingParams()) == cache_key("m", "p", SamplingParams())
    True
    >>> cache_key("m", "p", SamplingParams()) == cache_key("m", "p", SamplingParams(seed=1))
    False
    """
    blob = json.dumps([model, prompt, params.to_json()], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode()).hexdigest()


class CachedGenerator:
    """Wrap ``inner`` with the disk cache at ``path`` (default `default_path`).

    ``hits`` and ``misses`` count prompts served from disk and from the model.
    """

    def __init__(self, inner: Generator, path: str | Path | None = None) -> None:
        self.inner = inner
        self.name = inner.name
        self.path = Path(path) if path else default_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.hits = 0
        self.misses = 0
        self._create()

    def _create(self) -> None:
        """Create the table and switch the file to WAL, however many processes start at once.

        Switching the journal mode needs the file to itself, and SQLite answers "database is
        locked" at once (without waiting out the busy timeout) when two connections race to
        do it; so the setup is retried until the timeout. WAL is stored in the file: once set,
        later openings skip the switch.
        """
        deadline = time.monotonic() + _TIMEOUT_S
        pause = 0.01
        while True:
            try:
                with closing(self._connect()) as db, db:
                    if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                        db.execute("PRAGMA journal_mode=WAL")
                    db.execute(_SCHEMA)
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise LLMError(f"cannot set up the generation cache: {exc}",
                                   where=str(self.path)) from exc
                time.sleep(pause)
                pause = min(pause * 2, 0.5)

    def generate(self, prompts: Sequence[str], params: SamplingParams) -> list[list[Completion]]:
        """Like the inner generator's, reading and filling the cache."""
        keys = [cache_key(self.name, p, params) for p in prompts]
        found = self._lookup(set(keys))
        todo = [i for i, k in enumerate(keys) if k not in found]
        self.hits += len(prompts) - len(todo)
        self.misses += len(todo)
        if todo:
            fresh = self.inner.generate([prompts[i] for i in todo], params)
            if len(fresh) != len(todo):
                raise LLMError(f"{self.name} returned {len(fresh)} results for {len(todo)} prompts")
            rows = []
            for i, comps in zip(todo, fresh, strict=True):
                found[keys[i]] = list(comps)
                rows.append((keys[i], prompts[i], json.dumps([c.to_json() for c in comps])))
            self._store(rows, params)
        return [list(found[k]) for k in keys]

    @property
    def fills(self) -> bool:
        """Whether the inner generator offers `fill` (see `GGUFGenerator.fill`)."""
        return bool(getattr(self.inner, "fills", False))

    def fill(self, prompt: str, segments: Sequence[str], params: SamplingParams,
             feedback: Any = None) -> list[list[Completion]]:
        """The inner generator's `fill`, one cache entry per call (prompt and segments).

        A call with a ``feedback`` callback goes to the inner generator uncached: what it
        samples depends on the callback's answers, and the caller keeps its own record of them.
        """
        if not self.fills:
            raise LLMError(f"{self.name} has no fill (batched spans between segments)")
        if feedback is not None:
            return self.inner.fill(prompt, segments, params, feedback)  # type: ignore[attr-defined]
        key_text = json.dumps({"fill": [prompt, list(segments)]}, ensure_ascii=False)
        key = cache_key(self.name, key_text, params)
        blob = self._blobs({key}).get(key)
        if blob is not None:
            self.hits += 1
            return [[Completion.from_json(d) for d in sample] for sample in json.loads(blob)]
        self.misses += 1
        spans = self.inner.fill(prompt, segments, params)  # type: ignore[attr-defined]
        self._store([(key, key_text, json.dumps([[c.to_json() for c in sample] for sample in spans]))], params)
        return spans

    def _lookup(self, keys: set[str]) -> dict[str, list[Completion]]:
        return {key: [Completion.from_json(d) for d in json.loads(blob)] for key, blob in self._blobs(keys).items()}

    def _blobs(self, keys: set[str]) -> dict[str, str]:
        """key → the stored completions (JSON) of the keys on disk."""
        out: dict[str, str] = {}
        ks = list(keys)
        with closing(self._connect()) as db:
            for start in range(0, len(ks), 500):
                chunk = ks[start : start + 500]
                marks = ",".join("?" * len(chunk))
                for key, blob in db.execute(
                    f"SELECT key, completions FROM generations WHERE key IN ({marks})", chunk
                ):
                    out[key] = blob
        return out

    def _store(self, rows: Sequence[tuple[str, str, str]], params: SamplingParams) -> None:
        """Write ``(key, prompt text, completions JSON)`` rows sampled under ``params``."""
        now = time.time()
        with closing(self._connect()) as db, db:
            db.executemany("INSERT OR REPLACE INTO generations VALUES (?, ?, ?, ?, ?, ?)",
                           [(key, self.name, text, json.dumps(params.to_json()), blob, now) for key, text, blob in rows])

    def _connect(self) -> sqlite3.Connection:
        try:
            return sqlite3.connect(self.path, timeout=_TIMEOUT_S)
        except sqlite3.Error as exc:
            raise LLMError(f"cannot open the generation cache: {exc}", where=str(self.path)) from exc
