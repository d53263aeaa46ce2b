"""Tests for dlmath.calculus: difference quotients against the rules of calculus and SciPy, error
orders, gradients and partials, clean ValueErrors for bad input, and extreme input without warnings."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.testing import assert_allclose, assert_array_equal
from scipy.differentiate import derivative as scipy_derivative
from scipy.differentiate import hessian as scipy_hessian
from scipy.optimize import approx_fprime

from dlmath.calculus import (
    METHODS,
    Line,
    default_step,
    derivative,
    difference_errors,
    gradient,
    hessian,
    partial,
    secant_slope,
    tangent_line,
    values_at,
)
from dlmath.data import pig_sales, pig_sales_slope

# Every test runs with warnings as errors: extreme input must not emit overflow/invalid warnings.
pytestmark = pytest.mark.filterwarnings("error")

EPS = np.finfo(float).eps
FMAX = np.finfo(float).max

# Hypothesis runs derandomized so every run checks the same examples (reproducible, like a seed).
PROPERTY = settings(max_examples=60, deadline=None, derandomize=True)


# ---------------------------------------------------------------------------------------------
# one variable: the rules of calculus


def _quotient_slope(x):
    return (np.cos(x) * (1 + x**2) - np.sin(x) * 2 * x) / (1 + x**2) ** 2


# (rule, f, exact f', points where f is smooth)
RULES = [
    ("power", lambda x: x**5, lambda x: 5 * x**4, [-1.5, 0.3, 2.0]),
    ("power_negative", lambda x: x**-2, lambda x: -2 * x**-3, [-2.0, 0.5, 3.0]),
    ("power_half", np.sqrt, lambda x: 0.5 / np.sqrt(x), [0.25, 4.0, 100.0]),
    ("sum", lambda x: x**3 + np.sin(x), lambda x: 3 * x**2 + np.cos(x), [-2.0, 0.0, 1.7]),
    ("product", lambda x: x**2 * np.sin(x), lambda x: 2 * x * np.sin(x) + x**2 * np.cos(x), [-1.0, 0.5, 4.0]),
    ("quotient", lambda x: np.sin(x) / (1 + x**2), _quotient_slope, [-3.0, 0.0, 2.5]),
    ("exp", np.exp, np.exp, [-2.0, 0.0, 1.0, 10.0]),
    ("log", np.log, lambda x: 1 / x, [0.1, 1.0, 50.0]),
    ("sin", np.sin, np.cos, [-3.0, 0.0, 1.0, 5.0]),
    ("cos", np.cos, lambda x: -np.sin(x), [-1.0, 0.3, 2.0]),
    ("chain_sin_square", lambda x: np.sin(x**2), lambda x: 2 * x * np.cos(x**2), [-1.2, 0.4, 2.0]),
    ("chain_gauss", lambda x: np.exp(-(x**2) / 2), lambda x: -x * np.exp(-(x**2) / 2), [-2.0, 0.0, 1.0]),
    ("chain_log", lambda x: np.log(1 + x**2), lambda x: 2 * x / (1 + x**2), [-3.0, 0.5, 7.0]),
    ("chain_nested", lambda x: np.exp(np.sin(x)), lambda x: np.cos(x) * np.exp(np.sin(x)), [-1.0, 0.0, 2.0]),
]
RULE_CASES = [pytest.param(f, df, x, id=f"{name}-x={x}") for name, f, df, xs in RULES for x in xs]


@pytest.mark.parametrize("f, dfdx, x", RULE_CASES)
def test_central_difference_matches_rule(f, dfdx, x):
    # Error < 1e-8, relative once the derivative itself is larger than 1.
    assert_allclose(derivative(f, x), dfdx(x), rtol=1e-8, atol=1e-8)


@pytest.mark.parametrize("method", ["forward", "backward"])
@pytest.mark.parametrize("f, dfdx, x", RULE_CASES)
def test_one_sided_difference_matches_rule(f, dfdx, x, method):
    assert_allclose(derivative(f, x, method=method), dfdx(x), rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("f, dfdx, x", RULE_CASES)
def test_array_input_matches_elementwise(f, dfdx, x):
    xs = np.array([x, x + 0.125, x + 0.25])
    # Same steps either way; vectorised and scalar f may round differently (~eps |f| / h).
    assert_allclose(derivative(f, xs), [derivative(f, v) for v in xs], rtol=1e-10, atol=1e-10)


# ---------------------------------------------------------------------------------------------
# one variable: agreement with SciPy's twin

SCIPY_CASES = [
    pytest.param(np.exp, [-1.0, 0.5, 2.0], id="exp"),
    pytest.param(np.sin, [-2.0, 0.3, 1.0, 3.0], id="sin"),
    pytest.param(np.tanh, [-1.5, 0.0, 0.7], id="tanh"),
    pytest.param(lambda x: x**3 - 2 * x, [-2.0, 0.5, 1.5], id="cubic"),
    pytest.param(lambda x: np.log1p(x**2), [-1.0, 0.25, 3.0], id="log1p_square"),
    pytest.param(lambda x: np.exp(-x) * np.cos(3 * x), [0.1, 1.0, 2.0], id="damped_cos"),
]


@pytest.mark.parametrize("f, points", SCIPY_CASES)
def test_agrees_with_scipy_differentiate(f, points):
    x = np.array(points)
    res = scipy_derivative(f, x, tolerances=dict(rtol=1e-13, atol=1e-15))
    assert np.all(res.success)
    assert_allclose(derivative(f, x), res.df, rtol=1e-8, atol=1e-10)


# ---------------------------------------------------------------------------------------------
# one variable: types, shapes, steps


@pytest.mark.parametrize("x", [1.5, 2, np.float64(0.5), np.int64(3), np.array(1.25), True])
@pytest.mark.parametrize("method", METHODS)
def test_scalar_input_returns_python_float(x, method):
    out = derivative(np.sin, x, method=method)
    assert type(out) is float
    assert_allclose(out, math.cos(float(x)), rtol=0, atol=1e-6)


@pytest.mark.parametrize("shape", [(1,), (4,), (2, 3), (2, 1, 3), (0,)])
@pytest.mark.parametrize("method", METHODS)
def test_array_input_returns_array_of_same_shape(shape, method):
    x = np.random.default_rng(0).uniform(-3, 3, size=shape)
    out = derivative(np.sin, x, method=method)
    assert isinstance(out, np.ndarray)
    assert out.shape == shape
    assert out.dtype == np.float64
    assert_allclose(out, np.cos(x), rtol=0, atol=1e-6)


def test_list_input_returns_array():
    out = derivative(lambda x: x**2, [1.0, 2.0, 3.0])
    assert isinstance(out, np.ndarray)
    assert_allclose(out, [2.0, 4.0, 6.0], rtol=1e-10, atol=0)


def test_array_step_broadcasts_against_x():
    x = np.array([0.5, 1.0, 2.0])
    h = np.array([1e-3, 1e-4, 1e-5])
    assert_allclose(derivative(np.exp, x, h=h), [derivative(np.exp, a, h=b) for a, b in zip(x, h)], rtol=1e-14)


@pytest.mark.parametrize("method, power", [("central", 1 / 3), ("forward", 1 / 2), ("backward", 1 / 2)])
@pytest.mark.parametrize("x", [0.0, 0.5, -1.0, 10.0, -1e6])
def test_default_step(method, power, x):
    assert_allclose(default_step(x, method), EPS**power * max(1.0, abs(x)), rtol=1e-15)


@pytest.mark.parametrize("a, b, c", [(1.0, 0.0, 0.0), (2.0, 10.0, 30.0), (-0.5, 3.0, -7.0), (1e3, -2.0, 1e4)])
@pytest.mark.parametrize("h", [1e-3, 0.1, 1.0, 10.0, 1e3])
@pytest.mark.parametrize("x", [-2.0, 0.0, 3.5])
def test_central_difference_exact_for_quadratics(a, b, c, h, x):
    def f(t):
        return a * t**2 + b * t + c

    # Exact in real arithmetic for any h; only rounding of the f values (~eps |f| / h) remains.
    rounding = 8 * EPS * max(abs(f(x - h)), abs(f(x + h)), 1.0) / h
    assert_allclose(derivative(f, x, h=h), 2 * a * x + b, rtol=4 * EPS, atol=rounding)


@PROPERTY
@given(
    a=st.floats(-100, 100),
    b=st.floats(-100, 100),
    c=st.floats(-100, 100),
    x=st.floats(-100, 100),
    h=st.floats(1e-4, 1e3),
)
def test_central_difference_exact_for_quadratics_property(a, b, c, x, h):
    def f(t):
        return a * t**2 + b * t + c

    scale = abs(a) * (abs(x) + h) ** 2 + abs(b) * (abs(x) + h) + abs(c) + 1.0
    assert_allclose(derivative(f, x, h=h), 2 * a * x + b, rtol=0, atol=16 * EPS * scale / h)


# ---------------------------------------------------------------------------------------------
# secants and tangents


@pytest.mark.parametrize(
    "f, x0",
    [(np.exp, 0.5), (np.sin, 1.0), (lambda x: x**3, -2.0), (pig_sales, 3.0), (np.log, 4.0)],
)
@pytest.mark.parametrize("h", [1.0, 0.5, 0.1, 1e-3])
def test_secant_slope_is_difference_quotient(f, x0, h):
    expected = (f(x0 + h) - f(x0)) / h
    assert_allclose(secant_slope(f, x0, h), expected, rtol=1e-12, atol=0)


@pytest.mark.parametrize("h", [2.0, 1.0, 0.5, 0.25, 0.1, 1e-3, 1e-6])
def test_pig_sales_secant_slope_at_3_is_22_plus_2h(h):
    # (f(3 + h) - f(3)) / h = (22 h + 2 h^2) / h: the secant tends to the tangent slope 22.
    rounding = 8 * EPS * pig_sales(3.0 + h) / h
    assert_allclose(secant_slope(pig_sales, 3.0, h), 22 + 2 * h, rtol=4 * EPS, atol=rounding)


def test_secant_slope_broadcasts_arrays():
    h = np.array([1.0, 0.5, 0.25])
    assert_allclose(secant_slope(pig_sales, 3.0, h), 22 + 2 * h, rtol=1e-14)
    x0 = np.array([0.0, 1.0, 2.0])
    assert_allclose(secant_slope(pig_sales, x0, 1.0), pig_sales(x0 + 1) - pig_sales(x0), rtol=1e-14)


@pytest.mark.parametrize("h", [-1.0, -0.5, -0.1, -1e-3])
def test_secant_slope_from_the_left(h):
    # A negative h puts Q left of P; the slope is still rise over run, (f(3 + h) - f(3)) / h = 22 + 2h.
    assert_allclose(secant_slope(pig_sales, 3.0, h), 22 + 2 * h, rtol=1e-12)
    assert_allclose(secant_slope(np.sin, 1.0, h), (np.sin(1.0 + h) - np.sin(1.0)) / h, rtol=1e-12)


def test_secant_slopes_at_a_kink_differ_by_side():
    h = np.array([-1.0, -0.1, -1e-6, 1e-6, 0.1, 1.0])
    assert_array_equal(secant_slope(np.abs, 0.0, h), np.sign(h))  # |x|: -1 from the left, +1 from the right
    assert_array_equal(secant_slope(lambda x: np.maximum(0.0, x), 0.0, h), (h > 0).astype(float))  # ReLU: 0, then 1
    assert isinstance(secant_slope(np.abs, 0.0, -0.5), float)


@pytest.mark.parametrize("h", [0.0, -np.inf, np.inf, np.nan, [1e-3, 0.0], [-1e-3, np.nan], "small"])
def test_secant_slope_bad_step_raises(h):
    with pytest.raises(ValueError, match=r"^h must be"):
        secant_slope(np.sin, 1.0, h)


def test_tangent_line_pig_sales():
    line = tangent_line(pig_sales, 3.0, pig_sales_slope)
    assert isinstance(line, Line)
    assert (line.x0, line.y0, line.slope) == (3.0, 78.0, 22.0)
    assert all(type(v) is float for v in line)
    assert_allclose(line(np.array([3.0, 4.0, 5.0, 0.0])), [78.0, 100.0, 122.0, 12.0], rtol=0, atol=1e-12)
    # Linear approximation: for y = 2x^2 + 10x + 30 the tangent is off by exactly 2 dx^2.
    dx = np.array([-1.0, -0.1, 0.01, 0.5])
    assert_allclose(pig_sales(3 + dx) - line(3 + dx), 2 * dx**2, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("f, dfdx, x0", [(pig_sales, pig_sales_slope, 3.0), (np.sin, np.cos, 0.7), (np.exp, np.exp, -1.0)])
def test_tangent_line_numeric_slope_matches_exact(f, dfdx, x0):
    numeric = tangent_line(f, x0)
    exact = tangent_line(f, x0, dfdx)
    assert numeric.x0 == exact.x0 == x0
    assert numeric.y0 == exact.y0 == float(f(x0))
    assert_allclose(numeric.slope, exact.slope, rtol=1e-9, atol=1e-9)
    assert_allclose(numeric(x0), f(x0), rtol=1e-15)


def test_line_call_returns_array_for_arrays():
    out = Line(1.0, 2.0, 3.0)(np.zeros((2, 2)))
    assert out.shape == (2, 2)
    assert_array_equal(out, np.full((2, 2), -1.0))


# ---------------------------------------------------------------------------------------------
# error orders


def _loglog_slope(errors: np.ndarray, hs: np.ndarray) -> float:
    return float(np.log(errors[0] / errors[1]) / np.log(hs[0] / hs[1]))


ERROR_CASES = [
    pytest.param(np.exp, np.exp, 1.0, id="exp"),
    pytest.param(np.sin, np.cos, 1.0, id="sin"),
    pytest.param(lambda x: x**4, lambda x: 4 * x**3, 1.5, id="quartic"),
]


@pytest.mark.parametrize("method, order", [("forward", 1), ("backward", 1), ("central", 2)])
@pytest.mark.parametrize("f, dfdx, x0", ERROR_CASES)
def test_truncation_error_order(f, dfdx, x0, method, order):
    hs = np.array([1e-2, 1e-4])
    errors = difference_errors(f, dfdx, x0, hs, method=method)
    assert_allclose(_loglog_slope(errors, hs), order, rtol=0, atol=0.05)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("f, dfdx, x0", ERROR_CASES)
def test_rounding_error_wins_for_tiny_steps(f, dfdx, x0, method):
    hs = np.logspace(-13, -1, 25)
    errors = difference_errors(f, dfdx, x0, hs, method=method)
    assert errors.shape == hs.shape
    assert np.all(np.isfinite(errors)) and np.all(errors >= 0)
    assert hs[0] == 1e-13
    assert errors[0] > 100 * errors.min()
    # The default step (which balances the two errors) beats h = 1e-13 by far as well.
    tiny, default = difference_errors(f, dfdx, x0, [1e-13, float(default_step(x0, method))], method=method)
    assert tiny > 100 * default


def test_difference_errors_equals_absolute_error_of_derivative():
    hs = np.array([0.1, 1e-3, 1e-5])
    for method in METHODS:
        expected = np.abs(derivative(np.exp, np.full(3, 0.5), h=hs, method=method) - np.exp(0.5))
        assert_array_equal(difference_errors(np.exp, np.exp, 0.5, hs, method=method), expected)


# ---------------------------------------------------------------------------------------------
# several variables


def _seed(p):
    x, y = p[..., 0], p[..., 1]
    return (x + y - 3) ** 2 + (x + 2 * y - 5) ** 2 + 2


def _seed_grad(p):
    x, y = p[..., 0], p[..., 1]
    r1, r2 = x + y - 3, x + 2 * y - 5
    return np.stack([2 * r1 + 2 * r2, 2 * r1 + 4 * r2], axis=-1)


# (name, f, exact gradient, dimension)
FIELDS = [
    ("bowl", lambda p: p[..., 0] ** 2 + 3 * p[..., 1] ** 2, lambda p: np.stack([2 * p[..., 0], 6 * p[..., 1]], -1), 2),
    ("saddle", lambda p: p[..., 0] ** 2 - p[..., 1] ** 2, lambda p: np.stack([2 * p[..., 0], -2 * p[..., 1]], -1), 2),
    ("seed", _seed, _seed_grad, 2),
    (
        "exp_sin",
        lambda p: np.exp(p[..., 0]) * np.sin(p[..., 1]),
        lambda p: np.stack([np.exp(p[..., 0]) * np.sin(p[..., 1]), np.exp(p[..., 0]) * np.cos(p[..., 1])], -1),
        2,
    ),
    (
        "xyz_plus_z2",
        lambda p: p[..., 0] * p[..., 1] * p[..., 2] + p[..., 2] ** 2,
        lambda p: np.stack([p[..., 1] * p[..., 2], p[..., 0] * p[..., 2], p[..., 0] * p[..., 1] + 2 * p[..., 2]], -1),
        3,
    ),
    (
        "gauss3",
        lambda p: np.exp(-np.sum(p**2, axis=-1) / 2),
        lambda p: -p * np.exp(-np.sum(p**2, axis=-1, keepdims=True) / 2),
        3,
    ),
    (
        "sin_cos_log",
        lambda p: np.sin(p[..., 0]) * np.cos(p[..., 1]) + np.log1p(p[..., 2] ** 2),
        lambda p: np.stack(
            [
                np.cos(p[..., 0]) * np.cos(p[..., 1]),
                -np.sin(p[..., 0]) * np.sin(p[..., 1]),
                2 * p[..., 2] / (1 + p[..., 2] ** 2),
            ],
            -1,
        ),
        3,
    ),
]
FIELD_PARAMS = [pytest.param(f, g, n, id=name) for name, f, g, n in FIELDS]


def _points(n: int, k: int = 8, seed: int = 0) -> np.ndarray:
    fixed = np.array([np.zeros(n), np.arange(1.0, n + 1), -np.linspace(0.5, 2.0, n)])
    return np.vstack([fixed, np.random.default_rng(seed).uniform(-2, 2, size=(k, n))])


@pytest.mark.parametrize("f, grad, n", FIELD_PARAMS)
def test_gradient_matches_analytic_at_single_points(f, grad, n):
    for point in _points(n):
        out = gradient(f, point)
        assert out.shape == (n,)
        assert_allclose(out, grad(point), rtol=1e-8, atol=1e-8)


@pytest.mark.parametrize("batch_shape", [(5,), (2, 3), (1,)])
@pytest.mark.parametrize("f, grad, n", FIELD_PARAMS)
def test_gradient_is_vectorised_over_points(f, grad, n, batch_shape):
    x = np.random.default_rng(1).uniform(-2, 2, size=batch_shape + (n,))
    out = gradient(f, x)
    assert out.shape == x.shape
    assert_allclose(out, grad(x), rtol=1e-8, atol=1e-8)
    # Each point gets the same answer as on its own (steps are scaled per point).
    flat = out.reshape(-1, n)
    for row, point in zip(flat, x.reshape(-1, n)):
        assert_allclose(row, gradient(f, point), rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("shape", [(3,), (4, 3), (2, 5, 3)])
def test_gradient_calls_f_exactly_once(shape):
    calls = []

    def f(p):
        calls.append(p.shape)
        return np.sum(p**2, axis=-1)

    x = np.random.default_rng(2).normal(size=shape)
    assert_allclose(gradient(f, x), 2 * x, rtol=1e-8, atol=1e-8)
    n = shape[-1]
    assert calls == [shape[:-1] + (2 * n, n)]


def test_gradient_with_explicit_step():
    f, grad = FIELDS[0][1], FIELDS[0][2]
    x = np.array([1.5, -0.5])
    # The bowl is quadratic, so the central difference is exact (up to rounding) for any h.
    for h in [1e-4, 0.1, 1.0, 10.0]:
        assert_allclose(gradient(f, x, h=h), grad(x), rtol=1e-12, atol=1e-9)


@pytest.mark.parametrize("f, grad, n", FIELD_PARAMS)
def test_partial_equals_gradient_entry(f, grad, n):
    for point in _points(n, k=3):
        full = gradient(f, point)
        fixed_step = gradient(f, point, h=1e-4)
        for i in range(n):
            out = partial(f, point, i)
            assert type(out) is float
            # Default steps differ (per coordinate vs per point), so only the accuracy is shared.
            assert_allclose(out, full[i], rtol=1e-8, atol=1e-8)
            assert_allclose(partial(f, point, i, h=1e-4), fixed_step[i], rtol=1e-10, atol=1e-10)
        assert_allclose(partial(f, point, -1), full[-1], rtol=1e-8, atol=1e-8)
        assert_allclose(partial(f, point, np.int64(0)), full[0], rtol=1e-8, atol=1e-8)


@pytest.mark.parametrize("f, grad, n", FIELD_PARAMS)
def test_partial_is_vectorised_over_points(f, grad, n):
    x = np.random.default_rng(3).uniform(-2, 2, size=(6, n))
    exact = grad(x)
    for i in range(n):
        out = partial(f, x, i)
        assert out.shape == (6,)
        assert_allclose(out, exact[:, i], rtol=1e-8, atol=1e-8)


def _linear(p):
    return 5 * p[..., 0] + 8 * p[..., 1] + 35 * p[..., 2] + 30


@pytest.mark.parametrize("point", [[0.0, 0.0, 0.0], [1.0, 2.0, 3.0], [-4.0, 0.5, 10.0], [100.0, -3.0, 0.25]])
def test_linear_function_partials_are_its_coefficients(point):
    coefficients = [5.0, 8.0, 35.0]
    assert_allclose(gradient(_linear, point), coefficients, rtol=1e-9, atol=0)
    assert_allclose([partial(_linear, point, i) for i in range(3)], coefficients, rtol=1e-9, atol=0)


def test_linear_function_partials_exact_with_integer_step():
    # Integer points and h = 1 keep every value an integer: no rounding at all.
    point = np.array([1.0, 2.0, 3.0])
    assert_array_equal(gradient(_linear, point, h=1.0), [5.0, 8.0, 35.0])
    assert_array_equal([partial(_linear, point, i, h=1.0) for i in range(3)], [5.0, 8.0, 35.0])


# ---------------------------------------------------------------------------------------------
# bad input: ValueError naming the argument

NOT_CALLABLE = [3.0, "sin", None, [np.sin]]
NON_FINITE_X = [np.nan, np.inf, -np.inf, [1.0, np.nan], [[0.0, 1.0], [np.inf, 2.0]]]
BAD_STEPS = [0.0, -1e-3, -np.inf, np.inf, np.nan, [1e-3, 0.0], [1e-3, np.nan], "small"]
NON_NUMERIC_X = ["abc", "", 1 + 2j, [1.0, "a"], {"x": 1.0}, object()]


@pytest.mark.parametrize("f", NOT_CALLABLE)
@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda f: derivative(f, 1.0), id="derivative"),
        pytest.param(lambda f: secant_slope(f, 1.0, 0.1), id="secant_slope"),
        pytest.param(lambda f: tangent_line(f, 1.0), id="tangent_line"),
        pytest.param(lambda f: difference_errors(f, np.cos, 1.0, [0.1]), id="difference_errors"),
        pytest.param(lambda f: gradient(f, [1.0, 2.0]), id="gradient"),
        pytest.param(lambda f: partial(f, [1.0, 2.0], 0), id="partial"),
        pytest.param(lambda f: hessian(f, [1.0, 2.0]), id="hessian"),
        pytest.param(lambda f: values_at(f, [1.0, 2.0]), id="values_at"),
    ],
)
def test_non_callable_f_raises(call, f):
    with pytest.raises(ValueError, match=r"^f must be"):
        call(f)


@pytest.mark.parametrize("dfdx", NOT_CALLABLE)
def test_non_callable_dfdx_raises(dfdx):
    with pytest.raises(ValueError, match=r"^dfdx must be"):
        difference_errors(np.sin, dfdx, 1.0, [0.1])
    if dfdx is not None:  # tangent_line(f, x0, None) means "use a central difference"
        with pytest.raises(ValueError, match=r"^dfdx must be"):
            tangent_line(np.sin, 1.0, dfdx)


@pytest.mark.parametrize("h", BAD_STEPS)
@pytest.mark.parametrize(
    "call, name",
    [
        pytest.param(lambda h: derivative(np.sin, 1.0, h=h), "h", id="derivative"),
        pytest.param(lambda h: derivative(np.sin, [1.0, 2.0], h=h, method="forward"), "h", id="derivative-forward"),
        pytest.param(lambda h: difference_errors(np.sin, np.cos, 1.0, h), "hs", id="difference_errors"),
        pytest.param(lambda h: gradient(_seed, [1.0, 2.0], h=h), "h", id="gradient"),
        pytest.param(lambda h: partial(_seed, [1.0, 2.0], 1, h=h), "h", id="partial"),
        pytest.param(lambda h: hessian(_seed, [1.0, 2.0], h=h), "h", id="hessian"),
    ],
)
def test_bad_step_raises(call, name, h):
    with pytest.raises(ValueError, match=rf"^{name} must be"):
        call(h)


@pytest.mark.parametrize("x", NON_FINITE_X + NON_NUMERIC_X)
@pytest.mark.parametrize(
    "call, name",
    [
        pytest.param(lambda x: derivative(np.sin, x), "x", id="derivative"),
        pytest.param(lambda x: derivative(np.sin, x, method="backward"), "x", id="derivative-backward"),
        pytest.param(lambda x: secant_slope(np.sin, x, 0.1), "x0", id="secant_slope"),
        pytest.param(lambda x: tangent_line(np.sin, x), "x0", id="tangent_line"),
        pytest.param(lambda x: difference_errors(np.sin, np.cos, x, [0.1]), "x0", id="difference_errors"),
        pytest.param(lambda x: gradient(lambda p: p.sum(-1), x), "x", id="gradient"),
        pytest.param(lambda x: partial(lambda p: p.sum(-1), x, 0), "x", id="partial"),
        pytest.param(lambda x: hessian(lambda p: p.sum(-1), x), "x", id="hessian"),
    ],
)
def test_bad_x_raises(call, name, x):
    with pytest.raises(ValueError, match=rf"^{name} must be"):
        call(x)


@pytest.mark.parametrize("method", ["centre", "Central", "", None, "symmetric"])
@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda m: derivative(np.sin, 1.0, method=m), id="derivative"),
        pytest.param(lambda m: default_step(1.0, m), id="default_step"),
        pytest.param(lambda m: difference_errors(np.sin, np.cos, 1.0, [0.1], method=m), id="difference_errors"),
    ],
)
def test_unknown_method_raises(call, method):
    with pytest.raises(ValueError, match=r"^method must be one of"):
        call(method)


@pytest.mark.parametrize("x0", [[1.0, 2.0], np.zeros((2, 2))])
def test_tangent_line_needs_a_single_point(x0):
    with pytest.raises(ValueError, match=r"^x0 must be a single number"):
        tangent_line(np.sin, x0)


@pytest.mark.parametrize("x", [0.0, 5, [], np.zeros((3, 0))])
@pytest.mark.parametrize(
    "fn",
    [
        pytest.param(lambda x: gradient(lambda p: p.sum(-1), x), id="gradient"),
        pytest.param(lambda x: partial(lambda p: p.sum(-1), x, 0), id="partial"),
        pytest.param(lambda x: hessian(lambda p: p.sum(-1), x), id="hessian"),
    ],
)
def test_point_without_coordinates_raises(fn, x):
    with pytest.raises(ValueError, match=r"^x must hold at least one coordinate"):
        fn(x)


@pytest.mark.parametrize("i", [3, -4, 100, 1.0, "0", None, True, False, [0]])
def test_partial_bad_index_raises(i):
    with pytest.raises(ValueError, match=r"^i must be an integer index"):
        partial(lambda p: p.sum(-1), [1.0, 2.0, 3.0], i)


@pytest.mark.parametrize(
    "f",
    [
        pytest.param(lambda p: p, id="returns-points"),
        pytest.param(lambda p: p[..., :1], id="keeps-last-axis"),
        pytest.param(lambda p: p[..., None], id="adds-an-axis"),
        pytest.param(lambda p: np.stack([p, p]), id="stacks"),
    ],
)
@pytest.mark.parametrize("x", [[1.0, 2.0, 3.0], np.ones((4, 3))])
def test_gradient_wrong_output_shape_raises(f, x):
    # Neither one value per stacked point nor one number for one point: refused, never reshaped.
    with pytest.raises(ValueError, match=r"^f must return one number per point"):
        gradient(f, x)
    with pytest.raises(ValueError, match=r"^f must return one number per point"):
        partial(f, x, 0)
    with pytest.raises(ValueError, match=r"^f must return one number per point"):
        hessian(f, x)


@pytest.mark.parametrize("value", ["high", None, [1.0, "a"], {"a": 1}])
def test_f_returning_no_number_raises(value):
    with pytest.raises(ValueError, match=r"^f must return"):
        gradient(lambda v: value, [1.0, 2.0])


# ---------------------------------------------------------------------------------------------
# properties: random and extreme input

moderate = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)
extreme = st.floats(-1e300, 1e300, allow_nan=False, allow_infinity=False, allow_subnormal=True)


@PROPERTY
@given(x=hnp.arrays(np.float64, hnp.array_shapes(min_dims=0, max_dims=2, max_side=5), elements=moderate))
def test_sin_derivative_is_cos(x):
    out = derivative(np.sin, x)
    assert np.shape(out) == x.shape
    # Truncation error h^2/6 with h = eps^(1/3) max(1, |x|) grows like 6e-12 x^2; rounding ~ 1e-10.
    tol = 1e-9 + 1e-11 * np.maximum(1.0, x**2)
    assert np.all(np.abs(out - np.cos(x)) <= tol)


@PROPERTY
@given(x=moderate, method=st.sampled_from(METHODS))
def test_sin_derivative_all_methods(x, method):
    # One-sided: truncation h/2 with h = sqrt(eps) max(1, |x|); rounding ~ eps / h.
    tol = 1e-7 * max(1.0, abs(x)) if method != "central" else 1e-9 + 1e-11 * max(1.0, x * x)
    assert abs(derivative(np.sin, x, method=method) - math.cos(x)) <= tol


LINEAR_1D = [
    (lambda x: x, 1.0),
    (lambda x: -3 * x, -3.0),
    (lambda x: 0.5 * x + 7, 0.5),
    (lambda x: 1e-3 * x, 1e-3),
    (lambda x: -2.5 * x + 1.0, -2.5),
]
# (A large constant such as 1e-3 x - 2e5 would be a bad test: near x = 0 the rounding error
# eps |f| / h of any difference quotient swamps the slope.)


@PROPERTY
@given(
    x=hnp.arrays(np.float64, hnp.array_shapes(min_dims=0, max_dims=2, max_side=4), elements=extreme),
    case=st.sampled_from(LINEAR_1D),
    method=st.sampled_from(METHODS),
)
def test_extreme_input_finite_without_warnings(x, case, method):
    f, slope = case
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = derivative(f, x, method=method)
    assert np.all(np.isfinite(out))
    assert_allclose(out, np.full(x.shape, slope), rtol=1e-6, atol=0)


@PROPERTY
@given(x=hnp.arrays(np.float64, st.sampled_from([(3,), (2, 3)]), elements=extreme))
def test_gradient_extreme_input_finite_without_warnings(x):
    coefficients = np.array([1.0, -2.0, 0.5])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = gradient(lambda p: p @ coefficients + 4.0, x)
        parts = [partial(lambda p: p @ coefficients + 4.0, x, i) for i in range(3)]
    assert out.shape == x.shape
    assert np.all(np.isfinite(out))
    # gradient scales every coordinate's step by the point's largest |coordinate|, so a linear f
    # stays accurate even when one coordinate is 1e300 and another is 0.
    assert_allclose(out, np.broadcast_to(coefficients, x.shape), rtol=1e-6, atol=0)
    # partial scales by |x_i| only: finite, but not accurate when other coordinates dwarf x_i
    # (see the report); accuracy is checked where the scales are alike, in the test below.
    assert all(np.all(np.isfinite(v)) for v in parts)


@PROPERTY
@given(
    x=hnp.arrays(np.float64, st.sampled_from([(3,), (2, 3)]), elements=st.floats(1.0, 2.0)),
    scale=st.floats(-1e300, 1e300).filter(lambda s: abs(s) >= 1e-300),
)
def test_partial_extreme_input_alike_scales(x, scale):
    coefficients = np.array([1.0, -2.0, 0.5])
    x = x * scale
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        parts = np.stack([partial(lambda p: p @ coefficients + 4.0, x, i) for i in range(3)], axis=-1)
    assert_allclose(parts, np.broadcast_to(coefficients, x.shape), rtol=1e-6, atol=0)


@PROPERTY
@given(
    x=hnp.arrays(np.float64, st.sampled_from([(2,), (3,), (4, 2)]), elements=st.floats(-10, 10)),
    data=st.data(),
)
def test_partial_matches_gradient_property(x, data):
    def f(p):
        return np.sin(p[..., 0]) * np.exp(0.1 * p[..., -1]) + np.sum(p**2, axis=-1)

    i = data.draw(st.integers(0, x.shape[-1] - 1))
    assert_allclose(partial(f, x, i), gradient(f, x)[..., i], rtol=1e-7, atol=1e-7)


# ---------------------------------------------------------------------------------------------
# the very largest floats (bug: see the module report)


@pytest.mark.parametrize("method", METHODS)
def test_derivative_at_largest_finite_floats(method):
    # x is finite, so it is valid input; the sample points x +- h must not overflow to inf.
    x = np.array([FMAX, -FMAX, np.nextafter(FMAX, 0), FMAX / (1 + 1e-6)])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = derivative(lambda t: t, x, method=method)
    assert np.all(np.isfinite(out))
    assert_allclose(out, np.ones_like(x), rtol=1e-6, atol=0)


def test_gradient_at_largest_finite_floats():
    x = np.array([FMAX, 1.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = gradient(lambda p: 0.5 * p[..., 0] + p[..., 1], x)
    assert np.all(np.isfinite(out))
    assert_allclose(out, [0.5, 1.0], rtol=1e-6, atol=0)


# ---------------------------------------------------------------------------------------------
# functions written for one point (v[0], v[1]) and for stacks of points (p[..., 0]): the same answers

# (name, written for one point, written for the last axis, exact gradient, dimension)
TWINS = [
    (
        "square_plus_linear",
        lambda v: v[0] ** 2 + 3 * v[1],
        lambda p: p[..., 0] ** 2 + 3 * p[..., 1],
        lambda p: np.stack([2 * p[..., 0], np.full(p.shape[:-1], 3.0)], -1),
        2,
    ),
    (
        "hill",
        lambda v: 3 * np.exp(-(v[0] ** 2 + 3 * v[1] ** 2) / 4),
        lambda p: 3 * np.exp(-(p[..., 0] ** 2 + 3 * p[..., 1] ** 2) / 4),
        lambda p: hill_gradient(p),
        2,
    ),
    (
        "sum_of_squares",  # one number for the whole stack: must never be broadcast
        lambda v: float(np.sum(v**2)),
        lambda p: np.sum(p**2, axis=-1),
        lambda p: 2 * p,
        3,
    ),
    (
        "builtin_max",  # Python's max over a stack compares arrays and fails
        lambda v: max(v[0], v[1]) + v[2] * v[0],
        lambda p: np.maximum(p[..., 0], p[..., 1]) + p[..., 2] * p[..., 0],
        None,
        3,
    ),
    (
        "one_input",
        lambda v: math.sin(v[0]),
        lambda p: np.sin(p[..., 0]),
        lambda p: np.cos(p),
        1,
    ),
]


def hill_gradient(p):
    z = 3 * np.exp(-(p[..., 0] ** 2 + 3 * p[..., 1] ** 2) / 4)
    return np.stack([-p[..., 0] / 2 * z, -1.5 * p[..., 1] * z], -1)


TWIN_PARAMS = [pytest.param(one, stacked, grad, n, id=name) for name, one, stacked, grad, n in TWINS]


@pytest.mark.parametrize("batch_shape", [(), (1,), (5,), (2, 3)])
@pytest.mark.parametrize("one, stacked, grad, n", TWIN_PARAMS)
def test_one_point_style_gives_the_same_gradient(one, stacked, grad, n, batch_shape):
    # Points where max(v[0], v[1]) is smooth: its two arguments differ by far more than a step.
    x = np.random.default_rng(5).uniform(-2, 2, size=batch_shape + (n,))
    if n == 3:
        x[..., 1] = x[..., 0] + np.where(x[..., 1] > x[..., 0], 0.5, -0.5)
    plain, fast = gradient(one, x), gradient(stacked, x)
    assert plain.shape == fast.shape == x.shape
    assert_allclose(plain, fast, rtol=0, atol=1e-12)
    if grad is not None:
        assert_allclose(plain, grad(x), rtol=1e-8, atol=1e-8)
    for i in range(n):
        out = partial(one, x, i)
        assert np.shape(out) == batch_shape
        assert_allclose(out, partial(stacked, x, i), rtol=0, atol=1e-12)
    plain_h = hessian(one, x)
    assert plain_h.shape == x.shape + (n,)
    # A last-bit difference between a function on one number and on an array (SIMD loops) is
    # divided by h² ≈ 1.5e-8 here: the Hessian's own rounding error, not a difference of styles.
    assert_allclose(plain_h, hessian(stacked, x), rtol=0, atol=1e-7)


@PROPERTY
@given(
    x=hnp.arrays(np.float64, st.sampled_from([(2,), (1, 2), (4, 2), (2, 2, 2), (3, 4, 2)]), elements=st.floats(-5, 5)),
    a=st.floats(-3, 3),
    b=st.floats(-3, 3),
)
def test_one_point_style_gives_the_same_gradient_property(x, a, b):
    def one(v):
        return a * v[0] ** 2 * v[1] + b * math.sin(v[1]) + v[0]

    def stacked(p):
        return a * p[..., 0] ** 2 * p[..., 1] + b * np.sin(p[..., 1]) + p[..., 0]

    plain, fast = gradient(one, x), gradient(stacked, x)
    assert plain.shape == x.shape
    assert_allclose(plain, fast, rtol=0, atol=1e-12)
    exact = np.stack([2 * a * x[..., 0] * x[..., 1] + 1, a * x[..., 0] ** 2 + b * np.cos(x[..., 1])], -1)
    assert_allclose(plain, exact, rtol=1e-7, atol=1e-7)
    assert_allclose(partial(one, x, 1), partial(stacked, x, 1), rtol=0, atol=1e-12)


@pytest.mark.parametrize("one, stacked, grad, n", TWIN_PARAMS)
def test_one_point_style_agrees_with_scipy_approx_fprime(one, stacked, grad, n):
    # SciPy's approx_fprime takes exactly this style; its forward difference is good to about 1e-7.
    for point in np.random.default_rng(6).uniform(-2, 2, size=(6, n)):
        if n == 3:
            point[1] = point[0] + (0.5 if point[1] > point[0] else -0.5)
        assert_allclose(gradient(one, point), approx_fprime(point, one), rtol=1e-6, atol=1e-6)


def test_scalar_for_a_stack_is_never_broadcast():
    # One number for the whole stack of 2n points: broadcasting it would give a zero gradient.
    calls = []

    def f(v):
        calls.append(np.shape(v))
        return float(np.sum(v**2))

    x = np.array([[1.0, 2.0, 3.0], [-1.0, 0.5, 4.0]])
    out = gradient(f, x)
    assert_allclose(out, 2 * x, rtol=1e-8, atol=1e-8)
    # One stacked try, then one call per nudged point, each with one point of shape (n,).
    assert calls == [(2, 6, 3)] + [(3,)] * 12


# How a function may answer a stack of points p (shape (..., n)) and one point v (shape (n,)).
ANSWERS = {
    "per point": lambda shape: shape[:-1],
    "first axis dropped": lambda shape: shape[1:],
    "one number": lambda shape: (),
    "one entry kept": lambda shape: shape[:-1] + (1,),
    "the points": lambda shape: shape,
    "fixed (2,)": lambda shape: (2,),
    "fixed (1,)": lambda shape: (1,),
}


@PROPERTY
@given(
    stack_answer=st.sampled_from(sorted(ANSWERS)),
    point_answer=st.sampled_from(sorted(ANSWERS)),
    shape=st.sampled_from([(1,), (2,), (3,), (1, 2), (2, 1), (3, 2), (2, 2, 2)]),
    which=st.sampled_from(["gradient", "partial", "hessian"]),
)
def test_never_a_wrong_shape(stack_answer, point_answer, shape, which):
    """Whatever shapes f returns, the result has the right shape or a ValueError names f."""
    x = np.linspace(1.0, 2.0, math.prod(shape)).reshape(shape)

    def f(p):
        answer = ANSWERS[point_answer if p.ndim == 1 else stack_answer]
        return np.sum(p) * np.ones(answer(p.shape))  # a constant-shaped answer, never broadcast

    call = {"gradient": lambda: gradient(f, x), "partial": lambda: partial(f, x, 0), "hessian": lambda: hessian(f, x)}
    expected = {"gradient": x.shape, "partial": x.shape[:-1], "hessian": x.shape + (x.shape[-1],)}[which]
    try:
        out = call[which]()
    except ValueError as err:
        assert str(err).startswith("f must return one number per point")
        # Refused only when one point does not give one number.
        assert ANSWERS[point_answer]((shape[-1],)) != ()
    else:
        assert np.shape(out) == expected


def test_values_at_keeps_the_points():
    # f may scribble on its argument; the points of the difference must not move.
    def scribble(v):
        value = float(v[0] ** 2 + v[1])
        v[...] = 0.0
        return value

    assert_allclose(gradient(scribble, [1.0, 2.0]), [2.0, 1.0], rtol=1e-8)
    points = np.array([[1.0, 2.0], [3.0, 4.0]])
    assert_array_equal(values_at(scribble, points), [3.0, 13.0])
    assert_array_equal(points, [[1.0, 2.0], [3.0, 4.0]])


@pytest.mark.parametrize("shape", [(1, 1), (2, 2), (3, 3), (2, 2, 2), (1, 1, 1)])
def test_square_stacks_are_not_mistaken_for_one_value_per_point(shape):
    # n points of n coordinates: v[0] (the first point) has the shape of one value per point, so the
    # shape alone cannot tell the styles apart; before the fix partial(one, x) mixed the points.
    def one(v):
        return v[0] ** 2 * v[-1] + 3 * v[0]

    def stacked(p):
        return p[..., 0] ** 2 * p[..., -1] + 3 * p[..., 0]

    x = np.random.default_rng(11).uniform(0.5, 2.0, size=shape)
    exact = x[..., 0] ** 2 * x[..., -1] + 3 * x[..., 0]
    assert_allclose(values_at(one, x), exact, rtol=1e-14, atol=0)
    assert_allclose(values_at(stacked, x), exact, rtol=1e-14, atol=0)
    for i in range(shape[-1]):
        assert_allclose(partial(one, x, i), partial(stacked, x, i), rtol=0, atol=1e-12)
    d0 = 2 * x[..., 0] * x[..., -1] + 3 + (x[..., 0] ** 2 if shape[-1] == 1 else 0)
    assert_allclose(partial(one, x, 0), d0, rtol=1e-8, atol=1e-8)


def test_values_at_calls_a_fast_f_once_for_a_square_stack():
    calls = []

    def stacked(p):
        calls.append(p.shape)
        return p[..., 0] - p[..., 1]

    assert_array_equal(values_at(stacked, [[1.0, 2.0], [5.0, 3.0]]), [-1.0, 2.0])
    assert calls == [(3, 2)]  # one call: the two points and a copy of the first


def test_values_at_reraises_the_error_of_a_broken_f():
    def broken(v):
        raise ZeroDivisionError("inside f")

    with pytest.raises(ZeroDivisionError, match="inside f"):
        gradient(broken, [1.0, 2.0])


# ---------------------------------------------------------------------------------------------
# the Hessian: second differences against analytic second derivatives, NumPy and SciPy

# (name, f, exact Hessian, dimension)
HESSIANS = [
    ("bowl", lambda p: p[..., 0] ** 2 + 2 * p[..., 1] ** 2, lambda p: _sym(2.0, 0.0, 4.0, p), 2),
    ("saddle", lambda p: p[..., 0] ** 2 - p[..., 1] ** 2, lambda p: _sym(2.0, 0.0, -2.0, p), 2),
    ("cubic", lambda p: p[..., 0] ** 3 + p[..., 1] ** 2, lambda p: _sym(6 * p[..., 0], 0.0, 2.0, p), 2),
    ("quartic", lambda p: p[..., 0] ** 4 + p[..., 1] ** 4, lambda p: _sym(12 * p[..., 0] ** 2, 0.0, 12 * p[..., 1] ** 2, p), 2),
    (
        "hill",
        lambda p: 3 * np.exp(-(p[..., 0] ** 2 + 3 * p[..., 1] ** 2) / 4),
        lambda p: 3 * np.exp(-(p[..., 0] ** 2 + 3 * p[..., 1] ** 2) / 4)[..., None, None]
        * _sym(p[..., 0] ** 2 / 4 - 0.5, 0.75 * p[..., 0] * p[..., 1], 2.25 * p[..., 1] ** 2 - 1.5, p),
        2,
    ),
    (
        "exp_sin",
        lambda p: np.exp(p[..., 0]) * np.sin(p[..., 1]),
        lambda p: np.exp(p[..., 0])[..., None, None] * _sym(np.sin(p[..., 1]), np.cos(p[..., 1]), -np.sin(p[..., 1]), p),
        2,
    ),
    (
        "xyz_plus_z2",
        lambda p: p[..., 0] * p[..., 1] * p[..., 2] + p[..., 2] ** 2,
        lambda p: np.stack(
            [
                np.stack([0 * p[..., 0], p[..., 2], p[..., 1]], -1),
                np.stack([p[..., 2], 0 * p[..., 0], p[..., 0]], -1),
                np.stack([p[..., 1], p[..., 0], np.full(p.shape[:-1], 2.0)], -1),
            ],
            -2,
        ),
        3,
    ),
    ("one_input", lambda p: np.sin(p[..., 0]), lambda p: -np.sin(p)[..., None], 1),
]
HESSIAN_PARAMS = [pytest.param(f, hess, n, id=name) for name, f, hess, n in HESSIANS]


def _sym(a, b, c, p):
    """[[a, b], [b, c]] for every point of p (shape (..., 2))."""
    a, b, c = (np.broadcast_to(np.asarray(v, dtype=float), p.shape[:-1]) for v in (a, b, c))
    return np.stack([np.stack([a, b], -1), np.stack([b, c], -1)], -2)


@pytest.mark.parametrize("f, hess, n", HESSIAN_PARAMS)
def test_hessian_matches_analytic(f, hess, n):
    for point in _points(n):
        out = hessian(f, point)
        assert out.shape == (n, n)
        assert_array_equal(out, out.T)  # symmetric by construction
        # Truncation ~h^2 f''''/12 and rounding ~eps |f| / h^2, with h = eps^(1/4) max(1, |x|).
        assert_allclose(out, hess(point), rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("batch_shape", [(1,), (5,), (2, 3)])
@pytest.mark.parametrize("f, hess, n", HESSIAN_PARAMS)
def test_hessian_is_vectorised_over_points(f, hess, n, batch_shape):
    x = np.random.default_rng(7).uniform(-2, 2, size=batch_shape + (n,))
    out = hessian(f, x)
    assert out.shape == x.shape + (n,)
    assert_allclose(out, hess(x), rtol=1e-6, atol=1e-6)
    for matrix, point in zip(out.reshape(-1, n, n), x.reshape(-1, n)):
        assert_allclose(matrix, hessian(f, point), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("shape", [(2,), (4, 3)])
def test_hessian_calls_f_exactly_once(shape):
    calls = []

    def f(p):
        calls.append(p.shape)
        return np.sum(p**2, axis=-1)

    n = shape[-1]
    hessian(f, np.ones(shape))
    assert calls == [shape[:-1] + (2 * n * n + 1, n)]


@pytest.mark.parametrize("seed", range(4))
def test_hessian_of_a_quadratic_is_its_matrix(seed):
    # f(x) = ½ xᵀAx + b·x has the Hessian A everywhere; NumPy's eigvalsh then gives A's eigenvalues.
    rng = np.random.default_rng(seed)
    n = 2 + seed
    M = rng.integers(-3, 4, size=(n, n)).astype(float)
    A = M + M.T
    b = rng.integers(-3, 4, size=n).astype(float)

    def f(p):
        return 0.5 * np.einsum("...i,ij,...j->...", p, A, p) + p @ b

    x = rng.integers(-3, 4, size=n).astype(float)
    assert_allclose(hessian(f, x), A, rtol=0, atol=1e-6)
    # Integer points and h = 1 keep every value a multiple of ½: the second differences are exact.
    assert_array_equal(hessian(f, x, h=1.0), A)
    assert_allclose(np.linalg.eigvalsh(hessian(f, x)), np.linalg.eigvalsh(A), rtol=0, atol=1e-6)


@pytest.mark.parametrize("f, hess, n", HESSIAN_PARAMS)
def test_hessian_agrees_with_scipy_differentiate(f, hess, n):
    # SciPy wants the coordinates on the first axis.
    for point in _points(n, k=3):
        theirs = scipy_hessian(lambda z: f(np.moveaxis(z, 0, -1)), point).ddf
        assert_allclose(hessian(f, point), theirs, rtol=1e-6, atol=1e-6)


@PROPERTY
@given(x=hnp.arrays(np.float64, st.sampled_from([(2,), (3,), (2, 3)]), elements=st.floats(-3, 3)))
def test_hessian_is_the_gradient_of_the_gradient(x):
    def f(p):
        return np.sin(p[..., 0]) * np.exp(0.3 * p[..., -1]) + np.sum(p**2, axis=-1) * p[..., 0]

    def grad(p):
        e = np.exp(0.3 * p[..., -1])
        g = 2 * p * p[..., :1]
        g[..., 0] += np.sum(p**2, axis=-1) + np.cos(p[..., 0]) * e
        g[..., -1] += 0.3 * np.sin(p[..., 0]) * e
        return g

    n = x.shape[-1]
    assert_allclose(gradient(f, x), grad(x), rtol=1e-8, atol=1e-8)
    # Entry (i, j) of H: how the slope along i changes when x_j moves (a central difference of it).
    jac = np.stack([np.stack([partial(lambda q: grad(q)[..., i], x, j) for j in range(n)], -1) for i in range(n)], -2)
    assert_allclose(hessian(f, x), jac, rtol=1e-6, atol=1e-6)


def test_hessian_too_large_x_raises():
    with pytest.raises(ValueError, match=r"^x is too large"):
        hessian(lambda p: p.sum(-1), [FMAX, 1.0])
