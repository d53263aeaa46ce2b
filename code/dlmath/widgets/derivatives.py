"""Explorers for Chapter 1 (derivatives): sliders wired to the scenes in :mod:`dlmath.figures.derivatives`."""

from __future__ import annotations

import numpy as np

from ..data import cubic, cubic_slope, pig_sales, pig_sales_slope
from ..figures.derivatives import DifferenceErrorScene, SecantScene, TangentScene
from .explorer import Explorer, Slider, explorer

__all__ = ["difference_explorer", "kink_explorer", "secant_explorer", "tangent_explorer"]


#: h shrinks towards 0 from either side but never reaches it (a "secant" through one point has no
#: slope). Negative steps put Q left of P; the smallest, -3, puts it at year 0, the plot's left edge.
SECANT_STEPS = (-3.0, -2.0, -1.0, -0.5, -0.1, -0.01, 0.01, 0.1, 0.5, 1.0, 2.0, 4.0)


def secant_explorer(*, static: bool | None = None) -> Explorer:
    """Shrink h and watch the secant through P=(3, f(3)) and Q=(3+h, f(3+h)) turn into the tangent."""
    return explorer(
        lambda: SecantScene(
            pig_sales, pig_sales_slope, 3.0, (0.0, 8.0), xlabel="year x", ylabel="pigs sold y", curve_label="sales f(x)"
        ),
        [Slider("h", "h", SECANT_STEPS, initial=4.0)],
        static=static,
    )


#: Steps on both sides of the kink of |x| at 0, shrinking towards it.
KINK_STEPS = (-1.0, -0.5, -0.1, -0.01, 0.01, 0.1, 0.5, 1.0)


def kink_explorer(*, static: bool | None = None) -> Explorer:
    """Secants of |x| through P=(0, 0) and Q=(h, |h|): slope -1 from the left, +1 from the right, however small h."""
    return explorer(
        lambda: SecantScene(np.abs, None, 0.0, (-2.0, 2.0), ylabel="y", curve_label="y = |x|", ylim=(-1.2, 2.1)),
        [Slider("h", "h", KINK_STEPS, initial=1.0)],
        static=static,
    )


def tangent_explorer(*, static: bool | None = None) -> Explorer:
    """Move the point x₀ and the step Δx; compare f(x₀+Δx) with its tangent-line approximation."""
    points = tuple(float(p) for p in np.round(np.linspace(-2.0, 2.0, 9), 2))
    return explorer(
        lambda: TangentScene(cubic, cubic_slope, (-2.6, 2.6)),
        [Slider("x0", "point x₀", points, initial=1.5), Slider("dx", "step Δx", (0.1, 0.25, 0.5, 1.0), initial=0.5)],
        static=static,
    )


#: Powers of ten from 1e-15 up to 1e-1, small to large like the plot's axis (below 1e-16 the step
#: vanishes next to x0 = 1: 1 + 1e-16 == 1 in floating point).
ERROR_STEPS = tuple(10.0**-k for k in range(15, 0, -1))


def difference_explorer(*, static: bool | None = None) -> Explorer:
    """Slide h from 1e-15 to 1e-1; see where forward and central differences are most accurate."""
    return explorer(
        lambda: DifferenceErrorScene(np.exp, np.exp, 1.0, name="exp"),
        [Slider("h", "step h", ERROR_STEPS, initial=1e-4, fmt="{:.0e}")],
        static=static,
    )


EXPLORERS = {
    "secant_explorer": secant_explorer,
    "kink_explorer": kink_explorer,
    "tangent_explorer": tangent_explorer,
    "difference_explorer": difference_explorer,
}
