"""The Coq environment against a real coqtop: states, errors, timeouts, crashes, re-check."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from provers.itp.env.base import ProofFinished, ProofState, TacticError, TacticTimeout, Theorem
from provers.itp.env.coq import CoqEnv, clean_tactic
from provers.itp.errors import TacticRejected, TheoremError

pytestmark = pytest.mark.skipif(shutil.which("coqtop") is None, reason="coqtop not installed (apt-get install coq)")

CONJ = Theorem("conj_t", "Lemma conj_t : forall n : nat, n + 0 = n /\\ True.", prelude="Require Import Arith.")


@pytest.fixture
def env():
    with CoqEnv(tactic_timeout=1) as e:
        yield e


def test_states_branches_and_finish(env: CoqEnv) -> None:
    root = env.open(CONJ)
    assert "forall n : nat, n + 0 = n /\\ True" in root.goals and root.tactics == ()
    a = env.run(root, "intros n")
    assert isinstance(a, ProofState) and "n : nat" in a.goals
    b = env.run(a, "split")
    assert isinstance(b, ProofState) and b.goals.startswith("2 goals")
    # jump back to an earlier branch (BackTo) and forward again (replay): same answers
    again = env.run(root, "intros m")
    assert isinstance(again, ProofState) and "m : nat" in again.goals
    c = env.run(b, "rewrite Nat.add_0_r")
    assert isinstance(c, ProofState) and "n = n" in c.goals
    d = env.run(c, "reflexivity")
    assert isinstance(d, ProofState) and d.goals.endswith("True")
    done = env.run(d, "exact I")
    assert done == ProofFinished(("intros n", "split", "rewrite Nat.add_0_r", "reflexivity", "exact I"))
    check = env.recheck(CONJ, done.tactics)
    assert check.ok, check.message
    assert "Qed." in check.script and "Require Import Arith." in check.script


def test_error_timeout_and_no_progress(env: CoqEnv) -> None:
    root = env.open(CONJ)
    err = env.run(root, "apply no_such_lemma")
    assert isinstance(err, TacticError) and "no_such_lemma" in err.message
    looping = env.run(env.run(root, "intros n"), "repeat rewrite Nat.add_comm")  # type: ignore[arg-type]
    assert isinstance(looping, TacticTimeout)
    same = env.run(root, "idtac")
    assert isinstance(same, ProofState) and same.key == root.key  # merged by the search


def test_crash_is_an_error_then_restart_replays(env: CoqEnv) -> None:
    root = env.open(CONJ)
    a = env.run(root, "intros n")
    assert isinstance(a, ProofState)
    os.kill(env.pid, 9)  # type: ignore[arg-type]
    died = env.run(a, "split")
    assert isinstance(died, TacticError) and "died" in died.message
    b = env.run(a, "split")  # restarted, the path replayed
    assert isinstance(b, ProofState) and b.goals.startswith("2 goals") and env.restarts == 1


def test_tactic_after_coqtop_exited_is_an_error_not_a_broken_pipe(env: CoqEnv) -> None:
    """coqtop gone before the write (a `Quit.`, a crash): the closed pipe is a death like any other."""
    root = env.open(CONJ)
    pid = env.pid
    os.kill(pid, 9)  # type: ignore[arg-type]
    for _ in range(200):  # until the kernel has closed its pipes (a zombie or gone)
        try:
            if Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[1][0] == "Z":
                break
        except OSError:
            break
        time.sleep(0.01)
    died = env.run(root, "intros n")
    assert isinstance(died, TacticError) and "died" in died.message
    assert isinstance(env.run(root, "intros n"), ProofState)  # restarted


def test_recheck_rejects_incomplete_proof(env: CoqEnv) -> None:
    check = env.recheck(CONJ, ("intros n", "split"))
    assert not check.ok and "incomplete" in check.message


@pytest.mark.parametrize(
    "bad", [
        Theorem("x", "Lemma x : forall n, n +."),
        Theorem("y", "Lemma y : undefined_thing."),
        Theorem("z", "Lemma z : True.", prelude="Require Import NoSuchLibrary."),
    ],
)
def test_bad_theorems_raise_with_where(env: CoqEnv, bad: Theorem) -> None:
    with pytest.raises(TheoremError, match=bad.name):
        env.open(bad)


@pytest.mark.parametrize("text", ["auto. Qed.", "admit", "Admitted", "try (give_up)", "Quit", "", "intros. auto"])
def test_unsafe_tactics_rejected(text: str) -> None:
    with pytest.raises(TacticRejected):
        clean_tactic(text)


def test_rejected_tactic_is_an_error_not_a_proof(env: CoqEnv) -> None:
    root = env.open(Theorem("t", "Lemma t : False."))
    out = env.run(root, "admit")
    assert isinstance(out, TacticError) and "not allowed" in out.message


@pytest.mark.parametrize("terminal_sigint", [True, False])
def test_ctrl_c_during_a_tactic_leaves_coqtop_in_step(terminal_sigint: bool) -> None:
    """Ctrl-C while a tactic runs (the REPL's `step`/`search`): the next tactic gets its own answer.

    A terminal's Ctrl-C reaches coqtop too (``terminal_sigint``); a Python-only interrupt does not.
    Either way coqtop's stale answer must not be read as the next tactic's ("User interrupt").
    """
    import _thread
    import signal
    import threading

    with CoqEnv(tactic_timeout=20) as env:
        root = env.open(CONJ)
        a = env.run(root, "intros n")
        assert isinstance(a, ProofState)
        pid = env.pid

        def ctrl_c() -> None:
            if terminal_sigint:
                os.kill(pid, signal.SIGINT)  # type: ignore[arg-type]
            _thread.interrupt_main()

        # a process started in the background by a shell without job control inherits SIGINT
        # ignored, and Python then installs no KeyboardInterrupt handler: give it Python's own
        previous = signal.signal(signal.SIGINT, signal.default_int_handler)
        timer = threading.Timer(1.0, ctrl_c)
        timer.start()
        t0 = time.perf_counter()
        try:
            with pytest.raises(KeyboardInterrupt):
                env.run(a, "repeat rewrite Nat.add_comm")
        finally:
            signal.signal(signal.SIGINT, previous)
        assert time.perf_counter() - t0 < 15
        timer.join()
        b = env.run(a, "split")
        assert isinstance(b, ProofState) and b.goals.startswith("2 goals"), b
        assert env.pid == pid and env.restarts == 0  # in step again without a restart
        assert isinstance(env.run(root, "intros m"), ProofState)


def test_deadline_caps_a_tactic_in_whole_seconds(env: CoqEnv) -> None:
    """The search's deadline shortens a tactic's Timeout; Coq takes whole seconds only."""
    root = env.open(CONJ)
    env.deadline = time.perf_counter() + 2.7
    try:
        assert isinstance(env.run(root, "intros n"), ProofState)
        t0 = time.perf_counter()
        looping = env.run(env.run(root, "intros n"), "repeat rewrite Nat.add_comm")  # type: ignore[arg-type]
        assert isinstance(looping, TacticTimeout) and looping.seconds <= 2 and time.perf_counter() - t0 < 10
    finally:
        env.deadline = None
