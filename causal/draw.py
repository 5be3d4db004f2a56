"""Pictures: a causal model's graph and string diagram, before and after surgery (matplotlib).

`draw_diagram` draws a `Diagram` on a matplotlib axis, information flowing top to bottom:
boxes are mechanisms, black dots copy, a short bar discards (the ground symbol of JKZ), and a
red triangle is the point state put in by surgery. `draw_model` writes one figure (SVG, PNG or
PDF, chosen by the file suffix) with the graph and the diagram, and with ``do`` a second column
showing both after the intervention.

>>> import tempfile, pathlib
>>> from causal.model import load_model
>>> out = pathlib.Path(tempfile.mkdtemp()) / "fd.svg"
>>> draw_model(load_model("frontdoor"), out, do={"S": 1}).stat().st_size > 10_000
True
"""

from __future__ import annotations

import operator
from collections.abc import Mapping
from functools import reduce
from pathlib import Path
from typing import Any

from causal import surgery
from causal.diagram import Box, Copy, Diagram, Discard, Id, Perm, Point, Ty
from causal.errors import CausalError
from causal.model import CausalModel


def draw_diagram(diagram: Diagram, ax: Any, title: str = "") -> None:
    """Draw ``diagram`` on the matplotlib axis ``ax``."""
    from matplotlib.patches import Polygon, Rectangle

    wires = list(diagram.dom)
    width = max([len(lay.dom) for lay in diagram.layers] + [len(diagram.dom), len(diagram.cod), 1])
    for j, ob in enumerate(wires):
        ax.text(j, 0.15, ob, ha="center", va="bottom", fontsize=9)
    for i, lay in enumerate(diagram.layers):
        top, bot, mid = -i, -i - 1, -i - 0.5
        k, gen = len(lay.left), lay.gen
        d, c = len(gen.dom), len(gen.cod)
        for j in range(k):
            ax.plot([j, j], [top, bot], "k-", lw=1)
        for j in range(len(lay.right)):
            ax.plot([k + d + j, k + c + j], [top, bot], "k-", lw=1)
        if isinstance(gen, Box):
            span = max(d, c, 1)
            for j in range(d):
                ax.plot([k + j, k + j], [top, mid + 0.2], "k-", lw=1)
            for j in range(c):
                ax.plot([k + j, k + j], [mid - 0.2, bot], "k-", lw=1)
            ax.add_patch(Rectangle((k - 0.35, mid - 0.2), span - 0.3, 0.4, fc="#dbe9f6", ec="k", zorder=3))
            ax.text(k + (span - 1) / 2, mid, gen.name, ha="center", va="center", fontsize=9 if len(gen.name) < 6 else 7, zorder=4)
            for j, ob in enumerate(gen.dom):  # which wire is which input of the mechanism
                ax.text(k + j + 0.06, mid + 0.24, ob, ha="left", va="bottom", fontsize=6.5, color="#444444", zorder=4)
        elif isinstance(gen, Copy):
            ax.plot([k, k], [top, mid], "k-", lw=1)
            ax.plot([k], [mid], "ko", ms=4, zorder=3)
            for j in range(gen.n):
                ax.plot([k, k + j], [mid, bot], "k-", lw=1)
        elif isinstance(gen, Discard):
            ax.plot([k, k], [top, mid], "k-", lw=1)
            ax.plot([k - 0.15, k + 0.15], [mid, mid], "k-", lw=2)
        elif isinstance(gen, Point):
            tri = Polygon([[k - 0.25, mid + 0.2], [k + 0.25, mid + 0.2], [k, mid - 0.15]], fc="#f4a6a6", ec="#b00020", zorder=3)
            ax.add_patch(tri)
            ax.plot([k, k], [mid - 0.15, bot], color="#b00020", lw=1.5)
            ax.text(k + 0.3, mid + 0.05, str(gen), fontsize=9, color="#b00020")
        elif isinstance(gen, Perm):
            for j, src in enumerate(gen.perm):
                ax.plot([k + src, k + j], [top, bot], "k-", lw=1)
        wires = list(lay.cod)
    n = len(diagram.layers)
    for j, ob in enumerate(wires):
        ax.text(j, -n - 0.15, ob, ha="center", va="top", fontsize=9)
    ax.set_xlim(-0.8, width + 0.3)
    ax.set_ylim(-n - 0.6, 0.6)
    ax.set_axis_off()
    if title:
        ax.set_title(title, fontsize=10)


