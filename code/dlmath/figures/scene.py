"""The base class of every explorer's figure: draw the still parts once, redraw only what moves.

A scene builds its figure once, in the book's style. Artists that sliders move (a secant, a marker, a
readout) are declared *moving*; everything else (axes, ticks, labels, the curve, the legend) is
*still*. The still parts are rendered once into a cached pixel buffer. Each update then restores that
buffer and draws only the moving artists on top (matplotlib's "blitting"), which is what makes a live
update take a few milliseconds instead of a full redraw's fifty.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np
from matplotlib.artist import Artist
from matplotlib.figure import Figure

from .style import encode_png

__all__ = ["Scene", "readout"]


def readout(*items: tuple[str, str], note: str = "") -> str:
    """The numbers a reader should watch, as one line of HTML shown under the sliders.

    Text is kept out of the picture on purpose: rasterising glyphs is what makes a redraw slow, and
    as HTML the numbers stay sharp, selectable and readable in the dark theme.
    ``items`` are ``(label, value)`` pairs; ``note`` is a sentence in plain words after them.
    """
    # Each "label = value" stays on one line; the line breaks only between items.
    cells = " &nbsp;·&nbsp; ".join(
        f'<span style="white-space: nowrap">{label} = <b>{value}</b></span>' for label, value in items
    )
    tail = f" &nbsp;— {note}" if note else ""
    return f'<div class="dlmath-readout" style="font-family: monospace; font-size: 0.95em">{cells}{tail}</div>'



class Scene:
    """Subclasses build ``self.figure``, call :meth:`freeze` with their moving artists, and
    implement ``update(**params) -> str``: change those artists in place (``set_data``, ...) and
    return the readout (see :func:`readout`) for the new state."""

    figure: Figure
    _moving: list[Artist]
    _still: Any = None  # the cached pixels of the still parts

    def freeze(self, moving: Sequence[Artist], *, on_top: Sequence[Artist] = ()) -> None:
        """Fix the layout, mark ``moving`` as animated and cache the still parts' pixels.

        ``on_top`` are still artists (typically the legend) that must stay above the moving ones;
        they are redrawn after them on every update.
        """
        self._moving = [*moving, *on_top]
        for artist in self._moving:
            artist.set_animated(True)  # animated artists are left out of a full draw
        canvas = self.figure.canvas
        canvas.draw()  # runs the constrained layout once ...
        self.figure.set_layout_engine("none")  # ... and keeps it: labels changing must not move axes
        canvas.draw()
        self._still = canvas.copy_from_bbox(self.figure.bbox)

    def render_rgba(self) -> np.ndarray:
        """The current picture as an (height, width, 4) uint8 array (a view: copy it to keep it)."""
        canvas = self.figure.canvas
        canvas.restore_region(self._still)
        for artist in self._moving:
            self.figure.draw_artist(artist)
        return np.asarray(canvas.buffer_rgba())

    def render_png(self, *, compact: bool = False) -> bytes:
        """The current picture as PNG bytes (``compact`` for frames stored in a page)."""
        return encode_png(self.render_rgba(), compact=compact)

    def update(self, **params: float) -> str:  # pragma: no cover - every subclass overrides it
        raise NotImplementedError
