"""The widget layer: one factory per explorer, wiring sliders to math and figures.

``EXPLORERS`` lists every explorer in the book by chapter; the tests and ``python -m dlmath.bench``
walk it, so a new explorer is registered here once and is then swept and benchmarked for free.
"""

from .derivatives import difference_explorer, secant_explorer, tangent_explorer
from .explorer import Explorer, Slider, explorer, static_mode

EXPLORERS = {
    "secant_explorer": secant_explorer,
    "tangent_explorer": tangent_explorer,
    "difference_explorer": difference_explorer,
}

__all__ = [
    "EXPLORERS",
    "Explorer",
    "Slider",
    "difference_explorer",
    "explorer",
    "secant_explorer",
    "static_mode",
    "tangent_explorer",
]
