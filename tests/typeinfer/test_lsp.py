"""The language server, driven over stdio by a real LSP client (pytest-lsp)."""

from __future__ import annotations

import asyncio
import sys

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient

SOURCE = """\
// Ünïcode comment so UTF-16 columns differ from bytes
function greet(name, times = 2) {
  const emoji = "😀"; let msg = emoji + name.trim();
  return msg.repeat(times);
}
greet("ada");
"""
URI = "file:///tmp/greet.ts"


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[sys.executable, "-m", "typeinfer.lsp"]))
async def client(lsp_client: LanguageClient):  # type: ignore[no-untyped-def]
    await lsp_client.initialize_session(lsp.InitializeParams(capabilities=lsp.ClientCapabilities()))
    yield
    await lsp_client.shutdown_session()


def _open(client: LanguageClient, text: str, uri: str = URI, version: int = 1) -> None:
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(
        lsp.TextDocumentItem(uri=uri, language_id="typescript", version=version, text=text)))


async def _hints(client: LanguageClient, uri: str = URI, lines: int = 10_000) -> list[lsp.InlayHint]:
    r = await client.text_document_inlay_hint_async(lsp.InlayHintParams(
        text_document=lsp.TextDocumentIdentifier(uri),
        range=lsp.Range(lsp.Position(0, 0), lsp.Position(lines, 0))))
    return list(r or [])


def _at(hints: list[lsp.InlayHint]) -> dict[tuple[int, int], str]:
    return {(h.position.line, h.position.character): str(h.label) for h in hints}


@pytest.mark.asyncio
async def test_inlay_hints_have_file_positions_in_utf16(client: LanguageClient) -> None:
    _open(client, SOURCE)
    got = _at(await _hints(client))
    # line 1 (0-based): `function greet(name, times = 2) {` — after `name` (col 19) and `times` (col 26)
    assert got[(1, 19)] == ": string"
    assert got[(1, 26)] == ": number"
    # return type goes after the closing parenthesis of the parameter list
    assert got[(1, 31)] == ": string"
    # `let msg` comes after a non-BMP emoji: 2 UTF-16 units, 1 code point
    line2 = SOURCE.splitlines()[2]
    col_cp = line2.index("msg") + 3
    assert got[(2, col_cp + 1)] == ": string"
    assert (2, col_cp) not in got


@pytest.mark.asyncio
async def test_hint_range_is_respected_and_edits_insert_annotations(client: LanguageClient) -> None:
    _open(client, SOURCE)
    hints = await _hints(client)
    only_line_1 = await client.text_document_inlay_hint_async(lsp.InlayHintParams(
        text_document=lsp.TextDocumentIdentifier(URI),
        range=lsp.Range(lsp.Position(1, 0), lsp.Position(1, 40))))
    assert {h.position.line for h in only_line_1 or []} == {1}
    name_hint = next(h for h in hints if (h.position.line, h.position.character) == (1, 19))
    (edit,) = name_hint.text_edits or []
    assert edit.new_text == ": string" and edit.range.start == lsp.Position(1, 19)


@pytest.mark.asyncio
async def test_hover_shows_type_confidence_and_slice(client: LanguageClient) -> None:
    _open(client, SOURCE)
    await _hints(client)
    h = await client.text_document_hover_async(lsp.HoverParams(
        lsp.TextDocumentIdentifier(URI), lsp.Position(1, 16)))
    assert h is not None
    text = h.contents.value  # type: ignore[union-attr]
    assert "`string`" in text and "confidence" in text and "trim" in text
    assert h.range == lsp.Range(lsp.Position(1, 15), lsp.Position(1, 19))


