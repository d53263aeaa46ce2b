"""Figures for Chapter 4 (gradient descent). Each scene is built once; ``update`` moves its artists.

Every walk a slider can ask for is computed in ``__init__`` (many at once, with
:func:`dlmath.descent.gradient_descent_lockstep`), so a slider change only looks a walk up and moves
lines. Walks that blow up are cut once they are far outside the picture (see :func:`clip_walk`),
so no huge number, inf or nan ever reaches matplotlib.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from .. import descent
from ..descent import DescentResult, QuadraticThresholds
from .scene import Scene, readout
from .style import COLORS, book_style, new_figure

__all__ = ["MomentumScene", "StartingPointScene", "StepSizeScene", "ValleyScene", "clip_walk", "expanded_box", "log_series",
           "power_of_ten", "ratio_text", "signed", "valley_contours"]

#: Colours of the learning-rate regions in the factor panel under the 1-D and 2-D pictures.
REGION_COLORS = {"creeps": COLORS["muted"], "oscillates": COLORS["accent"], "diverges": COLORS["tangent"]}
#: Contour lines of the maps: a neutral grey, so that walks drawn in blue or green stand out.
CONTOUR = "#9a9a9a"
#: The valley's two directions, the same colours on the map, the distance panel and the factor panel.
ACROSS, ALONG = COLORS["extra"], COLORS["curve"]
FLOOR = 1e-12  # a log-scale series stops where it falls below this (at rounding level, or exactly 0)


# ---------------------------------------------------------------------------------------------
# helpers


def clip_walk(points: np.ndarray, lo: Sequence[float], hi: Sequence[float]) -> np.ndarray:
    """The walk up to where it first leaves the box ``[lo, hi]``, ending exactly on the box's edge.

    ``points`` has one row per iterate. A walk that blows up is drawn leaving the picture in the
    right direction, and matplotlib never sees its huge coordinates.
    """
    lo, hi = np.asarray(lo, dtype=float), np.asarray(hi, dtype=float)
    inside = np.all((points >= lo) & (points <= hi), axis=1)
    if inside.all():
        return points
    j = int(np.argmin(inside))
    if j == 0:
        return points[:1]
    a, b = points[j - 1], points[j]
    d = b - a
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(d > 0, (hi - a) / d, np.where(d < 0, (lo - a) / d, np.inf))
    return np.vstack([points[:j], a + min(float(t.min()), 1.0) * d])


def expanded_box(lo: float, hi: float, by: float = 3.0) -> tuple[float, float]:
    """A box ``by`` widths larger on each side: walks that merely swing out of the picture are kept
    (the axes clip them), walks that blow up are cut before their numbers get huge."""
    return lo - by * (hi - lo), hi + by * (hi - lo)


def log_series(ks: np.ndarray, values: np.ndarray, ceiling: float) -> tuple[np.ndarray, np.ndarray]:
    """``(k, |value|)`` for a log axis, cut where it first leaves ``[FLOOR, ceiling]``: a walk that
    reaches the bottom to within :data:`FLOOR` (or blows up) stops there instead of running along
    the picture's edge."""
    logs = np.log10(np.maximum(np.abs(values), 1e-300))
    pts = clip_walk(np.column_stack([ks, logs]), [ks[0], np.log10(FLOOR)], [ks[-1], np.log10(ceiling)])
    return pts[:, 0], 10.0 ** pts[:, 1]


def _with_factor_panel(
    width: float, height: float, ncols: int, panel: float = 1.45, widths: Sequence[float] | None = None
) -> tuple:
    """A figure with ``ncols`` panels on top and one full-width panel of height ``panel`` below them."""
    grid = {"height_ratios": [height - panel, panel], "width_ratios": widths}
    fig, axes = new_figure(width, height, nrows=2, ncols=ncols, gridspec_kw=grid)
    spec = axes[1, 0].get_subplotspec().get_gridspec()
    for ax in axes[1]:
        ax.remove()
    with book_style():
        factor_ax = fig.add_subplot(spec[1, :])
    return fig, list(axes[0]), factor_ax


FACTOR_YLIM = (-1.7, 1.6)


