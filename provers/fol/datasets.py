"""Readers for the logic data sets: FOLIO rows and LINC's recorded generations.

Readers never stop at a bad line: a line that is not JSON, or a row without premises, comes
out as a `BadItem` carrying what and where, so an evaluation can record it and go on.

* `load_folio` — FOLIO jsonl (``premises-FOL``, ``conclusion-FOL``, ``label``); labels
  ``Unknown`` are read as ``Uncertain``.
* `load_linc` — LINC's ``<prefix>_generations_raw.json`` (per problem, K completions),
  ``<prefix>_references.json`` (gold labels) and, when present, ``<prefix>_generations_prc.json``
  (LINC's own per-sample labels) and, for FOLIO, ``linc_folio_order_to_validation_row.json``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from provers.fol.syntax import FolError
from workbench.data import read_text


@dataclass(frozen=True, slots=True)
class GoldProblem:
    """One problem with its formulas written by people (FOLIO's gold FOL)."""

    id: str
    premises: tuple[str, ...]
    conclusion: str
    label: str
    syntax: str = "folio"


@dataclass(frozen=True, slots=True)
class SampledProblem:
    """One problem with K model completions (LINC's ``TEXT:``/``FOL:`` format)."""

    id: str
    completions: tuple[str, ...]
    label: str
    linc_labels: tuple[str, ...] | None = None
    source_row: int | None = None


@dataclass(frozen=True, slots=True)
class BadItem:
    """An input item that could not be read; ``what`` says why, ``id`` where."""

    id: str
    what: str


def normalise_label(label: str) -> str:
    """FOLIO and ProofWriter spellings → True / False / Uncertain.

    >>> normalise_label("Unknown"), normalise_label("A"), normalise_label(" True")
    ('Uncertain', 'True', 'True')
    """
    label = label.strip()
    return {"Unknown": "Uncertain", "A": "True", "B": "False", "C": "Uncertain"}.get(label, label)


def load_folio(path: str | Path, syntax: str = "folio") -> Iterator[GoldProblem | BadItem]:
    """FOLIO-style jsonl rows, id ``row-<index>`` (0-based, counting every line)."""
    for index, line in enumerate(read_text(path, FolError).split("\n")):
        rid = f"row-{index}"
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            yield BadItem(rid, f"{path}:{index + 1}: not JSON ({exc.msg} at column {exc.colno})")
            continue
        if not isinstance(row, dict):
            yield BadItem(rid, f"{path}:{index + 1}: a row must be a JSON object")
            continue
        premises = row.get("premises-FOL") or row.get("premises_fol") or []
        conclusion = row.get("conclusion-FOL") or row.get("conclusion_fol")
        if not premises:
            yield BadItem(rid, f"{path}:{index + 1}: empty premise list")
            continue
        if not conclusion:
            yield BadItem(rid, f"{path}:{index + 1}: no conclusion-FOL")
            continue
        yield GoldProblem(rid, tuple(premises), conclusion, normalise_label(str(row.get("label", ""))), syntax)


def _linc_files(prefix: str | Path) -> dict[str, Path]:
    prefix = str(prefix)
    for suffix in ("_generations_raw.json", "_references.json", "_generations_prc.json"):
        if prefix.endswith(suffix):
            prefix = prefix[: -len(suffix)]
    return {
        "raw": Path(prefix + "_generations_raw.json"),
        "references": Path(prefix + "_references.json"),
        "prc": Path(prefix + "_generations_prc.json"),
    }


def load_linc(prefix: str | Path) -> list[SampledProblem]:
    """LINC's recorded generations for one model and task.

    Parameters
    ----------
    prefix:
        ``.../gpt-3.5-turbo-16k-0613_folio-neurosymbolic-8shot`` or any of its files.

    Raises
    ------
    FolError
        When the raw generations or the references are missing or not LINC's format.
    """
    files = _linc_files(prefix)
    for key in ("raw", "references"):
        if not files[key].exists():
            raise FolError("LINC file not found", where=str(files[key]))
    try:
        raw = json.loads(read_text(files["raw"], FolError))
        refs = json.loads(read_text(files["references"], FolError))
        prc = json.loads(read_text(files["prc"], FolError)) if files["prc"].exists() else None
    except json.JSONDecodeError as exc:
        raise FolError(f"not JSON: {exc.msg} (line {exc.lineno})", where=str(files["raw"])) from exc
    if not isinstance(raw, list) or not isinstance(refs, list):
        raise FolError("LINC files must hold JSON lists (generations per problem; references)", where=str(files["raw"]))
    if len(raw) != len(refs):
        raise FolError(f"{len(raw)} generation lists but {len(refs)} references", where=str(files["raw"]))
    rows = _folio_rows(files["raw"]) if "folio" in files["raw"].name else None
    return [
        SampledProblem(
            id=f"p{i}", completions=tuple(gens), label=normalise_label(ref),
            linc_labels=tuple(prc[i]) if prc else None,
            source_row=rows[i] if rows and i < len(rows) else None,
        )
        for i, (gens, ref) in enumerate(zip(raw, refs, strict=True))
    ]


def _folio_rows(raw: Path) -> list[int] | None:
    path = raw.with_name("linc_folio_order_to_validation_row.json")
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return [int(x) for x in data] if isinstance(data, list) else None


@dataclass(frozen=True, slots=True)
class NLProblem:
    """One problem in natural language: premise sentences, a conclusion, the gold label."""

    id: str
    premises: tuple[str, ...]
    conclusion: str
    label: str


def load_proofwriter(path: str | Path) -> list[NLProblem | BadItem]:
    """ProofWriter as LINC ships it (``dev.json``: a list of {id, context, question, answer}).

    The context is split into sentences; the conclusion is the statement after the question's
    last ``?``; answers A/B/C are True/False/Uncertain.

    Raises
    ------
    FolError
        When the file is missing or not a JSON list.
    """
    from provers.fol.controlled import question_statement, split_sentences

    path = Path(path)
    if not path.exists():
        raise FolError("ProofWriter file not found", where=str(path))
    try:
        data = json.loads(read_text(path, FolError))
    except json.JSONDecodeError as exc:
        raise FolError(f"not JSON: {exc.msg} (line {exc.lineno})", where=str(path)) from exc
    if not isinstance(data, list):
        raise FolError("expected a JSON list of problems", where=str(path))
    out: list[NLProblem | BadItem] = []
    for i, row in enumerate(data):
        rid = str(row.get("id", f"row-{i}")) if isinstance(row, dict) else f"row-{i}"
        if not isinstance(row, dict) or not row.get("context") or not row.get("question"):
            out.append(BadItem(rid, f"{path}: item {i}: needs 'context' and 'question'"))
            continue
        out.append(NLProblem(rid, tuple(split_sentences(row["context"])), question_statement(row["question"]),
                             normalise_label(str(row.get("answer", "")))))
    return out


def load_folio_nl(path: str | Path) -> list[NLProblem | BadItem]:
    """FOLIO rows read as natural language (``premises``, ``conclusion``), id ``row-<index>``."""
    out: list[NLProblem | BadItem] = []
    for index, line in enumerate(read_text(path, FolError).split("\n")):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            out.append(BadItem(f"row-{index}", f"{path}:{index + 1}: not JSON ({exc.msg})"))
            continue
        if not isinstance(row, dict):
            out.append(BadItem(f"row-{index}", f"{path}:{index + 1}: a row must be a JSON object"))
            continue
        premises = row.get("premises") or []
        if isinstance(premises, str):
            premises = [p for p in premises.split("\n") if p.strip()]
        if not premises or not row.get("conclusion"):
            out.append(BadItem(f"row-{index}", f"{path}:{index + 1}: needs premises and conclusion"))
            continue
        out.append(NLProblem(f"row-{index}", tuple(p.strip() for p in premises), str(row["conclusion"]).strip(),
                             normalise_label(str(row.get("label", "")))))
    return out
