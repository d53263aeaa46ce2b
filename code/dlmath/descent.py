"""Gradient descent: walk downhill in small steps, with a learning rate and momentum.

Every function here is pure: arrays in, arrays out. A run never crashes or warns when the learning
rate is too large: the walk is stopped as soon as it leaves the finite numbers (or a ball of radius
``blowup``), the offending point is dropped, and the result says ``diverged=True``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, NamedTuple

import numpy as np
from numpy.typing import ArrayLike

__all__ = [
    "BLOWUP",
    "DescentResult",
    "MomentumTuning",
    "QuadraticThresholds",
    "contraction_factor",
    "double_well",
    "double_well_slope",
    "gradient_descent",
    "gradient_descent_lockstep",
    "heavy_ball_tuning",
    "HIMMELBLAU_MINIMA",
    "himmelblau",
    "himmelblau_gradient",
    "learning_rate_regime",
    "momentum_matrix",
    "quadratic_thresholds",
    "narrow_valley",
    "narrow_valley_gradient",
    "narrow_valley_hessian",
]

Schedule = Callable[[int], float]

#: A walk farther than this from the origin is stopped and reported as diverged (the default ``blowup``).
BLOWUP = 1e8


# ---------------------------------------------------------------------------------------------
# input checks


def _positive(value: float, name: str, allow_zero: bool = False) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError) as err:
        raise ValueError(f"{name} must be a number, got {value!r}") from err
    if not np.isfinite(number) or number < 0 or (number == 0 and not allow_zero):
        kind = "non-negative" if allow_zero else "positive"
        raise ValueError(f"{name} must be a {kind} finite number, got {value!r}")
    return number


def _count(value: int, name: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def _finite_array(x: ArrayLike, name: str, ndims: tuple[int, ...]) -> np.ndarray:
    try:
        arr = np.array(x, dtype=float)  # a copy: the caller's array is never shared
    except (TypeError, ValueError) as err:
        raise ValueError(f"{name} must be a number or an array of numbers, got {x!r}") from err
    if arr.ndim not in ndims or arr.size == 0:
        axes = " or ".join(map(str, ndims))
        raise ValueError(f"{name} must be a non-empty array with {axes} axes, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite (no inf or nan), got {x!r}")
    return arr


def _check_functions(grad: object, f: object, schedule: object) -> None:
    if not callable(grad):
        raise ValueError(f"grad must be a callable function, got {type(grad).__name__}")
    if f is not None and not callable(f):
        raise ValueError(f"f must be a callable function or None, got {type(f).__name__}")
    if schedule is not None and not callable(schedule):
        raise ValueError(f"schedule must be a callable t -> multiplier or None, got {schedule!r}")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _frozen(arr: np.ndarray) -> np.ndarray:
    arr.setflags(write=False)  # results are read-only so that a figure cannot change them by accident
    return arr


# ---------------------------------------------------------------------------------------------
# gradient descent


@dataclass(frozen=True, eq=False)
class DescentResult:
    """The walk of gradient descent.

    ``path`` has one row per iterate, ``x0`` first: shape ``(steps + 1, n)``, or ``(steps + 1,)`` for a
    scalar ``x0``. ``values`` holds ``f`` along the path (``None`` if no ``f`` was given). ``steps`` counts
    the updates kept in ``path``; an update that diverged is dropped and not counted.
    """

    path: np.ndarray
    values: np.ndarray | None
    converged: bool
    diverged: bool
    steps: int

    @property
    def message(self) -> str:
        if self.converged:
            return f"converged in {_plural(self.steps, 'step')}"
        if self.diverged:
            return f"diverged after {_plural(self.steps, 'step')}"
        return f"stopped after {_plural(self.steps, 'step')} without converging"


def gradient_descent(
    grad: Callable[[np.ndarray], ArrayLike],
    x0: ArrayLike,
    lr: float,
    *,
    f: Callable[[np.ndarray], ArrayLike] | None = None,
    steps: int = 1000,
    tol: float = 1e-5,
    momentum: float = 0.0,
    schedule: Schedule | None = None,
    blowup: float = BLOWUP,
) -> DescentResult:
    r"""Minimise a function by stepping against its gradient.

    Plain gradient descent (``momentum=0``) and heavy-ball momentum :math:`\beta`:

    .. math::

        \mathbf{v}_{t+1} = \beta\, \mathbf{v}_t + \nabla f(\mathbf{x}_t), \qquad
        \mathbf{x}_{t+1} = \mathbf{x}_t - \eta_t\, \mathbf{v}_{t+1},
        \qquad \mathbf{v}_0 = 0, \qquad \eta_t = \eta \cdot \text{schedule}(t).

    With :math:`\beta = 0` this is :math:`\mathbf{x}_{t+1} = \mathbf{x}_t - \eta_t \nabla f(\mathbf{x}_t)`.

    Parameters
    ----------
    grad : callable
        ``grad(x)`` returns :math:`\nabla f(x)`, shaped like ``x``.
    x0 : float or array of shape (n,)
        The starting point.
    lr : float
        The learning rate :math:`\eta > 0`.
    f : callable, optional
        The function itself; only used to record ``values`` along the path.
    steps : int
        The most updates to make.
    tol : float
        Stop (converged) as soon as :math:`\lVert \nabla f(\mathbf{x}_t) \rVert \le` ``tol``.
    momentum : float
        :math:`\beta` in :math:`[0, 1)`.
    schedule : callable, optional
        ``schedule(t)`` is a positive **multiplier** of ``lr`` at update ``t = 0, 1, ...``, e.g.
        :func:`dlmath.optim.inverse_time_decay` or :func:`dlmath.optim.exponential_decay`. ``None`` keeps ``lr`` constant.
    blowup : float
        Stop (diverged) when :math:`\lVert \mathbf{x}_t \rVert` exceeds this, or anything becomes inf or nan.

    Returns
    -------
    DescentResult
    """
    _check_functions(grad, f, schedule)
    x = _finite_array(x0, "x0", (0, 1))
    lr = _positive(lr, "lr")
    steps = _count(steps, "steps", 0)
    tol = _positive(tol, "tol", allow_zero=True)
    beta = _positive(momentum, "momentum", allow_zero=True)
    if beta >= 1:
        raise ValueError(f"momentum must lie in [0, 1), got {momentum!r}")
    blowup = _positive(blowup, "blowup")

    def grad_at(point: np.ndarray) -> np.ndarray:
        g = np.asarray(grad(point), dtype=float)
        if g.shape != x.shape:
            raise ValueError(f"grad must return an array shaped like x0 {x.shape}, got shape {g.shape}")
        return g

    def value_at(point: np.ndarray) -> float:
        value = np.asarray(f(point), dtype=float)
        if value.size != 1:
            raise ValueError(f"f must return a single number, got shape {value.shape}")
        return float(value.reshape(()))

    # Huge (but finite) iterates may overflow inside grad or f; we detect that afterwards instead.
    with np.errstate(all="ignore"):
        g = grad_at(x)
        if not np.all(np.isfinite(g)):
            raise ValueError("grad must return finite values at x0")
        path, values = [x], [value_at(x)] if f is not None else None
        velocity = np.zeros_like(x)
        diverged = False
        for t in range(steps):
            if np.linalg.norm(g) <= tol:
                break
            eta = lr if schedule is None else lr * float(schedule(t))
            if not (np.isfinite(eta) and eta > 0):
                raise ValueError(f"schedule({t}) must give a positive finite multiplier, got {eta / lr!r}")
            velocity = beta * velocity + g
            x = x - eta * velocity
            if not np.all(np.isfinite(x)) or np.linalg.norm(x) > blowup:
                diverged = True
                break
            g = grad_at(x)
            fx = value_at(x) if f is not None else 0.0  # 0.0: no f, nothing to check
            if not (np.all(np.isfinite(g)) and np.isfinite(fx)):
                diverged = True
                break
            path.append(x)
            if values is not None:
                values.append(fx)
        converged = not diverged and bool(np.linalg.norm(g) <= tol)
    return DescentResult(
        path=_frozen(np.array(path)),
        values=None if values is None else _frozen(np.array(values)),
        converged=converged,
        diverged=diverged,
        steps=len(path) - 1,
    )


def _rates(value: ArrayLike, name: str, *, below_one: bool = False) -> np.ndarray:
    """One number or a 1-D array of numbers, each positive (``below_one``: each in [0, 1))."""
    try:
        arr = np.array(value, dtype=float)
    except (TypeError, ValueError) as err:
        raise ValueError(f"{name} must be a number or a 1-D array of numbers, got {value!r}") from err
    if arr.ndim > 1 or arr.size == 0:
        raise ValueError(f"{name} must be a number or a non-empty 1-D array, got shape {arr.shape}")
    flat = arr.reshape(-1)
    for v in flat:
        _positive(v, name, allow_zero=below_one)
    if below_one and np.any(flat >= 1):
        raise ValueError(f"{name} must lie in [0, 1), got {value!r}")
    return flat


def gradient_descent_lockstep(
    grad: Callable[[np.ndarray], ArrayLike],
    x0: ArrayLike,
    lr: ArrayLike,
    *,
    f: Callable[[np.ndarray], ArrayLike] | None = None,
    steps: int = 1000,
    tol: float = 1e-5,
    momentum: ArrayLike = 0.0,
    schedule: Schedule | None = None,
    blowup: float = BLOWUP,
) -> list[DescentResult]:
    r"""Many walks of :func:`gradient_descent` at once, in lock-step: update ``t`` of every walk that
    is still going is computed in one vectorised call of ``grad``.

    This is what makes it cheap to precompute every frame of a slider (or a whole grid of starting
    points): thousands of steps of dozens of walks cost about as much as the steps of one walk.
    Each walk stops on its own rule (converged, diverged or out of steps) exactly as in
    :func:`gradient_descent`, and gives the same :class:`DescentResult`. Memory grows like
    (steps of the slowest walk) × (number of walks) × n numbers.

    Parameters
    ----------
    grad : callable
        ``grad(X)`` takes an array of shape ``(m, n)`` (one point per row) and returns the gradients
        at all of them, the same shape. (``f`` likewise returns ``m`` values.) Functions that read
        their coordinates from the last axis, such as :func:`narrow_valley_gradient`, do this already.
    x0 : array of shape (n,) or (m, n)
        One start shared by every walk, or one start per walk. For a function of one variable use
        shape ``(m, 1)``.
    lr, momentum : float or array of shape (m,)
        One learning rate (momentum) for every walk, or one per walk.
    f, steps, tol, schedule, blowup :
        As in :func:`gradient_descent`; the schedule is shared by all walks.

    Returns
    -------
    list of DescentResult
        One per walk; ``path`` has shape ``(steps + 1, n)``.
    """
    _check_functions(grad, f, schedule)
    starts = _finite_array(x0, "x0", (1, 2))
    rates, betas = _rates(lr, "lr"), _rates(momentum, "momentum", below_one=True)
    steps = _count(steps, "steps", 0)
    tol = _positive(tol, "tol", allow_zero=True)
    blowup = _positive(blowup, "blowup")
    sizes = {"x0": starts.shape[0] if starts.ndim == 2 else 1, "lr": rates.size, "momentum": betas.size}
    m = max(sizes.values())
    for name, size in sizes.items():
        if size not in (1, m):
            raise ValueError(f"{name} must hold 1 or {m} entries (one per walk), got {size}")
    n = starts.shape[-1]
    x = np.array(np.broadcast_to(starts.reshape(-1, n), (m, n)))
    rates, betas = np.broadcast_to(rates, (m,)), np.broadcast_to(betas, (m,))

    def grad_at(points: np.ndarray) -> np.ndarray:
        g = np.asarray(grad(points), dtype=float)
        if g.shape != points.shape:
            raise ValueError(f"grad must return an array shaped like its input {points.shape}, got shape {g.shape}")
        return g

    def values_at(points: np.ndarray) -> np.ndarray:
        values = np.asarray(f(points), dtype=float)
        if values.shape != (len(points),):
            raise ValueError(f"f must return one number per row, shape ({len(points)},), got shape {values.shape}")
        return values

    def norms(a: np.ndarray) -> np.ndarray:
        return np.sqrt(np.sum(a * a, axis=-1))

    with np.errstate(all="ignore"):  # overflow is detected below, as in gradient_descent
        g = grad_at(x)
        if not np.all(np.isfinite(g)):
            raise ValueError("grad must return finite values at x0")
        # One snapshot of every walk per step, kept only as long as some walk is still going (a
        # stopped walk's row goes stale, and is never read past its own last step).
        snapshots = [x.copy()]
        values = [values_at(x)] if f is not None else None
        velocity = np.zeros_like(x)
        kept = np.zeros(m, dtype=int)  # updates kept per walk
        diverged = np.zeros(m, dtype=bool)
        going = np.ones(m, dtype=bool)
        for t in range(steps):
            going &= norms(g) > tol
            walks = np.flatnonzero(going)
            if walks.size == 0:
                break
            multiplier = 1.0 if schedule is None else float(schedule(t))
            eta = rates[walks] * multiplier
            if not (np.isfinite(multiplier) and multiplier > 0 and np.all(np.isfinite(eta))):
                raise ValueError(f"schedule({t}) must give a positive finite multiplier, got {multiplier!r}")
            velocity[walks] = betas[walks, None] * velocity[walks] + g[walks]
            new = x[walks] - eta[:, None] * velocity[walks]
            ok = np.all(np.isfinite(new), axis=-1) & (norms(new) <= blowup)
            new_g = grad_at(new[ok])
            new_f = values_at(new[ok]) if f is not None else np.zeros(int(ok.sum()))
            fine = np.all(np.isfinite(new_g), axis=-1) & np.isfinite(new_f)
            survivors = walks[ok][fine]
            lost = np.concatenate([walks[~ok], walks[ok][~fine]])
            diverged[lost], going[lost] = True, False
            x[survivors], g[survivors] = new[ok][fine], new_g[fine]
            snapshots.append(x.copy())
            if values is not None:
                row = values[-1].copy()
                row[survivors] = new_f[fine]
                values.append(row)
            kept[survivors] = t + 1
        path = np.stack(snapshots)
        values = None if values is None else np.stack(values)
        converged = ~diverged & (norms(g) <= tol)
    return [
        DescentResult(
            path=_frozen(path[: kept[i] + 1, i].copy()),
            values=None if values is None else _frozen(values[: kept[i] + 1, i].copy()),
            converged=bool(converged[i]),
            diverged=bool(diverged[i]),
            steps=int(kept[i]),
        )
        for i in range(m)
    ]


# ---------------------------------------------------------------------------------------------
# quadratic bowls and the narrow valley


class QuadraticThresholds(NamedTuple):
    r"""Learning-rate landmarks for :math:`f(x) = \tfrac12 x^\top H x` (any bowl, near its bottom)."""

    l_min: float  #: smallest eigenvalue of H (flattest direction)
    l_max: float  #: largest eigenvalue of H (steepest direction)
    best_lr: float  #: 2 / (l_min + l_max): fastest constant rate overall
    diverge_lr: float  #: 2 / l_max: at or above this the walk does not converge
    fastest_1d: float  #: 1 / l_max: one step to the bottom along the steepest direction


def quadratic_thresholds(hessian: ArrayLike) -> QuadraticThresholds:
    r"""Where gradient descent on a quadratic crawls, races, zig-zags or blows up.

    Along an eigenvector with eigenvalue :math:`\lambda` one step multiplies the distance to the
    minimum by :math:`1 - \eta\lambda`, so the walk converges iff :math:`|1 - \eta\lambda| < 1` for every
    :math:`\lambda`, i.e. :math:`\eta < 2/\lambda_{\max}`; the worst factor is smallest at
    :math:`\eta = 2/(\lambda_{\min} + \lambda_{\max})`.
    """
    h = _finite_array(hessian, "hessian", (2,))
    if h.shape[0] != h.shape[1]:
        raise ValueError(f"hessian must be a square matrix, got shape {h.shape}")
    if not np.allclose(h, h.T, rtol=1e-10, atol=1e-12):
        raise ValueError("hessian must be symmetric")
    eig = np.linalg.eigvalsh(h)
    l_min, l_max = float(eig[0]), float(eig[-1])
    if l_min <= 0:
        raise ValueError(f"hessian must be positive definite (a bowl), its smallest eigenvalue is {l_min}")
    return QuadraticThresholds(l_min, l_max, 2 / (l_min + l_max), 2 / l_max, 1 / l_max)


def learning_rate_regime(lr: float, hessian: ArrayLike) -> str:
    r"""What a constant learning rate does on the bowl :math:`\tfrac12 x^\top H x`, in one or two words.

    With :math:`\lambda_{\min} \le \lambda_{\max}` the eigenvalues of ``hessian`` (for
    :math:`f = a x^2` pass ``[[2 * a]]``):

    - ``"creeps"``: :math:`\eta \le 1/\lambda_{\max}`, no step overshoots the bottom;
    - ``"fastest"``: :math:`\eta = 2/(\lambda_{\min} + \lambda_{\max})`, the best constant rate
      (in one dimension :math:`1/L`: one step lands on the bottom);
    - ``"oscillates"``: otherwise below :math:`2/\lambda_{\max}`, overshooting along the steepest direction
      but landing closer each time;
    - ``"on the edge"``: :math:`\eta = 2/\lambda_{\max}`, bouncing for ever;
    - ``"diverges"``: :math:`\eta > 2/\lambda_{\max}`.

    "Equal" means within a relative :math:`10^{-9}`, so a slider can hold the landmarks exactly.
    """
    lr = _positive(lr, "lr")
    t = quadratic_thresholds(hessian)

    def at(landmark: float) -> bool:
        return abs(lr - landmark) <= 1e-9 * landmark

    if at(t.best_lr):
        return "fastest"
    if at(t.diverge_lr):
        return "on the edge"
    if lr <= t.fastest_1d:
        return "creeps"
    return "oscillates" if lr < t.diverge_lr else "diverges"


def momentum_matrix(lr: float, curvature: float, momentum: float) -> np.ndarray:
    r"""The :math:`2\times 2` matrix by which one heavy-ball step multiplies (offset now, offset before).

    Along a direction of curvature :math:`\lambda` the offset :math:`e_t` from the bottom obeys
    :math:`e_{t+1} = (1 + \beta - \eta\lambda)\, e_t - \beta\, e_{t-1}` (eliminate the velocity from
    :math:`v_{t+1} = \beta v_t + \lambda e_t`, :math:`e_{t+1} = e_t - \eta v_{t+1}`), that is

    .. math::

        \begin{pmatrix} e_{t+1} \\ e_t \end{pmatrix}
        = \begin{pmatrix} 1 + \beta - \eta\lambda & -\beta \\ 1 & 0 \end{pmatrix}
        \begin{pmatrix} e_t \\ e_{t-1} \end{pmatrix}.

    Its eigenvalues :math:`\mu` are the roots of :math:`\mu^2 - (1 + \beta - \eta\lambda)\mu + \beta`; their
    product (the determinant) is :math:`\beta`. With :math:`\beta = 0` it reduces to the factor
    :math:`1 - \eta\lambda` of plain gradient descent.
    """
    lr = _positive(lr, "lr")
    beta = _positive(momentum, "momentum", allow_zero=True)
    if beta >= 1:
        raise ValueError(f"momentum must lie in [0, 1), got {momentum!r}")
    try:
        lam = float(curvature)
    except (TypeError, ValueError) as err:
        raise ValueError(f"curvature must be a number, got {curvature!r}") from err
    if not np.isfinite(lam):
        raise ValueError(f"curvature must be finite, got {curvature!r}")
    return np.array([[1 + beta - lr * lam, -beta], [1.0, 0.0]])


def contraction_factor(lr: float, curvature: ArrayLike, momentum: float = 0.0) -> np.ndarray | float:
    r"""How much one step shrinks the distance to the bottom, along a direction of curvature :math:`\lambda`.

    Plain gradient descent multiplies that distance by :math:`1 - \eta\lambda`, so the factor is
    :math:`|1 - \eta\lambda|`. With momentum :math:`\beta` the pair (now, before) is multiplied by
    :math:`\begin{pmatrix} 1 + \beta - \eta\lambda & -\beta \\ 1 & 0 \end{pmatrix}`, and the factor is the
    larger size of its two eigenvalues :math:`\mu` (see :func:`momentum_matrix`), the roots of :math:`\mu^2 - (1 + \beta - \eta\lambda)\mu
    + \beta = 0`. Below 1 the walk converges along that direction; above 1 it blows up.

    ``curvature`` may be an array (e.g. all eigenvalues of a Hessian); the result has its shape.
    """
    lr = _positive(lr, "lr")
    beta = _positive(momentum, "momentum", allow_zero=True)
    if beta >= 1:
        raise ValueError(f"momentum must lie in [0, 1), got {momentum!r}")
    lam = np.asarray(curvature, dtype=float)
    if not np.all(np.isfinite(lam)):
        raise ValueError(f"curvature must be finite, got {curvature!r}")
    t = 1 + beta - lr * lam
    disc = t * t - 4 * beta
    # Real roots: the larger size is (|t| + sqrt(disc)) / 2. Complex roots: both have size sqrt(beta).
    factor = np.where(disc >= 0, (np.abs(t) + np.sqrt(np.maximum(disc, 0.0))) / 2, np.sqrt(beta))
    return float(factor) if factor.ndim == 0 else factor


class MomentumTuning(NamedTuple):
    """The best constant learning rate and momentum for a bowl, and the factor per step they give."""

    lr: float
    momentum: float
    factor: float


def heavy_ball_tuning(hessian: ArrayLike) -> MomentumTuning:
    r"""The learning rate and momentum that make heavy-ball momentum fastest on a bowl (Polyak, 1964).

    With :math:`\kappa = \lambda_{\max}/\lambda_{\min}`:

    .. math::

        \eta^\ast = \frac{4}{(\sqrt{\lambda_{\max}} + \sqrt{\lambda_{\min}})^2}, \qquad
        \beta^\ast = \Bigl(\frac{\sqrt\kappa - 1}{\sqrt\kappa + 1}\Bigr)^2, \qquad
        \text{factor} = \sqrt{\beta^\ast} = \frac{\sqrt\kappa - 1}{\sqrt\kappa + 1},

    against :math:`(\kappa - 1)/(\kappa + 1)` for the best plain step: a square root of the
    condition number instead of the condition number itself.
    """
    t = quadratic_thresholds(hessian)
    root_small, root_large = np.sqrt(t.l_min), np.sqrt(t.l_max)
    factor = float((root_large - root_small) / (root_large + root_small))
    return MomentumTuning(lr=float(4 / (root_large + root_small) ** 2), momentum=factor**2, factor=factor)


def _xy(p: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    arr = np.asarray(p, dtype=float)
    if arr.ndim == 0 or arr.shape[-1] != 2:
        raise ValueError(f"p must have 2 coordinates (x, y) on its last axis, got shape {arr.shape}")
    return arr[..., 0], arr[..., 1]


def narrow_valley(p: ArrayLike) -> np.ndarray:
    r""":math:`f(x, y) = (x + y - 3)^2 + (x + 2y - 5)^2 + 2`, smallest value 2 at :math:`(1, 2)`.

    Reads ``x = p[..., 0]`` and ``y = p[..., 1]``, so a whole grid is evaluated in one call.
    """
    x, y = _xy(p)
    return (x + y - 3) ** 2 + (x + 2 * y - 5) ** 2 + 2


def narrow_valley_gradient(p: ArrayLike) -> np.ndarray:
    r""":math:`\nabla f = \big(2(x+y-3) + 2(x+2y-5),\; 2(x+y-3) + 4(x+2y-5)\big)`, shaped like ``p``."""
    x, y = _xy(p)
    return np.stack([4 * x + 6 * y - 16, 6 * x + 10 * y - 26], axis=-1)


def narrow_valley_hessian() -> np.ndarray:
    r"""The Hessian of :func:`narrow_valley`, the same everywhere: :math:`\begin{pmatrix}4 & 6\\ 6 & 10
    \end{pmatrix}`."""
    return np.array([[4.0, 6.0], [6.0, 10.0]])


# ---------------------------------------------------------------------------------------------
# landscapes with several valleys


def double_well(x: ArrayLike) -> np.ndarray:
    r""":math:`f(x) = x^4 - 4x^2 + x`: two valleys, a deeper one near :math:`x \approx -1.47` and a
    shallower one near :math:`x \approx 1.35`, with a hump near :math:`x \approx 0.13` between them."""
    x = np.asarray(x, dtype=float)
    return x**4 - 4 * x**2 + x


def double_well_slope(x: ArrayLike) -> np.ndarray:
    r""":math:`f'(x) = 4x^3 - 8x + 1`."""
    x = np.asarray(x, dtype=float)
    return 4 * x**3 - 8 * x + 1


#: The four minima of :func:`himmelblau` (all with value 0), to 6 decimals.
HIMMELBLAU_MINIMA = np.array(
    [[3.0, 2.0], [-2.805118, 3.131312], [-3.779310, -3.283186], [3.584428, -1.848126]]
)
HIMMELBLAU_MINIMA.setflags(write=False)


def himmelblau(p: ArrayLike) -> np.ndarray:
    r"""Himmelblau's landscape :math:`f(x, y) = (x^2 + y - 11)^2 + (x + y^2 - 7)^2`: four valleys,
    all of depth 0 (see ``HIMMELBLAU_MINIMA``). Reads coordinates from the last axis."""
    x, y = _xy(p)
    return (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2


def himmelblau_gradient(p: ArrayLike) -> np.ndarray:
    r""":math:`\nabla f = \big(4x(x^2 + y - 11) + 2(x + y^2 - 7),\; 2(x^2 + y - 11) + 4y(x + y^2 - 7)\big)`."""
    x, y = _xy(p)
    a, b = x**2 + y - 11, x + y**2 - 7
    return np.stack([4 * x * a + 2 * b, 2 * a + 4 * y * b], axis=-1)
