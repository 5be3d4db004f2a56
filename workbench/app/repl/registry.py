"""The command registry: how a REPL command is declared, how an input line is split for it.

A command is a function ``(ctx, history, args) -> Session | None`` registered with `command`
(a second command of the same name is rejected). It reads ``history.session``, returns a new
`Session` when it made or changed an object (``undo`` restores the old one) and ``None``
otherwise. `renders` registers how ``show`` prints an object of one kind, again one per kind.
The commands themselves live in one module per part (`logic`, `causal`, `rules`, `types`,
`proofs`); `commands` imports them all and runs input lines.
"""

from __future__ import annotations

import difflib
import re
import shlex
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console

from workbench.app.repl.context import Context
from workbench.app.repl.session import History, Obj, ReplError, Session

#: Option metavars that mean a number above 0, checked by `parse_line` (True: a whole number).
NUMERIC = {"SECONDS": False, "N": True}

#: The ``--as NAME`` option of every command that makes an object.
AS_OPTION = {"as": ("NAME", "name of the object made (default: a fresh name)")}


@dataclass(frozen=True)
class Args:
    """A command's input: its words (options removed) and its options.

    ``text`` keeps the words in order, joined by single spaces (free text: sentences,
    formulas, queries); `words` splits it shell-style (paths, names).
    """

    text: str = ""
    options: Mapping[str, str | bool] = field(default_factory=dict)

    def opt(self, name: str, default: Any = None) -> Any:
        return self.options.get(name, default)

    def words(self) -> list[str]:
        try:
            return shlex.split(self.text)
        except ValueError as exc:
            raise ReplError(f"cannot split the arguments: {exc}") from exc

    def number(self, name: str, default: float, *, integer: bool = False, minimum: float = 0.0,
               strict: bool = True) -> float:
        """Option ``--name`` as a number above ``minimum`` (at or above with ``strict=False``), else
        ``default``; anything else is one `ReplError` naming the option and the value.

        >>> Args("", {"timeout": "abc"}).number("timeout", 10.0)
        Traceback (most recent call last):
        ...
        workbench.app.repl.session.ReplError: --timeout needs a number above 0, not 'abc'
        >>> Args("", {"k": "0"}).number("k", 5, integer=True)
        Traceback (most recent call last):
        ...
        workbench.app.repl.session.ReplError: --k needs a whole number above 0, not '0'
        """
        raw = self.options.get(name)
        if raw is None:
            return default
        kind = "a whole number" if integer else "a number"
        bound = f"above {minimum:g}" if strict else f"at least {minimum:g}"
        try:
            value = int(str(raw)) if integer else float(str(raw))
        except ValueError:
            value = None
        if value is None or value != value or value in (float("inf"), float("-inf")) \
                or (value <= minimum if strict else value < minimum):
            raise ReplError(f"--{name} needs {kind} {bound}, not {clip(str(raw))!r}")
        return value

    def need(self, what: str, usage: str) -> str:
        """The text, or an error saying what is missing and how to call the command."""
        if not self.text.strip():
            raise ReplError(f"missing {what}; usage: {usage}")
        return self.text.strip()


def clip(text: str, limit: int = 60) -> str:
    """``text`` cut to ``limit`` characters (with how much was cut), for echoing user input in errors.

    >>> clip("x" * 20000)
    'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx… (20,000 characters)'
    """
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text):,} characters)"


#: What a command's arguments complete to: object kinds, ``"path"``, ``"example"`` (causal
#: examples), ``"command"`` (command names), ``"object"`` (any object name).
Completes = tuple[str, ...]
Run = Callable[[Context, History, Args], Session | None]


@dataclass(frozen=True)
class Command:
    """A registered command: how to call it, its options (name → metavar, ``""`` for a flag)."""

    name: str
    run: Run
    usage: str
    options: Mapping[str, tuple[str, str]]
    completes: Completes
    aliases: tuple[str, ...] = ()

    @property
    def summary(self) -> str:
        return (self.run.__doc__ or "").strip().split("\n\n")[0].replace("\n", " ")

    @property
    def details(self) -> str:
        parts = (self.run.__doc__ or "").strip().split("\n\n")[1:]
        return "\n\n".join(" ".join(ln.strip() for ln in p.splitlines()) for p in parts)


COMMANDS: dict[str, Command] = {}


