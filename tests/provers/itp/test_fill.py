"""`workbench prove file`: unfinished lemmas of a real Coq file proved and written back, coqc-checked."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(shutil.which("coqtop") is None, reason="coqtop not installed (apt-get install coq)")

SRC = """Require Import List Arith.
Import ListNotations.

Lemma plus_zero : forall n, n + 0 = n.
Proof.
  intros n. admit.
Admitted.

(* false: stays as it is *)
Lemma hard : forall n, n * n = n.
Admitted.

Lemma app_nil : forall (A : Type) (l : list A), l ++ [] = l.
Admitted.

Lemma uses_it : forall (A : Type) (l : list A), (l ++ []) ++ [] = l.
Proof. intros. rewrite app_nil. apply app_nil. Qed.
"""


def test_prove_file_writes_back_checked_proofs(tmp_path: Path) -> None:
    path = tmp_path / "Small.v"
    path.write_text(SRC)
    out = subprocess.run([sys.executable, "-m", "workbench.app.cli", "prove", "file", str(path), "--seconds", "20",
                          "--no-hammer"], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "2 of 3 proofs written" in " ".join(out.stdout.split()) and "the file compiles" in out.stdout
    new = path.read_text()
    assert (tmp_path / "Small.v.orig").read_text() == SRC
    assert new.count("Admitted.") == 1 and "Lemma hard : forall n, n * n = n.\nAdmitted." in new
    assert "admit." not in new and new.count("Qed.") == 3
    assert subprocess.run(["coqc", "-q", "Small.v"], cwd=tmp_path, capture_output=True).returncode == 0


def test_prove_file_without_holes_and_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "Done.v"
    path.write_text("Lemma t : True. Proof. exact I. Qed.\n")
    out = subprocess.run([sys.executable, "-m", "workbench.app.cli", "prove", "file", str(path)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and "no Admitted proofs" in out.stdout
    out = subprocess.run([sys.executable, "-m", "workbench.app.cli", "prove", "file", str(tmp_path / "nope.v")], capture_output=True, text=True, timeout=120)
    assert out.returncode != 0 and "no such file" in out.stderr and "Traceback" not in out.stderr


def test_a_proof_citing_the_lemma_itself_is_not_written(tmp_path: Path) -> None:
    """``exact app_nil_r`` closes the user's ``app_nil_r`` only through another copy (here List's):
    the search finds it, coqc would accept it, but it is not written back (for a copy of a stdlib
    file, that other copy is the very lemma, loaded by CoqHammer's imports)."""
    from provers.itp.fill import fill_file
    from provers.itp.generator import FixedTactics
    from provers.itp.search import Budget

    path = tmp_path / "Copy.v"
    path.write_text("Require Import List.\n\nLemma app_nil_r : forall (A : Type) (l : list A), l ++ nil = l.\nAdmitted.\n\n"
                    "Lemma easy : True.\nAdmitted.\n")
    report = fill_file(path, FixedTactics(("exact app_nil_r", "exact I")), Budget(20, 10), 5.0)
    assert [r.proved for r in report.results] == [True, True]
    assert report.circular == ("app_nil_r",) and report.written == ("easy",) and report.compiles
    assert "l ++ nil = l.\nAdmitted." in report.text and "exact I." in report.text


def test_a_proof_written_in_a_section_keeps_the_admitted_lemmas_type(tmp_path: Path) -> None:
    """An admitted lemma takes every section variable (``l1 : forall A, Type -> ...``) and the
    rest of the file uses it so; the written proof (``Proof using All.``) keeps that type, so the
    file still compiles and the proof stays written."""
    from provers.itp.fill import fill_file
    from provers.itp.generator import FixedTactics
    from provers.itp.search import Budget

    path = tmp_path / "Sec.v"
    path.write_text("Section S.\nVariable A B : Type.\nLemma l1 : forall x : A, x = x.\nAdmitted.\nEnd S.\n\n"
                    "Lemma use : forall n : nat, n = n.\nProof. exact (l1 nat bool). Qed.\n")
    report = fill_file(path, FixedTactics(("intros; reflexivity",)), Budget(20, 10), 5.0)
    assert report.written == ("l1",) and report.compiles, report.message
    assert "Proof using All.\n  intros; reflexivity.\nQed." in report.text and "Admitted" not in report.text