@pytest.mark.asyncio
async def test_code_action_inserts_annotation(client: LanguageClient) -> None:
    _open(client, SOURCE)
    await _hints(client)
    actions = await client.text_document_code_action_async(lsp.CodeActionParams(
        lsp.TextDocumentIdentifier(URI), lsp.Range(lsp.Position(1, 0), lsp.Position(1, 10)),
        lsp.CodeActionContext(diagnostics=[])))
    titles = [a.title for a in actions or []]  # type: ignore[union-attr]
    assert "Annotate `name`: string" in titles
    act = next(a for a in actions if a.title == "Annotate `name`: string")  # type: ignore[union-attr]
    edits = act.edit.changes[URI]  # type: ignore[union-attr,index]
    assert [(e.range.start.line, e.range.start.character, e.new_text) for e in edits] == [(1, 19, ": string")]


@pytest.mark.asyncio
async def test_edit_is_reanalysed_and_later_hints_move(client: LanguageClient) -> None:
    _open(client, SOURCE)
    await _hints(client)
    # insert a new function above greet: greet's hints shift down two lines
    client.text_document_did_change(lsp.DidChangeTextDocumentParams(
        lsp.VersionedTextDocumentIdentifier(version=2, uri=URI),
        [lsp.TextDocumentContentChangePartial(
            range=lsp.Range(lsp.Position(1, 0), lsp.Position(1, 0)),
            text="function half(n) { return n / 2; }\nconst big = 10n, h = half(4);\n")]))
    got = _at(await _hints(client))
    assert got[(3, 26)] == ": number"          # at once: greet(…, times = 2) moved from line 1 to 3
    assert (1, 26) not in got                  # …and is not left behind
    # the new declarations: the compiler's types as soon as it answers (a thread of their own);
    # half(n) (a rule and a call site agree) and greet(name) (the edit touched its line) are
    # predictions: hints only once the compiler has checked them (the whole-file judge after the edit)
    for _ in range(100):
        got = _at(await _hints(client))
        if (2, 9) in got and (1, 15) in got and (3, 19) in got:
            break
        await asyncio.sleep(0.1)
    assert got[(2, 9)] == ": bigint"           # const big
    assert got[(1, 16)] == ": number"          # half's return
    assert got[(1, 15)] == ": number" and got[(3, 19)] == ": string"


@pytest.mark.asyncio
@pytest.mark.parametrize("text", [
    "",                                                         # empty
    "function broken(a, b { let x = 1; return a.trim( }\nconst ok = 'y';\n",  # syntax errors
    "var a=function(b){return b+1},c=new Map(),d=a(2);" * 300,  # minified one-line bundle
    "let s = 'bad \ufffd bytes'; const n = 3;\n",              # what non-UTF-8 becomes after decoding
])
async def test_bad_input_gives_hints_and_the_server_keeps_serving(client: LanguageClient, text: str) -> None:
    _open(client, text, "file:///tmp/bad.ts")
    hints = await _hints(client, "file:///tmp/bad.ts")
    if "const ok" in text:
        assert any(str(h.label) == ": string" and h.position.line == 1 for h in hints)
    if "const n = 3" in text:
        assert {str(h.label) for h in hints} >= {": string", ": number"}
    if text.startswith("var a"):  # b: number from b + 1 alone (no call site of a function expression):
        # one source, but a primitive that adds no error (`judge.ALONE_PRIMITIVE`): a hint, and on hover
        after_b = text.index("(b") + 2
        assert any(str(h.label) == ": number" and (h.position.line, h.position.character) == (0, after_b)
                   for h in hints)
        h = await client.text_document_hover_async(lsp.HoverParams(
            lsp.TextDocumentIdentifier("file:///tmp/bad.ts"), lsp.Position(0, text.index("(b") + 1)))
        assert h is not None and "number" in h.contents.value  # type: ignore[union-attr]
    # still serving: a second document is answered
    _open(client, SOURCE)
    assert await _hints(client)


@pytest.mark.asyncio
async def test_huge_file_is_served(client: LanguageClient) -> None:
    body = "".join(f"function f{i}(x) {{ const v{i} = x + {i}; return v{i} * 2; }}\n" for i in range(50_000))
    _open(client, body, "file:///tmp/huge.ts")
    hints = await asyncio.wait_for(_hints(client, "file:///tmp/huge.ts", lines=5), timeout=120)
    assert any(str(h.label) == ": number" for h in hints)


