"""Causal models: a DAG with latents, finite domains and mechanisms, read from YAML/JSON.

A model knows its variables (in topological order), their parents and domains, which of them
are latent, and either the mechanisms (CPTs, one stochastic matrix per variable, parents'
axes first) or only an observational table (``joint`` or a CSV ``data`` file). `diagram`
builds the string diagram of the model (JKZ's "causal model as a diagram"), optionally with
some mechanisms already cut out by surgery; `graph` gives the ADMG the ID algorithm reads.

Model file (YAML or JSON)::

    name: latent front-door
    variables: {H: [0, 1], S: [0, 1], T: [0, 1], C: [0, 1]}
    latent: [H]
    edges: [H -> S, H -> C, S -> T, T -> C]
    cpts:
      H: [0.6, 0.4]
      S: {given: [H], table: [[0.8, 0.2], [0.3, 0.7]]}
      ...
    # instead of cpts: joint: {variables: [S, T, C], table: [...]}  or  data: samples.csv

Bidirected edges (``S <-> C``) stand for an unnamed latent; such a model has no mechanisms.

>>> m = load_model(EXAMPLES / "frontdoor.yaml")
>>> print(m.diagram(["C"]))
H >> Copy('H', 2) >> H @ S >> H @ T >> Perm(Ty('H', 'T'), (1, 0)) >> C
>>> print(m.graph())
S -> T, T -> C, C <-> S
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from causal.diagram import Box, Copy, Diagram, Discard, Layer, Perm, Point, Ty
from causal.eliminate import DEFAULT_MAX_CELLS
from causal.errors import CausalError, LimitError
from causal.graph import Graph, parse_edges
from causal.semantics import Interpretation, Table, check_stochastic, state_index

if TYPE_CHECKING:
    from causal.infer import Engine

#: The example models shipped with the package.
EXAMPLES = Path(__file__).parent / "examples"


@dataclass(frozen=True, eq=False)
class CausalModel:
    """A causal model over finite variables; build it with `CausalModel.build` to validate."""

    variables: tuple[str, ...]
    domains: Mapping[str, tuple[Any, ...]]
    parents: Mapping[str, tuple[str, ...]]
    latents: frozenset[str] = frozenset()
    bidirected: frozenset[frozenset[str]] = frozenset()
    cpts: Mapping[str, np.ndarray] = field(default_factory=dict)
    data: Table | None = None
    name: str = "model"
    #: The file the model was read from (error messages name it), when there is one.
    source: str | None = None

    @classmethod
    def build(
        cls,
        domains: Mapping[str, Sequence[Any]],
        edges: Sequence[tuple[str, str]] = (),
        *,
        latents: Sequence[str] = (),
        bidirected: Sequence[tuple[str, str]] = (),
        cpts: Mapping[str, Any] | None = None,
        data: Table | None = None,
        name: str = "model",
        source: str | None = None,
    ) -> CausalModel:
        """Validate and build a model.

        ``cpts`` maps a variable to an array of shape ``(|parent1|, ..., |var|)`` with the
        parents in edge order, or to ``{"given": [parents...], "table": array}``.

        Raises
        ------
        CausalError
            Cyclic graph, unknown variable, a CPT of the wrong shape (domain mismatch) or
            not summing to one, bidirected edges together with CPTs.
        """
        doms = {v: tuple(d) for v, d in domains.items()}
        for v, d in doms.items():
            if len(d) == 0:
                raise CausalError(f"variable {v!r} has an empty domain", where=name)
        for v in [*latents, *(x for e in [*edges, *bidirected] for x in e)]:
            if v not in doms:
                raise CausalError(f"unknown variable {v!r} (declare it under 'variables')", where=name)
        graph = Graph(tuple(doms), frozenset(edges), frozenset(frozenset(e) for e in bidirected))
        into: dict[str, list[str]] = {v: [] for v in doms}
        for a, b in edges:  # one pass: munin has 1,041 nodes and 1,397 edges
            into[b].append(a)
        parents = {v: tuple(ps) for v, ps in into.items()}
        order = tuple(graph.topological_order())
        arrays: dict[str, np.ndarray] = {}
        for v, spec in (cpts or {}).items():
            if v not in doms:
                raise CausalError(f"CPT given for unknown variable {v!r}", where=name)
            if isinstance(spec, Mapping):
                given = tuple(spec.get("given", ()))
                if set(given) != set(parents[v]) or len(given) != len(parents[v]):
                    raise CausalError(
                        f"CPT of {v!r} is given {list(given)}, but its parents are {list(parents[v])}",
                        where=name,
                    )
                parents[v], spec = given, spec["table"]
            arr = np.asarray(spec, dtype=float)
            shape = tuple(len(doms[p]) for p in (*parents[v], v))
            if arr.shape != shape:
                if arr.size != int(np.prod(shape)) or arr.ndim != 1:
                    raise CausalError(
                        f"domain mismatch: CPT of {v!r} has shape {arr.shape}, its parents "
                        f"{list(parents[v])} and domain {list(doms[v])} need {shape}",
                        where=name,
                    )
                arr = arr.reshape(shape)
            check_stochastic(v, arr, len(parents[v]), parents[v])
            arrays[v] = arr
        if arrays and bidirected:
            raise CausalError("a model with CPTs must name its latents instead of using '<->'", where=name)
        if arrays and set(arrays) != set(doms):
            missing = sorted(set(doms) - set(arrays))
            raise CausalError(f"no CPT for {missing}", where=name)
        if data is not None:
            hidden = set(data.variables) & set(latents)
            if hidden:
                raise CausalError(f"data mentions latent variables {sorted(hidden)}", where=name)
        return cls(
            order, doms, parents, frozenset(latents),
            frozenset(frozenset(e) for e in bidirected), arrays, data, name, source,
        )

    # --- views ------------------------------------------------------------------------
    @property
    def observed(self) -> tuple[str, ...]:
        return tuple(v for v in self.variables if v not in self.latents)

    @property
    def has_mechanisms(self) -> bool:
        return bool(self.cpts)

    @property
    def where(self) -> str:
        """What error messages name: the model file, else the model's name."""
        return self.source or self.name

    @cached_property
    def engine(self) -> Engine:
        """The exact-inference engine of this model, with its plan and message caches."""
        from causal.infer import Engine

        return Engine(self)

    def check_variable(self, v: str, *, observed: bool = False) -> str:
        """Return ``v`` or raise `CausalError` naming it (and what exists) and the model."""
        if v not in self.domains:
            raise CausalError(f"unknown variable {v!r}; the model has {list(self.variables)}", where=self.where)
        if observed and v in self.latents:
            raise CausalError(f"variable {v!r} is latent", where=self.where)
        return v

    def check_value(self, v: str, value: Any) -> int:
        """The index of ``value`` in the domain of ``v``; `CausalError` naming the model if absent."""
        self.check_variable(v)
        try:
            return state_index(v, self.domains[v], value)
        except CausalError as exc:
            raise CausalError(exc.what, where=self.where) from None

    def graph(self) -> Graph:
        """The ADMG over the observed variables (latent projection plus declared ``<->``)."""
        edges = [(p, v) for v in self.variables for p in self.parents[v]]
        proj = Graph.project(self.variables, edges, self.latents)
        return Graph(proj.nodes, proj.directed, proj.bidirected | self.bidirected)

    def interpretation(self) -> Interpretation:
        """Where the interpretation functor sends wires and mechanism boxes."""
        return Interpretation(self.domains, self.cpts)

    def observational(self, variables: Sequence[str] | None = None, *, max_cells: int = DEFAULT_MAX_CELLS) -> Table:
        """The observational joint over ``variables`` (default: all observed ones), from the
        data or computed from the mechanisms (only the ancestors of ``variables`` are used)."""
        obs = tuple(self.observed if variables is None else variables)
        if self.data is not None:
            return self.data if variables is None else self.data.marginal(obs)
        if not self.has_mechanisms:
            raise CausalError("the model has neither CPTs nor data", where=self.where)

        cells = math.prod(len(self.domains[v]) for v in obs)
        if cells > max_cells:
            raise LimitError(f"the observed joint over {len(obs)} variables", cells, max_cells, where=self.where)
        return self.engine.table(list(obs), {}, {}, max_cells=max_cells)

    # --- syntax -----------------------------------------------------------------------
    def diagram(self, outputs: Sequence[str] | None = None, do: Mapping[str, Any] | None = None) -> Diagram:
        """The string diagram of the part of the model that ``outputs`` depend on.

        Only the ancestors of ``outputs`` are drawn (the others would be discarded and
        contribute a factor one). ``do`` maps variables to a value (``X=x``: its mechanism
        is replaced by a point state) or to ``None`` (``do(X)``: the wire becomes an input of
        the diagram, in the order of ``do``) — the same surgery as `causal.surgery.do`,
        applied while building.
        """
        outs = list(self.observed if outputs is None else outputs)
        do = dict(do or {})
        for v in [*outs, *do]:
            self.check_variable(v)
        if len(set(outs)) != len(outs):
            raise CausalError(f"repeated output variable in {outs}")
        relevant: set[str] = set()
        stack = list(outs)
        while stack:
            v = stack.pop()
            if v not in relevant:
                relevant.add(v)
                stack += [] if v in do else self.parents[v]
        order = [v for v in self.variables if v in relevant]
        uses = Counter(outs)
        for v in order:
            uses.update([] if v in do else self.parents[v])
        opened = [v for v, x in do.items() if x is None]
        wires, layers = list(opened), []
        for v in opened:
            if uses[v] == 0:
                pos = wires.index(v)
                layers.append(Layer(Ty(*wires[:pos]), Discard(v), Ty(*wires[pos + 1 :])))
                del wires[pos]
        for v in order:
            if v in do:
                if do[v] is not None:
                    layers.append(Layer(Ty(*wires), Point(v, do[v]), Ty()))
                    wires.append(v)
                continue
            layers += _feed(wires, self.parents[v], uses)
            k = len(wires) - len(self.parents[v])
            layers.append(Layer(Ty(*wires[:k]), Box(v, Ty(*self.parents[v]), Ty(v)), Ty()))
            wires[k:] = [v]
        if wires != outs:
            perm = tuple(wires.index(v) for v in outs)
            layers.append(Layer(Ty(), Perm(Ty(*wires), perm), Ty()))
        return Diagram(Ty(*opened), Ty(*outs), tuple(layers))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form, readable by `model_from_dict`."""
        out: dict[str, Any] = {
            "name": self.name,
            "variables": {v: list(self.domains[v]) for v in self.variables},
            "latent": sorted(self.latents),
            "edges": [f"{p} -> {v}" for v in self.variables for p in self.parents[v]]
            + [" <-> ".join(sorted(e)) for e in self.bidirected],
        }
        if self.cpts:
            out["cpts"] = {
                v: {"given": list(self.parents[v]), "table": self.cpts[v].tolist()} for v in self.variables
            }
        if self.data is not None:
            out["joint"] = {"variables": list(self.data.variables), "table": self.data.array.ravel().tolist()}
        return out


def _feed(wires: list[str], parents: Sequence[str], uses: Counter[str]) -> list[Layer]:
    """Layers that copy each parent still needed later and move one copy of each to the end.

    Mutates ``wires`` and ``uses`` to the state after those layers.
    """
    layers = []
    for p in parents:
        pos = wires.index(p)
        if uses[p] > 1:
            layers.append(Layer(Ty(*wires[:pos]), Copy(p), Ty(*wires[pos + 1 :])))
            wires.insert(pos, p)
        uses[p] -= 1
    chosen = [len(wires) - 1 - wires[::-1].index(p) for p in parents]
    rest = [i for i in range(len(wires)) if i not in set(chosen)]
    perm = tuple(rest + chosen)
    if perm != tuple(range(len(wires))):
        layers.append(Layer(Ty(), Perm(Ty(*wires), perm), Ty()))
        wires[:] = [wires[i] for i in perm]
    return layers


def model_from_dict(spec: Mapping[str, Any], where: str = "model", base: Path | None = None) -> CausalModel:
    """Build a model from the parsed YAML/JSON form described in the module docstring.

    Raises
    ------
    CausalError
        Naming the file and the offending key, variable or edge.
    """
    if not isinstance(spec, Mapping) or "variables" not in spec:
        raise CausalError("a model needs a 'variables' mapping (name: [states...])", where=where)
    variables = spec["variables"]
    if isinstance(variables, list):
        variables = {v: [0, 1] for v in variables}
    if not isinstance(variables, Mapping):
        raise CausalError("'variables' must map each name to its list of states", where=where)
    for v, states in variables.items():
        if not isinstance(states, list):
            raise CausalError(f"the states of {v!r} must be a list such as [0, 1], not {states!r}", where=where)
    for key in ("edges", "latent"):
        if not isinstance(spec.get(key, []), list):
            raise CausalError(f"{key!r} must be a list", where=where)
    try:
        directed, bidirected = parse_edges([str(e) for e in spec.get("edges", [])])
    except CausalError as exc:
        raise CausalError(exc.what, where=where) from exc
    data = None
    if "joint" in spec:
        j = spec["joint"]
        jv = [str(v) for v in j["variables"]]
        for v in jv:
            if v not in variables:
                raise CausalError(f"unknown variable {v!r} in 'joint'", where=where)
        data = Table.from_flat(jv, [variables[v] for v in jv], np.ravel(np.asarray(j["table"], dtype=float)))
        if abs(float(data.array.sum()) - 1.0) > 1e-9:
            raise CausalError(f"the joint table sums to {data.array.sum():.6g}, not 1", where=where)
    elif "data" in spec:
        from causal.data import empirical, read_csv

        path = Path(spec["data"])
        path = path if path.is_absolute() or base is None else base / path
        cols = [v for v in variables if v not in set(spec.get("latent", []))]
        doms = [variables[v] for v in cols]
        data = empirical(read_csv(path, cols, doms), doms)
    try:
        return CausalModel.build(
            variables,
            directed,
            latents=[str(v) for v in spec.get("latent", [])],
            bidirected=bidirected,
            cpts=spec.get("cpts"),
            data=data,
            name=str(spec.get("name", where)),
            source=where,
        )
    except CausalError as exc:
        raise CausalError(exc.what, where=where) from exc
    except (TypeError, ValueError) as exc:  # e.g. a CPT entry that is not a number
        raise CausalError(f"malformed 'cpts': {exc}", where=where) from exc


def load_model(path: str | Path) -> CausalModel:
    """Read a model file (``.yaml``/``.yml``/``.json``); a bare name picks a shipped example.

    Example
    -------
    >>> load_model("napkin").observed
    ('Z2', 'Z1', 'X', 'Y')
    """
    if not str(path).strip():
        raise CausalError("no model given: a model file or a shipped example name")
    p = Path(path)
    if not p.exists() and (EXAMPLES / f"{path}.yaml").exists():
        p = EXAMPLES / f"{path}.yaml"
    if not p.exists():
        names = sorted(f.stem for f in EXAMPLES.glob("*.yaml"))
        raise CausalError(f"no such model file (shipped examples: {', '.join(names)})", where=str(path))
    from workbench.data import read_text

    text = read_text(p, CausalError)
    try:
        if p.suffix == ".json":
            spec = json.loads(text)
        else:
            import yaml

            spec = yaml.safe_load(text)
    except json.JSONDecodeError as exc:
        raise CausalError(f"not JSON: {exc.msg}", where=f"{p}:{exc.lineno}:{exc.colno}") from exc
    except Exception as exc:  # a YAML error: one line with the position where the library has one
        mark = getattr(exc, "problem_mark", None)
        where = f"{p}:{mark.line + 1}:{mark.column + 1}" if mark is not None else str(p)
        what = getattr(exc, "problem", None) or str(exc)
        raise CausalError(f"cannot parse model file: {what}", where=where) from exc
    return model_from_dict(spec, where=str(p), base=p.parent)


def model_from_pgmpy(bn: Any, name: str = "pgmpy") -> CausalModel:
    """A model from a pgmpy discrete Bayesian network (all variables observed)."""
    domains, edges, cpts = {}, [], {}
    for cpd in bn.get_cpds():
        v, given = cpd.variable, list(cpd.variables[1:])
        domains[v] = tuple(cpd.state_names[v])
        edges += [(p, v) for p in given]
        cpts[v] = {"given": given, "table": np.moveaxis(np.asarray(cpd.values, dtype=float), 0, -1)}
    return CausalModel.build(domains, edges, cpts=cpts, name=name)


def random_model(graph: Graph, seed: int = 0, card: int = 2, name: str = "random") -> CausalModel:
    """A full model on ``graph`` with random positive CPTs (Dirichlet(1) rows).

    Each bidirected edge ``A <-> B`` becomes a latent ``U_A_B`` with children ``A`` and ``B``,
    so the model's latent projection is ``graph`` again. Used to check identification
    numerically: the estimand on the model's observational joint must equal surgery.

    Example
    -------
    >>> m = random_model(Graph.parse("X -> Y, X <-> Y"), seed=1)
    >>> m.latents, str(m.graph())
    (frozenset({'U_X_Y'}), 'X -> Y, X <-> Y')
    """
    rng = np.random.default_rng(seed)
    latents = [f"U_{'_'.join(sorted(e))}" for e in sorted(graph.bidirected, key=sorted)]
    edges = list(sorted(graph.directed))
    for u, e in zip(latents, sorted(graph.bidirected, key=sorted), strict=True):
        edges += [(u, v) for v in sorted(e)]
    domains = {v: tuple(range(card)) for v in [*latents, *graph.nodes]}
    cpts = {}
    for v in domains:
        parents = [a for a, b in edges if b == v]
        shape = [card] * len(parents)
        cpts[v] = {"given": parents, "table": rng.dirichlet(np.ones(card), size=shape or None)}
    return CausalModel.build(domains, edges, latents=latents, cpts=cpts, name=name)
