"""The root of every error the workbench raises on purpose.

Each part has its own exception root (`FolError`, `SliceError`, `RuleError`, `CausalError`,
`LLMError`, ...) deriving from `WorkbenchError`, so the CLI can print any of them as one clear
line without a traceback, while library users can catch a single part's errors.
"""

from __future__ import annotations

from typing import NoReturn


class WorkbenchError(Exception):
    """An error with a *what* (the message) and an optional *where* (file, line, position).

    Parameters
    ----------
    what:
        What went wrong, phrased for the user.
    where:
        Where it went wrong: ``"premises.txt:3:14"``, ``"formula 2, offset 7"``, a GUID, ...

    Example
    -------
    >>> str(WorkbenchError("unknown variable 'Q'", where="model.yaml"))
    "model.yaml: unknown variable 'Q'"
    """

    def __init__(self, what: str, where: str | None = None) -> None:
        self.what = what
        self.where = where
        super().__init__(f"{where}: {what}" if where else what)


class MissingExtraError(WorkbenchError, ImportError):
    """An optional dependency is not installed; the message names the extra that brings it."""

    def __init__(self, module: str, extra: str) -> None:
        super().__init__(
            f"this feature needs the Python package {module!r}; "
            f"install it with: pip install 'neurosym-workbench[{extra}]'"
        )
        self.module = module
        self.extra = extra


def require(module: str, extra: str):  # type: ignore[no-untyped-def]
    """Import an optional dependency or raise `MissingExtraError` naming the extra.

    Example
    -------
    >>> require("json", "core").__name__
    'json'
    """
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingExtraError(module, extra) from exc


def report(exc: Exception) -> None:
    """Print an error as the one ``error: WHERE: WHAT`` line on stderr, the way every command
    shows bad input (no traceback). The message is printed as text, not rich markup, so
    brackets in it (``[items]``, a formula) stay as they are."""
    from rich.console import Console
    from rich.text import Text

    Console(stderr=True, highlight=False).print(Text.assemble(("error:", "red"), f" {exc}"), soft_wrap=True)


def fail(exc: Exception, *context: str) -> NoReturn:
    """Stop a command on bad input: `report` the error, print ``context`` lines under it
    (a formula with a caret, the hedge that blocks identification), exit status 2.

    The root command group does this for any `WorkbenchError` a command lets escape; a command
    calls it itself where it must stop at once, or for an ``OSError`` (a prover binary that
    cannot start) that is reported the same way."""
    import typer
    from rich.console import Console

    report(exc if isinstance(exc, WorkbenchError) else WorkbenchError(str(exc)))
    err = Console(stderr=True)
    for line in context:
        err.print(line, markup=False, highlight=False)
    raise typer.Exit(2) from None