def _draw_factor_panel(
    ax: Axes,
    t: QuadraticThresholds,
    xmax: float,
    lines: Sequence[tuple[float, str]],
    *,
    steep: str = r"\lambda",
    symbol: str = r"\lambda",
) -> tuple[Line2D, list[Line2D]]:
    r"""The factor :math:`1 - \eta\lambda` by which one step multiplies a distance, against the learning
    rate, one straight line per curvature :math:`\lambda` in ``lines`` (``(curvature, colour)`` pairs),
    over the learning rates coloured by what they do. ``steep`` names the steepest curvature in the
    tick labels, ``symbol`` the curvature in the axis label (TeX). Returns the moving artists: the
    vertical line at the chosen η and one dot per line."""
    edges = {"creeps": (0.0, t.fastest_1d), "oscillates": (t.fastest_1d, t.diverge_lr), "diverges": (t.diverge_lr, xmax)}
    for name, (a, b) in edges.items():
        ax.axvspan(a, b, color=REGION_COLORS[name], alpha=0.32, lw=0)
        ax.text((a + b) / 2, 1.3, name, ha="center", va="center", fontsize=9, color=COLORS["ink"])
    etas = np.array([0.0, xmax])
    ax.plot(etas, [0, 0], color=COLORS["ink"], lw=0.8)
    for level in (1, -1):  # between these two the walk shrinks; outside them it grows
        ax.plot(etas, [level, level], color=COLORS["ink"], lw=0.8, ls=(0, (4, 3)))
    for curvature, color in lines:
        ax.plot(etas, 1 - etas * curvature, color=color, lw=1.8)
    ax.axvline(t.best_lr, color=COLORS["secant"], lw=2.5)
    ax.grid(False)
    ax.set(xlim=(0, xmax), ylim=FACTOR_YLIM, yticks=[-1, 0, 1])
    ax.set_xticks(
        [0, t.fastest_1d, t.diverge_lr],
        ["0", f"$1/{steep}$ = {t.fastest_1d:.3g}", f"$2/{steep}$ = {t.diverge_lr:.3g}"],
    )
    ax.tick_params(labelsize=9)
    ax.set_ylabel(f"factor $1 - \\eta {symbol}$", fontsize=9.5)
    ax.set_xlabel(f"learning rate η   (green: the fastest η = {t.best_lr:.3g})", fontsize=9.5)
    (marker,) = ax.plot([], [], color=COLORS["ink"], lw=2.2)
    dots = [ax.plot([], [], "o", color=color, ms=7, mec=COLORS["ink"], mew=0.8, zorder=5)[0] for _, color in lines]
    return marker, dots


def _move_factor_marker(marker: Line2D, dots: Sequence[Line2D], curvatures: Sequence[float], lr: float) -> None:
    marker.set_data([lr, lr], list(FACTOR_YLIM))
    for dot, curvature in zip(dots, curvatures):
        dot.set_data([lr], [float(np.clip(1 - lr * curvature, *FACTOR_YLIM))])


def signed(value: float, spec: str) -> str:
    """``format(value, spec)`` with a true minus sign (−), as in the prose."""
    return format(value, spec).replace("-", "−")


def _result_words(r: DescentResult) -> str:
    """``r.message`` in plain words; for a walk that blew up, say when it was stopped and why."""
    if r.diverged:
        return f"diverged: over {power_of_ten(descent.BLOWUP)} away at step {r.steps + 1}"
    return r.message


def power_of_ten(value: float) -> str:
    """``1e8`` as "10⁸" (a power of ten written the way the prose writes it)."""
    exponent = int(round(np.log10(value)))
    if not np.isclose(value, 10.0**exponent):
        return f"{value:g}"
    return "10" + str(exponent).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))


def ratio_text(ratio: float) -> str:
    """A ratio for prose: one decimal below 10 ("5.1"), whole numbers above ("335")."""
    return f"{ratio:.1f}" if ratio < 10 else f"{ratio:.0f}"


# ---------------------------------------------------------------------------------------------
# one dimension: f(x) = a x^2


