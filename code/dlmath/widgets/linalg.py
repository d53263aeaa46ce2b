"""Explorers for Chapter 5 (vectors and matrices): sliders wired to the scenes in :mod:`dlmath.figures.linalg`."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from ..figures.linalg import BlendScene, MatrixEntriesScene, MatrixMapScene
from ..linalg import PRESETS, preset_matrix
from .explorer import Explorer, Slider, explorer

__all__ = ["blend_explorer", "matrix_entries_explorer", "matrix_map_explorer", "show_map"]

#: How far each named map goes. 0 would be the identity for every map (five equal pictures), so the
#: slider starts a quarter of the way. Every preset reaches its full effect at 1, and the flip passes
#: through the degenerate, flat map at 0.5 on its way to a mirror image.
AMOUNTS = (0.25, 0.5, 0.75, 1.0)
PRESET_LABELS = ("rotate", "stretch", "shear", "flip (flat half way)", "squash to a line")


def matrix_map_explorer(*, static: bool | None = None) -> Explorer:
    """Choose a named 2×2 map and how far it goes; see the grid, the unit square and points move."""
    return explorer(
        lambda: MatrixMapScene(preset="shear", amount=1.0),
        [
            Slider("preset", "map", PRESETS, initial="shear", labels=PRESET_LABELS),
            Slider("amount", "amount", AMOUNTS, initial=1.0),
        ],
        static=static,
    )


#: The values each entry of A can take on the four-entry explorer: 3⁴ = 81 matrices, every one stored
#: in the page. They include the identity, the quarter turn, mirrors, shears, flat maps (det 0) and
#: the zero matrix, which sends the whole plane to one point.
ENTRY_VALUES = (-1.0, 0.0, 1.0)


def matrix_entries_explorer(*, static: bool | None = None) -> Explorer:
    """A slider for each of the four entries of A (−1, 0 or 1); see what the map does to the plane."""
    return explorer(
        lambda: MatrixEntriesScene(a=1.0, b=1.0, c=0.0, d=1.0),
        [
            Slider("a", "a (top left)", ENTRY_VALUES, initial=1.0),
            Slider("b", "b (top right)", ENTRY_VALUES, initial=1.0),
            Slider("c", "c (bottom left)", ENTRY_VALUES, initial=0.0),
            Slider("d", "d (bottom right)", ENTRY_VALUES, initial=1.0),
        ],
        static=static,
    )


def show_map(A) -> widgets.VBox:
    """One picture of the map x ↦ Ax for any 2×2 matrix ``A`` (change its entries in the code and rerun).

    Returns the readout and the picture, as an explorer shows them, without sliders.
    """
    scene = MatrixMapScene()
    text = scene.show(A)
    picture = widgets.Image(value=scene.render_png(compact=True), format="png",
                            layout=widgets.Layout(width=f"{round(scene.figure.get_figwidth() * scene.figure.dpi)}px", max_width="100%"))
    return widgets.VBox([widgets.HTML(text), picture])


#: Three layers (A, b) to bend the plane with: the same tanh, three different linear maps before it.
BLEND_LAYERS = {
    "stretch ×2": (2.0 * np.eye(2), (0.0, 0.0)),
    "turn and stretch, shifted": (1.5 * preset_matrix("rotate", 0.5), (0.5, -0.3)),
    "shear, shifted": (np.array([[1.2, 1.5], [0.0, 1.2]]), (-0.4, 0.3)),
}
BLEND_FRACTIONS = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)


def blend_explorer(*, static: bool | None = None) -> Explorer:
    """Slide s from 0 to 1 and watch a grid bend from the identity into tanh(Ax + b)."""
    names = tuple(BLEND_LAYERS)
    return explorer(
        lambda: BlendScene(BLEND_LAYERS, layer=names[0], s=0.0),
        [
            Slider("layer", "layer", names, initial=names[0], labels=names),
            Slider("s", "blend s", BLEND_FRACTIONS, initial=0.0),
        ],
        static=static,
    )


EXPLORERS = {
    "matrix_map_explorer": matrix_map_explorer,
    "matrix_entries_explorer": matrix_entries_explorer,
    "blend_explorer": blend_explorer,
}
