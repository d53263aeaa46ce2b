r"""Figures for Chapter 10 (backpropagation and the multilayer perceptron).

:class:`TrainingScene` shows a classifier learning: its decision regions over the plane with the
training points (left), and the train/test loss and accuracy curves with the current epoch marked
(right). Every picture comes from snapshots of real training runs (:class:`dlmath.nn.TrainingRun`),
so moving a slider never trains anything.

:class:`WarpScene` carries the input plane, a grid and the points through a trained network one stage
at a time — multiply by :math:`W`, add :math:`\mathbf{b}`, bend by the activation — with a blend
fraction :math:`s` inside the stage (Chapter 5's picture, now for a network that learned its weights).
"""

from __future__ import annotations

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.colors import ListedColormap
from matplotlib.lines import Line2D

from ..activations import ACTIVATIONS
from ..linalg import grid_lines
from ..nn import TrainingRun
from .scene import Scene, readout
from .style import COLORS, book_style, new_figure

__all__ = ["LiftScene", "TrainingScene", "WarpScene", "network_stages"]

#: Class 0 and class 1 (points), and the regions the network gives each (light versions, 4 shades each).
CLASS_COLORS = (COLORS["curve"], COLORS["tangent"])
REGIONS = ListedColormap(["#9CC7E6", "#C2DCEF", "#E3EEF7", "#F7E3D6", "#F0C2A3", "#E89E70"])


def _percent(x: float) -> str:
    return f"{100 * x:.1f} %"


