"""Replay recorded generations: exact, deterministic, no model needed.

Two recording formats are read:

* **Our JSONL** (written by `write_recording`): one row per prompt,
  ``{"prompt": str, "completions": [str | Completion.to_json()]}``. A prompt is looked up by
  exact text.
* **LINC's** ``*_generations_raw.json``: a list, per problem, of the K raw completions
  (``TEXT:\\t<sentence>`` / ``FOL:\\t<formula>`` lines, the last pair being the conclusion).
  LINC did not record its prompts, so a prompt is matched to the problem whose sentences it
  contains: the problem block after the prompt's last ``<PREMISES>`` must contain the words
  of the recorded premise sentences, and its ``<CONCLUSION>`` must be the closest to the
  recorded conclusion (the model sometimes fixed a typo or reworded a premise while copying,
  so the match is by similarity on normalised text, and the best must clear a threshold). Problems are also reachable
  by index (``gen[i]``).

A recording is returned text for text; ``params.n`` takes the first n samples, more than
recorded is an `LLMError`, and so is a prompt that matches nothing.

>>> gen = ReplayGenerator({"Q: 2+2?": ["4", "four"]})
>>> [c.text for c in gen.generate(["Q: 2+2?"], SamplingParams(n=2))[0]]
['4', 'four']
>>> gen.generate(["Q: 3+3?"], SamplingParams())
Traceback (most recent call last):
...
workbench.llm.base.LLMError: replay: no recorded generation for prompt 'Q: 3+3?'
"""

from __future__ import annotations

import difflib
import json
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.llm.base import Completion, LLMError, SamplingParams, cut_at_stop
from workbench.llm.registry import backend
from workbench.results import ResultLog

#: A LINC problem matches a prompt when premise coverage + conclusion similarity reaches this.
MATCH_THRESHOLD = 1.5


@dataclass(frozen=True, slots=True)
class Recording:
    """The recorded samples of one prompt (``prompt`` is None for LINC's unrecorded prompts)."""

    prompt: str | None
    completions: tuple[Completion, ...]
    premises: tuple[str, ...] = ()
    conclusion: str = ""


class ReplayGenerator:
    """Serve recorded completions.

    Parameters
    ----------
    records:
        A mapping prompt → completions (strings or `Completion`), or `Recording` objects.
    name:
        The generator's name (part of cache keys); `from_file` uses ``replay:<file name>``.
    """

    def __init__(self, records: Mapping[str, Sequence[str | Completion]] | Sequence[Recording], name: str = "replay") -> None:
        if isinstance(records, Mapping):
            records = [Recording(p, tuple(_completion(c) for c in cs)) for p, cs in records.items()]
        self.records: tuple[Recording, ...] = tuple(records)
        self.name = name
        self._by_prompt = {r.prompt: r for r in self.records if r.prompt is not None}
        self._linc = [
            (r, frozenset(_norm(" ".join(r.premises)).split()), _norm(r.conclusion))
            for r in self.records
            if r.prompt is None
        ]

    @classmethod
    def from_file(cls, path: str | Path) -> ReplayGenerator:
        """Read our JSONL or LINC's raw JSON (told apart by content, not by name).

        Raises
        ------
        LLMError
            If the file is missing or in neither format.
        """
        path = Path(path)
        if not path.is_file():
            raise LLMError("no such recording", where=str(path))
        name = f"replay:{path.name}"
        text = path.read_text(encoding="utf-8")
        try:
            data = json.loads(text)
        except json.JSONDecodeError:
            data = None
        if isinstance(data, list) and all(isinstance(g, list) and all(isinstance(s, str) for s in g) for g in data):
            return cls([_linc_recording(g) for g in data], name)
        rows = ResultLog(path, key="prompt").rows()
        if not rows:
            raise LLMError("neither LINC generations (a list of lists of strings) nor JSONL rows with 'prompt'", where=str(path))
        try:
            return cls([Recording(str(r["prompt"]), tuple(_completion(c) for c in r["completions"])) for r in rows], name)
        except (KeyError, TypeError) as exc:
            raise LLMError(f"malformed recording row: {exc!r}", where=str(path)) from exc

    def __len__(self) -> int:
        return len(self.records)

    def __getitem__(self, index: int) -> Recording:
        return self.records[index]

    def find(self, prompt: str) -> Recording:
        """The recording for ``prompt`` (exact text, else the best LINC problem).

        Raises
        ------
        LLMError
            If nothing matches.
        """
        hit = self._by_prompt.get(prompt)
        if hit is not None:
            return hit
        if self._linc:
            tail, concl = _problem_block(prompt)
            words = set(tail.split())
            cover = [len(prem & words) / max(1, len(prem)) for _, prem, _ in self._linc]
            best, score = None, 0.0
            for (rec, _, rc), cov in zip(self._linc, cover, strict=True):
                if cov < max(cover) - 0.5:  # another story: skip the costly similarity
                    continue
                s = cov + _similarity(concl, rc, tail)
                if s > score:
                    best, score = rec, s
            if best is not None and score >= MATCH_THRESHOLD:
                return best
        raise LLMError(f"no recorded generation for prompt {_short(prompt)!r}", where=self.name)

    def generate(self, prompts: Sequence[str], params: SamplingParams) -> list[list[Completion]]:
        """The first ``params.n`` recorded completions of each prompt, cut at ``params.stop``."""
        out = []
        for prompt in prompts:
            rec = self.find(prompt)
            if params.n > len(rec.completions):
                raise LLMError(
                    f"{params.n} samples asked, {len(rec.completions)} recorded for prompt {_short(prompt)!r}",
                    where=self.name,
                )
            out.append([_cut(c, params.stop) for c in rec.completions[: params.n]])
        return out


