r"""A plain multilayer perceptron, vectorized over a batch: forward pass, backward pass, initialisation.

A batch is a matrix :math:`X` of shape ``(B, d)`` (one example per row). Layer :math:`l = 1, \dots, L`
has weights :math:`W^{(l)}` of shape ``(inputs, outputs)`` and biases :math:`\mathbf{b}^{(l)}` of shape
``(outputs,)``:

.. math:: A^{(0)} = X, \qquad Z^{(l)} = A^{(l-1)} W^{(l)} + \mathbf{b}^{(l)}, \qquad
          A^{(l)} = a\bigl(Z^{(l)}\bigr)\ \ (l < L), \qquad \hat Y = Z^{(L)} .

The hidden layers bend with the activation :math:`a` (from :data:`dlmath.activations.ACTIVATIONS`); the
last layer here is linear (``output="identity"``), scored with the mean squared error over every entry
of the output. The backward pass is the chain rule a layer at a time, with
:math:`\Delta^{(l)} = \partial L / \partial Z^{(l)}`:

.. math:: \frac{\partial L}{\partial W^{(l)}} = A^{(l-1)\top}\Delta^{(l)}, \qquad
          \frac{\partial L}{\partial \mathbf{b}^{(l)}} = \textstyle\sum_{\text{rows}} \Delta^{(l)}, \qquad
          \Delta^{(l-1)} = \bigl(\Delta^{(l)} W^{(l)\top}\bigr) \odot a'\bigl(Z^{(l-1)}\bigr).

Chapter 8 uses it to measure how the gradient's size changes from layer to layer; Chapter 10 derives
these equations and builds training on top of this class.
"""

from __future__ import annotations

from typing import NamedTuple, Sequence

import numpy as np
from numpy.typing import ArrayLike

from .activations import ACTIVATIONS

__all__ = ["INIT_SCHEMES", "LayerGradients", "MLP", "OUTPUTS", "Pass", "gradient_sizes", "init_std", "layer_gradient_norms"]

#: Named initialisation schemes (see :func:`init_std`); a positive number is a gain instead.
INIT_SCHEMES = ("he", "xavier", "normal")
#: Output layers implemented so far: ``"identity"`` (predict numbers; mean squared error).
OUTPUTS = ("identity",)
#: Activations for which ``init="auto"`` picks He's scale (they zero or damp half of their input).
_RELU_LIKE = ("relu", "leaky_relu", "softplus")


