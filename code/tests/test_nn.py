"""Tests for dlmath.nn: initialisation scales, the forward pass against a plain loop, every gradient of
the backward pass against central differences (and against the scalar Value engine), the per-layer
gradient sizes, and ValueError for bad input."""

from __future__ import annotations

import copy
import pickle
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

from dlmath.activations import ACTIVATIONS
from dlmath.graph import Value, value_dot, value_sum
from dlmath.data import dataset_2d
from dlmath.nn import (MLP, History, _one_hot, _softmax_cross_entropy, gradient_sizes, init_std, layer_gradient_norms,
                       train, train_over_seeds, value_engine_grads)
from dlmath.optim import SGD, Adam, RMSProp

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
    model = MLP((3, 6, 4, 2), name, seed=2, output="identity")
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
    model = MLP((3, 5, 4, 2), "sigmoid", seed=1, output="identity")
    X, _ = batch(model.sizes, n=6)
    cache = model.forward_pass(X)
    assert [z.shape for z in cache.Z] == [(6, 5), (6, 4), (6, 2)]
    assert [a.shape for a in cache.A] == [(6, 3), (6, 5), (6, 4), (6, 2)]
    assert_array_equal(cache.A[1], ACTIVATIONS["sigmoid"].function(cache.Z[0]))
    assert_array_equal(cache.A[-1], cache.Z[-1])  # linear output
    assert_array_equal(model.forward(X), cache.A[-1])


def test_one_layer_is_linear_regression():
    model = MLP((2, 1), "relu", seed=0, output="identity")
    model.params[0][:] = [[2.0], [-1.0]]
    model.params[1][:] = [0.5]
    X = np.array([[1.0, 1.0], [0.0, 3.0], [-2.0, 0.0]])
    assert_allclose(model.forward(X), [[1.5], [-2.5], [-3.5]])
    assert_allclose(model.loss(X, [1.5, -2.5, 0.0]), 3.5**2 / 3)


# ---------------------------------------------------------------------------------------------
# the backward pass


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_gradients_match_central_differences(name):
    model = MLP((3, 5, 4, 2), name, seed=7, output="identity")
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
    model = MLP(sizes, name, seed=seed, output="identity")
    X, y = batch(model.sizes, n=4, seed=seed + 1)
    _, grads = model.loss_and_grads(X, y)
    for g, n in zip(grads, numeric_grads(model, X, y)):
        assert_allclose(g, n, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("name", ["tanh", "sigmoid", "relu"])
def test_gradients_match_the_value_engine(name):
    """The same network and loss built from Chapter 3's scalar Values, differentiated by its backward()."""
    model = MLP((3, 4, 2), name, seed=11, output="identity")
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
    model = MLP((6, 6, 6, 6, 6, 1), "tanh", seed=3, init=1.0, output="identity")
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


@pytest.mark.parametrize("seed", [-1, 1.5, "0", None, True])
def test_bad_seed(seed):
    with pytest.raises(ValueError, match="seed"):
        MLP((2, 2), seed=seed)


def test_bad_activation_and_output():
    with pytest.raises(ValueError, match="activation"):
        MLP((2, 2), "swish")
    with pytest.raises(ValueError, match="output"):
        MLP((2, 2), output="sigmoid")


def test_bad_batches():
    model = MLP((3, 4, 2), "relu", output="identity")
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
    model = MLP((3, 4, 1), "tanh", output="identity")
    X, y = batch(model.sizes, n=5)
    assert model.loss(X, y[:, 0]) == model.loss(X, y)


@pytest.mark.parametrize("kw", [{"depth": 0}, {"depth": 2.0}, {"depth": 3, "width": 0}, {"depth": 3, "batch": -1}])
def test_gradient_sizes_bad_input(kw):
    with pytest.raises(ValueError):
        gradient_sizes(**kw)



# ---------------------------------------------------------------------------------------------
# softmax output with cross-entropy (Chapter 10)


def labels(n, classes, seed):
    return np.random.default_rng(seed).integers(0, classes, size=n)


def test_softmax_forward_and_loss_by_hand():
    model = MLP((2, 3), "relu", "softmax", seed=0)
    model.params[0][:] = [[1.0, 0.0, -1.0], [0.0, 2.0, 0.0]]
    X = np.array([[1.0, 0.0], [0.0, 1.0]])
    Z = X @ model.params[0]
    P = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)
    assert_allclose(model.forward(X), P, rtol=1e-15)
    assert_allclose(model.forward(X).sum(axis=1), 1.0, rtol=1e-15)
    y = np.array([0, 1])
    assert model.loss(X, y) == pytest.approx(-(np.log(P[0, 0]) + np.log(P[1, 1])) / 2, rel=1e-14)
    assert_array_equal(model.predict(X), [0, 1])
    assert model.accuracy(X, [0, 2]) == 0.5


