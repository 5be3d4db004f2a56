"""The disk cache: identical results without calling the model again, safe across processes."""

from __future__ import annotations

import multiprocessing
from collections.abc import Sequence
from pathlib import Path

import pytest

from workbench.llm import Completion, Generator, SamplingParams, load_generator
from workbench.llm.cache import CachedGenerator
from workbench.llm.replay import ReplayGenerator


class Counting:
    """Pass-through to a real generator, counting the prompts that reach it."""

    def __init__(self, inner: Generator) -> None:
        self.inner = inner
        self.name = inner.name
        self.prompts: list[str] = []

    def generate(self, prompts: Sequence[str], params: SamplingParams) -> list[list[Completion]]:
        self.prompts += prompts
        return self.inner.generate(prompts, params)


@pytest.mark.llm
def test_second_run_is_served_from_disk_identically(smollm: Generator, tmp_path: Path) -> None:
    model = Counting(smollm)
    params = SamplingParams(n=2, temperature=0.9, max_tokens=8, seed=7)
    first = CachedGenerator(model, tmp_path / "c.sqlite").generate(["a", "b"], params)
    again_gen = CachedGenerator(model, tmp_path / "c.sqlite")  # a fresh process would do the same
    again = again_gen.generate(["b", "a"], params)
    assert model.prompts == ["a", "b"]
    assert again == [first[1], first[0]]  # text, finish reason, log-probs, token counts
    assert (again_gen.hits, again_gen.misses) == (2, 0)
    # any change of the sampling parameters is a different entry
    again_gen.generate(["a"], SamplingParams(n=2, temperature=0.9, max_tokens=8, seed=8))
    assert model.prompts == ["a", "b", "a"]


def test_only_misses_reach_the_model(tmp_path: Path) -> None:
    model = Counting(ReplayGenerator({p: [p.upper()] for p in "abcd"}))
    gen = CachedGenerator(model, tmp_path / "c.sqlite")
    gen.generate(["a", "b"], SamplingParams())
    out = gen.generate(["a", "c", "b", "d"], SamplingParams())
    assert [cs[0].text for cs in out] == ["A", "C", "B", "D"]
    assert model.prompts == ["a", "b", "c", "d"]


def test_load_generator_cache_option(tmp_path: Path) -> None:
    rec = tmp_path / "r.jsonl"
    rec.write_text('{"prompt": "p", "completions": ["q"]}\n')
    gen = load_generator(f"replay:{rec}", cache=str(tmp_path / "c.sqlite"))
    assert isinstance(gen, CachedGenerator) and gen.name == "replay:r.jsonl"
    assert gen.generate(["p"], SamplingParams())[0][0].text == "q"


def _fill(args: tuple[str, int]) -> int:
    path, worker = args
    gen = CachedGenerator(ReplayGenerator({f"p{i}": [f"c{i}"] for i in range(200)}), path)
    for i in range(0, 200, 10):
        gen.generate([f"p{j}" for j in range(i, i + 10)], SamplingParams(seed=worker % 2))
    return gen.misses


def test_concurrent_processes_share_one_cache(tmp_path: Path) -> None:
    path = str(tmp_path / "c.sqlite")
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(4) as pool:
        misses = pool.map(_fill, [(path, w) for w in range(4)])
    assert sum(misses) >= 400  # two parameter sets × 200 prompts, each computed at least once
    gen = CachedGenerator(ReplayGenerator({}), path)
    out = gen.generate([f"p{i}" for i in range(200)], SamplingParams(seed=1))
    assert [cs[0].text for cs in out] == [f"c{i}" for i in range(200)] and gen.misses == 0
