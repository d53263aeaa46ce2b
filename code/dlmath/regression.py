r"""Least squares: the line (or curve) that makes the mean of the squared errors smallest.

A linear model predicts :math:`\hat y = X\boldsymbol\theta`, one row of the data matrix :math:`X` per
example and one column per parameter. Its loss is the mean squared error

.. math:: L(\boldsymbol\theta) = \frac1n \sum_{i=1}^n (\hat y_i - y_i)^2 = \frac1n \lVert X\boldsymbol\theta - \mathbf{y} \rVert^2,

a bowl whose gradient is :math:`\frac2n X^\top(X\boldsymbol\theta - \mathbf{y})` and whose Hessian is the
constant :math:`\frac2n X^\top X`. Its bottom solves the normal equations
:math:`X^\top X\,\boldsymbol\theta = X^\top\mathbf{y}`.

Every function is pure: arrays in, arrays out. Bad input raises ``ValueError`` naming the argument,
including a model with more parameters than the data can determine.
"""

from __future__ import annotations

from dataclasses import dataclass
from numbers import Real
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from .descent import quadratic_thresholds

__all__ = [
    "LineFit",
    "PolynomialFit",
    "Split",
    "Standardized",
    "descent_steps_needed",
    "fit_line",
    "fit_polynomial",
    "least_squares",
    "line_design",
    "linear_loss",
    "linear_loss_gradient",
    "linear_loss_hessian",
    "mse",
    "polynomial_features",
    "standardize",
    "train_test_split",
]


# ---------------------------------------------------------------------------------------------
# input checks


def _vector(values: ArrayLike, name: str) -> np.ndarray:
    try:
        arr = np.array(values, dtype=float)  # a copy: the caller's array is never shared
    except (TypeError, ValueError) as err:
        raise ValueError(f"{name} must be a 1-D array of numbers, got {values!r}") from err
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite (no inf or nan), got {values!r}")
    return arr


