"""dlmath: the NumPy code behind *The math under deep learning*.

Three layers: math modules named after their concept (``calculus``, ``activations``, ``data``, ...),
the figure layer (``dlmath.figures``) and the widget layer (``dlmath.widgets``). The math is imported
here; figures and widgets are imported from their subpackages when a chapter needs them.
"""

from . import activations, calculus, data, descent, graph, optim, regression, surfaces
from .activations import sigmoid, sigmoid_grad
from .calculus import Line, default_step, derivative, difference_errors, gradient, partial, secant_slope, tangent_line
from .descent import DescentResult, gradient_descent
from .graph import Value

__all__ = [
    "DescentResult",
    "Line",
    "Value",
    "activations",
    "calculus",
    "data",
    "default_step",
    "derivative",
    "descent",
    "difference_errors",
    "gradient",
    "gradient_descent",
    "graph",
    "optim",
    "partial",
    "regression",
    "secant_slope",
    "sigmoid",
    "sigmoid_grad",
    "surfaces",
    "tangent_line",
]
__version__ = "0.1.0"
