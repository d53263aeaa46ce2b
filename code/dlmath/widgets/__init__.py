"""The widget layer: one factory per explorer, wiring sliders to math and figures.

``EXPLORERS`` lists every explorer in the book, chapter by chapter; the tests and
``python -m dlmath.bench`` walk it, so an explorer registered in its chapter's module is swept and
benchmarked from then on.
"""

from . import derivatives, descent, graphs, optim, partials, regression
from .derivatives import difference_explorer, kink_explorer, secant_explorer, tangent_explorer
from .descent import (
    learning_rate_explorer,
    momentum_explorer,
    starting_point_explorer,
    valley_explorer,
)
from .explorer import Explorer, Slider, explorer, static_mode
from .graphs import computational_graph_explorer
from .optim import minibatch_explorer, optimizer_explorer
from .partials import bowl_explorer, linear_approximation_explorer, saddle_explorer
from .regression import degree_explorer, fit_by_eye_explorer, scaling_explorer

EXPLORERS = {**derivatives.EXPLORERS, **partials.EXPLORERS, **graphs.EXPLORERS, **descent.EXPLORERS,
             **regression.EXPLORERS, **optim.EXPLORERS}

__all__ = [
    "EXPLORERS",
    "Explorer",
    "Slider",
    "bowl_explorer",
    "computational_graph_explorer",
    "degree_explorer",
    "difference_explorer",
    "explorer",
    "kink_explorer",
    "fit_by_eye_explorer",
    "learning_rate_explorer",
    "linear_approximation_explorer",
    "minibatch_explorer",
    "momentum_explorer",
    "optimizer_explorer",
    "saddle_explorer",
    "scaling_explorer",
    "secant_explorer",
    "starting_point_explorer",
    "static_mode",
    "tangent_explorer",
    "valley_explorer",
]
