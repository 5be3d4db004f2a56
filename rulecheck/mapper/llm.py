r"""LLM mapper: the catalogue's generated grammar constrains what the model can write.

As in LLM-FuncMapper the prompt lists the atomic functions (the retriever's shortlist plus the
structural ones) with short examples; unlike a free-text prompt, decoding is constrained by
`grammar.catalogue_grammar` (GBNF, generated from the catalogue's signatures), so the
completion is always three lines — *Applies to*, *When*, *Check* — that parse and type-check:
no invented function, no wrong arity, no length compared with an area. The completion is still
untrusted input: `parse_completion` parses it with the rule grammar and keeps any problem (a
backend without grammar support, a truncated completion) as ``MapResult.error``, never raised.

>>> r = parse_completion('Applies to: all_of_class("IfcDoor")\nWhen: none\nCheck: at_least(door_clear_width(x), 800 mm)', "c")
>>> r.names(), str(r.rule.check)
(['all_of_class', 'at_least', 'door_clear_width'], 'at_least(door_clear_width(x), 800 mm)')
>>> parse_completion("Applies to: bogus()\nWhen: none\nCheck: x", "c").error
"rule rejected: no atomic function named 'bogus'"
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rulecheck.errors import RuleError
from rulecheck.functions import CATALOGUE
from rulecheck.mapper import MapResult
from rulecheck.rule import Rule, parse_expr

#: Functions always offered: selection by class and the comparisons/logic every rule needs.
ALWAYS = ("all_of_class", "named", "at_least", "at_most", "between", "greater_than", "and", "not", "exists", "count")

INSTRUCTIONS = """You translate building-code clauses into checks over an IFC building model.
Useful atomic functions (x is the element being checked):
{catalogue}

Answer with three lines: the elements the clause is about, a precondition (or none), the check.
Constants carry units: 900 mm, 36 in, 8.5 m2, 25 %, 1:12.
"""

#: Few-shot examples; written by us, not CODE-ACCORD sentences, so they never leak into the benchmark.
EXAMPLES = (
    ("Every kitchen shall have a floor area of at least 7 m2.",
     'Applies to: named(all_of_class("IfcSpace"), "kitchen")\nWhen: none\nCheck: at_least(space_area(x), 7 m2)'),
    ("External doors shall be no less than 2000 millimetres high.",
     "Applies to: exit_doors()\nWhen: none\nCheck: at_least(door_height(x), 2000 mm)"),
)
PROMPT_VERSION = "v3-grammar"


def build_prompt(clause: str, functions: Sequence[str]) -> str:
    """The prompt for one clause over the given functions (the answer is grammar-constrained)."""
    cards = "\n".join(f"- {CATALOGUE[n].signature}: {CATALOGUE[n].description}" for n in functions)
    shots = "\n\n".join(f"Clause: {c}\n{a}" for c, a in EXAMPLES)
    return INSTRUCTIONS.format(catalogue=cards) + "\n" + shots + f"\n\nClause: {clause}\n"


def parse_completion(text: str, clause: str, rid: str = "L1") -> MapResult:
    """Read a rule from a completion; every problem becomes ``error`` text (data, not a crash)."""
    fields: dict[str, str] = {}
    for line in text.splitlines():
        m = re.match(r"\s*(Applies to|When|Check)\s*:\s*(.*)", line)
        if m and m.group(1) not in fields:
            fields[m.group(1)] = m.group(2).strip()
    if "Check" not in fields or "Applies to" not in fields:
        return MapResult(clause, (), error="completion has no 'Applies to:' and 'Check:' lines")
    try:
        when = fields.get("When", "none")
        rule = Rule(rid, clause, "llm", parse_expr(fields["Applies to"], "llm applies_to"),
                    parse_expr(fields["Check"], "llm check"),
                    None if when in ("", "none") else parse_expr(when, "llm when"))
    except RuleError as exc:
        return MapResult(clause, (), error=f"rule rejected: {exc}")
    return MapResult(clause, tuple((n, 1.0) for n in sorted(rule.functions())), rule=rule, rules=(rule,))


@dataclass
class LLMMapper:
    """Clause → functions + rule with a `workbench.llm` generator."""

    generator: Any
    shortlist: int = 14
    max_tokens: int = 120
    constrained: bool = True

    @classmethod
    def from_spec(cls, spec: str, **options: Any) -> LLMMapper:
        from workbench.llm import load_generator

        return cls(load_generator(spec, cache=True, **options))

    def candidates(self, clause: str) -> list[str]:
        """The retriever's shortlist plus `ALWAYS`, in catalogue order."""
        from rulecheck.mapper.retrieve import Retriever

        top = Retriever(min_score=-1.0).map(clause, self.shortlist).names()
        wanted = set(top) | set(ALWAYS)
        return [n for n in CATALOGUE.names() if n in wanted]

    def map(self, clause: str) -> MapResult:
        return self.map_many([clause])[0]

    def map_many(self, clauses: Sequence[str]) -> list[MapResult]:
        """Map several clauses in one batched call to the generator.

        A clause that bounds only quantities no catalogue type has (a U-value, minutes) is
        refused before the model is asked: the grammar would force some rule out of it.
        """
        from rulecheck.mapper.grammar import catalogue_grammar
        from rulecheck.units import find_quantities, other_quantities
        from workbench.llm import SamplingParams

        out: list[MapResult | None] = []
        asked: list[str] = []
        for c in clauses:
            others = other_quantities(c)
            if others and not find_quantities(c):
                out.append(MapResult(c, (), error=f"the clause bounds {others[0]}; no catalogue function measures "
                                     "that", refused=True))
            else:
                out.append(None)
                asked.append(c)
        if asked:
            prompts = [build_prompt(c, self.candidates(c)) for c in asked]
            params = SamplingParams(n=1, temperature=0.0, max_tokens=self.max_tokens, stop=("\nClause:", "\n\n"),
                                    grammar=catalogue_grammar() if self.constrained else None)
            outs = iter(self.generator.generate(prompts, params))
            answers = iter([parse_completion(o[0].text if o else "", c) for c, o in zip(asked, outs, strict=True)])
            out = [r if r is not None else next(answers) for r in out]
        return [r for r in out if r is not None]
