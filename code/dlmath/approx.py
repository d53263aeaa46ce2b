r"""Curves built from bends: a constant plus a sum of *units* :math:`c_i\,a(b_i + w_i x)`.

A network with one input, one hidden layer of :math:`N` neurons and one linear output computes

.. math:: \hat y = b + \sum_{i=1}^{N} c_i\, a(b_i + w_i x),

where :math:`a` is an activation of :data:`dlmath.activations.ACTIVATIONS` (a sigmoid, a hard sigmoid,
a ReLU, ...). This module builds such sums in three ways:

* **by construction**: :func:`piecewise_linear` writes a curve of straight pieces exactly as a constant
  plus ramps (hard sigmoids) or plus ReLUs; :func:`staircase` follows any curve with bumps made of
  two steep sigmoids each;
* **by least squares** (:func:`fit_curve`): the joints (where each unit bends) are spread evenly over
  the data, and only the output weights :math:`c_i` and the constant :math:`b` are fitted, which is a
  linear model (Chapter 6's :func:`dlmath.regression.least_squares`);
* **by gradient descent on every parameter** (:func:`train_curve`), through :class:`dlmath.nn.MLP`
  and an optimizer of :mod:`dlmath.optim`.

:func:`curve_errors` measures how well an approximation follows its target (mean and largest absolute
error), and :func:`error_slope` how fast the error falls as units are added. :func:`bump` and
:func:`tower` show what units do with two inputs.
"""

from __future__ import annotations

from dataclasses import dataclass
from numbers import Real
from typing import Callable, NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from .activations import ACTIVATIONS, sigmoid
from .nn import MLP
from .optim import Optimizer
from .regression import fit_line, least_squares, paired_vectors

__all__ = [
    "CurveErrors",
    "CurveModel",
    "Training",
    "UNIT_ACTIVATIONS",
    "bump",
    "cross",
    "curve_errors",
    "error_slope",
    "fit_curve",
    "piecewise_linear",
    "random_start",
    "staircase",
    "tower",
    "train_curve",
    "unit_placement",
]

#: Activations a unit may have: every one of :data:`~dlmath.activations.ACTIVATIONS` that bends (the
#: identity does not: a sum of straight lines is a straight line).
UNIT_ACTIVATIONS = tuple(name for name in ACTIVATIONS if name != "identity")

_KINKS = ("relu", "leaky_relu", "softplus", "hard_sigmoid")  # bend where z = 0 (the ramp starts there)


# ---------------------------------------------------------------------------------------------
# input checks


def _activation(activation: str) -> str:
    if not isinstance(activation, str) or activation not in UNIT_ACTIVATIONS:
        raise ValueError(f"activation must be one of {UNIT_ACTIVATIONS}, got {activation!r}")
    return activation


def _count(value: int, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be an integer >= 1, got {value!r}")
    return int(value)


def _positive(value: float, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, Real) or not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}")
    return float(value)


def _interval(x_range: tuple[float, float], name: str = "x_range") -> tuple[float, float]:
    try:
        lo, hi = (float(v) for v in x_range)
    except (TypeError, ValueError) as err:
        raise ValueError(f"{name} must be two finite numbers (lo, hi) with lo < hi, got {x_range!r}") from err
    if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
        raise ValueError(f"{name} must be two finite numbers (lo, hi) with lo < hi, got {x_range!r}")
    return lo, hi


def _frozen(values: ArrayLike, name: str) -> np.ndarray:
    try:
        arr = np.array(values, dtype=float)  # a copy: the model never shares the caller's array
    except (TypeError, ValueError) as err:
        raise ValueError(f"{name} must be a 1-D array of numbers, got {values!r}") from err
    if arr.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite (no inf or nan)")
    arr.setflags(write=False)
    return arr


# ---------------------------------------------------------------------------------------------
# the model


