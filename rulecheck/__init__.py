"""Building-code rule checking (LLM-FuncMapper): clauses → atomic functions → checks on IFC models.

Data flow, one module per stage::

    ifc.py          the only ifcopenshell adapter: open, units (with wrong-unit detection), geometry cache
    functions/      the catalogue of atomic functions (selection, properties, geometry, topology, ...)
    rule.py         a rule as a typed expression tree over the catalogue (parse, print, JSON, type check)
    mapper/         clause text → functions + rule: retrieve.py (MiniLM), classify.py, llm.py
    check.py        rules × model → per-element verdicts (pass / fail / not applicable: why)
    report/         html.py, bcf.py (BCF 2.1), ids.py (IDS export + ifctester cross-check)
    cli.py          `workbench rules ...`

Every error raised on purpose derives from `RuleError`.
"""

from pathlib import Path

from rulecheck.errors import IfcFileError, NotApplicable, RuleError, RuleSyntaxError, RuleTypeError

#: The rules shipped with the package: our CODE-ACCORD clauses as composed rules.
DEFAULT_RULES = Path(__file__).parent / "data" / "rules_code_accord.json"

__all__ = ["DEFAULT_RULES", "RuleError", "IfcFileError", "NotApplicable", "RuleSyntaxError", "RuleTypeError"]
