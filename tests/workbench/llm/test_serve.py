"""`workbench models serve` for real: the official `openai` client against SmolLM2-135M (llama.cpp).

Chat (the GGUF's own template) and completions, streamed and not, agree with the engine called
directly; 20 concurrent requests are all served; every bad request of issue 19 gets its 4xx
within 1 s with an OpenAI error body that names no file; a client that hangs up stops the
generation within 1 s (measured on the server's side). "1 s" is `second()`: 1 s on an idle
machine, longer in proportion when the cores run several times more work than they have.
"""

from __future__ import annotations

import json
import os
import socket
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from workbench.app.serve import Limits, Server
from workbench.llm import Generator, SamplingParams

openai = pytest.importorskip("openai")
httpx = pytest.importorskip("httpx")

pytestmark = pytest.mark.llm

LIMITS = Limits(max_body_bytes=1 << 20, max_n=4, max_tokens=512, max_prompt_tokens=256, read_timeout=0.5)
CHAT = [{"role": "system", "content": "You answer in one short sentence."},
        {"role": "user", "content": "What colour is the sky on a clear day?"}]


def second() -> float:
    """The issue's 1 s, stretched by how oversubscribed the cores are (1 s on an idle machine).

    The server's own waits are what is tested; on a machine running several times more work than
    it has cores, every step of the client and the server takes that much longer.
    """
    return max(1.0, os.getloadavg()[0] / (os.cpu_count() or 1))


@pytest.fixture(scope="module")
def server(smollm: Generator) -> Iterator[Server]:
    if not hasattr(smollm, "handle"):
        pytest.skip("the server's llama.cpp path needs the xllamacpp engine")
    with Server(smollm, limits=LIMITS) as s:
        yield s


@pytest.fixture(scope="module")
def client(server: Server) -> Any:
    return openai.OpenAI(base_url=server.url, api_key="unused", max_retries=0, timeout=120)


def test_models_lists_the_spec_not_the_file(client: Any) -> None:
    assert [m.id for m in client.models.list().data] == ["gguf:smollm2-135m"]


def test_chat_uses_the_gguf_chat_template(client: Any, smollm: Any) -> None:
    r = client.chat.completions.create(model="gguf:smollm2-135m", messages=CHAT, max_tokens=12, temperature=0)
    direct = smollm.handle("chat", {"messages": CHAT, "max_tokens": 12, "temperature": 0.0, "top_p": 1.0})
    assert r.choices[0].message.content == direct["choices"][0]["message"]["content"] != ""
    assert r.choices[0].message.role == "assistant" and r.model == "gguf:smollm2-135m"
    assert r.usage.prompt_tokens == direct["usage"]["prompt_tokens"] > 20  # the template's tokens around the text
    stream = client.chat.completions.create(model="m", messages=CHAT, max_tokens=12, temperature=0, stream=True)
    pieces = [c.choices[0].delta.content or "" for c in stream if c.choices]
    assert len(pieces) > 3 and "".join(pieces) == r.choices[0].message.content


def test_completions_match_the_engine_streamed_or_not(client: Any, smollm: Generator) -> None:
    prompt = "The capital of France is"
    [[local]] = smollm.generate([prompt], SamplingParams(max_tokens=8))
    r = client.completions.create(model="m", prompt=prompt, max_tokens=8, temperature=0, logprobs=1)
    assert r.choices[0].text == local.text and r.choices[0].finish_reason == local.finish_reason
    assert len(r.choices[0].logprobs.token_logprobs) == r.usage.completion_tokens
    streamed = "".join(c.choices[0].text for c in client.completions.create(
        model="m", prompt=prompt, max_tokens=8, temperature=0, stream=True))
    assert streamed == local.text
    many = client.completions.create(model="m", prompt=["1, 2, 3,", "a, b, c,"], max_tokens=4, temperature=0.7,
                                     n=2, seed=5)
    assert sorted(c.index for c in many.choices) == [0, 1, 2, 3]


def test_twenty_concurrent_requests_are_all_served(client: Any) -> None:
    def ask(i: int) -> str:
        r = client.completions.create(model="m", prompt=f"Count to {i}:", max_tokens=6, temperature=0)
        return r.choices[0].text

    t0 = time.monotonic()
    with ThreadPoolExecutor(20) as pool:
        texts = list(pool.map(ask, range(20)))
    assert len(texts) == 20 and all(isinstance(t, str) for t in texts)
    print(f"20 concurrent completions in {time.monotonic() - t0:.1f} s")


# --------------------------------------------------------------------------- bad requests


def _raw(server: Server, head: bytes, body: bytes = b"", wait: float = 5.0) -> tuple[int, dict[str, Any], float]:
    """Send a hand-made request; (status, JSON body, seconds until the answer)."""
    t0 = time.monotonic()
    with socket.create_connection(_hostport(server), timeout=wait) as s:
        s.sendall(head + body)
        data = b""
        while b"\r\n\r\n" not in data or len(data.split(b"\r\n\r\n", 1)[1]) < _length(data):
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    seconds = time.monotonic() - t0
    status = int(data.split(b" ", 2)[1])
    return status, json.loads(data.split(b"\r\n\r\n", 1)[1] or b"{}"), seconds


def _length(data: bytes) -> int:
    for line in data.split(b"\r\n\r\n", 1)[0].split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return int(line.split(b":")[1])
    return 0


