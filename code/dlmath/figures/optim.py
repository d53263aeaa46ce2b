"""Figures for Chapter 7 (SGD, mini-batches, schedules, Adam). Each scene is built once; ``update``
moves its artists.

Every walk a slider can ask for is computed in ``__init__``, so a slider change only looks a walk up
and moves lines. Walks that blow up are cut at the edge of a box around the picture (the helpers of
:mod:`dlmath.figures.descent`), so no huge number ever reaches matplotlib.
"""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

from .. import descent, optim, regression
from ..descent import DescentResult
from .descent import CONTOUR, FLOOR, clip_walk, expanded_box, log_series, ratio_text, valley_contours
from .scene import Scene, readout
from .style import COLORS, new_figure

__all__ = ["MinibatchScene", "OPTIMIZERS", "OptimizerScene"]


#: A loss gap below this (in cm²) is rounding: the walk is at the best line.
ROUNDING = 1e-9


def _ratio(ratio: float) -> str:
    """"5.1 times", "335 times", "over 1,000 times"."""
    return "over 1,000 times" if ratio > 1000 else f"{ratio_text(ratio)} times"


# ---------------------------------------------------------------------------------------------
# mini-batch SGD against full-batch descent, on Chapter 6's line fit


class MinibatchScene(Scene):
    r"""Mini-batch SGD against full-batch gradient descent, fitting Chapter 6's line
    :math:`\hat y = w' x' + b'` to the eight people (weights centred and scaled).

    Left: contours of the mean squared error :math:`L(w', b')` with both walks. Right: the loss above
    its minimum against the number of epochs (passes over the data), on a log scale.
    """

    def __init__(
        self,
        X: np.ndarray,
        y: np.ndarray,
        batch_sizes: Sequence[int],
        lrs: Sequence[float],
        *,
        epochs: int = 20,
        theta0: tuple[float, float] = (0.0, 155.0),
        seed: int = 0,
        xlim: tuple[float, float] = (-4.0, 12.0),
        ylim: tuple[float, float] = (151.0, 173.0),
    ) -> None:
        self.X, self.y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
        self.n, self.epochs, self.seed = len(self.y), int(epochs), int(seed)
        self.theta0 = np.array(theta0, dtype=float)
        self.best = regression.least_squares(self.X, self.y)
        self.best_loss = regression.linear_loss(self.best, self.X, self.y)
        self.xlim, self.ylim = xlim, ylim
        rates = np.array([float(lr) for lr in lrs])
        self._runs: dict[tuple[int, float], optim.SGDResult] = {}
        for b in [*map(int, batch_sizes), self.n]:  # all learning rates of one batch size in one call
            walks = optim.sgd_least_squares(self.X, self.y, rates, batch_size=b, epochs=self.epochs,
                                            seed=self.seed, theta0=self.theta0)
            self._runs.update({(b, float(lr)): walk for lr, walk in zip(rates, walks)})

        self.figure, axes = new_figure(7.2, 4.1, ncols=2, gridspec_kw={"width_ratios": [1.0, 1.1]})
        ax, ax_l = axes[0]
        gw, gb = np.meshgrid(np.linspace(*xlim, 160), np.linspace(*ylim, 160))
        heights = regression.linear_loss(np.stack([gw, gb], axis=-1), self.X, self.y) - self.best_loss
        ax.contour(gw, gb, heights, levels=[1, 4, 16, 64, 256], colors=CONTOUR, linewidths=0.8)
        ax.grid(False)
        ax.plot(*self.best, "*", color=COLORS["ink"], ms=12, zorder=6, label="best line")
        ax.plot(*self.theta0, "o", color=COLORS["ink"], ms=7, zorder=6, label="start")
        ax.set(xlim=xlim, ylim=ylim, xlabel="slope w′ (cm per s.d. of weight)", ylabel="intercept b′ (cm)",
               aspect="equal")
        (self.full,) = ax.plot([], [], "-o", color=COLORS["curve"], lw=1.6, ms=3.5, label="full batch (one update per epoch)")
        (self.mini,) = ax.plot([], [], "-", color=COLORS["secant"], lw=0.9, alpha=0.9, label="mini-batch")
        ax_l.set(yscale="log", xlim=(0, self.epochs), ylim=(1e-5, 300), xlabel="epochs (passes over the data)",
                 ylabel="loss above its minimum (cm²)")
        (self.full_l,) = ax_l.plot([], [], "-o", color=COLORS["curve"], lw=1.6, ms=3.5)
        (self.mini_l,) = ax_l.plot([], [], "-", color=COLORS["secant"], lw=0.9)
        self.figure.legend(loc="outside upper center", ncols=4, fontsize=9)
        self.freeze([self.full, self.mini, self.full_l, self.mini_l])
        self.update(int(batch_sizes[0]), float(rates[0]))

    def run(self, batch_size: int, lr: float) -> optim.SGDResult:
        key = (int(batch_size), float(lr))
        if key not in self._runs:
            self._runs[key] = optim.sgd_least_squares(self.X, self.y, key[1], batch_size=key[0], epochs=self.epochs,
                                                      seed=self.seed, theta0=self.theta0)
        return self._runs[key]

    def update(self, batch_size: int, lr: float) -> str:
        batch_size, lr = int(batch_size), float(lr)
        lo, hi = zip(expanded_box(*self.xlim), expanded_box(*self.ylim))
        for (walk, curve), b in (((self.full, self.full_l), self.n), ((self.mini, self.mini_l), batch_size)):
            r = self.run(b, lr)
            path = clip_walk(r.path, lo, hi)
            walk.set_data(path[:, 0], path[:, 1])
            epochs = np.arange(len(r.losses)) / r.batches_per_epoch
            # Clipped, not cut: a noisy walk may leave the top of the picture and come back.
            curve.set_data(epochs, np.clip(r.losses - self.best_loss, FLOOR, 1e6))
        mini, full = self.run(batch_size, lr), self.run(self.n, lr)

        def gap(r: optim.SGDResult) -> float:
            return float(r.losses[-1] - self.best_loss)

        def final(r: optim.SGDResult) -> str:
            if r.diverged:
                return r.message
            return "0 (to rounding)" if gap(r) < ROUNDING else f"{gap(r):.2g} cm²"

        gap_mini, gap_full = gap(mini), gap(full)
        if mini.diverged or np.max(mini.losses) > mini.losses[0]:
            note = "at times the mini-batch walk is thrown far off: this η is too large for so small a batch"
        elif gap_full < ROUNDING:
            note = "full batch has reached the best line; the mini-batch walk keeps jittering around it"
        elif gap_mini <= gap_full:
            note = f"for the same work, mini-batches end {_ratio(gap_full / gap_mini)} closer to the best loss"
        else:
            note = f"for the same work, full batch ends {_ratio(gap_mini / gap_full)} closer to the best loss"
        return readout(
            ("batch size B", f"{batch_size}"),
            ("batches per epoch", f"⌈{self.n}/{batch_size}⌉ = {mini.batches_per_epoch}"),
            ("η", f"{lr:g}"),
            (f"after {self.epochs} epochs ({mini.updates} updates): loss above the best", final(mini)),
            (f"full batch ({full.updates} updates)", final(full)),
            note=note,
        )


