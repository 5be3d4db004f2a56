"""LLM mapper: a chain-of-thought prompt over the (retriever-narrowed) catalogue.

As in LLM-FuncMapper, the model first reasons about what the clause requires, then names the
atomic functions, then composes them. The catalogue is narrowed to the retriever's top
``shortlist`` functions plus the structural ones every rule needs, so the prompt fits a small
local model. The completion is untrusted text: `parse_completion` reads it line by line; an
unknown function name, a syntax error or a type error is kept as ``MapResult.error`` (data),
never raised.

>>> r = parse_completion("Think: doors need clear width.\\nFunctions: door_clear_width, at_least, bogus\\n"
...                      "Applies to: all_of_class(\\"IfcDoor\\")\\nCheck: at_least(door_clear_width(x), 800 mm)", "c")
>>> r.names(), str(r.rule)
(['door_clear_width', 'at_least', 'all_of_class'], 'at_least(door_clear_width(x), 800 mm)')
>>> r.error
'unknown function(s) named by the model: bogus'
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
Use ONLY these atomic functions (x is the element being checked):
{catalogue}

Answer in exactly this format:
Think: <one sentence: which elements, which property, which limit>
Functions: <comma-separated function names>
Applies to: <expression selecting the elements, without x>
Check: <yes/no expression over x, constants with units such as 900 mm, 8.5 m2, 25 %>
"""

#: Few-shot examples; written by us, not CODE-ACCORD sentences, so they never leak into the benchmark.
EXAMPLES = (
    ("Every kitchen shall have a floor area of at least 7 m2.",
     "Think: spaces named kitchen; their floor area; at least 7 m2.\n"
     "Functions: all_of_class, named, space_area, at_least\n"
     "Applies to: named(all_of_class(\"IfcSpace\"), \"kitchen\")\nCheck: at_least(space_area(x), 7 m2)"),
    ("External doors shall be no less than 2000 millimetres high.",
     "Think: exit doors; their height; at least 2000 mm.\nFunctions: exit_doors, door_height, at_least\n"
     "Applies to: exit_doors()\nCheck: at_least(door_height(x), 2000 mm)"),
)
PROMPT_VERSION = "v2"


def build_prompt(clause: str, functions: Sequence[str]) -> str:
    """The chain-of-thought prompt for one clause over the given functions."""
    cards = "\n".join(f"- {CATALOGUE[n].signature}: {CATALOGUE[n].description}" for n in functions)
    shots = "\n\n".join(f"Clause: {c}\n{a}" for c, a in EXAMPLES)
    return INSTRUCTIONS.format(catalogue=cards) + "\n" + shots + f"\n\nClause: {clause}\nThink:"


def parse_completion(text: str, clause: str) -> MapResult:
    """Read functions and a rule from a completion; every problem becomes ``error`` text."""
    if not text.lstrip().startswith("Think:"):
        text = "Think:" + text
    fields: dict[str, str] = {}
    for line in text.splitlines():
        m = re.match(r"\s*(Think|Functions|Applies to|Check)\s*:\s*(.*)", line)
        if m and m.group(1) not in fields:
            fields[m.group(1)] = m.group(2).strip()
    errors: list[str] = []
    named = [n.strip().strip("`") for n in fields.get("Functions", "").split(",") if n.strip()]
    known = [n for n in dict.fromkeys(named) if n in CATALOGUE]
    unknown = [n for n in dict.fromkeys(named) if n not in CATALOGUE]
    if unknown:
        errors.append("unknown function(s) named by the model: " + ", ".join(unknown))
    check = None
    if "Check" in fields and "Applies to" in fields:
        try:
            rule = Rule("llm", clause, "llm", parse_expr(fields["Applies to"], "llm applies_to"),
                        parse_expr(fields["Check"], "llm check"))
            check = rule.check
            known += [f for f in rule.functions() if f not in known]
        except RuleError as exc:
            errors.append(f"rule rejected: {exc}")
    else:
        errors.append("completion has no 'Applies to:' and 'Check:' lines")
    return MapResult(clause, tuple((n, 1.0) for n in known), rule=check, error="; ".join(errors))


@dataclass
class LLMMapper:
    """Clause → functions + rule with a `workbench.llm` generator."""

    generator: Any
    shortlist: int = 14
    max_tokens: int = 160

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
        """Map several clauses in one batched call to the generator."""
        from workbench.llm import SamplingParams

        prompts = [build_prompt(c, self.candidates(c)) for c in clauses]
        params = SamplingParams(n=1, temperature=0.0, max_tokens=self.max_tokens, stop=("\nClause:", "\n\n"))
        outs = self.generator.generate(prompts, params)
        return [parse_completion(o[0].text if o else "", c) for c, o in zip(clauses, outs, strict=True)]
