"""Figures for Chapter 9 (any curve from sigmoids). Scenes are built once; ``update`` moves their artists.

* :class:`SigmoidUnitScene`: one unit :math:`c\\,\\sigma(b + wx)` against a ramp it should imitate.
* :class:`UnitsScene`: a curve followed by :math:`N` units of a chosen shape, the units themselves,
  and the error against :math:`N` on log-log axes. Every fit is computed once, when the scene is built.
* :func:`pieces_figure`, :func:`steps_figure`, :func:`training_figure`, :func:`tower_figure`: still
  figures.
"""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure

from .. import approx
from ..activations import ACTIVATIONS, hard_sigmoid, sigmoid
from ..data import nielsen_curve, piecewise_curve_knots
from .scene import Scene, readout
from .style import COLORS, book_style, new_figure

__all__ = [
    "SHAPES",
    "SHAPE_LABELS",
    "SHAPE_NAMES",
    "SigmoidUnitScene",
    "UnitsScene",
    "approximation",
    "pieces_figure",
    "steps_figure",
    "tower_figure",
    "training_figure",
]

#: Colours of the pieces, in turn (the book's palette without the target's colour).
PIECE_COLORS = [COLORS[k] for k in ("curve", "secant", "accent", "extra", "muted")]
TARGET = COLORS["tangent"]  # the curve to follow is drawn in red throughout the chapter


def _minus(text: str) -> str:
    return text.replace("-", "−")


# ---------------------------------------------------------------------------------------------
# one sigmoid unit


class SigmoidUnitScene(Scene):
    r"""One unit :math:`c\,\sigma(b + wx)` and the ramp :math:`\mathrm{hard\ sigmoid}(x - 1)` it is meant
    to imitate. The dotted line marks the midpoint :math:`x = -b/w`, the dashed one the height
    :math:`c`. ``update(c, b, w)`` redraws them; the readout scores the mean distance to the ramp."""

    XLIM = (-3.0, 6.0)
    YLIM = (-1.2, 1.75)

    def __init__(self, c: float = 1.0, b: float = -2.0, w: float = 1.0) -> None:
        self.figure, axes = new_figure(7.0, 2.9)
        ax = self.ax = axes[0, 0]
        self._xs = np.linspace(*self.XLIM, 901)
        self._ramp = hard_sigmoid(self._xs - 1.0)
        ax.axhline(0, color=COLORS["ink"], lw=0.8)
        ax.plot(self._xs, self._ramp, color=TARGET, lw=5, alpha=0.35, solid_capstyle="butt", label="the ramp to imitate")
        (self.curve,) = ax.plot([], [], color=COLORS["curve"], lw=2.2, label="unit c·σ(b + wx)")
        self.height = ax.axhline(0.0, color=COLORS["curve"], lw=1.0, ls="--", label="height c")
        self.middle = ax.axvline(0.0, color=COLORS["ink"], lw=1.0, ls=":", label="midpoint x = −b/w")
        ax.set(xlim=self.XLIM, ylim=self.YLIM, xlabel="input x", ylabel="output")
        self.figure.legend(loc="outside upper center", ncols=4, fontsize=9)
        self.freeze([self.curve, self.height, self.middle])
        self.update(c, b, w)

    def update(self, c: float, b: float, w: float) -> str:
        y = c * sigmoid(b + w * self._xs)
        self.curve.set_data(self._xs, y)
        self.height.set_ydata([c, c])
        middle = -b / w + 0.0  # + 0.0 turns -0.0 into 0.0
        self.middle.set_xdata([middle, middle])
        inside = self.XLIM[0] < middle < self.XLIM[1]
        self.middle.set_visible(inside)
        gap = float(np.mean(np.abs(y - self._ramp)))
        if gap < 0.03:
            note = "close to the ramp"
        elif not inside:
            note = "the midpoint is outside the picture"
        else:
            note = "height c, midpoint −b/w, steepness w"
        return readout(
            ("height c", _minus(f"{c:g}")),
            ("midpoint −b/w", _minus(f"{middle:.3g}")),
            ("steepest slope c·w/4", _minus(f"{c * w / 4:.3g}")),
            ("mean distance to the ramp", f"{gap:.3f}"),
            note=note,
        )


