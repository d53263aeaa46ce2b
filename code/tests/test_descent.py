"""Tests for dlmath.descent: analytic answers, learning-rate regimes, bookkeeping and clean divergence."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

from dlmath import calculus
from dlmath.optim import exponential_decay, inverse_time_decay
from dlmath.descent import (
    HIMMELBLAU_MINIMA,
    DescentResult,
    contraction_factor,
    double_well,
    double_well_slope,
    gradient_descent,
    gradient_descent_lockstep,
    heavy_ball_tuning,
    himmelblau,
    himmelblau_gradient,
    learning_rate_regime,
    momentum_matrix,
    quadratic_thresholds,
    narrow_valley,
    narrow_valley_gradient,
    narrow_valley_hessian,
)

# Every test runs with warnings as errors: a diverging run must not emit overflow/invalid warnings.
pytestmark = pytest.mark.filterwarnings("error")

VALLEY_T = quadratic_thresholds(narrow_valley_hessian())


def valley_gradient(p: np.ndarray) -> np.ndarray:
    """Gradient of the narrow valley f = (x^2 + 100 y^2) / 2."""
    return p * np.array([1.0, 100.0])


def assert_all_finite(*arrays: np.ndarray | None) -> None:
    for arr in arrays:
        if arr is not None:
            assert np.all(np.isfinite(arr))


# ---------------------------------------------------------------------------------------------
# the narrow valley


def test_narrow_valley_minimum_and_hessian():
    assert_allclose(narrow_valley([1.0, 2.0]), 2.0, rtol=0, atol=1e-15)
    assert_allclose(narrow_valley_gradient([1.0, 2.0]), [0.0, 0.0], rtol=0, atol=1e-15)
    t = quadratic_thresholds(narrow_valley_hessian())
    assert_allclose([t.l_min, t.l_max], [7 - math.sqrt(45), 7 + math.sqrt(45)], rtol=1e-12)
    assert_allclose([t.best_lr, t.diverge_lr, t.fastest_1d], [1 / 7, 2 / t.l_max, 1 / t.l_max], rtol=1e-12)


@pytest.mark.parametrize("point", [[0.0, 0.0], [1.0, 2.0], [-3.5, 4.25], [10.0, -7.0]])
def test_narrow_valley_gradient_matches_central_difference(point):
    assert_allclose(narrow_valley_gradient(point), calculus.gradient(narrow_valley, point), rtol=1e-7, atol=1e-6)


def test_narrow_valley_hessian_matches_difference_of_gradient():
    h, p = 1e-3, np.array([0.3, -1.2])
    columns = [(narrow_valley_gradient(p + h * e) - narrow_valley_gradient(p - h * e)) / (2 * h) for e in np.eye(2)]
    assert_allclose(np.column_stack(columns), narrow_valley_hessian(), rtol=0, atol=1e-9)


def test_narrow_valleys_are_vectorised_over_leading_axes():
    grid = np.stack(np.meshgrid(np.linspace(-2, 4, 5), np.linspace(-1, 5, 3)), axis=-1)  # (3, 5, 2)
    assert narrow_valley(grid).shape == (3, 5)
    assert narrow_valley_gradient(grid).shape == (3, 5, 2)
    assert_allclose(narrow_valley(grid)[1, 2], narrow_valley(grid[1, 2]), rtol=1e-15)


def test_descent_on_narrow_valley_converges_to_minimum():
    r = gradient_descent(narrow_valley_gradient, [0.0, 0.0], 0.05, f=narrow_valley, steps=5000)
    assert r.converged and not r.diverged
    assert_allclose(r.path[-1], [1.0, 2.0], rtol=0, atol=1e-4)
    assert_allclose(r.values[-1], 2.0, rtol=0, atol=1e-8)
    assert r.path.shape == (r.steps + 1, 2) and r.values.shape == (r.steps + 1,)
    assert_array_equal(r.path[0], [0.0, 0.0])
    assert np.all(np.diff(r.values) <= 0)  # a safe rate only ever goes downhill on a bowl
    assert r.message == f"converged in {r.steps} steps"


@pytest.mark.parametrize("factor, diverges", [(0.99, False), (1.01, True)])
def test_narrow_valley_divergence_threshold_is_two_over_lambda_max(factor, diverges):
    r = gradient_descent(narrow_valley_gradient, [0.0, 0.0], factor * VALLEY_T.diverge_lr, f=narrow_valley, steps=5000)
    assert r.diverged is diverges
    assert r.converged is (not diverges)
    assert_all_finite(r.path, r.values)


# ---------------------------------------------------------------------------------------------
# one dimension: f = a x^2, L = f'' = 2a


@pytest.mark.parametrize("a", [0.5, 1.0, 3.0])
@pytest.mark.parametrize("x0", [1.5, -2.0])
def test_one_dimensional_regimes(a, x0):
    L = 2 * a
    grad = lambda x: 2 * a * x  # noqa: E731

    crawl = gradient_descent(grad, x0, 0.3 / L, steps=2000)
    assert crawl.converged and crawl.path.shape == (crawl.steps + 1,)
    assert np.all(np.sign(crawl.path[:-1]) == np.sign(x0))  # never overshoots
    assert np.all(np.diff(np.abs(crawl.path)) < 0)

    fastest = gradient_descent(grad, x0, 1 / L)
    assert fastest.converged and fastest.steps == 1
    assert_allclose(fastest.path, [x0, 0.0], rtol=0, atol=1e-15)

    zigzag = gradient_descent(grad, x0, 1.6 / L, steps=2000)
    assert zigzag.converged
    signs = np.sign(zigzag.path)
    assert np.all(signs[1:] == -signs[:-1])  # overshoots the bottom at every step
    assert zigzag.steps < crawl.steps * 2

    edge = gradient_descent(grad, x0, 2 / L, steps=200)  # |1 - eta L| = 1: bounces for ever
    assert not edge.converged and not edge.diverged and edge.steps == 200
    assert_allclose(np.abs(edge.path), abs(x0), rtol=1e-12)
    assert edge.message == "stopped after 200 steps without converging"

    blow = gradient_descent(grad, x0, 2.5 / L, steps=2000)
    assert blow.diverged and not blow.converged
    assert np.all(np.diff(np.abs(blow.path)) > 0)
    assert np.all(np.abs(blow.path) <= 1e8)
    assert blow.message == f"diverged after {blow.steps} steps"


# ---------------------------------------------------------------------------------------------
# momentum and schedules on a narrow valley


def test_momentum_reduces_steps_in_narrow_valley():
    plain = gradient_descent(valley_gradient, [1.0, 1.0], 0.01, steps=10_000)
    heavy = gradient_descent(valley_gradient, [1.0, 1.0], 0.01, momentum=0.9, steps=10_000)
    assert plain.converged and heavy.converged
    assert heavy.steps < plain.steps / 3
    assert_allclose(heavy.path[-1], [0.0, 0.0], rtol=0, atol=1e-4)


@pytest.mark.parametrize("schedule", [inverse_time_decay(1e-3), exponential_decay(0.9999)])
def test_decaying_schedule_tames_a_zigzagging_rate(schedule):
    # eta = 0.0199 is just below 2/L = 0.02: the steep direction zig-zags with factor 0.99 per step.
    constant = gradient_descent(valley_gradient, [1.0, 1.0], 0.0199, steps=10_000)
    decayed = gradient_descent(valley_gradient, [1.0, 1.0], 0.0199, schedule=schedule, steps=10_000)
    assert constant.converged and decayed.converged
    assert decayed.steps < constant.steps / 1.5


def test_alternating_schedule_solves_valley_in_two_steps():
    # eta = 1/100 removes the steep direction exactly, then eta = 1 removes the flat one.
    r = gradient_descent(valley_gradient, [1.0, 1.0], 0.01, schedule=lambda k: (1.0, 100.0)[k % 2])
    assert r.converged and r.steps == 2
    assert_allclose(r.path[-1], [0.0, 0.0], rtol=0, atol=1e-15)


# ---------------------------------------------------------------------------------------------
# divergence is clean


@pytest.mark.parametrize("lr", [0.5, 3.0, 1e10, 1e300])
@pytest.mark.parametrize("momentum", [0.0, 0.9])
def test_divergence_is_clean(lr, momentum):
    r = gradient_descent(narrow_valley_gradient, [0.0, 0.0], lr, f=narrow_valley, momentum=momentum, steps=5000)
    assert r.diverged and not r.converged
    assert_all_finite(r.path, r.values)
    assert np.all(np.linalg.norm(r.path, axis=-1) <= 1e8)
    assert len(r.path) == len(r.values) == r.steps + 1


def test_overflow_inside_user_functions_counts_as_divergence():
    # x1 = 20 + e^20 is finite and inside blowup, but grad(x1) = -e^(x1) overflows to -inf.
    r = gradient_descent(lambda x: -np.exp(x), 20.0, 1.0, blowup=1e10)
    assert r.diverged and r.steps == 0
    assert_array_equal(r.path, [20.0])
    # f overflows while x and grad stay finite.
    r = gradient_descent(lambda x: -np.ones_like(x), 700.0, 20.0, f=np.exp)
    assert r.diverged and r.steps == 0
    assert_all_finite(r.path, r.values)


def test_results_are_read_only():
    r = gradient_descent(narrow_valley_gradient, [0.0, 0.0], 0.1, f=narrow_valley)
    with pytest.raises(ValueError):
        r.path[0, 0] = 5.0


def test_steps_zero_and_start_at_minimum():
    r = gradient_descent(narrow_valley_gradient, [0.0, 0.0], 0.1, steps=0)
    assert r.steps == 0 and not r.converged and r.path.shape == (1, 2)
    r = gradient_descent(narrow_valley_gradient, [1.0, 2.0], 0.1)
    assert r.converged and r.steps == 0 and r.message == "converged in 0 steps"


# ---------------------------------------------------------------------------------------------
# property: the threshold 2 / lambda_max on random bowls


@settings(max_examples=40, deadline=None)
@given(
    l1=st.floats(0.1, 10.0),
    l2=st.floats(0.1, 10.0),
    angle=st.floats(0.0, math.pi),
    below=st.floats(0.5, 0.99),
    above=st.floats(1.01, 2.0),
)
def test_threshold_property_on_random_bowls(l1, l2, angle, below, above):
    c, s = math.cos(angle), math.sin(angle)
    Q = np.array([[c, -s], [s, c]])
    H = Q @ np.diag([l1, l2]) @ Q.T
    H = (H + H.T) / 2
    t = quadratic_thresholds(H)
    assert_allclose([t.l_min, t.l_max], sorted([l1, l2]), rtol=1e-10)
    grad = lambda x: H @ x  # noqa: E731
    steep = Q[:, int(np.argmax([l1, l2]))]
    start = steep + 0.5 * Q[:, int(np.argmin([l1, l2]))]  # generic: leans along both eigenvectors
    ok = gradient_descent(grad, start, below * t.diverge_lr, steps=5000)
    assert ok.converged and not ok.diverged
    bad = gradient_descent(grad, start, above * t.diverge_lr, steps=5000)
    assert bad.diverged and not bad.converged
    assert_all_finite(bad.path)


# ---------------------------------------------------------------------------------------------
# bad input names the argument

GOOD_GD = dict(grad=narrow_valley_gradient, x0=[0.0, 0.0], lr=0.1)


@pytest.mark.parametrize(
    "changes, name",
    [
        (dict(lr=0.0), "lr"),
        (dict(lr=-0.1), "lr"),
        (dict(lr=float("nan")), "lr"),
        (dict(lr=float("inf")), "lr"),
        (dict(lr="fast"), "lr"),
        (dict(x0=[0.0, float("nan")]), "x0"),
        (dict(x0=np.zeros((2, 2))), "x0"),
        (dict(x0=[]), "x0"),
        (dict(grad="not a function"), "grad"),
        (dict(grad=lambda x: np.zeros(3)), "grad"),  # wrong shape
        (dict(grad=lambda x: x * np.nan), "grad"),  # non-finite at x0
        (dict(steps=-1), "steps"),
        (dict(steps=2.5), "steps"),
        (dict(tol=-1e-3), "tol"),
        (dict(momentum=1.0), "momentum"),
        (dict(momentum=-0.1), "momentum"),
        (dict(schedule=0.5), "schedule"),
        (dict(schedule=lambda k: -1.0), "schedule"),
        (dict(f="f"), "f"),
        (dict(f=lambda x: x), "f"),  # not a single number
        (dict(blowup=0.0), "blowup"),
    ],
)
def test_gradient_descent_bad_input(changes, name):
    with pytest.raises(ValueError, match=name):
        gradient_descent(**{**GOOD_GD, **changes})


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: quadratic_thresholds([[1.0, 2.0], [0.0, 1.0]]), "hessian"),  # not symmetric
        (lambda: quadratic_thresholds([[1.0, 0.0], [0.0, -1.0]]), "hessian"),  # not a bowl
        (lambda: quadratic_thresholds([1.0, 2.0]), "hessian"),
        (lambda: quadratic_thresholds(np.ones((2, 3))), "hessian"),
        (lambda: narrow_valley([1.0, 2.0, 3.0]), "p"),
    ],
)
def test_other_bad_input(call, name):
    with pytest.raises(ValueError, match=name):
        call()


# ---------------------------------------------------------------------------------------------
# many walks in lock-step


def assert_same_walk(a: DescentResult, b: DescentResult) -> None:
    assert (a.steps, a.converged, a.diverged, a.message) == (b.steps, b.converged, b.diverged, b.message)
    assert_array_equal(a.path, b.path)
    if a.values is None:
        assert b.values is None
    else:
        assert_allclose(a.values, b.values, rtol=1e-14, atol=1e-14)  # scalar and array powers may round apart


@pytest.mark.parametrize("with_f", [False, True])
def test_lockstep_matches_single_walks(with_f):
    lrs = [0.01, 0.1, 1 / 7, 0.147, 0.16, 0.5]  # creeping, zig-zagging, fastest, diverging slowly and fast
    starts = np.array([[0.0, 0.0], [-3.0, 4.5], [5.0, 4.0]])
    grid = [(lr, s) for lr in lrs for s in starts]
    f = narrow_valley if with_f else None
    together = gradient_descent_lockstep(
        narrow_valley_gradient, np.array([s for _, s in grid]), np.array([lr for lr, _ in grid]), f=f, steps=3000
    )
    assert len(together) == len(grid)
    outcomes = set()
    for (lr, start), walk in zip(grid, together):
        single = gradient_descent(narrow_valley_gradient, start, lr, f=f, steps=3000)
        assert_same_walk(walk, single)
        assert walk.path.shape == (walk.steps + 1, 2)
        outcomes.add((walk.converged, walk.diverged))
    assert outcomes == {(True, False), (False, True), (False, False)}  # all three endings were exercised


@pytest.mark.parametrize("momentum", [0.0, 0.5, [0.0, 0.3, 0.6, 0.9]])
@pytest.mark.parametrize("schedule", [None, inverse_time_decay(0.01)])
def test_lockstep_momentum_and_schedule(momentum, schedule):
    lrs = np.array([0.02, 0.1, 0.2, 0.25])
    together = gradient_descent_lockstep(
        narrow_valley_gradient, [0.0, 0.0], lrs, f=narrow_valley, momentum=momentum, schedule=schedule, steps=2000
    )
    betas = np.broadcast_to(momentum, lrs.shape)
    for lr, beta, walk in zip(lrs, betas, together):
        single = gradient_descent(
            narrow_valley_gradient, [0.0, 0.0], lr, f=narrow_valley, momentum=float(beta), schedule=schedule, steps=2000
        )
        assert_same_walk(walk, single)


def test_lockstep_one_variable_and_overflow():
    # f = x^4 / 4 from x0 = 3 with a large rate: the walk overflows inside grad; another walk converges.
    grad = lambda x: x**3  # noqa: E731
    walks = gradient_descent_lockstep(grad, [[3.0], [0.5]], [5.0, 0.5], f=lambda x: x[:, 0] ** 4 / 4, steps=20_000)
    assert walks[0].diverged and walks[0].path.shape[1] == 1
    assert_all_finite(walks[0].path, walks[0].values)
    assert not walks[1].diverged and walks[1].path.shape == (walks[1].steps + 1, 1)
    single = gradient_descent(lambda x: x**3, 3.0, 5.0, steps=20_000)
    assert single.diverged and single.steps == walks[0].steps


def test_lockstep_grid_of_starts_is_fast_enough_for_a_picture():
    xs = np.linspace(-5, 5, 41)
    grid = np.stack(np.meshgrid(xs, xs), axis=-1).reshape(-1, 2)
    walks = gradient_descent_lockstep(himmelblau_gradient, grid, 0.01, steps=500)
    assert all(w.converged for w in walks)
    ends = np.array([w.path[-1] for w in walks])
    nearest = np.min(np.linalg.norm(ends[:, None] - HIMMELBLAU_MINIMA[None], axis=-1), axis=1)
    assert np.all(nearest < 1e-5)
    assert len({int(np.argmin(np.linalg.norm(e - HIMMELBLAU_MINIMA, axis=1))) for e in ends}) == 4


@pytest.mark.parametrize(
    "changes, name",
    [
        (dict(lr=[0.1, 0.2], x0=np.zeros((3, 2))), "lr"),  # 3 starts but 2 rates
        (dict(lr=[[0.1]]), "lr"),
        (dict(lr=[0.1, -0.1]), "lr"),
        (dict(lr=[]), "lr"),
        (dict(momentum=[0.5, 1.0]), "momentum"),
        (dict(x0=np.zeros((2, 2, 2))), "x0"),
        (dict(x0=[[0.0, np.inf]]), "x0"),
        (dict(grad=lambda p: p[..., 0]), "grad"),  # wrong shape
        (dict(f=lambda p: p), "f"),  # not one number per row
        (dict(schedule=lambda k: 0.0), "schedule"),
        (dict(steps=-2), "steps"),
        (dict(tol=-1.0), "tol"),
        (dict(blowup=-1.0), "blowup"),
    ],
)
def test_lockstep_bad_input(changes, name):
    good = dict(grad=narrow_valley_gradient, x0=[0.0, 0.0], lr=0.1)
    with pytest.raises(ValueError, match=name):
        gradient_descent_lockstep(**{**good, **changes})


# ---------------------------------------------------------------------------------------------
# regimes and contraction factors


@pytest.mark.parametrize(
    "lr, regime",
    [(0.01, "creeps"), (0.2, "creeps"), (0.25, "fastest"), (0.3, "oscillates"), (0.49, "oscillates"),
     (0.5, "on the edge"), (0.51, "diverges"), (3.0, "diverges")],
)
def test_regime_in_one_dimension(lr, regime):
    # f = 2x^2: curvature L = 4, landmarks 1/L = 0.25 and 2/L = 0.5
    assert learning_rate_regime(lr, [[4.0]]) == regime


def test_regime_on_the_narrow_valley():
    t = VALLEY_T
    assert learning_rate_regime(0.5 * t.fastest_1d, narrow_valley_hessian()) == "creeps"
    assert learning_rate_regime(t.fastest_1d, narrow_valley_hessian()) == "creeps"  # the steep part lands in one step
    assert learning_rate_regime(0.1, narrow_valley_hessian()) == "oscillates"
    assert learning_rate_regime(1 / 7, narrow_valley_hessian()) == "fastest"
    assert learning_rate_regime(0.999 * t.diverge_lr, narrow_valley_hessian()) == "oscillates"
    assert learning_rate_regime(t.diverge_lr, narrow_valley_hessian()) == "on the edge"
    assert learning_rate_regime(1.001 * t.diverge_lr, narrow_valley_hessian()) == "diverges"


@pytest.mark.parametrize("lr", [0.01, 0.1, 0.145, 0.2])
def test_contraction_factor_without_momentum_is_one_minus_eta_lambda(lr):
    lams = np.array([VALLEY_T.l_min, VALLEY_T.l_max])
    assert_allclose(contraction_factor(lr, lams), np.abs(1 - lr * lams), rtol=1e-15)
    assert isinstance(contraction_factor(lr, 2.0), float)


@pytest.mark.parametrize("lr, beta", [(0.1, 0.0), (0.1, 0.5), (0.02, 0.9), (0.2, 0.6), (0.14, 0.2)])
def test_contraction_factor_predicts_the_walk(lr, beta):
    """Along the slowest direction the distance to (1, 2) shrinks by the predicted factor per step."""
    walk = gradient_descent(narrow_valley_gradient, [0.0, 0.0], lr, momentum=beta, steps=400, tol=0.0)
    predicted = np.max(contraction_factor(lr, [VALLEY_T.l_min, VALLEY_T.l_max], beta))
    dist = np.linalg.norm(walk.path - [1.0, 2.0], axis=1)
    # geometric mean of the shrink over 100 steps (smooths the wobble of complex roots), ending before
    # the distance reaches rounding level
    end = int(np.flatnonzero(dist > 1e-8)[-1])
    span = min(100, end // 2)
    measured = (dist[end] / dist[end - span]) ** (1 / span)
    assert_allclose(measured, predicted, rtol=2e-2)


@pytest.mark.parametrize("beta", [0.0, 0.3, 0.8])
def test_momentum_moves_the_divergence_edge_to_two_one_plus_beta_over_lambda(beta):
    edge = 2 * (1 + beta) / VALLEY_T.l_max
    assert np.max(contraction_factor(0.99 * edge, [VALLEY_T.l_min, VALLEY_T.l_max], beta)) < 1
    assert np.max(contraction_factor(1.01 * edge, [VALLEY_T.l_min, VALLEY_T.l_max], beta)) > 1
    ok = gradient_descent(narrow_valley_gradient, [0.0, 0.0], 0.99 * edge, momentum=beta, steps=20_000)
    bad = gradient_descent(narrow_valley_gradient, [0.0, 0.0], 1.01 * edge, momentum=beta, steps=20_000)
    assert ok.converged and bad.diverged


def test_complex_roots_give_square_root_of_beta():
    assert_allclose(contraction_factor(1.0, 1.0, 0.81), 0.9, rtol=1e-15)


def test_heavy_ball_tuning_on_the_narrow_valley():
    tune = heavy_ball_tuning(narrow_valley_hessian())
    assert_allclose([tune.lr, tune.momentum, tune.factor], [2 / 9, 5 / 9, math.sqrt(5 / 9)], rtol=1e-12)
    both = contraction_factor(tune.lr, [VALLEY_T.l_min, VALLEY_T.l_max], tune.momentum)
    assert_allclose(both, [tune.factor, tune.factor], rtol=1e-6)
    # no nearby pair does better: it is the best (eta, beta)
    for dlr in (-0.01, 0.0, 0.01):
        for dbeta in (-0.02, 0.0, 0.02):
            nearby = contraction_factor(tune.lr + dlr, [VALLEY_T.l_min, VALLEY_T.l_max], tune.momentum + dbeta)
            assert np.max(nearby) >= tune.factor - 1e-12
    plain_best = (VALLEY_T.l_max - VALLEY_T.l_min) / (VALLEY_T.l_max + VALLEY_T.l_min)
    assert tune.factor < plain_best


def test_momentum_and_schedule_reduce_steps_on_the_narrow_valley():
    plain = gradient_descent(narrow_valley_gradient, [0.0, 0.0], 0.1, steps=20_000)
    heavy = gradient_descent(narrow_valley_gradient, [0.0, 0.0], 0.1, momentum=0.7, steps=20_000)
    tune = heavy_ball_tuning(narrow_valley_hessian())
    tuned = gradient_descent(narrow_valley_gradient, [0.0, 0.0], tune.lr, momentum=tune.momentum, steps=20_000)
    assert plain.converged and heavy.converged and tuned.converged
    assert heavy.steps < plain.steps / 3 and tuned.steps < plain.steps / 4
    assert_allclose(tuned.path[-1], [1.0, 2.0], atol=1e-5)
    near_edge = gradient_descent(narrow_valley_gradient, [0.0, 0.0], 0.145, steps=20_000)
    decayed = gradient_descent(narrow_valley_gradient, [0.0, 0.0], 0.145, schedule=inverse_time_decay(0.001), steps=20_000)
    assert near_edge.converged and decayed.converged and decayed.steps < near_edge.steps / 3


@pytest.mark.parametrize("lr", [0.01, 0.1, 0.2, 0.3])
@pytest.mark.parametrize("lam", [VALLEY_T.l_min, 1.0, VALLEY_T.l_max])
@pytest.mark.parametrize("beta", [0.0, 0.3, 5 / 9, 0.9])
def test_momentum_matrix_eigenvalues_give_the_factor_and_multiply_to_beta(lr, lam, beta):
    M = momentum_matrix(lr, lam, beta)
    mu = np.linalg.eigvals(M)
    assert_allclose(np.max(np.abs(mu)), contraction_factor(lr, lam, beta), rtol=1e-7, atol=1e-12)
    assert_allclose(np.prod(mu).real, beta, rtol=1e-12, atol=1e-15)  # product of the roots = β
    assert_allclose(np.sum(mu).real, 1 + beta - lr * lam, rtol=1e-12, atol=1e-15)
    assert np.max(np.abs(mu)) >= np.sqrt(beta) - 1e-12


@pytest.mark.parametrize("lr, beta", [(0.1, 0.9), (0.2, 0.5), (0.05, 0.0)])
def test_momentum_matrix_reproduces_the_heavy_ball_walk(lr, beta):
    lam, x0 = 3.0, 1.5
    walk = gradient_descent(lambda x: lam * x, x0, lr, momentum=beta, steps=30, tol=0.0)
    M = momentum_matrix(lr, lam, beta)
    pair = np.array([walk.path[1], walk.path[0]])  # (e_1, e_0): the first step has no velocity yet
    for t in range(1, 30):
        pair = M @ pair
        assert_allclose(pair[0], walk.path[t + 1], rtol=1e-10, atol=1e-12)


def test_momentum_matrix_at_beta_09_has_complex_roots_on_the_whole_slider():
    """β = 0.9 on the narrow valley: (1 + β − ηλ)² < 4β for every η the momentum slider offers."""
    for lr in (0.02, 0.1, 0.2, 2 / 9):
        for lam in (VALLEY_T.l_min, VALLEY_T.l_max):
            mu = np.linalg.eigvals(momentum_matrix(lr, lam, 0.9))
            assert np.all(np.abs(mu.imag) > 0)
            assert_allclose(np.abs(mu), np.sqrt(0.9), rtol=1e-12)


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: contraction_factor(0.0, 1.0), "lr"),
        (lambda: momentum_matrix(0.0, 1.0, 0.5), "lr"),
        (lambda: momentum_matrix(0.1, 1.0, 1.0), "momentum"),
        (lambda: momentum_matrix(0.1, np.inf, 0.5), "curvature"),
        (lambda: momentum_matrix(0.1, [1.0, 2.0], 0.5), "curvature"),
        (lambda: contraction_factor(0.1, 1.0, 1.0), "momentum"),
        (lambda: contraction_factor(0.1, [1.0, np.nan]), "curvature"),
        (lambda: learning_rate_regime(-0.1, [[4.0]]), "lr"),
        (lambda: learning_rate_regime(0.1, [[-4.0]]), "hessian"),
        (lambda: heavy_ball_tuning([[1.0, 0.0], [0.0, 0.0]]), "hessian"),
    ],
)
def test_factor_bad_input(call, name):
    with pytest.raises(ValueError, match=name):
        call()


# ---------------------------------------------------------------------------------------------
# landscapes with several valleys


@pytest.mark.parametrize("x", [-2.2, -1.0, 0.0, 0.4, 1.7])
def test_double_well_slope_matches_central_difference(x):
    assert_allclose(double_well_slope(x), calculus.derivative(double_well, x), rtol=1e-7, atol=1e-7)


def test_double_well_valleys():
    roots = np.sort(np.roots([4.0, 0.0, -8.0, 1.0]).real)  # slope 4x^3 - 8x + 1 = 0
    deep, hump, shallow = roots
    assert double_well(deep) < double_well(shallow) < double_well(hump)
    left = gradient_descent(double_well_slope, 0.1, 0.02, tol=1e-10)
    right = gradient_descent(double_well_slope, 0.15, 0.02, tol=1e-10)
    assert_allclose([left.path[-1], right.path[-1]], [deep, shallow], atol=1e-9)  # 0.05 apart, different valleys


@pytest.mark.parametrize("point", [[0.0, 0.0], [1.5, -2.5], [-3.0, 3.0], [4.0, 1.0]])
def test_himmelblau_gradient_matches_central_difference(point):
    assert_allclose(himmelblau_gradient(point), calculus.gradient(himmelblau, point), rtol=1e-7, atol=1e-5)


def test_himmelblau_minima_match_scipy():
    from scipy.optimize import minimize

    for m in HIMMELBLAU_MINIMA:
        found = minimize(himmelblau, m + 0.1, jac=himmelblau_gradient, method="BFGS", tol=1e-12).x
        assert_allclose(found, m, atol=1e-6)
        assert himmelblau(m) < 1e-9
    assert himmelblau(np.array(HIMMELBLAU_MINIMA)).shape == (4,)
