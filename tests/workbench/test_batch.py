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
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.procs import cmdline, descendants, kill_busy_worker, reap, rows, wait_rows
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


# ------------------------------------------------------------------ executors


def _items(n: int) -> list[dict]:
    return [{"id": f"i{k}", "n": k} for k in range(n)]


def _same(row: dict) -> dict:
    """A row without what depends on the process and the clock."""
    return {k: v for k, v in row.items() if k not in ("seconds", "worker", "at")}


def test_unreachable_cluster_keeps_the_earlier_results_byte_identical(tmp_path: Path) -> None:
    """The data-loss case: a run that cannot start leaves the previous run's rows as they were."""
    from typer.testing import CliRunner

    from workbench.app.cli import app

    out = tmp_path / "rows.jsonl"
    job = _job(tmp_path, f'[job]\nkind = "causal-query"\nout = "{out}"\n[items]\n'
                         'queries = [{model = "backdoor", query = "P(Y=1 | do(X=1))"}]\n')
    assert CliRunner().invoke(app, ["batch", str(job)]).exit_code == 0
    before = out.read_bytes()
    assert b'"ok": true' in before
    for flags in (["--address", "127.0.0.1:1"], ["--address", "127.0.0.1:1", "--workers", "3"]):
        result = CliRunner().invoke(app, ["batch", str(job), *flags])
        assert result.exit_code == 1 and "127.0.0.1:1: cannot reach a Ray cluster there" in result.stderr
        assert out.read_bytes() == before
    bad_fn = _job(tmp_path, f'[job]\nfunction = "tests.workbench.batch_items:nope"\nout = "{out}"\n'
                            f'[items]\npath = "{tmp_path / "items.jsonl"}"\n')
    (tmp_path / "items.jsonl").write_text('{"id": "a", "n": 1}\n')
    result = CliRunner().invoke(app, ["batch", str(bad_fn)])
    assert result.exit_code == 1 and "has no function 'nope'" in result.stderr
    assert out.read_bytes() == before


def test_local_executor_retries_a_killed_worker_then_gives_up(tmp_path: Path) -> None:
    from workbench.jobs import run_jobs
    from workbench.results import ResultLog

    log = ResultLog(tmp_path / "r.jsonl")
    s = run_jobs(_items(6), "tests.workbench.batch_items:crash_on", log, workers=2, options={"bad": "i2"},
                 max_retries=2, progress=False)
    rows = {r["id"]: r for r in log.rows()}
    assert (s.total, s.ok, s.failed, s.remaining) == (6, 5, 1, 0)
    assert rows["i2"]["error"] == "worker process died 3 times running this item (killed by signal 9)"
    assert [rows[f"i{k}"]["value"] for k in (0, 1, 3, 4, 5)] == [0, 1, 3, 4, 5]


def test_local_executor_kills_an_item_past_its_timeout(tmp_path: Path) -> None:
    from workbench.jobs import run_jobs
    from workbench.results import ResultLog

    log = ResultLog(tmp_path / "r.jsonl")
    t0 = time.monotonic()
    run_jobs(_items(4), "tests.workbench.batch_items:hang_on", log, workers=2, options={"bad": "i1"},
             item_timeout=1.0, progress=False)
    rows = {r["id"]: r for r in log.rows()}
    assert rows["i1"] == {"id": "i1", "ok": False, "error": "item ran past 1 s and was cancelled", "at": rows["i1"]["at"]}
    assert all(rows[i]["ok"] for i in ("i0", "i2", "i3"))
    assert time.monotonic() - t0 < 20


def test_local_executor_rows_for_errors_and_odd_values(tmp_path: Path) -> None:
    from workbench.jobs import run_jobs
    from workbench.results import ResultLog

    log = ResultLog(tmp_path / "a.jsonl")
    run_jobs(_items(2), "tests.workbench.batch_items:boom", log, workers=1, progress=False)
    assert [r["error"] for r in log.rows()] == ["ValueError: no answer for i0", "ValueError: no answer for i1"]
    log = ResultLog(tmp_path / "b.jsonl")
    run_jobs(_items(2), "tests.workbench.batch_items:odd_values", log, workers=1, progress=False)
    rows = log.rows()
    assert [r["ok"] for r in rows] == [True, False] and rows[0]["tags"] == "{'a'}"
    assert rows[0]["gen"].startswith("<generator object")


