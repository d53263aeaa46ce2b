"""Explorers for Chapter 8 (activation functions): sliders wired to the scenes in
:mod:`dlmath.figures.activations`.

The static page stores one picture per combination of slider positions, so the positions are few
and chosen to show something each.
"""

from __future__ import annotations

import numpy as np

from ..figures.activations import ACTIVATION_NAMES, GradientSizeScene, LeakyReluScene, NeuronScene
from .explorer import Explorer, Slider, explorer

__all__ = ["gradient_size_explorer", "leaky_relu_explorer", "neuron_explorer"]


def _selector(names: tuple[str, ...], initial: str) -> Slider:
    """An activation selector: a slider over names, labelled the way the figures name them."""
    return Slider("activation", "activation", names, initial=initial, labels=tuple(ACTIVATION_NAMES[n] for n in names))


#: The neuron's weight: from a gentle slope to an almost vertical step.
NEURON_WEIGHTS = (0.5, 1.0, 2.0, 5.0, 20.0)
#: The bias moves the switch point −b/w left or right.
NEURON_BIASES = (-2.0, 0.0, 2.0)
NEURON_ACTIVATIONS = ("sigmoid", "tanh", "relu", "hard_sigmoid")


def neuron_explorer(*, static: bool | None = None) -> Explorer:
    """One neuron a(wx + b): raise w and the sigmoid becomes a step; move b and the ReLU's kink moves to −b/w."""
    return explorer(
        lambda: NeuronScene(),
        [
            _selector(NEURON_ACTIVATIONS, "sigmoid"),
            Slider("w", "weight w", NEURON_WEIGHTS, initial=1.0),
            Slider("b", "bias b", NEURON_BIASES, initial=0.0, labels=("−2", "0", "2")),
        ],
        static=static,
    )


#: 0 is the ReLU, 0.01 the usual default, 1 the identity.
LEAKY_ALPHAS = (0.0, 0.01, 0.1, 0.3, 1.0)


def leaky_relu_explorer(*, static: bool | None = None) -> Explorer:
    """Slide the leaky ReLU's slope α from 0 (ReLU) to 1 (a straight line, no bend)."""
    return explorer(lambda: LeakyReluScene(), [Slider("alpha", "slope α", LEAKY_ALPHAS, initial=0.01)], static=static)


#: Hidden layers of the random network.
DEPTHS = (1, 2, 5, 10, 20)
#: The initial weights' gain g (standard deviation g/√30 in a network of width 30).
GAINS = (0.5, 1.0, float(np.sqrt(2.0)), 2.0, float(np.sqrt(30.0)))
GAIN_LABELS = tuple(
    f"{g / np.sqrt(30.0):.2g} · {name}" for g, name in zip(GAINS, ("too small", "Xavier", "He", "too large", "N(0, 1)"))
)
GRADIENT_ACTIVATIONS = ("sigmoid", "tanh", "relu")


def gradient_size_explorer(*, static: bool | None = None) -> Explorer:
    """Depth, initial weight scale and activation of a random 30-wide network: watch the gradient vanish or explode."""
    return explorer(
        lambda: GradientSizeScene(),
        [
            Slider("depth", "hidden layers", DEPTHS, initial=10, fmt="{:d}"),
            Slider("scale", "weight std", GAINS, initial=1.0, labels=GAIN_LABELS),
            _selector(GRADIENT_ACTIVATIONS, "sigmoid"),
        ],
        static=static,
    )


EXPLORERS = {
    "neuron_explorer": neuron_explorer,
    "leaky_relu_explorer": leaky_relu_explorer,
    "gradient_size_explorer": gradient_size_explorer,
}