def _frame(body: bytes) -> bytes:
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def test_a_body_that_is_not_json_is_one_stderr_line_and_the_server_answers_the_next() -> None:
    """Raw stdio (no client library would send this): a broken body, then shutdown and exit."""
    import subprocess

    stdin = (_frame(b'{"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {bad')
             + _frame(b'{"jsonrpc": "2.0", "id": 2, "method": "shutdown"}')
             + _frame(b'{"jsonrpc": "2.0", "method": "exit"}'))
    done = subprocess.run([sys.executable, "-m", "typeinfer.lsp"], input=stdin, capture_output=True, timeout=60)
    assert done.returncode == 0
    assert b'"id": 2' in done.stdout and b"Expecting property name" in done.stdout  # answered; told the client
    err = done.stderr.decode().strip().splitlines()
    assert len(err) == 1 and "not valid JSON-RPC" in err[0] and "line 1 column" in err[0], err


NON_ASCII = """\
const café = "é" + 1;
function shout(word, n = 1) { const e = "😀é"; const s = e + word.trim(); return s.repeat(n); }
shout("hé");
"""


def _columns(text: str, line: int, needle: str, after: int = 0) -> tuple[int, int]:
    """(UTF-8 bytes, UTF-16 units) column just after ``needle`` on a 0-based line."""
    src = text.splitlines()[line]
    cp = src.index(needle, after) + len(needle)
    return len(src[:cp].encode("utf-8")), len(src[:cp].encode("utf-16-le")) // 2


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[sys.executable, "-m", "typeinfer.lsp"]))
async def utf8_client(lsp_client: LanguageClient):  # type: ignore[no-untyped-def]
    """A client that offers UTF-8 first, as neovim does."""
    caps = lsp.ClientCapabilities(general=lsp.GeneralClientCapabilities(
        position_encodings=[lsp.PositionEncodingKind.Utf8, lsp.PositionEncodingKind.Utf16]))
    result = await lsp_client.initialize_session(lsp.InitializeParams(capabilities=caps))
    lsp_client.negotiated = result.capabilities.position_encoding  # type: ignore[attr-defined]
    yield
    await lsp_client.shutdown_session()


@pytest.mark.asyncio
async def test_utf8_is_negotiated_and_columns_are_utf8(utf8_client: LanguageClient) -> None:
    assert utf8_client.negotiated == lsp.PositionEncodingKind.Utf8  # type: ignore[attr-defined]
    _open(utf8_client, NON_ASCII, "file:///tmp/enc.ts")
    got = _at(await _hints(utf8_client, "file:///tmp/enc.ts"))
    b8, b16 = _columns(NON_ASCII, 0, "const café")
    assert got.get((0, b8)) == ": string" and b8 != b16
    b8, b16 = _columns(NON_ASCII, 1, "const s")
    assert got.get((1, b8)) == ": string" and b8 != b16
    b8, _ = _columns(NON_ASCII, 1, "shout(word")
    assert got.get((1, b8)) == ": string"          # verified prediction, after `word`
    # hover at a UTF-8 column inside `word`
    h = await utf8_client.text_document_hover_async(lsp.HoverParams(
        lsp.TextDocumentIdentifier("file:///tmp/enc.ts"), lsp.Position(1, b8 - 2)))
    assert h is not None and "`string`" in h.contents.value  # type: ignore[union-attr]


@pytest.mark.asyncio
async def test_utf16_stays_when_the_client_offers_nothing(client: LanguageClient) -> None:
    _open(client, NON_ASCII, "file:///tmp/enc16.ts")
    got = _at(await _hints(client, "file:///tmp/enc16.ts"))
    _, b16 = _columns(NON_ASCII, 1, "const s")
    assert got.get((1, b16)) == ": string"


@pytest.mark.asyncio
async def test_a_lone_surrogate_costs_only_its_line(client: LanguageClient) -> None:
    text = "const bad = '\ud800';\nconst n = 3;\nfunction twice(x = 2) { return x * 2; }\n"
    _open(client, text, "file:///tmp/sur.ts")
    got = _at(await _hints(client, "file:///tmp/sur.ts"))
    assert got.get((1, 7)) == ": number" and got.get((2, 21)) == ": number"
    _open(client, SOURCE)
    assert await _hints(client)


