"""Language server (pygls 2): inferred types as inlay hints, hovers and code actions.

* ``textDocument/inlayHint`` — ``: T`` after every unannotated parameter, variable, field and
  parameter list (return type) the combiner answered; each hint carries the text edit that
  writes it, so accepting a hint annotates the code;
* ``textDocument/hover`` — on a target's name: the type, its confidence and source, the
  evidence and the usage slice it came from, and the candidates that the slice ruled out;
* ``textDocument/codeAction`` — "Annotate ``x: T``" for targets in the range, and "Annotate all";
* edits (``didChange``) re-analyse at once the top-level declarations the edit touched (the rest
  of the hints move with the text), then the whole file again in the background, after which the
  server asks the client to refresh its hints.

Whole-file analyses run one at a time on one worker thread; an analysis whose document has moved
on (a newer edit, or closed) before its turn is skipped. Finished analyses are kept per text
(`ResultCache`), so reopening a file or undoing back to an analysed text answers at once.

Positions: the analysis speaks `workbench.span.Span` conventions (1-based lines, code-point
columns); they become LSP positions (0-based lines, UTF-16 columns) only here, in
`lsp_position`. Bad input (syntax errors, non-UTF-8 bytes, a minified bundle, huge files) gives
hints for what can be analysed; an exception inside a handler is logged and answered with an
empty result, so the server keeps serving.

Run: ``workbench types lsp`` (stdio) — `serve` is the entry point.
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import gc
import hashlib
import logging
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer

from typeinfer.annotate import Edit, edits_for
from typeinfer.combine import Inference
from typeinfer.cpg import _parser, dialect_of
from typeinfer.infer import FileAnalysis, analyse, default_predictors
from typeinfer.predict import Predictor
from typeinfer.signatures import Signatures, standard_library
from typeinfer.slices import UserDefinedType
from workbench.span import Span

#: Named, not ``__name__``: under ``python -m typeinfer.lsp`` that would be ``__main__``.
log = logging.getLogger("typeinfer.lsp")
SERVER_NAME = "workbench-types"
#: Seconds without edits before the whole file is re-analysed in the background.
FULL_REANALYSIS_DELAY = 0.4
#: Documents longer than this (characters) are analysed per visible window, not as a whole.
LARGE_CHARS = 300_000
#: A hint request for at most this many lines, before the first analysis is done, is answered
#: from its own declarations (an editor's first paint of a viewport).
VIEWPORT_LINES = 200
#: Most lines one window analyses.
WINDOW_LINES = 3_000
#: Whole-file results kept (per distinct text) for reopened files and undos.
CACHE_ENTRIES = 16


def lsp_position(lines: Sequence[str], line: int, col: int) -> lsp.Position:
    """LSP position of a 1-based line and 0-based code-point column (UTF-16 via `Span`).

    >>> lsp_position(["const é = 1; let 😀x = 2;"], 1, 18)
    0:19
    """
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    if text.isascii():
        return lsp.Position(line - 1, col)
    r = Span(1, col, 1, col).to_lsp_range(text)["start"]
    return lsp.Position(line - 1, r["character"])


def from_lsp(lines: Sequence[str], pos: lsp.Position) -> tuple[int, int]:
    """1-based line and code-point column of an LSP position."""
    text = lines[pos.line] if 0 <= pos.line < len(lines) else ""
    if text.isascii():
        return pos.line + 1, pos.character
    units = 0
    for i, ch in enumerate(text):
        if units >= pos.character:
            return pos.line + 1, i
        units += 2 if ord(ch) > 0xFFFF else 1
    return pos.line + 1, len(text)


@dataclass
class Hint:
    """One answered target, positioned in the current text of the document."""

    inference: Inference

    @property
    def line(self) -> int:
        at = self.inference.target.insertAt
        return at[0] if at else (self.inference.target.lineNumber or 0)


@dataclass
class DocState:
    """What the server knows about one open document."""

    uri: str
    text: str
    version: int
    hints: list[Hint] = field(default_factory=list)
    #: Classes and interfaces of the last whole-file analysis (members for edited declarations).
    udts: tuple[UserDefinedType, ...] = ()
    #: Whether a whole-file analysis of some version has been installed.
    analysed: bool = False
    #: (start line, end line) of each top-level declaration, 1-based inclusive.
    units: list[tuple[int, int]] = field(default_factory=list)
    timer: threading.Timer | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)
    #: Set once the first analysis finished (or failed): requests stop waiting.
    ready: bool = False
    #: `ready` as an event the request handlers await (set on the server's event loop).
    done: asyncio.Event = field(default_factory=asyncio.Event)
    #: Large documents are analysed per requested window of declarations, cached here.
    large: bool = False
    windows: dict[tuple[int, int, int], list[Hint]] = field(default_factory=dict)


def _units(analysis: FileAnalysis) -> list[tuple[int, int]]:
    root = analysis.cpg.tree.root_node
    return [(c.start_point[0] + 1, c.end_point[0] + 1) for c in root.named_children]


@dataclass(frozen=True)
class Answer:
    """What the server keeps of a whole-file analysis (not the CPG: it is large)."""

    hints: tuple[Inference, ...]
    udts: tuple[UserDefinedType, ...]
    units: tuple[tuple[int, int], ...]

    @classmethod
    def of(cls, a: FileAnalysis) -> Answer:
        hints = sorted((i for i in a.inferences.values() if i.type is not None),
                       key=lambda i: Hint(i).line)
        return cls(tuple(hints), a.program.userDefinedTypes, tuple(_units(a)))


class ResultCache:
    """Whole-file answers by text (and grammar), least recently used dropped first.

    The analysis is a function of the text and the grammar alone (the file name only picks the
    grammar), so an entry answers any document with the same text.

    >>> c = ResultCache(2)
    >>> c.put("typescript", "let a = 1;", Answer((), (), ()))
    >>> c.get("typescript", "let a = 1;") is not None, c.get("javascript", "let a = 1;")
    (True, None)
    """

    def __init__(self, size: int = CACHE_ENTRIES) -> None:
        self.size = size
        self._items: OrderedDict[tuple[str, bytes], Answer] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def _key(dialect: str, text: str) -> tuple[str, bytes]:
        return dialect, hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()

    def get(self, dialect: str, text: str) -> Answer | None:
        """The answer for this text, if analysed before."""
        key = self._key(dialect, text)
        with self._lock:
            got = self._items.get(key)
            if got is not None:
                self._items.move_to_end(key)
            return got

    def put(self, dialect: str, text: str, answer: Answer) -> None:
        """Keep an answer (dropping the least recently used beyond `size`)."""
        key = self._key(dialect, text)
        with self._lock:
            self._items[key] = answer
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for one analysis (it ends enabled if it started so).

    An analysis builds some 100k container objects (CPG nodes, tree nodes, slices) that live
    until it returns and are then freed by reference counting; collections in between only walk
    them again and again (about 10% of a whole-file analysis). What little cyclic garbage an
    analysis leaves is collected after it. Two analyses overlapping (the worker and a viewport
    request) still leave the collector enabled: the one that found it enabled enables it.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _shift(inf: Inference, delta: int) -> Inference:
    t = inf.target
    mv = (lambda p: (p[0] + delta, p[1]) if p else p)  # noqa: E731
    target = replace(t, lineNumber=(t.lineNumber or 0) + delta, insertAt=mv(t.insertAt),
                     wrapFrom=mv(t.wrapFrom))
    return replace(inf, target=target)


class TypeServer(LanguageServer):
    """The pygls server plus the analysis state of the open documents."""

    def __init__(self, predictors: Sequence[Predictor] | None = None,
                 signatures: Signatures | None = None) -> None:
        super().__init__(SERVER_NAME, "0.1.0", text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental)
        self.predictors = list(predictors) if predictors is not None else None
        self.signatures = signatures
        self.docs: dict[str, DocState] = {}
        self.cache = ResultCache()
        #: Whole-file analyses, one at a time (two would only share the interpreter's lock).
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="typeinfer-analysis")
        self._loaded = threading.Lock()

    def ready(self) -> None:
        """Load predictors and signatures (once; the first request pays for it otherwise)."""
        with self._loaded:
            if self.predictors is None:
                self.predictors = default_predictors()
            if self.signatures is None:
                self.signatures = standard_library()
                # The model and the signature tables live as long as the server: keep them out
                # of the collector's full passes, which otherwise walk them on every analysis.
                gc.freeze()

    def _path(self, uri: str) -> str:
        return uri.rsplit("/", 1)[-1] or "untitled.ts"

    def install(self, st: DocState, answer: Answer) -> None:
        """Make a whole-file answer the document's hints."""
        st.hints = [Hint(i) for i in answer.hints]
        st.udts, st.units, st.large, st.analysed = answer.udts, list(answer.units), False, True

    def cached(self, st: DocState) -> bool:
        """Install the cached answer for the document's current text, if there is one."""
        if len(st.text) > LARGE_CHARS:
            return False
        answer = self.cache.get(dialect_of(self._path(st.uri)), st.text)
        if answer is None:
            return False
        with st.lock:
            self.install(st, answer)
            st.ready = True
        return True

    async def analyse_in_worker(self, st: DocState) -> None:
        """Analyse the document's current text on the worker thread; wake the waiting requests."""
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self.worker, self.analyse_full, st.uri, st.text, st.version)
        if st.ready:
            st.done.set()

    def analyse_full(self, uri: str, text: str, version: int) -> None:
        """Analyse the whole text and, if the document has not moved on, install the hints.

        Skipped when the document has moved on (or was closed) before the worker got to it.
        A document over `LARGE_CHARS` is only parsed here (for its top-level declarations);
        its hints are computed per requested window (`window_hints`).
        """
        st = self.docs.get(uri)
        if st is None or st.version != version:
            return
        try:
            self.ready()
            if len(text) > LARGE_CHARS:
                if st.version == version:
                    st.large, st.windows = True, {}
                    st.units = _tree_units(text, self._path(uri))
                    st.ready = True
                return
            t0, c0 = time.perf_counter(), time.thread_time()
            with _collector_paused():
                answer = Answer.of(analyse(text, self._path(uri), self.predictors, self.signatures))
            log.info("%s analysed in %.1f ms (%.1f ms CPU)", uri, 1000 * (time.perf_counter() - t0),
                     1000 * (time.thread_time() - c0))
        except Exception:  # the server must survive any input; the log says what happened
            log.exception("analysis failed for %s", uri)
            st.ready = True
            return
        self.cache.put(dialect_of(self._path(uri)), text, answer)
        with st.lock:
            if st.version == version:
                self.install(st, answer)
                st.ready = True

    def window_hints(self, st: DocState, lo: int, hi: int) -> list[Hint]:
        """Hints of a large document for lines ``lo..hi`` (its declarations there, analysed alone)."""
        starts = [u[0] for u in st.units]
        i = max(0, bisect.bisect_right(starts, lo) - 1)
        j = max(i, bisect.bisect_right(starts, hi) - 1)
        a, b = (st.units[i][0], st.units[j][1]) if st.units else (lo, hi)
        a, b = max(1, min(a, lo)), min(max(b, hi), min(a, lo) + WINDOW_LINES)
        key = (a, b, st.version)
        if key not in st.windows:
            lines = st.text.split("\n")
            chunk = "\n" * (a - 1) + "\n".join(lines[a - 1: b])
            with _collector_paused():
                part = analyse(chunk, self._path(st.uri), self.predictors, self.signatures)
            st.windows[key] = [Hint(x) for x in part.inferences.values() if x.type is not None]
        return st.windows[key]

    def analyse_edit(self, st: DocState, old_text: str) -> None:
        """Re-analyse the top-level declarations an edit touched; shift the other hints."""
        new = st.text
        if st.large or len(new) > LARGE_CHARS:
            self.analyse_full(st.uri, new, st.version)
            return
        if not st.analysed or not st.units:
            return  # the whole-file analysis that `did_change` queues answers
        first = _first_difference(old_text, new)
        tail = _common_suffix(old_text, new, first)
        old_line_a = old_text.count("\n", 0, first) + 1
        old_line_b = old_text.count("\n", 0, len(old_text) - tail) + 1
        delta = new.count("\n") - old_text.count("\n")
        starts = [u[0] for u in st.units]
        i = max(0, bisect.bisect_right(starts, old_line_a) - 1)
        j = max(i, bisect.bisect_right(starts, old_line_b) - 1)
        if st.units[i][1] < old_line_a:  # edit between declarations
            lo, hi = old_line_a, old_line_b
        else:
            lo, hi = min(st.units[i][0], old_line_a), max(st.units[j][1], old_line_b)
        new_lines = new.split("\n")
        chunk_lines = new_lines[lo - 1: hi + delta]
        chunk = "\n" * (lo - 1) + "\n".join(chunk_lines)
        self.ready()
        try:
            part = analyse(chunk, self._path(st.uri), self.predictors, self.signatures,
                           extra_types=st.udts)
        except Exception:
            log.exception("incremental analysis failed for %s", st.uri)
            return
        kept = []
        for h in st.hints:
            if h.line < lo:
                kept.append(h)
            elif h.line > hi:
                kept.append(Hint(_shift(h.inference, delta)))
        fresh = [Hint(i) for i in part.inferences.values() if i.type is not None
                 and lo <= (i.target.insertAt or (0, 0))[0] <= hi + delta]
        st.hints = sorted(kept + fresh, key=lambda h: h.line)
        st.units = [(a, b) for a, b in st.units if b < lo] + \
            [(a + lo - 1, b + lo - 1) for a, b in _chunk_units(part, lo)] + \
            [(a + delta, b + delta) for a, b in st.units if a > hi]
        st.units.sort()


