"""Bad input never stops a batch: each case gives a clear message and finished rows survive."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from provers.fol import eval as ev
from provers.fol.backends.base import Label, run_binary
from provers.fol.backends.prover9 import Prover9Backend, find_prover9
from provers.fol.datasets import BadItem, GoldProblem, load_folio
from provers.fol.parse import parse
from provers.fol.portfolio import Portfolio
from workbench.results import ResultLog

GOOD = {"premises-FOL": ["∀x (Dog(x) → Animal(x))", "Dog(rex)"], "conclusion-FOL": "Animal(rex)", "label": "True"}


def write_jsonl(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_bad_rows_become_error_rows_and_the_batch_goes_on(tmp_path: Path) -> None:
    data = write_jsonl(tmp_path / "in.jsonl", [
        json.dumps(GOOD),
        "{this is not json",
        json.dumps({**GOOD, "premises-FOL": []}),
        json.dumps({**GOOD, "premises-FOL": ["∀x (Dog(x) → Animal(x)", "Dog(rex)"]}),
        json.dumps({**GOOD, "conclusion-FOL": "Animal(rex)", "label": "Unknown"}),
    ])
    log = ResultLog(tmp_path / "out.jsonl")
    pf = Portfolio(["z3"])
    rows = ev.run(ev.gold_items(data), lambda p: ev.gold_row(p, pf, 5.0), log)
    by_id = {r["id"]: r for r in rows}
    assert [r["id"] for r in rows] == ["row-0", "row-1", "row-2", "row-3", "row-4"]
    assert by_id["row-0"]["label"] == "True" and by_id["row-0"]["correct"]
    assert by_id["row-1"]["reason"] == "input" and "not JSON" in by_id["row-1"]["detail"]
    assert "in.jsonl:2" in by_id["row-1"]["detail"]
    assert by_id["row-2"]["reason"] == "input" and "empty premise list" in by_id["row-2"]["detail"]
    malformed = by_id["row-3"]
    assert malformed["reason"] == "parse" and malformed["error"]["formula"] == "premise 1"
    assert malformed["error"]["offset"] == 22 and malformed["error"]["column"] == 23
    assert malformed["error"]["context"].endswith(" " * 22 + "^")
    assert by_id["row-4"]["gold"] == "Uncertain" and by_id["row-4"]["label"] == "True"
    summary = ev.summarise(rows)
    assert summary["error_reasons"] == {"input": 2, "parse": 1}
    assert summary["correct"] == 1


def test_nothing_finished_is_lost_and_resume_skips_done(tmp_path: Path) -> None:
    items = [GoldProblem(f"p{i}", ("P",), "P", "True") for i in range(5)]
    calls: list[str] = []
    pf = Portfolio(["z3"])

    def flaky(p: GoldProblem) -> dict:
        calls.append(p.id)
        if p.id == "p2":
            raise RuntimeError("a bug in one item")
        return ev.gold_row(p, pf, 5.0)

    log = ResultLog(tmp_path / "out.jsonl")
    rows = ev.run(items, flaky, log)
    assert [r["label"] for r in rows] == ["True", "True", "Error", "True", "True"]
    assert rows[2]["reason"] == "internal" and "a bug in one item" in rows[2]["detail"]
    # simulate an interrupted run: keep the first two rows only, then resume
    lines = (tmp_path / "out.jsonl").read_text().splitlines()[:2]
    (tmp_path / "out.jsonl").write_text("\n".join(lines) + "\n")
    calls.clear()
    rows = ev.run(items, flaky, log, resume=True)
    assert calls == ["p2", "p3", "p4"]
    assert sorted(r["id"] for r in rows) == ["p0", "p1", "p2", "p3", "p4"]


def test_missing_prover_binary_is_an_error_verdict_with_a_clear_message(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    v = Prover9Backend(binary=str(tmp_path / "no-prover9")).decide([parse("P")], parse("P"))
    assert v.label is Label.ERROR and v.reason == "missing-binary"
    assert "cannot start prover" in v.detail and "no-prover9" in v.detail
    monkeypatch.setenv("WORKBENCH_PROVER9", str(tmp_path / "gone"))
    v2 = Prover9Backend().decide([parse("P")], parse("P"))
    assert v2.reason == "missing-binary" and "WORKBENCH_PROVER9" in v2.detail
    # a portfolio still answers with the backends that do run
    pf = Portfolio([Prover9Backend(binary=str(tmp_path / "no-prover9")), "z3"])
    assert pf.decide([parse("P")], parse("P")).label is Label.TRUE


def test_prover_time_limit_is_an_error_with_reason_timeout() -> None:
    # group axioms do not entail commutativity, and the search never saturates
    premises = [parse("all x y z.(Mul(Mul(x,y),z) = Mul(x,Mul(y,z)))"), parse("all x.(Mul(One,x) = x)"),
                parse("all x.(Mul(Inv(x),x) = One)")]
    start = time.perf_counter()
    v = Prover9Backend().decide(premises, parse("all x y.(Mul(x,y) = Mul(y,x))"), timeout=1)
    assert v.label is Label.ERROR and v.reason == "timeout", v
    assert time.perf_counter() - start < 8


def test_hung_process_group_is_killed() -> None:
    start = time.perf_counter()
    run = run_binary(["sh", "-c", "sleep 30 & echo $!; wait"], "", timeout=0.5)
    assert run.timed_out and run.returncode is None
    assert time.perf_counter() - start < 5
    child = int(run.stdout.split()[0])
    time.sleep(0.2)
    status = Path(f"/proc/{child}/status")
    # the background child died with its group: gone, or a zombie awaiting its reaper
    assert not status.exists() or "State:\tZ" in status.read_text()


def test_linc_replay_with_missing_binary_keeps_going(tmp_path: Path) -> None:
    from provers.fol.datasets import SampledProblem

    problems = [SampledProblem(f"p{i}", ("FOL: P\nFOL: P",) * 2, "True") for i in range(3)]
    log = ResultLog(tmp_path / "out.jsonl")
    rows = ev.run(problems, lambda p: ev.sampled_row(p, "linc", None, str(tmp_path / "nope"), 5.0), log)
    assert len(rows) == 3 and all(r["label"] == "Error" for r in rows)
    assert rows[0]["sample_reasons"] == ["missing-binary", "missing-binary"]
    assert find_prover9()  # the real one is still found


def test_load_folio_reports_line_numbers(tmp_path: Path) -> None:
    data = write_jsonl(tmp_path / "x.jsonl", [json.dumps(GOOD), "[1, 2]"])
    items = list(load_folio(data))
    assert isinstance(items[1], BadItem) and items[1].what.endswith("a row must be a JSON object")
