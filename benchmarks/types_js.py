"""JavaScript hints: how many targets of an unannotated ~500-line JS file get a hint, how many right.

The JS file is a real TypeScript source compiled to JavaScript by TypeScript itself
(``transpileModule``: every annotation, interface and cast removed, names and functions kept).
Two golds, matched by the position-free key ``method::LABEL::name``
(`typeinfer.predict.target_key`): the annotation the target had in the TypeScript source (few:
most locals and returns are not annotated there), and the type the compiler gives the target in
the typed TypeScript source (annotated or inferred; targets where that is ``any`` have none). Rule for the file
(written before measuring): among the packages of the test split (`typeinfer.corpus.TEST`), in
dictionary order, the first source file in sorted path order whose JavaScript has 450–700
lines. (A first version of the rule counted the TypeScript's lines and picked a file of type
declarations whose JavaScript has 311 lines and 5 annotated targets; nothing was tuned on it.)

That file is the test: its misses are not read and nothing is chosen on it. Rules for
JavaScript are tuned on a dev file picked by the same rule from the dev split
(`typeinfer.corpus.DEV`; ``--split dev``), written down (3 December 2026, ~18:00 UTC) before
that file was picked or analysed.

Hints are what the language server shows for a ``.js`` file (`typeinfer.judge`: the compiler's
type with ``checkJs``, or a prediction that adds no compiler error when written as JSDoc).

Run:  python benchmarks/types_js.py [--split dev]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from typeinfer.checker import Checker
from typeinfer.corpus import DEV, TEST, examples, fetch, sources
from typeinfer.cpg import read_source
from typeinfer.infer import analyse
from typeinfer.judge import judge
from typeinfer.predict import target_key
from typeinfer.tsc import typescript_dir
from typeinfer.typenames import normalize

_TRANSPILE = """
const ts = require(process.argv[1]);
let src = ""; process.stdin.on("data", (d) => src += d).on("end", () => {
  const out = ts.transpileModule(src, {compilerOptions: {target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext, removeComments: false, verbatimModuleSyntax: false}});
  process.stdout.write(out.outputText);
});
"""


#: The splits a file is picked from: test (the reported number), dev (tuning).
SPLITS = {"test": TEST, "dev": DEV}


def pick(split: str = "test") -> tuple[str, Path]:
    """The package and file the rule picks (see the module docstring)."""
    packages = SPLITS[split]
    for name in sorted(packages):
        root = fetch(name, packages[name])
        for f in sources(root):
            text = read_source(f)
            if text.count("\n") >= 450 and 450 <= to_js(text).count("\n") <= 700:
                return f"{name}/{f.relative_to(root).as_posix()}", f
    raise SystemExit(f"no {split}-split file has 450-700 lines")


def to_js(text: str) -> str:
    """TypeScript's own compilation of ``text`` to JavaScript (types removed)."""
    done = subprocess.run(["node", "-e", _TRANSPILE, str(typescript_dir())], input=text, text=True,
                          capture_output=True, check=True, timeout=120)
    return done.stdout


def typed_types(ts_text: str, name: str) -> dict[str, str]:
    """key → the compiler's type of each target in the typed TypeScript source (not ``any``)."""
    from typeinfer.judge import _key, known

    a = analyse(ts_text, name)
    with tempfile.TemporaryDirectory() as tmp:
        checker = Checker(tmp)
        try:
            decls = {(d.label, d.at): d for d in checker.analyse(str(Path(tmp) / name), ts_text).decls}
        finally:
            checker.close()
    out = {}
    for key, inf in a.inferences.items():
        k = _key(inf)
        d = decls.get(k) if k else None
        if d is not None and known(d):
            out[key] = d.shown
    # an annotated target is not a target of the analysis: its annotation is its type
    from typeinfer.cpg import build_cpg
    from typeinfer.slices import slice_program
    from typeinfer.typenames import informative

    for m, sl in slice_program(build_cpg(ts_text, name)).targets():
        if informative(sl.targetObj.typeFullName):
            out.setdefault(target_key(m, sl), sl.targetObj.typeFullName)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", choices=sorted(SPLITS), default="test",
                    help="test (the reported number) or dev (the file JavaScript rules are tuned on)")
    args = ap.parse_args(argv)
    console = Console(width=160)
    label, f = pick(args.split)
    ts_text = read_source(f)
    _, exs, _ = examples(f)
    gold = {e.key: e.gold for e in exs}
    js = to_js(ts_text)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / (f.stem + ".js")
        path.write_text(js, encoding="utf-8")
        t0 = time.perf_counter()
        a = analyse(js, path)
        checker = Checker(tmp)
        try:
            verdict = judge(a.inferences, js, path, checker)
        finally:
            checker.close()
        secs = time.perf_counter() - t0
    keys = {target_key(m, s) for m, s in a.program.targets() if s.targetObj.label != "ARGUMENT"}
    typed = typed_types(ts_text, f.name)
    t = Table(title=f"{label} compiled to JS ({js.count(chr(10))} lines, {len(keys)} targets, {secs:.1f} s)")
    for c in ("system", "hinted", "% of targets", "with gold", "right", "precision",
              "with typed-source type", "right", "precision"):
        t.add_column(c, justify="right")
    systems = {"judged hints (server)": {k: i.type for k, i in verdict.hints.items()},
               "predictions, unjudged (before: `types infer`)": {k: i.type for k, i in a.inferences.items()
                                                                 if i.type}}
    for name, got in systems.items():
        hinted = {k: v for k, v in got.items() if v and k in keys}
        scored = {k: v for k, v in hinted.items() if k in gold}
        right = sum(normalize(v) == normalize(gold[k]) for k, v in scored.items())
        scored2 = {k: v for k, v in hinted.items() if k in typed}
        right2 = sum(normalize(v) == normalize(typed[k]) for k, v in scored2.items())
        t.add_row(name, str(len(hinted)), f"{100 * len(hinted) / max(1, len(keys)):.1f}%", str(len(scored)),
                  str(right), f"{100 * right / max(1, len(scored)):.1f}%", str(len(scored2)), str(right2),
                  f"{100 * right2 / max(1, len(scored2)):.1f}%")
    console.print(t)
    return 0


if __name__ == "__main__":
    sys.exit(main())
