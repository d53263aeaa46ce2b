"""Derivatives by finite differences: slopes of secants, tangents, partials and gradients.

Every function here is pure: arrays in, arrays out. Functions ``f`` of one variable are expected to
work element-wise on NumPy arrays (``np.sin``, ``lambda x: x**2`` ...). A function of several variables
may be written for one point, the way one writes it on paper (``lambda v: v[0]**2 + 3*v[1]``, as
``scipy.optimize.approx_fprime`` expects), or to read its coordinates from the **last axis** of its
argument (``lambda p: p[..., 0]**2 + 3*p[..., 1]``), which returns one value per leading index. The
second style lets :func:`gradient`, :func:`partial` and :func:`hessian` evaluate every nudged point in
a single call; for the first they fall back to one call per point (see :func:`values_at`).
"""

from __future__ import annotations

from typing import Callable, NamedTuple

import numpy as np
from numpy.typing import ArrayLike

__all__ = [
    "METHODS",
    "Line",
    "default_step",
    "derivative",
    "difference_errors",
    "gradient",
    "hessian",
    "partial",
    "secant_slope",
    "tangent_line",
    "values_at",
]

METHODS = ("forward", "backward", "central")

_EPS = np.finfo(float).eps


class Line(NamedTuple):
    """The straight line through ``(x0, y0)`` with slope ``slope``; call it to evaluate it."""

    x0: float
    y0: float
    slope: float

    def __call__(self, x: ArrayLike) -> np.ndarray:
        """Return :math:`y_0 + \\text{slope}\\,(x - x_0)`."""
        return self.y0 + self.slope * (np.asarray(x, dtype=float) - self.x0)


# ---------------------------------------------------------------------------------------------
# input checks (shared by every public function)


def _check_callable(f: object, name: str = "f") -> None:
    if not callable(f):
        raise ValueError(f"{name} must be a callable function, got {type(f).__name__}")


def _check_finite_array(x: ArrayLike, name: str = "x") -> np.ndarray:
    try:
        arr = np.asarray(x, dtype=float)
    except (TypeError, ValueError) as err:
        raise ValueError(f"{name} must be a real number or an array of them, got {x!r}") from err
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite (no inf or nan), got {x!r}")
    return arr


def _check_step(h: ArrayLike, name: str = "h") -> np.ndarray:
    try:
        arr = np.asarray(h, dtype=float)
    except (TypeError, ValueError) as err:
        raise ValueError(f"{name} must be a positive number, got {h!r}") from err
    if not np.all(np.isfinite(arr)) or np.any(arr <= 0):
        raise ValueError(f"{name} must be positive and finite, got {h!r}")
    return arr


def _check_method(method: str) -> None:
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")


def _scalar_or_array(arr: np.ndarray) -> float | np.ndarray:
    return float(arr) if arr.ndim == 0 else arr


# ---------------------------------------------------------------------------------------------
# one variable


def default_step(x: ArrayLike, method: str = "central") -> np.ndarray:
    r"""A step size that balances truncation error against rounding error.

    The forward difference has truncation error :math:`\tfrac{h}{2}|f''|` and rounding error about
    :math:`\varepsilon |f| / h`; their sum is smallest near :math:`h = \sqrt{\varepsilon} \approx
    1.5\times10^{-8}`. The central difference's truncation error is :math:`\tfrac{h^2}{6}|f'''|`, so
    the balance moves to :math:`h = \varepsilon^{1/3} \approx 6\times10^{-6}`. Both are scaled by
    :math:`\max(1, |x|)` because rounding is relative to the size of ``x``.
    """
    _check_method(method)
    scale = np.maximum(1.0, np.abs(np.asarray(x, dtype=float)))
    power = 1 / 3 if method == "central" else 1 / 2
    return _EPS**power * scale


