"""`workbench types`: infer TypeScript/JavaScript types from usage slices; train; serve LSP."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(no_args_is_help=True)

DEMO_SOURCE = """\
interface Point { x: number; y: number; }

class Shape {
  name = "shape";
  corners = [];
  constructor(label, sides) {
    this.name = label;
    this.sides = sides;
  }
  area(scale = 1.5) {
    return this.sides * scale;
  }
}

function describe(shape, verbose) {
  const title = shape.name.toUpperCase();
  const when = new Date();
  let count = shape.area();
  if (verbose) { count = count + 1; }
  return `${title}: ${count.toFixed(2)} at ${when.toISOString()}`;
}

async function load(url) {
  const text = await fetchText(url.trim());
  return JSON.parse(text);
}

function fetchText(u) { return Promise.resolve(u + "!"); }

describe(new Shape("tri", 3), true);
"""


class Format(StrEnum):
    json = "json"
    annotate = "annotate"
    table = "table"
    slices = "slices"


@app.callback()
def _group() -> None:
    """TypeScript/JavaScript type inference from code-property-graph usage slices (CodeTIDAL5)."""


def inference_table(analysis, title: str) -> Table:  # type: ignore[no-untyped-def]
    """One row per inferred target: line, kind, name, type, confidence, source, evidence (CLI and REPL); a
    candidate the compiler refused shows the error writing it adds."""
    from typeinfer.judge import ADDS_ERROR

    t = Table(title=title)
    for col in ("line", "what", "name", "type", "conf", "source", "evidence"):
        t.add_column(col)
    rows = sorted(analysis.inferences.values(),
                  key=lambda i: (i.target.insertAt or (i.target.lineNumber or 0, 0)))
    for i in rows:
        what = {"METHOD_PARAMETER_IN": "param", "LOCAL": "var", "MEMBER": "field",
                "METHOD_RETURN": "return"}.get(i.target.label, i.target.label)
        name = f"{i.method}()" if what == "return" else i.target.name
        line = str((i.target.insertAt or (i.target.lineNumber or 0, 0))[0])
        refused = [e for e in i.evidence if e.startswith(ADDS_ERROR)]  # why a candidate is not a hint (F1)
        ev = (refused[0][len(ADDS_ERROR) + 2:] if refused else i.evidence[0] if i.evidence
              else i.rejected[0][1] if i.rejected else "")[:48]
        t.add_row(line, what, name, i.type or "[dim]abstain[/]", f"{i.confidence:.2f}", i.source, ev)
    return t


@app.command()
def infer(
    path: Path = typer.Argument(..., help="A .ts/.tsx/.js file or a folder of them."),
    fmt: Format = typer.Option(Format.table, "--format", "-f", help="json | annotate | table | slices"),
    llm: str = typer.Option("", help="Also ask an LLM, e.g. gguf:qwen2.5-coder-1.5b (slow): judged, for the "
                                      "parameters no other evidence reaches; with --no-judge, for every target."),
    no_learned: bool = typer.Option(False, help="Leave out the learned model."),
    output: Path = typer.Option(None, "-o", help="Write here instead of stdout (annotate: a folder for many files)."),
    min_confidence: float = typer.Option(0.75, min=0.0, max=1.0, help="annotate: write only types at least this confident."),
    check: bool = typer.Option(True, "--check/--no-check",
                               help="annotate: keep only annotations that add no tsc --noEmit error "
                                    "(needs node + typescript; --no-check writes every confident type)."),
    use_judge: bool = typer.Option(True, "--judge/--no-judge",
                                   help="The TypeScript compiler as judge: its own type where it knows one, "
                                        "a prediction only if writing it adds no compiler error "
                                        "(needs node + typescript; without them, predictions unchecked)."),
) -> None:
    """Infer types for the unannotated parameters, variables, fields and returns of PATH."""
    from typeinfer.annotate import annotate
    from typeinfer.cpg import read_source
    from typeinfer.errors import SliceError
    from typeinfer.infer import (
        SOURCE_SUFFIXES,
        analyse,
        default_predictors,
        project_signatures,
        source_files,
    )
    from workbench.data import check_writable

    if not path.exists():
        raise SliceError("no such file or folder", where=str(path))
    if path.is_file() and path.suffix not in SOURCE_SUFFIXES:
        raise SliceError(f"not a TypeScript/JavaScript file (want {', '.join(SOURCE_SUFFIXES)})", where=str(path))
    if output is not None:  # checked before the analysis, not after it
        if fmt is Format.annotate and path.is_dir():
            if output.exists() and not output.is_dir():
                raise SliceError("annotating a folder writes a folder here, but this is a file", where=str(output))
        else:
            check_writable(output, SliceError)
    files = source_files(path)
    if not files:
        raise SliceError("no TypeScript/JavaScript sources found", where=str(path))
    from typeinfer.checker import available

    # judged, the LLM is the last source (the judge's fill); unjudged, one more predictor
    fill_llm = None
    if llm and use_judge and fmt is not Format.slices and available():
        from typeinfer.predict.llm import LLMPredictor

        fill_llm = LLMPredictor.from_spec(llm)
    preds = default_predictors(learned=not no_learned, llm=llm if llm and fill_llm is None else None)
    sig = project_signatures(path if path.is_dir() else path.parent)
    console = Console()
    docs = []
    if len(files) > 1:  # one project: types, union aliases and call sites cross files
        from typeinfer.project import analyse_project

        analyses = analyse_project(files, preds, sig)
    else:
        analyses = [analyse(read_source(f), f, preds, sig) for f in files]
    if use_judge and fmt is not Format.slices:
        from typeinfer.judge import judge_project

        if available():
            from rich.progress import Progress

            root = path if path.is_dir() else path.parent
            with Progress(console=Console(stderr=True), transient=True, disable=len(files) < 2) as bar:
                task = bar.add_task("the compiler judges", total=len(files))
                judged = judge_project([(f, a.text, a.inferences) for f, a in zip(files, analyses, strict=True)],
                                       root, lambda _f: bar.advance(task),
                                       fill_llm.fill if fill_llm is not None else None)
            for a, infs in zip(analyses, judged, strict=True):
                a.inferences = infs
        else:
            Console(stderr=True).print("[yellow]node or typescript missing: predictions are not judged by "
                                       "the compiler (scripts/setup.sh installs them)[/]")
    checked: dict[Path, str] = {}
    if fmt is Format.annotate and check:
        from typeinfer.tsc import checked_annotations, node_modules_of, typescript_dir

        try:
            typescript_dir()
        except SliceError as exc:  # no tsc here: say so, and write the unchecked annotations
            Console(stderr=True).print(f"[yellow]not checked with tsc ({exc.what}); "
                                       "pass --no-check to silence this[/]")
        else:
            rel = {f: f.relative_to(path) if path.is_dir() else Path(f.name) for f in files}
            checked = checked_annotations({rel[f]: a.text for f, a in zip(files, analyses, strict=True)},
                                          {rel[f]: list(a.inferences.values())
                                           for f, a in zip(files, analyses, strict=True)}, min_confidence,
                                          modules=node_modules_of(path))
            checked = {f: checked[rel[f]] for f in files}
    for f, a in zip(files, analyses, strict=True):
        if fmt is Format.table:
            console.print(inference_table(a, str(f)))
        elif fmt is Format.annotate:
            text = checked[f] if f in checked else annotate(a.text, a.inferences.values(), min_confidence)
            if output is None:
                typer.echo(text, nl=False)
            else:
                dest = output / f.relative_to(path) if path.is_dir() else output
                dest.parent.mkdir(parents=True, exist_ok=True)
                dest.write_text(text, encoding="utf-8")
        elif fmt is Format.slices:
            docs.append(a.program.to_json())
        else:
            docs.append({"file": str(f), "inferences": [
                {"method": i.method, "name": i.target.name, "label": i.target.label,
                 "line": i.target.lineNumber, "column": i.target.columnNumber,
                 "insertAt": list(i.target.insertAt) if i.target.insertAt else None,
                 "type": i.type, "confidence": i.confidence, "source": i.source,
                 "evidence": list(i.evidence), "rejected": [list(r) for r in i.rejected]}
                for i in a.inferences.values()]})
    if fmt in (Format.json, Format.slices):
        doc = docs[0] if len(docs) == 1 else docs
        text = json.dumps(doc, indent=1)
        if output is None:
            typer.echo(text)
        else:
            output.write_text(text, encoding="utf-8")


@app.command()
def train(
    out: Path = typer.Option(None, help="Model file (default: the one shipped in the package)."),
    max_classes: int = typer.Option(200, help="Most frequent types to learn."),
) -> None:
    """Retrain the learned model on the 50 pinned training packages (downloads them with npm)."""
    from rich.progress import Progress

    from typeinfer.corpus import TRAIN_ALL, fetch, sources
    from typeinfer.predict.learned import DEFAULT_MODEL, features
    from typeinfer.predict.learned import train as fit
    from typeinfer.typenames import normalize

    console = Console()
    rows: list[tuple[list[str], str]] = []
    files = [(p, f) for p, v in TRAIN_ALL.items() for f in sources(fetch(p, v))]
    with Progress(console=console) as progress:
        task = progress.add_task("slicing training packages", total=len(files))
        from typeinfer.corpus import examples

        for _, f in files:
            try:
                _, ex, _ = examples(f)
            except Exception as exc:  # one bad file never stops training
                console.print(f"[yellow]skipped {f}: {exc}[/]")
                ex = []
            rows += [(features(e.method, e.slice), normalize(e.gold)) for e in ex]
            progress.advance(task)
    console.print(f"{len(rows)} annotated targets from {len(files)} files; fitting …")
    model = fit(rows, max_classes=max_classes)
    dest = out or DEFAULT_MODEL
    model.save(dest)
    console.print(f"wrote {dest} ({dest.stat().st_size / 1e6:.2f} MB, {len(model.classes)} types)")


@app.command()
def lsp(llm: str = typer.Option("", help="An LLM (e.g. gguf:qwen2.5-coder-1.5b) that fills the parameters no "
                                          "other evidence reaches, judged, after each file's first hints.")) -> None:
    """Run the language server on stdio (inlay hints, hover, code actions)."""
    from typeinfer.lsp import serve

    serve(llm)


def demo(console: Console) -> None:
    """Infer the types of a small embedded TypeScript file and print them with their evidence."""
    from typeinfer.annotate import annotate
    from typeinfer.infer import analyse

    a = analyse(DEMO_SOURCE, "demo.ts")
    console.print(inference_table(a, "inferred types for an unannotated TypeScript sample"))
    answered = [i for i in a.inferences.values() if i.type]
    console.print(f"{len(answered)} of {len(a.inferences)} targets typed; "
                  f"{sum(1 for i in a.inferences.values() if i.rejected)} had candidates ruled out by the slice")
    snippet = annotate(a.text, a.inferences.values()).split("\n")[14:20]
    console.print("[bold]annotated by `workbench types infer demo.ts --format annotate`:[/]")
    console.print("\n".join(snippet), highlight=False, markup=False)
