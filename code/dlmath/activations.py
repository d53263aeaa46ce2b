r"""Activation functions, each with its derivative right beside it.

Every function here

* accepts a number or an array of any shape (lists too) and computes in float64; a scalar input gives
  a Python ``float``, an array input an array of the same shape;
* is stable for **every finite input**, up to :math:`\pm 1.8\times10^{308}`: no overflow, no
  floating-point warning, no ``nan`` (the exponential only ever sees numbers :math:`\le 0`);
* refuses input that is not a real number or not finite (``nan``, ``inf``) with a ``ValueError``.

The element-wise activations are collected in :data:`ACTIVATIONS` (name :math:`\to` (function,
derivative)), which the explorers and :mod:`dlmath.nn` use. Softmax, log-softmax and log-sum-exp act on
a whole axis at once; their derivatives are given as Jacobian products (see each function).
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Callable, Mapping, NamedTuple

import numpy as np
from numpy.typing import ArrayLike

__all__ = [
    "ACTIVATIONS",
    "Activation",
    "hard_sigmoid",
    "hard_sigmoid_grad",
    "identity",
    "identity_grad",
    "leaky_relu",
    "leaky_relu_grad",
    "log_softmax",
    "log_softmax_grad",
    "logsumexp",
    "logsumexp_grad",
    "relu",
    "relu_grad",
    "sigmoid",
    "sigmoid_grad",
    "softmax",
    "softmax_grad",
    "softplus",
    "softplus_grad",
    "tanh",
    "tanh_grad",
]


# ---------------------------------------------------------------------------------------------
# input checks and output shape


def _real_array(x: ArrayLike, name: str = "x") -> np.ndarray:
    """``x`` as a float64 array; ValueError (naming ``name``) unless it holds only finite real numbers."""
    if isinstance(x, np.ndarray) and x.dtype == np.float64:
        arr = x  # the fast path: no copy, no conversion
    else:
        try:
            arr = np.asarray(x)
        except (TypeError, ValueError) as err:  # e.g. ragged nested lists
            raise ValueError(f"{name} must be a real number or an array of real numbers, got {x!r}") from err
        if arr.dtype.kind not in "biuf":  # strings, objects, complex numbers, dates ...
            raise ValueError(f"{name} must be a real number or an array of real numbers, got dtype {arr.dtype} ({x!r})")
        arr = arr.astype(np.float64)
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} must be finite (no nan or inf), got {x!r}")
    return arr


def _out(arr: np.ndarray) -> np.ndarray | float:
    """A 0-d result as a Python float (what a reader expects from ``sigmoid(0.0)``), else the array."""
    return float(arr) if arr.ndim == 0 else arr


def _alpha(alpha: float) -> float:
    """The leaky ReLU's slope for negative input, checked: a real number with 0 <= alpha <= 1."""
    if isinstance(alpha, bool) or not isinstance(alpha, (int, float, np.integer, np.floating)):
        raise ValueError(f"alpha must be a real number between 0 and 1, got {alpha!r}")
    alpha = float(alpha)
    # alpha > 1 would make the left side steeper than the right (the bend goes the other way), and
    # alpha * x could overflow for x near -1.8e308; 0 <= alpha <= 1 keeps |alpha x| <= |x|.
    if not 0.0 <= alpha <= 1.0:
        raise ValueError(f"alpha must be between 0 and 1 (the slope for negative input), got {alpha!r}")
    return alpha


def _axis(axis: int, ndim: int) -> int:
    if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
        raise ValueError(f"axis must be an integer, got {axis!r}")
    if ndim == 0:
        raise ValueError("z must have at least one dimension (a vector of scores), got a single number")
    if not -ndim <= axis < ndim:
        raise ValueError(f"axis {axis} is out of range for z with {ndim} dimension(s)")
    return int(axis)


# ---------------------------------------------------------------------------------------------
# the identity (no bend): for output layers that predict a number, and to show what a bend adds


def identity(x: ArrayLike) -> np.ndarray | float:
    r"""The identity :math:`a(x) = x`: no bend at all (a layer with it is a linear map)."""
    return _out(_real_array(x).copy())


def identity_grad(x: ArrayLike) -> np.ndarray | float:
    r"""Its derivative, :math:`a'(x) = 1` everywhere."""
    return _out(np.ones_like(_real_array(x)))


# ---------------------------------------------------------------------------------------------
# sigmoid


