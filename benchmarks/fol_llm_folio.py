"""LINC on FOLIO with a local GGUF model: today's path and the staged pipeline, side by side.

Conditions (each a row file; all run problem by problem, interleaved, so an interrupted run
still compares the same problems under the same load):

=============  ==================================================================================
old-grammar    today's path before issue 17: LINC 8-shot, per-problem GBNF, each of the K samples
               its own llama.cpp request (the prompt evaluated in K slots), 768 tokens
plain          LINC 8-shot, no grammar, K samples as one request (``n_cmpl``)
grammar        + the per-problem GBNF (`prompts.problem_grammar`)
sigfirst       + signature first: the signature, then each sentence's K formulas under its grammar
               (`pipeline.staged_row`; 4 fixed exemplars, no retrieval, no feedback)
retrieved      + 2 shots retrieved from FOLIO train by MiniLM similarity (`shots.Retriever`)
feedback       + prover feedback (`refine`): a faulty sample is asked again once (full pipeline)
step-plain     LINC 8-shot decoded stepwise (`pipeline._stepwise`): the TEXT lines in the prompt,
               one FOL line per request, each sample extending its own cached prefix; no grammar
step-grammar   + the one-formula GBNF (`prompts.FORMULA_GRAMMAR`): the grammar condition's samples,
               without generating the TEXT lines the grammar forces
step-retrieved + 2 shots retrieved from FOLIO train (after the 8 fixed ones)
step-shared    step-grammar through `GGUFGenerator.fill` (`workbench.llm.gguf_batch`): the prompt
               evaluated once and its KV cells shared by the K samples, one batch for all of them,
               each sentence's head forced in as soon as the sample's previous formula ends
step-shared-retrieved  step-retrieved through the same batch decoder
step-shared-feedback   step-shared + prover feedback inside each sample's sequence: a conclusion that
               uses symbols no premise has is followed by an ERROR line and written once more under
               the grammar of its premises' symbols (`pipeline.LLMParser.feedback`)
=============  ==================================================================================

Splits (the held-out rule is written in `provers.fol.shots`): ``validation`` is the test split
(FOLIO validation, first ``--n`` rows); ``dev`` is the train stories with ``story_id % 5 == 0``
(never shots). Prompts and grammars were tuned on dev only.

The run also measures the engine's raw speed the way ``llama-bench`` does (`GGUFGenerator.bench`:
a fresh 512-token prompt, 64 tokens in K sequences without grammar) before every ``--raw-every``
problems and at the end, into ``..._raw_<split>.jsonl``; the table puts the pipeline's prompt-eval
and generation tokens/s next to those ceilings, measured under the same load (for stepwise
conditions, whose requests overlap, only the engine's busy time), and the share of raw speed:
the time raw llama.cpp would need for the same prompt and generated tokens over the busy time.

Rows go to ``benchmarks/records/folio_llm_<model>_k<K>_<condition>_<split>.jsonl`` (kept in git:
the run takes hours on a CPU; a rerun resumes, ``--fresh`` starts over, ``--out`` writes
elsewhere). The generations are not cached, so every row's seconds are measured.

    python benchmarks/fol_llm_folio.py --conditions feedback --n 30 --threads 2
    python benchmarks/fol_llm_folio.py --conditions old-grammar,feedback --n 5     # speed side by side
    python benchmarks/fol_llm_folio.py --report --conditions stop12-nogrammar,stop12-grammar,sigfirst,retrieved,feedback

``--report`` also reads the rows of this script's previous version (``stop12-nogrammar``,
``stop12-grammar``: LINC 8-shot without and with the per-problem grammar, 768 tokens, same model
and K, the first 30 validation problems), the plain and grammar ablation rows of that session.
"""

from __future__ import annotations

import argparse
import os
import time
from collections import Counter
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

LINC = {"StarCoder+ (LINC, 8-shot, K=10)": 0.560, "GPT-3.5 (LINC, 8-shot, K=10)": 0.626}
CONDITIONS = ("old-grammar", "plain", "grammar", "sigfirst", "retrieved", "feedback",
              "step-plain", "step-grammar", "step-retrieved", "step-shared", "step-shared-retrieved",
              "step-shared-feedback")
RECORDS = Path(__file__).parent / "records"
DATA = "logic/folio/folio-{}.jsonl"


