"""Every REPL command: one function each, calling the same library functions as the part CLIs.

A command is registered with `command` (a second command of the same name is rejected) and
receives the `Context` (console, coqtop), the `History` (whose ``session`` it reads) and its
parsed `Args`. It returns a new `Session` when it made or changed an object (``undo`` can then
restore the old one) and ``None`` otherwise. It holds no logic of its own: parsing, proving,
identification, rule checking and type inference are the parts' (`provers.fol`, `causal`,
`rulecheck`, `typeinfer`, `provers.itp`), and so are most renderings (the part CLIs' tables).

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

import difflib
import os
import re
import shlex
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from workbench.errors import WorkbenchError
from workbench.repl.context import Context
from workbench.repl.session import (
    CAUSAL,
    CLAUSE,
    FORMULA,
    IFC,
    PREMISES,
    PROOF,
    TYPES,
    History,
    Obj,
    Premise,
    ReplError,
    Session,
)

_LABEL_STYLE = {"True": "bold green", "False": "bold red", "Uncertain": "bold yellow", "Error": "bold magenta"}


# ---------------------------------------------------------------- registry and arguments


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

    def need(self, what: str, usage: str) -> str:
        """The text, or an error saying what is missing and how to call the command."""
        if not self.text.strip():
            raise ReplError(f"missing {what}; usage: {usage}")
        return self.text.strip()


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
    >>> cmd, args = parse_line("fol --as rule1 all x.(P(x) -> Q(x))")
    >>> cmd.name, args.text, dict(args.options)
    ('fol', 'all x.(P(x) -> Q(x))', {'as': 'rule1'})
    >>> parse_line("fool P(a)")
    Traceback (most recent call last):
    ...
    workbench.repl.session.ReplError: unknown command 'fool' (did you mean: fol?); `help` lists the commands
    """
    tokens = line.split()
    name = tokens[0]
    cmd = COMMANDS.get(name)
    if cmd is None:
        near = difflib.get_close_matches(name, list(COMMANDS), n=3)
        hint = f" (did you mean: {', '.join(near)}?)" if near else ""
        raise ReplError(f"unknown command {name!r}{hint}; `help` lists the commands")
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
            raise ReplError(f"unknown option --{key} for {cmd.name} (options: {known})")
        if not cmd.options[key][0]:
            options[key] = True
            continue
        if not eq:
            value = next(rest, "")
        if not value:
            raise ReplError(f"option --{key} of {cmd.name} needs a value ({cmd.options[key][0]})")
        options[key] = value
    if words and cmd.usage.split()[1:] == []:
        raise ReplError(f"{cmd.name} takes no arguments (got {' '.join(words)!r})")
    return cmd, Args(" ".join(words), options)


class _Quit(Exception):
    """Raised by ``quit``: leave the loop."""


def execute(ctx: Context, history: History, line: str) -> bool:
    """Run one input line; False when the REPL should end.

    Every user error is printed as one line (with the caret context of a formula or query
    when there is one) and leaves ``history`` as it was.
    """
    line = line.strip()
    if not line or line.startswith("#"):
        return True
    try:
        cmd, args = parse_line(line)
        result = cmd.run(ctx, history, args)
        if isinstance(result, Session) and result is not history.session:
            history.push(line, result)
    except _Quit:
        return False
    except WorkbenchError as exc:
        _print_error(ctx, exc)
    except OSError as exc:
        where = f": {exc.filename}" if exc.filename else ""
        ctx.console.print(Text.assemble(("error: ", "bold red"), f"{exc.strerror or exc}{where}"))
    except KeyboardInterrupt:
        ctx.console.print(Text("interrupted", style="yellow"))
    except Exception as exc:  # noqa: BLE001 - a bug in a part must not end the session
        if os.environ.get("WORKBENCH_REPL_TRACEBACK"):
            raise
        ctx.console.print(Text.assemble(("internal error: ", "bold red"), f"{type(exc).__name__}: {exc}",
                                        (" (WORKBENCH_REPL_TRACEBACK=1 shows the traceback)", "dim")))
    return True


def _print_error(ctx: Context, exc: WorkbenchError) -> None:
    ctx.console.print(Text.assemble(("error: ", "bold red"), str(exc).splitlines()[0] if str(exc) else type(exc).__name__))
    context = getattr(exc, "context", None)
    if callable(context):
        ctx.console.print(Text(context(), style="dim"))
    hedge = getattr(exc, "hedge", None)
    if hedge is not None:
        ctx.console.print(Text(hedge.explain(), style="dim"))


