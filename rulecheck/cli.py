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
    clause: str = typer.Argument("", help="Clause text, e.g. 'Every flight has a minimum clear width of 900mm.'"),
    mapper: str = typer.Option("compose", help="compose (no model) | retrieve | classify | llm (grammar-constrained)"),
    k: int = typer.Option(5, "--k", "-k", min=1, help="How many functions to show (retrieve, classify)."),
    model: str = typer.Option("gguf:qwen2.5-coder-1.5b", help="LLM spec for --mapper llm."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Write the composed rule(s) as a rules JSON file."),
    file: Path | None = typer.Option(None, "--file", "-f", help="Map every line of this text file (one clause a line)."),
    rule_id: str = typer.Option("C1", "--id", help="Rule id (with --file: the prefix, C1, C2, ...)."),
    source: str = typer.Option("", help="Where the clause comes from (kept in the rule)."),
) -> None:
    """Turn a clause into a typed rule (or, with retrieve/classify, the functions it needs).

    ``rules map "..." -o rule.json`` then ``rules check MODEL --rules rule.json``.
    """
    from rich.markup import escape

    from rulecheck.errors import RuleError
    from rulecheck.mapper import MAPPERS, map_clause
    from workbench.data import check_writable, read_text

    if mapper not in MAPPERS:
        raise RuleError(f"unknown mapper {mapper!r}; choose {', '.join(MAPPERS)}", where="--mapper")
    if out is not None:
        check_writable(out, RuleError)
    clauses = [clause] if clause.strip() else []
    if file is not None:
        clauses += [line.strip() for line in read_text(file, RuleError).splitlines() if line.strip()]
    if not clauses:
        raise RuleError("give a clause, or --file with one clause a line", where="map")
    console = Console()
    rules: list = []
    refused = 0
    for n, text in enumerate(clauses, start=1):
        rid = rule_id if len(clauses) == 1 else f"{rule_id.rstrip('0123456789') or 'C'}{n}"
        result = map_clause(text, mapper=mapper, k=k, llm_spec=model, rid=rid, source=source)
        if mapper in ("retrieve", "classify") or (not result.rules and result.functions):
            console.print(mapping_table(result, f"{mapper}: {text[:80]}"))
        for r in result.rules:
            console.print(f"rule: [bold]{escape(str(r))}[/]")
        if result.error:
            console.print(f"[yellow]{'refused' if result.refused else 'note'}: {escape(result.error)}[/]")
        refused += result.refused
        rules += [r.to_json() for r in result.rules]
    if out is not None:
        if not rules:
            raise RuleError(f"no rule to write: {mapper} composed none ({refused} refused)", where=str(out))
        out.write_text(json.dumps({"rules": rules}, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        console.print(f"{len(rules)} rule(s) written to {out}; check them with: workbench rules check MODEL --rules {out}")
    elif mapper in ("retrieve", "classify"):
        console.print("[dim]retrieve/classify name functions only; --mapper compose (or llm) writes a rule.[/]")


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
    clause: list[str] = typer.Option([], "--clause", help="Compose this clause into a rule and check it "
                                     "(repeatable; replaces --rules)."),
    report: Path | None = typer.Option(None, "--report", help="Write an HTML report here."),
    bcf: Path | None = typer.Option(None, "--bcf", help="Write a BCF 2.1 file (one topic per failure)."),
    json_out: Path | None = typer.Option(None, "--json", help="Write verdicts as JSON."),
    ids: Path | None = typer.Option(None, "--ids", help="Export the IDS-expressible rules here."),
    allow_damaged: bool = typer.Option(False, "--allow-damaged", help="Check a file whose DATA section is damaged "
                                       "(cut, garbage entities) instead of stopping; the report carries the warning."),
    group: bool = typer.Option(False, "--group", help="One table row per identical verdict."),
) -> None:
    """Check every rule on a model; print one row per element verdict, fails first."""
    from rich.markup import escape

    from rulecheck.check import check_model, summary
    from rulecheck.errors import RuleError
    from rulecheck.ifc import open_model
    from rulecheck.rule import load_rules
    from workbench.data import check_writable

    for out in (report, bcf, json_out, ids):  # checked before the (slow) check, not after it
        if out is not None:
            check_writable(out, RuleError)
    if clause:
        rule_list = clause_rules(clause)
        rules_name = "--clause"
    else:
        rule_list = load_rules(rules)
        rules_name = rules.name
    console = Console()
    model = open_model(model_path, allow_damaged=allow_damaged)
    for problem in model.damage:
        console.print(f"[bold yellow]warning: {escape(str(model_path))}: damaged IFC file: {escape(problem)}[/]")
    verdicts = check_model(model, rule_list)
    print_verdicts(console, verdicts, model_path.name, group=group)
    counts = summary(verdicts)
    total = {k: sum(c[k] for c in counts.values()) for k in ("pass", "fail", "not applicable")}
    console.print(f"{len(rule_list)} rule(s) on {model_path.name}: [red]{total['fail']} fail[/], "
                  f"[green]{total['pass']} pass[/], [yellow]{total['not applicable']} not applicable[/]")
    if report:
        from rulecheck.report import html

        html.write(verdicts, report, model_path.name, rules_name, warnings=model.damage)
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
        if specs:
            console.print(f"IDS: {ids} ({len(specs)} of {len(rule_list)} rules are IDS-expressible)")
        else:
            console.print(f"[yellow]IDS: none of the {len(rule_list)} rules is IDS-expressible (they compute values "
                          f"IDS cannot: clear widths, geometry, topology); {ids} not written[/]")


def clause_rules(clauses: list[str]) -> list:
    """Compose ``--clause`` texts into rules (C1, C2, ...); a refusal is a `RuleError` with its reason."""
    from rulecheck.errors import RuleError
    from rulecheck.mapper.compose import compose

    out: list = []
    for n, text in enumerate(clauses, start=1):
        c = compose(text, f"C{n}", "--clause")
        if c.refusal:
            raise RuleError(f"cannot compose a rule: {c.refusal}; write one with `rules map` or a rules file",
                            where=f"--clause {n}")
        out += list(c.rules)
    return out


def print_verdicts(console: Console, verdicts: list, title: str, group: bool = False) -> None:
    """One row per verdict (fails first, then passes, then not applicable), or (``group``) one
    row per identical (rule, verdict, value, why). A fail shows by how much and where."""
    from rich.markup import escape

    from rulecheck.check import FAIL, NA, PASS

    order = {FAIL: 0, PASS: 1, NA: 2}
    rows: dict[tuple, list] = {}
    for v in sorted(verdicts, key=lambda v: order[v.status]):
        value = f"{v.value:.3f} {v.unit}".strip() if v.value is not None else ""
        why = v.why if v.status != "fail" else ""
        if v.status == "not applicable" and v.guid:
            why = why.replace(v.guid, "…")
        key = (v.rule, v.status, value, why) if group else (id(v),)
        rows.setdefault(key, []).append(v)
    table = Table(title=f"rule check: {title}")
    for col in ("rule", "element", "where", "verdict", "measured", "why / what to change"):
        table.add_column(col, overflow="fold")
    for vs in rows.values():
        v = vs[0]
        element = f"{v.ifc_class} {v.name[:28]}" if v.guid else "(model)"
        if len(vs) > 1:
            element += f" (+{len(vs) - 1} more)"
        where = " · ".join(p for p in (v.storey, v.space) if p)
        measured = v.shortfall or "; ".join(m.split(" = ", 1)[-1] for m in v.measured)
        why = v.why if v.status == "not applicable" else "; ".join(n for n in (v.remedy, *v.notes) if n)
        table.add_row(escape(v.rule), escape(element), escape(where), f"[{_STYLE[v.status]}]{v.status}[/]",
                      escape(measured), escape(textwrap.shorten(why, 300, placeholder=" …")))
    console.print(table)


def demo(console: Console) -> None:
    """Check the shipped CODE-ACCORD rules on duplex.ifc (else on the small model shipped in the
    package, made by scripts/make_sample_ifc.py) and print the verdict table."""
    from rulecheck.check import check_model, summary
    from rulecheck.ifc import open_model
    from rulecheck.rule import load_rules
    from workbench.data import MissingDataError, shared_path

    rules = load_rules(DEFAULT_RULES)
    try:
        path, shared = shared_path("ifc/duplex.ifc"), True
    except MissingDataError:
        path, shared = Path(__file__).parent / "data" / "sample_house.ifc", False
        console.print("[dim]the shared duplex.ifc is not here (see `workbench data`): checking the small "
                      "sample house shipped in the package[/]")
    model = open_model(path)
    verdicts = check_model(model, rules)
    print_verdicts(console, verdicts, path.name, group=True)
    counts = summary(verdicts)
    total = {s: sum(c[s] for c in counts.values()) for s in ("pass", "fail", "not applicable")}
    console.print(f"{len(rules)} rules from real CODE-ACCORD clauses on {path.name}: "
                  f"[green]{total['pass']} pass[/], [red]{total['fail']} fail[/], "
                  f"[yellow]{total['not applicable']} not applicable[/] (never counted as a pass).")
    if shared:
        console.print("[dim]Note the stair riser/going written in feet although the unit is metres: "
                      "detected and converted (see notes), and `workbench rules map \"...\"` for clause → functions.[/]")
