"""A learned premise ranker over the frozen dense index: a query adapter plus a hybrid score.

Fine-tuning MiniLM on these CPUs takes tens of seconds a step and every premise must then be
re-encoded; instead the premise embeddings stay as they are and what is learned is small:

* a linear **adapter** ``W`` (``d × d``, started at the identity) applied to the query
  embedding, so that ``(W q) · p`` ranks the premises a proof uses first;
* weights of a few **hybrid features** of each accessible premise: its BM25 score (normalised
  by the best accessible one), whether it is in the theorem's own file, how close above the
  theorem it is declared there (``1 / (1 + log(1 + lines))``), and whether it is a lemma
  rather than a definition.

``score = (W q) · p / T + w · features``, trained with the full softmax over the premises
accessible to each training theorem (several gold premises: the mean of their log-likelihoods),
L2-pulled towards the identity, the epoch kept by recall@10 on the dev theorems. The result is
a versioned `Ranker` saved in ``.npz`` (`Ranker.save`), which `provers.itp.retriever.Retriever`
carries in its index file and uses for every query.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from provers.itp.errors import ItpError
from workbench.errors import require

if TYPE_CHECKING:
    from provers.itp.env.base import Theorem
    from provers.itp.retriever import Retriever

#: Bumped whenever the features or the score change: an index with another version is refused.
RANKER_VERSION = 1
FEATURES = ("bm25", "same_file", "proximity", "lemma")
_LEMMAS = frozenset(("Theorem", "Lemma", "Fact", "Remark", "Corollary", "Proposition", "Property"))


@dataclass(frozen=True)
class Ranker:
    """The learned part of premise ranking (see the module docstring)."""

    adapter: np.ndarray
    weights: np.ndarray
    temperature: float = 0.05
    version: int = RANKER_VERSION
    #: The encoder the adapter was trained for (its index must use the same one).
    encoder: str = ""
    #: How it was trained: split rule, epochs, dev recall@10.
    note: str = ""

    def to_arrays(self) -> dict[str, np.ndarray]:
        meta = {"temperature": self.temperature, "version": self.version, "encoder": self.encoder, "note": self.note,
                "features": list(FEATURES)}
        return {"ranker_adapter": self.adapter.astype(np.float32), "ranker_weights": self.weights.astype(np.float32),
                "ranker_meta": np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)}

    @classmethod
    def from_arrays(cls, z: dict[str, np.ndarray] | np.lib.npyio.NpzFile, where: str = "") -> Ranker:
        """Raises `ItpError` for a ranker of another version (its features would be misread)."""
        meta = json.loads(bytes(z["ranker_meta"]).decode())
        if meta.get("version") != RANKER_VERSION or meta.get("features") != list(FEATURES):
            raise ItpError(f"premise ranker version {meta.get('version')} (this code reads {RANKER_VERSION}): "
                           "retrain it (workbench prove index --train)", where=where)
        return cls(np.asarray(z["ranker_adapter"]), np.asarray(z["ranker_weights"]), float(meta["temperature"]),
                   int(meta["version"]), str(meta["encoder"]), str(meta["note"]))

    def save(self, path: str | os.PathLike[str]) -> None:
        with Path(path).open("wb") as fh:
            np.savez(fh, **self.to_arrays())

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Ranker:
        try:
            with np.load(path) as z:
                return cls.from_arrays(dict(z), str(path))
        except (OSError, KeyError, ValueError) as exc:
            raise ItpError(f"not a premise ranker: {exc}", where=str(path)) from exc

    def score(self, embeddings: np.ndarray, query: np.ndarray, feats: np.ndarray) -> np.ndarray:
        """Scores of every premise for a query vector and the premises' feature matrix."""
        q = self.adapter @ query
        return (embeddings @ q) / self.temperature + feats @ self.weights


