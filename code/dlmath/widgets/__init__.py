"""The widget layer: one factory per explorer, wiring sliders to math and figures.

``EXPLORERS`` lists every explorer in the book, chapter by chapter; the tests and
``python -m dlmath.bench`` walk it, so an explorer registered in its chapter's module is swept and
benchmarked from then on.
"""

from . import activations, approx, classifier, derivatives, descent, diagnosis, graphs, linalg, nn, optim, partials, regression
from .activations import gradient_size_explorer, leaky_relu_explorer, neuron_explorer
from .approx import sigmoid_unit_explorer, units_explorer
from .classifier import choices_explorer, digit_explorer
from .derivatives import difference_explorer, kink_explorer, secant_explorer, tangent_explorer
from .descent import learning_rate_explorer, momentum_explorer, starting_point_explorer, valley_explorer
from .diagnosis import threshold_explorer
from .explorer import Explorer, Slider, explorer, static_mode
from .graphs import computational_graph_explorer
from .linalg import blend_explorer, matrix_entries_explorer, matrix_map_explorer, show_map
from .nn import lift_explorer, ring_explorer, training_explorer, warp_explorer
from .optim import minibatch_explorer, optimizer_explorer
from .partials import bowl_explorer, linear_approximation_explorer, saddle_explorer
from .regression import degree_explorer, fit_by_eye_explorer, scaling_explorer

# Chapter by chapter, in the book's order.
EXPLORERS = {
    **derivatives.EXPLORERS,
    **partials.EXPLORERS,
    **graphs.EXPLORERS,
    **descent.EXPLORERS,
    **linalg.EXPLORERS,
    **regression.EXPLORERS,
    **optim.EXPLORERS,
    **activations.EXPLORERS,
    **approx.EXPLORERS,
    **nn.EXPLORERS,
    **classifier.EXPLORERS,
    **diagnosis.EXPLORERS,
}

__all__ = [
    "EXPLORERS",
    "Explorer",
    "Slider",
    "blend_explorer",
    "bowl_explorer",
    "choices_explorer",
    "computational_graph_explorer",
    "degree_explorer",
    "difference_explorer",
    "digit_explorer",
    "explorer",
    "fit_by_eye_explorer",
    "gradient_size_explorer",
    "kink_explorer",
    "leaky_relu_explorer",
    "learning_rate_explorer",
    "lift_explorer",
    "linear_approximation_explorer",
    "matrix_entries_explorer",
    "matrix_map_explorer",
    "minibatch_explorer",
    "momentum_explorer",
    "neuron_explorer",
    "optimizer_explorer",
    "ring_explorer",
    "saddle_explorer",
    "scaling_explorer",
    "secant_explorer",
    "show_map",
    "sigmoid_unit_explorer",
    "starting_point_explorer",
    "static_mode",
    "tangent_explorer",
    "threshold_explorer",
    "training_explorer",
    "units_explorer",
    "valley_explorer",
    "warp_explorer",
]
