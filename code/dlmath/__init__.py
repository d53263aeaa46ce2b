"""dlmath: the NumPy code behind *The math under deep learning*.

Three layers: math modules named after their concept (``calculus``, ``activations``, ``data``, ...),
the figure layer (``dlmath.figures``) and the widget layer (``dlmath.widgets``). The math is imported
here; figures and widgets are imported from their subpackages when a chapter needs them.
"""

from . import activations, calculus, data
from .activations import sigmoid, sigmoid_grad
from .calculus import Line, default_step, derivative, difference_errors, gradient, partial, secant_slope, tangent_line

__all__ = [
    "Line",
    "activations",
    "calculus",
    "data",
    "default_step",
    "derivative",
    "difference_errors",
    "gradient",
    "partial",
    "secant_slope",
    "sigmoid",
    "sigmoid_grad",
    "tangent_line",
]
__version__ = "0.1.0"
