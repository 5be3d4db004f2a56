"""A small OpenAI-compatible HTTP server over any `Generator` (``workbench models serve``).

It lets a replayed, cached, transformers or GGUF generator be used by any OpenAI client, and
gives the tests a real server for the `workbench.llm.openai` backend. Endpoints:
``GET /v1/models`` and ``POST /v1/completions`` (``prompt`` a string or a list, ``n``,
``temperature``, ``top_p``, ``max_tokens``, ``stop``, ``seed``, ``logprobs`` and a GBNF
grammar under ``grammar``, ``structured_outputs.grammar`` or ``guided_grammar``).
A bad request gets HTTP 400 and a backend failure HTTP 500, each with an OpenAI error object.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from workbench.llm.base import Generator, LLMError, SamplingParams
from workbench.llm.oai import completions_response


def params_from_request(body: dict[str, Any]) -> SamplingParams:
    """The sampling parameters of a completion request body.

    >>> params_from_request({"n": 2, "stop": "\\n", "structured_outputs": {"grammar": "root ::= \\"a\\""}})
    SamplingParams(n=2, temperature=0.0, max_tokens=16, stop=('\\n',), grammar='root ::= "a"', top_p=1.0, seed=None, logprobs=False, grammar_optional=False)
    """
    stop = body.get("stop") or ()
    so = body.get("structured_outputs")
    grammar = body.get("grammar") or body.get("guided_grammar") or (so.get("grammar") if isinstance(so, dict) else None)
    try:
        return SamplingParams(
            n=int(body.get("n", 1)),
            temperature=float(body.get("temperature", 0.0)),
            max_tokens=int(body.get("max_tokens", 16)),
            stop=(stop,) if isinstance(stop, str) else tuple(str(s) for s in stop),
            grammar=grammar,
            top_p=float(body.get("top_p", 1.0)),
            seed=None if body.get("seed") is None else int(body["seed"]),
            logprobs=bool(body.get("logprobs")),
        )
    except (TypeError, ValueError) as exc:
        raise LLMError(f"bad sampling parameter: {exc}") from exc


class Server:
    """A running server; use as a context manager or call `close`.

    Parameters
    ----------
    generator:
        What answers the requests.
    host, port:
        Where to listen; port 0 picks a free one (see `url`).
    """

    def __init__(self, generator: Generator, host: str = "127.0.0.1", port: int = 0) -> None:
        self.generator = generator
        handler = type("Handler", (_Handler,), {"generator": generator})
        try:
            self._httpd = ThreadingHTTPServer((host, port), handler)
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


class _Handler(BaseHTTPRequestHandler):
    generator: Generator
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # quiet: the CLI prints its own lines
        pass

    def do_GET(self) -> None:
        if self.path.rstrip("/") in ("/v1/models", "/models"):
            self._send(200, {"object": "list", "data": [{"id": self.generator.name, "object": "model"}]})
        else:
            self._send(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}})

    def do_POST(self) -> None:
        if self.path.rstrip("/") not in ("/v1/completions", "/completions"):
            self._send(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}})
            return
        try:
            length = int(self.headers.get("Content-Length", 0))
            body = json.loads(self.rfile.read(length) or b"{}")
            prompts = body["prompt"] if isinstance(body.get("prompt"), list) else [body["prompt"]]
            params = params_from_request(body)
        except (KeyError, ValueError, LLMError) as exc:
            self._send(400, {"error": {"message": f"bad request: {exc}", "type": "invalid_request_error"}})
            return
        try:
            result = self.generator.generate([str(p) for p in prompts], params)
        except LLMError as exc:
            self._send(500, {"error": {"message": str(exc), "type": "server_error"}})
            return
        flat = [c for cs in result for c in cs]
        self._send(200, completions_response(flat, model=self.generator.name))

    def _send(self, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
