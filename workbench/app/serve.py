"""An OpenAI-compatible HTTP server over any `Generator` (``workbench models serve``).

Endpoints: ``GET /v1/models``; ``POST /v1/completions`` (``prompt`` a string or a list, ``n``,
``temperature``, ``top_p``, ``max_tokens``, ``stop``, ``seed``, ``logprobs``, a GBNF grammar under
``grammar``, ``structured_outputs.grammar`` or ``guided_grammar``); ``POST /v1/chat/completions``
(``messages``, formatted with the GGUF model's own chat template by llama.cpp); both with
``"stream": true`` (server-sent events ending in ``data: [DONE]``).

A GGUF model is driven through llama.cpp's own request handling (`GGUFGenerator.handle`), token
by token, so generation stops as soon as the client is gone: a streamed token that cannot be
written, or (not streaming) a closed connection seen between two tokens. Any other generator
answers through ``generate`` (chat needs a GGUF model).

Invariants
----------
* Every request is checked before any work: a body that is not a JSON object, a missing or
  mistyped field, ``n`` / ``max_tokens`` / prompt tokens over the caps (`Limits`), a body over
  the size cap (413, not read), a body that does not arrive within the read timeout (408, e.g.
  a Content-Length larger than what is sent). Each gets a 4xx with an OpenAI error object
  ``{"error": {"message", "type", "param", "code"}}``; llama.cpp's own rejections (a grammar it
  cannot parse, a prompt over the context) are 400s too. Only a failure of the model itself is
  a 500.
* No response names a file: the model is called by its spec (``gguf:smollm2-135m``), and error
  messages have the model's path replaced by it.
* The server listens where it is told (127.0.0.1 by default); the llama.cpp engine's own port
  is not an endpoint of this server and requires the process's random key.
"""

from __future__ import annotations

import json
import os
import select
import socket
import threading
import time
import uuid
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from workbench.llm.base import Generator, LLMError, SamplingParams
from workbench.llm.oai import completion_request, completions_response


@dataclass(frozen=True, slots=True)
class Limits:
    """What one request may ask for; over a cap is a 400 (413 for the body)."""

    max_body_bytes: int = 1 << 20
    max_n: int = 8
    max_tokens: int = 2048
    #: Prompt tokens per prompt (counted by the model's tokenizer; GGUF models only).
    max_prompt_tokens: int = 4096
    #: Seconds to wait for each part of a request (headers, body) before a 408.
    read_timeout: float = 1.0


class ClientError(Exception):
    """A bad request: its HTTP status, message and the offending parameter."""

    def __init__(self, message: str, param: str | None = None, status: int = 400,
                 kind: str = "invalid_request_error") -> None:
        super().__init__(message)
        self.status, self.param, self.kind = status, param, kind


def error_body(message: str, kind: str = "invalid_request_error", param: str | None = None,
               code: str | None = None) -> dict[str, Any]:
    """An OpenAI error object.

    >>> error_body("n must be at most 8", param="n")["error"]["param"]
    'n'
    """
    return {"error": {"message": message, "type": kind, "param": param, "code": code}}


def _int(body: dict[str, Any], key: str, default: int, low: int, high: int | None = None) -> int:
    value = body.get(key, default)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int):
        raise ClientError(f"{key} must be an integer, got {json.dumps(value)[:40]}", key)
    if value < low:
        raise ClientError(f"{key} must be at least {low}, got {value}", key)
    if high is not None and value > high:
        raise ClientError(f"{key} must be at most {high} on this server, got {value}", key)
    return value


def _float(body: dict[str, Any], key: str, default: float, low: float, high: float) -> float:
    value = body.get(key, default)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        raise ClientError(f"{key} must be a number from {low:g} to {high:g}, got {json.dumps(value)[:40]}", key)
    return float(value)


