r"""Figures for Chapter 11's digits: a classifier of small square pictures, looked at from every side.

Still figures (each returns a :class:`matplotlib.figure.Figure`):

- :func:`image_gallery` — pictures in a grid, each with a caption (the data, the mistakes, the
  first layer's weights);
- :func:`learning_curves_figure` — the loss and the accuracy per epoch, on the training and test sets;
- :func:`confusion_figure` — a confusion matrix (rows the true class, columns the predicted one).

Scenes for explorers (built once, updated in place; see :class:`dlmath.figures.scene.Scene`):

- :class:`DigitScene` — one test picture, what the hidden layer does with it, and the ten output
  probabilities;
- :class:`ChoicesScene` — learning curves of real runs over a grid of hidden widths and learning
  rates, with the final test accuracy of every run in a small map.

Nothing here trains: every number comes from a trained :class:`dlmath.nn.MLP` or a
:class:`dlmath.nn.History` passed in.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from ..nn import MLP, History
from .scene import Scene, readout
from .style import COLORS, book_style, new_figure

__all__ = ["ChoicesScene", "DigitScene", "confusion_figure", "fit_verdict", "image_gallery", "learning_curves_figure"]

#: Ink on paper: 0 is white, the largest value black (as the digits were written).
PAPER = "gray_r"
#: Weights: negative blue, positive vermillion, 0 white.
WEIGHTS = "RdBu_r"


def _side(d: int, name: str) -> int:
    side = int(round(np.sqrt(d)))
    if side * side != d:
        raise ValueError(f"{name} must hold square pictures (d = side², e.g. 64 for 8×8), got d = {d}")
    return side


def image_gallery(
    images: np.ndarray,
    captions: Sequence[str],
    *,
    columns: int = 10,
    size: float = 0.72,
    signed: bool = False,
    caption_colors: Sequence[str] | None = None,
    title: str = "",
) -> Figure:
    """Pictures in a grid, each with a caption under it.

    ``images`` is ``(N, side, side)`` or ``(N, side²)``. Pixels are drawn as ink on paper (0 white,
    the largest value black), or with ``signed=True`` as weights: negative blue, positive
    vermillion, 0 white, each picture on its own symmetric scale (its largest size is full colour).
    """
    pictures = np.asarray(images, dtype=float)
    if pictures.ndim == 2:
        side = _side(pictures.shape[1], "images")
        pictures = pictures.reshape(len(pictures), side, side)
    if pictures.ndim != 3 or pictures.shape[1] != pictures.shape[2] or len(pictures) == 0:
        raise ValueError(f"images must be (N, side, side) or (N, side²) with N >= 1, got shape {np.shape(images)}")
    if len(captions) != len(pictures):
        raise ValueError(f"captions must hold one caption per picture ({len(pictures)}), got {len(captions)}")
    if caption_colors is not None and len(caption_colors) != len(pictures):
        raise ValueError(f"caption_colors must hold one colour per picture ({len(pictures)}), got {len(caption_colors)}")
    if isinstance(columns, bool) or not isinstance(columns, (int, np.integer)) or columns < 1:
        raise ValueError(f"columns must be a positive integer, got {columns!r}")
    columns = min(int(columns), len(pictures))
    rows = -(-len(pictures) // columns)
    fig, axes = new_figure(columns * size, rows * (size + 0.22) + (0.3 if title else 0.0), nrows=rows, ncols=columns)
    with book_style():
        for k, ax in enumerate(axes.ravel()):
            ax.set_axis_off()
            if k >= len(pictures):
                continue
            picture = pictures[k]
            if signed:
                top = float(np.max(np.abs(picture))) or 1.0
                ax.imshow(picture, cmap=WEIGHTS, vmin=-top, vmax=top, interpolation="nearest")
            else:
                ax.imshow(picture, cmap=PAPER, vmin=0.0, vmax=float(np.max(pictures)) or 1.0, interpolation="nearest")
            color = COLORS["ink"] if caption_colors is None else caption_colors[k]
            ax.set_title(captions[k], fontsize=8.5, color=color, pad=2)
        if title:
            fig.suptitle(title, fontsize=11)
    return fig


def learning_curves_figure(history: History, *, title: str = "") -> Figure:
    """Left: the loss per epoch on the training and the test set. Right: the accuracy (in %)."""
    if not isinstance(history, History) or not history.test_loss or not history.train_accuracy:
        raise ValueError("history must be the History of a classifier trained with a test set")
    fig, axes = new_figure(7.2, 2.7, ncols=2)
    loss, acc = axes[0]
    with book_style():
        e = history.epoch
        loss.plot(e, history.train_loss, color=COLORS["accent"], label="training set")
        loss.plot(e, history.test_loss, color=COLORS["accent"], ls="--", label="test set")
        loss.set(yscale="log", xlabel="epoch", ylabel="cross-entropy loss (log scale)", title="loss")
        loss.legend()
        acc.plot(e, 100 * np.asarray(history.train_accuracy), color=COLORS["secant"], label="training set")
        acc.plot(e, 100 * np.asarray(history.test_accuracy), color=COLORS["secant"], ls="--", label="test set")
        acc.set(xlabel="epoch", ylabel="accuracy (%)", title="accuracy", ylim=(80, 100.5))
        acc.legend(loc="lower right")
        if title:
            fig.suptitle(title, fontsize=11)
    return fig


def confusion_figure(C: np.ndarray, *, title: str = "") -> Figure:
    """A confusion matrix as a grid of counts: row = the true class, column = the predicted one.

    The diagonal (right answers) is drawn in pale green; every other non-zero cell (a mistake) in
    orange, so that the few mistakes stand out among many right answers.
    """
    C = np.asarray(C)
    if C.ndim != 2 or C.shape[0] != C.shape[1] or C.shape[0] < 2 or C.dtype.kind not in "iu" or np.any(C < 0):
        raise ValueError(f"C must be a square matrix of counts (at least 2×2), got {C!r}")
    k = C.shape[0]
    fig, axes = new_figure(0.3 * k + 1.0, 0.3 * k + 0.9)
    ax = axes[0, 0]
    with book_style():
        colour = np.ones((k, k, 3))
        diagonal = np.eye(k, dtype=bool)
        colour[diagonal] = (0.80, 0.92, 0.86)
        colour[(C > 0) & ~diagonal] = (0.96, 0.76, 0.45)
        ax.imshow(colour, interpolation="nearest")
        for i in range(k):
            for j in range(k):
                if C[i, j]:
                    ax.text(j, i, str(int(C[i, j])), ha="center", va="center", fontsize=8.5, color=COLORS["ink"])
        ax.set(xticks=range(k), yticks=range(k), xlabel="predicted class", ylabel="true class")
        ax.set_xticks(np.arange(k + 1) - 0.5, minor=True)
        ax.set_yticks(np.arange(k + 1) - 0.5, minor=True)
        ax.grid(False)
        ax.grid(which="minor", color=COLORS["grid"], lw=0.6)
        ax.tick_params(which="minor", length=0)
        ax.xaxis.set_label_position("top")
        ax.xaxis.tick_top()
        if title:
            ax.set_title(title, fontsize=10.5, pad=28)
    return fig


class DigitScene(Scene):
    r"""One test picture, the hidden layer's response, and the ten output probabilities.

    ``model`` is a trained classifier with one hidden layer (sizes ``(side², hidden, classes)``);
    ``X`` holds the pictures as the network reads them (scaled), ``y`` their true classes, and
    ``picks`` the indices (rows of ``X``) the slider goes through. Everything is computed once here
    (one forward pass of the picks); ``update(pick)`` only moves artists.

    Left: the picture. Middle: the hidden layer's activations :math:`A^{(1)}`, one bar per unit (a
    ReLU unit that stays silent shows no bar). Right: the probabilities :math:`P`; the true class in
    green, a wrong answer in vermillion.
    """

    def __init__(self, model: MLP, X: np.ndarray, y: np.ndarray, picks: Sequence[int], *, pick: int | None = None) -> None:
        if not isinstance(model, MLP) or model.layers != 2 or model.output != "softmax":
            raise ValueError("model must be a trained MLP classifier with one hidden layer (sizes (d, hidden, classes))")
        X = np.asarray(X, dtype=float)
        y = np.asarray(y)
        if X.ndim != 2 or X.shape[1] != model.sizes[0] or len(y) != len(X):
            raise ValueError(f"X must have shape (n, {model.sizes[0]}) and y one label per row, got {X.shape} and {y.shape}")
        picks = [int(p) for p in picks]
        if not picks or min(picks) < 0 or max(picks) >= len(X):
            raise ValueError(f"picks must be row numbers of X (0 … {len(X) - 1}), got {picks!r}")
        side = _side(model.sizes[0], "model.sizes[0]")
        run = model.forward_pass(X[picks])
        self.picks, self.labels = picks, y[picks].astype(int)
        self.pictures = X[picks].reshape(-1, side, side)
        self.hidden, self.probabilities = run.A[1], run.A[2]
        self.predicted = np.argmax(self.probabilities, axis=1)
        hidden, classes = model.sizes[1], model.sizes[2]
        top = float(np.max(self.hidden)) * 1.05 or 1.0
        with book_style():
            self.figure, axes = new_figure(7.6, 2.5, ncols=3, width_ratios=[0.8, 1.5, 1.2])
            img, hid, out = axes[0]
            img.set_axis_off()
            self.image = img.imshow(self.pictures[0], cmap=PAPER, vmin=0.0, vmax=float(np.max(X)) or 1.0, interpolation="nearest")
            img.set_title("the picture", fontsize=10)
            hid.set(xlim=(-0.5, hidden - 0.5), ylim=(0, top), xlabel=f"hidden unit (1 … {hidden})",
                    ylabel="activation", title="hidden layer: what it sees")
            hid.title.set_fontsize(10)
            hid.grid(axis="x", visible=False)
            self.bars_hidden = hid.add_collection(LineCollection([], colors=COLORS["curve"], linewidths=2.0, antialiaseds=False))
            out.set(xlim=(-0.6, classes - 0.4), ylim=(0, 1.05), xticks=range(classes), xlabel="class",
                    ylabel="probability", title="output: its answer")
            out.title.set_fontsize(10)
            out.grid(axis="x", visible=False)
            self.bars_out = [out.add_patch(Rectangle((k - 0.36, 0), 0.72, 0.0, color=COLORS["muted"], lw=0)) for k in range(classes)]
        self._colors = {"other": COLORS["muted"], "true": COLORS["secant"], "wrong": COLORS["tangent"]}
        self.freeze([self.image, self.bars_hidden, *self.bars_out])
        self.update(0 if pick is None else pick)

    def update(self, pick: int) -> str:
        if isinstance(pick, bool) or not isinstance(pick, (int, np.integer)) or not 0 <= pick < len(self.picks):
            raise ValueError(f"pick must be 0 … {len(self.picks) - 1}, got {pick!r}")
        self.image.set_data(self.pictures[pick])
        a = self.hidden[pick]
        self.bars_hidden.set_segments([np.array([[j, 0.0], [j, v]]) for j, v in enumerate(a) if v > 0])
        p, true, said = self.probabilities[pick], int(self.labels[pick]), int(self.predicted[pick])
        for k, bar in enumerate(self.bars_out):
            bar.set_height(float(p[k]))
            bar.set_color(self._colors["true"] if k == true else self._colors["wrong"] if k == said else self._colors["other"])
        active = int(np.count_nonzero(a > 0))
        note = (f"right: it says {said}" if said == true else
                f"wrong: it says {said}, the writer meant {true}")
        return readout(("test picture", f"#{self.picks[pick]}"), ("true class", str(true)), ("answer", str(said)),
                       (f"P({said})", f"{p[said]:.3f}"), ("active hidden units", f"{active} of {len(a)}"), note=note)


def fit_verdict(history: History, *, train_bar: float = 0.99, rise: float = 1.25) -> str:
    """Under-fit, over-fit or a good fit, read off a run's learning curves (plain words).

    *Over-fits*: the test loss ended more than ``rise`` times its lowest value (it rose while training
    went on). Otherwise *under-fits* when the final training accuracy is below ``train_bar`` (the
    network has not even learned the examples it trains on), else *fits well*.
    """
    if not history.test_loss or not history.train_accuracy:
        raise ValueError("history must be the History of a classifier trained with a test set")
    if history.test_loss[-1] > rise * min(history.test_loss):
        return "over-fits"
    if history.train_accuracy[-1] < train_bar:
        return "under-fits"
    return "fits well"


class ChoicesScene(Scene):
    r"""Learning curves of real training runs over a grid of hidden widths and learning rates.

    ``runs`` maps ``(width, lr)`` to the :class:`~dlmath.nn.History` of a run; every pair of the grid
    must be there. Left: the loss per epoch (train solid, test dashed, log scale); middle: the
    accuracy; right: the final test accuracy of every run, the current one framed.
    """

    def __init__(self, runs: Mapping[tuple[int, float], History], *, width: int | None = None, lr: float | None = None) -> None:
        if not runs:
            raise ValueError("runs must hold at least one run")
        self.widths = tuple(sorted({w for w, _ in runs}))
        self.lrs = tuple(sorted({r for _, r in runs}))
        missing = [(w, r) for w in self.widths for r in self.lrs if (w, r) not in runs]
        if missing:
            raise ValueError(f"runs must hold every (width, lr) pair of the grid; missing {missing}")
        for key, h in runs.items():
            if not isinstance(h, History) or not h.test_loss or not h.train_accuracy:
                raise ValueError(f"runs[{key!r}] must be the History of a classifier trained with a test set")
        self.runs = dict(runs)
        last = max(h.epoch[-1] for h in runs.values())
        losses = np.concatenate([np.r_[h.train_loss, h.test_loss] for h in runs.values()])
        low, high = max(float(losses.min()), 1e-4) / 1.5, float(losses.max()) * 1.5
        final = np.array([[100 * runs[w, r].test_accuracy[-1] for r in self.lrs] for w in self.widths])
        with book_style():
            self.figure, axes = new_figure(7.8, 2.7, ncols=3, width_ratios=[1.15, 1.15, 1.05])
            loss, acc, grid = axes[0]
            loss.set(xlim=(0, last), ylim=(low, high), yscale="log", xlabel="epoch", ylabel="loss (log scale)", title="loss")
            acc.set(xlim=(0, last), ylim=(0, 101), xlabel="epoch", ylabel="accuracy (%)", title="accuracy")
            for ax in (loss, acc, grid):
                ax.title.set_fontsize(10)
            self.lines = {
                "train_loss": loss.plot([], [], color=COLORS["accent"], label="training")[0],
                "test_loss": loss.plot([], [], color=COLORS["accent"], ls="--", label="test")[0],
                "train_accuracy": acc.plot([], [], color=COLORS["secant"], label="training")[0],
                "test_accuracy": acc.plot([], [], color=COLORS["secant"], ls="--", label="test")[0],
            }
            (self.best,) = loss.plot([], [], "o", color=COLORS["ink"], ms=4, zorder=5)
            loss.legend(loc="lower left", fontsize=8)
            acc.legend(loc="lower right", fontsize=8)
            grid.imshow(final, cmap="Greens", vmin=min(50.0, float(final.min())), vmax=100, aspect="auto", interpolation="nearest")
            for i in range(len(self.widths)):
                for j in range(len(self.lrs)):
                    lo = min(50.0, float(final.min()))
                    shade = "white" if (final[i, j] - lo) / (100 - lo) > 0.6 else COLORS["ink"]
                    grid.text(j, i, f"{final[i, j]:.1f}", ha="center", va="center", fontsize=8.5, color=shade)
            grid.set(xticks=range(len(self.lrs)), xticklabels=[f"{r:g}" for r in self.lrs], yticks=range(len(self.widths)),
                     yticklabels=[str(w) for w in self.widths], xlabel="learning rate η", ylabel="hidden units",
                     title="test accuracy (%)")
            grid.tick_params(axis="x", labelsize=8)
            grid.grid(False)
            self.frame = grid.add_patch(Rectangle((-0.5, -0.5), 1, 1, fill=False, ec=COLORS["tangent"], lw=2.5))
            legend = [Line2D([], [], color=COLORS["ink"], marker="o", lw=0, ms=4, label="lowest test loss")]
            loss.legend(handles=[*loss.get_legend_handles_labels()[0], *legend], loc="lower left", fontsize=8)
        self.freeze([*self.lines.values(), self.best, self.frame])
        self.update(self.widths[-1] if width is None else width, self.lrs[len(self.lrs) // 2] if lr is None else lr)

    def update(self, width: int, lr: float) -> str:
        if (width, lr) not in self.runs:
            raise ValueError(f"(width, lr) must be a pair of the grid {self.widths} × {self.lrs}, got {(width, lr)!r}")
        h = self.runs[width, lr]
        for key, line in self.lines.items():
            values = np.asarray(getattr(h, key), dtype=float)
            line.set_data(h.epoch, 100 * values if "accuracy" in key else values)
        lowest = int(np.argmin(h.test_loss))
        self.best.set_data([h.epoch[lowest]], [h.test_loss[lowest]])
        self.frame.set_xy((self.lrs.index(lr) - 0.5, self.widths.index(width) - 0.5))
        verdict = fit_verdict(h)
        words = {"under-fits": "under-fits: it has not learned even its training examples",
                 "over-fits": f"over-fits: the test loss was lowest at epoch {h.epoch[lowest]} and has risen since",
                 "fits well": "fits well: the test loss is still close to its lowest"}[verdict]
        return readout(("hidden units", str(width)), ("η", f"{lr:g}"),
                       ("train accuracy", f"{100 * h.train_accuracy[-1]:.1f} %"),
                       ("test accuracy", f"{100 * h.test_accuracy[-1]:.1f} %"),
                       ("train loss", f"{h.train_loss[-1]:.3g}"), ("test loss", f"{h.test_loss[-1]:.3g}"), note=words)
