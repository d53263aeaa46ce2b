"""Figures for Chapter 8 (activation functions). Each scene is built once; ``update`` moves its artists.

* :class:`NeuronScene`: one neuron :math:`a(wx + b)` and the slope factor :math:`a'(wx + b)`, for a
  chosen activation, weight and bias.
* :class:`LeakyReluScene`: the leaky ReLU and its derivative as its slope :math:`\\alpha` changes.
* :class:`GradientSizeScene`: bars of the gradient's size at every hidden layer of a random network.
* :func:`activation_gallery`: every activation beside its derivative (a still figure).
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
from matplotlib.figure import Figure

from .. import activations as act
from ..nn import gradient_sizes
from .scene import Scene, readout
from .style import COLORS, new_figure

__all__ = ["ACTIVATION_NAMES", "GradientSizeScene", "LeakyReluScene", "NeuronScene", "activation_gallery"]

#: How each activation is named in figures, readouts and selectors.
ACTIVATION_NAMES = {
    "identity": "identity",
    "sigmoid": "sigmoid σ",
    "tanh": "tanh",
    "relu": "ReLU",
    "leaky_relu": "leaky ReLU",
    "softplus": "softplus",
    "hard_sigmoid": "hard sigmoid",
}


def _minus(text: str) -> str:
    """A true minus sign (−) in numbers shown to the reader."""
    return text.replace("-", "−")


# ---------------------------------------------------------------------------------------------
# one neuron


class NeuronScene(Scene):
    r"""One neuron with one input: :math:`y = a(wx + b)` on the left, :math:`a'(wx + b)` on the right.

    The dotted vertical line marks :math:`x = -b/w`, where :math:`z = wx + b` crosses 0: the sigmoid's
    midpoint, the ReLU's kink, the start of the hard sigmoid's ramp. ``update(activation, w, b)``
    redraws both curves (``activation`` is a name in :data:`dlmath.activations.ACTIVATIONS`).
    """

    XLIM = (-6.0, 6.0)
    YLIM = (-1.25, 2.25)
    SLOPE_YLIM = (-0.06, 1.12)

    def __init__(self, activation: str = "sigmoid", w: float = 1.0, b: float = 0.0) -> None:
        self.figure, axes = new_figure(7.0, 3.2, ncols=2)
        self.ax, self.slope_ax = axes[0]
        # Dense enough that the sigmoid at w = 20 (a ramp 0.2 wide) still looks smooth.
        self._xs = np.linspace(*self.XLIM, 1201)
        for ax in axes[0]:
            ax.axhline(0, color=COLORS["ink"], lw=0.8)
            ax.set_xlim(*self.XLIM)
        (self.reference,) = self.ax.plot([], [], color=COLORS["muted"], lw=1.3, ls="--", label="a(x): w = 1, b = 0")
        (self.curve,) = self.ax.plot([], [], color=COLORS["curve"], lw=2.2, label="neuron a(wx + b)")
        (self.slope,) = self.slope_ax.plot([], [], color=COLORS["tangent"], lw=2.2, label="a′(wx + b)")
        self.switch = [ax.axvline(0.0, color=COLORS["ink"], lw=1.0, ls=":") for ax in (self.ax, self.slope_ax)]
        self.ax.set(ylim=self.YLIM, xlabel="input x", ylabel="output a(wx + b)")
        self.slope_ax.set(ylim=self.SLOPE_YLIM, xlabel="input x", ylabel="slope factor a′(z), z = wx + b")
        self.switch[0].set_label("z = 0, at x = −b/w")
        self.figure.legend(loc="outside upper center", ncols=4, fontsize=9)
        self.freeze([self.reference, self.curve, self.slope, *self.switch])
        self.update(activation, w, b)

    def update(self, activation: str, w: float, b: float) -> str:
        f, df = act.ACTIVATIONS[activation]
        z = w * self._xs + b
        self.reference.set_data(self._xs, f(self._xs))
        self.curve.set_data(self._xs, f(z))
        self.slope.set_data(self._xs, df(z))
        switch = -b / w + 0.0  # + 0.0 turns -0.0 (for b = 0) into 0.0
        for line in self.switch:
            line.set_xdata([switch, switch])
            line.set_visible(self.XLIM[0] < switch < self.XLIM[1])
        # The output's steepest slope d/dx a(wx + b) = w a'(z): the chain rule's factor w.
        steepest = abs(w) * float(np.max(df(np.linspace(-8.0, 8.0, 1601))))
        where = "inside the picture" if self.XLIM[0] < switch < self.XLIM[1] else "outside the picture"
        return readout(
            ("activation", ACTIVATION_NAMES[activation]),
            ("z = 0 at x = −b/w", _minus(f"{switch:.3g}") + f" ({where})"),
            ("steepest slope of the output, w·max a′", f"{steepest:.3g}"),
        )


# ---------------------------------------------------------------------------------------------
# the leaky ReLU's slope


class LeakyReluScene(Scene):
    r"""The leaky ReLU :math:`\max(\alpha x, x)` and its derivative; ``update(alpha)`` changes the slope
    of the negative side (0 is the ReLU, 1 the identity)."""

    XLIM = (-4.0, 4.0)

    def __init__(self, alpha: float = 0.01) -> None:
        self.figure, axes = new_figure(7.0, 2.8, ncols=2)
        self.ax, self.slope_ax = axes[0]
        self._xs = np.linspace(*self.XLIM, 401)
        for ax in axes[0]:
            ax.axhline(0, color=COLORS["ink"], lw=0.8)
            ax.axvline(0, color=COLORS["ink"], lw=0.8)
            ax.set_xlim(*self.XLIM)
        self.ax.plot(self._xs, act.relu(self._xs), color=COLORS["muted"], lw=1.3, ls="--", label="ReLU (α = 0)")
        (self.curve,) = self.ax.plot([], [], color=COLORS["curve"], lw=2.2, label="leaky ReLU")
        (self.slope,) = self.slope_ax.plot([], [], color=COLORS["tangent"], lw=2.2, label="its derivative")
        self.ax.set(ylim=(-4.3, 4.3), xlabel="z", ylabel="a(z)")
        self.slope_ax.set(ylim=(-0.08, 1.15), xlabel="z", ylabel="a′(z)")
        self.ax.legend(loc="upper left", fontsize=9)
        self.slope_ax.legend(loc="center left", fontsize=9)
        self.freeze([self.curve, self.slope])
        self.update(alpha)

    def update(self, alpha: float) -> str:
        self.curve.set_data(self._xs, act.leaky_relu(self._xs, alpha))
        # The derivative jumps at 0: draw it as two flat pieces joined by a vertical step.
        left, right = self.XLIM
        self.slope.set_data([left, 0.0, 0.0, right], [alpha, alpha, 1.0, 1.0])
        if alpha == 0:
            note = "the plain ReLU: no gradient at all for negative input"
        elif alpha == 1:
            note = "a straight line: no bend left, so a network of these is linear"
        else:
            note = f"negative input still passes {alpha:g} of the gradient back"
        return readout(("α", f"{alpha:g}"), ("slope left of 0", f"{alpha:g}"), ("right of 0", "1"), note=note)


# ---------------------------------------------------------------------------------------------
# vanishing and exploding gradients


class GradientSizeScene(Scene):
    r"""Bars of :math:`\lVert \partial L/\partial \mathbf{b}^{(l)} \rVert` for the hidden layers
    :math:`l = 1, \dots, D` of a random network (see :func:`dlmath.nn.gradient_sizes`), on a log scale.

    ``update(depth, scale, activation)``: ``scale`` is the initial weights' gain :math:`g` (standard
    deviation :math:`g/\sqrt{30}`). Each result is computed once (one forward and backward pass) and
    kept. Bars start at 1, so a gradient that shrinks hangs down and one that grows stands up. The
    axis spans every size the explorer's sliders produce (a test checks it); the readout gives the
    numbers.
    """

    MAX_DEPTH = 20
    YLIM = (1e-20, 1e25)

    def __init__(self, depth: int = 10, scale: float = 1.0, activation: str = "sigmoid", *, width: int = 30) -> None:
        self.width = width
        self._cache: dict[tuple[int, float, str], tuple[np.ndarray, float]] = {}
        self.figure, axes = new_figure(7.0, 3.3)
        ax = self.ax = axes[0, 0]
        layers = np.arange(1, self.MAX_DEPTH + 1)
        ax.set_yscale("log")
        one = ax.axhline(1.0, color=COLORS["ink"], lw=0.8)  # where the bars start
        self.bars = list(ax.bar(layers, np.zeros(self.MAX_DEPTH), bottom=1.0, width=0.72, color=COLORS["curve"]))
        ax.set(
            xlim=(0.4, self.MAX_DEPTH + 0.6),
            ylim=self.YLIM,
            xlabel="hidden layer l   (1 = next to the input; the output is to the right)",
            ylabel="gradient size ‖∂L/∂b⁽ˡ⁾‖",
        )
        ax.set_xticks(layers[::1] if self.MAX_DEPTH <= 20 else layers[::2])
        ax.set_yticks([1e-20, 1e-15, 1e-10, 1e-5, 1, 1e5, 1e10, 1e15, 1e20, 1e25])
        ax.minorticks_off()
        ax.grid(axis="x", visible=False)
        ax.set_axisbelow(True)  # grid lines behind the bars, as the cached background draws them
        # The setting, written in the picture: a static page's frames then say what they show.
        self.title = ax.text(0.99, 0.97, "", transform=ax.transAxes, ha="right", va="top", fontsize=10)
        self.freeze([*self.bars, self.title], on_top=[one])
        self.update(depth, scale, activation)

    def sizes(self, depth: int, scale: float, activation: str) -> tuple[np.ndarray, float]:
        """The gradient sizes per hidden layer and the loss (computed once per setting)."""
        key = (int(depth), float(scale), activation)
        if key not in self._cache:
            result = gradient_sizes(int(depth), activation, float(scale), width=self.width)
            self._cache[key] = (result.sizes, result.loss)
        return self._cache[key]

    def update(self, depth: int, scale: float, activation: str) -> str:
        sizes, loss = self.sizes(depth, scale, activation)
        layers = "1 hidden layer" if depth == 1 else f"{depth} hidden layers"
        self.title.set_text(f"{ACTIVATION_NAMES[activation]}, weight std {scale / np.sqrt(self.width):.2g}, {layers}")
        lo, hi = self.YLIM
        shown = np.clip(sizes, lo, hi)  # a no-op for the explorer's settings; keeps others drawable
        for l, bar in enumerate(self.bars):
            bar.set_visible(l < depth)
            if l < depth:  # from 1 to the value, down or up
                bar.set_y(min(shown[l], 1.0))
                bar.set_height(abs(shown[l] - 1.0))
        items = [("layer 1", f"{sizes[0]:.2g}"), (f"layer {depth}", f"{sizes[-1]:.2g}")]
        if depth > 1:
            ratio = sizes[0] / sizes[-1]
            per_layer = ratio ** (1 / (depth - 1))  # the average factor from one layer to the one below
            items += [("first / last", f"{ratio:.2g}"), ("factor per layer", f"{per_layer:.2f}")]
            if per_layer < 0.8:
                note = "vanishing: the layers near the input barely learn"
            elif per_layer > 1.25:
                note = "exploding: the layers near the input get huge steps"
            else:
                note = "about level from layer to layer"
            if sizes.max() > 1e6:
                note += "; every gradient is huge (the outputs blew up)"
        else:
            note = "one hidden layer: nothing to compare yet"
        return readout(*items, ("loss", f"{loss:.3g}"), note=note)


# ---------------------------------------------------------------------------------------------
# a still figure: every activation beside its derivative


def activation_gallery(names: Sequence[str] = ("sigmoid", "tanh", "relu", "leaky_relu", "softplus", "hard_sigmoid"), *, alpha: float = 0.1) -> Figure:
    """One small panel per activation: the function (solid) and its derivative (dashed), on
    :math:`-4 \\le z \\le 4`. The leaky ReLU is drawn with slope ``alpha`` (larger than its default
    0.01, so that it can be seen)."""
    rows = (len(names) + 2) // 3
    fig, axes = new_figure(7.5, 2.35 * rows, nrows=rows, ncols=3, sharex=True)
    z = np.linspace(-4, 4, 801)
    for ax, name in zip(axes.ravel(), names):
        f, df = act.ACTIVATIONS[name]
        if name == "leaky_relu":
            y, dy, title = act.leaky_relu(z, alpha), act.leaky_relu_grad(z, alpha), f"leaky ReLU (α = {alpha:g})"
        else:
            y, dy, title = f(z), df(z), ACTIVATION_NAMES[name]
        if name in ("relu", "leaky_relu", "hard_sigmoid"):
            # A derivative that jumps is drawn without a vertical line joining the two sides.
            jumps = np.flatnonzero(np.abs(np.diff(dy)) > 0.05) + 1
            dy = np.insert(dy, jumps, np.nan)
            zd = np.insert(z, jumps, np.nan)
        else:
            zd = z
        ax.axhline(0, color=COLORS["ink"], lw=0.7)
        ax.axvline(0, color=COLORS["ink"], lw=0.7)
        ax.plot(z, y, color=COLORS["curve"], label="a(z)")
        ax.plot(zd, dy, color=COLORS["tangent"], ls="--", label="a′(z)")
        ax.set_title(title)
        ax.set_ylim(-1.25, 2.25)
    for ax in axes.ravel()[len(names):]:
        ax.remove()
    for ax in axes[-1]:
        ax.set_xlabel("z")
    for ax in axes[:, 0]:
        ax.set_ylabel("value")
    handles, labels = axes[0, 0].get_legend_handles_labels()
    fig.legend(handles, ["the function a(z)", "its derivative a′(z)"], loc="outside upper center", ncols=2)
    return fig