class RawServer:
    """The server over raw stdio: for messages no LSP client library would send."""

    def __init__(self) -> None:
        import subprocess

        self.proc = subprocess.Popen([sys.executable, "-m", "typeinfer.lsp"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.next = 0

    def send(self, method: str, params: object, notify: bool = False) -> int:
        import json

        self.next += 1
        msg = {"jsonrpc": "2.0", "method": method, "params": params}
        if not notify:
            msg["id"] = self.next
        assert self.proc.stdin is not None
        self.proc.stdin.write(_frame(json.dumps(msg).encode()))
        self.proc.stdin.flush()
        return self.next

    def reply(self, rid: int) -> dict:  # type: ignore[type-arg]
        import json

        assert self.proc.stdout is not None
        while True:
            length = 0
            while (line := self.proc.stdout.readline().strip()):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            msg = json.loads(self.proc.stdout.read(length))
            if msg.get("id") == rid and "method" not in msg:
                return msg

    def close(self) -> None:
        self.reply(self.send("shutdown", None))
        self.send("exit", None, notify=True)
        self.proc.wait(timeout=30)


def test_invalid_params_get_an_error_reply_and_the_next_request_is_answered() -> None:
    s = RawServer()
    try:
        s.reply(s.send("initialize", {"processId": None, "rootUri": None, "capabilities": {}}))
        s.send("initialized", {}, notify=True)
        doc = {"uri": URI, "languageId": "typescript", "version": 1, "text": SOURCE}
        s.send("textDocument/didOpen", {"textDocument": doc}, notify=True)
        td = {"uri": URI}
        bad = s.reply(s.send("textDocument/hover", {"textDocument": td, "position": {"line": -1, "character": 3}}))
        assert bad["error"]["code"] == -32602 and "-1" in bad["error"]["message"], bad
        bad = s.reply(s.send("textDocument/inlayHint", {"textDocument": td, "range": {
            "start": {"line": 5, "character": 0}, "end": {"line": 1, "character": 0}}}))
        assert bad["error"]["code"] == -32602 and "before" in bad["error"]["message"], bad
        whole = {"start": {"line": 0, "character": 0}, "end": {"line": 99, "character": 0}}
        # an unopened document: an empty answer, not an error
        assert s.reply(s.send("textDocument/inlayHint", {"textDocument": {"uri": "file:///tmp/no.ts"},
                                                         "range": whole}))["result"] == []
        # an edit far past the end: clamped by the workspace; the server keeps serving
        s.send("textDocument/didChange", {"textDocument": {"uri": URI, "version": 2}, "contentChanges": [
            {"range": {"start": {"line": 400, "character": 0}, "end": {"line": 500, "character": 7}},
             "text": "\nconst tail = 1;\n"}]}, notify=True)
        got = s.reply(s.send("textDocument/inlayHint", {"textDocument": td, "range": whole}))["result"]
        labels = {(h["position"]["line"], h["position"]["character"]): h["label"] for h in got}
        assert labels[(1, 19)] == ": string"
    finally:
        s.close()


@pytest.mark.asyncio
async def test_huge_file_hover_and_code_actions(client: LanguageClient) -> None:
    body = "".join(f"function f{i}(x) {{ const v{i} = x + {i}; return v{i} * 2; }}\n" for i in range(20_000))
    assert len(body) > 300_000
    uri = "file:///tmp/huge2.ts"
    _open(client, body, uri)
    line = 15_000
    await asyncio.wait_for(_hints(client, uri, lines=5), timeout=120)
    src = body.splitlines()[line]
    # `x + 15000` with `x: any` is `any` to the compiler: the prediction is a candidate only
    h = await asyncio.wait_for(client.text_document_hover_async(lsp.HoverParams(
        lsp.TextDocumentIdentifier(uri), lsp.Position(line, src.index("v15000") + 1))), timeout=120)
    assert h is not None and "candidate `number`" in h.contents.value  # type: ignore[union-attr]
    actions = await client.text_document_code_action_async(lsp.CodeActionParams(
        lsp.TextDocumentIdentifier(uri), lsp.Range(lsp.Position(line, 0), lsp.Position(line, 10)),
        lsp.CodeActionContext(diagnostics=[])))
    titles = [a.title for a in actions or []]  # type: ignore[union-attr]
    assert "Annotate return type: number" in titles  # the compiler's type of `v15000 * 2`


#: A server whose "LLM" answers `number` for every parameter it is asked about (a scripted model, so
#: that what the server does with an answer is certain; tests/typeinfer/test_pipeline.py drives a
#: real small model through the same `fill`).
_SCRIPTED_FILL = (
    "from typeinfer.lsp import build_server; from typeinfer.predict import Candidate; "
    "build_server(fill_for=lambda text: lambda holes: "
    "{k: (Candidate('number', 0.9, 'llm', 'infill'),) for k in holes}).start_io()")


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[sys.executable, "-c", _SCRIPTED_FILL]))
async def fill_client(lsp_client: LanguageClient):  # type: ignore[no-untyped-def]
    await lsp_client.initialize_session(lsp.InitializeParams(capabilities=lsp.ClientCapabilities()))
    yield
    await lsp_client.shutdown_session()


