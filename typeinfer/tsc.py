"""Adapter to the TypeScript compiler (npm ``typescript@5.9.3``, run with node): tsc's own type
inference for unannotated declarations (the baseline) and ``tsc --noEmit`` error counts.

The compiler lives in the cache folder, installed by ``scripts/setup.sh``
(``npm install --prefix ~/.cache/workbench/types/tsc typescript@5.9.3``).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from typeinfer.cpg import dialect_of
from typeinfer.errors import SliceError
from typeinfer.signatures import find_typescript_lib

TSC_VERSION = "5.9.3"

_SCRIPT = r"""
// tsc's own inference for unannotated declarations, through the TypeScript compiler API.
// Usage: node tsc_types.js <typescript module dir> <root dir> <file>...   → JSON lines on stdout:
// {"file", "label", "name", "line" (1-based), "col" (0-based), "type"}
const ts = require(process.argv[2]);
const root = process.argv[3];
const files = process.argv.slice(4);
const program = ts.createProgram(files, {
  noEmit: true, allowJs: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler, skipLibCheck: true, strict: true,
  types: [],
});
const checker = program.getTypeChecker();
const out = [];
function pos(sf, node) {
  const lc = sf.getLineAndCharacterOfPosition(node.getStart(sf));
  return [lc.line + 1, lc.character];
}
function emit(sf, label, nameNode, anchor, type) {
  const [line, col] = pos(sf, anchor);
  out.push(JSON.stringify({file: sf.fileName, label, name: nameNode ? nameNode.getText(sf) : "<return>",
    line, col, type: checker.typeToString(type, undefined, ts.TypeFormatFlags.NoTruncation)}));
}
for (const sf of program.getSourceFiles()) {
  if (!files.includes(sf.fileName)) continue;
  const visit = (node) => {
    if (ts.isParameter(node) && !node.type && ts.isIdentifier(node.name)) {
      emit(sf, "METHOD_PARAMETER_IN", node.name, node.name, checker.getTypeAtLocation(node.name));
    } else if (ts.isVariableDeclaration(node) && !node.type && ts.isIdentifier(node.name)) {
      emit(sf, "LOCAL", node.name, node.name, checker.getTypeAtLocation(node.name));
    } else if (ts.isPropertyDeclaration(node) && !node.type && ts.isIdentifier(node.name)) {
      emit(sf, "MEMBER", node.name, node.name, checker.getTypeAtLocation(node.name));
    }
    if (ts.isFunctionLike(node) && node.body && !node.type) {
      const sig = checker.getSignatureFromDeclaration(node);
      if (sig) emit(sf, "METHOD_RETURN", null, node, checker.getReturnTypeOfSignature(sig));
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
}
process.stdout.write(out.join("\n") + "\n");
"""


def typescript_dir() -> Path:
    """The installed ``typescript`` package folder.

    Raises
    ------
    SliceError
        If node or the package is missing (the message says how to install them).
    """
    lib = find_typescript_lib()
    if lib is None or shutil.which("node") is None:
        raise SliceError(f"node and typescript@{TSC_VERSION} are needed: run scripts/setup.sh or "
                         f"npm install --prefix ~/.cache/workbench/types/tsc typescript@{TSC_VERSION}")
    return lib.parent


def tsc_types(files: list[Path], timeout: float = 600) -> list[dict[str, object]]:
    """tsc's inferred type for each unannotated parameter, variable, field and return in ``files``.

    Each row: ``file``, ``label`` (as our slices), ``name``, ``line`` (1-based), ``col``
    (0-based UTF-16), ``type``.
    """
    ts = typescript_dir()
    with tempfile.NamedTemporaryFile("w", suffix=".js", delete=False) as fh:
        fh.write(_SCRIPT)
    try:
        proc = subprocess.run(["node", "--max-old-space-size=4096", fh.name, str(ts), "/",
                               *map(str, files)], capture_output=True, text=True, timeout=timeout)
    finally:
        Path(fh.name).unlink(missing_ok=True)
    if proc.returncode != 0:
        raise SliceError(f"tsc type dump failed: {proc.stderr.strip()[-300:]}")
    return [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]


def tsc_error_count(files: list[Path], timeout: float = 600) -> int:
    """Number of ``error TS`` diagnostics of ``tsc --noEmit`` over ``files`` (strict, ES2022)."""
    return len(tsc_diagnostics(files, timeout))


def node_modules_of(path: Path) -> Path | None:
    """The ``node_modules`` folder imports from ``path`` resolve through: the nearest one at or above it."""
    start = path.resolve() if path.is_dir() else path.resolve().parent
    return next((d / "node_modules" for d in (start, *start.parents) if (d / "node_modules").is_dir()), None)


def tsc_diagnostics(files: list[Path], timeout: float = 600) -> list[tuple[str, int, str]]:
    """``(file, 1-based line, code)`` of every ``tsc --noEmit`` error over ``files``; JavaScript files are checked
    too (``--checkJs``, as the judge checks their JSDoc), else tsc reports nothing of them."""
    ts = typescript_dir()
    js = ["--allowJs", "--checkJs"] if any(dialect_of(f) == "javascript" for f in files) else []
    cmd = ["node", str(ts / "bin" / "tsc"), "--noEmit", "--pretty", "false", "--skipLibCheck",
           "--strict", "--target", "ES2022", "--module", "ESNext", "--moduleResolution", "bundler", *js,
           *map(str, files)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    return [(str(Path(m.group(1)).resolve()), int(m.group(2)), m.group(3)) for m in
            re.finditer(r"^(.+?)\((\d+),\d+\): error (TS\d+)", proc.stdout, re.M)]


def checked_annotations(plain: dict[Path, str], inferences: dict[Path, list[Any]],  # keys: relative paths
                        min_confidence: float = 0.0, rounds: int = 3,
                        modules: Path | None = None) -> dict[Path, str]:
    """Annotated texts that type-check no worse than ``plain`` under ``tsc --noEmit``.

    The checker is the judge: annotate, type-check the files together with tsc, drop the
    annotations on lines that got an error (file, line, code) the unannotated text did not
    have, and repeat (at most ``rounds`` times). An annotation can also cause errors on other
    lines (at a call site, in another file); so at the end every file that still has more
    errors than its unannotated text (or a new syntax error) is put back as it was; if a file is
    still worse, the files it imports (relative imports) are put back; if one still is, all
    files are: the result never has more errors than the input, file by file.
    Annotations only insert text within a line, so line numbers stay comparable.

    ``modules``: the project's installed dependencies (its ``node_modules``), seen by the check as the project sees
    them. Without them every import is ``any`` to tsc, and an annotation that contradicts a dependency's types
    passes the check here and breaks the project (seen on @farcaster/miniapp-sdk, +4 errors).

    Raises
    ------
    SliceError
        If node or the ``typescript`` package is missing (`typescript_dir`).
    """
    from typeinfer.annotate import annotate

    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        names = {f: base / f for f in plain}  # relative paths keep relative imports working
        for f, p in names.items():
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(plain[f], encoding="utf-8")
        if modules is not None and modules.is_dir():
            (base / "node_modules").symlink_to(modules.resolve(), target_is_directory=True)
        before = Counter(tsc_diagnostics(list(names.values())))
        keep = {f: [i for i in inferences[f] if i.confidence >= min_confidence] for f in plain}

        def check() -> Counter[tuple[str, int, str]]:
            for f, p in names.items():
                p.write_text(annotate(plain[f], keep[f]), encoding="utf-8")
            return Counter(tsc_diagnostics(list(names.values())))

        after = check()
        for _ in range(rounds):
            worse = {(a, line) for (a, line, code), n in after.items() if n > before.get((a, line, code), 0)}
            if not worse:
                return {f: annotate(plain[f], keep[f]) for f in plain}
            dropped = False
            for f, p in names.items():
                key = str(p.resolve())
                kept = [i for i in keep[f] if (key, (i.target.insertAt or (0, 0))[0]) not in worse]
                dropped |= len(kept) < len(keep[f])
                keep[f] = kept
            if not dropped:
                break  # the new errors are not on annotated lines: the file guard below decides
            after = check()

        def per_file(c: Counter[tuple[str, int, str]]) -> Counter[str]:
            out: Counter[str] = Counter()
            for (a, _line, _code), n in c.items():
                out[a] += n
            return out

        def worse_files(after: Counter[tuple[str, int, str]]) -> set[str]:
            # more errors, or a new syntax error (TS1xxx), which hides the file's other errors
            b, a = per_file(before), per_file(after)
            syntax = {(f, code) for (f, _line, code) in before if code.startswith("TS1")}
            return {f for f in a if a[f] > b[f]} | {f for (f, _line, code) in after
                                                     if code.startswith("TS1") and (f, code) not in syntax}

        by_key = {str(p.resolve()): f for f, p in names.items()}
        bad = worse_files(after)
        for culprits in (lambda f: [f], lambda f: _imported(f, plain)):  # the file, then what it imports
            reverted = False
            for k in bad:
                for g in culprits(by_key[k]) if k in by_key else ():
                    if keep.get(g):
                        keep[g] = []
                        reverted = True
            if reverted:
                bad = worse_files(check())
            if not bad:
                break
        if bad:
            return dict(plain)
        return {f: annotate(plain[f], keep[f]) for f in plain}


def _imported(f: Path, plain: dict[Path, str]) -> list[Path]:
    """The files among ``plain`` that ``f`` imports with a relative path (``./x``, ``../y.js``)."""
    out = []
    for m in re.finditer(r"""from\s+['"](\.{1,2}/[^'"]+)['"]""", plain[f]):
        spec = (f.parent / m.group(1)).as_posix()
        base = Path(os.path.normpath(spec))
        stem = base.with_suffix("") if base.suffix in (".js", ".ts", ".mjs", ".cjs") else base
        for cand in (stem.with_suffix(".ts"), stem.with_suffix(".tsx"), stem / "index.ts"):
            if cand in plain:
                out.append(cand)
                break
    return out
