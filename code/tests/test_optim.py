"""dlmath.optim: first steps by hand, long runs against the formulas, PyTorch as a twin when installed."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from dlmath.optim import SGD, Adam, RMSProp

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