@pytest.mark.asyncio
async def test_the_llm_fills_holes_after_the_first_hints_judged(fill_client: LanguageClient) -> None:
    from typeinfer.checker import available

    if not available():
        pytest.skip("needs node + typescript (the judge)")
    text = "export function echo(a) { return a; }\nexport function deep(c) { return c.foo.bar; }\n"
    _open(fill_client, text, "file:///tmp/fill.ts")
    got: dict[tuple[int, int], str] = {}
    for _ in range(100):  # the first answer has no LLM hint yet; the filled one follows
        got = _at(await _hints(fill_client, "file:///tmp/fill.ts"))
        if (0, 22) in got:
            break
        await asyncio.sleep(0.2)
    assert got.get((0, 22)) == ": number"        # echo(a: number): nothing contradicts it
    assert (1, 22) not in got                    # deep(c: number) makes `c.foo` an error: not a hint
    h = await fill_client.text_document_hover_async(lsp.HoverParams(
        lsp.TextDocumentIdentifier("file:///tmp/fill.ts"), lsp.Position(1, 21)))
    assert h is not None  # hover says why (F1): the error writing it adds
    text = h.contents.value  # type: ignore[union-attr]
    assert "candidate `number` (not a hint: writing it adds a compiler error)" in text
    assert "line 2, TS2339: Property 'foo' does not exist on type 'number'" in text


@pytest.mark.asyncio
async def test_an_assemblyscript_file_gets_no_hints_even_after_an_edit(client: LanguageClient) -> None:
    # C38: the judge cannot judge AssemblyScript (`usize`, `i32` are not TypeScript types); the server
    # shows nothing once the file is judged, and an edit brings no compiler types back
    uri = "file:///tmp/as_memory.ts"
    src = ("export function fill(ptr: usize, value: u8, len: i32): void {\n"
           "  for (let i = 0; i < len; i++) store<u8>(ptr + <usize>i, value);\n"
           "}\n"
           "export function sum(a, b) { return a + <i32>b; }\n")
    _open(client, src, uri)
    for _ in range(50):  # until the whole-file judge has answered (a first paint may come before it)
        got = await _hints(client, uri)
        if not got:
            break
        await asyncio.sleep(0.1)
    assert got == []
    client.text_document_did_change(lsp.DidChangeTextDocumentParams(
        lsp.VersionedTextDocumentIdentifier(version=2, uri=uri),
        [lsp.TextDocumentContentChangePartial(range=lsp.Range(lsp.Position(4, 0), lsp.Position(4, 0)),
                                              text="export function twice(x: i32) { const y = x * 2; return y; }\n")]))
    for _ in range(10):
        assert await _hints(client, uri) == []
        await asyncio.sleep(0.1)
