"""Tests for dlmath.approx: exact constructions, least-squares fits, error rates, training, bad input."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from dlmath import approx
from dlmath.activations import ACTIVATIONS, hard_sigmoid, relu, sigmoid
from dlmath.data import nielsen_curve, piecewise_curve, piecewise_curve_knots
from dlmath.nn import MLP
from dlmath.optim import SGD, Adam

pytestmark = pytest.mark.filterwarnings("error")

X = np.linspace(0.0, 1.0, 1001)


def by_hand(model, x):
    """The model's formula written out unit by unit: b + sum_i c_i a(b_i + w_i x)."""
    f = ACTIVATIONS[model.activation].function
    return model.b + sum(model.c[i] * f(model.bi[i] + model.w[i] * x) for i in range(model.n_units))


# ---------------------------------------------------------------------------------------------
# the model


@pytest.mark.parametrize("activation", approx.UNIT_ACTIVATIONS)
def test_call_equals_the_formula_from_the_parameters(activation):
    model = approx.fit_curve(X, nielsen_curve(X), 7, activation)
    assert_allclose(model(X), by_hand(model, X), rtol=1e-12, atol=1e-12)
    assert isinstance(model(0.3), float)
    assert model(X.reshape(7, 143)).shape == (7, 143)
    assert_allclose(model.units(X).sum(axis=1) + model.b, model(X), rtol=1e-12, atol=1e-12)


def test_theta_joints_and_the_mlp_twin():
    model = approx.fit_curve(X, nielsen_curve(X), 6, "sigmoid")
    assert model.theta.shape == (3 * 6 + 1,)
    assert_allclose(model.joints, np.linspace(0, 1, 7)[:-1] + 1 / 12, rtol=1e-12)  # midpoints of the pieces
    net = model.to_mlp()
    assert net.sizes == (1, 6, 1) and net.activation == "sigmoid"
    assert_allclose(net.forward(X[:, None])[:, 0], model(X), rtol=1e-12, atol=1e-12)
    back = approx.CurveModel.from_mlp(net)
    assert_allclose(back.theta, model.theta, rtol=0, atol=0)


def test_parameters_are_read_only_copies():
    c = np.array([1.0, 2.0])
    model = approx.CurveModel(0.5, c, [0.0, -1.0], [1.0, 1.0], "relu")
    c[0] = 99.0
    assert model.c[0] == 1.0
    with pytest.raises(ValueError):
        model.c[0] = 3.0


# ---------------------------------------------------------------------------------------------
# exact constructions


@pytest.mark.parametrize("k", [1, 2, 3, 7, 20])
def test_k_corners_are_reproduced_by_k_plus_1_relus(k):
    """A curve with k corners at the evenly spaced joints is fitted exactly by k + 1 ReLUs."""
    rng = np.random.default_rng(k)
    knots_x = np.linspace(-2.0, 3.0, k + 2)
    knots_y = rng.normal(size=k + 2)
    x = np.sort(np.concatenate([knots_x, rng.uniform(-2.0, 3.0, size=400)]))
    y = np.interp(x, knots_x, knots_y)
    model = approx.fit_curve(x, y, k + 1, "relu")
    assert model.n_units == k + 1
    assert np.max(np.abs(model(x) - y)) < 1e-10
    # ... and with one unit fewer it cannot be
    assert np.max(np.abs(approx.fit_curve(x, y, k, "relu")(x) - y)) > 1e-3


@pytest.mark.parametrize("activation", ["relu", "hard_sigmoid"])
def test_piecewise_linear_is_exact_on_the_knots_range(activation):
    knots_x, knots_y = piecewise_curve_knots()
    model = approx.piecewise_linear(knots_x, knots_y, activation)
    x = np.linspace(0, 1, 1001)
    assert model.n_units == knots_x.size - 1
    assert_allclose(model(x), piecewise_curve(x), rtol=0, atol=1e-14)