def draw_graph(model: CausalModel, ax: Any, do: Mapping[str, Any] | None = None, title: str = "") -> None:
    """Draw the model's DAG: latents dashed and grey; edges into intervened nodes removed."""
    import networkx as nx

    do = dict(do or {})
    dag = nx.DiGraph()
    dag.add_nodes_from(model.variables)
    dag.add_edges_from((p, v) for v in model.variables for p in model.parents[v] if v not in do)
    depth: dict[str, int] = {}
    for v in model.variables:  # topological order
        depth[v] = 1 + max((depth[p] for p in model.parents[v]), default=-1)
        dag.nodes[v]["layer"] = depth[v]
    pos = nx.multipartite_layout(dag, subset_key="layer", align="horizontal")
    pos = {n: (x + (0.5 if n in model.latents else 0.0), -y) for n, (x, y) in pos.items()}
    observed = [n for n in dag.nodes if n not in model.latents and n not in do]
    size = 650
    nx.draw_networkx_nodes(dag, pos, nodelist=observed, node_color="#dbe9f6", edgecolors="k", node_size=size, ax=ax)
    nx.draw_networkx_nodes(dag, pos, nodelist=sorted(model.latents), node_color="white", edgecolors="grey",
                           linewidths=1.5, node_size=size, ax=ax)
    nx.draw_networkx_nodes(dag, pos, nodelist=list(do), node_color="#f4a6a6", edgecolors="#b00020", node_size=size,
                           node_shape="s", ax=ax)
    labels = {n: f"{n}\n={do[n]}" if do.get(n) is not None else n for n in dag.nodes}
    nx.draw_networkx_labels(dag, pos, labels=labels, font_size=7, ax=ax)
    def skips(a: str, b: str) -> bool:  # in one column past other nodes: bend it clear of them
        return depth[b] - depth[a] > 1 and abs(pos[a][0] - pos[b][0]) < 0.1

    near = [(a, b) for a, b in dag.edges if not skips(a, b)]
    far = [(a, b) for a, b in dag.edges if skips(a, b)]
    nx.draw_networkx_edges(dag, pos, edgelist=near, ax=ax, arrows=True, node_size=size, connectionstyle="arc3,rad=0.1")
    nx.draw_networkx_edges(dag, pos, edgelist=far, ax=ax, arrows=True, node_size=size, connectionstyle="arc3,rad=0.45")
    bidir = [tuple(sorted(e)) for e in model.bidirected if not set(e) & set(do)]
    nx.draw_networkx_edges(dag, pos, edgelist=bidir, style="dashed", edge_color="grey", arrows=True, arrowstyle="<->",
                           connectionstyle="arc3,rad=0.4", node_size=size, ax=ax)
    xs = [x for x, _ in pos.values()]
    ax.set_xlim(min(xs) - 0.8, max(xs) + 0.8)
    ax.set_axis_off()
    if title:
        ax.set_title(title, fontsize=10)


def draw_model(model: CausalModel, path: str | Path, do: Mapping[str, Any] | None = None, outputs: list[str] | None = None) -> Path:
    """Write the model (and, with ``do``, its surgery) to ``path`` (.svg, .png or .pdf).

    Row one: the graph, and with ``do`` the cut graph. Row two, for a model with every
    mechanism: its string diagram and the cut diagram. For a model with observations only and
    a ``do``: the identified estimand as a string diagram of observed conditionals, with the
    do values plugged into its inputs, next to the formula and its value; an estimand that is
    not a product of conditionals (the napkin's ratio) is shown as a formula with that note,
    and a query that is not identifiable with its hedge. No panel is left empty.

    Raises
    ------
    CausalError
        For an unsupported file type or a folder as ``path``, an unknown ``do`` variable, or a
        ``do`` value outside its domain (checked before drawing anything).
    """
    from workbench.data import check_writable

    path = Path(path)
    if path.suffix.lower() not in (".svg", ".png", ".pdf"):
        raise CausalError("draw to a .svg, .png or .pdf file", where=str(path))
    check_writable(path, CausalError)
    do = dict(do or {})
    for var, value in do.items():
        if value is not None:
            model.check_value(var, value)
        else:
            model.check_variable(var)

    import matplotlib.pyplot as plt

    fig = figure(model, do, outputs)
    fig.savefig(path)
    plt.close(fig)
    return path


