"""Best-first search with the fixed tactics on real Coq theorems, every proof re-checked."""

from __future__ import annotations

import shutil

import pytest

from provers.itp.corpus.coq import coq_theories, theorem_from_file
from provers.itp.env.base import ProofState, Theorem
from provers.itp.env.coq import CoqEnv
from provers.itp.generator import FixedTactics, goal_variables
from provers.itp.search import Budget, Candidate, best_first

pytestmark = pytest.mark.skipif(shutil.which("coqtop") is None, reason="coqtop not installed (apt-get install coq)")


def test_proves_and_rechecks_a_lemma_needing_case_analysis() -> None:
    thm = Theorem("orb_comm2", "Lemma orb_comm2 : forall a b : bool, orb a b = orb b a.")
    steps = []
    with CoqEnv(tactic_timeout=1) as env:
        res = best_first(env, thm, FixedTactics(), Budget(60, 40), on_step=lambda s, c, o: steps.append(o))
    assert res.proved and res.rechecked, res
    assert len(res.proof) >= 2 and "Qed." in res.script
    assert res.tactic_calls == len(steps) and res.expansions >= 2


def test_stdlib_theorem_in_its_file_context() -> None:
    path = coq_theories() / "Lists" / "List.v"
    thm = theorem_from_file(str(path), "app_nil_r")
    assert thm.file == "Coq.Lists.List" and thm.epilogue.startswith("End ")
    with CoqEnv(tactic_timeout=2) as env:
        res = best_first(env, thm, FixedTactics(), Budget(60, 30))
    assert res.proved and res.rechecked, res


def test_budget_and_bad_input_are_results() -> None:
    hard = Theorem("hard", "Lemma hard : forall n m : nat, n * m = m * n.")
    with CoqEnv(tactic_timeout=1) as env:
        res = best_first(env, hard, FixedTactics(("simpl", "intros")), Budget(30, 3))
        assert res.status in ("budget", "failed") and not res.proved and res.expansions <= 3
        bad = best_first(env, Theorem("bad", "Lemma bad : forall n, n +."), FixedTactics())
    assert bad.status == "error" and "Syntax error" in bad.message


def test_duplicate_states_are_merged() -> None:
    class Gen:
        name = "dup"

        def candidates(self, theorem: Theorem, state: ProofState) -> list[Candidate]:
            return [Candidate("idtac", -0.1), Candidate("simpl", -0.2), Candidate("intros", -1.0)]

    with CoqEnv(tactic_timeout=1) as env:
        res = best_first(env, Theorem("d", "Lemma d : forall b : bool, b = b."), Gen(), Budget(30, 10))
    assert res.errors.get("duplicate", 0) >= 2


def test_goal_variables() -> None:
    s = ProofState("1 goal\nA : Type\nl, l' : list A\n============================\nl ++ l' = l")
    assert goal_variables(s) == ["A", "l", "l'"]


@pytest.mark.parametrize("stmt", [
    "Lemma map_app' : forall (A B : Type) (f : A -> B) (l l' : list A), map f (l ++ l') = map f l ++ map f l'.",
    "Lemma map_length' : forall (A B : Type) (f : A -> B) (l : list A), length (map f l) = length l.",
])
def test_fixed_tactics_induct_on_the_list_not_the_type(stmt: str) -> None:
    """Induction candidates cover every inductive-typed binder (here the 4th), not the first (`A : Type`)."""
    thm = Theorem(stmt.split()[1], stmt, prelude="Require Import List.")
    with CoqEnv(tactic_timeout=2) as env:
        res = best_first(env, thm, FixedTactics(), Budget(60, 20))
    assert res.proved and res.rechecked, res
    assert any("induction l" in t for t in res.proof), res.proof
