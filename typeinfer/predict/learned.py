"""Learned predictor: a linear model over hashed usage-slice features, trained here.

Features of a slice (`features`): the target's label, its name and name sub-tokens, how it is
defined (literal type, constructor, callee), the calls and operators it receives, the calls it
is passed to (with the argument position), the method's name tokens and type parameters in
scope. They are hashed (CRC32 into `N_FEATURES` buckets) and fed to a one-vs-rest
logistic regression (`SGDClassifier(loss="log_loss")`) over the most frequent normalised types
of the training packages. Small weights are zeroed and the rest stored sparse, so the shipped
model (``typeinfer/predict/model.npz``) stays well under a few MB. `train` retrains it from
(slice, type) pairs; ``workbench types train`` builds those from the pinned npm packages.

>>> from typeinfer.slices import DefComponent, ObjectUsageSlice, ObservedCall, MethodUsageSlice
>>> s = ObjectUsageSlice(DefComponent("userName", label="METHOD_PARAMETER_IN"),
...                      invokedCalls=(ObservedCall("trim"),))
>>> sorted(features(MethodUsageSlice("", "User.rename", "a.ts"), s))[:5]
['call=trim', 'ctok=user', 'first=user', 'label=METHOD_PARAMETER_IN', 'last=name']
"""

from __future__ import annotations

import functools
import io
import re
import zlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from typeinfer.errors import SliceError
from typeinfer.predict import Candidate, Predictions, target_key
from typeinfer.signatures import Signatures
from typeinfer.slices import ANY, MethodUsageSlice, ObjectUsageSlice, ProgramUsageSlice
from typeinfer.typenames import normalize

DEFAULT_MODEL = Path(__file__).with_name("model.npz")
N_FEATURES = 2**15
TOP_K = 5
_TYPE_PARAM = re.compile(r"\b(T|U|K|V|S|R|P|E|A|B|C|D|I|O|TResult\d*|T[A-Z]\w*)\b")


@functools.lru_cache(maxsize=65536)
def _tokens(name: str) -> tuple[str, ...]:
    """Lower-case words of an identifier (cached: a method's name is asked once per target in it)."""
    parts = re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+", name)
    return tuple(p.lower() for p in parts) or (name.lower(),)


def features(method: MethodUsageSlice, sl: ObjectUsageSlice) -> list[str]:
    """The string features of one slice (hashed before the model sees them)."""
    t = sl.targetObj
    out = [f"label={t.label}"]
    if t.label != "METHOD_RETURN":
        toks = _tokens(t.name)
        out += [f"name={t.name.lower()}", f"last={toks[-1]}"] + [f"tok={x}" for x in toks]
        out.append(f"lname={t.label}:{toks[-1]}")
        out += [f"tok2={a}_{b}" for a, b in zip(toks, toks[1:], strict=False)]
        if len(toks) > 1:
            out.append(f"first={toks[0]}")
        if t.name.startswith(("$", "_")):
            out.append(f"sigil={t.name[0]}")
    short = method.fullName.rsplit(".", 1)[-1].split("#")[0]
    mt = _tokens(short)
    out += [f"mtok={x}" for x in mt] + [f"mfirst={mt[0]}"]
    if "." in method.fullName:
        out += [f"ctok={x}" for x in _tokens(method.fullName.rsplit(".", 2)[-2])[-2:]]
    if t.label == "METHOD_RETURN":
        out += [f"rfirst={mt[0]}", f"rmethod={short.lower()}"]
    out += [f"tp={p}" for p in method.typeParameters]
    if method.typeParameters:
        out.append("tp_any")
    d = sl.definedBy
    if d is not None:
        out.append(f"def.label={d.label}")
        if d.typeFullName != ANY:
            out.append(f"def.type={normalize(d.typeFullName)}")
        if d.label in ("CALL", "NEW", "FIELD", "AWAIT_CALL", "IDENTIFIER", "AWAIT_IDENTIFIER"):
            out.append(f"def.name={d.name}")
            out += [f"def.tok={x}" for x in _tokens(d.name)]
        if d.resolvedMethod and "|" in d.resolvedMethod:
            out += [f"flag={f}" for f in d.resolvedMethod.split("|")[-1].split()]
    for c in sl.invokedCalls:
        out.append(f"call={c.callName}")
        if c.paramTypes and c.callName.startswith("<operator>"):
            out.append(f"call={c.callName}:{c.paramTypes[0]}")
    for c in sl.argToCalls:
        out += [f"arg={c.callName}@{c.position}", f"argname={c.callName}"]
        if not c.callName.startswith("<operator>"):
            out += [f"argtok={x}" for x in _tokens(c.callName)[-1:]]
    if not sl.invokedCalls and not sl.argToCalls:
        out.append("unused")
    return out