# ---------------------------------------------------------------------------------------------
# N units of a shape following a curve


#: The unit shapes of :class:`UnitsScene`.
SHAPES = ("bumps", "ramps", "relu")
#: How each shape is named in legends ...
SHAPE_NAMES = {
    "bumps": "sigmoid bumps (steep steps)",
    "ramps": "hard-sigmoid ramps",
    "relu": "ReLUs, least squares",
}
#: ... and, shorter, on the selector.
SHAPE_LABELS = {"bumps": "sigmoid bumps", "ramps": "hard-sigmoid ramps", "relu": "ReLUs, least squares"}


def approximation(shape: str, n: int, f: Callable = nielsen_curve, x: np.ndarray | None = None,
                  x_range: tuple[float, float] = (0.0, 1.0)) -> approx.CurveModel:
    """The model of :class:`UnitsScene` for a shape and a number of pieces ``n``.

    ``"bumps"``: :func:`dlmath.approx.staircase` with ``n`` bumps (``2n`` sigmoids, steepness 1000);
    ``"ramps"``: the curve through ``f`` at ``n + 1`` evenly spaced points as a constant plus ``n``
    hard sigmoids (:func:`dlmath.approx.piecewise_linear`); ``"relu"``: ``n`` ReLUs with joints
    spread evenly and output weights fitted by least squares to ``f`` on ``x``
    (:func:`dlmath.approx.fit_curve`).
    """
    if shape == "bumps":
        return approx.staircase(f, n, x_range)
    if shape == "ramps":
        knots = np.linspace(*x_range, n + 1)
        return approx.piecewise_linear(knots, f(knots), "hard_sigmoid")
    if shape == "relu":
        xs = np.linspace(*x_range, 1001) if x is None else x
        return approx.fit_curve(xs, f(xs), n, "relu")
    raise ValueError(f"shape must be one of {SHAPES}, got {shape!r}")


def _piece_lines(model: approx.CurveModel, shape: str, x_range: tuple[float, float]) -> list[np.ndarray]:
    """Each piece as a polyline: a bump (two sigmoids) or one unit. A unit is straight except close to
    its bend, so it is sampled at the ends of the range and around its bend (in units of its own width
    1/|w|). A ReLU or a hard sigmoid is straight except at its corners, 0 and 1: those points draw it
    exactly (and few points keep a live update fast); a sigmoid gets a dozen points around its middle."""
    group = 2 if shape == "bumps" else 1
    f = ACTIVATIONS[model.activation].function
    if model.activation in ("relu", "hard_sigmoid"):
        offsets = np.array([0.0, 1.0])
    else:
        offsets = np.array([-6.0, -3.0, -1.5, -0.75, -0.25, 0.0, 0.25, 0.75, 1.5, 3.0, 6.0])
    lo, hi = x_range
    lines = []
    for first in range(0, model.n_units, group):
        units = slice(first, first + group)
        near = (model.joints[units, None] + offsets / np.abs(model.w[units, None])).ravel()
        xs = np.union1d([lo, hi], near[(near > lo) & (near < hi)])
        ys = np.asarray(f(np.multiply.outer(xs, model.w[units]) + model.bi[units])) @ model.c[units]
        lines.append(np.column_stack([xs, ys]))
    return lines