def sigmoid(x: ArrayLike) -> np.ndarray | float:
    r"""The logistic sigmoid :math:`\sigma(x) = \dfrac{1}{1 + e^{-x}}`, an S-curve from 0 to 1.

    Computed without overflow for any finite input: for :math:`x < 0` we use the equal form
    :math:`e^{x} / (1 + e^{x})`, so ``exp`` only ever sees non-positive numbers.
    """
    x = _real_array(x)
    z = np.exp(-np.abs(x))  # in (0, 1]: never overflows
    out = np.where(x >= 0, 1 / (1 + z), z / (1 + z))
    return _out(out)


def sigmoid_grad(x: ArrayLike) -> np.ndarray | float:
    r"""The sigmoid's derivative :math:`\sigma'(x) = \sigma(x)\,\bigl(1 - \sigma(x)\bigr) = \sigma(x)\,\sigma(-x)`.

    Its largest value is :math:`\sigma'(0) = 1/4`. (Written as :math:`\sigma(x) = \sigma(x)(1 - \sigma(x))`,
    without the prime, the equation would hold for no :math:`x` at all.)
    """
    x = _real_array(x)
    # 1 - sigma(x) equals sigma(-x); computing it that way keeps full relative accuracy for large x,
    # where 1 - sigma(x) would cancel to 0 (sigma(40) rounds to exactly 1.0).
    z = np.exp(-np.abs(x))
    out = z / ((1 + z) * (1 + z))  # = sigma(|x|) sigma(-|x|), and sigma' is even
    return _out(out)


# ---------------------------------------------------------------------------------------------
# tanh


def tanh(x: ArrayLike) -> np.ndarray | float:
    r"""The hyperbolic tangent :math:`\tanh(x) = \dfrac{e^{x} - e^{-x}}{e^{x} + e^{-x}} = 2\sigma(2x) - 1`,
    an S-curve from :math:`-1` to :math:`1` through the origin. (NumPy's ``tanh`` saturates to
    :math:`\pm 1` without overflowing.)"""
    return _out(np.tanh(_real_array(x)))


def tanh_grad(x: ArrayLike) -> np.ndarray | float:
    r"""Its derivative :math:`\tanh'(x) = 1 - \tanh^2(x) = 4\,\sigma'(2x)`, at most 1 (at :math:`x = 0`).

    Computed as :math:`4\sigma(2x)\sigma(-2x)`, which keeps full relative accuracy in the tails, where
    :math:`1 - \tanh^2 x` cancels to 0 (from :math:`|x| \approx 19` on).
    """
    x = _real_array(x)
    # Beyond |x| = 400 the derivative (< 4e^-800) underflows to 0 anyway; clipping first keeps 2x finite.
    z = np.exp(-2 * np.minimum(np.abs(x), 400.0))
    out = 4 * z / ((1 + z) * (1 + z))
    return _out(out)


# ---------------------------------------------------------------------------------------------
# ReLU and leaky ReLU


def _relu(x: np.ndarray) -> np.ndarray:
    """:func:`relu` without the input check, for arrays already known to be finite float64."""
    return np.maximum(x, 0.0)


def _relu_grad(x: np.ndarray) -> np.ndarray:
    """:func:`relu_grad` without the input check, for arrays already known to be finite float64."""
    return (x > 0).astype(np.float64)


def relu(x: ArrayLike) -> np.ndarray | float:
    r"""The rectified linear unit :math:`\mathrm{ReLU}(x) = \max(0, x)`: 0 for negative input, else :math:`x`."""
    return _out(_relu(_real_array(x)))


def relu_grad(x: ArrayLike) -> np.ndarray | float:
    r"""Its derivative: 1 for :math:`x > 0`, 0 for :math:`x < 0`.

    At the kink :math:`x = 0` the derivative does not exist; like PyTorch we **choose 0** there. (Any
    number between 0 and 1 is a valid "subgradient"; an input of exactly 0.0 is rare in practice.)
    """
    return _out(_relu_grad(_real_array(x)))


def leaky_relu(x: ArrayLike, alpha: float = 0.01) -> np.ndarray | float:
    r"""The leaky ReLU :math:`x` for :math:`x > 0` and :math:`\alpha x` for :math:`x \le 0`.

    The small slope :math:`\alpha` (``0 <= alpha <= 1``) sits on the **negative** side, so that a
    neuron whose input is negative still passes a little gradient back. :math:`\alpha = 0` is the
    ReLU; :math:`\alpha = 1` is the identity (no bend left).
    """
    alpha = _alpha(alpha)
    x = _real_array(x)
    return _out(np.maximum(x, alpha * x))  # for 0 <= alpha <= 1: x when x > 0, alpha x when x <= 0


