"""Acyclic directed mixed graphs (ADMGs): the causal structure the ID algorithm reads.

A directed edge ``A -> B`` says A is a direct cause of B; a bidirected edge ``A <-> B`` says
they share a hidden common cause. A DAG with latent nodes becomes an ADMG by latent
projection (`Graph.project`). Invariant: the directed part is acyclic (checked on build).

>>> g = Graph.parse("Z2 -> Z1, Z1 -> X, X -> Y, Z2 <-> X, Z2 <-> Y")
>>> print(g)
Z2 -> Z1, Z1 -> X, X -> Y, X <-> Z2, Y <-> Z2
>>> sorted(map(sorted, g.c_components()))
[['X', 'Y', 'Z2'], ['Z1']]
>>> eval(repr(g)) == g
True
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

import networkx as nx

from causal.errors import CausalError

_EDGE = re.compile(r"^\s*([A-Za-z_][\w.]*)\s*(<->|->|<-)\s*([A-Za-z_][\w.]*)\s*$")


@dataclass(frozen=True)
class Graph:
    """An ADMG over ``nodes`` (kept in the order given)."""

    nodes: tuple[str, ...]
    directed: frozenset[tuple[str, str]] = frozenset()
    bidirected: frozenset[frozenset[str]] = frozenset()

    def __post_init__(self) -> None:
        known = set(self.nodes)
        for edge in [*self.directed, *map(tuple, self.bidirected)]:
            for v in edge:
                if v not in known:
                    raise CausalError(f"unknown variable {v!r} in edge {' '.join(edge)}")
        if len(self.topological_order()) < len(self.nodes):
            dag = nx.DiGraph(sorted(self.directed))
            edges = nx.find_cycle(dag)
            cycle = " -> ".join([a for a, _ in edges] + [edges[0][0]])
            raise CausalError(f"the graph is cyclic: {cycle}")

    @classmethod
    def _derived(cls, nodes: tuple[str, ...], directed: frozenset[tuple[str, str]],
                 bidirected: frozenset[frozenset[str]]) -> Graph:
        """A graph made from a checked one by removing nodes or edges: still known and acyclic,
        so it skips `__post_init__` (the ID algorithm makes thousands of them on andes)."""
        g = object.__new__(cls)
        object.__setattr__(g, "nodes", nodes)
        object.__setattr__(g, "directed", directed)
        object.__setattr__(g, "bidirected", bidirected)
        return g

    @cached_property
    def rank(self) -> dict[str, int]:
        """The position of each node in ``nodes`` (the order ties are broken by)."""
        return {v: i for i, v in enumerate(self.nodes)}

    @cached_property
    def _parents(self) -> dict[str, set[str]]:
        into: dict[str, set[str]] = {v: set() for v in self.nodes}
        for a, b in self.directed:
            into[b].add(a)
        return into

    @cached_property
    def _order(self) -> tuple[str, ...]:
        """Kahn's algorithm, the smallest-ranked ready node first (partial if there is a cycle)."""
        children: dict[str, list[str]] = {v: [] for v in self.nodes}
        waiting = {v: 0 for v in self.nodes}
        for a, b in self.directed:
            children[a].append(b)
            waiting[b] += 1
        ready = [(self.rank[v], v) for v in self.nodes if not waiting[v]]
        heapq.heapify(ready)
        order = []
        while ready:
            _, v = heapq.heappop(ready)
            order.append(v)
            for c in children[v]:
                waiting[c] -= 1
                if not waiting[c]:
                    heapq.heappush(ready, (self.rank[c], c))
        return tuple(order)

    @classmethod
    def parse(cls, text: str | Iterable[str], nodes: Iterable[str] = ()) -> Graph:
        """Edges as ``"A -> B"``, ``"B <- A"`` or ``"A <-> B"``, comma- or list-separated."""
        directed, bidirected = parse_edges(text)
        order = list(dict.fromkeys([*nodes, *(v for e in [*directed, *bidirected] for v in e)]))
        return cls(tuple(order), frozenset(directed), frozenset(map(frozenset, bidirected)))

    @classmethod
    def project(cls, nodes: Iterable[str], edges: Iterable[tuple[str, str]], latents: Iterable[str]) -> Graph:
        """The latent projection of a DAG onto its observed nodes.

        ``A -> B`` when a directed path from A to B passes through latents only; ``A <-> B``
        when some latent reaches both along latent-only directed paths.

        Example
        -------
        >>> print(Graph.project("HSTC", [("H", "S"), ("H", "C"), ("S", "T"), ("T", "C")], "H"))
        S -> T, T -> C, C <-> S
        """
        hidden = set(latents)
        nodes = list(nodes)
        children: dict[str, list[str]] = {v: [] for v in nodes}
        for a, b in edges:
            children.setdefault(a, []).append(b)

        def reach(src: str) -> set[str]:
            seen, stack, found = set(), list(children[src]), set()
            while stack:
                v = stack.pop()
                if v in seen:
                    continue
                seen.add(v)
                if v in hidden:
                    stack += children[v]
                else:
                    found.add(v)
            return found

        observed = [v for v in nodes if v not in hidden]
        directed = {(a, b) for a in observed for b in reach(a)}
        bidirected = set()
        for h in hidden:
            tips = sorted(reach(h))
            bidirected |= {frozenset((a, b)) for i, a in enumerate(tips) for b in tips[i + 1 :]}
        return cls(tuple(observed), frozenset(directed), frozenset(bidirected))

    # --- structure -------------------------------------------------------------------
    def parents(self, v: str) -> set[str]:
        return set(self._parents[v])

    def siblings(self, v: str) -> set[str]:
        """The nodes sharing a hidden cause with ``v`` (its ``<->`` neighbours)."""
        return set(self._siblings[v])

    @cached_property
    def _siblings(self) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {v: set() for v in self.nodes}
        for e in self.bidirected:
            a, b = tuple(e)
            out[a].add(b)
            out[b].add(a)
        return out

    def ancestors(self, of: Iterable[str]) -> set[str]:
        """``of`` and all its ancestors."""
        found, stack = set(), list(of)
        while stack:
            v = stack.pop()
            if v not in found:
                found.add(v)
                stack += self._parents[v]
        return found

    def subgraph(self, keep: Iterable[str]) -> Graph:
        """The induced subgraph on ``keep``."""
        k = set(keep)
        return Graph._derived(
            tuple(v for v in self.nodes if v in k),
            frozenset(e for e in self.directed if set(e) <= k),
            frozenset(e for e in self.bidirected if e <= k),
        )

    def cut_incoming(self, xs: Iterable[str]) -> Graph:
        """G with every edge into ``xs`` removed (the graph of do(xs))."""
        x = set(xs)
        return Graph._derived(
            self.nodes,
            frozenset(e for e in self.directed if e[1] not in x),
            frozenset(e for e in self.bidirected if not e & x),
        )

    def cut_outgoing(self, xs: Iterable[str]) -> Graph:
        """G with every directed edge out of ``xs`` removed."""
        x = set(xs)
        return Graph._derived(self.nodes, frozenset(e for e in self.directed if e[0] not in x), self.bidirected)

    def c_components(self) -> list[frozenset[str]]:
        """The districts: connected components of the bidirected part, in node order."""
        root = {v: v for v in self.nodes}

        def find(v: str) -> str:
            while root[v] != v:
                root[v] = root[root[v]]
                v = root[v]
            return v

        for e in self.bidirected:
            a, b = tuple(e)
            root[find(a)] = find(b)
        comps: dict[str, list[str]] = {}
        for v in self.nodes:  # in node order, so the districts come out sorted by their first node
            comps.setdefault(find(v), []).append(v)
        return [frozenset(c) for c in comps.values()]

    def topological_order(self) -> list[str]:
        """A topological order of the directed part, ties broken by node order."""
        return list(self._order)

    def d_separated(self, xs: Iterable[str], ys: Iterable[str], given: Iterable[str]) -> bool:
        """Whether ``xs`` and ``ys`` are d-separated given ``given`` (bidirected = latent)."""
        dag = nx.DiGraph()
        dag.add_nodes_from(self.nodes)
        dag.add_edges_from(self.directed)
        for i, e in enumerate(self.bidirected):
            a, b = sorted(e)
            dag.add_edges_from([(f"_U{i}", a), (f"_U{i}", b)])
        return bool(nx.is_d_separator(dag, set(xs), set(ys), set(given)))

    def __str__(self) -> str:
        order = self.topological_order()
        d = sorted(self.directed, key=lambda e: (order.index(e[0]), order.index(e[1])))
        b = sorted(tuple(sorted(e)) for e in self.bidirected)
        return ", ".join([f"{x} -> {y}" for x, y in d] + [f"{x} <-> {y}" for x, y in b])


