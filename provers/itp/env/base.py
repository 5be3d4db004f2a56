"""The one interface every proof assistant adapter implements.

A `ProofEnv` opens a `Theorem` into its first `ProofState` and runs one tactic on a state.
Running a tactic never raises for anything the tactic does: the answer is an `Outcome`, one
of a new `ProofState`, `ProofFinished`, `TacticError` (including a crash of the assistant,
after which the adapter restarts it) or `TacticTimeout`. Only opening a theorem raises
(`TheoremError` when it does not parse, `AssistantError` when the binary is unusable).

Invariants
----------
* A `ProofState` is a value: its goals text (assistant-specific ids removed, so equal goals
  compare equal) and the tactic path that reached it from the theorem. Two states with the
  same `key` are the same proof obligation, whatever path reached them.
* Every value here round-trips through ``repr`` and through JSON.

>>> s = ProofState("n : nat\\n============================\\nn + 0 = n", ("intros n",))
>>> eval(repr(s)) == s, ProofState.from_json(s.to_json()) == s
(True, True)
>>> print(s)
n : nat
============================
n + 0 = n
>>> t = Theorem("add_0_r", "Lemma add_0_r : forall n, n + 0 = n.")
>>> Theorem.from_json(t.to_json()) == t, str(t)
(True, 'Lemma add_0_r : forall n, n + 0 = n.')
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Protocol, runtime_checkable


@dataclass(frozen=True, slots=True)
class Theorem:
    """A theorem to prove, self-contained enough for an assistant to open it.

    ``prelude`` is the assistant text run before the statement (imports, earlier definitions,
    earlier lemmas with their proofs admitted); ``statement`` is the declaration sentence
    itself (Coq: ``Lemma name : type.``). ``proof`` is the human proof from the source and
    ``premises`` the premise names it uses: both are reference data for training and
    evaluation, never shown to the prover.
    """

    name: str
    statement: str
    prelude: str = ""
    #: The source file, when the theorem comes from a library.
    file: str = ""
    #: Line of the statement in ``file``, 1-indexed; 0 when unknown.
    line: int = 0
    proof: str = ""
    premises: tuple[str, ...] = field(default=())
    #: Text that closes what the prelude left open, after the proof (Coq: ``End S.``).
    epilogue: str = ""

    def __str__(self) -> str:
        return self.statement

    @property
    def where(self) -> str:
        """``file:line name`` for messages."""
        loc = f"{self.file}:{self.line}" if self.file else "<input>"
        return f"{loc} {self.name}"

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["premises"] = list(self.premises)
        return d

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Theorem:
        return cls(
            name=str(d["name"]),
            statement=str(d.get("statement", "")),
            prelude=str(d.get("prelude", "")),
            file=str(d.get("file", "")),
            line=int(d.get("line", 0) or 0),
            proof=str(d.get("proof", "")),
            premises=tuple(str(p) for p in d.get("premises", ()) or ()),
            epilogue=str(d.get("epilogue", "")),
        )


@dataclass(frozen=True, slots=True)
class ProofState:
    """Open goals, as the assistant prints them, and the tactics that led here."""

    goals: str
    tactics: tuple[str, ...] = ()

    def __str__(self) -> str:
        return self.goals

    @property
    def key(self) -> str:
        """What identifies the proof obligation (used to merge duplicate states)."""
        return self.goals

    def to_json(self) -> dict[str, Any]:
        return {"goals": self.goals, "tactics": list(self.tactics)}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> ProofState:
        return cls(str(d["goals"]), tuple(str(t) for t in d.get("tactics", ())))


@dataclass(frozen=True, slots=True)
class ProofFinished:
    """The tactic closed the last goal; ``tactics`` is the whole proof."""

    tactics: tuple[str, ...]

    def __str__(self) -> str:
        return "No more goals."


@dataclass(frozen=True, slots=True)
class TacticError:
    """The assistant rejected the tactic (or died running it); ``message`` says why."""

    tactic: str
    message: str

    def __str__(self) -> str:
        return f"{self.tactic}: {self.message}"


@dataclass(frozen=True, slots=True)
class TacticTimeout:
    """The tactic ran past the per-tactic time limit and was interrupted."""

    tactic: str
    seconds: float

    def __str__(self) -> str:
        return f"{self.tactic}: timeout after {self.seconds:g} s"


Outcome = ProofState | ProofFinished | TacticError | TacticTimeout


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The independent re-check of a found proof by the assistant's batch checker."""

    ok: bool
    script: str
    message: str = ""
    #: The axioms the proof relies on (``Print Assumptions``), all declared by the user or a library.
    assumptions: tuple[str, ...] = ()


@runtime_checkable
class ProofEnv(Protocol):
    """A proof assistant session over one theorem at a time.

    ``open`` may be called again for another theorem; ``close`` frees the process.
    """

    def open(self, theorem: Theorem) -> ProofState: ...

    def run(self, state: ProofState, tactic: str) -> Outcome: ...

    def recheck(self, theorem: Theorem, tactics: tuple[str, ...]) -> CheckResult: ...

    def close(self) -> None: ...
