"""`workbench causal`: command-line front end of `causal`."""

from __future__ import annotations

import typer
from rich.console import Console

app = typer.Typer(no_args_is_help=True)


@app.callback()
def _group() -> None:
    """Commands of this part."""


def demo(console: Console) -> None:
    """Offline showcase of this part (filled in as the part lands)."""
    console.print("[dim]nothing to show yet[/]")
