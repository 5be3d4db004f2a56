"""Function identification on our labelled CODE-ACCORD clauses: precision / recall / F1 per mapper.

* retrieve@k — all-MiniLM-L6-v2 (int8 ONNX) top-k functions (k = 5, and k = the gold count).
* classify — TF-IDF + one-vs-rest logistic regression, 5-fold cross-validation (seed 0).
* llm — chain-of-thought prompt over the retriever's shortlist, on a sample (``--llm-sample``);
  rows go to a ResultLog so an interrupted run resumes; the rule it composes is also scored
  (parses + type-checks, and equal to the gold check).

Scores are micro-averaged over (clause, function) pairs; "domain" keeps only the functions that
carry meaning (categories property, geometry, domain, topology), i.e. drops selection by class,
comparisons and logic, which every clause needs.

    python benchmarks/rules_mapper.py [--llm gguf:qwen2.5-coder-1.5b --llm-sample 10]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table

from rulecheck.functions import CATALOGUE
from rulecheck.mapper.classify import Classifier, load_labelled
from workbench.results import ResultLog

MEANINGFUL = {"property", "geometry", "domain", "topology"}


def prf(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]], domain: bool = False) -> tuple[float, float, float]:
    """Micro precision, recall, F1 over (clause, function) pairs.

    >>> prf([["a", "b"]], [["a", "c"]])
    (0.5, 0.5, 0.5)
    """
    tp = fp = fn = 0
    for g, p in zip(gold, pred, strict=True):
        gs, ps = set(g), set(p)
        if domain:
            gs = {f for f in gs if f in CATALOGUE and CATALOGUE[f].category in MEANINGFUL}
            ps = {f for f in ps if f in CATALOGUE and CATALOGUE[f].category in MEANINGFUL}
        tp += len(gs & ps)
        fp += len(ps - gs)
        fn += len(gs - ps)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--llm", default="", help="LLM spec, e.g. gguf:qwen2.5-coder-1.5b (empty: skip)")
    ap.add_argument("--llm-sample", type=int, default=10)
    ap.add_argument("--llm-prompt", default="", help="score rows of this prompt version (default: current)")
    ap.add_argument("--llm-budget-s", type=float, default=1800.0,
                    help="stop starting new LLM calls after this many seconds; score what is done")
    ap.add_argument("--llm-log", default=str(Path.home() / ".cache/workbench/rulecheck/rules_mapper_llm.jsonl"))
    args = ap.parse_args()
    data = load_labelled()
    gold = [list(d.functions) for d in data]
    clauses = [d.clause for d in data]
    rows: list[tuple[str, int, Sequence[Sequence[str]], Sequence[Sequence[str]], float]] = []

    from rulecheck.mapper.retrieve import Retriever

    t0 = time.perf_counter()
    ret = Retriever(min_score=-1.0)
    scores = ret.scores(clauses)
    t_ret = time.perf_counter() - t0
    for k in (3, 5, 10):
        pred = [ret.rank(c, s, k).names() for c, s in zip(clauses, scores, strict=True)]
        rows.append((f"retrieve@{k}", len(data), gold, pred, t_ret))
    pred = [ret.rank(c, s, len(g)).names() for c, s, g in zip(clauses, scores, gold, strict=True)]
    rows.append(("retrieve@|gold|", len(data), gold, pred, t_ret))

    from sklearn.model_selection import KFold

    t0 = time.perf_counter()
    cv_pred: list[list[str]] = [[] for _ in data]
    for train, test in KFold(5, shuffle=True, random_state=0).split(clauses):
        clf = Classifier().fit([clauses[i] for i in train], [gold[i] for i in train])
        probs = clf.probabilities([clauses[i] for i in test])
        for i, row in zip(test, probs, strict=True):
            cv_pred[i] = clf.rank(clauses[i], row).names()
    rows.append(("classify (5-fold CV)", len(data), gold, cv_pred, time.perf_counter() - t0))
    # the combination the LLM prompt relies on: structure from the classifier, meaning from the retriever
    ret3 = [[f for f in ret.rank(c, s, 3).names() if CATALOGUE[f].category in MEANINGFUL]
            for c, s in zip(clauses, scores, strict=True)]
    combo = [list(dict.fromkeys(p + r)) for p, r in zip(cv_pred, ret3, strict=True)]
    rows.append(("classify + retrieve@3 (domain)", len(data), gold, combo, rows[-1][4] + t_ret))

    extra = ""
    if args.llm:
        extra = run_llm(args, data, rows)

    table = Table(title=f"function identification on {len(data)} labelled CODE-ACCORD clauses")
    for col in ("mapper", "n", "P", "R", "F1", "P dom", "R dom", "F1 dom", "seconds"):
        table.add_column(col, justify="right" if col != "mapper" else "left")
    for name, n, g, p, secs in rows:
        a, b = prf(g, p), prf(g, p, domain=True)
        table.add_row(name, str(n), *(f"{v:.3f}" for v in (*a, *b)), f"{secs:.1f}")
    Console().print(table)
    if extra:
        Console().print(extra)


def run_llm(args: argparse.Namespace, data: list, rows: list) -> str:
    from rulecheck.mapper.llm import PROMPT_VERSION, LLMMapper
    from rulecheck.rule import parse_expr

    rng = np.random.default_rng(0)
    sample = [data[i] for i in sorted(rng.choice(len(data), size=min(args.llm_sample, len(data)), replace=False))]
    log = ResultLog(args.llm_log)
    # rows are keyed "model|prompt|clause id" (rows written before prompt v2 carry the bare clause id)
    version = args.llm_prompt or PROMPT_VERSION
    done = {r.get("clause_id", r["id"]): r for r in log.rows()
            if r.get("model") == args.llm and r.get("prompt", "v1") == version}
    mapper = None
    t0 = time.perf_counter()
    for d in sample:
        if d.id in done:
            continue
        if time.perf_counter() - t0 > args.llm_budget_s or version != PROMPT_VERSION:
            break
        mapper = mapper or LLMMapper.from_spec(args.llm)
        t1 = time.perf_counter()
        res = mapper.map(d.clause)
        row = {"id": f"{args.llm}|{PROMPT_VERSION}|{d.id}", "clause_id": d.id, "model": args.llm,
               "prompt": PROMPT_VERSION, "pred": res.names(), "rule": str(res.rule) if res.rule else None,
               "error": res.error, "seconds": round(time.perf_counter() - t1, 1)}
        log.append(row)
        done[d.id] = row
    sample = [d for d in sample if d.id in done]
    got = [done[d.id] for d in sample]
    rows.append((f"llm {args.llm} (prompt {version})", len(sample), [list(d.functions) for d in sample], [r["pred"] for r in got],
                 sum(r["seconds"] for r in got)))
    idx = {d.id: i for i, d in enumerate(data)}
    for name, _, _, pred, secs in list(rows[:-1]):  # the other mappers on the same sample, for a fair comparison
        if len(sample) < len(data) and name.startswith(("retrieve@5", "classify")):
            rows.append((f"{name} (llm sample)", len(sample), [list(d.functions) for d in sample],
                         [pred[idx[d.id]] for d in sample], secs))
    valid = sum(1 for r in got if r["rule"])
    exact = sum(1 for r, d in zip(got, sample, strict=True) if r["rule"] and parse_expr(r["rule"]) == parse_expr(d.rule["check"]))
    return (f"llm rules: {valid}/{len(sample)} parse and type-check, {exact}/{len(sample)} equal the gold check; "
            f"log: {args.llm_log}")


if __name__ == "__main__":
    main()
