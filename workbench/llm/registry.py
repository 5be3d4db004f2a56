"""Model specs → generators: the one place that knows which backend serves which scheme.

A spec is ``<scheme>:<target>``:

========  ==========================================  =====================================
scheme    target                                      backend
========  ==========================================  =====================================
gguf      registry name or path of a ``.gguf`` file   `workbench.llm.gguf` (llama.cpp)
openai    ``<base_url>#<model>`` (``#model`` optional)  `workbench.llm.openai` (HTTP)
vllm      hub id or local folder                      `workbench.llm.vllm` (GPU)
hf        hub id or local folder                      `workbench.llm.hf` (transformers)
replay    a recorded ``.jsonl`` or LINC ``.json``     `workbench.llm.replay`
========  ==========================================  =====================================

Backends register themselves with the `backend` decorator, which rejects a scheme that is
already taken, so adding a backend is one new file, never an edit of a switch.

>>> parse_spec("openai:http://127.0.0.1:8000/v1#qwen")
('openai', 'http://127.0.0.1:8000/v1#qwen')
>>> parse_spec("smollm2-135m")
Traceback (most recent call last):
...
workbench.llm.base.LLMError: model spec 'smollm2-135m': expected <scheme>:<target>, e.g. 'gguf:smollm2-135m'
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any, TypeVar

from workbench.llm.base import Generator, LLMError

#: A backend factory: ``factory(target, **options) -> Generator``.
Factory = Callable[..., Generator]
F = TypeVar("F", bound=Factory)

_BACKENDS: dict[str, Factory] = {}

#: Modules that register a backend when imported (they import their engines lazily).
BACKEND_MODULES = (
    "workbench.llm.gguf",
    "workbench.llm.openai",
    "workbench.llm.vllm",
    "workbench.llm.hf",
    "workbench.llm.replay",
)


def backend(scheme: str) -> Callable[[F], F]:
    """Register ``factory`` as the backend for ``scheme``.

    Raises
    ------
    LLMError
        If another factory already serves ``scheme``.
    """

    def register(factory: F) -> F:
        if scheme in _BACKENDS and _BACKENDS[scheme] is not factory:
            raise LLMError(f"backend scheme {scheme!r} is already registered by {_BACKENDS[scheme]!r}")
        _BACKENDS[scheme] = factory
        return factory

    return register


def schemes() -> list[str]:
    """The registered schemes, after loading every backend module."""
    _load_backends()
    return sorted(_BACKENDS)


def parse_spec(spec: str) -> tuple[str, str]:
    """Split ``"scheme:target"``; a bare name or an unknown shape is an `LLMError`."""
    scheme, sep, target = spec.partition(":")
    if not sep or not scheme.isidentifier() or not target:
        raise LLMError(f"model spec {spec!r}: expected <scheme>:<target>, e.g. 'gguf:smollm2-135m'")
    return scheme, target


def load_generator(spec: str, *, cache: bool | str = False, **options: Any) -> Generator:
    """Build the generator a spec names.

    Parameters
    ----------
    spec:
        ``gguf:smollm2-135m``, ``gguf:/path/model.gguf``, ``openai:http://host:8000/v1#model``,
        ``vllm:<model>``, ``hf:<path-or-id>``, ``replay:<file>``.
    cache:
        ``True`` wraps the generator in the disk cache (`workbench.llm.cache`) in the default
        place; a path string puts the cache database there.
    options:
        Passed to the backend (e.g. ``threads=1`` for gguf, ``concurrency=4`` for openai).

    Raises
    ------
    LLMError
        For a malformed spec, an unknown scheme, or a backend that cannot start.

    Example
    -------
    >>> load_generator("nope:x")
    Traceback (most recent call last):
    ...
    workbench.llm.base.LLMError: model spec 'nope:x': unknown scheme 'nope'; known: gguf, hf, openai, replay, vllm
    """
    scheme, target = parse_spec(spec)
    _load_backends()
    factory = _BACKENDS.get(scheme)
    if factory is None:
        known = ", ".join(sorted(_BACKENDS))
        raise LLMError(f"model spec {spec!r}: unknown scheme {scheme!r}; known: {known}")
    gen = factory(target, **options)
    if cache:
        from workbench.llm.cache import CachedGenerator

        gen = CachedGenerator(gen, None if cache is True else str(cache))
    return gen


def _load_backends() -> None:
    for module in BACKEND_MODULES:
        importlib.import_module(module)
