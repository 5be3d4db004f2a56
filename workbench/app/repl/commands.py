"""Every REPL command, and `execute`, which runs one input line.

The part commands live in one module per part (`logic`, `causal`, `rules`, `types`,
`proofs`), each calling the same library functions as that part's CLI and holding no logic
of its own; importing them here registers them. This module adds the commands about the
session itself: ``objects``, ``show``, ``undo``, ``help``, ``quit``.

`execute` runs one input line and turns every user error into one line on the console: an
unknown command or option, a malformed formula or query (with a caret under the fault), a
missing file, any `WorkbenchError`. The session is left as it was.

>>> from io import StringIO
>>> from rich.console import Console
>>> ctx = Context(Console(file=StringIO(), width=100))
>>> h = History(Session())
>>> execute(ctx, h, "fol all x.(Dog(x) -> Animal(x))"), h.session.names()
(True, ['f1'])
>>> execute(ctx, h, "fol all x.(Dog(x) ->"), h.session.names()
(True, ['f1'])
>>> for line in ctx.console.file.getvalue().splitlines()[-3:]: print(line)
error: nltk formula, line 1 column 17 (offset 16): end of input: expression expected
all x.(Dog(x) ->
                ^
>>> execute(ctx, h, "quit")
False
"""

from __future__ import annotations

import os

from rich.table import Table
from rich.text import Text

from workbench.app.repl import causal, logic, proofs, rules, types  # noqa: F401  (registers their commands)
from workbench.app.repl.context import Context
from workbench.app.repl.registry import (
    COMMANDS,
    RENDERERS,
    Args,
    Command,
    clip,
    command,
    parse_line,
)
from workbench.app.repl.session import History, ReplError, Session
from workbench.errors import WorkbenchError

__all__ = ["COMMANDS", "execute"]


class _Quit(Exception):
    """Raised by ``quit``: leave the loop."""


def execute(ctx: Context, history: History, line: str) -> bool:
    """Run one input line; False when the REPL should end.

    Every user error is printed as one line (with the caret context of a formula or query
    when there is one), counted in ``ctx.failures`` (scripted mode stops on it) and leaves
    ``history`` as it was. Input nested too deeply for the parsers is such an error too, never
    an "internal error".
    """
    line = line.strip()
    if not line or line.startswith("#"):
        return True
    try:
        cmd, args = parse_line(line)
        result = cmd.run(ctx, history, args)
        if isinstance(result, Session) and result is not history.session:
            history.push(line, result)
        return True
    except _Quit:
        return False
    except WorkbenchError as exc:
        _print_error(ctx, exc)
    except OSError as exc:
        where = f": {exc.filename}" if exc.filename else ""
        ctx.console.print(Text.assemble(("error: ", "bold red"), clip(f"{exc.strerror or exc}{where}", 300)))
    except KeyboardInterrupt:
        ctx.console.print(Text("interrupted", style="yellow"))
    except RecursionError:
        ctx.console.print(Text.assemble(("error: ", "bold red"), "the input is nested too deeply to read "
                                        f"({_depth(line)} levels of brackets); split it up"))
    except Exception as exc:  # noqa: BLE001 - a bug in a part must not end the session
        if os.environ.get("WORKBENCH_REPL_TRACEBACK"):
            raise
        ctx.console.print(Text.assemble(("internal error: ", "bold red"), clip(f"{type(exc).__name__}: {exc}", 300),
                                        (" (WORKBENCH_REPL_TRACEBACK=1 shows the traceback)", "dim")))
    ctx.failures += 1
    return True


def _depth(text: str) -> int:
    """The deepest bracket nesting in ``text``.

    >>> _depth("f((a), [b(c)])")
    3
    """
    depth = deepest = 0
    for ch in text:
        if ch in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in ")]}":
            depth = max(depth - 1, 0)
    return deepest


