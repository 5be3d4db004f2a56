"""Fixtures of the LLM layer's tests: the real SmolLM2 GGUF generator, loaded once."""

from __future__ import annotations

import pytest

from workbench.llm import Generator, LLMError, load_generator


@pytest.fixture(scope="session")
def smollm() -> Generator:
    """SmolLM2-135M through llama.cpp; skips (saying how to install it) when absent."""
    try:
        return load_generator("gguf:smollm2-135m")
    except LLMError as exc:
        pytest.skip(f"{exc} (scripts/setup.sh installs it)")
