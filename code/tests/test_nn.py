"""Tests for dlmath.nn: initialisation scales, the forward pass against a plain loop, every gradient of
the backward pass against central differences (and against the scalar Value engine), the per-layer
gradient sizes, and ValueError for bad input."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

from dlmath.activations import ACTIVATIONS
from dlmath.graph import Value, value_dot, value_sum
from dlmath.nn import MLP, gradient_sizes, init_std, layer_gradient_norms

pytestmark = pytest.mark.filterwarnings("error")

PROPERTY = settings(max_examples=25, deadline=None, derandomize=True)


def batch(sizes, n=7, seed=1):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, sizes[0])), rng.normal(size=(n, sizes[-1]))


def numeric_grads(model, X, y, h=1e-6):
    """Central difference of the loss for every entry of every parameter (slow; small networks only)."""
    grads = []
    for p in model.params:
        g = np.empty_like(p)
        for i in np.ndindex(p.shape):
            old = p[i]
            p[i] = old + h
            up = model.loss(X, y)
            p[i] = old - h
            down = model.loss(X, y)
            p[i] = old
            g[i] = (up - down) / (2 * h)
        grads.append(g)
    return grads


# ---------------------------------------------------------------------------------------------
# initialisation


def test_init_std_schemes():
    assert init_std(50, 10, "he") == pytest.approx(np.sqrt(2 / 50), rel=1e-15)
    assert init_std(50, 10, "xavier") == pytest.approx(np.sqrt(2 / 60), rel=1e-15)
    assert init_std(30, 30, "xavier") == pytest.approx(np.sqrt(1 / 30), rel=1e-15)
    assert init_std(50, 10, "normal") == 1.0
    assert init_std(25, 10, 2.0) == pytest.approx(0.4, rel=1e-15)
    assert init_std(30, 30, np.sqrt(30)) == pytest.approx(1.0, rel=1e-15)


@pytest.mark.parametrize("init", ["he", "xavier", "normal", 0.7])
def test_initial_weights_have_the_chosen_spread(init):
    model = MLP((400, 300, 1), "relu", seed=3, init=init)
    W, b = model.params[:2]
    assert_allclose(W.std(), init_std(400, 300, init), rtol=0.01)
    assert abs(W.mean()) < 0.01 * init_std(400, 300, init)
    assert_array_equal(b, 0.0)


def test_auto_init_is_he_for_relu_and_xavier_for_s_curves():
    assert MLP((4, 4, 1), "relu").init == "he" and MLP((4, 4, 1), "leaky_relu").init == "he"
    assert MLP((4, 4, 1), "tanh").init == "xavier" and MLP((4, 4, 1), "sigmoid").init == "xavier"


@pytest.mark.parametrize("bad", ["glorot", -1.0, 0.0, np.nan, np.inf, True, None])
def test_bad_init(bad):
    with pytest.raises(ValueError, match="init"):
        init_std(3, 4, bad)
    with pytest.raises(ValueError, match="init"):
        MLP((3, 4, 1), init=bad)


@pytest.mark.parametrize("fan_in, fan_out", [(0, 3), (3, 0), (2.5, 3), (True, 3)])
def test_bad_fans(fan_in, fan_out):
    with pytest.raises(ValueError, match="fan_"):
        init_std(fan_in, fan_out)


# ---------------------------------------------------------------------------------------------
# parameters and the forward pass


def test_params_layout():
    model = MLP([3, 5, 4, 2], "tanh", seed=0)
    assert model.layers == 3 and model.sizes == (3, 5, 4, 2)
    assert [p.shape for p in model.params] == [(3, 5), (5,), (5, 4), (4,), (4, 2), (2,)]
    assert all(p.dtype == np.float64 for p in model.params)
    assert "sizes=(3, 5, 4, 2)" in repr(model)


def test_seeded():
    a, b, c = MLP((3, 5, 2), seed=4), MLP((3, 5, 2), seed=4), MLP((3, 5, 2), seed=5)
    assert all(np.array_equal(p, q) for p, q in zip(a.params, b.params))
    assert not np.array_equal(a.params[0], c.params[0])


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_forward_matches_a_plain_loop(name):
    model = MLP((3, 6, 4, 2), name, seed=2)
    rng = np.random.default_rng(0)
    for p in model.params[1::2]:
        p[:] = rng.normal(size=p.shape)  # non-zero biases, so that they are tested too
    X, _ = batch(model.sizes)
    f = ACTIVATIONS[name].function
    expected = np.empty((X.shape[0], 2))
    for i, x in enumerate(X):  # one example at a time, one neuron at a time
        a = x
        for l in range(model.layers):
            W, b = model.params[2 * l], model.params[2 * l + 1]
            z = np.array([sum(a[j] * W[j, k] for j in range(W.shape[0])) + b[k] for k in range(W.shape[1])])
            a = f(z) if l < model.layers - 1 else z
        expected[i] = a
    assert_allclose(model.forward(X), expected, rtol=1e-12, atol=1e-12)


def test_forward_pass_keeps_every_layer():
    model = MLP((3, 5, 4, 2), "sigmoid", seed=1)
    X, _ = batch(model.sizes, n=6)
    cache = model.forward_pass(X)
    assert [z.shape for z in cache.Z] == [(6, 5), (6, 4), (6, 2)]
    assert [a.shape for a in cache.A] == [(6, 3), (6, 5), (6, 4), (6, 2)]
    assert_array_equal(cache.A[1], ACTIVATIONS["sigmoid"].function(cache.Z[0]))
    assert_array_equal(cache.A[-1], cache.Z[-1])  # linear output
    assert_array_equal(model.forward(X), cache.A[-1])


def test_one_layer_is_linear_regression():
    model = MLP((2, 1), "relu", seed=0)
    model.params[0][:] = [[2.0], [-1.0]]
    model.params[1][:] = [0.5]
    X = np.array([[1.0, 1.0], [0.0, 3.0], [-2.0, 0.0]])
    assert_allclose(model.forward(X), [[1.5], [-2.5], [-3.5]])
    assert_allclose(model.loss(X, [1.5, -2.5, 0.0]), 3.5**2 / 3)


# ---------------------------------------------------------------------------------------------
# the backward pass


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_gradients_match_central_differences(name):
    model = MLP((3, 5, 4, 2), name, seed=7)
    rng = np.random.default_rng(1)
    for p in model.params[1::2]:
        p[:] = 0.3 * rng.normal(size=p.shape)
    X, y = batch(model.sizes, n=6)
    loss, grads = model.loss_and_grads(X, y)
    assert loss == pytest.approx(model.loss(X, y), rel=1e-15)
    numeric = numeric_grads(model, X, y)
    assert [g.shape for g in grads] == [p.shape for p in model.params]
    for g, n in zip(grads, numeric):
        # A kink within h of some pre-activation would spoil the difference; none is, for this seed.
        assert_allclose(g, n, rtol=1e-6, atol=1e-9)


@PROPERTY
@given(
    sizes=st.lists(st.integers(1, 5), min_size=2, max_size=5),
    seed=st.integers(0, 2**16),
    name=st.sampled_from(["tanh", "sigmoid", "softplus", "identity"]),
)
def test_gradients_match_central_differences_for_any_shape(sizes, seed, name):
    model = MLP(sizes, name, seed=seed)
    X, y = batch(model.sizes, n=4, seed=seed + 1)
    _, grads = model.loss_and_grads(X, y)
    for g, n in zip(grads, numeric_grads(model, X, y)):
        assert_allclose(g, n, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("name", ["tanh", "sigmoid", "relu"])
def test_gradients_match_the_value_engine(name):
    """The same network and loss built from Chapter 3's scalar Values, differentiated by its backward()."""
    model = MLP((3, 4, 2), name, seed=11)
    X, y = batch(model.sizes, n=3)
    _, grads = model.loss_and_grads(X, y)
    values = [[[Value(float(w)) for w in row] for row in p] if p.ndim == 2 else [Value(float(v)) for v in p] for p in model.params]
    W1, b1, W2, b2 = values
    terms = []
    for x, target in zip(X, y):
        hidden = [getattr(value_dot(W1_col, [float(t) for t in x]) + b, name)() for W1_col, b in zip(zip(*W1), b1)]
        out = [value_dot(W2_col, hidden) + b for W2_col, b in zip(zip(*W2), b2)]
        terms += [(o - float(t)) ** 2 for o, t in zip(out, target)]
    loss = value_sum(terms) * (1.0 / len(terms))
    loss.backward()
    assert loss.data == pytest.approx(model.loss(X, y), rel=1e-13)
    for g, v in zip(grads, values):
        engine = np.array([[w.grad for w in row] for row in v]) if g.ndim == 2 else np.array([b.grad for b in v])
        assert_allclose(g, engine, rtol=1e-12, atol=1e-15)


