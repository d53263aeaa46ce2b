"""dlmath.optim: first steps by hand, long runs against the formulas, PyTorch as a twin when installed."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

from dlmath import calculus, regression
from dlmath.descent import gradient_descent, narrow_valley_gradient
from dlmath.optim import (
    SGD,
    Adam,
    RMSProp,
    batches_per_epoch,
    exponential_decay,
    inverse_time_decay,
    minibatches,
    minimize,
    sgd_least_squares,
)

pytestmark = pytest.mark.filterwarnings("error")  # a diverging run must not emit overflow warnings

# A narrow quadratic valley f(p) = ½ pᵀ diag(1, 10) p, and a second "layer" with a matrix parameter.
CURV = np.array([1.0, 10.0])


def _grads(params):
    p, W = params
    return [CURV * p, 2.0 * (W - 1.0)]


def _start():
    return [np.array([3.0, -2.0]), np.array([[0.5, -1.5], [2.0, 0.0]])]


def _reference(kind: str, steps: int, **opts):
    """The update rules written out from their formulas, one scalar state per array."""
    params = _start()
    state = [dict(v=np.zeros_like(p), m=np.zeros_like(p), s=np.zeros_like(p)) for p in params]
    for t in range(1, steps + 1):
        for p, g, st_ in zip(params, _grads(params), state):
            if kind == "sgd":
                st_["v"] = opts.get("momentum", 0.0) * st_["v"] + g
                p -= opts["lr"] * st_["v"]
            elif kind == "rmsprop":
                st_["s"] = opts["alpha"] * st_["s"] + (1 - opts["alpha"]) * g**2
                p -= opts["lr"] * g / (np.sqrt(st_["s"]) + 1e-8)
            else:
                b1, b2 = opts["beta1"], opts["beta2"]
                st_["m"] = b1 * st_["m"] + (1 - b1) * g
                st_["s"] = b2 * st_["s"] + (1 - b2) * g**2
                m_hat, s_hat = st_["m"] / (1 - b1**t), st_["s"] / (1 - b2**t)
                p -= opts["lr"] * m_hat / (np.sqrt(s_hat) + 1e-8)
    return params


def _run(opt, steps: int):
    params = _start()
    for _ in range(steps):
        opt.step(params, _grads(params))
    return params


def test_sgd_first_step_by_hand():
    params = [np.array([3.0, -2.0])]
    SGD(lr=0.1).step(params, [np.array([3.0, -20.0])])
    assert_allclose(params[0], [3.0 - 0.3, -2.0 + 2.0], rtol=0, atol=1e-15)


def test_momentum_first_two_steps_by_hand():
    opt, p = SGD(lr=0.1, momentum=0.9), [np.array([1.0])]
    opt.step(p, [np.array([2.0])])  # v = 2, p = 1 - 0.2
    assert_allclose(p[0], [0.8], atol=1e-15)
    opt.step(p, [np.array([1.0])])  # v = 0.9·2 + 1 = 2.8, p = 0.8 - 0.28
    assert_allclose(p[0], [0.52], atol=1e-15)


def test_adam_first_step_has_length_lr_in_every_coordinate():
    """After bias correction m̂₁ = g₁ and ŝ₁ = g₁², so the first step is η·g/|g|, whatever |g| is."""
    p = [np.array([0.0, 0.0, 0.0])]
    Adam(lr=0.01).step(p, [np.array([0.1, -5.0, 2e4])])
    assert_allclose(p[0], [-0.01, 0.01, -0.01], rtol=1e-6)


def test_rmsprop_first_step_by_hand():
    p = [np.array([0.0])]
    RMSProp(lr=0.01, alpha=0.99).step(p, [np.array([2.0])])  # s = 0.01·4, step = 0.01·2/0.2
    assert_allclose(p[0], [-0.1], rtol=1e-7)


@pytest.mark.parametrize(
    "make, kind, opts",
    [
        (lambda: SGD(lr=0.05), "sgd", dict(lr=0.05)),
        (lambda: SGD(lr=0.05, momentum=0.8), "sgd", dict(lr=0.05, momentum=0.8)),
        (lambda: RMSProp(lr=0.01, alpha=0.9), "rmsprop", dict(lr=0.01, alpha=0.9)),
        (lambda: Adam(lr=0.05, beta1=0.9, beta2=0.999), "adam", dict(lr=0.05, beta1=0.9, beta2=0.999)),
    ],
)
def test_hundred_steps_follow_the_formulas(make, kind, opts):
    ours = _run(make(), 100)
    for a, b in zip(ours, _reference(kind, 100, **opts)):
        assert_allclose(a, b, rtol=1e-12, atol=1e-14)


@settings(max_examples=30, deadline=None)
@given(lr=st.floats(0.01, 0.15), beta=st.floats(0.0, 0.95))
def test_momentum_descends_a_bowl_it_is_stable_on(lr, beta):
    """Inside the stable region (η < 2(1+β)/λmax) heavy-ball momentum converges to the minimum."""
    opt, p = SGD(lr=lr, momentum=beta), [np.array([1.0, 1.0])]
    for _ in range(20_000):
        opt.step(p, [CURV * p[0]])
        if np.max(np.abs(p[0])) < 1e-9:
            break
    assert np.max(np.abs(p[0])) < 1e-6


def test_reset_forgets_the_state():
    opt = Adam(lr=0.1)
    first = _run(opt, 5)
    opt.reset()
    assert opt.t == 0
    again = _run(opt, 5)
    for a, b in zip(first, again):
        assert_allclose(a, b, rtol=0, atol=0)


def test_updates_in_place():
    p = np.array([1.0, 2.0])
    alias = p
    SGD(lr=0.5).step([p], [np.array([1.0, 1.0])])
    assert alias is p and p.tolist() == [0.5, 1.5]


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: SGD(lr=0.0), "lr"),
        (lambda: SGD(lr=-1.0), "lr"),
        (lambda: SGD(lr=float("nan")), "lr"),
        (lambda: SGD(lr=float("inf")), "lr"),
        (lambda: SGD(lr="fast"), "lr"),
        (lambda: SGD(lr=0.1, momentum=1.0), "momentum"),
        (lambda: SGD(lr=0.1, momentum=-0.1), "momentum"),
        (lambda: Adam(beta1=1.0), "beta1"),
        (lambda: Adam(beta2=1.5), "beta2"),
        (lambda: Adam(eps=0.0), "eps"),
        (lambda: RMSProp(alpha=1.0), "alpha"),
    ],
)
def test_bad_settings_name_the_argument(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_bad_params_and_grads_name_the_argument():
    opt = SGD(lr=0.1)
    with pytest.raises(ValueError, match="same length"):
        opt.step([np.zeros(2)], [np.zeros(2), np.zeros(2)])
    with pytest.raises(ValueError, match=r"grads\[0\]"):
        opt.step([np.zeros(2)], [np.zeros(3)])
    with pytest.raises(ValueError, match=r"params\[0\]"):
        opt.step([np.zeros(2, dtype=int)], [np.zeros(2)])
    with pytest.raises(ValueError, match=r"params\[0\]"):
        opt.step([[0.0, 0.0]], [np.zeros(2)])
    with pytest.raises(ValueError, match="params"):
        opt.step([], [])
    opt.step([np.zeros(2)], [np.ones(2)])
    with pytest.raises(ValueError, match="reset"):
        opt.step([np.zeros(3)], [np.ones(3)])


# --- PyTorch as a twin: optional, not a dependency of the book. -----------------------------------


@pytest.mark.parametrize(
    "ours, theirs",
    [
        (lambda: SGD(lr=0.05), lambda torch, ps: torch.optim.SGD(ps, lr=0.05)),
        (lambda: SGD(lr=0.05, momentum=0.9), lambda torch, ps: torch.optim.SGD(ps, lr=0.05, momentum=0.9)),
        (lambda: RMSProp(lr=0.01, alpha=0.99), lambda torch, ps: torch.optim.RMSprop(ps, lr=0.01, alpha=0.99, eps=1e-8)),
        (lambda: Adam(lr=0.05), lambda torch, ps: torch.optim.Adam(ps, lr=0.05, betas=(0.9, 0.999), eps=1e-8)),
    ],
)
def test_against_torch_for_100_steps(ours, theirs):
    torch = pytest.importorskip("torch", reason="PyTorch is not installed (an optional twin; the formulas are checked above)")
    mine = _run(ours(), 100)
    tensors = [torch.tensor(p, dtype=torch.float64, requires_grad=True) for p in _start()]
    opt = theirs(torch, tensors)
    for _ in range(100):
        opt.zero_grad()
        grads = _grads([t.detach().numpy() for t in tensors])
        for t, g in zip(tensors, grads):
            t.grad = torch.tensor(g, dtype=torch.float64)
        opt.step()
    for a, t in zip(mine, tensors):
        assert_allclose(a, t.detach().numpy(), rtol=1e-12, atol=1e-14)
    assert math.isfinite(float(sum(np.sum(np.abs(a)) for a in mine)))


# --- running an optimizer on a function -------------------------------------------------------


@pytest.mark.parametrize("beta", [0.0, 0.9])
def test_minimize_with_sgd_is_gradient_descent(beta):
    ours = minimize(narrow_valley_gradient, [5.0, 4.0], SGD(0.05, momentum=beta), steps=3000)
    theirs = gradient_descent(narrow_valley_gradient, [5.0, 4.0], 0.05, momentum=beta, steps=3000)
    assert (ours.steps, ours.converged, ours.diverged) == (theirs.steps, theirs.converged, theirs.diverged)
    assert ours.converged
    assert_allclose(ours.path, theirs.path, rtol=1e-12, atol=1e-12)


def test_minimize_resets_the_optimizer_and_stops_cleanly():
    opt = Adam(0.3)
    first = minimize(narrow_valley_gradient, [0.0, 0.0], opt, steps=2000)
    again = minimize(narrow_valley_gradient, [0.0, 0.0], opt, steps=2000)
    assert first.converged and first.steps == again.steps
    assert_array_equal(first.path, again.path)
    assert_allclose(first.path[-1], [1.0, 2.0], atol=1e-4)
    bad = minimize(narrow_valley_gradient, [0.0, 0.0], SGD(0.5), steps=2000)
    assert bad.diverged and not bad.converged and np.all(np.isfinite(bad.path))
    assert bad.message == f"diverged after {bad.steps} steps"
    short = minimize(narrow_valley_gradient, [0.0, 0.0], SGD(0.001), steps=10)
    assert short.steps == 10 and not (short.converged or short.diverged)


# --- schedules ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "schedule, expected",
    [(inverse_time_decay(0.5), [1.0, 1 / 1.5, 0.5, 0.4]), (exponential_decay(0.5), [1.0, 0.5, 0.25, 0.125]),
     (inverse_time_decay(0.0), [1.0, 1.0, 1.0, 1.0])],
)
def test_schedule_multipliers(schedule, expected):
    assert_allclose([schedule(t) for t in range(4)], expected, rtol=1e-15)


def test_robbins_monro_sums():
    """1/(1 + t): partial sums grow like log t (no limit); the squares' sums approach a finite number."""
    m = np.array([inverse_time_decay(1.0)(t) for t in range(1_000_000)])
    assert_allclose(m.sum(), np.log(1e6) + 0.5772156649, rtol=1e-6)
    assert_allclose((m**2).sum(), math.pi**2 / 6, rtol=1e-5)
    e = np.array([exponential_decay(0.99)(t) for t in range(10_000)])
    assert_allclose(e.sum(), 1 / (1 - 0.99), rtol=1e-12)  # a finite total: the walk stops short