def figure(model: CausalModel, do: Mapping[str, Any] | None = None, outputs: list[str] | None = None) -> Any:
    """The matplotlib figure `draw_model` writes (``do`` already checked)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    do = dict(do or {})
    cols = 2 if do else 1
    before = model.diagram(outputs) if model.has_mechanisms else None
    after = surgery.do(before, **do) if (do and before is not None) else None
    # the estimand: for observations-only models it is the picture; for full models with
    # hidden variables, a third row shows what observations alone give
    panel = _estimand_panel(model, do, outputs) if do and (before is None or model.latents) else None
    heights = [3.0]
    if before is not None:
        heights.append(0.45 * max(len(before.layers), len(after.layers) if after else 0))
    if panel is not None:
        heights.append(0.45 * len(panel[0].layers) if panel[0] is not None else 1.6)
    fig = plt.figure(figsize=(4.5 * cols, sum(heights)))
    grid = fig.add_gridspec(len(heights), cols, height_ratios=heights)
    draw_graph(model, fig.add_subplot(grid[0, 0]), title=f"{model.name}")
    if do:
        label = ", ".join(k if v is None else f"{k}={v}" for k, v in do.items())
        draw_graph(model, fig.add_subplot(grid[0, 1]), do=do, title=f"after surgery do({label})")
    if before is not None:
        draw_diagram(before, fig.add_subplot(grid[1, 0]), title="string diagram")
        if after is not None:
            draw_diagram(after, fig.add_subplot(grid[1, 1]), title="cut diagram")
    if panel is not None:
        row = len(heights) - 1
        diagram, title, lines = panel
        if diagram is not None:
            draw_diagram(diagram, fig.add_subplot(grid[row, 0]), title=title)
            _text_panel(fig.add_subplot(grid[row, 1]), lines)
        else:
            _text_panel(fig.add_subplot(grid[row, :]), [title, *lines], width=110)
    fig.tight_layout()
    return fig


def _text_panel(ax: Any, lines: list[str], width: int = 60) -> None:
    """Lines of text (a formula, its value, a note) in an otherwise empty axis."""
    import textwrap

    wrapped = [w for line in lines for w in (textwrap.wrap(line, width) or [""])]
    ax.text(0.0, 1.0, "\n".join(wrapped), ha="left", va="top", fontsize=9, family="DejaVu Sans", transform=ax.transAxes)
    ax.set_axis_off()


def _estimand_panel(model: CausalModel, do: Mapping[str, Any], outputs: list[str] | None) -> tuple[Diagram | None, str, list[str]]:
    """What the second row shows for an observations-only model: (diagram or None, title, text)."""
    import numpy as np

    from causal.comb import estimand_diagram
    from causal.errors import NotIdentifiable
    from causal.identify import identify
    from causal.semantics import Table

    g = model.graph()
    below = {v for v in g.nodes if v not in do and set(do) & g.ancestors([v])}  # what the intervention moves
    outs = outputs or [v for v in model.observed if v in below] or [v for v in model.observed if v not in do]
    terms = ", ".join(k if v is None else f"{k}={v}" for k, v in do.items())
    query = f"P({', '.join(outs)} | do({terms}))"
    try:
        est = identify(model.graph(), outs, list(do))
    except NotIdentifiable as exc:
        return None, f"{query}: not identifiable", [exc.hedge.explain()]
    from causal.formula import rename_bound

    shown = rename_bound(est.formula)
    lines = [f"{query} =", str(shown) + (f"   (any {', '.join(est.extra())})" if est.extra() else "")]
    if model.data is not None or model.has_mechanisms:
        from causal.query import evaluate_estimand

        try:
            table = evaluate_estimand(model, est)
            fixed = {k: v for k, v in do.items() if v is not None}
            rows = [(vals, p) for vals, p in table.rows()
                    if all(str(vals[table.variables.index(k)]) == str(v) for k, v in fixed.items())]
            source = "on the observed joint" if model.data is not None else "from observations alone"
            lines.append(f"{source}: " + ", ".join(
                ", ".join(f"{v}={x}" for v, x in zip(table.variables, vals, strict=True) if v not in fixed) + f": {p:.4g}"
                for vals, p in rows[:8]))
        except CausalError as exc:
            lines.append(f"value not computed: {exc.what}")
    obs = model.observed
    shape = [len(model.domains[v]) for v in obs]
    uniform = Table(obs, tuple(model.domains[v] for v in obs), np.full(shape, 1.0 / np.prod(shape)))
    try:
        diagram = estimand_diagram(est, model.data if model.data is not None else uniform)[0]
    except CausalError as exc:
        note = "a ratio of sums, not a product of conditionals: it has no string diagram of observed " \
               "conditionals, so the formula is shown" if "ratio" in exc.what else exc.what
        return None, f"identified estimand of {query}", [*lines[1:], note]
    points = [Point(x, do[x]) if do.get(x) is not None else Id(Ty(x)) for x in diagram.dom]
    if points:
        diagram = reduce(operator.matmul, points) >> diagram
    primed = sorted({w for b in diagram.boxes() for w in [*b.dom, *b.cod] if w.endswith("'")})
    if primed:
        lines.append(f"boxes are observed conditionals; {', '.join(primed)} is the estimand's own summed "
                     f"copy of {', '.join(w.rstrip(chr(39)) for w in primed)} (renamed apart)")
    return diagram, f"identified estimand of {query}", lines
