"""Neurosym Workbench: language in, formal objects out, symbolic backends decide.

The `workbench` package has two layers. Its top level is the kernel every part imports: errors,
spans, result logs and the batch executors (`jobs`), configuration, data paths and the
LLM-as-parser layer (`workbench.llm`); it imports nothing else of ours. `workbench.app` is the
application built on the parts: the CLI, the REPL, job files, ``models`` and the server.
Importing it is cheap; heavy dependencies load inside the adapters that need them.
"""

__version__ = "0.1.0"