def _pair(x: ArrayLike, y: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    x, y = _vector(x, "x"), _vector(y, "y")
    if x.shape != y.shape:
        raise ValueError(f"x and y must have the same length, got {x.size} and {y.size}")
    return x, y


def _matrix(X: ArrayLike) -> np.ndarray:
    try:
        arr = np.array(X, dtype=float)
    except (TypeError, ValueError) as err:
        raise ValueError(f"X must be a 2-D array of numbers, got {X!r}") from err
    if arr.ndim != 2 or arr.size == 0:
        raise ValueError(f"X must be a non-empty 2-D array (rows are examples), got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError("X must be finite (no inf or nan)")
    return arr


def _targets(X: np.ndarray, y: ArrayLike) -> np.ndarray:
    y = _vector(y, "y")
    if y.shape != (X.shape[0],):
        raise ValueError(f"y must have one value per row of X, shape ({X.shape[0]},), got shape {y.shape}")
    return y


def _degree(degree: int) -> int:
    if isinstance(degree, bool) or not isinstance(degree, (int, np.integer)) or degree < 0:
        raise ValueError(f"degree must be an integer >= 0, got {degree!r}")
    return int(degree)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


# ---------------------------------------------------------------------------------------------
# the loss of a linear model


def mse(y_pred: ArrayLike, y: ArrayLike) -> float:
    r"""Mean squared error :math:`\frac1n \sum_i (\hat y_i - y_i)^2` of predictions ``y_pred`` against
    targets ``y``."""
    y_pred, y = _vector(y_pred, "y_pred"), _vector(y, "y")
    if y_pred.shape != y.shape:
        raise ValueError(f"y_pred and y must have the same length, got {y_pred.size} and {y.size}")
    return float(np.mean((y_pred - y) ** 2))


def _theta(theta: ArrayLike, d: int) -> np.ndarray:
    arr = np.asarray(theta, dtype=float)
    if arr.ndim == 0 or arr.shape[-1] != d:
        raise ValueError(f"theta must have {d} parameters (one per column of X) on its last axis, got shape {arr.shape}")
    return arr


def linear_loss(theta: ArrayLike, X: ArrayLike, y: ArrayLike) -> np.ndarray | float:
    r"""The mean squared error :math:`L(\boldsymbol\theta) = \frac1n\lVert X\boldsymbol\theta - \mathbf{y}\rVert^2`.

    ``theta`` has shape ``(d,)``, or ``(..., d)`` for many parameter vectors at once (one loss each):
    a whole grid of lines, or every walk of :func:`dlmath.descent.gradient_descent_lockstep`.
    """
    X = _matrix(X)
    y = _targets(X, y)
    theta = _theta(theta, X.shape[1])
    loss = np.mean((theta @ X.T - y) ** 2, axis=-1)
    return float(loss) if loss.ndim == 0 else loss


def linear_loss_gradient(theta: ArrayLike, X: ArrayLike, y: ArrayLike) -> np.ndarray:
    r"""The gradient :math:`\nabla L = \frac2n X^\top (X\boldsymbol\theta - \mathbf{y})`, shaped like ``theta``.

    Entry :math:`j` is :math:`\frac2n\sum_i (\hat y_i - y_i)\,X_{ij}`: each error, weighted by how much
    parameter :math:`j` contributed to that prediction (the chain rule on each square).
    """
    X = _matrix(X)
    y = _targets(X, y)
    theta = _theta(theta, X.shape[1])
    return (2.0 / X.shape[0]) * ((theta @ X.T - y) @ X)


def linear_loss_hessian(X: ArrayLike) -> np.ndarray:
    r"""The Hessian :math:`H = \frac2n X^\top X` of :func:`linear_loss`: the same at every
    :math:`\boldsymbol\theta`, because the loss is a quadratic bowl."""
    X = _matrix(X)
    return (2.0 / X.shape[0]) * (X.T @ X)


# ---------------------------------------------------------------------------------------------
# exact fits


class LineFit(NamedTuple):
    r"""The least-squares line :math:`y = wx + b` and its loss (the mean squared error)."""

    w: float  #: slope
    b: float  #: intercept
    loss: float  #: mean of the squared residuals at (w, b)


def fit_line(x: ArrayLike, y: ArrayLike) -> LineFit:
    r"""The line :math:`y = wx + b` with the smallest mean squared error.

    Setting both partial derivatives of :math:`L(w, b) = \frac1n\sum_i (w x_i + b - y_i)^2` to zero
    gives the two normal equations, whose solution is

    .. math::

        w = \frac{\sum_i (x_i - \bar x)(y_i - \bar y)}{\sum_i (x_i - \bar x)^2}, \qquad b = \bar y - w \bar x.

    (Subtracting the means first is the numerically careful way to solve them.)

    Raises ``ValueError`` when ``x`` and ``y`` differ in length, hold non-finite values, hold fewer
    than two points, or when all ``x`` are equal (points stacked on one vertical line say nothing
    about a slope).
    """
    x, y = _pair(x, y)
    if x.size < 2:
        raise ValueError(f"x must hold at least 2 points to determine a line (2 parameters), got {x.size}")
    dx = x - x.mean()
    spread = float(dx @ dx)
    if spread == 0.0:
        raise ValueError(
            "x must not be all equal: a vertical stack of points does not determine a slope "
            f"(every x is {x[0]!r})"
        )
    w = float(dx @ (y - y.mean())) / spread
    b = float(y.mean() - w * x.mean())
    return LineFit(w, b, float(np.mean((w * x + b - y) ** 2)))


def line_design(x: ArrayLike) -> np.ndarray:
    r"""The data matrix of the line :math:`\hat y = wx + b`: columns :math:`x` and :math:`1`, so that
    :math:`X\boldsymbol\theta` with :math:`\boldsymbol\theta = (w, b)` is the prediction."""
    x = _vector(x, "x")
    return np.column_stack([x, np.ones_like(x)])


def least_squares(X: ArrayLike, y: ArrayLike) -> np.ndarray:
    r"""The :math:`\boldsymbol\theta` that minimises :math:`\lVert X\boldsymbol\theta - \mathbf{y}\rVert^2`.

    Solved with :func:`numpy.linalg.lstsq` (an SVD of :math:`X`, never the inverse of
    :math:`X^\top X`), after checking that the data determine every parameter.

    Raises ``ValueError`` when ``X`` has fewer rows (data points) than columns (parameters), or when
    its columns are not independent (rank below the number of columns): then infinitely many
    :math:`\boldsymbol\theta` fit equally well, and no single answer exists.
    """
    X = _matrix(X)
    y = _targets(X, y)
    n, d = X.shape
    if n < d:
        raise ValueError(
            f"X has {_plural(d, 'parameter')} (columns) but only {_plural(n, 'data point')} (rows): "
            f"at least {d} data points are needed"
        )
    theta, _, rank, _ = np.linalg.lstsq(X, y, rcond=None)
    if rank < d:
        raise ValueError(
            f"X has rank {rank} but {_plural(d, 'column')}: the data determine only {rank} of the {d} "
            "parameters, and infinitely many fits are equally good"
        )
    return theta


def polynomial_features(x: ArrayLike, degree: int) -> np.ndarray:
    r"""The columns :math:`1, x, x^2, \dots, x^p` of a polynomial of degree :math:`p`: shape ``(n, p + 1)``.

    A polynomial :math:`\theta_0 + \theta_1 x + \dots + \theta_p x^p` is then ``features @ theta``: a
    linear model in its parameters, however curved in :math:`x`.
    """
    x, p = _vector(x, "x"), _degree(degree)
    return x[:, None] ** np.arange(p + 1)


@dataclass(frozen=True, eq=False)
class PolynomialFit:
    r"""A fitted polynomial, callable like a function: ``fit(x)`` gives its values.

    To keep the columns :math:`1, u, \dots, u^p` well apart (well conditioned), the input is first
    mapped from ``domain`` = (smallest x, largest x) onto :math:`u \in [-1, 1]`;
    ``coef`` are the coefficients in :math:`u`, lowest power first (as in
    :meth:`numpy.polynomial.Polynomial.fit`).
    """

    coef: np.ndarray
    domain: tuple[float, float]
    train_loss: float  #: mean squared error on the data it was fitted to

    @property
    def degree(self) -> int:
        return len(self.coef) - 1

    def scaled(self, x: ArrayLike) -> np.ndarray:
        """``x`` mapped onto the working variable u (domain → [−1, 1])."""
        lo, hi = self.domain
        x = np.asarray(x, dtype=float)
        return x - lo if hi == lo else (2 * x - (lo + hi)) / (hi - lo)

    def __call__(self, x: ArrayLike) -> np.ndarray:
        u = self.scaled(x)
        out = np.zeros_like(u)
        for c in self.coef[::-1]:  # Horner's rule: fewer operations, less rounding
            out = out * u + c
        return out


def fit_polynomial(x: ArrayLike, y: ArrayLike, degree: int) -> PolynomialFit:
    r"""The polynomial of degree :math:`p` with the smallest mean squared error on ``(x, y)``.

    It is :func:`least_squares` with :func:`polynomial_features` as the data matrix (after mapping x
    onto [−1, 1], see :class:`PolynomialFit`).

    Raises ``ValueError`` for a negative or non-integer degree, or when the data cannot determine
    the :math:`p + 1` parameters: that takes at least :math:`p + 1` data points with different x.
    """
    x, y = _pair(x, y)
    p = _degree(degree)
    distinct = np.unique(x).size
    if distinct < p + 1:
        got = f"{_plural(x.size, 'data point')}" + (f" with only {distinct} different x" if distinct < x.size else "")
        raise ValueError(
            f"degree {p} means {_plural(p + 1, 'parameter')}: at least {p + 1} data points with "
            f"different x are needed, got {got}"
        )
    lo, hi = float(x.min()), float(x.max())
    u = x - lo if hi == lo else (2 * x - (lo + hi)) / (hi - lo)  # as PolynomialFit.scaled
    features = polynomial_features(u, p)
    coef = least_squares(features, y)
    coef.setflags(write=False)
    return PolynomialFit(coef, (lo, hi), mse(features @ coef, y))


# ---------------------------------------------------------------------------------------------
# scaling the input, and predicting gradient descent on the bowl


class Standardized(NamedTuple):
    r"""Input rescaled to mean 0 and standard deviation 1: ``values`` :math:`= (x - \text{mean})/\text{scale}`."""

    values: np.ndarray
    mean: float
    scale: float


def standardize(x: ArrayLike) -> Standardized:
    r"""Centre and scale the input: :math:`x' = (x - \bar x)/s` with :math:`s` the standard deviation.

    A line :math:`w' x' + b'` in the new input is the line :math:`w x + b` with :math:`w = w'/s` and
    :math:`b = b' - w'\bar x/s`.
    """
    x = _vector(x, "x")
    scale = float(x.std())
    if scale == 0.0:
        raise ValueError("x must not be all equal: it cannot be scaled to standard deviation 1")
    mean = float(x.mean())
    return Standardized((x - mean) / scale, mean, scale)


def descent_steps_needed(hessian: ArrayLike, offset: ArrayLike, lr: float, tol: float = 1e-5) -> int | None:
    r"""How many steps gradient descent needs on a quadratic bowl until :math:`\lVert\nabla L\rVert \le` ``tol``,
    computed without taking them.

    On a bowl with Hessian :math:`H = Q\,\mathrm{diag}(\lambda_j)\,Q^\top`, step :math:`t` of gradient descent is
    at offset :math:`\boldsymbol\theta_t - \boldsymbol\theta^\ast = Q\,\mathrm{diag}\bigl((1-\eta\lambda_j)^t\bigr)Q^\top
    (\boldsymbol\theta_0 - \boldsymbol\theta^\ast)` from the bottom (each direction shrinks by its own
    factor, Chapter 4), so

    .. math:: \lVert \nabla L(\boldsymbol\theta_t) \rVert^2 = \sum_j \lambda_j^2 c_j^2 (1 - \eta\lambda_j)^{2t},
              \qquad \mathbf{c} = Q^\top(\boldsymbol\theta_0 - \boldsymbol\theta^\ast),

    which falls with :math:`t` when every :math:`|1 - \eta\lambda_j| < 1`. The smallest such :math:`t` is
    found by bisection. This matches :func:`dlmath.descent.gradient_descent` with the same ``tol``
    up to rounding (at most a step). Returns ``None`` when the walk never gets there (some direction
    that the start has a part in does not shrink).
    """
    quadratic_thresholds(hessian)  # checks that H is a symmetric bowl (positive definite)
    H = np.asarray(hessian, dtype=float)
    c0 = np.asarray(offset, dtype=float)
    if c0.shape != (H.shape[0],) or not np.all(np.isfinite(c0)):
        raise ValueError(f"offset must be {H.shape[0]} finite numbers, got {offset!r}")
    if isinstance(lr, bool) or not isinstance(lr, Real) or not (np.isfinite(lr) and lr > 0):
        raise ValueError(f"lr must be a positive finite number, got {lr!r}")
    if isinstance(tol, bool) or not isinstance(tol, Real) or not (np.isfinite(tol) and tol > 0):
        raise ValueError(f"tol must be a positive finite number, got {tol!r}")
    lams, Q = np.linalg.eigh(H)
    weights = np.abs(lams * (Q.T @ c0))  # size of each direction's part of the gradient at the start
    factors = np.abs(1 - lr * lams)
    live = weights > 0
    if not np.any(live):
        return 0
    if np.any(factors[live] >= 1):
        return None
    log_w, log_f = np.log(weights[live]), np.log(np.where(factors[live] > 0, factors[live], 1e-300))

    def log_norm(t: float) -> float:  # log ||∇L(θ_t)||, without overflow or underflow
        terms = 2 * (log_w + t * log_f)
        top = terms.max()
        return 0.5 * (top + np.log(np.sum(np.exp(terms - top))))

    target = np.log(tol)
    if log_norm(0) <= target:
        return 0
    hi = 1
    while log_norm(hi) > target:
        hi *= 2
    lo = hi // 2  # log_norm(lo) > target >= log_norm(hi)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if log_norm(mid) > target else (lo, mid)
    return hi


# ---------------------------------------------------------------------------------------------
# training and test data


class Split(NamedTuple):
    """A data set cut in two: the part a model is fitted to and the part kept back to test it."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray


def train_test_split(x: ArrayLike, y: ArrayLike, test_size: int | float, *, seed: int = 0) -> Split:
    """Shuffle the examples (``np.random.default_rng(seed)``) and keep ``test_size`` of them apart.

    ``test_size`` is a count (an integer) or a fraction (a float strictly between 0 and 1, rounded to
    a count); both parts must hold at least one example. ``x`` may be 1-D or have one row per example.
    """
    try:
        xs = np.array(x, dtype=float)
    except (TypeError, ValueError) as err:
        raise ValueError(f"x must be an array of numbers, got {x!r}") from err
    ys = _vector(y, "y")
    if xs.ndim not in (1, 2) or xs.shape[0] != ys.size:
        raise ValueError(f"x must have one entry (or row) per value of y, {ys.size}, got shape {xs.shape}")
    if not np.all(np.isfinite(xs)):
        raise ValueError("x must be finite (no inf or nan)")
    n = ys.size
    if isinstance(test_size, bool) or not isinstance(test_size, Real):
        raise ValueError(f"test_size must be a count or a fraction, got {test_size!r}")
    if isinstance(test_size, (int, np.integer)):
        count = int(test_size)
    elif 0 < test_size < 1:
        count = int(round(float(test_size) * n))
    else:
        raise ValueError(f"test_size as a fraction must lie strictly between 0 and 1, got {test_size!r}")
    if not 1 <= count <= n - 1:
        raise ValueError(f"test_size must leave at least one example in each part of {n}, got {test_size!r}")
    order = np.random.default_rng(seed).permutation(n)
    test, train = np.sort(order[:count]), np.sort(order[count:])
    return Split(xs[train], ys[train], xs[test], ys[test])
