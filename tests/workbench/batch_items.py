"""Per-item functions for the executor tests: each misbehaves in one way a real part can.

They run in worker processes (imported there by name), so they live in a module of their own.
"""

from __future__ import annotations

import os
import signal
import time
from typing import Any


def square(item: dict[str, Any], pause: float = 0.0) -> dict[str, Any]:
    """The plain case: a row computed from the item."""
    time.sleep(pause)
    return {"value": item["n"] ** 2}


def crash_on(item: dict[str, Any], bad: str = "") -> dict[str, Any]:
    """Kill its own process (as the OOM killer or a segfaulting binding would) on item ``bad``."""
    if item["id"] == bad:
        os.kill(os.getpid(), signal.SIGKILL)
    return {"value": item["n"]}


def hang_on(item: dict[str, Any], bad: str = "") -> dict[str, Any]:
    """Never finish item ``bad`` (a prover that loops)."""
    while item["id"] == bad:
        time.sleep(0.05)
    return {"value": item["n"]}


def odd_values(item: dict[str, Any]) -> dict[str, Any]:
    """A row holding something pickle cannot carry (a generator) and something JSON cannot (a set)."""
    return {"gen": (i for i in range(3)), "tags": {"a"}, "ok": item["n"] % 2 == 0}


def boom(item: dict[str, Any]) -> dict[str, Any]:
    raise ValueError(f"no answer for {item['id']}")
