"""The OpenAI-compatible backend against real local HTTP servers.

Three servers, all started by the tests on 127.0.0.1: llama.cpp's own server (the one
xllamacpp runs next to the in-process engine), our `workbench.app.serve` over a replayed
recording, and deliberately broken servers (down, garbage, 500, 400).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from workbench.app.serve import Server
from workbench.llm import Completion, Generator, LLMError, SamplingParams, load_generator
from workbench.llm.openai import OpenAIGenerator
from workbench.llm.replay import ReplayGenerator

GRAMMAR = 'root ::= " " ("yes" | "no") "."'


# --- llama.cpp's server -------------------------------------------------------------------


@pytest.mark.llm
def test_llama_cpp_server_matches_the_in_process_engine(smollm: Generator) -> None:
    url = getattr(smollm, "url", None)
    if not url:
        pytest.skip("this GGUF engine (llama-cpp-python) runs no HTTP server")
    gen = load_generator(f"openai:{url}/v1", concurrency=2, api_key=smollm.api_key)  # type: ignore[attr-defined]
    prompts = ["The capital of France is", "1, 2, 3,"]
    params = SamplingParams(max_tokens=8, logprobs=True)
    remote = gen.generate(prompts, params)
    local = smollm.generate(prompts, params)
    assert [[c.text for c in cs] for cs in remote] == [[c.text for c in cs] for cs in local]
    assert all(len(c.token_logprobs) == c.n_tokens > 0 for cs in remote for c in cs)


@pytest.mark.llm
def test_llama_cpp_server_grammar_and_more_samples_than_slots(smollm: Generator) -> None:
    url = getattr(smollm, "url", None)
    if not url:
        pytest.skip("this GGUF engine (llama-cpp-python) runs no HTTP server")
    gen = OpenAIGenerator(f"{url}/v1", api_key=smollm.api_key)  # type: ignore[attr-defined]
    # n = 6 exceeds llama.cpp's 4 slots: the server rejects it, the backend splits the samples
    [samples] = gen.generate(["Is the sky blue? Answer:"], SamplingParams(n=6, temperature=1.0, max_tokens=8, grammar=GRAMMAR, seed=3))
    assert len(samples) == 6
    assert {c.text for c in samples} <= {" yes.", " no."}


@pytest.mark.llm
def test_llama_cpp_server_answers_only_its_own_process(smollm: Generator) -> None:
    """The engine's internal port wants the process's random key; /slots is off even with it."""
    import httpx

    url = getattr(smollm, "url", None)
    if not url:
        pytest.skip("this GGUF engine (llama-cpp-python) runs no HTTP server")
    assert url.startswith(("http://127.0.0.1:", "http://localhost:"))
    body = {"prompt": "Hi", "max_tokens": 1}
    assert httpx.post(f"{url}/v1/completions", json=body, timeout=30).status_code == 401
    assert httpx.post(f"{url}/v1/completions", json=body, timeout=30,
                      headers={"Authorization": "Bearer wrong"}).status_code == 401
    key = {"Authorization": f"Bearer {smollm.api_key}"}  # type: ignore[attr-defined]
    assert httpx.get(f"{url}/slots", timeout=30).status_code in (401, 404, 501)
    assert httpx.get(f"{url}/slots", headers=key, timeout=30).status_code in (404, 501)
    assert httpx.post(f"{url}/v1/completions", json=body, headers=key, timeout=30).status_code == 200


# --- our server over a recording ------------------------------------------------------------


@pytest.fixture()
def replay_server() -> Iterator[Server]:
    rec = {f"prompt {i}": [Completion(f"answer {i}.{j}", token_logprobs=(-0.5, -0.25), n_tokens=2) for j in range(3)] for i in range(20)}
    with Server(ReplayGenerator(rec, name="replay:test")) as server:
        yield server


def test_served_recording_round_trips_text_order_and_logprobs(replay_server: Server) -> None:
    gen = load_generator(f"openai:{replay_server.url}#replay:test", concurrency=8)
    prompts = [f"prompt {i}" for i in range(20)]
    out = gen.generate(prompts, SamplingParams(n=3, logprobs=True, stop=(".2",)))
    assert [[c.text for c in cs] for cs in out] == [[f"answer {i}.0", f"answer {i}.1", f"answer {i}"] for i in range(20)]
    assert out[0][0].token_logprobs == (-0.5, -0.25)


def test_model_id_comes_from_the_server(replay_server: Server) -> None:
    assert OpenAIGenerator(replay_server.url).model == "replay:test"


def test_backend_error_is_reported_with_the_server_message(replay_server: Server) -> None:
    gen = OpenAIGenerator(replay_server.url, retries=1, backoff=0.01)
    with pytest.raises(LLMError, match="HTTP 500.*no recorded generation for prompt.*gave up after 2 tries"):
        gen.generate(["unknown"], SamplingParams())


# --- broken servers -------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_server_down_retries_with_backoff_then_fails_clearly() -> None:
    port = _free_port()
    gen = OpenAIGenerator(f"http://127.0.0.1:{port}/v1", model="m", retries=3, backoff=0.05)
    t0 = time.perf_counter()
    with pytest.raises(LLMError) as err:
        gen.generate(["hi"], SamplingParams())
    elapsed = time.perf_counter() - t0
    assert f"http://127.0.0.1:{port}/v1/completions" in str(err.value)
    assert "cannot connect" in str(err.value) and "gave up after 4 tries" in str(err.value)
    assert elapsed >= 0.05 + 0.1 + 0.2  # the backoff really waited


class _Broken:
    """A real HTTP server answering every request with one fixed (status, body)."""

    def __init__(self, status: int, body: bytes) -> None:
        self.requests = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                outer.requests += 1
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.mark.parametrize(
    ("status", "body", "message"),
    [
        (200, b"<html>proxy error</html>", "response is not JSON: '<html>proxy error</html>'"),
        (200, b'{"result": "ok"}', "response has no 'choices' list"),
        (200, b'{"choices": [{"txt": 1}]}', "choice 0 has no 'text' string"),
        (503, b"overloaded", "HTTP 503"),
    ],
)
def test_garbage_or_failing_server_is_retried_then_a_clear_error(status: int, body: bytes, message: str) -> None:
    server = _Broken(status, body)
    try:
        gen = OpenAIGenerator(server.url, model="m", retries=2, backoff=0.01)
        with pytest.raises(LLMError, match="gave up after 3 tries") as err:
            gen.generate(["hi"], SamplingParams())
        assert message in str(err.value)
        assert server.requests == 3
    finally:
        server.close()


def test_client_error_fails_at_once() -> None:
    server = _Broken(400, b'{"error": {"message": "max_tokens too large"}}')
    try:
        gen = OpenAIGenerator(server.url, model="m", retries=5, backoff=0.01)
        with pytest.raises(LLMError, match="HTTP 400.*max_tokens too large"):
            gen.generate(["hi"], SamplingParams())
        assert server.requests == 1
    finally:
        server.close()
