"""Explorers for Chapter 4 (gradient descent): sliders wired to the scenes in :mod:`dlmath.figures.descent`."""

from __future__ import annotations

from ..descent import heavy_ball_tuning, learning_rate_regime, quadratic_thresholds, narrow_valley_hessian
from ..figures.descent import MomentumScene, StartingPointScene, StepSizeScene, ValleyScene
from .explorer import Explorer, Slider, explorer

__all__ = [
    "learning_rate_explorer",
    "momentum_explorer",
    "starting_point_explorer",
    "valley_explorer",
]


def _minus(text: str) -> str:
    """A true minus sign (−) in slider labels, as in the prose and the readouts."""
    return text.replace("-", "−")


def _regime_labels(lrs: tuple[float, ...], hessian, digits: str = "{:.3g}") -> tuple[str, ...]:
    """Learning rates labelled with what they do on the bowl: ``"0.45 · oscillates"``."""
    return tuple(f"{digits.format(lr)} · {learning_rate_regime(lr, hessian)}" for lr in lrs)


# ---------------------------------------------------------------------------------------------
# one dimension

#: f(x) = 2x², curvature λ = 4: creeps below 1/λ = 0.25, one step at 0.25, oscillates up to 2/λ = 0.5,
#: bounces for ever at 0.5 and diverges above.
BOWL_A = 2.0
BOWL_RATES = (0.01, 0.03, 0.06, 0.1, 0.2, 0.25, 0.3, 0.375, 0.45, 0.49, 0.5, 0.51, 0.55, 0.6)


def learning_rate_explorer(*, static: bool | None = None) -> Explorer:
    """Sweep the learning rate η on f(x) = 2x²: crawling, one step, oscillating, bouncing, diverging."""
    return explorer(
        lambda: StepSizeScene(BOWL_A, 1.5, BOWL_RATES),
        [Slider("lr", "learning rate η", BOWL_RATES, initial=0.1, labels=_regime_labels(BOWL_RATES, [[2 * BOWL_A]]))],
        static=static,
    )


# ---------------------------------------------------------------------------------------------
# the narrow valley

VALLEY_THRESHOLDS = quadratic_thresholds(narrow_valley_hessian())
#: Creeping up to 1/λ_max ≈ 0.073, the fastest constant step 2/(λ_min+λ_max) = 1/7, then just below
#: and just above the edge 2/λ_max ≈ 0.1459.
VALLEY_RATES = (0.01, 0.06, 0.09, 0.12, VALLEY_THRESHOLDS.best_lr, 0.145, 0.147, 0.16)
#: On the valley floor far from the minimum, the origin, and high
#: on the valley's side.
VALLEY_STARTS = ((-3.0, 4.5), (0.0, 0.0), (5.0, 4.0))


def valley_explorer(*, static: bool | None = None) -> Explorer:
    """Choose η and the start on the narrow valley f(x, y) = (x+y−3)² + (x+2y−5)² + 2; count the steps."""
    return explorer(
        lambda: ValleyScene(VALLEY_RATES, VALLEY_STARTS),
        [
            Slider("lr", "learning rate η", VALLEY_RATES, initial=0.09, labels=_regime_labels(VALLEY_RATES, narrow_valley_hessian())),
            Slider("start", "start (x₀, y₀)", VALLEY_STARTS, initial=(0.0, 0.0),
                   labels=tuple(_minus(f"({x:g}, {y:g})") for x, y in VALLEY_STARTS)),
        ],
        static=static,
    )


# ---------------------------------------------------------------------------------------------
# starting points

#: Two starts 0.05 apart (0.1 and 0.15) lie on either side of the hump at x ≈ 0.126.
WELL_STARTS = (-2.2, -1.5, -0.6, 0.0, 0.1, 0.15, 0.6, 1.5, 2.2)


def starting_point_explorer(*, static: bool | None = None) -> Explorer:
    """Move the start on f(x) = x⁴ − 4x² + x and see which of its two valleys the walk ends in."""
    return explorer(
        lambda: StartingPointScene(WELL_STARTS, lr=0.02),
        [Slider("x0", "start x₀", WELL_STARTS, initial=0.6, labels=tuple(_minus(f"{x:g}") for x in WELL_STARTS))],
        static=static,
    )


# ---------------------------------------------------------------------------------------------
# momentum

#: Polyak's best pair for the narrow valley: η = 4/(√λ_max + √λ_min)² = 2/9 and β = 5/9 (exactly,
#: because λ_min λ_max = det H = 4 and λ_min + λ_max = 14).
MOMENTUM_BEST = heavy_ball_tuning(narrow_valley_hessian())
#: 0.2 lies past plain descent's edge 2/λ_max ≈ 0.146 but inside the edge 2(1 + β)/λ_max of every β ≥ 0.5.
MOMENTUM_RATES = (0.02, 0.1, 0.2, MOMENTUM_BEST.lr)
MOMENTUM_BETAS = (0.0, MOMENTUM_BEST.momentum, 0.7, 0.9)


def momentum_explorer(*, static: bool | None = None) -> Explorer:
    """Add momentum β to plain descent on the narrow valley and compare the step counts."""
    return explorer(
        lambda: MomentumScene(MOMENTUM_RATES, MOMENTUM_BETAS),
        [
            Slider("beta", "momentum β", MOMENTUM_BETAS, initial=0.7,
                   labels=("0 · plain", f"{MOMENTUM_BEST.momentum:.3f} · best pair", "0.7", "0.9")),
            Slider("lr", "learning rate η", MOMENTUM_RATES, initial=0.1,
                   labels=("0.02", "0.1", "0.2", f"{MOMENTUM_BEST.lr:.3f} · best pair")),
        ],
        static=static,
    )


EXPLORERS = {
    "learning_rate_explorer": learning_rate_explorer,
    "valley_explorer": valley_explorer,
    "starting_point_explorer": starting_point_explorer,
    "momentum_explorer": momentum_explorer,
}
