"""`workbench logic`: decide entailments, check formulas, evaluate on FOLIO and LINC outputs."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from workbench.errors import fail

app = typer.Typer(no_args_is_help=True)

_DEFAULT_FOLIO = "logic/folio/folio-validation.jsonl"


@app.callback()
def _group() -> None:
    """First-order logic: parse, check and prove (Z3, Prover9, E); evaluate as LINC does."""


def _check_policy(policy: str) -> None:
    """Reject a --policy other than strict or repair (before any work, naming the choices)."""
    from provers.fol.syntax import FolError

    if policy not in ("strict", "repair"):
        raise FolError(f"unknown policy {policy!r}; choose strict or repair", where="--policy")


def _parse_message(exc: Exception) -> str:
    """A parse error with its caret line; a formula past a limit is one line (the limit named)."""
    from provers.fol.syntax import FolLimitError

    if isinstance(exc, FolLimitError) or not hasattr(exc, "context"):
        return str(exc)
    return f"{exc}\n{exc.context()}"


def _read_problem(premises: list[str], conclusion: str | None, file: Path | None) -> tuple[list[str], str]:
    from provers.fol.syntax import FolError
    from workbench.data import read_text

    lines = list(premises)
    if file is not None:
        lines += [ln.strip() for ln in read_text(file, FolError).splitlines()
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
    timeout: float = typer.Option(10.0, min=0.01, help="Seconds per backend call."),
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
        _check_policy(policy)
        texts, goal = _read_problem(premises or [], conclusion, file)
        formulas = []
        for i, text in enumerate([*texts, goal]):
            try:
                formulas.append(parse(text, syntax))  # type: ignore[arg-type]
            except FolParseError as exc:
                which = "conclusion" if i == len(texts) else f"premise {i + 1}"
                raise FolError(_parse_message(exc), where=which) from None
        if policy == "repair":
            formulas, notes = repair(formulas)
            for n in notes:
                console.print(f"[yellow]repair[/]: {n}")
        else:
            check(formulas)
        verdict = Portfolio(backend).decide(formulas[:-1], formulas[-1], timeout)
    except FolError as exc:
        fail(exc)
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
    """Parse formulas, print them in all three syntaxes, and report signature conflicts.

    Exit 1 when a formula does not parse or a symbol is used two ways; 2 when a formula is
    past a hard limit (bad input, as everywhere in the CLI)."""
    from rich.table import Table
    from rich.text import Text

    from provers.fol.parse import FolParseError, detect_syntax, parse
    from provers.fol.printers import to_folio, to_nltk, to_tptp
    from provers.fol.signature import align, conflicts, repair
    from provers.fol.syntax import FolError, FolLimitError
    from workbench.data import read_text

    console = Console()
    texts = list(formulas or [])
    if file is not None:
        texts += [ln.strip() for ln in read_text(file, FolError).splitlines() if ln.strip()]
    if not texts:
        raise FolError("no formulas given: pass them as arguments or with --file")
    table = Table("#", "read as", "FOLIO", "NLTK", "TPTP")
    parsed, failed, past_limit = [], 0, 0
    for i, text in enumerate(texts, 1):
        chosen = detect_syntax(text) if syntax == "auto" else syntax
        try:
            f = parse(text, chosen)  # type: ignore[arg-type]
        except FolParseError as exc:
            failed += 1
            past_limit += isinstance(exc, FolLimitError)
            console.print(Text.assemble((f"formula {i}", "red"), f": {_parse_message(exc)}"))
            continue
        parsed.append(f)
        table.add_row(str(i), chosen, *(Text(p(f)) for p in (to_folio, to_nltk, to_tptp)))
    console.print(table)
    found = conflicts(parsed)
    for c in found:
        console.print(Text.assemble(("signature conflict", "yellow"), f": {c}"))
    for n in repair(parsed)[1]:
        console.print(Text(f"  repair would do: {n}"))
    for a in align(parsed)[1]:  # not an error: one concept under two spellings
        console.print(Text.assemble(("align", "cyan"), f" (robust mode) would do: {a}"))
    if not found and not failed:
        console.print("[green]all formulas parse; the signature is consistent[/]")
    raise typer.Exit(2 if past_limit else 1 if failed or found else 0)


@app.command("eval")
def eval_cmd(
    source: str = typer.Argument(_DEFAULT_FOLIO, help="FOLIO jsonl (gold FOL), or a LINC *_generations_raw.json / prefix; relative paths are tried under the shared data folder."),
    mode: str = typer.Option("auto", help="gold, linc (LINC-faithful Prover9) or robust (repair + portfolio); auto: gold for .jsonl, linc otherwise."),
    backend: list[str] = typer.Option(None, "--backend", "-b", help="Backends (gold default: z3; robust default: prover9 z3 eprover)."),
    out: Path = typer.Option(None, help="Result rows (JSONL); default runs/logic/<name>_<mode>.jsonl."),
    resume: bool = typer.Option(False, help="Skip problems already in --out."),
    limit: int = typer.Option(None, min=1, help="Only the first N problems."),
    timeout: float = typer.Option(10.0, min=0.01, help="Seconds per prover call."),
    jobs: int = typer.Option(2, min=1, help="Problems decided in parallel."),
    policy: str = typer.Option("strict", help="Gold mode: strict or repair signature policy."),
    dataset: str = typer.Option(None, help="Natural-language problems: proofwriter, folio or prontoqa (parsed by --parser, not gold FOL)."),
    parser: str = typer.Option("controlled", help="With --dataset: controlled, llm or auto (controlled, LLM where it cannot parse)."),
    model: str = typer.Option("gguf:qwen2.5-coder-1.5b", help="With --parser llm/auto: a workbench.llm spec."),
    k: int = typer.Option(5, "-k", min=1, help="With --parser llm/auto: samples per problem."),
    shots: int = typer.Option(8, help="With --parser llm/auto: few-shot exemplars (1, 2, 4 or 8)."),
    grammar: bool = typer.Option(True, "--grammar/--no-grammar", help="Constrain FOL lines with the GBNF grammar."),
    stepwise: bool = typer.Option(True, "--stepwise/--whole", help="With --parser llm/auto: decode one FOL line per request, the TEXT lines in the prompt (same samples, fewer tokens); --whole: one completion per sample, as LINC (and recorded generations)."),
    feedback: bool = typer.Option(False, "--feedback/--no-feedback", help="With --parser llm/auto, stepwise, a GGUF model: a sample whose conclusion invents names is told so and writes it again from its premises' symbols (once)."),
    max_tokens: int = typer.Option(512, min=1, help="With --parser llm/auto: tokens per sample."),
    semantics: str = typer.Option("proofwriter", help="Controlled parser: proofwriter (forward chaining over literals) or classical."),
) -> None:
    """Evaluate: one JSONL row per problem as it finishes, then a summary table."""
    import json

    if dataset is not None:
        _eval_dataset(dataset, None if source == _DEFAULT_FOLIO else source, parser, model, k, shots, grammar,
                      stepwise, max_tokens, semantics, backend, out, resume, limit, timeout, feedback)
        return

    from rich.progress import Progress

    from provers.fol import eval as ev
    from provers.fol.portfolio import Portfolio
    from provers.fol.syntax import FolError
    from workbench.data import check_writable, find, shared_path
    from workbench.results import ResultLog

    console = Console()
    path = Path(source)
    if not path.is_absolute() and not path.exists() and not Path(source + "_generations_raw.json").exists():
        linc = find(source + "_generations_raw.json")  # a LINC output prefix, else a file or one line naming the data set
        path = linc.with_name(Path(source).name) if linc else shared_path(source)
    chosen = mode if mode != "auto" else ("gold" if path.suffix == ".jsonl" else "linc")
    name = path.name.replace("_generations_raw.json", "").replace(".jsonl", "")
    out = out or Path("runs") / "logic" / f"{name}_{chosen}.jsonl"
    try:
        _check_policy(policy)
        check_writable(out, FolError)
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
        if not items:
            raise FolError("no problems in this file", where=str(path))
    except (FolError, OSError) as exc:
        fail(exc)
    log = ResultLog(out)
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task(f"{chosen}: {name}", total=len(items))
        rows = ev.run(items, work, log, resume=resume, jobs=jobs, progress=lambda k: bar.advance(task, k))
    summary = ev.summarise(rows)
    console.print(ev.summary_table(summary, f"{name} ({chosen})"))
    out.with_suffix(".summary.json").write_text(json.dumps(summary, indent=2))
    console.print(f"rows: {out}   summary: {out.with_suffix('.summary.json')}")


_DATASETS = {"proofwriter": "logic/proofwriter/dev.json", "folio": _DEFAULT_FOLIO, "prontoqa": None}


def _eval_dataset(dataset: str, source: str | None, parser: str, model: str, k: int, shots: int, grammar: bool,
                  stepwise: bool,
                  max_tokens: int, semantics: str, backend: list[str] | None, out: Path | None, resume: bool,
                  limit: int | None, timeout: float, feedback: bool = False) -> None:
    """``eval --dataset``: NL problems through the controlled parser, the LLM, or both."""
    import json

    from rich.progress import Progress

    from provers.fol import eval as ev
    from provers.fol import pipeline as pl
    from provers.fol.backends.base import get_backend
    from provers.fol.controlled import SEMANTICS
    from provers.fol.datasets import load_folio_nl, load_proofwriter
    from provers.fol.portfolio import Portfolio
    from provers.fol.prompts import SHOTS
    from provers.fol.syntax import FolError
    from workbench.data import check_writable, shared_path
    from workbench.errors import WorkbenchError
    from workbench.results import ResultLog

    console = Console()
    try:
        if dataset not in _DATASETS or parser not in pl.PARSERS:
            raise FolError(f"--dataset must be one of {', '.join(_DATASETS)} and --parser one of {', '.join(pl.PARSERS)}")
        if semantics not in SEMANTICS:
            raise FolError(f"unknown semantics {semantics!r}; choose {' or '.join(SEMANTICS)}", where="--semantics")
        if parser != "controlled" and shots not in SHOTS:  # else every problem's row would be this error
            raise FolError(f"must be one of {', '.join(map(str, SHOTS))}, not {shots}", where="--shots")
        rel = source or _DATASETS[dataset]
        if rel is None:
            raise FolError("no ProntoQA data is shipped: give a file in Logic-LM's format "
                           "(a JSON list of {id, context, question, answer}) as SOURCE")
        path = Path(rel)
        if not path.is_absolute() and not path.exists():
            path = shared_path(rel)
        items: list = (load_folio_nl(path) if dataset == "folio" else load_proofwriter(path))[: limit or None]
        if not items:
            raise FolError("no problems in this file", where=str(path))
        prover = get_backend((backend or ["z3"])[0])
        pf = Portfolio(backend or ["z3"])
        llm = None
        if parser != "controlled":
            from workbench.llm import load_generator

            llm = pl.LLMParser(load_generator(model, cache=True, **pl.generator_options(model, stepwise)), k=k,
                               shots=shots, grammar=grammar, stepwise=stepwise,
                               max_tokens=max_tokens, feedback=feedback)
        tag = parser if parser == "controlled" else f"{parser}_{model.replace(':', '-').replace('/', '_')}_k{k}" + (
            "" if grammar else "_nogrammar") + ("" if stepwise else "_whole") + ("_feedback" if feedback else "")
        out = check_writable(out or Path("runs") / "logic" / f"{dataset}_{tag}.jsonl", FolError)
        if parser == "controlled":
            work = lambda p: pl.controlled_row(p, prover, semantics, timeout)  # noqa: E731
        elif parser == "llm":
            assert llm is not None
            work = lambda p: pl.llm_row(p, llm, pf, timeout)  # noqa: E731
        else:
            work = lambda p: pl.auto_row(p, prover, llm, pf, semantics, timeout)  # noqa: E731
    except (WorkbenchError, OSError) as exc:
        fail(exc)
    log = ResultLog(out)
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task(f"{dataset} ({parser})", total=len(items))
        rows = ev.run(items, work, log, resume=resume, jobs=1, progress=lambda n: bar.advance(task, n))
    summary = ev.summarise(rows)
    console.print(ev.summary_table(summary, f"{dataset} ({parser})"))
    out.with_suffix(".summary.json").write_text(json.dumps(summary, indent=2))
    console.print(f"rows: {out}   summary: {out.with_suffix('.summary.json')}")


@app.command()
def ask(
    premises: list[str] = typer.Argument(None, help="Premise sentences (or a paragraph)."),
    conclusion: str = typer.Option(None, "--conclusion", "-c", help="The statement to decide (default: the last sentence)."),
    file: Path = typer.Option(None, "--file", "-f", help="A text file of premises (sentences); --conclusion or its last sentence."),
    parser: str = typer.Option("controlled", help="controlled, llm or auto."),
    model: str = typer.Option("gguf:qwen2.5-coder-1.5b", help="With --parser llm/auto: a workbench.llm spec."),
    k: int = typer.Option(5, "-k", min=1, help="With --parser llm/auto: samples."),
    grammar: bool = typer.Option(True, "--grammar/--no-grammar", help="Constrain FOL lines with the GBNF grammar."),
    stepwise: bool = typer.Option(True, "--stepwise/--whole", help="With --parser llm/auto: decode one FOL line per request, the TEXT lines in the prompt (same samples, fewer tokens); --whole: one completion per sample, as LINC (and recorded generations)."),
    feedback: bool = typer.Option(False, "--feedback/--no-feedback", help="With --parser llm/auto, stepwise, a GGUF model: a sample whose conclusion invents names is told so and writes it again from its premises' symbols (once)."),
    semantics: str = typer.Option("proofwriter", help="Controlled parser: proofwriter or classical."),
    timeout: float = typer.Option(10.0, min=0.01, help="Seconds per prover call."),
) -> None:
    """Answer a natural-language problem: the label, the FOL, and the proof or countermodel."""
    from provers.fol import pipeline as pl
    from provers.fol.backends.base import get_backend
    from provers.fol.controlled import split_sentences
    from provers.fol.datasets import NLProblem
    from provers.fol.portfolio import Portfolio
    from provers.fol.syntax import FolError
    from workbench.errors import WorkbenchError

    console = Console()
    try:
        text = " ".join(premises or [])
        if file is not None:
            from workbench.data import read_text

            text += " " + read_text(file, FolError)
        sentences = split_sentences(text)
        if conclusion is None and sentences:
            conclusion = sentences.pop()
        if not sentences or not conclusion:
            raise FolError("give premises and a conclusion")
        if parser not in pl.PARSERS:
            raise FolError(f"--parser must be one of {', '.join(pl.PARSERS)}")
        problem = NLProblem("ask", tuple(sentences), conclusion.strip().rstrip("."), "")
        llm = None
        if parser != "controlled":
            from workbench.llm import load_generator

            llm = pl.LLMParser(load_generator(model, cache=True, **pl.generator_options(model, stepwise)), k=k,
                               grammar=grammar, stepwise=stepwise, feedback=feedback)
        z3 = get_backend("z3")
        if parser == "llm":
            assert llm is not None
            row = pl.llm_row(problem, llm, Portfolio(["z3"]), timeout)
        else:
            row = pl.auto_row(problem, z3, llm, Portfolio(["z3"]), semantics, timeout)
    except WorkbenchError as exc:
        fail(exc)
    _show_answer(console, row, problem)
    raise typer.Exit(0 if row["label"] != "Error" else 2)


def _show_answer(console: Console, row: dict, problem: object) -> None:
    from rich.table import Table
    from rich.text import Text

    colour = {"True": "green", "False": "red", "Uncertain": "yellow"}.get(row["label"], "magenta")
    console.print(f"[bold {colour}]{row['label']}[/]  (parser: {row.get('parser', '?')})")
    if row.get("fallback"):
        console.print(Text(f"controlled parser could not read: {row['fallback']}", style="dim"))
    if row.get("reason") == "controlled-parse":
        console.print(Text(row["detail"], style="red"))
        return
    if row.get("parser") == "controlled":
        table = Table("#", "sentence", "FOL", title="translation")
        texts = [*problem.premises, problem.conclusion]  # type: ignore[attr-defined]
        for i, (text, fol) in enumerate(zip(texts, [*row["premises_fol"], row["conclusion_fol"]], strict=True), 1):
            table.add_row(str(i) if i < len(texts) else "⊢?", Text(text), Text(fol))
        console.print(table)
        if row.get("evidence"):
            console.print(Text(f"{row['evidence']['kind']}: {row['evidence']['text'][:2000]}"))
        return
    if row["label"] == "Error" and row.get("detail"):
        console.print(Text(f"{row.get('reason', 'error')}: {row['detail']}", style="red"))
    console.print(f"samples: {', '.join(row.get('samples', []))}  reasons: {row.get('sample_reasons')}")
    for i, text in enumerate(row.get("completions", []), 1):
        console.print(Text(f"--- sample {i}: {row['samples'][i - 1]}\n{text.strip()[:1500]}"))


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
        console.print("[dim]shared data not found (see `workbench data`): FOLIO and LINC replays skipped; "
                      "controlled English on the ProofWriter-style samples shipped in the package[/]")
        _demo_controlled(console, Path(__file__).parent / "data" / "proofwriter_style_sample.json",
                         "ProofWriter-style samples")
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
    _demo_controlled(console, root / "logic/proofwriter/dev.json", "ProofWriter dev")


def _demo_controlled(console: Console, path: Path, name: str) -> None:
    """A ProofWriter problem read by the controlled-English parser (no model), then 60 scored."""
    from rich.table import Table
    from rich.text import Text

    from provers.fol import eval as ev
    from provers.fol.backends.base import get_backend
    from provers.fol.controlled import decide
    from provers.fol.datasets import BadItem, load_proofwriter
    from provers.fol.pipeline import controlled_row, parse_problem

    problems = load_proofwriter(path)
    first = next(p for p in problems if not isinstance(p, BadItem) and p.label == "False")
    assert not isinstance(first, BadItem)
    premises, conclusion = parse_problem(first)
    z3 = get_backend("z3")
    answer = decide(premises, conclusion, z3)
    table = Table("sentence", "FOL", title=f"{name} {first.id}: controlled English → FOL (no model)")
    for s in premises:
        table.add_row(Text(s.text), Text(str(s.formula)))
    table.add_row(Text(f"? {conclusion.text}", style="bold"), Text(str(conclusion.formula), style="bold"))
    console.print(table)
    console.print(f"answer: [bold]{answer.label.value}[/] (gold {first.label}); "
                  f"Z3 {answer.verdict.evidence.text if answer.verdict.evidence else ''}", highlight=False)
    import re

    used = sorted({int(n) for n in re.findall(r"premise_(\d+)", answer.verdict.evidence.text if answer.verdict.evidence else "")})
    for n in used:
        console.print(Text(f"  uses {n}: {premises[n - 1].text}"))
    rows = [controlled_row(p, z3) for p in problems[:60]]
    console.print(ev.summary_table(ev.summarise(rows), f"{name}, first {len(rows)} problems, controlled parser + Z3"))