def _tree_units(text: str, path: str) -> list[tuple[int, int]]:
    root = _parser(dialect_of(path)).parse(text.encode("utf-8", "surrogatepass")).root_node
    return [(c.start_point[0] + 1, c.end_point[0] + 1) for c in root.named_children]


def _chunk_units(part: FileAnalysis, lo: int) -> list[tuple[int, int]]:
    return [(a - lo + 1, b - lo + 1) for a, b in _units(part)]


def _first_difference(a: str, b: str) -> int:
    lo, hi = 0, min(len(a), len(b))
    while lo < hi:  # binary search on equal prefixes, each comparison in C
        mid = (lo + hi + 1) // 2
        if a[:mid] == b[:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _common_suffix(a: str, b: str, prefix: int) -> int:
    lo, hi = 0, min(len(a), len(b)) - prefix
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[len(a) - mid:] == b[len(b) - mid:]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _text_edits(lines: Sequence[str], edits: Sequence[Edit]) -> list[lsp.TextEdit]:
    out = []
    for e in edits:
        p = lsp_position(lines, e.line, e.col)
        out.append(lsp.TextEdit(lsp.Range(p, p), e.text))
    return out


def _hover_text(inf: Inference) -> str:
    t = inf.target
    what = {"METHOD_PARAMETER_IN": "parameter", "LOCAL": "variable", "MEMBER": "field",
            "METHOD_RETURN": "return value"}.get(t.label, t.label.lower())
    out = [f"**{what} `{t.name}`**: `{inf.type}`" if inf.type else f"**{what} `{t.name}`**: no type (abstained)",
           f"confidence {inf.confidence:.2f} · {inf.source} · in `{inf.method}`"]
    if inf.evidence:
        out.append("evidence: " + "; ".join(dict.fromkeys(inf.evidence)))
    if inf.slice is not None:
        out.append(f"usage slice: `{inf.slice}`")
    if inf.rejected:
        out.append("ruled out: " + "; ".join(f"`{a}` ({why})" for a, why in inf.rejected))
    return "\n\n".join(out)


def _inlay(lines: Sequence[str], hints: Sequence[Hint], lo: int, hi: int) -> list[lsp.InlayHint]:
    out = []
    for h in hints:
        if not lo <= h.line <= hi:
            continue
        inf = h.inference
        edits = edits_for(inf)
        if not edits:
            continue
        pos = lsp_position(lines, *inf.target.insertAt)  # type: ignore[misc]
        out.append(lsp.InlayHint(
            position=pos, label=f": {inf.type}", kind=lsp.InlayHintKind.Type,
            text_edits=_text_edits(lines, edits),
            tooltip=f"{inf.confidence:.2f} ({inf.source})", padding_left=False))
    return out


def _can_refresh(ls: TypeServer) -> bool:
    ws = getattr(ls.client_capabilities, "workspace", None)
    ih = getattr(ws, "inlay_hint", None) if ws is not None else None
    return bool(getattr(ih, "refresh_support", False))


def build_server(predictors: Sequence[Predictor] | None = None,
                 signatures: Signatures | None = None) -> TypeServer:
    """A server with every feature registered (not started)."""
    server = TypeServer(predictors, signatures)

    def state(uri: str) -> DocState | None:
        return server.docs.get(uri)

    async def wait_ready(st: DocState) -> None:
        # The first analysis runs on the worker thread; wait for it (2 minutes at most).
        if st.ready:
            return
        try:
            await asyncio.wait_for(st.done.wait(), timeout=120)
        except TimeoutError:
            log.warning("no analysis of %s after 120 s", st.uri)

    @server.feature(lsp.INITIALIZED)
    def initialized(ls: TypeServer, params: lsp.InitializedParams) -> None:
        threading.Thread(target=ls.ready, daemon=True).start()

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    async def did_open(ls: TypeServer, params: lsp.DidOpenTextDocumentParams) -> None:
        doc = params.text_document
        st = DocState(doc.uri, doc.text, doc.version)
        ls.docs[doc.uri] = st
        if ls.cached(st):
            st.done.set()
            return
        await ls.analyse_in_worker(st)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: TypeServer, params: lsp.DidChangeTextDocumentParams) -> None:
        st = state(params.text_document.uri)
        if st is None:
            return
        doc = ls.workspace.get_text_document(params.text_document.uri)
        old = st.text
        with st.lock:
            st.text, st.version = doc.source, params.text_document.version
        if st.timer is not None:
            st.timer.cancel()
        if ls.cached(st):  # e.g. an undo back to an analysed text
            st.done.set()
            return
        if not st.analysed and not st.large:
            # no whole-file answer to patch yet: requests wait for one of the current text
            st.ready = False
            st.done.clear()
            asyncio.ensure_future(ls.analyse_in_worker(st))
            return
        t0 = time.perf_counter()
        try:
            ls.analyse_edit(st, old)
        except Exception:
            log.exception("edit analysis failed")
        log.info("edit re-analysed in %.1f ms", 1000 * (time.perf_counter() - t0))
        uri, text, version = st.uri, st.text, st.version

        loop = asyncio.get_event_loop()

        def whole() -> None:
            ls.analyse_full(uri, text, version)
            if st.version == version and st.analysed and _can_refresh(ls):
                loop.call_soon_threadsafe(ls.workspace_inlay_hint_refresh, None)

        def later() -> None:  # on the timer's thread: hand the work to the worker
            if st.version == version and uri in ls.docs:
                ls.worker.submit(whole)

        st.timer = threading.Timer(FULL_REANALYSIS_DELAY, later)
        st.timer.daemon = True
        st.timer.start()

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: TypeServer, params: lsp.DidCloseTextDocumentParams) -> None:
        st = ls.docs.pop(params.text_document.uri, None)
        if st is not None and st.timer is not None:
            st.timer.cancel()

    @server.feature(lsp.TEXT_DOCUMENT_INLAY_HINT,
                    lsp.InlayHintOptions(resolve_provider=False))
    async def inlay_hints(ls: TypeServer, params: lsp.InlayHintParams) -> list[lsp.InlayHint]:
        st = state(params.text_document.uri)
        if st is None:
            return []
        lo, hi = params.range.start.line + 1, params.range.end.line + 1
        if not st.ready and hi - lo <= VIEWPORT_LINES and st.version == 1:
            # first paint of a viewport: analyse just its declarations, the whole file follows
            st_view = await asyncio.get_running_loop().run_in_executor(
                None, ls.window_hints, st, lo, hi)
            return _inlay(st.text.split("\n"), st_view, lo, hi)
        await wait_ready(st)
        try:
            lines = st.text.split("\n")
            hints = st.hints
            if st.large:
                hints = await asyncio.get_running_loop().run_in_executor(
                    None, ls.window_hints, st, lo, min(hi, lo + WINDOW_LINES))
            return _inlay(lines, hints, lo, hi)
        except Exception:
            log.exception("inlay hints failed")
            return []

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    async def hover(ls: TypeServer, params: lsp.HoverParams) -> lsp.Hover | None:
        st = state(params.text_document.uri)
        if st is None:
            return None
        await wait_ready(st)
        try:
            lines = st.text.split("\n")
            line, col = from_lsp(lines, params.position)
            for h in st.hints:
                t = h.inference.target
                if t.label == "METHOD_RETURN":
                    hit = t.insertAt is not None and t.insertAt[0] == line and abs(t.insertAt[1] - col) <= 1
                    start = t.insertAt
                else:
                    hit = t.lineNumber == line and (t.columnNumber or 0) <= col <= (t.columnNumber or 0) + len(t.name)
                    start = (t.lineNumber or 0, t.columnNumber or 0)
                if hit and start is not None:
                    a = lsp_position(lines, *start)
                    b = lsp_position(lines, start[0], start[1] + (len(t.name) if t.label != "METHOD_RETURN" else 0))
                    return lsp.Hover(lsp.MarkupContent(lsp.MarkupKind.Markdown, _hover_text(h.inference)),
                                     lsp.Range(a, b))
            return None
        except Exception:
            log.exception("hover failed")
            return None

    @server.feature(lsp.TEXT_DOCUMENT_CODE_ACTION,
                    lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.RefactorRewrite]))
    async def code_actions(ls: TypeServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
        st = state(params.text_document.uri)
        if st is None:
            return []
        await wait_ready(st)
        try:
            lines = st.text.split("\n")
            lo, hi = params.range.start.line + 1, params.range.end.line + 1
            actions: list[lsp.CodeAction] = []
            every: list[Edit] = []
            for h in st.hints:
                edits = edits_for(h.inference)
                if not edits:
                    continue
                every += edits
                if lo <= h.line <= hi:
                    inf = h.inference
                    name = "return type" if inf.target.label == "METHOD_RETURN" else f"`{inf.target.name}`"
                    actions.append(lsp.CodeAction(
                        title=f"Annotate {name}: {inf.type}", kind=lsp.CodeActionKind.RefactorRewrite,
                        edit=lsp.WorkspaceEdit(changes={st.uri: _text_edits(lines, edits)})))
            if every:
                actions.append(lsp.CodeAction(
                    title=f"Annotate all inferred types ({len(every)} edits)",
                    kind=lsp.CodeActionKind.RefactorRewrite,
                    edit=lsp.WorkspaceEdit(changes={st.uri: _text_edits(lines, every)})))
            return actions
        except Exception:
            log.exception("code actions failed")
            return []

    return server


def _one_line_bad_messages(record: logging.LogRecord) -> bool:
    """pygls logs a message body that is not JSON with a full traceback; the client already gets
    a ``window/showMessage`` with the reason, so stderr gets the same as one line."""
    exc = record.exc_info[1] if record.exc_info else None
    if isinstance(exc, ValueError) and record.getMessage() == "Unable to handle message":
        record.msg, record.args, record.exc_info, record.exc_text = \
            "ignored a message that is not valid JSON-RPC: %s", (exc,), None, None
    return True


def serve() -> None:
    """Run the language server on stdin/stdout (what ``workbench types lsp`` and ``workbench lsp`` do).

    ``TYPEINFER_LOG_LEVEL`` (e.g. ``info``: each analysis' wall and CPU time) sets the level of
    this package's loggers only. pygls stays at warnings: at ``info`` it logs every message it
    sends in full (tens of kB per hint response), which costs the server time and, once a
    client stops reading the server's stderr, fills the pipe and blocks the server.
    """
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("typeinfer").setLevel(os.environ.get("TYPEINFER_LOG_LEVEL", "WARNING").upper())
    logging.getLogger("pygls.server").addFilter(_one_line_bad_messages)
    build_server().start_io()


if __name__ == "__main__":
    serve()

