"""Job files: one TOML file names a part's work items, the function run on each, and the result log.

``workbench batch JOB.toml`` reads the file (`load_job`), builds the work items in the driver
(`Job.items`), and runs them through `workbench.jobs.run_jobs` (local worker processes, or Ray
with an address): one JSONL row per item, ``--resume`` to skip the finished ones, a progress bar
and a summary table.

A job file has up to three tables::

    [job]
    kind = "logic-eval"              # a registered kind (see KINDS) ...
    # function = "pkg.mod:fn"        # ... or any importable function; items then come from a JSONL file
    out = "runs/batch/proofwriter.jsonl"
    workers = 2                      # optional; also address, max_retries, item_timeout, description

    [items]                          # keyword arguments of the kind's item builder
    dataset = "proofwriter"
    limit = 100

    [options]                        # keyword arguments of the per-item function
    timeout = 10.0

Invariants
----------
* Every key is checked before anything runs: an unknown table, an unknown key in ``[job]``, a
  key in ``[items]`` or ``[options]`` the kind's builder or function does not take, a value of
  the wrong type: each is a `JobFileError` naming the file, the table and the key.
* A kind is two importable names (item builder, per-item function), so the driver imports a
  part only when a job of that kind runs; kinds are registered once (`register` rejects
  duplicates).
* Relative paths (``out``, item files) are relative to the current directory; data files a
  builder does not find there are looked up in the shared data folder by the builder.

Example
-------
>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "job.toml"
>>> _ = p.write_text('[job]\\nkind = "logic-eval"\\nout = "r.jsonl"\\n[items]\\ndataset = "proofwriter"\\nlimit = 3\\n')
>>> job = load_job(p)
>>> job.kind, job.function, job.workers
('logic-eval', 'provers.fol.batch:decide_item', 2)
>>> _ = p.write_text('[job]\\nkind = "logic-eval"\\nout = "r.jsonl"\\n[items]\\ndatset = "proofwriter"\\n')
>>> load_job(p)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
workbench.app.batch.JobFileError: ...job.toml [items]: unknown key 'datset' for kind 'logic-eval' (it takes: dataset, path, limit)
"""

from __future__ import annotations

import inspect
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.errors import WorkbenchError, report
from workbench.jobs import JobError, JobSummary, resolve_function


class JobFileError(JobError):
    """A job file that cannot run: unreadable, bad TOML, unknown kind or key, wrong value type."""


@dataclass(frozen=True, slots=True)
class Kind:
    """A kind of batch work: how to build the items, what runs on each, how to summarise.

    Each field is an importable ``"module:function"`` name, resolved only when a job runs.
    """

    name: str
    #: ``builder(**[items]) -> list[dict]``: the work items, each a JSON dict with an ``"id"``.
    items: str
    #: ``function(item, **[options]) -> dict``: one result row, run in a worker process.
    function: str
    help: str
    #: ``summary(rows) -> rich renderable``: a part-specific table under the generic one.
    summary: str | None = None
    #: Modules every item imports (lazily): the local pool imports them once, before forking its
    #: workers, so each worker starts warm instead of importing them again.
    preload: tuple[str, ...] = ()


#: The registered kinds, by name.
KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    """Add a kind; a name registered twice is a `JobError` (one kind, one meaning).

    >>> register(KINDS["prove"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    workbench.executors.JobError: kind 'prove' is already registered ...
    """
    if kind.name in KINDS:
        raise JobError(f"kind {kind.name!r} is already registered (as {KINDS[kind.name].function})")
    KINDS[kind.name] = kind
    return kind


register(Kind("logic-eval", "provers.fol.batch:items", "provers.fol.batch:decide_item",
              "ProofWriter / FOLIO problems decided by the controlled parser or gold FOL + a prover",
              "provers.fol.batch:summary", ("provers.fol.pipeline", "provers.fol.eval", "provers.fol.portfolio")))
register(Kind("rules-check", "rulecheck.batch:items", "rulecheck.batch:check_item",
              "every rule of a rules file on every IFC model: one item per (model, rule)",
              "rulecheck.batch:summary", ("rulecheck.check", "rulecheck.ifc", "rulecheck.rule")))
