"""Helpers shared by the scene tests of several chapters."""

from __future__ import annotations

import numpy as np


def drawn_from_scratch(scene) -> np.ndarray:
    """What matplotlib draws when it redraws everything, the moving artists included."""
    moving = list(scene._moving)
    for artist in moving:
        artist.set_animated(False)
    try:
        scene.figure.canvas.draw()
        return np.asarray(scene.figure.canvas.buffer_rgba()).astype(int)
    finally:
        for artist in moving:
            artist.set_animated(True)
