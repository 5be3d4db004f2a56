"""Premise corpora: `base` (files, premises, theorems, splits), `coq` (the Coq standard
library extractor) and `leandojo` (LeanDojo Benchmark 4 loader)."""

from provers.itp.corpus.base import Corpus, Premise, SourceFile

__all__ = ["Corpus", "Premise", "SourceFile"]
