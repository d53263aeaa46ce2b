"""Activation functions, each with its derivative right beside it."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["sigmoid", "sigmoid_grad"]


def sigmoid(x: ArrayLike) -> np.ndarray | float:
    r"""The logistic sigmoid :math:`\sigma(x) = \dfrac{1}{1 + e^{-x}}`.

    Computed without overflow for any finite input: for :math:`x < 0` we use the equal form
    :math:`e^{x} / (1 + e^{x})`, so ``exp`` only ever sees non-positive numbers.
    """
    x = np.asarray(x, dtype=float)
    z = np.exp(-np.abs(x))  # in (0, 1]: never overflows
    out = np.where(x >= 0, 1 / (1 + z), z / (1 + z))
    return float(out) if out.ndim == 0 else out


def sigmoid_grad(x: ArrayLike) -> np.ndarray | float:
    r"""The sigmoid's derivative :math:`\sigma'(x) = \sigma(x)\,\bigl(1 - \sigma(x)\bigr)`.

    (Not :math:`\sigma(x) = \sigma(x)(1 - \sigma(x))`, a common slip: the left side is the derivative.)
    """
    x = np.asarray(x, dtype=float)
    # 1 - sigma(x) equals sigma(-x); computing it that way keeps full relative accuracy for large x,
    # where 1 - sigma(x) would cancel to 0 (sigma(40) rounds to exactly 1.0).
    out = np.asarray(sigmoid(x)) * np.asarray(sigmoid(-x))
    return float(out) if out.ndim == 0 else out
