"""REPL commands of the logic part (`provers.fol`): ``assume``, ``fol``, ``ask``.

Premises are controlled English (read by `provers.fol.controlled`, no model) or first-order
formulas in any syntax `provers.fol.parse` reads; ``ask`` decides with
`provers.fol.controlled.decide` (ProofWriter's reading) when everything is English, and with
the prover `provers.fol.portfolio.Portfolio` after `provers.fol.signature.check` otherwise,
exactly as ``workbench logic ask`` and ``workbench logic prove`` do.
"""

from __future__ import annotations

import re
from typing import Any

from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from workbench.app.repl.context import Context
from workbench.app.repl.registry import AS_OPTION, COMMANDS, Args, command, object_name, renders
from workbench.app.repl.session import FORMULA, PREMISES, History, Obj, Premise, ReplError, Session

_LABEL_STYLE = {"True": "bold green", "False": "bold red", "Uncertain": "bold yellow", "Error": "bold magenta"}

_FOL_MARKS = re.compile(r"[()∀∃→¬∧∨↔⊕]")


def _read_formula(text: str, syntax: str = "auto") -> Any:
    from provers.fol.parse import parse

    return parse(text, syntax)  # type: ignore[arg-type]


def _read_premises(session: Session, args: Args, text: str) -> list[Premise]:
    """A formula object by name, FOL formulas separated by ``;``, or controlled-English sentences."""
    from provers.fol.controlled import parse_theory

    obj = session.find(text)
    if obj is not None and obj.kind == FORMULA:
        return [Premise(text, obj.value, False)]
    english = args.opt("english") or (not args.opt("fol") and not _FOL_MARKS.search(text))
    if english:
        return [Premise(s.text, s.formula, True) for s in parse_theory(text)]
    parts = [t.strip() for t in text.split(";") if t.strip()]  # a parse error shows its part, with a caret
    return [Premise(part, _read_formula(part, args.opt("syntax", "auto")), False) for part in parts]


def _fol_table(formulas: list[Any], title: str) -> Table:
    from provers.fol.printers import to_folio, to_nltk, to_tptp

    table = Table("#", "FOLIO", "NLTK", "TPTP", title=title)
    for i, f in enumerate(formulas, 1):
        table.add_row(str(i), *(Text(p(f)) for p in (to_folio, to_nltk, to_tptp)))
    return table


def _premise_table(premises: tuple[Premise, ...], title: str, goal: Premise | None = None) -> Table:
    table = Table("#", "premise", "FOL", title=title)
    for i, p in enumerate(premises, 1):
        table.add_row(str(i), Text(p.text if p.english else "(FOL)"), Text(str(p.formula)))
    if goal is not None:
        table.add_row("⊢?", Text(goal.text if goal.english else "(FOL)", style="bold"),
                      Text(str(goal.formula), style="bold"))
    return table


@command("assume", "assume [--set NAME] [--fol|--english] SENTENCES | FORMULA[; FORMULA ...] | FORMULA-NAME",
         options={"set": ("NAME", "premise set to add to (default: the current one, else 'premises')"),
                  "fol": ("", "read the text as FOL formulas (separated by ;)"),
                  "english": ("", "read the text as controlled-English sentences"),
                  "syntax": ("SYNTAX", "FOL syntax: auto, nltk, folio or tptp")},
         completes=(FORMULA,))
def assume(ctx: Context, h: History, a: Args) -> Session:
    """Add premises to a premise set: controlled-English sentences or one first-order formula.

    English is read by the controlled parser (ProofWriter/ProntoQA language, no model), e.g.
    `assume Bob is big. Big things are red.`; text with parentheses or logical symbols is read
    as formulas in NLTK, FOLIO or TPTP syntax, separated by `;`, e.g.
    `assume all x.(Dog(x) -> Animal(x)); Dog(rex)`.
    A formula kept by `fol` can be added by its name.
    """
    s = h.session
    text = a.need("sentences or a formula", COMMANDS["assume"].usage)
    new = _read_premises(s, a, text)
    current = dict(s.currents).get(PREMISES)
    name = str(a.opt("set") or current or "premises")
    old = s.find(name)
    if old is not None and old.kind != PREMISES:
        raise ReplError(f"{name!r} is a {old.kind}, not a premise set")
    premises = (*(old.value if old else ()), *new)
    table = _premise_table(tuple(new), f"{name}: +{len(new)} (now {len(premises)})")
    ctx.console.print(table)
    return s.put(Obj(name, PREMISES, premises, f"{len(premises)} premises"))


@command("fol", "fol [--as NAME] [--syntax SYNTAX] FORMULA",
         options={**AS_OPTION, "syntax": ("SYNTAX", "auto, nltk, folio or tptp")})