def derivative(
    f: Callable[[np.ndarray], ArrayLike],
    x: ArrayLike,
    h: ArrayLike | None = None,
    method: str = "central",
) -> float | np.ndarray:
    r"""Estimate :math:`f'(x)` with a finite difference.

    .. math::

        \text{forward: } \frac{f(x+h) - f(x)}{h}, \qquad
        \text{backward: } \frac{f(x) - f(x-h)}{h}, \qquad
        \text{central: } \frac{f(x+h) - f(x-h)}{2h}.

    Parameters
    ----------
    f : callable
        A function of one variable that works element-wise on arrays.
    x : float or array
        Where to take the derivative; an array gives one derivative per element.
    h : float or array, optional
        The step, positive. Defaults to :func:`default_step` for the method.
    method : {"central", "forward", "backward"}

    Returns
    -------
    float or ndarray
        A float for scalar ``x``, otherwise an array shaped like ``x``.
    """
    _check_callable(f)
    _check_method(method)
    x_arr = _check_finite_array(x)
    h_arr = default_step(x_arr, method) if h is None else _check_step(h)
    with np.errstate(over="ignore"):
        lo = x_arr if method == "forward" else x_arr - h_arr
        hi = x_arr if method == "backward" else x_arr + h_arr
        # Within a step of the largest float, x +- h overflows: step the other way there instead
        # (a forward difference becomes a backward one, a central one becomes one-sided).
        over_hi, over_lo = ~np.isfinite(hi), ~np.isfinite(lo)
        if np.any(over_hi | over_lo):
            hi, lo = np.where(over_hi, x_arr, hi), np.where(over_lo, x_arr, lo)
            if method == "forward":
                lo = np.where(over_hi, x_arr - h_arr, lo)
            elif method == "backward":
                hi = np.where(over_lo, x_arr + h_arr, hi)
    # Divide by the distance between the points actually used: (x + h) - x can differ from h by
    # rounding, and dividing by the true distance removes that error.
    span = hi - lo
    if np.any(span == 0):
        raise ValueError(f"h is too small to move x in floating point (x + h == x); got h={h!r}")
    with np.errstate(all="ignore"):
        slope = (np.asarray(f(hi), dtype=float) - np.asarray(f(lo), dtype=float)) / span
    return _scalar_or_array(np.asarray(slope, dtype=float))


def secant_slope(f: Callable[[np.ndarray], ArrayLike], x0: ArrayLike, h: ArrayLike) -> float | np.ndarray:
    r"""Slope of the secant through :math:`(x_0, f(x_0))` and :math:`(x_0+h, f(x_0+h))`.

    .. math:: \frac{f(x_0 + h) - f(x_0)}{h}

    ``h`` may be negative: then the second point lies to the left of :math:`x_0` (a backward
    difference). Where ``f`` has a derivative, the slopes from both sides tend to :math:`f'(x_0)` as
    ``h`` shrinks: that limit *is* the derivative. At a kink such as :math:`|x|` at 0 they tend to
    different numbers (-1 from the left, +1 from the right), and there is no derivative.
    """
    _check_callable(f)
    x_arr = _check_finite_array(x0, "x0")
    try:
        h_arr = np.asarray(h, dtype=float)
    except (TypeError, ValueError) as err:
        raise ValueError(f"h must be a nonzero number, got {h!r}") from err
    if not np.all(np.isfinite(h_arr)) or np.any(h_arr == 0):
        raise ValueError(f"h must be nonzero and finite, got {h!r}")
    size = np.abs(h_arr)
    right = derivative(f, x_arr, h=size, method="forward")
    if np.all(h_arr > 0):
        return right
    left = derivative(f, x_arr, h=size, method="backward")
    return _scalar_or_array(np.where(h_arr > 0, right, left))


def tangent_line(
    f: Callable[[np.ndarray], ArrayLike],
    x0: float,
    dfdx: Callable[[np.ndarray], ArrayLike] | None = None,
) -> Line:
    r"""The tangent to ``f`` at ``x0``: :math:`y = f(x_0) + f'(x_0)(x - x_0)`.

    Near ``x0`` it is the linear approximation :math:`f(x_0 + \Delta x) \approx f(x_0) +
    f'(x_0)\,\Delta x`. The slope comes from ``dfdx`` when given, else from a central difference.
    """
    _check_callable(f)
    x_arr = _check_finite_array(x0, "x0")
    if x_arr.ndim != 0:
        raise ValueError(f"x0 must be a single number, got an array of shape {x_arr.shape}")
    if dfdx is None:
        slope = derivative(f, x_arr)
    else:
        _check_callable(dfdx, "dfdx")
        slope = float(np.asarray(dfdx(x_arr), dtype=float))
    return Line(float(x_arr), float(np.asarray(f(x_arr), dtype=float)), float(slope))


