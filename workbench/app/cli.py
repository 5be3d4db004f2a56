"""The `workbench` command: one sub-command group per part, plus `demo`.

Each part owns a ``cli.py`` exposing ``app`` (a `typer.Typer`) and ``demo(console)`` (a short
offline showcase on embedded defaults). This module only mounts them, so adding a part is one
line in `PARTS`. Part CLIs import their heavy dependencies inside the commands, so
``workbench --help`` stays fast.
"""

from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import typer
from rich.console import Console
from rich.text import Text
from typer.core import TyperGroup

from workbench.errors import WorkbenchError, fail, report

#: (sub-command name, module holding `app` and `demo`, one-line help)
PARTS: tuple[tuple[str, str, str], ...] = (
    ("logic", "provers.fol.cli", "First-order logic: parse, prove, evaluate (LINC)."),
    ("causal", "causal.cli", "Causal models as string diagrams: query, identify, draw."),
    ("types", "typeinfer.cli", "TypeScript/JavaScript type inference from usage slices."),
    ("rules", "rulecheck.cli", "Building-code clauses mapped to checks on IFC models."),
    ("prove", "provers.itp.cli", "Retrieval-augmented interactive theorem proving (Coq, Lean)."),
    ("models", "workbench.app.models", "Install, list and try the language models."),
)

class _Root(TyperGroup):
    """The root command group: a `WorkbenchError` from any sub-command becomes one ``error:``
    line and exit status 2, the same under `main` and under typer's ``CliRunner`` in tests."""

    def invoke(self, ctx: Any) -> Any:  # click's Context, or typer's vendored copy of it
        try:
            return super().invoke(ctx)
        except WorkbenchError as exc:
            fail(exc)


