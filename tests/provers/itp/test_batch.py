"""Batch proving on Ray survives kill -9 of a worker and of the driver; bad input is recorded."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from tests.procs import descendants, kill_busy_worker, reap, rows, wait_rows
from workbench.jobs import load_items, run_item

pytestmark = pytest.mark.skipif(shutil.which("coqtop") is None, reason="coqtop not installed (apt-get install coq)")


def _items(path: Path, n: int = 54) -> list[str]:
    ids = []
    with path.open("w") as fh:
        for i in range(n):
            if i % 3 == 0:
                stmt = f"Lemma t{i} : forall n : nat, n + {i} = {i} + n."
            else:
                tail = " /\\ A" * (i % 4)
                stmt = f"Lemma t{i} : forall A B C : Prop, A /\\ (B /\\ C) -> C /\\ A /\\ B{tail}."
            fh.write(json.dumps({"id": f"t{i}", "name": f"t{i}", "statement": stmt}) + "\n")
            ids.append(f"t{i}")
        bad = [
            {"id": "noparse", "name": "noparse", "statement": "Lemma noparse : forall n, n +."},
            {"id": "loops", "name": "loops", "statement": "Lemma loops : forall n m : nat, n + m = m + n + 1.",
             "prelude": "Require Import Arith.", "tactics": ["intros", "repeat rewrite Nat.add_comm"]},
            {"id": "smuggles", "name": "smuggles", "statement": "Lemma smuggles : True. Quit."},
        ]
        for b in bad:
            fh.write(json.dumps(b) + "\n")
            ids.append(b["id"])
        fh.write("{this line is not JSON\n")
        ids.append(f"line-{n + 4}")
    return ids


def _cmd(items: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "workbench.app.cli", "prove", "batch", str(items), "--out", str(out),
            "--workers", "2", "--seconds", "10", "--tactic-timeout", "1", "--no-hammer", *extra]


@pytest.mark.slow
def test_kill_worker_and_driver_then_resume(tmp_path: Path) -> None:
    pytest.importorskip("ray")
    if not Path("/proc/self/stat").exists():
        pytest.skip("finding Ray's worker processes reads /proc (Linux)")
    items, out = tmp_path / "theorems.jsonl", tmp_path / "results.jsonl"
    ids = _items(items)
    assert len(ids) >= 50
    env = {**os.environ, "RAY_DEDUP_LOGS": "0"}
    driver = subprocess.Popen(_cmd(items, out, "--address", "local"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env=env, start_new_session=True)
    family: set[int] = set()
    try:
        wait_rows(out, 3, driver, 90)
        # kill -9 a Ray worker while it runs an item: Ray retries the item on a new worker
        kill_busy_worker(driver.pid, family, tries=100, pause=0.1)
        before = len(rows(out))
        wait_rows(out, before + 8, driver, 90)  # the batch goes on after the worker died
        family |= set(descendants(driver.pid))
        os.kill(driver.pid, signal.SIGKILL)  # kill -9 the driver mid-run
        driver.wait(10)
        partial = rows(out)
        assert 0 < len(partial) < len(ids)
        reap(family)
        done = subprocess.run(_cmd(items, out, "--resume", "--address", "local"), capture_output=True, text=True, timeout=150, env=env)
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    finally:
        if driver.poll() is None:
            os.killpg(driver.pid, signal.SIGKILL)
        reap(family)
    got = rows(out)
    counts = Counter(r["id"] for r in got)
    assert set(counts) == set(ids)
    assert all(c == 1 for c in counts.values()), [i for i, c in counts.items() if c > 1]
    by_id = {r["id"]: r for r in got}
    # every reported proof was re-checked by coqc
    assert all(r["rechecked"] for r in got if r["ok"])
    assert sum(r["ok"] for r in got) >= 40
    assert "Syntax error" in by_id["noparse"]["error"]
    assert by_id["loops"]["errors"].get("timeout", 0) >= 1 and not by_id["loops"]["ok"]
    assert "one sentence" in by_id["smuggles"]["error"]  # never reaches coqtop
    assert "not JSON" in by_id[f"line-{len(ids)}"]["error"]


def test_run_item_records_failures_without_ray(tmp_path: Path) -> None:
    items = tmp_path / "i.jsonl"
    items.write_text('{"id": "a", "name": "a", "statement": "Lemma a : True."}\n[1]\n\n{"name": "nameless"}\n')
    loaded = load_items(items)
    assert [i["id"] for i in loaded] == ["a", "line-2", "line-4"]
    row = run_item("provers.itp.batch:prove_item", loaded[0], {"seconds": 5})
    assert row["ok"] and row["proof"] and row["rechecked"]
    assert "JSON object" in run_item("provers.itp.batch:prove_item", loaded[1], {})["error"]
    nameless = run_item("provers.itp.batch:prove_item", loaded[2], {})
    assert not nameless["ok"] and "file" in nameless["error"]
