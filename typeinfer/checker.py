"""Adapter to TypeScript's LanguageService: one long-lived node process per project (`judge.js`).

The process keeps the program (``lib.*.d.ts``, the project's files) between requests and is
updated incrementally, so asking "what is the compiler's type here?" and "does this
annotation add an error?" costs a re-check of one file, not a node start and a fresh program.

Positions cross the boundary as offsets in UTF-16 units of the original text (what
JavaScript strings index); `Utf16` converts them to and from `workbench.span.Span`
conventions (1-based lines, code-point columns).

>>> u = Utf16("a😀b\\né")
>>> u.to_u16(2), u.line_col(u.to_u16(2)), u.line_col(u.to_u16(5))
(3, (1, 2), (2, 1))
"""

from __future__ import annotations

import atexit
import bisect
import json
import logging
import shutil
import subprocess
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from typeinfer.errors import SliceError

log = logging.getLogger("typeinfer.checker")
SCRIPT = Path(__file__).with_name("judge.js")


class Utf16:
    """Offsets of one text in code points and in UTF-16 units (lone surrogates are one unit)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts = [0]  # code-point offset of each line start
        i = text.find("\n")
        while i >= 0:
            self._starts.append(i + 1)
            i = text.find("\n", i + 1)
        self._ascii = text.isascii()
        self._u16: list[int] = []
        if not self._ascii:
            acc, out = 0, [0]
            for ch in text:
                acc += 2 if ord(ch) > 0xFFFF else 1
                out.append(acc)
            self._u16 = out

    def to_u16(self, cp: int) -> int:
        """UTF-16 offset of a code-point offset."""
        return cp if self._ascii else self._u16[max(0, min(cp, len(self.text)))]

    def to_cp(self, u16: int) -> int:
        """Code-point offset of a UTF-16 offset (the middle of a pair maps to its start)."""
        if self._ascii:
            return u16
        return max(0, bisect.bisect_right(self._u16, u16) - 1)

    def offset(self, line: int, col: int) -> int:
        """Code-point offset of a 1-based line and code-point column."""
        return self._starts[max(0, min(line, len(self._starts)) - 1)] + col

    def line_col(self, u16: int) -> tuple[int, int]:
        """1-based line and code-point column of a UTF-16 offset."""
        cp = self.to_cp(u16)
        i = bisect.bisect_right(self._starts, cp) - 1
        return i + 1, cp - self._starts[i]


@dataclass(frozen=True, slots=True)
class Decl:
    """The compiler's view of one declaration: its type, printed as an editor prints it (whole)."""

    label: str
    name: str
    #: 1-based line and code-point column of the name (returns: where ``: T`` goes).
    at: tuple[int, int]
    full: str
    has_any: bool
    literal: bool
    #: Where an inline JSDoc comment for it can go (``None``: nowhere).
    jsdoc_at: tuple[int, int] | None
    #: A structural type without a name (an intersection, an object literal's type).
    anonymous: bool = False
    #: Parameters the compiler leaves ``any``, asked with ``evidence=True``: how the project
    #: annotates parameters of this name elsewhere ((annotation as written, count), most
    #: common first) and how many such annotations it has in all.
    conventions: tuple[tuple[str, int], ...] = ()
    conventions_total: int = 0
    #: …and the compiler's types of the arguments passed at its function's call sites in the
    #: project ((type, count), most common first), out of ``calls`` calls found.
    call_sites: tuple[tuple[str, int], ...] = ()
    calls: int = 0
    #: An optional parameter (``?`` or a default value).
    optional: bool = False
    #: The type parameters in scope at it (its function's, then the enclosing functions' and classes').
    type_params: tuple[str, ...] = ()
    #: Types in scope that its function's (or class's) name and its own name spell together
    #: (``touch`` + ``options`` → ``TouchOptions``), needing no type arguments.
    named: tuple[str, ...] = ()
    #: The compiler's types for it where its function is used as a value of a function type
    #: (``xs.map(toKey)``: the callback's parameter types), (type, count), most common first.
    contexts: tuple[tuple[str, int], ...] = ()
    #: The compiler's contextual types where it is used: passed as an argument, assigned, returned
    #: (upper bounds), (type, count), most common first.
    uses: tuple[tuple[str, int], ...] = ()
    #: Declared optional with ``?`` (its type then holds the ``| undefined`` the ``?`` adds).
    question: bool = False
    #: The one named type in scope (the project's or imported) that has every property its function
    #: reads or calls on it (at least two), asked with ``evidence=True``.
    members: tuple[str, ...] = ()
    #: The variable of a ``for … in`` / ``for … of`` loop: no annotation can be written on it.
    loop: bool = False
    #: A parameter with a default value (its type is the default's).
    defaulted: bool = False
    #: The parameter types at its position of the member of the same name in its class's ``extends``
    #: and ``implements`` types (``get(key)`` in a class implementing ``Router.get(key: Uint8Array)``),
    #: (type, count), most common first; asked with ``evidence=True``.
    inherited: tuple[tuple[str, int], ...] = ()
    #: A return the compiler infers as a union of string literals or of one enum's members, as its
    #: author writes it (``"npm" | "pnpm"`` → ``string``, or the project's alias holding them all; C32),
    #: as an object literal's type (or a ``Promise`` of one) by the one type in scope assignable to it
    #: both ways (``{ db, writable }`` → ``Init``; C34b), without the trailing type arguments that are their
    #: parameters' defaults (``MultihashDigest<number>`` → ``MultihashDigest``, ``Blockstore<{}, …>`` → ``Blockstore``;
    #: C35c), a factory's class as the one interface it implements (``TcpListener`` → ``Listener``; IF). A number
    #: literal union as ``number`` (``80 | 443``, not a comparator's ``-1 | 0 | 1``; NL), a template literal as the
    #: alias in scope declared so, else ``string`` (TL); for a variable or field too, with C35c (DA). Empty otherwise.
    written: str = ""
    #: A return whose function always ends in a ``throw`` and holds no ``return`` (a stub): the compiler's ``void``
    #: there says what it does, not the type it stands for (TH).
    throws: bool = False
    #: Those of `uses` that are unions a platform function's parameter takes (``fs.PathLike``, ``string | URL``):
    #: bounds that accept every form of the value, not its type (U1).
    platform_uses: tuple[str, ...] = ()
    #: A parameter whose default is a string literal: the one smallest alias of the project (declared in its files or
    #: imported) whose declared type is a union of string literals holding it (``rounding = 'strict'`` → ``RoundingMode``;
    #: DL); asked with ``evidence=True``. Empty otherwise.
    default_alias: str = ""
    #: A variable or field whose only value is an empty container (``new Set()``, ``new Map()``, ``[]``) the compiler
    #: types with ``any`` inside: the container of the compiler's types of what the code adds to it (``.add(id)`` →
    #: ``Set<string>``; EL). Empty otherwise (and where the compiler's type is ``Set<unknown>``, EL's answer is
    #: `written`).
    contents: str = ""
    #: A variable's own uses (its symbol's references, 1-based lines) on a line with an error saying a value does not
    #: fit its type (judge.js ``MISFIT``; V1s: the code gives it a value its type does not hold); computed only where
    #: such an error names its name.
    misfit_lines: tuple[int, ...] = ()


