"""Few-shot examples retrieved per problem from FOLIO *train*: the pool, the dev split, the retriever.

A fixed handful of exemplars teaches a small model the format; examples *like the problem*
teach it the translation (the same sentence shapes, the same kind of signature). The pool is
every FOLIO-train story whose gold premise FOL can be written in the stage-2 grammar
(`provers.fol.signature_first`: no equality, no functions, arity 1–3, quantifiers nested at
most three deep, one arity per name), printed as stage 2 writes formulas (`shot_formula`).

Held-out rule, fixed before any tuning: a train story whose ``story_id`` is divisible by
`DEV_EVERY` is *dev* (prompts are tuned by looking at its misses) and never a shot; the other
stories are the shot pool; FOLIO *validation* is the test split and is never read here.
`Retriever` ranks pool stories by the cosine similarity of all-MiniLM-L6-v2 embeddings of
their sentences to the problem's sentences, and never returns a story that shares more than
half of its sentences with the problem (so a train problem evaluated against the pool cannot
see its own story).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from provers.fol.parse import parse
from provers.fol.prompts import Exemplar
from provers.fol.signature_first import Signature, shot_formula, signature_of
from provers.fol.syntax import FolError
from workbench.data import read_text

#: Train stories with ``story_id % DEV_EVERY == 0`` are the dev split (about a fifth).
DEV_EVERY = 5


@dataclass(frozen=True, slots=True)
class Story:
    """A FOLIO-train story as a shot: its sentences, their gold FOL (stage-2 layout), signature."""

    id: str
    sentences: tuple[str, ...]
    fols: tuple[str, ...]
    signature: Signature


def is_dev(story_id: int) -> bool:
    """The written dev rule (see the module docstring)."""
    return story_id % DEV_EVERY == 0


def load_train(path: str | Path) -> tuple[list[Story], list[dict[str, Any]]]:
    """The shot pool and the dev rows of ``folio-train.jsonl``.

    Dev rows are the raw train rows of dev stories (premises, conclusion, label), for tuning.
    Stories whose gold FOL cannot be written in the stage-2 grammar are left out of the pool.

    Raises
    ------
    FolError
        When ``path`` is not a FOLIO *train* file (its name must contain ``train``: the
        validation split must never become a shot).
    """
    if "train" not in Path(path).name:
        raise FolError(f"shots come from FOLIO train only, not {Path(path).name}", where=str(path))
    pool: dict[int, Story] = {}
    dev: list[dict[str, Any]] = []
    for index, line in enumerate(read_text(path, FolError).splitlines()):
        if not line.strip():
            continue
        row = json.loads(line)
        sid = int(row.get("story_id", index))
        if is_dev(sid):
            dev.append({**row, "row": index})
            continue
        if sid in pool:
            continue
        story = _story(sid, row)
        if story is not None:
            pool[sid] = story
    return list(pool.values()), dev


def _story(sid: int, row: dict[str, Any]) -> Story | None:
    sentences = tuple(s.strip() for s in row["premises"])
    try:
        formulas = [parse(f, "folio") for f in row["premises-FOL"]]
        if len(formulas) != len(sentences):
            return None
        return Story(f"folio-train:story-{sid}", sentences, tuple(shot_formula(f) for f in formulas),
                     signature_of(formulas))
    except FolError:
        return None


def as_exemplar(story: Story) -> Exemplar:
    """A story as a LINC-layout exemplar (`prompts.build_prompt`'s ``extra``): FOLIO train has
    no gold FOL for its conclusions, so the story's last premise plays the conclusion (the
    layout shows no label; what the shot teaches is the translation of each sentence)."""
    pairs = tuple(zip(story.sentences, story.fols, strict=True))
    return Exemplar(story.id, pairs[:-1], pairs[-1], "")


def shot_text(story: Story) -> str:
    """How long a story is as a shot (what the budget counts)."""
    return "\n".join([*story.sentences, str(story.signature), *story.fols])


class Retriever:
    """The pool stories most similar to a problem (MiniLM embeddings, cosine similarity).

    Parameters
    ----------
    pool:
        Shot stories (`load_train`).
    max_chars:
        A story longer than this as a shot (`shot_text`) is skipped: retrieved shots are
        evaluated per problem, so their length is paid on every problem.
    """

    def __init__(self, pool: Sequence[Story], max_chars: int = 700) -> None:
        self.pool = list(pool)
        self.max_chars = max_chars

    @cached_property
    def _encoder(self) -> Any:
        # the MiniLM encoder of the kernel (int8 ONNX, offline), as the ITP part's retriever uses
        from workbench.embed import OnnxMiniLM

        return OnnxMiniLM()

    @cached_property
    def _matrix(self) -> Any:
        return self._encoder.encode([" ".join(s.sentences) for s in self.pool])

    def nearest(self, sentences: Sequence[str], k: int) -> list[Story]:
        """Up to ``k`` stories, most similar last (closest to the problem in the prompt)."""
        if k <= 0 or not self.pool:
            return []
        import numpy as np

        query = self._encoder.encode([" ".join(sentences)])[0]
        scores = self._matrix @ query
        own = {s.strip() for s in sentences}
        out: list[Story] = []
        for i in np.argsort(-scores, kind="stable"):
            story = self.pool[int(i)]
            if len(own & set(story.sentences)) * 2 > len(story.sentences):
                continue  # the problem's own story
            if len(shot_text(story)) > self.max_chars:
                continue
            out.append(story)
            if len(out) == k:
                break
        return out[::-1]