def params_from_request(body: dict[str, Any], limits: Limits = Limits()) -> SamplingParams:
    """The checked sampling parameters of a request body.

    >>> params_from_request({"n": 2, "stop": "\\n", "structured_outputs": {"grammar": "root ::= \\"a\\""}})
    SamplingParams(n=2, temperature=0.0, max_tokens=16, stop=('\\n',), grammar='root ::= "a"', top_p=1.0, seed=None, logprobs=False, grammar_optional=False)
    >>> params_from_request({"max_tokens": -5})
    Traceback (most recent call last):
    ...
    workbench.app.serve.ClientError: max_tokens must be at least 1, got -5
    """
    stop = body.get("stop") or ()
    if isinstance(stop, str):
        stop = (stop,)
    if not isinstance(stop, (list, tuple)) or len(stop) > 4 or not all(isinstance(s, str) for s in stop):
        raise ClientError("stop must be a string or a list of at most 4 strings", "stop")
    so = body.get("structured_outputs")
    grammar = body.get("grammar") or body.get("guided_grammar") or (so.get("grammar") if isinstance(so, dict) else None)
    if grammar is not None and not isinstance(grammar, str):
        raise ClientError("grammar must be a GBNF string", "grammar")
    seed = body.get("seed")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
        raise ClientError("seed must be an integer", "seed")
    return SamplingParams(
        n=_int(body, "n", 1, 1, limits.max_n),
        temperature=_float(body, "temperature", 0.0, 0.0, 2.0),
        max_tokens=_int(body, "max_tokens", 16, 1, limits.max_tokens),
        stop=tuple(stop),
        grammar=grammar,
        top_p=_float(body, "top_p", 1.0, 0.0, 1.0),
        seed=seed,
        logprobs=bool(body.get("logprobs")),
    )


def _messages(body: dict[str, Any]) -> list[dict[str, str]]:
    msgs = body.get("messages")
    if not isinstance(msgs, list) or not msgs:
        raise ClientError("messages must be a non-empty list of {role, content}", "messages")
    out = []
    for i, m in enumerate(msgs):
        if not isinstance(m, dict) or m.get("role") not in ("system", "user", "assistant", "developer"):
            raise ClientError(f"messages[{i}] needs a role of system, user or assistant", "messages")
        content = m.get("content")
        if isinstance(content, list):  # content parts: text only
            if not all(isinstance(p, dict) and p.get("type") == "text" and isinstance(p.get("text"), str) for p in content):
                raise ClientError(f"messages[{i}].content: only text parts are supported", "messages")
            content = "".join(p["text"] for p in content)
        if not isinstance(content, str):
            raise ClientError(f"messages[{i}].content must be a string", "messages")
        out.append({"role": "system" if m["role"] == "developer" else m["role"], "content": content})
    return out


@dataclass
class RequestRecord:
    """What the server did for one request (kept for tests and logs): tokens and how it ended."""

    id: str
    tokens: int = 0
    ended: str = ""
    started_at: float = 0.0
    ended_at: float = 0.0


class Server:
    """A running server; use as a context manager or call `close`.

    Parameters
    ----------
    generator:
        What answers the requests.
    host, port:
        Where to listen; port 0 picks a free one (see `url`).
    limits:
        The caps and timeouts of `Limits`.
    """

    def __init__(self, generator: Generator, host: str = "127.0.0.1", port: int = 0,
                 limits: Limits | None = None) -> None:
        self.generator = generator
        self.limits = limits or Limits()
        self.records: list[RequestRecord] = []
        handler = type("Handler", (_Handler,), {"server_state": self})
        try:
            self._httpd = _HTTPServer((host, port), handler)
        except OSError as exc:  # port taken, no such host, no permission: one line, not a traceback
            raise LLMError(f"cannot listen there: {exc.strerror or exc}", where=f"{host}:{port}") from exc
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        """The base URL to give an OpenAI client (ends in ``/v1``)."""
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    @property
    def model(self) -> str:
        return self.generator.name

    def scrub(self, text: str) -> str:
        """``text`` with the model file's path (and its folder) replaced by the model's name."""
        path = getattr(self.generator, "path", None)
        if path is not None:
            text = text.replace(str(path), self.model).replace(str(os.path.dirname(str(path))), "<models>")
        return text

    def count_tokens(self, text: str) -> int | None:
        """Tokens of ``text`` by the model's tokenizer (llama.cpp's ``/tokenize``), ``None`` if unknown."""
        url, key = getattr(self.generator, "url", None), getattr(self.generator, "api_key", None)
        if not url or not key:
            return None
        import httpx

        try:
            r = httpx.post(f"{url}/tokenize", json={"content": text}, headers={"Authorization": f"Bearer {key}"},
                           timeout=30)
            return len(r.json()["tokens"])
        except (httpx.HTTPError, KeyError, ValueError, TypeError):
            return None

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def wait(self) -> None:
        """Block until interrupted (``workbench models serve``)."""
        self._thread.join()

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _HTTPServer(ThreadingHTTPServer):
    """socketserver's listen backlog is 5: twenty clients connecting at once while the threads
    are busy generating overflowed it, and the kernel reset a connection (a CI run of
    ``test_twenty_concurrent_requests_are_all_served``)."""

    request_queue_size = 128