@dataclass
class LearnedPredictor:
    """A trained linear model over slice features (see the module docstring)."""

    classes: tuple[str, ...]
    coef: Any            # scipy.sparse CSR, classes × features
    intercept: np.ndarray
    name: str = "learned"
    _coef_t: Any = field(default=None, repr=False)
    #: Type-parameter-like words of each class (a candidate needs them all in scope).
    _class_words: tuple[tuple[str, ...], ...] | None = field(default=None, repr=False)

    # -- persistence -----------------------------------------------------------------------------
    def save(self, path: str | Path) -> None:
        """Write the model as a compressed ``.npz`` (sparse weights in float16)."""
        c = self.coef.tocsr()
        np.savez_compressed(path, classes=np.array(self.classes), data=c.data.astype(np.float16),
                            indices=c.indices.astype(np.int32), indptr=c.indptr.astype(np.int32),
                            shape=np.array(c.shape), intercept=self.intercept.astype(np.float32))

    @classmethod
    def load(cls, path: str | Path) -> LearnedPredictor:
        """Read a model written by `save`.

        Raises
        ------
        SliceError
            If the file is missing or not such a model.
        """
        from scipy.sparse import csr_matrix

        try:
            z = np.load(path, allow_pickle=False)
            coef = csr_matrix((z["data"].astype(np.float32), z["indices"], z["indptr"]),
                              shape=tuple(z["shape"]))
            return cls(tuple(str(x) for x in z["classes"]), coef, z["intercept"])
        except (OSError, KeyError, ValueError) as exc:
            raise SliceError(f"cannot load the learned type model: {exc}", where=str(path)) from exc

    @classmethod
    def load_default(cls) -> LearnedPredictor | None:
        """The model shipped in the package, or ``None`` when it has not been trained yet."""
        return _load_cached(str(DEFAULT_MODEL), DEFAULT_MODEL.stat().st_mtime) \
            if DEFAULT_MODEL.is_file() else None

    # -- prediction ------------------------------------------------------------------------------
    def scores(self, rows: list[list[str]]) -> np.ndarray:
        """Class probabilities (one-vs-rest, normalised) for feature rows."""
        x = hash_rows(rows)
        if self._coef_t is None:
            self._coef_t = self.coef.T.tocsr()
        z = (x @ self._coef_t).toarray() + self.intercept
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
        return p / np.maximum(p.sum(axis=1, keepdims=True), 1e-9)

    def predict(self, program: ProgramUsageSlice, signatures: Signatures) -> Predictions:
        """Top candidates for each unannotated target (abstain-worthy ones get low confidence)."""
        keys, rows, scopes = [], [], []
        for m, sl in program.targets():
            if sl.targetObj.label == "ARGUMENT" or sl.targetObj.typeFullName != ANY:
                continue
            keys.append(target_key(m, sl))
            rows.append(features(m, sl))
            scopes.append(set(m.typeParameters))
        if not rows:
            return {}
        probs = self.scores(rows)
        if self._class_words is None:
            self._class_words = tuple(tuple(_TYPE_PARAM.findall(t)) for t in self.classes)
        words = self._class_words
        # one sort for all rows (each row sorted as `np.argsort` sorts it alone), as Python lists
        order = np.argsort(-probs, axis=1)[:, : TOP_K * 2]
        best = np.take_along_axis(probs, order, axis=1).tolist()
        out: Predictions = {}
        for key, js, ps, scope in zip(keys, order.tolist(), best, scopes, strict=True):
            cands = []
            for j, pj in zip(js, ps, strict=True):
                t = self.classes[j]
                if t == "<other>" or any(w not in scope for w in words[j]):
                    continue
                cands.append(Candidate(t, pj, "learned", "slice features"))
                if len(cands) == TOP_K:
                    break
            out[key] = tuple(cands)
        return out


@functools.lru_cache(maxsize=4)
def _load_cached(path: str, mtime: float) -> LearnedPredictor:
    return LearnedPredictor.load(path)


def hash_rows(rows: list[list[str]]) -> Any:
    """Feature rows as a sparse count matrix (CRC32 hashing: stable, fast, no sklearn import)."""
    from scipy.sparse import csr_matrix

    indptr, indices = [0], []
    for r in rows:
        indices += [zlib.crc32(f.encode()) % N_FEATURES for f in r]
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.float32)
    m = csr_matrix((data, np.array(indices, dtype=np.int32), np.array(indptr)),
                   shape=(len(rows), N_FEATURES))
    m.sum_duplicates()
    return m


def train(examples: Iterable[tuple[list[str], str]], max_classes: int = 400, min_count: int = 3,
          seed: int = 0, prune: float = 0.02, alpha: float = 2e-5, max_iter: int = 30) -> LearnedPredictor:
    """Fit the model on (features, normalised type) pairs.

    Types outside the ``max_classes`` most frequent (or seen fewer than ``min_count`` times)
    become ``<other>``, which is learned but never proposed.

    Raises
    ------
    SliceError
        If there are fewer than two classes to learn.
    """
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import SGDClassifier

    rows, labels = [], []
    for f, t in examples:
        rows.append(f)
        labels.append(t)
    counts = Counter(labels)
    keep = {t for t, n in counts.most_common(max_classes) if n >= min_count}
    y = [t if t in keep else "<other>" for t in labels]
    if len(set(y)) < 2:
        raise SliceError(f"need at least two types to train on, got {sorted(set(y))}")
    x = hash_rows(rows)
    clf = SGDClassifier(loss="log_loss", alpha=alpha, max_iter=max_iter, tol=1e-4, random_state=seed)
    clf.fit(x, y)
    coef, intercept = clf.coef_.copy(), clf.intercept_.copy()
    if coef.shape[0] == 1:  # two classes: sklearn keeps one row (for the second class)
        coef, intercept = np.vstack([-coef, coef]), np.concatenate([-intercept, intercept])
    coef[np.abs(coef) < prune] = 0.0
    return LearnedPredictor(tuple(str(c) for c in clf.classes_), csr_matrix(coef.astype(np.float32)),
                            intercept.astype(np.float32))


def model_size(model: LearnedPredictor) -> int:
    """Bytes the model takes on disk."""
    buf = io.BytesIO()
    c = model.coef.tocsr()
    np.savez_compressed(buf, data=c.data.astype(np.float16), indices=c.indices, indptr=c.indptr)
    return buf.tell()
