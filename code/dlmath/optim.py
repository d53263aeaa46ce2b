"""Update rules that turn gradients into steps: plain SGD, momentum, RMSProp and Adam.

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
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np

__all__ = ["Adam", "Optimizer", "RMSProp", "SGD"]


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

    def _new_state(self, p: np.ndarray) -> dict:
        return {"shape": p.shape}

    def step(self, params: Sequence[np.ndarray], grads: Sequence[np.ndarray]) -> None:
        """Update every array of ``params`` in place, using the matching array of ``grads``."""
        checked = self._check(params, grads)
        self.t += 1
        for p, g, state in zip(params, checked, self._state):
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