# --- mini-batches -------------------------------------------------------------------------------


@pytest.mark.parametrize("n, batch_size, epochs", [(10, 3, 4), (7, 7, 2), (5, 1, 3), (12, 4, 1), (1000, 32, 2)])
def test_minibatch_bookkeeping(n, batch_size, epochs):
    batches = minibatches(n, batch_size, epochs=epochs, seed=3)
    per_epoch = math.ceil(n / batch_size)
    assert batches_per_epoch(n, batch_size) == per_epoch
    assert len(batches) == epochs * per_epoch
    for e in range(epochs):
        epoch = batches[e * per_epoch : (e + 1) * per_epoch]
        assert [len(b) for b in epoch[:-1]] == [batch_size] * (per_epoch - 1)
        assert len(epoch[-1]) == n - batch_size * (per_epoch - 1)  # the last batch holds what is left
        assert_array_equal(np.sort(np.concatenate(epoch)), np.arange(n))  # each example once per epoch
    again = minibatches(n, batch_size, epochs=epochs, seed=3)
    assert all(np.array_equal(a, b) for a, b in zip(batches, again))


def test_minibatches_reshuffle_each_epoch_and_depend_on_seed():
    batches = minibatches(50, 10, epochs=3, seed=0)
    orders = [np.concatenate(batches[5 * e : 5 * e + 5]) for e in range(3)]
    assert not np.array_equal(orders[0], orders[1]) and not np.array_equal(orders[1], orders[2])
    other = np.concatenate(minibatches(50, 10, epochs=1, seed=1))
    assert not np.array_equal(orders[0], other)


