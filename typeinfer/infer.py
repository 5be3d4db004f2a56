"""Front door: text → CPG → usage slices → predictors → combined inferences.

>>> a = analyse("const n = parseInt('4'); let s = `x${n}`;", "a.ts", [SymbolicPredictor()])
>>> sorted(str(i) for i in a.inferences.values())
['n: number (0.85, symbolic)', 's: string (0.95, symbolic)']
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from typeinfer.combine import Inference, combine
from typeinfer.cpg import Cpg, build_cpg, read_source
from typeinfer.predict import Predictor
from typeinfer.predict.symbolic import SymbolicPredictor
from typeinfer.signatures import Signatures, standard_library
from typeinfer.slices import ProgramUsageSlice, UserDefinedType, slice_program


@dataclass
class FileAnalysis:
    """Everything known about one file after inference."""

    path: str
    text: str
    cpg: Cpg
    program: ProgramUsageSlice
    inferences: dict[str, Inference]


def default_predictors(learned: bool = True, llm: str | None = None) -> list[Predictor]:
    """Symbolic, plus the shipped learned model when present, plus an LLM when a spec is given."""
    preds: list[Predictor] = [SymbolicPredictor()]
    if learned:
        from typeinfer.predict.learned import LearnedPredictor

        model = LearnedPredictor.load_default()
        if model is not None:
            preds.append(model)
    if llm:
        from typeinfer.predict.llm import LLMPredictor

        preds.append(LLMPredictor.from_spec(llm))
    return preds


def analyse(text: str, path: str | Path = "<memory>.ts", predictors: Sequence[Predictor] | None = None,
            signatures: Signatures | None = None,
            extra_types: Sequence[UserDefinedType] = ()) -> FileAnalysis:
    """Infer types for one file's text.

    Parameters
    ----------
    predictors:
        Defaults to `default_predictors` (symbolic + learned).
    signatures:
        Library signatures; defaults to TypeScript's standard library when installed.
    extra_types:
        Classes and interfaces of the rest of the project (for members and duck typing).
    """
    cpg = build_cpg(text, path)
    program = slice_program(cpg)
    if extra_types:
        program = ProgramUsageSlice(program.objectSlices, program.userDefinedTypes + tuple(extra_types))
    sig = signatures if signatures is not None else standard_library()
    preds = list(predictors) if predictors is not None else default_predictors()
    preds = [p.bind(text) if hasattr(p, "bind") else p for p in preds]  # the LLM reads the source
    results = [p.predict(program, sig) for p in preds]
    return FileAnalysis(str(path), text, cpg, program, combine(program, results, sig))


SOURCE_SUFFIXES = (".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs")


def source_files(path: str | Path) -> list[Path]:
    """The TypeScript/JavaScript sources under a path (declaration files and node_modules left out)."""
    p = Path(path)
    if p.is_file():
        return [p]
    return sorted(f for f in p.rglob("*") if f.suffix in SOURCE_SUFFIXES and f.is_file()
                  and not f.name.endswith((".d.ts", ".d.mts", ".d.cts"))
                  and "node_modules" not in f.parts)


def project_types(files: Sequence[Path]) -> tuple[UserDefinedType, ...]:
    """Every class and interface declared in a set of files."""
    out: list[UserDefinedType] = []
    for f in files:
        out += slice_program(build_cpg(read_source(f), f)).userDefinedTypes
    return tuple(out)


def project_signatures(root: str | Path) -> Signatures:
    """The standard library plus the hand-written ``.d.ts`` files of a project (no ``.ts`` twin)."""
    import copy

    sig = copy.deepcopy(standard_library())
    p = Path(root)
    if p.is_dir():
        for f in p.rglob("*.d.ts"):
            twin = f.with_name(f.name[:-5] + ".ts")
            if "node_modules" not in f.parts and not twin.exists():
                sig.add_dts(read_source(f))
    return sig
