"""Premise corpora: files with imports, premises (lemmas and definitions), theorems with the
premises their proofs use, and the train / test splits of ReProver.

Invariants
----------
* A premise is named by ``full_name`` = ``file + "." + name`` where ``name`` carries the module
  path inside the file (``Coq.Arith.PeanoNat`` + ``Nat.add_0_r``); names are unique per corpus
  (a later duplicate in the same file shadows the earlier one and replaces it).
* Premises accessible to a theorem are those of the files its file imports, transitively, and
  those of its own file declared *before* it (`Corpus.accessible`).
* Splits are deterministic (a hash of the theorem or file name, not a random generator).

>>> p = Premise("add_0_r", "Lemma add_0_r : forall n, n + 0 = n.", "Coq.Arith.X", 3)
>>> p.full_name, eval(repr(p)) == p, Premise.from_json(p.to_json()) == p
('Coq.Arith.X.add_0_r', True, True)
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from provers.itp.env.base import Theorem
from provers.itp.errors import ItpError


@dataclass(frozen=True, slots=True)
class Premise:
    """A lemma or definition that a proof may use."""

    #: Name inside its file, with the module path (``Nat.add_0_r``).
    name: str
    #: Its source text (the statement; long definitions are cut).
    statement: str
    #: The logical file name (``Coq.Arith.PeanoNat``) or path (Lean).
    file: str
    #: Line of the declaration, 1-indexed.
    line: int = 0
    kind: str = "Lemma"

    def __str__(self) -> str:
        return self.statement

    @property
    def full_name(self) -> str:
        return f"{self.file}.{self.name}" if self.file else self.name

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Premise:
        return cls(str(d["name"]), str(d["statement"]), str(d["file"]), int(d.get("line", 0)), str(d.get("kind", "Lemma")))


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A source file: its logical name, path on disk and direct imports (logical names)."""

    name: str
    path: str
    imports: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "path": self.path, "imports": list(self.imports)}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> SourceFile:
        return cls(str(d["name"]), str(d["path"]), tuple(d.get("imports", ())))


class Corpus:
    """Files, premises and theorems, with the accessible-premise relation.

    Theorems are `Theorem` values whose ``file`` is a logical file name and whose
    ``premises`` are full premise names used by the human proof; their ``prelude`` is
    empty here (built on demand, see `provers.itp.corpus.coq.theorem_from_file`).
    """

    def __init__(self, files: Iterable[SourceFile], premises: Iterable[Premise], theorems: Iterable[Theorem]) -> None:
        self.files = {f.name: f for f in files}
        self.premises = list(premises)
        self.theorems = list(theorems)
        self.index = {p.full_name: i for i, p in enumerate(self.premises)}
        self._closure: dict[str, frozenset[str]] = {}

    def __str__(self) -> str:
        return f"{len(self.files)} files, {len(self.premises)} premises, {len(self.theorems)} theorems"

    def __repr__(self) -> str:
        return f"<Corpus {self}>"

    def imported(self, file: str) -> frozenset[str]:
        """Files ``file`` imports, transitively (itself excluded)."""
        if file in self._closure:
            return self._closure[file]
        seen: set[str] = set()
        stack = list(self.files[file].imports) if file in self.files else []
        while stack:
            f = stack.pop()
            if f in seen or f == file:
                continue
            seen.add(f)
            if f in self._closure:
                seen |= self._closure[f]
                continue
            stack += list(self.files[f].imports) if f in self.files else []
        self._closure[file] = frozenset(seen)
        return self._closure[file]

    def accessible(self, theorem: Theorem) -> list[int]:
        """Indices of the premises ``theorem`` may use: imported files, and earlier in its file."""
        files = self.imported(theorem.file)
        return [
            i
            for i, p in enumerate(self.premises)
            if p.file in files or (p.file == theorem.file and p.line < theorem.line)
        ]

    def theorem(self, ident: str) -> Theorem:
        """A theorem by ``file.name`` or by its name alone (the first one with that name).

        Raises
        ------
        ItpError
            When no theorem has that name.
        """
        for t in self.theorems:
            if f"{t.file}.{t.name}" == ident or t.name == ident:
                return t
        raise ItpError(f"no theorem named {ident!r} in the corpus")

    def restrict(self, dirs: Iterable[str]) -> Corpus:
        """The premises and theorems of the files under ``dirs`` (``Coq.<dir>.*``); all files kept.

        >>> c = Corpus([], [Premise("a", "Lemma a : True.", "Coq.Bool.B"), Premise("b", "Lemma b : True.", "Coq.Reals.R")], [])
        >>> [p.name for p in c.restrict(["Bool"]).premises]
        ['a']
        """
        prefixes = tuple(f"Coq.{d}." for d in dirs)
        return Corpus(
            self.files.values(),
            [p for p in self.premises if p.file.startswith(prefixes)],
            [t for t in self.theorems if t.file.startswith(prefixes)],
        )

    # -- splits ------------------------------------------------------------------------------
    def split_by_theorem(self, test_percent: int = 10) -> tuple[list[Theorem], list[Theorem]]:
        """ReProver's *random* split: held-out theorems, their files still seen in training."""
        test = [t for t in self.theorems if _bucket(f"{t.file}.{t.name}") < test_percent]
        train = [t for t in self.theorems if _bucket(f"{t.file}.{t.name}") >= test_percent]
        return train, test

    def split_by_file(self, test_percent: int = 10) -> tuple[list[Theorem], list[Theorem]]:
        """*Novel premises*: whole files held out, so their premises never occur in training proofs."""
        test = [t for t in self.theorems if _bucket(t.file) < test_percent]
        train = [t for t in self.theorems if _bucket(t.file) >= test_percent]
        return train, test

    # -- JSON --------------------------------------------------------------------------------
    def save(self, path: str | os.PathLike[str]) -> None:
        """One JSON object per line: ``{"file": ...}``, ``{"premise": ...}``, ``{"theorem": ...}``."""
        with Path(path).open("w", encoding="utf-8") as fh:
            for f in self.files.values():
                fh.write(json.dumps({"file": f.to_json()}) + "\n")
            for p in self.premises:
                fh.write(json.dumps({"premise": p.to_json()}) + "\n")
            for t in self.theorems:
                fh.write(json.dumps({"theorem": t.to_json()}) + "\n")

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Corpus:
        files, premises, theorems = [], [], []
        with Path(path).open(encoding="utf-8") as fh:
            for line in fh:
                d = json.loads(line)
                if "file" in d:
                    files.append(SourceFile.from_json(d["file"]))
                elif "premise" in d:
                    premises.append(Premise.from_json(d["premise"]))
                elif "theorem" in d:
                    theorems.append(Theorem.from_json(d["theorem"]))
        return cls(files, premises, theorems)


