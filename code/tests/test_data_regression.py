"""Tests for Chapter 6's data in dlmath.data: the eight people and the noisy e^{sin 2πx} sample."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from dlmath.data import exp_sine, exp_sine_noise, exp_sine_sample, height_weight

pytestmark = pytest.mark.filterwarnings("error")


def test_the_eight_people():
    weight, height = height_weight()
    assert_array_equal(weight, [48, 57, 50, 54, 64, 61, 43, 59])
    assert_array_equal(height, [165, 165, 157, 170, 175, 165, 155, 170])
    with pytest.raises(ValueError):
        weight[0] = 1.0  # read-only: nobody can change the data for everybody else
    assert height_weight().weight is not weight


def test_exp_sine_values():
    assert_allclose(exp_sine([0.0, 0.25, 0.5, 0.75]), [1.0, np.e, 1.0, 1 / np.e], rtol=1e-12)


def test_sample_is_seeded_sorted_and_in_range():
    x, y = exp_sine_sample(15, seed=2)
    assert x.shape == y.shape == (15,) and np.all(np.diff(x) >= 0) and 0 <= x.min() and x.max() < 1
    again = exp_sine_sample(15, seed=2)
    assert_array_equal(again[0], x) and assert_array_equal(again[1], y)
    assert not np.array_equal(exp_sine_sample(15, seed=3)[1], y)
    x0, y0 = exp_sine_sample(15, noise=0.0, seed=2)
    assert_allclose(y0, exp_sine(x0))


def test_noise_has_the_stated_spread():
    x = np.linspace(0, 1, 20_000)
    residual = exp_sine_noise(x, noise=0.3, seed=5) - exp_sine(x)
    assert abs(residual.mean()) < 0.01 and residual.std() == pytest.approx(0.3, rel=0.02)
    assert not np.array_equal(exp_sine_noise(x, seed=1), exp_sine_noise(x, seed=2))


@pytest.mark.parametrize(
    "call, words",
    [
        (lambda: exp_sine_sample(0), "n must be an integer"),
        (lambda: exp_sine_sample(3.0), "n must be an integer"),
        (lambda: exp_sine_sample(5, noise=-1), "noise must be a finite number >= 0"),
        (lambda: exp_sine_noise([0.1, np.nan]), "x must be a non-empty 1-D array"),
        (lambda: exp_sine_noise([0.1], noise=np.inf), "noise must be"),
    ],
)
def test_bad_input(call, words):
    with pytest.raises(ValueError, match=words):
        call()
