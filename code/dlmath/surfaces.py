r"""Surfaces :math:`z = f(x, y)` for Chapter 2: a bowl, a saddle and a hill, each with its exact
gradient and Hessian, and the tangent plane (the linear approximation in two variables).

Every function reads its point from the **last axis** (``p[..., 0]`` is :math:`x`, ``p[..., 1]`` is
:math:`y`), the convention of :func:`dlmath.calculus.gradient`, so a whole grid is evaluated in one
call: ``bowl(np.stack([X, Y], axis=-1))``. Gradients come back shaped like ``p``; Hessians with two
extra axes, ``(..., 2, 2)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from . import calculus

__all__ = [
    "BOWL",
    "HILL",
    "SADDLE",
    "SURFACES",
    "Plane",
    "Surface",
    "bowl",
    "bowl_gradient",
    "bowl_hessian",
    "hill",
    "hill_gradient",
    "hill_hessian",
    "linear_approximation_error",
    "saddle",
    "saddle_gradient",
    "saddle_hessian",
    "tangent_plane",
]

Field = Callable[[np.ndarray], np.ndarray]


def _xy(p: ArrayLike, name: str = "p") -> tuple[np.ndarray, np.ndarray]:
    """Split points of shape (..., 2) into their x and y coordinates."""
    try:
        arr = np.asarray(p, dtype=float)
    except (TypeError, ValueError) as err:
        raise ValueError(f"{name} must be an array of points (x, y), got {p!r}") from err
    if arr.ndim == 0 or arr.shape[-1] != 2:
        raise ValueError(f"{name} must have 2 coordinates (x, y) on its last axis, got shape {arr.shape}")
    return arr[..., 0], arr[..., 1]


def _matrix(a: ArrayLike, b: ArrayLike, c: ArrayLike) -> np.ndarray:
    """The symmetric 2x2 matrices [[a, b], [b, c]], stacked on two new last axes."""
    a, b, c = np.broadcast_arrays(a, b, c)
    return np.stack([np.stack([a, b], axis=-1), np.stack([b, c], axis=-1)], axis=-2)


# ---------------------------------------------------------------------------------------------
# a bowl: one lowest point, every slice a parabola opening upwards


def bowl(p: ArrayLike) -> np.ndarray:
    r"""A bowl (a valley with one lowest point): :math:`f(x, y) = x^2 + 2y^2`, lowest value 0 at the origin.

    Its level curves are ellipses; at the same distance from the bottom it is twice as steep northwards
    as eastwards (:math:`\partial f/\partial y = 4y` against :math:`\partial f/\partial x = 2x`).
    """
    x, y = _xy(p)
    return x**2 + 2 * y**2


def bowl_gradient(p: ArrayLike) -> np.ndarray:
    r""":math:`\nabla f = (\partial f/\partial x,\ \partial f/\partial y) = (2x,\ 4y)`, shaped like ``p``."""
    x, y = _xy(p)
    return np.stack([2 * x, 4 * y], axis=-1)


def bowl_hessian(p: ArrayLike) -> np.ndarray:
    r"""The second derivatives :math:`\begin{pmatrix} 2 & 0 \\ 0 & 4 \end{pmatrix}`, the same at every point."""
    x, _ = _xy(p)
    return _matrix(np.full_like(x, 2.0), np.zeros_like(x), np.full_like(x, 4.0))


# ---------------------------------------------------------------------------------------------
# a saddle: a mountain pass, up along x and down along y


def saddle(p: ArrayLike) -> np.ndarray:
    r"""A saddle (a mountain pass): :math:`f(x, y) = x^2 - y^2`.

    Along :math:`x` (the ridge) the origin is the lowest point, along :math:`y` (the road over the
    pass) the highest: it is flat there, but neither a top nor a bottom.
    """
    x, y = _xy(p)
    return x**2 - y**2


def saddle_gradient(p: ArrayLike) -> np.ndarray:
    r""":math:`\nabla f = (2x,\ -2y)`, shaped like ``p``."""
    x, y = _xy(p)
    return np.stack([2 * x, -2 * y], axis=-1)


def saddle_hessian(p: ArrayLike) -> np.ndarray:
    r""":math:`\begin{pmatrix} 2 & 0 \\ 0 & -2 \end{pmatrix}` everywhere: curving up one way, down the other."""
    x, _ = _xy(p)
    return _matrix(np.full_like(x, 2.0), np.zeros_like(x), np.full_like(x, -2.0))


# ---------------------------------------------------------------------------------------------
# a hill: smooth, not a quadratic, so linear approximations are never exact


def hill(p: ArrayLike) -> np.ndarray:
    r"""A hill of height 3 at the origin: :math:`f(x, y) = 3\,e^{-(x^2 + 3y^2)/4}`.

    It is narrower north-south than east-west and flattens out to 0 far away.
    """
    x, y = _xy(p)
    with np.errstate(over="ignore"):  # far away x**2 may overflow to inf; exp(-inf) is the right 0
        return 3.0 * np.exp(-(x**2 + 3 * y**2) / 4)


def hill_gradient(p: ArrayLike) -> np.ndarray:
    r""":math:`\nabla f = f(x, y)\,\bigl(-x/2,\ -3y/2\bigr)` (chain rule on the exponential), shaped like ``p``."""
    x, y = _xy(p)
    z = hill(p)
    # Far away z underflows to 0 while x may be huge: 0 * x is still 0, as it should be.
    return np.stack([-z * x / 2, -1.5 * z * y], axis=-1)


def hill_hessian(p: ArrayLike) -> np.ndarray:
    r"""The second derivatives :math:`f(x, y) \begin{pmatrix} x^2/4 - 1/2 & 3xy/4 \\ 3xy/4 & 9y^2/4 - 3/2 \end{pmatrix}`."""
    x, y = _xy(p)
    z = hill(p)
    with np.errstate(over="ignore", invalid="ignore"):
        h = _matrix(z * (x**2 / 4 - 0.5), z * 0.75 * x * y, z * (2.25 * y**2 - 1.5))
    return np.where(z[..., None, None] > 0, h, 0.0)  # 0 * inf far away: the hill is flat there


# ---------------------------------------------------------------------------------------------
# the three surfaces as objects, for figures and loops


@dataclass(frozen=True)
class Surface:
    """A surface with its formula (for legends), its exact gradient and Hessian."""

    name: str
    formula: str
    f: Field
    gradient: Field
    hessian: Field


BOWL = Surface("bowl", "x² + 2y²", bowl, bowl_gradient, bowl_hessian)
SADDLE = Surface("saddle", "x² − y²", saddle, saddle_gradient, saddle_hessian)
HILL = Surface("hill", "3·exp(−(x² + 3y²)/4)", hill, hill_gradient, hill_hessian)
SURFACES = {s.name: s for s in (BOWL, SADDLE, HILL)}


# ---------------------------------------------------------------------------------------------
# the tangent plane: the linear approximation in two variables


class Plane(NamedTuple):
    r"""The plane through :math:`(p_0, z_0)` with slopes ``slopes`` (the gradient); call it to evaluate it.

    .. math:: z(p) = z_0 + \nabla f(p_0) \cdot (p - p_0)
    """

    p0: np.ndarray
    z0: float
    slopes: np.ndarray

    def __call__(self, p: ArrayLike) -> np.ndarray:
        """Evaluate the plane at points of shape (..., 2)."""
        x, y = _xy(p)
        return self.z0 + self.slopes[0] * (x - self.p0[0]) + self.slopes[1] * (y - self.p0[1])


def tangent_plane(f: Field, p0: ArrayLike, grad: Field | None = None) -> Plane:
    r"""The tangent plane to :math:`z = f(x, y)` at ``p0``: :math:`z_0 + \nabla f(p_0)\cdot(p - p_0)`.

    Near ``p0`` it is the linear approximation :math:`f(p_0 + \Delta) \approx f(p_0) +
    \tfrac{\partial f}{\partial x}\Delta x + \tfrac{\partial f}{\partial y}\Delta y`. The slopes come
    from ``grad`` when given, else from central differences (:func:`dlmath.calculus.gradient`).
    """
    if not callable(f):
        raise ValueError(f"f must be a callable function, got {type(f).__name__}")
    x0, y0 = _xy(p0, "p0")
    if x0.ndim != 0 or not (np.isfinite(x0) and np.isfinite(y0)):
        raise ValueError(f"p0 must be one finite point (x, y), got {p0!r}")
    point = np.array([float(x0), float(y0)])
    if grad is None:
        slopes = calculus.gradient(f, point)
    else:
        if not callable(grad):
            raise ValueError(f"grad must be a callable function, got {type(grad).__name__}")
        slopes = np.asarray(grad(point), dtype=float)
    return Plane(point, float(f(point)), np.asarray(slopes, dtype=float).reshape(2))


def linear_approximation_error(f: Field, grad: Field, p0: ArrayLike, delta: ArrayLike) -> np.ndarray:
    r"""How far the tangent plane at ``p0`` misses the surface after a step ``delta``:

    .. math:: f(p_0 + \Delta) - \bigl(f(p_0) + \nabla f(p_0) \cdot \Delta\bigr).

    ``delta`` has shape (..., 2) (many steps at once); the result has shape (...). For small steps it
    is about :math:`\tfrac12 \Delta^\top H \Delta`, so it shrinks like :math:`|\Delta|^2`.
    """
    x0, y0 = _xy(p0, "p0")
    if x0.ndim != 0:
        raise ValueError(f"p0 must be one point (x, y), got shape {np.shape(p0)}")
    dx, dy = _xy(delta, "delta")
    point = np.array([float(x0), float(y0)])
    g = np.asarray(grad(point), dtype=float)
    moved = np.stack([point[0] + dx, point[1] + dy], axis=-1)
    # Subtract f(p0) before adding the linear part: for tiny steps both sides are close to f(p0).
    return (np.asarray(f(moved), dtype=float) - float(f(point))) - (g[0] * dx + g[1] * dy)
