"""`workbench logic`: decide entailments, check formulas, evaluate on FOLIO and LINC outputs."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

app = typer.Typer(no_args_is_help=True)

_DEFAULT_FOLIO = "logic/folio/folio-validation.jsonl"


@app.callback()
def _group() -> None:
    """First-order logic: parse, check and prove (Z3, Prover9, E); evaluate as LINC does."""


def _read_problem(premises: list[str], conclusion: str | None, file: Path | None) -> tuple[list[str], str]:
    from provers.fol.syntax import FolError

    lines = list(premises)
    if file is not None:
        if not file.exists():
            raise FolError("file not found", where=str(file))
        lines += [ln.strip() for ln in file.read_text(encoding="utf-8").splitlines()
                  if ln.strip() and not ln.strip().startswith("#")]
    if conclusion is None:
        if not lines:
            raise FolError("no conclusion given (use --conclusion or a file whose last line is it)")
        conclusion = lines.pop()
    return lines, conclusion


@app.command()
def prove(
    premises: list[str] = typer.Argument(None, help="Premises, one formula per argument."),
    conclusion: str = typer.Option(None, "--conclusion", "-c", help="The conclusion (default: the last formula)."),
    file: Path = typer.Option(None, "--file", "-f", help="A file of formulas, one per line; the last is the conclusion."),
    syntax: str = typer.Option("auto", help="nltk, folio, tptp or auto."),
    backend: list[str] = typer.Option(["z3", "prover9", "eprover"], "--backend", "-b", help="Backends to run."),
    policy: str = typer.Option("strict", help="Signature policy: strict (conflicts are an error) or repair."),
    timeout: float = typer.Option(10.0, help="Seconds per backend call."),
) -> None:
    """Decide premises ⊨ conclusion: True, False, Uncertain or Error, with proof or countermodel."""
    from rich.panel import Panel
    from rich.text import Text

    from provers.fol.parse import FolParseError, parse
    from provers.fol.portfolio import Portfolio
    from provers.fol.signature import check, repair
    from provers.fol.syntax import FolError

    console = Console()
    try:
        texts, goal = _read_problem(premises or [], conclusion, file)
        formulas = []
        for i, text in enumerate([*texts, goal]):
            try:
                formulas.append(parse(text, syntax))  # type: ignore[arg-type]
            except FolParseError as exc:
                which = "conclusion" if i == len(texts) else f"premise {i + 1}"
                console.print(Text.assemble(("Error", "red"), f": {which}: {exc}\n{exc.context()}"))
                raise typer.Exit(1) from None
        if policy == "repair":
            formulas, notes = repair(formulas)
            for n in notes:
                console.print(f"[yellow]repair[/]: {n}")
        else:
            check(formulas)
        verdict = Portfolio(backend).decide(formulas[:-1], formulas[-1], timeout)
    except FolError as exc:
        console.print(Text.assemble(("Error", "red"), f": {exc}"))
        raise typer.Exit(1) from None
    colour = {"True": "green", "False": "red", "Uncertain": "yellow"}.get(verdict.label.value, "magenta")
    console.print(f"[bold {colour}]{verdict.label.value}[/]"
                  + ("  [yellow](backends disagree)[/]" if verdict.disagreement else ""))
    for v in verdict.verdicts:
        head = f"{v.backend}: {v.label.value} in {v.seconds:.3f} s" + (f" ({v.reason}: {v.detail})" if v.reason else "")
        body = v.evidence.text if v.evidence and v.evidence.kind != "error" else ""
        console.print(Panel(Text(body[:3000] or "-"), title=Text(head), expand=False), highlight=False)
    raise typer.Exit(0 if verdict.label.value != "Error" else 2)


@app.command("check")
def check_cmd(
    formulas: list[str] = typer.Argument(None, help="Formulas to check."),
    file: Path = typer.Option(None, "--file", "-f", help="A file of formulas, one per line."),
    syntax: str = typer.Option("auto", help="nltk, folio, tptp or auto."),
) -> None:
    """Parse formulas, print them in all three syntaxes, and report signature conflicts."""
    from rich.table import Table
    from rich.text import Text

    from provers.fol.parse import FolParseError, detect_syntax, parse
    from provers.fol.printers import to_folio, to_nltk, to_tptp
    from provers.fol.signature import conflicts, repair

    console = Console()
    texts = list(formulas or [])
    if file is not None:
        texts += [ln.strip() for ln in file.read_text(encoding="utf-8").splitlines() if ln.strip()]
    if not texts:
        console.print("[red]Error[/]: no formulas given")
        raise typer.Exit(1)
    table = Table("#", "read as", "FOLIO", "NLTK", "TPTP")
    parsed, failed = [], 0
    for i, text in enumerate(texts, 1):
        chosen = detect_syntax(text) if syntax == "auto" else syntax
        try:
            f = parse(text, chosen)  # type: ignore[arg-type]
        except FolParseError as exc:
            failed += 1
            console.print(Text.assemble((f"formula {i}", "red"), f": {exc}\n{exc.context()}"))
            continue
        parsed.append(f)
        table.add_row(str(i), chosen, *(Text(p(f)) for p in (to_folio, to_nltk, to_tptp)))
    console.print(table)
    found = conflicts(parsed)
    for c in found:
        console.print(Text.assemble(("signature conflict", "yellow"), f": {c}"))
    for n in repair(parsed)[1]:
        console.print(Text(f"  repair would do: {n}"))
    if not found and not failed:
        console.print("[green]all formulas parse; the signature is consistent[/]")
    raise typer.Exit(1 if failed or found else 0)


@app.command("eval")
def eval_cmd(
    source: str = typer.Argument(_DEFAULT_FOLIO, help="FOLIO jsonl (gold FOL), or a LINC *_generations_raw.json / prefix; relative paths are tried under the shared data folder."),
    mode: str = typer.Option("auto", help="gold, linc (LINC-faithful Prover9) or robust (repair + portfolio); auto: gold for .jsonl, linc otherwise."),
    backend: list[str] = typer.Option(None, "--backend", "-b", help="Backends (gold default: z3; robust default: prover9 z3 eprover)."),
    out: Path = typer.Option(None, help="Result rows (JSONL); default runs/logic/<name>_<mode>.jsonl."),
    resume: bool = typer.Option(False, help="Skip problems already in --out."),
    limit: int = typer.Option(None, help="Only the first N problems."),
    timeout: float = typer.Option(10.0, help="Seconds per prover call."),
    jobs: int = typer.Option(2, help="Problems decided in parallel."),
    policy: str = typer.Option("strict", help="Gold mode: strict or repair signature policy."),
) -> None:
    """Evaluate: one JSONL row per problem as it finishes, then a summary table."""
    import json

    from rich.progress import Progress

    from provers.fol import eval as ev
    from provers.fol.portfolio import Portfolio
    from provers.fol.syntax import FolError
    from workbench.data import shared_data_dir
    from workbench.results import ResultLog

    console = Console()
    path = Path(source)
    if not path.exists() and not Path(source + "_generations_raw.json").exists():
        root = shared_data_dir()
        if root is not None:
            path = root / source
    chosen = mode if mode != "auto" else ("gold" if path.suffix == ".jsonl" else "linc")
    name = path.name.replace("_generations_raw.json", "").replace(".jsonl", "")
    out = out or Path("runs") / "logic" / f"{name}_{chosen}.jsonl"
    log = ResultLog(out)
    try:
        if chosen == "gold":
            items: list = ev.gold_items(path, limit=limit)
            pf = Portfolio(backend or ["z3"])
            work = lambda p: ev.gold_row(p, pf, timeout, policy)  # noqa: E731
        elif chosen in ("linc", "robust"):
            items = ev.sampled_items(path, limit=limit)
            from provers.fol.backends.prover9 import find_prover9

            binary = find_prover9()
            if chosen == "linc":
                work = lambda p: ev.sampled_row(p, "linc", None, binary, timeout)  # noqa: E731
            else:
                pf = Portfolio(backend or ["prover9", "z3", "eprover"])
                work = lambda p: ev.sampled_row(p, "robust", pf, binary, timeout)  # noqa: E731
        else:
            raise FolError(f"unknown mode {mode!r}; choose gold, linc or robust")
    except (FolError, OSError) as exc:
        console.print(f"[red]Error[/]: {exc}", highlight=False)
        raise typer.Exit(1) from None
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task(f"{chosen}: {name}", total=len(items))
        rows = ev.run(items, work, log, resume=resume, jobs=jobs, progress=lambda k: bar.advance(task, k))
    summary = ev.summarise(rows)
    console.print(ev.summary_table(summary, f"{name} ({chosen})"))
    out.with_suffix(".summary.json").write_text(json.dumps(summary, indent=2))
    console.print(f"rows: {out}   summary: {out.with_suffix('.summary.json')}")


def demo(console: Console) -> None:
    """A small entailment through every backend, then gold FOLIO rows with Z3 and LINC replays."""
    from rich.table import Table
    from rich.text import Text

    from provers.fol import eval as ev
    from provers.fol.parse import parse
    from provers.fol.portfolio import Portfolio
    from workbench.data import shared_data_dir

    premises = ["all x.(Student(x) -> Human(x))", "all x.(Human(x) -> -Plant(x))", "Student(Rose)"]
    pf = Portfolio(["z3", "prover9", "eprover"])
    table = Table(title="premises: " + "; ".join(premises), show_header=True)
    for col in ("conclusion", "label", "z3", "prover9", "eprover"):
        table.add_column(col)
    for goal in ("Human(Rose)", "Plant(Rose)", "Student(Jerry)"):
        v = pf.decide([parse(p) for p in premises], parse(goal), 10)
        table.add_row(goal, v.label.value, *(f"{x.label.value} {x.seconds * 1000:.0f} ms" for x in v.verdicts))
    console.print(table)
    root = shared_data_dir()
    if root is None:
        console.print("[dim]shared data not found: skipping FOLIO and LINC replays[/]")
        return
    gold = ev.gold_items(root / _DEFAULT_FOLIO)
    z3 = Portfolio(["z3"])
    rows = [ev.gold_row(p, z3, 10.0) for p in gold[:12]]
    console.print(ev.summary_table(ev.summarise(rows), "FOLIO validation gold FOL, first 12 rows, Z3"))
    bad = next(r for r in rows if r.get("reason") == "parse")
    console.print(Text(f"a malformed gold row ({bad['id']}): {bad['detail']}\n{bad['error']['context']}"))
    from provers.fol.backends.prover9 import find_prover9

    linc = ev.sampled_items(root / "logic/linc_outputs/gpt-3.5-turbo-16k-0613_folio-neurosymbolic-8shot", limit=6)
    binary = find_prover9()
    rows = [ev.sampled_row(p, "linc", None, binary, 10.0) for p in linc]
    console.print(ev.summary_table(ev.summarise(rows), "LINC GPT-3.5 FOLIO generations, first 6 problems, replayed"))