class UnitsScene(Scene):
    r"""A curve (red) followed by :math:`N` units of a shape; below, the units one by one; beside, the
    mean absolute error against :math:`N` for every shape, on log-log axes, the current one marked.

    Every model is built (and fitted) once, for every shape and every ``n`` in ``ns``, when the scene
    is made; ``update(n, shape)`` only swaps the data of the moving artists.
    """

    PIECES_YLIM = (-1.05, 1.05)

    def __init__(self, ns: Sequence[int] = (1, 2, 3, 5, 8, 13, 20, 30, 50, 100), n: int = 5, shape: str = "bumps",
                 f: Callable = nielsen_curve) -> None:
        self.ns = tuple(int(k) for k in ns)
        self._x = np.linspace(0.0, 1.0, 1001)
        self._target = f(self._x)
        self.models, self.errors, self._fits, self._pieces = {}, {}, {}, {}
        for s in SHAPES:
            for k in self.ns:
                model = approximation(s, k, f, self._x)
                fitted = model(self._x)
                self.models[s, k] = model
                self.errors[s, k] = approx.curve_errors(fitted, self._target)
                self._fits[s, k] = fitted
                self._pieces[s, k] = _piece_lines(model, s, (0.0, 1.0))
        # The panel of units is fixed (its background is cached). Least squares makes some ReLUs large,
        # cancelling each other; those run off the panel (the readout gives the largest).
        self._largest = {key: max(float(np.abs(p[:, 1]).max()) for p in lines) for key, lines in self._pieces.items()}
        lo, hi = self.PIECES_YLIM

        with book_style():
            self.figure, axes = new_figure(7.0, 3.5, nrows=2, ncols=2,
                                           gridspec_kw={"width_ratios": [1.4, 1], "height_ratios": [1.2, 1]})
            spec = axes[0, 1].get_subplotspec().get_gridspec()
            axes[0, 1].remove()
            axes[1, 1].remove()
            self.err_ax = self.figure.add_subplot(spec[:, 1])
        self.ax, self.pieces_ax = axes[0, 0], axes[1, 0]
        ax = self.ax
        ax.plot(self._x, self._target, color=TARGET, lw=5, alpha=0.35, solid_capstyle="butt", label="target f(x)")
        (self.fit,) = ax.plot([], [], color=COLORS["ink"], lw=1.4, label="b + sum of the units")
        fits = np.concatenate(list(self._fits.values()))
        ax.set(xlim=(0, 1), ylim=(min(fits.min(), self._target.min()) - 0.05, max(fits.max(), self._target.max()) + 0.15),
               ylabel="y")
        ax.tick_params(labelbottom=False)
        ax.legend(loc="upper left", ncols=2, fontsize=9)
        self.pieces = LineCollection([], linewidths=0.9)
        self.pieces_ax.add_collection(self.pieces)
        self.pieces_ax.axhline(0, color=COLORS["ink"], lw=0.8)
        self.pieces_ax.set(xlim=(0, 1), ylim=(lo, hi), xlabel="input x", ylabel="each unit")

        ea = self.err_ax
        ea.set_xscale("log")
        ea.set_yscale("log")
        ns_arr = np.array(self.ns, dtype=float)
        self._error_lines = {}
        for s, color, marker in zip(SHAPES, (COLORS["curve"], COLORS["secant"], COLORS["extra"]), ("o", "s", "^")):
            errs = [self.errors[s, k].mean_abs for k in self.ns]
            (self._error_lines[s],) = ea.plot(ns_arr, errs, color=color, lw=1.3, marker=marker, ms=3.5, label=SHAPE_NAMES[s])
        # Guides with the slopes −1 and −2, below the steps' and the ReLUs' errors (same value at N = 100).
        last = ns_arr[-1]
        for s, power, text in (("bumps", 1, "1/N"), ("relu", 2, "1/N²")):
            guide = 0.45 * self.errors[s, self.ns[-1]].mean_abs * (last / ns_arr) ** power
            keep = ns_arr >= 5
            ea.plot(ns_arr[keep], guide[keep], color=COLORS["ink"], lw=0.9, ls=(0, (4, 3)))
            ea.text(last * 1.15, guide[-1], text, fontsize=8, color=COLORS["ink"], ha="left", va="center")
        all_errs = [e.mean_abs for e in self.errors.values()]
        ea.set(xlabel="pieces N", ylabel="mean |error|", ylim=(min(all_errs) / 4, max(all_errs) * 12),  # room for the legend on top
               xlim=(ns_arr[0] / 1.5, ns_arr[-1] * 1.5))
        ea.legend(loc="upper right", fontsize=7.5)
        (self.current_line,) = ea.plot([], [], lw=2.6, color=COLORS["ink"], alpha=0.6)
        (self.marker,) = ea.plot([], [], "o", ms=11, mfc="none", mec=COLORS["tangent"], mew=2.2)
        # The legends sit where no moving artist goes (a test checks the blitted picture), so they need
        # not be redrawn on top at every update: redrawing text is what makes an update slow.
        self.freeze([self.fit, self.pieces, self.current_line, self.marker])
        self.update(n, shape)

    def update(self, n: int, shape: str) -> str:
        model = self.models[shape, n]
        self.fit.set_data(self._x, self._fits[shape, n])
        lines = self._pieces[shape, n]
        self.pieces.set_segments(lines)
        self.pieces.set_color([PIECE_COLORS[i % len(PIECE_COLORS)] for i in range(len(lines))])
        self.current_line.set_data(*self._error_lines[shape].get_data())
        err = self.errors[shape, n]
        self.marker.set_data([n], [err.mean_abs])
        if shape == "bumps":
            units = f"{n} bump{'s' if n > 1 else ''} = {model.n_units} sigmoids"
        elif shape == "ramps":
            units = f"{n} hard sigmoid{'s' if n > 1 else ''}"
        else:
            units = f"{n} ReLU{'s' if n > 1 else ''}"
        return readout(
            ("units", units),
            ("parameters 3·units + 1", f"{3 * model.n_units + 1}"),
            ("mean |error|", f"{err.mean_abs:.2g}"),
            ("largest |error|", f"{err.max_abs:.2g}"),
            ("largest unit", f"{self._largest[shape, n]:.2g}"),
            note="some units run off the lower panel" if self._largest[shape, n] > self.PIECES_YLIM[1] else "",
        )


