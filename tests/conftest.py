"""Shared fixtures: where the real data lives, and skips that say why."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.data import shared_data_dir
from workbench.llm import Generator, LLMError, load_generator


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The shared data folder (``../shared/data``); tests that need it skip when it is absent."""
    root = shared_data_dir()
    if root is None:
        pytest.skip("shared data folder ../shared/data not found (set WORKBENCH_DATA)")
    return root


@pytest.fixture(scope="session")
def smollm() -> Generator:
    """SmolLM2-135M through llama.cpp, loaded once for every part's real-model tests.

    Skips, saying how to install it, when the GGUF is absent.
    """
    try:
        return load_generator("gguf:smollm2-135m")
    except LLMError as exc:
        pytest.skip(f"{exc} (scripts/setup.sh installs it)")