def test_softmax_output_error_is_P_minus_Y():
    """The gradient of the mean cross-entropy with respect to the output's Z is (P - Y) / B."""
    model = MLP((4, 5, 3), "tanh", "softmax", seed=2)
    X, _ = batch(model.sizes, n=6)
    y = labels(6, 3, seed=3)
    cache = model.forward_pass(X)
    P, Y = cache.A[-1], np.eye(3)[y]
    delta = (P - Y) / 6
    _, grads = model.loss_and_grads(X, y)
    assert_allclose(grads[-1], delta.sum(axis=0), rtol=1e-14, atol=1e-16)
    assert_allclose(grads[-2], cache.A[1].T @ delta, rtol=1e-14, atol=1e-16)
    # and P - Y itself against central differences of the loss in Z
    h, Z = 1e-6, cache.Z[-1]
    mean_ce = lambda Z: -np.mean(np.log(np.exp(Z)[np.arange(6), y] / np.exp(Z).sum(axis=1)))
    numeric = np.empty_like(Z)
    for i in np.ndindex(Z.shape):
        up, down = Z.copy(), Z.copy()
        up[i] += h
        down[i] -= h
        numeric[i] = (mean_ce(up) - mean_ce(down)) / (2 * h)
    assert_allclose(delta, numeric, rtol=1e-6, atol=1e-10)


def test_cross_entropy_matches_torch_formula_for_large_scores():
    """Computed through log-softmax: no overflow and no log(0) for scores of size 1000."""
    model = MLP((1, 2), "relu", "softmax", seed=0)
    model.params[0][:] = [[1000.0, -1000.0]]
    loss = model.loss(np.array([[1.0]]), [1])
    assert loss == pytest.approx(2000.0, rel=1e-15)



def test_cross_entropy_with_one_row_far_below_the_rest_falls_back_to_row_shifts():
    """The batch-wide shift would underflow row 1 (every exp of -2000 is 0): the loss and error must still
    equal SciPy's log-softmax, row by row, with nothing infinite."""
    from scipy.special import log_softmax, softmax

    Z = np.array([[1000.0, 999.0, 0.0], [-1000.0, -1001.0, -999.5], [0.5, 0.25, 0.0]])
    y = np.array([0, 2, 1])
    loss, delta = _softmax_cross_entropy(Z, _one_hot(y, 3))
    log_P = log_softmax(Z, axis=1)
    assert loss == pytest.approx(-log_P[np.arange(3), y].mean(), rel=1e-14)
    assert_allclose(delta, (softmax(Z, axis=1) - _one_hot(y, 3)) / 3, rtol=1e-13, atol=1e-16)


@PROPERTY
@given(seed=st.integers(0, 2**16), spread=st.sampled_from([1e-3, 1.0, 30.0, 300.0]))
def test_cross_entropy_matches_scipy_log_softmax(seed, spread):
    """The batch-wide shift gives SciPy's row-by-row log-softmax to rounding, for scores of any spread."""
    from scipy.special import log_softmax, softmax

    rng = np.random.default_rng(seed)
    Z, y = spread * rng.normal(size=(7, 4)), rng.integers(0, 4, size=7)
    loss, delta = _softmax_cross_entropy(Z, _one_hot(y, 4))
    assert loss == pytest.approx(-log_softmax(Z, axis=1)[np.arange(7), y].mean(), rel=1e-12, abs=1e-12)
    assert_allclose(delta, (softmax(Z, axis=1) - _one_hot(y, 4)) / 7, rtol=1e-9, atol=1e-15)


