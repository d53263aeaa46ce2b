"""Tests for dlmath.activations: sigmoid against SciPy's expit, its derivative against a central
difference, and stability (finite, in range, no warnings) for extreme input."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.testing import assert_allclose, assert_array_equal
from scipy.special import expit

from dlmath.activations import sigmoid, sigmoid_grad
from dlmath.calculus import derivative

# Every test runs with warnings as errors: no overflow/underflow/invalid warnings for any input.
pytestmark = pytest.mark.filterwarnings("error")

EPS = np.finfo(float).eps
FMAX = np.finfo(float).max
# expit flushes subnormal results (|x| > ~708) to 0; sigmoid keeps them. Below TINY both are "zero".
TINY = np.finfo(float).tiny

PROPERTY = settings(max_examples=100, deadline=None, derandomize=True)

GRID = np.concatenate([np.linspace(-40, 40, 801), [-745.0, -700.0, -100.0, 0.0, 100.0, 700.0, 745.0]])
EXTREME = [-FMAX, -1e308, -1e3, -745.2, -709.8, 709.8, 745.2, 1e3, 1e308, FMAX]


# ---------------------------------------------------------------------------------------------
# sigmoid


def test_sigmoid_matches_expit():
    assert_allclose(sigmoid(GRID), expit(GRID), rtol=4 * EPS, atol=TINY)


@pytest.mark.parametrize("x, expected", [(0.0, 0.5), (np.log(3.0), 0.75), (-np.log(3.0), 0.25)])
def test_sigmoid_known_values(x, expected):
    assert_allclose(sigmoid(x), expected, rtol=4 * EPS, atol=0)


@pytest.mark.parametrize("x", EXTREME)
def test_sigmoid_extreme_input(x):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = sigmoid(x)
    assert np.isfinite(s) and 0.0 <= s <= 1.0
    assert_allclose(s, expit(x), rtol=4 * EPS, atol=TINY)
    if abs(x) >= 1e3:
        assert s == (1.0 if x > 0 else 0.0)


def test_sigmoid_limits_and_nan():
    assert_array_equal(sigmoid(np.array([-np.inf, np.inf])), [0.0, 1.0])
    assert np.isnan(sigmoid(np.nan))


@pytest.mark.parametrize("x", [0, 1.5, -2, np.float64(3.0), np.int32(-1), np.array(0.25)])
@pytest.mark.parametrize("fn", [sigmoid, sigmoid_grad])
def test_scalar_input_returns_python_float(fn, x):
    assert type(fn(x)) is float


@pytest.mark.parametrize("shape", [(0,), (5,), (2, 3), (2, 1, 4)])
@pytest.mark.parametrize("fn", [sigmoid, sigmoid_grad])
def test_array_input_keeps_shape(fn, shape):
    x = np.random.default_rng(0).normal(scale=5.0, size=shape)
    out = fn(x)
    assert isinstance(out, np.ndarray)
    assert out.shape == shape and out.dtype == np.float64


def test_sigmoid_accepts_lists_and_is_increasing():
    out = sigmoid([-3.0, -1.0, 0.0, 1.0, 3.0])
    assert isinstance(out, np.ndarray)
    assert np.all(np.diff(out) > 0)


# ---------------------------------------------------------------------------------------------
# sigmoid_grad


@pytest.mark.parametrize("x", [-10.0, -3.0, -0.5, 0.0, 0.25, 1.0, 4.0, 10.0])
def test_sigmoid_grad_matches_central_difference(x):
    assert_allclose(sigmoid_grad(x), derivative(sigmoid, x), rtol=1e-8, atol=1e-10)


def test_sigmoid_grad_matches_central_difference_on_grid():
    x = np.linspace(-20, 20, 401)
    assert_allclose(sigmoid_grad(x), derivative(sigmoid, x), rtol=1e-8, atol=1e-10)


def test_sigmoid_grad_matches_expit_formula():
    # expit(x) (1 - expit(x)) cancels for large x (see the tails test below), so it is only a
    # reference in absolute terms: there both agree with the exact derivative everywhere.
    assert_allclose(sigmoid_grad(GRID), expit(GRID) * (1 - expit(GRID)), rtol=1e-12, atol=EPS)
    assert_allclose(sigmoid_grad(GRID), expit(GRID) * expit(-GRID), rtol=1e-12, atol=EPS)


def test_sigmoid_grad_relative_accuracy_in_both_tails():
    # sigma'(x) = sigma(x) sigma(-x) > 0 for every x, and is even. Computing sigma(x) (1 - sigma(x))
    # loses all relative accuracy for large positive x: 1 - sigma(x) cancels (bug: see the report).
    x = np.array([10.0, 20.0, 30.0, 36.0, 37.0, 40.0, 100.0, 700.0])
    exact = expit(x) * expit(-x)  # no cancellation: each factor is computed to full precision
    assert_allclose(sigmoid_grad(-x), exact, rtol=1e-12, atol=0)  # left tail: fine
    assert_allclose(sigmoid_grad(x), exact, rtol=1e-12, atol=0)  # right tail: 0.0 from x = 37 on


def test_sigmoid_grad_maximum_is_quarter_at_zero():
    assert sigmoid_grad(0.0) == 0.25
    x = np.linspace(-10, 10, 2001)
    g = sigmoid_grad(x)
    assert np.all(g <= 0.25)
    assert x[np.argmax(g)] == 0.0


@pytest.mark.parametrize("x", EXTREME)
def test_sigmoid_grad_extreme_input(x):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        g = sigmoid_grad(x)
    assert np.isfinite(g) and 0.0 <= g <= 0.25


# ---------------------------------------------------------------------------------------------
# properties

any_finite = st.floats(allow_nan=False, allow_infinity=False)


@PROPERTY
@given(x=hnp.arrays(np.float64, hnp.array_shapes(min_dims=0, max_dims=2, max_side=5), elements=any_finite))
def test_finite_in_range_without_warnings(x):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = np.asarray(sigmoid(x))
        g = np.asarray(sigmoid_grad(x))
    assert s.shape == g.shape == x.shape
    assert np.all((s >= 0) & (s <= 1))
    assert np.all((g >= 0) & (g <= 0.25))
    assert_allclose(s, expit(x), rtol=4 * EPS, atol=TINY)


@PROPERTY
@given(x=any_finite)
def test_sigmoid_symmetry(x):
    # sigma(-x) = 1 - sigma(x); computing 1 - sigma(x) costs at most half an ulp of 1.
    assert_allclose(sigmoid(-x), 1 - sigmoid(x), rtol=0, atol=EPS)


@PROPERTY
@given(x=st.floats(-700, 700))
def test_sigmoid_grad_is_even(x):
    assert_allclose(sigmoid_grad(-x), sigmoid_grad(x), rtol=0, atol=EPS)
