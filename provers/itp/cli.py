"""`workbench prove`: command-line front end of `provers.itp` (ReProver on Coq)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

app = typer.Typer(no_args_is_help=True)


@app.callback()
def _group() -> None:
    """Prove Coq theorems by best-first search over tactics, with premise retrieval."""


@app.command()
def theorem(
    file: Path = typer.Argument(..., help="A Coq source file (.v)."),
    name: str = typer.Argument(..., help="The theorem's name in that file."),
    generator: str = typer.Option("fixed", help="fixed | retrieval | knn | hammer | oneliner | llm:<model spec>"),
    index: str | None = typer.Option(None, help="A premise index (workbench prove index) for retrieval."),
    seconds: float = typer.Option(60.0, min=0.1, help="Per-theorem time budget."),
    expansions: int = typer.Option(50, min=1, help="Per-theorem expansion budget."),
    tactic_timeout: float = typer.Option(5.0, min=0.1, help="Seconds per tactic."),
    hammer: bool = typer.Option(None, help="Use CoqHammer's tactics (default: when libcoq-hammer is installed)."),
    show: bool = typer.Option(True, help="Print every tactic tried."),
) -> None:
    """Prove one theorem of a Coq file; print the search and the re-checked proof script."""
    from provers.itp.batch import check_generator, env_limits, make_generator, uses_hammer
    from provers.itp.corpus.coq import theorem_from_file
    from provers.itp.env.coq import CoqEnv
    from provers.itp.search import Budget, best_first

    console = Console()
    index = check_generator(generator, index)
    thm = theorem_from_file(str(file), name)
    use_hammer = uses_hammer(generator, hammer)
    gen = make_generator(generator, None, index, hammer=use_hammer)
    console.print(f"[bold]{thm.where}[/]\n{thm.statement}")
    with CoqEnv(hammer=use_hammer, **env_limits(generator, tactic_timeout, seconds)) as env:
        res = best_first(env, thm, gen, Budget(seconds, expansions), on_step=step_printer(console) if show else None)
    print_result(console, res)
    raise typer.Exit(0 if res.proved else 1)


@app.command()
def batch(
    theorems: Path = typer.Argument(..., help="THEOREMS.jsonl: one work item per line."),
    out: Path = typer.Option(Path("prove-results.jsonl"), help="Result log (JSONL, one row per theorem)."),
    workers: int = typer.Option(2, min=1, help="Theorems in flight at once."),
    address: str = typer.Option(None, help="Run on Ray: 'local' (a private instance on 127.0.0.1), or join a cluster: auto, HOST:6379, ray://HOST:10001. Default: local processes."),
    resume: bool = typer.Option(False, help="Keep finished rows in OUT and skip them."),
    generator: str = typer.Option("fixed", help="fixed | retrieval | knn | hammer | oneliner | llm:<model spec>"),
    index: str | None = typer.Option(None, help="Premise index for retrieval / llm generators."),
    seconds: float = typer.Option(60.0, min=0.1, help="Per-theorem time budget."),
    expansions: int = typer.Option(50, min=1, help="Per-theorem expansion budget."),
    tactic_timeout: float = typer.Option(5.0, min=0.1, help="Seconds per tactic."),
    hammer: bool = typer.Option(None, help="Use CoqHammer's tactics (default: when libcoq-hammer is installed)."),
) -> None:
    """Prove every theorem of a JSONL file; results are appended as they finish."""
    from provers.itp.batch import PROVE_FUNCTION, check_generator
    from provers.itp.errors import ItpError
    from workbench.data import check_writable
    from workbench.jobs import load_items, print_summary, run_jobs
    from workbench.results import ResultLog

    console = Console()
    index = check_generator(generator, index)
    check_writable(out, ItpError)
    items = load_items(theorems)
    if not items:
        raise ItpError("no theorems in this file (one JSON object per line)", where=str(theorems))
    log = ResultLog(out)
    opts = {"generator": generator, "seconds": seconds, "expansions": expansions, "tactic_timeout": tactic_timeout, "index": index,
            "hammer": hammer}
    run_jobs(items, PROVE_FUNCTION, log, workers=workers, address=address, resume=resume, options=opts, console=console)
    print_summary(log, [str(i["id"]) for i in items], console)


@app.command()
def extract(
    out: Path = typer.Option(Path("coq-corpus.jsonl"), help="Where to write the corpus (JSONL)."),
    root: Path = typer.Option(None, help="Coq theories folder (default: coqc -where)/theories."),
) -> None:
    """Extract theorems, premises and imports from the Coq standard library sources."""
    from provers.itp.corpus.coq import extract_stdlib
    from provers.itp.errors import ItpError

    if root is not None and not root.is_dir():
        raise ItpError("not a folder of Coq theories", where=str(root))
    corpus = extract_stdlib(root)
    if not corpus.files:
        raise ItpError("no Coq sources (.v files) in this folder", where=str(root))
    corpus.save(out)
    Console().print(f"{corpus}  → {out}")


@app.command("file")
def file_(
    path: Path = typer.Argument(..., help="A Coq source file (.v) with Admitted proofs or admit tactics."),
    out: Path = typer.Option(None, help="Where to write the completed file (default: PATH itself, the original kept as PATH.orig)."),
    generator: str = typer.Option("fixed", help="fixed | retrieval | knn | hammer | oneliner | llm:<model spec>"),
    index: str | None = typer.Option(None, help="A premise index (workbench prove index) for retrieval / knn."),
    seconds: float = typer.Option(60.0, min=0.1, help="Per-lemma time budget."),
    expansions: int = typer.Option(50, min=1, help="Per-lemma expansion budget."),
    tactic_timeout: float = typer.Option(5.0, min=0.1, help="Seconds per tactic."),
    hammer: bool = typer.Option(None, help="Use CoqHammer's tactics (default: when libcoq-hammer is installed)."),
) -> None:
    """Prove every `Admitted` / `admit` lemma of a Coq file; write back the proofs coqc accepts."""
    from provers.itp.batch import check_generator, make_generator, uses_hammer
    from provers.itp.errors import ItpError
    from provers.itp.fill import fill_file
    from provers.itp.search import Budget

    console = Console()
    if not path.is_file():
        raise ItpError("no such file", where=str(path))
    index = check_generator(generator, index)
    use_hammer = uses_hammer(generator, hammer)
    gen = make_generator(generator, None, index, hammer=use_hammer)

    def show(res) -> None:  # type: ignore[no-untyped-def]
        color = "green" if res.proved else "red"
        assumes = f"  [yellow](assumes {', '.join(res.assumptions)})[/]" if res.assumptions else ""
        console.print(f"[{color}]{res.status:>7}[/] {res.name}  [dim]{res.seconds:.1f} s[/]" + (f"  {'. '.join(res.proof)}." if res.proved else "") + assumes)

    report = fill_file(path, gen, Budget(seconds, expansions), tactic_timeout, use_hammer, on_result=show)
    if not report.results:
        console.print("no Admitted proofs or admit tactics in this file")
        raise typer.Exit(0)
    target = out or path
    if report.written:
        if target == path:
            path.with_name(path.name + ".orig").write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
        target.write_text(report.text, encoding="utf-8")
    proved = sum(r.proved for r in report.results)
    if report.circular:
        console.print(f"[yellow]not written (the proof cites the lemma itself or a later one, through a compiled copy of this file): "
                      f"{', '.join(report.circular)}[/]")
    console.print(f"{len(report.written)} of {len(report.results)} proofs written to {target} "
                  f"({proved} found; the file {'compiles' if report.compiles else 'does NOT compile: ' + report.message})")
    raise typer.Exit(0 if report.compiles else 1)


@app.command()
def trace(
    out: Path = typer.Option(None, help="Trace corpus (JSONL; default: the cache, where `--generator knn` looks)."),
    dirs: str = typer.Option("core", help="'core' or a comma list of theories/ folders."),
    split: str = typer.Option("all", help="all | train | dev | test: trace only the files of that split."),
    timeout: float = typer.Option(120.0, min=1, help="Seconds per sentence."),
) -> None:
    """Replay the library's proofs through coqtop, recording (goal state, tactic) for every step.

    Resumable: finished files are skipped; train files first, then test, then dev.
    """
    from provers.itp.corpus.base import file_split
    from provers.itp.corpus.coq import CORE_DIRS, extract_stdlib
    from provers.itp.errors import ItpError
    from provers.itp.trace import default_trace_path, read_trace, trace_files

    console = Console()
    if split not in ("all", "train", "dev", "test"):
        raise ItpError(f"unknown split {split!r}: all, train, dev or test", where="--split")
    corpus = extract_stdlib()
    chosen = CORE_DIRS if dirs == "core" else tuple(d.strip() for d in dirs.split(","))
    files = sorted(
        (f for f in corpus.files.values() if f.name.startswith(tuple(f"Coq.{d}." for d in chosen)) and not f.name.startswith("Coq.Init.")),
        key=lambda f: (("train", "test", "dev").index(file_split(f.name)), f.name),
    )
    files = [f for f in files if split == "all" or file_split(f.name) == split]
    if not files:
        raise ItpError(f"no Coq files under {dirs!r}", where="--dirs")
    out = out or default_trace_path()
    out.parent.mkdir(parents=True, exist_ok=True)
    _, done = read_trace(out)
    todo = [f for f in files if f.name not in done]
    console.print(f"{len(files)} files, {len(files) - len(todo)} already traced → {out}")
    from rich.progress import Progress

    with Progress(console=console) as progress:
        task = progress.add_task("tracing", total=len(todo))

        def on_file(name: str, steps: int, stopped: str) -> None:
            progress.advance(task)
            progress.console.print(f"{name}: {steps} steps" + (f"  [yellow]stopped: {stopped[:100]}[/]" if stopped else ""))

        trace_files(((f.name, f.path) for f in todo), out, timeout, on_file)
    steps, done = read_trace(out)
    console.print(f"{len(steps)} steps from {len(done)} files in {out}")


@app.command()
def index(
    out: Path = typer.Option(None, help="Index file (default: the cache, where `--generator retrieval` looks)."),
    encoder: str = typer.Option("onnx-minilm", help="onnx-minilm | torch-minilm | hf:<model path>"),
    dirs: str = typer.Option("core", help="'core' (Init, Logic, Lists, Arith, ...), 'all', or a comma list of theories/ folders."),
    ranker: Path = typer.Option(None, help="A learned premise ranker (default: ranker-v<version>.npz in the cache, when it exists; "
                                            "benchmarks/itp_retriever.py trains it)."),
    reuse: bool = typer.Option(False, "--reuse", help="Keep the existing index's premise embeddings; only put the ranker in it."),
) -> None:
    """Encode the premises of the Coq standard library into a retrieval index."""
    import time

    from provers.itp.corpus.coq import CORE_DIRS, extract_stdlib
    from provers.itp.errors import ItpError
    from provers.itp.ranker import Ranker
    from provers.itp.retriever import (
        Retriever,
        default_index_path,
        default_ranker_path,
        load_encoder,
    )

    if ranker is None and default_ranker_path().exists():
        ranker = default_ranker_path()
    learned = Ranker.load(ranker) if ranker is not None else None
    if learned is not None and learned.encoder and learned.encoder != encoder:
        raise ItpError(f"this ranker was trained for the encoder {learned.encoder!r}, not {encoder!r}", where=str(ranker))

    console = Console()
    if reuse:
        out = out or default_index_path()
        if not out.exists():
            raise ItpError("no index to reuse (run workbench prove index first)", where=str(out))
        r = Retriever.load(out, ranker=False).with_ranker(learned)
        r.save(out)
        console.print(f"{len(r.premises)} premises kept → {out}" + (f" (learned ranker: {learned.note})" if learned is not None else " (no ranker)"))
        return
    corpus = extract_stdlib()
    if dirs != "all":
        chosen = CORE_DIRS if dirs == "core" else [d.strip() for d in dirs.split(",")]
        unknown = [d for d in chosen if not any(f.startswith(f"Coq.{d}.") for f in corpus.files)]
        if unknown:
            known = sorted({f.split(".")[1] for f in corpus.files if f.count(".") > 1})
            raise ItpError(f"no theories folder {', '.join(map(repr, unknown))}; known: {', '.join(known)}", where="--dirs")
        corpus = corpus.restrict(chosen)
    out = out or default_index_path()
    out.parent.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    with console.status(f"encoding {len(corpus.premises)} premises with {encoder}"):
        r = Retriever.build(corpus, load_encoder(encoder)).with_ranker(learned)
    r.save(out)
    dt = time.perf_counter() - t0
    console.print(f"{len(r.premises)} premises, dim {r.embeddings.shape[1]}, {len(r.premises) / dt:.1f} premises/s → {out}"
                  + (f" (learned ranker: {learned.note})" if learned is not None else ""))


def step_printer(console: Console, failures: bool = True):  # type: ignore[no-untyped-def]
    """An ``on_step`` callback for `best_first` that prints each new goal state (and, with
    ``failures``, each rejected tactic); shared by `prove theorem --show` and the REPL."""
    from provers.itp.env.base import ProofFinished, ProofState, TacticError, TacticTimeout

    seen: set[str] = set()

    def show(state, cand, out) -> None:  # type: ignore[no-untyped-def]
        pad = "  " * len(state.tactics)
        seen.add(state.key)
        if isinstance(out, ProofFinished):
            console.print(f"{pad}[green]✓ {cand.tactic}[/]  [dim]no more goals[/]")
        elif isinstance(out, ProofState):
            if out.key in seen:
                if failures:
                    console.print(f"{pad}[dim]= {cand.tactic}  (a state already seen: merged)[/]")
                return
            seen.add(out.key)
            first = out.goals.split("\ngoal 2 is:")[0].splitlines()
            more = out.goals.count("\ngoal ") and f"  (+{out.goals.count(chr(10) + 'goal ')} more)"
            console.print(f"{pad}[cyan]→ {cand.tactic}[/]  [dim]⊢ {(first[-1] if first else '')[:70]}{more or ''}[/]")
        elif failures and isinstance(out, TacticTimeout):
            console.print(f"{pad}[yellow]⏱ {cand.tactic}[/]")
        elif failures and isinstance(out, TacticError):
            console.print(f"{pad}[dim red]✗ {cand.tactic}: {out.message[:60]}[/]")

    return show


def print_result(console: Console, res) -> None:  # type: ignore[no-untyped-def]
    """The search outcome: status, cost, and the proof script when one was found (CLI and REPL)."""
    color = "green" if res.proved else "red"
    console.print(f"[{color}]{res.status}[/] in {res.seconds:.1f} s, {res.expansions} expansions, {res.tactic_calls} tactics")
    if res.proved:
        console.print("[bold]re-checked with coqc:[/]" + (f" [yellow]assuming {', '.join(res.assumptions)}[/]" if res.assumptions else ""))
        console.print("Proof.\n" + "".join(f"  {t}.\n" for t in res.proof) + "Qed.")
    elif res.message:
        console.print(f"[dim]{res.message}[/]")


DEMO_THEOREMS = (
    ("orb_comm'", "Lemma orb_comm' : forall a b : bool, orb a b = orb b a.", ""),
    ("app_nil_r'", "Lemma app_nil_r' : forall (A : Type) (l : list A), l ++ nil = l.", "Require Import List."),
    ("and_swap", "Lemma and_swap : forall A B : Prop, A /\\ B -> B /\\ A.", ""),
)


def demo(console: Console) -> None:
    """Prove small stdlib-style lemmas with the fixed tactics, showing the search tree; then,
    when the premise index exists, what the retriever proposes for a stdlib theorem."""
    import shutil

    from provers.itp.env.base import Theorem
    from provers.itp.env.coq import CoqEnv
    from provers.itp.generator import FixedTactics
    from provers.itp.search import Budget, best_first

    if shutil.which("coqtop") is None:
        console.print("[yellow]coqtop not found: install Coq 8.16 (apt-get install coq) to see this demo[/]")
        return
    console.print("Best-first search over tactics in a live coqtop; [cyan]→[/] new goal, [green]✓[/] proof found "
                  "(tactics that fail or change nothing are not shown); every proof is re-checked by coqc.")
    with CoqEnv(tactic_timeout=3) as env:
        for name, stmt, prelude in DEMO_THEOREMS:
            thm = Theorem(name, stmt, prelude=prelude)
            console.print(f"\n[bold]{stmt}[/]")
            res = best_first(env, thm, FixedTactics(), Budget(20, 30), on_step=step_printer(console, failures=False))
            print_result(console, res)
    _demo_retrieval(console)


def _demo_retrieval(console: Console) -> None:
    from provers.itp.retriever import Retriever, default_index_path

    path = default_index_path()
    if not path.exists():
        console.print("\n[dim]premise retrieval: run `workbench prove index` once to see it here[/]")
        return
    from provers.itp.corpus.coq import coq_theories, theorem_from_file

    thm = theorem_from_file(str(coq_theories() / "Lists" / "List.v"), "app_nil_end")
    hits = Retriever.load(path).retrieve_for(thm, thm.statement, k=3)
    console.print(f"\n[bold]retrieval[/] for {thm.statement}  [dim](accessible premises only)[/]")
    for h in hits:
        console.print(f"  {h.score:.3f}  {h.premise.statement[:90]}")