def test_the_loss_of_an_empty_batch_is_refused():
    with pytest.raises(ValueError, match="at least one example"):
        MLP((2, 2)).loss_and_grads(np.zeros((0, 2)), np.zeros(0, dtype=int))


@PROPERTY
@given(
    sizes=st.lists(st.integers(1, 5), min_size=1, max_size=4),
    classes=st.integers(2, 4),
    seed=st.integers(0, 2**16),
    name=st.sampled_from(sorted(ACTIVATIONS)),
)
def test_softmax_gradients_match_central_differences(sizes, classes, seed, name):
    model = MLP([*sizes, classes], name, "softmax", seed=seed)
    rng = np.random.default_rng(seed)
    for p in model.params[1::2]:
        p[:] = 0.3 * rng.normal(size=p.shape)
    X, _ = batch(model.sizes, n=5, seed=seed + 1)
    y = labels(5, classes, seed)
    _, grads = model.loss_and_grads(X, y)
    numeric = numeric_grads(model, X, y)
    for g, n in zip(grads, numeric):
        # kinked activations (relu, leaky_relu, hard_sigmoid): a pre-activation within h of a kink
        # would spoil the central difference; the relative error is taken where the pieces are smooth
        assert_allclose(g, n, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("name", ["tanh", "sigmoid", "relu"])
def test_softmax_gradients_match_the_value_engine(name):
    model = MLP((3, 4, 3), name, "softmax", seed=5)
    rng = np.random.default_rng(6)
    for p in model.params[1::2]:
        p[:] = 0.3 * rng.normal(size=p.shape)
    X, _ = batch(model.sizes, n=4)
    y = labels(4, 3, seed=7)
    loss_np, grads = model.loss_and_grads(X, y)
    values = [[[Value(float(w)) for w in row] for row in p] if p.ndim == 2 else [Value(float(v)) for v in p] for p in model.params]
    W1, b1, W2, b2 = values
    terms = []
    for x, label in zip(X, y):
        hidden = [getattr(value_dot(col, [float(t) for t in x]) + b, name)() for col, b in zip(zip(*W1), b1)]
        z = [value_dot(col, hidden) + b for col, b in zip(zip(*W2), b2)]
        terms.append(value_sum([zk.exp() for zk in z]).log() - z[label])  # -log softmax
    loss = value_sum(terms) * (1.0 / len(terms))
    loss.backward()
    assert loss.data == pytest.approx(loss_np, rel=1e-12)
    for g, v in zip(grads, values):
        engine = np.array([[w.grad for w in row] for row in v]) if g.ndim == 2 else np.array([b.grad for b in v])
        assert_allclose(g, engine, rtol=1e-12, atol=1e-15)


def test_bad_labels():
    model = MLP((2, 3, 3), "relu", "softmax")
    X = np.zeros((4, 2))
    for bad, words in [([0, 1, 3, 0], "labels 0 … 2"), ([0, -1, 1, 0], "labels 0 … 2"), ([0, 1, 2], "one label per example"),
                       ([0.5, 1, 2, 0], "integer class labels"), (np.zeros((4, 3)), "integer class labels"), ("abcd", "integer class labels")]:
        with pytest.raises(ValueError, match=words):
            model.loss_and_grads(X, bad)
    assert model.loss(X, [0.0, 1.0, 2.0, 0.0]) == model.loss(X, [0, 1, 2, 0])  # whole floats are labels
    with pytest.raises(ValueError, match="accuracy"):
        MLP((2, 1), output="identity").accuracy(X, np.zeros(4))


# ---------------------------------------------------------------------------------------------
# training


def test_training_reaches_97_percent_on_two_moons():
    X, y, X_test, y_test = dataset_2d("two moons", 300, seed=0, test=300)
    model = MLP((2, 16, 16, 2), "tanh", "softmax", seed=0)
    history = train(model, X, y, epochs=60, batch_size=30, optimizer=Adam(0.03), X_test=X_test, y_test=y_test)
    assert not history.stopped
    assert history.train_accuracy[-1] >= 0.97 and history.test_accuracy[-1] >= 0.97
    assert history.train_loss[-1] < history.train_loss[0] / 10


def test_training_beats_95_percent_on_the_spiral():
    X, y, X_test, y_test = dataset_2d("spiral", 300, seed=0, test=300)
    model = MLP((2, 16, 16, 2), "tanh", "softmax", seed=0)
    history = train(model, X, y, epochs=100, batch_size=30, optimizer=Adam(0.03), X_test=X_test, y_test=y_test)
    assert history.train_accuracy[-1] > 0.95 and history.test_accuracy[-1] > 0.95


def test_history_callback_and_reproducibility():
    X, y = dataset_2d("circles", 60, seed=1)
    seen = []
    runs = []
    for _ in range(2):
        model = MLP((2, 4, 2), "relu", "softmax", seed=3)
        h = train(model, X, y, epochs=5, batch_size=16, optimizer=SGD(0.1, momentum=0.9), seed=4,
                  callback=lambda epoch, m, hist: seen.append((epoch, len(hist.epoch))), progress=False)
        runs.append((h, [p.copy() for p in model.params]))
    (h, params), (h2, params2) = runs
    assert isinstance(h, History) and h.epoch == [0, 1, 2, 3, 4, 5]
    assert len(h.train_loss) == len(h.train_accuracy) == 6 and h.test_loss == [] and h.test_accuracy == []
    assert seen[:6] == [(e, e + 1) for e in range(6)]
    assert all(np.array_equal(p, q) for p, q in zip(params, params2)) and h.train_loss == h2.train_loss
    assert h.train_loss[0] == pytest.approx(MLP((2, 4, 2), "relu", "softmax", seed=3).loss(X, y), rel=1e-15)


def test_one_batch_of_everything_is_gradient_descent():
    """batch_size >= n: one step per epoch, the full gradient; SGD then matches a hand-written loop."""
    X, y = dataset_2d("two moons", 40, seed=2)
    model, twin = MLP((2, 5, 2), "tanh", "softmax", seed=1), MLP((2, 5, 2), "tanh", "softmax", seed=1)
    train(model, X, y, epochs=3, batch_size=100, optimizer=SGD(0.5))
    for _ in range(3):
        _, grads = twin.loss_and_grads(X, y)
        for p, g in zip(twin.params, grads):
            p -= 0.5 * g
    for p, q in zip(model.params, twin.params):
        assert_allclose(p, q, rtol=1e-14, atol=1e-15)


def test_the_weights_drawn_do_not_depend_on_how_they_are_stored():
    """The parameters are views into one array; the numbers are the seeded draws, layer by layer, as
    separate arrays would hold them, and biases start at 0."""
    model = MLP((3, 5, 2), "relu", seed=7)
    rng = np.random.default_rng(7)
    assert_array_equal(model.params[0], rng.normal(0.0, init_std(3, 5, "he"), size=(3, 5)))
    assert_array_equal(model.params[2], rng.normal(0.0, init_std(5, 2, "he"), size=(5, 2)))
    assert not model.params[1].any() and not model.params[3].any()
    assert all(p.flags.writeable and p.flags.c_contiguous for p in model.params)
    model.params[1][...] = 1.0  # writing into one parameter leaves the others alone
    assert_array_equal(model.params[1], 1.0) and not model.params[3].any()


@pytest.mark.parametrize("make", [lambda: SGD(0.2), lambda: SGD(0.1, momentum=0.9), lambda: RMSProp(0.01),
                                  lambda: Adam(0.01)], ids=["sgd", "momentum", "rmsprop", "adam"])
def test_one_step_on_all_parameters_is_the_step_on_each_array(make):
    """train steps dlmath's optimizers on all parameters at once (they sit end to end in one array); a network
    whose list holds separate arrays is stepped one array at a time. Both give the same numbers, bit for bit."""
    X, y = dataset_2d("spiral", 90, seed=3)
    together, apart = MLP((2, 6, 5, 3), "tanh", seed=2), MLP((2, 6, 5, 3), "tanh", seed=2)
    apart.params = [p.copy() for p in apart.params]  # no longer views of one array
    opt1, opt2 = make(), make()
    h1 = train(together, X, y, epochs=4, batch_size=16, optimizer=opt1, seed=1, progress=False)
    h2 = train(apart, X, y, epochs=4, batch_size=16, optimizer=opt2, seed=1, progress=False)
    assert [s["shape"] for s in opt1._state] == [(2 * 6 + 6 + 6 * 5 + 5 + 5 * 3 + 3,)]  # one array, end to end
    assert [s["shape"] for s in opt2._state] == [p.shape for p in apart.params]
    assert h1.train_loss == h2.train_loss and len(h1.train_loss) == 5
    for p, q in zip(together.params, apart.params):
        assert_array_equal(p, q)


@pytest.mark.parametrize("copy_of", [copy.deepcopy, lambda m: pickle.loads(pickle.dumps(m))], ids=["deepcopy", "pickle"])
def test_a_copied_network_trains_as_the_original(copy_of):
    """A copy's parameters are separate arrays (no longer views of one array); it still trains, to the
    same numbers as the original."""
    X, y = dataset_2d("circles", 60, seed=1)
    model = MLP((2, 4, 2), "relu", seed=3)
    twin = copy_of(model)
    h1 = train(model, X, y, epochs=3, batch_size=16, optimizer=Adam(0.05), progress=False)
    h2 = train(twin, X, y, epochs=3, batch_size=16, optimizer=Adam(0.05), progress=False)
    assert h1.train_loss == h2.train_loss and h2.train_loss[-1] < h2.train_loss[0]
    for p, q in zip(model.params, twin.params):
        assert_array_equal(p, q)


def test_an_optimizer_stepped_array_by_array_goes_on_that_way():
    """An Adam that has state for each array (stepped by hand first) keeps it when train takes over:
    training gives what stepping each array by hand gives."""
    X, y = dataset_2d("two moons", 40, seed=2)
    model, twin = MLP((2, 5, 2), "tanh", seed=1), MLP((2, 5, 2), "tanh", seed=1)
    opt, twin_opt = Adam(0.05), Adam(0.05)
    for m, o in ((model, opt), (twin, twin_opt)):
        o.step(m.params, m.loss_and_grads(X, y)[1])
    train(model, X, y, epochs=2, batch_size=100, optimizer=opt, progress=False)
    for _ in range(2):
        twin_opt.step(twin.params, twin.loss_and_grads(X, y)[1])
    assert opt.t == twin_opt.t == 3
    for p, q in zip(model.params, twin.params):
        assert_allclose(p, q, rtol=1e-14, atol=1e-15)


def test_an_optimizer_of_ones_own_gets_the_separate_arrays():
    """Only dlmath's own elementwise optimizers are stepped on the parameters end to end; any other object
    with a step method receives the list of separate arrays, as documented."""
    X, y = dataset_2d("two moons", 40, seed=2)
    model = MLP((2, 5, 2), "tanh", seed=1)
    seen = []

    class Plain:
        def step(self, params, grads):
            seen.append([(p is q, g.shape) for p, q, g in zip(params, model.params, grads)])
            for p, g in zip(params, grads):
                p -= 0.1 * g

    train(model, X, y, epochs=2, batch_size=20, optimizer=Plain(), progress=False)
    assert len(seen) == 4 and all(s == [(True, p.shape) for p in model.params] for s in seen)


def test_regression_training_with_identity_output():
    rng = np.random.default_rng(0)
    X = rng.uniform(-2, 2, size=(100, 1))
    y = np.sin(X)
    model = MLP((1, 16, 1), "tanh", seed=0, output="identity")
    history = train(model, X, y, epochs=100, batch_size=20, optimizer=Adam(0.02))
    assert history.train_loss[-1] < 0.01 and history.train_accuracy == []


def test_divergence_stops_cleanly():
    X, y = dataset_2d("two moons", 100, seed=0)
    model = MLP((2, 8, 2), "relu", "softmax", seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        history = train(model, 100 * X, y, epochs=30, batch_size=10, optimizer=SGD(1e4))
    assert history.stopped.startswith("diverged in epoch")
    assert len(history.epoch) == len(history.train_loss) == len(history.train_accuracy) < 31
    assert all(np.isfinite(history.train_loss)) and all(np.isfinite(p).all() for p in model.params)


@pytest.mark.parametrize("kw, words", [
    ({"epochs": 0}, "epochs"), ({"epochs": 2.5}, "epochs"), ({"batch_size": 0}, "batch_size"),
    ({"optimizer": "adam"}, "optimizer"), ({"progress": "yes"}, "progress"), ({"callback": 3}, "callback"),
    ({"X_test": np.zeros((3, 2))}, "X_test and y_test"),
    ({"X_test": np.zeros((3, 3)), "y_test": [0, 1, 0]}, "X must"),
    ({"X_test": np.zeros((3, 2)), "y_test": [0, 1, 2]}, "y must"),
])
def test_train_bad_input(kw, words):
    X, y = dataset_2d("two moons", 20, seed=0)
    args = {"epochs": 2, "batch_size": 5, "optimizer": SGD(0.1)} | kw
    with pytest.raises(ValueError, match=words):
        train(MLP((2, 3, 2), "relu", "softmax"), X, y, **args)
    with pytest.raises(ValueError, match="model"):
        train("net", X, y, epochs=1, batch_size=1, optimizer=SGD(0.1))
    with pytest.raises(ValueError, match="X must"):
        train(MLP((2, 3, 2), output="softmax"), np.full((20, 2), np.inf), y, epochs=1, batch_size=1, optimizer=SGD(0.1))


@pytest.mark.parametrize("output, name", [("softmax", "tanh"), ("softmax", "relu"), ("identity", "sigmoid"), ("softmax", "identity")])
def test_value_engine_grads_agree_with_backprop(output, name):
    model = MLP((3, 4, 3, 3), name, output, seed=8)
    X, Y = batch(model.sizes, n=4, seed=9)
    y = labels(4, 3, seed=9) if output == "softmax" else Y
    loss, grads = model.loss_and_grads(X, y)
    engine_loss, engine = value_engine_grads(model, X, y)
    assert engine_loss == pytest.approx(loss, rel=1e-12)
    for g, e in zip(grads, engine):
        assert_allclose(g, e, rtol=1e-12, atol=1e-15)
    with pytest.raises(ValueError, match="activation"):
        value_engine_grads(MLP((2, 2), "softplus"), np.zeros((1, 2)), np.zeros((1, 2)))


def test_digits_benchmark_runs_and_learns():
    """The benchmark's dlmath part (timing is reported, not asserted): a few epochs already learn."""
    from dlmath.nn_bench import nn_benchmark

    r = nn_benchmark(epochs=2, torch_runs=False, repeats=1)
    assert r["dlmath"]["test_accuracy"] > 0.8 and r["epochs"] == 2


def test_no_progress_line_outside_jupyter(capsys):
    """In scripts and tests (no Jupyter kernel) training prints nothing, whatever `progress` says."""
    from dlmath.nn import _in_jupyter

    assert not _in_jupyter()
    X, y = dataset_2d("two moons", 30, seed=0)
    for progress in ("auto", True, False):
        train(MLP((2, 3, 2), "tanh", "softmax"), X, y, epochs=2, batch_size=10, optimizer=Adam(0.01), progress=progress)
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


# ---------------------------------------------------------------------------------------------
# the same recipe over several seeds (Chapter 11)


def test_the_digits_network_reaches_97_percent_over_five_seeds():
    """Chapter 11's recipe: 64-100-10 ReLU, Adam(0.003), 30 epochs of batches of 32, stratified 80/20
    splits; the mean AND the worst test accuracy over the five fixed seeds are at least 97 %."""
    from dlmath.data import load_digits

    digits = load_digits()
    runs = train_over_seeds((64, 100, 10), digits.data / 16, digits.target, seeds=range(5), test_size=0.2,
                            epochs=30, batch_size=32, optimizer=lambda: Adam(0.003))
    assert runs.seeds == (0, 1, 2, 3, 4) and runs.test_accuracy.shape == (5,)
    assert runs.mean_accuracy >= 0.97
    assert runs.worst_accuracy >= 0.97
    assert runs.mean_accuracy == pytest.approx(float(np.mean(runs.test_accuracy)), rel=1e-15)
    # every run is the plain recipe: its own stratified split, its own start, evaluated on its own test set
    for seed, split, model, history in zip(runs.seeds, runs.splits, runs.models, runs.histories):
        assert len(split.y_test) == round(0.2 * 1797)
        assert np.all(np.abs(np.bincount(split.y_test, minlength=10) - np.bincount(digits.target) / 5) <= 1)  # stratified
        assert history.test_accuracy[-1] == pytest.approx(model.accuracy(split.x_test, split.y_test), rel=1e-15)
        assert model.seed == seed and model.sizes == (64, 100, 10)


def small_problem(n=60, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    y = (X[:, 0] + 0.5 * X[:, 1] > 0).astype(np.int64)
    return X, y


def test_train_over_seeds_repeats_train_exactly():
    from dlmath.regression import train_test_split

    X, y = small_problem()
    runs = train_over_seeds((3, 5, 2), X, y, seeds=(3, 7), test_size=0.25, epochs=4, batch_size=8,
                            optimizer=lambda: Adam(0.01), activation="tanh")
    for k, seed in enumerate((3, 7)):
        split = train_test_split(X, y, 0.25, seed=seed, stratify=y)
        model = MLP((3, 5, 2), "tanh", "softmax", seed=seed)
        history = train(model, split.x_train, split.y_train, epochs=4, batch_size=8, optimizer=Adam(0.01), seed=seed,
                        X_test=split.x_test, y_test=split.y_test)
        assert_array_equal(runs.splits[k].x_test, split.x_test)
        assert runs.histories[k].test_loss == history.test_loss
        for a, b in zip(runs.models[k].params, model.params):
            assert_array_equal(a, b)
    assert runs.worst_accuracy == min(h.test_accuracy[-1] for h in runs.histories)
    # stratified: both classes keep their share in every test set
    for split in runs.splits:
        assert abs(split.y_test.mean() - y.mean()) <= 1 / len(split.y_test)


@pytest.mark.parametrize("kwargs, match", [
    ({"seeds": ()}, "seeds"),
    ({"seeds": (0, 0)}, "distinct"),
    ({"seeds": (-1,)}, "seeds"),
    ({"seeds": (True,)}, "seeds"),
    ({"optimizer": Adam(0.01)}, "factory"),
    ({"optimizer": 0.01}, "factory"),
    ({"test_size": 1.5}, "test_size"),
    ({"epochs": 0}, "epochs"),
])
def test_train_over_seeds_rejects_bad_input(kwargs, match):
    X, y = small_problem()
    args = {"seeds": (0,), "epochs": 1, "batch_size": 8, "optimizer": lambda: Adam(0.01)} | kwargs
    with pytest.raises(ValueError, match=match):
        train_over_seeds((3, 4, 2), X, y, **args)


def test_train_over_seeds_says_when_a_run_diverges():
    X, y = small_problem()
    with pytest.raises(ValueError, match="seed 0 diverged"):
        train_over_seeds((3, 8, 2), 1e3 * X, y, seeds=(0,), epochs=5, batch_size=4, optimizer=lambda: SGD(1e6),
                         activation="relu")
