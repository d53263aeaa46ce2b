"""Explorers for Chapter 2 (partial derivatives): sliders wired to the scenes in :mod:`dlmath.figures.partials`."""

from __future__ import annotations

from ..figures.partials import LinearApproximationScene, SurfaceSliceScene
from ..surfaces import BOWL, HILL, SADDLE
from .explorer import Explorer, Slider, explorer

__all__ = ["bowl_explorer", "linear_approximation_explorer", "saddle_explorer"]

#: Five positions per coordinate (numbers easy to check by hand): 25 frames per surface keep the
#: chapter's page under its 3 MB budget. The map reaches to ±2, so the arrows fit on it.
POSITIONS = (-1.0, -0.5, 0.0, 0.5, 1.0)


def _point_sliders(x: float, y: float) -> list[Slider]:
    return [Slider("x", "x (east)", POSITIONS, initial=x), Slider("y", "y (north)", POSITIONS, initial=y)]


#: How much each map shrinks its arrows (the map's title says "arrows at 1/5 scale"); the text quotes these.
BOWL_ARROW_SCALE = 5.0
SADDLE_ARROW_SCALE = 3.0


def bowl_explorer(*, static: bool | None = None) -> Explorer:
    """Move the point (x, y) on the bowl z = x² + 2y²: its two slices, their slopes and the gradient."""
    return explorer(lambda: SurfaceSliceScene(BOWL, arrow_scale=BOWL_ARROW_SCALE), _point_sliders(1.0, 0.5), static=static)


def saddle_explorer(*, static: bool | None = None) -> Explorer:
    """The same on the saddle z = x² − y², a mountain pass: uphill one way, downhill the other."""
    return explorer(lambda: SurfaceSliceScene(SADDLE, arrow_scale=SADDLE_ARROW_SCALE), _point_sliders(1.0, 0.5), static=static)


#: Step lengths shrinking tenfold: once the step is small (|Δ| ≤ 0.1), the error shrinks about a
#: hundredfold each time; from 1 to 0.1 it depends on the direction (a step of 1 is not small).
STEP_LENGTHS = (1.0, 0.1, 0.01, 0.001)
#: The eight compass directions, in degrees anticlockwise from east.
DIRECTIONS = tuple(float(a) for a in range(0, 360, 45))


def linear_approximation_explorer(*, static: bool | None = None) -> Explorer:
    """Step away from P = (1, −0.5) on the hill; compare the true change with ∇f·Δ as the step shrinks."""
    return explorer(
        lambda: LinearApproximationScene(HILL, (1.0, -0.5), name="P"),
        [
            Slider("step", "step length |Δ|", STEP_LENGTHS, initial=1.0),
            Slider("angle", "direction", DIRECTIONS, initial=45.0, fmt="{:.0f}°"),
        ],
        static=static,
    )


EXPLORERS = {
    "bowl_explorer": bowl_explorer,
    "saddle_explorer": saddle_explorer,
    "linear_approximation_explorer": linear_approximation_explorer,
}
