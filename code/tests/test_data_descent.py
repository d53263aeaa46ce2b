"""Tests for dlmath.data.noisy_line, the points around a line of Chapter 7."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from dlmath.data import noisy_line

pytestmark = pytest.mark.filterwarnings("error")


def test_shape_range_and_reproducibility():
    x, y = noisy_line(30, x_range=(-1.0, 3.0), seed=4)
    assert x.shape == y.shape == (30,) and x.dtype == y.dtype == np.float64
    assert np.all((x >= -1.0) & (x < 3.0))
    again = noisy_line(30, x_range=(-1.0, 3.0), seed=4)
    assert_array_equal(x, again[0]) and assert_array_equal(y, again[1])
    other = noisy_line(30, x_range=(-1.0, 3.0), seed=5)
    assert not np.array_equal(x, other[0])


def test_without_noise_the_points_lie_on_the_line():
    x, y = noisy_line(12, intercept=-0.5, slope=3.0, noise=0.0)
    assert_allclose(y, -0.5 + 3.0 * x, rtol=0, atol=1e-15)


def test_least_squares_recovers_the_line_from_many_points():
    x, y = noisy_line(20_000, intercept=1.0, slope=2.0, noise=0.4, seed=1)
    fit = np.polyfit(x, y, 1)  # [slope, intercept]
    assert_allclose(fit, [2.0, 1.0], atol=0.03)
    residual = y - (fit[1] + fit[0] * x)
    assert_allclose(residual.std(), 0.4, rtol=0.03)


@pytest.mark.parametrize(
    "kwargs, name",
    [
        (dict(n=1), "n"),
        (dict(n=5.0), "n"),
        (dict(n=True), "n"),
        (dict(noise=-0.1), "noise"),
        (dict(noise=float("nan")), "noise"),
        (dict(slope="steep"), "slope"),
        (dict(intercept=float("inf")), "intercept"),
        (dict(x_range=(2.0, 1.0)), "x_range"),
        (dict(x_range=(0.0,)), "x_range"),
        (dict(x_range=(0.0, float("inf"))), "x_range"),
    ],
)
def test_bad_input_names_the_argument(kwargs, name):
    with pytest.raises(ValueError, match=name):
        noisy_line(**kwargs)