def _post(server: Server, body: Any, path: str = "/v1/completions") -> tuple[int, dict[str, Any], float]:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    head = f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {len(raw)}\r\n\r\n"
    return _raw(server, head.encode(), raw)


BAD = [
    ("a JSON array", [{"prompt": "hi"}], 400, "must be a JSON object"),
    ("not JSON", b"{prompt: hi", 400, "not JSON"),
    ("max_tokens=-5", {"prompt": "hi", "max_tokens": -5}, 400, "max_tokens must be at least 1"),
    ("max_tokens=1e9", {"prompt": "hi", "max_tokens": 1e9}, 400, "max_tokens must be an integer"),
    ("max_tokens=10**9", {"prompt": "hi", "max_tokens": 10**9}, 400, "max_tokens must be at most 512"),
    ("n=1000", {"prompt": "hi", "n": 1000}, 400, "n must be at most 4"),
    ("a bad grammar", {"prompt": "hi", "grammar": "root ::= (", "max_tokens": 4}, 400, "grammar"),
    ("a 5 MB prompt", {"prompt": "word " * 1_000_000}, 413, "over this server's cap of 1,048,576"),
    ("too many prompt tokens", {"prompt": "The quick brown fox. " * 200}, 400, "tokens, over this server's cap of 256"),
    ("no prompt", {"max_tokens": 4}, 400, "prompt must be a string"),
    ("temperature=9", {"prompt": "hi", "temperature": 9}, 400, "temperature must be a number from 0 to 2"),
]


@pytest.mark.parametrize(("what", "body", "status", "says"), BAD, ids=[b[0] for b in BAD])
def test_bad_request_gets_a_4xx_within_a_second(server: Server, smollm: Any, what: str, body: Any, status: int,
                                                says: str) -> None:
    got, payload, seconds = _post(server, body)
    assert got == status, (what, got, payload)
    err = payload["error"]
    assert says in err["message"] and err["type"] in ("invalid_request_error", "timeout"), err
    assert seconds < second(), f"{what}: {seconds:.2f} s"
    text = json.dumps(payload)
    assert str(smollm.path) not in text and ".gguf" not in text and "/models" not in text, text


def test_bad_chat_messages_and_routes(server: Server) -> None:
    for body, says in (({"messages": []}, "messages must be a non-empty list"),
                       ({"messages": [{"role": "robot", "content": "x"}]}, "needs a role"),
                       ({"messages": [{"role": "user", "content": 5}]}, "content must be a string")):
        status, payload, seconds = _post(server, body, "/v1/chat/completions")
        assert status == 400 and says in payload["error"]["message"] and seconds < second()
    status, payload, _ = _post(server, {"prompt": "x"}, "/v1/embeddings")
    assert status == 404 and payload["error"]["type"] == "not_found_error"


def test_a_lying_content_length_gets_408_after_the_read_timeout(server: Server) -> None:
    head = b"POST /v1/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
    status, payload, seconds = _raw(server, head, b'{"prompt": "hi"}')
    assert status == 408 and "did not arrive within 0.5 s" in payload["error"]["message"]
    assert 0.45 < seconds < second(), seconds


def test_the_openai_client_sees_400_as_bad_request(client: Any) -> None:
    with pytest.raises(openai.BadRequestError) as err:
        client.completions.create(model="m", prompt="hi", max_tokens=-5)
    assert err.value.status_code == 400 and "max_tokens must be at least 1" in str(err.value)


# --------------------------------------------------------------------------- the client leaves


def _stopped(server: Server, before: int, gone: float, what: str, timeout: float = 30) -> None:
    """The request after ``before`` ended as "client gone", within `second()` of ``gone``, short of 500 tokens."""
    t0 = time.monotonic()
    while not [r for r in server.records[before:] if r.ended]:
        assert time.monotonic() - t0 < timeout, "the request never ended on the server"
        time.sleep(0.02)
    rec = next(r for r in server.records[before:] if r.ended)
    assert rec.ended == "client gone" and rec.tokens < 500
    assert rec.ended_at - gone < second(), rec.ended_at - gone
    print(f"{what}: stopped {rec.ended_at - gone:.3f} s after the client left, at {rec.tokens} tokens")


def test_generation_stops_within_a_second_when_the_client_hangs_up(server: Server) -> None:
    body = json.dumps({"prompt": "Write a long story about a dragon who learns to bake bread.\n", "max_tokens": 500,
                       "temperature": 0.8, "seed": 1}).encode()
    head = f"POST /v1/completions HTTP/1.1\r\nHost: x\r\nContent-Length: {len(body)}\r\n\r\n".encode()
    before = len(server.records)
    s = socket.create_connection(_hostport(server), timeout=5)
    s.sendall(head + body)
    while len(server.records) == before or server.records[before].tokens < 5:  # it is generating
        time.sleep(0.01)
    s.close()
    _stopped(server, before, time.monotonic(), "not streaming")


def test_a_stream_stops_within_a_second_when_the_client_closes_it(server: Server, client: Any) -> None:
    before = len(server.records)
    stream = client.completions.create(model="m", prompt="Write a long story about a dragon.\n", max_tokens=500,
                                       temperature=0.8, seed=2, stream=True)
    for n, _ in enumerate(stream):
        if n == 5:
            break
    stream.close()
    _stopped(server, before, time.monotonic(), "streaming")


def _hostport(server: Server) -> tuple[str, int]:
    host, port = server.url.split("//")[1].split("/")[0].split(":")
    return host, int(port)
