"""Figures for Chapter 1 (derivatives). Each scene is built once; ``update`` moves its artists."""

from __future__ import annotations

from typing import Callable

import numpy as np
from matplotlib.ticker import NullFormatter

from .. import calculus
from .scene import Scene, readout
from .style import COLORS, new_figure

__all__ = ["DifferenceErrorScene", "SecantScene", "TangentScene"]

Fn = Callable[[np.ndarray], np.ndarray]


def _padded_limits(ys: np.ndarray, pad: float = 0.06) -> tuple[float, float]:
    span = float(np.ptp(ys)) or 1.0
    return float(ys.min()) - pad * span, float(ys.max()) + pad * span


class SecantScene(Scene):
    r"""A secant through :math:`(x_0, f(x_0))` and :math:`(x_0+h, f(x_0+h))` turning into the tangent.

    ``update(h)`` moves the second point, the secant and the rise/run triangle. ``h`` may be negative
    (the second point then lies left of :math:`x_0`). With ``dfdx=None`` no tangent is drawn: that is
    the picture at a kink, where the slopes from the left and from the right tend to different numbers.
    """

    def __init__(
        self,
        f: Fn,
        dfdx: Fn | None,
        x0: float,
        xlim: tuple[float, float],
        *,
        xlabel: str = "x",
        ylabel: str = "f(x)",
        curve_label: str = "curve y = f(x)",
        ylim: tuple[float, float] | None = None,
        h: float = 1.0,
    ) -> None:
        self.f, self.x0 = f, float(x0)
        self.y0 = float(f(np.float64(x0)))
        self.slope = None if dfdx is None else float(dfdx(np.float64(x0)))
        self.figure, axes = new_figure(7.0, 3.9)
        ax = self.ax = axes[0, 0]
        xs = np.linspace(*xlim, 301)  # odd, so that a kink at the middle is a grid point
        ys = f(xs)
        self._xs = np.array(xlim, dtype=float)
        ax.plot(xs, ys, color=COLORS["curve"], label=curve_label)
        if self.slope is not None:
            tangent = calculus.Line(self.x0, self.y0, self.slope)
            ax.plot(self._xs, tangent(self._xs), "--", color=COLORS["tangent"], lw=1.5, label=f"tangent at P (slope {self.slope:g})")
        (self.secant,) = ax.plot([], [], color=COLORS["secant"], label="secant through P and Q")
        (self.run,) = ax.plot([], [], color=COLORS["ink"], lw=1, ls=":")
        (self.rise,) = ax.plot([], [], color=COLORS["ink"], lw=1, ls=":")
        ax.plot([self.x0], [self.y0], "o", color=COLORS["ink"], zorder=5)
        ax.annotate("P", (self.x0, self.y0), xytext=(-14, 4), textcoords="offset points")
        (self.q_point,) = ax.plot([], [], "o", color=COLORS["secant"], zorder=5)
        self.q_label = ax.annotate("Q", (0, 0), xytext=(6, -12), textcoords="offset points")
        # The rise-over-run triangle, labelled: "run h" under its base, "rise" beside its side.
        self.run_label = ax.annotate("run h", (0, 0), xytext=(0, -13), textcoords="offset points", ha="center", fontsize=9)
        self.rise_label = ax.annotate("rise", (0, 0), xytext=(5, 0), textcoords="offset points", va="center", fontsize=9)
        ax.set(xlim=xlim, ylim=ylim or _padded_limits(ys), xlabel=xlabel, ylabel=ylabel)
        self.figure.legend(loc="outside upper center", ncols=3)
        self.freeze([self.secant, self.run, self.rise, self.q_point, self.q_label, self.run_label, self.rise_label])
        self.update(h)

    def update(self, h: float) -> str:
        x1 = self.x0 + h
        y1 = float(self.f(np.float64(x1)))
        slope = calculus.secant_slope(self.f, self.x0, h)
        self.secant.set_data(self._xs, calculus.Line(self.x0, self.y0, slope)(self._xs))
        self.run.set_data([self.x0, x1], [self.y0, self.y0])
        self.rise.set_data([x1, x1], [self.y0, y1])
        self.q_point.set_data([x1], [y1])
        self.q_label.xy = (x1, y1)
        self.run_label.xy = ((self.x0 + x1) / 2, self.y0)
        self.rise_label.xy = (x1, (self.y0 + y1) / 2)
        # "rise" sits outside the triangle, unless that would push it off the axes (onto the tick labels).
        lo, hi = self._xs
        near_edge = (x1 - lo if h < 0 else hi - x1) < 0.08 * (hi - lo)
        to_right = (h > 0) != near_edge
        self.rise_label.set_horizontalalignment("left" if to_right else "right")
        self.rise_label.xyann = (5, 0) if to_right else (-5, 0)
        # On a tiny triangle the labels would pile up on P: show them only while it is visible.
        big_enough = abs(h) >= 0.5
        self.run_label.set_visible(big_enough)
        self.rise_label.set_visible(big_enough)
        side = "Q right of P (h &gt; 0)" if h > 0 else "Q left of P (h &lt; 0)"
        items = [("h", f"{h:g}"), ("secant slope", f"{slope:.6g}")]
        if self.slope is not None:
            items += [("tangent slope", f"{self.slope:g}"), ("difference", f"{slope - self.slope:.3g}")]
        return readout(*items, note=side)