def test_piecewise_linear_outside_the_knots():
    knots_x, knots_y = np.array([0.0, 1.0, 3.0]), np.array([1.0, 3.0, 2.0])
    ramps = approx.piecewise_linear(knots_x, knots_y, "hard_sigmoid")
    relus = approx.piecewise_linear(knots_x, knots_y, "relu")
    assert ramps(-5.0) == pytest.approx(1.0) and ramps(10.0) == pytest.approx(2.0)  # flat on both sides
    assert relus(-5.0) == pytest.approx(1.0) and relus(5.0) == pytest.approx(1.0)  # the last slope -1/2 goes on
    assert_allclose(relus.c, [2.0, -2.5])  # the changes of slope: 2, then 2 -> -0.5


def test_hard_sigmoid_is_two_relus():
    z = np.linspace(-3, 4, 701)
    assert_allclose(hard_sigmoid(z), relu(z) - relu(z - 1), rtol=0, atol=0)


def test_bump_and_staircase():
    assert approx.bump(0.5, 0.3, 0.6) == pytest.approx(1.0, abs=1e-12)
    assert approx.bump(0.1, 0.3, 0.6) == pytest.approx(0.0, abs=1e-12)
    assert approx.bump(0.3, 0.3, 0.6) == pytest.approx(0.5, abs=1e-12)  # half-way up the step
    model = approx.staircase(nielsen_curve, 4)
    assert model.n_units == 8 and model.activation == "sigmoid" and model.b == 0
    middles = np.array([0.125, 0.375, 0.625, 0.875])
    assert_allclose(model(middles), nielsen_curve(middles), rtol=1e-9)  # each bump as high as f in its middle
    assert_allclose(model(X), by_hand(model, X), rtol=1e-12, atol=1e-12)


# ---------------------------------------------------------------------------------------------
# how the error falls


def test_error_falls_as_units_are_added():
    y = nielsen_curve(X)
    ns = np.array([13, 20, 30, 50, 100])
    relu_errors = [approx.curve_errors(approx.fit_curve(X, y, int(n))(X), y).mean_abs for n in ns]
    assert np.all(np.diff(relu_errors) < 0)
    assert -2.6 < approx.error_slope(ns, relu_errors) < -1.6  # about 1/N^2
    sharp = [approx.curve_errors(approx.staircase(nielsen_curve, int(n), steepness=1e5)(X), y).mean_abs for n in ns]
    assert np.all(np.diff(sharp) < 0)
    assert -1.2 < approx.error_slope(ns, sharp) < -0.8  # about 1/N


def test_the_reference_errors():
    """Mean absolute errors of a reference implementation (0.09, 0.008; 0.067, 0.0026; 0.0012)."""
    y, f = nielsen_curve(X), nielsen_curve

    def err(model):
        return approx.curve_errors(model(X), y).mean_abs

    assert err(approx.staircase(f, 5)) == pytest.approx(0.09, abs=0.005)
    assert err(approx.staircase(f, 50)) == pytest.approx(0.008, abs=0.001)
    knots5, knots50 = np.linspace(0, 1, 6), np.linspace(0, 1, 51)
    assert err(approx.piecewise_linear(knots5, f(knots5))) == pytest.approx(0.067, abs=0.001)
    assert err(approx.piecewise_linear(knots50, f(knots50))) == pytest.approx(0.0026, abs=0.0001)
    assert err(approx.fit_curve(X, y, 50)) == pytest.approx(0.0012, abs=0.0001)


def test_curve_errors_and_slope():
    e = approx.curve_errors([1.0, 2.0, 3.0], [1.5, 2.0, 1.0])
    assert e == (pytest.approx(2.5 / 3), 2.0)
    n = np.array([1.0, 10.0, 100.0])
    assert approx.error_slope(n, 3.0 / n**2) == pytest.approx(-2.0)


@settings(max_examples=40, deadline=None, derandomize=True)
@given(n=st.integers(1, 30), activation=st.sampled_from(approx.UNIT_ACTIVATIONS))
def test_least_squares_beats_any_other_output_weights(n, activation):
    """On fixed joints the least-squares output weights have the smallest squared error."""
    x = np.linspace(-1.0, 2.0, 301)
    y = np.sin(3 * x)
    model = approx.fit_curve(x, y, n, activation)
    best = np.mean((model(x) - y) ** 2)
    rng = np.random.default_rng(n)
    for _ in range(3):
        other = approx.CurveModel(model.b + rng.normal(0, 1e-3), model.c + rng.normal(0, 1e-3, n), model.bi, model.w, activation)
        assert np.mean((other(x) - y) ** 2) >= best - 1e-15