def premise_features(retriever: Retriever, theorem: Theorem, bm25: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """The `FEATURES` of every premise for ``theorem`` (rows in index order)."""
    top = float(bm25[mask].max()) if mask.any() else 0.0
    b = bm25 / top if top > 0 else np.zeros_like(bm25)
    same = retriever._files == theorem.file
    dist = np.maximum(theorem.line - retriever._lines, 0)
    prox = np.where(same & (retriever._lines < theorem.line), 1.0 / (1.0 + np.log1p(dist)), 0.0)
    lemma = retriever._lemma
    return np.stack([b, same.astype(np.float64), prox, lemma], axis=1).astype(np.float32)


def train_ranker(
    retriever: Retriever,
    bm25: Callable[[str], np.ndarray],
    train: Sequence[tuple[Theorem, np.ndarray]],
    dev: Sequence[tuple[Theorem, np.ndarray]],
    epochs: int = 30,
    lr: float = 2e-3,
    l2: float = 1.0,
    temperature: float = 0.05,
    seed: int = 0,
    log: Callable[[int, float, float], None] | None = None,
) -> Ranker:
    """Train a `Ranker` on ``(theorem, statement embedding)`` pairs (gold: ``theorem.premises``).

    Raises
    ------
    ItpError
        When no training theorem has an accessible gold premise.
    """
    torch = require("torch", "hf")
    torch.manual_seed(seed)
    emb = torch.from_numpy(retriever.embeddings)
    index = {p.full_name: i for i, p in enumerate(retriever.premises)}

    def prepare(items: Sequence[tuple[Theorem, np.ndarray]]) -> tuple:  # type: ignore[type-arg]
        """Dense tensors over *all* premises: queries, features, accessibility, gold (one batch matmul)."""
        qs, fs, ms, gs = [], [], [], []
        for t, q in items:
            mask = retriever.mask_for(t)
            gold = np.zeros(len(mask), dtype=bool)
            for g in t.premises:
                if g in index and mask[index[g]]:
                    gold[index[g]] = True
            if not gold.any() or mask.sum() < 2:
                continue
            qs.append(q.astype(np.float32))
            fs.append(premise_features(retriever, t, bm25(t.statement), mask))
            ms.append(mask)
            gs.append(gold)
        if not qs:
            return ()
        return (torch.from_numpy(np.stack(qs)), torch.from_numpy(np.stack(fs)), torch.from_numpy(np.stack(ms)),
                torch.from_numpy(np.stack(gs)))

    tr, dv = prepare(train), prepare(dev)
    if not tr:
        raise ItpError("no training theorem has an accessible premise its proof uses")
    d = emb.shape[1]
    adapter = torch.nn.Parameter(torch.eye(d))
    weights = torch.nn.Parameter(torch.zeros(len(FEATURES)))
    opt = torch.optim.Adam([adapter, weights], lr=lr)
    rng = np.random.default_rng(seed)

    def logits(q, f, m):  # type: ignore[no-untyped-def]
        s = (q @ adapter.T) @ emb.T / temperature + f @ weights
        return s.masked_fill(~m, float("-inf"))

    def recall10(data: tuple) -> float:  # type: ignore[type-arg]
        if not data:
            return 0.0
        q, f, m, g = data
        with torch.no_grad():
            top = torch.topk(logits(q, f, m), 10, dim=1).indices
            hit = torch.gather(g, 1, top).sum(1).float() / g.sum(1).float()
        return float(hit.mean())

    best = (recall10(dv), adapter.detach().clone(), weights.detach().clone(), 0)
    n = tr[0].shape[0]
    for epoch in range(1, epochs + 1):
        order = torch.from_numpy(rng.permutation(n))
        losses = []
        for start in range(0, n, 32):
            j = order[start : start + 32]
            q, f, m, g = (x[j] for x in tr)
            logp = torch.log_softmax(logits(q, f, m), dim=1)
            nll = -(logp.masked_fill(~g, 0.0).sum(1) / g.sum(1)).mean()
            loss = nll + l2 * ((adapter - torch.eye(d)) ** 2).sum() / d
            opt.zero_grad()
            loss.backward()
            opt.step()
            losses.append(float(loss.detach()))
        r = recall10(dv)
        if log is not None:
            log(epoch, float(np.mean(losses)), r)
        if r > best[0] or not dv:
            best = (r, adapter.detach().clone(), weights.detach().clone(), epoch)
    r, a, w, epoch = best
    note = f"trained on {n} theorems (train files), epoch {epoch} of {epochs}, dev R@10 {100 * r:.1f} on {dv[0].shape[0] if dv else 0}"
    return Ranker(a.numpy(), w.numpy(), temperature, RANKER_VERSION, "", note)
