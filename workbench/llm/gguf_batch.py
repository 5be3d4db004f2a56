"""llama.cpp's C API for one job its server cannot do: K samples that share a prompt *and*
are each extended by text of the caller's between sampled spans, decoded as one batch.

Stepwise decoding (`provers.fol.pipeline`) writes, for every sample, a forced segment (a
sentence's ``TEXT:``/``FOL:`` head), then samples one formula, then the next segment…
Through the server each step is a request, and after the first one the K samples live in
K slots that each evaluate the whole few-shot prompt again (docs/llm.md). Here the prompt is
evaluated once into a *cache sequence*; its KV cells are shared by the K sample sequences
(``llama_memory_seq_cp`` on a unified KV cache tags the same cells, nothing is copied), and
every `llama_decode` call carries one token of each sampling sequence together with the
whole forced segment of each sequence that just finished a span. The cache sequence keeps
the prompt between calls, so the next prompt evaluates only what follows the common prefix
(the fixed few-shot examples are paid once per process).

The adapter speaks the C API of the llama.cpp that the ``xllamacpp`` wheel links (its shared
object exports it) through `ctypes`. Two structs are passed by value whose layout changes
between llama.cpp versions (model and context parameters): they are taken from the
library's own ``*_default_params()`` as bytes and only fields whose offsets have been stable
for years are patched (``n_ctx``, ``n_batch``, ``n_ubatch``, ``n_seq_max``), each checked
back through the library's getters; threads are set with ``llama_set_n_threads``. The
unified KV cache flag sits among the trailing booleans; its offset is found from the
defaults' known pattern and verified (`_context_params`), else the engine refuses to start.

Sampling is llama.cpp's own chain, the server's defaults (top-k 40, top-p, min-p 0.05,
temperature, seeded distribution; greedy at temperature 0), with the grammar checked the
way the server's sampler does: the token drawn without it is tested alone, and only a
rejected token costs a pass of the grammar over the whole vocabulary.

Invariants
----------
* Sample ``j`` draws with seed ``seed + j`` and its own grammar state: a rerun with the same
  seed, prompt and segments gives the same spans (the same batches are formed again; another
  batch composition may change logits in the last float bits, so a sample may differ).
* The first segment follows the same text in every sample, so it is decoded once, as part of
  the shared prompt, and every sample draws its first token from those logits.
* A span ends at the first stop string (cut there, as the server cuts), at an end-of-text
  token, when the grammar has nothing left to accept, or at ``max_tokens`` (``"length"``: the
  sample ends, its later segments are not decoded).
* With a ``feedback`` callback, a sample whose span ends by length, or whose last span ends,
  is shown to it once; text it returns is forced into that sample's own sequence (its KV
  cells stay: only the new text is evaluated) and the same span is sampled again, replacing
  the old one. At most one such turn per sample, so a call still ends.
* Errors (grammar llama.cpp cannot parse, a prompt past the context) are `LLMError`; the KV
  cache of the sample sequences is cleared after every call, failed or not.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import math
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from workbench.llm.base import Completion, LLMError, SamplingParams, cut_at_stop


@dataclass(frozen=True, slots=True)
class Reask:
    """A `Feedback` callback's answer: the text forced into the sample before its last span is
    sampled again, and that span's grammar (None: the call's)."""

    text: str
    grammar: str | None = None


#: ``feedback(j, spans)`` of `BatchDecoder.fill`: how to ask sample ``j``'s last span again, or None.
Feedback = Callable[[int, list[Completion]], "Reask | None"]

_token = ctypes.c_int32
_pos = ctypes.c_int32
_seq = ctypes.c_int32
_p = ctypes.c_void_p


class _Batch(ctypes.Structure):
    _fields_ = [("n_tokens", ctypes.c_int32), ("token", ctypes.POINTER(_token)), ("embd", ctypes.POINTER(ctypes.c_float)),
                ("pos", ctypes.POINTER(_pos)), ("n_seq_id", ctypes.POINTER(ctypes.c_int32)),
                ("seq_id", ctypes.POINTER(ctypes.POINTER(_seq))), ("logits", ctypes.POINTER(ctypes.c_int8))]


class _TokenData(ctypes.Structure):
    _fields_ = [("id", _token), ("logit", ctypes.c_float), ("p", ctypes.c_float)]


class _TokenDataArray(ctypes.Structure):
    _fields_ = [("data", ctypes.POINTER(_TokenData)), ("size", ctypes.c_size_t), ("selected", ctypes.c_int64),
                ("sorted", ctypes.c_bool)]


class _Params(ctypes.Structure):
    """A by-value parameter struct as opaque bytes: larger than any llama.cpp version's
    (the callee reads its own size from the stack; nothing follows it in the calls used)."""

    _fields_ = [("raw", ctypes.c_uint64 * 64)]


class _ChainParams(ctypes.Structure):
    _fields_ = [("no_perf", ctypes.c_bool)]


@functools.lru_cache(maxsize=1)
def _library() -> ctypes.CDLL:
    try:
        import xllamacpp
    except ImportError as exc:
        from workbench.errors import MissingExtraError

        raise MissingExtraError("xllamacpp", "llm") from exc
    folder = os.path.dirname(xllamacpp.__file__)
    so = next((os.path.join(folder, f) for f in sorted(os.listdir(folder)) if f.startswith("xllamacpp") and
               f.endswith(".so")), None)
    if so is None:
        raise LLMError("the xllamacpp wheel has no shared object to load llama.cpp's C API from", where=folder)
    lib = ctypes.CDLL(so)
    sig: dict[str, tuple[object, list[object]]] = {
        "llama_backend_init": (None, []),
        "llama_model_default_params": (_Params, []),
        "llama_context_default_params": (_Params, []),
        "llama_model_load_from_file": (_p, [ctypes.c_char_p, _Params]),
        "llama_init_from_model": (_p, [_p, _Params]),
        "llama_model_get_vocab": (_p, [_p]),
        "llama_vocab_n_tokens": (ctypes.c_int32, [_p]),
        "llama_vocab_is_eog": (ctypes.c_bool, [_p, _token]),
        "llama_tokenize": (ctypes.c_int32, [_p, ctypes.c_char_p, ctypes.c_int32, ctypes.POINTER(_token), ctypes.c_int32,
                                            ctypes.c_bool, ctypes.c_bool]),
        "llama_token_to_piece": (ctypes.c_int32, [_p, _token, ctypes.c_char_p, ctypes.c_int32, ctypes.c_int32,
                                                  ctypes.c_bool]),
        "llama_n_ctx": (ctypes.c_uint32, [_p]),
        "llama_n_batch": (ctypes.c_uint32, [_p]),
        "llama_n_seq_max": (ctypes.c_uint32, [_p]),
        "llama_set_n_threads": (None, [_p, ctypes.c_int32, ctypes.c_int32]),
        "llama_get_memory": (_p, [_p]),
        "llama_memory_seq_rm": (ctypes.c_bool, [_p, _seq, _pos, _pos]),
        "llama_memory_seq_cp": (None, [_p, _seq, _seq, _pos, _pos]),
        "llama_memory_clear": (None, [_p, ctypes.c_bool]),
        "llama_batch_init": (_Batch, [ctypes.c_int32, ctypes.c_int32, ctypes.c_int32]),
        "llama_batch_free": (None, [_Batch]),
        "llama_decode": (ctypes.c_int32, [_p, _Batch]),
        "llama_get_logits_ith": (ctypes.POINTER(ctypes.c_float), [_p, ctypes.c_int32]),
        "llama_sampler_chain_default_params": (_ChainParams, []),
        "llama_sampler_chain_init": (_p, [_ChainParams]),
        "llama_sampler_chain_add": (None, [_p, _p]),
        "llama_sampler_init_greedy": (_p, []),
        "llama_sampler_init_dist": (_p, [ctypes.c_uint32]),
        "llama_sampler_init_top_k": (_p, [ctypes.c_int32]),
        "llama_sampler_init_top_p": (_p, [ctypes.c_float, ctypes.c_size_t]),
        "llama_sampler_init_min_p": (_p, [ctypes.c_float, ctypes.c_size_t]),
        "llama_sampler_init_temp": (_p, [ctypes.c_float]),
        "llama_sampler_init_grammar": (_p, [_p, ctypes.c_char_p, ctypes.c_char_p]),
        "llama_sampler_sample": (_token, [_p, _p, ctypes.c_int32]),
        "llama_sampler_apply": (None, [_p, ctypes.POINTER(_TokenDataArray)]),
        "llama_sampler_accept": (None, [_p, _token]),
        "llama_sampler_free": (None, [_p]),
    }
    for name, (restype, argtypes) in sig.items():
        fn = getattr(lib, name)
        fn.restype, fn.argtypes = restype, argtypes
    lib.llama_log_set.restype, lib.llama_log_set.argtypes = None, [_p, _p]
    lib.llama_log_get.restype, lib.llama_log_get.argtypes = None, [ctypes.POINTER(_p), ctypes.POINTER(_p)]
    lib.llama_backend_init()
    return lib


_LOG_CALLBACK = ctypes.CFUNCTYPE(None, ctypes.c_int, ctypes.c_char_p, ctypes.c_void_p)
_quiet = _LOG_CALLBACK(lambda level, text, data: None)


@contextlib.contextmanager
def _silenced(lib: ctypes.CDLL) -> Iterator[None]:
    """llama.cpp's log muted while a model loads (hundreds of lines), then given back to
    whoever had it (xllamacpp's own logger): a Python callback left installed would be
    called by llama.cpp's teardown after the interpreter has freed it."""
    callback, data = _p(), _p()
    lib.llama_log_get(ctypes.byref(callback), ctypes.byref(data))
    lib.llama_log_set(ctypes.cast(_quiet, _p), None)
    try:
        yield
    finally:
        lib.llama_log_set(callback, data)


def _set_u32(params: _Params, offset: int, value: int) -> None:
    ctypes.c_uint32.from_buffer(params, offset).value = value


def _context_params(lib: ctypes.CDLL, ctx: int, batch: int, seqs: int) -> _Params:
    """The library's default context parameters with the sizes and a unified KV cache.

    The first four ``uint32`` fields (``n_ctx``, ``n_batch``, ``n_ubatch``, ``n_seq_max``) have
    led the struct since 2023. The booleans close it, defaults ``embeddings = 0,
    offload_kqv = 1, no_perf = 1, op_offload = 1, swa_full = 1, kv_unified = 0``: the flag is
    the zero after the first run ``0 1 1 1 1`` past the two ``type_k``/``type_v`` fields.
    """
    params = lib.llama_context_default_params()
    raw = bytes(params)
    if [int.from_bytes(raw[i:i + 4], "little") for i in (4, 12)] != [2048, 1]:
        raise LLMError("llama.cpp's context parameters do not start as expected (n_batch 2048, n_seq_max 1); "
                       "this xllamacpp build is not supported by the batch decoder")
    flags = raw.find(bytes([0, 1, 1, 1, 1, 0]), 64, 256)
    if flags < 0:
        raise LLMError("llama.cpp's context parameters: the boolean flags (kv_unified) were not found; "
                       "this xllamacpp build is not supported by the batch decoder")
    for offset, value in ((0, ctx), (4, batch), (8, batch), (12, seqs)):
        _set_u32(params, offset, value)
    ctypes.c_bool.from_buffer(params, flags + 5).value = True
    return params


@dataclass(slots=True)
class _Sample:
    """One sampling sequence's state during a `BatchDecoder.fill` call."""

    seq: int
    pos: int
    chain: int
    grammar: int | None
    pending: list[int] = field(default_factory=list)  # forced tokens to feed next
    segment: int = 0
    piece: bytearray = field(default_factory=bytearray)
    made: int = 0
    spans: list[Completion] = field(default_factory=list)
    done: bool = False
    asked: bool = False  # the feedback callback has had its one turn
    spent: int = 0  # tokens of a span the feedback replaced, added to its replacement's count


class BatchDecoder:
    """One model and one context for `fill` (one call at a time; a lock serialises callers).

    ``samples`` is the most sequences a call may ask for; the context holds one more, the
    cache sequence that keeps the last prompt.
    """

    def __init__(self, path: str, *, threads: int, ctx: int = 8192, samples: int = 8, batch: int = 512) -> None:
        self._lib = lib = _library()
        self.path = path
        self.samples = samples
        self._cache_seq = samples
        self._batch_cap = batch
        with _silenced(lib):
            model = lib.llama_model_load_from_file(path.encode(), lib.llama_model_default_params())
            ctx_ = lib.llama_init_from_model(model, _context_params(lib, ctx, batch, samples + 1)) if model else None
        if not model:
            raise LLMError("llama.cpp could not load the model", where=path)
        self._model = model
        self._vocab = lib.llama_model_get_vocab(model)
        self._n_vocab = lib.llama_vocab_n_tokens(self._vocab)
        self._ctx = ctx_
        if not self._ctx:
            raise LLMError("llama.cpp could not create a context", where=path)
        got = (lib.llama_n_ctx(self._ctx), lib.llama_n_batch(self._ctx), lib.llama_n_seq_max(self._ctx))
        if got[1:] != (batch, samples + 1) or got[0] < ctx:
            raise LLMError(f"llama.cpp's context came out as n_ctx, n_batch, n_seq_max = {got}, "
                           f"not {(ctx, batch, samples + 1)}: unsupported xllamacpp build", where=path)
        self.n_ctx = int(got[0])
        lib.llama_set_n_threads(self._ctx, threads, threads)
        self._memory = lib.llama_get_memory(self._ctx)
        self._batch = lib.llama_batch_init(batch, 0, 1)
        self._cached: list[int] = []
        self._lock = threading.Lock()
        #: totals: prompt tokens evaluated (and their milliseconds), prompt tokens served from
        #: the cache sequence, forced segment tokens, sampled tokens, ``llama_decode`` calls
        #: and their milliseconds (prompt included)
        self.counts = {"prompt": 0, "prompt_ms": 0.0, "cached": 0, "forced": 0, "sampled": 0, "decodes": 0,
                       "decode_ms": 0.0}

    # ----------------------------------------------------------------------------- text
    def tokenize(self, text: str, *, special: bool = False) -> list[int]:
        data = text.encode()
        cap = len(data) + 8
        buf = (_token * cap)()
        n = self._lib.llama_tokenize(self._vocab, data, len(data), buf, cap, special, special)
        if n < 0:
            raise LLMError("tokenizer overflow", where=self.path)
        return list(buf[:n])

    def piece(self, token: int) -> bytes:
        buf = ctypes.create_string_buffer(64)
        n = self._lib.llama_token_to_piece(self._vocab, token, buf, 64, 0, False)
        if n < 0:
            buf = ctypes.create_string_buffer(-n)
            n = self._lib.llama_token_to_piece(self._vocab, token, buf, -n, 0, False)
        return buf.raw[:n]

    # ----------------------------------------------------------------------------- decoding
    def _decode(self, rows: list[tuple[int, int, int, bool]]) -> list[int]:
        """Decode ``(token, pos, seq, wants_logits)`` rows in chunks of the batch size; the
        batch indices (in the last chunk, whose logits llama.cpp keeps) of the rows that
        want logits. Only rows of the last chunk may want them."""
        lib, b = self._lib, self._batch
        out: list[int] = []
        for start in range(0, len(rows), self._batch_cap):
            chunk = rows[start:start + self._batch_cap]
            final = start + self._batch_cap >= len(rows)
            for i, (tok, pos, seq, logits) in enumerate(chunk):
                if logits and not final:
                    raise AssertionError("logits wanted outside the last chunk of a decode")
                b.token[i], b.pos[i], b.n_seq_id[i], b.logits[i] = tok, pos, 1, int(logits)
                b.seq_id[i][0] = seq
            b.n_tokens = len(chunk)
            t0 = time.perf_counter()
            rc = lib.llama_decode(self._ctx, b)
            self.counts["decode_ms"] += (time.perf_counter() - t0) * 1e3
            self.counts["decodes"] += 1
            if rc != 0:
                raise LLMError(f"llama_decode failed ({rc}): the context ({self.n_ctx} tokens) is full or the batch "
                               "is invalid", where=self.path)
            if final:
                out = [i for i, row in enumerate(chunk) if row[3]]
        return out

    def _prime(self, prompt: list[int]) -> int:
        """Make the cache sequence hold ``prompt``: keep the common prefix, decode the rest
        (the last token always, for its logits); the batch index of those logits."""
        lib, seq = self._lib, self._cache_seq
        keep = 0
        for a, c in zip(prompt, self._cached, strict=False):
            if a != c:
                break
            keep += 1
        keep = min(keep, len(prompt) - 1)
        lib.llama_memory_seq_rm(self._memory, seq, keep, -1)
        self._cached = prompt[:keep]
        t0 = time.perf_counter()
        rest = prompt[keep:]
        [idx] = self._decode([(t, keep + i, seq, i == len(rest) - 1) for i, t in enumerate(rest)])
        self.counts["prompt_ms"] += (time.perf_counter() - t0) * 1e3
        self.counts["prompt"] += len(rest)
        self.counts["cached"] += keep
        self._cached = list(prompt)
        return idx

    def _sampler(self, params: SamplingParams, seed: int) -> tuple[int, int | None]:
        lib = self._lib
        chain = lib.llama_sampler_chain_init(lib.llama_sampler_chain_default_params())
        if params.temperature <= 0:
            lib.llama_sampler_chain_add(chain, lib.llama_sampler_init_greedy())
        else:
            for s in (lib.llama_sampler_init_top_k(40), lib.llama_sampler_init_top_p(params.top_p, 1),
                      lib.llama_sampler_init_min_p(0.05, 1), lib.llama_sampler_init_temp(params.temperature),
                      lib.llama_sampler_init_dist(seed & 0xFFFFFFFF)):
                lib.llama_sampler_chain_add(chain, s)
        try:
            return chain, self._grammar(params.grammar) if params.grammar else None
        except LLMError:
            lib.llama_sampler_free(chain)
            raise

    def _grammar(self, gbnf: str) -> int:
        grammar = self._lib.llama_sampler_init_grammar(self._vocab, gbnf.encode(), b"root")
        if not grammar:
            raise LLMError("llama.cpp could not parse the grammar", where=self.path)
        return int(grammar)

    def _draw(self, s: _Sample, idx: int) -> int:
        """One token for ``s`` from the logits at batch index ``idx`` (grammar checked lazily)."""
        lib = self._lib
        tok = lib.llama_sampler_sample(s.chain, self._ctx, idx)
        if s.grammar is None:
            return int(tok)
        one = _TokenData(tok, 0.0, 0.0)
        arr = _TokenDataArray(ctypes.pointer(one), 1, -1, False)
        lib.llama_sampler_apply(s.grammar, ctypes.byref(arr))
        if not math.isinf(one.logit):
            lib.llama_sampler_accept(s.grammar, tok)
            return int(tok)
        import numpy as np

        n = self._n_vocab
        cand = np.zeros(n, dtype=[("id", "<i4"), ("logit", "<f4"), ("p", "<f4")])
        cand["id"] = np.arange(n, dtype=np.int32)
        cand["logit"] = np.ctypeslib.as_array(lib.llama_get_logits_ith(self._ctx, idx), shape=(n,))
        full = _TokenDataArray(cand.ctypes.data_as(ctypes.POINTER(_TokenData)), n, -1, False)
        lib.llama_sampler_apply(s.grammar, ctypes.byref(full))
        lib.llama_sampler_apply(s.chain, ctypes.byref(full))
        tok = full.data[full.selected].id
        lib.llama_sampler_accept(s.grammar, tok)
        return int(tok)

    def fill(self, prompt: str, segments: Sequence[str], params: SamplingParams,
             feedback: Feedback | None = None) -> list[list[Completion]]:
        """``params.n`` samples of ``prompt`` + segment 1 + span + segment 2 + span …

        Each span is sampled under ``params`` (``max_tokens`` per span, ``stop``, ``grammar``
        with a fresh state per span); its `Completion` holds its text without the stop string.
        A sample whose span ends by length stops there: its list is shorter than ``segments``.

        ``feedback(j, spans)`` sees sample ``j``'s spans when one ends by length or the last
        one ends (once per sample); the `Reask` it may return puts its text after that span in
        the sample's sequence (after the stop string, or after a newline when the span was cut)
        and the span is sampled again in its place, under the `Reask`'s grammar if it has one
        (its ``n_tokens`` then counts both attempts). The text should end where the span
        starts (an error line, then the segment again).

        Raises
        ------
        LLMError
            More samples than the context was made for, a grammar llama.cpp cannot parse, a
            context overflow.
        """
        if not 1 <= params.n <= self.samples:
            raise LLMError(f"fill asks for {params.n} samples; this decoder holds 1 to {self.samples}", where=self.path)
        with self._lock:
            samples: list[_Sample] = []
            try:
                return self._fill(prompt, list(segments), params, samples, feedback)
            finally:
                for s in samples:
                    self._lib.llama_sampler_free(s.chain)
                    if s.grammar:
                        self._lib.llama_sampler_free(s.grammar)
                    self._lib.llama_memory_seq_rm(self._memory, s.seq, -1, -1)

    def _fill(self, prompt: str, segments: list[str], params: SamplingParams,
              samples: list[_Sample], feedback: Feedback | None) -> list[list[Completion]]:
        lib = self._lib
        if not segments:
            return [[] for _ in range(params.n)]
        # the first segment follows the same text in every sample: it is part of the shared prompt
        shared = self.tokenize(prompt + segments[0], special=True)
        if len(shared) >= self.n_ctx:
            raise LLMError(f"the prompt has {len(shared)} tokens; the context holds {self.n_ctx}", where=self.path)
        idx = self._prime(shared)
        seed = 0 if params.seed is None else params.seed
        heads = [self.tokenize(s) for s in segments]
        for j in range(params.n):
            lib.llama_memory_seq_cp(self._memory, self._cache_seq, j, -1, -1)
            chain, grammar = self._sampler(params, seed + j)
            samples.append(_Sample(j, len(shared), chain, grammar))
        drawn = {s.seq: idx for s in samples}  # every sample's first token comes from the prompt's logits
        while True:
            for s in samples:
                if s.seq in drawn:
                    self._advance(s, self._draw(s, drawn[s.seq]), heads, params, feedback)
            rows: list[tuple[int, int, int, bool]] = []
            owners: list[_Sample] = []
            room = self._batch_cap
            for s in samples:
                if s.done or not s.pending or not room:
                    continue  # a sample that does not fit waits for the next step
                take, s.pending = s.pending[:room], s.pending[room:]
                rows += [(t, s.pos + i, s.seq, not s.pending and i == len(take) - 1) for i, t in enumerate(take)]
                s.pos += len(take)
                room -= len(take)
                if not s.pending:
                    owners.append(s)
            if not rows:
                return [s.spans for s in samples]
            drawn = dict(zip((s.seq for s in owners), self._decode(rows), strict=True))

    def _advance(self, s: _Sample, tok: int, heads: list[list[int]], params: SamplingParams,
                 feedback: Feedback | None = None) -> None:
        """``s`` drew ``tok``: extend its span, or close the span and queue what follows it
        (the feedback's text and the same span again, when the callback answers)."""
        lib = self._lib
        self.counts["sampled"] += 1
        s.made += 1
        ended = lib.llama_vocab_is_eog(self._vocab, tok)
        if not ended:
            s.piece += self.piece(tok)
        text, stopped = cut_at_stop(s.piece.decode("utf-8", errors="ignore"), params.stop)
        if not stopped and not ended and s.made < params.max_tokens:
            s.pending = [tok]
            return
        reason = "stop" if stopped or ended else "length"
        s.spans.append(Completion(text, reason, n_tokens=s.made + s.spent))
        s.spent = 0
        # the token that carried the stop string enters the sequence (up to the stop) before
        # what follows; an end-of-text token does not; a cut span's last token and a newline do
        closing = [] if ended else self._through_stop(tok, params.stop) if reason == "stop" else [tok]
        ending = reason == "length" or s.segment + 1 == len(heads)
        if ending and feedback is not None and not s.asked:
            s.asked = True
            again = feedback(s.seq, list(s.spans))
            if again is not None:
                s.spent = s.spans.pop().n_tokens
                forced = self.tokenize(("\n" if reason == "length" else "") + again.text)
                self._next_span(s, closing + forced, again.grammar or params.grammar)
                return
        s.segment += 1
        if ending:
            s.done = True
            return
        self._next_span(s, closing + heads[s.segment], params.grammar)

    def _next_span(self, s: _Sample, forced: list[int], grammar: str | None) -> None:
        """A new span begins for ``s`` after the ``forced`` tokens: empty text, no tokens, a
        fresh state of ``grammar``."""
        s.pending = forced
        self.counts["forced"] += len(forced)
        s.piece, s.made = bytearray(), 0
        if s.grammar is not None:
            self._lib.llama_sampler_free(s.grammar)
            s.grammar = None
        if grammar:
            s.grammar = self._grammar(grammar)

    def _through_stop(self, tok: int, stop: Sequence[str]) -> list[int]:
        """``tok`` when its text ends with the stop string it carried, else the tokens of its
        text up to and including that stop (the rest would not be in the server's prompt)."""
        text = self.piece(tok).decode("utf-8", errors="ignore")
        at, x = min(((text.find(x), x) for x in stop if x and x in text), default=(-1, ""))
        if at >= 0 and at + len(x) < len(text):
            return self.tokenize(text[:at + len(x)])
        return [tok]