def difference_errors(
    f: Callable[[np.ndarray], ArrayLike],
    dfdx: Callable[[np.ndarray], ArrayLike],
    x0: float,
    hs: ArrayLike,
    method: str = "central",
) -> np.ndarray:
    r"""Absolute error :math:`|D_h f(x_0) - f'(x_0)|` of a difference quotient, for each step in ``hs``.

    Plotted against ``h`` on log-log axes it shows the two errors at war: truncation error falls
    with ``h`` (slope 1 for forward, 2 for central) while rounding error grows like
    :math:`\varepsilon/h`.
    """
    _check_callable(dfdx, "dfdx")
    h_arr = _check_step(hs, "hs")
    x_arr = _check_finite_array(x0, "x0")
    estimates = derivative(f, np.broadcast_to(x_arr, h_arr.shape), h=h_arr, method=method)
    return np.abs(np.asarray(estimates) - float(np.asarray(dfdx(x_arr), dtype=float)))


# ---------------------------------------------------------------------------------------------
# several variables


def _check_point(x: ArrayLike) -> np.ndarray:
    arr = _check_finite_array(x)
    if arr.ndim == 0 or arr.shape[-1] == 0:
        raise ValueError(f"x must hold at least one coordinate on its last axis, got shape {arr.shape}")
    return arr


def values_at(f: Callable[[np.ndarray], ArrayLike], points: ArrayLike) -> np.ndarray:
    r"""``f`` at every point of ``points`` (coordinates on the last axis): one value per point.

    ``f`` may be written for a whole stack of points, reading its coordinates from the last axis
    (``lambda p: p[..., 0]**2 + 3*p[..., 1]``), or for one point only, the way one writes it on paper
    (``lambda v: v[0]**2 + 3*v[1]``). The fast way is tried first: one call with every point. If that
    call fails, or does not return exactly one value per point, ``f`` is called once per point
    instead. Nothing is ever broadcast or reshaped to fit. A function written for one point indexes
    the *first* axis, so for a stack it returns an error, one number for the whole stack, or shape
    ``points.shape[1:]``; that answer is thrown away. ``points.shape[1:]`` equals the expected
    ``points.shape[:-1]`` only when every axis has the same length (``n`` points of ``n``
    coordinates): such a stack is first flattened to one point per row and, if that is square too,
    given one extra copy of its first point, so the two styles can be told apart; the extra value is
    dropped. Each call gets its own copy of the points, so ``f`` cannot move them.

    .. warning::

       Only the *shape* of the answer is checked. A function that mixes the points of a stack and
       still returns one value per point cannot be detected and gives wrong values silently: for
       example ``lambda v: v @ w - np.mean(v)``, written for one point, returns shape ``(m,)`` for
       ``m`` stacked points, but its mean runs over all of them. Write such a function for the last
       axis (``np.mean(p, axis=-1)``), or call it yourself once per point.

    Parameters
    ----------
    f : callable
        A function of one point, in either style.
    points : array of shape (..., n)

    Returns
    -------
    ndarray of shape ``points.shape[:-1]``.

    Raises
    ------
    ValueError
        If ``f`` does not return one real number for one point of shape ``(n,)``.
    """
    _check_callable(f)
    pts = np.asarray(points, dtype=float)
    if pts.ndim == 0:
        raise ValueError(f"points must hold coordinates on a last axis, got shape {pts.shape}")
    expected = pts.shape[:-1]
    trial, extra = pts, 0
    if pts.ndim > 1 and pts.shape[1:] == expected:
        # Every axis the same length: "one value per point" and "the first axis indexed" would give
        # the same shape. One point per row, plus a copy of the first if still square, separates them.
        trial = pts.reshape(-1, pts.shape[-1])
        if trial.shape[0] == trial.shape[1]:
            trial, extra = np.concatenate([trial, trial[:1]]), 1
    with np.errstate(all="ignore"):
        try:
            answer = f(trial.copy())
            values = np.asarray(answer, dtype=float)
        except Exception as err:  # noqa: BLE001 - f written for one point fails on a stack in many ways
            stacked = f"raised {type(err).__name__}: {err}"
        else:
            if answer is not None and values.shape == trial.shape[:-1]:  # None would become nan
                return values[: len(values) - extra].reshape(expected) if trial is not pts else values
            stacked = f"returned shape {values.shape}"
        # Written for one point: one call per point, each checked to give exactly one number.
        flat = pts.reshape(-1, pts.shape[-1])
        out = np.empty(len(flat))
        for k, point in enumerate(flat):
            value = f(point.copy())
            try:
                if value is None:
                    raise TypeError("None is not a number")
                arr = np.asarray(value, dtype=float)
            except (TypeError, ValueError) as err:
                raise ValueError(f"f must return a real number for one point, got {value!r}") from err
            if arr.shape != ():
                raise ValueError(
                    f"f must return one number per point: given one point of shape {point.shape} it "
                    f"returned shape {arr.shape} (given all {len(flat)} points stacked, of shape "
                    f"{pts.shape}, it {stacked})"
                )
            out[k] = arr
    return out.reshape(expected)


