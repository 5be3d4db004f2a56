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

from rulecheck.errors import IfcFileError, NotApplicable, RuleError, RuleSyntaxError, RuleTypeError

__all__ = ["RuleError", "IfcFileError", "NotApplicable", "RuleSyntaxError", "RuleTypeError"]