@dataclass(frozen=True, eq=False)
class CurveModel:
    r"""A constant plus :math:`N` units: :math:`\hat y(x) = b + \sum_i c_i\,a(b_i + w_i x)`.

    Call it like a function: ``model(x)`` takes a number or an array of any shape. Its parameters are
    read-only arrays of length :math:`N`: the output weights ``c``, the units' biases ``bi`` and
    weights ``w``; ``b`` is the constant and ``activation`` the name of :math:`a`. Unit :math:`i`
    crosses :math:`z = 0` at :math:`x = -b_i/w_i` (:attr:`joints`).

    It is exactly a one-hidden-layer :class:`dlmath.nn.MLP` with sizes ``(1, N, 1)`` and a linear
    output: :meth:`to_mlp` and :meth:`from_mlp` convert.
    """

    b: float
    c: np.ndarray
    bi: np.ndarray
    w: np.ndarray
    activation: str

    def __post_init__(self) -> None:
        _activation(self.activation)
        if isinstance(self.b, bool) or not isinstance(self.b, Real) or not np.isfinite(self.b):
            raise ValueError(f"b must be a finite number, got {self.b!r}")
        object.__setattr__(self, "b", float(self.b))
        for name in ("c", "bi", "w"):
            object.__setattr__(self, name, _frozen(getattr(self, name), name))
        if not self.c.size or not self.c.shape == self.bi.shape == self.w.shape:
            raise ValueError(
                f"c, bi and w must hold one number per unit (at least one unit), got lengths "
                f"{self.c.size}, {self.bi.size} and {self.w.size}"
            )

    @property
    def n_units(self) -> int:
        """The number of units :math:`N` (hidden neurons)."""
        return int(self.c.size)

    @property
    def joints(self) -> np.ndarray:
        r"""Where each unit's input :math:`z_i = b_i + w_i x` is 0: :math:`x = -b_i/w_i` (``inf`` for
        :math:`w_i = 0`, a unit that does not depend on :math:`x`)."""
        with np.errstate(divide="ignore"):
            return np.where(self.w != 0, -self.bi / np.where(self.w != 0, self.w, 1.0), np.inf)

    @property
    def theta(self) -> np.ndarray:
        r"""Every parameter stacked in one vector :math:`\boldsymbol\theta = (w_1..w_N, b_1..b_N, c_1..c_N, b)`,
        :math:`3N + 1` numbers."""
        return np.concatenate([self.w, self.bi, self.c, [self.b]])

    def units(self, x: ArrayLike) -> np.ndarray:
        r"""Each unit's contribution :math:`c_i\,a(b_i + w_i x)`: shape ``x.shape + (N,)``."""
        f = ACTIVATIONS[self.activation].function
        z = np.multiply.outer(np.asarray(x, dtype=float), self.w) + self.bi
        return np.asarray(f(z)) * self.c

    def __call__(self, x: ArrayLike) -> np.ndarray | float:
        f = ACTIVATIONS[self.activation].function
        x = np.asarray(x, dtype=float)
        z = np.multiply.outer(x, self.w) + self.bi  # (..., N): one column per unit
        out = self.b + np.asarray(f(z)) @ self.c
        return float(out) if x.ndim == 0 else out

    def to_mlp(self) -> MLP:
        r"""The same function as a :class:`dlmath.nn.MLP` with sizes ``(1, N, 1)``: :math:`W^{(1)}` is
        :math:`\mathbf{w}^\top` (shape (1, N)), :math:`\mathbf{b}^{(1)}` the biases, :math:`W^{(2)}` is
        :math:`\mathbf{c}` as a column (shape (N, 1)) and :math:`\mathbf{b}^{(2)} = (b)`."""
        net = MLP((1, self.n_units, 1), self.activation, output="identity")
        net.params[0][0] = self.w
        net.params[1][:] = self.bi
        net.params[2][:, 0] = self.c
        net.params[3][0] = self.b
        return net

    @classmethod
    def from_mlp(cls, net: MLP) -> "CurveModel":
        """The model computed by a one-hidden-layer network with one input and one linear output."""
        if (not isinstance(net, MLP) or len(net.sizes) != 3 or net.sizes[0] != 1 or net.sizes[2] != 1
                or net.output != "identity"):
            raise ValueError(f"net must be an MLP with sizes (1, N, 1) and output='identity', got {net!r}")
        W1, b1, W2, b2 = net.params
        return cls(float(b2[0]), W2[:, 0], b1, W1[0], net.activation)