def gradient(f: Callable[[np.ndarray], ArrayLike], x: ArrayLike, h: float | None = None) -> np.ndarray:
    r"""The gradient :math:`\nabla f(x) = (\partial f/\partial x_1, \dots, \partial f/\partial x_n)`.

    Each partial derivative is a central difference along one axis,

    .. math:: \frac{\partial f}{\partial x_i} \approx \frac{f(x + h e_i) - f(x - h e_i)}{2h},

    so there are :math:`2n` nudged points. If ``f`` reads its coordinates from the last axis they are
    all evaluated in **one** call of ``f``; otherwise one call per point (:func:`values_at`).

    Parameters
    ----------
    f : callable
        A function of one point ``v`` of shape ``(n,)`` returning one number (``v[0]**2 + 3*v[1]``),
        or, faster, one that reads coordinates from the last axis: ``f(p)`` with ``p`` of shape
        ``(..., n)`` returns shape ``(...)`` (``p[..., 0]**2 + 3*p[..., 1]``).
    x : array of shape (n,) or (..., n)
        One point, or many points (the gradient is then taken at each).
    h : float, optional
        The step; defaults to :func:`default_step` for central differences, scaled per point.

    Returns
    -------
    ndarray shaped like ``x``.
    """
    _check_callable(f)
    x_arr = _check_point(x)
    n = x_arr.shape[-1]
    if h is None:
        steps = default_step(np.max(np.abs(x_arr), axis=-1, keepdims=True))  # (..., 1)
    else:
        steps = _check_step(h)
    eye = np.eye(n)
    nudges = np.concatenate([eye, -eye])  # (2n, n): +e_1..+e_n, then -e_1..-e_n
    base = np.broadcast_to(x_arr[..., None, :], x_arr.shape[:-1] + (2 * n, n))
    with np.errstate(over="ignore"):
        points = base + steps[..., None] * nudges  # (..., 2n, n)
    # Within a step of the largest float a nudge overflows: keep that coordinate (one-sided there).
    points = np.where(np.isfinite(points), points, base)
    # Divide by the representable distance between the two sample points (see derivative()).
    span = np.take(points, range(n), axis=-2) - np.take(points, range(n, 2 * n), axis=-2)
    span = np.diagonal(span, axis1=-2, axis2=-1)  # (..., n)
    values = values_at(f, points)  # (..., 2n)
    return (values[..., :n] - values[..., n:]) / span


def partial(f: Callable[[np.ndarray], ArrayLike], x: ArrayLike, i: int, h: float | None = None) -> float | np.ndarray:
    r"""The partial derivative :math:`\partial f / \partial x_i` at ``x``: move input ``i`` only.

    .. math:: \frac{\partial f}{\partial x_i}(x) \approx \frac{f(x + h e_i) - f(x - h e_i)}{2h}

    ``f`` may be written in either style of :func:`gradient`.
    """
    _check_callable(f)
    x_arr = _check_point(x)
    n = x_arr.shape[-1]
    if isinstance(i, bool) or not isinstance(i, (int, np.integer)) or not -n <= i < n:
        raise ValueError(f"i must be an integer index from 0 to {n - 1}, got {i!r}")

    def along_axis(t: np.ndarray) -> np.ndarray:
        moved = np.array(np.broadcast_to(x_arr, t.shape + (n,)), dtype=float)
        moved[..., i] = t
        return values_at(f, moved)

    # A one-variable function of coordinate i; its derivative is the partial.
    return derivative(along_axis, x_arr[..., i], h=h)


