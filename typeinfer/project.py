"""Project-wide evidence: what every file passes to each function, for the parameters of another.

The symbolic predictor already types a parameter from the arguments its callers pass *in the
same file*. Exported functions are mostly called from other files; `call_site_types` collects,
over a first analysis of every file of a project, the confident type of each variable passed
as argument ``i`` of a call to ``name(...)``, and keeps the ones all call sites agree on. A
second analysis then gives that table to `typeinfer.predict.symbolic.SymbolicPredictor`
(``call_sites``), which proposes it for parameter ``i`` of functions and methods called
``name`` (the ``caller-arg`` rule), inside its fixpoint, so the type flows on.

Names are matched without resolution (as the rest of the slicer): a name that is also a
member of a library type (``push``, ``get``) or that the project defines more than
`MAX_DEFINITIONS` times is left out, as its call sites may reach different functions.

>>> from typeinfer.infer import analyse
>>> from typeinfer.predict.symbolic import SymbolicPredictor
>>> a = analyse("export function area(w, h) { return w * h; }", "a.ts", [SymbolicPredictor()])
>>> b = analyse("import { area } from './a';\\nconst side = 3;\\narea(side, side);", "b.ts",
...             [SymbolicPredictor()])
>>> table = call_site_types([a, b])
>>> table[("area", 0)]
('number', 'side is passed to area() in b.ts')
>>> again = analyse(a.text, "a.ts", [SymbolicPredictor(call_sites=table)])
>>> again.inferences["area::METHOD_PARAMETER_IN::h"].type
'number'
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Protocol

from typeinfer.combine import Inference, combine
from typeinfer.infer import FileAnalysis
from typeinfer.predict import Predictor, target_key
from typeinfer.signatures import Signatures, standard_library
from typeinfer.slices import ProgramUsageSlice
from typeinfer.typenames import informative, normalize

#: A name defined more often than this in the project is too ambiguous to match call sites by.
MAX_DEFINITIONS = 3
#: Only types at least this confident in the first analysis count as what a caller passes.
MIN_CONFIDENCE = 0.75

CallSites = Mapping[tuple[str, int], tuple[str, str]]


class _Analysed(Protocol):
    path: str
    program: ProgramUsageSlice
    inferences: dict[str, Inference]


def call_site_types(analyses: Iterable[_Analysed], sig: Signatures | None = None) -> dict[tuple[str, int], tuple[str, str]]:
    """``(callee name, argument position) → (type, evidence)`` where every typed call site agrees."""
    sig = sig if sig is not None else standard_library()
    library_members = {m for _, (_, members) in sig.interfaces.items() for m in members}
    seen: dict[tuple[str, int], Counter[str]] = {}
    first: dict[tuple[str, int, str], str] = {}
    definitions: Counter[str] = Counter()
    for a in analyses:
        for m in a.program.objectSlices:
            definitions[m.fullName.rsplit(".", 1)[-1].split("#")[0]] += 1
        for m, s in a.program.targets():
            t = s.targetObj.typeFullName if informative(s.targetObj.typeFullName) else None
            if t is None:
                inf = a.inferences.get(target_key(m, s))
                t = inf.type if inf is not None and inf.type and inf.confidence >= MIN_CONFIDENCE else None
            if t is None:
                continue
            for c in s.argToCalls:
                if not isinstance(c.position, int) or c.callName.startswith("<operator>"):
                    continue
                key = (c.callName, c.position)
                seen.setdefault(key, Counter())[normalize(t)] += 1
                first.setdefault((*key, normalize(t)),
                                 f"{s.targetObj.name} is passed to {c.callName}() in {Path(a.path).name}")
    out: dict[tuple[str, int], tuple[str, str]] = {}
    for (name, pos), types in seen.items():
        if name in library_members or not 0 < definitions[name] <= MAX_DEFINITIONS:
            continue
        if len(types) == 1:
            t = next(iter(types))
            out[(name, pos)] = (t, first[(name, pos, t)])
        elif len(types) <= 6 and all(re.fullmatch(r"[A-Z][\w$]*(<[^|]*>)?", t) for t in types):
            # several named types: the parameter may be a union alias of them (the predictor looks)
            out[(name, pos)] = ("|".join(sorted(types)), f"call sites in the project pass {', '.join(sorted(types))}")
    return out


def analyse_project(files: Sequence[Path], predictors: Sequence[Predictor],
                    signatures: Signatures | None = None) -> list[FileAnalysis]:
    """Analyse files as one project: each sees the others' types, aliases and call sites.

    Two passes (as ``benchmarks/types_eval.py`` measures): the first analyses every file with
    the classes and interfaces of all of them (`typeinfer.corpus.with_types`) and the union
    aliases they declare; `call_site_types` then collects what each file passes to each
    function, and the second pass gives that to the symbolic predictor. Files that cannot be
    read or parsed are skipped (`typeinfer.cpg.read_source` already replaces bad bytes).
    """
    from typeinfer.corpus import with_types
    from typeinfer.cpg import build_cpg, read_source
    from typeinfer.generics import union_aliases
    from typeinfer.predict.symbolic import SymbolicPredictor
    from typeinfer.slices import slice_program

    sig = signatures if signatures is not None else standard_library()
    texts = {f: read_source(f) for f in files}
    cpgs = {f: build_cpg(t, f) for f, t in texts.items()}
    programs = {f: slice_program(c) for f, c in cpgs.items()}
    extra = tuple(u for p in programs.values() for u in p.userDefinedTypes)
    programs = {f: with_types(p, extra) for f, p in programs.items()}
    aliases = {k: v for t in texts.values() for k, v in union_aliases(t).items()}

    def run(preds: Sequence[Predictor]) -> list[FileAnalysis]:
        out = []
        for f in files:
            bound = [p.bind(texts[f]) if hasattr(p, "bind") else p for p in preds]
            results = [p.predict(programs[f], sig) for p in bound]
            out.append(FileAnalysis(str(f), texts[f], cpgs[f], programs[f],
                                    combine(programs[f], results, sig)))
        return out

    def symbolic(table: CallSites) -> list[Predictor]:
        return [SymbolicPredictor(call_sites=table, aliases=aliases) if isinstance(p, SymbolicPredictor)
                else p for p in predictors]

    first = run(symbolic({}))
    return run(symbolic(call_site_types(first, sig))) if len(files) > 1 else first