def init_std(fan_in: int, fan_out: int, init: str | float = "he") -> float:
    r"""The standard deviation of a layer's random initial weights.

    ``"he"``
        :math:`\sqrt{2/\text{fan-in}}` (He et al., 2015): keeps the size of the signal, and of the
        gradient, about level from layer to layer in a ReLU network, which zeroes half its input.
    ``"xavier"``
        :math:`\sqrt{2/(\text{fan-in} + \text{fan-out})}` (Glorot & Bengio, 2010), for S-curves
        (:math:`\tanh`, :math:`\sigma`); for a square layer it is :math:`\sqrt{1/\text{fan-in}}`.
    ``"normal"``
        1: plain :math:`N(0, 1)` weights, whatever the layer's width.
    a positive number :math:`g`
        :math:`g / \sqrt{\text{fan-in}}`, a *gain* (1 is Xavier's scale for a square layer,
        :math:`\sqrt2` He's, :math:`\sqrt{\text{fan-in}}` gives :math:`N(0, 1)`).
    """
    for name, value in (("fan_in", fan_in), ("fan_out", fan_out)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    if isinstance(init, str):
        if init == "he":
            return float(np.sqrt(2.0 / fan_in))
        if init == "xavier":
            return float(np.sqrt(2.0 / (fan_in + fan_out)))
        if init == "normal":
            return 1.0
        raise ValueError(f"init must be one of {INIT_SCHEMES}, 'auto' or a positive gain, got {init!r}")
    if isinstance(init, bool) or not isinstance(init, (int, float, np.integer, np.floating)) or not np.isfinite(init) or init <= 0:
        raise ValueError(f"init must be one of {INIT_SCHEMES}, 'auto' or a positive gain, got {init!r}")
    return float(init) / float(np.sqrt(fan_in))


class Pass(NamedTuple):
    r"""What a forward pass keeps for the backward pass: ``Z[l-1]`` is :math:`Z^{(l)}` and ``A[l]`` is
    :math:`A^{(l)}` (so ``A[0]`` is the input :math:`X`, and ``A[-1]`` the output :math:`\hat Y`)."""

    Z: list[np.ndarray]
    A: list[np.ndarray]


class MLP:
    r"""A multilayer perceptron with ``len(sizes) - 1`` layers of weights.

    Parameters
    ----------
    sizes : widths from input to output, e.g. ``(30, 30, 30, 1)``: 30 inputs, two hidden layers of 30
        neurons, one output.
    activation : the hidden layers' activation, a name in :data:`dlmath.activations.ACTIVATIONS`.
    output : the output layer; ``"identity"`` (a linear output scored with the mean squared error).
    seed : seeds the random initial weights (``np.random.default_rng(seed)``); biases start at 0.
    init : the initial weights' scale (see :func:`init_std`): ``"he"``, ``"xavier"``, ``"normal"``, a
        positive gain, or ``"auto"`` (He for ReLU-like activations, Xavier otherwise).

    Attributes
    ----------
    params : ``[W1, b1, W2, b2, ...]``, float64, ``W`` of shape (inputs, outputs); updated in place by
        whoever trains the network.
    """

    def __init__(
        self,
        sizes: Sequence[int],
        activation: str = "relu",
        output: str = "identity",
        seed: int = 0,
        *,
        init: str | float = "auto",
    ) -> None:
        sizes = tuple(sizes) if isinstance(sizes, (list, tuple)) else sizes
        if not isinstance(sizes, tuple) or len(sizes) < 2:
            raise ValueError(f"sizes must list at least two widths (inputs and outputs), got {sizes!r}")
        for width in sizes:
            if isinstance(width, bool) or not isinstance(width, (int, np.integer)) or width < 1:
                raise ValueError(f"sizes must hold positive integers, got {sizes!r}")
        if activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)}, got {activation!r}")
        if output not in OUTPUTS:
            raise ValueError(f"output must be one of {OUTPUTS}, got {output!r}")
        if init == "auto":
            init = "he" if activation in _RELU_LIKE else "xavier"
        self.sizes = tuple(int(w) for w in sizes)
        self.activation, self.output, self.seed, self.init = activation, output, seed, init
        self._a, self._a_grad = ACTIVATIONS[activation]
        rng = np.random.default_rng(seed)
        self.params: list[np.ndarray] = []
        for fan_in, fan_out in zip(self.sizes[:-1], self.sizes[1:]):
            std = init_std(fan_in, fan_out, init)
            self.params += [rng.normal(0.0, std, size=(fan_in, fan_out)), np.zeros(fan_out)]

    def __repr__(self) -> str:
        return f"MLP(sizes={self.sizes}, activation={self.activation!r}, output={self.output!r}, seed={self.seed}, init={self.init!r})"

    @property
    def layers(self) -> int:
        """The number of weight layers :math:`L` (hidden layers + the output layer)."""
        return len(self.sizes) - 1

    def _check_X(self, X: ArrayLike) -> np.ndarray:
        try:
            X = np.asarray(X, dtype=np.float64)
        except (TypeError, ValueError) as err:
            raise ValueError(f"X must be an array of real numbers, got {X!r}") from err
        if X.ndim != 2 or X.shape[1] != self.sizes[0]:
            raise ValueError(f"X must have shape (B, {self.sizes[0]}) (one example per row), got {X.shape}")
        if not np.isfinite(X).all():
            raise ValueError("X must be finite (no nan or inf)")
        return X

    def forward_pass(self, X: ArrayLike) -> Pass:
        r"""Run the batch ``X`` (shape ``(B, inputs)``) through the network, keeping every
        :math:`Z^{(l)}` and :math:`A^{(l)}` for :meth:`backward`."""
        A = [self._check_X(X)]
        Z: list[np.ndarray] = []
        L = self.layers
        for l in range(L):
            W, b = self.params[2 * l], self.params[2 * l + 1]
            Z.append(A[-1] @ W + b)  # (B, in) @ (in, out) + (out,) -> (B, out)
            A.append(self._a(Z[-1]) if l < L - 1 else Z[-1])  # the output layer is linear
        return Pass(Z, A)

    def forward(self, X: ArrayLike) -> np.ndarray:
        r"""The network's output :math:`\hat Y` for the batch ``X``, shape ``(B, outputs)``."""
        return self.forward_pass(X).A[-1]

    def backward(self, cache: Pass, delta: ArrayLike) -> list[np.ndarray]:
        r"""Gradients of the loss, in the order of :attr:`params`, from one forward pass.

        ``delta`` is :math:`\Delta^{(L)} = \partial L / \partial Z^{(L)}`, the loss's gradient with
        respect to the output layer's pre-activation, shape ``(B, outputs)``. Each layer then passes
        the error back through :math:`W^\top` and multiplies by :math:`a'(Z)`.
        """
        delta = np.asarray(delta, dtype=np.float64)
        if delta.shape != cache.Z[-1].shape:
            raise ValueError(f"delta must have the output's shape {cache.Z[-1].shape}, got {delta.shape}")
        grads: list[np.ndarray] = [np.empty(0)] * len(self.params)
        for l in range(self.layers - 1, -1, -1):
            grads[2 * l] = cache.A[l].T @ delta  # (in, B) @ (B, out) -> (in, out), the shape of W
            grads[2 * l + 1] = delta.sum(axis=0)  # each bias touches every example
            if l > 0:
                delta = (delta @ self.params[2 * l].T) * self._a_grad(cache.Z[l - 1])
        return grads

    def loss(self, X: ArrayLike, y: ArrayLike) -> float:
        r"""The mean squared error :math:`\frac{1}{B\,K}\sum_{i,k} (\hat y_{ik} - y_{ik})^2` over every
        entry of the output (as ``torch.nn.MSELoss``)."""
        Y_hat = self.forward(X)
        return float(np.mean((Y_hat - self._check_y(y, Y_hat.shape)) ** 2))

    def _check_y(self, y: ArrayLike, shape: tuple[int, ...]) -> np.ndarray:
        try:
            y = np.asarray(y, dtype=np.float64)
        except (TypeError, ValueError) as err:
            raise ValueError(f"y must be an array of real numbers, got {y!r}") from err
        if y.ndim == 1 and shape[1] == 1:
            y = y[:, None]  # one target per example, written as a flat list
        if y.shape != shape:
            raise ValueError(f"y must have the output's shape {shape}, got {y.shape}")
        if not np.isfinite(y).all():
            raise ValueError("y must be finite (no nan or inf)")
        return y

    def loss_and_grads(self, X: ArrayLike, y: ArrayLike) -> tuple[float, list[np.ndarray]]:
        r"""The loss on the batch and its gradient with respect to every parameter (order of
        :attr:`params`). For the mean squared error
        :math:`\Delta^{(L)} = \tfrac{2}{BK}(\hat Y - Y)`."""
        cache = self.forward_pass(X)
        Y_hat = cache.A[-1]
        diff = Y_hat - self._check_y(y, Y_hat.shape)
        return float(np.mean(diff**2)), self.backward(cache, 2.0 * diff / diff.size)