def _window(context: str, width: int = 100) -> str:
    """A caret context (a line of input, the caret under it) cut to ``width`` columns around the caret.

    >>> print(_window("x" * 500 + "?\\n" + " " * 500 + "^", width=10))
    …xxxxx?
    …     ^
    """
    lines = context.split("\n")
    caret = next((ln.index("^") for ln in lines if ln.strip() == "^"), 0)
    if max(map(len, lines)) <= width:
        return context
    start = max(0, caret - width // 2)
    return "\n".join(("…" if start else "") + ln[start:start + width] for ln in lines)


def _print_error(ctx: Context, exc: WorkbenchError) -> None:
    first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    ctx.console.print(Text.assemble(("error: ", "bold red"), clip(first, 300)))
    context = getattr(exc, "context", None)
    if callable(context):
        ctx.console.print(Text(_window(context()), style="dim"))
    hedge = getattr(exc, "hedge", None)
    if hedge is not None:
        ctx.console.print(Text(hedge.explain(), style="dim"))


@command("objects", "objects", aliases=("ls",))
def objects(ctx: Context, h: History, a: Args) -> None:
    """List the session's named objects: name, kind, summary; * marks the current one of each kind."""
    s = h.session
    current = {n for _, n in s.currents}
    table = Table("name", "kind", "summary", title=f"{len(s.objects)} objects, {len(h)} undoable changes")
    for o in s.objects:
        table.add_row(("* " if o.name in current else "  ") + o.name, o.kind, Text(o.note[:90]))
    ctx.console.print(table)
    return None


@command("show", "show NAME", completes=("object",))
def show(ctx: Context, h: History, a: Args) -> None:
    """Show one object in full: premises and their FOL, a formula's syntaxes, a model's graph, a proof's goals, ..."""
    obj = h.session.get(a.need("an object name", COMMANDS["show"].usage))
    render = RENDERERS.get(obj.kind)
    if render is None:
        ctx.console.print(Text(f"{obj.name}: {obj.kind}, {obj.note}"))
    else:
        render(ctx.console, obj)
    return None


@command("undo", "undo")
def undo(ctx: Context, h: History, a: Args) -> None:
    """Take back the last command that changed the session (premise, model, proof step, ...)."""
    line = h.undo()
    ctx.console.print(Text.assemble("undone: ", (line, "bold")))
    return None


_PART_ORDER = ("logic", "causal", "rules", "types", "proofs", "session")


def _part(cmd: Command) -> str:
    module = cmd.run.__module__.rsplit(".", 1)[-1]
    return "session" if module == "commands" else module


@command("help", "help [COMMAND]", completes=("command",), aliases=("?",))
def help_(ctx: Context, h: History, a: Args) -> None:
    """List the commands, or explain one: usage, what it does, options."""
    name = a.text.strip()
    if not name:
        table = Table("part", "command", "what it does", title="commands (help COMMAND for details; Tab completes)")
        unique = [cmd for key, cmd in COMMANDS.items() if key == cmd.name]
        unique.sort(key=lambda c: _PART_ORDER.index(_part(c)))
        for i, cmd in enumerate(unique):
            new_part = i == 0 or _part(unique[i - 1]) != _part(cmd)
            table.add_row(_part(cmd) if new_part else "", cmd.name, cmd.summary, end_section=False)
        ctx.console.print(table)
        return None
    one = COMMANDS.get(name)
    if one is None:
        raise ReplError(f"no command {name!r}; `help` lists them")
    ctx.console.print(Text(f"usage: {one.usage}", style="bold"))
    ctx.console.print(Text(one.summary))
    if one.details:
        ctx.console.print(Text(one.details))
    if one.options:
        table = Table("option", "", box=None)
        for opt, (metavar, text) in one.options.items():
            table.add_row(f"--{opt} {metavar}".rstrip(), text)
        ctx.console.print(table)
    return None


@command("quit", "quit", aliases=("exit",))
def quit_(ctx: Context, h: History, a: Args) -> None:
    """Leave the REPL (Ctrl-D too); the input history is kept for the next session."""
    raise _Quit
