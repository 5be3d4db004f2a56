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
    generator: str = typer.Option("fixed", help="fixed | retrieval | llm:<model spec>"),
    index: str = typer.Option(None, help="A premise index (workbench prove index) for retrieval."),
    seconds: float = typer.Option(60.0, help="Per-theorem time budget."),
    expansions: int = typer.Option(50, help="Per-theorem expansion budget."),
    tactic_timeout: float = typer.Option(5.0, help="Seconds per tactic."),
    show: bool = typer.Option(True, help="Print every tactic tried."),
) -> None:
    """Prove one theorem of a Coq file; print the search and the re-checked proof script."""
    from provers.itp.batch import make_generator
    from provers.itp.corpus.coq import theorem_from_file
    from provers.itp.env.coq import CoqEnv
    from provers.itp.search import Budget, best_first

    console = Console()
    thm = theorem_from_file(str(file), name)
    gen = make_generator(generator, None, index)
    console.print(f"[bold]{thm.where}[/]\n{thm.statement}")
    with CoqEnv(tactic_timeout=tactic_timeout) as env:
        res = best_first(env, thm, gen, Budget(seconds, expansions), on_step=_printer(console) if show else None)
    _report(console, res)
    raise typer.Exit(0 if res.proved else 1)


@app.command()
def batch(
    theorems: Path = typer.Argument(..., help="THEOREMS.jsonl: one work item per line."),
    out: Path = typer.Option(Path("prove-results.jsonl"), help="Result log (JSONL, one row per theorem)."),
    workers: int = typer.Option(2, help="Theorems in flight at once."),
    address: str = typer.Option(None, help="Ray cluster address; default: a local Ray instance."),
    resume: bool = typer.Option(False, help="Keep finished rows in OUT and skip them."),
    generator: str = typer.Option("fixed", help="fixed | retrieval | llm:<model spec>"),
    index: str = typer.Option(None, help="Premise index for retrieval / llm generators."),
    seconds: float = typer.Option(60.0, help="Per-theorem time budget."),
    expansions: int = typer.Option(50, help="Per-theorem expansion budget."),
    tactic_timeout: float = typer.Option(5.0, help="Seconds per tactic."),
) -> None:
    """Prove every theorem of a JSONL file on Ray; results are appended as they finish."""
    from provers.itp.batch import PROVE_FUNCTION
    from workbench.jobs import load_items, print_summary, run_jobs
    from workbench.results import ResultLog

    console = Console()
    items = load_items(theorems)
    log = ResultLog(out)
    opts = {"generator": generator, "seconds": seconds, "expansions": expansions, "tactic_timeout": tactic_timeout, "index": index}
    run_jobs(items, PROVE_FUNCTION, log, workers=workers, address=address, resume=resume, options=opts, console=console)
    print_summary(log, [str(i["id"]) for i in items], console)


@app.command()
def extract(
    out: Path = typer.Option(Path("coq-corpus.jsonl"), help="Where to write the corpus (JSONL)."),
    root: Path = typer.Option(None, help="Coq theories folder (default: coqc -where)/theories."),
) -> None:
    """Extract theorems, premises and imports from the Coq standard library sources."""
    from provers.itp.corpus.coq import extract_stdlib

    corpus = extract_stdlib(root)
    corpus.save(out)
    Console().print(f"{corpus}  → {out}")


@app.command()
def index(
    out: Path = typer.Option(Path("coq-premises.npz"), help="Index file to write."),
    encoder: str = typer.Option("onnx-minilm", help="onnx-minilm | st-minilm | hf:<model path>"),
    limit: int = typer.Option(0, help="Index only the first N premises (0: all)."),
) -> None:
    """Encode every premise of the Coq standard library into a retrieval index."""
    from provers.itp.corpus.coq import extract_stdlib
    from provers.itp.retriever import Retriever, load_encoder

    console = Console()
    corpus = extract_stdlib()
    with console.status("encoding premises"):
        r = Retriever.build(corpus, load_encoder(encoder), limit=limit or None)
    r.save(out)
    console.print(f"{len(r.premises)} premises, dim {r.embeddings.shape[1]} → {out}")


def _printer(console: Console):  # type: ignore[no-untyped-def]
    from provers.itp.env.base import ProofFinished, ProofState, TacticError, TacticTimeout

    def show(state, cand, out) -> None:  # type: ignore[no-untyped-def]
        depth = len(state.tactics)
        pad = "  " * depth
        if isinstance(out, ProofFinished):
            console.print(f"{pad}[green]✓ {cand.tactic}[/]  [dim]no more goals[/]")
        elif isinstance(out, ProofState):
            first = out.goals.splitlines()[-1] if out.goals else ""
            console.print(f"{pad}[cyan]→ {cand.tactic}[/]  [dim]{first[:70]}[/]")
        elif isinstance(out, TacticTimeout):
            console.print(f"{pad}[yellow]⏱ {cand.tactic}[/]")
        elif isinstance(out, TacticError):
            console.print(f"{pad}[dim red]✗ {cand.tactic}: {out.message[:60]}[/]")

    return show


def _report(console: Console, res) -> None:  # type: ignore[no-untyped-def]
    color = "green" if res.proved else "red"
    console.print(f"[{color}]{res.status}[/] in {res.seconds:.1f} s, {res.expansions} expansions, {res.tactic_calls} tactics")
    if res.proved:
        console.print("[bold]re-checked with coqc:[/]")
        console.print("Proof.\n" + "".join(f"  {t}.\n" for t in res.proof) + "Qed.")
    elif res.message:
        console.print(f"[dim]{res.message}[/]")


DEMO_THEOREMS = (
    ("app_nil_r'", "Lemma app_nil_r' : forall (A : Type) (l : list A), l ++ nil = l.", "Require Import List.\nImport ListNotations."),
    ("and_swap", "Lemma and_swap : forall A B : Prop, A /\\ B -> B /\\ A.", ""),
    ("add_0_r'", "Lemma add_0_r' : forall n : nat, n + 0 = n.", ""),
)


def demo(console: Console) -> None:
    """Prove three small stdlib-style lemmas with the fixed tactics, showing the search."""
    import shutil

    from provers.itp.env.base import Theorem
    from provers.itp.env.coq import CoqEnv
    from provers.itp.generator import FixedTactics
    from provers.itp.search import Budget, best_first

    if shutil.which("coqtop") is None:
        console.print("[yellow]coqtop not found: install Coq 8.16 (apt-get install coq) to see this demo[/]")
        return
    with CoqEnv(tactic_timeout=3) as env:
        for name, stmt, prelude in DEMO_THEOREMS:
            thm = Theorem(name, stmt, prelude=prelude)
            console.print(f"\n[bold]{stmt}[/]")
            res = best_first(env, thm, FixedTactics(), Budget(20, 20), on_step=_printer(console))
            _report(console, res)
