"""`workbench batch JOB.toml`: job files are checked before anything runs; a real ProofWriter job
survives ``kill -9`` of a Ray worker and of the driver, and ``--resume`` leaves one row per item."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.procs import descendants, kill_busy_worker, reap, rows, wait_rows
from workbench.app.batch import KINDS, JobFileError, load_job
from workbench.jobs import run_item


def _job(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "job.toml"
    p.write_text(text)
    return p


@pytest.mark.parametrize(("text", "says"), [
    ('[job]\nkind = "logic-eval"\nout = "r.jsonl"\nwokers = 2\n', "[job]: unknown key 'wokers'"),
    ('[job]\nkind = "logic-evl"\nout = "r.jsonl"\n', "[job]: unknown kind 'logic-evl'"),
    ('[job]\nkind = "logic-eval"\n', "[job]: missing key 'out'"),
    ('[job]\nkind = "logic-eval"\nout = "r.jsonl"\nworkers = "two"\n', "[job]: workers must be an integer"),
    ('[job]\nkind = "logic-eval"\nout = "r.jsonl"\nworkers = 0\n', "[job]: workers must be at least 1"),
    ('[job]\nkind = "prove"\nfunction = "json:loads"\nout = "r.jsonl"\n', "[job]: give exactly one of kind"),
    ('[job]\nfunction = "json:nothing"\nout = "r.jsonl"\n[items]\npath = "i.jsonl"\n', "[job]: 'json' has no function 'nothing'"),
    ('[job]\nkind = "rules-check"\nout = "r.jsonl"\n[items]\nmodel = ["duplex.ifc"]\n',
     "[items]: unknown key 'model' for kind 'rules-check' (it takes: models, rules)"),
    ('[job]\nkind = "logic-eval"\nout = "r.jsonl"\n[options]\ntimeout = 1\nparser = "llm"\n',
     "[options]: unknown key 'parser' for kind 'logic-eval' (it takes: backend, semantics, timeout)"),
    ('[job]\nkind = "prove"\nout = "r.jsonl"\n', "[items]: missing key 'path' for kind 'prove'"),
    ('[job]\nkind = "prove"\nout = "r.jsonl"\n[item]\npath = "t.jsonl"\n', "unknown table 'item'"),
    ('[job]\nkind = "prove"\nout = "r.jsonl"\n[items\n', "not TOML"),
])
def test_bad_job_files_name_the_file_and_key(tmp_path: Path, text: str, says: str) -> None:
    path = _job(tmp_path, text)
    with pytest.raises(JobFileError) as err:
        load_job(path)
    assert str(err.value).startswith(str(path)) and says in str(err.value), str(err.value)


def test_cli_prints_the_error_and_exits_1(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from workbench.app.cli import app

    path = _job(tmp_path, '[job]\nkind = "rules-check"\nout = "r.jsonl"\n[items]\nmodel = ["a.ifc"]\n')
    result = CliRunner().invoke(app, ["batch", str(path)], env={"COLUMNS": "300"})
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {path} [items]: unknown key 'model'")


def test_every_kind_resolves() -> None:
    from workbench.jobs import resolve_function

    for kind in KINDS.values():
        for name in (kind.items, kind.function, kind.summary):
            if name:
                assert callable(resolve_function(name)), name


def test_shipped_job_files_load() -> None:
    jobs = sorted(Path(__file__).parents[2].joinpath("jobs").glob("*.toml"))
    assert {load_job(p).kind for p in jobs} >= {"logic-eval", "rules-check", "prove"}


def test_missing_items_file_is_a_job_error(tmp_path: Path) -> None:
    job = load_job(_job(tmp_path, f'[job]\nkind = "prove"\nout = "r.jsonl"\n[items]\npath = "{tmp_path}/none.jsonl"\n'))
    with pytest.raises(JobFileError, match=r"job.toml \[items\]: cannot build the work items: .*none.jsonl"):
        job.items()


def test_rule_items_match_a_direct_check(shared_data: Path, tmp_path: Path) -> None:
    """The rules-check kind, run item by item as a worker would, gives check_model's verdicts."""
    from rulecheck.check import check_model
    from rulecheck.ifc import open_model
    from rulecheck.rule import load_rules

    broken = tmp_path / "broken.ifc"
    broken.write_text("ISO-10303-21;\nHEADER;\nthis is not IFC\n")
    job = load_job(_job(tmp_path, '[job]\nkind = "rules-check"\nout = "r.jsonl"\n'
                                  f'[items]\nmodels = ["duplex.ifc", "IfcOpenHouse_IFC4.ifc", "{broken}"]\n'))
    items = job.items()
    rules = load_rules(Path(__import__("rulecheck").__file__).parent / "data" / "rules_code_accord.json")
    assert len(items) == 3 * len(rules)
    rows = [run_item(job.function, it, job.options) for it in items]
    for name in ("duplex.ifc", "IfcOpenHouse_IFC4.ifc"):
        direct = [v.to_json() for v in check_model(open_model(shared_data / "ifc" / name), rules)]
        batched = [v for r in rows if r.get("model") == name for v in r["verdicts"]]
        assert batched == direct
    bad = [r for r in rows if r["id"].startswith("broken.ifc:")]
    assert len(bad) == len(rules) and not any(r["ok"] for r in bad)
    assert "broken.ifc" in bad[0]["error"], bad[0]["error"]