# ---------------------------------------------------------------------------------------------
# building curves by construction


def bump(x: ArrayLike, left: float, right: float, steepness: float = 1000.0) -> np.ndarray | float:
    r"""Two opposite steep sigmoids: :math:`\sigma(w(x - \ell)) - \sigma(w(x - r))`, about 1 between
    ``left`` :math:`\ell` and ``right`` :math:`r` and about 0 elsewhere (:math:`w` is ``steepness``)."""
    w = _positive(steepness, "steepness")
    for name, value in (("left", left), ("right", right)):
        if isinstance(value, bool) or not isinstance(value, Real) or not np.isfinite(value):
            raise ValueError(f"{name} must be a finite number, got {value!r}")
    if not left < right:
        raise ValueError(f"left must be smaller than right, got left = {left!r}, right = {right!r}")
    x = np.asarray(x, dtype=float)
    return sigmoid(w * (x - left)) - sigmoid(w * (x - right))


def staircase(f: Callable[[np.ndarray], ArrayLike], n_bumps: int, x_range: tuple[float, float] = (0.0, 1.0),
              steepness: float = 1000.0) -> CurveModel:
    r"""Follow the curve ``f`` with ``n_bumps`` bumps side by side, :math:`2N` sigmoid units in all.

    :math:`[\text{lo}, \text{hi}]` is cut into :math:`N` pieces of width :math:`h`, with edges
    :math:`e_k = \text{lo} + kh`. Bump :math:`k` is as high as the curve in the middle of its piece,
    :math:`h_k = f\bigl(\tfrac{e_{k-1} + e_k}{2}\bigr)`, and is made of a step up at its left edge and a
    step down at its right edge:

    .. math:: \hat y(x) = \sum_{k=1}^{N} h_k\,\bigl[\sigma\bigl(w(x - e_{k-1})\bigr) - \sigma\bigl(w(x - e_k)\bigr)\bigr].

    The units come in that order (step up, step down, bump after bump); ``b`` is 0. With a steep
    :math:`w` (the default 1000) the sum is a staircase, whose error falls like :math:`1/N`.
    """
    if not callable(f):
        raise ValueError(f"f must be a callable function, got {type(f).__name__}")
    n = _count(n_bumps, "n_bumps")
    lo, hi = _interval(x_range)
    w = _positive(steepness, "steepness")
    edges = np.linspace(lo, hi, n + 1)
    heights = np.asarray(f(0.5 * (edges[:-1] + edges[1:])), dtype=float)
    if heights.shape != (n,) or not np.all(np.isfinite(heights)):
        raise ValueError("f must return one finite number for each point of an array")
    c = np.column_stack([heights, -heights]).ravel()  # +h_k at the left edge, -h_k at the right edge
    at = np.column_stack([edges[:-1], edges[1:]]).ravel()
    return CurveModel(0.0, c, -w * at, np.full(2 * n, w), "sigmoid")


