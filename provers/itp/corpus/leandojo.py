"""LeanDojo Benchmark 4 as a premise corpus: ``corpus.jsonl`` plus a split's theorem JSON.

``corpus.jsonl`` has one line per Lean file: ``{"path", "imports": [paths], "premises":
[{"full_name", "code", "start": [line, col], "end", "kind"}]}``. A split file (e.g.
``random/test.json``) is a JSON list of theorems: ``{"full_name", "file_path", "start",
"traced_tactics": [{"tactic", "annotated_tactic": [text, [{"full_name", "def_path", ...}]],
"state_before", "state_after"}]}``. The premises a proof uses are the annotated ones of its
tactics, exactly as ReProver evaluates.

Premises are keyed ``<file path>.<Lean full name>`` (the corpus' `Premise.full_name`), so
the same Lean name in two files (private lemmas) stays two premises.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from provers.itp.corpus.base import Corpus, Premise, SourceFile
from provers.itp.env.base import Theorem
from provers.itp.errors import ItpError


def load_corpus(corpus_jsonl: str | os.PathLike[str], theorems_json: str | os.PathLike[str] | None = None) -> Corpus:
    """The files and premises of ``corpus.jsonl``, with the theorems of a split file if given.

    Raises
    ------
    ItpError
        Naming the file and line of a malformed entry.
    """
    files: list[SourceFile] = []
    premises: list[Premise] = []
    path = Path(corpus_jsonl)
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                d = json.loads(line)
                files.append(SourceFile(d["path"], d["path"], tuple(d.get("imports", ()))))
                for p in d.get("premises", ()):
                    premises.append(Premise(p["full_name"], p.get("code", p["full_name"]), d["path"], int(p.get("start", [0])[0]), p.get("kind", "")))
            except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
                raise ItpError(f"malformed corpus entry: {exc}", where=f"{path}:{n}") from exc
    theorems = load_theorems(theorems_json) if theorems_json else []
    return Corpus(files, premises, theorems)


def load_theorems(theorems_json: str | os.PathLike[str]) -> list[Theorem]:
    """The theorems of a LeanDojo Benchmark 4 split file, with their used premises.

    The statement is the first tactic's ``state_before`` (the initial goal), the proof the
    traced tactics, one per line.
    """
    path = Path(theorems_json)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ItpError(f"cannot read theorems: {exc}", where=str(path)) from exc
    out: list[Theorem] = []
    for i, t in enumerate(data):
        try:
            tactics = t.get("traced_tactics", [])
            used: list[str] = []
            for tac in tactics:
                for a in (tac.get("annotated_tactic") or ["", []])[1]:
                    used.append(f"{a['def_path']}.{a['full_name']}")
            out.append(Theorem(
                name=t["full_name"],
                statement=tactics[0]["state_before"] if tactics else "",
                file=t["file_path"],
                line=int(t.get("start", [0])[0]),
                proof="\n".join(tac["tactic"] for tac in tactics),
                premises=tuple(dict.fromkeys(used)),
            ))
        except (KeyError, TypeError, ValueError, IndexError) as exc:
            raise ItpError(f"malformed theorem entry {i}: {exc}", where=str(path)) from exc
    return out
