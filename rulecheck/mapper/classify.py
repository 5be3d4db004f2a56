"""Multi-label classifier: clause text → the catalogue functions it needs.

TF-IDF over word 1–2-grams and character 3–5-grams, one logistic regression per function
(scikit-learn ``OneVsRestClassifier``), trained on our labelled CODE-ACCORD clauses. A function
is predicted when its probability is at least ``threshold``; functions never seen in training
are never predicted (their column is constant), which is the classifier's known blind spot.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from rulecheck.errors import RuleError
from rulecheck.mapper import MapResult
from workbench.errors import require

LABELS = Path(__file__).resolve().parents[1] / "data" / "labelled_clauses.jsonl"


@dataclass(frozen=True)
class Labelled:
    """One labelled clause: text, gold functions, gold rule fields, CODE-ACCORD split."""

    id: str
    clause: str
    functions: tuple[str, ...]
    rule: dict[str, Any]
    split: str


def eval_split(clause_id: str) -> str:
    """The evaluation split of a labelled clause: ``"test"``, ``"dev"`` or ``"train"``.

    Frozen before the composer was written (docs/rules.md, "Held-out split"): the sha256 of the
    clause id, read as an integer, modulo 10 — 0–2 test (36 clauses), 3–4 dev (26), else train
    (51). Mappers are developed and tuned on train + dev; only the test number is reported as
    the accuracy. The rule depends on the id alone, never on the clause text or its label.

    >>> eval_split("2ff58135-b89d-40d1-a145-51aad9e5a942")
    'test'
    """
    import hashlib

    v = int(hashlib.sha256(clause_id.encode("utf-8")).hexdigest(), 16) % 10
    return "test" if v < 3 else "dev" if v < 5 else "train"


def load_labelled(path: str | Path = LABELS) -> list[Labelled]:
    """The labelled clauses (the header line is skipped).

    Raises
    ------
    RuleError
        A line that is not a JSON object with ``clause`` and ``functions``, naming the line.
    """
    out: list[Labelled] = []
    p = Path(path)
    for lineno, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            d = json.loads(line)
        except json.JSONDecodeError as exc:
            raise RuleError(f"not JSON: {exc.msg}", where=f"{p}:{lineno}") from exc
        if "_about" in d:
            continue
        if "clause" not in d or "functions" not in d:
            raise RuleError("labelled clause lacks 'clause' or 'functions'", where=f"{p}:{lineno}")
        rule = {k: d[k] for k in ("id", "clause", "source", "applies_to", "when", "check") if k in d}
        out.append(Labelled(d["id"], d["clause"], tuple(d["functions"]), rule, d.get("split", "")))
    return out


class Classifier:
    """TF-IDF + one-vs-rest logistic regression over catalogue function names."""

    def __init__(self, threshold: float = 0.3) -> None:
        self.threshold = threshold
        self.pipeline: Any = None
        self.labels: list[str] = []

    def fit(self, clauses: Sequence[str], functions: Sequence[Sequence[str]]) -> Classifier:
        """Train on clause texts and their gold function lists."""
        require("sklearn", "rules")
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.multiclass import OneVsRestClassifier
        from sklearn.pipeline import FeatureUnion, make_pipeline
        from sklearn.preprocessing import MultiLabelBinarizer

        mlb = MultiLabelBinarizer()
        y = mlb.fit_transform(functions)
        keep = y.sum(0) > 0
        keep &= y.sum(0) < len(clauses)  # a label on every clause is predicted by a constant below
        self.always = [str(c) for c, k in zip(mlb.classes_, y.sum(0) == len(clauses), strict=True) if k]
        self.labels = [str(c) for c, k in zip(mlb.classes_, keep, strict=True) if k]
        features = FeatureUnion([
            ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1)),
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)),
        ])
        self.pipeline = make_pipeline(
            features, OneVsRestClassifier(LogisticRegression(C=10.0, max_iter=2000, class_weight="balanced")))
        self.pipeline.fit(list(clauses), y[:, keep])
        return self

    @classmethod
    def train_default(cls) -> Classifier:
        """A classifier trained on every labelled clause shipped with the package."""
        data = load_labelled()
        return cls().fit([d.clause for d in data], [d.functions for d in data])

    @classmethod
    def default(cls, cache_dir: str | Path | None = None) -> Classifier:
        """`train_default`, trained once and kept on disk (``classifier-<hash>.joblib`` in the
        rulecheck cache), keyed by the labels file, the catalogue and the scikit-learn version,
        so a second ``rules map --mapper classify`` loads in well under a second instead of
        retraining. A damaged or foreign cache file is retrained and replaced, never trusted."""
        import hashlib

        import joblib
        import sklearn

        from rulecheck.functions import CATALOGUE
        from rulecheck.ifc import default_cache_dir

        key = hashlib.sha256(LABELS.read_bytes() + " ".join(CATALOGUE.names()).encode()
                             + sklearn.__version__.encode()).hexdigest()[:16]
        path = Path(cache_dir) if cache_dir else default_cache_dir()
        file = path / f"classifier-{key}.joblib"
        if file.exists():
            try:
                loaded = joblib.load(file)
                if isinstance(loaded, cls):
                    return loaded
            except Exception:  # noqa: BLE001 - a damaged cache is rebuilt
                pass
        model = cls.train_default()
        path.mkdir(parents=True, exist_ok=True)
        tmp = file.with_suffix(".tmp")
        joblib.dump(model, tmp)
        tmp.replace(file)
        return model

    def probabilities(self, clauses: Sequence[str]) -> np.ndarray:
        """``(len(clauses), len(self.labels))`` probabilities."""
        if self.pipeline is None:
            raise RuleError("classifier is not trained", where="classify")
        return np.asarray(self.pipeline.predict_proba(list(clauses)))

    def map(self, clause: str, k: int = 5) -> MapResult:
        return self.rank(clause, self.probabilities([clause])[0], k)

    def rank(self, clause: str, row: np.ndarray, k: int | None = None) -> MapResult:
        """Functions at or above the threshold, best first (at most ``k`` when given)."""
        order = [i for i in np.argsort(-row) if row[i] >= self.threshold]
        picked = [(name, 1.0) for name in self.always]
        picked += [(self.labels[i], float(row[i])) for i in order]
        if k is not None:
            picked = picked[: max(k, len(self.always))]
        error = "" if picked else "no catalogue function reaches the threshold for this clause"
        return MapResult(clause, tuple(picked), error=error)
