"""Example functions and small data sets used across the chapters (all generated, none downloaded)."""

from __future__ import annotations

import numpy as np

__all__ = ["cubic", "cubic_slope", "noisy_line", "pig_sales", "pig_sales_slope"]


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


def noisy_line(
    n: int = 50,
    *,
    intercept: float = 1.0,
    slope: float = 2.0,
    noise: float = 0.5,
    x_range: tuple[float, float] = (-1.0, 3.0),
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    r"""Chapter 4's small regression data set: ``n`` points scattered around a line.

    .. math:: y_i = \text{intercept} + \text{slope}\cdot x_i + \varepsilon_i,
              \qquad x_i \sim U[\text{lo}, \text{hi}),\ \varepsilon_i \sim N(0, \text{noise}^2)

    Generated with ``np.random.default_rng(seed)``, so the same arguments give the same points.
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 2:
        raise ValueError(f"n must be an integer of at least 2, got {n!r}")
    values = {"intercept": intercept, "slope": slope, "noise": noise}
    for name, value in values.items():
        if isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)) or not np.isfinite(value):
            raise ValueError(f"{name} must be a finite number, got {value!r}")
    if noise < 0:
        raise ValueError(f"noise must be >= 0, got {noise!r}")
    try:
        lo, hi = (float(v) for v in x_range)
    except (TypeError, ValueError) as err:
        raise ValueError(f"x_range must be two finite numbers (lo, hi) with lo < hi, got {x_range!r}") from err
    if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
        raise ValueError(f"x_range must be two finite numbers (lo, hi) with lo < hi, got {x_range!r}")
    rng = np.random.default_rng(seed)
    x = rng.uniform(lo, hi, size=n)
    y = intercept + slope * x + rng.normal(0.0, noise, size=n)
    return x, y