class TrainingScene(Scene):
    """Decision regions, points and learning curves for one of several training runs at one snapshot.

    ``runs`` maps a name to a :class:`~dlmath.nn.TrainingRun`; all runs must share their snapshot
    epochs and grid. ``update(run, epoch)`` switches the run and the snapshot; for runs keyed by
    ``(data set, width)`` pairs, ``update(run, epoch, width)`` picks the pair.
    """

    def __init__(self, runs: dict[str, TrainingRun], *, run: str | None = None, epoch: int | None = None) -> None:
        if not runs:
            raise ValueError("runs must hold at least one TrainingRun")
        first = next(iter(runs.values()))
        for name, r in runs.items():
            if r.snapshot_epochs != first.snapshot_epochs or not np.array_equal(r.grid, first.grid):
                raise ValueError(f"runs must share snapshot epochs and grid; {name!r} does not")
        self.runs = runs
        lim = float(first.grid[-1])
        last = max(len(r.history.epoch) for r in runs.values()) - 1
        with book_style():
            self.figure, axes = new_figure(6.4, 2.8, ncols=2, width_ratios=[1.0, 1.2])
            ax, curves = axes[0, 0], axes[0, 1]
            ax.set(xlim=(-lim, lim), ylim=(-lim, lim), aspect="equal", xlabel="x₁", ylabel="x₂", title="what the network predicts")
            ax.grid(False)
            self.regions = ax.imshow(first.probabilities[0], extent=(-lim, lim, -lim, lim), origin="lower",
                                     cmap=REGIONS, vmin=0.0, vmax=1.0, interpolation="nearest", zorder=0)
            # no antialiasing and no marker edges: fewer distinct pixels, a faster PNG for every slider move
            self.boundary = ax.add_collection(LineCollection([], colors=COLORS["ink"], linewidths=1.2, zorder=1, antialiaseds=False))
            self.points = [ax.plot([], [], "o", ms=3.4, color=c, mew=0, zorder=2)[0] for c in CLASS_COLORS]
            curves.set(xlim=(0, last), ylim=(0.0, 1.05), xlabel="epoch", title="learning curves")
            self.lines = {
                "train_loss": curves.plot([], [], color=COLORS["accent"], label="loss, train")[0],
                "test_loss": curves.plot([], [], color=COLORS["accent"], ls="--", label="loss, test")[0],
                "train_accuracy": curves.plot([], [], color=COLORS["secant"], label="accuracy, train")[0],
                "test_accuracy": curves.plot([], [], color=COLORS["secant"], ls="--", label="accuracy, test")[0],
            }
            self.now = curves.axvline(0, color=COLORS["ink"], lw=1.0, ls=":")
            (self.marks,) = curves.plot([], [], "o", color=COLORS["ink"], ms=5, zorder=5)
            handles = [Line2D([], [], color=c, marker="o", lw=0, label=f"class {k}") for k, c in enumerate(CLASS_COLORS)]
            ax.legend(handles=handles, loc="upper left", fontsize=8, framealpha=0.8, frameon=True, borderpad=0.3)
            curves.legend(loc="center right", fontsize=8, frameon=True, framealpha=0.85)
        self.freeze([self.regions, self.boundary, *self.points, *self.lines.values(), self.now, self.marks])
        self.update(next(iter(runs)) if run is None else run, first.snapshot_epochs[-1] if epoch is None else epoch)

    def _boundary(self, P: np.ndarray, grid: np.ndarray) -> list[np.ndarray]:
        """Segments of the 50 % line (marching squares, coarse: one segment per cell it crosses)."""
        step = grid[1] - grid[0]
        above = P > 0.5
        segments = []
        # horizontal and vertical cell edges where the prediction flips: draw the cell edge between them
        rows, cols = np.nonzero(above[:, 1:] != above[:, :-1])
        x = grid[cols] + step / 2
        segments += [np.array([[xx, grid[r] - step / 2], [xx, grid[r] + step / 2]]) for xx, r in zip(x, rows)]
        rows, cols = np.nonzero(above[1:, :] != above[:-1, :])
        yv = grid[rows] + step / 2
        segments += [np.array([[grid[c] - step / 2, yy], [grid[c] + step / 2, yy]]) for yy, c in zip(yv, cols)]
        return segments

    def update(self, run: str, epoch: int, width: int | None = None) -> str:
        """Show snapshot ``epoch`` of run ``run``; with ``width``, of the run keyed ``(run, width)``
        (for runs keyed by data set and hidden width, see :func:`dlmath.widgets.nn.training_grid`)."""
        key = run if width is None else (run, width)
        if key not in self.runs:
            raise ValueError(f"run must be one of {list(self.runs)}, got {key!r}")
        r = self.runs[key]
        if epoch not in r.snapshot_epochs:
            raise ValueError(f"epoch must be one of {r.snapshot_epochs}, got {epoch!r}")
        P = r.probabilities[r.snapshot_epochs.index(epoch)]
        self.regions.set_data(P)
        self.boundary.set_segments(self._boundary(P, r.grid))
        for k, line in enumerate(self.points):
            line.set_data(*r.X[r.y == k].T)
        h = r.history
        for key, line in self.lines.items():
            values = getattr(h, key)
            line.set_data(h.epoch[: len(values)], np.minimum(values, 1.05))
        values = [getattr(h, key)[epoch] for key in ("train_loss", "test_loss", "train_accuracy", "test_accuracy")]
        self.now.set_xdata([epoch, epoch])
        self.marks.set_data([epoch] * 4, np.minimum(values, 1.05))
        note = "before any training step: random weights" if epoch == 0 else f"after {epoch} epoch{'s' if epoch > 1 else ''}"
        size = () if width is None else (("units per layer", str(width)),)
        return readout(*size, ("epoch", str(epoch)), ("train loss", f"{values[0]:.3f}"), ("test loss", f"{values[1]:.3f}"),
                       ("train accuracy", _percent(values[2])), ("test accuracy", _percent(values[3])), note=note)