@pytest.mark.slow
def test_private_ray_listens_on_loopback_only_and_gives_the_local_rows(tmp_path: Path) -> None:
    """``--address local``: every port of Ray's processes is on 127.0.0.1; rows equal the pool's."""
    pytest.importorskip("ray")
    if not Path("/proc/net/tcp").exists():
        pytest.skip("reads listening sockets from /proc (Linux)")
    from workbench.executors import LocalExecutor, RayExecutor

    items = [{"id": f"{m}: {q}", "model": m, "query": q} for m, q in
             [("smoking", "P(C=1 | do(S=1))"), ("backdoor", "P(Y=1 | do(X=0))"), ("bow", "P(Y=1 | do(X=1))"),
              ("smoking", "P(Q=1)")]]
    got: dict[str, list[dict]] = {"ray": [], "local": []}
    ray_ex = RayExecutor("causal.batch:query_item", {}, 2, "local")
    ray_ex.start()
    try:
        listening = _listening(os.getpid())
        ray_ex.run(items, got["ray"].append)
    finally:
        ray_ex.close()
    assert len(listening) >= 3, listening  # gcs, raylet, workers ...
    outside = [(addr, who) for addr, who in listening if not addr.startswith("127.0.0.1:")]
    assert not outside, outside
    local = LocalExecutor("causal.batch:query_item", {}, 2)
    local.start()
    try:
        local.run(items, got["local"].append)
    finally:
        local.close()
    ray_rows, local_rows = ({r["id"]: _same(r) for r in got[k]} for k in ("ray", "local"))
    assert ray_rows == local_rows and len(ray_rows) == 4
    assert not ray_rows["smoking: P(Q=1)"]["ok"]


def _listening(root: int) -> list[tuple[str, str]]:
    """(address, process) of every listening TCP socket of ``root`` and its descendants."""
    import ipaddress

    inodes: dict[str, int] = {}
    for pid in (root, *descendants(root)):
        try:
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                target = os.readlink(fd)
                if target.startswith("socket:["):
                    inodes[target[8:-1]] = pid
        except OSError:  # it exited meanwhile
            continue
    out = []
    for name, size in (("tcp", 4), ("tcp6", 16)):
        for line in Path(f"/proc/net/{name}").read_text().splitlines()[1:]:
            f = line.split()
            if f[3] != "0A" or f[9] not in inodes:  # 0A: LISTEN
                continue
            hexaddr, port = f[1].split(":")
            raw = bytes.fromhex(hexaddr)
            raw = b"".join(raw[i:i + 4][::-1] for i in range(0, size, 4))  # /proc prints 32-bit words host-order
            ip = ipaddress.ip_address(raw)
            ip = getattr(ip, "ipv4_mapped", None) or ip  # ::ffff:127.0.0.1 is 127.0.0.1
            addr = f"{ip}:{int(port, 16)}" if ip.version == 4 else f"[{ip}]:{int(port, 16)}"
            out.append((addr, cmdline(inodes[f[9]])[:80]))
    return out


# ------------------------------------------------------------------ kill -9, then --resume


def _local_worker(driver: int, family: set[int], tries: int = 200, pause: float = 0.02) -> int:
    """A worker process of the local pool under ``driver`` (forked by its forkserver)."""
    for _ in range(tries):
        kids = descendants(driver)
        family |= set(kids)
        servers = [k for k in kids if "forkserver" in cmdline(k) and k in set(_children(driver))]
        workers = [w for s in servers for w in _children(s)]
        if workers:
            os.kill(workers[0], signal.SIGKILL)
            return workers[0]
        time.sleep(pause)
    raise AssertionError("no local worker found")


def _children(pid: int) -> list[int]:
    out = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                if int((d / "stat").read_text().rsplit(") ", 1)[1].split()[1]) == pid:
                    out.append(int(d.name))
            except (OSError, IndexError, ValueError):
                continue
    return out


@pytest.mark.slow
@pytest.mark.parametrize("executor", ["local", pytest.param("ray", marks=pytest.mark.skipif(
    not os.environ.get("WORKBENCH_SLOW_TESTS"), reason="a minute; Ray's kill -9/resume is the two-node cluster test "
                                                      "below (WORKBENCH_SLOW_TESTS=1 runs this too)"))])
def test_kill_worker_and_driver_then_resume(shared_data: Path, tmp_path: Path, executor: str) -> None:
    if executor == "ray":
        pytest.importorskip("ray")
    if not Path("/proc/self/stat").exists():
        pytest.skip("finding the worker processes reads /proc (Linux)")
    n = 120
    out = tmp_path / "rows.jsonl"
    job = _job(tmp_path, f'[job]\nkind = "logic-eval"\nout = "{out}"\nworkers = 2\n'
                         f'[items]\ndataset = "proofwriter"\nlimit = {n}\n')
    ids = [p["id"] for p in json.loads((shared_data / "logic/proofwriter/dev.json").read_text())[:n]]
    cmd = [sys.executable, "-m", "workbench.app.cli", "batch", str(job)] + (["--address", "local"] if executor == "ray" else [])
    env = {**os.environ, "RAY_DEDUP_LOGS": "0"}
    driver = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                              start_new_session=True)
    family: set[int] = set()
    t0 = time.monotonic()
    try:
        wait_rows(out, 3, driver, 60)
        first = time.monotonic() - t0
        (kill_busy_worker if executor == "ray" else _local_worker)(driver.pid, family)
        before = len(rows(out))
        wait_rows(out, before + 10, driver, 60)  # the job goes on without that worker
        family |= set(descendants(driver.pid))
        os.kill(driver.pid, signal.SIGKILL)
        driver.wait(10)
        partial = rows(out)
        assert 0 < len(partial) < n, "the driver was killed mid-run"
        reap(family, wait=0 if executor == "ray" else 10)  # the dead driver's workers: gone before the resumed run
        done = subprocess.run([*cmd, "--resume"], capture_output=True, text=True, timeout=120, env=env)
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
        print(f"{executor}: first rows after {first:.1f} s; worker killed at {before} rows, driver at {len(partial)}"
              f" of {n}; resumed run done after {time.monotonic() - t0:.1f} s")
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


