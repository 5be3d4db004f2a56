"""Clause → rule on our 113 labelled CODE-ACCORD clauses, per mapper, on the frozen held-out split.

Splits (`rulecheck.mapper.classify.eval_split`, frozen before the composer was written, by the
sha256 of the clause id modulo 10): test 0–2 (36 clauses), dev 3–4 (26), train the rest (51).
The composer was developed reading train + dev; the classifier is trained on train; nothing is
tuned on test. The test rows are the accuracy claim.

Mappers:
* compose — the clause composer (no model): a rule or a refusal with its reason.
* classify — TF-IDF + one-vs-rest logistic regression trained on the train split (function names).
* retrieve@5, retrieve@|gold| — all-MiniLM-L6-v2 (int8 ONNX) top-k functions (function names).
* llm — a local GGUF model decoded under the catalogue grammar (``--llm``); rows are kept in
  ``benchmarks/records/rules_mapper_<model>.jsonl`` so a run that takes an hour resumes.

Metrics per split:
* exact — the composed rule equals the labelled one (applies_to, when, check; constants compared
  in SI, so 0.9 m = 900 mm); only mappers that compose rules can score.
* refused — clauses the mapper declined, with a reason (not counted as answers).
* F1 (answered) — micro P/R/F1 over (clause, function) pairs on the clauses the mapper answered;
  F1 (all) counts a refusal as an empty answer.

    python benchmarks/rules_mapper.py [--llm gguf:qwen2.5-coder-1.5b --llm-splits test]
"""

from __future__ import annotations

import argparse
import re
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from rulecheck.mapper.classify import Classifier, Labelled, eval_split, load_labelled
from rulecheck.rule import Call, Const, Expr, parse_expr
from workbench.results import ResultLog

RECORDS = Path(__file__).parent / "records"


def prf(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]]) -> tuple[float, float, float]:
    """Micro precision, recall, F1 over (clause, function) pairs.

    >>> prf([["a", "b"]], [["a", "c"]])
    (0.5, 0.5, 0.5)
    """
    tp = fp = fn = 0
    for g, p in zip(gold, pred, strict=True):
        gs, ps = set(g), set(p)
        tp += len(gs & ps)
        fp += len(ps - gs)
        fn += len(gs - ps)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _norm(e: Expr | None) -> Any:
    if e is None:
        return None
    if isinstance(e, Const):
        si = e.si
        return ("const", round(si.value, 9), si.unit)
    if isinstance(e, Call):
        return (e.fn, tuple(_norm(a) for a in e.args))
    return e


def same_rule(rule: Any, gold: dict[str, Any]) -> bool:
    """The composed rule states the labelled one (constants compared in SI)."""
    want = (parse_expr(gold["applies_to"]), parse_expr(gold["when"]) if gold.get("when") else None,
            parse_expr(gold["check"]))
    return tuple(_norm(x) for x in (rule.applies_to, rule.when, rule.check)) == tuple(_norm(x) for x in want)


