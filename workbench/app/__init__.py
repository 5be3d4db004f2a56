"""The application layer: the user surfaces built on the parts and the kernel.

`cli` (the ``workbench`` command and ``demo``), `repl` (the interactive session), `batch`
(job files and the job kinds that name each part's functions), `models` (``workbench models``)
and `serve` (the OpenAI-compatible server). This is the only layer that imports the parts
(`provers`, `typeinfer`, `rulecheck`, `causal`); the parts and the kernel (the rest of
`workbench`) never import it. See docs/ARCHITECTURE.md.
"""
