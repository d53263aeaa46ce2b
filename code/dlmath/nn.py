r"""A plain multilayer perceptron, vectorized over a batch: forward pass, backward pass, initialisation.

A batch is a matrix :math:`X` of shape ``(B, d)`` (one example per row). Layer :math:`l = 1, \dots, L`
has weights :math:`W^{(l)}` of shape ``(inputs, outputs)`` and biases :math:`\mathbf{b}^{(l)}` of shape
``(outputs,)``:

.. math:: A^{(0)} = X, \qquad Z^{(l)} = A^{(l-1)} W^{(l)} + \mathbf{b}^{(l)}, \qquad
          A^{(l)} = a\bigl(Z^{(l)}\bigr)\ \ (l < L), \qquad \hat Y = Z^{(L)} .

The hidden layers bend with the activation :math:`a` (from :data:`dlmath.activations.ACTIVATIONS`). The
last layer is either linear (``output="identity"``), scored with the mean squared error over every entry
of the output (as ``torch.nn.MSELoss``), or a softmax over classes (``output="softmax"``), scored with
the cross-entropy of integer labels averaged over the batch (as ``torch.nn.CrossEntropyLoss``); its
output error is :math:`\Delta^{(L)} = (P - Y)/B`. The backward pass is the chain rule a layer at a time, with
:math:`\Delta^{(l)} = \partial L / \partial Z^{(l)}`:

.. math:: \frac{\partial L}{\partial W^{(l)}} = A^{(l-1)\top}\Delta^{(l)}, \qquad
          \frac{\partial L}{\partial \mathbf{b}^{(l)}} = \textstyle\sum_{\text{rows}} \Delta^{(l)}, \qquad
          \Delta^{(l-1)} = \bigl(\Delta^{(l)} W^{(l)\top}\bigr) \odot a'\bigl(Z^{(l-1)}\bigr).

Chapter 8 uses it to measure how the gradient's size changes from layer to layer; Chapter 10 derives
these equations and trains networks with :func:`train` (mini-batches, epochs, an optimizer from
:mod:`dlmath.optim`).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, NamedTuple, Sequence

import numpy as np
from numpy.typing import ArrayLike

from .activations import _KERNELS, ACTIVATIONS, softmax
from .optim import Optimizer
from .regression import Split, train_test_split

__all__ = ["History", "INIT_SCHEMES", "LayerGradients", "MLP", "OUTPUTS", "Pass", "SeedRuns", "gradient_sizes", "init_std",
           "layer_gradient_norms", "record_run", "train", "train_over_seeds", "TrainingRun",
           "value_engine_grads"]

#: Named initialisation schemes (see :func:`init_std`); a positive number is a gain instead.
INIT_SCHEMES = ("he", "xavier", "normal")
#: Output layers: ``"identity"`` (predict numbers; mean squared error) and ``"softmax"`` (predict one
#: of several classes; cross-entropy of integer labels).
OUTPUTS = ("identity", "softmax")
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


@lru_cache(maxsize=64)
def _ones(n: int) -> np.ndarray:
    """A read-only vector of ``n`` ones, made once per length (``np.ones`` costs a few microseconds a call)."""
    ones = np.ones(n)
    ones.flags.writeable = False
    return ones


def _column_sums(M: np.ndarray) -> np.ndarray:
    """The sum of each column of ``M``, as the product of a row of ones with ``M`` (for the narrow matrices
    of a mini-batch this takes half the time of ``M.sum(axis=0)``; measured by ``dlmath.nn_bench``)."""
    return _ones(M.shape[0]) @ M


def _one_hot(labels: np.ndarray, classes: int) -> np.ndarray:
    """Integer labels as the matrix :math:`Y` of shape ``(len(labels), classes)``: row :math:`i` has a 1 in
    column :math:`y_i` and 0 elsewhere."""
    Y = np.zeros((len(labels), classes))
    Y[np.arange(len(labels)), labels] = 1.0
    return Y


#: A row whose exponentials sum to less than this after the batch-wide shift is shifted by its own maximum.
_UNDERFLOW = 1e-200


def _softmax_cross_entropy(Z: np.ndarray, Y: np.ndarray, grads: bool = True) -> tuple[float, np.ndarray | None]:
    r"""The cross-entropy :math:`-\frac1B\sum_i \ln p_{i, y_i}` of the scores ``Z`` (shape ``(B, K)``,
    :math:`P` = the softmax of each row) against the one-hot labels ``Y``, and the output error
    :math:`\Delta^{(L)} = (P - Y)/B` (``None`` when ``grads`` is false).

    The softmax of a row does not change when the same number is subtracted from all its scores; we
    subtract the largest score of the whole batch, so no exponential overflows. (Subtracting each row's
    own maximum, as :func:`dlmath.activations.log_softmax` does, is just as exact, but NumPy's maximum
    along the rows of a narrow matrix takes tens of times longer than one maximum over the whole
    array.) A row whose scores all lie so far below that maximum that their exponentials underflow
    towards 0 is caught, and then every row is shifted by its own maximum.
    """
    B, K = Z.shape
    shifted = Z - Z.max()
    E = np.exp(shifted)
    totals = E @ _ones(K)  # each row's sum of exponentials
    if totals.min() < _UNDERFLOW:
        shifted = Z - Z.max(axis=1, keepdims=True)
        E = np.exp(shifted)
        totals = E @ _ones(K)
    # ln p_{i, y_i} = shifted_{i, y_i} - ln(totals_i); the one-hot Y picks shifted_{i, y_i} in each row
    loss = float(np.log(totals).sum() - np.vdot(shifted, Y)) / B
    if not grads:
        return loss, None
    E /= totals[:, None]  # P: each row sums to 1
    E -= Y
    E *= 1.0 / B
    return loss, E


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
    output : the output layer: ``"identity"`` (a linear output scored with the mean squared error over
        every entry) or ``"softmax"`` (class probabilities scored with the cross-entropy of integer labels
        ``0 … classes − 1``, averaged over the batch), the default. Networks that predict numbers
        (Chapters 8 and 9) pass ``output="identity"``.
    seed : seeds the random initial weights (``np.random.default_rng(seed)``); biases start at 0.
    init : the initial weights' scale (see :func:`init_std`): ``"he"``, ``"xavier"``, ``"normal"``, a
        positive gain, or ``"auto"`` (He for ReLU-like activations, Xavier otherwise).

    Attributes
    ----------
    params : ``[W1, b1, W2, b2, ...]``, float64, ``W`` of shape (inputs, outputs); updated in place by
        whoever trains the network. They are views into one array that holds them all end to end, so
        that :func:`train` can update them in one step; to set them, write into them (``W1[...] = new``).
        (A network whose list holds other arrays still trains, one array at a time.)
    """

    def __init__(
        self,
        sizes: Sequence[int],
        activation: str = "relu",
        output: str = "softmax",
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
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
            raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
        if init == "auto":
            init = "he" if activation in _RELU_LIKE else "xavier"
        self.sizes = tuple(int(w) for w in sizes)
        self.activation, self.output, self.seed, self.init = activation, output, seed, init
        self._a, self._a_grad = _KERNELS.get(activation, ACTIVATIONS[activation])  # unchecked where available
        rng = np.random.default_rng(seed)
        shapes = [s for fan_in, fan_out in zip(self.sizes[:-1], self.sizes[1:]) for s in ((fan_in, fan_out), (fan_out,))]
        # Every parameter is a view into one array, laid end to end: an optimizer that treats each number
        # on its own can then update them all in one step (see train).
        self._flat = np.zeros(sum(math.prod(s) for s in shapes))
        self.params: list[np.ndarray] = []
        offset = 0
        for shape in shapes:
            size = math.prod(shape)
            self.params.append(self._flat[offset:offset + size].reshape(shape))
            offset += size
        self._views = tuple(self.params)
        for fan_in, fan_out, W in zip(self.sizes[:-1], self.sizes[1:], self.params[0::2]):
            W[...] = rng.normal(0.0, init_std(fan_in, fan_out, init), size=(fan_in, fan_out))  # biases stay 0

    def _flat_params(self) -> np.ndarray | None:
        """The one array that every parameter is a view of, or ``None`` if :attr:`params` no longer holds
        those views: someone put other arrays in it, or the network is a copy (``copy.deepcopy`` and
        ``pickle`` copy each array on its own, so the copies are views of nothing)."""
        if len(self.params) == len(self._views) and all(p is v and p.base is self._flat
                                                         for p, v in zip(self.params, self._views)):
            return self._flat
        return None

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
        return self._forward(self._check_X(X))

    def _forward(self, X: np.ndarray, scores: bool = False) -> Pass:
        """The forward pass of a checked batch; with ``scores=True`` the last entry of ``A`` is the
        output layer's ``Z`` itself (the softmax is left to the caller)."""
        A = [X]
        Z: list[np.ndarray] = []
        L = self.layers
        for l in range(L):
            W, b = self.params[2 * l], self.params[2 * l + 1]
            Z.append(A[-1] @ W)  # (B, in) @ (in, out) -> (B, out)
            Z[-1] += b  # + (out,): the same biases added to every row (in place: no second (B, out) array)
            if l < L - 1:
                A.append(self._a(Z[-1]))  # (B, out): bent, same shape
            elif self.output == "softmax" and not scores:
                A.append(softmax(Z[-1], axis=1))  # (B, classes): each row sums to 1
            else:
                A.append(Z[-1])  # a linear output
        return Pass(Z, A)

    def forward(self, X: ArrayLike) -> np.ndarray:
        r"""The network's output :math:`\hat Y` for the batch ``X``, shape ``(B, outputs)``: numbers for
        ``output="identity"``, class probabilities :math:`P` (rows summing to 1) for ``"softmax"``."""
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
        return self._backward(cache, delta)

    def _backward(self, cache: Pass, delta: np.ndarray) -> list[np.ndarray]:
        r"""The backward pass from the output error ``delta`` (:math:`\Delta^{(L)}`), last layer first: each
        layer's weight gradient :math:`A^{(l-1)\top}\Delta^{(l)}` and bias gradient (the column sums of
        :math:`\Delta^{(l)}`), then the error passed down through :math:`W^{(l)\top}` and multiplied by
        :math:`a'(Z^{(l-1)})`. (:meth:`backward` checks ``delta``'s shape first.)"""
        grads: list[np.ndarray] = [np.empty(0)] * len(self.params)
        for l in range(self.layers - 1, -1, -1):
            grads[2 * l] = cache.A[l].T @ delta  # (in, B) @ (B, out) -> (in, out), the shape of W
            grads[2 * l + 1] = _column_sums(delta)  # each bias touches every example
            if l > 0:
                delta = delta @ self.params[2 * l].T  # (B, out) @ (out, in) -> (B, in)
                delta *= self._a_grad(cache.Z[l - 1])  # times a'(Z), entry by entry
        return grads

    def loss(self, X: ArrayLike, y: ArrayLike) -> float:
        r"""The loss on the batch. ``"identity"``: the mean squared error
        :math:`\frac{1}{B\,K}\sum_{i,k} (\hat y_{ik} - y_{ik})^2` over every entry of the output (as
        ``torch.nn.MSELoss``). ``"softmax"``: the cross-entropy :math:`-\frac1B\sum_i \ln p_{i, y_i}` of
        the integer labels ``y`` (as ``torch.nn.CrossEntropyLoss``)."""
        return self.loss_and_grads(X, y, grads=False)[0]

    def _check_y(self, y: ArrayLike, shape: tuple[int, ...]) -> np.ndarray:
        if self.output == "softmax":
            return self._check_labels(y, shape)
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

    def _check_labels(self, y: ArrayLike, shape: tuple[int, ...]) -> np.ndarray:
        B, K = shape
        y_arr = np.asarray(y)
        if y_arr.dtype.kind == "f" and y_arr.size and np.all(np.isfinite(y_arr)) and np.all(y_arr == np.round(y_arr)):
            y_arr = y_arr.astype(np.int64)  # 0.0, 1.0, ... are labels written as floats
        if y_arr.dtype.kind not in "iu" or y_arr.ndim != 1:
            raise ValueError(f"y must be a flat array of integer class labels 0 … {K - 1}, got {y!r}")
        if len(y_arr) != B:
            raise ValueError(f"y must hold one label per example ({B}), got {len(y_arr)}")
        if B and (y_arr.min() < 0 or y_arr.max() >= K):
            raise ValueError(f"y must hold labels 0 … {K - 1} (the network has {K} outputs), got {y_arr.min()} … {y_arr.max()}")
        return y_arr

    def loss_and_grads(self, X: ArrayLike, y: ArrayLike, *, grads: bool = True) -> tuple[float, list[np.ndarray]]:
        r"""The loss on the batch and its gradient with respect to every parameter (order of
        :attr:`params`); with ``grads=False`` the list is empty (no backward pass).

        The backward pass starts from the output error :math:`\Delta^{(L)} = \partial L/\partial Z^{(L)}`:
        :math:`\tfrac{2}{BK}(\hat Y - Y)` for the mean squared error, and :math:`\tfrac1B (P - Y)` for
        softmax with cross-entropy, where :math:`Y` holds the labels one-hot (row :math:`i` has a 1 in
        column :math:`y_i`).
        """
        X = self._check_X(X)
        y = self._check_y(y, (len(X), self.sizes[-1]))
        if len(X) == 0:
            raise ValueError("X must hold at least one example: the loss is a mean over the batch")
        return self._loss_and_grads(X, self._target(y), grads)

    def _loss_and_grads(self, X: np.ndarray, target: np.ndarray, grads: bool = True) -> tuple[float, list[np.ndarray]]:
        """:meth:`loss_and_grads` for a checked, non-empty batch; ``target`` is :meth:`_target` of the labels
        (one-hot rows :math:`Y`) or the outputs wanted, of the output's shape."""
        cache = self._forward(X, scores=True)
        loss, delta = self._output_loss(cache.Z[-1], target, grads)
        return (loss, self._backward(cache, delta)) if grads else (loss, [])

    def _output_loss(self, Z: np.ndarray, target: np.ndarray, grads: bool = True) -> tuple[float, np.ndarray | None]:
        r"""The loss from the output layer's pre-activation ``Z`` :math:`= Z^{(L)}`, and the output error
        :math:`\Delta^{(L)}` (``None`` when ``grads`` is false): :math:`(P - Y)/B` for softmax with
        cross-entropy, :math:`\tfrac{2}{BK}(\hat Y - Y)` for the mean squared error."""
        if self.output == "softmax":
            return _softmax_cross_entropy(Z, target, grads)  # the mean over the batch is taken once, there
        diff = Z - target  # the output is linear: Y-hat = Z
        return float(np.vdot(diff, diff)) / diff.size, (2.0 * diff / diff.size if grads else None)

    def _target(self, y: np.ndarray) -> np.ndarray:
        """What :meth:`_loss_and_grads` compares the output with: checked labels as one-hot rows :math:`Y`
        for ``"softmax"``, checked outputs as they are for ``"identity"``."""
        return _one_hot(y, self.sizes[-1]) if self.output == "softmax" else y

    def predict(self, X: ArrayLike) -> np.ndarray:
        """Predictions for the batch ``X``: for ``"softmax"`` the most probable class of each row (integers,
        shape ``(B,)``); for ``"identity"`` the outputs, shape ``(B, outputs)``."""
        out = self.forward(X)
        return np.argmax(out, axis=1) if self.output == "softmax" else out

    def accuracy(self, X: ArrayLike, y: ArrayLike) -> float:
        """The fraction of examples whose predicted class is the label (``"softmax"`` networks only)."""
        if self.output != "softmax":
            raise ValueError("accuracy needs a classifier (output='softmax')")
        P = self.forward(X)
        return float(np.mean(np.argmax(P, axis=1) == self._check_labels(y, P.shape)))


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


# ---------------------------------------------------------------------------------------------
# training


@dataclass
class History:
    """What :func:`train` records, one entry per epoch, starting with epoch 0 (before any step).

    Attributes
    ----------
    epoch : 0, 1, 2, … (the last one reached).
    train_loss, test_loss : the loss on the whole training set / test set after each epoch
        (``test_loss`` empty without a test set).
    train_accuracy, test_accuracy : the fraction classified correctly (empty for ``"identity"`` networks).
    stopped : ``""`` if every epoch ran, else a sentence saying why training stopped early (divergence).
    seconds : the time spent training (evaluation included).
    """

    epoch: list[int] = field(default_factory=list)
    train_loss: list[float] = field(default_factory=list)
    test_loss: list[float] = field(default_factory=list)
    train_accuracy: list[float] = field(default_factory=list)
    test_accuracy: list[float] = field(default_factory=list)
    stopped: str = ""
    seconds: float = 0.0

    def __repr__(self) -> str:
        last = f"train loss {self.train_loss[-1]:.4g}" if self.train_loss else "nothing recorded"
        if self.train_accuracy:
            last += f", train accuracy {self.train_accuracy[-1]:.1%}"
        if self.test_accuracy:
            last += f", test accuracy {self.test_accuracy[-1]:.1%}"
        end = f"; stopped: {self.stopped}" if self.stopped else ""
        return f"History({self.epoch[-1] if self.epoch else 0} epochs, {last}{end})"


def _positive_int(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def _in_jupyter() -> bool:
    """True in a live Jupyter kernel; False in scripts, tests and while the book is built."""
    import os
    import sys

    if os.environ.get("DLMATH_STATIC", "") not in ("", "0") or "ipykernel" not in sys.modules:
        return False
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover
        return False
    shell = get_ipython()
    return shell is not None and type(shell).__name__ == "ZMQInteractiveShell"


class _Progress:
    """One updating line (an ipywidgets progress bar) shown once training has run for ``delay`` seconds."""

    def __init__(self, epochs: int, enabled: bool, delay: float = 2.0) -> None:
        self.epochs, self.enabled, self.delay = epochs, enabled, delay
        self.start, self.bar = time.perf_counter(), None

    def update(self, history: History) -> None:
        if not self.enabled or (self.bar is None and time.perf_counter() - self.start < self.delay):
            return
        if self.bar is None:
            import ipywidgets as widgets
            from IPython.display import display

            self.bar = widgets.IntProgress(min=0, max=self.epochs, description="training")
            self.text = widgets.HTML()
            display(widgets.HBox([self.bar, self.text]))
        self.bar.value = history.epoch[-1]
        words = f"epoch {history.epoch[-1]}/{self.epochs} · loss {history.train_loss[-1]:.4g}"
        if history.train_accuracy:
            words += f" · accuracy {history.train_accuracy[-1]:.1%}"
        if history.stopped:
            words += f" · stopped: {history.stopped}"
        self.text.value = words


def _record(model: MLP, history: History, epoch: int, sets) -> None:
    """Append the loss (and accuracy) after ``epoch`` on each checked set ``(X, target, labels)`` in ``sets``
    (training, then test; ``None`` for a missing test set)."""
    history.epoch.append(epoch)
    for data, losses, accuracies in zip(sets, (history.train_loss, history.test_loss),
                                        (history.train_accuracy, history.test_accuracy)):
        if data is None:
            continue
        X_, target, labels = data
        scores = model._forward(X_, scores=True).Z[-1]
        losses.append(model._output_loss(scores, target, grads=False)[0])
        if model.output == "softmax":  # the most probable class has the largest score (softmax keeps the order)
            accuracies.append(float(np.count_nonzero(np.argmax(scores, axis=1) == labels)) / len(labels))


def train(
    model: MLP,
    X: ArrayLike,
    y: ArrayLike,
    *,
    epochs: int,
    batch_size: int,
    optimizer,
    seed: int = 0,
    X_test: ArrayLike | None = None,
    y_test: ArrayLike | None = None,
    callback: Callable[[int, MLP, History], None] | None = None,
    progress: bool | str = "auto",
) -> History:
    r"""Train ``model`` in place with mini-batches and return its :class:`History`.

    Each epoch shuffles the training examples (``np.random.default_rng(seed)``, so the same seed gives
    the same batches), cuts them into batches of ``batch_size`` rows (the last one may be smaller), and
    for each batch computes :meth:`MLP.loss_and_grads` and lets ``optimizer`` (e.g.
    :class:`dlmath.optim.Adam`) update :attr:`MLP.params` in place. After every epoch (and once
    before the first) the loss — and for a classifier the accuracy — on the whole training set and, if
    given, on the test set is recorded, and ``callback(epoch, model, history)`` is called (explorers
    use it to keep snapshots).

    If the loss stops being a finite number (the steps diverged), training stops, the parameters go
    back to where they were at the start of that epoch, and ``history.stopped`` says so in words.

    ``progress``: ``"auto"`` shows one updating line (epoch, loss, accuracy) in a live Jupyter notebook
    once training has taken more than two seconds, and nothing in scripts, tests or the book's build;
    ``True`` shows it at once (in Jupyter only); ``False`` never.
    """
    if not isinstance(model, MLP):
        raise ValueError(f"model must be an MLP, got {type(model).__name__}")
    epochs = _positive_int(epochs, "epochs")
    batch_size = _positive_int(batch_size, "batch_size")
    if not callable(getattr(optimizer, "step", None)):
        raise ValueError(f"optimizer must have a step(params, grads) method (e.g. dlmath.optim.Adam), got {optimizer!r}")
    if progress not in (True, False, "auto"):
        raise ValueError(f"progress must be True, False or 'auto', got {progress!r}")
    if callback is not None and not callable(callback):
        raise ValueError(f"callback must be callable, got {callback!r}")
    X = model._check_X(X)
    y = model._check_y(y, (len(X), model.sizes[-1]))
    if (X_test is None) != (y_test is None):
        raise ValueError("X_test and y_test must be given together")
    if X_test is not None:
        X_test = model._check_X(X_test)
        y_test = model._check_y(y_test, (len(X_test), model.sizes[-1]))
    if len(X) == 0:
        raise ValueError("X must hold at least one example")

    rng = np.random.default_rng(seed)
    history = History()
    bar = _Progress(epochs, progress is not False and _in_jupyter(), 0.0 if progress is True else 2.0)
    start = time.perf_counter()
    target = model._target(y)  # one-hot rows Y for a classifier, made once
    sets = ((X, target, y), None if X_test is None else (X_test, model._target(y_test), y_test))
    _record(model, history, 0, sets)
    if callback is not None:
        callback(0, model, history)
    n = len(X)
    fast_step, trusted = getattr(optimizer, "_step_trusted", None), False
    # An optimizer that updates every number on its own (as dlmath.optim's do) takes one step on all the
    # parameters laid end to end, rather than one step per array: the same numbers, fewer NumPy calls.
    flat = model._flat_params() if isinstance(optimizer, Optimizer) and optimizer.elementwise else None
    if flat is not None and not optimizer._fits([flat]):
        flat = None  # it was stepped on the separate arrays before: go on stepping them
    step_params = [flat] if flat is not None else model.params
    for epoch in range(1, epochs + 1):
        saved = [p.copy() for p in model.params]
        order = rng.permutation(n)
        X_epoch, target_epoch = X[order], target[order]  # shuffled once: each batch is then a slice (no copy)
        failed = ""
        with np.errstate(all="ignore"):
            for first in range(0, n, batch_size):
                last = first + batch_size
                # X and y were checked above; a non-finite number arising inside the network shows in the loss
                loss, grads = model._loss_and_grads(X_epoch[first:last], target_epoch[first:last])
                if not math.isfinite(loss):
                    failed = "the loss became infinite or not a number"
                    break
                if flat is not None:
                    grads = [np.concatenate(grads, axis=None)]  # laid end to end, as the parameters are
                if trusted:  # these params passed the optimizer's checks on the first step
                    fast_step(step_params, grads)
                else:
                    optimizer.step(step_params, grads)
                    trusted = fast_step is not None
            if not failed and not all(np.isfinite(p).all() for p in model.params):
                failed = "a weight became infinite or not a number"
            if not failed:
                _record(model, history, epoch, sets)
                if not all(math.isfinite(v[-1]) for v in (history.train_loss, history.test_loss) if v):
                    failed = "the loss became infinite or not a number"
                if failed:  # keep the history free of the failed epoch (no nan in any figure)
                    keep = epoch
                    for values in (history.epoch, history.train_loss, history.test_loss,
                                   history.train_accuracy, history.test_accuracy):
                        del values[keep if values else 0:]
        if failed:
            for p, old in zip(model.params, saved):
                p[...] = old
            history.stopped = (f"diverged in epoch {epoch}: {failed}, so training stopped and the weights were "
                               f"put back as they were after epoch {epoch - 1}; try a smaller learning rate")
            bar.update(history)
            break
        if callback is not None:
            callback(epoch, model, history)
        bar.update(history)
    history.seconds = time.perf_counter() - start
    return history


@dataclass(frozen=True)
class TrainingRun:
    """One training run kept for pictures: the data, the history, and snapshots at chosen epochs.

    Attributes
    ----------
    sizes, activation : the network's shape and hidden activation.
    X, y, X_test, y_test : the training and test data.
    history : the :class:`History` of the run (every epoch).
    snapshot_epochs : the epochs at which snapshots were taken (0 = before training).
    grid : the (G,) coordinates of a square grid over the data; the grid points are all pairs.
    probabilities : (S, G, G) array, the probability of class 1 at every grid point (row = second
        coordinate) for each snapshot.
    params : for each snapshot, a copy of the parameters ``[W1, b1, …]`` then.
    """

    sizes: tuple[int, ...]
    activation: str
    X: np.ndarray
    y: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    history: History
    snapshot_epochs: tuple[int, ...]
    grid: np.ndarray
    probabilities: np.ndarray
    params: tuple[list[np.ndarray], ...]

    def model_at(self, epoch: int) -> MLP:
        """A network with the parameters of the snapshot at ``epoch``."""
        if epoch not in self.snapshot_epochs:
            raise ValueError(f"epoch must be one of the snapshot epochs {self.snapshot_epochs}, got {epoch!r}")
        model = MLP(self.sizes, self.activation, "softmax")
        for p, saved in zip(model.params, self.params[self.snapshot_epochs.index(epoch)]):
            p[...] = saved
        return model


def record_run(
    model: MLP,
    X: ArrayLike,
    y: ArrayLike,
    X_test: ArrayLike,
    y_test: ArrayLike,
    *,
    snapshot_epochs: Sequence[int],
    batch_size: int,
    optimizer,
    seed: int = 0,
    lim: float = 2.5,
    resolution: int = 60,
) -> TrainingRun:
    """Train a two-input classifier with :func:`train` (for ``max(snapshot_epochs)`` epochs) and keep
    snapshots at ``snapshot_epochs``: the class-1 probability on a ``resolution`` × ``resolution`` grid
    over :math:`[-\\text{lim}, \\text{lim}]^2` and the parameters. Explorers show these snapshots; they never train."""
    if model.sizes[0] != 2 or model.output != "softmax":
        raise ValueError("model must be a classifier with two inputs (sizes (2, …), output='softmax')")
    epochs_kept = tuple(sorted({_positive_int(e + 1, "snapshot_epochs entries + 1") - 1 for e in snapshot_epochs}))
    grid = np.linspace(-lim, lim, _positive_int(resolution, "resolution"))
    G1, G2 = np.meshgrid(grid, grid)
    points = np.c_[G1.ravel(), G2.ravel()]
    probabilities, params = [], []

    def keep(epoch: int, m: MLP, history: History) -> None:
        if epoch in epochs_kept:
            probabilities.append(m.forward(points)[:, 1].reshape(G1.shape))
            params.append([p.copy() for p in m.params])

    history = train(model, X, y, epochs=max(epochs_kept[-1], 1), batch_size=batch_size, optimizer=optimizer,
                    seed=seed, X_test=X_test, y_test=y_test, callback=keep, progress=False)
    if history.stopped:
        raise ValueError(f"training {history.stopped}")
    return TrainingRun(model.sizes, model.activation, np.asarray(X, float), np.asarray(y), np.asarray(X_test, float),
                       np.asarray(y_test), history, epochs_kept, grid, np.array(probabilities), tuple(params))


@dataclass(frozen=True)
class SeedRuns:
    """The same recipe trained once per seed (see :func:`train_over_seeds`): how much of a result is luck.

    Attributes
    ----------
    seeds : the seeds, in order.
    splits : for each seed, its training and test data (:class:`dlmath.regression.Split`).
    models : for each seed, the trained network.
    histories : for each seed, its :class:`History` (losses and accuracies per epoch).
    """

    seeds: tuple[int, ...]
    splits: tuple[Split, ...]
    models: tuple[MLP, ...]
    histories: tuple[History, ...]

    @property
    def test_accuracy(self) -> np.ndarray:
        """The test accuracy after the last epoch, one per seed, shape ``(S,)``."""
        return np.array([h.test_accuracy[-1] for h in self.histories])

    @property
    def mean_accuracy(self) -> float:
        """The mean of :attr:`test_accuracy` over the seeds (a plain float)."""
        return float(np.mean(self.test_accuracy))

    @property
    def worst_accuracy(self) -> float:
        """The lowest :attr:`test_accuracy` over the seeds: what an unlucky run gives (a plain float)."""
        return float(np.min(self.test_accuracy))


def train_over_seeds(
    sizes: Sequence[int],
    X: ArrayLike,
    y: ArrayLike,
    *,
    seeds: Sequence[int] = (0, 1, 2, 3, 4),
    test_size: int | float = 0.2,
    activation: str = "relu",
    epochs: int,
    batch_size: int,
    optimizer: Callable[[], object],
) -> SeedRuns:
    r"""Split, build and train a classifier once per seed, and keep every run.

    For each seed :math:`s` the same recipe is followed with its own randomness: the examples are split
    with :func:`dlmath.regression.train_test_split` (``test_size``, ``seed=s``, stratified by the
    labels ``y``, so that every class keeps its share in both parts), a fresh
    ``MLP(sizes, activation, "softmax", seed=s)`` starts from its own random weights, and :func:`train`
    runs ``epochs`` epochs of mini-batches of ``batch_size`` (shuffled with ``seed=s``), each step taken by
    a fresh optimizer ``optimizer()`` (a factory such as ``lambda: Adam(0.003)``: an optimizer keeps
    state, so the runs must not share one). The test accuracy after the last epoch, over the seeds,
    says how much of one run's number is the recipe and how much is luck; report its mean and its worst
    (:attr:`SeedRuns.mean_accuracy`, :attr:`SeedRuns.worst_accuracy`), not its best.

    ``X`` is used as given: scale it first (the scaling must not depend on the test examples).
    Raises ``ValueError`` for an empty or repeated list of seeds, an optimizer that is not a factory,
    a run that diverges, or anything :func:`train_test_split`, :class:`MLP` or :func:`train` refuses.
    """
    seeds = tuple(seeds)
    if not seeds:
        raise ValueError("seeds must hold at least one seed")
    for seed in seeds:
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
            raise ValueError(f"seeds must be non-negative integers, got {seed!r}")
    if len(set(seeds)) != len(seeds):
        raise ValueError(f"seeds must be distinct (a repeated seed repeats the same run), got {seeds}")
    if callable(getattr(optimizer, "step", None)) or not callable(optimizer):
        raise ValueError("optimizer must be a factory that makes a fresh optimizer for each run, "
                         f"e.g. lambda: Adam(0.003), got {optimizer!r}")
    splits, models, histories = [], [], []
    for seed in seeds:
        split = train_test_split(X, y, test_size, seed=int(seed), stratify=y)
        model = MLP(sizes, activation, "softmax", seed=int(seed))
        history = train(model, split.x_train, split.y_train, epochs=epochs, batch_size=batch_size,
                        optimizer=optimizer(), seed=int(seed), X_test=split.x_test, y_test=split.y_test,
                        progress=False)
        if history.stopped:
            raise ValueError(f"the run with seed {seed} {history.stopped}")
        splits.append(split)
        models.append(model)
        histories.append(history)
    return SeedRuns(tuple(int(s) for s in seeds), tuple(splits), tuple(models), tuple(histories))


def value_engine_grads(model: MLP, X: ArrayLike, y: ArrayLike) -> tuple[float, list[np.ndarray]]:
    """The loss and every gradient of ``model`` on ``(X, y)`` computed one number at a time with
    Chapter 3's scalar engine (:class:`dlmath.graph.Value`): an independent check of
    :meth:`MLP.loss_and_grads` (slow; for small networks). Activations the engine knows: ``"tanh"``,
    ``"sigmoid"``, ``"relu"``, ``"identity"``."""
    from .graph import Value, value_dot, value_sum

    if model.activation not in ("tanh", "sigmoid", "relu", "identity"):
        raise ValueError(f"model.activation must be tanh, sigmoid, relu or identity for the Value engine, got {model.activation!r}")
    X = model._check_X(X)
    target = model._check_y(y, (len(X), model.sizes[-1]))
    values = [[[Value(float(w)) for w in row] for row in p] if p.ndim == 2 else [Value(float(v)) for v in p]
              for p in model.params]
    bend = (lambda v: v) if model.activation == "identity" else (lambda v: getattr(v, model.activation)())
    terms = []
    for x, t in zip(X, target):
        a: list = [float(u) for u in x]
        for l in range(model.layers):
            W, b = values[2 * l], values[2 * l + 1]
            z = [value_dot(column, a) + bk for column, bk in zip(zip(*W), b)]  # one neuron per column of W
            a = [bend(v) for v in z] if l < model.layers - 1 else z
        if model.output == "softmax":
            terms.append(value_sum([v.exp() for v in a]).log() - a[int(t)])  # -ln p_y
        else:
            terms += [(v - float(tk)) ** 2 for v, tk in zip(a, t)]
    loss = value_sum(terms) * (1.0 / len(terms))
    loss.backward()
    grads = [np.array([[w.grad for w in row] for row in v]) if p.ndim == 2 else np.array([u.grad for u in v])
             for v, p in zip(values, model.params)]
    return loss.data, grads
