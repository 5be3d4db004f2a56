"""The batch runner: work items → a function on Ray workers → one `ResultLog` row per item.

Any part can use it: items are JSON dicts with an ``"id"``; the function is named by an
importable path ``"package.module:function"`` and called as ``function(item, **options)`` in a
Ray worker, returning a JSON dict (its row). Ray runs locally by default (a fresh local
instance with ``workers`` CPUs); ``address`` joins a cluster (``"auto"``, ``"ray://host:10001"``).

Invariants
----------
* The driver is the only writer: a row is appended (and fsync-ed) the moment its item finishes.
  The summary is computed from the rows on disk (`summarize`), never kept only in memory.
* Exactly one row per id: with ``resume`` the ids already on disk are skipped; without it the
  log is started afresh. Duplicate ids in the input are run once.
* Nothing is lost: an exception inside the function becomes a failure row
  (``{"ok": false, "error": "..."}``) and is not retried (it would fail again); a worker process
  that dies (``kill -9``, out of memory) is retried by Ray up to ``max_retries`` times, then
  recorded as a failure row. A driver killed mid-run loses only the items in flight; a
  ``resume`` recomputes them.
* A row's ``ok`` is the function's own ``ok`` field when it sets one, else true. The worker adds
  ``id``, ``seconds`` and ``worker`` (host:pid) to each row, the driver ``at`` (Unix time the
  row was written), so throughput can be read back from the log.
"""

from __future__ import annotations

import importlib
import json
import os
import socket
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.errors import WorkbenchError, require
from workbench.results import ResultLog


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


