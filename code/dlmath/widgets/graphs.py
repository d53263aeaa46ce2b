"""Explorers for Chapter 3 (the chain rule): sliders wired to the scenes in :mod:`dlmath.figures.graphs`."""

from __future__ import annotations

from ..figures.graphs import ComputationGraphScene, j_graph
from .explorer import Explorer, Slider, explorer

__all__ = ["computational_graph_explorer"]

#: 3 x 5 x 5 = 75 pre-rendered frames in the static page (about 10 KB each). Zero is on the b and c
#: sliders on purpose: there the other input's gradient vanishes.
A_VALUES = (-5.0, 0.0, 5.0)
B_VALUES = (-1.0, 0.0, 1.0, 2.0, 3.0)
C_VALUES = (-1.0, 0.0, 1.0, 2.0, 3.0)


def _labels(values: tuple[float, ...]) -> list[str]:
    """The values as written on a slider, with a true minus sign as in the drawing and the readout."""
    return [f"{v:g}".replace("-", "−") for v in values]


def computational_graph_explorer(*, static: bool | None = None) -> Explorer:
    """Move a, b and c; watch the values of J = 3(a + bc) flow forward and its gradients flow back."""
    return explorer(
        lambda: ComputationGraphScene(j_graph, a=5.0, b=3.0, c=2.0),
        [
            Slider("a", "a", A_VALUES, initial=5.0, labels=_labels(A_VALUES)),
            Slider("b", "b", B_VALUES, initial=3.0, labels=_labels(B_VALUES)),
            Slider("c", "c", C_VALUES, initial=2.0, labels=_labels(C_VALUES)),
        ],
        static=static,
    )


EXPLORERS = {"computational_graph_explorer": computational_graph_explorer}
