"""Example functions and small data sets used across the chapters (all generated, none downloaded)."""

from __future__ import annotations

import numpy as np

__all__ = ["cubic", "cubic_slope", "pig_sales", "pig_sales_slope"]


def pig_sales(x: np.ndarray) -> np.ndarray:
    r"""Chapter 1's growing farm: pigs sold in year :math:`x`, :math:`y = 2x^2 + 10x + 30`."""
    return 2 * np.asarray(x, dtype=float) ** 2 + 10 * np.asarray(x, dtype=float) + 30


def pig_sales_slope(x: np.ndarray) -> np.ndarray:
    r"""Its exact rate of change :math:`y' = 4x + 10` (pigs per year, growing each year)."""
    return 4 * np.asarray(x, dtype=float) + 10


def cubic(x: np.ndarray) -> np.ndarray:
    r""":math:`f(x) = x^3 - 3x`: it bends one way, then the other."""
    x = np.asarray(x, dtype=float)
    return x**3 - 3 * x


def cubic_slope(x: np.ndarray) -> np.ndarray:
    r""":math:`f'(x) = 3x^2 - 3`."""
    return 3 * np.asarray(x, dtype=float) ** 2 - 3
