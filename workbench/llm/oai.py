"""The OpenAI ``/v1/completions`` wire format, spoken by every HTTP backend and by llama.cpp.

llama.cpp (in process through xllamacpp, or as ``llama-server``), vLLM's server, Ollama and
hosted APIs all answer a completion request with ``{"choices": [{"text", "index",
"finish_reason", "logprobs"}], "usage": ...}``. They differ only in how ``logprobs`` looks, so
one parser reads them all:

* OpenAI / vLLM: ``{"tokens": [...], "token_logprobs": [...]}``;
* llama.cpp: ``{"content": [{"token", "logprob", ...}, ...]}``.

A response is untrusted input: anything that is not this shape is an `LLMError` that says
what was wrong, never a ``KeyError`` deep inside a caller.

>>> body = {"choices": [{"text": " Paris", "index": 0, "finish_reason": "stop",
...          "logprobs": {"content": [{"token": " Paris", "logprob": -0.5}]}}]}
>>> parse_completions(body, where="test")
[Completion(text=' Paris', finish_reason='stop', token_logprobs=(-0.5,), n_tokens=1)]
>>> parse_completions({"error": {"message": "boom"}}, where="http://x/v1")
Traceback (most recent call last):
...
workbench.llm.base.LLMError: http://x/v1: server error: boom
"""

from __future__ import annotations

from typing import Any

from workbench.llm.base import Completion, LLMError, SamplingParams


def completion_request(
    prompt: str,
    params: SamplingParams,
    *,
    n: int = 1,
    seed: int | None = None,
    model: str | None = None,
    logprobs: bool = True,
    grammar_fields: tuple[str, ...] = ("grammar",),
) -> dict[str, Any]:
    """The JSON body of one completion request.

    ``grammar_fields`` names where the GBNF grammar goes: ``"grammar"`` (llama.cpp),
    ``"structured_outputs"`` (vLLM ≥ 0.10.2), ``"guided_grammar"`` (older vLLM).

    >>> completion_request("Hi", SamplingParams(max_tokens=4, stop=("\\n",)), seed=7)
    {'prompt': 'Hi', 'max_tokens': 4, 'temperature': 0.0, 'top_p': 1.0, 'n': 1, 'stop': ['\\n'], 'seed': 7, 'logprobs': 1}
    """
    body: dict[str, Any] = {
        "prompt": prompt,
        "max_tokens": params.max_tokens,
        "temperature": params.temperature,
        "top_p": params.top_p,
        "n": n,
    }
    if model:
        body["model"] = model
    if params.stop:
        body["stop"] = list(params.stop)
    if seed is not None:
        body["seed"] = seed
    if logprobs:
        body["logprobs"] = 1
    if params.grammar:
        for f in grammar_fields:
            body[f] = {"grammar": params.grammar} if f == "structured_outputs" else params.grammar
    return body


def parse_completions(body: Any, *, where: str) -> list[Completion]:
    """The completions of a response body, in ``index`` order.

    Raises
    ------
    LLMError
        If the body is an error object or lacks a well-formed ``choices`` list.
    """
    if not isinstance(body, dict):
        raise LLMError(f"response is not a JSON object but {type(body).__name__}", where=where)
    if "error" in body:
        err = body["error"]
        msg = err.get("message", err) if isinstance(err, dict) else err
        raise LLMError(f"server error: {msg}", where=where)
    choices = body.get("choices")
    if not isinstance(choices, list) or not choices:
        raise LLMError(f"response has no 'choices' list (keys: {sorted(body)})", where=where)
    out: list[tuple[int, Completion]] = []
    for pos, ch in enumerate(choices):
        if not isinstance(ch, dict) or not isinstance(ch.get("text"), str):
            raise LLMError(f"choice {pos} has no 'text' string", where=where)
        lps = _token_logprobs(ch.get("logprobs"), where=f"{where}, choice {pos}")
        n_tok = len(lps)
        if not n_tok and len(choices) == 1:
            usage = body.get("usage")
            n_tok = int(usage.get("completion_tokens", 0) or 0) if isinstance(usage, dict) else 0
        index = ch.get("index", pos)
        out.append(
            (
                index if isinstance(index, int) else pos,
                Completion(ch["text"], str(ch.get("finish_reason") or "stop"), lps, n_tok),
            )
        )
    return [c for _, c in sorted(out, key=lambda t: t[0])]


def completions_response(completions: list[Completion], *, model: str) -> dict[str, Any]:
    """A response body for ``completions`` (used by `workbench.app.serve`).

    >>> completions_response([Completion("x", token_logprobs=(-1.0,), n_tokens=1)], model="m")["choices"][0]["logprobs"]
    {'tokens': None, 'token_logprobs': [-1.0]}
    """
    return {
        "object": "text_completion",
        "model": model,
        "choices": [
            {
                "index": i,
                "text": c.text,
                "finish_reason": c.finish_reason,
                "logprobs": {"tokens": None, "token_logprobs": list(c.token_logprobs)}
                if c.token_logprobs
                else None,
            }
            for i, c in enumerate(completions)
        ],
        "usage": {"completion_tokens": sum(c.n_tokens for c in completions)},
    }


def _token_logprobs(lp: Any, *, where: str) -> tuple[float, ...]:
    if lp is None:
        return ()
    if not isinstance(lp, dict):
        raise LLMError(f"'logprobs' is {type(lp).__name__}, not an object", where=where)
    try:
        if isinstance(lp.get("content"), list):  # llama.cpp
            return tuple(float(t["logprob"]) for t in lp["content"])
        if isinstance(lp.get("token_logprobs"), list):  # OpenAI legacy, vLLM
            return tuple(float(x) for x in lp["token_logprobs"] if x is not None)
    except (KeyError, TypeError, ValueError) as exc:
        raise LLMError(f"malformed 'logprobs': {exc!r}", where=where) from exc
    return ()
