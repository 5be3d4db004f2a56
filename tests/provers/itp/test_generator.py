"""Tactic generators: the fixed baseline, and the LLM generator on the smallest real model."""

from __future__ import annotations

import shutil

import pytest

from provers.itp.env.base import ProofState, Theorem
from provers.itp.env.coq import clean_tactic
from provers.itp.generator import COQ_TACTICS, FixedTactics, LLMTactics
from provers.itp.search import Budget, best_first
from workbench.llm import Generator

STATE = ProofState("1 goal\nn : nat\n============================\nn + 0 = n")
THM = Theorem("t", "Lemma t : forall n : nat, n + 0 = n.")


def test_fixed_tactics_ranked_with_goal_variables() -> None:
    cands = FixedTactics().candidates(THM, STATE)
    assert [c.tactic for c in cands[: len(COQ_TACTICS)]] == list(COQ_TACTICS)
    assert "induction n" in [c.tactic for c in cands]
    assert all(a.logprob > b.logprob for a, b in zip(cands, cands[1:], strict=False))


HINTED = ("Parameter P : nat -> Prop.\nAxiom key : forall n, P n.\n(* Hint Resolve nope : commented. *)\n"
          "Create HintDb mydb.\n#[global] Hint Resolve key : mydb.\n")


@pytest.mark.skipif(shutil.which("coqtop") is None, reason="coqtop not installed")
def test_the_files_own_hint_databases_are_tried() -> None:
    """A library's automation lives in its hint databases (`eauto with ordered_type` proves
    `OrderedType.ltk_trans`); none of the fixed tactics reaches `key` here."""
    from provers.itp.env.coq import CoqEnv

    thm = Theorem("p3", "Lemma p3 : P 3.", prelude=HINTED)
    tactics = [c.tactic for c in FixedTactics().candidates(thm, STATE)]
    assert tactics[4:6] == ["auto with mydb", "eauto with mydb"] and "auto with commented" not in tactics
    assert not [t for t in FixedTactics().candidates(THM, STATE) if "mydb" in t.tactic]
    with CoqEnv(tactic_timeout=2) as env:
        res = best_first(env, thm, FixedTactics(), Budget(30, 5))
    assert res.proved and res.proof == ("auto with mydb",), res
    assert res.assumptions == ("key",)


@pytest.mark.skipif(shutil.which("coqtop") is None, reason="coqtop not installed")
def test_the_files_own_tactics_are_tried() -> None:
    """A library's automation also lives in the tactics it defines (`order.` proves
    `OrderedType.lt_le_trans`); a tactic with parameters is not guessed."""
    from provers.itp.env.coq import CoqEnv

    prelude = ("Parameter P : nat -> Prop.\nAxiom key : forall n, P n.\nLtac close := apply key.\n"
               "Ltac with_arg n := exact (key n).\n(* Ltac commented := idtac. *)\n")
    thm = Theorem("p3", "Lemma p3 : P 3.", prelude=prelude)
    tactics = [c.tactic for c in FixedTactics().candidates(thm, STATE)]
    assert tactics[4] == "close" and not [t for t in tactics if "with_arg" in t or "commented" in t], tactics[:8]
    with CoqEnv(tactic_timeout=2) as env:
        res = best_first(env, thm, FixedTactics(), Budget(30, 5))
    assert res.proved and res.proof == ("close",), res


STAR = ("Inductive star : nat -> nat -> Prop :=\n| refl n : star n n\n| step n m : star (S n) m -> star n m.\n"
        "#[global] Hint Constructors star : core.\n")


@pytest.mark.skipif(shutil.which("coqtop") is None, reason="coqtop not installed")
def test_rule_induction_on_the_first_hypothesis_is_tried() -> None:
    """`induction 1` keeps the premises after the first hypothesis in the induction hypothesis
    (how the library proves `Between.between_restr`); `induction` on a named variable does not
    prove this in one step. Offered only when the goal is an implication."""
    from provers.itp.env.coq import CoqEnv

    thm = Theorem("star_trans", "Lemma star_trans : forall a b, star a b -> forall c, star b c -> star a c.", prelude=STAR)
    state = ProofState("1 goal\n============================\nforall a b : nat, star a b -> forall c : nat, star b c -> star a c")
    assert "induction 1; auto" in [c.tactic for c in FixedTactics().candidates(thm, state)]
    assert not [c for c in FixedTactics().candidates(THM, STATE) if c.tactic.startswith("induction 1")]
    with CoqEnv(tactic_timeout=2) as env:
        res = best_first(env, thm, FixedTactics(), Budget(30, 1))
    assert res.proved and res.proof == ("induction 1; auto",), res


class _Broken:
    name = "broken"

    def generate(self, prompts, params):  # type: ignore[no-untyped-def]
        raise RuntimeError("server went away")


@pytest.mark.skipif(shutil.which("coqtop") is None, reason="coqtop not installed")
def test_a_failing_model_is_a_search_failure_not_a_crash() -> None:
    from provers.itp.env.coq import CoqEnv

    with CoqEnv(tactic_timeout=1) as env:
        res = best_first(env, THM, LLMTactics(_Broken()), Budget(20, 3))
    assert res.status == "failed" and "server went away" in res.message


@pytest.mark.llm
def test_llm_candidates_are_clean_tactics(smollm: Generator) -> None:
    llm = LLMTactics(smollm, n=4, max_tokens=24)
    assert "n + 0 = n" in llm.prompt(THM, STATE)
    cands = llm.candidates(THM, STATE)
    tactics = [c.tactic for c in cands]
    assert len(tactics) == len(set(tactics))
    for c in cands:  # whatever the model wrote, only single safe tactics come out
        assert clean_tactic(c.tactic) == c.tactic
    assert all(a.logprob >= b.logprob for a, b in zip(cands, cands[1:], strict=False))
