"""`workbench rules`: list the catalogue, map a clause to functions, check a model."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from rulecheck import DEFAULT_RULES

app = typer.Typer(no_args_is_help=True)

_STYLE = {"pass": "green", "fail": "bold red", "not applicable": "yellow"}


@app.callback()
def _group() -> None:
    """Building-code clauses → atomic functions → checks on IFC models."""


@app.command("functions")
def functions_cmd(category: str = typer.Option("", help="Only this category.")) -> None:
    """List the atomic-function catalogue (signature, description)."""
    from rulecheck.errors import RuleError
    from rulecheck.functions import CATALOGUE

    known = sorted({fn.category for fn in CATALOGUE})
    if category and category not in known:
        raise RuleError(f"unknown category {category!r}; choose one of {', '.join(known)}", where="--category")
    table = Table(title=f"{len(CATALOGUE)} atomic functions")
    for col in ("category", "signature", "description"):
        table.add_column(col)
    for fn in CATALOGUE:
        if not category or fn.category == category:
            table.add_row(fn.category, fn.signature, fn.description)
    Console().print(table)


@app.command("map")
def map_cmd(
    clause: str = typer.Argument(..., help="Clause text, e.g. 'Every flight has a minimum clear width of 900mm.'"),
    mapper: str = typer.Option("retrieve", help="retrieve | classify | llm"),
    k: int = typer.Option(5, "--k", "-k", min=1, help="How many functions to show."),
    model: str = typer.Option("gguf:qwen2.5-coder-1.5b", help="LLM spec for --mapper llm."),
) -> None:
    """Identify the atomic functions a clause needs (and, with --mapper llm, a rule)."""
    from rulecheck.mapper import map_clause

    result = map_clause(clause, mapper=mapper, k=k, llm_spec=model)
    console = Console()
    console.print(mapping_table(result, f"{mapper}: {clause[:80]}"))
    if result.rule is not None:
        console.print(f"rule: [bold]{result.rule}[/]")
    if result.error:
        console.print(f"[yellow]{result.error}[/]")


def mapping_table(result, title: str) -> Table:  # type: ignore[no-untyped-def]
    """The functions a mapper found for a clause, with score and signature (CLI and REPL)."""
    from rich.text import Text

    from rulecheck.functions import CATALOGUE

    table = Table("function", "score", "signature", title=title)
    table.columns[1].justify = "right"
    for name, score in result.functions:
        table.add_row(name, f"{score:.3f}", Text(CATALOGUE[name].signature))
    return table


@app.command("check")
def check_cmd(
    model_path: Path = typer.Argument(..., help="IFC file."),
    rules: Path = typer.Option(DEFAULT_RULES, "--rules", help="Rules JSON file."),
    report: Path | None = typer.Option(None, "--report", help="Write an HTML report here."),
    bcf: Path | None = typer.Option(None, "--bcf", help="Write a BCF 2.1 file (one topic per failure)."),
    json_out: Path | None = typer.Option(None, "--json", help="Write verdicts as JSON."),
    ids: Path | None = typer.Option(None, "--ids", help="Export the IDS-expressible rules here."),
) -> None:
    """Check every rule on a model; print one row per element verdict."""
    from rulecheck.check import check_model
    from rulecheck.errors import RuleError
    from rulecheck.ifc import open_model
    from rulecheck.rule import load_rules
    from workbench.data import check_writable

    for out in (report, bcf, json_out, ids):  # checked before the (slow) check, not after it
        if out is not None:
            check_writable(out, RuleError)
    console = Console()
    model = open_model(model_path)
    rule_list = load_rules(rules)
    verdicts = check_model(model, rule_list)
    print_verdicts(console, verdicts, model_path.name)
    if report:
        from rulecheck.report import html

        html.write(verdicts, report, model_path.name, rules.name)
        console.print(f"HTML report: {report}")
    if bcf:
        from rulecheck.report import bcf as bcf_mod

        bcf_mod.write(verdicts, bcf, model_path.name)
        console.print(f"BCF: {bcf} ({len(bcf_mod.topics(verdicts))} topics)")
    if json_out:
        json_out.write_text(json.dumps([v.to_json() for v in verdicts], indent=1), encoding="utf-8")
        console.print(f"JSON: {json_out}")
    if ids:
        from rulecheck.report import ids as ids_mod

        specs = ids_mod.export(rule_list, ids)
        console.print(f"IDS: {ids} ({len(specs)} of {len(rule_list)} rules are IDS-expressible)")


def print_verdicts(console: Console, verdicts: list, title: str, group: bool = False) -> None:
    """One row per verdict, or (``group``) one row per identical (rule, verdict, value, why)."""
    rows: dict[tuple, list] = {}
    for v in verdicts:
        value = f"{v.value:.3f} {v.unit}".strip() if v.value is not None else ""
        why = v.why if v.status != "fail" else ""
        if v.status == "not applicable" and v.guid:
            why = why.replace(v.guid, "…")
        key = (v.rule, v.status, value, why) if group else (id(v),)
        rows.setdefault(key, []).append(v)
    table = Table(title=f"rule check: {title}")
    for col in ("rule", "element", "verdict", "measured", "why / notes"):
        table.add_column(col, overflow="fold")
    for vs in rows.values():
        v = vs[0]
        element = f"{v.ifc_class} {v.name[:28]}" if v.guid else "(model)"
        if len(vs) > 1:
            element += f" (+{len(vs) - 1} more)"
        measured = "; ".join(m.split(" = ", 1)[-1] for m in v.measured)
        why = v.why if v.status == "not applicable" else "; ".join(v.notes)
        table.add_row(v.rule, element, f"[{_STYLE[v.status]}]{v.status}[/]", measured, textwrap.shorten(why, 300, placeholder=" …"))
    console.print(table)


def demo(console: Console) -> None:
    """Check the shipped CODE-ACCORD rules on duplex.ifc and print the verdict table."""
    from rulecheck.check import check_model, summary
    from rulecheck.ifc import open_model
    from rulecheck.rule import load_rules
    from workbench.data import shared_path

    rules = load_rules(DEFAULT_RULES)
    path = shared_path("ifc/duplex.ifc")
    model = open_model(path)
    verdicts = check_model(model, rules)
    print_verdicts(console, verdicts, path.name, group=True)
    counts = summary(verdicts)
    total = {s: sum(c[s] for c in counts.values()) for s in ("pass", "fail", "not applicable")}
    console.print(f"{len(rules)} rules from real CODE-ACCORD clauses on {path.name}: "
                  f"[green]{total['pass']} pass[/], [red]{total['fail']} fail[/], "
                  f"[yellow]{total['not applicable']} not applicable[/] (never counted as a pass).")
    console.print("[dim]Note the stair riser/going written in feet although the unit is metres: "
                  "detected and converted (see notes), and `workbench rules map \"...\"` for clause → functions.[/]")
