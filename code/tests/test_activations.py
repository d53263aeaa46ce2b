"""Tests for dlmath.activations: every function against its library twin (SciPy, NumPy), every
derivative against central differences away from kinks, stability (finite, in range, no warnings)
for extreme input up to the largest float, property tests, and ValueError for bad input."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.testing import assert_allclose, assert_array_equal
from scipy.special import expit
from scipy.special import log_softmax as scipy_log_softmax
from scipy.special import logsumexp as scipy_logsumexp
from scipy.special import softmax as scipy_softmax

from dlmath import activations as act
from dlmath.activations import (
    ACTIVATIONS,
    hard_sigmoid,
    hard_sigmoid_grad,
    identity,
    leaky_relu,
    leaky_relu_grad,
    log_softmax,
    log_softmax_grad,
    logsumexp,
    logsumexp_grad,
    relu,
    relu_grad,
    sigmoid,
    sigmoid_grad,
    softmax,
    softmax_grad,
    softplus,
    softplus_grad,
    tanh,
    tanh_grad,
)
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


ELEMENTWISE = [fn for pair in ACTIVATIONS.values() for fn in pair]


@pytest.mark.parametrize("x", [0, 1.5, -2, np.float64(3.0), np.int32(-1), np.array(0.25), True])
@pytest.mark.parametrize("fn", ELEMENTWISE, ids=lambda f: f.__name__)
def test_scalar_input_returns_python_float(fn, x):
    assert type(fn(x)) is float


@pytest.mark.parametrize("shape", [(0,), (5,), (2, 3), (2, 1, 4)])
@pytest.mark.parametrize("fn", ELEMENTWISE, ids=lambda f: f.__name__)
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


# ---------------------------------------------------------------------------------------------
# every element-wise derivative against a central difference, away from kinks

#: Where each activation has a kink (its derivative jumps); central differences are checked at
#: least KINK_GAP away from them.
KINKS = {"relu": [0.0], "leaky_relu": [0.0], "hard_sigmoid": [0.0, 1.0]}
KINK_GAP = 1e-3
SMOOTH_GRID = np.linspace(-12, 12, 2401)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_derivative_matches_central_difference(name):
    f, df = ACTIVATIONS[name]
    x = SMOOTH_GRID[np.all([np.abs(SMOOTH_GRID - k) > KINK_GAP for k in KINKS.get(name, [])], axis=0)]
    assert_allclose(df(x), derivative(f, x), rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize("alpha", [0.0, 0.01, 0.1, 0.5, 1.0])
def test_leaky_relu_grad_matches_central_difference(alpha):
    x = np.array([-7.0, -1.0, -0.01, 0.01, 0.5, 3.0])
    assert_allclose(leaky_relu_grad(x, alpha), derivative(lambda t: leaky_relu(t, alpha), x), rtol=1e-8, atol=1e-10)


def test_choices_at_the_kinks():
    # The derivative does not exist at a kink; the documented choices (as PyTorch's autograd):
    assert relu_grad(0.0) == 0.0 and relu_grad(-0.0) == 0.0
    assert leaky_relu_grad(0.0, 0.2) == 0.2
    assert hard_sigmoid_grad(0.0) == 0.0 and hard_sigmoid_grad(1.0) == 0.0
    assert hard_sigmoid_grad(0.5) == 1.0
    # ... and the one-sided slopes on either side are the two values the choice is between.
    h = 1e-7
    assert_allclose((relu(h) - relu(0.0)) / h, 1.0) and ((relu(0.0) - relu(-h)) / h == 0.0)


# ---------------------------------------------------------------------------------------------
# twins and identities


def test_tanh_matches_numpy_and_the_sigmoid_identity():
    x = np.linspace(-30, 30, 601)
    assert_allclose(tanh(x), np.tanh(x), rtol=0, atol=0)
    assert_allclose(tanh(x), 2 * sigmoid(2 * x) - 1, rtol=0, atol=4 * EPS)


def test_tanh_grad_twins():
    x = np.linspace(-15, 15, 301)
    assert_allclose(tanh_grad(x), 1 - np.tanh(x) ** 2, rtol=0, atol=4 * EPS)
    # 1/cosh^2 has no cancellation: full relative accuracy wherever cosh does not overflow.
    wide = np.linspace(-350, 350, 1401)
    assert_allclose(tanh_grad(wide), 1 / np.cosh(wide) ** 2, rtol=1e-12, atol=0)
    assert_allclose(tanh_grad(x), 4 * sigmoid_grad(2 * x), rtol=1e-14, atol=0)
    assert tanh_grad(0.0) == 1.0


def test_softplus_matches_logaddexp_and_its_derivative_is_sigmoid():
    x = np.concatenate([np.linspace(-40, 40, 801), [-745.0, -700.0, 700.0, 1e5]])
    assert_allclose(softplus(x), np.logaddexp(0.0, x), rtol=2 * EPS, atol=0)
    assert_array_equal(softplus_grad(x), sigmoid(x))
    # a smooth ReLU: never below it, and within ln 2 of it (the gap is largest at 0)
    assert np.all(softplus(x) >= relu(x)) and np.all(softplus(x) - relu(x) <= np.log(2) + EPS)


def test_hard_sigmoid_is_a_difference_of_two_relus():
    x = np.linspace(-3, 4, 701)
    assert_array_equal(hard_sigmoid(x), relu(x) - relu(x - 1))
    assert_array_equal(hard_sigmoid(x), np.clip(x, 0, 1))


def test_leaky_relu_between_relu_and_identity():
    x = np.linspace(-5, 5, 101)
    assert_array_equal(leaky_relu(x, 0.0), relu(x))
    assert_array_equal(leaky_relu(x, 1.0), x)
    assert_array_equal(leaky_relu_grad(x, 0.0), relu_grad(x))
    assert_allclose(leaky_relu(-2.0), -0.02, rtol=EPS)  # the default alpha is 0.01
    assert leaky_relu(3.0) == 3.0


def test_identity():
    x = np.array([-2.0, 0.0, 5.0])
    out = identity(x)
    assert_array_equal(out, x) and out is not x
    assert_array_equal(ACTIVATIONS["identity"].derivative(x), np.ones(3))


# ---------------------------------------------------------------------------------------------
# softmax, log-softmax, log-sum-exp

RNG = np.random.default_rng(0)


@pytest.mark.parametrize("shape, axis", [((5,), -1), ((4, 3), -1), ((4, 3), 0), ((2, 3, 4), 1), ((1,), 0)])
def test_softmax_family_matches_scipy(shape, axis):
    z = RNG.normal(scale=10.0, size=shape)
    assert_allclose(softmax(z, axis=axis), scipy_softmax(z, axis=axis), rtol=1e-14, atol=0)
    assert_allclose(log_softmax(z, axis=axis), scipy_log_softmax(z, axis=axis), rtol=1e-14, atol=1e-14)
    assert_allclose(logsumexp(z, axis=axis), scipy_logsumexp(z, axis=axis), rtol=1e-14, atol=0)
    assert_allclose(logsumexp(z, axis=axis, keepdims=True), scipy_logsumexp(z, axis=axis, keepdims=True), rtol=1e-14)


def test_logsumexp_of_a_vector_is_a_python_float():
    out = logsumexp([1.0, 2.0, 3.0])
    assert type(out) is float
    assert_allclose(out, np.log(np.exp(1) + np.exp(2) + np.exp(3)), rtol=1e-15)


def _jacobian(f, z, h=1e-6):
    """Central-difference Jacobian of a vector function: column j is df/dz_j."""
    cols = []
    for j in range(z.size):
        e = np.zeros_like(z)
        e[j] = h
        cols.append((f(z + e) - f(z - e)) / (2 * h))
    return np.stack(cols, axis=-1)


def test_softmax_jacobian_vector_product():
    z, v = RNG.normal(size=6), RNG.normal(size=6)
    J = _jacobian(softmax, z)
    s = softmax(z)
    assert_allclose(J, np.diag(s) - np.outer(s, s), rtol=0, atol=1e-9)  # the formula in the docstring
    assert_allclose(softmax_grad(z, v), J @ v, rtol=0, atol=1e-9)
    assert_allclose(softmax_grad(z, v), v @ J, rtol=0, atol=1e-9)  # symmetric: also the VJP


def test_softmax_grad_along_an_axis():
    z, v = RNG.normal(size=(3, 5)), RNG.normal(size=(3, 5))
    for axis in (0, 1):
        expected = np.empty_like(z)
        for i in range(z.shape[1 - axis]):
            row = (slice(None), i) if axis == 0 else (i, slice(None))
            expected[row] = _jacobian(softmax, z[row]) @ v[row]
        assert_allclose(softmax_grad(z, v, axis=axis), expected, rtol=0, atol=1e-9)


def test_log_softmax_vector_jacobian_product():
    z, v = RNG.normal(size=5), RNG.normal(size=5)
    J = _jacobian(log_softmax, z)
    assert_allclose(J, np.eye(5) - softmax(z)[None, :], rtol=0, atol=1e-9)
    assert_allclose(log_softmax_grad(z, v), v @ J, rtol=0, atol=1e-9)
    # cross-entropy -log s_y: its gradient with respect to the scores is s - onehot(y)
    onehot = np.eye(5)[2]
    assert_allclose(log_softmax_grad(z, -onehot), softmax(z) - onehot, rtol=0, atol=1e-15)


def test_logsumexp_grad_is_softmax():
    z = RNG.normal(size=(2, 4))
    numeric = np.stack([_jacobian(lambda r: np.array([logsumexp(r)]), z[i])[0] for i in range(2)])
    assert_allclose(logsumexp_grad(z), numeric, rtol=0, atol=1e-9)
    assert_array_equal(logsumexp_grad(z), softmax(z))


@pytest.mark.parametrize(
    "z, expected",
    [
        ([FMAX, FMAX], [0.5, 0.5]),
        ([FMAX, -FMAX], [1.0, 0.0]),
        ([-FMAX, -FMAX, -FMAX], [1 / 3] * 3),
        ([1000.0, 0.0], [1.0, np.exp(-1000.0)]),
        ([-1e308, -1e308 + 1e292], [0.0, 1.0]),
    ],
)
def test_softmax_extremes(z, expected):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = softmax(np.array(z))
        ls = log_softmax(np.array(z))
        lse = logsumexp(np.array(z))
    assert_allclose(s, expected, rtol=1e-15, atol=0)
    assert np.isfinite(lse)
    assert not np.isnan(ls).any()
    if max(z) / 2 - min(z) / 2 <= FMAX / 2:  # the scores span at most the float range
        assert np.isfinite(ls).all()


def test_log_softmax_stays_finite_where_log_of_softmax_does_not():
    z = np.array([0.0, -800.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ls = log_softmax(z)
    assert_allclose(ls, [0.0, -800.0], rtol=1e-15)
    with np.errstate(divide="ignore"):
        assert np.log(softmax(z))[1] == -np.inf  # the naive way loses it


def test_logsumexp_at_the_top_of_the_float_range():
    assert logsumexp([FMAX, FMAX]) == FMAX  # FMAX + ln 2 rounds to FMAX
    assert_allclose(logsumexp([-FMAX, -FMAX]), -FMAX, rtol=1e-15)


# ---------------------------------------------------------------------------------------------
# every function: extremes without warnings

ALL_ELEMENTWISE = [*ELEMENTWISE, lambda x: leaky_relu(x, 1.0), lambda x: leaky_relu_grad(x, 0.3)]


@pytest.mark.parametrize("fn", ALL_ELEMENTWISE)
def test_elementwise_extremes_finite_without_warnings(fn):
    x = np.array(EXTREME + [-5e-324, 0.0, 5e-324])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y = fn(x)
    assert np.isfinite(y).all() and y.dtype == np.float64


@pytest.mark.parametrize("x", [1e308, FMAX, 1e3])
def test_extreme_values_are_right(x):
    assert relu(x) == x and relu(-x) == 0.0 and softplus(x) == x and softplus(-x) == 0.0
    assert tanh(x) == 1.0 and tanh(-x) == -1.0 and tanh_grad(x) == 0.0 and tanh_grad(-x) == 0.0
    assert hard_sigmoid(x) == 1.0 and hard_sigmoid(-x) == 0.0
    assert leaky_relu(-x, 0.5) == -0.5 * x


def test_derivatives_keep_relative_accuracy_in_the_tails():
    # exact: sigma'(x) = e^-x / (1 + e^-x)^2, tanh'(x) = 4 e^-2x / (1 + e^-2x)^2, each ~ its first term
    x = np.array([40.0, 100.0, 300.0])
    assert_allclose(sigmoid_grad(x), np.exp(-x) / (1 + np.exp(-x)) ** 2, rtol=1e-13)
    assert_allclose(tanh_grad(x), 4 * np.exp(-2 * x) / (1 + np.exp(-2 * x)) ** 2, rtol=1e-13)
    assert_allclose(softplus(-x), np.exp(-x), rtol=1e-13)  # log1p keeps it


@PROPERTY
@given(x=hnp.arrays(np.float64, hnp.array_shapes(min_dims=0, max_dims=3, max_side=4), elements=any_finite))
def test_every_activation_finite_on_any_input(x):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for fn in ALL_ELEMENTWISE:
            y = np.asarray(fn(x))
            assert y.shape == x.shape and np.isfinite(y).all()


@PROPERTY
@given(x=any_finite)
def test_odd_and_shifted_identities(x):
    assert tanh(-x) == -tanh(x)
    assert relu(x) - relu(-x) == x
    # softplus(x) - softplus(-x) = x (exactly in real numbers; to rounding here)
    assert_allclose(softplus(x) - softplus(-x), x, rtol=4 * EPS, atol=4 * EPS)


# ---------------------------------------------------------------------------------------------
# softmax properties

score_vectors = hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=2, min_side=1, max_side=6), elements=any_finite)


@PROPERTY
@given(z=score_vectors)
def test_softmax_is_a_probability_vector(z):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = softmax(z)
        lse = logsumexp(z)
    assert np.all((s >= 0) & (s <= 1))
    assert_allclose(s.sum(axis=-1), 1.0, rtol=0, atol=8 * EPS)
    assert np.isfinite(lse).all()


@PROPERTY
@given(z=score_vectors)
def test_log_softmax_is_log_of_softmax_where_finite(z):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ls = log_softmax(z)
        s = softmax(z)
    assert not np.isnan(ls).any() and np.all(ls <= 0)
    normal = s > TINY  # log of a subnormal probability has lost digits; of 0 it is -inf
    with np.errstate(divide="ignore"):
        assert_allclose(ls[normal], np.log(s[normal]), rtol=1e-12, atol=1e-12)


@PROPERTY
@given(z=hnp.arrays(np.float64, st.integers(1, 6), elements=st.floats(-1e3, 1e3)), c=st.floats(-1e3, 1e3))
def test_softmax_ignores_a_common_shift(z, c):
    assert_allclose(softmax(z + c), softmax(z), rtol=1e-9, atol=1e-300)


# ---------------------------------------------------------------------------------------------
# the registry


def test_registry():
    assert {"sigmoid", "tanh", "relu", "leaky_relu", "softplus", "hard_sigmoid", "identity"} == set(ACTIVATIONS)
    f, df = ACTIVATIONS["relu"]
    assert f is relu and df is relu_grad
    assert ACTIVATIONS["sigmoid"].function is sigmoid and ACTIVATIONS["sigmoid"].derivative is sigmoid_grad
    with pytest.raises(TypeError):
        ACTIVATIONS["cube"] = (np.cbrt, np.cbrt)  # read-only
    for name, (f, df) in ACTIVATIONS.items():
        assert df.__name__ == f.__name__ + "_grad"  # each derivative sits beside its function
        assert getattr(act, f.__name__) is f and f.__name__ in act.__all__ and df.__name__ in act.__all__


# ---------------------------------------------------------------------------------------------
# bad input

BAD_X = ["three", None, 1 + 2j, np.array([1.0, np.nan]), np.inf, -np.inf, [[1.0, 2.0], [3.0]], np.array(["a"]), {"x": 1}]


@pytest.mark.parametrize("x", BAD_X, ids=repr)
@pytest.mark.parametrize("fn", [*ELEMENTWISE, softmax, log_softmax, logsumexp, logsumexp_grad], ids=lambda f: f.__name__)
def test_bad_x_raises_value_error(fn, x):
    with pytest.raises(ValueError, match="x must|z must"):
        fn(x)


@pytest.mark.parametrize("alpha", [-0.01, 1.5, np.nan, np.inf, "0.1", None, True])
@pytest.mark.parametrize("fn", [leaky_relu, leaky_relu_grad])
def test_bad_alpha_raises_value_error(fn, alpha):
    with pytest.raises(ValueError, match="alpha"):
        fn(1.0, alpha)


@pytest.mark.parametrize("fn", [softmax, log_softmax, logsumexp])
def test_bad_axis_or_scalar_scores(fn):
    with pytest.raises(ValueError, match="axis"):
        fn(np.ones((2, 3)), axis=2)
    with pytest.raises(ValueError, match="axis"):
        fn(np.ones(3), axis=1.0)
    with pytest.raises(ValueError, match="at least one dimension"):
        fn(1.5)


@pytest.mark.parametrize("fn", [softmax_grad, log_softmax_grad])
def test_bad_vector_for_jacobian_products(fn):
    with pytest.raises(ValueError, match="v must have the shape"):
        fn(np.ones(3), np.ones(4))
    with pytest.raises(ValueError, match="v must"):
        fn(np.ones(3), [1.0, np.nan, 0.0])
