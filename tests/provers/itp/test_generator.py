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
