"""llama.cpp GGUF backend: the offline default, with GBNF grammar-constrained decoding.

Two engines speak llama.cpp from Python; this backend uses whichever is installed:

* ``xllamacpp`` (the ``llm`` extra, a prebuilt CPU wheel): llama.cpp's own server code run
  in process. Requests are OpenAI completion bodies (`workbench.llm.oai`), decoded in
  ``parallel`` slots. The ``n`` samples of a prompt are one request with ``n_cmpl = n``:
  llama.cpp evaluates the prompt once, copies its KV cache into ``n - 1`` child slots and
  decodes the ``n`` sequences as one batch (child ``j`` samples with seed ``seed + j``, the
  same samples as ``n`` separate requests). A slot keeps its last prompt, so a request that
  shares a prefix with the previous one only evaluates the rest (few-shot prefixes are paid
  once per process, not once per problem). As a side effect the engine also listens on a
  random port of 127.0.0.1 (`GGUFGenerator.url`), which the tests use to exercise the OpenAI
  backend against a real llama.cpp server; it answers only requests bearing the process's
  random key (`GGUFGenerator.api_key`), and its ``/slots`` endpoint is off.
* ``llama-cpp-python``: ``Llama.create_completion`` with a ``LlamaGrammar``, one request at a
  time (its context is not thread safe), without token log-probs.

Invariants
----------
* A model file is loaded once per process and engine settings (`_engine` memoises it); every
  `GGUFGenerator` over the same file shares it.
* Sample ``j`` of a prompt uses seed ``params.seed + j`` (when a seed is given), so ``n``
  samples differ from each other yet a rerun reproduces them.
* A grammar llama.cpp cannot parse, or a prompt longer than the context, is an `LLMError`
  naming the model file; it never crashes the process.
* `GGUFGenerator.stats` counts what llama.cpp reports for every request (prompt tokens
  evaluated and their milliseconds, prompt tokens served from the cache, tokens generated and
  the milliseconds of the generation phase), so callers report prompt-eval and generation
  speed separately.
"""

from __future__ import annotations

import contextlib
import functools
import os
import secrets
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.config import resolve
from workbench.errors import MissingExtraError
from workbench.llm.base import Completion, LLMError, SamplingParams
from workbench.llm.models import model_path
from workbench.llm.oai import completion_request, parse_completions
from workbench.llm.registry import backend

if TYPE_CHECKING:
    from workbench.llm.gguf_batch import Feedback