def test_missing_model_stops_the_job_before_it_runs(shared_data: Path, tmp_path: Path) -> None:
    job = load_job(_job(tmp_path, '[job]\nkind = "rules-check"\nout = "r.jsonl"\n[items]\nmodels = ["nope.ifc"]\n'))
    with pytest.raises(JobFileError, match=r"\[items\]: cannot build the work items: .*nope.ifc"):
        job.items()


def test_types_items_infer_each_file(tmp_path: Path) -> None:
    src = tmp_path / "proj"
    src.mkdir()
    (src / "a.ts").write_text("function shout(s) { return s.toUpperCase() + '!'; }\nshout('hi');\n")
    (src / "b.js").write_text("function half(n) { return n.toFixed(1); }\n")
    job = load_job(_job(tmp_path, f'[job]\nkind = "types-infer"\nout = "r.jsonl"\n[items]\npaths = ["{src}"]\n'
                                  '[options]\nlearned = false\n'))
    rows = {r["id"]: r for r in (run_item(job.function, it, job.options) for it in job.items())}
    assert set(rows) == {"proj/a.ts", "proj/b.js"}
    types = {(i["name"], i["type"]) for r in rows.values() for i in r["inferences"]}
    assert ("s", "string") in types and ("n", "number") in types


def test_causal_queries_answer_and_hedge(tmp_path: Path) -> None:
    job = load_job(_job(tmp_path, '[job]\nkind = "causal-query"\nout = "r.jsonl"\n[items]\nqueries = [\n'
                                  '{model = "smoking", query = "P(C=1 | do(S=1))"},\n'
                                  '{model = "bow", query = "P(Y=1 | do(X=1))", method = "identify"},\n'
                                  '{model = "smoking", query = "P(Q=1)"}]\n'))
    smoking, bow, bad = (run_item(job.function, it, job.options) for it in job.items())
    assert smoking["ok"] and abs(smoking["value"] - 0.5423) < 1e-4 and "do" not in smoking["estimand"]
    assert bow["ok"] and bow["identifiable"] is False and bow["hedge"]["F"]
    assert not bad["ok"] and "Q" in bad["error"]


# ------------------------------------------------------------------ kill -9, then --resume


@pytest.mark.slow
def test_kill_worker_and_driver_then_resume(shared_data: Path, tmp_path: Path) -> None:
    pytest.importorskip("ray")
    if not Path("/proc/self/stat").exists():
        pytest.skip("finding Ray's worker processes reads /proc (Linux)")
    n = 120
    out = tmp_path / "rows.jsonl"
    job = _job(tmp_path, f'[job]\nkind = "logic-eval"\nout = "{out}"\nworkers = 2\n'
                         f'[items]\ndataset = "proofwriter"\nlimit = {n}\n')
    ids = [p["id"] for p in json.loads((shared_data / "logic/proofwriter/dev.json").read_text())[:n]]
    cmd = [sys.executable, "-m", "workbench.app.cli", "batch", str(job)]
    env = {**os.environ, "RAY_DEDUP_LOGS": "0"}
    driver = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                              start_new_session=True)
    family: set[int] = set()
    t0 = time.monotonic()
    try:
        wait_rows(out, 3, driver, 60)
        first = time.monotonic() - t0
        kill_busy_worker(driver.pid, family)
        before = len(rows(out))
        wait_rows(out, before + 10, driver, 60)  # the job goes on without that worker
        family |= set(descendants(driver.pid))
        os.kill(driver.pid, signal.SIGKILL)
        driver.wait(10)
        partial = rows(out)
        assert 0 < len(partial) < n, "the driver was killed mid-run"
        reap(family, wait=0)  # the dead driver's Ray processes: gone before the resumed run starts
        done = subprocess.run([*cmd, "--resume"], capture_output=True, text=True, timeout=120, env=env)
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
        print(f"first rows after {first:.1f} s; worker killed at {before} rows, driver at {len(partial)} of {n};"
              f" resumed run done after {time.monotonic() - t0:.1f} s")
    finally:
        if driver.poll() is None:
            os.killpg(driver.pid, signal.SIGKILL)
        reap(family)
    got = rows(out)
    counts = Counter(r["id"] for r in got)
    assert set(counts) == set(ids)
    assert all(c == 1 for c in counts.values()), [i for i, c in counts.items() if c > 1]
    assert got[: len(partial)] == partial  # resume appended; it rewrote nothing
    assert all(r["ok"] and r["correct"] for r in got), [r["id"] for r in got if not r["correct"]]
