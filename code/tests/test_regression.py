"""Tests for dlmath.regression: exact answers, library twins, gradients, descent thresholds, bad input."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.polynomial import Polynomial
from numpy.testing import assert_allclose

from dlmath import descent, regression
from dlmath.data import exp_sine_sample, height_weight

pytestmark = pytest.mark.filterwarnings("error")

X_KG, Y_CM = height_weight()


# ---------------------------------------------------------------------------------------------
# the eight people, exactly


def exact_line(xs, ys):
    """The least-squares line in exact rational arithmetic (the normal equations, by hand)."""
    xs, ys = [Fraction(int(v)) for v in xs], [Fraction(int(v)) for v in ys]
    n = len(xs)
    sx, sy = sum(xs), sum(ys)
    sxx, sxy = sum(v * v for v in xs), sum(a * b for a, b in zip(xs, ys))
    w = (n * sxy - sx * sy) / (n * sxx - sx * sx)
    return w, (sy - w * sx) / n


def test_exact_fractions_of_the_eight_people():
    w, b = exact_line(X_KG, Y_CM)
    assert (w, b) == (Fraction(133, 177), Fraction(88003, 708))


def test_fit_line_matches_the_exact_fractions():
    fit = regression.fit_line(X_KG, Y_CM)
    assert_allclose(fit.w, 133 / 177, rtol=1e-12)
    assert_allclose(fit.b, 88003 / 708, rtol=1e-12)
    assert_allclose(fit.loss, np.mean((fit.w * X_KG + fit.b - Y_CM) ** 2), rtol=1e-12)


def test_least_squares_on_the_line_matches_the_exact_fractions():
    w, b = regression.least_squares(regression.line_design(X_KG), Y_CM)
    assert_allclose([w, b], [133 / 177, 88003 / 708], rtol=1e-12)


def test_the_best_line_is_a_minimum_of_the_loss():
    fit = regression.fit_line(X_KG, Y_CM)
    X = regression.line_design(X_KG)
    assert_allclose(regression.linear_loss_gradient([fit.w, fit.b], X, Y_CM), [0, 0], atol=1e-9)
    assert fit.loss == pytest.approx(regression.linear_loss([fit.w, fit.b], X, Y_CM), rel=1e-12)
    for dw, db in [(1e-3, 0), (0, 0.1), (-1e-3, 0.05)]:
        assert regression.linear_loss([fit.w + dw, fit.b + db], X, Y_CM) > fit.loss


# ---------------------------------------------------------------------------------------------
# library twins


@settings(max_examples=60, deadline=None, derandomize=True)
@given(
    n=st.integers(3, 40),
    d=st.integers(1, 6),
    scale=st.sampled_from([1e-3, 1.0, 1e3]),
    seed=st.integers(0, 10_000),
)
def test_least_squares_agrees_with_numpy_lstsq(n, d, scale, seed):
    d = min(d, n)
    rng = np.random.default_rng(seed)
    X = scale * rng.normal(size=(n, d))
    y = rng.normal(size=n) * scale
    ours = regression.least_squares(X, y)
    theirs = np.linalg.lstsq(X, y, rcond=None)[0]
    assert_allclose(ours, theirs, rtol=1e-9, atol=1e-12 * (1 + np.abs(theirs).max()))


@pytest.mark.parametrize("degree", [0, 1, 2, 3, 5, 8, 12, 14])
def test_fit_polynomial_agrees_with_numpy_polynomial_fit(degree):
    x, y = exp_sine_sample(15, seed=48)
    ours = regression.fit_polynomial(x, y, degree)
    theirs = Polynomial.fit(x, y, degree)
    assert ours.domain == tuple(theirs.domain)
    grid = np.linspace(x.min(), x.max(), 101)
    # the two solve the same least squares with different SVD scalings; high degrees are less
    # well conditioned, so they agree to fewer digits there
    rtol = 1e-10 if degree <= 8 else 1e-6
    assert_allclose(ours(grid), theirs(grid), rtol=rtol, atol=rtol)
    assert_allclose(ours.coef, theirs.coef, rtol=rtol, atol=rtol * np.abs(theirs.coef).max())


def test_polynomial_features_are_powers():
    x = np.array([2.0, -1.0, 0.5])
    assert_allclose(regression.polynomial_features(x, 3), [[1, 2, 4, 8], [1, -1, 1, -1], [1, 0.5, 0.25, 0.125]])
    assert regression.polynomial_features(x, 0).shape == (3, 1)


def test_degree_n_minus_one_passes_through_every_point():
    x, y = exp_sine_sample(6, seed=3)
    fit = regression.fit_polynomial(x, y, 5)
    assert_allclose(fit(x), y, atol=1e-9)
    assert fit.train_loss < 1e-18 and fit.degree == 5


def test_degree_zero_is_the_mean_and_the_line_is_fit_line():
    assert_allclose(regression.fit_polynomial(X_KG, Y_CM, 0)(np.array([1.0, 99.0])), [Y_CM.mean()] * 2, rtol=1e-14)
    line, fit = regression.fit_line(X_KG, Y_CM), regression.fit_polynomial(X_KG, Y_CM, 1)
    assert_allclose(fit(X_KG), line.w * X_KG + line.b, rtol=1e-13)


def test_mse():
    assert regression.mse([1.0, 2.0, 4.0], [1.0, 0.0, 1.0]) == pytest.approx((0 + 4 + 9) / 3)


# ---------------------------------------------------------------------------------------------
# gradient and Hessian of the loss


@pytest.mark.parametrize("seed", range(5))
def test_loss_gradient_matches_central_differences(seed):
    rng = np.random.default_rng(seed)
    X, y = rng.normal(size=(12, 3)), rng.normal(size=12)
    theta, h = rng.normal(size=3), 1e-5
    numeric = [
        (regression.linear_loss(theta + h * e, X, y) - regression.linear_loss(theta - h * e, X, y)) / (2 * h)
        for e in np.eye(3)
    ]
    assert_allclose(regression.linear_loss_gradient(theta, X, y), numeric, rtol=1e-7, atol=1e-9)


def test_loss_gradient_on_the_eight_people_matches_central_differences():
    X, theta, h = regression.line_design(X_KG), np.array([0.3, 100.0]), 1e-6
    numeric = [
        (regression.linear_loss(theta + h * e, X, Y_CM) - regression.linear_loss(theta - h * e, X, Y_CM)) / (2 * h)
        for e in np.eye(2)
    ]
    assert_allclose(regression.linear_loss_gradient(theta, X, Y_CM), numeric, rtol=1e-6)


def test_hessian_is_the_derivative_of_the_gradient():
    rng = np.random.default_rng(7)
    X, y = rng.normal(size=(10, 3)), rng.normal(size=10)
    theta, h = rng.normal(size=3), 1e-5
    columns = [
        (regression.linear_loss_gradient(theta + h * e, X, y) - regression.linear_loss_gradient(theta - h * e, X, y)) / (2 * h)
        for e in np.eye(3)
    ]
    assert_allclose(regression.linear_loss_hessian(X), np.column_stack(columns), rtol=1e-7, atol=1e-9)


def test_many_parameter_vectors_at_once():
    X = regression.line_design(X_KG)
    thetas = np.array([[0.0, 0.0], [0.75, 124.0], [1.0, 100.0]])
    assert_allclose(regression.linear_loss(thetas, X, Y_CM), [regression.linear_loss(t, X, Y_CM) for t in thetas])
    assert_allclose(regression.linear_loss_gradient(thetas, X, Y_CM),
                    [regression.linear_loss_gradient(t, X, Y_CM) for t in thetas])


# ---------------------------------------------------------------------------------------------
# gradient descent on the loss: the thresholds come from the Hessian's eigenvalues


def _descend(X, y, lr, steps):
    return descent.gradient_descent(lambda th: regression.linear_loss_gradient(th, X, y), np.zeros(X.shape[1]), lr,
                                    steps=steps, tol=1e-8)


@pytest.mark.parametrize("scaled", [False, True])
def test_descent_edge_is_two_over_the_largest_eigenvalue(scaled):
    x = regression.standardize(X_KG).values if scaled else X_KG
    X = regression.line_design(x)
    eig = np.linalg.eigvalsh(2 / len(x) * X.T @ X)  # the Hessian, written out independently
    t = descent.quadratic_thresholds(regression.linear_loss_hessian(X))
    assert_allclose([t.l_min, t.l_max], eig, rtol=1e-10)
    assert_allclose(t.diverge_lr, 2 / eig[-1], rtol=1e-10)
    below, above = _descend(X, Y_CM, 0.97 * t.diverge_lr, 3000), _descend(X, Y_CM, 1.03 * t.diverge_lr, 3000)
    assert above.diverged and not below.diverged
    assert regression.linear_loss(below.path[-1], X, Y_CM) < regression.linear_loss(below.path[0], X, Y_CM)


def test_scaling_makes_the_bowl_round():
    raw = descent.quadratic_thresholds(regression.linear_loss_hessian(regression.line_design(X_KG)))
    scaled = descent.quadratic_thresholds(
        regression.linear_loss_hessian(regression.line_design(regression.standardize(X_KG).values)))
    assert raw.l_max / raw.l_min > 1e5
    assert_allclose([scaled.l_min, scaled.l_max], [2.0, 2.0], rtol=1e-12)
    # one step of size 1/λ lands on the bottom of a round bowl
    X = regression.line_design(regression.standardize(X_KG).values)
    walk = _descend(X, Y_CM, 0.5, 10)
    assert walk.converged and walk.steps == 1


@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.9, 0.99])
@pytest.mark.parametrize("seed", range(3))
def test_steps_needed_matches_actual_descent(fraction, seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(20, 3)) * [1.0, 3.0, 0.5]
    y = rng.normal(size=20)
    H = regression.linear_loss_hessian(X)
    lr = fraction * descent.quadratic_thresholds(H).diverge_lr
    start = rng.normal(size=3)
    walk = descent.gradient_descent(lambda th: regression.linear_loss_gradient(th, X, y), start, lr,
                                    steps=100_000, tol=1e-6)
    needed = regression.descent_steps_needed(H, start - regression.least_squares(X, y), lr, 1e-6)
    assert walk.converged
    # exact arithmetic against rounded steps: the two may disagree by one step, never more
    assert abs(needed - walk.steps) <= 1


def test_steps_needed_beyond_the_edge_is_none():
    H = regression.linear_loss_hessian(regression.line_design(X_KG))
    edge = descent.quadratic_thresholds(H).diverge_lr
    assert regression.descent_steps_needed(H, [1.0, 1.0], 1.01 * edge) is None
    assert regression.descent_steps_needed(H, [0.0, 0.0], 1.01 * edge) == 0


# ---------------------------------------------------------------------------------------------
# splitting the data


def test_train_test_split_is_a_seeded_partition():
    x, y = np.arange(20.0), np.arange(20.0) * 10
    split = regression.train_test_split(x, y, 5, seed=3)
    assert len(split.x_test) == 5 and len(split.x_train) == 15
    assert sorted(np.concatenate([split.x_train, split.x_test])) == list(x)
    assert_allclose(split.y_train, split.x_train * 10)
    again = regression.train_test_split(x, y, 5, seed=3)
    assert_allclose(again.x_test, split.x_test)
    assert not np.array_equal(regression.train_test_split(x, y, 5, seed=4).x_test, split.x_test)
    assert len(regression.train_test_split(x, y, 0.25).x_test) == 5


# ---------------------------------------------------------------------------------------------
# bad input


@pytest.mark.parametrize(
    "call, words",
    [
        (lambda: regression.fit_line([1, 2, 3], [1, 2]), "x and y must have the same length"),
        (lambda: regression.fit_line([1, np.nan, 3], [1, 2, 3]), "x must be finite"),
        (lambda: regression.fit_line([1, 2, 3], [1, np.inf, 3]), "y must be finite"),
        (lambda: regression.fit_line([5, 5, 5], [1, 2, 3]), "x must not be all equal"),
        (lambda: regression.fit_line([5], [1]), "at least 2 points"),
        (lambda: regression.fit_polynomial([0, 1, 2], [0, 1, 2], -1), "degree must be an integer >= 0"),
        (lambda: regression.fit_polynomial([0, 1, 2], [0, 1, 2], 1.5), "degree must be an integer >= 0"),
        (lambda: regression.fit_polynomial([0, 1, 2], [0, 1, 2], 3), "at least 4 data points"),
        (lambda: regression.fit_polynomial([0, 1, 1, 1], [0, 1, 2, 3], 2), "only 2 different x"),
        (lambda: regression.polynomial_features([1, 2], True), "degree must be an integer"),
        (lambda: regression.least_squares(np.ones((2, 3)), [1, 2]), "at least 3 data points are needed"),
        (lambda: regression.least_squares([[1, 2], [2, 4], [3, 6]], [1, 2, 3]), "rank 1"),
        (lambda: regression.least_squares(np.ones((3, 2)), [1, 2]), "y must have one value per row of X"),
        (lambda: regression.least_squares([1, 2, 3], [1, 2, 3]), "X must be a non-empty 2-D array"),
        (lambda: regression.mse([1, 2], [1, 2, 3]), "y_pred and y must have the same length"),
        (lambda: regression.linear_loss([1, 2, 3], np.ones((4, 2)), np.ones(4)), "theta must have 2 parameters"),
        (lambda: regression.standardize([2, 2, 2]), "x must not be all equal"),
        (lambda: regression.train_test_split([1, 2, 3], [1, 2, 3], 3), "test_size must leave at least one"),
        (lambda: regression.train_test_split([1, 2, 3], [1, 2, 3], 1.5), "test_size as a fraction"),
        (lambda: regression.train_test_split([1, 2, 3], [1, 2], 1), "x must have one entry"),
        (lambda: regression.descent_steps_needed([[2.0, 0], [0, 1]], [1.0], 0.1), "offset must be 2"),
        (lambda: regression.descent_steps_needed([[2.0, 0], [0, 1]], [1.0, 1.0], -0.1), "lr must be"),
    ],
)
def test_bad_input_raises_value_error_naming_the_argument(call, words):
    with pytest.raises(ValueError, match=words):
        call()


def test_too_few_points_says_how_many_are_needed():
    with pytest.raises(ValueError) as info:
        regression.fit_polynomial(np.arange(5.0), np.arange(5.0), 7)
    message = str(info.value)
    assert "8 parameters" in message and "at least 8 data points" in message and "got 5" in message
