"""Where batch items run: a local process pool (the default) or a Ray cluster.

`workbench.jobs.run_jobs` drives either one the same way: `Executor.start` (which may fail:
nothing has been written yet), `Executor.run` (items in, one finished row out per item, through
a callback), `Executor.close`. Both run `run_item` on each item, so a row looks the same
whichever ran it; both retry an item whose worker process died, up to ``max_retries`` times, then
give it a failure row; both turn an item that runs past ``item_timeout`` into a failure row.

* `LocalExecutor`: ``workers`` worker processes forked from a forkserver that has already imported
  the function's module, each fed one item at a time over a pipe. Starting it costs a fraction
  of a second (Ray's local start-up is ~10 s on a small machine), it opens no port, and a
  worker killed by a signal is seen at once (its pipe closes) and replaced. An item past its
  timeout has its process killed, so the work really stops.
* `RayExecutor`: ``ray.init(address)`` for a cluster; ``address="local"`` starts a private
  instance that listens on 127.0.0.1 only, without the dashboard.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import multiprocessing
import os
import signal
import socket
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection, wait
from typing import Any, Protocol

from workbench.errors import WorkbenchError, require

#: A finished item's row handed to the driver.
Emit = Callable[[dict[str, Any]], None]


class JobError(WorkbenchError):
    """A batch cannot start: bad function path, unreadable items file, Ray not reachable."""


def resolve_function(path: str) -> Callable[..., dict[str, Any]]:
    """The function named by ``"module:function"``.

    Raises
    ------
    JobError
        When the module cannot be imported or has no such callable.

    Example
    -------
    >>> resolve_function("json:dumps")({"a": 1})
    '{"a": 1}'
    """
    mod_name, _, fn_name = path.partition(":")
    if not mod_name or not fn_name:
        raise JobError(f"function must be 'module:function', got {path!r}")
    try:
        mod = importlib.import_module(mod_name)
    except ImportError as exc:
        raise JobError(f"cannot import {mod_name!r}: {exc}", where=path) from exc
    fn = getattr(mod, fn_name, None)
    if not callable(fn):
        raise JobError(f"{mod_name!r} has no function {fn_name!r}", where=path)
    return fn


def run_item(function: str, item: dict[str, Any], options: dict[str, Any]) -> dict[str, Any]:
    """Run one item in the current process: the row, a failure row if the function raised.

    This is what every worker executes (local or Ray); it is also usable on its own.

    >>> run_item("json:loads", {"id": "a"}, {})["ok"]
    False
    """
    t0 = time.perf_counter()
    row: dict[str, Any]
    if "_error" in item:
        row = {"ok": False, "error": item["_error"]}
    else:
        try:
            out = resolve_function(function)(item, **options)
            row = dict(out) if isinstance(out, dict) else {"value": out}
            row.setdefault("ok", True)
        except Exception as exc:  # noqa: BLE001 - any failure of one item is that item's row
            row = {"ok": False, "error": f"{exc.__class__.__name__}: {exc}"}
    row["id"] = item["id"]
    row["seconds"] = round(time.perf_counter() - t0, 3)
    row["worker"] = f"{socket.gethostname()}:{os.getpid()}"
    return row


def died_row(item: dict[str, Any], times: int, how: str) -> dict[str, Any]:
    """The failure row of an item whose worker process died ``times`` times."""
    return {"id": item["id"], "ok": False, "error": f"worker process died {times} times running this item ({how})"}


def timeout_row(item: dict[str, Any], seconds: float) -> dict[str, Any]:
    return {"id": item["id"], "ok": False, "error": f"item ran past {seconds:g} s and was cancelled"}


class Executor(Protocol):
    """What `workbench.jobs.run_jobs` needs from a place to run items."""

    def start(self) -> None:
        """Bring the workers up; raise `JobError` if that fails (before any row is written)."""

    def run(self, todo: list[dict[str, Any]], emit: Emit) -> None:
        """Run every item of ``todo``, calling ``emit(row)`` once per item as it finishes."""

    def close(self) -> None:
        """Stop the workers (also after an interrupt)."""


# ----------------------------------------------------------------------------- local pool


def _worker_main(conn: Connection, function: str, options: dict[str, Any]) -> None:
    """A local worker: announce itself, then run items from the pipe until it closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the driver's; it closes the pool
    try:
        resolve_function(function)
    except JobError as exc:
        conn.send(("error", str(exc)))
        return
    conn.send(("ready", os.getpid()))
    while True:
        try:
            item = conn.recv()
        except (EOFError, OSError):  # the driver is gone
            return
        if item is None:
            return
        row = run_item(function, item, options)
        try:
            conn.send(("row", row))
        except OSError:  # the driver is gone
            return
        except Exception:  # noqa: BLE001 - a value pickle cannot carry: send it as the log writes it
            conn.send(("row", json.loads(json.dumps(row, default=str))))


