"""Explorers for Chapter 6 (least squares): sliders wired to the scenes in :mod:`dlmath.figures.regression`."""

from __future__ import annotations

from ..data import exp_sine_sample, height_weight
from ..figures.regression import DegreeScene, LineFitScene, ScalingDescentScene
from ..regression import train_test_split
from .explorer import Explorer, Slider, explorer

__all__ = ["degree_explorer", "fit_by_eye_explorer", "scaling_explorer"]


# ---------------------------------------------------------------------------------------------
# fit a line by eye

#: Slopes and intercepts on the sliders. For every slope one intercept lies within a few cm of the
#: best intercept for that slope (b ≈ 165.25 − 54.5 w), and (0.75, 125) is nearly the best line.
EYE_SLOPES = (0.0, 0.25, 0.5, 0.75, 1.0, 1.25)
EYE_INTERCEPTS = (95.0, 110.0, 125.0, 140.0, 155.0, 170.0)


def fit_by_eye_explorer(*, static: bool | None = None) -> Explorer:
    """Choose a slope w and an intercept b for the eight people's heights; watch the squares and the loss."""
    x, y = height_weight()
    return explorer(
        lambda: LineFitScene(x, y, EYE_SLOPES, EYE_INTERCEPTS),
        [
            Slider("w", "slope w", EYE_SLOPES, initial=0.25),
            Slider("b", "intercept b", EYE_INTERCEPTS, initial=140.0),
        ],
        static=static,
    )


# ---------------------------------------------------------------------------------------------
# gradient descent on the line fit, raw or scaled input

#: Learning rates as fractions of each problem's edge 2/λ_max: creeping, the one-step rate of a round
#: bowl (0.5), oscillating, just below and just above the edge.
SCALING_FRACTIONS = (0.05, 0.2, 0.5, 0.8, 0.95, 1.02)
SCALING_MODES = ("raw", "scaled")


def scaling_explorer(*, static: bool | None = None) -> Explorer:
    """Gradient descent on the line's loss: choose η (relative to 2/λ_max) and raw or scaled input."""
    x, y = height_weight()
    return explorer(
        lambda: ScalingDescentScene(x, y, SCALING_FRACTIONS, steps=2000),
        [
            Slider("fraction", "η as a fraction of 2/λ_max", SCALING_FRACTIONS, initial=0.5),
            Slider("mode", "input", SCALING_MODES, initial="raw",
                   labels=("raw weights (kg)", "centred and scaled")),
        ],
        static=static,
    )


# ---------------------------------------------------------------------------------------------
# polynomial degree

#: 115 noisy points of e^{sin 2πx} (σ = 0.3), 15 kept for training and 100 for testing. The seed is
#: one whose 15 training points spread over [0, 1] without a large gap, so that the wildness of a
#: high degree comes from the degree, not from an empty stretch of data.
CURVE_SEED = 48
CURVE_TRAIN, CURVE_TEST = 15, 100
DEGREES = tuple(range(15))


def curve_split():
    """The training and test points of the degree explorer (and of the chapter)."""
    x, y = exp_sine_sample(CURVE_TRAIN + CURVE_TEST, noise=0.3, seed=CURVE_SEED)
    return train_test_split(x, y, CURVE_TEST, seed=CURVE_SEED)


def degree_explorer(*, static: bool | None = None) -> Explorer:
    """Fit polynomials of degree 0 to 14 to 15 noisy points; compare training and test error."""
    split = curve_split()
    return explorer(
        lambda: DegreeScene(split.x_train, split.y_train, split.x_test, split.y_test, DEGREES, noise=0.3),
        [Slider("degree", "degree p", DEGREES, initial=3)],
        static=static,
    )


EXPLORERS = {
    "fit_by_eye_explorer": fit_by_eye_explorer,
    "scaling_explorer": scaling_explorer,
    "degree_explorer": degree_explorer,
}