class StepSizeScene(Scene):
    r"""Gradient descent on :math:`f(x) = a x^2` for one learning rate: the steps drawn on the curve,
    the iterates against the step number, and below them the factor :math:`1 - \eta\lambda` against the
    learning rate, over the regions (creeps, oscillates, diverges) coloured.

    ``lrs`` are the learning rates to precompute (a slider's positions); ``update(lr)`` accepts any
    positive rate and computes unseen ones on the fly.
    """

    SHOWN = 20  # iterates drawn

    def __init__(self, a: float = 2.0, x0: float = 1.5, lrs: Sequence[float] = (0.1,), *, steps: int = 1000) -> None:
        self.a, self.x0, self.steps = float(a), float(x0), int(steps)
        self.curvature = 2 * self.a  # λ = f'' of f = a x²
        self.t = descent.quadratic_thresholds([[self.curvature]])
        self._runs: dict[float, DescentResult] = {}
        self._compute([float(lr) for lr in lrs])

        self.figure, (ax, ax_k), factor_ax = _with_factor_panel(7.0, 5.3, 2)
        reach = 1.45 * abs(self.x0)
        xs = np.linspace(-reach, reach, 300)
        ax.plot(xs, self.a * xs**2, color=COLORS["curve"], label=f"f(x) = {self.a:g}x²")
        ax.plot([0], [0], "*", color=COLORS["ink"], ms=11, zorder=6, label="the bottom")
        self._xbox = (-reach, reach)
        self._ybox = (-0.06 * self.a * reach**2, 1.06 * self.a * reach**2)
        ax.set(xlim=self._xbox, ylim=self._ybox, xlabel="x", ylabel="f(x)", title="the steps, drawn on the curve")
        (self.walk,) = ax.plot([], [], "-o", color=COLORS["secant"], lw=1.3, ms=4.5, label="the walk x₀, x₁, x₂, …")
        (self.start,) = ax.plot([], [], "o", color=COLORS["ink"], ms=7, zorder=5, label="start x₀")

        self._kbox = (-2.2 * abs(self.x0), 2.2 * abs(self.x0))
        ax_k.axhline(0, color=COLORS["ink"], lw=1)
        ax_k.set(xlim=(-0.5, self.SHOWN + 0.5), ylim=self._kbox, xlabel="step t", ylabel="$x_t$",
                 title="the position after each step")
        ax_k.set_xticks(range(0, self.SHOWN + 1, 5))
        (self.iterates,) = ax_k.plot([], [], "-o", color=COLORS["secant"], lw=1.3, ms=4.5)

        self.lr_marker, self.lr_dots = _draw_factor_panel(
            factor_ax, self.t, 1.24 * self.t.diverge_lr, [(self.curvature, COLORS["ink"])], steep=r"\lambda", symbol=r"\lambda"
        )
        self.figure.legend(loc="outside upper center", ncols=4, fontsize=9)
        self.freeze([self.walk, self.start, self.iterates, self.lr_marker, *self.lr_dots])
        self.update(lrs[0] if len(lrs) else self.t.fastest_1d)

    def _compute(self, lrs: list[float]) -> None:
        todo = [lr for lr in lrs if lr not in self._runs]
        if todo:
            runs = descent.gradient_descent_lockstep(
                lambda x: self.curvature * x, [self.x0], np.array(todo), steps=self.steps
            )
            self._runs.update(zip(todo, runs))

    def run(self, lr: float) -> DescentResult:
        """The walk for ``lr`` (path of shape ``(steps + 1, 1)``)."""
        self._compute([float(lr)])
        return self._runs[float(lr)]

    def update(self, lr: float) -> str:
        lr = float(lr)
        r = self.run(lr)
        xs = r.path[: self.SHOWN + 1, 0]
        (x_lo, x_hi), (y_lo, y_hi) = expanded_box(*self._xbox), expanded_box(*self._ybox)
        on_curve = clip_walk(np.column_stack([xs, self.a * xs**2]), (x_lo, y_lo), (x_hi, y_hi))
        self.walk.set_data(on_curve[:, 0], on_curve[:, 1])
        self.start.set_data([self.x0], [self.a * self.x0**2])
        over_time = clip_walk(np.column_stack([np.arange(len(xs)), xs]), (-1, expanded_box(*self._kbox)[0]),
                               (self.SHOWN + 1, expanded_box(*self._kbox)[1]))
        self.iterates.set_data(over_time[:, 0], over_time[:, 1])
        _move_factor_marker(self.lr_marker, self.lr_dots, [self.curvature], lr)

        factor = 1 - self.curvature * lr
        regime = descent.learning_rate_regime(lr, [[self.curvature]])
        notes = {
            "creeps": f"each step keeps {factor:.0%} of the distance to the bottom, never overshooting",
            "fastest": "factor 0: the first step lands exactly on the bottom",
            "oscillates": f"factor below 0: every step jumps over the bottom, keeping {abs(factor):.0%} of the distance",
            "on the edge": f"factor −1: it bounces between {signed(-self.x0, 'g')} and {self.x0:g} for ever",
            "diverges": f"|factor| > 1: every jump lands {abs(factor):.2f} times farther out",
        }
        return readout(
            ("η", f"{lr:g}"),
            (f"factor 1 − {self.curvature:g}η", signed(factor, "+.2f")),
            ("result", _result_words(r)),
            note=notes[regime],
        )