register(Kind("prove", "workbench.jobs:load_items", "provers.itp.batch:prove_item",
              "Coq theorems from a JSONL file (as `workbench prove batch`)", None,
              ("provers.itp.env.coq", "provers.itp.generator", "provers.itp.search")))
register(Kind("causal-query", "causal.batch:items", "causal.batch:query_item",
              "probability queries (observational or do()) on causal model files or shipped examples", None,
              ("causal.query", "causal.model")))
register(Kind("types-infer", "typeinfer.batch:items", "typeinfer.batch:infer_item",
              "TypeScript/JavaScript type inference, one item per source file of the given folders", None,
              ("typeinfer.infer",)))

#: Items of a ``function = ...`` job come from a JSONL file (``[items] path = ...``).
GENERIC_ITEMS = "workbench.jobs:load_items"

_JOB_KEYS: dict[str, type | tuple[type, ...]] = {
    "kind": str, "function": str, "out": str, "workers": int, "address": str,
    "max_retries": int, "item_timeout": (int, float), "description": str,
}


@dataclass(frozen=True)
class Job:
    """A validated job file.

    ``items_spec`` and ``options`` are the ``[items]`` and ``[options]`` tables as written.
    """

    path: Path
    out: Path
    function: str
    builder: str
    kind: str | None = None
    items_spec: dict[str, Any] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)
    workers: int = 2
    address: str | None = None
    max_retries: int = 2
    item_timeout: float | None = None
    description: str = ""

    def items(self) -> list[dict[str, Any]]:
        """Build the work items in the driver (reads data sets, enumerates files).

        Raises
        ------
        JobFileError
            When the builder rejects the ``[items]`` table (missing file, bad value), naming it.
        """
        build = resolve_function(self.builder)
        try:
            items: Any = build(**self.items_spec)
        except (WorkbenchError, OSError, ValueError, TypeError) as exc:
            raise JobFileError(f"cannot build the work items: {exc}", where=f"{self.path} [items]") from exc
        for n, item in enumerate(items):
            if not isinstance(item, dict) or "id" not in item:
                raise JobFileError(f"item {n} from {self.builder} is not a dict with an 'id'", where=str(self.path))
        return list(items)


def load_job(path: str | os.PathLike[str]) -> Job:
    """Read and check a job file (see the module docstring for the format).

    Raises
    ------
    JobFileError
        Naming the file and the table/key at fault.
    """
    from workbench.data import read_text

    p = Path(path)
    try:
        data = tomllib.loads(read_text(p, JobFileError))
    except tomllib.TOMLDecodeError as exc:
        raise JobFileError(f"not TOML: {exc}", where=str(p)) from exc
    unknown = sorted(set(data) - {"job", "items", "options"})
    if unknown:
        raise JobFileError(f"unknown table {unknown[0]!r} (a job file has [job], [items], [options])", where=str(p))
    job, items, options = (_table(data, name, p) for name in ("job", "items", "options"))
    for key, value in job.items():
        want = _JOB_KEYS.get(key)
        if want is None:
            raise JobFileError(f"unknown key {key!r} (known: {', '.join(_JOB_KEYS)})", where=f"{p} [job]")
        if not isinstance(value, want) or isinstance(value, bool):
            raise JobFileError(f"{key} must be {_type_name(want)}, got {value!r}", where=f"{p} [job]")
    if ("kind" in job) == ("function" in job):
        raise JobFileError("give exactly one of kind = \"...\" (one of: " + ", ".join(KINDS)
                           + ") or function = \"module:function\"", where=f"{p} [job]")
    if "out" not in job:
        raise JobFileError("missing key 'out' (the result log, a .jsonl path)", where=f"{p} [job]")
    for key in ("workers", "max_retries"):
        if key in job and job[key] < (1 if key == "workers" else 0):
            raise JobFileError(f"{key} must be at least {1 if key == 'workers' else 0}, got {job[key]}", where=f"{p} [job]")
    if "kind" in job:
        kind = KINDS.get(job["kind"])
        if kind is None:
            raise JobFileError(f"unknown kind {job['kind']!r} (known: {', '.join(KINDS)})", where=f"{p} [job]")
        builder, function = kind.items, kind.function
    else:
        builder, function = GENERIC_ITEMS, job["function"]
    what = f"kind {job['kind']!r}" if "kind" in job else f"function {function!r}"
    try:
        _check_keys(builder, items, skip=0, where=f"{p} [items]", what=what)
        _check_keys(function, options, skip=1, where=f"{p} [options]", what=what)
    except JobFileError:
        raise
    except JobError as exc:
        raise JobFileError(exc.what, where=f"{p} [job]") from exc
    timeout = job.get("item_timeout")
    return Job(p, Path(job["out"]), function, builder, job.get("kind"), items, options,
               job.get("workers", 2), job.get("address"), job.get("max_retries", 2),
               float(timeout) if timeout is not None else None, job.get("description", ""))


