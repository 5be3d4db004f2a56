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

import click
import typer
from rich.console import Console
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

    def invoke(self, ctx: click.Context):  # type: ignore[no-untyped-def]
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
def _root(ctx: typer.Context) -> None:
    """With no sub-command, start the interactive REPL over all parts (`workbench.app.repl`)."""
    if ctx.invoked_subcommand is None:
        from workbench.app.repl import run

        run()


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
def lsp() -> None:
    """Serve TypeScript/JavaScript type hints over LSP on stdio (inlay hints, hover, code actions)."""
    from typeinfer.lsp import serve

    serve()


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


@app.command()
def demo(
    part: list[str] = typer.Argument(None, help="Parts to show (default: all)."),
) -> None:
    """Run a short offline tour of every part on the embedded defaults and shared data."""
    console = Console()
    names = [name for name, _, _ in PARTS]
    unknown = [p for p in part or [] if p not in names]
    if unknown:
        raise WorkbenchError(f"no part named {', '.join(map(repr, unknown))}; choose from {', '.join(names)}")
    wanted = set(part or names)
    failures = 0
    for name, module, help_ in PARTS:
        if name not in wanted:
            continue
        mod = _part(module)
        show = getattr(mod, "demo", None) if mod else None
        if show is None:
            continue
        console.rule(f"[bold]{name}[/] — {help_}")
        t0 = time.perf_counter()
        try:
            show(console)
        except WorkbenchError as exc:
            failures += 1
            console.print(f"[red]{name}: {exc}[/]")
        console.print(f"[dim]{name}: {time.perf_counter() - t0:.1f} s[/]")
    raise typer.Exit(1 if failures else 0)


def main() -> None:
    """Entry point: run the app, printing workbench errors as one line instead of a traceback."""
    try:
        app()
    except WorkbenchError as exc:  # raised outside a command (e.g. while building the app)
        report(exc)
        sys.exit(2)


if __name__ == "__main__":
    main()