def piecewise_linear(knots_x: ArrayLike, knots_y: ArrayLike, activation: str = "relu") -> CurveModel:
    r"""The curve of straight pieces through the points ``(knots_x[k], knots_y[k])``, written exactly
    as a constant plus one unit per piece (:math:`K` pieces for :math:`K + 1` points).

    ``"hard_sigmoid"``: a constant plus ramps, each flat, then rising by the piece's rise
    :math:`\Delta y_k` across the piece, then flat:

    .. math:: \hat y = y_0 + \sum_{k=0}^{K-1} \Delta y_k\,\mathrm{hs}\Bigl(\frac{x - x_k}{x_{k+1} - x_k}\Bigr),

    equal to the curve on :math:`[x_0, x_K]` and flat outside it. ``"relu"``: a constant plus ReLUs,
    one at the start of each piece, whose output weight is the change of slope there
    (:math:`s_k - s_{k-1}`, with :math:`s_{-1} = 0`):

    .. math:: \hat y = y_0 + \sum_{k=0}^{K-1} (s_k - s_{k-1})\,\mathrm{ReLU}(x - x_k),

    equal to the curve on :math:`[x_0, x_K]`, flat on the left and continuing the last piece on the
    right. A curve with :math:`k` corners has :math:`k + 1` pieces, so it takes :math:`k + 1` units.
    """
    xk, yk = paired_vectors(knots_x, knots_y, ("knots_x", "knots_y"))
    if xk.size < 2 or np.any(np.diff(xk) <= 0):
        raise ValueError(f"knots_x must hold at least 2 strictly increasing numbers, got {knots_x!r}")
    if activation not in ("relu", "hard_sigmoid"):
        raise ValueError(f"activation must be 'relu' or 'hard_sigmoid' for an exact piecewise-linear curve, got {activation!r}")
    widths, rises = np.diff(xk), np.diff(yk)
    if activation == "hard_sigmoid":
        return CurveModel(float(yk[0]), rises, -xk[:-1] / widths, 1.0 / widths, "hard_sigmoid")
    slopes = rises / widths
    return CurveModel(float(yk[0]), np.diff(slopes, prepend=0.0), -xk[:-1], np.ones(slopes.size), "relu")


# ---------------------------------------------------------------------------------------------
# fitting the output weights by least squares


def unit_placement(x_range: tuple[float, float], n_units: int, activation: str = "relu") -> tuple[np.ndarray, np.ndarray]:
    r"""Weights ``w`` and biases ``bi`` that spread ``n_units`` units evenly over ``x_range``.

    The range is cut into :math:`N` pieces of width :math:`h`; unit :math:`i` makes its bend in piece
    :math:`i` (starting at :math:`t_i = \text{lo} + ih`), as steep as a ramp rising by 1 across it:

    * ReLU, leaky ReLU, softplus: the kink at :math:`t_i`, slope :math:`1/h` after it:
      :math:`w_i = 1/h`, :math:`b_i = -t_i/h`;
    * hard sigmoid: the ramp from :math:`t_i` to :math:`t_i + h`, the same :math:`w_i, b_i`;
    * sigmoid: the midpoint at :math:`t_i + h/2` and the steepest slope :math:`w_i/4 = 1/h`, so
      :math:`w_i = 4/h`; tanh (rising by 2): :math:`w_i = 2/h`; and :math:`b_i = -w_i(t_i + h/2)`.
    """
    activation = _activation(activation)
    n = _count(n_units, "n_units")
    lo, hi = _interval(x_range)
    h = (hi - lo) / n
    starts = lo + h * np.arange(n)
    if activation in _KINKS:
        w = np.full(n, 1.0 / h)
        return w, -w * starts
    w = np.full(n, (4.0 if activation == "sigmoid" else 2.0) / h)
    return w, -w * (starts + h / 2)


