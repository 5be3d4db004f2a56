"""Shared fixtures: where the real data lives, and skips that say why."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.data import shared_data_dir


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The shared data folder (``../shared/data``); tests that need it skip when it is absent."""
    root = shared_data_dir()
    if root is None:
        pytest.skip("shared data folder ../shared/data not found (set WORKBENCH_DATA)")
    return root
