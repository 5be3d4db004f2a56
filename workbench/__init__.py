"""Neurosym Workbench: language in, formal objects out, symbolic backends decide.

The `workbench` package is the shell every part plugs into: the CLI, the LLM-as-parser
layer (`workbench.llm`), configuration, result logs for long runs and shared value types.
Importing it is cheap; heavy dependencies load inside the adapters that need them.
"""

__version__ = "0.1.0"
