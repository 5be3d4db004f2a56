"""Type-inference accuracy on test npm packages never seen in training, against tsc's own inference.

For every annotated parameter, return, variable and field of the test packages' ``.ts`` sources
(``any``/``unknown`` left out, as in ManyTypes4TypeScript), the annotations are stripped, the
file is re-analysed, and the prediction is scored by exact match after normalisation
(`typeinfer.typenames.normalize`). Abstentions count as misses; the abstention rate is reported.
The baseline is tsc's own inference (typescript@5.9.3 compiler API) on the same stripped files.
Then ``tsc --noEmit`` counts errors on the stripped files and on the same files annotated with
our predictions (``types infer --format annotate``, which writes types of confidence ≥ 0.75).

As in a user's editor on the author's checkout, the package's dependencies are installed
(`typeinfer.corpus.install_dependencies`: ``dependencies``, ``peerDependencies`` at the dev spec where
``devDependencies`` pin one, the dev dependencies the sources import, and ``@types/*``; npm, cached) where
the judge's copy of the package and the tsc baseline find them; ``--no-deps`` runs without them, as before
4 December 2026 (before 7 December 2026, 18:40 UTC, neither imported dev dependencies nor dev specs).

Rows go to a `workbench.results.ResultLog` (one row per file), so an interrupted run resumes.

Run:  python benchmarks/types_eval.py [--max-files 40] [--llm gguf:qwen2.5-coder-0.5b --llm-sample 30]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from typeinfer.annotate import WRITE_CONFIDENCE, annotate, edits_for
from typeinfer.combine import Inference, combine
from typeinfer.corpus import (
    DEV,
    HELDOUT,
    HELDOUT2,
    HELDOUT2_CAP,
    HELDOUT3,
    HELDOUT4,
    HELDOUT5,
    HELDOUT6,
    HELDOUT7,
    HELDOUT8,
    HELDOUT9,
    HELDOUT10,
    HELDOUT11,
    HELDOUT12,
    HELDOUT13,
    HELDOUT14,
    HELDOUT15,
    HELDOUT16,
    HELDOUT17,
    HELDOUT18,
    HELDOUT19,
    HELDOUT20,
    HELDOUT21,
    HELDOUT22,
    HELDOUT23,
    HELDOUT24,
    HELDOUT25,
    HELDOUT26,
    HELDOUT27,
    HELDOUT28,
    HELDOUT29,
    HELDOUT30,
    HELDOUT31,
    HELDOUT32,
    HELDOUT33,
    HELDOUT34,
    HELDOUT35,
    HELDOUT36,
    HELDOUT37,
    HELDOUT38,
    HELDOUT39,
    HELDOUT40,
    HELDOUT41,
    HELDOUT42,
    HELDOUT43,
    HELDOUT44,
    HELDOUT45,
    HELDOUT46,
    HELDOUT47,
    HELDOUT48,
    HELDOUT49,
    HELDOUT50,
    HELDOUT51,
    HELDOUT52,
    TEST,
    cap_rows,
    examples,
    fetch,
    install_dependencies,
    package_set,
    sources,
    stripped_project_types,
    with_types,
)
from typeinfer.cpg import read_source
from typeinfer.errors import SliceError
from typeinfer.generics import union_aliases
from typeinfer.predict.learned import LearnedPredictor
from typeinfer.predict.symbolic import SymbolicPredictor
from typeinfer.project import call_site_types
from typeinfer.signatures import cache_dir, standard_library
from typeinfer.slices import DefComponent, ProgramUsageSlice, UserDefinedType
from typeinfer.typenames import is_builtin, normalize
from workbench.results import ResultLog

KINDS = {"METHOD_PARAMETER_IN": "params", "METHOD_RETURN": "returns", "LOCAL": "variables",
         "MEMBER": "fields"}
SYSTEMS = ("judged", "symbolic+learned", "symbolic", "learned", "tsc")
#: The splits (`typeinfer.corpus`): test (the published table), dev (tuning), heldout, heldout2 and
#: heldout3 (frozen by a written rule, each reported once, now tuned on), heldout4 to heldout6
#: (each reported once, now training data of the learned model), heldout7 and heldout8 (each
#: reported once, tuning sets since 4 December 19:38 UTC), heldout9 to heldout15 (each reported
#: once), heldout16 to heldout18 (each reported once), heldout19 (the test of C17), heldout20
#: (the test of C19), heldout21 (the test number: the test of C20, frozen before it), heldout22
#: (frozen for the next kept choice; run once on 6 December as a second test of C20, none made) and
#: heldout23 (frozen 6 December 2026 for the next kept choice; run once on 6 December as a third test of
#: C20), heldout24 (frozen 6 December 09:43 UTC for the LLM's fill; run once with and once without it) and
#: heldout25 (frozen 6 December 10:54 UTC for L2, the fill's answers filtered and written as the project writes;
#: run once with and once without it), heldout26 (frozen 6 December 12:12 UTC for C21, the compiler's types as
#: authors write them; run once with C20 and once with C21b), heldout27 (frozen 6 December 12:26 UTC for C22, hints
#: carrying the compiler's whole type; run once with C21b and once with C22), heldout28 (frozen 6 December 12:45 UTC
#: for the next choice made on dev and dev2, the rows of the sets 9 to 23; the test of C23, run once with C22 and
#: once with C23), heldout29 (frozen 6 December 13:11 UTC for C24; run once with C23 and once with C24), heldout30
#: (frozen 6 December 13:34 UTC; the test of C25, run once with C24 and once with C25), heldout31 (frozen 6 December
#: ~14:45 UTC; run once each with C25, C26 and C27), heldout32 (frozen 6 December 15:32 UTC; the test of C28, run once with C27 and once with C28),
#: heldout33 (frozen 6 December 16:00 UTC; the test of C31 and C32, run once each with C28, C31 and C32), heldout34
#: (frozen 6 December 17:55 UTC; run once with C32; the test of C34b, run once with it), heldout35 (frozen 6 December
#: 19:44 UTC; the test of C35c, run once with C34b and once with C35c), heldout36 (frozen 6 December 20:27 UTC; the
#: test of C36, run once with C35c and once with C36), heldout37 (frozen 6 December 22:02 UTC; run once with C36), heldout38
#: (frozen 6 December 22:32 UTC; the test of C38), heldout39 (frozen 7 December 00:38 UTC; the test of C39b, run once with C38 and once with C39b), heldout40 (frozen 7 December 02:50 UTC, the test of C40, run with C39b and C40), heldout41 (frozen 7 December 05:35 UTC, the test of C41, run with C40 and C41), heldout42 (frozen 7 December 07:25 UTC, the test of C42, run with C41 and C42), heldout43 (frozen 7 December 09:29 UTC, the test of C43, run with C42 and C43), heldout44 (frozen 7 December 11:19 UTC, the test of C44, run with C43 and C44), heldout45 (frozen 7 December 13:23 UTC, the test of C45, run with C44 and C45), heldout46 (frozen 7 December 14:12 UTC, the test of C46, run with C45 and C46), heldout47 (frozen 7 December 16:24 UTC, the test of C47, run with C46 and C47), heldout48 (frozen 7 December 17:38 UTC, unused: the test of the next choice); the sets 24 to 33 are tuning data since 21:44 UTC, as 9 to 23 are
#: since 6 December 12:34 UTC.
SPLITS = {"test": TEST, "dev": DEV, "heldout": HELDOUT, "heldout2": HELDOUT2, "heldout3": HELDOUT3,
          "heldout4": HELDOUT4, "heldout5": HELDOUT5, "heldout6": HELDOUT6,
          "heldout7": HELDOUT7, "heldout8": HELDOUT8, "heldout9": HELDOUT9,
          "heldout10": HELDOUT10, "heldout11": HELDOUT11,
          "heldout12": HELDOUT12, "heldout13": HELDOUT13, "heldout14": HELDOUT14,
          "heldout15": HELDOUT15, "heldout16": HELDOUT16,
          "heldout17": HELDOUT17, "heldout18": HELDOUT18,
          "heldout19": HELDOUT19, "heldout20": HELDOUT20, "heldout21": HELDOUT21,
          "heldout22": HELDOUT22, "heldout23": HELDOUT23, "heldout24": HELDOUT24,
          "heldout25": HELDOUT25, "heldout26": HELDOUT26,
          "heldout27": HELDOUT27, "heldout28": HELDOUT28,
          "heldout29": HELDOUT29, "heldout30": HELDOUT30,
          "heldout31": HELDOUT31, "heldout32": HELDOUT32,
          "heldout33": HELDOUT33, "heldout34": HELDOUT34, "heldout35": HELDOUT35, "heldout36": HELDOUT36,
          "heldout37": HELDOUT37, "heldout38": HELDOUT38, "heldout39": HELDOUT39, "heldout40": HELDOUT40,
          "heldout41": HELDOUT41, "heldout42": HELDOUT42, "heldout43": HELDOUT43,
          "heldout44": HELDOUT44, "heldout45": HELDOUT45,
          "heldout46": HELDOUT46, "heldout47": HELDOUT47, "heldout48": HELDOUT48,
          "heldout49": HELDOUT49, "heldout50": HELDOUT50,
          "heldout51": HELDOUT51, "heldout52": HELDOUT52}
#: The splits scored with `typeinfer.corpus.cap_rows` by their rule: every held-out set from the second on.
CAPPED = tuple(s for s in SPLITS if s.startswith("heldout") and s != "heldout")
#: Passes over a package that collect what its files pass to each function (1: one extra pass).
CALL_SITE_ROUNDS = 1


@dataclass
class _Pass:
    """One file after the first pass (what `typeinfer.project.call_site_types` reads)."""

    path: str
    program: ProgramUsageSlice
    inferences: dict[str, Inference]


def _predict(program: ProgramUsageSlice, stripped: str, preds: dict[str, list]) -> dict[str, Any]:  # type: ignore[type-arg]
    sig = standard_library()
    bound = {name: (p.bind(stripped) if hasattr(p, "bind") else p)  # as `typeinfer.infer.analyse`
             for name, p in (("symbolic", preds["symbolic"][0]), ("learned", preds["learned"][0]))}
    return {name: p.predict(program, sig) for name, p in bound.items()}


def first_pass(files: list[Path], preds: dict[str, list],  # type: ignore[type-arg]
               extra: tuple[UserDefinedType, ...]) -> list[_Pass]:
    """Every file of a package analysed once, for the call-site table of the second pass."""
    out = []
    for f in files:
        try:
            program, _, stripped = examples(f)
        except Exception:  # noqa: BLE001 - the second pass records the error
            continue
        program = with_types(program, extra)
        raw = _predict(program, stripped, preds)
        out.append(_Pass(str(f), program, combine(program, [raw["symbolic"], raw["learned"]],
                                                  standard_library())))
    return out


def evaluate_file(pkg: str, f: Path, root: Path, preds: dict[str, list],  # type: ignore[type-arg]
                  extra: tuple[UserDefinedType, ...] = (), checker: Any = None,
                  stripped_root: Path | None = None, fill: Any = None,
                  fill_confidence: float = 0.0) -> dict:  # type: ignore[type-arg]
    """Predictions of each system for each example of one file (``extra``: the package's types).

    With a ``checker`` (a `typeinfer.checker.Checker` over the package's stripped files under
    ``stripped_root``), the "judged" system is what the editor shows: `typeinfer.judge`;
    ``fill`` (an `LLMPredictor`) is then asked for the parameters no other source reaches.
    """
    program, exs, stripped = examples(f)
    program = with_types(program, extra)
    sig = standard_library()
    raw = _predict(program, stripped, preds)
    combos = {"symbolic+learned": combine(program, [raw["symbolic"], raw["learned"]], sig),
              "symbolic": combine(program, [raw["symbolic"]], sig),
              "learned": combine(program, [raw["learned"]], sig)}
    judged: dict[str, Inference] = {}
    considered: dict[str, Any] = {}
    failed: dict[str, Any] = {}
    checks = 0
    if checker is not None and stripped_root is not None:
        from typeinfer.judge import judge

        # the compiler's own types' edits are checked by tsc over the package below, not here
        target = stripped_root / f.relative_to(root)
        try:
            verdict = judge(combos["symbolic+learned"], stripped, target, checker, write_check=False,
                            fill=fill.fill(stripped) if fill is not None else None,
                            fill_confidence=fill_confidence)
        finally:  # the other files see this one as it is on disk again (annotated, or stripped)
            checker.close_file(target)
        judged, checks = verdict.hints, verdict.checks
        considered, failed = verdict.considered, verdict.failed
    rows = []
    for e in exs:
        t = e.slice.targetObj
        row = {"key": e.key, "label": t.label, "gold": e.gold, "line": t.lineNumber, "col": t.columnNumber,
               "builtin": is_builtin(e.gold)}
        for name, inf in combos.items():
            got = inf.get(e.key)
            row[name] = got.type if got else None
        if checker is not None:
            got = judged.get(e.key)
            row["judged"] = got.type if got else None
            row["judged_src"] = got.source if got else None
            row["judged_conf"] = got.confidence if got else None
            row["cands"] = [[c.type, c.source, c.confidence] for c in considered.get(e.key, ())]
            row["failed"] = [[f.type, f.line, f.code, f.message] for f in failed.get(e.key, ())]
        got = combos["symbolic+learned"].get(e.key)
        row["why"] = f"{got.source}: {got.evidence[0] if got.evidence else ''}" if got and got.type else ""
        rows.append(row)
    answered = [i for i in (judged or combos["symbolic+learned"]).values() if edits_for(i)]
    annotated = annotate(stripped, answered, WRITE_CONFIDENCE)
    # what `--format annotate` would write, kept so that the tsc check judges these very answers
    edits = [[i.type, i.confidence, [[e.line, e.col, e.text] for e in edits_for(i)],
              list(i.target.insertAt or ())] for i in answered]
    return {"id": f"{pkg}/{f.relative_to(root).as_posix()}", "package": pkg, "rows": rows,
            "stripped": stripped, "annotated": annotated, "edits": edits, "checks": checks}


def _inferences(edits: list[list[Any]]) -> list[Inference]:
    """The answered inferences of a row written by `evaluate_file`, enough to annotate again."""
    from typeinfer.annotate import Edit

    out = []
    for t, conf, writes, at in edits:
        target = DefComponent("", annotatable=True, insertAt=tuple(at) if at else None)
        out.append(Inference("", "", target, t, conf, "symbolic+learned",
                             writes=tuple(Edit(*w) for w in writes)))
    return out


def tsc_baseline(pkg: str, docs: list[dict], console: Console,  # type: ignore[type-arg]
                 modules: Path | None = None) -> dict[str, tuple[int, ...]]:
    """Add tsc's inferred types to the rows; return error counts (stripped, annotated, checked).
    ``modules``: the package's installed dependencies, where tsc finds them (as the judge does)."""
    from typeinfer.tsc import checked_annotations, tsc_error_count, tsc_types

    def rel_of(d: dict) -> str:  # type: ignore[type-arg]
        return d["id"].split("/", 1)[1] if not pkg.startswith("@") else d["id"].split("/", 2)[2]

    plain = {Path(rel_of(d)): d["stripped"] for d in docs}
    infs = {Path(rel_of(d)): _inferences(d.get("edits", [])) for d in docs}
    checked = checked_annotations(plain, infs, WRITE_CONFIDENCE, modules=modules)

    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        stripped_files, annotated_files, checked_files = [], [], []
        for d in docs:
            rel = rel_of(d)
            for sub, text, acc in (("stripped", d["stripped"], stripped_files),
                                   ("annotated", d["annotated"], annotated_files),
                                   ("checked", checked[Path(rel)], checked_files)):
                p = base / sub / rel
                p.parent.mkdir(parents=True, exist_ok=True)
                p.write_text(text, encoding="utf-8")
                acc.append(p)
        if modules is not None:
            for sub in ("stripped", "annotated", "checked"):
                (base / sub / "node_modules").symlink_to(modules, target_is_directory=True)
        found = {}
        for r in tsc_types(stripped_files):
            rel = Path(str(r["file"])).relative_to(base / "stripped").as_posix()
            found[(rel, r["label"], r["line"], r["col"])] = str(r["type"])
        for d in docs:
            rel = d["id"].split("/", 1)[1] if not pkg.startswith("@") else d["id"].split("/", 2)[2]
            for row in d["rows"]:
                t = found.get((rel, row["label"], row["line"], row["col"]))
                row["tsc"] = None if t in (None, "any", "unknown") else t
        errs = (tsc_error_count(stripped_files), tsc_error_count(annotated_files),
                tsc_error_count(checked_files))
    return {pkg: (*errs, len(docs))}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--max-files", type=int, default=0, help="files per package (0: all)")
    ap.add_argument("--out", type=Path, default=cache_dir() / "eval" / "types_eval.jsonl")
    ap.add_argument("--fresh", action="store_true", help="ignore earlier rows")
    ap.add_argument("--no-tsc", action="store_true", help="skip the tsc baseline and error counts")
    ap.add_argument("--llm", default="", help="LLM spec to score on a sample, e.g. gguf:qwen2.5-coder-0.5b")
    ap.add_argument("--llm-sample", type=int, default=30)
    ap.add_argument("--fill", default="", metavar="SPEC",
                    help="an LLM (e.g. gguf:qwen2.5-coder-1.5b) that fills the parameters no other source "
                         "reaches, judged like every candidate (`typeinfer.judge`'s fill)")
    ap.add_argument("--fill-confidence", type=float, default=0.0,
                    help="least confidence of a --fill answer tried as a hint")
    ap.add_argument("--model", type=Path, default=None, help="learned model file (default: the shipped one)")
    ap.add_argument("--split", choices=sorted(SPLITS), default="test",
                    help="heldout52 (frozen 8 December 00:19 UTC, four packages from Debian's libjs-* names, unused: the test of the choice after P2b), heldout51 (frozen 7 December 22:21 UTC, five packages from the names Debian's node-* packages provide, the test of P2b), heldout50 (frozen 7 December 21:08 UTC, eleven packages from Debian's node-* names, the test of CT, run with P1+V1s and CT), heldout49 (frozen 7 December 18:51 UTC, six packages, the test of P1+V1s, run with C47+DEV and P1+V1s), heldout48 (frozen 7 December 17:38 UTC, the test of DEV, run with C47 and C47+DEV), heldout47 (frozen 7 December 16:24 UTC, the test of C47, run with C46 and C47), heldout46 (frozen 7 December 14:12 UTC, the test of C46, run with C45 and C46), heldout45 (frozen 7 December 13:23 UTC, the test of C45, run with C44 and C45), heldout44 (frozen 7 December 11:19 UTC, the test of C44, run with C43 and C44), heldout43 (frozen 7 December 09:29 UTC, the test of C43, run with C42 and C43), heldout42 (frozen 7 December 07:25 UTC, the test of C42, run with C41 and C42), heldout41 (frozen 7 December 05:35 UTC, the test of C41, run with C40 and C41), heldout40 (frozen 7 December 02:50 UTC, the test of C40, run with C39b and C40), heldout39 (frozen 7 December 00:38 UTC, the test of C39b, run with C38 and C39b), heldout38 (frozen 6 December 22:32 UTC, the test of C38), heldout37 (frozen 6 December 22:02 UTC; run once with C36), heldout36 (the test of C36, run with C35c and C36), heldout35 (the test of C35c, run with C34b and C35c), heldout34 (run once with C32; the test of C34b, run with it), heldout33 (the test of C31 and C32, run with C28, C31 and C32), heldout32 (the test of C28, run with C27 and C28), heldout31 (the test of C26 and C27, run with C25, C26 and C27), heldout30 (the test of C25, run once with C24 and once with it), heldout29 (the test of C24), heldout28 (the test of C23), heldout27 (the test of C22, run once with C21b and once with it), heldout26 (the test of C21, run once with C20 and once with it), heldout25 (the test of L2, run once with and without it), heldout24 (the test of the LLM's fill, run once with and without it), heldout21 to heldout23 (the tests of C20), heldout9 to heldout20 (reported once), heldout7-8 "
                         "(reported once, now tuned on), heldout4-6 "
                         "(reported once, now training data), dev, heldout3, heldout2 and heldout (tuned on: "
                         "the earlier held-out sets, each reported once) or test (the older published table)")
    ap.add_argument("--packages", metavar="NAME[@VERSION],...",
                    help="score these npm packages instead of a split (a package nobody here tuned on: the latest "
                         "version where none is given, training packages refused, scored with the held-out sets' "
                         f"cap of {HELDOUT2_CAP}); rows go to types_eval-named.jsonl unless --out says otherwise")
    ap.add_argument("--no-deps", action="store_true",
                    help="do not install the package's dependencies (the protocol before 4 December 2026, "
                         "~21:45 UTC: every import from another package is `any` to the compiler)")
    ap.add_argument("--no-judge", action="store_true", help="leave out the compiler-judged system")
    ap.add_argument("--project-context", choices=("annotated", "stripped"), default="annotated",
                    help="what the judge's project holds while one file is judged: the other files as "
                         "published (annotated: an editor's view, the default) or every file stripped")
    ap.add_argument("--cap", type=int, default=None,
                    help="score at most this many parameters and this many other targets per package "
                         f"(default: {HELDOUT2_CAP} on {' and '.join(CAPPED)}, their rule; else no cap)")
    ap.add_argument("--report-only", action="store_true",
                    help="print the tables from the rows already written (no analysis, no tsc)")
    ap.add_argument("--file-only", action="store_true",
                    help="analyse each file alone (default: with its package's classes and interfaces, "
                         "and the types its other files pass to each function)")
    args = ap.parse_args(argv)
    console = Console(width=200)
    if args.packages:
        try:
            packages, warnings = package_set(args.packages, SPLITS)
        except SliceError as exc:
            console.print(f"[red]--packages: {exc}[/]")
            return 2
        for w in warnings:
            console.print(f"[yellow]warning: {w}[/]")
        args.split = "named"
        console.print("packages: " + ", ".join(f"{k}@{v}" for k, v in packages.items()))
    else:
        packages = SPLITS[args.split]
    if args.out == ap.get_default("out"):
        args.out = args.out.with_name(f"types_eval-{args.split}.jsonl")
    log = ResultLog(args.out)
    if args.fresh:
        log.reset()
    model = LearnedPredictor.load(args.model) if args.model else LearnedPredictor.load_default()
    if model is None:
        console.print("[red]no learned model: run `workbench types train` first[/]")
        return 1
    preds = {"symbolic": [SymbolicPredictor()], "learned": [model]}
    if args.fill:
        from typeinfer.predict.llm import LLMPredictor

        args.fill_predictor = LLMPredictor.from_spec(args.fill)
    else:
        args.fill_predictor = None
    work = []
    for pkg, version in packages.items():
        try:
            root = fetch(pkg, version)
        except SliceError as exc:
            console.print(f"[red]{exc}[/]")
            return 2
        files = sources(root)
        if not files:
            console.print(f"[yellow]warning: {pkg}@{version} ships no .ts sources (without declaration files and "
                          "tests): nothing to score[/]")
        if args.max_files:
            files = random.Random(0).sample(files, min(args.max_files, len(files)))
        work += [(pkg, f, root) for f in files]
    done = log.done()
    if args.report_only:  # the rows written so far (an interrupted run), as tables
        work = [w for w in work if f"{w[0]}/{w[1].relative_to(w[2]).as_posix()}" in done]
        args.no_tsc = True
    t0 = time.perf_counter()
    judge_on = not args.no_judge and _checker_available()
    tmp = tempfile.TemporaryDirectory(prefix="types-eval-")
    # one package at a time, smallest first, each finished (rows, then its tsc baseline) before the
    # next starts: a run cut short leaves whole packages that `--report-only` reads
    order = sorted(packages, key=lambda p: sum(f.stat().st_size for f in sources(fetch(p, packages[p]))))
    with Progress(console=console) as progress:
        task = progress.add_task("evaluating", total=len(work))
        for pkg in order:
            mine = [(f, r) for p, f, r in work if p == pkg]
            todo = [(f, r) for f, r in mine if f"{pkg}/{f.relative_to(r).as_posix()}" not in done]
            need_tsc = not args.no_tsc and f"tsc:{pkg}" not in done
            # installed once for the judge's project copy and the tsc baseline (npm may take minutes)
            modules = install_dependencies(pkg, packages[pkg]) \
                if not args.no_deps and ((todo and judge_on) or need_tsc) else None
            if todo:
                progress.update(task, description=f"{pkg}: package context")
                evaluate_package(pkg, packages[pkg], todo, args, model, preds, log, judge_on, Path(tmp.name),
                                 progress, task, modules)
            progress.advance(task, len(mine) - len(todo))
            if need_tsc:
                pd = [d for d in log.rows() if d.get("package") == pkg and d["id"] != f"tsc:{pkg}"
                      and d.get("rows") is not None and "stripped" in d]
                if pd:
                    progress.update(task, description=f"{pkg}: tsc")
                    errs = tsc_baseline(pkg, pd, console, modules)[pkg]
                    log.append({"id": f"tsc:{pkg}", "package": pkg, "errors": list(errs),
                                "tsc": {d["id"]: [r.get("tsc") for r in d["rows"]] for d in pd}})
    tmp.cleanup()
    ids = {f"{p}/{f.relative_to(r).as_posix()}" for p, f, r in work}
    all_rows = log.rows()
    docs = [d for d in all_rows if d["id"] in ids]
    errors: dict[str, tuple[int, ...]] = {}
    baselines = [d for d in all_rows if d["id"].startswith("tsc:") and d["package"] in packages]
    for b in baselines:  # the tsc baseline's types, written after each package
        errors[b["package"]] = tuple(b["errors"])
        for d in docs:
            for r, t in zip(d["rows"] or (), b["tsc"].get(d["id"], ()), strict=False):
                r["tsc"] = t
    args.no_tsc = not baselines
    cap = args.cap if args.cap is not None else (HELDOUT2_CAP if args.split in CAPPED + ("named",) else 0)
    if cap:
        docs = capped(docs, cap)
        console.print(f"scored: at most {cap} parameters and {cap} other targets per package (random.Random(0))")
    rows = [r for d in docs for r in d["rows"]]
    console.print(f"{len(rows)} annotated targets in {len(docs)} files of {len(packages)} {args.split} packages "
                  f"({time.perf_counter() - t0:.0f} s)")
    report(rows, console, with_tsc=not args.no_tsc)
    if any("judged" in r for r in rows):
        per_package(docs, console, with_tsc=not args.no_tsc)
    if errors:
        t = Table(title="tsc --noEmit errors (strict): stripped original vs. annotated with our answers "
                        "(judged when the judge ran; confidence ≥ 0.75), and as `--format annotate` writes "
                        "them (checked by tsc over the package, the default)")
        for c in ("package", "files", "stripped", "annotated", "Δ", "checked", "Δ"):
            t.add_column(c)
        for pkg, (a, b, c, n) in errors.items():
            t.add_row(pkg, str(n), str(a), str(b), f"{b - a:+d}", str(c), f"{c - a:+d}")
        ta, tb, tc = (sum(v[i] for v in errors.values()) for i in range(3))
        t.add_row("all", str(sum(v[3] for v in errors.values())), str(ta), str(tb), f"{tb - ta:+d}",
                  str(tc), f"{tc - ta:+d}")
        console.print(t)
    if args.llm:
        llm_sample(args, rows, docs, console)
    return 0


def evaluate_package(pkg: str, version: str, todo: list[tuple[Path, Path]], args: argparse.Namespace,
                     model: LearnedPredictor, preds: dict[str, list], log: ResultLog,  # type: ignore[type-arg]
                     judge_on: bool, tmp: Path, progress: Progress, task: Any,
                     modules: Path | None = None) -> None:
    """Rows for the files ``todo`` of one package, each appended to ``log`` as it is done.
    ``modules``: the package's installed dependencies, linked into the judge's project copy."""
    files = sources(fetch(pkg, version))
    # each file sees the classes and interfaces of its whole package, as `types infer FOLDER` does
    pkg_types = () if args.file_only else stripped_project_types(files)
    # …and what the package's other files pass to its functions (two passes, as `types infer FOLDER`)
    second = preds
    if not args.file_only:
        # union aliases (`type S = A | B`) are declarations, which stripping keeps
        aliases = {k: v for f in files for k, v in union_aliases(read_source(f)).items()}
        second = {"symbolic": [SymbolicPredictor(aliases=aliases)], "learned": [model]}
        for _ in range(CALL_SITE_ROUNDS):
            table = call_site_types(first_pass(files, second, pkg_types))
            second = {"symbolic": [SymbolicPredictor(call_sites=table, aliases=aliases)], "learned": [model]}
    checker, sroot = None, None
    if judge_on:  # the package's files, for the checker
        checker, sroot = _project_copy(pkg, todo[0][1], tmp, args.project_context == "stripped", modules)
    progress.update(task, description=f"{pkg}: judging")
    try:
        for f, root in todo:
            fid = f"{pkg}/{f.relative_to(root).as_posix()}"
            try:
                log.append(evaluate_file(pkg, f, root, second, pkg_types, checker, sroot,
                                         args.fill_predictor, args.fill_confidence))
            except Exception as exc:  # a bad file is a row, not a crash
                log.append({"id": fid, "package": pkg, "rows": [], "error": repr(exc)})
            progress.advance(task)
    finally:
        if checker is not None:
            checker.close()


def capped(docs: list[dict], cap: int) -> list[dict]:  # type: ignore[type-arg]
    """The documents with each package's rows cut by `typeinfer.corpus.cap_rows` (files in id order)."""
    docs = sorted(docs, key=lambda d: d["id"])
    refs: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for i, d in enumerate(docs):
        refs[d["package"]] += [(i, j) for j in range(len(d["rows"] or ()))]
    keep: set[tuple[int, int]] = set()
    for pkg_refs in refs.values():
        keep.update(cap_rows(pkg_refs, lambda ref: docs[ref[0]]["rows"][ref[1]]["label"] == "METHOD_PARAMETER_IN", cap))
    return [dict(d, rows=[r for j, r in enumerate(d["rows"] or ()) if (i, j) in keep]) for i, d in enumerate(docs)]


def report(rows: list[dict], console: Console, with_tsc: bool = True) -> None:  # type: ignore[type-arg]
    """Exact-match table by kind and by built-in vs user-defined, plus abstention."""
    groups: dict[str, list[dict]] = defaultdict(list)  # type: ignore[type-arg]
    for r in rows:
        groups[KINDS[r["label"]]].append(r)
        groups["built-in" if r["builtin"] else "user-defined"].append(r)
        groups["all"].append(r)
    systems = [s for s in SYSTEMS if (with_tsc or s != "tsc") and any(s in r for r in rows)]
    ours = "judged" if "judged" in systems else "symbolic+learned"
    t = Table(title=f"exact match after normalisation (abstain = miss); n = annotated targets; "
                    f"abstain/precision of {ours}")
    t.add_column("group")
    t.add_column("n", justify="right")
    for s in systems:
        t.add_column(s, justify="right")
    t.add_column("abstain (ours)", justify="right")
    t.add_column("precision (ours)", justify="right")
    for g in ("params", "returns", "variables", "fields", "built-in", "user-defined", "all"):
        rs = groups.get(g, [])
        if not rs:
            continue
        cells = []
        for s in systems:
            hit = sum(1 for r in rs if r.get(s) and normalize(r[s]) == normalize(r["gold"]))
            cells.append(f"{100 * hit / len(rs):.1f}%")
        answered = [r for r in rs if r.get(ours)]
        prec = sum(1 for r in answered if normalize(r[ours]) == normalize(r["gold"]))
        cells.append(f"{100 * (1 - len(answered) / len(rs)):.1f}%")
        cells.append(f"{100 * prec / max(1, len(answered)):.1f}%")
        t.add_row(g, str(len(rs)), *cells)
    console.print(t)


def _checker_available() -> bool:
    from typeinfer.checker import available

    return available()


def _project_copy(pkg: str, root: Path, tmp: Path, stripped: bool,
                  modules: Path | None = None) -> tuple[Any, Path]:
    """A checker over a copy of the package's sources (written under ``tmp``), and its root.

    ``stripped=False`` (the default protocol): the files as published, so that, while one
    file is judged (stripped, given to the checker as text), the rest of the project keeps its
    annotations, as in an editor; files whose content another file repeats are written stripped
    (their annotations would be the target's own). ``stripped=True``: every file stripped.
    ``modules``: the package's installed dependencies (`typeinfer.corpus.install_dependencies`),
    linked in as the copy's ``node_modules``.
    """
    from collections import Counter

    from typeinfer.annotate import strip_annotations
    from typeinfer.checker import Checker

    dest = tmp / pkg.replace("/", "__")
    files = sources(root)
    texts = {f: read_source(f) for f in files}
    repeated = Counter(texts.values())
    for f in files:
        p = dest / f.relative_to(root)
        p.parent.mkdir(parents=True, exist_ok=True)
        try:
            text = texts[f]
            if stripped or repeated[text] > 1:
                text = strip_annotations(text, str(f))
            p.write_text(text, encoding="utf-8")
        except Exception:  # noqa: BLE001 - a file that does not strip is left out
            continue
    if modules is not None:
        (dest / "node_modules").symlink_to(modules, target_is_directory=True)
    return Checker(dest, timeout=300, project=True), dest


def _hit(r: dict, s: str) -> bool:  # type: ignore[type-arg]
    return bool(r.get(s)) and normalize(r[s]) == normalize(r["gold"])


def per_package(docs: list[dict], console: Console, with_tsc: bool) -> None:  # type: ignore[type-arg]
    """Per package: parameters and all targets, exact and precision of the judged system, and tsc."""
    t = Table(title="per package (judged): exact = right / all targets; precision = right / answered; "
                    "compiler = the judged hints that are the compiler's own type (tsc alone, as shown)")
    for c in ("package", "params n", "exact", "precision", "compiler", "tsc exact", "all n", "exact",
              "precision", "compiler", "tsc exact"):
        t.add_column(c, justify="right")
    by: dict[str, list[dict]] = defaultdict(list)  # type: ignore[type-arg]
    for d in docs:
        by[d["package"]] += d["rows"]
    for pkg in [*sorted(by), "all"]:
        rows = [r for rs in by.values() for r in rs] if pkg == "all" else by[pkg]
        cells = [pkg]
        for rs in ([r for r in rows if r["label"] == "METHOD_PARAMETER_IN"], rows):
            ans = [r for r in rs if r.get("judged")]
            own = sum(_hit(r, "judged") for r in rs if r.get("judged_src") == "tsc")
            cells += [str(len(rs)), f"{100 * sum(_hit(r, 'judged') for r in rs) / max(1, len(rs)):.1f}%",
                      f"{100 * sum(_hit(r, 'judged') for r in ans) / max(1, len(ans)):.1f}%",
                      f"{100 * own / max(1, len(rs)):.1f}%",
                      f"{100 * sum(_hit(r, 'tsc') for r in rs) / max(1, len(rs)):.1f}%" if with_tsc else "-"]
        t.add_row(*cells)
    console.print(t)


def llm_sample(args: argparse.Namespace, rows: list[dict], docs: list[dict], console: Console) -> None:  # type: ignore[type-arg]
    """Score the LLM predictor alone on a random sample of parameters (it is slow on CPU)."""
    from typeinfer.cpg import build_cpg
    from typeinfer.predict.llm import LLMPredictor
    from typeinfer.slices import slice_program

    llm = LLMPredictor.from_spec(args.llm)
    rng = random.Random(1)
    by_file = [(d, r) for d in docs for r in d["rows"] if r["label"] == "METHOD_PARAMETER_IN"]
    sample = rng.sample(by_file, min(args.llm_sample, len(by_file)))
    hits = answered = 0
    t0 = time.perf_counter()
    for d, r in sample:
        program = slice_program(build_cpg(d["stripped"], d["id"].rsplit("/", 1)[-1]))
        got = llm.bind(d["stripped"]).predict_keys(program, {r["key"]})
        cands = got.get(r["key"], ())
        if cands:
            answered += 1
            hits += normalize(cands[0].type) == normalize(r["gold"])
    n = len(sample)
    base = sum(1 for _, r in sample if r.get("symbolic+learned") and
               normalize(r["symbolic+learned"]) == normalize(r["gold"]))
    t = Table(title=f"LLM predictor ({args.llm}) on {n} sampled parameters")
    for c in ("system", "exact match", "answered", "s/target"):
        t.add_column(c)
    t.add_row(args.llm, f"{100 * hits / max(1, n):.1f}%", f"{answered}/{n}",
              f"{(time.perf_counter() - t0) / max(1, n):.1f}")
    t.add_row("symbolic+learned (same sample)", f"{100 * base / max(1, n):.1f}%", "", "")
    console.print(t)


if __name__ == "__main__":
    sys.exit(main())