def _name(args: Args, session: Session, default: str) -> str:
    name = str(args.opt("as") or default)
    if not re.fullmatch(r"[A-Za-z_][\w.'-]*", name):
        raise ReplError(f"{name!r} is not a usable object name (letters, digits, _ . ' -)")
    return name


def _existing_file(text: str) -> Path:
    path = Path(text).expanduser()
    if not path.exists():
        raise ReplError("no such file", where=str(path))
    return path


# ---------------------------------------------------------------- logic (provers.fol)

_FOL_MARKS = re.compile(r"[()∀∃→¬∧∨↔⊕]")
_AS = {"as": ("NAME", "name of the object made (default: a fresh name)")}


def _read_formula(text: str, syntax: str = "auto") -> Any:
    from provers.fol.parse import parse

    return parse(text, syntax)  # type: ignore[arg-type]


def _read_premises(session: Session, args: Args, text: str) -> list[Premise]:
    """A formula object by name, one FOL formula, or controlled-English sentences."""
    from provers.fol.controlled import parse_theory

    obj = session.find(text)
    if obj is not None and obj.kind == FORMULA:
        return [Premise(text, obj.value, False)]
    english = args.opt("english") or (not args.opt("fol") and not _FOL_MARKS.search(text))
    if english:
        return [Premise(s.text, s.formula, True) for s in parse_theory(text)]
    return [Premise(text, _read_formula(text, args.opt("syntax", "auto")), False)]


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


@command("assume", "assume [--set NAME] [--fol|--english] SENTENCES | FORMULA | FORMULA-NAME",
         options={"set": ("NAME", "premise set to add to (default: the current one, else 'premises')"),
                  "fol": ("", "read the text as one FOL formula"),
                  "english": ("", "read the text as controlled-English sentences"),
                  "syntax": ("SYNTAX", "FOL syntax: auto, nltk, folio or tptp")},
         completes=(FORMULA,))