class _Worker:
    def __init__(self, ctx: Any, function: str, options: dict[str, Any]) -> None:
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child, function, options), daemon=True)
        with _main_not_reimported():
            self.proc.start()
        child.close()
        self.item: dict[str, Any] | None = None
        self.since = 0.0

    def kill(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(5)
        self.conn.close()


@contextlib.contextmanager
def _main_not_reimported() -> Iterator[None]:
    """Start a worker without re-running the main module in it.

    multiprocessing re-imports the parent's ``__main__`` (the ``workbench`` script, and with it
    the whole CLI) in every new process so that functions defined there can be found; a worker
    resolves its function by import path instead, so the main module is hidden while the process
    starts, as for an interactive session. This also spares a script calling `run_jobs` the
    ``if __name__ == "__main__":`` guard.
    """
    main = sys.modules.get("__main__")
    saved: dict[str, Any] = {k: main.__dict__[k] for k in ("__file__", "__spec__") if main is not None and k in main.__dict__}
    if main is not None:
        main.__dict__.pop("__file__", None)
        main.__spec__ = None  # multiprocessing reads it; None with no __file__: nothing to re-import
    try:
        yield
    finally:
        if main is not None:
            main.__dict__.update(saved)


class LocalExecutor:
    """``workers`` local processes; see the module docstring.

    Parameters
    ----------
    function, options:
        What each item runs: ``function(item, **options)``.
    workers:
        Processes, i.e. items running at once.
    max_retries:
        Retries of an item whose process died (killed, out of memory, a crash in a binding).
    item_timeout:
        Seconds after which an item's process is killed and the item recorded as failed.
    preload:
        Modules the items import, imported once in the forkserver (a module that fails to import
        there is just not preloaded; the item's own import then reports it).
    """

    def __init__(self, function: str, options: dict[str, Any], workers: int, max_retries: int = 2,
                 item_timeout: float | None = None, start_timeout: float = 120.0,
                 preload: tuple[str, ...] = ()) -> None:
        self.function, self.options = function, options
        self.workers, self.max_retries, self.item_timeout = workers, max_retries, item_timeout
        self.start_timeout = start_timeout
        self._pool: list[_Worker] = []
        methods = multiprocessing.get_all_start_methods()
        self._ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        if "forkserver" in methods:
            # the forkserver imports the function's module (and what its items import) once; every
            # worker is forked from it, warm
            self._ctx.set_forkserver_preload(["workbench.executors", function.partition(":")[0], *preload])

    def start(self) -> None:
        try:
            self._pool = [_Worker(self._ctx, self.function, self.options) for _ in range(self.workers)]
        except OSError as exc:
            self.close()
            raise JobError(f"cannot start local worker processes: {exc.strerror or exc}", where="local") from exc
        deadline = time.monotonic() + self.start_timeout
        for w in self._pool:
            left = deadline - time.monotonic()
            if not w.conn.poll(max(left, 0)):
                self.close()
                raise JobError(f"a local worker did not start within {self.start_timeout:g} s", where="local")
            try:
                kind, what = w.conn.recv()
            except EOFError:
                code = w.proc.exitcode
                self.close()
                raise JobError(f"a local worker exited while starting (exit code {code}); called from a script? "
                               "put the call under `if __name__ == \"__main__\":` (each worker process "
                               "re-imports the main module, as with any multiprocessing pool)", where="local") from None
            if kind == "error":
                self.close()
                raise JobError(str(what), where="local")

    def run(self, todo: list[dict[str, Any]], emit: Emit) -> None:
        queue = deque(todo)
        deaths: dict[str, int] = {}
        while queue or any(w.item is not None for w in self._pool):
            for w in self._pool:
                if w.item is None and queue:
                    w.item, w.since = queue.popleft(), time.monotonic()
                    try:
                        w.conn.send(w.item)
                    except (BrokenPipeError, OSError):
                        pass  # it died while idle: found below, by its sentinel
            busy = [w for w in self._pool if w.item is not None]
            waits: list[Any] = [w.conn for w in busy] + [w.proc.sentinel for w in busy]
            ready = set(wait(waits, timeout=self._tick(busy)))
            for w in busy:
                if w.conn in ready or w.proc.sentinel in ready:
                    self._collect(w, queue, deaths, emit)
            if self.item_timeout is not None:
                now = time.monotonic()
                for w in self._pool:
                    if w.item is not None and now - w.since > self.item_timeout:
                        item, w.item = w.item, None
                        self._replace(w)
                        emit(timeout_row(item, self.item_timeout))

    def _tick(self, busy: list[_Worker]) -> float:
        if self.item_timeout is None or not busy:
            return 1.0
        first = min(w.since for w in busy) + self.item_timeout - time.monotonic()
        return min(1.0, max(first, 0.01))

    def _collect(self, w: _Worker, queue: deque[dict[str, Any]], deaths: dict[str, int], emit: Emit) -> None:
        """Read what ``w`` sent (a row), or, if it died, requeue or fail its item and replace it."""
        while True:
            try:
                if not w.conn.poll():
                    break
                kind, payload = w.conn.recv()
            except (EOFError, OSError):
                break
            if kind == "row" and w.item is not None:
                w.item = None
                emit(payload)
                return
        if w.proc.is_alive():
            return
        item, w.item = w.item, None
        w.proc.join(1)
        code = w.proc.exitcode
        how = f"killed by signal {-code}" if code is not None and code < 0 else f"exit code {code}"
        self._replace(w)
        if item is None:
            return
        key = str(item["id"])
        deaths[key] = deaths.get(key, 0) + 1
        if deaths[key] > self.max_retries:
            emit(died_row(item, deaths[key], how))
        else:
            queue.appendleft(item)

    def _replace(self, w: _Worker) -> None:
        w.kill()
        fresh = _Worker(self._ctx, self.function, self.options)
        w.conn, w.proc, w.since = fresh.conn, fresh.proc, 0.0

    def close(self) -> None:
        for w in self._pool:
            try:
                w.conn.send(None)
            except (BrokenPipeError, OSError):
                pass
        deadline = time.monotonic() + 2
        for w in self._pool:
            w.proc.join(max(deadline - time.monotonic(), 0))
            w.kill()
        self._pool = []


# ----------------------------------------------------------------------------------- Ray


def check_reachable(address: str) -> None:
    """Fail fast on a ``host:port`` Ray address nobody answers on: ``ray.init`` would retry the
    GCS for minutes before giving up. ``auto``, ``local`` and ``ray://`` addresses are left to Ray.

    Example
    -------
    >>> check_reachable("127.0.0.1:9")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    workbench.executors.JobError: 127.0.0.1:9: cannot reach a Ray cluster there: ...
    """
    host, sep, port = address.rpartition(":")
    if "://" in address or not sep or not port.isdigit():
        return
    try:
        socket.create_connection((host, int(port)), timeout=5).close()
    except OSError as exc:
        raise JobError(f"cannot reach a Ray cluster there: {exc.strerror or exc}", where=address) from None


class RayExecutor:
    """Items as Ray tasks; ``address`` ``"local"`` starts a private instance on 127.0.0.1.

    Without ``item_timeout`` one more item per worker waits in Ray's queue, so a worker never
    idles for the driver's round trip.
    """

    def __init__(self, function: str, options: dict[str, Any], workers: int, address: str,
                 max_retries: int = 2, item_timeout: float | None = None) -> None:
        self.function, self.options, self.workers, self.address = function, options, workers, address
        self.max_retries, self.item_timeout = max_retries, item_timeout
        self._ray: Any = None

    def start(self) -> None:
        if self.address == "local":
            with _loopback_only():
                ray = require("ray", "batch")
                self._init(ray, address="local", num_cpus=self.workers, include_dashboard=False,
                           object_store_memory=100 * 1024 * 1024)
        else:
            check_reachable(self.address)
            ray = require("ray", "batch")
            self._init(ray, address=self.address)
        self._ray = ray

    def _init(self, ray: Any, **kwargs: Any) -> None:
        try:
            ray.init(log_to_driver=False, configure_logging=False, **kwargs)
        except Exception as exc:  # noqa: BLE001 - any Ray start failure is a JobError
            raise JobError(f"cannot start Ray: {exc}", where=self.address) from exc

    def run(self, todo: list[dict[str, Any]], emit: Emit) -> None:
        ray = self._ray
        remote = ray.remote(num_cpus=1, max_retries=self.max_retries, retry_exceptions=False)(run_item)
        queue = list(reversed(todo))
        pending: dict[Any, tuple[dict[str, Any], float]] = {}
        # the timeout's clock starts when the item is handed to Ray: no queueing behind a worker then
        in_flight = self.workers if self.item_timeout is not None else 2 * self.workers
        while queue or pending:
            while queue and len(pending) < in_flight:
                item = queue.pop()
                pending[remote.remote(self.function, item, self.options)] = (item, time.monotonic())
            ready, _ = ray.wait(list(pending), num_returns=1, timeout=1.0)
            for ref in ready:
                item, _t = pending.pop(ref)
                try:
                    row = ray.get(ref)
                except Exception as exc:  # noqa: BLE001 - its worker died more than max_retries times
                    row = died_row(item, self.max_retries + 1, f"{exc.__class__.__name__}: {str(exc)[:300]}")
                emit(row)
            if self.item_timeout is not None:
                now = time.monotonic()
                for ref, (item, t) in list(pending.items()):
                    if now - t > self.item_timeout:
                        ray.cancel(ref, force=True)
                        del pending[ref]
                        emit(timeout_row(item, self.item_timeout))

    def close(self) -> None:
        if self._ray is not None:
            self._ray.shutdown()  # a private instance stops; on a cluster, this driver disconnects
        self._ray = None


@contextlib.contextmanager
def _loopback_only() -> Iterator[None]:
    """Make a private Ray instance listen on 127.0.0.1 only.

    Ray turns a node address of 127.0.0.1 into the machine's outside address (so that other
    nodes could join) and its servers then listen on every interface. Its single-machine mode
    (``RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER=0``, meant for laptops) keeps every server on loopback;
    it is set for the start of the instance only (the processes it starts inherit it), so a
    later join of a real cluster from this process is not affected.
    """
    var = "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"
    old = os.environ.get(var)
    os.environ[var] = "0"
    constants: Any = sys.modules.get("ray._private.ray_constants")  # read once, at Ray's import
    if constants is not None:
        constants.ENABLE_RAY_CLUSTER = False
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(var, None)
        else:
            os.environ[var] = old
        constants = sys.modules.get("ray._private.ray_constants")
        if constants is not None:  # as Ray computes it from the (restored) environment
            constants.ENABLE_RAY_CLUSTER = constants.env_bool(var, not constants.IS_WINDOWS_OR_OSX)


def make_executor(function: str, options: dict[str, Any], *, workers: int, address: str | None,
                  max_retries: int = 2, item_timeout: float | None = None, preload: tuple[str, ...] = ()) -> Executor:
    """`LocalExecutor` without an address, else `RayExecutor` (``"local"``: a private local Ray)."""
    if address is None:
        return LocalExecutor(function, options, workers, max_retries, item_timeout, preload=preload)
    return RayExecutor(function, options, workers, address, max_retries, item_timeout)