def load_items(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """Work items from a JSONL file; a bad line becomes an item that fails with its reason.

    An item without ``id`` gets ``"line-N"``; an unparsable line becomes
    ``{"id": "line-N", "_error": ...}``, recorded as a failure without running.

    Raises
    ------
    JobError
        When the file cannot be read.
    """
    from workbench.data import read_text

    p = Path(path)
    lines = read_text(p, JobError).splitlines()
    items: list[dict[str, Any]] = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            items.append({"id": f"line-{n}", "_error": f"{p}:{n}: not JSON: {exc.msg} at column {exc.colno}"})
            continue
        if not isinstance(item, dict):
            items.append({"id": f"line-{n}", "_error": f"{p}:{n}: an item must be a JSON object"})
            continue
        item.setdefault("id", f"line-{n}")
        item["id"] = str(item["id"])
        items.append(item)
    return items


def run_item(function: str, item: dict[str, Any], options: dict[str, Any]) -> dict[str, Any]:
    """Run one item in the current process: the row, a failure row if the function raised.

    This is what a Ray worker executes; it is also usable without Ray.

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


@dataclass(frozen=True, slots=True)
class JobSummary:
    """Counts computed from the rows on disk."""

    total: int
    ok: int
    failed: int
    remaining: int
    seconds: float
    #: Distinct worker processes (host:pid) that wrote the rows; a replaced worker counts again.
    workers: int = 0

    def __str__(self) -> str:
        return f"{self.ok} ok, {self.failed} failed, {self.remaining} remaining of {self.total} ({self.seconds:.1f} s of work)"


def summarize(log: ResultLog, ids: Iterable[str] | None = None) -> JobSummary:
    """Counts from the log: ok / failed rows, and how many of ``ids`` have no row yet.

    >>> import tempfile; log = ResultLog(tempfile.mkdtemp() + "/r.jsonl")
    >>> log.append({"id": "a", "ok": True, "seconds": 1.0}); log.append({"id": "b", "ok": False})
    >>> str(summarize(log, ["a", "b", "c"]))
    '1 ok, 1 failed, 1 remaining of 3 (1.0 s of work)'
    """
    rows = {str(r[log.key]): r for r in log.rows() if log.key in r}
    wanted = list(dict.fromkeys(ids)) if ids is not None else list(rows)
    done = [rows[i] for i in wanted if i in rows]
    ok = sum(1 for r in done if r.get("ok", True))
    secs = sum(float(r.get("seconds", 0) or 0) for r in done)
    procs = len({r["worker"] for r in done if r.get("worker")})
    return JobSummary(len(wanted), ok, len(done) - ok, len(wanted) - len(done), secs, procs)


def run_jobs(
    items: Iterable[dict[str, Any]],
    function: str,
    log: ResultLog | str | os.PathLike[str],
    *,
    workers: int = 2,
    address: str | None = None,
    resume: bool = False,
    options: dict[str, Any] | None = None,
    max_retries: int = 2,
    item_timeout: float | None = None,
    progress: bool = True,
    console: Any = None,
    label: str = "batch",
) -> JobSummary:
    """Run ``function`` over ``items`` on Ray, one row per item in ``log``.

    Parameters
    ----------
    items:
        JSON dicts with an ``"id"`` (see `load_items`).
    function:
        ``"module:function"``, importable on every worker.
    log:
        The result file (or a `ResultLog`).
    workers:
        Items run at once (and CPUs of a local Ray instance); without ``item_timeout`` one more
        item per worker waits in Ray's queue, so a worker never idles for the driver.
    address:
        ``None`` for a fresh local Ray instance, else a cluster address.
    resume:
        Keep the rows on disk and skip their ids; otherwise the log is reset.
    options:
        Keyword arguments passed to every call of ``function``.
    max_retries:
        Retries of an item whose worker process died.
    item_timeout:
        Seconds after which an item is cancelled and recorded as a failure.
    label:
        The progress bar's name.

    Raises
    ------
    JobError
        When the function cannot be resolved or Ray cannot start; item failures never raise.
    """
    ray = require("ray", "batch")
    resolve_function(function)  # fail fast, in the driver, on a bad path
    log = log if isinstance(log, ResultLog) else ResultLog(log)
    all_items = list({str(it["id"]): it for it in items}.values())
    ids = [str(it["id"]) for it in all_items]
    if not resume:
        log.reset()
    done = log.done()
    todo = [it for it in all_items if str(it["id"]) not in done]
    options = dict(options or {})
    if todo:
        _init_ray(ray, address, workers)
        try:
            _drive(ray, todo, function, options, log, ids, workers, max_retries, item_timeout, progress, console, label)
        finally:
            if address is None:
                ray.shutdown()
    return summarize(log, ids)


def _check_reachable(address: str) -> None:
    """Fail fast on a ``host:port`` Ray address nobody answers on: ``ray.init`` would retry the
    GCS for minutes before giving up. ``auto``, ``local`` and ``ray://`` addresses are left to Ray.

    Example
    -------
    >>> _check_reachable("127.0.0.1:9")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    workbench.jobs.JobError: 127.0.0.1:9: cannot reach a Ray cluster there: ...
    """
    import socket

    host, sep, port = address.rpartition(":")
    if "://" in address or not sep or not port.isdigit():
        return
    try:
        socket.create_connection((host, int(port)), timeout=5).close()
    except OSError as exc:
        raise JobError(f"cannot reach a Ray cluster there: {exc.strerror or exc}", where=address) from None


def _init_ray(ray: Any, address: str | None, workers: int) -> None:
    if address is not None:
        _check_reachable(address)
    try:
        if address is None:
            ray.init(
                address="local", num_cpus=workers, include_dashboard=False, log_to_driver=False,
                configure_logging=False, object_store_memory=100 * 1024 * 1024,
            )
        else:
            ray.init(address=address, log_to_driver=False, configure_logging=False)
    except Exception as exc:  # noqa: BLE001 - any Ray start failure is a JobError
        raise JobError(f"cannot start Ray: {exc}", where=address or "local") from exc


def _drive(
    ray: Any, todo: list[dict[str, Any]], function: str, options: dict[str, Any], log: ResultLog,
    ids: list[str], workers: int, max_retries: int, item_timeout: float | None, progress: bool, console: Any,
    label: str,
) -> None:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    remote = ray.remote(num_cpus=1, max_retries=max_retries, retry_exceptions=False)(run_item)
    queue = list(reversed(todo))
    pending: dict[Any, tuple[dict[str, Any], float]] = {}
    start = summarize(log, ids)
    counts = {"ok": start.ok, "failed": start.failed}
    columns = (
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
        TextColumn("[green]{task.fields[ok]} ok[/] [red]{task.fields[failed]} failed[/] {task.fields[left]} remaining"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, disable=not progress, transient=False) as bar:
        task = bar.add_task(label, total=len(ids), completed=start.ok + start.failed, ok=counts["ok"], failed=counts["failed"], left=start.remaining)
        # One item queued behind each busy worker hides the driver's round trip; not with a
        # timeout, whose clock starts when the item is handed to Ray.
        in_flight = workers if item_timeout is not None else 2 * workers
        while queue or pending:
            while queue and len(pending) < in_flight:
                item = queue.pop()
                pending[remote.remote(function, item, options)] = (item, time.monotonic())
            ready, _ = ray.wait(list(pending), num_returns=1, timeout=1.0)
            finished: list[tuple[Any, dict[str, Any]]] = []
            for ref in ready:
                item, _t = pending[ref]
                try:
                    row = ray.get(ref)
                except Exception as exc:  # noqa: BLE001 - worker died more than max_retries times
                    row = {"id": item["id"], "ok": False, "error": f"worker failed after {max_retries} retries: {exc.__class__.__name__}: {str(exc)[:300]}"}
                finished.append((ref, row))
            if item_timeout is not None:
                now = time.monotonic()
                for ref, (item, t) in pending.items():
                    if ref not in ready and now - t > item_timeout:
                        ray.cancel(ref, force=True)
                        finished.append((ref, {"id": item["id"], "ok": False, "error": f"item ran past {item_timeout:g} s and was cancelled"}))
            for ref, row in finished:
                pending.pop(ref, None)
                row["at"] = round(time.time(), 3)
                log.append(row)
                counts["ok" if row.get("ok", True) else "failed"] += 1
                bar.update(task, advance=1, ok=counts["ok"], failed=counts["failed"], left=len(ids) - counts["ok"] - counts["failed"])


def print_summary(log: ResultLog, ids: Iterable[str] | None = None, console: Any = None) -> JobSummary:
    """Print the summary table computed from the rows on disk, with the commonest failures."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = console or Console()
    s = summarize(log, ids)
    table = Table(title=f"batch: {escape(str(log.path))}")
    for col in ("items", "ok", "failed", "remaining", "work s", "worker processes"):
        table.add_column(col, justify="right")
    table.add_row(str(s.total), str(s.ok), str(s.failed), str(s.remaining), f"{s.seconds:.1f}", str(s.workers))
    console.print(table)
    reasons: dict[str, int] = {}
    for r in log.rows():
        if not r.get("ok", True):
            why = str(r.get("error") or r.get("status") or "failed")[:90]
            reasons[why] = reasons.get(why, 0) + 1
    for why, n in sorted(reasons.items(), key=lambda kv: -kv[1])[:5]:
        console.print(f"  [red]{n}×[/] {escape(why)}", highlight=False)
    return s


def main(argv: list[str] | None = None) -> None:
    """``python -m workbench.jobs ITEMS.jsonl module:function OUT.jsonl [--workers N] [--address A] [--resume]``."""
    import argparse

    ap = argparse.ArgumentParser(prog="python -m workbench.jobs", description=main.__doc__)
    ap.add_argument("items")
    ap.add_argument("function")
    ap.add_argument("out")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--address", default=None)
    ap.add_argument("--resume", action="store_true")
    ap.add_argument("--options", default="{}", help="JSON object of keyword arguments for the function")
    args = ap.parse_args(argv)
    log = ResultLog(args.out)
    items = load_items(args.items)
    run_jobs(items, args.function, log, workers=args.workers, address=args.address, resume=args.resume, options=json.loads(args.options))
    print_summary(log, [str(i["id"]) for i in items])


if __name__ == "__main__":
    main()
