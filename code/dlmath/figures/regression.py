"""Figures for Chapter 6 (least squares). Each scene is built once; ``update`` moves its artists.

Everything a slider can ask for (the descent walks, the polynomial fits) is computed in ``__init__``,
so a slider change only looks results up and moves lines.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
from matplotlib.collections import PolyCollection

from .. import descent, regression
from ..data import exp_sine, exp_sine_noise
from .descent import CONTOUR, FLOOR, clip_walk, expanded_box, log_series, signed
from .scene import Scene, readout
from .style import COLORS, new_figure

__all__ = ["DegreeScene", "LineFitScene", "ScalingDescentScene"]


def _loss_levels(best: float, factors: Sequence[float] = (1.1, 1.5, 3, 8, 25, 80, 250)) -> list[float]:
    """Contour heights: the smallest loss times a few growing factors (a bowl's contours crowd
    together fast, so equal steps in loss would all sit near the rim)."""
    return [best * f for f in factors]


def _commas(n: int) -> str:
    return f"{n:,}"


# ---------------------------------------------------------------------------------------------
# fit a line by eye


class LineFitScene(Scene):
    r"""A line :math:`y = wx + b` through the data, each residual drawn as a square, beside the loss
    :math:`L(w, b)` (mean of the squares) as contours with the chosen and the best :math:`(w, b)`.

    ``ws`` and ``bs`` are the sliders' values; the map spans them.
    """

    def __init__(self, x: Sequence[float], y: Sequence[float], ws: Sequence[float], bs: Sequence[float],
                 *, xlim: tuple[float, float] = (40.0, 68.0), ylim: tuple[float, float] = (125.0, 195.0)) -> None:
        self.x, self.y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        self.X = regression.line_design(self.x)
        self.best = regression.fit_line(self.x, self.y)
        self.figure, axes = new_figure(7.2, 3.3, ncols=2, gridspec_kw={"width_ratios": [1, 1.05]})
        ax, ax_map = axes[0]

        (points,) = ax.plot(self.x, self.y, "o", color=COLORS["ink"], ms=5, zorder=5, label="the eight people")
        ax.set(xlim=xlim, ylim=ylim, xlabel="weight x (kg)", ylabel="height y (cm)")
        self.squares = PolyCollection([], facecolor=COLORS["accent"], edgecolor=COLORS["tangent"], alpha=0.35, lw=0.8,
                                      label="squared residuals", zorder=2)  # above the grid, as when blitted
        ax.add_collection(self.squares)
        (self.line,) = ax.plot([], [], color=COLORS["curve"], lw=2, zorder=3, label="your line ŷ = wx + b")
        self._xs = np.array(xlim)

        w_lo, w_hi = min(ws), max(ws)
        b_lo, b_hi = min(bs), max(bs)
        pad_w, pad_b = 0.08 * (w_hi - w_lo), 0.08 * (b_hi - b_lo)
        self.map_box = ((w_lo - pad_w, w_hi + pad_w), (b_lo - pad_b, b_hi + pad_b))
        gw, gb = np.meshgrid(np.linspace(*self.map_box[0], 220), np.linspace(*self.map_box[1], 200))
        losses = regression.linear_loss(np.stack([gw, gb], axis=-1), self.X, self.y)
        ax_map.contour(gw, gb, losses, levels=_loss_levels(self.best.loss), colors=CONTOUR, linewidths=0.8)
        ax_map.grid(False)
        ax_map.plot([self.best.w], [self.best.b], "*", color=COLORS["ink"], ms=12, zorder=6, label="the best (w, b)")
        ax_map.set(xlim=self.map_box[0], ylim=self.map_box[1], xlabel="slope w", ylabel="intercept b",
                   title="loss L(w, b): contours", )
        ax_map.title.set_fontsize(10)
        (self.point,) = ax_map.plot([], [], "o", color=COLORS["curve"], ms=8, mec=COLORS["ink"], zorder=7,
                                    label="your (w, b)")
        self.figure.legend(loc="outside upper center", ncols=3, fontsize=9)
        self.freeze([self.squares, self.line, self.point], on_top=[points])  # the people stay visible
        # A residual of r cm is drawn r cm tall and as many pixels wide: a true square on screen.
        (px0, py0), (px1, py1) = ax.transData.transform([(0, 0), (1, 1)])
        self._width_per_cm = (py1 - py0) / (px1 - px0)
        self.update(ws[0], bs[0])

    def update(self, w: float, b: float) -> str:
        w, b = float(w), float(b)
        self.line.set_data(self._xs, w * self._xs + b)
        pred = w * self.x + b
        side = pred - self.y
        width = np.abs(side) * self._width_per_cm
        # each square hangs between the point and the line, on the point's right
        verts = [
            [(xi, yi), (xi + wi, yi), (xi + wi, yi + si), (xi, yi + si)]
            for xi, yi, wi, si in zip(self.x, self.y, width, side)
        ]
        self.squares.set_verts(verts)
        self.point.set_data([w], [b])
        loss = float(np.mean(side**2))
        ratio = loss / self.best.loss
        if ratio < 1.05:
            note = f"within 5% of the smallest loss, {self.best.loss:.1f}: by eye, as good as it gets"
        else:
            note = f"the best line's loss is {self.best.loss:.1f}: yours is {ratio:.1f} times as large"
        return readout(
            ("w", f"{w:g}"),
            ("b", f"{b:g}"),
            ("loss L = mean of the squares", f"{loss:,.1f} cm²"),
            note=note,
        )


# ---------------------------------------------------------------------------------------------
# gradient descent on the line fit: raw kilograms or scaled input


class ScalingDescentScene(Scene):
    r"""Gradient descent on the line's loss with the input as it is (kilograms) or centred and scaled.

    ``fractions`` are learning rates as fractions of each problem's edge :math:`2/\lambda_{\max}`.
    Left: the walk on the loss's contours, in the parameters of the chosen input (two maps, one cached
    background each). Right: how far the loss is above its minimum, step by step, for both inputs.
    """

    MODES = ("raw", "scaled")
    DOTS = 40

    def __init__(self, x: Sequence[float], y: Sequence[float], fractions: Sequence[float], *,
                 steps: int = 2000, tol: float = 1e-5) -> None:
        self.x, self.y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        self.fractions, self.steps, self.tol = [float(f) for f in fractions], int(steps), float(tol)
        self.scaling = regression.standardize(self.x)
        self.X = {"raw": regression.line_design(self.x), "scaled": regression.line_design(self.scaling.values)}
        self.H = {m: regression.linear_loss_hessian(X) for m, X in self.X.items()}
        self.t = {m: descent.quadratic_thresholds(H) for m, H in self.H.items()}
        self.best = {m: regression.least_squares(X, self.y) for m, X in self.X.items()}
        self.best_loss = regression.fit_line(self.x, self.y).loss
        self.start = np.zeros(2)
        self._runs: dict[tuple[str, float], descent.DescentResult] = {}
        self._needed: dict[tuple[str, float], int | None] = {}
        for mode, X in self.X.items():
            lrs = np.array(self.fractions) * self.t[mode].diverge_lr
            runs = descent.gradient_descent_lockstep(
                lambda th, X=X: regression.linear_loss_gradient(th, X, self.y), self.start, lrs,
                f=lambda th, X=X: regression.linear_loss(th, X, self.y), steps=self.steps, tol=self.tol,
            )
            for frac, lr, run in zip(self.fractions, lrs, runs):
                self._runs[mode, frac] = run
                self._needed[mode, frac] = regression.descent_steps_needed(
                    self.H[mode], self.start - self.best[mode], float(lr), self.tol)

        self.figure, axes = new_figure(7.2, 3.5, ncols=2, gridspec_kw={"width_ratios": [1, 1.1]})
        ax_raw, ax_loss = axes[0]
        spec = ax_raw.get_subplotspec()
        ax_scaled = self.figure.add_subplot(spec)
        self.maps = {"raw": ax_raw, "scaled": ax_scaled}
        w_raw, b_raw = self.best["raw"]
        w_s, b_s = self.best["scaled"]
        self.boxes = {
            "raw": ((-0.4, 3.9), (-20.0, 150.0)),
            # equal scales on both axes, so that the round bowl looks round
            "scaled": ((w_s - 100.0, w_s + 100.0), (b_s / 2 - 100.0, b_s / 2 + 100.0)),
        }
        self.walks, self.dots, self.ends = {}, {}, {}
        for mode, ax in self.maps.items():
            (w_lo, w_hi), (b_lo, b_hi) = self.boxes[mode]
            gw, gb = np.meshgrid(np.linspace(w_lo, w_hi, 160), np.linspace(b_lo, b_hi, 150))  # smooth ellipses
            losses = regression.linear_loss(np.stack([gw, gb], axis=-1), self.X[mode], self.y)
            ax.contour(gw, gb, losses, levels=_loss_levels(self.best_loss, (1.5, 5, 25, 120, 600)), colors=CONTOUR,
                       linewidths=0.8)
            ax.grid(False)
            ax.plot(*self.best[mode], "*", color=COLORS["ink"], ms=12, zorder=6)
            ax.plot(*self.start, "o", color=COLORS["ink"], ms=6, zorder=6)
            name = "w  (cm per kg)" if mode == "raw" else "w′  (cm per standard deviation)"
            ax.set(xlim=(w_lo, w_hi), ylim=(b_lo, b_hi), xlabel=f"slope {name}",
                   ylabel="intercept b" if mode == "raw" else "intercept b′")
            if mode == "scaled":
                ax.set_aspect("equal", adjustable="box")
            (self.walks[mode],) = ax.plot([], [], color=COLORS["secant"], lw=1.3)
            (self.dots[mode],) = ax.plot([], [], "o", color=COLORS["secant"], ms=3)
            (self.ends[mode],) = ax.plot([], [], "o", color=COLORS["secant"], ms=8, mec=COLORS["ink"], zorder=7)

        ax_loss.set(yscale="log", xlim=(0, self.steps), ylim=(FLOOR, 1e5), xlabel="step t",
                    ylabel="loss above its minimum")
        (self.loss_raw,) = ax_loss.plot([], [], color=COLORS["tangent"], lw=1.8, label="raw input (kg)")
        (self.loss_scaled,) = ax_loss.plot([], [], color=COLORS["curve"], lw=1.8, label="centred and scaled input")
        # invisible stand-ins give the legend the map's symbols
        ax_loss.plot([], [], "*", color=COLORS["ink"], ms=10, label="the minimum")
        ax_loss.plot([], [], "-o", color=COLORS["secant"], ms=3, lw=1.3, label="the walk from (0, 0)")
        self.figure.legend(loc="outside upper center", ncols=4, fontsize=9)

        # Lay out with the raw map (its tick labels are the wider ones), cache its background, then
        # draw the scaled map in the same place and cache that background too.
        ax_scaled.set_visible(False)
        self.freeze([*self.walks.values(), *self.dots.values(), *self.ends.values(), self.loss_raw, self.loss_scaled])
        self._backgrounds = {"raw": self._still}
        ax_raw.set_visible(False)
        ax_scaled.set_visible(True)
        self.figure.canvas.draw()
        self._backgrounds["scaled"] = self.figure.canvas.copy_from_bbox(self.figure.bbox)
        self.mode = "raw"
        self.update(self.fractions[0], "raw")

    def run(self, fraction: float, mode: str) -> descent.DescentResult:
        return self._runs[mode, float(fraction)]

    def needed(self, fraction: float, mode: str) -> int | None:
        """Steps to convergence, from the factors of the bowl (no walking)."""
        return self._needed[mode, float(fraction)]

    def update(self, fraction: float, mode: str) -> str:
        if mode not in self.MODES:
            raise ValueError(f"mode must be one of {self.MODES}, got {mode!r}")
        fraction = float(fraction)
        self.mode = mode
        self._still = self._backgrounds[mode]
        for other, ax in self.maps.items():
            ax.set_visible(other == mode)
        for m in self.MODES:
            r = self.run(fraction, m)
            if m == mode:
                lo, hi = zip(*(expanded_box(*lim) for lim in self.boxes[m]))
                walk = clip_walk(r.path, lo, hi)
                self.walks[m].set_data(walk[:, 0], walk[:, 1])
                self.dots[m].set_data(walk[: self.DOTS, 0], walk[: self.DOTS, 1])
                if r.diverged or len(walk) < len(r.path):
                    self.ends[m].set_data([], [])
                else:
                    self.ends[m].set_data([r.path[-1, 0]], [r.path[-1, 1]])
            else:
                for artist in (self.walks[m], self.dots[m], self.ends[m]):
                    artist.set_data([], [])
            excess = r.values - self.best_loss
            line = self.loss_raw if m == "raw" else self.loss_scaled
            line.set_data(*log_series(np.arange(len(excess), dtype=float), excess, 1e6))

        r, t = self.run(fraction, mode), self.t[mode]
        lr = fraction * t.diverge_lr
        w, b = r.path[-1]
        if mode == "scaled":  # the same line in kilograms
            w, b = w / self.scaling.scale, b - w * self.scaling.mean / self.scaling.scale
        needed = self.needed(fraction, mode)
        if r.converged:
            result = f"converged in {_commas(r.steps)} {'step' if r.steps == 1 else 'steps'}"
            note = f"the line is ŷ = {w:.4f}x + {b:.3f}"
        elif r.diverged:
            result = f"diverged after {_commas(r.steps)} steps"
            note = f"past the edge 2/λ_max the steepest direction's factor is {signed(1 - lr * t.l_max, '.3f')}: it grows"
        else:
            result = f"not there after {_commas(r.steps)} steps"
            total = "never" if needed is None else f"{_commas(needed)} steps in all"
            note = f"the line is still ŷ = {w:.3f}x {'+' if b >= 0 else '−'} {abs(b):.2f}; it needs {total}"
        return readout(
            ("η", f"{lr:.3g}"),
            ("λ_max", f"{t.l_max:.4g}"),
            ("κ", f"{t.l_max / t.l_min:,.0f}"),
            ("result", result),
            note=note,
        )


# ---------------------------------------------------------------------------------------------
# polynomial degree: underfitting, overfitting, and the same experiment repeated


class DegreeScene(Scene):
    r"""A polynomial of degree :math:`p` fitted by least squares to a few noisy points of
    :math:`e^{\sin 2\pi x}`; training and test error against the degree; and fits of the same degree to
    ``resamples`` data sets with the same x and fresh noise.
    """

    YLIM = (-1.2, 4.2)

    def __init__(self, x_train: Sequence[float], y_train: Sequence[float], x_test: Sequence[float],
                 y_test: Sequence[float], degrees: Sequence[int], *, noise: float = 0.3, resamples: int = 20,
                 seed: int = 1) -> None:
        self.x, self.y = np.asarray(x_train, dtype=float), np.asarray(y_train, dtype=float)
        self.x_test, self.y_test = np.asarray(x_test, dtype=float), np.asarray(y_test, dtype=float)
        self.degrees = [int(p) for p in degrees]
        self.grid = np.linspace(0.0, 1.0, 200)  # smooth enough, and 20 curves stay cheap to draw
        self.fits = {p: regression.fit_polynomial(self.x, self.y, p) for p in self.degrees}
        self.train_err = np.array([self.fits[p].train_loss for p in self.degrees])
        self.test_err = np.array([regression.mse(self.fits[p](self.x_test), self.y_test) for p in self.degrees])
        # the same experiment repeated: same x, fresh noise, each data set fitted at every degree
        self.resampled_y = [exp_sine_noise(self.x, noise=noise, seed=seed + k) for k in range(resamples)]
        self.resampled = {
            p: np.array([regression.fit_polynomial(self.x, ys, p)(self.grid) for ys in self.resampled_y])
            for p in self.degrees
        }

        self.figure, axes = new_figure(7.4, 3.0, ncols=3, gridspec_kw={"width_ratios": [1, 0.9, 1]})
        ax_fit, ax_err, ax_many = axes[0]
        truth = exp_sine(self.grid)
        for ax in (ax_fit, ax_many):
            ax.plot(self.grid, truth, "--", color=COLORS["ink"], lw=1.2)
            ax.set(xlim=(0, 1), ylim=self.YLIM, xlabel="x")
        ax_fit.plot(self.x_test, self.y_test, ".", color=COLORS["muted"], ms=3.5, label="test points")
        (points,) = ax_fit.plot(self.x, self.y, "o", color=COLORS["ink"], ms=4.5, zorder=5, label="training points")
        ax_fit.set(ylabel="y", title="the fit")
        (self.curve,) = ax_fit.plot([], [], color=COLORS["tangent"], lw=1.8, label="fitted polynomial")
        ax_fit.plot([], [], "--", color=COLORS["ink"], lw=1.2, label="true curve e^{sin 2πx}".replace("e^{sin 2πx}", "$e^{\\sin 2\\pi x}$"))

        ax_err.plot(self.degrees, self.train_err, "-o", color=COLORS["secant"], ms=3.5, lw=1.5, label="training error")
        ax_err.plot(self.degrees, self.test_err, "-o", color=COLORS["curve"], ms=3.5, lw=1.5, label="test error")
        ax_err.axhline(noise**2, color=COLORS["ink"], lw=0.8, ls=":")
        top = max(float(np.max(self.test_err)) * 3, 10.0)
        ax_err.set(yscale="log", ylim=(1e-4, top), xlim=(min(self.degrees) - 0.5, max(self.degrees) + 0.5),
                   xlabel="degree p", ylabel="mean squared error", title="errors (log scale)")
        ax_err.set_xticks(range(0, max(self.degrees) + 1, 2))
        ax_err.tick_params(axis="x", labelsize=8.5)  # two-digit degrees side by side
        (self.marker,) = ax_err.plot([], [], color=COLORS["tangent"], lw=1.5)

        ax_many.set(title=f"{resamples} resampled data sets", ylabel="y")
        self.many = [ax_many.plot([], [], color=COLORS["tangent"], lw=0.8, alpha=0.55)[0] for _ in range(resamples)]
        for ax in axes[0]:
            ax.title.set_fontsize(10)
        self.figure.legend(loc="outside upper center", ncols=3, fontsize=8.5)
        self.freeze([self.curve, self.marker, *self.many], on_top=[points])
        self.update(self.degrees[0])

    def _clipped(self, values: np.ndarray) -> np.ndarray:
        lo, hi = expanded_box(*self.YLIM, by=1.0)
        return np.clip(values, lo, hi)  # a wild curve leaves the picture; matplotlib never sees 1e6

    def update(self, degree: int) -> str:
        p = int(degree)
        if p not in self.fits:
            raise ValueError(f"degree must be one of {self.degrees}, got {degree!r}")
        self.curve.set_data(self.grid, self._clipped(self.fits[p](self.grid)))
        self.marker.set_data([p, p], [1e-4, 1e12])
        for line, values in zip(self.many, self.resampled[p]):
            line.set_data(self.grid, self._clipped(values))
        i = self.degrees.index(p)
        n = len(self.x)
        train, test = float(self.train_err[i]), float(self.test_err[i])
        if p + 1 >= n:
            note = f"{p + 1} parameters for {n} points: the curve passes through every training point"
        elif test > 3 * float(self.test_err.min()) and p > int(np.argmin(self.test_err)):
            note = "overfitting: the curve follows the noise, and new points are missed"
        elif p < int(np.argmin(self.test_err)) and test > 1.5 * float(self.test_err.min()):
            note = "underfitting: too stiff to follow the curve"
        else:
            note = "close to the best test error"
        return readout(
            ("degree p", f"{p}"),
            ("parameters", f"{p + 1}"),
            ("training error", f"{train:.3g}"),
            ("test error", f"{test:.3g}"),
            note=note,
        )