class TangentScene(Scene):
    r"""The tangent at :math:`x_0` and the linear approximation :math:`f(x_0+\Delta x) \approx f(x_0) + f'(x_0)\Delta x`.

    ``update(x0, dx)`` moves the point of tangency and the step, and shows the approximation error as
    a bar between the curve and the tangent.
    """

    def __init__(self, f: Fn, dfdx: Fn, xlim: tuple[float, float], *, x0: float = 0.0, dx: float = 0.5) -> None:
        self.f, self.dfdx = f, dfdx
        self.figure, axes = new_figure(7.0, 3.9)
        ax = self.ax = axes[0, 0]
        xs = np.linspace(*xlim, 400)
        ys = f(xs)
        self._xs = np.array(xlim, dtype=float)
        ax.plot(xs, ys, color=COLORS["curve"], label="f(x) = x³ − 3x")
        (self.tangent,) = ax.plot([], [], color=COLORS["tangent"], lw=1.5, label="tangent at x₀")
        (self.point,) = ax.plot([], [], "o", color=COLORS["ink"], zorder=5)
        (self.step,) = ax.plot([], [], color=COLORS["ink"], lw=1, ls=":")
        (self.error_bar,) = ax.plot([], [], color=COLORS["accent"], lw=5, alpha=0.85, label="error", solid_capstyle="butt")
        (self.true_point,) = ax.plot([], [], "o", color=COLORS["curve"], zorder=5, label="true f(x₀+Δx)")
        (self.approx_point,) = ax.plot([], [], "s", color=COLORS["tangent"], zorder=5, label="f(x₀) + f′(x₀)Δx")
        ax.set(xlim=xlim, ylim=_padded_limits(ys, 0.08), xlabel="x", ylabel="y")
        self.figure.legend(loc="outside upper center", ncols=5, fontsize=9)
        self.freeze([self.tangent, self.step, self.error_bar, self.point, self.true_point, self.approx_point])
        self.update(x0, dx)

    def update(self, x0: float, dx: float) -> str:
        line = calculus.tangent_line(self.f, x0, self.dfdx)
        x1 = x0 + dx
        true, approx = float(self.f(np.float64(x1))), float(line(x1))
        self.tangent.set_data(self._xs, line(self._xs))
        self.point.set_data([x0], [line.y0])
        self.step.set_data([x0, x1], [line.y0, line.y0])
        self.error_bar.set_data([x1, x1], [true, approx])
        self.true_point.set_data([x1], [true])
        self.approx_point.set_data([x1], [approx])
        return readout(
            ("f′(x₀)", f"{line.slope:.4g}"),
            ("true f(x₀+Δx)", f"{true:.4f}"),
            ("approximation", f"{approx:.4f}"),
            ("error", f"{abs(true - approx):.4f}"),
        )