#: Rows of the previous version of this script (stop 12: 8-shot, 768 tokens, per-sample requests),
#: readable by ``--report`` as the plain and grammar conditions of that session.
LEGACY = {"stop12-nogrammar": "8shot_nogrammar", "stop12-grammar": "8shot_grammar"}


def log_path(model: str, k: int, condition: str, split: str, out: Path = RECORDS) -> Path:
    name = model.replace(":", "-").replace("/", "_")
    if condition in LEGACY:
        return out / f"folio_llm_{name}_k{k}_{LEGACY[condition]}.jsonl"
    return out / f"folio_llm_{name}_k{k}_{condition}_{split}.jsonl"


def row_summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    n = len(rows) or 1
    samples = [s for r in rows for s in r.get("samples", [])]
    reasons = Counter(x for r in rows for x in r.get("sample_reasons", []) if x)
    engine = Counter()
    for r in rows:
        engine.update(r.get("engine") or {})
    gen = sum(r.get("gen_seconds", 0.0) for r in rows)
    calls_ms = engine["wall_prompt_ms"] + engine["wall_gen_ms"]
    # rows before EngineStats.busy_ms made their calls one after another: the calls' sum is the busy time
    busy_ms = engine["busy_ms"] or calls_ms
    overlapping = busy_ms < 0.98 * calls_ms  # concurrent calls (stepwise branches): no prompt/gen split
    return {
        "problems": len(rows),
        "accuracy": sum(bool(r.get("correct")) for r in rows) / n,
        "uncertain": sum(r.get("gold") == "Uncertain" for r in rows) / n,
        "plain_accuracy": sum(r.get("plain_vote") == r.get("gold") for r in rows) / n,
        "sample_error_rate": samples.count("Error") / len(samples) if samples else 0.0,
        "reasons": dict(reasons),
        "reasked": sum(r.get("reasked", 0) for r in rows),
        "tokens": sum(r.get("tokens", 0) for r in rows) / n,
        # over each generate call's wall time (EngineStats.wall_*), where the rows have it
        "prompt_tok_s": None if overlapping else _rate(engine["prompt_tokens"], engine["wall_prompt_ms"] or engine["prompt_ms"]),
        "gen_tok_s": None if overlapping else _rate(engine["gen_tokens"], engine["wall_gen_ms"] or engine["gen_ms"]),
        "prompt_tokens": engine["prompt_tokens"] / n,
        "gen_tokens": engine["gen_tokens"] / n,
        "busy_s": busy_ms / 1e3 / n,
        "tokens_per_s": sum(r.get("tokens", 0) for r in rows) / gen if gen else 0.0,
        "seconds_per_problem": sum(r.get("seconds", 0.0) for r in rows) / n,
        "load": sum(r.get("loadavg", 0.0) for r in rows) / n,
    }


def _rate(tokens: float, ms: float) -> float | None:
    return tokens / ms * 1e3 if ms else None


def redecide(row: dict[str, Any], portfolio: Any) -> dict[str, Any]:
    """A row's samples decided again from its recorded completions by the current rules (parse,
    align, prove, vote; no LLM). Rows of the staged conditions (a ``signature``: their Error samples
    are the feedback loop's faults, not the prover's) are returned as they are."""
    from provers.fol.pipeline import decide_samples

    if "signature" in row or "completions" not in row:
        return row
    cut = [x == "truncated" for x in row.get("sample_reasons", [False] * len(row["completions"]))]
    fresh = {k: v for k, v in row.items() if k not in ("reason", "detail")}
    fresh.update(decide_samples(list(zip(row["completions"], cut, strict=True)), row["gold"], portfolio))
    return fresh


