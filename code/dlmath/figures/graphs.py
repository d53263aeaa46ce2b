"""Figures for Chapter 3 (the chain rule): computational graphs of :class:`dlmath.graph.Value` drawn
with matplotlib alone, each node showing its value (forward pass) and gradient (backward pass).

The layout is a small layered drawing. A node's **layer** is its distance from the output counted
along the longest path, mirrored so that inputs sit on the left and the output on the right; every
node therefore sits as close to the output as its uses allow (an input used only by the last step is
drawn next to it). Layers are filled from the output backwards: each node aims for the mean height of
the nodes it feeds, and nodes of one layer are then pushed apart to a fixed gap.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
from matplotlib.path import Path
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from ..graph import Value, topological_order
from .scene import Scene, readout
from .style import COLORS, book_style, new_figure

__all__ = [
    "ComputationGraphScene",
    "GraphDrawing",
    "draw_value_graph",
    "graph_layers",
    "graph_figsize",
    "graph_layer_gap",
    "graph_layout",
    "graph_legend",
    "j_graph",
    "node_caption",
]

#: Geometry in data units (the axes use an equal aspect, so boxes keep their shape).
LAYER_GAP, ROW_GAP = 1.6, 1.0
CROSSING_LAYER_GAP = 2.4  # for graphs whose arrows cross: their numbers need the room to stand apart
BOX_WIDTH, BOX_HEIGHT = 1.12, 0.74
LABEL_BEFORE = 0.3  # how far before its end a sloping arrow carries its local derivative (at most halfway)
LEVEL_SLOPE = 0.3  # a straight arrow no steeper than this is "level": its number sits above it, halfway
LIFT = 0.05  # the gap between a level arrow and the number above it
LEGEND_HEIGHT = 0.45  # inches above the drawing taken by :func:`graph_legend`

_OP_NAMES = {"+": "+", "*": "×", "sum": "Σ", "dot": "w·x + b", "exp": "exp", "log": "ln",
             "tanh": "tanh", "sigmoid": "σ", "relu": "ReLU", "abs": "|x|"}


def j_graph(p: float, q: float, r: float) -> Value:
    r"""Build the graph of :math:`J(p, q, r) = 3(p + qr)` with :math:`u = qr`, :math:`v = p + u`, :math:`J = 3v`.

    Every node is labelled for drawing. ``J.backward()`` then gives :math:`\partial J/\partial p = 3`,
    :math:`\partial J/\partial q = 3r`, :math:`\partial J/\partial r = 3q`. (The inputs are not
    called a, b, c: in this book those letters are a neuron's activation function and bias.)
    """
    p_, q_, r_ = Value(p, label="p"), Value(q, label="q"), Value(r, label="r")
    u = q_ * r_
    u.label = "u = qr"
    v = p_ + u
    v.label = "v = p + u"
    J = 3 * v
    J.label = "J = 3v"
    return J


def node_caption(node: Value) -> str:
    """What a node's box is titled with: its label, else the name of its operation."""
    if node.label:
        return node.label
    if node.op.startswith("**"):
        return f"( )^{node.op[2:]}"
    if node.op == "*" and len(node.parents) == 1:  # a plain number folded in: its local derivative
        return f"× {_fmt(node.local_grads[0])}"
    return _OP_NAMES.get(node.op, node.op or "input")


def _symbol(node: Value) -> str:
    """The name before " = " in a label ("u" for "u = bc"), or "" for an unlabelled node."""
    return node.label.split("=")[0].strip() if node.label else ""


def _fmt(x: float) -> str:
    """A number for a caption or the readout: four significant digits, a true minus sign."""
    return f"{x + 0.0:.4g}".replace("-", "−")  # + 0.0 turns -0.0 into 0.0


def _figure_number(x: float) -> str:
    """A number as drawn in a figure: three significant digits (it must fit a box), a true minus sign."""
    return f"{x + 0.0:.3g}".replace("-", "−")


def graph_layers(root: Value) -> dict[Value, int]:
    """Return each node's layer: 0 for the leftmost, the output alone in the last layer.

    A node's layer is ``depth - d``, where ``d`` is the length of the longest path from it to
    ``root`` and ``depth`` the largest such ``d``; so every arrow points to a later layer.
    """
    order = topological_order(root)
    dist = {root: 0}
    for node in reversed(order):  # every node comes after all the nodes it feeds: its dist is final
        d = dist[node] + 1
        for parent in node.parents:
            if dist.get(parent, -1) < d:
                dist[parent] = d
    depth = max(dist.values())
    return {node: depth - dist[node] for node in order}


def graph_layout(root: Value, *, layer_gap: float = LAYER_GAP,
                 row_gap: float = ROW_GAP) -> dict[Value, tuple[float, float]]:
    """Return the centre ``(x, y)`` of every node of the graph below ``root`` (inputs left, output right).

    Layers are placed from the output backwards. In each layer, a node's wish is the mean height of
    the nodes it feeds; nodes are sorted by that wish (ties keep the order in which they were
    created), pushed apart to at least ``row_gap``, and the layer is shifted so that on average
    every node sits at its wish.
    """
    if layer_gap <= 0 or row_gap <= 0:
        raise ValueError(f"layer_gap and row_gap must be positive, got {layer_gap} and {row_gap}")
    layers = graph_layers(root)
    order = list(layers)
    rank = {node: i for i, node in enumerate(order)}
    feeds: dict[Value, list[Value]] = {node: [] for node in order}
    for node in order:
        for parent in node.parents:
            feeds[parent].append(node)
    y: dict[Value, float] = {}
    for layer in range(max(layers.values()), -1, -1):
        nodes = [node for node in order if layers[node] == layer]
        wish = {node: float(np.mean([y[c] for c in feeds[node]])) if feeds[node] else 0.0 for node in nodes}
        nodes.sort(key=lambda node: (-wish[node], rank[node]))  # top of the drawing first
        placed: list[float] = []
        for node in nodes:
            placed.append(wish[node] if not placed else min(wish[node], placed[-1] - row_gap))
        shift = float(np.mean([wish[node] - p for node, p in zip(nodes, placed)]))
        for node, p in zip(nodes, placed):
            y[node] = p + shift
    return {node: (layers[node] * layer_gap, y[node]) for node in order}


def graph_layer_gap(root: Value) -> float:
    """The distance between layers that suits ``root``'s graph: :data:`LAYER_GAP`, or the wider
    :data:`CROSSING_LAYER_GAP` if two arrows between the same two layers cross.

    Numbers sit near the ends of arrows; two arrows that cross end close to each other (as
    ``x -> v`` and ``y -> u`` in ``z = (x + y)(xy)``), and only a longer, flatter run keeps their
    numbers apart.
    """
    layout = graph_layout(root)
    arrows = [(layout[p], layout[node]) for node in layout for p in node.parents]
    for k, ((xa, ya), (xb, yb)) in enumerate(arrows):
        for (xc, yc), (xd, yd) in arrows[k + 1:]:
            if xa == xc and xb == xd and (ya - yc) * (yb - yd) < 0:  # same layers, order swapped
                return CROSSING_LAYER_GAP
    return LAYER_GAP


def graph_figsize(root: Value, *, width: float = 7.0, scale: float = 0.95,
                  layer_gap: float | None = None) -> tuple[float, float]:
    """A figure size ``(width, height)`` in inches that fits the drawing of ``root``'s graph.

    One data unit is drawn ``scale`` inches long (less if the graph is too wide for ``width``), so
    that the boxes are large enough for their text; room for :func:`graph_legend` is added on top.
    ``layer_gap`` must be the one given to :func:`draw_value_graph` (None: :func:`graph_layer_gap`).
    """
    if width <= 0 or scale <= 0:
        raise ValueError(f"width and scale must be positive, got {width} and {scale}")
    if layer_gap is None:
        layer_gap = graph_layer_gap(root)
    xs, ys = zip(*graph_layout(root, layer_gap=layer_gap).values())
    data_width = max(xs) - min(xs) + BOX_WIDTH + 0.3
    data_height = max(ys) - min(ys) + BOX_HEIGHT + 0.3
    scale = min(scale, (width - 0.2) / data_width)
    return width, round(data_height * scale + LEGEND_HEIGHT + 0.15, 2)


@dataclass
class GraphDrawing:
    """The artists of a drawn graph, in the topological order of its nodes.

    ``value_texts``, ``grad_texts`` and ``local_texts`` (one per arrow, the local derivative) are the
    numbers; :meth:`show` rewrites them for another graph of the same shape.
    """

    nodes: list[Value]
    edges: list[tuple[int, int]]  # (index of the node, index of the parent) per arrow, in drawing order
    value_texts: list[Text]
    grad_texts: list[Text]
    local_texts: list[Text]

    @property
    def number_texts(self) -> list[Text]:
        return [*self.value_texts, *self.grad_texts, *self.local_texts]

    def same_shape(self, root: Value) -> list[Value] | None:
        """The nodes of ``root``'s graph in drawing order, or None if its shape differs."""
        nodes = topological_order(root)
        if len(nodes) != len(self.nodes):
            return None
        index = {node: i for i, node in enumerate(nodes)}
        for new, old in zip(nodes, self.nodes):
            if new.op != old.op or len(new.parents) != len(old.parents):
                return None
        edges = [(i, index[p]) for i, node in enumerate(nodes) for p in node.parents]
        return nodes if edges == self.edges else None

    def show(self, root: Value) -> None:
        """Write the values, gradients and local derivatives of ``root``'s graph into the drawing."""
        nodes = self.same_shape(root)
        if nodes is None:
            raise ValueError("root must have the same graph shape (operations and arrows) as the one drawn")
        for node, value_text, grad_text in zip(nodes, self.value_texts, self.grad_texts):
            value_text.set_text(_figure_number(node.data))
            grad_text.set_text(_figure_number(node.grad))
        locals_ = [local for node in nodes for local in node.local_grads]
        for text, local in zip(self.local_texts, locals_):
            text.set_text(f"×({_figure_number(local)})" if local < 0 else f"×{_figure_number(local)}")


def _edge_path(start: tuple[float, float], end: tuple[float, float], bend: float) -> Path:
    """A quadratic Bézier from ``start`` to ``end`` whose middle is pushed up by ``bend``."""
    (x0, y0), (x1, y1) = start, end
    control = ((x0 + x1) / 2, (y0 + y1) / 2 + 2 * bend)  # the curve's midpoint moves by half of this
    return Path([start, control, end], [Path.MOVETO, Path.CURVE3, Path.CURVE3])


def draw_value_graph(ax: Axes, root: Value, *, fontsize: float = 9.0, numbers: bool = True,
                     layer_gap: float | None = None) -> GraphDrawing:
    """Draw the graph below ``root`` on ``ax``: a box per node, an arrow per use, numbers on both.

    Each box shows the node's caption (:func:`node_caption`), its value, and its gradient
    :math:`\\partial\\,\\text{root}/\\partial\\,\\text{node}` as left by the latest ``backward``; each
    arrow shows the local derivative ``×k`` that the backward pass multiplies by along it. An
    arrow that skips layers, or one of several arrows between the same two nodes, is bent so the
    arrows and their numbers stay apart. With ``numbers=False`` only the shape is drawn.
    ``layer_gap`` defaults to :func:`graph_layer_gap`; a wider one leaves more room for the numbers.
    """
    if layer_gap is None:
        layer_gap = graph_layer_gap(root)
    layout = graph_layout(root, layer_gap=layer_gap)
    nodes = list(layout)
    index = {node: i for i, node in enumerate(nodes)}
    out_symbol = _symbol(root) or "out"
    ink, grad_color = COLORS["ink"], COLORS["tangent"]
    fill = {"leaf": (0.0, 0.447, 0.698, 0.10), "inner": "white", "root": (0.0, 0.62, 0.451, 0.14)}
    value_texts, grad_texts, local_texts, edges = [], [], [], []
    small = fontsize * 0.85
    for node in nodes:
        x, y = layout[node]
        kind = "root" if node is root else ("inner" if node.parents else "leaf")
        ax.add_patch(FancyBboxPatch((x - BOX_WIDTH / 2, y - BOX_HEIGHT / 2), BOX_WIDTH, BOX_HEIGHT,
                                    boxstyle="round,pad=0,rounding_size=0.08", fc=fill[kind], ec=ink, lw=1.0, zorder=2))
        ax.text(x, y + 0.22, node_caption(node), ha="center", va="center", fontsize=fontsize, fontweight="bold",
                color=ink, zorder=3)
        left, right = x - BOX_WIDTH / 2 + 0.08, x + BOX_WIDTH / 2 - 0.08
        symbol = _symbol(node)
        grad_name = f"∂{out_symbol}/∂{symbol}" if symbol else "grad"
        ax.text(left, y - 0.02, "value", ha="left", va="center", fontsize=small, color=ink, zorder=3)
        ax.text(left, y - 0.23, grad_name, ha="left", va="center", fontsize=small, color=grad_color, zorder=3)
        value_texts.append(ax.text(right, y - 0.02, "", ha="right", va="center", fontsize=fontsize, color=ink,
                                   zorder=3))
        grad_texts.append(ax.text(right, y - 0.23, "", ha="right", va="center", fontsize=fontsize, color=grad_color,
                                  zorder=3))
    # Where arrows start and end: several arrows leaving (or entering) one box are spread along its
    # right (or left) side, ordered by the height of the box at their other end, so they fan out.
    outgoing: dict[Value, list[tuple[Value, int]]] = {node: [] for node in nodes}
    for node in nodes:
        for j, parent in enumerate(node.parents):
            outgoing[parent].append((node, j))

    def slot(rank: int, count: int, spread: float) -> float:
        return 0.0 if count == 1 else spread * (1 - 2 * rank / (count - 1))

    for node in nodes:  # arrows: one per (node, parent) pair, i.e. one per use of the parent
        xc, yc = layout[node]
        k = len(node.parents)
        arrivals = sorted(range(k), key=lambda j: (-layout[node.parents[j]][1], j))  # top parent arrives on top
        for j, parent in enumerate(node.parents):
            xp, yp = layout[parent]
            uses = sorted(outgoing[parent], key=lambda use: (-layout[use[0]][1], index[use[0]], use[1]))
            start = (xp + BOX_WIDTH / 2, yp + slot(uses.index((node, j)), len(uses), 0.14))
            end = (xc - BOX_WIDTH / 2, yc + slot(arrivals.index(j), k, 0.26))
            twins = [i for i, p in enumerate(node.parents) if p is parent]
            bend = 0.0
            if len(twins) > 1:  # the same node used twice here (x * x): bow the arrows apart
                bend = 0.32 * (1 - 2 * twins.index(j) / (len(twins) - 1))
            elif xc - xp > 1.5 * layer_gap:  # skips a layer: arch over the boxes in between
                bend = 0.5
            path = _edge_path(start, end, bend)
            ax.add_patch(FancyArrowPatch(path=path, arrowstyle="-|>", mutation_scale=11, color="#555555", lw=1.1,
                                         shrinkA=0, shrinkB=0, zorder=1))
            # The number is the local derivative of the box the arrow enters, so it sits near the
            # arrow's end, beside that box: arrows that cross on the way (x -> v and y -> u) have
            # parted again there. On a level arrow it sits just above the shaft, halfway, so that
            # even a short arrow stays visible under it; on bowed twins, at the top of each bow.
            p0, p1, p2 = (np.asarray(v) for v in path.vertices)
            t = np.linspace(0.0, 1.0, 65)[:, None]
            curve = (1 - t) ** 2 * p0 + 2 * t * (1 - t) * p1 + t**2 * p2
            along = np.cumsum(np.r_[0.0, np.hypot(*np.diff(curve, axis=0).T)])
            level = bend == 0.0 and abs(end[1] - start[1]) <= LEVEL_SLOPE * (end[0] - start[0])
            halfway = level or len(twins) > 1
            at = curve[np.searchsorted(along, along[-1] / 2 if halfway else along[-1] - min(LABEL_BEFORE, along[-1] / 2))]
            ax.update_datalim([at, p0 + (p1 - p0) / 2, p2 + (p1 - p2) / 2])  # bent arrows stay inside
            local_texts.append(ax.text(at[0], at[1] + LIFT if level else at[1], "", ha="center",
                                       va="bottom" if level else "center", fontsize=small, color=grad_color,
                                       zorder=4, bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none"}))
            edges.append((index[node], index[parent]))
    ax.update_datalim([(x - BOX_WIDTH / 2, y - BOX_HEIGHT / 2) for x, y in layout.values()])
    ax.update_datalim([(x + BOX_WIDTH / 2, y + BOX_HEIGHT / 2) for x, y in layout.values()])
    (x0, y0), (x1, y1) = ax.dataLim.get_points()
    ax.set(xlim=(x0 - 0.08, x1 + 0.08), ylim=(y0 - 0.08, y1 + 0.08))
    ax.set_aspect("equal", adjustable="box")  # boxes keep their shape; the axes shrink to fit
    ax.set_axis_off()
    drawing = GraphDrawing(nodes, edges, value_texts, grad_texts, local_texts)
    if numbers:
        drawing.show(root)
    return drawing


def graph_legend(figure, output: str = "J", **kwargs) -> object:
    """Add the key to the drawing's colours above the axes (outside them, so nothing covers it)."""
    handles = [Line2D([], [], ls="none")] * 3
    labels = ["value: forward pass (→)", f"∂{output}/∂node: backward pass (←)", "×k: local derivative"]
    kwargs = {"loc": "outside upper center", "ncols": 3, "handlelength": 0, "handletextpad": 0, "columnspacing": 2.5,
              "labelcolor": [COLORS["ink"], COLORS["tangent"], COLORS["tangent"]], **kwargs}
    with book_style():  # legends read their defaults (no frame, font size) when they are made
        return figure.legend(handles, labels, **kwargs)


def _overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    """Whether two pixel rectangles ``(r0, r1, c0, c1)`` share a pixel."""
    return a[0] < b[1] and b[0] < a[1] and a[2] < b[3] and b[2] < a[3]


class ComputationGraphScene(Scene):
    """A computational graph whose values, gradients and local derivatives follow the sliders.

    ``build(**params)`` must return the output :class:`Value` of a graph whose shape does not depend
    on the parameters (only its numbers do). The boxes, captions and arrows are drawn once; ``update``
    rebuilds the graph with the new parameters, runs ``backward`` and rewrites only the numbers.
    ``height`` defaults to what :func:`graph_figsize` finds for the graph.

    Speed: matplotlib spends about half a millisecond on *every* text it draws, however short, and
    this scene has 17 numbers. But the still parts never change, so the pixels of one number in one
    place are always the same: each (text, string) pair is drawn once, its pixels are kept, and
    later frames paste them back (:meth:`render_rgba`). Patches are used only while no two numbers
    overlap, which is what makes a pasted patch equal to a fresh drawing.
    """

    #: Forget the pasted patches when there are more than this many (a long live session).
    MAX_PATCHES = 4000

    def __init__(self, build: Callable[..., Value], *, width: float = 7.0, height: float | None = None,
                 fontsize: float = 9.0, **params: float) -> None:
        self.build = build
        root = build(**params)
        root.backward()
        self.output = _symbol(root) or "out"
        self.figure, axes = new_figure(width, height or graph_figsize(root, width=width)[1])
        self.ax = axes[0, 0]
        self.drawing = draw_value_graph(self.ax, root, fontsize=fontsize, numbers=False)
        graph_legend(self.figure, self.output)
        self.freeze(self.drawing.number_texts)
        self._patches: dict[tuple[int, str], tuple[tuple[int, int, int, int], np.ndarray]] = {}
        self.update(**params)

    def _extent(self, text: Text) -> tuple[int, int, int, int]:
        """Rows ``r0:r1`` and columns ``c0:c1`` of the frame that the drawn ``text`` (and its box) covers."""
        renderer = self.figure.canvas.get_renderer()
        box = text.get_window_extent(renderer)
        patch = text.get_bbox_patch()
        if patch is not None:
            box = Bbox.union([box, patch.get_window_extent(renderer)])
        height, width = int(self.figure.bbox.height), int(self.figure.bbox.width)
        pad = 2  # anti-aliased edges reach a pixel or so beyond the extent
        return (max(int(height - box.y1) - pad, 0), min(int(np.ceil(height - box.y0)) + pad, height),
                max(int(box.x0) - pad, 0), min(int(np.ceil(box.x1)) + pad, width))

    def render_rgba(self) -> np.ndarray:
        """Restore the still parts, then paste each number's kept pixels (drawing only new ones).

        A patch is kept, and pasted, only in frames where no two numbers overlap; otherwise the
        frame is drawn by matplotlib throughout, so the picture is always the one a full draw gives.
        """
        canvas, texts = self.figure.canvas, self.drawing.number_texts
        if len(self._patches) > self.MAX_PATCHES:
            self._patches.clear()
        canvas.restore_region(self._still)
        pixels = np.asarray(canvas.buffer_rgba())
        kept, new = [], []
        for i, text in enumerate(texts):
            key = (i, text.get_text())
            if not key[1]:
                continue
            if key in self._patches:
                kept.append(self._patches[key])
            else:
                self.figure.draw_artist(text)
                new.append((key, self._extent(text)))
        boxes = [extent for extent, _ in kept] + [extent for _, extent in new]
        if any(_overlap(a, b) for k, a in enumerate(boxes) for b in boxes[k + 1:]):
            return super().render_rgba()  # rare: numbers touch; draw them all, keep nothing
        for key, (r0, r1, c0, c1) in new:
            self._patches[key] = ((r0, r1, c0, c1), pixels[r0:r1, c0:c1].copy())
        for (r0, r1, c0, c1), patch in kept:
            pixels[r0:r1, c0:c1] = patch
        return pixels

    def update(self, **params: float) -> str:
        root = self.build(**params)
        root.backward()
        self.drawing.show(root)
        nodes = topological_order(root)
        leaves = [node for node in nodes if not node.parents and node.label]
        items = [(self.output, _fmt(root.data))]
        items += [(f"∂{self.output}/∂{node.label}", _fmt(node.grad)) for node in leaves]
        # A zero gradient means that this input *alone* cannot move the output; moving two inputs
        # together still can (q and r when both are 0), so the note says "alone". Kept short, so
        # that the readout stays on one line above the picture.
        idle = [node.label for node in leaves if node.grad == 0.0]
        note = ", or ".join(f"{name} alone" for name in idle)
        if len(idle) > 1:
            note += ","
        note = f"{note} cannot move {self.output} here" if idle else ""
        return readout(*items, note=note)