def fit_curve(x: ArrayLike, y: ArrayLike, n_units: int, activation: str = "relu") -> CurveModel:
    r"""Fit :math:`\hat y = b + \sum_i c_i\,a(b_i + w_i x)` to the data by least squares, with the
    units' joints fixed evenly over the data's range (see :func:`unit_placement`).

    With every :math:`w_i, b_i` fixed, the model is linear in :math:`(b, c_1, \dots, c_N)`: its data
    matrix has a column of ones and one column :math:`a(b_i + w_i x)` per unit, and Chapter 6's
    :func:`dlmath.regression.least_squares` finds the output weights that make the mean squared error
    smallest.

    Raises ``ValueError`` (naming the argument) when ``n_units`` is not an integer >= 1, the
    activation is unknown or does not bend, ``x`` and ``y`` differ in length or hold non-finite
    numbers, all ``x`` are equal, or the data cannot determine :math:`N + 1` numbers (too few points,
    or pieces with no data in them).
    """
    n = _count(n_units, "n_units")
    activation = _activation(activation)
    x, y = paired_vectors(x, y)
    lo, hi = float(x.min()), float(x.max())
    if lo == hi:
        raise ValueError(f"x must not be all equal: units cannot be spread over a single point (every x is {lo!r})")
    if np.unique(x).size < n + 1:
        raise ValueError(
            f"n_units = {n} means {n + 1} numbers to fit (the output weights and the constant): at least "
            f"{n + 1} different x are needed, got {np.unique(x).size}"
        )
    w, bi = unit_placement((lo, hi), n, activation)
    f = ACTIVATIONS[activation].function
    design = np.column_stack([np.ones_like(x), f(np.multiply.outer(x, w) + bi)])
    try:
        theta = least_squares(design, y)
    except ValueError as err:
        raise ValueError(f"n_units = {n} is too many for these data: {err}") from err
    return CurveModel(float(theta[0]), theta[1:], bi, w, activation)


# ---------------------------------------------------------------------------------------------
# how good is an approximation, and how fast does it improve


class CurveErrors(NamedTuple):
    """How far an approximation is from its target: the mean and the largest absolute error."""

    mean_abs: float
    max_abs: float


def curve_errors(y_pred: ArrayLike, y: ArrayLike) -> CurveErrors:
    r"""The mean absolute error :math:`\frac1n\sum_i |\hat y_i - y_i|` and the largest,
    :math:`\max_i |\hat y_i - y_i|` (on an even grid of :math:`x`, the mean is close to the average
    distance between the curves)."""
    y_pred, y = paired_vectors(y_pred, y, ("y_pred", "y"))
    gap = np.abs(y_pred - y)
    return CurveErrors(float(gap.mean()), float(gap.max()))


def error_slope(n_units: ArrayLike, errors: ArrayLike) -> float:
    r"""The slope :math:`p` of the least-squares line through :math:`(\log N, \log \text{error})`:
    the error falls about like :math:`N^{p}` (:math:`p \approx -1` means "ten times the units, a tenth
    of the error", :math:`p \approx -2` "a hundredth")."""
    n, e = paired_vectors(n_units, errors, ("n_units", "errors"))
    if np.any(n <= 0) or np.any(e <= 0):
        raise ValueError("n_units and errors must be positive (their logarithms are taken)")
    return float(fit_line(np.log(n), np.log(e)).w)


# ---------------------------------------------------------------------------------------------
# gradient descent on every parameter


class Training(NamedTuple):
    """The result of :func:`train_curve`: the trained model, the loss before every step and after the
    last (``steps + 1`` numbers, fewer when training stopped early), and whether the loss blew up."""

    model: CurveModel
    losses: np.ndarray
    diverged: bool


def random_start(x_range: tuple[float, float], n_units: int, activation: str = "relu", seed: int = 0) -> CurveModel:
    r"""A random starting point for :func:`train_curve`: the weights :math:`w_i` and output weights
    :math:`c_i` of a fresh :class:`dlmath.nn.MLP` (He's or Xavier's scale, seeded), with the joints
    :math:`-b_i/w_i` drawn evenly at random over ``x_range`` (an MLP's biases start at 0, which would
    put every joint at :math:`x = 0`), and :math:`b = 0`."""
    activation = _activation(activation)
    n = _count(n_units, "n_units")
    lo, hi = _interval(x_range)
    net = MLP((1, n, 1), activation, output="identity", seed=seed)
    joints = np.random.default_rng(seed).uniform(lo, hi, size=n)
    w = net.params[0][0] / (hi - lo)  # MLP's scale is for inputs of size about 1
    return CurveModel(0.0, net.params[2][:, 0], -w * joints, w, activation)


