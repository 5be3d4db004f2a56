"""Ancestral sampling from a full causal model: synthetic observational data sets.

Latent variables are sampled and then dropped, so the data look like what a study would
record. `sample_csv` writes the CSV a model file's ``data:`` key reads back.

>>> from causal.model import load_model
>>> rows = sample(load_model("frontdoor"), 5, seed=0)
>>> rows.variables, rows.array.shape
(('S', 'T', 'C'), (5, 3))
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from causal.data import Samples
from causal.errors import CausalError
from causal.model import CausalModel


def sample(model: CausalModel, n: int, seed: int = 0, *, include_latents: bool = False) -> Samples:
    """Draw ``n`` joint samples (state indices) by ancestral sampling.

    Raises
    ------
    CausalError
        When the model has no mechanisms to sample from.
    """
    if not model.has_mechanisms:
        raise CausalError("sampling needs every mechanism (CPT)", where=model.name)
    rng = np.random.default_rng(seed)
    drawn: dict[str, np.ndarray] = {}
    for v in model.variables:
        cpt = model.cpts[v]
        rows = cpt[tuple(drawn[p] for p in model.parents[v])] if model.parents[v] else np.broadcast_to(cpt, (n, cpt.shape[-1]))
        cum = np.cumsum(rows, axis=-1)
        u = rng.random(n)[:, None] * cum[:, -1:]
        drawn[v] = np.minimum((u >= cum).sum(axis=-1), cpt.shape[-1] - 1)
    cols = model.variables if include_latents else model.observed
    return Samples(tuple(cols), np.stack([drawn[v] for v in cols], axis=1))


def sample_csv(model: CausalModel, path: str | Path, n: int, seed: int = 0) -> Path:
    """Write ``n`` observational samples (domain values, latents dropped) to a CSV file."""
    s = sample(model, n, seed)
    path = Path(path)
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(s.variables)
        doms = [model.domains[v] for v in s.variables]
        for row in s.array:
            w.writerow([d[i] for d, i in zip(doms, row, strict=True)])
    return path