def test_backward_from_any_output_error():
    """backward() takes any dL/dZ of the output: with the error of L = sum of outputs it is all ones."""
    model = MLP((2, 3, 2), "tanh", seed=0)
    X, _ = batch(model.sizes, n=5)
    grads = model.backward(model.forward_pass(X), np.ones((5, 2)))
    assert_allclose(grads[-1], [5.0, 5.0])  # each output bias adds 1 to every example's output
    assert_allclose(grads[-2], np.tanh(X @ model.params[0]).sum(axis=0)[:, None] * np.ones((1, 2)))


# ---------------------------------------------------------------------------------------------
# gradient sizes per layer


def test_layer_gradient_norms():
    grads = [np.full((2, 2), 3.0), np.array([3.0, 4.0]), np.ones((2, 1)), np.array([-2.0])]
    assert_allclose(layer_gradient_norms(grads), [5.0, 2.0])
    assert_allclose(layer_gradient_norms(grads, part="weights"), [6.0, np.sqrt(2.0)])
    with pytest.raises(ValueError, match="part"):
        layer_gradient_norms(grads, part="both")
    with pytest.raises(ValueError, match="even"):
        layer_gradient_norms(grads[:3])


def test_gradient_sizes_are_the_networks_bias_gradients():
    result = gradient_sizes(4, "tanh", 1.0, width=6, batch=10, seed=3)
    model = MLP((6, 6, 6, 6, 6, 1), "tanh", seed=3, init=1.0)
    rng = np.random.default_rng(4)
    X, y = rng.standard_normal((10, 6)), rng.standard_normal((10, 1))
    loss, grads = model.loss_and_grads(X, y)
    assert_allclose(result.sizes, [np.linalg.norm(g) for g in grads[1:-2:2]], rtol=1e-15)
    assert result.loss == loss and len(result.sizes) == 4