def leaky_relu_grad(x: ArrayLike, alpha: float = 0.01) -> np.ndarray | float:
    r"""Its derivative: 1 for :math:`x > 0`, :math:`\alpha` for :math:`x \le 0` (at the kink we choose
    :math:`\alpha`, which for :math:`\alpha = 0` is the ReLU's choice, 0)."""
    alpha = _alpha(alpha)
    x = _real_array(x)
    return _out(np.where(x > 0, 1.0, alpha))


# ---------------------------------------------------------------------------------------------
# softplus: a smooth ReLU


def softplus(x: ArrayLike) -> np.ndarray | float:
    r"""The softplus :math:`\ln(1 + e^{x})`, a smooth ReLU (its derivative is the sigmoid).

    Computed as :math:`\max(x, 0) + \ln(1 + e^{-|x|})`, which never overflows and keeps full
    relative accuracy for very negative :math:`x` (where the value is about :math:`e^{x}`).
    """
    x = _real_array(x)
    return _out(np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x))))


def softplus_grad(x: ArrayLike) -> np.ndarray | float:
    r"""Its derivative :math:`\dfrac{e^{x}}{1 + e^{x}} = \sigma(x)`."""
    return sigmoid(x)


# ---------------------------------------------------------------------------------------------
# hard sigmoid: a ramp from 0 to 1


def hard_sigmoid(x: ArrayLike) -> np.ndarray | float:
    r"""The hard sigmoid :math:`\mathrm{clip}(x, 0, 1) = \mathrm{ReLU}(x) - \mathrm{ReLU}(x - 1)`:
    0 up to :math:`x = 0`, then a straight ramp, then 1 from :math:`x = 1` on.

    (PyTorch's ``hardsigmoid`` is the same shape stretched: :math:`\mathrm{clip}(x/6 + 1/2, 0, 1)`.)
    """
    return _out(np.clip(_real_array(x), 0.0, 1.0))


def hard_sigmoid_grad(x: ArrayLike) -> np.ndarray | float:
    r"""Its derivative: 1 for :math:`0 < x < 1`, else 0 (at the two kinks we choose 0, as PyTorch does
    for its ``hardsigmoid``)."""
    x = _real_array(x)
    return _out(((x > 0) & (x < 1)).astype(np.float64))


# ---------------------------------------------------------------------------------------------
# softmax, log-softmax and log-sum-exp: scores -> probabilities along one axis


def _shifted(z: np.ndarray, axis: int) -> np.ndarray:
    r""":math:`z - \max z` along ``axis`` (every entry :math:`\le 0`, the largest exactly 0).

    The subtraction can overflow only when the scores span more than the float range (e.g.
    :math:`10^{308}` and :math:`-10^{308}`); the result is then :math:`-\infty`, whose exponential is
    exactly the right answer, 0. So that case is allowed silently.
    """
    with np.errstate(over="ignore"):
        return z - np.max(z, axis=axis, keepdims=True)


def logsumexp(z: ArrayLike, axis: int = -1, keepdims: bool = False) -> np.ndarray | float:
    r"""Log-sum-exp :math:`\ln \sum_k e^{z_k} = m + \ln \sum_k e^{z_k - m}` with :math:`m = \max_k z_k`
    along ``axis``: a smooth maximum, computed without overflow (every exponent is :math:`\le 0`, and
    the largest term is 1, so the sum is between 1 and the number of terms)."""
    z = _real_array(z, "z")
    axis = _axis(axis, z.ndim)
    m = np.max(z, axis=axis, keepdims=True)
    out = m + np.log(np.sum(np.exp(_shifted(z, axis)), axis=axis, keepdims=True))
    return _out(out if keepdims else np.squeeze(out, axis=axis))


def logsumexp_grad(z: ArrayLike, axis: int = -1) -> np.ndarray:
    r"""The gradient of log-sum-exp with respect to each :math:`z_k`: :math:`e^{z_k} / \sum_j e^{z_j}`,
    which is exactly :func:`softmax`."""
    return softmax(z, axis=axis)


def softmax(z: ArrayLike, axis: int = -1) -> np.ndarray:
    r"""Softmax :math:`s_k = \dfrac{e^{z_k}}{\sum_j e^{z_j}}` along ``axis``: positive numbers summing to 1.

    Computed as :math:`e^{z_k - m} / \sum_j e^{z_j - m}` with :math:`m = \max_j z_j` (the same value,
    since the factor :math:`e^{-m}` cancels), so no exponential overflows.
    """
    z = _real_array(z, "z")
    axis = _axis(axis, z.ndim)
    e = np.exp(_shifted(z, axis))
    return e / np.sum(e, axis=axis, keepdims=True)