app = typer.Typer(
    name="workbench",
    cls=_Root,
    help="Neurosym Workbench: LLMs as parsers, symbolic backends as judges.",
    invoke_without_command=True,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root(
    ctx: typer.Context,
    keep_going: bool = typer.Option(False, "--keep-going", help="REPL from a script (workbench < FILE): "
                                    "run every line even after one fails (the exit status is still 1)."),
) -> None:
    """With no sub-command, start the interactive REPL over all parts (`workbench.app.repl`);
    ``workbench < FILE`` runs FILE's lines and stops at the first that fails (exit status 1)."""
    if ctx.invoked_subcommand is None:
        from workbench.app.repl import run

        raise typer.Exit(run(keep_going=keep_going))


def _part(module: str) -> ModuleType | None:
    try:
        return importlib.import_module(module)
    except ImportError:
        return None


for _name, _module, _help in PARTS:
    _mod = _part(_module)
    if _mod is not None and hasattr(_mod, "app"):
        app.add_typer(_mod.app, name=_name, help=_help)


@app.command()
def lsp(llm: str = typer.Option("", help="An LLM (e.g. gguf:qwen2.5-coder-1.5b) that fills the parameters no "
                                          "other evidence reaches, judged, after each file's first hints.")) -> None:
    """Serve TypeScript/JavaScript type hints over LSP on stdio (inlay hints, hover, code actions)."""
    from typeinfer.lsp import serve

    serve(llm)


@app.command()
def batch(
    job: Path = typer.Argument(..., help="A job file (TOML): which part's work items, where results go."),
    resume: bool = typer.Option(False, "--resume", help="Skip items that already have a result row."),
    workers: int | None = typer.Option(None, "--workers", "-w", min=1, help="Items at once (default: the job file's)."),
    address: str | None = typer.Option(None, "--address", help="Run on Ray: 'local' (a private instance on 127.0.0.1), "
                                       "or join a cluster: auto, HOST:6379, ray://HOST:10001. Default: local processes."),
) -> None:
    """Run a part's work items from a JOB.toml in local worker processes (or on Ray with --address):
    JSONL results, --resume, progress, summary."""
    from workbench.app.batch import run_job_file

    raise typer.Exit(run_job_file(job, resume=resume, workers=workers, address=address))


#: The extra that brings each part's optional dependencies (for a skipped part's reason).
EXTRAS = {"logic": "logic", "causal": "causal", "types": "types", "rules": "rules", "prove": "itp", "models": "llm"}


@app.command()
def demo(
    part: list[str] = typer.Argument(None, help="Parts to show (default: all)."),
) -> None:
    """Run a short offline tour of every part on embedded data (and the shared data where present).

    A part whose optional dependencies or data set are missing is skipped with the reason; the
    exit status is 0 unless a part failed."""
    from workbench.data import MissingDataError
    from workbench.errors import MissingExtraError

    console = Console()
    names = [name for name, _, _ in PARTS]
    unknown = [p for p in part or [] if p not in names]
    if unknown:
        raise WorkbenchError(f"no part named {', '.join(map(repr, unknown))}; choose from {', '.join(names)}")
    wanted = set(part or names)
    failures: list[str] = []
    skipped: list[tuple[str, str]] = []
    shown: list[str] = []
    for name, module, help_ in PARTS:
        if name not in wanted:
            continue
        console.rule(f"[bold]{name}[/] — {help_}")
        t0 = time.perf_counter()
        try:
            mod = importlib.import_module(module)
            mod.demo(console)
            shown.append(name)
        except (MissingDataError, MissingExtraError) as exc:
            skipped.append((name, str(exc)))
        except ImportError as exc:  # an optional dependency imported without `require`
            skipped.append((name, f"needs the Python package {exc.name or exc}; install it with: "
                                  f"pip install 'neurosym-workbench[{EXTRAS.get(name, 'all')}]'"))
        except WorkbenchError as exc:
            failures.append(name)
            console.print(Text(f"{name}: {exc}", style="red"))
        if skipped and skipped[-1][0] == name:
            console.print(Text(f"{name}: skipped: {skipped[-1][1]}", style="yellow"))
        console.print(f"[dim]{name}: {time.perf_counter() - t0:.1f} s[/]")
    console.rule("[bold]demo[/]")
    console.print(f"{len(shown)} part(s) shown" + (f": {', '.join(shown)}" if shown else ""), highlight=False)
    for name, why in skipped:
        console.print(Text(f"skipped {name}: {why}", style="yellow"))
    for name in failures:
        console.print(Text(f"failed {name} (see above)", style="red"))
    raise typer.Exit(1 if failures else 0)


@app.command()
def data() -> None:
    """List the real data sets the commands use: where they are looked for, present or not, where to get them."""
    from workbench.data import DATASETS, data_folders, find

    console = Console()
    folders = data_folders()
    console.print("[bold]Data folders, searched in this order[/] (a file is taken from the first that has it):")
    for n, (why, folder) in enumerate(folders, 1):
        state = "[green]exists[/]" if folder.is_dir() else "[dim]absent[/]"
        console.print(Text.assemble(f"  {n}. ", (str(folder), "bold"), f"  ({why})  "), Text.from_markup(state))
    console.print("\n[bold]Data sets[/] (path under a data folder):")
    for ds in DATASETS:
        at = find(ds.path)
        console.print(Text.assemble("  ", (f"{ds.name:<17}", "bold"), f"{ds.path:<28} ",
                                    (f"present: {at}", "green") if at else ("missing", "red")))
        console.print(Text(f"      {ds.what}; used by: {ds.used_by}", style="dim"))
        console.print(Text(f"      licence: {ds.licence}; get it: {ds.source}", style="dim"))
    missing = [ds.name for ds in DATASETS if find(ds.path) is None]
    target = next((f for _, f in folders if f.is_dir()), folders[-1][1])
    if missing:
        console.print(f"{len(missing)} missing. Put each under one of the folders above with the path shown "
                      f"(e.g. {target / DATASETS[0].path}), or set WORKBENCH_DATA to a folder holding them. "
                      "`workbench demo` runs without any of them.", highlight=False)


def main() -> None:
    """Entry point: run the app, printing workbench errors as one line instead of a traceback."""
    try:
        app()
    except WorkbenchError as exc:  # raised outside a command (e.g. while building the app)
        report(exc)
        sys.exit(2)


if __name__ == "__main__":
    main()
