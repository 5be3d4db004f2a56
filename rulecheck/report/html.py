"""A self-contained HTML report: a summary per rule and one row per element verdict."""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path

from rulecheck.check import FAIL, NA, PASS, Verdict, summary

_CSS = """body{font-family:system-ui,sans-serif;margin:2em;max-width:1200px}
table{border-collapse:collapse;width:100%;margin-bottom:2em}td,th{border:1px solid #ccc;padding:4px 6px;
font-size:13px;vertical-align:top}th{background:#f3f3f3}.pass{color:#176f2c}.fail{color:#b00020;font-weight:bold}
.na{color:#8a6d00}code{font-size:12px}"""


def render(verdicts: Sequence[Verdict], model_name: str, rules_name: str = "") -> str:
    """The report as an HTML string.

    >>> from rulecheck.check import Verdict
    >>> "fail" in render([Verdict("R1", "clause", "src", "fail", "GUID", "IfcDoor", "D1", 0.7, "m")], "m.ifc")
    True
    """
    esc = html.escape
    counts = summary(verdicts)
    clauses = {v.rule: (v.clause, v.source) for v in verdicts}
    out = [f"<!doctype html><html><head><meta charset='utf-8'><title>Rule check: {esc(model_name)}</title>",
           f"<style>{_CSS}</style></head><body>",
           f"<h1>Rule check of {esc(model_name)}</h1><p>Rules: {esc(rules_name)}. "
           f"{len(verdicts)} verdicts. A rule that cannot be evaluated is <i>not applicable</i>, never a pass.</p>",
           "<h2>Summary</h2><table><tr><th>rule</th><th>clause</th><th>pass</th><th>fail</th><th>not applicable</th></tr>"]
    for rid, c in counts.items():
        clause, source = clauses[rid]
        out.append(f"<tr><td>{esc(rid)}</td><td>{esc(clause)}<br><small>{esc(source)}</small></td>"
                   f"<td class='pass'>{c[PASS]}</td><td class='fail'>{c[FAIL]}</td><td class='na'>{c[NA]}</td></tr>")
    out.append("</table><h2>Verdicts</h2><table><tr><th>rule</th><th>element</th><th>GUID</th>"
               "<th>verdict</th><th>measured</th><th>why / notes</th></tr>")
    for v in verdicts:
        cls = {PASS: "pass", FAIL: "fail", NA: "na"}[v.status]
        measured = "<br>".join(f"<code>{esc(m)}</code>" for m in v.measured)
        notes = "<br>".join(esc(n) for n in (v.why, *v.notes) if n)
        out.append(f"<tr><td>{esc(v.rule)}</td><td>{esc(v.ifc_class)} {esc(v.name)}</td>"
                   f"<td><code>{esc(v.guid or '')}</code></td><td class='{cls}'>{esc(v.status)}</td>"
                   f"<td>{measured}</td><td>{notes}</td></tr>")
    out.append("</table></body></html>")
    return "\n".join(out)


def write(verdicts: Sequence[Verdict], path: str | Path, model_name: str, rules_name: str = "") -> Path:
    """Write the report to ``path``."""
    p = Path(path)
    p.write_text(render(verdicts, model_name, rules_name), encoding="utf-8")
    return p
