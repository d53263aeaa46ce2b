"""Example functions and small data sets used across the chapters (all generated, none downloaded)."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike

__all__ = [
    "HeightWeight",
    "cubic",
    "cubic_slope",
    "exp_sine",
    "exp_sine_noise",
    "exp_sine_sample",
    "height_weight",
    "noisy_line",
    "pig_sales",
    "pig_sales_slope",
]


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
    r"""``n`` points scattered around a line (Chapter 7's town of a thousand people).

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


# ---------------------------------------------------------------------------------------------
# Chapter 6: a line through eight people, and a wavy curve to fit too well


class HeightWeight(NamedTuple):
    """Eight people's weight (kg) and height (cm), in the same order."""

    weight: np.ndarray
    height: np.ndarray


def height_weight() -> HeightWeight:
    """Chapter 6's eight people: weight in kg (the input x) and height in cm (the target y).

    Fresh read-only arrays on every call, so that no caller can change the data for another.
    """
    weight = np.array([48.0, 57.0, 50.0, 54.0, 64.0, 61.0, 43.0, 59.0])
    height = np.array([165.0, 165.0, 157.0, 170.0, 175.0, 165.0, 155.0, 170.0])
    weight.setflags(write=False)
    height.setflags(write=False)
    return HeightWeight(weight, height)


def exp_sine(x: ArrayLike) -> np.ndarray:
    r"""The wavy curve of Chapter 6's over- and underfitting: :math:`f(x) = e^{\sin 2\pi x}`."""
    return np.exp(np.sin(2 * np.pi * np.asarray(x, dtype=float)))


def _noise_level(noise: float) -> float:
    if isinstance(noise, bool) or not isinstance(noise, (int, float, np.integer, np.floating)):
        raise ValueError(f"noise must be a finite number >= 0, got {noise!r}")
    if not np.isfinite(noise) or noise < 0:
        raise ValueError(f"noise must be a finite number >= 0, got {noise!r}")
    return float(noise)


def exp_sine_noise(x: ArrayLike, *, noise: float = 0.3, seed: int = 0) -> np.ndarray:
    r"""Noisy measurements of :func:`exp_sine` at given positions ``x``:
    :math:`y_i = e^{\sin 2\pi x_i} + \varepsilon_i`, :math:`\varepsilon_i \sim N(0, \text{noise}^2)`.

    Keeping ``x`` and changing ``seed`` "resamples the noise": the same experiment repeated.
    """
    xs = np.array(x, dtype=float)
    if xs.ndim != 1 or xs.size == 0 or not np.all(np.isfinite(xs)):
        raise ValueError(f"x must be a non-empty 1-D array of finite numbers, got {x!r}")
    rng = np.random.default_rng(seed)
    return exp_sine(xs) + rng.normal(0.0, _noise_level(noise), size=xs.size)


def exp_sine_sample(n: int = 15, *, noise: float = 0.3, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    r"""``n`` noisy points of :func:`exp_sine`, with :math:`x_i \sim U[0, 1)` sorted and noise
    :math:`N(0, \text{noise}^2)`, generated with ``np.random.default_rng(seed)``."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be an integer of at least 1, got {n!r}")
    noise = _noise_level(noise)
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(0.0, 1.0, size=int(n)))
    return x, exp_sine(x) + rng.normal(0.0, noise, size=int(n))
