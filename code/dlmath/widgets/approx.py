"""Explorers for Chapter 9 (any curve from sigmoids): sliders wired to the scenes in
:mod:`dlmath.figures.approx`.

The static page stores one picture per combination of slider positions, so the positions are few.
"""

from __future__ import annotations

from ..figures.approx import SHAPE_LABELS, SHAPES, SigmoidUnitScene, UnitsScene
from .explorer import Explorer, Slider, explorer

__all__ = ["sigmoid_unit_explorer", "units_explorer"]

#: The unit's height c (negative: the unit steps down).
UNIT_HEIGHTS = (-1.0, 0.5, 1.0, 1.5)
#: Its bias b: with w it sets the midpoint −b/w.
UNIT_BIASES = (-6.0, -2.0, 0.0, 2.0)
#: Its weight w: from a gentle S to almost a step. (c = 1, b = −6, w = 4 imitates the ramp.)
UNIT_WEIGHTS = (1.0, 4.0, 20.0)


def sigmoid_unit_explorer(*, static: bool | None = None) -> Explorer:
    """One unit c·σ(b + wx): c sets the height, w the steepness, b (with w) the midpoint −b/w."""
    return explorer(
        lambda: SigmoidUnitScene(),
        [
            Slider("c", "height c", UNIT_HEIGHTS, initial=1.0, labels=("−1", "0.5", "1", "1.5")),
            Slider("b", "bias b", UNIT_BIASES, initial=-2.0, labels=("−6", "−2", "0", "2")),
            Slider("w", "weight w", UNIT_WEIGHTS, initial=1.0),
        ],
        static=static,
    )


#: How many pieces (bumps, ramps or ReLUs): roughly evenly spaced on a log scale.
PIECE_COUNTS = (1, 2, 3, 5, 8, 13, 20, 30, 50, 100)


def units_explorer(*, static: bool | None = None) -> Explorer:
    """N units of a chosen shape following Nielsen's curve, and the error against N on log-log axes."""
    return explorer(
        lambda: UnitsScene(PIECE_COUNTS),
        [
            Slider("n", "pieces N", PIECE_COUNTS, initial=5, fmt="{:d}"),
            Slider("shape", "unit", SHAPES, initial="bumps", labels=tuple(SHAPE_LABELS[s] for s in SHAPES)),
        ],
        static=static,
    )


EXPLORERS = {
    "sigmoid_unit_explorer": sigmoid_unit_explorer,
    "units_explorer": units_explorer,
}