# ---------------------------------------------------------------------------------------------
# gradient descent on every parameter


def test_gradient_descent_lowers_the_loss_monotonically():
    x = np.linspace(0, 1, 41)
    y = nielsen_curve(x)
    start = approx.random_start((0, 1), 6, "sigmoid", seed=3)
    run = approx.train_curve(x, y, start, SGD(0.05), 300)
    assert not run.diverged and run.losses.size == 301
    assert np.all(np.diff(run.losses) <= 0)
    assert run.losses[-1] < 0.5 * run.losses[0]
    # the returned model is the trained network, and its loss is the last one recorded
    assert np.mean((run.model(x) - y) ** 2) == pytest.approx(run.losses[-1], rel=1e-12)
    assert_allclose(start.theta, approx.random_start((0, 1), 6, "sigmoid", seed=3).theta)  # start unchanged


def test_gradient_of_the_training_loss_matches_central_differences():
    """The gradient train_curve follows (backpropagation through MLP) is the loss's gradient in θ."""
    x = np.linspace(0, 1, 23)
    y = nielsen_curve(x)
    model = approx.random_start((0, 1), 4, "tanh", seed=1)
    net = model.to_mlp()
    _, grads = net.loss_and_grads(x[:, None], y[:, None])
    analytic = np.concatenate([grads[0][0], grads[1], grads[2][:, 0], grads[3]])  # θ's order: w, b_i, c, b

    def loss(theta):
        n = model.n_units
        m = approx.CurveModel(theta[-1], theta[2 * n:3 * n], theta[n:2 * n], theta[:n], "tanh")
        return np.mean((m(x) - y) ** 2)

    h = 1e-6
    numeric = [(loss(model.theta + h * e) - loss(model.theta - h * e)) / (2 * h) for e in np.eye(model.theta.size)]
    assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-9)


def test_adam_from_the_least_squares_fit_moves_the_joints_and_improves():
    x = np.linspace(0, 1, 101)
    y = nielsen_curve(x)
    fit = approx.fit_curve(x, y, 8)
    run = approx.train_curve(x, y, fit, Adam(1e-3), 400)
    assert run.losses[-1] < run.losses[0]
    assert np.max(np.abs(run.model.joints - fit.joints)) > 1e-3


def test_divergence_is_reported_not_raised():
    x = np.linspace(0, 1, 21)
    run = approx.train_curve(x, nielsen_curve(x), approx.random_start((0, 1), 5, seed=0), SGD(1e3), 200)
    assert run.diverged and run.losses.size < 201 and np.all(np.isfinite(run.losses))


# ---------------------------------------------------------------------------------------------
# two inputs


def test_cross_and_tower():
    inside, arm, outside = (0.5, 0.5), (0.5, 0.1), (0.1, 0.1)
    # Steepness 100: 0.5 is 0.1 inside both edges (σ(±10)); 0.1 is 0.3 and 0.5 below them.
    on, off = sigmoid(10.0) - sigmoid(-10.0), sigmoid(-30.0) - sigmoid(-50.0)
    assert approx.cross(*inside) == pytest.approx(2 * on, rel=1e-12)
    assert approx.cross(*arm) == pytest.approx(on + off, rel=1e-12)
    assert approx.cross(*outside) == pytest.approx(2 * off, rel=1e-12)
    assert approx.tower(*inside) == pytest.approx(sigmoid(20 * (2 * on - 1.5)), rel=1e-12)
    assert approx.tower(*inside) > 0.9999 and approx.tower(*arm) < 1e-4 and approx.tower(*outside) < 1e-12


