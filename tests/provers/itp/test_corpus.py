"""The Coq standard library extractor on the real sources, and the LeanDojo Benchmark 4 loader."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from provers.itp.corpus.base import Corpus
from provers.itp.corpus.coq import (
    extract_stdlib,
    split_sentences,
    strip_comments,
    theorem_from_file,
)
from provers.itp.corpus.leandojo import load_corpus
from provers.itp.errors import ItpError, TheoremError

needs_coq = pytest.mark.skipif(shutil.which("coqc") is None, reason="coqc not installed (apt-get install coq)")


def test_sentences_respect_comments_strings_and_bullets() -> None:
    src = 'Lemma a : "x. y" = "x. y". (* b. (* c. *) d. *)\nProof.\n  - auto.\n  + { simpl. }\nQed.'
    got = [" ".join(strip_comments(src[s:e]).split()) for s, e in split_sentences(src)]
    assert got == ['Lemma a : "x. y" = "x. y".', "Proof.", "- auto.", "+ { simpl.", "} Qed."]


@pytest.fixture(scope="module")
def stdlib() -> Corpus:
    if shutil.which("coqc") is None:
        pytest.skip("coqc not installed (apt-get install coq)")
    return extract_stdlib()


def test_stdlib_extraction(stdlib: Corpus) -> None:
    assert len(stdlib.files) > 500 and len(stdlib.premises) > 10000 and len(stdlib.theorems) > 8000
    t = stdlib.theorem("Coq.Lists.List.app_nil_end")
    assert t.statement == "Theorem app_nil_end (l:list A) : l = l ++ [].", t.statement
    # its proof is `symmetry; apply app_nil_r`: the tactic names are not premises, the lemma is
    assert t.premises == ("Coq.Lists.List.app_nil_r",)
    assert "Coq.Init.Prelude" in stdlib.files["Coq.Lists.List"].imports


def test_accessible_premises(stdlib: Corpus) -> None:
    t = stdlib.theorem("Coq.Lists.List.app_nil_end")
    acc = {stdlib.premises[i].full_name for i in stdlib.accessible(t)}
    assert "Coq.Lists.List.app_nil_r" in acc  # earlier in the same file
    assert "Coq.Lists.List.app_assoc" not in acc  # later in the same file
    assert "Coq.Init.Datatypes.app" in acc  # an imported file
    assert not any(n.startswith("Coq.Reals.") for n in acc)  # not imported


def test_splits_are_deterministic_and_disjoint(stdlib: Corpus) -> None:
    train, test = stdlib.split_by_theorem()
    assert 0.05 < len(test) / len(stdlib.theorems) < 0.15
    assert not {(t.file, t.name) for t in train} & {(t.file, t.name) for t in test}
    assert [t.name for t in stdlib.split_by_theorem()[1]] == [t.name for t in test]
    ftrain, ftest = stdlib.split_by_file()
    assert ftest and not {t.file for t in ftrain} & {t.file for t in ftest}


@needs_coq
def test_theorem_from_file_prelude() -> None:
    from provers.itp.corpus.coq import coq_theories

    path = coq_theories() / "Lists" / "List.v"
    thm = theorem_from_file(str(path), "app_assoc")
    assert thm.statement.startswith("Theorem app_assoc (l m n:list A)")
    assert "Theorem app_nil_r (l:list A) : l ++ [] = l. Proof using . Admitted." in thm.prelude
    assert "app_assoc_reverse" not in thm.prelude
    assert thm.epilogue == "End Facts."
    with pytest.raises(TheoremError, match="no theorem named"):
        theorem_from_file(str(path), "no_such_theorem")


def test_prelude_admits_with_the_section_variables_the_proof_used() -> None:
    """A bare ``Admitted`` in a closed section takes every section variable; later sentences of
    ``Permutation.v`` then fail (``symmetry in HP`` meets an extra ``Type``). With the
    ``Proof using`` Coq suggests, the prelude of a late theorem replays in coqc."""
    from provers.itp.corpus.coq import coq_theories
    from provers.itp.fill import compile_ok

    thm = theorem_from_file(str(coq_theories() / "Sorting" / "Permutation.v"), "Permutation_nth_error")
    assert "Proof using . Admitted." in thm.prelude
    ok, msg = compile_ok(f"{thm.prelude}\n{thm.statement}\nAdmitted.\n{thm.epilogue}\n", "Permutation.v")
    assert ok, msg


@needs_coq
def test_prelude_admits_instance_proofs_that_need_the_library_itself() -> None:
    """``Morphisms.v`` proves ``respectful_morphism`` with a setoid ``rewrite``, which looks its
    classes up under ``Coq.Classes.Morphisms``, not under the prelude's copy: replayed, it failed
    ("Setoid library not loaded") and no later theorem of the file could be tried. Admitted like
    a lemma's ``Qed`` proof, the prelude of the file's last theorem replays in coqc; an
    instance defined by ``Program`` (its obligations) is left as it is."""
    from provers.itp.corpus.coq import coq_theories
    from provers.itp.fill import compile_ok

    thm = theorem_from_file(str(coq_theories() / "Classes" / "Morphisms.v"), "StrictOrder_PartialOrder")
    assert "(@respectful A B). Admitted." in " ".join(thm.prelude.split())
    assert "Program Instance respectful_per `(PER A R, PER B R') : PER (R ==> R').\n" in thm.prelude
    ok, msg = compile_ok(f"{thm.prelude}\n{thm.statement}\nAdmitted.\n{thm.epilogue}\n", "Morphisms.v")
    assert ok, msg


@needs_coq
def test_a_module_constrained_with_module_is_opened_and_closed() -> None:
    """``Module MakeWithLeibniz (X: ...) <: SWithLeibniz with Module E := X.`` opens a module (the
    ``:=`` is the constraint's): its theorems are qualified by it and the epilogue closes it; when
    the ``:=`` was read as a body, nothing was closed and coqc refused the file."""
    from provers.itp.corpus.coq import coq_theories
    from provers.itp.fill import compile_ok

    thm = theorem_from_file(str(coq_theories() / "MSets" / "MSetList.v"), "eq_leibniz")
    assert thm.name == "MakeWithLeibniz.eq_leibniz" and thm.epilogue == "End MakeWithLeibniz."
    ok, msg = compile_ok(f"{thm.prelude}\n{thm.statement}\nAdmitted.\n{thm.epilogue}\n", "MSetList.v")
    assert ok, msg


def test_leandojo_benchmark_loader(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("\n".join(json.dumps(d) for d in [
        {"path": "Mathlib/Init.lean", "imports": [], "premises": [
            {"full_name": "Nat.add_zero", "code": "theorem Nat.add_zero (n : Nat) : n + 0 = n", "start": [3, 1], "end": [3, 40], "kind": "commanddeclaration"}]},
        {"path": "Mathlib/Foo.lean", "imports": ["Mathlib/Init.lean"], "premises": [
            {"full_name": "Foo.bar", "code": "lemma Foo.bar : True", "start": [5, 1], "end": [5, 20], "kind": "commanddeclaration"},
            {"full_name": "Foo.baz", "code": "lemma Foo.baz : True", "start": [30, 1], "end": [30, 20], "kind": "commanddeclaration"}]},
    ]) + "\n")
    split = tmp_path / "test.json"
    split.write_text(json.dumps([{
        "url": "https://example.org/repo", "commit": "abc", "file_path": "Mathlib/Foo.lean", "full_name": "Foo.qux",
        "start": [10, 1], "end": [12, 5],
        "traced_tactics": [
            {"tactic": "rw [Nat.add_zero]", "annotated_tactic": ["rw [<a>Nat.add_zero</a>]", [
                {"full_name": "Nat.add_zero", "def_path": "Mathlib/Init.lean", "def_pos": [3, 9], "def_end_pos": [3, 21]}]],
             "state_before": "n : Nat\n⊢ n + 0 = n", "state_after": "no goals"}],
    }]))
    c = load_corpus(corpus, split)
    assert str(c) == "2 files, 3 premises, 1 theorems"
    (t,) = c.theorems
    assert t.premises == ("Mathlib/Init.lean.Nat.add_zero",) and t.statement.endswith("⊢ n + 0 = n")
    acc = {c.premises[i].name for i in c.accessible(t)}
    assert acc == {"Nat.add_zero", "Foo.bar"}  # Foo.baz comes after the theorem
    (tmp_path / "bad.jsonl").write_text('{"path": "x"}\n{oops\n')
    with pytest.raises(ItpError, match="bad.jsonl:2"):
        load_corpus(tmp_path / "bad.jsonl")


def test_corpus_jsonl_round_trip(tmp_path: Path, stdlib: Corpus) -> None:
    small = stdlib.restrict(["Bool"])
    small.save(tmp_path / "c.jsonl")
    back = Corpus.load(tmp_path / "c.jsonl")
    assert back.premises == small.premises and back.theorems == small.theorems
    assert back.files == small.files


@needs_coq
def test_a_proof_ending_in_an_ellipsis_ends_where_coq_ends_it() -> None:
    """``tac...`` ends a sentence in Coq (`Proof with`'s terminator). Read as part of the next
    sentence, ``Defined.`` in ``OrderedType.v``'s ``MOT_to_OT.eq_dec`` was never seen: the
    proof ran on through ``End MOT_to_OT.``, every later theorem of the file was qualified by the
    wrong module, and the prelude lost two declarations (coqc: "lt_compat was not found")."""
    from provers.itp.corpus.coq import coq_theories
    from provers.itp.fill import compile_ok

    src = "Lemma a : True /\\ True.\nProof with auto.\n split...\nDefined.\nEnd M."
    assert [" ".join(src[s:e].split()) for s, e in split_sentences(src)] == [
        "Lemma a : True /\\ True.", "Proof with auto.", "split...", "Defined.", "End M."]
    thm = theorem_from_file(str(coq_theories() / "Structures" / "OrderedType.v"), "lt_not_gt")
    assert thm.name == "OrderedTypeFacts.lt_not_gt"
    ok, msg = compile_ok(f"{thm.prelude}\n{thm.statement}\nAdmitted.\n{thm.epilogue}\n", "OrderedType.v")
    assert ok, msg
