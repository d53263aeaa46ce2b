"""Learning from many examples: update rules, mini-batches, learning-rate schedules.

**Update rules** turn gradients into steps: plain SGD, momentum, RMSProp and Adam.

Each optimizer is a small class with one method, ``step(params, grads)``, which updates a list of
NumPy arrays **in place** (as a network's weights are updated), following exactly the conventions of
PyTorch's ``torch.optim.SGD``, ``torch.optim.RMSprop`` and ``torch.optim.Adam`` with their other
options at their defaults, so that the same learning rate means the same thing here and there.

Notation (as in the book): learning rate :math:`\\eta` (``lr``), gradient :math:`g_t` at step
:math:`t = 1, 2, \\dots`, momentum :math:`\\beta`.

* ``SGD(lr, momentum=β)``: :math:`v_t = \\beta v_{t-1} + g_t` (with :math:`v_0 = 0`),
  :math:`p_t = p_{t-1} - \\eta v_t`. With :math:`\\beta = 0` this is plain gradient descent.
* ``RMSProp(lr, alpha=α, eps=ε)``: :math:`s_t = \\alpha s_{t-1} + (1-\\alpha) g_t^2`,
  :math:`p_t = p_{t-1} - \\eta\\, g_t / (\\sqrt{s_t} + \\varepsilon)` — every coordinate's step is
  divided by a running size of its own gradient.
* ``Adam(lr, beta1=β₁, beta2=β₂, eps=ε)``: :math:`m_t = \\beta_1 m_{t-1} + (1-\\beta_1) g_t`,
  :math:`s_t = \\beta_2 s_{t-1} + (1-\\beta_2) g_t^2`, bias-corrected
  :math:`\\hat m_t = m_t/(1-\\beta_1^t)`, :math:`\\hat s_t = s_t/(1-\\beta_2^t)`, and
  :math:`p_t = p_{t-1} - \\eta\\, \\hat m_t / (\\sqrt{\\hat s_t} + \\varepsilon)`.

The state (momentum buffers, running averages, the step count) is zero on construction and after
``reset()``; it is created on the first ``step`` with the shapes of the parameters it is given.
:func:`minimize` runs any of them on a function whose gradient is known.

**Mini-batches** (:func:`minibatches`): every epoch shuffles the ``n`` examples afresh and cuts them into
:math:`\\lceil n/B \\rceil` batches. **Schedules** (:func:`inverse_time_decay`, :func:`exponential_decay`)
are callables ``t -> multiplier`` of the learning rate at update ``t``. :func:`sgd_least_squares` fits a
linear model by mini-batch SGD, many walks at once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np
from numpy.typing import ArrayLike

from .descent import BLOWUP, DescentResult

__all__ = [
    "Adam",
    "Optimizer",
    "RMSProp",
    "SGD",
    "SGDResult",
    "Schedule",
    "batches_per_epoch",
    "exponential_decay",
    "inverse_time_decay",
    "minibatches",
    "minimize",
    "sgd_least_squares",
]

#: A learning-rate schedule: update ``t = 0, 1, ...`` -> multiplier of the learning rate.
Schedule = Callable[[int], float]


def _rate(value: float, name: str) -> float:
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, got {value!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}")
    return value


def _fraction(value: float, name: str) -> float:
    """A decay factor: a number in [0, 1)."""
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number in [0, 1), got {value!r}") from None
    if not 0.0 <= value < 1.0:
        raise ValueError(f"{name} must be in [0, 1), got {value!r}")
    return value


class Optimizer:
    """The shared part: argument checks, the step count and the state's life cycle."""

    lr: float
    t: int
    #: True when each number's update depends only on its own gradient and state, so one step on the
    #: parameters laid end to end in a single array is the same step (:func:`dlmath.nn.train` uses this).
    elementwise: bool = False

    def __init__(self, lr: float) -> None:
        self.lr = _rate(lr, "lr")
        self.reset()

    def reset(self) -> None:
        """Forget everything learned about past gradients (as if newly constructed)."""
        self.t = 0
        self._state: list[dict[str, np.ndarray]] | None = None

    def _check(self, params: Sequence[np.ndarray], grads: Sequence[np.ndarray]) -> list[np.ndarray]:
        if len(params) != len(grads):
            raise ValueError(f"params and grads must have the same length, got {len(params)} and {len(grads)}")
        if not len(params):
            raise ValueError("params must hold at least one array")
        checked = []
        for k, (p, g) in enumerate(zip(params, grads)):
            if not isinstance(p, np.ndarray) or p.dtype.kind != "f" or not p.flags.writeable:
                raise ValueError(f"params[{k}] must be a writeable floating-point NumPy array (it is updated in place)")
            g = np.asarray(g, dtype=p.dtype)
            if g.shape != p.shape:
                raise ValueError(f"grads[{k}] must have the shape of params[{k}], {p.shape}, got {g.shape}")
            checked.append(g)
        if self._state is None:
            self._state = [self._new_state(p) for p in params]
        elif [s["shape"] for s in self._state] != [p.shape for p in params]:
            raise ValueError("params changed shape since the last step; call reset() for new parameters")
        return checked

    def _fits(self, params: Sequence[np.ndarray]) -> bool:
        """Whether :meth:`step` takes arrays of these shapes: it has no state yet, or state for these shapes."""
        return self._state is None or [s["shape"] for s in self._state] == [p.shape for p in params]

    def _new_state(self, p: np.ndarray) -> dict:
        return {"shape": p.shape}

    def step(self, params: Sequence[np.ndarray], grads: Sequence[np.ndarray]) -> None:
        """Update every array of ``params`` in place, using the matching array of ``grads``."""
        checked = self._check(params, grads)
        self.t += 1
        for p, g, state in zip(params, checked, self._state):
            self._update(p, g, state)

    def _step_trusted(self, params: Sequence[np.ndarray], grads: Sequence[np.ndarray]) -> None:
        """:meth:`step` without the argument checks, for a caller (such as :func:`dlmath.nn.train`) that
        has already passed these same ``params`` through :meth:`step` once and makes ``grads`` of their
        shapes and dtype itself."""
        if self._state is None:  # never checked: take the checked path
            self.step(params, grads)
            return
        self.t += 1
        for p, g, state in zip(params, grads, self._state):
            self._update(p, g, state)

    def _update(self, p: np.ndarray, g: np.ndarray, state: dict) -> None:  # pragma: no cover
        raise NotImplementedError

    def __repr__(self) -> str:
        options = ", ".join(f"{k}={v!r}" for k, v in vars(self).items() if not k.startswith("_") and k != "t")
        return f"{type(self).__name__}({options})"


