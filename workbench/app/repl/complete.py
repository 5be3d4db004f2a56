"""Tab completion: command names, then each command's options, object names and file paths.

What follows a command is declared with the command (`Command.completes`): object kinds
(only the names of objects of those kinds), ``"object"`` (every name), ``"command"``,
``"example"`` (the shipped causal models) and ``"path"`` (files, via prompt_toolkit's
`PathCompleter`).

>>> from prompt_toolkit.document import Document
>>> from workbench.app.repl.session import FORMULA, Obj, Session
>>> c = ReplCompleter(lambda: Session().put(Obj("rule1", FORMULA, None)))
>>> [x.text for x in c.get_completions(Document("ass"), None)]
['assume']
>>> [x.text for x in c.get_completions(Document("ask r"), None)]
['rule1']
>>> [x.text for x in c.get_completions(Document("ask --sem"), None)]
['--semantics']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from prompt_toolkit.completion import CompleteEvent, Completer, Completion, PathCompleter
from prompt_toolkit.document import Document

from workbench.app.repl.causal import causal_examples
from workbench.app.repl.commands import COMMANDS
from workbench.app.repl.session import Session


class ReplCompleter(Completer):
    """Completes from the registry and from whatever ``session()`` holds when Tab is pressed."""

    def __init__(self, session: Callable[[], Session]) -> None:
        self.session = session
        self.paths = PathCompleter(expanduser=True)

    def get_completions(self, document: Document, complete_event: CompleteEvent | None) -> Iterable[Completion]:
        text = document.text_before_cursor
        if not text.strip() or " " not in text.lstrip():
            word = text.lstrip()
            yield from _matching(word, sorted(COMMANDS))
            return
        cmd = COMMANDS.get(text.split()[0])
        if cmd is None:
            return
        word = document.get_word_before_cursor(WORD=True)
        if word.startswith("--"):
            yield from _matching(word, [f"--{o}" for o in cmd.options])
            return
        yield from _matching(word, self._names(cmd.completes))
        if "path" in cmd.completes:
            inner = Document(word, len(word))
            yield from self.paths.get_completions(inner, complete_event or CompleteEvent())

    def _names(self, completes: tuple[str, ...]) -> list[str]:
        s = self.session()
        names: list[str] = []
        for what in completes:
            if what == "object":
                names += s.names()
            elif what == "command":
                names += sorted(COMMANDS)
            elif what == "example":
                names += causal_examples()
            elif what != "path":
                names += s.names(what)
        return names


def _matching(word: str, candidates: Iterable[str]) -> Iterable[Completion]:
    seen: set[str] = set()
    for c in candidates:
        if c.startswith(word) and c not in seen:
            seen.add(c)
            yield Completion(c, start_position=-len(word))
