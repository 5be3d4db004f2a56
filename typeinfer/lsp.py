"""Language server (pygls 2): inferred types as inlay hints, hovers and code actions.

* ``textDocument/inlayHint`` — ``: T`` after every unannotated parameter, variable, field and
  parameter list (return type) the combiner answered; each hint carries the text edit that
  writes it, so accepting a hint annotates the code;
* ``textDocument/hover`` — on a target's name: the type, its confidence and source, the
  evidence and the usage slice it came from, and the candidates that the slice ruled out;
* ``textDocument/codeAction`` — "Annotate ``x: T``" for targets in the range, and "Annotate all";
* edits (``didChange``) move the hints with the text at once (a hint request right after an
  edit is answered without waiting for any analysis); the top-level declarations the edit
  touched get the compiler's types on a thread of their own, then the whole file is judged
  again in the background; after each, the server asks the client to refresh its hints;
* with an LLM (``workbench types lsp --llm SPEC``), once a file's hints are in, the model is
  asked on a thread of its own for the parameters no other evidence reaches; its answers are
  judged like every candidate (`typeinfer.judge`'s ``fill``) and the client told to refresh.

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
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcInvalidParams
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.uris import to_fs_path
from pygls.workspace.position_codec import PositionCodec

from typeinfer.annotate import Edit, edits_for
from typeinfer.checker import Checker, available, checker_for
from typeinfer.combine import Inference
from typeinfer.cpg import _parser, dialect_of
from typeinfer.infer import FileAnalysis, analyse, default_predictors
from typeinfer.judge import (
    ADDS_ERROR,
    Fill,
    _compiler_hint,
    _key,
    fills,
    is_js,
    judge,
    known,
    writes_for,
)
from typeinfer.predict import Predictions, Predictor
from typeinfer.signatures import Signatures, standard_library
from typeinfer.slices import UserDefinedType

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
#: Types built from keywords only (``string``, ``number[] | null``): writing one cannot add an
#: error of its own, so the compiler's type is written without a trial check.
_PLAIN = re.compile(r"(?:string|number|boolean|bigint|symbol|null|undefined|void|\[\]|\s|\|)+")
#: Whole-file results kept (per distinct text) for reopened files and undos.
CACHE_ENTRIES = 16


UTF16 = PositionCodec(lsp.PositionEncodingKind.Utf16)


def lsp_position(lines: Sequence[str], line: int, col: int, codec: PositionCodec = UTF16) -> lsp.Position:
    """LSP position of a 1-based line and 0-based code-point column, in the negotiated encoding
    (``codec``: the workspace's, UTF-16 unless client and server agreed on UTF-8 or UTF-32).

    >>> lsp_position(["const é = 1; let 😀x = 2;"], 1, 18)
    0:19
    >>> lsp_position(["const é = 1; let 😀x = 2;"], 1, 18, PositionCodec(lsp.PositionEncodingKind.Utf8))
    0:22
    """
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    if text.isascii():
        return lsp.Position(line - 1, col)
    return lsp.Position(line - 1, codec.client_num_units(text[:col]))


def from_lsp(lines: Sequence[str], pos: lsp.Position, codec: PositionCodec = UTF16) -> tuple[int, int]:
    """1-based line and code-point column of an LSP position (in the negotiated encoding)."""
    text = lines[pos.line] if 0 <= pos.line < len(lines) else ""
    if text.isascii():
        return pos.line + 1, min(pos.character, len(text))
    units = 0
    for i, ch in enumerate(text):
        if units >= pos.character:
            return pos.line + 1, i
        units += codec.client_num_units(ch)
    return pos.line + 1, len(text)


def checked_position(pos: lsp.Position, what: str = "position") -> lsp.Position:
    """``pos`` if it is a valid LSP position; else an ``InvalidParams`` error reply naming it."""
    if pos.line < 0 or pos.character < 0:
        raise JsonRpcInvalidParams(f"invalid {what} {pos.line}:{pos.character} (line and character "
                                   "must be non-negative)")
    return pos


def checked_range(r: lsp.Range) -> lsp.Range:
    """``r`` if both ends are valid and in order; else an ``InvalidParams`` error reply."""
    checked_position(r.start, "range start")
    checked_position(r.end, "range end")
    if (r.end.line, r.end.character) < (r.start.line, r.start.character):
        raise JsonRpcInvalidParams(f"invalid range: end {r.end.line}:{r.end.character} is before "
                                   f"start {r.start.line}:{r.start.character}")
    return r


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
    #: Predictions the compiler did not verify (hover only).
    candidates: list[Hint] = field(default_factory=list)
    timer: threading.Timer | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)
    #: Set once the first analysis finished (or failed): requests stop waiting.
    ready: bool = False
    #: `ready` as an event the request handlers await (set on the server's event loop).
    done: asyncio.Event = field(default_factory=asyncio.Event)
    #: Large documents are analysed per requested window of declarations, cached here.
    large: bool = False
    windows: dict[tuple[int, int, int], list[Hint]] = field(default_factory=dict)
    window_candidates: dict[tuple[int, int, int], list[Hint]] = field(default_factory=dict)
    #: Lines (1-based, inclusive) edited since the hints there were last computed.
    dirty: tuple[int, int] | None = None
    #: Why the last whole-file judge gave no hints (a file it cannot judge: `judge.other_language`);
    #: edits then get no compiler types either.
    abstained: str = ""


def _units(analysis: FileAnalysis) -> list[tuple[int, int]]:
    root = analysis.cpg.tree.root_node
    return [(c.start_point[0] + 1, c.end_point[0] + 1) for c in root.named_children]


@dataclass(frozen=True)
class Answer:
    """What the server keeps of a whole-file analysis (not the CPG: it is large)."""

    hints: tuple[Inference, ...]
    udts: tuple[UserDefinedType, ...]
    units: tuple[tuple[int, int], ...]
    #: Predictions that are not hints (not verified by the compiler): hover shows them.
    candidates: tuple[Inference, ...] = ()
    #: Why the judge gave no hints at all (`typeinfer.judge.Judged.abstained`), or "".
    abstained: str = ""

    @classmethod
    def of(cls, a: FileAnalysis, judged: dict[str, Inference] | None = None,
           candidates: dict[str, Inference] | None = None, abstained: str = "") -> Answer:
        """The hints of an analysis: the judged ones, or (no compiler) the predictions."""
        pool = judged if judged is not None else a.inferences
        hints = sorted((i for i in pool.values() if i.type is not None), key=lambda i: Hint(i).line)
        cands = sorted((candidates or {}).values(), key=lambda i: Hint(i).line)
        return cls(tuple(hints), a.program.userDefinedTypes, tuple(_units(a)), tuple(cands), abstained)


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


def _anchor(h: Hint) -> tuple[int, int]:
    """Where a hint is shown (line, code-point column)."""
    t = h.inference.target
    return t.insertAt or (t.lineNumber or 0, t.columnNumber or 0)


def _shift(inf: Inference, delta: int, after: tuple[int, int] = (0, 0), dcol: int = 0) -> Inference:
    """``inf`` moved through an edit: positions at or after ``after`` (line, column in the old
    text: where the replaced text ended) move ``delta`` lines, and on that line ``dcol`` columns."""
    def mv(p: tuple[int, int]) -> tuple[int, int]:
        if p < after:
            return p
        return (p[0] + delta, p[1] + (dcol if p[0] == after[0] else 0))

    t = inf.target
    line, col = mv((t.lineNumber or 0, t.columnNumber or 0))
    target = replace(t, lineNumber=line, columnNumber=col if t.columnNumber is not None else None,
                     insertAt=mv(t.insertAt) if t.insertAt else t.insertAt,
                     wrapFrom=mv(t.wrapFrom) if t.wrapFrom else t.wrapFrom)
    writes = tuple(replace(e, line=mv((e.line, e.col))[0], col=mv((e.line, e.col))[1])
                   for e in inf.writes) if inf.writes else inf.writes
    return replace(inf, target=target, writes=writes)


@dataclass(frozen=True)
class _Answered:
    """A request already answered with an error while it was read (`handle_message` skips it)."""

    jsonrpc: str = "answered"


def _leaf_errors(exc: BaseException) -> list[str]:
    subs = getattr(exc, "exceptions", None)
    if subs:
        return [m for e in subs for m in _leaf_errors(e)]
    return [str(exc)] if not exc.__cause__ else _leaf_errors(exc.__cause__)


class _Protocol(LanguageServerProtocol):
    """pygls' protocol, except that a request whose params do not have the protocol's shape
    (a negative position, a missing field) gets an ``InvalidParams`` error reply naming the
    problem; pygls drops it unanswered, and the client waits forever."""

    def structure_message(self, data: dict[str, object]):  # type: ignore[no-untyped-def]
        try:
            return super().structure_message(data)
        except JsonRpcInvalidParams as exc:
            if not (isinstance(data, dict) and "id" in data and "method" in data):
                raise
            why = "; ".join(_leaf_errors(exc.__cause__ or exc))[:300]
            err = JsonRpcInvalidParams(f"invalid params for {data['method']}: {why}")
            self._send_response(data["id"], None, err.to_response_error())  # type: ignore[arg-type]
            return _Answered()


class TypeServer(LanguageServer):
    """The pygls server plus the analysis state of the open documents."""

    def __init__(self, predictors: Sequence[Predictor] | None = None,
                 signatures: Signatures | None = None, use_checker: bool = True,
                 fill_for: Callable[[str], Fill] | None = None) -> None:
        super().__init__(SERVER_NAME, "0.1.0", text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental,
                         protocol_cls=_Protocol)
        self.predictors = list(predictors) if predictors is not None else None
        self.signatures = signatures
        self.docs: dict[str, DocState] = {}
        self.cache = ResultCache()
        #: Whole-file analyses, one at a time (two would only share the interpreter's lock).
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="typeinfer-analysis")
        #: Edited declarations' compiler types (`refresh_edit`), not queued behind whole files.
        self.edits = ThreadPoolExecutor(max_workers=1, thread_name_prefix="typeinfer-edit")
        self._loaded = threading.Lock()
        #: The compiler judges every hint when node and typescript are installed.
        self.use_checker = use_checker and available()
        #: The LLM's infill for a file's text (`typeinfer.predict.llm.LLMPredictor.fill`), asked
        #: after the file's hints are installed, on a thread of its own (seconds a parameter).
        self.fill_for = fill_for
        self.filler = ThreadPoolExecutor(max_workers=1, thread_name_prefix="typeinfer-llm")
        #: The event loop (set on the first opened document): worker threads ask for refreshes.
        self.loop: asyncio.AbstractEventLoop | None = None

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

    def warm_checker(self) -> None:
        """Start the workspace's checker and load the standard library into it (a tiny file)."""
        checker = self.checker("file://" + str(Path(self._root(), "__warm__.ts")))
        if checker is not None:
            try:
                checker.analyse(str(Path(checker.root, "__warm__.ts")), "const w = [1].map(String);")
                checker.close_file(str(Path(checker.root, "__warm__.ts")))
            except Exception:  # noqa: BLE001 - the first real request reports it
                log.warning("the type checker did not start", exc_info=True)

    def _root(self) -> str:
        try:
            root = self.workspace.root_path
        except RuntimeError:  # before initialize
            root = None
        return root or os.getcwd()

    def _path(self, uri: str) -> str:
        """The file a URI names (the grammar and the checker's file name come from it)."""
        p = to_fs_path(uri) if uri.startswith("file:") else None
        if not p:
            return str(Path(self._root(), uri.rsplit("/", 1)[-1] or "untitled.ts"))
        return p

    def checker(self, uri: str) -> Checker | None:
        """The type checker of the project a document belongs to (``None``: not installed)."""
        if not self.use_checker:
            return None
        path = Path(self._path(uri))
        root = Path(self._root())
        return checker_for(root if root in path.parents else path.parent)

    def codec(self) -> PositionCodec:
        """The negotiated position encoding's codec (UTF-16 unless the client offered another)."""
        try:
            return self.workspace.position_codec
        except RuntimeError:
            return UTF16

    def install(self, st: DocState, answer: Answer) -> None:
        """Make a whole-file answer the document's hints."""
        st.hints = [Hint(i) for i in answer.hints]
        st.candidates = [Hint(i) for i in answer.candidates]
        st.udts, st.units, st.large, st.analysed = answer.udts, list(answer.units), False, True
        st.dirty, st.abstained = None, answer.abstained

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
        """Analyse the whole text, let the compiler judge it, and (if the document has not moved
        on) install the hints.

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
                a = analyse(text, self._path(uri), self.predictors, self.signatures)
            checker = self.checker(uri)
            holes: dict[str, Inference] = {}

            def noted(h: Mapping[str, Inference]) -> Predictions:  # the LLM's turn comes later
                holes.update(h)
                return {}

            if checker is None:
                answer = Answer.of(a)
            else:
                judged = judge(a.inferences, text, self._path(uri), checker,
                               fill=noted if self.fill_for is not None and fills(self._path(uri)) else None)
                answer = Answer.of(a, judged.hints, judged.candidates, judged.abstained)
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
        if holes:
            self.filler.submit(self._fill, uri, text, version, a, holes)

    def _fill(self, uri: str, text: str, version: int, a: FileAnalysis, holes: dict[str, Inference]) -> None:
        """On the LLM's thread: its answers for ``holes``; then, on the worker (the checker's
        thread), the file judged again with them, installed, and the client asked to refresh."""
        st = self.docs.get(uri)
        if st is None or st.version != version or self.fill_for is None:
            return
        try:
            answers = self.fill_for(text)(holes)
        except Exception:  # an LLM failure costs its hints, never the server
            log.exception("the LLM failed on %s", uri)
            return
        if answers:
            self.worker.submit(self._judge_filled, uri, text, version, a, answers)

    def _judge_filled(self, uri: str, text: str, version: int, a: FileAnalysis, answers: Predictions) -> None:
        st = self.docs.get(uri)
        checker = self.checker(uri)
        if st is None or st.version != version or checker is None:
            return
        try:
            judged = judge(a.inferences, text, self._path(uri), checker,
                           fill=lambda h: {k: c for k, c in answers.items() if k in h})
        except Exception:
            log.exception("judging the LLM's answers failed for %s", uri)
            return
        answer = Answer.of(a, judged.hints, judged.candidates, judged.abstained)
        self.cache.put(dialect_of(self._path(uri)), text, answer)
        with st.lock:
            if st.version != version:
                return
            self.install(st, answer)
        if self.loop is not None and _can_refresh(self):
            self.loop.call_soon_threadsafe(self.workspace_inlay_hint_refresh, None)

    def compiler_hints(self, st: DocState, text: str, part: FileAnalysis, lo: int, hi: int) -> list[Hint]:
        """The compiler's types for the targets of ``part`` on lines ``lo..hi`` (types only: no
        diagnostics, so no prediction is verified here; they wait for the whole-file judge)."""
        checker = self.checker(st.uri)
        if checker is None:
            return [Hint(x) for x in part.inferences.values() if x.type is not None]
        if st.abstained:  # the judge found a file it cannot judge (AssemblyScript): no types on edits either
            return []
        result = checker.analyse(self._path(st.uri), text, diagnostics=False, lines=(lo, hi))
        decls = {(d.label, d.at): d for d in result.decls}
        out = []
        for inf in part.inferences.values():
            k = _key(inf)
            d = decls.get(k) if k else None
            if d is not None and known(d):
                hint = _compiler_hint(inf, d, ("the compiler's type",), result.writes_buffers)
                if _PLAIN.fullmatch(d.full):  # nothing here can be out of scope: safe to write unchecked
                    hint = replace(hint, writes=writes_for(inf, d.full, d, is_js(st.uri)))
                out.append(Hint(hint))
        return out

    def window_hints(self, st: DocState, lo: int, hi: int) -> list[Hint]:
        """Hints for lines ``lo..hi`` from their declarations alone: a large document's window,
        or a viewport's first paint (the compiler's types; predictions wait for the judge)."""
        starts = [u[0] for u in st.units]
        i = max(0, bisect.bisect_right(starts, lo) - 1)
        j = max(i, bisect.bisect_right(starts, hi) - 1)
        a, b = (st.units[i][0], st.units[j][1]) if st.units else (lo, hi)
        a, b = max(1, min(a, lo)), min(max(b, hi), min(a, lo) + WINDOW_LINES)
        text, version = st.text, st.version
        key = (a, b, version)
        if key not in st.windows:
            lines = text.split("\n")
            chunk = "\n" * (a - 1) + "\n".join(lines[a - 1: b])
            self.ready()
            with _collector_paused():
                part = analyse(chunk, self._path(st.uri), self.predictors, self.signatures)
            st.windows[key] = self.compiler_hints(st, text, part, a, b)
            if st.large:  # a large document has no whole-file judge: its predictions are candidates
                shown = {h.inference.key for h in st.windows[key]}
                st.window_candidates[key] = [
                    Hint(x) for x in part.inferences.values() if x.type is not None and x.key not in shown]
        return st.windows[key]

    def shift_edit(self, st: DocState, old_text: str) -> tuple[int, int] | None:
        """Move the hints through an edit at once (no analysis): hints after the edited lines
        shift, hints on them are dropped until `refresh_edit` has the compiler's types there.

        Returns the lines of the current text (1-based, inclusive) whose declarations need
        re-analysing (the union with those of earlier edits not yet refreshed), or ``None``
        when there is no whole-file answer to patch (the whole-file analysis answers).
        """
        new = st.text
        if st.large or len(new) > LARGE_CHARS or not st.analysed or not st.units:
            return None
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

        # positions (line, code-point column) where the replaced text starts and ends, old and new
        start = (old_line_a, first - (old_text.rfind("\n", 0, first) + 1))
        end_old = len(old_text) - tail
        end = (old_line_b, end_old - (old_text.rfind("\n", 0, end_old) + 1))
        end_new = len(new) - tail
        dcol = end_new - (new.rfind("\n", 0, end_new) + 1) - end[1]

        def moved(hs: list[Hint]) -> list[Hint]:  # a hint inside the replaced text is dropped
            return [h if _anchor(h) < start else Hint(_shift(h.inference, delta, end, dcol)) for h in hs
                    if _anchor(h) < start or _anchor(h) >= end]

        with st.lock:
            st.hints = moved(st.hints)
            st.candidates = moved(st.candidates)
            st.units = sorted([(a, b) for a, b in st.units if b < lo] + [(lo, max(lo, hi + delta))] +
                              [(a + delta, b + delta) for a, b in st.units if a > hi])
            a, b = lo, max(lo, hi + delta)
            if st.dirty is not None:  # an earlier edit's lines, not refreshed yet, in this text
                da, db = st.dirty
                da, db = (da + delta, db + delta) if da > hi else (da, db if db < lo else db + delta)
                a, b = min(a, da), max(b, db)
            st.dirty = (a, b)
        return st.dirty

    def refresh_edit(self, st: DocState, text: str, version: int) -> bool:
        """The compiler's types for the declarations on the edited lines (`shift_edit`); their
        predictions become hints after the whole-file judge. ``False`` if the document moved on."""
        if st.dirty is None or st.version != version:
            return False
        lo, hi = st.dirty
        lines = text.split("\n")
        chunk = "\n" * (lo - 1) + "\n".join(lines[lo - 1: hi])
        self.ready()
        # no predictors: only the targets are needed here (predictions wait for the judge)
        part = analyse(chunk, self._path(st.uri), [], self.signatures, extra_types=st.udts)
        fresh = [h for h in self.compiler_hints(st, text, part, lo, hi) if lo <= h.line <= hi]
        with st.lock:
            if st.version != version:
                return False
            # the compiler's types replace the moved hints at their positions; the moved
            # predictions stay until the whole-file judge
            at = {_anchor(h) for h in fresh}
            st.hints = sorted([h for h in st.hints if not (lo <= h.line <= hi and _anchor(h) in at)] + fresh,
                              key=lambda h: h.line)
            st.units = sorted([(a, b) for a, b in st.units if b < lo or a > hi] +
                              [(a + lo - 1, b + lo - 1) for a, b in _chunk_units(part, lo)])
            st.dirty = None
        return True


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


def _text_edits(lines: Sequence[str], edits: Sequence[Edit], codec: PositionCodec) -> list[lsp.TextEdit]:
    out = []
    for e in edits:
        p = lsp_position(lines, e.line, e.col, codec)
        out.append(lsp.TextEdit(lsp.Range(p, p), e.text))
    return out


_WHAT = {"METHOD_PARAMETER_IN": "parameter", "LOCAL": "variable", "MEMBER": "field",
         "METHOD_RETURN": "return value"}


def _hover_text(inf: Inference, candidate: bool = False) -> str:
    t = inf.target
    what = _WHAT.get(t.label, t.label.lower())
    if candidate and inf.source == "tsc":  # the compiler's own type, held back (`typeinfer.judge`, R1 and V1)
        head = f"**{what} `{t.name}`**: candidate `{inf.type}` (not a hint: not the type its author would write)"
    elif candidate and any(e.startswith(ADDS_ERROR) for e in inf.evidence):  # its check failed (F1)
        head = f"**{what} `{t.name}`**: candidate `{inf.type}` (not a hint: writing it adds a compiler error)"
    elif candidate:
        head = (f"**{what} `{t.name}`**: candidate `{inf.type}` (not a hint: the compiler did not "
                "verify it; writing it may add an error)")
    elif inf.type:
        head = f"**{what} `{t.name}`**: `{inf.type}`"
    else:
        head = f"**{what} `{t.name}`**: no type (abstained)"
    src = "the TypeScript compiler" if inf.source == "tsc" else inf.source
    out = [head, f"confidence {inf.confidence:.2f} · {src} · in `{inf.method}`"]
    if inf.evidence:
        out.append("evidence: " + "; ".join(dict.fromkeys(inf.evidence)))
    if inf.slice is not None:
        out.append(f"usage slice: `{inf.slice}`")
    if inf.rejected:
        out.append("ruled out by the slice: " + "; ".join(f"`{a}` ({why})" for a, why in inf.rejected))
    return "\n\n".join(out)


def _inlay(lines: Sequence[str], hints: Sequence[Hint], lo: int, hi: int,
           codec: PositionCodec = UTF16) -> list[lsp.InlayHint]:
    """Inlay hints on lines ``lo..hi``; a line that cannot be converted (a lone surrogate in a
    UTF-8 session) loses its hints, not the file's."""
    out = []
    for h in hints:
        if not lo <= h.line <= hi:
            continue
        inf = h.inference
        at = inf.target.insertAt
        if at is None or inf.type is None:
            continue
        try:
            pos = lsp_position(lines, *at, codec)
            edits = _text_edits(lines, edits_for(inf), codec)
            label = f": {_cut(inf.type)}"
            label.encode("utf-8")  # a lone surrogate cannot be sent
        except (UnicodeError, IndexError, ValueError):
            log.warning("no hint on line %d: it cannot be encoded", h.line)
            continue
        out.append(lsp.InlayHint(
            position=pos, label=label, kind=lsp.InlayHintKind.Type, text_edits=edits or None,
            tooltip=f"{inf.confidence:.2f} ({'the TypeScript compiler' if inf.source == 'tsc' else inf.source})",
            padding_left=False))
    return out