#: A project whose own return annotations number at least this many and never write ``null`` or ``undefined``
#: gets the compiler's return types without them (N, `typeinfer.judge.non_null`).
NULL_STYLE_MIN = 10


@dataclass(frozen=True, slots=True)
class CheckResult:
    """Declarations and error diagnostics ((1-based line, code)) of one text."""

    decls: tuple[Decl, ...]
    errors: tuple[tuple[int, int], ...]
    ms: int
    #: Per error: the lines (first, last) of the innermost function around it (``None``: top level).
    within: tuple[tuple[int, int] | None, ...] = ()
    #: Per error in a call's argument: the lines of the function called, when in the same file.
    callees: tuple[tuple[int, int] | None, ...] = ()
    #: With ``evidence``: the project's parameter annotations as written, all names together
    #: ((text, count), most common first).
    annotations: tuple[tuple[str, int], ...] = ()
    #: Names the compiler cannot find (TS2304, TS2552) in the text, at most 50.
    unresolved: frozenset[str] = frozenset()
    #: With ``evidence``, where no ``tsconfig.json`` gives the options: the project's written return types,
    #: (how many, how many hold a union with ``null`` or ``undefined``); counted once per checker process.
    return_nulls: tuple[int, int] | None = None
    #: In a TypeScript file: how many type references in the project's own sources give a typed array its buffer
    #: argument (``Uint8Array<ArrayBuffer>``, TypeScript 5.7's style); counted once per process, by the first request
    #: with ``evidence``, and given with every request after it.
    buffer_args: int | None = None
    #: Per error: the compiler's message (its first line, cut at `judge.js`'s ``MESSAGE_CHARS``).
    messages: tuple[str, ...] = ()

    @property
    def omits_nulls(self) -> bool | None:
        """The project's null style (N): whether its own return annotations (at least `NULL_STYLE_MIN` of them) never
        write ``null`` or ``undefined``; ``None`` where not counted (a ``tsconfig.json`` gives the options)."""
        if self.return_nulls is None:
            return None
        written, nullish = self.return_nulls
        return written >= NULL_STYLE_MIN and nullish == 0

    @property
    def writes_buffers(self) -> bool | None:
        """The project's typed-array style (T1): whether its sources write a buffer argument; ``None`` where not
        known (JavaScript, or not yet counted)."""
        return None if self.buffer_args is None else self.buffer_args > 0