def default_threads() -> int:
    """``llm.threads`` from flags/env/TOML, else half the cores (llama.cpp's spinning worker
    threads slow to a crawl when they outnumber the free cores of a shared machine)."""
    return int(resolve("llm.threads", default=max(1, (os.cpu_count() or 2) // 2)))


@dataclass(slots=True)
class EngineStats:
    """Running totals of llama.cpp's own timings (``timings`` of each response).

    ``gen_ms`` is each request's wall time less llama.cpp's prompt time: the ``n`` sequences
    of a request decode together until the last one ends, so ``gen_tokens / gen_ms`` is the
    batch's throughput (sequences that end early count as lost width, as they should).

    Requests sent together (several prompts in one `GGUFGenerator.generate` call) are decoded
    in the same batches, so their per-request times overlap and their sums overstate the
    time spent. ``wall_prompt_ms`` and ``wall_gen_ms`` count each call once: its longest
    prompt time, and the rest of the call's wall time; their sum is the time spent only when
    calls come one after another. ``busy_ms`` is the time during which at least one call was
    in flight, whatever the callers' threads did: the engine's wall time for this work, and
    what a pipeline's speed is compared with raw llama.cpp over.
    """

    requests: int = 0
    prompt_tokens: int = 0
    prompt_ms: float = 0.0
    cached_tokens: int = 0
    gen_tokens: int = 0
    gen_ms: float = 0.0
    wall_prompt_ms: float = 0.0
    wall_gen_ms: float = 0.0
    busy_ms: float = 0.0

    def add(self, timings: dict[str, Any], gen_tokens: int, wall_ms: float) -> None:
        prompt_ms = float(timings.get("prompt_ms", 0.0) or 0.0)
        self.requests += 1
        self.prompt_tokens += int(timings.get("prompt_n", 0) or 0)
        self.prompt_ms += prompt_ms
        self.cached_tokens += int(timings.get("cache_n", 0) or 0)
        self.gen_tokens += gen_tokens
        self.gen_ms += max(0.0, wall_ms - prompt_ms)

    def add_call(self, wall_ms: float, longest_prompt_ms: float) -> None:
        self.wall_prompt_ms += longest_prompt_ms
        self.wall_gen_ms += max(0.0, wall_ms - longest_prompt_ms)

    def snapshot(self) -> dict[str, float]:
        return asdict(self)


class GGUFGenerator:
    """Sample from a local GGUF model.

    Parameters
    ----------
    model:
        A registry name (``smollm2-135m``, ``qwen2.5-coder-1.5b``, ...) or a ``.gguf`` path.
    threads:
        CPU threads for decoding (default `default_threads`).
    ctx:
        Context length of each slot, in tokens (prompt + completion).
    parallel:
        Slots decoded together (xllamacpp only); the ``n`` samples of a prompt share them.
    share_prompt:
        Send the ``n`` samples of a prompt as one request (``n_cmpl``: the prompt is evaluated
        once and its KV cache copied); ``False`` sends ``n`` requests, each evaluating the
        prompt in its own slot (the behaviour before, kept for side-by-side timings).
    batch_decoder:
        Offer `fill` (xllamacpp only; ``fills`` says whether it is on): samples that share a
        prompt and are extended by the caller's segments between sampled spans, decoded by
        `workbench.llm.gguf_batch` in one batch over shared KV cells. ``False`` leaves
        callers on `generate` (the server path, kept for side-by-side timings).

    Raises
    ------
    LLMError
        If the model is not installed or llama.cpp cannot load it.

    Example
    -------
    >>> gen = GGUFGenerator("smollm2-135m")                        # doctest: +SKIP
    >>> gen.generate(["2 + 2 ="], SamplingParams(max_tokens=4))   # doctest: +SKIP
    [[Completion(text=' 4', ...)]]
    """

    def __init__(
        self,
        model: str,
        *,
        threads: int | None = None,
        ctx: int = 4096,
        parallel: int = 4,
        share_prompt: bool = True,
        batch_decoder: bool = True,
    ) -> None:
        self.path = model_path(model)
        self.name = f"gguf:{model}"
        self._threads = int(threads or default_threads())
        self._engine = _engine(str(self.path), self._threads, int(ctx), int(parallel))
        self.share_prompt = share_prompt and isinstance(self._engine, _XllamaEngine)
        self.fills = batch_decoder and isinstance(self._engine, _XllamaEngine)
        self._fill_ctx = int(ctx) * int(parallel)
        self.stats = EngineStats()
        self._lock = threading.Lock()
        self._in_flight = 0
        self._busy_since = 0.0

    @property
    def url(self) -> str | None:
        """The engine's own OpenAI-compatible HTTP address (xllamacpp only; needs `api_key`)."""
        return self._engine.url

    @property
    def api_key(self) -> str | None:
        """The bearer token the engine's HTTP address requires (random per process)."""
        return self._engine.token

    def handle(self, kind: str, request: dict[str, Any], on_chunk: Any = None) -> Any:
        """One raw llama.cpp request for the OpenAI-compatible server (`workbench.app.serve`):
        ``kind`` ``"completions"`` or ``"chat"`` (the GGUF's own chat template). With ``on_chunk``
        the request streams: each chunk is passed to it, and a true return stops the generation.

        Raises
        ------
        LLMError
            With the llama-cpp-python engine (no raw server API).
        """
        if not isinstance(self._engine, _XllamaEngine):
            raise LLMError("the OpenAI-compatible server needs the xllamacpp engine (the 'llm' extra)")
        server = self._engine._server
        handler = server.handle_chat_completions if kind == "chat" else server.handle_completions
        return handler(request, on_chunk) if on_chunk is not None else handler(request)

    def generate(self, prompts: Sequence[str], params: SamplingParams) -> list[list[Completion]]:
        """``params.n`` completions for each prompt, in prompt order (see `Generator`)."""
        if self.share_prompt:
            # one request per prompt and per chunk of at most `slots` samples
            width = max(1, self._engine.slots)
            jobs = []
            for p in prompts:
                for start in range(0, params.n, width):
                    req = completion_request(p, params, seed=None if params.seed is None else params.seed + start)
                    req["n_cmpl"] = min(width, params.n - start)
                    jobs.append(req)
            workers = max(1, self._engine.slots // min(params.n, width))
        else:
            jobs = [
                completion_request(p, params, seed=None if params.seed is None else params.seed + j)
                for p in prompts
                for j in range(params.n)
            ]
            workers = self._engine.slots
        with self._busy() as span:
            with ThreadPoolExecutor(max_workers=workers) as pool:
                results = list(pool.map(self._request, jobs))
        with self._lock:
            self.stats.add_call(span[0], max(ms for _, ms in results))
        flat = [c for cs, _ in results for c in cs]
        return [flat[i * params.n : (i + 1) * params.n] for i in range(len(prompts))]

    def fill(self, prompt: str, segments: Sequence[str], params: SamplingParams,
             feedback: Feedback | None = None) -> list[list[Completion]]:
        """``params.n`` samples of ``prompt``, each extended by segment 1, a sampled span,
        segment 2, a span…: per sample, the `Completion` of each span (see
        `workbench.llm.gguf_batch.BatchDecoder.fill`, also for ``feedback``). The prompt is
        evaluated once (only what follows the previous call's common prefix) and shared by the
        samples' KV cells.

        Raises
        ------
        LLMError
            Without the xllamacpp engine or with ``batch_decoder=False`` (``fills`` is false),
            or as `BatchDecoder.fill`.
        """
        if not self.fills:
            raise LLMError("fill needs the xllamacpp engine and batch_decoder=True", where=str(self.path))
        decoder = _batch_decoder(str(self.path), self._threads, self._fill_ctx)
        before = dict(decoder.counts)
        with self._busy() as span:
            spans = decoder.fill(prompt, segments, params, feedback)
        d = {k: decoder.counts[k] - before[k] for k in before}
        # forced segment tokens are prompt material decoded inside the generation batches
        timings = {"prompt_n": d["prompt"] + d["forced"], "prompt_ms": d["prompt_ms"], "cache_n": d["cached"]}
        with self._lock:
            self.stats.add(timings, int(d["sampled"]), span[0])
            self.stats.add_call(span[0], d["prompt_ms"])
        return spans

    @contextlib.contextmanager
    def _busy(self) -> Iterator[list[float]]:
        """Count the time while at least one call is in flight (``stats.busy_ms``); the
        yielded list receives this call's wall milliseconds when it ends."""
        span: list[float] = []
        with self._lock:
            start = time.perf_counter()
            if not self._in_flight:
                self._busy_since = start
            self._in_flight += 1
        try:
            yield span
        finally:
            with self._lock:
                end = time.perf_counter()
                self._in_flight -= 1
                if not self._in_flight:
                    self.stats.busy_ms += (end - self._busy_since) * 1e3
            span.append((end - start) * 1e3)

    def bench(self, prompt_tokens: int = 512, gen_tokens: int = 64, n: int = 1, depth: int = 0) -> dict[str, float]:
        """Raw speed of this engine, as ``llama-bench`` measures it (xllamacpp only).

        ``pp``: prompt tokens/s of a fresh prompt of about ``prompt_tokens`` tokens (nothing
        cached); ``tg``: generated tokens/s of ``gen_tokens`` tokens in each of ``n``
        sequences decoded as one batch, without grammar and ignoring end-of-text, from
        llama.cpp's own timings. This is the ceiling a pipeline's speed is compared with.
        ``depth`` puts about that many tokens of context before both (``llama-bench -d``):
        on a CPU, attention over a few-shot prompt's 2,000 tokens costs a third of the speed.

        Raises
        ------
        LLMError
            For the llama-cpp-python engine (no timings) or a failed request.
        """
        import uuid

        if not isinstance(self._engine, _XllamaEngine):
            raise LLMError("bench needs the xllamacpp engine (llama.cpp timings)", where=str(self.path))
        words = ("model", "theory", "premise", "river", "seven", "blue", "quickly", "under", "logic", "garden")
        def filler(tokens: int) -> str:
            return " ".join(words[(i * 7) % len(words)] + str(i % 13) for i in range(tokens // 2))

        context = f"{uuid.uuid4()} {filler(depth)}"
        if depth:  # the context is evaluated first; pp and tg then extend it
            self._engine.complete({"prompt": context, "max_tokens": 1, "temperature": 0.0})
        pp = self._engine.complete({"prompt": f"{context} {filler(prompt_tokens)}", "max_tokens": 1, "temperature": 0.0})
        tg = self._engine.complete({"prompt": f"{context} Once upon a time", "max_tokens": gen_tokens,
                                    "temperature": 0.8, "seed": 0, "n_cmpl": n, "ignore_eos": True, "logprobs": 1})
        for body in (pp, tg):
            parse_completions(body, where=str(self.path))  # raises on an error body
        t_pp, t_tg = pp.get("timings", {}), tg.get("timings", {})
        made = sum(c.n_tokens for c in parse_completions(tg, where=str(self.path)))
        return {"pp_tokens": float(t_pp.get("prompt_n", 0)), "pp_tok_s": float(t_pp.get("prompt_per_second", 0.0)),
                "tg_tokens": float(made), "tg_n": float(n), "depth": float(depth),
                "tg_tok_s": made / float(t_tg["predicted_ms"]) * 1e3 if t_tg.get("predicted_ms") else 0.0}

    def _request(self, request: dict[str, Any]) -> tuple[list[Completion], float]:
        """One request's completions and llama.cpp's prompt milliseconds for it."""
        start = time.perf_counter()
        body = self._engine.complete(request)
        wall_ms = (time.perf_counter() - start) * 1e3
        out = parse_completions(body, where=str(self.path))
        timings = body.get("timings") if isinstance(body, dict) else None
        if not isinstance(timings, dict):
            return out, 0.0
        with self._lock:
            self.stats.add(timings, sum(c.n_tokens for c in out), wall_ms)
        return out, float(timings.get("prompt_ms", 0.0) or 0.0)


class _XllamaEngine:
    """llama.cpp's server, in process (no HTTP round trip for our own requests)."""

    def __init__(self, path: str, threads: int, ctx: int, parallel: int) -> None:
        import xllamacpp

        p = xllamacpp.CommonParams()
        p.model.path = path
        p.n_parallel = parallel
        p.n_ctx = ctx * parallel
        p.cpuparams.n_threads = threads
        p.cpuparams_batch.n_threads = threads
        p.warmup = False
        p.verbosity = -1
        self.token: str | None = secrets.token_urlsafe(24)  # its HTTP port answers only this process
        p.api_keys = [self.token]
        p.endpoint_slots = False
        try:
            self._server = xllamacpp.Server(p)
        except Exception as exc:  # the C++ side raises RuntimeError subclasses of its own
            raise LLMError(f"llama.cpp could not load the model: {exc}", where=path) from exc
        self.slots = parallel
        self.url: str | None = self._server.listening_address

    def complete(self, request: dict[str, Any]) -> Any:
        return self._server.handle_completions(request)


class _LlamaCppEngine:
    """llama-cpp-python: one request at a time."""

    def __init__(self, path: str, threads: int, ctx: int, parallel: int) -> None:
        import llama_cpp

        self._llama_cpp = llama_cpp
        try:
            self._llm = llama_cpp.Llama(
                model_path=path, n_ctx=ctx, n_threads=threads, logits_all=False, verbose=False
            )
        except Exception as exc:
            raise LLMError(f"llama.cpp could not load the model: {exc}", where=path) from exc
        self._lock = threading.Lock()
        self.slots = 1
        self.url: str | None = None
        self.token: str | None = None

    def complete(self, request: dict[str, Any]) -> Any:
        kwargs: dict[str, Any] = {
            "max_tokens": request["max_tokens"],
            "temperature": request["temperature"],
            "top_p": request["top_p"],
            "stop": request.get("stop") or [],
            # no log-probs: llama-cpp-python needs logits_all=True for them, which keeps
            # n_ctx × vocabulary floats (gigabytes for Qwen's 151k vocabulary)
            "logprobs": None,
        }
        if request.get("seed") is not None:
            kwargs["seed"] = request["seed"]
        try:
            if request.get("grammar"):
                kwargs["grammar"] = self._llama_cpp.LlamaGrammar.from_string(request["grammar"], verbose=False)
            with self._lock:
                return self._llm.create_completion(request["prompt"], **kwargs)
        except ValueError as exc:  # bad grammar, prompt longer than the context
            return {"error": {"message": str(exc)}}


@functools.lru_cache(maxsize=4)
def _engine(path: str, threads: int, ctx: int, parallel: int) -> _XllamaEngine | _LlamaCppEngine:
    """The loaded engine for these settings: one per process."""
    if not Path(path).is_file():
        raise LLMError("model file vanished", where=path)
    try:
        import xllamacpp  # noqa: F401

        return _XllamaEngine(path, threads, ctx, parallel)
    except ImportError:
        pass
    try:
        import llama_cpp  # noqa: F401
    except ImportError:
        raise MissingExtraError("xllamacpp", "llm") from None
    return _LlamaCppEngine(path, threads, ctx, parallel)


@functools.lru_cache(maxsize=2)
def _batch_decoder(path: str, threads: int, ctx: int) -> Any:
    """The `BatchDecoder` for these settings: one per process (16 samples at most)."""
    from workbench.llm.gguf_batch import BatchDecoder

    return BatchDecoder(path, threads=threads, ctx=ctx, samples=16)


@backend("gguf")
def _make(target: str, **options: Any) -> GGUFGenerator:
    return GGUFGenerator(target, **options)
