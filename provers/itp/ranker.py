"""A learned premise ranker over the frozen dense index: a query adapter plus a hybrid score.

Fine-tuning MiniLM on these CPUs takes tens of seconds a step and every premise must then be
re-encoded; instead the premise embeddings stay as they are and what is learned is small:

* a linear **adapter** ``W`` (``d × d``, started at the identity) applied to the query
  embedding, so that ``(W q) · p`` ranks the premises a proof uses first;
* weights of a few **hybrid features** of each accessible premise: its BM25 score (normalised
  by the best accessible one), whether it is in the theorem's own file, how close above the
  theorem it is declared there (``1 / (1 + log(1 + lines))``), whether it is a lemma rather
  than a definition, its cosine to the statement, and (version 2) what the library's proofs
  use (`Usage`): how many training proofs use it (``log``, normalised), how much the proofs
  of the 20 training statements most similar to this one use it (by embedding and by BM25),
  and the overlap of its name's words with the theorem's name;
* (version 3, *online*: Tactician's setting, where the file's earlier proofs are context the
  user already has) what the proofs declared *above* the theorem in its own file use: how many
  of them use each premise, and the vote of the 5 of them whose statements are most similar
  (`Usage.earlier`, over the `library`'s proofs; never the theorem's own proof or a later one).

`Usage` is built from the training theorems only and never counts a theorem's own file (in
training, a theorem's neighbours and counts come from other files), so features computed for
a training theorem look like those of a theorem from an unseen file.

``score = (W q) · p / T + w · features``, trained with the full softmax over the premises
accessible to each training theorem (several gold premises: the mean of their log-likelihoods),
L2-pulled towards the identity, the epoch kept by recall@10 on the dev theorems. The result is
a versioned `Ranker` saved in ``.npz`` (`Ranker.save`), which `provers.itp.retriever.Retriever`
carries in its index file and uses for every query.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from provers.itp.errors import ItpError
from workbench.errors import require

if TYPE_CHECKING:
    from provers.itp.env.base import Theorem
    from provers.itp.retriever import Retriever

#: Bumped whenever the features or the score change: an index with another version is refused.
RANKER_VERSION = 3
FEATURES = ("bm25", "same_file", "proximity", "lemma", "cos", "popularity", "knn", "knn_bm25", "name", "file_pop", "file_knn")
#: Training statements whose proofs vote for premises (`Usage`).
NEIGHBOURS = 20
#: Earlier proofs of the same file that vote by statement similarity (`Usage.earlier`).
FILE_NEIGHBOURS = 5


@dataclass(frozen=True, eq=False)
class Usage:
    """The premises the training theorems' human proofs use, with their statements.

    ``used[i]`` are the full premise names proof ``i`` uses; ``vectors`` the unit statement
    embeddings (same encoder as the index). Stored with the ranker (`Ranker.to_arrays`).
    """

    files: tuple[str, ...]
    statements: tuple[str, ...]
    vectors: np.ndarray
    used: tuple[tuple[str, ...], ...]
    #: Declaration lines (1-indexed; 0 unknown): what `earlier` needs.
    lines: tuple[int, ...] = ()
    _cache: dict[str, object] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def of(cls, items: Sequence[tuple[Theorem, np.ndarray]]) -> Usage:
        v = np.stack([q for _, q in items]).astype(np.float32) if items else np.zeros((0, 1), np.float32)
        v /= np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-9)
        return cls(tuple(t.file for t, _ in items), tuple(t.statement for t, _ in items), v, tuple(tuple(t.premises) for t, _ in items),
                   tuple(t.line for t, _ in items))

    def matrix(self, retriever: Retriever) -> np.ndarray:
        """``(theorems × premises)`` 0/1: which index premises each training proof uses."""
        key = f"m{id(retriever.premises)}"
        if key not in self._cache:
            index = {p.full_name: i for i, p in enumerate(retriever.premises)}
            m = np.zeros((len(self.used), len(retriever.premises)), dtype=np.float32)
            for i, names in enumerate(self.used):
                m[i, [index[n] for n in names if n in index]] = 1.0
            self._cache[key] = m
        return self._cache[key]  # type: ignore[return-value]

    def bm25(self, query: str) -> np.ndarray:
        if "bm25" not in self._cache:
            from provers.itp.retriever import bm25_tokens

            rank_bm25 = require("rank_bm25", "itp")
            self._cache["bm25"] = rank_bm25.BM25Okapi([bm25_tokens(s) for s in self.statements] or [["-"]])
        from provers.itp.retriever import bm25_tokens

        return np.asarray(self._cache["bm25"].get_scores(bm25_tokens(query)), dtype=np.float64)[: len(self.statements)]  # type: ignore[attr-defined]

    def features(self, retriever: Retriever, theorem: Theorem, query: str, q: np.ndarray | None) -> np.ndarray:
        """``(premises × 3)``: popularity, k-NN vote by embedding, k-NN vote by BM25 (other files only)."""
        m = self.matrix(retriever)
        other = np.array([f != theorem.file for f in self.files], dtype=bool)
        pop = np.log1p(m[other].sum(0)) if m.size else np.zeros(m.shape[1], np.float32)
        out = [pop / (pop.max() or 1.0)]
        sims = [self.vectors @ (q / (np.linalg.norm(q) or 1.0)) if q is not None and len(self.files) else np.zeros(len(self.files)),
                self.bm25(query)]
        # Both votes weight a neighbour by its similarity over the best one's (the embedding vote
        # was meant to use cos⁴, as `earlier` does, but never did; ranker v2/v3 were trained so).
        for s in sims:
            out.append(_vote(np.where(other, s, -np.inf), m, NEIGHBOURS, lambda w: w / (w.max() or 1.0)))
        return np.stack(out, axis=1).astype(np.float32)

    def earlier(self, retriever: Retriever, theorem: Theorem, q: np.ndarray | None) -> np.ndarray:
        """``(premises × 2)``: what the proofs above ``theorem`` in its own file use — how many
        of them use each premise (``log``, normalised) and the vote of the `FILE_NEIGHBOURS` most
        similar by statement embedding. Zero when the file or line is unknown or nothing is above."""
        n = len(retriever.premises)
        if not theorem.file or theorem.line <= 0 or not self.lines:
            return np.zeros((n, 2), np.float32)
        rows = np.array([f == theorem.file and 0 < line < theorem.line for f, line in zip(self.files, self.lines, strict=True)], dtype=bool)
        if not rows.any():
            return np.zeros((n, 2), np.float32)
        m = self.matrix(retriever)[rows]
        pop = np.log1p(m.sum(0))
        sims = self.vectors[rows] @ (q / (np.linalg.norm(q) or 1.0)) if q is not None else np.zeros(len(m))
        vote = _vote(sims, m, FILE_NEIGHBOURS, lambda w: w**4)
        return np.column_stack([pop / (pop.max() or 1.0), vote]).astype(np.float32)

    def to_arrays(self, prefix: str = "usage") -> dict[str, np.ndarray]:
        flat = [n for names in self.used for n in names]
        meta = {"files": list(self.files), "statements": list(self.statements), "names": flat, "counts": [len(u) for u in self.used],
                "lines": list(self.lines)}
        return {f"{prefix}_vectors": self.vectors.astype(np.float32), f"{prefix}_meta": np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)}

    @classmethod
    def from_arrays(cls, z: Mapping[str, np.ndarray], prefix: str = "usage") -> Usage:
        meta = json.loads(bytes(z[f"{prefix}_meta"]).decode())
        used, pos = [], 0
        for c in meta["counts"]:
            used.append(tuple(meta["names"][pos : pos + c]))
            pos += c
        return cls(tuple(meta["files"]), tuple(meta["statements"]), np.asarray(z[f"{prefix}_vectors"]), tuple(used),
                   tuple(int(x) for x in meta.get("lines", ())))


def _vote(sims: np.ndarray, used: np.ndarray, k: int, weight: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """The premises the ``k`` proofs of highest ``sims`` use (rows of ``used``), each proof
    weighted by ``weight`` of its similarity (clipped at 0), normalised to a maximum of 1; a proof
    whose similarity is ``-inf`` never votes."""
    k = min(k, int(np.isfinite(sims).sum()))
    if k == 0:
        return np.zeros(used.shape[1], np.float32)
    nb = np.argpartition(-sims, k - 1)[:k]
    vote = weight(np.maximum(sims[nb], 0.0)) @ used[nb]
    return vote / (vote.max() or 1.0)


#: Older rankers still load, with weight 0 on the features they did not have (the same scores):
#: version 1 had the first four features, version 2 the first nine.
_OLD_FEATURES = {1: FEATURES[:4], 2: FEATURES[:9]}
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
    #: What the training proofs use (version 2 features); None: those features are 0.
    usage: Usage | None = None
    #: Every library proof with its line (version 3, `Usage.earlier`); None: those features are 0.
    library: Usage | None = None

    def to_arrays(self) -> dict[str, np.ndarray]:
        meta = {"temperature": self.temperature, "version": self.version, "encoder": self.encoder, "note": self.note,
                "features": list(FEATURES)}
        usage = self.usage.to_arrays() if self.usage is not None else {}
        library = self.library.to_arrays("library") if self.library is not None else {}
        return {"ranker_adapter": self.adapter.astype(np.float32), "ranker_weights": self.weights.astype(np.float32),
                "ranker_meta": np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8), **usage, **library}

    @classmethod
    def from_arrays(cls, z: Mapping[str, np.ndarray], where: str = "") -> Ranker:
        """Raises `ItpError` for a ranker of another version (its features would be misread);
        an older one (`_OLD_FEATURES`) loads with weight 0 on the features it did not have (same scores)."""
        meta = json.loads(bytes(z["ranker_meta"]).decode())
        version = meta.get("version")
        names = FEATURES if version == RANKER_VERSION else _OLD_FEATURES.get(version)  # type: ignore[arg-type]
        if names is None or meta.get("features") != list(names):
            raise ItpError(f"premise ranker version {version} (this code reads {RANKER_VERSION}): "
                           "retrain it (python benchmarks/itp_retriever.py, then workbench prove index --reuse)", where=where)
        w = np.zeros(len(FEATURES), dtype=np.float32)
        w[: len(names)] = np.asarray(z["ranker_weights"])
        usage = Usage.from_arrays(z) if "usage_meta" in z else None
        library = Usage.from_arrays(z, "library") if "library_meta" in z else None
        return cls(np.asarray(z["ranker_adapter"]), w, float(meta["temperature"]),
                   int(version), str(meta["encoder"]), str(meta["note"]), usage, library)

    def save(self, path: str | os.PathLike[str]) -> None:
        with Path(path).open("wb") as fh:
            np.savez(fh, **self.to_arrays())  # type: ignore[arg-type]  # the stub lets ** fill allow_pickle; naming it would store an array on numpy 1.26

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


def premise_features(retriever: Retriever, theorem: Theorem, bm25: np.ndarray, mask: np.ndarray, q: np.ndarray | None = None,
                     usage: Usage | None = None, query: str | None = None, library: Usage | None = None) -> np.ndarray:
    """The `FEATURES` of every premise for ``theorem`` (rows in index order); ``q`` is the
    query's embedding, ``query`` its text (default: the statement); ``library`` the proofs
    whose earlier ones in the theorem's file vote (`Usage.earlier`)."""
    top = float(bm25[mask].max()) if mask.any() else 0.0
    b = bm25 / top if top > 0 else np.zeros_like(bm25)
    same = retriever._files == theorem.file
    dist = np.maximum(theorem.line - retriever._lines, 0)
    prox = np.where(same & (retriever._lines < theorem.line), 1.0 / (1.0 + np.log1p(dist)), 0.0)
    lemma = retriever._lemma
    n = len(retriever.premises)
    cos = retriever.embeddings @ (q / (np.linalg.norm(q) or 1.0)) if q is not None else np.zeros(n)
    learned = usage.features(retriever, theorem, query or theorem.statement, q) if usage is not None else np.zeros((n, 3))
    online = library.earlier(retriever, theorem, q) if library is not None else np.zeros((n, 2))
    return np.column_stack([b, same.astype(np.float64), prox, lemma, cos, learned, name_overlap(retriever, theorem.name), online]).astype(np.float32)


