"""Any OpenAI-compatible completion server: ``vllm serve``, llama.cpp's server, Ollama, hosted APIs.

Requests go to ``<base_url>/completions`` (the legacy text-completion endpoint: the parsers
need the raw continuation of a few-shot prompt, not a chat turn), several at a time from a
thread pool over one ``httpx.Client``.

Failure policy
--------------
* Connection errors, timeouts, HTTP 408/409/429/5xx and responses that are not the expected
  JSON are retried with exponential backoff (``backoff * 2**attempt`` seconds, ``retries``
  times); then an `LLMError` says what the last failure was, where, and after how many tries.
* Other HTTP 4xx are the caller's fault and fail at once with the server's message — except
  a rejected ``n > 1``, after which the samples are asked for one request each (llama.cpp's
  server caps ``n`` at its slot count).

Grammars: llama.cpp reads ``grammar`` (GBNF), vLLM ≥ 0.10.2 ``structured_outputs.grammar``,
older vLLM ``guided_grammar``. ``grammar_fields`` picks which to send (default: the first two,
which each server ignores when it is not its own).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from workbench.llm.base import Completion, LLMError, SamplingParams
from workbench.llm.oai import completion_request, parse_completions
from workbench.llm.registry import backend

_RETRY_STATUS = {408, 409, 425, 429}

GRAMMAR_FIELDS = {
    "auto": ("grammar", "structured_outputs"),
    "llama.cpp": ("grammar",),
    "vllm": ("structured_outputs",),
    "vllm-legacy": ("guided_grammar",),
}


class OpenAIGenerator:
    """Sample from an OpenAI-compatible HTTP server.

    Parameters
    ----------
    base_url:
        Up to and including the version, e.g. ``http://127.0.0.1:8000/v1``.
    model:
        The served model's id; when omitted, the first id of ``GET /models``.
    api_key:
        Sent as a bearer token; default ``$OPENAI_API_KEY`` when set.
    concurrency:
        Requests in flight at once.
    retries, backoff:
        Retry policy for transient failures (see the module docstring).
    timeout:
        Seconds for one request.
    grammar_fields:
        ``"auto"``, ``"llama.cpp"``, ``"vllm"`` or ``"vllm-legacy"``.

    Example
    -------
    >>> gen = OpenAIGenerator("http://127.0.0.1:9/v1", model="m", retries=0)
    >>> gen.generate(["Hi"], SamplingParams(max_tokens=1))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    workbench.llm.base.LLMError: http://127.0.0.1:9/v1/completions: cannot connect: ... (gave up after 1 try)
    """

    def __init__(
        self,
        base_url: str,
        model: str | None = None,
        *,
        api_key: str | None = None,
        concurrency: int = 8,
        retries: int = 4,
        backoff: float = 0.5,
        timeout: float = 600.0,
        grammar_fields: str = "auto",
    ) -> None:
        self.base_url = base_url.rstrip("/")
        if grammar_fields not in GRAMMAR_FIELDS:
            raise LLMError(f"grammar_fields must be one of {sorted(GRAMMAR_FIELDS)}, not {grammar_fields!r}")
        self._grammar_fields = GRAMMAR_FIELDS[grammar_fields]
        self.concurrency = int(concurrency)
        self.retries = int(retries)
        self.backoff = float(backoff)
        key = api_key if api_key is not None else os.environ.get("OPENAI_API_KEY")
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        self._client = httpx.Client(timeout=float(timeout), headers=headers)
        self._split_n = False
        self.model = model or self._first_model()
        self.name = f"openai:{self.base_url}#{self.model}"

    def generate(self, prompts: Sequence[str], params: SamplingParams) -> list[list[Completion]]:
        """``params.n`` completions for each prompt, in prompt order (see `Generator`)."""
        with ThreadPoolExecutor(max_workers=max(1, self.concurrency)) as pool:
            return list(pool.map(lambda p: self._samples(p, params), prompts))

    def close(self) -> None:
        self._client.close()

    def _samples(self, prompt: str, params: SamplingParams) -> list[Completion]:
        if params.n > 1 and not self._split_n:
            try:
                got = self._complete(prompt, params, n=params.n, seed=params.seed)
                if len(got) == params.n:
                    return got
            except _Rejected:
                pass
            self._split_n = True
        out: list[Completion] = []
        for j in range(params.n):
            seed = None if params.seed is None else params.seed + j
            try:
                out += self._complete(prompt, params, n=1, seed=seed)
            except _Rejected as exc:
                raise LLMError(str(exc.args[0]), where=f"{self.base_url}/completions") from None
        return out

    def _complete(self, prompt: str, params: SamplingParams, *, n: int, seed: int | None) -> list[Completion]:
        body = completion_request(
            prompt, params, n=n, seed=seed, model=self.model, logprobs=params.logprobs,
            grammar_fields=self._grammar_fields,
        )
        return self._request("POST", "/completions", body, parse=lambda b, w: parse_completions(b, where=w))

    def _first_model(self) -> str:
        def first(body: Any, where: str) -> str:
            data = body.get("data") if isinstance(body, dict) else None
            if not isinstance(data, list) or not data or not isinstance(data[0], dict) or "id" not in data[0]:
                raise LLMError("GET /models returned no model ids; pass the model as '#<model>'", where=where)
            return str(data[0]["id"])

        return self._request("GET", "/models", None, parse=first)

    def _request(self, method: str, path: str, body: Any, *, parse: Any) -> Any:
        url = self.base_url + path
        last = ""
        tries = self.retries + 1
        for attempt in range(tries):
            if attempt:
                time.sleep(self.backoff * 2 ** (attempt - 1))
            try:
                r = self._client.request(method, url, json=body)
            except httpx.TransportError as exc:
                last = f"cannot connect: {exc!r}" if isinstance(exc, httpx.ConnectError) else f"transport error: {exc!r}"
                continue
            if r.status_code >= 500 or r.status_code in _RETRY_STATUS:
                last = f"HTTP {r.status_code}: {r.text[:200]!r}"
                continue
            if r.status_code >= 400:
                if body and body.get("n", 1) > 1:
                    raise _Rejected(f"HTTP {r.status_code}: {r.text[:300]}")
                raise LLMError(f"server rejected the request (HTTP {r.status_code}): {r.text[:300]}", where=url)
            try:
                return parse(r.json(), url)
            except (json.JSONDecodeError, UnicodeDecodeError):
                last = f"response is not JSON: {r.text[:120]!r}"
            except LLMError as exc:
                if str(exc.what).startswith("server error"):
                    raise
                last = exc.what
        plural = "try" if tries == 1 else "tries"
        raise LLMError(f"{last} (gave up after {tries} {plural})", where=url)


class _Rejected(Exception):
    """A 4xx answer to a multi-sample request: the caller retries one sample at a time."""


@backend("openai")
def _make(target: str, **options: Any) -> OpenAIGenerator:
    base_url, _, model = target.partition("#")
    return OpenAIGenerator(base_url, model or None, **options)