def report(console: Console, model: str, k: int, conditions: list[str], split: str, out: Path = RECORDS,
           again: bool = False) -> None:
    from workbench.results import ResultLog

    logs = {c: ResultLog(log_path(model, k, c, split, out)).rows() for c in conditions}
    if again:
        from provers.fol.portfolio import Portfolio

        pf = Portfolio(["z3"])  # as the runs decide
        logs = {c: [redecide(r, pf) for r in rows] for c, rows in logs.items()}
    logs = {c: rows for c, rows in logs.items() if rows}
    if not logs:
        console.print(f"no rows for {conditions} on {split} in {out}")
        return
    common = set.intersection(*(set(r["id"] for r in rows) for rows in logs.values()))
    every = ResultLog(log_path(model, k, "raw", split, out)).rows()
    raw = [r for r in every if not r.get("depth")]
    deep = [r for r in every if r.get("depth")]
    pp, tg = _mean(raw, "pp_tok_s"), _mean(raw, "tg_tok_s")
    pp_d, tg_d = _mean(deep, "pp_tok_s"), _mean(deep, "tg_tok_s")
    table = Table(title=f"FOLIO {split}, {model}, K={k}: the {len(common)} problems every condition has")
    for col in ("condition", "problems", "accuracy", "always Uncertain", "plain majority", "sample Errors",
                "Error reasons (samples)", "re-asked", "prompt tok/problem", "prompt tok/s", "gen tok/s",
                "tokens/problem", "engine busy s/problem", "of raw speed", "of raw speed at depth", "s/problem", "load"):
        table.add_column(col)
    for cond, rows in logs.items():
        s = row_summary([r for r in rows if r["id"] in common])
        table.add_row(cond, str(s["problems"]), f"{s['accuracy']:.1%}", f"{s['uncertain']:.1%}",
                      f"{s['plain_accuracy']:.1%}", f"{s['sample_error_rate']:.1%}",
                      ", ".join(f"{a} {b}" for a, b in sorted(s["reasons"].items())) or "-", str(s["reasked"]),
                      f"{s['prompt_tokens']:.0f}", _num(s["prompt_tok_s"]), _num(s["gen_tok_s"]),
                      f"{s['tokens']:.0f}", f"{s['busy_s']:.1f}",
                      _of_raw(s, pp, tg), _of_raw(s, pp_d, tg_d),
                      f"{s['seconds_per_problem']:.1f}", f"{s['load']:.1f}")
    for rows, label in ((raw, "llama-bench style"), (deep, f"at depth {deep[0]['depth']:.0f}" if deep else "")):
        if rows:
            table.add_row(f"raw llama.cpp ({label}, {len(rows)} runs)", "", "", "", "", "", "", "", "512",
                          f"{_mean(rows, 'pp_tok_s'):.1f}", f"{_mean(rows, 'tg_tok_s'):.1f} (n={rows[0]['tg_n']:.0f})",
                          "", "", "", "", "", f"{_mean(rows, 'loadavg'):.1f}")
    if split == "validation":
        for name, acc in LINC.items():
            table.add_row(name, "182", f"{acc:.1%}", *[""] * 14)
    console.print(table)
    for cond, rows in logs.items():
        if len(rows) > len(common):
            s = row_summary(rows)
            console.print(f"{cond}, all {s['problems']} of its rows: accuracy {s['accuracy']:.1%}, always Uncertain "
                          f"{s['uncertain']:.1%}, {s['seconds_per_problem']:.1f} s/problem")
    console.print(problem_table(logs, common))


def _of_raw(s: dict[str, Any], pp: float | None, tg: float | None) -> str:
    """The time raw llama.cpp (``pp``/``tg`` tokens/s) would take for a condition's prompt and
    generated tokens, over the engine's busy time."""
    if not (pp and tg and s["busy_s"]):
        return "-"
    return f"{(s['prompt_tokens'] / pp + s['gen_tokens'] / tg) / s['busy_s']:.0%}"


def _mean(rows: list[dict[str, Any]], key: str) -> float | None:
    return sum(r[key] for r in rows) / len(rows) if rows else None


def _num(x: float | None) -> str:
    return "-" if x is None else f"{x:.1f}"


def problem_table(logs: dict[str, list[dict[str, Any]]], ids: set[str]) -> Table:
    """One line per common problem: gold, each condition's vote and its samples."""
    by_id = {c: {r["id"]: r for r in rows} for c, rows in logs.items()}
    table = Table(title="per problem: votes (samples T/F/U/E)")
    table.add_column("problem")
    table.add_column("gold")
    for c in logs:
        table.add_column(c)
    short = {"True": "T", "False": "F", "Uncertain": "U", "Error": "E"}
    first = next(iter(logs.values()))
    for pid in [r["id"] for r in first if r["id"] in ids]:
        cells = []
        for c in logs:
            r = by_id[c][pid]
            mark = "[green]✓[/]" if r.get("correct") else "[red]✗[/]"
            cells.append(f"{mark} {r['label']} ({''.join(short.get(x, '?') for x in r.get('samples', []))})")
        table.add_row(pid, str(by_id[next(iter(logs))][pid]["gold"]), *cells)
    return table