def write_recording(path: str | Path, prompts: Sequence[str], results: Sequence[Sequence[Completion]]) -> None:
    """Append prompts and their completions to a JSONL recording `ReplayGenerator` reads."""
    log = ResultLog(path, key="prompt")
    for prompt, comps in zip(prompts, results, strict=True):
        log.append({"prompt": prompt, "completions": [c.to_json() for c in comps]})


def _completion(c: Any) -> Completion:
    if isinstance(c, Completion):
        return c
    if isinstance(c, str):
        return Completion(c)
    if isinstance(c, dict):
        return Completion.from_json(c)
    raise TypeError(f"not a completion: {c!r}")


def _cut(c: Completion, stop: Sequence[str]) -> Completion:
    text, hit = cut_at_stop(c.text, stop)
    return c if not hit else Completion(text, "stop", c.token_logprobs, c.n_tokens)


def _linc_recording(samples: list[str]) -> Recording:
    texts = [tuple(line[5:].strip() for line in s.splitlines() if line.startswith("TEXT:")) for s in samples]
    common = Counter(t for t in texts if t).most_common(1)
    sentences = common[0][0] if common else ()
    return Recording(None, tuple(Completion(s) for s in samples), sentences[:-1], sentences[-1] if sentences else "")


_BLOCK = re.compile(r"<CONCLUSION>(.*?)</CONCLUSION>", re.S)


def _problem_block(prompt: str) -> tuple[str, str]:
    start = prompt.rfind("<PREMISES>")
    tail = prompt[start:] if start >= 0 else prompt
    concl = _BLOCK.findall(tail)
    return _norm(tail), _norm(concl[-1]) if concl else ""


def _similarity(concl: str, rec_concl: str, tail: str) -> float:
    """How close the prompt's conclusion is to the recorded one, in [0, 1]."""
    if concl:
        return difflib.SequenceMatcher(None, concl, rec_concl, autojunk=False).ratio()
    return 1.0 if rec_concl and rec_concl in tail else 0.0


def _norm(s: str) -> str:
    s = s.lower().replace("[bg]", " ")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", s).split())


def _short(prompt: str, n: int = 60) -> str:
    return prompt if len(prompt) <= n else "…" + prompt[-n:]


@backend("replay")
def _make(target: str, **options: Any) -> ReplayGenerator:
    if options:
        raise LLMError(f"replay takes no options, got {sorted(options)}")
    return ReplayGenerator.from_file(target)
