"""Helpers shared by the scene tests of several chapters."""

from __future__ import annotations

import warnings

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


def build_scenes(specs: dict) -> dict:
    """Each scene of ``specs`` (name -> (factory, list of update parameters)) built once, with any
    warning raised as an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return {name: make() for name, (make, _) in specs.items()}


def blit_mismatch(scene) -> float:
    """The share of pixels in which the scene's blitted picture differs by more than a shade (8 of 255)
    from a full redraw. Anti-aliased edges may differ where a moving artist crosses a still one."""
    blitted = scene.render_rgba().astype(int)
    full = drawn_from_scratch(scene)
    assert blitted.shape == full.shape
    return float(np.mean(np.abs(blitted - full) > 8))


def artist_counts(scene) -> list[int]:
    """How many artists each axes of the scene holds: an update in place leaves these unchanged."""
    return [len(ax.get_children()) for ax in scene.figure.axes]


def clean_readout(text: str) -> bool:
    """A readout is an HTML block with no nan or inf in it."""
    return text.startswith("<div") and "nan" not in text.lower() and "inf" not in text.lower()
