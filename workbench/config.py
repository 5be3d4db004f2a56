"""Configuration: CLI flags over environment variables over ``workbench.toml`` over defaults.

There is no global settings object: callers resolve the value they need, when they need it,
and pass it on explicitly.

>>> resolve("llm.model", flag="qwen2.5-coder-0.5b", default="smollm2-135m")
'qwen2.5-coder-0.5b'
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from workbench.errors import WorkbenchError


def config_file() -> Path | None:
    """``$WORKBENCH_CONFIG`` if set, else ``./workbench.toml`` if present."""
    env = os.environ.get("WORKBENCH_CONFIG")
    if env:
        return Path(env)
    local = Path.cwd() / "workbench.toml"
    return local if local.exists() else None


def load_config(path: Path | None = None) -> dict[str, Any]:
    """The parsed TOML file, or ``{}`` when there is none.

    Raises
    ------
    WorkbenchError
        When the file exists but is not valid TOML (with the parser's line and column).
    """
    path = path or config_file()
    if path is None or not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise WorkbenchError(f"invalid TOML: {exc}", where=str(path)) from exc


def resolve(name: str, flag: Any = None, default: Any = None, config: dict[str, Any] | None = None) -> Any:
    """Resolve a dotted setting such as ``"llm.model"``.

    Order: ``flag`` (when not None), ``$WORKBENCH_LLM_MODEL``, ``[llm] model`` in the TOML file,
    then ``default``.
    """
    if flag is not None:
        return flag
    env = os.environ.get("WORKBENCH_" + name.upper().replace(".", "_").replace("-", "_"))
    if env is not None:
        return env
    node: Any = load_config() if config is None else config
    for part in name.split("."):
        if not isinstance(node, dict) or part not in node:
            return default
        node = node[part]
    return node


def cache_dir() -> Path:
    """Where models, generation caches and indexes live (``$WORKBENCH_CACHE`` or ``~/.cache/workbench``)."""
    return Path(os.environ.get("WORKBENCH_CACHE", Path.home() / ".cache" / "workbench"))