def test_cross_is_one_layer_in_matrix_form():
    """y = σ(x W + b) c with four units, W of shape (2, 4): (inputs, units), as the chapter writes it."""
    w = 100.0
    W = np.array([[w, w, 0, 0], [0, 0, w, w]])
    b = -w * np.array([0.4, 0.6, 0.4, 0.6])
    c = np.array([1.0, -1.0, 1.0, -1.0])
    pts = np.random.default_rng(0).uniform(0, 1, size=(50, 2))
    matrix = sigmoid(pts @ W + b) @ c
    assert_allclose(matrix, approx.cross(pts[:, 0], pts[:, 1]), rtol=1e-12, atol=1e-12)


# ---------------------------------------------------------------------------------------------
# bad input


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: approx.fit_curve(X, X, 0), "n_units"),
        (lambda: approx.fit_curve(X, X, 2.5), "n_units"),
        (lambda: approx.fit_curve(X, X, True), "n_units"),
        (lambda: approx.fit_curve(X, X, 3, "cosine"), "activation"),
        (lambda: approx.fit_curve(X, X, 3, "identity"), "activation"),
        (lambda: approx.fit_curve(X, X[:-1], 3), "same length"),
        (lambda: approx.fit_curve(np.r_[X, np.nan], np.r_[X, 0.0], 3), "x must be finite"),
        (lambda: approx.fit_curve(X, np.r_[X[:-1], np.inf], 3), "y must be finite"),
        (lambda: approx.fit_curve([1.0, 1.0, 1.0], [0.0, 1.0, 2.0], 1), "x must not be all equal"),
        (lambda: approx.fit_curve([0.0, 1.0, 2.0], [0.0, 1.0, 2.0], 5), "n_units"),
        (lambda: approx.fit_curve(np.r_[np.zeros(50), 1.0], np.zeros(51), 10), "n_units"),
        (lambda: approx.staircase(nielsen_curve, 0), "n_bumps"),
        (lambda: approx.staircase("f", 3), "f must be a callable"),
        (lambda: approx.staircase(nielsen_curve, 3, (1.0, 0.0)), "x_range"),
        (lambda: approx.staircase(nielsen_curve, 3, steepness=-1.0), "steepness"),
        (lambda: approx.piecewise_linear([0.0, 0.0, 1.0], [1.0, 2.0, 3.0]), "knots_x"),
        (lambda: approx.piecewise_linear([0.0, 1.0], [1.0, 2.0], "sigmoid"), "activation"),
        (lambda: approx.piecewise_linear([0.0, 1.0, 2.0], [1.0, 2.0]), "knots_x and knots_y must have the same length"),
        (lambda: approx.piecewise_linear([0.0, np.inf], [1.0, 2.0]), "knots_x must be finite"),
        (lambda: approx.curve_errors([1.0, 2.0], [1.0]), "y_pred and y must have the same length"),
        (lambda: approx.error_slope([1, 2, 3], [0.1, 0.01]), "n_units and errors must have the same length"),
        (lambda: approx.bump(0.5, 0.6, 0.3), "left"),
        (lambda: approx.CurveModel(0.0, [1.0], [0.0, 1.0], [1.0], "relu"), "one number per unit"),
        (lambda: approx.CurveModel(np.nan, [1.0], [0.0], [1.0], "relu"), "b must be"),
        (lambda: approx.CurveModel(0.0, [1.0], [0.0], [1.0], "swish"), "activation"),
        (lambda: approx.CurveModel.from_mlp(MLP((2, 3, 1))), "net"),
        (lambda: approx.CurveModel.from_mlp(MLP((1, 3, 1))), "net"),  # a softmax output is no curve
        (lambda: approx.train_curve(X, X, "start", SGD(0.1), 3), "start"),
        (lambda: approx.train_curve(X, X, approx.random_start((0, 1), 2), 0.1, 3), "optimizer"),
        (lambda: approx.train_curve(X, X, approx.random_start((0, 1), 2), SGD(0.1), -1), "steps"),
        (lambda: approx.error_slope([1, 2], [0.0, 1.0]), "positive"),
        (lambda: approx.random_start((0, 1), 0), "n_units"),
        (lambda: approx.tower(0.5, 0.5, threshold_steepness=0.0), "threshold_steepness"),
    ],
)
def test_bad_input_names_the_argument(call, name):
    with pytest.raises(ValueError, match=name):
        call()