def command(name: str, usage: str, *, options: Mapping[str, tuple[str, str]] | None = None,
            completes: Completes = (), aliases: tuple[str, ...] = ()) -> Callable[[Run], Run]:
    """Register a command (and its aliases); a name registered twice is an error.

    ``options`` maps an option name to ``(metavar, help)``; an empty metavar makes a flag.
    """

    def deco(run: Run) -> Run:
        cmd = Command(name, run, usage, dict(options or {}), completes, aliases)
        for key in (name, *aliases):
            if key in COMMANDS:
                raise ReplError(f"REPL command {key!r} is already registered")
            COMMANDS[key] = cmd
        return run

    return deco


def parse_line(line: str) -> tuple[Command, Args]:
    """Split an input line into its command and arguments.

    ``--name value`` / ``--name=value`` / ``--flag`` are taken wherever they appear; everything
    else is the command's text.

    Raises
    ------
    ReplError
        Unknown command (with the nearest names), unknown option, option without its value.

    Example
    -------
    >>> import workbench.app.repl.commands  # registers every command
    >>> cmd, args = parse_line("fol --as rule1 all x.(P(x) -> Q(x))")
    >>> cmd.name, args.text, dict(args.options)
    ('fol', 'all x.(P(x) -> Q(x))', {'as': 'rule1'})
    >>> parse_line("draw -o fd.png")
    Traceback (most recent call last):
    ...
    workbench.app.repl.session.ReplError: draw takes no arguments (got '-o fd.png')
    >>> parse_line("fool P(a)")
    Traceback (most recent call last):
    ...
    workbench.app.repl.session.ReplError: unknown command 'fool' (did you mean: fol?); `help` lists the commands
    """
    tokens = line.split()
    name = tokens[0]
    cmd = COMMANDS.get(name)
    if cmd is None:
        near = difflib.get_close_matches(name, list(COMMANDS), n=3) if len(name) < 40 else []
        hint = f" (did you mean: {', '.join(near)}?)" if near else ""
        raise ReplError(f"unknown command {clip(name)!r}{hint}; `help` lists the commands")
    words: list[str] = []
    options: dict[str, str | bool] = {}
    rest = iter(tokens[1:])
    for tok in rest:
        if not (tok.startswith("--") and len(tok) > 2):
            words.append(tok)
            continue
        key, eq, value = tok[2:].partition("=")
        if key not in cmd.options:
            known = ", ".join(f"--{o}" for o in cmd.options) or "none"
            raise ReplError(f"unknown option --{clip(key)} for {cmd.name} (options: {known})")
        if not cmd.options[key][0]:
            options[key] = True
            continue
        if not eq:
            value = next(rest, "")
        if not value:
            raise ReplError(f"option --{key} of {cmd.name} needs a value ({cmd.options[key][0]})")
        options[key] = value
    if words and not re.sub(r"\[--[^\]]*\]", "", cmd.usage).split()[1:]:  # only [--options] in its usage
        raise ReplError(f"{cmd.name} takes no arguments (got {clip(' '.join(words))!r})")
    args = Args(" ".join(words), options)
    for key, (metavar, _) in cmd.options.items():  # numbers are checked before the command runs
        if key in options and metavar in NUMERIC:
            args.number(key, 0, integer=NUMERIC[metavar])
    return cmd, args


Render = Callable[[Console, Obj], None]
RENDERERS: dict[str, Render] = {}


def renders(kind: str) -> Callable[[Render], Render]:
    """Register how ``show`` prints objects of ``kind``; a kind registered twice is an error."""

    def deco(render: Render) -> Render:
        if kind in RENDERERS:
            raise ReplError(f"objects of kind {kind!r} already have a renderer")
        RENDERERS[kind] = render
        return render

    return deco


def object_name(args: Args, session: Session, default: str) -> str:
    """``--as NAME`` when given, else ``default``; either must be a name the user can type back."""
    name = str(args.opt("as") or default)
    if not re.fullmatch(r"[A-Za-z_][\w.'-]*", name):
        raise ReplError(f"{name!r} is not a usable object name (letters, digits, _ . ' -)")
    return name


def existing_file(text: str) -> Path:
    """The path, which must exist (a missing file is a `ReplError` naming it)."""
    path = Path(text).expanduser()
    if not path.exists():
        raise ReplError("no such file", where=str(path))
    return path
