"""One palette and one look for every figure in the book.

The palette is Okabe & Ito's, chosen because its colours stay distinguishable for readers with the
common forms of colour blindness. Figures are :class:`matplotlib.figure.Figure` objects made without
pyplot, so building one never displays it by accident and never touches global state.
"""

from __future__ import annotations

import contextlib
import io
from typing import Iterator

import matplotlib as mpl
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image as PILImage

__all__ = ["COLORS", "STYLE", "book_style", "encode_png", "new_figure", "render_png"]

#: Okabe-Ito colours by role; use these names rather than raw hex codes.
COLORS = {
    "curve": "#0072B2",  # blue: the function being studied
    "tangent": "#D55E00",  # vermillion: tangents, gradients, the thing being estimated
    "secant": "#009E73",  # bluish green: secants, approximations, iterates
    "accent": "#E69F00",  # orange: highlighted points, errors
    "muted": "#56B4E9",  # sky blue: secondary curves
    "extra": "#CC79A7",  # reddish purple
    "ink": "#222222",  # text and axes
    "grid": "#DDDDDD",
}

STYLE = {
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "axes.edgecolor": COLORS["ink"],
    "axes.labelcolor": COLORS["ink"],
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "axes.grid": True,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": mpl.cycler(
        color=[COLORS[k] for k in ("curve", "tangent", "secant", "accent", "muted", "extra")]
    ),
    "grid.color": COLORS["grid"],
    "grid.linewidth": 0.8,
    "lines.linewidth": 2.0,
    "legend.frameon": False,
    "legend.fontsize": 10,
    "font.size": 10.5,
    "xtick.color": COLORS["ink"],
    "ytick.color": COLORS["ink"],
    "mathtext.fontset": "dejavusans",
}


@contextlib.contextmanager
def book_style() -> Iterator[None]:
    """Temporarily apply the book's style (use around any plotting of your own)."""
    with mpl.rc_context(STYLE):
        yield


def new_figure(width: float = 7.0, height: float = 3.6, **subplots_kw) -> tuple[Figure, np.ndarray]:
    """A new figure in the book's style, with a constrained layout and a 2-D array of Axes."""
    with book_style():
        fig = Figure(figsize=(width, height), layout="constrained")
        FigureCanvasAgg(fig)  # render off-screen, independent of any pyplot backend
        axes = fig.subplots(squeeze=False, **subplots_kw)
    return fig, axes


def encode_png(rgba: np.ndarray, *, compact: bool = False) -> bytes:
    """Encode an (height, width, 4) uint8 picture as PNG bytes.

    ``compact=False`` is the fast path for live updates (light compression). ``compact=True`` is for
    frames stored in a page: the image is reduced to a 128-colour palette (our figures use a handful
    of flat colours, so nothing visible is lost) and compressed hard, which makes it ~3x smaller.
    """
    image = PILImage.fromarray(np.ascontiguousarray(rgba[..., :3]))
    buffer = io.BytesIO()
    if compact:
        image = image.quantize(colors=128, method=PILImage.Quantize.MEDIANCUT, dither=PILImage.Dither.NONE)
        image.save(buffer, format="png", optimize=True)
    else:
        image.save(buffer, format="png", compress_level=1)
    return buffer.getvalue()


def render_png(fig: Figure, *, compact: bool = False) -> bytes:
    """Draw the whole of ``fig`` and return it as PNG bytes (see :func:`encode_png`)."""
    fig.canvas.draw()
    return encode_png(np.asarray(fig.canvas.buffer_rgba()), compact=compact)