def network_stages(params: list[np.ndarray], activation: str, points: np.ndarray) -> list[tuple[str, np.ndarray]]:
    r"""Every intermediate picture of ``points`` (shape (..., 2)) on its way through the hidden layers:
    ``[("input", X), ("× W¹", X W¹), ("+ b¹", X W¹ + b¹), ("a(·)", A¹), ("× W²", …), …]`` (the output
    layer is left out: the last hidden layer is where the classes should be separable by a line)."""
    f = ACTIVATIONS[activation].function
    stages = [("input", np.asarray(points, float))]
    A = stages[0][1]
    for l in range(len(params) // 2 - 1):
        W, b = params[2 * l], params[2 * l + 1]
        A = A @ W
        stages.append((f"× W{_SUP[l + 1]}", A))
        A = A + b
        stages.append((f"+ b{_SUP[l + 1]}", A))
        A = f(A)
        stages.append((f"{activation}", A))
    return stages


_SUP = "⁰¹²³⁴⁵⁶⁷⁸⁹"


class WarpScene(Scene):
    r"""The plane carried through a trained network: stage ``stage`` (an index into
    :func:`network_stages`) blended with the stage before it, :math:`(1 - s)\,\text{before} + s\,\text{after}`.

    Works for hidden layers of 2 units (a 2-D picture). The last layer's line (where the output layer
    puts its 50 % boundary) is drawn in the last stage's coordinates.
    """

    def __init__(self, run: TrainingRun, *, epoch: int | None = None, stage: int = 1, s: float = 0.0) -> None:
        if any(w != 2 for w in run.sizes[1:-1]):
            raise ValueError(f"run must have hidden layers of 2 units for a 2-D picture, got sizes {run.sizes}")
        self.run = run
        epoch = run.snapshot_epochs[-1] if epoch is None else epoch
        params = run.params[run.snapshot_epochs.index(epoch)]
        lim = float(np.max(np.abs(run.X))) * 1.05
        lines = grid_lines(round(lim * 2) / 2, 0.5, samples=41)
        sets = [lines.reshape(-1, 2), *(run.X[run.y == k] for k in (0, 1))]
        cut = np.cumsum([len(s) for s in sets])[:-1]
        self._shape = lines.shape
        self.stages = [(name, np.split(A, cut)) for name, A in network_stages(params, run.activation, np.concatenate(sets))]
        # each stage is drawn at its own scale (its points fill the box), so that a stage that multiplies
        # by large weights does not shrink every other picture to a dot; the readout gives the scale
        self.scales = [float(np.max(np.abs(np.concatenate(classes)))) or 1.0 for _, (_, *classes) in self.stages]
        span = 1.15
        with book_style():
            self.figure, axes = new_figure(4.2, 4.2)
            ax = self.ax = axes[0, 0]
            ax.set(xlim=(-span, span), ylim=(-span, span), aspect="equal", xlabel="coordinate 1 (scaled)", ylabel="coordinate 2 (scaled)")
            ax.set(xticks=[], yticks=[])
            ax.grid(False)
            ax.axhline(0, color=COLORS["grid"], lw=0.8, zorder=0)
            ax.axvline(0, color=COLORS["grid"], lw=0.8, zorder=0)
            self.grid = ax.add_collection(LineCollection([], colors="#BBBBBB", linewidths=0.7, zorder=1))
            self.ghosts = [ax.plot([], [], "o", ms=3.0, color=c, alpha=0.22, mew=0, zorder=1.5)[0] for c in CLASS_COLORS]
            self.points = [ax.plot([], [], "o", ms=3.6, color=c, mec="white", mew=0.4, zorder=2)[0] for c in CLASS_COLORS]
            (self.line,) = ax.plot([], [], color=COLORS["ink"], lw=1.5, ls="--", zorder=3)
            handles = [Line2D([], [], color=c, marker="o", lw=0, label=f"class {k}") for k, c in enumerate(CLASS_COLORS)]
            handles.append(Line2D([], [], color="#999999", marker="o", lw=0, alpha=0.4, label="where the stage ends"))
            handles.append(Line2D([], [], color=COLORS["ink"], ls="--", label="output's 50 % line"))
            self.figure.legend(handles=handles, loc="outside upper center", ncols=2, fontsize=8.5)
        W, b = params[-2], params[-1]
        self._w, self._b, self._span = W[:, 1] - W[:, 0], b[1] - b[0], span  # class 1 wins where w·a + b > 0
        self.freeze([self.grid, *self.ghosts, *self.points, self.line])
        self.update(stage, s)

    def update(self, stage: int, s: float) -> str:
        if not 1 <= stage < len(self.stages):
            raise ValueError(f"stage must be 1 … {len(self.stages) - 1}, got {stage!r}")
        if not 0 <= s <= 1:
            raise ValueError(f"s must be from 0 to 1, got {s!r}")
        (_, before), (name, after) = self.stages[stage - 1], self.stages[stage]
        scale = (1 - s) * self.scales[stage - 1] + s * self.scales[stage]
        G, A0, A1 = (((1 - s) * u + s * v) / scale for u, v in zip(before, after))
        self.grid.set_segments(list(G.reshape(self._shape)))
        self.points[0].set_data(*A0.T)
        self.points[1].set_data(*A1.T)
        for ghost, A in zip(self.ghosts, after[1:]):  # faint: where the points are at the stage's end
            ghost.set_data(*(A / self.scales[stage]).T)
        last = stage == len(self.stages) - 1 and s == 1
        if last and np.abs(self._w).max() > 0:
            w, b, span = self._w, self._b, self._span
            t = np.linspace(-4 * span, 4 * span, 2)
            n = w / np.dot(w, w)
            direction = np.array([-w[1], w[0]]) / np.linalg.norm(w)
            ends = (-b * n + t[:, None] * direction * self.scales[-1]) / self.scales[-1]
            self.line.set_data(*ends.T)
        else:
            self.line.set_data([], [])
        layer = (stage + 2) // 3
        note = (f"layer {layer}: {name} ({s:.0%} of the way)" if s < 1 else f"layer {layer}: {name} done")
        if last:
            note += " — the output layer separates the classes with a straight line here"
        return readout(("stage", f"{stage} of {len(self.stages) - 1}"), ("s", f"{s:g}"),
                       ("picture scale", f"±{1.15 * scale:.3g}"), note=note)


class LiftScene(Scene):
    r"""A network with one hidden layer of 3 units lifts the plane into space. The input points sit on
    the floor, at :math:`(x_1, x_2, 0)`; a fraction :math:`s` of the way they move to their place
    :math:`a(\mathbf{x}W^{(1)} + \mathbf{b}^{(1)})` in the hidden layer's 3-D space. The grey plane is
    where the output layer is exactly 50 : 50 (class 1 on one side, class 0 on the other)."""

    def __init__(self, run: TrainingRun, *, epoch: int | None = None, s: float = 0.0) -> None:
        if len(run.sizes) != 3 or run.sizes[1] != 3:
            raise ValueError(f"run must have one hidden layer of 3 units, got sizes {run.sizes}")
        epoch = run.snapshot_epochs[-1] if epoch is None else epoch
        W1, b1, W2, b2 = run.params[run.snapshot_epochs.index(epoch)]
        f = ACTIVATIONS[run.activation].function
        self._start = [np.c_[run.X[run.y == k], np.zeros(int(np.sum(run.y == k)))] for k in (0, 1)]
        self._end = [f(run.X[run.y == k] @ W1 + b1) for k in (0, 1)]
        w, b = W2[:, 1] - W2[:, 0], b2[1] - b2[0]  # class 1 wins where w·a + b > 0
        with book_style():
            from mpl_toolkits.mplot3d import Axes3D  # noqa: F401  (registers the 3-D projection)

            self.figure, axes = new_figure(4.6, 4.2, subplot_kw={"projection": "3d"})
            ax = axes[0, 0]
            lim = max(1.05, float(np.max(np.abs(np.concatenate(self._start)))) * 0.75)
            ax.set(xlim=(-lim, lim), ylim=(-lim, lim), zlim=(-1.05, 1.05), xlabel="unit 1", ylabel="unit 2", zlabel="unit 3")
            ax.set(xticks=[-1, 0, 1], yticks=[-1, 0, 1], zticks=[-1, 0, 1])
            ax.view_init(elev=18, azim=-60)
            k = int(np.argmax(np.abs(w)))  # solve the plane for its steepest coordinate
            u, v = np.meshgrid(np.linspace(-1, 1, 12), np.linspace(-1, 1, 12))
            others = [i for i in range(3) if i != k]
            coords = [None, None, None]
            coords[others[0]], coords[others[1]] = u, v
            coords[k] = -(b + w[others[0]] * u + w[others[1]] * v) / w[k]
            coords[k] = np.where(np.abs(coords[k]) <= 1.05, coords[k], np.nan)
            ax.plot_wireframe(*coords, color="#888888", linewidth=0.5, alpha=0.6)
            self.points = [ax.plot([], [], [], "o", ms=3.0, color=c, mec="white", mew=0.3)[0] for c in CLASS_COLORS]
            handles = [Line2D([], [], color=c, marker="o", lw=0, label=f"class {k}") for k, c in enumerate(CLASS_COLORS)]
            handles.append(Line2D([], [], color="#888888", label="output's 50 % plane"))
            self.figure.legend(handles=handles, loc="outside upper center", ncols=3, fontsize=8.5)
        self.freeze(self.points)
        self.update(s)

    def update(self, s: float) -> str:
        if not 0 <= s <= 1:
            raise ValueError(f"s must be from 0 to 1, got {s!r}")
        for line, start, end in zip(self.points, self._start, self._end):
            line.set_data_3d(*((1 - s) * start + s * end).T)
        note = ("the input plane, lying flat: the ring surrounds the disk" if s == 0 else
                "in the hidden layer's space: the disk has been lifted away from the ring, and a flat plane separates them"
                if s == 1 else f"{s:.0%} of the way from the plane to the hidden layer's space")
        return readout(("s", f"{s:g}"), note=note)
