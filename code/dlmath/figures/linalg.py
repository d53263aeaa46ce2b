r"""Figures for Chapter 5 (vectors and matrices): a matrix as a map of the plane, a layer's bend, a digit.

:class:`MatrixMapScene` draws the plane before and after :math:`\mathbf{x} \mapsto A\mathbf{x}`: a grid,
the unit square, the two unit arrows :math:`\mathbf{e}_1, \mathbf{e}_2` (which land on the columns of
:math:`A`), a few data points, and, for a symmetric :math:`A`, its eigenvector directions.
:class:`BlendScene` bends a grid from the identity into :math:`\tanh(A\mathbf{x} + \mathbf{b})`.
Both are built once; ``update`` moves their artists in place.
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Polygon

from ..linalg import apply_map, blend, describe_map, grid_lines, preset_matrix, _matrix2, _vector2
from .scene import Scene, readout
from .style import COLORS, book_style, new_figure

__all__ = ["BlendScene", "MatrixEntriesScene", "MatrixMapScene", "draw_digit", "matrix_html"]

GRID, SQUARE, E1, E2, EIGEN, POINTS = (
    COLORS["muted"], COLORS["accent"], COLORS["tangent"], COLORS["secant"], COLORS["extra"], COLORS["curve"],
)
UNIT_SQUARE = np.array([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]])
#: A few data points (seeded), drawn before and after the map so the reader can follow them.
DATA_POINTS = np.random.default_rng(5).uniform(-1.8, 1.8, size=(8, 2)).round(2)


def _number(value: float, digits: int = 2) -> str:
    """A number with ``digits`` decimals and a true minus sign, never "−0.00"."""
    text = f"{value:.{digits}f}"
    if float(text) == 0:
        text = text.lstrip("-")
    return text.replace("-", "−")


def matrix_html(M: np.ndarray, digits: int = 2) -> str:
    """A small matrix or vector written inline, rows in brackets: ``[[1.00, 0.50], [0.00, 1.00]]``."""
    M = np.asarray(M, dtype=float)
    if M.ndim == 1:
        return "(" + ", ".join(_number(v, digits) for v in M) + ")"
    return "[" + ", ".join("[" + ", ".join(_number(v, digits) for v in row) + "]" for row in M) + "]"


def _plane(ax: Axes, lim: float, title: str) -> None:
    ax.set(xlim=(-lim, lim), ylim=(-lim, lim), aspect="equal", xlabel="x₁", ylabel="x₂", title=title)
    ticks = np.arange(-np.floor(lim), np.floor(lim) + 1)
    ax.set(xticks=ticks, yticks=ticks)
    ax.grid(False)  # the drawn grid is the picture; a second one would only confuse
    ax.axhline(0, color=COLORS["ink"], lw=0.6, zorder=0.5)
    ax.axvline(0, color=COLORS["ink"], lw=0.6, zorder=0.5)


def _arrows(ax: Axes, colors: list[str], width: float = 0.014):
    """Arrows from the origin (a quiver); ``set_UVC`` moves their tips."""
    n = len(colors)
    return ax.quiver(
        np.zeros(n), np.zeros(n), np.zeros(n), np.zeros(n), color=colors, angles="xy", scale_units="xy",
        scale=1.0, width=width, headwidth=3.5, headlength=4.5, headaxislength=4, minlength=0, zorder=5,
    )  # fmt: skip


def _pointing_right(vectors: np.ndarray) -> np.ndarray:
    """The columns turned to point right (or straight up): ``v`` and ``-v`` are the same eigenvector,
    and this way an eigenvector along an axis is drawn on top of e₁ or e₂, not opposite."""
    v = np.array(vectors, dtype=float)
    left = (v[0] < -1e-12) | ((np.abs(v[0]) <= 1e-12) & (v[1] < 0))
    v[:, left] *= -1
    return v


class MatrixMapScene(Scene):
    r"""The plane before (left) and after (right) the map :math:`\mathbf{x} \mapsto A\mathbf{x}`.

    ``update(preset, amount)`` shows one of :data:`dlmath.linalg.PRESETS` at that amount;
    :meth:`show` shows any 2×2 matrix. Both return the readout: the matrix, its determinant (the area
    factor; its sign says whether the map flips the plane), a plain-words note when the map squashes
    the plane flat, and the eigenvalues when the matrix is symmetric. The eigenvector directions are
    drawn as purple arrows on dashed lines; after the map each arrow is still on its line, only
    stretched (by its eigenvalue).
    """

    LIM = 3.2  # the panels' reach; the grid covers [-2, 2]², so a stretch by 2 runs off the edge

    def __init__(self, *, preset: str = "shear", amount: float = 1.0) -> None:
        lines = grid_lines(2.0, 0.5)
        self._lines = lines
        with book_style():
            self.figure, axes = new_figure(7.6, 4.1, ncols=2)
            before, after = self.ax_before, self.ax_after = axes[0]
            _plane(before, self.LIM, "before: the points x")
            _plane(after, self.LIM, "after: the points Ax")
            # Left: everything is still except the eigenvector directions, which depend on A.
            before.add_collection(LineCollection(lines, colors=GRID, linewidths=0.9, zorder=1))
            before.add_patch(Polygon(UNIT_SQUARE, closed=True, facecolor=SQUARE, edgecolor=SQUARE, alpha=0.45, zorder=2))
            self.basis_before = _arrows(before, [E1, E2])
            self.basis_before.set_UVC([1.0, 0.0], [0.0, 1.0])
            before.plot(*DATA_POINTS.T, "o", color=POINTS, mec="white", mew=0.8, ms=6, zorder=6)
            (self.eigen_lines_before,) = before.plot([], [], "--", color=EIGEN, lw=1.1, zorder=3)
            self.eigen_before = _arrows(before, [EIGEN, EIGEN], width=0.026)
            # Right: the original grid faintly behind, then everything the map moves.
            after.add_collection(LineCollection(lines, colors=COLORS["grid"], linewidths=0.7, zorder=0.8))
            self.grid_after = after.add_collection(LineCollection(lines, colors=GRID, linewidths=0.9, zorder=1))
            self.square_after = after.add_patch(
                Polygon(UNIT_SQUARE, closed=True, facecolor=SQUARE, edgecolor=SQUARE, alpha=0.45, zorder=2)
            )
            (self.eigen_lines_after,) = after.plot([], [], "--", color=EIGEN, lw=1.1, zorder=3)
            self.eigen_after = _arrows(after, [EIGEN, EIGEN], width=0.026)
            self.basis_after = _arrows(after, [E1, E2])
            (self.points_after,) = after.plot([], [], "o", color=POINTS, mec="white", mew=0.8, ms=6, zorder=6)
            handles = [
                Line2D([], [], color=GRID, lw=1.5, label="grid"),
                Patch(facecolor=SQUARE, alpha=0.45, label="unit square"),
                Line2D([], [], color=E1, lw=2.5, label="e₁ → 1st column of A"),
                Line2D([], [], color=E2, lw=2.5, label="e₂ → 2nd column of A"),
                Line2D([], [], color=EIGEN, lw=2, ls="--", label="eigenvectors (symmetric A)"),
                Line2D([], [], color=POINTS, marker="o", lw=0, label="data points"),
            ]
            self.figure.legend(handles=handles, loc="outside upper center", ncols=3, fontsize=9)
        self.freeze([
            self.eigen_lines_before, self.eigen_before, self.grid_after, self.square_after,
            self.eigen_lines_after, self.eigen_after, self.basis_after, self.points_after,
        ], on_top=[self.basis_before])  # fmt: skip  # e₁ and e₂ stay visible on a wider eigenvector arrow
        self.show(preset_matrix(preset, amount))

    def update(self, preset: str, amount: float) -> str:
        return self.show(preset_matrix(preset, amount))

    def show(self, A, *, name: str = "") -> str:
        """Draw the map of any 2×2 matrix ``A`` and return the readout (``name`` leads it, if given)."""
        M = _matrix2(A)
        facts = describe_map(M)
        mapped = apply_map(M, self._lines)
        self.grid_after.set_segments(list(mapped))
        self.square_after.set_xy(apply_map(M, UNIT_SQUARE))
        self.basis_after.set_UVC(M[0, :], M[1, :])  # the columns of A: (a, c) and (b, d)
        self.points_after.set_data(*apply_map(M, DATA_POINTS).T)
        if facts.symmetric:
            v = _pointing_right(facts.eigenvectors)  # unit eigenvectors as columns
            reach = 2 * self.LIM
            line = np.concatenate([np.outer([-reach, reach], v[:, 0]), [[np.nan, np.nan]], np.outer([-reach, reach], v[:, 1])])
            for artist in (self.eigen_lines_before, self.eigen_lines_after):
                artist.set_data(*line.T)
            self.eigen_before.set_UVC(v[0, :], v[1, :])
            stretched = v * facts.eigenvalues  # A v = λ v: the same line, λ times as long
            self.eigen_after.set_UVC(stretched[0, :], stretched[1, :])
        else:
            for artist in (self.eigen_lines_before, self.eigen_lines_after):
                artist.set_data([], [])
            for arrows in (self.eigen_before, self.eigen_after):
                arrows.set_UVC([0.0, 0.0], [0.0, 0.0])
        items = [("A", matrix_html(M)), ("det A", _number(facts.det))]
        if facts.symmetric:
            items.append(("eigenvalues", " and ".join(_number(v) for v in facts.eigenvalues)))
        if name:
            items.insert(0, ("map", name))
        return readout(*items, note=self._describe(facts))

    @staticmethod
    def _describe(facts) -> str:
        if facts.rank == 0:
            words = "squashes the whole plane onto one point"
        elif facts.flat:
            words = "squashes the plane flat onto a line: area × 0, and no way back"
        else:
            size = abs(facts.det)
            area = "keeps every area" if np.isclose(size, 1.0) else f"multiplies every area by {_number(size)}"
            words = f"{area}{' and flips the plane over (det < 0)' if facts.det < 0 else ''}"
        if not facts.symmetric:
            words += "; not symmetric, so no eigenvector arrows"
        return words


class MatrixEntriesScene(MatrixMapScene):
    r"""The same picture, driven by the four entries of :math:`A = \begin{pmatrix} a & b \\ c & d \end{pmatrix}`:
    ``update(a, b, c, d)``."""

    def __init__(self, *, a: float = 1.0, b: float = 0.0, c: float = 0.0, d: float = 1.0) -> None:
        super().__init__()
        self.update(a, b, c, d)

    def update(self, a: float, b: float, c: float, d: float) -> str:  # type: ignore[override]
        return self.show([[a, b], [c, d]])


class BlendScene(Scene):
    r"""A grid bent step by step into one layer's output: :math:`(1 - s)\mathbf{x} + s\tanh(A\mathbf{x} + \mathbf{b})`.

    ``layers`` maps a name to a pair ``(A, b)``. ``update(layer, s)`` draws the grid, the unit square
    and the data points at blend fraction ``s``; the faint grey grid is where they end at
    :math:`s = 1`, and the dashed square is the box :math:`(-1, 1)^2` that tanh's outputs stay in.
    """

    LIM = 2.3

    def __init__(self, layers: dict[str, tuple], *, layer: str | None = None, s: float = 0.5) -> None:
        if not layers:
            raise ValueError("layers must name at least one (A, b) pair")
        self.layers = {name: (_matrix2(A), _vector2(b)) for name, (A, b) in layers.items()}
        self._lines = grid_lines(2.0, 0.5, samples=41)
        edge = np.linspace(0.0, 1.0, 21)[:-1]
        self._square = np.concatenate([
            np.stack([edge, 0 * edge], 1), np.stack([1 + 0 * edge, edge], 1),
            np.stack([1 - edge, 1 + 0 * edge], 1), np.stack([0 * edge, 1 - edge], 1),
        ])  # fmt: skip  # its edges sampled, so that they can bend
        with book_style():
            self.figure, axes = new_figure(5.4, 4.9)
            ax = self.ax = axes[0, 0]
            _plane(ax, self.LIM, "(1 − s)·x + s·tanh(Ax + b)")
            ax.add_patch(Polygon([[-1, -1], [1, -1], [1, 1], [-1, 1]], closed=True, fill=False, ls=":",
                                 edgecolor=COLORS["ink"], lw=1.0, zorder=1.5))  # fmt: skip
            self.target = ax.add_collection(LineCollection([], colors="#BBBBBB", linewidths=0.7, zorder=0.8))
            self.grid = ax.add_collection(LineCollection([], colors=GRID, linewidths=1.0, zorder=1))
            self.square = ax.add_patch(Polygon(self._square, closed=True, facecolor=SQUARE, edgecolor=SQUARE, alpha=0.45, zorder=2))
            (self.points,) = ax.plot([], [], "o", color=POINTS, mec="white", mew=0.8, ms=6, zorder=6)
            handles = [
                Line2D([], [], color=GRID, lw=1.5, label="grid at s"),
                Line2D([], [], color="#BBBBBB", lw=1.5, label="grid at s = 1"),
                Patch(facecolor=SQUARE, alpha=0.45, label="unit square"),
                Line2D([], [], color=COLORS["ink"], lw=1, ls=":", label="tanh's range (−1, 1)²"),
                Line2D([], [], color=POINTS, marker="o", lw=0, label="data points"),
            ]
            self.figure.legend(handles=handles, loc="outside upper center", ncols=3, fontsize=9)
        self.freeze([self.target, self.grid, self.square, self.points])
        self.update(next(iter(self.layers)) if layer is None else layer, s)

    def update(self, layer: str, s: float) -> str:
        if layer not in self.layers:
            raise ValueError(f"layer must be one of {list(self.layers)}, got {layer!r}")
        A, b = self.layers[layer]
        self.target.set_segments(list(blend(A, b, self._lines, 1.0)))
        self.grid.set_segments(list(blend(A, b, self._lines, s)))
        self.square.set_xy(blend(A, b, self._square, s))
        self.points.set_data(*blend(A, b, DATA_POINTS, s).T)
        if s == 0:
            note = "every point where it started (the identity)"
        elif s == 1:
            note = "the layer's output: straight lines have bent, and everything lies inside (−1, 1)²"
        else:
            note = f"each point {s:.0%} of the way to its place in the layer's output"
        return readout(("A", matrix_html(A)), ("b", matrix_html(b)), ("s", f"{s:g}"), note=note)


def draw_digit(ax: Axes, image: np.ndarray, *, numbers: bool = True, title: str = "") -> list:
    """Draw an 8×8 digit as a picture (0 white paper, 16 full ink), optionally with each pixel's value.

    Returns the artists (the image, then the texts). Rows run top to bottom, as the matrix prints.
    """
    image = np.asarray(image)
    if image.shape != (8, 8):
        raise ValueError(f"image must be an 8×8 array, got shape {image.shape}")
    artists = [ax.imshow(image, cmap="Greys", vmin=0, vmax=16, interpolation="nearest")]
    if numbers:
        for (row, col), value in np.ndenumerate(image):
            color = "white" if value > 8 else COLORS["ink"]
            artists.append(ax.text(col, row, f"{value:g}", ha="center", va="center", fontsize=7.5, color=color))
    ax.set(xticks=range(8), yticks=range(8), xlabel="column", ylabel="row")
    ax.tick_params(length=0, labelsize=8)
    ax.grid(False)
    for spine in ax.spines.values():  # a thin frame all round: white pixels are paper, not page
        spine.set(visible=True, color="#999999", linewidth=0.8)
    if title:
        ax.set_title(title)
    return artists