def assume(ctx: Context, h: History, a: Args) -> Session:
    """Add premises to a premise set: controlled-English sentences or one first-order formula.

    English is read by the controlled parser (ProofWriter/ProntoQA language, no model), e.g.
    `assume Bob is big. Big things are red.`; text with parentheses or logical symbols is read
    as one formula in NLTK, FOLIO or TPTP syntax, e.g. `assume all x.(Dog(x) -> Animal(x))`.
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
         options={**_AS, "syntax": ("SYNTAX", "auto, nltk, folio or tptp")})
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
    name = _name(a, h.session, h.session.fresh_name("f"))
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
    timeout = float(a.opt("timeout", 10.0))
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


# ---------------------------------------------------------------- causal


def _causal_examples() -> list[str]:
    from causal.model import EXAMPLES

    return sorted(p.stem for p in Path(EXAMPLES).glob("*.yaml"))


def _model(s: Session, a: Args) -> Obj:
    return s.pick(CAUSAL, a.opt("model"), hint=f"load one with `model NAME` ({', '.join(_causal_examples())}) or `model FILE`")


def _do_terms(text: str) -> dict[str, str | None]:
    from causal.cli import _do_terms as terms

    return terms([t for t in re.split(r"[,\s]+", text) if t])


@command("model", "model [--as NAME] EXAMPLE | FILE", options=_AS, completes=("example", "path"))
def model(ctx: Context, h: History, a: Args) -> Session:
    """Load a causal model: a shipped example (smoking, frontdoor, backdoor, napkin, bow) or a YAML/JSON file.

    It becomes the current model for `do`, `identify` and `draw`.
    """
    from causal.model import load_model

    text = a.need("a model name or file", COMMANDS["model"].usage)
    m = load_model(text)
    name = _name(a, h.session, Path(text).stem)
    ctx.console.print(_model_tree(name, m))
    return h.session.put(Obj(name, CAUSAL, m, f"{m.name}: {m.graph()}"))


def _model_tree(name: str, m: Any) -> Tree:
    tree = Tree(Text.assemble((name, "bold"), f"  {m.name}"))
    tree.add(Text(f"graph: {m.graph()}"))
    tree.add(Text(f"observed: {', '.join(m.observed)}"))
    tree.add(Text("mechanisms: every CPT known (surgery gives the truth)" if m.has_mechanisms
                  else "observations only (interventions by identification)"))
    if m.has_mechanisms:
        tree.add(Text(f"diagram: {m.diagram()}"))
    return tree


@command("do", "do [--model NAME] [--method auto|surgery|identify] X=x[, ...] [-> Y[=y], ...]  |  do P(Y=y | do(X=x))",
         options={"model": ("NAME", "causal model (default: the current one)"),
                  "method": ("M", "auto (default), surgery or identify")},
         completes=(CAUSAL,))
def do(ctx: Context, h: History, a: Args) -> None:
    """Intervene on the current causal model and compute the outcome: P(Y | do(X=x)).

    `do S=1 -> C=1` is `P(C=1 | do(S=1))`; without `-> ...` the outcome is every other observed
    variable. A model with all mechanisms is cut (string-diagram surgery, shown) and
    evaluated; a model with observations only is answered through the identified estimand.
    """
    from causal.query import answer, parse_query
    from causal.surgery import do as surgery

    obj = _model(h.session, a)
    m = obj.value
    text = a.need("an intervention", COMMANDS["do"].usage)
    if text.startswith("P("):
        q = parse_query(text)
    else:
        left, _, right = text.partition("->")
        terms = _do_terms(left)
        outs = right.strip() or ", ".join(v for v in m.observed if v not in terms)
        q = parse_query(f"P({outs} | do({left.strip()}))")
    if m.has_mechanisms and q.do:
        cut = surgery(m.diagram([v for v, _ in (*q.given, *q.outcomes)]), **dict(q.do))
        ctx.console.print(Text(f"after surgery: {cut}", style="dim"))
    ans = answer(m, q, method=a.opt("method", "auto"))
    ctx.console.print(Text(str(ans)))
    return None


@command("identify", "identify [--model NAME] P(Y | do(X)[, Z])",
         options={"model": ("NAME", "causal model (default: the current one)")}, completes=(CAUSAL,))
def identify(ctx: Context, h: History, a: Args) -> None:
    """Decide whether an interventional query is identifiable from observations (the ID algorithm).

    Prints the estimand, and its value when the model has data; or the hedge that blocks it.
    """
    from causal.errors import NotIdentifiable
    from causal.identify import identify as run_id
    from causal.query import answer, parse_query

    m = _model(h.session, a).value
    q = parse_query(a.need("a query", COMMANDS["identify"].usage))
    for v in q.variables():
        m.check_variable(v, observed=True)
    try:
        est = run_id(m.graph(), [v for v, _ in q.outcomes], [v for v, _ in q.do], [v for v, _ in q.given])
    except NotIdentifiable as exc:
        ctx.console.print(Text.assemble(("not identifiable", "bold red"), f": {exc.query} in {m.graph()}"))
        ctx.console.print(Text(exc.hedge.explain()))
        return None
    ctx.console.print(Text("identifiable", style="bold green"))
    ctx.console.print(Text(str(est)))
    if m.data is not None or m.has_mechanisms:
        ctx.console.print(Text(str(answer(m, q, method="identify").table)))
    return None


@command("draw", "draw [--model NAME] [--do X=x,...] [--out FILE.svg|.png|.pdf]",
         options={"model": ("NAME", "causal model (default: the current one)"),
                  "do": ("X=x,..", "also draw the model after this surgery"),
                  "out": ("FILE", "picture file (default: ./NAME[-do-...].svg)")},
         completes=(CAUSAL, "path"))
def draw(ctx: Context, h: History, a: Args) -> None:
    """Draw the causal graph and string diagram (before and after surgery) to a picture file; print its path."""
    from causal.draw import draw_model

    obj = _model(h.session, a)
    terms = _do_terms(str(a.opt("do", "")))
    tag = "".join(f"-do-{k}{'' if v is None else v}" for k, v in terms.items())
    out = Path(a.opt("out") or ctx.out_dir / f"{obj.name}{tag}.svg").expanduser()
    path = draw_model(obj.value, out, do=terms or None)
    ctx.console.print(Text.assemble("wrote ", (str(path.resolve()), "bold")))
    return None


# ---------------------------------------------------------------- rules (rulecheck)


def _open_ifc(ctx: Context, s: Session, path_text: str, name: str) -> tuple[Obj, Session]:
    from rulecheck.ifc import open_model

    m = open_model(_existing_file(path_text))
    obj = Obj(name, IFC, m, f"{m.path.name}: {m.schema}, lengths in {m.length_unit_name}")
    return obj, s.put(obj)


@command("ifc", "ifc [--as NAME] FILE.ifc", options=_AS, completes=("path",))
def ifc(ctx: Context, h: History, a: Args) -> Session:
    """Open an IFC model (IFC2X3, IFC4) for `check`; prints its schema, unit and what it holds."""
    words = a.words()
    if len(words) != 1:
        raise ReplError(f"give one IFC file; usage: {COMMANDS['ifc'].usage}")
    obj, s = _open_ifc(ctx, h.session, words[0], _name(a, h.session, Path(words[0]).stem))
    m = obj.value
    table = Table("class", "count", title=f"{obj.name}: {obj.note}")
    for cls in ("IfcSpace", "IfcDoor", "IfcWindow", "IfcStair", "IfcStairFlight", "IfcWall"):
        table.add_row(cls, str(len(m.by_type(cls))))
    ctx.console.print(table)
    return s


@command("check", "check [--rules FILE.json] [--only R01,R02] [--all] [IFC-NAME | FILE.ifc]",
         options={"rules": ("FILE", "rules JSON (default: the shipped CODE-ACCORD rules)"),
                  "only": ("IDS", "only these rule ids, comma-separated"),
                  "all": ("", "one row per element instead of grouping equal verdicts")},
         completes=(IFC, "path"))
def check(ctx: Context, h: History, a: Args) -> Session | None:
    """Check building-code rules on an IFC model; a table of pass / fail / not applicable per element.

    The model is an object opened by `ifc`, a file (opened and kept), or the current one.
    """
    from rulecheck.check import check_model, summary
    from rulecheck.cli import DEFAULT_RULES, _print_verdicts
    from rulecheck.rule import load_rules

    s, changed = h.session, None
    words = a.words()
    if len(words) > 1:
        raise ReplError(f"give at most one model; usage: {COMMANDS['check'].usage}")
    if words and s.find(words[0]) is None:
        obj, changed = _open_ifc(ctx, s, words[0], Path(words[0]).stem)
    else:
        obj = s.pick(IFC, words[0] if words else None, hint="open one with `ifc FILE.ifc` or give a file")
    rules = load_rules(_existing_file(a.opt("rules")) if a.opt("rules") else DEFAULT_RULES)
    if a.opt("only"):
        wanted = {r.strip() for r in str(a.opt("only")).split(",")}
        unknown = wanted - {r.id for r in rules}
        if unknown:
            raise ReplError(f"no rule {', '.join(sorted(unknown))} (rules: {', '.join(r.id for r in rules)})")
        rules = [r for r in rules if r.id in wanted]
    verdicts = check_model(obj.value, rules)
    _print_verdicts(ctx.console, verdicts, obj.value.path.name, group=not a.opt("all"))
    counts = summary(verdicts)
    total = {k: sum(c[k] for c in counts.values()) for k in ("pass", "fail", "not applicable")}
    ctx.console.print(f"{len(rules)} rules on {obj.value.path.name}: [green]{total['pass']} pass[/], "
                      f"[red]{total['fail']} fail[/], [yellow]{total['not applicable']} not applicable[/]")
    return changed


@command("map", "map [--mapper retrieve|classify|llm] [--llm] [--model SPEC] [--k N] [--as NAME] CLAUSE",
         options={"mapper": ("M", "retrieve (default, offline), classify or llm"),
                  "llm": ("", "same as --mapper llm"),
                  "model": ("SPEC", "LLM for --llm (default gguf:qwen2.5-coder-1.5b)"),
                  "k": ("N", "how many functions to show (default 5)"), **_AS})
def map_(ctx: Context, h: History, a: Args) -> Session:
    """Map a building-code clause to the atomic functions that check it (and, with --llm, a rule).

    The default mapper retrieves with MiniLM embeddings (offline, about a second); `classify`
    uses the classifier trained on labelled CODE-ACCORD clauses; `--llm` asks a model.
    """
    from rulecheck.functions import CATALOGUE
    from rulecheck.mapper import map_clause

    text = a.need("a clause", COMMANDS["map"].usage)
    mapper = "llm" if a.opt("llm") else str(a.opt("mapper", "retrieve"))
    try:
        k = int(a.opt("k", 5))
    except ValueError as exc:
        raise ReplError(f"--k needs a whole number, not {a.opt('k')!r}") from exc
    result = map_clause(text, mapper=mapper, k=k, llm_spec=str(a.opt("model", "gguf:qwen2.5-coder-1.5b")))
    name = _name(a, h.session, h.session.fresh_name("c"))
    ctx.console.print(_clause_table(name, mapper, result, CATALOGUE))
    if result.rule is not None:
        ctx.console.print(Text.assemble("rule: ", (str(result.rule), "bold")))
    if result.error:
        ctx.console.print(Text(result.error, style="yellow"))
    return h.session.put(Obj(name, CLAUSE, result, f"{text[:50]} → {', '.join(result.names()[:3])}"))


def _clause_table(name: str, mapper: str, result: Any, catalogue: Any) -> Table:
    table = Table("function", "score", "signature", title=f"{name} ({mapper}): {result.clause[:80]}")
    for fn, score in result.functions:
        table.add_row(fn, f"{score:.3f}", Text(catalogue[fn].signature))
    return table


# ---------------------------------------------------------------- types (typeinfer)


@command("types", "types [--no-learned] [--llm SPEC] FILE.ts|.js",
         options={"no-learned": ("", "leave out the learned model"),
                  "llm": ("SPEC", "also ask an LLM, e.g. gguf:qwen2.5-coder-1.5b (slow)")},
         completes=("path",))
def types(ctx: Context, h: History, a: Args) -> Session:
    """Infer types for the unannotated parameters, variables, fields and returns of a TS/JS file.

    The same analysis as `workbench types infer FILE`: usage slices, symbolic rules and the
    learned model; one table row per target with its confidence and evidence.
    """
    from typeinfer.cli import _table
    from typeinfer.cpg import read_source
    from typeinfer.infer import analyse, default_predictors, project_signatures

    words = a.words()
    if len(words) != 1:
        raise ReplError(f"give one source file; usage: {COMMANDS['types'].usage}")
    path = _existing_file(words[0])
    if path.is_dir():
        raise ReplError("give a file, not a folder (`workbench types infer FOLDER` does folders)", where=str(path))
    preds = default_predictors(learned=not a.opt("no-learned"), llm=a.opt("llm"))
    analysis = analyse(read_source(path), path, preds, project_signatures(path.parent))
    ctx.console.print(_table(analysis, str(path)))
    typed = sum(1 for i in analysis.inferences.values() if i.type)
    ctx.console.print(f"{typed} of {len(analysis.inferences)} targets typed")
    name = _name(a, h.session, path.stem)
    return h.session.put(Obj(name, TYPES, analysis, f"{path.name}: {typed}/{len(analysis.inferences)} typed"))


# ---------------------------------------------------------------- proofs (provers.itp)


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
         options=_AS, completes=("path",))
def prove(ctx: Context, h: History, a: Args) -> Session:
    """Start an interactive Coq proof: a statement (`Lemma t : forall n, n + 0 = n.`) or a theorem of a file.

    A bare proposition (`forall A B : Prop, A /\\ B -> B /\\ A`) is stated as a Lemma. Then
    `step TACTIC` applies tactics, `search` lets the fixed-tactic prover try, `undo` steps back.
    """
    from provers.itp.corpus.coq import theorem_from_file
    from provers.itp.env.base import Theorem

    text = a.need("a statement or a file and theorem name", COMMANDS["prove"].usage)
    words = text.split()
    if len(words) == 2 and words[0].endswith(".v"):
        thm = theorem_from_file(str(_existing_file(words[0])), words[1])
    else:
        m = _KEYWORD.match(text)
        if m is None:
            goal_name = str(a.opt("as") or h.session.fresh_name("goal"))
            text = f"Lemma {goal_name} : {text.rstrip('.')}."
            m = _KEYWORD.match(text)
            assert m is not None
        thm = Theorem(m.group(2), text if text.endswith(".") else text + ".")
    state = ctx.open_theorem(thm)
    name = _name(a, h.session, thm.name)
    ctx.console.print(_goals_panel(name, state))
    return h.session.put(Obj(name, PROOF, Proof(thm, state), thm.statement))


def _proof(s: Session, a: Args) -> Obj:
    return s.pick(PROOF, a.opt("proof"), hint="start one with `prove STATEMENT`")


def _finished(ctx: Context, obj: Obj, theorem: Any, tactics: tuple[str, ...]) -> None:
    ctx.console.print(Text(f"✓ {obj.name}: no more goals", style="bold green"))
    result = ctx.coq_for(theorem).recheck(theorem, tactics)
    style = "green" if result.ok else "red"
    ctx.console.print(Panel(Text(result.script), title=Text(f"re-checked with coqc: {'ok' if result.ok else result.message}",
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
                  "seconds": ("N", "time budget (default 20)")}, completes=(PROOF,))
def search(ctx: Context, h: History, a: Args) -> Session | None:
    """Let the best-first prover (fixed tactics) search a proof of the current theorem from its start."""
    from provers.itp.cli import _printer, _report
    from provers.itp.env.base import ProofFinished
    from provers.itp.generator import FixedTactics
    from provers.itp.search import Budget, best_first

    obj = _proof(h.session, a)
    proof: Proof = obj.value
    env = ctx.coq_for(proof.theorem)
    res = best_first(env, proof.theorem, FixedTactics(), Budget(float(a.opt("seconds", 20)), 50),
                     on_step=_printer(ctx.console, failures=False))
    ctx.forget_theorem()
    _report(ctx.console, res)
    if not res.proved:
        return None
    return h.session.put(Obj(obj.name, PROOF, Proof(proof.theorem, ProofFinished(tuple(res.proof))), obj.note))


# ---------------------------------------------------------------- the session itself


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
    from rulecheck.functions import CATALOGUE
    from typeinfer.cli import _table

    obj = h.session.get(a.need("an object name", COMMANDS["show"].usage))
    c = ctx.console
    if obj.kind == PREMISES:
        c.print(_premise_table(obj.value, obj.name))
    elif obj.kind == FORMULA:
        c.print(_fol_table([obj.value], obj.name))
    elif obj.kind == CAUSAL:
        c.print(_model_tree(obj.name, obj.value))
    elif obj.kind == CLAUSE:
        c.print(_clause_table(obj.name, "kept", obj.value, CATALOGUE))
    elif obj.kind == TYPES:
        c.print(_table(obj.value, obj.value.path))
    elif obj.kind == PROOF:
        proof: Proof = obj.value
        c.print(Text(proof.theorem.statement, style="bold"))
        if proof.done:
            c.print(Text("complete: " + "; ".join(proof.state.tactics), style="green"))
        else:
            c.print(_goals_panel(obj.name, proof.state))
    else:
        c.print(Text(f"{obj.name}: {obj.kind}, {obj.note}"))
    return None


@command("undo", "undo")
def undo(ctx: Context, h: History, a: Args) -> None:
    """Take back the last command that changed the session (premise, model, proof step, ...)."""
    line = h.undo()
    ctx.console.print(Text.assemble("undone: ", (line, "bold")))
    return None


@command("help", "help [COMMAND]", completes=("command",), aliases=("?",))
def help_(ctx: Context, h: History, a: Args) -> None:
    """List the commands, or explain one: usage, what it does, options."""
    name = a.text.strip()
    if not name:
        table = Table("command", "what it does", title="commands (help COMMAND for details; Tab completes)")
        for key, cmd in COMMANDS.items():
            if key == cmd.name:
                table.add_row(cmd.name, cmd.summary)
        ctx.console.print(table)
        return None
    cmd = COMMANDS.get(name)
    if cmd is None:
        raise ReplError(f"no command {name!r}; `help` lists them")
    ctx.console.print(Text(f"usage: {cmd.usage}", style="bold"))
    ctx.console.print(Text(cmd.summary))
    if cmd.details:
        ctx.console.print(Text(cmd.details))
    if cmd.options:
        table = Table("option", "", box=None)
        for opt, (metavar, text) in cmd.options.items():
            table.add_row(f"--{opt} {metavar}".rstrip(), text)
        ctx.console.print(table)
    return None


@command("quit", "quit", aliases=("exit",))
def quit_(ctx: Context, h: History, a: Args) -> None:
    """Leave the REPL (Ctrl-D too); the input history is kept for the next session."""
    raise _Quit