# ---------------------------------------------------------------------------------------------
# two dimensions: the narrow valley


def valley_contours(ax: Axes, xlim: tuple[float, float], ylim: tuple[float, float], *, label: bool = True) -> None:
    """Draw the narrow valley's contour lines over ``xlim`` × ``ylim`` on ``ax``, and its minimum (1, 2) as a
    star (labelled for the legend when ``label``)."""
    gx, gy = np.meshgrid(np.linspace(*xlim, 240), np.linspace(*ylim, 200))
    heights = descent.narrow_valley(np.stack([gx, gy], axis=-1)) - 2
    levels = [0.1, 0.5, 2, 8, 30, 120]
    ax.contour(gx, gy, heights, levels=levels, colors=CONTOUR, linewidths=0.8)
    ax.grid(False)  # the contours are the grid here (and every line costs bytes in every frame)
    ax.plot([1], [2], "*", color=COLORS["ink"], ms=12, zorder=6, label="minimum (1, 2)" if label else None)
    ax.set(xlim=xlim, ylim=ylim, xlabel="x", ylabel="y", aspect="equal")


class ValleyScene(Scene):
    r"""Gradient descent on the narrow valley :math:`f(x, y) = (x+y-3)^2 + (x+2y-5)^2 + 2`.

    Left: contours with the walk; the two dashed lines are the valley's own axes (the eigenvectors of
    the Hessian). Right: the distance to the minimum split along those axes, on a log scale: each part
    shrinks by its own factor :math:`|1 - \eta\lambda|` per step. Below: both factors
    :math:`1 - \eta\lambda_{\max}` and :math:`1 - \eta\lambda_{\min}` against the learning rate.
    """

    XLIM, YLIM = (-4.5, 5.5), (-4.5, 5.5)  # wide enough across the valley for the zig-zags
    SHOWN_K = 600  # steps on the right panel's axis
    DOTS = 60  # iterates drawn as dots (the rest as a line)

    def __init__(self, lrs: Sequence[float], starts: Sequence[tuple[float, float]], *, steps: int = 5000) -> None:
        self.lrs, self.starts = [float(v) for v in lrs], [tuple(map(float, s)) for s in starts]
        H = descent.narrow_valley_hessian()
        self.t = descent.quadratic_thresholds(H)
        _, vecs = np.linalg.eigh(H)
        self.along, self.across = vecs[:, 0], vecs[:, 1]  # flat (λ_min) and steep (λ_max) directions
        self.minimum = np.array([1.0, 2.0])
        grid = [(lr, s) for lr in self.lrs for s in self.starts]
        runs = descent.gradient_descent_lockstep(
            descent.narrow_valley_gradient, np.array([s for _, s in grid]), np.array([lr for lr, _ in grid]),
            f=descent.narrow_valley, steps=steps,
        )
        self._runs = dict(zip(grid, runs))
        self.steps = steps

        self.figure, (ax, ax_d), factor_ax = _with_factor_panel(7.2, 5.7, 2, widths=[1.2, 1])
        valley_contours(ax, self.XLIM, self.YLIM)
        for vec, color in ((self.along, ALONG), (self.across, ACROSS)):
            ends = self.minimum + np.outer([-9, 9], vec)
            ax.plot(ends[:, 0], ends[:, 1], "--", color=color, lw=1.0)
        ax.annotate("along", self.minimum - 4.0 * self.along, xytext=(0, -14), textcoords="offset points",
                    fontsize=9, color=ALONG, ha="center", rotation=-31)
        ax.annotate("across", self.minimum + 3.0 * self.across, xytext=(8, 0), textcoords="offset points",
                    fontsize=9, color=ACROSS, ha="left", rotation=58)
        for s in self.starts:
            ax.plot(*s, "o", mfc="none", mec=COLORS["ink"], ms=8, zorder=5)
        (self.line,) = ax.plot([], [], color=COLORS["secant"], lw=1.2, label="the walk")
        (self.dots,) = ax.plot([], [], "o", color=COLORS["secant"], ms=3)
        (self.start,) = ax.plot([], [], "o", color=COLORS["ink"], ms=8, zorder=6, label="start")

        ax_d.set(yscale="log", xlim=(0, self.SHOWN_K), ylim=(FLOOR, 1e3), xlabel="step t",
                 ylabel="distance left (log scale)")
        (self.d_across,) = ax_d.plot([], [], color=ACROSS, lw=1.8, label="across part")
        (self.d_along,) = ax_d.plot([], [], color=ALONG, lw=1.8, label="along part")

        self.lr_marker, self.lr_dots = _draw_factor_panel(
            factor_ax, self.t, 0.17, [(self.t.l_max, ACROSS), (self.t.l_min, ALONG)],
            steep=r"\lambda_{\max}", symbol=r"\lambda",
        )
        self.figure.legend(loc="outside upper center", ncols=5, fontsize=9)
        self.freeze([self.line, self.dots, self.start, self.d_across, self.d_along, self.lr_marker, *self.lr_dots])
        self.update(self.lrs[0], self.starts[0])

    def run(self, lr: float, start: tuple[float, float]) -> DescentResult:
        key = (float(lr), tuple(map(float, start)))
        if key not in self._runs:
            self._runs[key] = descent.gradient_descent(
                descent.narrow_valley_gradient, key[1], key[0], f=descent.narrow_valley, steps=self.steps
            )
        return self._runs[key]

    def update(self, lr: float, start: tuple[float, float]) -> str:
        lr = float(lr)
        r = self.run(lr, start)
        lo, hi = zip(expanded_box(*self.XLIM), expanded_box(*self.YLIM))
        walk = clip_walk(r.path, lo, hi)
        self.line.set_data(walk[:, 0], walk[:, 1])
        self.dots.set_data(walk[: self.DOTS, 0], walk[: self.DOTS, 1])
        self.start.set_data([r.path[0, 0]], [r.path[0, 1]])
        offsets = r.path[: self.SHOWN_K + 1] - self.minimum  # only what the panel's axis shows
        ks = np.arange(len(offsets), dtype=float)
        for artist, vec in ((self.d_across, self.across), (self.d_along, self.along)):
            artist.set_data(*log_series(ks, offsets @ vec, 1e4))
        _move_factor_marker(self.lr_marker, self.lr_dots, [self.t.l_max, self.t.l_min], lr)

        across, along = 1 - lr * self.t.l_max, 1 - lr * self.t.l_min
        end = r.path[-1]
        if r.diverged:
            note = f"the across part is multiplied by {signed(across, '.3f')} every step: it grows"
        elif r.converged:
            note = f"ends at ({end[0]:.4f}, {end[1]:.4f}), where f = {r.values[-1]:.6f}"
        else:
            note = f"not there yet after {r.steps} steps"
        return readout(
            ("η", f"{lr:.3g}"),
            ("start", f"({signed(r.path[0, 0], 'g')}, {signed(r.path[0, 1], 'g')})"),
            ("factor across", signed(across, "+.3f")),
            ("along", signed(along, "+.3f")),
            ("result", _result_words(r)),
            note=note,
        )


