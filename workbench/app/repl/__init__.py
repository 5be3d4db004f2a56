"""The interactive REPL over all parts: ``workbench`` with no arguments.

One session holds named objects (premise sets, formulas, causal models, IFC models, clauses,
type analyses, proof states); commands per part (`assume`, `ask`, `fol`, `model`, `do`,
`identify`, `draw`, `ifc`, `check`, `map`, `types`, `prove`, `step`, `search`) call the same
library functions as the part CLIs; `undo` takes back the last change; `help` explains every
command. Input history persists across sessions (`context.history_file`), Tab completes
commands, options, object names and paths, and FOL is highlighted as it is typed.

Modules, in data-flow order: `session` (the state and its undo history) and `context` (live
resources: console, coqtop) → `registry` (how commands and ``show`` renderers are declared,
how a line is split) → one module of commands per part (`logic`, `causal`, `rules`, `types`,
`proofs`) → `commands` (the session commands and `execute`) → `complete` and `highlight`
(the prompt's completer and lexer) → `run` here (the loop). When standard input is not a terminal, lines
are read plainly, so ``workbench < session.txt`` replays a session: it stops at the first line
that fails, with exit status 1 (``--keep-going`` runs every line and still exits 1 if one failed).
"""

from __future__ import annotations

import sys

from rich.console import Console

from workbench.app.repl.commands import COMMANDS, execute
from workbench.app.repl.context import Context, history_file
from workbench.app.repl.session import History, Session

__all__ = ["COMMANDS", "Context", "History", "Session", "execute", "run"]

BANNER = ("Neurosym Workbench REPL — logic, causal models, building rules, types, proofs.\n"
          "`help` lists the commands, `help CMD` explains one; Tab completes; Ctrl-D or `quit` leaves.")


def run(console: Console | None = None, *, keep_going: bool = False) -> int:
    """Read, run and print until ``quit`` or end of input; the exit status.

    Interactively the input history goes to a file and errors are just printed (status 0).
    Scripted (standard input not a terminal), the first line that fails stops the run with
    status 1 and a line on stderr naming it; with ``keep_going`` every line runs and the status
    is 1 when any failed.
    """
    ctx = Context(console or Console())
    history = History(Session())
    ctx.console.print(BANNER, style="dim", highlight=False)
    try:
        if sys.stdin.isatty() and sys.stdout.isatty():
            _interactive(ctx, history)
            return 0
        for number, line in enumerate(sys.stdin, 1):
            before = ctx.failures
            go_on = execute(ctx, history, line)
            if ctx.failures > before and not keep_going:
                Console(stderr=True, highlight=False).print(
                    f"stopped at line {number}, the first that failed (--keep-going runs every line)", style="red")
                return 1
            if not go_on:
                break
        return 1 if ctx.failures else 0
    finally:
        ctx.close()


def _interactive(ctx: Context, history: History) -> None:
    from prompt_toolkit import PromptSession
    from prompt_toolkit.history import FileHistory
    from prompt_toolkit.lexers import PygmentsLexer

    from workbench.app.repl.complete import ReplCompleter
    from workbench.app.repl.highlight import ReplLexer

    path = history_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    prompt: PromptSession[str] = PromptSession(
        history=FileHistory(str(path)),
        completer=ReplCompleter(lambda: history.session),
        lexer=PygmentsLexer(ReplLexer),
        complete_while_typing=False,
    )
    number = 0
    while True:
        number += 1
        try:
            line = prompt.prompt(f"wb[{number}]> ")
        except KeyboardInterrupt:
            continue
        except EOFError:
            break
        if not execute(ctx, history, line):
            break
