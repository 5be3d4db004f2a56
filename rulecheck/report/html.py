"""A self-contained HTML report a person can read: fails first, by how much, where, what to change.

Layout (one page, no external files):

1. a headline (fails / passes / not applicable) and any damaged-file warning;
2. one row per rule: its clause and its counts, rules with fails first;
3. the verdicts, fails first, each with its storey and space, the measured value in the unit
   of the clause ("762 mm, 38 mm below 800 mm"; "29.4 %"), and what to change; filters by
   status, rule and storey (a few lines of inline script; without script every row shows);
   by default only the fails are shown, so a 1,000-element model stays one readable page;
4. the not-applicable verdicts counted by reason, so missing data is visible without a row per
   element.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from rulecheck.check import FAIL, NA, PASS, Verdict, summary

_CSS = """body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:1.5em auto;max-width:1250px;color:#222;
padding:0 1em}h1{font-size:1.5em;margin-bottom:.2em}h2{font-size:1.15em;margin-top:1.6em}
table{border-collapse:collapse;width:100%;margin-bottom:1em}td,th{border-bottom:1px solid #ddd;padding:5px 7px;
font-size:13px;vertical-align:top;text-align:left}th{background:#f4f4f4;position:sticky;top:0}
.pass{color:#176f2c}.fail{color:#b00020;font-weight:600}.na{color:#8a6d00}.num{text-align:right}
.badge{display:inline-block;border-radius:10px;padding:1px 9px;font-size:12px;font-weight:600}
.b-fail{background:#fde7ea;color:#b00020}.b-pass{background:#e5f4e9;color:#176f2c}.b-na{background:#fbf3d5;color:#8a6d00}
.head{display:flex;gap:1em;margin:.6em 0 1em}.head div{border-radius:8px;padding:.5em 1em;font-size:15px}
.warn{background:#fff4e5;border:1px solid #f0b429;padding:.6em 1em;border-radius:6px;margin:.6em 0}
.filters{background:#f8f8f8;padding:.6em .8em;border-radius:6px;margin:.5em 0}.filters label{margin-right:1.2em}
small{color:#666}code{font-size:12px}.short{font-weight:600}"""

_SCRIPT = """<script>
function applyFilters(){
 var s=document.getElementById('f-status').value,r=document.getElementById('f-rule').value,
     t=document.getElementById('f-storey').value,n=0;
 document.querySelectorAll('#verdicts tbody tr').forEach(function(tr){
  var ok=(s==='all'||tr.dataset.status===s)&&(r==='all'||tr.dataset.rule===r)&&(t==='all'||tr.dataset.storey===t);
  tr.style.display=ok?'':'none'; if(ok) n++;});
 document.getElementById('shown').textContent=n;}
document.addEventListener('DOMContentLoaded',function(){
 ['f-status','f-rule','f-storey'].forEach(function(id){document.getElementById(id).onchange=applyFilters;});
 applyFilters();});
</script>"""

_CLS = {PASS: "pass", FAIL: "fail", NA: "na"}
_ORDER = {FAIL: 0, PASS: 1, NA: 2}


def _options(select_id: str, label: str, values: list[str], default: str = "all") -> str:
    esc = html.escape
    opts = [f"<option value='all'{' selected' if default == 'all' else ''}>all</option>"]
    opts += [f"<option value='{esc(v)}'{' selected' if v == default else ''}>{esc(v) or '(none)'}</option>"
             for v in values]
    return f"<label>{label} <select id='{select_id}'>{''.join(opts)}</select></label>"


def render(verdicts: Sequence[Verdict], model_name: str, rules_name: str = "",
           warnings: Sequence[str] = ()) -> str:
    """The report as an HTML string.

    >>> from rulecheck.check import Verdict
    >>> page = render([Verdict("R1", "clause", "src", "fail", "GUID", "IfcDoor", "D1", 0.7, "m",
    ...                        shortfall="700 mm, 100 mm below 800 mm", storey="Level 1", space="A101 Foyer")], "m.ifc")
    >>> "100 mm below 800 mm" in page and "Level 1" in page
    True
    """
    esc = html.escape
    counts = summary(verdicts)
    total = Counter(v.status for v in verdicts)
    clauses = {v.rule: (v.clause, v.source) for v in verdicts}
    default = "fail" if total[FAIL] else "all"
    out = [f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Rule check: {esc(model_name)}</title>",
           f"<meta name='viewport' content='width=device-width,initial-scale=1'><style>{_CSS}</style>{_SCRIPT}</head><body>",
           f"<h1>Rule check of {esc(model_name)}</h1><p><small>Rules: {esc(rules_name)} · {len(counts)} rules · "
           f"{len(verdicts)} verdicts. A rule that cannot be evaluated on an element is <i>not applicable</i> "
           "(with the reason), never a pass.</small></p>",
           "<div class='head'>"
           f"<div class='b-fail'>{total[FAIL]} fail</div><div class='b-pass'>{total[PASS]} pass</div>"
           f"<div class='b-na'>{total[NA]} not applicable</div></div>"]
    for w in warnings:
        out.append(f"<div class='warn'><b>Damaged file:</b> {esc(w)} — verdicts may be incomplete.</div>")
    out.append("<h2>Rules</h2><table><thead><tr><th>rule</th><th>clause</th><th class='num'>fail</th>"
               "<th class='num'>pass</th><th class='num'>n/a</th></tr></thead><tbody>")
    for rid, c in sorted(counts.items(), key=lambda kv: (-kv[1][FAIL], kv[0])):
        clause, source = clauses[rid]
        out.append(f"<tr><td>{esc(rid)}</td><td>{esc(clause)}<br><small>{esc(source)}</small></td>"
                   f"<td class='num fail'>{c[FAIL] or ''}</td><td class='num pass'>{c[PASS] or ''}</td>"
                   f"<td class='num na'>{c[NA] or ''}</td></tr>")
    out.append("</tbody></table>")
    storeys = sorted({v.storey for v in verdicts})
    out.append("<h2>Verdicts</h2><div class='filters'>"
               + _options("f-status", "status", [FAIL, PASS, NA], default)
               + _options("f-rule", "rule", list(counts))
               + _options("f-storey", "storey", storeys)
               + f"<small><span id='shown'>{len(verdicts)}</span> shown</small></div>")
    out.append("<table id='verdicts'><thead><tr><th>rule</th><th>element</th><th>storey · space</th><th>verdict</th>"
               "<th>measured</th><th>what to change / why</th></tr></thead><tbody>")
    for v in sorted(verdicts, key=lambda v: (_ORDER[v.status], v.rule, v.storey, v.name)):
        cls = _CLS[v.status]
        hidden = "" if default == "all" or v.status == default else " style='display:none'"
        element = (f"{esc(v.ifc_class)} {esc(v.name)}<br><small><code>{esc(v.guid or '')}</code></small>"
                   if v.guid else "(model)")
        where = " · ".join(esc(p) for p in (v.storey, v.space) if p) or "<small>—</small>"
        measured = (f"<span class='short'>{esc(v.shortfall)}</span>" if v.shortfall
                    else "<br>".join(esc(m.split(" = ", 1)[-1]) for m in v.measured))
        if v.status == FAIL:
            advice = esc(v.remedy or v.why)
        elif v.status == NA:
            advice = esc(v.why)
        else:
            advice = ""
        notes = "".join(f"<br><small>{esc(n)}</small>" for n in v.notes)
        out.append(f"<tr data-status='{esc(v.status)}' data-rule='{esc(v.rule)}' data-storey='{esc(v.storey)}'{hidden}>"
                   f"<td>{esc(v.rule)}</td><td>{element}</td><td>{where}</td>"
                   f"<td><span class='badge b-{cls}'>{esc(v.status)}</span></td><td>{measured}</td>"
                   f"<td>{advice}{notes}</td></tr>")
    out.append("</tbody></table>")
    reasons = Counter((v.rule, _reason(v.why)) for v in verdicts if v.status == NA)
    if reasons:
        out.append("<h2>Not applicable, by reason</h2><table><thead><tr><th>rule</th><th>reason</th>"
                   "<th class='num'>elements</th></tr></thead><tbody>")
        for (rid, why), n in sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0])):
            out.append(f"<tr><td>{esc(rid)}</td><td>{esc(why)}</td><td class='num'>{n}</td></tr>")
        out.append("</tbody></table>")
    out.append("</body></html>")
    return "\n".join(out)


def _reason(why: str) -> str:
    """A not-applicable reason without element ids, so equal reasons count together."""
    import re

    return re.sub(r"#\d+ |\b[0-9A-Za-z_$]{22}\b", "", why).strip()


def write(verdicts: Sequence[Verdict], path: str | Path, model_name: str, rules_name: str = "",
          warnings: Sequence[str] = ()) -> Path:
    """Write the report to ``path``."""
    p = Path(path)
    p.write_text(render(verdicts, model_name, rules_name, warnings), encoding="utf-8")
    return p
