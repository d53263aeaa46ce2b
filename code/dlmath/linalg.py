r"""Vectors and matrices: the few helpers Chapter 5's pictures and timings need.

NumPy itself is the library for vectors and matrices (``@``, ``np.dot``, ``np.linalg``); nothing here
wraps it. What this module adds:

* points of the plane as **rows** of an (m, 2) array, and the map :math:`\mathbf{x} \mapsto A\mathbf{x}`
  applied to all of them at once (:func:`apply_map`), with a grid to draw (:func:`grid_lines`);
* a layer's bend, :math:`\tanh(A\mathbf{x} + \mathbf{b})`, blended in from the identity (:func:`blend`);
* the facts about a 2×2 map that the chapter reads off (:func:`describe_map`) and the named maps of
  its explorer (:func:`preset_matrix`);
* :func:`median_time`, the timing used to compare a Python loop with one NumPy call.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from typing import Callable

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["PRESETS", "MapFacts", "apply_map", "blend", "describe_map", "grid_lines", "median_time", "preset_matrix"]


def _matrix2(A: ArrayLike, name: str = "A") -> np.ndarray:
    """``A`` as a finite 2×2 float array, or a ValueError naming it."""
    try:
        M = np.asarray(A, dtype=float)
    except (TypeError, ValueError) as err:
        raise ValueError(f"{name} must be a 2×2 matrix of numbers, got {A!r}") from err
    if M.shape != (2, 2):
        raise ValueError(f"{name} must be a 2×2 matrix, got shape {M.shape}")
    if not np.all(np.isfinite(M)):
        raise ValueError(f"{name} must hold finite numbers, got {M.tolist()}")
    return M


def _points(points: ArrayLike) -> np.ndarray:
    P = np.asarray(points, dtype=float)
    if P.ndim == 0 or P.shape[-1] != 2:
        raise ValueError(f"points must have shape (..., 2), one point of the plane per row, got shape {P.shape}")
    return P


def _vector2(b: ArrayLike | None, name: str = "b") -> np.ndarray:
    if b is None:
        return np.zeros(2)
    v = np.asarray(b, dtype=float)
    if v.shape != (2,) or not np.all(np.isfinite(v)):
        raise ValueError(f"{name} must be 2 finite numbers, got {b!r}")
    return v


def grid_lines(lim: float = 2.0, spacing: float = 0.5, samples: int = 2) -> np.ndarray:
    r"""The lines of a square grid on :math:`[-\text{lim}, \text{lim}]^2`, ready to be mapped and drawn.

    Returns an array of shape (lines, samples, 2): first the vertical lines :math:`x = c`, then the
    horizontal lines :math:`y = c`, for :math:`c = -\text{lim}, -\text{lim} + \text{spacing}, \ldots,
    \text{lim}`, each as ``samples`` points from one end to the other. The outermost lines are always
    at :math:`\pm\text{lim}`: when ``spacing`` does not fit a whole number of times into
    :math:`2\,\text{lim}`, the nearest spacing that does is used (``lim=2, spacing=0.75`` gives six
    lines 0.8 apart). Two points per line are enough for a linear map (it keeps lines straight); a
    bending map needs more.
    """
    if not (np.isfinite(lim) and lim > 0):
        raise ValueError(f"lim must be a positive number, got {lim!r}")
    if not (np.isfinite(spacing) and 0 < spacing <= lim):
        raise ValueError(f"spacing must be a positive number no larger than lim, got {spacing!r}")
    if isinstance(samples, bool) or not isinstance(samples, (int, np.integer)) or samples < 2:
        raise ValueError(f"samples must be an integer of at least 2, got {samples!r}")
    count = int(round(2 * lim / spacing)) + 1
    cs = np.linspace(-lim, lim, count)
    t = np.linspace(-lim, lim, samples)
    C, T = np.meshgrid(cs, t, indexing="ij")  # (count, samples)
    vertical = np.stack([C, T], axis=-1)
    horizontal = np.stack([T, C], axis=-1)
    return np.concatenate([vertical, horizontal])


def apply_map(A: ArrayLike, points: ArrayLike, b: ArrayLike | None = None) -> np.ndarray:
    r"""Send every point :math:`\mathbf{x}` of the plane to :math:`A\mathbf{x} + \mathbf{b}`.

    ``points`` holds one point per **row** (shape (..., 2)), as data matrices do. For a row
    :math:`\mathbf{x}^\top` the image :math:`(A\mathbf{x})^\top` is :math:`\mathbf{x}^\top A^\top`,
    so all points at once are ``points @ A.T + b``: the matrix multiplies from the right, transposed.

    Parameters
    ----------
    A : a 2×2 matrix of finite numbers.
    points : array of shape (..., 2).
    b : an optional shift, 2 numbers (default none).
    """
    return _points(points) @ _matrix2(A).T + _vector2(b)


def blend(A: ArrayLike, b: ArrayLike, points: ArrayLike, s: float) -> np.ndarray:
    r"""A step of the way from the identity to one layer of a network with a tanh activation:

    .. math:: (1 - s)\,\mathbf{x} + s\,\tanh(A\mathbf{x} + \mathbf{b}), \qquad 0 \le s \le 1 .

    At :math:`s = 0` every point stays where it is; at :math:`s = 1` it has moved to the layer's
    output. In between it moves along a straight line, so a grid can be watched as it bends.
    ``points`` holds one point per row (shape (..., 2)).
    """
    if isinstance(s, bool) or not isinstance(s, (int, float, np.integer, np.floating)) or not 0 <= s <= 1:
        raise ValueError(f"s must be a number from 0 to 1, got {s!r}")
    P = _points(points)
    return (1 - s) * P + s * np.tanh(apply_map(A, P, b))


@dataclass(frozen=True)
class MapFacts:
    """What a 2×2 matrix does to the plane.

    Attributes
    ----------
    det : the determinant :math:`ad - bc`: the factor by which every area is multiplied, negative
        when the map flips the plane over (a mirror image).
    rank : 2 for a map that keeps the plane a plane, 1 when it squashes it onto a line, 0 onto a point.
    symmetric : whether :math:`A = A^\\top`.
    eigenvalues, eigenvectors : for a symmetric matrix, its two eigenvalues in increasing order and the
        matching unit eigenvectors as the *columns* of a 2×2 array (``np.linalg.eigh``); ``None``
        otherwise.
    """

    det: float
    rank: int
    symmetric: bool
    eigenvalues: np.ndarray | None
    eigenvectors: np.ndarray | None

    @property
    def flat(self) -> bool:
        """True when the map squashes the plane flat (onto a line or a point): the determinant is 0."""
        return self.rank < 2


def describe_map(A: ArrayLike) -> MapFacts:
    r"""The determinant, rank and (for a symmetric matrix) eigenvectors of a 2×2 matrix ``A``.

    The rank decides "flat": a determinant computed in floating point may come out as a tiny
    non-zero number for a matrix that squashes the plane, while the rank (from the singular values,
    ``np.linalg.matrix_rank``) tolerates that rounding. A flat map's determinant is reported as 0.
    """
    M = _matrix2(A)
    rank = int(np.linalg.matrix_rank(M))
    det = float(np.linalg.det(M)) if rank == 2 else 0.0
    symmetric = bool(np.isclose(M[0, 1], M[1, 0], rtol=1e-12, atol=1e-12))
    if symmetric:
        values, vectors = np.linalg.eigh(M)
        return MapFacts(det, rank, True, values, vectors)
    return MapFacts(det, rank, False, None, None)


#: The named maps of the chapter's explorer, each a function of an amount from 0 (the identity) to 1.
PRESETS = ("rotate", "stretch", "shear", "flip", "squash")


def preset_matrix(name: str, amount: float) -> np.ndarray:
    r"""The 2×2 matrix of a named map, ``amount`` of the way from the identity (0) to its full effect (1).

    * ``rotate``: a turn by :math:`\phi = 90°\cdot\text{amount}`,
      :math:`\begin{pmatrix}\cos\phi & -\sin\phi\\ \sin\phi & \cos\phi\end{pmatrix}` (a quarter turn at 1);
    * ``stretch``: :math:`\operatorname{diag}(1 + \text{amount}, 1)` (twice as wide at 1);
    * ``shear``: :math:`\begin{pmatrix}1 & \text{amount}\\ 0 & 1\end{pmatrix}` (slanted, same area);
    * ``flip``: :math:`\operatorname{diag}(1 - 2\,\text{amount}, 1)` (flat at 0.5, a mirror image at 1);
    * ``squash``: :math:`(1-\text{amount})\,I + \text{amount}\,\tfrac12\begin{pmatrix}1&1\\1&1\end{pmatrix}`
      (onto the line :math:`y = x` at 1).
    """
    if name not in PRESETS:
        raise ValueError(f"name must be one of {PRESETS}, got {name!r}")
    if isinstance(amount, bool) or not isinstance(amount, (int, float, np.integer, np.floating)) or not 0 <= amount <= 1:
        raise ValueError(f"amount must be a number from 0 to 1, got {amount!r}")
    a = float(amount)
    if name == "rotate":
        phi = np.pi / 2 * a
        c, s = np.cos(phi), np.sin(phi)
        if a == 1:
            c, s = 0.0, 1.0  # exactly a quarter turn (cos 90° is not exactly 0 in floating point)
        return np.array([[c, -s], [s, c]])
    if name == "stretch":
        return np.array([[1 + a, 0.0], [0.0, 1.0]])
    if name == "shear":
        return np.array([[1.0, a], [0.0, 1.0]])
    if name == "flip":
        return np.array([[1 - 2 * a, 0.0], [0.0, 1.0]])
    return (1 - a) * np.eye(2) + a * np.full((2, 2), 0.5)


def median_time(fn: Callable[[], object], *, repeats: int = 5, number: int = 1) -> float:
    """Seconds one call of ``fn()`` takes: the median over ``repeats`` timings of ``number`` calls each.

    The median, not the mean or the minimum, because a busy machine now and then delays a run: one
    slow repeat moves a mean a lot and a median hardly at all.
    """
    for arg, value in (("repeats", repeats), ("number", number)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{arg} must be a positive integer, got {value!r}")
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        times.append((time.perf_counter() - start) / number)
    return statistics.median(times)