#: Longest type an inlay hint's label shows (a longer one is cut, as tsserver cuts its own; the
#: hint's text edit and hover keep it whole).
SHOW_CHARS = 80


def _cut(t: str) -> str:
    """``t`` as an inlay label shows it: at most `SHOW_CHARS` characters.

    >>> _cut("Map<string, number>"), len(_cut("A" * 100))
    ('Map<string, number>', 80)
    """
    return t if len(t) <= SHOW_CHARS else t[: SHOW_CHARS - 3] + "..."


def _can_refresh(ls: TypeServer) -> bool:
    ws = getattr(ls.client_capabilities, "workspace", None)
    ih = getattr(ws, "inlay_hint", None) if ws is not None else None
    return bool(getattr(ih, "refresh_support", False))


def _target_at(hints: Sequence[Hint], line: int, col: int) -> Hint | None:
    for h in hints:
        t = h.inference.target
        if t.label == "METHOD_RETURN":
            if t.insertAt is not None and t.insertAt[0] == line and abs(t.insertAt[1] - col) <= 1:
                return h
        elif t.lineNumber == line and (t.columnNumber or 0) <= col <= (t.columnNumber or 0) + len(t.name):
            return h
    return None


def build_server(predictors: Sequence[Predictor] | None = None,
                 signatures: Signatures | None = None, use_checker: bool = True,
                 fill_for: Callable[[str], Fill] | None = None) -> TypeServer:
    """A server with every feature registered (not started); ``fill_for``: see `TypeServer`."""
    server = TypeServer(predictors, signatures, use_checker, fill_for)

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

    async def hints_for(ls: TypeServer, st: DocState, lo: int, hi: int) -> tuple[list[Hint], list[Hint]]:
        """(hints, candidates) for lines ``lo..hi``: a large document's window, or the whole file's."""
        if st.large:
            hs = await asyncio.get_running_loop().run_in_executor(
                None, ls.window_hints, st, lo, min(hi, lo + WINDOW_LINES))
            cands = next((v for k, v in st.window_candidates.items() if k[2] == st.version
                          and k[0] <= lo and hi <= k[1]), [])
            return hs, cands
        return st.hints, st.candidates

    @server.feature(lsp.INITIALIZED)
    def initialized(ls: TypeServer, params: lsp.InitializedParams) -> None:
        threading.Thread(target=ls.ready, daemon=True).start()
        if ls.use_checker:
            threading.Thread(target=ls.warm_checker, daemon=True).start()

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    async def did_open(ls: TypeServer, params: lsp.DidOpenTextDocumentParams) -> None:
        ls.loop = asyncio.get_running_loop()
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
        uri, text, version = st.uri, st.text, st.version
        loop = asyncio.get_event_loop()
        if st.large or len(text) > LARGE_CHARS:
            ls.analyse_full(uri, text, version)
        else:
            try:
                dirty = ls.shift_edit(st, old)
            except Exception:
                log.exception("edit shift failed")
                dirty = None

            def refresh() -> None:  # the edited declarations' compiler types, then a refresh
                t0 = time.perf_counter()
                try:
                    done = ls.refresh_edit(st, text, version)
                except Exception:
                    log.exception("incremental analysis failed for %s", uri)
                    return
                log.info("edit re-analysed in %.1f ms", 1000 * (time.perf_counter() - t0))
                if done and _can_refresh(ls):
                    loop.call_soon_threadsafe(ls.workspace_inlay_hint_refresh, None)

            if dirty is not None:
                ls.edits.submit(refresh)

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
        checked_range(params.range)
        st = state(params.text_document.uri)
        if st is None:
            return []
        lo, hi = params.range.start.line + 1, params.range.end.line + 1
        codec = ls.codec()
        if not st.ready and hi - lo <= VIEWPORT_LINES and st.version == 1:
            # first paint of a viewport: its declarations alone, the whole file follows
            text = st.text
            st_view = await asyncio.get_running_loop().run_in_executor(
                None, ls.window_hints, st, lo, hi)
            return _inlay(text.split("\n"), st_view, lo, hi, codec)
        await wait_ready(st)
        try:
            lines = st.text.split("\n")
            hints, _ = await hints_for(ls, st, lo, hi)
            return _inlay(lines, hints, lo, hi, codec)
        except Exception:
            log.exception("inlay hints failed")
            return []

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    async def hover(ls: TypeServer, params: lsp.HoverParams) -> lsp.Hover | None:
        checked_position(params.position)
        st = state(params.text_document.uri)
        if st is None:
            return None
        await wait_ready(st)
        try:
            codec = ls.codec()
            lines = st.text.split("\n")
            line, col = from_lsp(lines, params.position, codec)
            hints, cands = await hints_for(ls, st, line, line)
            h, candidate = _target_at(hints, line, col), False
            if h is None:
                h, candidate = _target_at(cands, line, col), True
            if h is None:
                return None
            t = h.inference.target
            start = t.insertAt if t.label == "METHOD_RETURN" else (t.lineNumber or 0, t.columnNumber or 0)
            if start is None:
                return None
            a = lsp_position(lines, *start, codec)
            b = lsp_position(lines, start[0], start[1] + (len(t.name) if t.label != "METHOD_RETURN" else 0), codec)
            return lsp.Hover(lsp.MarkupContent(lsp.MarkupKind.Markdown, _hover_text(h.inference, candidate)),
                             lsp.Range(a, b))
        except Exception:
            log.exception("hover failed")
            return None

    @server.feature(lsp.TEXT_DOCUMENT_CODE_ACTION,
                    lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.RefactorRewrite]))
    async def code_actions(ls: TypeServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
        checked_range(params.range)
        st = state(params.text_document.uri)
        if st is None:
            return []
        await wait_ready(st)
        try:
            codec = ls.codec()
            lines = st.text.split("\n")
            lo, hi = params.range.start.line + 1, params.range.end.line + 1
            hints, _ = await hints_for(ls, st, lo, hi)
            actions: list[lsp.CodeAction] = []
            every: list[Edit] = []
            for h in hints:
                edits = edits_for(h.inference)
                if not edits:
                    continue
                try:
                    text_edits = _text_edits(lines, edits, codec)
                except (UnicodeError, IndexError, ValueError):
                    continue
                every += edits
                if lo <= h.line <= hi:
                    inf = h.inference
                    name = "return type" if inf.target.label == "METHOD_RETURN" else f"`{inf.target.name}`"
                    actions.append(lsp.CodeAction(
                        title=f"Annotate {name}: {inf.type}", kind=lsp.CodeActionKind.RefactorRewrite,
                        edit=lsp.WorkspaceEdit(changes={st.uri: text_edits})))
            if every:
                what = "in this window" if st.large else "inferred types"
                actions.append(lsp.CodeAction(
                    title=f"Annotate all {what} ({len(every)} edits)",
                    kind=lsp.CodeActionKind.RefactorRewrite,
                    edit=lsp.WorkspaceEdit(changes={st.uri: _text_edits(lines, every, codec)})))
            return actions
        except Exception:
            log.exception("code actions failed")
            return []

    return server


def _one_line_bad_messages(record: logging.LogRecord) -> bool:
    """pygls logs a message body that is not JSON with a full traceback; the client already gets
    a ``window/showMessage`` with the reason, so stderr gets the same as one line."""
    exc = record.exc_info[1] if record.exc_info else None
    if record.getMessage().startswith("Unable to deserialize message"):  # answered: InvalidParams
        record.msg, record.args, record.exc_info, record.exc_text = \
            "answered a request with invalid params: %s", (record.getMessage().strip().splitlines()[-1],), None, None
    if isinstance(exc, ValueError) and record.getMessage() == "Unable to handle message":
        record.msg, record.args, record.exc_info, record.exc_text = \
            "ignored a message that is not valid JSON-RPC: %s", (exc,), None, None
    return True


def serve(llm: str = "") -> None:
    """Run the language server on stdin/stdout (what ``workbench types lsp`` and ``workbench lsp`` do);
    ``llm``: a model spec (``gguf:qwen2.5-coder-1.5b``) that fills the parameters no other evidence
    reaches, after the file's first hints (`TypeServer.fill_for`).

    ``TYPEINFER_LOG_LEVEL`` (e.g. ``info``: each analysis' wall and CPU time) sets the level of
    this package's loggers only. pygls stays at warnings: at ``info`` it logs every message it
    sends in full (tens of kB per hint response), which costs the server time and, once a
    client stops reading the server's stderr, fills the pipe and blocks the server.
    """
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("typeinfer").setLevel(os.environ.get("TYPEINFER_LOG_LEVEL", "WARNING").upper())
    logging.getLogger("pygls.server").addFilter(_one_line_bad_messages)
    logging.getLogger("pygls.protocol.json_rpc").addFilter(_one_line_bad_messages)
    fill_for = None
    if llm:
        from typeinfer.predict.llm import LLMPredictor

        fill_for = LLMPredictor.from_spec(llm).fill
    build_server(fill_for=fill_for).start_io()


if __name__ == "__main__":
    import argparse

    _ap = argparse.ArgumentParser(description="the typeinfer language server on stdio")
    _ap.add_argument("--llm", default="", help="a model spec that fills the parameters no other evidence reaches")
    serve(_ap.parse_args().llm)