class SGD(Optimizer):
    """Gradient descent with optional momentum, as ``torch.optim.SGD``.

    :math:`v_t = \\beta v_{t-1} + g_t`, :math:`p_t = p_{t-1} - \\eta v_t` (:math:`v_0 = 0`).
    """

    elementwise = True

    def __init__(self, lr: float, momentum: float = 0.0) -> None:
        self.momentum = _fraction(momentum, "momentum")
        super().__init__(lr)

    def _new_state(self, p: np.ndarray) -> dict:
        return {"shape": p.shape, "velocity": np.zeros_like(p)}

    def _update(self, p: np.ndarray, g: np.ndarray, state: dict) -> None:
        if self.momentum == 0.0:
            p -= self.lr * g
            return
        v = state["velocity"]
        v *= self.momentum
        v += g
        p -= self.lr * v


class RMSProp(Optimizer):
    """Per-coordinate step sizes from a running mean of squared gradients, as ``torch.optim.RMSprop``.

    :math:`s_t = \\alpha s_{t-1} + (1-\\alpha) g_t^2`, :math:`p_t = p_{t-1} - \\eta g_t/(\\sqrt{s_t} + \\varepsilon)`.
    """

    elementwise = True

    def __init__(self, lr: float = 0.01, alpha: float = 0.99, eps: float = 1e-8) -> None:
        self.alpha = _fraction(alpha, "alpha")
        self.eps = _rate(eps, "eps")
        super().__init__(lr)

    def _new_state(self, p: np.ndarray) -> dict:
        return {"shape": p.shape, "square_avg": np.zeros_like(p)}

    def _update(self, p: np.ndarray, g: np.ndarray, state: dict) -> None:
        s = state["square_avg"]
        s *= self.alpha
        s += (1.0 - self.alpha) * g * g
        p -= self.lr * g / (np.sqrt(s) + self.eps)