def fol(ctx: Context, h: History, a: Args) -> Session:
    """Parse a first-order formula, print it in FOLIO, NLTK and TPTP syntax, and keep it.

    The syntax is detected (`auto`) unless given. The formula is kept as a named object
    (`f1`, `f2`, ... or --as NAME) that `assume` and `ask` accept by name.
    """
    from provers.fol.parse import detect_syntax
    from provers.fol.signature import conflicts

    text = a.need("a formula", COMMANDS["fol"].usage)
    syntax = a.opt("syntax", "auto")
    f = _read_formula(text, syntax)
    name = object_name(a, h.session, h.session.fresh_name("f"))
    read_as = detect_syntax(text) if syntax == "auto" else syntax
    ctx.console.print(_fol_table([f], f"{name} (read as {read_as})"))
    for c in conflicts([f]):
        ctx.console.print(Text(f"signature conflict: {c}", style="yellow"))
    return h.session.put(Obj(name, FORMULA, f, str(f)))


@command("ask", "ask [--set NAME] [--semantics proofwriter|classical] [--backend z3,prover9,eprover] CONCLUSION",
         options={"set": ("NAME", "premise set (default: the current one)"),
                  "semantics": ("S", "English premises: proofwriter (default) or classical"),
                  "backend": ("B,..", "provers, comma-separated (default z3)"),
                  "syntax": ("SYNTAX", "FOL syntax of the conclusion"),
                  "fol": ("", "read the conclusion as FOL"),
                  "english": ("", "read the conclusion as controlled English"),
                  "timeout": ("SECONDS", "per prover call (default 10)")},
         completes=(FORMULA, PREMISES))
def ask(ctx: Context, h: History, a: Args) -> None:
    """Decide whether the premises entail a conclusion: True, False or Uncertain, with the proof or countermodel.

    When every premise and the conclusion are controlled English, the ProofWriter reading
    decides (`provers.fol.controlled.decide`, as `workbench logic ask`); otherwise the formulas
    go to the prover portfolio classically (as `workbench logic prove`), after the signature
    check.
    """
    from provers.fol.backends.base import get_backend
    from provers.fol.controlled import Sentence, decide
    from provers.fol.portfolio import Portfolio
    from provers.fol.signature import check

    s = h.session
    text = a.need("a conclusion", COMMANDS["ask"].usage)
    pset = s.pick(PREMISES, a.opt("set"), hint="add premises with `assume`")
    goals = _read_premises(s, a, text)
    if len(goals) != 1:
        raise ReplError(f"give one conclusion, not {len(goals)} sentences")
    goal, premises = goals[0], pset.value
    backends = [b.strip() for b in str(a.opt("backend", "z3")).split(",") if b.strip()]
    timeout = a.number("timeout", 10.0)
    english = goal.english and all(p.english for p in premises)
    semantics = str(a.opt("semantics", "proofwriter" if english else "classical"))
    if english:
        ans = decide([Sentence(p.text, p.formula) for p in premises], Sentence(goal.text, goal.formula),
                     get_backend(backends[0]), semantics, timeout)
        label, verdicts, how = ans.label.value, [ans.verdict], f"{semantics} reading, {backends[0]}"
    elif semantics != "classical":
        raise ReplError(f"the {semantics} reading needs every premise and the conclusion in controlled English")
    else:
        formulas = [p.formula for p in premises] + [goal.formula]
        check(formulas)
        pv = Portfolio(backends).decide(formulas[:-1], formulas[-1], timeout)
        label, verdicts, how = pv.label.value, list(pv.verdicts), "classical, " + ", ".join(backends)
    ctx.console.print(Text.assemble((label, _LABEL_STYLE.get(label, "bold")), f"  ({pset.name}, {how})"))
    ctx.console.print(_premise_table(premises, f"{pset.name} ⊢? {goal.text}", goal))
    for v in verdicts:
        kind = v.evidence.kind if v.evidence else ""
        what = {"proof": "proof of the conclusion" if label == "True" else "proof of its negation",
                "model": "countermodel: the premises hold, the conclusion is not forced"}.get(kind, kind)
        head = f"{v.backend}, {v.seconds:.3f} s: " + (f"{v.reason}: {v.detail}" if v.reason else what)
        body = v.evidence.text if v.evidence and v.evidence.kind != "error" else ""
        ctx.console.print(Panel(Text(body[:3000] or "-"), title=Text(head), expand=False))
    return None





@renders(PREMISES)
def _show_premises(console: Console, obj: Obj) -> None:
    console.print(_premise_table(obj.value, obj.name))


@renders(FORMULA)
def _show_formula(console: Console, obj: Obj) -> None:
    console.print(_fol_table([obj.value], obj.name))
