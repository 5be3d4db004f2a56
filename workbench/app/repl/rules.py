"""REPL commands of the rules part (`rulecheck`): ``ifc``, ``check``, ``map``.

IFC files are opened by `rulecheck.ifc.open_model`, rules read by `rulecheck.rule.load_rules`
and checked by `rulecheck.check.check_model`, with the verdict table of ``workbench rules
check``; clauses are mapped to atomic functions by `rulecheck.mapper.map_clause` (offline
retrieval by default, an LLM on request).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
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
from workbench.app.repl.session import CLAUSE, IFC, History, Obj, ReplError, Session


def _open_ifc(ctx: Context, s: Session, path_text: str, name: str) -> tuple[Obj, Session]:
    from rulecheck.ifc import open_model

    m = open_model(existing_file(path_text))
    obj = Obj(name, IFC, m, f"{m.path.name}: {m.schema}, lengths in {m.length_unit_name}")
    return obj, s.put(obj)


@command("ifc", "ifc [--as NAME] FILE.ifc", options=AS_OPTION, completes=("path",))
def ifc(ctx: Context, h: History, a: Args) -> Session:
    """Open an IFC model (IFC2X3, IFC4) for `check`; prints its schema, unit and what it holds."""
    words = a.words()
    if len(words) != 1:
        raise ReplError(f"give one IFC file; usage: {COMMANDS['ifc'].usage}")
    obj, s = _open_ifc(ctx, h.session, words[0], object_name(a, h.session, Path(words[0]).stem))
    m = obj.value
    ctx.console.print(Text.assemble((obj.name, "bold"), f"  {obj.note}"))
    table = Table("class", "count")
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
    from rulecheck import DEFAULT_RULES
    from rulecheck.check import check_model, summary
    from rulecheck.cli import print_verdicts
    from rulecheck.rule import load_rules

    s, changed = h.session, None
    words = a.words()
    if len(words) > 1:
        raise ReplError(f"give at most one model; usage: {COMMANDS['check'].usage}")
    if words and s.find(words[0]) is None:
        obj, changed = _open_ifc(ctx, s, words[0], Path(words[0]).stem)
    else:
        obj = s.pick(IFC, words[0] if words else None, hint="open one with `ifc FILE.ifc` or give a file")
    rules = load_rules(existing_file(a.opt("rules")) if a.opt("rules") else DEFAULT_RULES)
    if a.opt("only"):
        wanted = {r.strip() for r in str(a.opt("only")).split(",")}
        unknown = wanted - {r.id for r in rules}
        if unknown:
            raise ReplError(f"no rule {', '.join(sorted(unknown))} (rules: {', '.join(r.id for r in rules)})")
        rules = [r for r in rules if r.id in wanted]
    verdicts = check_model(obj.value, rules)
    print_verdicts(ctx.console, verdicts, obj.value.path.name, group=not a.opt("all"))
    counts = summary(verdicts)
    total = {k: sum(c[k] for c in counts.values()) for k in ("pass", "fail", "not applicable")}
    ctx.console.print(f"{len(rules)} rule{'s' if len(rules) != 1 else ''} on {obj.value.path.name}: [green]{total['pass']} pass[/], "
                      f"[red]{total['fail']} fail[/], [yellow]{total['not applicable']} not applicable[/]")
    return changed


@command("map", "map [--mapper compose|retrieve|classify|llm] [--llm] [--model SPEC] [--k N] [--as NAME] CLAUSE",
         options={"mapper": ("M", "compose (default, offline; writes a rule or refuses), retrieve, classify or llm"),
                  "llm": ("", "same as --mapper llm"),
                  "model": ("SPEC", "LLM for --llm (default gguf:qwen2.5-coder-1.5b)"),
                  "k": ("N", "how many functions to show (default 5)"), **AS_OPTION})
def map_(ctx: Context, h: History, a: Args) -> Session:
    """Map a building-code clause to a typed rule (or to the atomic functions that check it).

    The default mapper composes the rule without an LLM (subject, quantity, comparison, value
    and unit) and refuses, with the reason, when no catalogue function measures the clause;
    `retrieve` (MiniLM) and `classify` only name functions; `--llm` asks a model under the
    catalogue's grammar.
    """
    from rulecheck.mapper import map_clause

    text = a.need("a clause", COMMANDS["map"].usage)
    mapper = "llm" if a.opt("llm") else str(a.opt("mapper", "compose"))
    k = int(a.number("k", 5, integer=True))
    result = map_clause(text, mapper=mapper, k=k, llm_spec=str(a.opt("model", "gguf:qwen2.5-coder-1.5b")))
    name = object_name(a, h.session, h.session.fresh_name("c"))
    if mapper in ("retrieve", "classify") or (not result.rules and result.functions):
        ctx.console.print(_clause_table(name, mapper, result))
    for rule in result.rules:
        ctx.console.print(Text.assemble("rule: ", (str(rule), "bold")))
    if result.error:
        ctx.console.print(Text(f"{'refused' if result.refused else 'note'}: {result.error}", style="yellow"))
    return h.session.put(Obj(name, CLAUSE, result, f"{text[:50]} → {', '.join(result.names()[:3])}"))


def _clause_table(name: str, mapper: str, result: Any) -> Table:
    from rulecheck.cli import mapping_table

    return mapping_table(result, f"{name} ({mapper}): {result.clause[:80]}")


@renders(CLAUSE)
def _show_clause(console: Console, obj: Obj) -> None:
    console.print(_clause_table(obj.name, "kept", obj.value))
