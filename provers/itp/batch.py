"""Proving many theorems: one work item per theorem, run by `workbench.jobs` on Ray.

A work item (one line of ``THEOREMS.jsonl``) is either self-contained,
``{"id": ..., "name": ..., "statement": "Lemma ...", "prelude": "Require Import Arith."}``, or
points into a Coq source file, ``{"id": ..., "file": ".../PeanoNat.v", "name": "add_0_r"}``,
in which case the prelude (the file up to the theorem, earlier proofs admitted) is built by
`provers.itp.corpus.coq`. Optional per-item ``"tactics"`` replace the fixed tactic list.

`prove_item` is the function the Ray workers call; it never raises for a bad theorem, a
looping tactic or a dying ``coqtop``: those come back as rows with ``ok: false`` and the reason.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any, TypedDict

from provers.itp.env.base import Theorem
from provers.itp.search import Budget, SearchResult, TacticGenerator

if TYPE_CHECKING:
    from provers.itp.knn import KnnModel
    from provers.itp.retriever import Retriever

#: The function path `workbench.jobs` runs for ``workbench prove batch``.
PROVE_FUNCTION = "provers.itp.batch:prove_item"


def theorem_of(item: dict[str, Any]) -> Theorem:
    """The theorem an item names (self-contained, or by ``file`` and ``name``).

    Raises
    ------
    TheoremError
        When a file-based item names a theorem the file does not contain.
    """
    if item.get("statement"):
        return Theorem.from_json(item)
    if not item.get("file") or not item.get("name"):
        from provers.itp.errors import TheoremError

        raise TheoremError("a theorem item needs 'statement' (and 'name'), or 'file' and 'name'", where=str(item.get("id")))
    from provers.itp.corpus.coq import theorem_from_file

    return theorem_from_file(str(item["file"]), str(item["name"]))


@lru_cache(maxsize=2)
def _load_index(path: str) -> Retriever:
    """An index, loaded once per worker process (a batch runs many theorems per worker)."""
    from provers.itp.retriever import Retriever

    return Retriever.load(path)


#: Generators by name; ``llm:<model spec>`` besides. ``hammer`` and ``oneliner`` are baselines.
GENERATORS = ("fixed", "retrieval", "knn", "hammer", "oneliner")


@lru_cache(maxsize=2)
def _load_knn(path: str, split: str) -> KnnModel:
    """The k-NN model over a trace corpus (its ``split``'s files, or ``all``), once per process."""
    from provers.itp.corpus.base import file_split
    from provers.itp.errors import ItpError
    from provers.itp.knn import KnnModel
    from provers.itp.trace import read_trace

    steps, done = read_trace(path)
    if not done:
        raise ItpError("the knn generator needs traced proofs: run `workbench prove trace` once, or pass --trace", where=path)
    return KnnModel.fit([s for s in steps if split == "all" or file_split(s.file) == split])


def _check_spec(spec: str) -> None:
    from provers.itp.errors import ItpError

    if spec not in GENERATORS and not (spec.startswith("llm:") and spec[4:]):
        raise ItpError(f"unknown generator {spec!r}: use {', '.join(GENERATORS)} or llm:<model>", where="--generator")
    if spec == "hammer":
        from provers.itp.env.coq import hammer_installed

        if not hammer_installed():
            raise ItpError("the hammer baseline needs CoqHammer: apt-get install libcoq-hammer eprover", where="--generator")


def uses_hammer(spec: str, hammer: bool | None) -> bool:
    """Whether a search with generator ``spec`` loads CoqHammer: always for the ``hammer``
    baseline, never for ``oneliner``, else as asked (``None``: when it is installed)."""
    from provers.itp.env.coq import hammer_installed

    if spec == "hammer":
        return True
    if spec == "oneliner":
        return False
    return hammer_installed() if hammer is None else hammer


class EnvLimits(TypedDict, total=False):
    """Keyword arguments of `CoqEnv` that bound time."""

    tactic_timeout: float
    hammer_timeout: float
    automation_timeout: float


def env_limits(spec: str, tactic_timeout: float, seconds: float) -> EnvLimits:
    """The `CoqEnv` time limits for a search with generator ``spec`` and a budget of ``seconds``.

    The ``hammer`` tactic gets the whole budget. The ``oneliner`` baseline is one tactic, so it
    gets the whole budget too. The ``hammer`` baseline (CoqHammer alone) keeps the tactic timeout for
    its ``sauto``: the 1 s cap on CoqHammer's search tactics (`CoqEnv.automation_timeout`,
    rule H6) is this project's search strategy, not part of the baseline it is compared with.

    >>> env_limits("hammer", 3.0, 60.0)
    {'tactic_timeout': 3.0, 'hammer_timeout': 60.0, 'automation_timeout': 3.0}
    >>> env_limits("oneliner", 3.0, 60.0)
    {'tactic_timeout': 60.0, 'hammer_timeout': 60.0}
    """
    limits = EnvLimits(tactic_timeout=max(tactic_timeout, seconds) if spec == "oneliner" else tactic_timeout,
                       hammer_timeout=seconds)
    if spec == "hammer":
        limits["automation_timeout"] = tactic_timeout
    return limits


def check_generator(spec: str, index: str | None = None) -> str | None:
    """The premise index ``spec`` will use, after rejecting a malformed generator spec.

    Callers run it before any work starts (in a batch every item would fail alike).
    ``retrieval`` without an index uses the one `workbench prove index` writes by default; an
    ``llm:`` model is loaded only by the workers, so only its form is checked here.

    Raises
    ------
    ItpError
        For a spec other than ``fixed``, ``retrieval`` or ``llm:<model>``, or ``retrieval``
        with no index given and none built.
    """
    from provers.itp.errors import ItpError
    from provers.itp.retriever import default_index_path

    _check_spec(spec)
    if spec == "retrieval" and not index:
        if not default_index_path().exists():
            raise ItpError("the retrieval generator needs a premise index: run `workbench prove index` "
                           "once, or pass --index", where=str(default_index_path()))
        return str(default_index_path())
    return index


def make_generator(spec: str, item: dict[str, Any] | None = None, index: str | None = None, hammer: bool = False,
                   trace: str | None = None, trace_split: str = "all") -> TacticGenerator:
    """A name of `GENERATORS` or ``llm:<model spec>`` → a tactic generator.

    ``retrieval`` needs ``index``; ``knn`` reads the trace corpus ``trace`` (default: the one
    `workbench prove trace` writes), the files of ``trace_split`` only (``all``, ``train``), and
    adds premise tactics when ``index`` is given; ``hammer`` adds CoqHammer's tactics.
    """
    from provers.itp.generator import (
        COQ_TACTICS,
        FixedTactics,
        HammerAlone,
        LLMTactics,
        OneLiner,
        RetrievalTactics,
    )

    _check_spec(spec)
    tactics = tuple(item["tactics"]) if item and item.get("tactics") else COQ_TACTICS
    if spec == "fixed":
        return FixedTactics(tactics, hammer=hammer)
    if spec == "hammer":
        return HammerAlone()
    if spec == "oneliner":
        return OneLiner()
    retriever = _load_index(index) if index else None
    if spec == "knn":
        from provers.itp.knn import KnnTactics
        from provers.itp.trace import default_trace_path

        return KnnTactics(_load_knn(str(trace or default_trace_path()), trace_split), retriever, tactics=tactics, hammer=hammer)
    if spec == "retrieval":
        if retriever is None:
            from provers.itp.errors import ItpError

            raise ItpError("the retrieval generator needs an index (workbench prove index)")
        return RetrievalTactics(retriever, tactics=tactics, hammer=hammer)
    from workbench.llm import load_generator  # type: ignore[attr-defined]

    return LLMTactics(load_generator(spec.partition(":")[2]), retriever=retriever)


def prove_item(
    item: dict[str, Any],
    generator: str = "fixed",
    seconds: float = 60.0,
    expansions: int = 50,
    tactic_timeout: float = 5.0,
    index: str | None = None,
    hammer: bool | None = None,
    trace: str | None = None,
    trace_split: str = "all",
) -> dict[str, Any]:
    """Prove one theorem item; the row for the result log (``ok`` = proved and re-checked).

    ``hammer``: load CoqHammer and add its tactics (``None``: when it is installed). An item may
    carry its own ``generator``, ``hammer``, ``index``, ``trace`` and ``trace_split`` (a
    side-by-side benchmark interleaves configurations in one batch).
    """
    from provers.itp.env.coq import CoqEnv
    from provers.itp.errors import ItpError
    from provers.itp.search import best_first

    generator = str(item.get("generator") or generator)
    hammer = item.get("hammer", hammer)
    index = item.get("index", index)
    trace = item.get("trace", trace)
    trace_split = str(item.get("trace_split") or trace_split)

    try:
        theorem = theorem_of(item)
        use_hammer = uses_hammer(generator, hammer)
        gen = make_generator(generator, item, index, hammer=use_hammer, trace=trace, trace_split=trace_split)
    except (ItpError, KeyError) as exc:
        res = SearchResult(str(item.get("name", item.get("id"))), "error", message=f"{exc.__class__.__name__}: {exc}")
        return {**res.to_json(), "ok": False, "error": res.message}
    with CoqEnv(hammer=use_hammer, **env_limits(generator, tactic_timeout, seconds)) as env:
        res = best_first(env, theorem, gen, Budget(seconds, expansions))
        restarts = env.restarts
    row = {**res.to_json(), "ok": res.proved, "generator": gen.name, "restarts": restarts}
    if not res.proved:
        row["error"] = f"{res.status}: {res.message}"
    return row
