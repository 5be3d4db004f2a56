"""The REPL's state: named objects, which one of each kind is current, and the undo history.

A `Session` is a value: every command that changes something returns a new one, so undo is
popping the previous value off `History`. Objects wrap the parts' own values (a
`provers.fol.syntax.Formula`, a `causal.model.CausalModel`, a `rulecheck.ifc.Model`, a
`provers.itp.env.base.ProofState`, ...) under a name the user can type; the session never
changes them. Live resources (a coqtop process, the console) are not state: they live in
`workbench.app.repl.context.Context`.

Invariants
----------
* Names are unique; putting an object under an existing name replaces it (and the old one is
  still reachable by ``undo``).
* The object put last of a kind is that kind's current object (``ask`` uses the current
  premise set, ``do`` the current causal model, ...).

>>> s = Session().put(Obj("f1", FORMULA, "P(a)", "P(a)"))
>>> s.get("f1").value, s.current(FORMULA).name, s.fresh_name("f")
('P(a)', 'f1', 'f2')
>>> h = History(Session())
>>> h.push("fol P(a)", s)
>>> h.undo()
'fol P(a)'
>>> h.session.names()
[]
>>> h.undo()
Traceback (most recent call last):
...
workbench.app.repl.session.ReplError: nothing to undo
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from workbench.errors import WorkbenchError

#: Object kinds, as shown by ``objects``.
PREMISES = "premises"
FORMULA = "formula"
CAUSAL = "causal model"
IFC = "IFC model"
CLAUSE = "clause"
PROOF = "proof"
TYPES = "types"
KINDS = (PREMISES, FORMULA, CAUSAL, IFC, CLAUSE, PROOF, TYPES)


class ReplError(WorkbenchError):
    """A REPL command used wrongly: unknown command, option or object name, missing argument."""


@dataclass(frozen=True, slots=True)
class Premise:
    """One premise: the text the user typed, its formula, and whether it was controlled English.

    English premises keep ProofWriter's reading available to ``ask``
    (`provers.fol.controlled.decide`); a premise typed as FOL makes the set classical.
    """

    text: str
    formula: Any
    english: bool

    def __str__(self) -> str:
        return f"{self.text}  ⟶  {self.formula}" if self.english else str(self.formula)


@dataclass(frozen=True, slots=True)
class Obj:
    """A named value of one kind; ``note`` is the one-line summary ``objects`` shows."""

    name: str
    kind: str
    value: Any
    note: str = ""


@dataclass(frozen=True, slots=True)
class Session:
    """Every named object, in the order they were made, and the current name of each kind."""

    objects: tuple[Obj, ...] = ()
    currents: tuple[tuple[str, str], ...] = field(default=())

    def names(self, kind: str | None = None) -> list[str]:
        """Object names, of one kind or all."""
        return [o.name for o in self.objects if kind is None or o.kind == kind]

    def find(self, name: str) -> Obj | None:
        return next((o for o in self.objects if o.name == name), None)

    def get(self, name: str, kind: str | None = None) -> Obj:
        """The object called ``name`` (of ``kind`` when given).

        Raises
        ------
        ReplError
            Naming the objects that do exist.
        """
        obj = self.find(name)
        if obj is None or (kind is not None and obj.kind != kind):
            have = ", ".join(self.names(kind)) or "none yet"
            raise ReplError(f"no {kind or 'object'} named {name!r} (have: {have})")
        return obj

    def current(self, kind: str, hint: str = "") -> Obj:
        """The current object of ``kind``.

        Raises
        ------
        ReplError
            When there is none, with ``hint`` saying how to make one.
        """
        name = dict(self.currents).get(kind)
        if name is None:
            raise ReplError(f"no {kind} yet" + (f": {hint}" if hint else ""))
        return self.get(name, kind)

    def pick(self, kind: str, name: str | None, hint: str = "") -> Obj:
        """``name`` when given, else the current object of ``kind``."""
        return self.get(name, kind) if name else self.current(kind, hint)

    def put(self, obj: Obj) -> Session:
        """A session with ``obj`` added (replacing one of the same name) and current for its kind."""
        rest = tuple(o for o in self.objects if o.name != obj.name)
        currents = tuple((k, n) for k, n in self.currents if k != obj.kind) + ((obj.kind, obj.name),)
        return Session((*rest, obj), currents)

    def fresh_name(self, prefix: str) -> str:
        """``prefix1``, ``prefix2``, ...: the first name not taken."""
        i = 1
        while self.find(f"{prefix}{i}") is not None:
            i += 1
        return f"{prefix}{i}"


class History:
    """The current session and the sessions before each change, for ``undo``."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._past: list[tuple[str, Session]] = []

    def push(self, line: str, session: Session) -> None:
        """Make ``session`` current; ``line`` (the command that made it) is what undo reports."""
        self._past.append((line, self.session))
        self.session = session

    def undo(self) -> str:
        """Go back one change; return the command line undone.

        Raises
        ------
        ReplError
            When there is nothing to undo.
        """
        if not self._past:
            raise ReplError("nothing to undo")
        line, self.session = self._past.pop()
        return line

    def __len__(self) -> int:
        return len(self._past)