# ---------------------------------------------------------------------------------------------
# still figures


def pieces_figure() -> Figure:
    """The piecewise-linear red curve as a constant plus one hard-sigmoid ramp per piece, each drawn in
    its colour, and their sum."""
    fig, axes = new_figure(7.0, 3.1)
    ax = axes[0, 0]
    x = np.linspace(-0.1, 1.1, 601)
    knots_x, knots_y = piecewise_curve_knots()
    model = approx.piecewise_linear(knots_x, knots_y, "hard_sigmoid")
    ax.axhline(0, color=COLORS["ink"], lw=0.8)
    ax.plot(x, np.full_like(x, model.b), color=COLORS["muted"], lw=1.6, ls="--", label=f"constant b = {model.b:g}")
    for k, piece in enumerate(model.units(x).T):
        rise = f"{model.c[k]:+g}".replace("-", "−")
        ax.plot(x, piece, color=PIECE_COLORS[k % len(PIECE_COLORS)], lw=1.6, label=f"ramp {k + 1} (rise {rise})")
    ax.plot(x, model(x), color=TARGET, lw=2.6, alpha=0.6, label="their sum: the red curve")
    ax.set(xlabel="input x", ylabel="y", ylim=(-0.7, 1.05))
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=9)
    return fig


def steps_figure(n_bumps: int = 5) -> Figure:
    r"""Left: :math:`\sigma(w(x - 0.5))` steepening into a step. Middle: a step up minus a step down is
    a bump. Right: ``n_bumps`` bumps following :func:`dlmath.data.nielsen_curve`."""
    fig, axes = new_figure(7.6, 2.8, ncols=3)
    a, b, c = axes[0]
    x = np.linspace(0, 1, 1001)
    for w, color in zip((5, 20, 100, 1000), (COLORS["muted"], COLORS["secant"], COLORS["accent"], COLORS["curve"])):
        a.plot(x, sigmoid(w * (x - 0.5)), color=color, lw=1.6, label=f"w = {w}")
    a.set(xlabel="input x", ylabel="σ(w(x − 0.5))", title="steeper: a step")
    a.legend(loc="upper left", fontsize=8)
    b.plot(x, sigmoid(1000 * (x - 0.3)), color=COLORS["muted"], lw=1.4, ls="--", label="step up at 0.3")
    b.plot(x, sigmoid(1000 * (x - 0.6)), color=COLORS["secant"], lw=1.4, ls=":", label="step up at 0.6")
    b.plot(x, approx.bump(x, 0.3, 0.6), color=COLORS["curve"], lw=2.2, label="their difference")
    b.set(xlabel="input x", ylim=(-0.1, 1.45), title="two steps: a bump")
    b.legend(loc="upper left", fontsize=8)
    model = approx.staircase(nielsen_curve, n_bumps)
    c.plot(x, nielsen_curve(x), color=TARGET, lw=4, alpha=0.35, label="f(x)")
    for k, piece in enumerate(model.units(x).reshape(x.size, n_bumps, 2).sum(axis=2).T):
        c.plot(x, piece, color=PIECE_COLORS[k % len(PIECE_COLORS)], lw=1.2)
    c.plot(x, model(x), color=COLORS["ink"], lw=1.4, label=f"{n_bumps} bumps")
    c.set(xlabel="input x", title="bumps: a staircase")
    c.legend(loc="upper left", fontsize=8)
    return fig


