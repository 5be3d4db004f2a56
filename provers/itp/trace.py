"""Traced proofs: every tactic of a library's human proofs with the proof state it was run on.

Tactician learns from ``(state, tactic)`` pairs recorded while Coq checks a library. Here a
whole ``.v`` file is sent to ``coqtop -emacs`` sentence by sentence (bullets and braces are
sentences of their own, so a sentence like ``- auto.`` answers with two prompts); in proof
mode (the prompt names an open proof) each tactic sentence is recorded with the goals Coq
printed just before it, in the same normalised text `provers.itp.env.coq.parse_goals` gives
the search, so that states seen while tracing and states seen while proving compare equal.

The corpus is a JSONL file: one ``{"step": ...}`` row per tactic, one ``{"done": file}`` row
per finished file (with the number of steps and the error that stopped it, if any). Tracing
appends and skips finished files, so an interrupted run resumes (`trace_files`).

Invariants
----------
* A step's ``tactic`` passes `provers.itp.vernac.clean_tactic` (tactics that do not — ``admit``,
  several sentences — are not recorded): every recorded tactic is one the search may run.
* Steps of a file are in source order; ``index`` counts the theorem's tactics from 0.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from provers.itp.env.coq import _PROMPT, _error_message, parse_goals
from provers.itp.errors import AssistantError, TacticRejected
from provers.itp.vernac import clean_tactic, sentences
from workbench.errors import require

_BULLET = re.compile(r"\s*(?:[-+*]+|[{}])")
_VERNAC_IN_PROOF = ("Proof", "Qed", "Defined", "Admitted", "Abort", "Save", "Show", "Check", "Print", "Search", "Opaque",
                    "Transparent", "Hint", "Local", "Global", "Existing", "Instance", "Time", "Fail", "Set", "Unset")


@dataclass(frozen=True, slots=True)
class TraceStep:
    """One tactic of a human proof and the goals it ran on."""

    #: Logical file name (``Coq.Lists.List``).
    file: str
    #: The theorem, as coqtop names the open proof.
    theorem: str
    #: Position of the tactic in the theorem's proof, from 0.
    index: int
    #: Goals before the tactic (`parse_goals` text).
    goals: str
    tactic: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> TraceStep:
        return cls(str(d["file"]), str(d["theorem"]), int(d["index"]), str(d["goals"]), str(d["tactic"]))


def _split_bullets(code: str) -> tuple[list[str], str]:
    """``"- + auto."`` → (``["-", "+"]``, ``"auto."``)."""
    bullets: list[str] = []
    while True:
        m = _BULLET.match(code)
        if not m or m.end() == len(code.rstrip(".")) and code.strip() not in ("{", "}"):
            break
        tok = m.group().strip()
        rest = code[m.end() :]
        if tok in ("-", "+", "*", "--", "++", "**") or tok[0] in "-+*":
            if rest[:1] not in (" ", "\t", "\n", "{", "}", "-", "+", "*") and rest:
                break  # not a bullet: ``-1`` or an operator
        bullets.append(tok)
        code = rest.lstrip()
    return bullets, code


def trace_file(path: str | os.PathLike[str], logical: str, timeout: float = 120.0, coqtop: str = "coqtop",
               args: tuple[str, ...] = ()) -> Iterator[TraceStep | str]:
    """The steps of every proof in the file, in order; a final ``str`` says why tracing stopped
    early (a sentence Coq rejected, a timeout), when it did.

    Raises
    ------
    AssistantError
        When coqtop cannot be started.
    """
    pexpect = require("pexpect", "itp")
    from pexpect.popen_spawn import PopenSpawn

    text = Path(path).read_text(encoding="utf-8", errors="replace")
    proc = PopenSpawn([coqtop, "-emacs", "-q", *args], encoding="utf-8", codec_errors="replace", timeout=30)
    try:
        try:
            proc.expect(_PROMPT, timeout=30)
        except (pexpect.EOF, pexpect.TIMEOUT) as exc:
            raise AssistantError("coqtop did not start", where=coqtop) from exc
        proof, goals, index = "", "", 0
        for sent in sentences(text, strict=False):
            bullets, body = _split_bullets(sent.code)
            if not body:
                body, bullets = bullets[-1], bullets[:-1]  # a lone ``}``
            out = ""
            try:
                for b in bullets:
                    proc.sendline(b)
                    proc.expect(_PROMPT, timeout=timeout)
                    out = str(proc.before)
                    if (err := _error_message(out)) is not None:
                        yield f"{logical} line {sent.line}: bullet {b!r} rejected: {err[:200]}"
                        return
                    goals = parse_goals(out) or goals
                tactic = _recordable(body) if proof else None
                before = goals
                proc.sendline(body.replace("\n", " "))
                proc.expect(_PROMPT, timeout=timeout)
            except pexpect.TIMEOUT:
                yield f"{logical} line {sent.line}: no answer within {timeout:g} s"
                return
            except pexpect.EOF:
                yield f"{logical} line {sent.line}: coqtop died"
                return
            out = str(proc.before)
            err = _error_message(out)
            if err is not None:
                yield f"{logical} line {sent.line}: {err[:200]}"
                return
            if tactic is not None and before:
                yield TraceStep(logical, proof, index, before, tactic)
                index += 1
            now = proc.match.group(3).strip().split("|")[0].strip()
            if now != proof:
                proof, index = now, 0
            goals = parse_goals(out) or ("" if not now else goals)
    finally:
        try:
            proc.kill(9)
            proc.wait()
        except Exception:  # noqa: BLE001 - already gone
            pass


def _recordable(body: str) -> str | None:
    """The tactic of a proof-mode sentence, or None (a vernacular, or not a safe tactic)."""
    words = body.split()
    if not words or words[0].rstrip(".") in _VERNAC_IN_PROOF:
        return None
    try:
        return clean_tactic(body)
    except TacticRejected:
        return None


def default_trace_path() -> Path:
    """Where ``workbench prove trace`` writes and the k-NN generator reads the traced core library."""
    from workbench.config import cache_dir

    return cache_dir() / "itp" / "trace-core.jsonl"


def read_trace(path: str | os.PathLike[str]) -> tuple[list[TraceStep], dict[str, dict[str, Any]]]:
    """The steps of a trace corpus and its finished files (``file`` → the ``done`` row)."""
    steps: list[TraceStep] = []
    done: dict[str, dict[str, Any]] = {}
    p = Path(path)
    if not p.exists():
        return steps, done
    with p.open(encoding="utf-8") as fh:
        for line in fh:
            try:
                d = json.loads(line)
            except json.JSONDecodeError:
                continue  # a line cut by a kill: its file is traced again
            if "step" in d:
                steps.append(TraceStep.from_json(d["step"]))
            elif "done" in d:
                done[d["done"]] = d
    done_files = set(done)
    return [s for s in steps if s.file in done_files], done


def trace_files(files: Iterable[tuple[str, str]], out: str | os.PathLike[str], timeout: float = 120.0,
                on_file: Callable[[str, int, str], None] | None = None) -> int:
    """Trace ``(logical name, path)`` files into the corpus ``out``, skipping finished ones.

    Steps of a file are written with its ``done`` row, all at once, so a kill loses at most the
    file being traced. Returns the number of files traced now.
    """
    _, done = read_trace(out)
    n = 0
    for logical, path in files:
        if logical in done:
            continue
        rows: list[dict[str, Any]] = []
        stopped = ""
        for item in trace_file(path, logical, timeout):
            if isinstance(item, str):
                stopped = item
            else:
                rows.append({"step": item.to_json()})
        rows.append({"done": logical, "steps": len(rows), "stopped": stopped})
        with Path(out).open("a", encoding="utf-8") as fh:
            fh.write("".join(json.dumps(r) + "\n" for r in rows))
            fh.flush()
            os.fsync(fh.fileno())
        n += 1
        if on_file is not None:
            on_file(logical, len(rows) - 1, stopped)
    return n
