"""LeanDojo environment: runs where a Lean toolchain is installed, explains itself elsewhere."""

from __future__ import annotations

import os

import pytest

from provers.itp.env.base import ProofFinished, ProofState, Theorem
from provers.itp.env.leandojo import LeanDojoEnv, available
from provers.itp.errors import AssistantError

REASON = available()


@pytest.mark.skipif(REASON is None, reason="a Lean toolchain is installed here")
def test_without_lean_open_says_what_to_install() -> None:
    env = LeanDojoEnv("https://github.com/yangky11/lean4-example", "main")
    with pytest.raises(AssistantError, match="lake|lean-dojo"):
        env.open(Theorem("hello_world", "", file="Lean4Example.lean"))


@pytest.mark.skipif("LEAN_EXAMPLE_REPO" not in os.environ, reason="set LEAN_EXAMPLE_REPO to a lean4-example checkout or URL")
@pytest.mark.skipif(REASON is not None, reason=str(REASON))
def test_lean4_example_hello_world() -> None:
    env = LeanDojoEnv(os.environ["LEAN_EXAMPLE_REPO"], os.environ.get("LEAN_EXAMPLE_COMMIT", "main"))
    with env:
        s = env.open(Theorem("hello_world", "", file="Lean4Example.lean"))
        assert isinstance(s, ProofState) and "⊢" in s.goals
        out = env.run(s, "rw [Nat.add_comm b, ← Nat.add_assoc]")
        assert isinstance(out, ProofFinished | ProofState)