# ---------------------------------------------------------------------------------------------
# four update rules on the narrow valley

#: The update rules of the optimizer explorer: name -> factory of a fresh optimizer for a learning rate.
OPTIMIZERS: dict[str, Callable[[float], optim.Optimizer]] = {
    "plain": lambda lr: optim.SGD(lr),
    "momentum": lambda lr: optim.SGD(lr, momentum=0.9),
    "RMSProp": lambda lr: optim.RMSProp(lr),
    "Adam": lambda lr: optim.Adam(lr),
}
#: Their colours, the same on the map and in the distance panel.
OPTIMIZER_COLORS = {"plain": COLORS["ink"], "momentum": COLORS["extra"], "RMSProp": COLORS["accent"],
                    "Adam": COLORS["secant"]}


def result_words(r: DescentResult, minimum: np.ndarray) -> str:
    """A walk's ending in plain words: converged, diverged, or how far from the minimum it stopped."""
    if r.converged or r.diverged:
        return r.message
    return f"not there after {r.steps} steps: still {float(np.linalg.norm(r.path[-1] - minimum)):.2g} away"


class OptimizerScene(Scene):
    r"""Plain gradient descent, momentum (β = 0.9), RMSProp and Adam on the narrow valley
    :math:`f(x, y) = (x+y-3)^2 + (x+2y-5)^2 + 2`, each with the same learning rate.

    Left: contours with the chosen optimizer's walk. Right: every optimizer's distance to the minimum
    against the step, on a log scale, the chosen one drawn bold. A walk stops when
    :math:`\lVert\nabla f\rVert \le 10^{-5}` (as in Chapter 4) or after ``steps`` steps.
    """

    XLIM, YLIM = (-3.5, 6.0), (-3.0, 6.0)
    DOTS = 40  # steps drawn as dots on the map (the rest as a line)

    def __init__(self, lrs: Sequence[float], *, start: tuple[float, float] = (5.0, 4.0), steps: int = 1500) -> None:
        self.start_point = np.array(start, dtype=float)
        self.minimum = np.array([1.0, 2.0])
        self.steps = int(steps)
        self._runs = {
            (name, float(lr)): optim.minimize(descent.narrow_valley_gradient, self.start_point, make(float(lr)),
                                              steps=self.steps)
            for name, make in OPTIMIZERS.items() for lr in lrs
        }
        self._series: dict[tuple[str, float], tuple[np.ndarray, np.ndarray]] = {}
        self.figure, axes = new_figure(7.2, 3.9, ncols=2, gridspec_kw={"width_ratios": [1.1, 1]})
        ax, ax_d = axes[0]
        valley_contours(ax, self.XLIM, self.YLIM)
        ax.plot(*self.start_point, "o", color=COLORS["ink"], ms=8, zorder=6, label=f"start ({start[0]:g}, {start[1]:g})")
        (self.walk,) = ax.plot([], [], "-", color=COLORS["secant"], lw=1.2)
        (self.dots,) = ax.plot([], [], "o", color=COLORS["secant"], ms=2.5)  # the first steps, as dots
        ax.set_title("the chosen walk", fontsize=11)
        ax_d.set(yscale="log", xlim=(0, self.steps), ylim=(1e-7, 1e2), xlabel="step t",
                 ylabel="distance to the minimum (log scale)")
        ax_d.set_title("all four at this η", fontsize=11)
        self.curves = {}
        for name in OPTIMIZERS:
            (self.curves[name],) = ax_d.plot([], [], color=OPTIMIZER_COLORS[name], lw=1.2, label=name)
        self.figure.legend(loc="outside upper center", ncols=6, fontsize=9)
        self.freeze([self.walk, self.dots, *self.curves.values()])
        self.update(next(iter(OPTIMIZERS)), float(lrs[0]))

    def run(self, optimizer: str, lr: float) -> DescentResult:
        key = (optimizer, float(lr))
        if key not in self._runs:
            if optimizer not in OPTIMIZERS:
                raise ValueError(f"optimizer must be one of {list(OPTIMIZERS)}, got {optimizer!r}")
            self._runs[key] = optim.minimize(descent.narrow_valley_gradient, self.start_point,
                                             OPTIMIZERS[optimizer](key[1]), steps=self.steps)
        return self._runs[key]

    def _distance_series(self, optimizer: str, lr: float) -> tuple[np.ndarray, np.ndarray]:
        """(step, distance to the minimum) for the log panel, computed once per walk."""
        key = (optimizer, float(lr))
        if key not in self._series:
            distance = np.linalg.norm(self.run(optimizer, lr).path - self.minimum, axis=1)
            self._series[key] = log_series(np.arange(len(distance), dtype=float), distance, 1e3)
        return self._series[key]

    def circling(self, r: DescentResult, window: int = 200) -> bool:
        """Has the walk stopped getting closer? Either it was once much nearer the minimum than it ends,
        or its farthest distance over the last ``window`` steps is within 5 % of that over the
        ``window`` steps before."""
        if r.converged or r.diverged or r.steps < 2 * window:
            return False
        d = np.linalg.norm(r.path - self.minimum, axis=1)
        thrown_out = d.min() < 0.1 * d[-1]
        stuck = d[-2 * window : -window].max() < 1.05 * d[-window:].max()
        return bool(thrown_out or stuck)

    def update(self, optimizer: str, lr: float) -> str:
        lr = float(lr)
        lo, hi = zip(expanded_box(*self.XLIM), expanded_box(*self.YLIM))
        r = self.run(optimizer, lr)
        path = clip_walk(r.path, lo, hi)
        self.walk.set_data(path[:, 0], path[:, 1])
        self.dots.set_data(path[: self.DOTS, 0], path[: self.DOTS, 1])
        for artist in (self.walk, self.dots):
            artist.set_color(OPTIMIZER_COLORS[optimizer])
        for name, curve in self.curves.items():
            curve.set_data(*self._distance_series(name, lr))
            chosen = name == optimizer
            curve.set_linewidth(2.6 if chosen else 1.0)
            curve.set_zorder(4 if chosen else 2)
        counts = {name: self.run(name, lr) for name in OPTIMIZERS}
        arrived = {name: c.steps for name, c in counts.items() if c.converged}
        if r.diverged:
            note = "it blew up: this η is past what this rule can take"
        elif not r.converged:
            note = ("with this constant η it circles the minimum without getting closer" if self.circling(r)
                    else "still on its way: too slow to arrive in time")
        elif r.steps == min(arrived.values()):
            note = "the fastest of the four at this η"
        else:
            fastest = min(arrived, key=arrived.get)
            note = f"{fastest} is {ratio_text(r.steps / arrived[fastest])} times faster at this η"
        def steps(c: DescentResult) -> str:
            return f"{c.steps} steps" if c.converged else "blew up" if c.diverged else f"not in {self.steps}"

        return readout(
            ("optimizer", optimizer),
            ("η", f"{lr:g}"),
            ("result", result_words(r, self.minimum)),
            *((name, steps(c)) for name, c in counts.items()),
            note=note,
        )