def _table(data: dict[str, Any], name: str, path: Path) -> dict[str, Any]:
    value = data.get(name, {})
    if not isinstance(value, dict):
        raise JobFileError(f"{name} must be a table ([{name}]), got {value!r}", where=str(path))
    return value


def _type_name(want: type | tuple[type, ...]) -> str:
    names = {int: "an integer", float: "a number", str: "a string"}
    return " or ".join(names[t] for t in (want if isinstance(want, tuple) else (want,)))


def _check_keys(target: str, given: dict[str, Any], skip: int, where: str, what: str) -> None:
    """Every key of ``given`` is a keyword parameter of ``target`` (after ``skip`` positional ones)."""
    params = list(inspect.signature(resolve_function(target)).parameters.values())[skip:]
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params):
        return
    names = [p.name for p in params if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
    for key in given:
        if key not in names:
            raise JobFileError(f"unknown key {key!r} for {what} (it takes: {', '.join(names) or 'nothing'})", where=where)
    missing = [p.name for p in params if p.default is inspect.Parameter.empty
               and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) and p.name not in given]
    if missing:
        raise JobFileError(f"missing key {missing[0]!r} for {what}", where=where)


def run_job(
    job: Job, *, resume: bool = False, workers: int | None = None, address: str | None = None,
    progress: bool = True, console: Any = None,
) -> JobSummary:
    """Build the items and run them (local processes, or Ray with an address); flags given here override the job file's.

    Raises
    ------
    JobError
        When the items cannot be built or the executor cannot start (the result log is then untouched); item failures are rows, never raised.
    """
    from rich.console import Console

    from workbench.jobs import print_summary, run_jobs
    from workbench.results import ResultLog

    console = console or Console()
    items = job.items()
    log = ResultLog(job.out)
    kind = KINDS.get(job.kind or "")
    run_jobs(items, job.function, log, workers=workers or job.workers, address=address or job.address,
             resume=resume, options=job.options, max_retries=job.max_retries, item_timeout=job.item_timeout,
             progress=progress, console=console, label=job.kind or job.function,
             preload=kind.preload if kind is not None else ())
    ids = [str(i["id"]) for i in items]
    summary = print_summary(log, ids, console)
    if kind is not None and kind.summary is not None:
        wanted = set(ids)
        console.print(resolve_function(kind.summary)([r for r in log.rows() if str(r.get("id")) in wanted]))
    return summary


def run_job_file(
    path: str | os.PathLike[str], *, resume: bool = False, workers: int | None = None, address: str | None = None,
) -> int:
    """``workbench batch JOB.toml``: run a job file; the exit code.

    0 when every item has a row (failed items are rows too: see the summary), 1 when the job
    could not run (the reason is printed), 2 when items are left without a row.
    """
    from rich.console import Console
    from rich.markup import escape

    console = Console()
    try:
        job = load_job(path)
        console.print(f"[bold]{escape(str(job.path))}[/]: {job.kind or job.function} → {escape(str(job.out))}"
                      + (f"  [dim]{escape(job.description)}[/]" if job.description else ""), highlight=False)
        summary = run_job(job, resume=resume, workers=workers, address=address, console=console)
    except WorkbenchError as exc:
        report(exc)
        return 1
    console.print(f"rows: {escape(str(job.out))}", highlight=False)
    return 0 if summary.remaining == 0 else 2
