"""The generator interface every backend implements and every part calls.

A part never imports a backend; it receives a `Generator` and calls
``generate(prompts, params)``. Completions are untrusted text: callers parse them with a
grammar and treat a parse error as data (a sample labelled Error), never as a crash.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol, runtime_checkable

from workbench.errors import WorkbenchError


class LLMError(WorkbenchError):
    """A model backend failed: server down, bad response, missing weights, ..."""


@dataclass(frozen=True, slots=True)
class SamplingParams:
    """How to sample. Part of the cache key, so every field must be a plain value.

    ``grammar`` is a GBNF grammar (llama.cpp syntax); backends that support constrained
    decoding obey it, others raise `LLMError` unless ``grammar_optional`` is set.
    """

    n: int = 1
    temperature: float = 0.0
    max_tokens: int = 256
    stop: tuple[str, ...] = ()
    grammar: str | None = None
    top_p: float = 1.0
    seed: int | None = None
    logprobs: bool = False
    grammar_optional: bool = False

    def to_json(self) -> dict[str, object]:
        d = asdict(self)
        d["stop"] = list(self.stop)
        return d


@dataclass(frozen=True, slots=True)
class Completion:
    """One sampled continuation.

    ``token_logprobs`` holds the log-probability of each generated token where the backend
    reports them (empty otherwise); ``logprob`` is their sum, used to rank candidates.
    """

    text: str
    finish_reason: str = "stop"
    token_logprobs: tuple[float, ...] = field(default=())
    n_tokens: int = 0

    @property
    def logprob(self) -> float:
        return float(sum(self.token_logprobs))

    def to_json(self) -> dict[str, object]:
        d = asdict(self)
        d["token_logprobs"] = list(self.token_logprobs)
        return d

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Completion:
        return cls(
            text=str(d["text"]),
            finish_reason=str(d.get("finish_reason", "stop")),
            token_logprobs=tuple(float(x) for x in d.get("token_logprobs", []) or []),
            n_tokens=int(d.get("n_tokens", 0) or 0),
        )


@runtime_checkable
class Generator(Protocol):
    """Anything that turns prompts into sampled completions.

    ``generate`` returns one list of ``params.n`` completions per prompt, in prompt order.
    ``name`` identifies the model (it is part of the cache key).
    """

    name: str

    def generate(self, prompts: Sequence[str], params: SamplingParams) -> list[list[Completion]]: ...


def cut_at_stop(text: str, stop: Sequence[str]) -> tuple[str, bool]:
    """Cut ``text`` before the earliest stop string; say whether one was found.

    Backends whose engine has no native stop strings (transformers, replay of longer
    recordings) use this, so every backend agrees on what a stop string does: the completion
    ends *before* it and does not contain it.

    >>> cut_at_stop("FOL: P(a)\\nTEXT: next", ("\\nTEXT:", "</EVALUATE>"))
    ('FOL: P(a)', True)
    >>> cut_at_stop("no stop here", ("###",))
    ('no stop here', False)
    """
    cut = min((i for i in (text.find(s) for s in stop if s) if i >= 0), default=-1)
    return (text[:cut], True) if cut >= 0 else (text, False)