def training_figure(x: np.ndarray, y: np.ndarray, models: Sequence[approx.CurveModel], labels: Sequence[str],
                    losses: Sequence[np.ndarray], loss_labels: Sequence[str], reference_loss: float) -> Figure:
    """Left: the target and several fitted models, with each model's joints as ticks along the bottom.
    Right: the loss against the step of gradient descent (log scale), and the least-squares loss as a
    horizontal line."""
    fig, axes = new_figure(7.6, 3.2, ncols=2, gridspec_kw={"width_ratios": [1.25, 1]})
    left, right = axes[0]
    left.plot(x, y, color=TARGET, lw=4, alpha=0.35, label="target")
    colors = (COLORS["curve"], COLORS["secant"], COLORS["extra"])
    bottom = float(y.min()) - 0.12
    for k, (model, label, color) in enumerate(zip(models, labels, colors)):
        left.plot(x, model(x), color=color, lw=1.3, label=label)
        joints = model.joints[(model.joints >= x[0]) & (model.joints <= x[-1])]
        left.plot(joints, np.full(joints.size, bottom + 0.035 * k), "|", color=color, ms=7, mew=1.4)
    left.set(xlabel="input x", ylabel="y", xlim=(x[0], x[-1]), ylim=(bottom - 0.03, float(y.max()) + 0.25))
    left.legend(loc="upper left", fontsize=8)
    for loss, label, color in zip(losses, loss_labels, colors[1:]):
        right.plot(np.arange(loss.size), loss, color=color, lw=1.4, label=label)
    right.axhline(reference_loss, color=colors[0], lw=1.2, ls="--", label="least squares, fixed joints")
    right.set_yscale("log")
    right.set(xlabel="step t", ylabel="loss L(θ) (mean squared error)")
    right.legend(loc="upper right", fontsize=8)
    return fig


def tower_figure(steepness: float = 100.0, threshold_steepness: float = 20.0) -> Figure:
    """Three surfaces over :math:`(x_1, x_2)`: a bump in :math:`x_1` (two sigmoid units); a bump in
    :math:`x_1` plus a bump in :math:`x_2` (four units: a tower on a cross-shaped plateau); and that
    sum through a threshold neuron (a second layer: the tower alone)."""
    t = np.linspace(0, 1, 121)
    X1, X2 = np.meshgrid(t, t)
    box = ((0.4, 0.6), (0.4, 0.6))
    panels = (
        (approx.bump(X1, *box[0], steepness), "bump in x₁ (2 units)"),
        (approx.cross(X1, X2, box, steepness), "+ bump in x₂ (4 units)"),
        (approx.tower(X1, X2, box, steepness, threshold_steepness), "threshold at 1.5 (layer 2)"),
    )
    with book_style():
        fig = Figure(figsize=(7.8, 2.9), layout="constrained")
        FigureCanvasAgg(fig)
        for k, (Z, title) in enumerate(panels, start=1):
            ax = fig.add_subplot(1, 3, k, projection="3d")
            ax.plot_surface(X1, X2, Z, cmap="viridis", vmin=-0.4, vmax=2.2, rstride=2, cstride=2, linewidth=0.2,
                            edgecolor="#FFFFFF55", shade=True, antialiased=True)
            ax.set(xlabel="x₁", ylabel="x₂", zlabel="output", zlim=(0, 2.05), title=title)
            ax.set_zticks([0, 1, 2])
            ax.view_init(elev=32, azim=-55)
            ax.tick_params(labelsize=7, pad=0)
    return fig
