"""The batch runner: work items → a function in worker processes → one `ResultLog` row per item.

Any part can use it: items are JSON dicts with an ``"id"``; the function is named by an
importable path ``"package.module:function"`` and called as ``function(item, **options)`` in a
worker process, returning a JSON dict (its row). Where the workers are is an executor
(`workbench.executors`): a local process pool by default, Ray when an ``address`` is given
(``"local"`` for a private local Ray instance, ``"auto"``, ``"host:port"`` or ``"ray://host:10001"``
to join a cluster).

Invariants
----------
* The driver is the only writer: a row is appended (and fsync-ed) the moment its item finishes.
  The summary is computed from the rows on disk (`summarize`), never kept only in memory.
* Exactly one row per id: with ``resume`` the ids already on disk are skipped; without it the
  log is started afresh -- but only once the executor is up, so a run that cannot start (a
  cluster that does not answer, a function that does not import) leaves the earlier log as it
  was, byte for byte. Duplicate ids in the input are run once.
* Nothing is lost: an exception inside the function becomes a failure row
  (``{"ok": false, "error": "..."}``) and is not retried (it would fail again); a worker process
  that dies (``kill -9``, out of memory) is replaced and its item retried up to ``max_retries``
  times, then recorded as a failure row. A driver killed mid-run loses only the items in
  flight; a ``resume`` recomputes them.
* A row's ``ok`` is the function's own ``ok`` field when it sets one, else true. The worker adds
  ``id``, ``seconds`` and ``worker`` (host:pid) to each row, the driver ``at`` (Unix time the
  row was written), so throughput can be read back from the log.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.executors import JobError, make_executor, resolve_function, run_item
from workbench.results import ResultLog

__all__ = ["JobError", "JobSummary", "load_items", "print_summary", "resolve_function", "run_item",
           "run_jobs", "summarize"]


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
    preload: tuple[str, ...] = (),
) -> JobSummary:
    """Run ``function`` over ``items``, one row per item in ``log``.

    Parameters
    ----------
    items:
        JSON dicts with an ``"id"`` (see `load_items`).
    function:
        ``"module:function"``, importable on every worker.
    log:
        The result file (or a `ResultLog`).
    workers:
        Items run at once: local processes, or Ray tasks in flight.
    address:
        ``None`` for the local process pool; ``"local"`` for a private Ray instance on
        127.0.0.1; else a Ray cluster address (``"auto"``, ``"host:6379"``, ``"ray://host:10001"``).
    resume:
        Keep the rows on disk and skip their ids; otherwise the log is reset once the executor is up.
    options:
        Keyword arguments passed to every call of ``function``.
    max_retries:
        Retries of an item whose worker process died.
    item_timeout:
        Seconds after which an item is cancelled and recorded as a failure.
    label:
        The progress bar's name.
    preload:
        Modules every item imports: the local pool imports them once before forking its workers.

    Raises
    ------
    JobError
        When the function cannot be resolved, the log cannot be written or the executor cannot
        start -- in each case before the log is touched; item failures never raise.
    """
    from workbench.data import check_writable

    resolve_function(function)  # fail fast, in the driver, on a bad path
    log = log if isinstance(log, ResultLog) else ResultLog(log)
    check_writable(log.path, JobError)
    all_items = list({str(it["id"]): it for it in items}.values())
    ids = [str(it["id"]) for it in all_items]
    done = log.done() if resume else set()
    todo = [it for it in all_items if str(it["id"]) not in done]
    if not todo:
        return summarize(log, ids)
    executor = make_executor(function, dict(options or {}), workers=workers, address=address,
                             max_retries=max_retries, item_timeout=item_timeout, preload=preload)
    executor.start()
    try:
        if not resume:
            log.reset()
        _drive(executor, todo, log, ids, progress, console, label)
    finally:
        executor.close()
    return summarize(log, ids)


def _drive(executor: Any, todo: list[dict[str, Any]], log: ResultLog, ids: list[str], progress: bool,
           console: Any, label: str) -> None:
    """Run ``todo`` on ``executor``, appending each row as it comes, under a progress bar."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    start = summarize(log, ids)
    counts = {"ok": start.ok, "failed": start.failed}
    columns = (
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
        TextColumn("[green]{task.fields[ok]} ok[/] [red]{task.fields[failed]} failed[/] {task.fields[left]} remaining"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, disable=not progress, transient=False) as bar:
        task = bar.add_task(label, total=len(ids), completed=start.ok + start.failed, ok=counts["ok"],
                            failed=counts["failed"], left=start.remaining)

        def emit(row: dict[str, Any]) -> None:
            row["at"] = round(time.time(), 3)
            log.append(row)
            counts["ok" if row.get("ok", True) else "failed"] += 1
            bar.update(task, advance=1, ok=counts["ok"], failed=counts["failed"],
                       left=len(ids) - counts["ok"] - counts["failed"])

        executor.run(todo, emit)


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
    """``python -m workbench.jobs ITEMS.jsonl module:function OUT.jsonl [--workers N] [--address A] [--resume]``.

    Without ``--address`` the items run in local processes; ``--address local`` starts a private
    Ray instance, any other address joins a Ray cluster."""
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