class DifferenceErrorScene(Scene):
    r"""Error of forward and central differences against the step ``h``, on log-log axes.

    The curves are computed once; ``update(h)`` moves the markers.
    """

    # From 1e-15: at x0 = 1 a step of 1e-16 no longer moves x (1 + 1e-16 == 1 in floating point).
    H_GRID = np.logspace(-15, 0, 301)
    FLOOR = 1e-17  # an error that happens to be exactly 0.0 is drawn here (a log axis has no 0)
    TICK_POWER_STEP = 2  # labelled ticks are 10**2 apart on both axes ...
    TICK_FACTOR = 10**TICK_POWER_STEP  # ... a factor the chapter quotes
    XTICK_POWERS = (-14, 0)  # labelled h ticks: 1e-14, 1e-12, ..., 1e0
    YTICK_POWERS = (-16, 2)  # labelled error ticks: 1e-16, ..., 1e2

    def __init__(self, f: Fn, dfdx: Fn, x0: float, *, name: str = "f", h: float = 1e-4) -> None:
        self.f, self.x0, self.exact = f, float(x0), float(dfdx(np.float64(x0)))
        self.figure, axes = new_figure(7.0, 4.0)
        ax = self.ax = axes[0, 0]
        hs = self.H_GRID
        for method, color in (("forward", COLORS["curve"]), ("central", COLORS["tangent"])):
            errors = np.maximum(calculus.difference_errors(f, dfdx, x0, hs, method=method), self.FLOOR)
            ax.loglog(hs, errors, color=color, lw=1.5, label=f"{method} difference")
        eps = np.finfo(float).eps
        ax.loglog(hs, eps / hs, ":", color=COLORS["ink"], lw=1, label="rounding error ≈ ε/h")
        # Where balancing truncation against rounding predicts the best step (see calculus.default_step).
        for method, color in (("forward", COLORS["curve"]), ("central", COLORS["tangent"])):
            best = float(calculus.default_step(x0, method))
            ax.axvline(best, color=color, lw=1, ls=(0, (2, 3)), label=f"predicted best h, {method}")
        (self.v_line,) = ax.plot([h, h], [self.FLOOR, 1e2], color=COLORS["secant"], lw=1, label="the slider's h")
        (self.forward_dot,) = ax.plot([], [], "o", color=COLORS["curve"], ms=8, zorder=5)
        (self.central_dot,) = ax.plot([], [], "o", color=COLORS["tangent"], ms=8, zorder=5)
        ax.set(xlim=(5e-16, 2.0), ylim=(self.FLOOR, 1e2), xlabel="step h", ylabel=f"error |estimate − {name}′({x0:g})|")
        # Ticks set explicitly (matplotlib's automatic choice differs between versions): a labelled
        # tick every TICK_FACTOR, an unlabelled one at every power of ten.
        for axis, (lo, hi) in ((ax.xaxis, self.XTICK_POWERS), (ax.yaxis, self.YTICK_POWERS)):
            powers = np.arange(lo, hi + 1, self.TICK_POWER_STEP)
            axis.set_ticks(10.0**powers, labels=[f"$10^{{{p}}}$" for p in powers])
            axis.set_ticks(10.0 ** np.arange(lo - self.TICK_POWER_STEP, hi + self.TICK_POWER_STEP + 1), minor=True)
            axis.set_minor_formatter(NullFormatter())
        self.figure.legend(loc="outside upper center", ncols=3, fontsize=9)
        self.freeze([self.v_line, self.forward_dot, self.central_dot])
        self.update(h)

    def update(self, h: float) -> str:
        fwd = calculus.derivative(self.f, self.x0, h=h, method="forward")
        cen = calculus.derivative(self.f, self.x0, h=h, method="central")
        e_fwd, e_cen = (abs(v - self.exact) for v in (fwd, cen))
        self.v_line.set_xdata([h, h])
        # The dots stand on the floor for an error of exactly 0 (the log axis has no 0); the readout
        # still says 0.
        self.forward_dot.set_data([h], [max(e_fwd, self.FLOOR)])
        self.central_dot.set_data([h], [max(e_cen, self.FLOOR)])
        return readout(
            ("h", f"{h:.0e}"),
            ("forward", f"{fwd:.12f} (error {e_fwd:.1e})"),
            ("central", f"{cen:.12f} (error {e_cen:.1e})"),
            note=f"exact {self.exact:.12f}",
        )