def load_problems(split: str, n: int) -> list[Any]:
    from provers.fol.datasets import NLProblem, load_folio_nl, normalise_label
    from provers.fol.shots import load_train
    from workbench.data import shared_path

    if split == "validation":
        return load_folio_nl(shared_path(DATA.format("validation")))[:n]
    _, dev = load_train(shared_path(DATA.format("train")))
    return [NLProblem(f"train-row-{r['row']}", tuple(p.strip() for p in r["premises"]), r["conclusion"].strip(),
                      normalise_label(str(r["label"]))) for r in dev[:n]]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", default="gguf:qwen2.5-coder-1.5b")
    ap.add_argument("--split", choices=("validation", "dev"), default="validation")
    ap.add_argument("--n", type=int, default=30)
    ap.add_argument("-k", type=int, default=5)
    ap.add_argument("--conditions", default="feedback", help=f"comma-separated, of {', '.join(CONDITIONS)}")
    ap.add_argument("--max-tokens", type=int, default=768, help="per completion on the LINC paths (old-grammar, plain, grammar)")
    ap.add_argument("--formula-tokens", type=int, default=None,
                    help="per formula: staged paths 64, stepwise 96 (99th percentile of FOLIO-train gold premise "
                         "FOL is 139 characters, about 55 tokens)")
    ap.add_argument("--retrieved", type=int, default=2)
    ap.add_argument("--temperature", type=float, default=0.8, help="of the LINC paths' samples (LINC's 0.8)")
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--raw-every", type=int, default=10, help="measure raw llama.cpp speed before every N problems (0: never)")
    ap.add_argument("--raw-depth", type=int, default=1800,
                    help="also measure raw speed after this many tokens of context (llama-bench -d; the 8-shot "
                         "prompt is about 1,800 tokens); 0: only without context")
    ap.add_argument("--out", type=Path, default=RECORDS, help="Folder of the row files (default: benchmarks/records).")
    ap.add_argument("--fresh", action="store_true", help="Discard rows on disk first.")
    ap.add_argument("--report", action="store_true", help="Only print the table from the rows on disk.")
    ap.add_argument("--redecide", action="store_true",
                    help="With --report: decide the recorded completions again with the current rules (no LLM).")
    args = ap.parse_args()
    console = Console()
    conditions = [c for c in args.conditions.split(",") if c]
    bad = [c for c in conditions if c not in CONDITIONS and not args.report]  # --report reads any row file
    if bad:
        ap.error(f"unknown condition(s) {bad}; known: {', '.join(CONDITIONS)}")
    if args.report:
        report(console, args.model, args.k, conditions, args.split, args.out, again=args.redecide)
        return

    from provers.fol.pipeline import LLMParser, StagedParser, llm_row, staged_row
    from provers.fol.portfolio import Portfolio
    from provers.fol.shots import Retriever, load_train
    from workbench.data import shared_path
    from workbench.llm import load_generator
    from workbench.results import ResultLog

    problems = load_problems(args.split, args.n)
    options: dict[str, Any] = {"threads": args.threads} if args.threads else {}
    if args.model.startswith("gguf:"):
        options["parallel"] = args.k
    # two engines (llama.cpp contexts) over the one mmapped model file, so the old path's K
    # slot prompts never evict the staged path's cached prefix (and the reverse)
    gen = load_generator(args.model, ctx=3072, **options)
    old = load_generator(args.model, share_prompt=False, ctx=4096, **options) if "old-grammar" in conditions else None
    # stepwise sends each sample as its own request (see `pipeline.LLMParser`): a third context
    step = load_generator(args.model, share_prompt=False, batch_decoder=False, ctx=4352, **options) if any(
        c.startswith("step-") and not c.startswith("step-shared") for c in conditions) else None
    # the batch decoder: its own context of ctx × K cells, shared by the K samples
    shared = load_generator(args.model, ctx=4352, **options) if any(
        c.startswith("step-shared") for c in conditions) else None
    retriever = None
    if {"retrieved", "feedback", "step-retrieved", "step-shared-retrieved"} & set(conditions):
        retriever = Retriever(load_train(shared_path(DATA.format("train")))[0])
    pf = Portfolio(["z3"])
    staged = {
        "sigfirst": StagedParser(gen, k=args.k, feedback=False, formula_tokens=args.formula_tokens or 64),
        "retrieved": StagedParser(gen, k=args.k, retriever=retriever, retrieved=args.retrieved, feedback=False,
                                  formula_tokens=args.formula_tokens or 64),
        "feedback": StagedParser(gen, k=args.k, retriever=retriever, retrieved=args.retrieved, feedback=True,
                                 formula_tokens=args.formula_tokens or 64),
    }
    both = {"k": args.k, "temperature": args.temperature}  # how every LINC path samples
    step_tokens = args.formula_tokens or 96
    linc = {
        "old-grammar": LLMParser(old, **both, grammar=True, max_tokens=args.max_tokens),
        "plain": LLMParser(gen, **both, grammar=False, max_tokens=args.max_tokens),
        "grammar": LLMParser(gen, **both, grammar=True, max_tokens=args.max_tokens),
        "step-plain": LLMParser(step, **both, grammar=False, stepwise=True, formula_tokens=step_tokens),
        "step-grammar": LLMParser(step, **both, grammar=True, stepwise=True, formula_tokens=step_tokens),
        "step-retrieved": LLMParser(step, **both, grammar=True, stepwise=True, formula_tokens=step_tokens,
                                    retriever=retriever, retrieved=args.retrieved),
        "step-shared": LLMParser(shared, **both, grammar=True, stepwise=True, formula_tokens=step_tokens),
        "step-shared-retrieved": LLMParser(shared, **both, grammar=True, stepwise=True, formula_tokens=step_tokens,
                                           retriever=retriever, retrieved=args.retrieved),
    }
    if shared is not None:  # feedback needs the batch decoder (LLMParser refuses it elsewhere)
        linc["step-shared-feedback"] = LLMParser(shared, **both, grammar=True, stepwise=True,
                                                 formula_tokens=step_tokens, feedback=True)
    logs = {c: ResultLog(log_path(args.model, args.k, c, args.split, args.out)) for c in conditions}
    if args.fresh:
        for log in logs.values():
            log.reset()
    console.print(f"{len(problems)} {args.split} problems, conditions {conditions}, threads {args.threads or 'default'}, "
                  f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    raw_log = ResultLog(log_path(args.model, args.k, "raw", args.split, args.out))

    def measure_raw() -> None:
        engine = getattr(gen, "bench", None)
        if engine is None or not args.raw_every:
            return
        for depth in sorted({0, args.raw_depth}):
            load = os.getloadavg()[0]
            r = engine(512, 64, args.k, depth=depth)
            raw_log.append({"id": f"raw-{time.time():.0f}-d{depth}", **r, "threads": args.threads,
                            "loadavg": round((load + os.getloadavg()[0]) / 2, 2)})
            console.print(f"raw llama.cpp at depth {depth}: pp {r['pp_tok_s']:.1f} tok/s, tg (n={args.k}) "
                          f"{r['tg_tok_s']:.1f} tok/s", highlight=False)

    todo = [p for p in problems if any(p.id not in log.done() for log in logs.values())]
    for i, problem in enumerate(problems):
        if problem in todo and args.raw_every and todo.index(problem) % args.raw_every == 0:
            measure_raw()
        for cond, log in logs.items():
            if problem.id in log.done():
                continue
            load = os.getloadavg()[0]
            t0 = time.perf_counter()
            row = staged_row(problem, staged[cond], pf) if cond in staged else llm_row(problem, linc[cond], pf)
            row.update(condition=cond, split=args.split, loadavg=round((load + os.getloadavg()[0]) / 2, 2),
                       wall=round(time.perf_counter() - t0, 3), threads=args.threads,
                       **({} if cond in staged else {"temperature": args.temperature}))
            log.append(row)
            console.print(f"{i + 1}/{len(problems)} {problem.id} {cond}: {row['label']} (gold {row['gold']}) "
                          f"samples {row.get('samples')} reasons {row.get('sample_reasons')} "
                          f"re-asked {row.get('reasked', 0)} {row.get('seconds', 0):.0f} s load {row['loadavg']}",
                          highlight=False)
    if todo:
        measure_raw()
    report(console, args.model, args.k, conditions, args.split, args.out)


if __name__ == "__main__":
    main()