class Checker:
    """A `judge.js` process for one project root (started on first use, restarted if it dies)."""

    def __init__(self, root: str | Path = ".", timeout: float = 60.0, project: bool | None = None) -> None:
        self.root = str(Path(root).resolve())
        self.timeout = timeout
        #: The project's own sources are in the program (call sites and annotations as evidence);
        #: by default when the root is a project's (it holds a tsconfig.json or package.json), not
        #: for a loose folder such as /tmp.
        self.project = project if project is not None else any(
            Path(self.root, f).is_file() for f in ("tsconfig.json", "jsconfig.json", "package.json"))
        self._proc: subprocess.Popen[str] | None = None
        self._lock = threading.Lock()
        self._next = 0

    def _start(self) -> subprocess.Popen[str]:
        from typeinfer.tsc import typescript_dir

        node = shutil.which("node")
        if node is None:
            raise SliceError("node is not installed: the type checker cannot run")
        ts = typescript_dir()
        argv = [node, "--max-old-space-size=4096", str(SCRIPT), str(ts), self.root]
        proc = subprocess.Popen(argv + (["--project"] if self.project else []),
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                text=True, encoding="utf-8", bufsize=1)
        atexit.register(proc.kill)
        return proc

    def request(self, op: str, **params: Any) -> dict[str, Any]:
        """One request, its answer (raises `SliceError` if the process fails or answers an error)."""
        with self._lock:
            if self._proc is None or self._proc.poll() is not None:
                self._proc = self._start()
            self._next += 1
            msg = dict(params, op=op, id=self._next)
            proc = self._proc
            try:
                assert proc.stdin is not None and proc.stdout is not None
                proc.stdin.write(json.dumps(msg) + "\n")
                proc.stdin.flush()
                line = _readline(proc, self.timeout)
            except (OSError, TimeoutError) as exc:
                proc.kill()
                self._proc = None
                raise SliceError(f"type checker failed: {exc}", where=str(params.get("file", ""))) from exc
            out = json.loads(line)
            if "error" in out:
                raise SliceError(f"type checker: {out['error'][:300]}", where=str(params.get("file", "")))
            return out

    def analyse(self, path: str | Path, text: str, edits: Sequence[tuple[int, int, str]] = (),
                keep: bool = True, diagnostics: bool = True,
                lines: tuple[int, int] | None = None, evidence: bool = False, uses: bool = False) -> CheckResult:
        """Declarations and errors of ``text`` with ``edits`` inserted (line, code-point col, text).

        Positions in the answer are in ``text`` (before the edits). ``keep=False`` leaves the
        file's previous text in place afterwards (a trial); ``diagnostics=False`` asks for types
        only (much cheaper); ``lines`` (1-based, inclusive) only the declarations there;
        ``evidence`` adds, for each parameter the compiler leaves ``any``, the project's
        conventions and call-site types (`Decl.conventions`, `Decl.call_sites`); ``uses`` only what its
        own uses expect (`Decl.uses`), also with ``edits`` (cheap: its function's body alone).
        """
        u = Utf16(text)
        raw = sorted((u.to_u16(u.offset(line, col)), ins) for line, col, ins in edits)
        params: dict[str, Any] = {"file": str(Path(self.root, path) if not Path(path).is_absolute() else path),
                                  "text": text, "edits": raw, "keep": keep, "diags": diagnostics,
                                  "evidence": evidence, "uses": uses}
        if lines is not None:
            params["range"] = [u.to_u16(u.offset(lines[0], 0)), u.to_u16(u.offset(lines[1] + 1, 0))]
        out = self.request("analyse", **params)
        decls = tuple(Decl(d["k"], d["n"], u.line_col(d["p"]), d["f"], d["any"], d["lit"],
                           u.line_col(d["j"]) if d["j"] >= 0 else None, d.get("anon", False),
                           tuple((t, n) for t, n in d.get("conv", ())), d.get("convN", 0),
                           tuple((t, n) for t, n in d.get("cs", ())), d.get("calls", 0), d.get("opt", False),
                           tuple(d.get("tps", ())), tuple(d.get("named", ())),
                           tuple((t, n) for t, n in d.get("ctx", ())),
                           tuple((t, n) for t, n in d.get("uses", ())), d.get("q", False), tuple(d.get("members", ())),
                           d.get("loop", False), d.get("dflt", False),
                           tuple((t, n) for t, n in d.get("inh", ())), d.get("lw", ""), d.get("thr", False),
                           tuple(d.get("upl", ())), d.get("dla", ""), d.get("el", ""),
                           tuple(sorted({u.line_col(o)[0] for o in d.get("ml", ())})))
                      for d in out["decls"])
        errors = tuple((u.line_col(o)[0], code) for o, code, *_ in out["diags"])
        within = tuple((u.line_col(a)[0], u.line_col(b)[0]) if a >= 0 else None for _o, _c, a, b, *_ in out["diags"])
        callees = tuple((u.line_col(rest[0])[0], u.line_col(rest[1])[0]) if len(rest) > 1 and rest[0] >= 0 else None
                        for _o, _c, _a, _b, *rest in out["diags"])
        return CheckResult(decls, errors, out.get("ms", 0), within, callees,
                           tuple((t, n) for t, n in out.get("annots", ())), frozenset(out.get("unres", ())),
                           tuple(out["rnull"]) if out.get("rnull") else None, out.get("bufs"),
                           tuple(d[6] if len(d) > 6 else "" for d in out["diags"]))

    def close_file(self, path: str | Path) -> None:
        """Forget a file's text (the disk's copy is read again if another file imports it)."""
        if self._proc is not None:
            self.request("close", file=str(path))

    def close(self) -> None:
        """End the process."""
        with self._lock:
            if self._proc is not None:
                self._proc.kill()
                self._proc.wait()
                self._proc = None


def _readline(proc: subprocess.Popen[str], timeout: float) -> str:
    """One line of the process' stdout within ``timeout`` seconds."""
    got: list[str] = []

    def read() -> None:
        assert proc.stdout is not None
        got.append(proc.stdout.readline())

    t = threading.Thread(target=read, daemon=True)
    t.start()
    t.join(timeout)
    if not got:
        raise TimeoutError(f"no answer in {timeout:.0f} s")
    if not got[0]:
        raise OSError("the process ended")
    return got[0]


_CHECKERS: dict[str, Checker] = {}
_CHECKERS_LOCK = threading.Lock()


def checker_for(root: str | Path) -> Checker:
    """The shared checker of a project root (one process per root)."""
    key = str(Path(root).resolve())
    with _CHECKERS_LOCK:
        if key not in _CHECKERS:
            _CHECKERS[key] = Checker(key)
        return _CHECKERS[key]


def available() -> bool:
    """Whether node and the ``typescript`` package are installed."""
    from typeinfer.tsc import typescript_dir

    try:
        typescript_dir()
    except SliceError:
        return False
    return True