# ---------------------------------------------------------------------------------------------
# starting points and local minima


class StartingPointScene(Scene):
    r"""Gradient descent on a curve with two valleys, :func:`dlmath.descent.double_well`, from a chosen start.

    ``update(x0)`` shows the walk on the curve and the iterates over time, and says which valley
    the walk ends in.
    """

    SHOWN = 40
    XLIM = (-2.5, 2.5)

    def __init__(self, starts: Sequence[float], *, lr: float = 0.02, steps: int = 2000) -> None:
        self.lr, self.steps = float(lr), int(steps)
        f, slope = descent.double_well, descent.double_well_slope
        self.f = f
        starts = [float(s) for s in starts]
        runs = descent.gradient_descent_lockstep(
            lambda x: slope(x), np.array(starts)[:, None], self.lr, f=lambda x: f(x[:, 0]), steps=self.steps
        )
        self._runs = dict(zip(starts, runs))
        # the bottoms of the two valleys: where walks from far left and far right end
        ends = descent.gradient_descent_lockstep(lambda x: slope(x), np.array([[-2.0], [2.0]]), self.lr, steps=self.steps, tol=1e-10)
        self.valleys = [float(e.path[-1, 0]) for e in ends]  # deep (left), shallow (right)

        self.figure, axes = new_figure(7.0, 3.7, ncols=2)
        ax, ax_k = axes[0]
        xs = np.linspace(*self.XLIM, 400)
        ys = f(xs)
        # tall enough for every start, so the walk's first point is always in the picture
        top = max(float(np.max(f(np.array(starts)))), 0.0)
        self._ybox = (float(ys.min()) - 1.0, top + 0.2 * (top - float(ys.min())) + 1.0)
        ax.plot(xs, ys, color=COLORS["curve"], label="f(x) = x⁴ − 4x² + x")
        names = ("deep valley", "shallow valley")
        for v, name, marker in zip(self.valleys, names, ("*", "P")):
            ax.plot([v], [f(v)], marker, color=COLORS["ink"], ms=11, zorder=6, label=f"{name} x ≈ {signed(v, '.2f')}")
            ax_k.axhline(v, color=COLORS["ink"], lw=0.8, ls="--")
        ax.set(xlim=self.XLIM, ylim=self._ybox, xlabel="x", ylabel="f(x)")
        ax_k.set(xlim=(-0.5, self.SHOWN + 0.5), ylim=self.XLIM, xlabel="step t", ylabel="$x_t$")
        (self.walk,) = ax.plot([], [], "-o", color=COLORS["secant"], lw=1.2, ms=4)
        (self.start,) = ax.plot([], [], "o", color=COLORS["ink"], ms=7, zorder=5, label="start x₀")
        (self.iterates,) = ax_k.plot([], [], "-o", color=COLORS["secant"], lw=1.2, ms=3.5)
        self.figure.legend(loc="outside upper center", ncols=4, fontsize=9)
        self.freeze([self.walk, self.start, self.iterates])
        self.update(starts[0])

    def run(self, x0: float) -> DescentResult:
        x0 = float(x0)
        if x0 not in self._runs:
            self._runs[x0] = descent.gradient_descent(
                descent.double_well_slope, x0, self.lr, f=self.f, steps=self.steps
            )
        return self._runs[x0]

    def update(self, x0: float) -> str:
        r = self.run(x0)
        xs = np.ravel(r.path)
        lo, hi = expanded_box(*self.XLIM), expanded_box(*self._ybox)
        on_curve = clip_walk(np.column_stack([xs, self.f(xs)]), (lo[0], hi[0]), (lo[1], hi[1]))
        self.walk.set_data(on_curve[:, 0], on_curve[:, 1])
        self.start.set_data([xs[0]], [self.f(xs[0])])
        shown = xs[: self.SHOWN + 1]
        self.iterates.set_data(np.arange(len(shown)), np.clip(shown, *lo))
        end = float(xs[-1])
        nearest = int(np.argmin([abs(end - v) for v in self.valleys]))
        valley = ("the deep valley (the global minimum)", "the shallow valley (a local minimum)")[nearest]
        return readout(
            ("start x₀", signed(xs[0], "g")),
            ("slope there", signed(float(descent.double_well_slope(xs[0])), "+.3f")),
            ("ends at", f"x = {signed(end, '.4f')}, f = {signed(float(self.f(end)), '.4f')}"),
            ("result", _result_words(r)),
            note=f"η = {self.lr:g}; it settles in {valley}",
        )