def layer_gradient_norms(grads: Sequence[np.ndarray], part: str = "biases") -> np.ndarray:
    r"""The size of the gradient at each layer, one number per layer, from ``grads`` ordered like
    :attr:`MLP.params` (``[dW1, db1, dW2, db2, ...]``).

    ``part="biases"`` gives :math:`\lVert \partial L / \partial \mathbf{b}^{(l)} \rVert`, the
    backpropagated error :math:`\Delta^{(l)}` summed over the batch: how fast layer :math:`l` learns
    (the measure Nielsen uses). ``part="weights"`` gives :math:`\lVert \partial L / \partial W^{(l)} \rVert`.
    Sizes are square roots of sums of squares.
    """
    if len(grads) % 2:
        raise ValueError(f"grads must be ordered [dW1, db1, dW2, db2, ...] (an even count), got {len(grads)} arrays")
    if part not in ("biases", "weights"):
        raise ValueError(f"part must be 'biases' or 'weights', got {part!r}")
    chosen = grads[1::2] if part == "biases" else grads[0::2]
    return np.array([float(np.sqrt(np.sum(np.square(g)))) for g in chosen])


class LayerGradients(NamedTuple):
    """The result of :func:`gradient_sizes`: ``sizes[l-1]`` is the gradient's size at hidden layer
    ``l`` (layer 1 next to the input), and ``loss`` the network's loss on the batch."""

    sizes: np.ndarray
    loss: float


def gradient_sizes(
    depth: int,
    activation: str = "relu",
    init: str | float = "auto",
    *,
    width: int = 30,
    batch: int = 100,
    seed: int = 0,
) -> LayerGradients:
    r"""Push a batch through a fresh random network and measure the gradient at every hidden layer.

    The network has ``width`` inputs, ``depth`` hidden layers of ``width`` neurons with the given
    activation and initial scale, and one linear output (sizes ``(width,) + (width,) * depth + (1,)``,
    weights seeded with ``seed``). The batch is ``batch`` inputs and targets drawn from
    :math:`N(0, 1)` (seeded with ``seed + 1``). One forward and one backward pass of the mean
    squared error give :math:`\lVert \partial L / \partial \mathbf{b}^{(l)} \rVert` for
    :math:`l = 1, \dots,` ``depth`` (see :func:`layer_gradient_norms`).
    """
    for name, value in (("depth", depth), ("width", width), ("batch", batch)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    model = MLP((width,) + (width,) * depth + (1,), activation, output="identity", seed=seed, init=init)
    rng = np.random.default_rng(seed + 1)
    X, y = rng.standard_normal((batch, width)), rng.standard_normal((batch, 1))
    loss, grads = model.loss_and_grads(X, y)
    return LayerGradients(layer_gradient_norms(grads)[:-1], loss)