# ------------------------------------------------------------------ a real two-node Ray cluster


@pytest.fixture
def ray_cluster(tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """A head node and a second node (``ray start``) on this machine, on a free port, with their
    own token and temp folder; every process of both nodes is killed afterwards (never ``ray
    stop``, which would stop other people's Ray on a shared machine)."""
    pytest.importorskip("ray")
    import secrets
    import shutil
    import socket
    import tempfile

    ray_bin = Path(sys.executable).parent / "ray"
    if not ray_bin.exists() or not Path("/proc/self/stat").exists():
        pytest.skip("needs the `ray` command and /proc (Linux)")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    temp = tempfile.mkdtemp(prefix="/tmp/rc")  # short: Ray's socket paths live under it
    env = {**os.environ, "RAY_AUTH_MODE": "token", "RAY_AUTH_TOKEN": secrets.token_hex(32),
           "RAY_DEDUP_LOGS": "0", "RAY_USAGE_STATS_ENABLED": "0"}
    common = ["--node-ip-address=127.0.0.1", "--num-cpus=1", "--disable-usage-stats"]
    try:
        for args in (["--head", f"--port={port}", "--include-dashboard=false", f"--temp-dir={temp}"],
                     [f"--address=127.0.0.1:{port}", '--resources={"wb_second_node": 1}']):
            subprocess.run([str(ray_bin), "start", *args, *common], env=env, check=True, timeout=180,
                           capture_output=True)
        yield f"127.0.0.1:{port}", env
    finally:
        roots = [int(d.name) for d in Path("/proc").iterdir() if d.name.isdigit() and temp in cmdline(int(d.name))]
        family = set(roots)
        for r in roots:
            family |= set(descendants(r))
        for pid in family:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        shutil.rmtree(temp, ignore_errors=True)


def _second_node(tries: int = 100) -> list[int]:
    """The second node's raylet and every process under it (its workers and agents)."""
    for _ in range(tries):
        raylets = [int(d.name) for d in Path("/proc").iterdir()
                   if d.name.isdigit() and "wb_second_node" in cmdline(int(d.name)) and "raylet" in cmdline(int(d.name))]
        if raylets:
            return [raylets[0], *descendants(raylets[0])]
        time.sleep(0.1)
    raise AssertionError("the second node's raylet is not running")


@pytest.mark.slow
def test_two_node_ray_cluster_survives_losing_a_node_then_resume(
    shared_data: Path, tmp_path: Path, ray_cluster: tuple[str, dict[str, str]],
) -> None:
    """A ProofWriter job on a real two-node cluster: kill -9 of the second node (its raylet and
    workers) mid-job, the job goes on on the head node; then the driver is killed and
    ``--resume`` finishes it: one correct row per problem, the earlier rows unchanged."""
    address, env = ray_cluster
    n = 120
    out = tmp_path / "rows.jsonl"
    job = _job(tmp_path, f'[job]\nkind = "logic-eval"\nout = "{out}"\nworkers = 2\n'
                         f'[items]\ndataset = "proofwriter"\nlimit = {n}\n')
    ids = [p["id"] for p in json.loads((shared_data / "logic/proofwriter/dev.json").read_text())[:n]]
    cmd = [sys.executable, "-m", "workbench.app.cli", "batch", str(job), "--address", address]
    driver = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                              start_new_session=True)
    try:
        wait_rows(out, 3, driver, 120)
        node = _second_node()
        t0 = time.monotonic()
        while len({r["worker"] for r in rows(out)}) < 2:  # both nodes have written rows
            assert driver.poll() is None and time.monotonic() - t0 < 120, "the second node never ran an item"
            time.sleep(0.1)
        for pid in node:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        lost_at = len(rows(out))
        wait_rows(out, lost_at + 10, driver, 120)  # goes on with the head node alone
        os.kill(driver.pid, signal.SIGKILL)
        driver.wait(10)
        partial = rows(out)
        assert 0 < len(partial) < n, "the driver was killed mid-run"
        done = subprocess.run([*cmd, "--resume"], capture_output=True, text=True, timeout=180, env=env)
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    finally:
        if driver.poll() is None:
            os.killpg(driver.pid, signal.SIGKILL)
    got = rows(out)
    counts = Counter(r["id"] for r in got)
    assert set(counts) == set(ids) and all(c == 1 for c in counts.values())
    assert got[: len(partial)] == partial
    assert all(r["ok"] and r["correct"] for r in got), [r["id"] for r in got if not r["correct"]]
    print(f"second node ({len(node)} processes) killed at {lost_at} rows, driver at {len(partial)} of {n}")
