"""REPL commands of the proving part (`provers.itp`): ``prove``, ``step``, ``search``.

A proof is a theorem and the `ProofState` it has reached; states carry their tactic path, so
``undo`` (which restores the previous state) needs nothing from Coq. Tactics run in the
context's `provers.itp.env.coq.CoqEnv`; a finished proof is re-checked by ``coqc``
(`CoqEnv.recheck`); ``search`` is `provers.itp.search.best_first` with the fixed tactics, as
``workbench prove theorem`` runs it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.panel import Panel
from rich.text import Text

from workbench.app.repl.context import Context
from workbench.app.repl.registry import (
    AS_OPTION,
    COMMANDS,
    Args,
    command,
    existing_file,
    object_name,
    renders,
)
from workbench.app.repl.session import PROOF, History, Obj, ReplError, Session


@dataclass(frozen=True, slots=True)
class Proof:
    """A theorem and where its interactive proof stands (a `ProofState`, or `ProofFinished`)."""

    theorem: Any
    state: Any

    @property
    def done(self) -> bool:
        return not hasattr(self.state, "goals")


_KEYWORD = re.compile(r"^(Lemma|Theorem|Example|Fact|Remark|Corollary|Proposition)\s+([\w']+)")


def _goals_panel(name: str, state: Any) -> Panel:
    steps = "".join(f"{i}. {t}\n" for i, t in enumerate(state.tactics, 1))
    body = Text.assemble((steps, "cyan"), state.goals)
    return Panel(body, title=Text(f"{name}: {state.goals.splitlines()[0]}"), expand=False)


@command("prove", "prove [--as NAME] STATEMENT  |  prove FILE.v THEOREM",
         options=AS_OPTION, completes=("path",))
def prove(ctx: Context, h: History, a: Args) -> Session:
    """Start an interactive Coq proof: a statement (`Lemma t : forall n, n + 0 = n.`) or a theorem of a file.

    A bare proposition (`forall A B : Prop, A /\\ B -> B /\\ A`) is stated as a Lemma. Then
    `step TACTIC` applies tactics, `search` lets the fixed-tactic prover try, `undo` steps back.
    """
    from provers.itp.corpus.coq import theorem_from_file
    from provers.itp.env.base import Theorem

    text = a.need("a statement or a file and theorem name", COMMANDS["prove"].usage)
    words = text.split()
    if words[0].endswith(".v") or Path(words[0]).expanduser().is_dir():
        if len(words) != 2 or not words[0].endswith(".v"):
            raise ReplError(f"{words[0]}: give a Coq file and a theorem name ({COMMANDS['prove'].usage})")
        thm = theorem_from_file(str(existing_file(words[0])), words[1])
    else:
        m = _KEYWORD.match(text)
        if m is None:
            goal_name = str(a.opt("as") or h.session.fresh_name("goal"))
            text = f"Lemma {goal_name} : {text.rstrip('.')}."
            m = _KEYWORD.match(text)
            assert m is not None
        thm = Theorem(m.group(2), text if text.endswith(".") else text + ".")
    state = ctx.open_theorem(thm)
    name = object_name(a, h.session, thm.name)
    ctx.console.print(_goals_panel(name, state))
    return h.session.put(Obj(name, PROOF, Proof(thm, state), thm.statement))


def _proof(s: Session, a: Args) -> Obj:
    return s.pick(PROOF, a.opt("proof"), hint="start one with `prove STATEMENT`")


def _finished(ctx: Context, obj: Obj, theorem: Any, tactics: tuple[str, ...]) -> None:
    ctx.console.print(Text(f"✓ {obj.name}: no more goals", style="bold green"))
    result = ctx.coq_for(theorem).recheck(theorem, tactics)
    style = "green" if result.ok else "red"
    ctx.console.print(Panel(Text(result.script.rstrip()), title=Text(f"re-checked with coqc: {'ok' if result.ok else result.message}",
                                                             style=style), expand=False))


@command("step", "step [--proof NAME] TACTIC",
         options={"proof": ("NAME", "proof to work on (default: the current one)")}, completes=(PROOF,))
def step(ctx: Context, h: History, a: Args) -> Session:
    """Apply one Coq tactic to the current proof and show the goals that remain.

    A tactic Coq rejects leaves the proof as it was; when no goal is left the proof is
    re-checked by coqc and printed. `undo` takes a step back.
    """
    from provers.itp.env.base import ProofFinished, ProofState

    obj = _proof(h.session, a)
    proof: Proof = obj.value
    if proof.done:
        raise ReplError(f"the proof of {obj.name} is complete; `undo` to change it")
    tactic = a.need("a tactic", COMMANDS["step"].usage)
    out = ctx.coq_for(proof.theorem).run(proof.state, tactic)
    if isinstance(out, ProofFinished):
        _finished(ctx, obj, proof.theorem, out.tactics)
    elif isinstance(out, ProofState):
        ctx.console.print(_goals_panel(obj.name, out))
    else:
        raise ReplError(f"Coq did not take {tactic!r}: {out}", where=obj.name)
    return h.session.put(Obj(obj.name, PROOF, Proof(proof.theorem, out), obj.note))


@command("search", "search [--proof NAME] [--seconds N]",
         options={"proof": ("NAME", "proof to search (default: the current one)"),
                  "seconds": ("SECONDS", "time budget (default 20)")}, completes=(PROOF,))
def search(ctx: Context, h: History, a: Args) -> Session | None:
    """Let the best-first prover (fixed tactics) search a proof of the current theorem from its start."""
    from provers.itp.cli import print_result, step_printer
    from provers.itp.env.base import ProofFinished
    from provers.itp.generator import FixedTactics
    from provers.itp.search import Budget, best_first

    obj = _proof(h.session, a)
    proof: Proof = obj.value
    env = ctx.coq_for(proof.theorem)
    res = best_first(env, proof.theorem, FixedTactics(), Budget(a.number("seconds", 20.0), 50),
                     on_step=step_printer(ctx.console, failures=False))
    ctx.forget_theorem()
    print_result(ctx.console, res)
    if not res.proved:
        return None
    return h.session.put(Obj(obj.name, PROOF, Proof(proof.theorem, ProofFinished(tuple(res.proof))), obj.note))





@renders(PROOF)
def _show_proof(console: Console, obj: Obj) -> None:
    proof: Proof = obj.value
    console.print(Text(proof.theorem.statement, style="bold"))
    if proof.done:
        console.print(Text("complete: " + "; ".join(proof.state.tactics), style="green"))
    else:
        console.print(_goals_panel(obj.name, proof.state))
