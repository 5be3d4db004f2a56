"""CoqHammer inside the search and as the side-by-side baseline (real coqtop, real E prover)."""

from __future__ import annotations

import shutil

import pytest

from provers.itp.batch import prove_item
from provers.itp.env.base import ProofState, Theorem
from provers.itp.env.coq import hammer_installed
from provers.itp.generator import HAMMER_TACTICS, FixedTactics, OneLiner

pytestmark = pytest.mark.skipif(shutil.which("coqtop") is None or not hammer_installed(),
                                reason="needs coqtop and CoqHammer (apt-get install coq libcoq-hammer eprover)")

APP_LENGTH = {"id": "al", "name": "al", "prelude": "Require Import List Arith.",
              "statement": "Lemma al : forall (A : Type) (l l2 : list A), length (l ++ l2) = length l2 + length l."}
#: A goal a deep ``sauto`` searches for seconds without closing (it does no induction).
ASSOC = Theorem("h", "Lemma h : forall (A : Type) (l1 l2 l3 : list A), (l1 ++ l2) ++ l3 = l1 ++ (l2 ++ l3).",
                prelude="Require Import List.")


def test_hammer_tactics_join_the_fixed_list_and_hammer_closes_the_root() -> None:
    root = ProofState("1 goal\n============================\nTrue")
    cands = [c.tactic for c in FixedTactics(hammer=True).candidates(Theorem("t", "Lemma t : True."), root)]
    assert all(t in cands for t in HAMMER_TACTICS) and cands[-1] == "hammer"
    child = ProofState("1 goal\n============================\nTrue", ("intros",))
    assert "hammer" not in [c.tactic for c in FixedTactics(hammer=True).candidates(Theorem("t", "Lemma t : True."), child)]
    assert OneLiner().candidates(Theorem("t", "Lemma t : True."), child) == []


def test_sauto_in_the_search_is_rechecked() -> None:
    item = {"id": "d", "name": "d", "tactics": ["sauto"],
            "statement": "Lemma d : forall A B C : Prop, A /\\ (B \\/ C) -> (A /\\ B) \\/ (A /\\ C)."}
    row = prove_item(item, generator="fixed", seconds=60, expansions=5, tactic_timeout=10, hammer=True)
    assert row["ok"] and row["rechecked"] and row["proof"] == ["sauto"], row
    assert "From Hammer Require Import Hammer." in row["script"]


@pytest.mark.slow
def test_hammer_baseline_records_a_replayable_tactic() -> None:
    row = prove_item(APP_LENGTH, generator="hammer", seconds=150, expansions=2, tactic_timeout=10)
    assert row["ok"] and row["rechecked"], row
    assert "hammer" not in " ".join(row["proof"]) and "use:" in " ".join(row["proof"])  # the reconstruction, not the ATP call


def test_coqhammer_search_tactics_stop_at_the_automation_timeout() -> None:
    # rule H6: a deep sauto searches for long on a goal it cannot close (it does no induction here; depth 10
    # gives up after ~4 s on this machine, sometimes under 2 s on another: depth 20 runs past 30 s, so every
    # limit below is what stops it); it gets `automation_timeout` (1 s), any other tactic the tactic timeout
    from provers.itp.env.base import TacticTimeout
    from provers.itp.env.coq import CoqEnv

    with CoqEnv(tactic_timeout=2, hammer=True) as env:
        root = env.open(ASSOC)
        assert env.run(root, "sauto depth: 20") == TacticTimeout("sauto depth: 20", 1)
        assert env.run(root, "repeat (assert True by trivial)") == TacticTimeout("repeat (assert True by trivial)", 2)
        assert not isinstance(env.run(root, "intros; induction l1; sauto"), TacticTimeout)  # not alone: the tactic timeout
        assert env.run(root, "sauto depth: 20; simpl") == TacticTimeout("sauto depth: 20; simpl", 2)  # a compound
    with CoqEnv(tactic_timeout=2, hammer=True, automation_timeout=5) as env:  # never above the tactic timeout
        assert env.run(env.open(ASSOC), "sauto depth: 20") == TacticTimeout("sauto depth: 20", 2)


def test_the_coqhammer_baseline_keeps_the_tactic_timeout_for_sauto() -> None:
    # H6's 1 s belongs to the project's search: CoqHammer alone, the side-by-side baseline, is not weakened by it
    from provers.itp.batch import env_limits
    from provers.itp.env.base import TacticTimeout
    from provers.itp.env.coq import CoqEnv

    for generator, limit in (("hammer", 2), ("knn", 1)):
        with CoqEnv(hammer=True, **env_limits(generator, 2.0, 60.0)) as env:
            assert env.run(env.open(ASSOC), "sauto depth: 20") == TacticTimeout("sauto depth: 20", limit), generator