class Adam(Optimizer):
    """Momentum plus per-coordinate step sizes, bias-corrected, as ``torch.optim.Adam``.

    :math:`m_t = \\beta_1 m_{t-1} + (1-\\beta_1) g_t`, :math:`s_t = \\beta_2 s_{t-1} + (1-\\beta_2) g_t^2`,
    :math:`p_t = p_{t-1} - \\eta\\,\\dfrac{m_t/(1-\\beta_1^t)}{\\sqrt{s_t/(1-\\beta_2^t)} + \\varepsilon}`.
    """

    elementwise = True

    def __init__(self, lr: float = 0.001, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8) -> None:
        self.beta1 = _fraction(beta1, "beta1")
        self.beta2 = _fraction(beta2, "beta2")
        self.eps = _rate(eps, "eps")
        super().__init__(lr)

    def _new_state(self, p: np.ndarray) -> dict:
        return {"shape": p.shape, "m": np.zeros_like(p), "s": np.zeros_like(p)}

    def _update(self, p: np.ndarray, g: np.ndarray, state: dict) -> None:
        m, s = state["m"], state["s"]
        m *= self.beta1
        m += (1.0 - self.beta1) * g
        s *= self.beta2
        s += (1.0 - self.beta2) * g * g
        # The same arithmetic order as PyTorch: divide sqrt(s) by sqrt(1 - β2^t), add ε, and scale the
        # step by η / (1 - β1^t).
        bias1 = 1.0 - self.beta1**self.t
        bias2 = 1.0 - self.beta2**self.t
        denom = np.sqrt(s) / math.sqrt(bias2) + self.eps
        p -= (self.lr / bias1) * (m / denom)


# ---------------------------------------------------------------------------------------------
# running an optimizer on a function