def softmax_grad(z: ArrayLike, v: ArrayLike, axis: int = -1) -> np.ndarray:
    r"""The softmax's Jacobian times a vector, :math:`J\mathbf{v}`, along ``axis``.

    The Jacobian is :math:`J_{kj} = \partial s_k / \partial z_j = s_k(\delta_{kj} - s_j)`, that is
    :math:`J = \mathrm{diag}(\mathbf{s}) - \mathbf{s}\mathbf{s}^\top`, so

    .. math:: J\mathbf{v} = \mathbf{s} \odot \bigl(\mathbf{v} - (\mathbf{s}\cdot\mathbf{v})\,\mathbf{1}\bigr).

    :math:`J` is symmetric, so this is also :math:`\mathbf{v}^\top J`: with ``v`` the gradient of a
    loss with respect to the probabilities, it returns the gradient with respect to the scores ``z``
    (what backpropagation needs), without ever building the :math:`K\times K` matrix.
    """
    s = softmax(z, axis=axis)
    v = _real_array(v, "v")
    if v.shape != s.shape:
        raise ValueError(f"v must have the shape of z {s.shape}, got {v.shape}")
    axis = _axis(axis, s.ndim)
    return s * (v - np.sum(s * v, axis=axis, keepdims=True))


def log_softmax(z: ArrayLike, axis: int = -1) -> np.ndarray:
    r"""Log-softmax :math:`\ln s_k = z_k - \ln\sum_j e^{z_j}` along ``axis``, computed directly (never as
    ``log(softmax(z))``, which gives :math:`-\infty` as soon as a probability underflows to 0).

    Finite unless the scores span more than the float range (then the true value is below
    :math:`-1.8\times10^{308}` and the result is :math:`-\infty`, the correctly rounded answer).
    """
    z = _real_array(z, "z")
    return _log_softmax(z, _axis(axis, z.ndim))


def _log_softmax(z: np.ndarray, axis: int) -> np.ndarray:
    """:func:`log_softmax` without the checks, for a float64 array and a valid non-negative ``axis``."""
    shifted = _shifted(z, axis)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def log_softmax_grad(z: ArrayLike, v: ArrayLike, axis: int = -1) -> np.ndarray:
    r"""A vector times the log-softmax's Jacobian, :math:`\mathbf{v}^\top J`, along ``axis``: the
    backpropagation step.

    Here :math:`J_{kj} = \partial \ln s_k / \partial z_j = \delta_{kj} - s_j`, which is **not**
    symmetric, and

    .. math:: (\mathbf{v}^\top J)_j = v_j - s_j \sum_k v_k .

    For the cross-entropy :math:`-\ln s_y` (``v`` is :math:`-1` at the label, 0 elsewhere) this is
    the famous :math:`\mathbf{s} - \mathbf{y}`.
    """
    s = softmax(z, axis=axis)
    v = _real_array(v, "v")
    if v.shape != s.shape:
        raise ValueError(f"v must have the shape of z {s.shape}, got {v.shape}")
    axis = _axis(axis, s.ndim)
    return v - s * np.sum(v, axis=axis, keepdims=True)


# ---------------------------------------------------------------------------------------------
# the registry


class Activation(NamedTuple):
    """An element-wise activation and its derivative (unpacks as ``function, derivative``)."""

    function: Callable[[ArrayLike], np.ndarray | float]
    derivative: Callable[[ArrayLike], np.ndarray | float]


#: Element-wise activations by name: ``ACTIVATIONS["relu"]`` is ``(relu, relu_grad)``. The leaky
#: ReLU here uses its default slope ``alpha = 0.01``. Read-only.
ACTIVATIONS: Mapping[str, Activation] = MappingProxyType(
    {
        "identity": Activation(identity, identity_grad),
        "sigmoid": Activation(sigmoid, sigmoid_grad),
        "tanh": Activation(tanh, tanh_grad),
        "relu": Activation(relu, relu_grad),
        "leaky_relu": Activation(leaky_relu, leaky_relu_grad),
        "softplus": Activation(softplus, softplus_grad),
        "hard_sigmoid": Activation(hard_sigmoid, hard_sigmoid_grad),
    }
)

#: Unchecked kernels of some :data:`ACTIVATIONS` (same numbers, no input validation), for callers
#: such as :class:`dlmath.nn.MLP` whose inputs are finite float64 arrays by construction.
_KERNELS: Mapping[str, Activation] = MappingProxyType({"relu": Activation(_relu, _relu_grad)})
