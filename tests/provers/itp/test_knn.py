"""Traced proofs (real coqtop over a real stdlib file) and the k-NN tactic generator on them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from provers.itp.corpus.coq import coq_theories
from provers.itp.env.base import ProofState, Theorem
from provers.itp.env.coq import CoqEnv
from provers.itp.knn import KnnModel, KnnTactics, adapt, features
from provers.itp.search import Budget, best_first
from provers.itp.trace import read_trace, trace_files
from provers.itp.vernac import clean_tactic

pytestmark = pytest.mark.skipif(shutil.which("coqtop") is None, reason="coqtop not installed (apt-get install coq)")


@pytest.fixture(scope="module")
def bool_trace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("trace") / "trace.jsonl"
    seen: list[tuple[str, int, str]] = []
    n = trace_files([("Coq.Bool.Bool", str(coq_theories() / "Bool" / "Bool.v"))], out, on_file=lambda *a: seen.append(a))
    assert n == 1 and seen[0][0] == "Coq.Bool.Bool" and not seen[0][2], seen
    return out


def test_trace_records_states_and_tactics_and_resumes(bool_trace: Path) -> None:
    steps, done = read_trace(bool_trace)
    assert done["Coq.Bool.Bool"]["steps"] == len(steps) > 100
    first = steps[0]
    assert first.theorem == "bool_dec" and first.tactic == "decide equality" and "forall b1 b2 : bool" in first.goals
    assert all(clean_tactic(s.tactic) == s.tactic for s in steps)  # every step is one the search may run
    # bullets are sentences of their own: the state recorded is the focused goal
    assert any(s.goals.startswith("1 goal") for s in steps if s.index > 0)
    size = bool_trace.stat().st_size
    assert trace_files([("Coq.Bool.Bool", "/nonexistent.v")], bool_trace) == 0  # finished files are skipped
    assert bool_trace.stat().st_size == size
    with bool_trace.open("a") as fh:
        fh.write('{"step": {"file": "Coq.Cut"')  # a line cut by a kill: ignored
    assert len(read_trace(bool_trace)[0]) == len(steps)
    assert json.loads(bool_trace.read_text().splitlines()[0])["step"]["file"] == "Coq.Bool.Bool"


def test_knn_predicts_the_tactic_of_a_seen_state_and_adapts_names(bool_trace: Path) -> None:
    steps, _ = read_trace(bool_trace)
    model = KnnModel.fit(steps)
    hits = sum(model.predict(s.goals, n=1)[0][0] == " ".join(s.tactic.split()) for s in steps[:40] if model.predict(s.goals, n=1))
    assert hits >= 20, hits  # a state seen in training mostly gets its own tactic back
    assert "c:_v" in features("1 goal\nb : bool\n============================\nnegb (negb b) = b")
    assert adapt("destruct b; reflexivity", {"b": "bool"}, {"x": "bool"}) == "destruct x; reflexivity"


def test_adapt_maps_a_hypothesis_to_the_one_of_most_similar_type() -> None:
    source = {"x": "U", "H'0": "In U (Add U A x) y"}
    # no hypothesis of exactly that type: the closest one (Jaccard >= 0.5) takes its place
    assert adapt("elim H'0", source, {"z": "U", "H": "In U (Add U A z) y", "K": "z <> y"}) == "elim H"
    # two equally close ones: a guess, so no tactic; none close enough: no tactic
    assert adapt("elim H'0", source, {"H1": "In U (Add U A z) y", "H2": "In U (Add U A w) y"}) is None
    assert adapt("elim H'0", source, {"H": "n <= m"}) is None


def test_knn_generator_proves_a_new_bool_lemma(bool_trace: Path) -> None:
    steps, _ = read_trace(bool_trace)
    gen = KnnTactics(KnnModel.fit(steps), tactics=("intros",), cheap=1)
    thm = Theorem("negb_invol", "Lemma negb_invol : forall x : bool, negb (negb x) = x.")
    with CoqEnv(tactic_timeout=2) as env:
        res = best_first(env, thm, gen, Budget(60, 10))
    assert res.proved and res.rechecked, res
    root = ProofState("1 goal\n============================\nforall x : bool, negb (negb x) = x")
    assert len(gen.candidates(thm, root)) > 2