#: The held-out rule of the Coq benchmarks (written before any measurement): a file is *test*
#: when ``_bucket(file) < 25``, *dev* when ``25 <= _bucket(file) < 35``, *train* otherwise.
#: Theorems, traced tactics and retriever training pairs follow their file, so a test file's
#: own lemmas, proofs and states are never seen in training (by file, hence also by theorem).
TEST_BUCKETS = 25
DEV_BUCKETS = 35


def file_split(file: str) -> str:
    """``"train"``, ``"dev"`` or ``"test"`` for a logical file name (`TEST_BUCKETS`).

    >>> file_split("Coq.Lists.List"), file_split("Coq.Sorting.Permutation")
    ('train', 'test')
    """
    b = _bucket(file)
    return "test" if b < TEST_BUCKETS else "dev" if b < DEV_BUCKETS else "train"


def retrieval_splits(theorems: Iterable[Theorem]) -> dict[str, list[Theorem]]:
    """The premise-retrieval splits of theorems with known premises, fixed before measuring:
    ``test_file`` (theorems of test files, `file_split`, minus ``Coq.Init``), ``dev`` (dev
    files: choosing epochs and checkpoints), ``test_theorem`` (theorems of train files whose
    ``_bucket(file.name) < 10``: unseen theorems of seen files, ReProver's *random* split) and
    ``train`` (the rest of the train files).
    """
    with_premises = [t for t in theorems if t.premises]
    train_files = [t for t in with_premises if file_split(t.file) == "train"]
    return {
        "train": [t for t in train_files if _bucket(f"{t.file}.{t.name}") >= 10],
        "dev": [t for t in with_premises if file_split(t.file) == "dev"],
        "test_file": [t for t in with_premises if file_split(t.file) == "test" and not t.file.startswith("Coq.Init.")],
        "test_theorem": [t for t in train_files if _bucket(f"{t.file}.{t.name}") < 10],
    }


def _bucket(key: str) -> int:
    """A stable bucket 0..99 for a name.

    >>> _bucket("Coq.Arith.PeanoNat")
    63
    """
    return int(hashlib.sha1(key.encode()).hexdigest()[:8], 16) % 100
