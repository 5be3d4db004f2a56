"""Type inference as batch work: one item per source file, analysed in a `workbench.jobs` worker.

The ``types-infer`` kind of ``workbench batch``. `items` lists the TypeScript/JavaScript
sources under each given folder (`infer.source_files`); `infer_item` runs `infer.analyse` on
one file with the folder's signatures and returns the inferred types (the JSON of
``workbench types infer --format json``) and their counts. A file the parser cannot read is a
failed row with the reason; the batch goes on.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any


def items(paths: list[str] | None = None, packages: list[str] | None = None,
          limit: int | None = None) -> list[dict[str, Any]]:
    """One item per source file under each path, at most ``limit`` per path.

    ``paths`` are folders or files; ``packages`` are npm ``name@version`` specs, downloaded
    once into the corpus cache (`corpus.fetch`) and read like folders.

    Raises
    ------
    SliceError
        When a path does not exist or holds no sources, or a package cannot be fetched.
    """
    from typeinfer.errors import SliceError
    from typeinfer.infer import source_files

    roots = list(paths or [])
    if packages:
        from typeinfer.corpus import fetch

        for spec in packages:
            name, sep, version = spec.rpartition("@")
            if not sep or not name:
                raise SliceError("a package is 'name@version'", where=spec)
            roots.append(str(fetch(name, version)))
    if not roots:
        raise SliceError("give paths = [...] or packages = [\"name@version\", ...]")
    out: list[dict[str, Any]] = []
    for raw in roots:
        root = Path(raw).expanduser().resolve()
        files = source_files(root) if root.exists() else []
        if not files:
            raise SliceError("no TypeScript/JavaScript sources found", where=str(raw))
        base = root if root.is_dir() else root.parent
        out += [{"id": f"{base.name}/{f.relative_to(base)}", "path": str(f), "root": str(base)}
                for f in files[: limit or None]]
    return out


@lru_cache(maxsize=2)
def _predictors(learned: bool) -> Any:
    from typeinfer.infer import default_predictors

    return default_predictors(learned=learned)


@lru_cache(maxsize=4)
def _signatures(root: str) -> Any:
    from typeinfer.infer import project_signatures

    return project_signatures(root)


def infer_item(item: dict[str, Any], learned: bool = True, min_confidence: float = 0.0) -> dict[str, Any]:
    """Infer the types of one file: the inferences at least ``min_confidence`` sure, and counts."""
    from typeinfer.cpg import read_source
    from typeinfer.infer import analyse

    path = Path(item["path"])
    a = analyse(read_source(path), path, _predictors(learned), _signatures(item["root"]))
    found = [{"method": i.method, "name": i.target.name, "label": i.target.label, "line": i.target.lineNumber,
              "type": i.type, "confidence": round(i.confidence, 3), "source": i.source}
             for i in a.inferences.values() if i.type is not None and i.confidence >= min_confidence]
    return {"file": str(path), "targets": len(a.inferences), "typed": len(found), "inferences": found}
