"""The widget layer: one factory per explorer, wiring sliders to math and figures.

``EXPLORERS`` lists every explorer in the book, chapter by chapter; the tests and
``python -m dlmath.bench`` walk it, so an explorer registered in its chapter's module is swept and
benchmarked from then on.
"""

from . import derivatives, graphs, partials
from .derivatives import difference_explorer, secant_explorer, tangent_explorer
from .explorer import Explorer, Slider, explorer, static_mode
from .graphs import computational_graph_explorer
from .partials import bowl_explorer, linear_approximation_explorer, saddle_explorer

EXPLORERS = {**derivatives.EXPLORERS, **partials.EXPLORERS, **graphs.EXPLORERS}

__all__ = [
    "EXPLORERS",
    "Explorer",
    "Slider",
    "bowl_explorer",
    "computational_graph_explorer",
    "difference_explorer",
    "explorer",
    "linear_approximation_explorer",
    "saddle_explorer",
    "secant_explorer",
    "static_mode",
    "tangent_explorer",
]