def parse_edges(text: str | Iterable[str]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Directed and bidirected edges, in the order written.

    Example
    -------
    >>> parse_edges("A -> B, C <- B, A <-> C")
    ([('A', 'B'), ('B', 'C')], [('A', 'C')])
    """
    items = text.split(",") if isinstance(text, str) else list(text)
    directed, bidirected = [], []
    for item in items:
        m = _EDGE.match(item)
        if not m:
            raise CausalError(f"cannot read edge {item.strip()!r} (want 'A -> B' or 'A <-> B')")
        a, arrow, b = m.groups()
        if arrow == "<->":
            bidirected.append((a, b))
        else:
            directed.append((a, b) if arrow == "->" else (b, a))
    return directed, bidirected


def example_graphs() -> list[dict[str, object]]:
    """The identification test bed shipped in ``causal/testbed.yaml`` (not an example model: a list of graphs).

    Each entry has ``name``, ``graph`` (a `Graph`), ``query`` (a string) and, where the
    literature states it, ``identifiable``.

    Example
    -------
    >>> len(example_graphs()) >= 12
    True
    """
    from pathlib import Path

    import yaml

    entries = yaml.safe_load((Path(__file__).parent / "testbed.yaml").read_text())
    return [{**e, "graph": Graph.parse(e["edges"])} for e in entries]