def _frozen(arr: np.ndarray) -> np.ndarray:
    arr.setflags(write=False)
    return arr


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _count(value: int, name: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def minimize(
    grad: Callable[[np.ndarray], ArrayLike],
    x0: ArrayLike,
    optimizer: Optimizer,
    *,
    steps: int = 1000,
    tol: float = 1e-5,
    blowup: float = BLOWUP,
) -> DescentResult:
    r"""Walk from ``x0`` with ``optimizer`` until :math:`\lVert\nabla f\rVert \le` ``tol``, ``steps`` run out,
    or the walk leaves the finite numbers (or a ball of radius ``blowup``: ``diverged``).

    The optimizer is ``reset()`` first, so one object can be used for several walks. The result is a
    :class:`dlmath.descent.DescentResult` (``values`` is ``None``), the same bookkeeping as
    :func:`dlmath.descent.gradient_descent`, with which ``SGD(lr, momentum=β)`` agrees step for step.
    """
    if not callable(grad):
        raise ValueError(f"grad must be a callable function, got {type(grad).__name__}")
    if not isinstance(optimizer, Optimizer):
        raise ValueError(f"optimizer must be one of dlmath.optim's optimizers (SGD, RMSProp, Adam), got {optimizer!r}")
    try:
        x = np.array(x0, dtype=float).reshape(-1)
    except (TypeError, ValueError) as err:
        raise ValueError(f"x0 must be a number or a 1-D array of numbers, got {x0!r}") from err
    if x.size == 0 or not np.all(np.isfinite(x)) or np.ndim(x0) > 1:
        raise ValueError(f"x0 must be a non-empty 1-D array of finite numbers, got {x0!r}")
    steps = _count(steps, "steps", 0)
    tol = float(tol)
    if not (math.isfinite(tol) and tol >= 0):
        raise ValueError(f"tol must be a finite number >= 0, got {tol!r}")
    blowup = _rate(blowup, "blowup")
    optimizer.reset()
    path = [x.copy()]
    diverged = False
    with np.errstate(all="ignore"):  # a walk that blows up is detected below, not warned about
        g = np.asarray(grad(x), dtype=float)
        if g.shape != x.shape or not np.all(np.isfinite(g)):
            raise ValueError(f"grad must return finite values shaped like x0 {x.shape}, got {g!r}")
        for _ in range(steps):
            if math.sqrt(float(g @ g)) <= tol:
                break
            optimizer.step([x], [g])
            if not np.all(np.isfinite(x)) or math.sqrt(float(x @ x)) > blowup:
                diverged = True
                break
            g = np.asarray(grad(x), dtype=float)
            if not np.all(np.isfinite(g)):
                diverged = True
                break
            path.append(x.copy())
        converged = not diverged and math.sqrt(float(g @ g)) <= tol
    return DescentResult(path=_frozen(np.array(path)), values=None, converged=converged, diverged=diverged,
                         steps=len(path) - 1)


# ---------------------------------------------------------------------------------------------
# learning-rate schedules: callables t -> multiplier of the learning rate at update t = 0, 1, ...


def inverse_time_decay(decay: float) -> Schedule:
    r"""Schedule :math:`t \mapsto 1/(1 + \gamma\,t)`, so :math:`\eta_t = \eta/(1 + \gamma\,t)`, with the decay
    rate :math:`\gamma` = ``decay``.

    For :math:`\gamma > 0` it meets both conditions of Robbins and Monro: the steps still add up to
    infinity, :math:`\sum_t \eta_t = \infty` (like :math:`1 + \frac12 + \frac13 + \dots`), so the walk
    can reach any distance, while their squares add up to a finite number,
    :math:`\sum_t \eta_t^2 < \infty` (like :math:`1 + \frac14 + \frac19 + \dots`), so the noise the
    steps carry stays bounded. :math:`\gamma = 0` keeps the rate constant.
    """
    try:
        d = float(decay)
    except (TypeError, ValueError):
        raise ValueError(f"decay must be a number >= 0, got {decay!r}") from None
    if not (math.isfinite(d) and d >= 0):
        raise ValueError(f"decay must be a finite number >= 0, got {decay!r}")
    return lambda t: 1.0 / (1.0 + d * t)


def exponential_decay(rate: float) -> Schedule:
    r"""Schedule :math:`t \mapsto r^t` with :math:`0 < r \le 1`: the step shrinks by the factor ``rate``
    at every update. For :math:`r < 1` the steps add up to only :math:`\eta/(1 - r)`, so on a bowl the
    walk stops short of the bottom (the offset keeps the factor :math:`\prod_t (1 - \eta_t\lambda)`, which stays away from zero unless a factor is exactly zero)."""
    try:
        r = float(rate)
    except (TypeError, ValueError):
        raise ValueError(f"rate must be a number in (0, 1], got {rate!r}") from None
    if not 0.0 < r <= 1.0:
        raise ValueError(f"rate must lie in (0, 1], got {rate!r}")
    return lambda t: r**t


# ---------------------------------------------------------------------------------------------
# mini-batches


def batches_per_epoch(n: int, batch_size: int) -> int:
    r"""How many batches (and updates) one epoch over ``n`` examples takes: :math:`\lceil n/B \rceil`.

    Raises ``ValueError`` unless :math:`1 \le B \le n`."""
    n = _count(n, "n", 1)
    batch_size = _count(batch_size, "batch_size", 1)
    if batch_size > n:
        raise ValueError(f"batch_size must be at most n = {n}, got {batch_size}")
    return -(-n // batch_size)


def _epoch_batches(order: np.ndarray, batch_size: int) -> list[np.ndarray]:
    return [order[..., start : start + batch_size] for start in range(0, order.shape[-1], batch_size)]


def minibatches(n: int, batch_size: int, *, epochs: int = 1, seed: int = 0) -> list[np.ndarray]:
    r"""Index arrays of the mini-batches for ``epochs`` passes over ``n`` examples.

    Each epoch shuffles ``0 .. n-1`` afresh (one ``np.random.default_rng(seed)`` for the whole call)
    and cuts it into :math:`\lceil n / B \rceil` batches of ``batch_size`` :math:`B`; the last one
    holds what is left over and may be smaller. Every example is used exactly once per epoch. The list
    is flat: epoch ``e`` owns the batches ``[e * per_epoch : (e + 1) * per_epoch]``.
    """
    batch_size = _count(batch_size, "batch_size", 1)
    batches_per_epoch(n, batch_size)  # checks n and 1 <= batch_size <= n
    epochs = _count(epochs, "epochs", 1)
    rng = np.random.default_rng(seed)
    batches: list[np.ndarray] = []
    for _ in range(epochs):
        batches.extend(_epoch_batches(rng.permutation(n), batch_size))
    return batches


# ---------------------------------------------------------------------------------------------
# mini-batch SGD on a linear least-squares fit


@dataclass(frozen=True, eq=False)
class SGDResult:
    """One walk of mini-batch SGD: ``path[i]`` are the parameters after ``i`` updates (the start first)
    and ``losses[i]`` the loss on all the data there; ``epochs`` full passes and ``updates`` updates
    were made."""

    path: np.ndarray
    losses: np.ndarray
    epochs: int
    updates: int
    batches_per_epoch: int
    diverged: bool

    @property
    def theta(self) -> np.ndarray:
        """The parameters at the end of the walk."""
        return self.path[-1]

    @property
    def message(self) -> str:
        done = f"{_plural(self.updates, 'update')}, {_plural(self.epochs, 'full epoch')}"
        return f"diverged after {done}" if self.diverged else f"finished {done}"


def _data(X: ArrayLike, y: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    try:
        X = np.array(X, dtype=float)
        y = np.array(y, dtype=float)
    except (TypeError, ValueError) as err:
        raise ValueError(f"X and y must be arrays of numbers: {err}") from None
    if X.ndim != 2 or X.size == 0 or not np.all(np.isfinite(X)):
        raise ValueError(f"X must be a non-empty 2-D array of finite numbers (rows are examples), got shape {X.shape}")
    if y.shape != (X.shape[0],) or not np.all(np.isfinite(y)):
        raise ValueError(f"y must hold one finite value per row of X, shape ({X.shape[0]},), got shape {y.shape}")
    return X, y


def sgd_least_squares(
    X: ArrayLike,
    y: ArrayLike,
    lr: float | ArrayLike,
    *,
    batch_size: int,
    epochs: int,
    seed: int = 0,
    theta0: ArrayLike | None = None,
    schedule: Schedule | None = None,
    blowup: float = BLOWUP,
) -> SGDResult | list[SGDResult]:
    r"""Fit :math:`X\boldsymbol\theta \approx \mathbf y` by mini-batch SGD on the mean squared error.

    The loss is Chapter 6's :math:`L(\boldsymbol\theta) = \frac1n\lVert X\boldsymbol\theta - \mathbf y\rVert^2`
    (see :func:`dlmath.regression.linear_loss`), and update :math:`t` uses the gradient on one batch
    :math:`\mathcal B` of :math:`B` examples only:

    .. math::

        \boldsymbol\theta \leftarrow \boldsymbol\theta - \eta_t\, \frac{2}{B}
        X_{\mathcal B}^\top (X_{\mathcal B}\boldsymbol\theta - \mathbf y_{\mathcal B}),
        \qquad \eta_t = \eta \cdot \text{schedule}(t).

    With ``batch_size = n`` this is plain gradient descent on :math:`L`.

    ``lr`` may be one number (one walk, an :class:`SGDResult`) or an array of ``m`` numbers: ``m``
    walks run side by side, each with its own learning rate and its own shuffles (a list of ``m``
    results). All shuffles come from one ``np.random.default_rng(seed)``; a single walk uses exactly
    the batches of :func:`minibatches` with the same ``seed``. A walk is stopped cleanly
    (``diverged=True``) when its parameters or loss leave the finite numbers or
    :math:`\lVert\boldsymbol\theta\rVert >` ``blowup``. ``theta0`` (default zeros) is the start.
    """
    X, y = _data(X, y)
    n, d = X.shape
    per_epoch = batches_per_epoch(n, batch_size)
    epochs = _count(epochs, "epochs", 1)
    single = np.ndim(lr) == 0
    try:
        rates = np.array(lr, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        raise ValueError(f"lr must be a number or a 1-D array of numbers, got {lr!r}") from None
    if np.ndim(lr) > 1 or rates.size == 0:
        raise ValueError(f"lr must be a number or a non-empty 1-D array, got {lr!r}")
    for r in rates:
        _rate(r, "lr")
    if schedule is not None and not callable(schedule):
        raise ValueError(f"schedule must be a callable t -> multiplier or None, got {schedule!r}")
    blowup = _rate(blowup, "blowup")
    start = np.zeros(d) if theta0 is None else np.array(theta0, dtype=float)
    if start.shape != (d,) or not np.all(np.isfinite(start)):
        raise ValueError(f"theta0 must hold one finite number per column of X, shape ({d},), got {theta0!r}")

    m = rates.size
    rng = np.random.default_rng(seed)
    theta = np.tile(start, (m, 1))
    going = np.ones(m, dtype=bool)
    kept = np.zeros(m, dtype=int)  # updates kept per walk

    def losses(th: np.ndarray) -> np.ndarray:
        return np.mean((th @ X.T - y) ** 2, axis=-1)

    path, loss_rows = [theta.copy()], [losses(theta)]
    t = 0
    with np.errstate(all="ignore"):  # overflow is detected below, not warned about
        for _ in range(epochs):
            orders = np.stack([rng.permutation(n) for _ in range(m)])
            for batch in _epoch_batches(orders, batch_size):  # shape (m, B): one batch per walk
                multiplier = 1.0 if schedule is None else float(schedule(t))
                if not (math.isfinite(multiplier) and multiplier > 0):
                    raise ValueError(f"schedule({t}) must give a positive finite multiplier, got {multiplier!r}")
                Xb, yb = X[batch], y[batch]  # (m, B, d), (m, B)
                residual = np.einsum("mbd,md->mb", Xb, theta) - yb
                grad = (2.0 / batch.shape[1]) * np.einsum("mb,mbd->md", residual, Xb)
                new = theta - (rates * multiplier)[:, None] * grad
                new_loss = losses(new)
                ok = np.all(np.isfinite(new), axis=1) & np.isfinite(new_loss) & (np.linalg.norm(new, axis=1) <= blowup)
                going &= ok
                theta = np.where(going[:, None], new, theta)
                kept[going] = t + 1
                t += 1
                path.append(theta.copy())
                loss_rows.append(np.where(going, new_loss, loss_rows[-1]))
                if not going.any():
                    break
            if not going.any():
                break
    path_arr, loss_arr = np.stack(path), np.stack(loss_rows)
    results = [
        SGDResult(
            path=_frozen(path_arr[: kept[k] + 1, k].copy()),
            losses=_frozen(loss_arr[: kept[k] + 1, k].copy()),
            epochs=int(kept[k]) // per_epoch,
            updates=int(kept[k]),
            batches_per_epoch=per_epoch,
            diverged=not bool(going[k]),
        )
        for k in range(m)
    ]
    return results[0] if single else results
