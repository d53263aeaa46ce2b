"""Explorers for Chapter 3 (the chain rule): sliders wired to the scenes in :mod:`dlmath.figures.graphs`."""

from __future__ import annotations

from ..figures.graphs import ComputationGraphScene, j_graph
from .explorer import Explorer, Slider, explorer

__all__ = ["computational_graph_explorer"]

#: 3 x 5 x 5 = 75 pre-rendered frames in the static page (about 10 KB each). Zero is on the q and r
#: sliders on purpose: there the other input's gradient vanishes.
P_VALUES = (-5.0, 0.0, 5.0)
Q_VALUES = (-1.0, 0.0, 1.0, 2.0, 3.0)
R_VALUES = (-1.0, 0.0, 1.0, 2.0, 3.0)


def _labels(values: tuple[float, ...]) -> list[str]:
    """The values as written on a slider, with a true minus sign as in the drawing and the readout."""
    return [f"{v:g}".replace("-", "−") for v in values]


def computational_graph_explorer(*, static: bool | None = None) -> Explorer:
    """Move p, q and r; watch the values of J = 3(p + qr) flow forward and its gradients flow back."""
    return explorer(
        lambda: ComputationGraphScene(j_graph, p=5.0, q=3.0, r=2.0),
        [
            Slider("p", "p", P_VALUES, initial=5.0, labels=_labels(P_VALUES)),
            Slider("q", "q", Q_VALUES, initial=3.0, labels=_labels(Q_VALUES)),
            Slider("r", "r", R_VALUES, initial=2.0, labels=_labels(R_VALUES)),
        ],
        static=static,
    )


EXPLORERS = {"computational_graph_explorer": computational_graph_explorer}