def test_exercise_numbers():
    batches = minibatches(1000, 32, epochs=1, seed=0)
    assert len(batches) == 32 and len(batches[-1]) == 8


def _town(n=400, seed=2):
    rng = np.random.default_rng(seed)
    X = np.column_stack([rng.normal(size=n), np.ones(n)])
    y = X @ np.array([3.0, 1.0]) + rng.normal(scale=0.5, size=n)
    return X, y


@pytest.mark.parametrize("B", [1, 4, 16, 64])
def test_minibatch_gradient_is_unbiased_and_its_spread_falls_like_one_over_root_b(B):
    """Statistically, with a fixed seed: the mean of many batch gradients is the full gradient (within
    4 standard errors), and their spread is σ₁/√B times the finite-population factor √((n−B)/(n−1))."""
    X, y = _town()
    n, theta = len(y), np.array([0.5, -1.0])
    full = regression.linear_loss_gradient(theta, X, y)
    per_example = np.array([regression.linear_loss_gradient(theta, X[i : i + 1], y[i : i + 1]) for i in range(n)])
    assert_allclose(per_example.mean(axis=0), full, rtol=1e-12)  # the loss is an average, so is its gradient
    sigma1 = per_example.std(axis=0)
    predicted = sigma1 / np.sqrt(B) * np.sqrt((n - B) / (n - 1))
    rng = np.random.default_rng(0)
    draws = 4000
    g = np.array([regression.linear_loss_gradient(theta, X[idx], y[idx])
                  for idx in (rng.choice(n, B, replace=False) for _ in range(draws))])
    assert np.all(np.abs(g.mean(axis=0) - full) < 4 * predicted / np.sqrt(draws))
    assert_allclose(g.std(axis=0), predicted, rtol=0.06)