def _second_difference_offsets(n: int) -> tuple[np.ndarray, np.ndarray]:
    """The stencil of :func:`hessian` in units of the step, and the index pairs (i, j), i < j."""
    eye = np.eye(n)
    pairs = np.array([(i, j) for i in range(n) for j in range(i + 1, n)], dtype=int).reshape(-1, 2)
    mixed = [sign_i * eye[i] + sign_j * eye[j] for i, j in pairs for sign_i, sign_j in ((1, 1), (1, -1), (-1, 1), (-1, -1))]
    offsets = np.concatenate([np.zeros((1, n)), eye, -eye, np.reshape(mixed, (-1, n))])
    return offsets, pairs


def hessian(f: Callable[[np.ndarray], ArrayLike], x: ArrayLike, h: float | None = None) -> np.ndarray:
    r"""The Hessian: the matrix :math:`H` of second partial derivatives, :math:`H_{ij} = \partial^2 f/\partial x_i \partial x_j`.

    Second differences, the two-variable form of :math:`f''(x) \approx (f(x+h) - 2f(x) + f(x-h))/h^2`:

    .. math::

        H_{ii} \approx \frac{f(x + h e_i) - 2 f(x) + f(x - h e_i)}{h^2}, \qquad
        H_{ij} \approx \frac{f(x + h e_i + h e_j) - f(x + h e_i - h e_j)
                             - f(x - h e_i + h e_j) + f(x - h e_i - h e_j)}{4 h^2}.

    Both are exact for quadratics (up to rounding) and their truncation error shrinks like
    :math:`h^2`, while the rounding error grows like :math:`\varepsilon |f| / h^2`; the two balance
    near :math:`h = \varepsilon^{1/4} \approx 1.2\times10^{-4}`, the default (times
    :math:`\max(1, |x|)`). The :math:`2n^2 + 1` points are evaluated in one call of ``f`` when it
    reads its coordinates from the last axis, otherwise one call per point (:func:`values_at`).
    The result is symmetric by construction, :math:`H_{ij} = H_{ji}`.

    Parameters
    ----------
    f : callable
        A function of one point, in either style of :func:`gradient`.
    x : array of shape (n,) or (..., n)
        One point, or many points (the Hessian is then taken at each).
    h : float, optional
        The step, positive.

    Returns
    -------
    ndarray of shape ``x.shape + (n,)``: one ``(n, n)`` matrix per point.
    """
    _check_callable(f)
    x_arr = _check_point(x)
    n = x_arr.shape[-1]
    if h is None:
        steps = _EPS**0.25 * np.maximum(1.0, np.max(np.abs(x_arr), axis=-1, keepdims=True))  # (..., 1)
    else:
        steps = _check_step(h)
    offsets, pairs = _second_difference_offsets(n)
    with np.errstate(over="ignore"):
        points = x_arr[..., None, :] + steps[..., None] * offsets  # (..., 2n² + 1, n)
        # The distance actually moved along each axis, as the floats x + h and x - h hold it.
        reach = ((x_arr + steps) - (x_arr - steps)) / 2  # (..., n)
    if not np.all(np.isfinite(points)):
        raise ValueError("x is too large for second differences: x + h overflows the largest float")
    if np.any(reach == 0):
        raise ValueError(f"h is too small to move x in floating point (x + h == x); got h={h!r}")
    values = values_at(f, points)
    center, plus, minus = values[..., 0], values[..., 1 : n + 1], values[..., n + 1 : 2 * n + 1]
    H = np.zeros(x_arr.shape + (n,))
    idx = np.arange(n)
    H[..., idx, idx] = (plus - 2 * center[..., None] + minus) / reach**2
    if len(pairs):
        corners = values[..., 2 * n + 1 :].reshape(values.shape[:-1] + (len(pairs), 4))
        pp, pm, mp, mm = (corners[..., k] for k in range(4))
        i, j = pairs[:, 0], pairs[:, 1]
        mixed = (pp - pm - mp + mm) / (4 * reach[..., i] * reach[..., j])
        H[..., i, j] = mixed
        H[..., j, i] = mixed
    return H