class Row:
    """One mapper's answers on a list of clauses: a rule (or None), functions, refused."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.answers: dict[str, tuple[Any, list[str], bool]] = {}
        self.seconds = 0.0

    def score(self, data: Sequence[Labelled], rules: bool) -> list[str]:
        got = [self.answers[d.id] for d in data if d.id in self.answers]
        data = [d for d in data if d.id in self.answers]
        answered = [(d, a) for d, a in zip(data, got, strict=True) if not a[2]]
        exact = sum(1 for d, a in answered if a[0] is not None and same_rule(a[0], d.rule)) if rules else None
        p, r, f = prf([list(d.functions) for d, _ in answered], [a[1] for _, a in answered])
        _, _, f_all = prf([list(d.functions) for d in data], [[] if a[2] else a[1] for a in got])
        return [self.name, str(len(data)), "—" if exact is None else f"{exact} ({exact / len(data):.0%})",
                str(sum(a[2] for a in got)), f"{p:.3f}", f"{r:.3f}", f"{f:.3f}", f"{f_all:.3f}", f"{self.seconds:.1f}"]


def run_compose(data: Sequence[Labelled]) -> Row:
    from rulecheck.mapper.compose import compose

    row = Row("compose (no model)")
    t0 = time.perf_counter()
    for d in data:
        c = compose(d.clause)
        row.answers[d.id] = (c.rules[0] if len(c.rules) == 1 else None, c.functions(), bool(c.refusal))
    row.seconds = time.perf_counter() - t0
    return row


def run_classify(train: Sequence[Labelled], data: Sequence[Labelled]) -> Row:
    row = Row("classify (trained on train)")
    t0 = time.perf_counter()
    clf = Classifier().fit([d.clause for d in train], [d.functions for d in train])
    for d, probs in zip(data, clf.probabilities([d.clause for d in data]), strict=True):
        res = clf.rank(d.clause, probs)
        row.answers[d.id] = (None, res.names(), not res.names())
    row.seconds = time.perf_counter() - t0
    return row


def run_retrieve(data: Sequence[Labelled]) -> list[Row]:
    from rulecheck.mapper.retrieve import Retriever

    t0 = time.perf_counter()
    ret = Retriever()
    scores = ret.scores([d.clause for d in data])
    rows = [Row("retrieve@5"), Row("retrieve@|gold|")]
    for d, s in zip(data, scores, strict=True):
        for row, k in zip(rows, (5, len(d.functions)), strict=True):
            res = ret.rank(d.clause, s, k)
            row.answers[d.id] = (None, res.names(), res.refused)
    for row in rows:
        row.seconds = time.perf_counter() - t0
    return rows


def run_llm(spec: str, data: Sequence[Labelled], budget_s: float) -> Row:
    from rulecheck.mapper.llm import PROMPT_VERSION, LLMMapper
    from rulecheck.rule import Rule

    log = ResultLog(RECORDS / f"rules_mapper_{re.sub(r'[^A-Za-z0-9.]+', '-', spec)}.jsonl")
    done = {r["clause_id"]: r for r in log.rows() if r.get("prompt") == PROMPT_VERSION}
    row = Row(f"llm {spec} (grammar, {PROMPT_VERSION})")
    mapper = None
    t0 = time.perf_counter()
    for d in data:
        if d.id not in done and time.perf_counter() - t0 < budget_s:
            mapper = mapper or LLMMapper.from_spec(spec)
            t1 = time.perf_counter()
            res = mapper.map(d.clause)
            rec = {"id": f"{spec}|{PROMPT_VERSION}|{d.id}", "clause_id": d.id, "prompt": PROMPT_VERSION,
                   "rule": res.rule.to_json() if res.rule else None, "functions": res.names(),
                   "error": res.error, "refused": res.refused, "seconds": round(time.perf_counter() - t1, 1)}
            log.append(rec)
            done[d.id] = rec
        if d.id in done:
            rec = done[d.id]
            rule = Rule.from_json(rec["rule"]) if rec["rule"] else None
            row.answers[d.id] = (rule, rec["functions"], bool(rec["refused"]))
            row.seconds += rec["seconds"]
    return row


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--llm", default="", help="LLM spec, e.g. gguf:qwen2.5-coder-1.5b (empty: skip)")
    ap.add_argument("--llm-splits", default="test", help="comma-separated splits the LLM runs on")
    ap.add_argument("--llm-budget-s", type=float, default=3600.0, help="stop starting new LLM calls after this")
    args = ap.parse_args()
    data = load_labelled()
    by_split = {s: [d for d in data if eval_split(d.id) == s] for s in ("train", "dev", "test")}
    console = Console()
    for split in ("test", "dev"):
        part = by_split[split]
        rows = [run_compose(part), run_classify(by_split["train"], part), *run_retrieve(part)]
        if args.llm and split in args.llm_splits.split(","):
            rows.append(run_llm(args.llm, part, args.llm_budget_s))
        table = Table(title=f"clause → rule on the {split} split ({len(part)} labelled clauses)")
        for col in ("mapper", "n", "exact rule", "refused", "P", "R", "F1 answered", "F1 all", "seconds"):
            table.add_column(col, justify="left" if col == "mapper" else "right")
        for row in rows:
            table.add_row(*row.score(part, rules=row.name.startswith(("compose", "llm"))))
        console.print(table)
    # the split the composer's lexicon was written from: a fit, not an accuracy claim
    table = Table(title=f"composer on the train split ({len(by_split['train'])} clauses; tuned on)")
    for col in ("mapper", "n", "exact rule", "refused", "P", "R", "F1 answered", "F1 all", "seconds"):
        table.add_column(col, justify="left" if col == "mapper" else "right")
    table.add_row(*run_compose(by_split["train"]).score(by_split["train"], rules=True))
    console.print(table)


if __name__ == "__main__":
    main()