class _Gone(Exception):
    """The client closed the connection."""


#: Seconds a kept-alive connection may sit idle before the next request line, and a write may block.
IDLE_TIMEOUT = 30.0


class _Handler(BaseHTTPRequestHandler):
    server_state: Server
    protocol_version = "HTTP/1.1"
    timeout = IDLE_TIMEOUT

    def handle_one_request(self) -> None:
        self.connection.settimeout(IDLE_TIMEOUT)  # waiting for the next request on a kept-alive connection
        super().handle_one_request()

    def parse_request(self) -> bool:
        self.connection.settimeout(self.server_state.limits.read_timeout)  # headers and body: the read timeout
        return super().parse_request()

    def log_message(self, format: str, *args: Any) -> None:  # quiet: the CLI prints its own lines
        pass

    # ---------------------------------------------------------------- routing

    def do_GET(self) -> None:
        if self.path.rstrip("/") in ("/v1/models", "/models"):
            self._send(200, {"object": "list", "data": [{"id": self.server_state.model, "object": "model",
                                                          "created": 0, "owned_by": "workbench"}]})
        else:
            self._send(404, error_body(f"no route GET {self.path[:100]}", "not_found_error"))

    def do_POST(self) -> None:
        route = self.path.rstrip("/")
        kind = {"/v1/completions": "completions", "/completions": "completions",
                "/v1/chat/completions": "chat", "/chat/completions": "chat"}.get(route)
        if kind is None:
            self._send(404, error_body(f"no route POST {self.path[:100]}", "not_found_error"))
            return
        try:
            body = self._body()
            self.connection.settimeout(IDLE_TIMEOUT)  # generating and writing: no read deadline
            self._answer(kind, body)
        except ClientError as exc:
            self._send(exc.status, error_body(self.server_state.scrub(str(exc)), exc.kind, exc.param),
                       close=exc.status in (408, 411, 413))
        except _Gone:
            self.close_connection = True
        except LLMError as exc:
            self._send(500, error_body(self.server_state.scrub(str(exc)), "server_error"))

    def do_PUT(self) -> None:
        self._send(405, error_body(f"method PUT is not allowed on {self.path[:100]}", "invalid_request_error"))

    do_DELETE = do_PATCH = do_PUT

    # ---------------------------------------------------------------- the request

    def _body(self) -> dict[str, Any]:
        limits = self.server_state.limits
        if self.headers.get("Transfer-Encoding"):
            raise ClientError("send the body with a Content-Length (no chunked transfer)", status=411)
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            raise ClientError("a Content-Length header is required", status=411) from None
        if length < 0:
            raise ClientError("Content-Length must not be negative", status=400)
        if length > limits.max_body_bytes:
            raise ClientError(f"request body of {length:,} bytes is over this server's cap of "
                              f"{limits.max_body_bytes:,}", status=413)
        try:
            raw = self.rfile.read(length)
        except TimeoutError:
            raise ClientError(f"the body did not arrive within {limits.read_timeout:g} s "
                              f"(Content-Length said {length:,} bytes)", status=408, kind="timeout") from None
        if len(raw) < length:
            raise ClientError(f"the body ended after {len(raw):,} of {length:,} bytes", status=400)
        try:
            body = json.loads(raw or b"null")
        except (ValueError, UnicodeDecodeError) as exc:
            raise ClientError(f"the body is not JSON: {str(exc)[:100]}") from None
        if not isinstance(body, dict):
            raise ClientError(f"the body must be a JSON object, not {type(body).__name__ if body is not None else 'empty'}")
        return body

    def _answer(self, kind: str, body: dict[str, Any]) -> None:
        state = self.server_state
        params = params_from_request(body, state.limits)
        stream = body.get("stream", False)
        if not isinstance(stream, bool):
            raise ClientError("stream must be true or false", "stream")
        if kind == "chat":
            prompts: list[Any] = [_messages(body)]
            if body.get("prompt") is not None:
                raise ClientError("a chat request takes messages, not prompt", "prompt")
        else:
            prompt = body.get("prompt")
            prompts = prompt if isinstance(prompt, list) else [prompt]
            if not prompts or not all(isinstance(p, str) for p in prompts):
                raise ClientError("prompt must be a string or a non-empty list of strings", "prompt")
            if len(prompts) * params.n > state.limits.max_n:
                raise ClientError(f"{len(prompts)} prompts × n={params.n} is over this server's cap of "
                                  f"{state.limits.max_n} completions per request", "n")
        for p in prompts:
            text = p if isinstance(p, str) else "\n".join(m["content"] for m in p)
            if len(text.encode()) > state.limits.max_prompt_tokens:  # more bytes than the cap: count
                count = state.count_tokens(text)
                if count is not None and count > state.limits.max_prompt_tokens:
                    raise ClientError(f"the prompt has {count:,} tokens, over this server's cap of "
                                      f"{state.limits.max_prompt_tokens:,}", "prompt")
        rid = f"{'chatcmpl' if kind == 'chat' else 'cmpl'}-{uuid.uuid4().hex[:24]}"
        if hasattr(state.generator, "handle"):
            self._llama(kind, rid, prompts, params, stream, body)
        elif kind == "chat":
            raise ClientError("this model has no chat template; use /v1/completions", "messages")
        else:
            self._generate(rid, prompts, params, stream)

    # ---------------------------------------------------------------- any generator

    def _generate(self, rid: str, prompts: list[str], params: SamplingParams, stream: bool) -> None:
        state = self.server_state
        result = state.generator.generate(prompts, params)
        flat = [c for cs in result for c in cs]
        payload = completions_response(flat, model=state.model)
        payload.update(id=rid, created=int(time.time()))
        if not stream:
            self._send(200, payload)
            return
        self._start_stream()
        for i, c in enumerate(flat):
            self._event({"id": rid, "object": "text_completion", "created": payload["created"], "model": state.model,
                         "choices": [{"index": i, "text": c.text, "finish_reason": c.finish_reason, "logprobs": None}]})
        self._end_stream()

    # ---------------------------------------------------------------- llama.cpp, token by token

    def _llama(self, kind: str, rid: str, prompts: list[Any], params: SamplingParams, stream: bool,
               body: dict[str, Any]) -> None:
        state = self.server_state
        created = int(time.time())
        jobs = [(p, j) for p in prompts for j in range(params.n)]
        record = RequestRecord(rid, started_at=time.monotonic())
        if len(state.records) >= 1000:  # a long-running server keeps the last few hundred
            del state.records[:500]
        state.records.append(record)
        lock = threading.Lock()  # one writer on the socket for the n streams
        if stream:
            self._start_stream()
        results: list[dict[str, Any]] = [{} for _ in jobs]

        def run(index: int) -> None:
            prompt, j = jobs[index]
            seed = None if params.seed is None else params.seed + j
            if kind == "chat":
                req: dict[str, Any] = {"messages": prompt, "max_tokens": params.max_tokens,
                                       "temperature": params.temperature, "top_p": params.top_p}
                if params.stop:
                    req["stop"] = list(params.stop)
                if seed is not None:
                    req["seed"] = seed
                if params.grammar:
                    req["grammar"] = params.grammar
            else:
                req = completion_request(prompt, params, seed=seed, logprobs=params.logprobs)
            req["stream"], req["stream_options"] = True, {"include_usage": True}
            results[index] = self._one(kind, req, index, rid, created, stream, lock, record)

        threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(len(jobs))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        record.ended_at = time.monotonic()
        record.ended = record.ended or "done"
        errors = [r["error"] for r in results if "error" in r]
        if errors:
            err = errors[0]
            status = int(err.get("code") or 500) if isinstance(err, dict) else 500
            message = state.scrub(str(err.get("message") if isinstance(err, dict) else err))
            if stream:  # the status line is out already: the error is the last event
                self._event(error_body(message, "invalid_request_error" if status < 500 else "server_error"))
                self._end_stream()
                return
            raise ClientError(message, status=status) if 400 <= status < 500 else LLMError(message)
        if record.ended == "client gone":
            raise _Gone
        if stream:
            self._end_stream()
            return
        usage = {"prompt_tokens": sum(r.get("prompt_tokens", 0) for r in results),
                 "completion_tokens": sum(r["tokens"] for r in results)}
        usage["total_tokens"] = usage["prompt_tokens"] + usage["completion_tokens"]
        if kind == "chat":
            choices = [{"index": i, "message": {"role": "assistant", "content": r["text"]},
                        "finish_reason": r["finish_reason"], "logprobs": None} for i, r in enumerate(results)]
            obj = "chat.completion"
        else:
            choices = [{"index": i, "text": r["text"], "finish_reason": r["finish_reason"],
                        "logprobs": {"tokens": r["tokens_text"], "token_logprobs": r["logprobs"]}
                        if params.logprobs else None} for i, r in enumerate(results)]
            obj = "text_completion"
        self._send(200, {"id": rid, "object": obj, "created": created, "model": state.model,
                         "choices": choices, "usage": usage})

    def _one(self, kind: str, req: dict[str, Any], index: int, rid: str, created: int, stream: bool,
             lock: threading.Lock, record: RequestRecord) -> dict[str, Any]:
        """One sample through llama.cpp, chunk by chunk; what it produced (or its error)."""
        state = self.server_state
        out: dict[str, Any] = {"text": "", "tokens": 0, "finish_reason": "stop", "logprobs": [], "tokens_text": []}

        def on_chunk(chunk: Any) -> bool:
            if isinstance(chunk, dict) and "error" in chunk:
                out["error"] = chunk["error"]
                return True
            if record.ended == "client gone":
                return True
            for ch in (chunk or {}).get("choices", []):
                piece = (ch.get("delta") or {}).get("content") if kind == "chat" else ch.get("text")
                if piece:
                    out["text"] += piece
                    out["tokens"] += 1
                    with lock:
                        record.tokens += 1
                for t in ((ch.get("logprobs") or {}).get("content") or []):
                    out["logprobs"].append(t.get("logprob"))
                    out["tokens_text"].append(t.get("token"))
                if ch.get("finish_reason"):
                    out["finish_reason"] = ch["finish_reason"]
                if stream and (piece or ch.get("finish_reason")):
                    event = ({"id": rid, "object": "chat.completion.chunk", "created": created, "model": state.model,
                              "choices": [{"index": index, "delta": {"content": piece or ""},
                                           "finish_reason": ch.get("finish_reason")}]} if kind == "chat" else
                             {"id": rid, "object": "text_completion", "created": created, "model": state.model,
                              "choices": [{"index": index, "text": piece or "", "logprobs": None,
                                           "finish_reason": ch.get("finish_reason")}]})
                    try:
                        with lock:
                            self._event(event)
                    except OSError:
                        return self._gone(record)
            usage = (chunk or {}).get("usage")
            if isinstance(usage, dict):  # the last chunk (stream_options.include_usage)
                out["prompt_tokens"] = usage.get("prompt_tokens", 0)
                out["tokens"] = usage.get("completion_tokens", out["tokens"])
            if not stream and self._client_closed():
                return self._gone(record)
            return False

        try:
            reply = state.generator.handle(kind, req, on_chunk)  # type: ignore[attr-defined]
        except Exception as exc:  # noqa: BLE001 - the engine's own exceptions: a server error, scrubbed
            return {"error": {"message": f"{type(exc).__name__}: {exc}", "code": 500}}
        if isinstance(reply, dict) and "error" in reply:
            out["error"] = reply["error"]
        return out

    def _gone(self, record: RequestRecord) -> bool:
        record.ended = "client gone"
        record.ended_at = time.monotonic()
        return True

    def _client_closed(self) -> bool:
        """The client hung up (its end of the socket reads as closed)."""
        try:
            readable, _, _ = select.select([self.connection], [], [], 0)
            if not readable:
                return False
            return self.connection.recv(1, socket.MSG_PEEK) == b""
        except (OSError, ValueError):
            return True

    # ---------------------------------------------------------------- writing

    def _drain(self, seconds: float = 1.0, most: int = 64 << 20) -> None:
        """After an early answer (413, 408), read and drop what the client is still sending, for
        up to ``seconds``, so that closing the socket does not reset the connection before the
        client has read the answer."""
        try:
            self.connection.shutdown(socket.SHUT_WR)
            deadline, got = time.monotonic() + seconds, 0
            while got < most and time.monotonic() < deadline:
                ready, _, _ = select.select([self.connection], [], [], max(deadline - time.monotonic(), 0))
                if not ready:
                    break
                chunk = self.connection.recv(1 << 16)
                if not chunk:
                    break
                got += len(chunk)
        except OSError:
            pass

    def _send(self, status: int, payload: dict[str, Any], close: bool = False) -> None:
        data = json.dumps(payload).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            if close:
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            self.wfile.write(data)
            if close:
                self.wfile.flush()
                self._drain()
        except OSError:
            self.close_connection = True

    def _start_stream(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")  # the end of the stream is the end of the connection
        self.close_connection = True
        self.end_headers()

    def _event(self, payload: dict[str, Any]) -> None:
        self.wfile.write(b"data: " + json.dumps(payload).encode() + b"\n\n")
        self.wfile.flush()

    def _end_stream(self) -> None:
        try:
            self.wfile.write(b"data: [DONE]\n\n")
            self.wfile.flush()
        except OSError:
            pass