def test_vanishing_level_and_exploding():
    """The chapter's three stories, for a network of width 30 with 20 hidden layers (each layer
    multiplies by about 2/sqrt(2) for ReLU with gain 2: 2^9.5 ~ 700 in theory, less in one sample)."""
    first_over_last = {}
    for name, gain in [("sigmoid", 1.0), ("relu", np.sqrt(2.0)), ("relu", 2.0), ("relu", 0.5)]:
        s = gradient_sizes(20, name, gain).sizes
        first_over_last[name, gain] = s[0] / s[-1]
    assert first_over_last["sigmoid", 1.0] < 1e-6  # vanishes
    assert 0.1 < first_over_last["relu", np.sqrt(2.0)] < 10  # He: about level
    assert first_over_last["relu", 2.0] > 30  # too large: explodes
    assert first_over_last["relu", 0.5] < 1e-3  # too small: vanishes even with ReLU


# ---------------------------------------------------------------------------------------------
# bad input


@pytest.mark.parametrize("sizes", [(3,), [], (3, 0, 1), (3, 2.5, 1), "3,4", (3, True, 1), None])
def test_bad_sizes(sizes):
    with pytest.raises(ValueError, match="sizes"):
        MLP(sizes)


def test_bad_activation_and_output():
    with pytest.raises(ValueError, match="activation"):
        MLP((2, 2), "swish")
    with pytest.raises(ValueError, match="output"):
        MLP((2, 2), output="softmax")  # not implemented yet (Chapter 10)


def test_bad_batches():
    model = MLP((3, 4, 2), "relu")
    X, y = batch(model.sizes, n=5)
    for bad in [X[:, :2], X[0], np.full((5, 3), np.nan), [["a", "b", "c"]]]:
        with pytest.raises(ValueError, match="X must"):
            model.forward(bad)
    for bad in [y[:, :1], y[:4], np.full((5, 2), np.inf), "y"]:
        with pytest.raises(ValueError, match="y must"):
            model.loss_and_grads(X, bad)
    with pytest.raises(ValueError, match="delta must"):
        model.backward(model.forward_pass(X), np.ones((5, 3)))


def test_flat_targets_for_one_output():
    model = MLP((3, 4, 1), "tanh")
    X, y = batch(model.sizes, n=5)
    assert model.loss(X, y[:, 0]) == model.loss(X, y)


@pytest.mark.parametrize("kw", [{"depth": 0}, {"depth": 2.0}, {"depth": 3, "width": 0}, {"depth": 3, "batch": -1}])
def test_gradient_sizes_bad_input(kw):
    with pytest.raises(ValueError):
        gradient_sizes(**kw)