def _words(name: str) -> frozenset[str]:
    return frozenset(w for w in re.split(r"[_.']+", name.lower()) if w and not w.isdigit())


def name_overlap(retriever: Retriever, name: str) -> np.ndarray:
    """Jaccard overlap of the words of each premise's (last) name with the theorem's name.

    Coq's library names lemmas by what they relate (``app_length`` is proved from ``app_nil_r``,
    ``length_app``...), and the user chooses the name before proving.
    """
    cache = retriever.__dict__.setdefault("_name_words", {})
    if not cache:
        cache.update({i: _words(p.name.rsplit(".", 1)[-1]) for i, p in enumerate(retriever.premises)})
    mine = _words(name)
    return np.array([len(mine & w) / len(mine | w) if mine and w else 0.0 for w in cache.values()])


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
    weights_lr: float = 3e-2,
    library: Sequence[tuple[Theorem, np.ndarray]] = (),
) -> Ranker:
    """Train a `Ranker` on ``(theorem, statement embedding)`` pairs (gold: ``theorem.premises``).

    The `Usage` it carries is built from ``train``, its ``library`` (the online features) from
    ``library`` (every proof of the indexed files: a training theorem only ever sees those above
    it in its own file, so no other file's proof reaches training); the adapter learns at ``lr``, the feature
    weights at ``weights_lr`` (the adapter's cosine is divided by the temperature, the features
    are not).

    Raises
    ------
    ItpError
        When no training theorem has an accessible gold premise.
    """
    torch = require("torch", "hf")
    torch.manual_seed(seed)
    emb = torch.from_numpy(retriever.embeddings)
    index = {p.full_name: i for i, p in enumerate(retriever.premises)}
    usage = Usage.of(train)
    lib = Usage.of(library) if library else None

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
            fs.append(premise_features(retriever, t, bm25(t.statement), mask, q, usage, library=lib))
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
    opt = torch.optim.Adam([{"params": [adapter], "lr": lr}, {"params": [weights], "lr": weights_lr}])
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
    return Ranker(a.numpy(), w.numpy(), temperature, RANKER_VERSION, "", note, usage, lib)