def train_curve(x: ArrayLike, y: ArrayLike, start: CurveModel, optimizer: Optimizer, steps: int) -> Training:
    r"""Gradient descent on **every** parameter :math:`\boldsymbol\theta = (\mathbf{w}, \mathbf{b}, \mathbf{c}, b)`
    of the model, on the whole data set at each step (no mini-batches).

    The loss is the mean squared error :math:`L(\boldsymbol\theta) = \frac1n\sum_i (\hat y_i - y_i)^2`;
    its gradient comes from :meth:`dlmath.nn.MLP.loss_and_grads` (backpropagation) and each step is
    ``optimizer.step`` (e.g. :class:`dlmath.optim.Adam`). ``start`` is not changed. Training stops
    early, with ``diverged=True``, if the loss stops being a finite number.
    """
    if not isinstance(start, CurveModel):
        raise ValueError(f"start must be a CurveModel, got {type(start).__name__}")
    if not isinstance(optimizer, Optimizer):
        raise ValueError(f"optimizer must be one of dlmath.optim's optimizers, got {type(optimizer).__name__}")
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 0:
        raise ValueError(f"steps must be an integer >= 0, got {steps!r}")
    x, y = paired_vectors(x, y)
    X, Y = x[:, None], y[:, None]
    net = start.to_mlp()
    losses, diverged = [], False
    with np.errstate(over="ignore", invalid="ignore"):  # a blow-up is reported, not warned about
        for t in range(int(steps) + 1):
            try:  # the activations refuse non-finite input: that is how a blow-up shows itself here
                loss, grads = net.loss_and_grads(X, Y)
            except ValueError:
                diverged = True
                break
            if not np.isfinite(loss) or not all(np.all(np.isfinite(g)) for g in grads):
                diverged = True
                break
            losses.append(loss)
            if t < steps:
                optimizer.step(net.params, grads)
    model = start if diverged else CurveModel.from_mlp(net)
    return Training(model, np.array(losses), diverged)


# ---------------------------------------------------------------------------------------------
# two inputs


def cross(x1: ArrayLike, x2: ArrayLike, box: tuple[tuple[float, float], tuple[float, float]] = ((0.4, 0.6), (0.4, 0.6)),
          steepness: float = 100.0) -> np.ndarray:
    r"""A bump in :math:`x_1` plus a bump in :math:`x_2` (four sigmoid units, one layer):

    .. math:: \mathrm{bump}(x_1; \ell_1, r_1) + \mathrm{bump}(x_2; \ell_2, r_2),

    about 2 on the square ``box`` :math:`[\ell_1, r_1]\times[\ell_2, r_2]`, about 1 on the two strips
    through it (where only one input is inside its interval), about 0 elsewhere: a tower standing on a
    cross-shaped plateau. ``x1`` and ``x2`` are broadcast against each other.
    """
    (l1, r1), (l2, r2) = _interval(box[0], "box[0]"), _interval(box[1], "box[1]")
    x1, x2 = np.broadcast_arrays(np.asarray(x1, dtype=float), np.asarray(x2, dtype=float))
    return bump(x1, l1, r1, steepness) + bump(x2, l2, r2, steepness)


def tower(x1: ArrayLike, x2: ArrayLike, box: tuple[tuple[float, float], tuple[float, float]] = ((0.4, 0.6), (0.4, 0.6)),
          steepness: float = 100.0, threshold_steepness: float = 20.0) -> np.ndarray:
    r"""The cross of :func:`cross` passed through one more sigmoid neuron, a threshold at 1.5:

    .. math:: \sigma\bigl(v\,(\mathrm{cross}(x_1, x_2) - 1.5)\bigr),

    with :math:`v` = ``threshold_steepness``. Only the square, where the cross is about 2, is above the
    threshold: the plateau (about 1) is cut away and a single tower of height about 1 remains. That
    second neuron is a second layer.
    """
    v = _positive(threshold_steepness, "threshold_steepness")
    return sigmoid(v * (cross(x1, x2, box, steepness) - 1.5))
