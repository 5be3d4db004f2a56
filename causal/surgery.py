"""Surgery: the intervention do(X) as a transformation of string diagrams (JKZ, section 4).

``do(d, X=x)`` cuts the mechanism box producing ``X`` out of ``d``, discards its inputs and
puts the point state ``X=x`` in its place; ``do(d, X=None)`` instead leaves the wire open as a
new input of the diagram (appended to its domain), so the result is the channel
``x |-> P(... | do(X=x))``. With every mechanism known, interpreting the cut diagram gives
the interventional distribution: the ground truth the identification results are checked
against.

>>> from causal.model import load_model
>>> from causal.semantics import interpret
>>> m = load_model("frontdoor")
>>> cut = do(m.diagram(["C"]), S=1)
>>> print(cut)
H >> Copy('H', 2) >> H @ Discard('H') >> H @ S=1 >> H @ T >> Perm(Ty('H', 'T'), (1, 0)) >> C
>>> round(float(interpret(cut, m.interpretation())[1]), 12)
0.43
"""

from __future__ import annotations

from typing import Any

from causal.diagram import Box, Diagram, Discard, Layer, Perm, Point, Ty
from causal.errors import CausalError


def do(diagram: Diagram, **interventions: Any) -> Diagram:
    """Cut out the mechanism of each named variable (see the module docstring).

    Raises
    ------
    CausalError
        When no box of the diagram produces the variable.
    """
    for var, value in interventions.items():
        diagram = _cut(diagram, var, value)
    return diagram


def _cut(diagram: Diagram, var: str, value: Any) -> Diagram:
    at = [i for i, lay in enumerate(diagram.layers) if isinstance(lay.gen, Box) and lay.gen.cod == Ty(var)]
    if not at:
        raise CausalError(f"no mechanism produces {var!r} in this diagram; cannot intervene on it")
    i = at[0]
    lay = diagram.layers[i]
    box = lay.gen
    opened = Ty(var) if value is None else Ty()
    before = tuple(Layer(x.left, x.gen, x.right @ opened) for x in diagram.layers[:i])
    cut = [Layer(lay.left, Discard(ob), Ty(*box.dom.objects[j + 1 :]) @ lay.right @ opened)
           for j, ob in enumerate(box.dom)]
    if value is None:
        wires = lay.left @ lay.right @ opened
        k = len(lay.left)
        perm = tuple(range(k)) + (len(wires) - 1,) + tuple(range(k, len(wires) - 1))
        if perm != tuple(range(len(wires))):
            cut.append(Layer(Ty(), Perm(wires, perm), Ty()))
    else:
        cut.append(Layer(lay.left, Point(var, value), lay.right))
    layers = before + tuple(cut) + diagram.layers[i + 1 :]
    return Diagram(diagram.dom @ opened, diagram.cod, layers).check()