# --- mini-batch SGD on a linear least-squares fit ------------------------------------------------


def linear_data(n: int = 40, seed: int = 1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = np.column_stack([np.ones(n), rng.normal(size=(n, 2))])  # intercept column first
    theta_true = np.array([0.5, -2.0, 3.0])
    return X, X @ theta_true, theta_true


def test_sgd_recovers_true_parameters_on_noiseless_data():
    X, y, theta_true = linear_data()
    r = sgd_least_squares(X, y, 0.05, batch_size=4, epochs=150, seed=0)
    assert not r.diverged
    assert r.updates == 150 * 10 and r.epochs == 150 and r.batches_per_epoch == 10
    assert r.path.shape == (r.updates + 1, 3) and r.losses.shape == (r.updates + 1,)
    assert_allclose(r.theta, theta_true, rtol=0, atol=1e-8)
    assert r.losses[-1] < 1e-16 < r.losses[0]
    assert r.message == "finished 1500 updates, 150 full epochs"


def test_full_batch_sgd_is_gradient_descent_on_the_mean_squared_error():
    X, y, _ = linear_data(n=25, seed=4)
    y = y + np.random.default_rng(5).normal(scale=0.3, size=y.shape)
    sgd = sgd_least_squares(X, y, 0.1, batch_size=len(y), epochs=60, seed=7)
    gd = gradient_descent(lambda th: regression.linear_loss_gradient(th, X, y), np.zeros(3), 0.1,
                          f=lambda th: regression.linear_loss(th, X, y), steps=60, tol=0.0)
    assert gd.steps == sgd.updates == 60
    assert_allclose(sgd.path, gd.path, rtol=1e-12, atol=1e-13)
    assert_allclose(sgd.losses, gd.values, rtol=1e-12, atol=1e-13)


def test_one_walk_uses_the_batches_of_minibatches_and_the_batch_gradient():
    X, y, _ = linear_data(n=10, seed=2)
    y = y + 0.1
    theta0 = np.array([0.3, -0.1, 0.2])
    r = sgd_least_squares(X, y, 0.05, batch_size=3, epochs=2, seed=9, theta0=theta0)
    theta = theta0.copy()
    for k, batch in enumerate(minibatches(10, 3, epochs=2, seed=9)):
        loss = lambda th: regression.linear_loss(th, X[batch], y[batch])  # noqa: E731
        theta = theta - 0.05 * calculus.gradient(loss, theta)
        assert_allclose(r.path[k + 1], theta, rtol=1e-6, atol=1e-8)
    assert_allclose(r.losses[0], regression.linear_loss(theta0, X, y), rtol=1e-15)


def test_many_walks_at_once_match_their_own_rates_and_schedule():
    X, y, _ = linear_data(n=12, seed=3)
    rates = np.array([0.01, 0.05, 0.2])
    walks = sgd_least_squares(X, y, rates, batch_size=12, epochs=30, schedule=inverse_time_decay(0.1))
    for lr, walk in zip(rates, walks):
        gd = gradient_descent(lambda th: regression.linear_loss_gradient(th, X, y), np.zeros(3), lr,
                              schedule=inverse_time_decay(0.1), steps=30, tol=0.0)
        assert_allclose(walk.path, gd.path, rtol=1e-12, atol=1e-13)
    # with batches smaller than n every walk draws its own shuffles
    noisy = sgd_least_squares(X, y, np.array([0.05, 0.05]), batch_size=1, epochs=3)
    assert not np.allclose(noisy[0].path, noisy[1].path)


@pytest.mark.parametrize("lr", [5.0, 1e6, 1e300])
def test_sgd_divergence_is_clean(lr):
    X, y, _ = linear_data(n=30)
    walks = sgd_least_squares(X, y, [lr, 0.01], batch_size=5, epochs=50)
    r, fine = walks
    assert r.diverged and r.updates < 50 * 6 and r.epochs == r.updates // 6
    assert np.all(np.isfinite(r.path)) and np.all(np.isfinite(r.losses))
    assert r.message.startswith("diverged after ")
    assert not fine.diverged and fine.updates == 300


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: minibatches(0, 1), "n"),
        (lambda: minibatches(10, 0), "batch_size"),
        (lambda: minibatches(10, 11), "batch_size"),
        (lambda: minibatches(10, 2, epochs=0), "epochs"),
        (lambda: minibatches(10, 2.0), "batch_size"),
        (lambda: batches_per_epoch(5, 6), "batch_size"),
        (lambda: sgd_least_squares(np.ones((5, 2)), np.ones(4), 0.1, batch_size=1, epochs=1), "y"),
        (lambda: sgd_least_squares(np.ones(5), np.ones(5), 0.1, batch_size=1, epochs=1), "X"),
        (lambda: sgd_least_squares(np.ones((5, 2)), np.ones(5), 0.0, batch_size=1, epochs=1), "lr"),
        (lambda: sgd_least_squares(np.ones((5, 2)), np.ones(5), [0.1, -1.0], batch_size=1, epochs=1), "lr"),
        (lambda: sgd_least_squares(np.ones((5, 2)), np.ones(5), 0.1, batch_size=6, epochs=1), "batch_size"),
        (lambda: sgd_least_squares(np.ones((5, 2)), np.ones(5), 0.1, batch_size=0, epochs=1), "batch_size"),
        (lambda: sgd_least_squares(np.ones((5, 2)), np.ones(5), 0.1, batch_size=2, epochs=0), "epochs"),
        (lambda: sgd_least_squares(np.ones((5, 2)), np.ones(5), 0.1, batch_size=2, epochs=1, theta0=[1.0]), "theta0"),
        (lambda: sgd_least_squares(np.ones((5, 2)), [1, 2, 3, 4, np.inf], 0.1, batch_size=2, epochs=1), "y"),
        (lambda: sgd_least_squares(np.ones((5, 2)), np.ones(5), 0.1, batch_size=2, epochs=1, schedule=2), "schedule"),
        (lambda: sgd_least_squares(np.ones((5, 2)), np.ones(5), 0.1, batch_size=2, epochs=1, schedule=lambda t: -1.0), "schedule"),
        (lambda: inverse_time_decay(-1.0), "decay"),
        (lambda: exponential_decay(1.5), "rate"),
        (lambda: exponential_decay(0.0), "rate"),
        (lambda: minimize(narrow_valley_gradient, [0.0, 0.0], "adam"), "optimizer"),
        (lambda: minimize(narrow_valley_gradient, [[0.0, 0.0]], Adam()), "x0"),
        (lambda: minimize(narrow_valley_gradient, [0.0, np.nan], Adam()), "x0"),
        (lambda: minimize(narrow_valley_gradient, [0.0, 0.0], Adam(), steps=-1), "steps"),
        (lambda: minimize(narrow_valley_gradient, [0.0, 0.0], Adam(), tol=-1.0), "tol"),
        (lambda: minimize(42, [0.0, 0.0], Adam()), "grad"),
    ],
)
def test_bad_input_names_the_argument(call, name):
    with pytest.raises(ValueError, match=name):
        call()
