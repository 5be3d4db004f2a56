"""Hostile statements, preludes, epilogues and tactics are never "proved" (real coqtop + coqc).

Each item goes through `provers.itp.batch.prove_item`, the function `workbench prove batch`
runs, with tactics that *would* close the goal if the trick worked.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from provers.itp.batch import prove_item
from provers.itp.corpus.coq import coq_theories, theorem_from_file
from provers.itp.env.base import Theorem
from provers.itp.env.coq import CoqEnv
from provers.itp.errors import TacticRejected, TheoremError
from provers.itp.vernac import clean_tactic, parse_statement, sentences

pytestmark = pytest.mark.skipif(shutil.which("coqtop") is None, reason="coqtop not installed (apt-get install coq)")

CLOSERS = ["exact I", "auto", "exact (loop 0)", "exact fermat", "cheat", "admit", "assumption"]

HOSTILE = {
    # the issue's case: three sentences, the last one easy
    "fermat_as_easy": {"name": "easy", "statement": "Lemma fermat : False. Admitted. Lemma easy : True."},
    "fermat_as_fermat": {"name": "fermat", "statement": "Lemma fermat : False. Admitted. Lemma easy : True."},
    "tab_separated": {"name": "fermat", "statement": "Lemma fermat : False.\tAdmitted."},
    "carriage_return": {"name": "fermat", "statement": "Lemma fermat : False.\rAdmitted."},
    "nested_comment_then_more": {"name": "y", "statement": "Lemma x : False (* (* . *) *). Admitted. Lemma y : True."},
    # Coq reads `(* " *) . Admitted. (* " *)` as ONE comment: the statement is `Lemma x : False .`
    "string_inside_comment": {"name": "x", "statement": 'Lemma x : False (* " *) . Admitted. (* " *).'},
    "not_a_lemma": {"name": "x", "statement": "Axiom x : False."},
    "name_mismatch": {"name": "fermat", "statement": "Lemma easy : True."},
    "guard_off": {"name": "x", "statement": "Lemma x : False.",
                  "prelude": "Unset Guard Checking.\nFixpoint loop (n : nat) : False := loop n."},
    "local_guard_off_in_comment_trick": {"name": "x", "statement": "Lemma x : False.",
                                         "prelude": "(* *) Local Unset Guard Checking. Fixpoint loop (n : nat) : False := loop n."},
    "bypass_check": {"name": "x", "statement": "Lemma x : False.",
                     "prelude": "#[bypass_check(guard)] Fixpoint loop (n : nat) : False := loop n."},
    "open_proof_in_prelude": {"name": "easy", "statement": "Lemma easy : True.", "prelude": "Lemma fermat : False."},
    "nested_proofs": {"name": "easy", "statement": "Lemma easy : True.",
                      "prelude": "Set Nested Proofs Allowed.\nLemma fermat : False."},
    "epilogue_axiom": {"name": "easy", "statement": "Lemma easy : True.", "epilogue": "Axiom fermat : False."},
    "ltac_admit": {"name": "x", "statement": "Lemma x : False.", "prelude": "Ltac cheat := admit."},
    "load": {"name": "x", "statement": "Lemma x : False.", "prelude": 'Load "/etc/hostname".'},
    "declare_ml": {"name": "x", "statement": "Lemma x : False.", "prelude": 'Declare ML Module "ltac_plugin".'},
    "unterminated_comment": {"name": "x", "statement": "Lemma x : True. (* Admitted."},
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_items_are_never_proved(case: str) -> None:
    item = {"id": case, "tactics": CLOSERS, **HOSTILE[case]}
    row = prove_item(item, seconds=20, expansions=3, tactic_timeout=2)
    assert not row["ok"] and row["status"] != "proved", row
    assert row["error"], row


def test_redirect_writes_no_file(tmp_path: Path) -> None:
    target = tmp_path / "leak"
    for item in (
        {"id": "r1", "name": "x", "statement": f'Redirect "{target}" Print nat.'},
        {"id": "r2", "name": "x", "statement": "Lemma x : True.", "prelude": f'Redirect "{target}" Print nat.'},
        {"id": "r3", "name": "x", "statement": "Lemma x : True.", "prelude": f'Time Redirect "{target}" Print nat.'},
        {"id": "r4", "name": "x", "statement": f'Lemma x : True. Redirect "{target}" Print nat.'},
    ):
        row = prove_item(item, seconds=10, expansions=2, tactic_timeout=2)
        assert not row["ok"] and any(w in row["error"] for w in ("refused", "one sentence", "must declare a lemma")), row
    assert not list(tmp_path.iterdir())


def test_refusals_name_the_problem_and_line() -> None:
    with CoqEnv() as env, pytest.raises(TheoremError, match=r"prelude line 2: .*Guard Checking.* refused"):
        env.open(Theorem("x", "Lemma x : False.", prelude="Require Import Arith.\nUnset Guard Checking."))
    with pytest.raises(TheoremError, match="must be one sentence, got 3"):
        parse_statement("Lemma fermat : False. Admitted. Lemma easy : True.", "easy")


@pytest.mark.parametrize("tac", ["admit", "exact ltac:(admit)", "abstract admit", "give_up", "auto. Admitted",
                                 "auto (*", 'idtac "', "Unshelve", "exact I.  Qed", "- auto", "Axiom x : False",
                                 "auto... exact I"])
def test_hostile_tactics_refused(tac: str) -> None:
    with pytest.raises(TacticRejected):
        clean_tactic(tac)


def test_recheck_reports_axioms_and_refuses_undeclared_ones() -> None:
    with CoqEnv() as env:
        declared = env.recheck(Theorem("x", "Lemma x : False.", prelude="Axiom fermat : False."), ("exact fermat",))
        assert declared.ok and declared.assumptions == ("fermat",), declared.message
        classic = env.recheck(Theorem("em", "Lemma em : forall P, P \\/ ~ P.", prelude="Require Import Classical."), ("exact classic",))
        assert classic.ok and classic.assumptions == ("classic",), classic.message
        gaveup = env.recheck(Theorem("x", "Lemma x : False.", prelude="Ltac cheat := admit."), ("cheat",))
        assert not gaveup.ok
        smuggled = env.recheck(Theorem("easy", "Lemma fermat : False. Admitted. Lemma easy : True."), ("exact I",))
        assert not smuggled.ok and "one sentence" in smuggled.message


def test_lexer_agrees_with_coq_on_comments_strings_and_dots() -> None:
    assert [s.code for s in sentences('Lemma x : False (* " *) . Admitted. (* " *).')] == ["Lemma x : False ."]
    assert [s.code for s in sentences('Check "a"". b". Check 1.')] == ['Check "a"". b".', "Check 1."]
    assert len(sentences("Notation x := [1 .. 2]. Check x.(f). Check Nat.add.")) == 3
    # `tac...` ends a sentence (Proof with's terminator): coqc runs `idtac...` then `Admitted.`
    assert [s.code for s in sentences("idtac... Admitted.")] == ["idtac...", "Admitted."]


def test_peano_nat_module_lemma_rechecks() -> None:
    """Lemmas inside `Module Nat <: NAxiomsSig` count: the open module loses its signature check."""
    thm = theorem_from_file(str(coq_theories() / "Arith" / "PeanoNat.v"), "pred_0")
    assert thm.name == "Nat.pred_0" and thm.epilogue == "End Nat."
    with CoqEnv() as env:
        check = env.recheck(thm, ("reflexivity",))
    assert check.ok, check.message