# ---------------------------------------------------------------------------------------------
# momentum on the narrow valley


class MomentumScene(Scene):
    r"""Heavy-ball momentum against plain gradient descent on the narrow valley.

    ``update(lr, beta)`` draws the walk with momentum :math:`\beta` and, faintly, the plain walk with
    the same :math:`\eta`; the right panel shows :math:`f - 2` for both, on a log scale.
    """

    XLIM, YLIM = (-3.5, 6.0), (-3.0, 6.0)
    SHOWN_K = 400

    def __init__(self, lrs: Sequence[float], betas: Sequence[float], *, start: tuple[float, float] = (5.0, 4.0), steps: int = 5000) -> None:
        self.start_point = np.array(start, dtype=float)
        self.steps = int(steps)
        grid = [(float(lr), float(b)) for lr in lrs for b in {0.0, *map(float, betas)}]
        runs = descent.gradient_descent_lockstep(
            descent.narrow_valley_gradient, self.start_point, np.array([lr for lr, _ in grid]), f=descent.narrow_valley,
            momentum=np.array([b for _, b in grid]), steps=self.steps,
        )
        self._runs = dict(zip(grid, runs))
        self.t = descent.quadratic_thresholds(descent.narrow_valley_hessian())
        self.best = descent.heavy_ball_tuning(descent.narrow_valley_hessian())

        self.figure, axes = new_figure(7.2, 3.9, ncols=2, gridspec_kw={"width_ratios": [1.15, 1]})
        ax, ax_f = axes[0]
        valley_contours(ax, self.XLIM, self.YLIM)
        ax.plot(*self.start_point, "o", color=COLORS["ink"], ms=8, zorder=6, label=f"start ({start[0]:g}, {start[1]:g})")
        (self.plain,) = ax.plot([], [], "-o", color=COLORS["curve"], lw=1.4, ms=2.5, alpha=0.8, label="plain (β = 0)")
        (self.heavy,) = ax.plot([], [], "-o", color=COLORS["secant"], lw=1.3, ms=2.5, label="with momentum β")
        ax.set_title("the walks on the map", fontsize=11)
        ax_f.set(yscale="log", xlim=(0, self.SHOWN_K), ylim=(FLOOR, 1e4), xlabel="step t", ylabel="$f - 2$ (log scale)")
        ax_f.set_title("height above the minimum", fontsize=11)
        (self.plain_f,) = ax_f.plot([], [], color=COLORS["curve"], lw=1.3, alpha=0.7)
        (self.heavy_f,) = ax_f.plot([], [], color=COLORS["secant"], lw=1.6)
        self.figure.legend(loc="outside upper center", ncols=4, fontsize=9)
        self.freeze([self.plain, self.heavy, self.plain_f, self.heavy_f])
        self.update(grid[0][0], grid[0][1])

    def run(self, lr: float, beta: float) -> DescentResult:
        key = (float(lr), float(beta))
        if key not in self._runs:
            self._runs[key] = descent.gradient_descent(
                descent.narrow_valley_gradient, self.start_point, key[0], f=descent.narrow_valley, momentum=key[1], steps=self.steps
            )
        return self._runs[key]

    def update(self, lr: float, beta: float) -> str:
        lr, beta = float(lr), float(beta)
        lo, hi = zip(expanded_box(*self.XLIM), expanded_box(*self.YLIM))
        for (walk, curve), b in (((self.plain, self.plain_f), 0.0), ((self.heavy, self.heavy_f), beta)):
            r = self.run(lr, b)
            path = clip_walk(r.path, lo, hi)
            walk.set_data(path[:, 0], path[:, 1])
            curve.set_data(*log_series(np.arange(len(r.values), dtype=float), r.values - 2, 1e5))
        heavy, plain = self.run(lr, beta), self.run(lr, 0.0)
        curvatures = [self.t.l_min, self.t.l_max]
        factor = float(np.max(descent.contraction_factor(lr, curvatures, beta)))
        plain_factor = float(np.max(descent.contraction_factor(lr, curvatures)))
        edge = 2 * (1 + beta) / self.t.l_max
        if beta == 0:
            note = "β = 0 is plain gradient descent: the two walks are the same"
        elif np.isclose(lr, self.best.lr) and np.isclose(beta, self.best.momentum):
            note = f"Polyak's best pair for this valley: no other pair has a smaller slowest factor ({self.best.factor:.3f})"
        elif heavy.converged and plain.converged:
            ratio = plain.steps / heavy.steps
            note = (f"momentum needs {ratio_text(ratio)} times fewer steps than plain descent" if ratio >= 1
                    else f"momentum needs {ratio_text(1 / ratio)} times more steps than plain descent")
        elif heavy.converged:
            note = f"plain descent blows up at this η; with momentum the edge moves to 2(1 + β)/λ_max = {edge:.3f}"
        elif heavy.diverged:
            note = f"η is past this β's edge 2(1 + β)/λ_max = {edge:.3f}"
        else:
            note = f"not at the bottom after {heavy.steps} steps"
        return readout(
            ("η", f"{lr:.3g}"),
            ("β", f"{beta:.3g}"),
            ("with momentum", _result_words(heavy)),
            ("plain", _result_words(plain)),
            ("slowest factor (in the long run)", f"{factor:.3f} with momentum, {plain_factor:.3f} plain"),
            note=note,
        )
