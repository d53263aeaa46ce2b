"""Tests for dlmath.linalg: the grid, the map and the blend against NumPy's own products, the facts
about a map against np.linalg, the presets' geometry, the timing helper, and bad input."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numpy.testing import assert_allclose, assert_array_equal

from dlmath.linalg import PRESETS, apply_map, blend, describe_map, grid_lines, median_time, preset_matrix

pytestmark = pytest.mark.filterwarnings("error")

RNG = np.random.default_rng(0)
MATRICES = [np.eye(2), np.array([[2.0, 1.0], [-0.5, 3.0]]), np.array([[0.0, -1.0], [1.0, 0.0]]), RNG.normal(size=(2, 2))]
finite = st.floats(-10, 10, allow_nan=False)
matrix2 = arrays(np.float64, (2, 2), elements=finite)


# -- grid_lines ---------------------------------------------------------------------------------


def test_grid_lines_shape_and_positions():
    lines = grid_lines(2.0, 0.5, samples=5)
    assert lines.shape == (18, 5, 2)  # 9 vertical and 9 horizontal lines
    assert_allclose(lines[:9, :, 0], np.repeat(np.linspace(-2, 2, 9)[:, None], 5, axis=1))  # x = c
    assert_allclose(lines[9:, :, 1], np.repeat(np.linspace(-2, 2, 9)[:, None], 5, axis=1))  # y = c
    assert_allclose(lines[0, :, 1], np.linspace(-2, 2, 5))  # each runs from one edge to the other


def test_grid_lines_spacing_that_does_not_fit_is_rounded_to_one_that_does():
    lines = grid_lines(2.0, 0.75)
    assert lines.shape == (12, 2, 2)  # six vertical and six horizontal lines
    assert_allclose(lines[:6, 0, 0], [-2.0, -1.2, -0.4, 0.4, 1.2, 2.0], rtol=0, atol=1e-15)  # 0.8 apart, ending at ±2


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [({"lim": 0.0}, "lim"), ({"lim": np.inf}, "lim"), ({"spacing": 0.0}, "spacing"), ({"spacing": 3.0}, "spacing"),
     ({"samples": 1}, "samples"), ({"samples": 2.5}, "samples"), ({"samples": True}, "samples")],
)  # fmt: skip
def test_grid_lines_bad_input(kwargs, name):
    with pytest.raises(ValueError, match=name):
        grid_lines(**kwargs)


# -- apply_map ----------------------------------------------------------------------------------


@pytest.mark.parametrize("A", MATRICES)
def test_apply_map_is_A_times_each_point(A):
    points = RNG.normal(size=(7, 2))
    b = np.array([0.3, -1.2])
    expected = np.array([A @ x + b for x in points])  # one column vector at a time
    assert_allclose(apply_map(A, points, b), expected, rtol=1e-14, atol=1e-14)
    assert_allclose(apply_map(A, points), np.einsum("ij,nj->ni", A, points), rtol=1e-14, atol=1e-14)


def test_apply_map_keeps_leading_shapes_and_sends_basis_to_columns():
    A = np.array([[1.0, 2.0], [3.0, 4.0]])
    assert_array_equal(apply_map(A, [[1.0, 0.0], [0.0, 1.0]]), A.T)  # e₁ ↦ first column, e₂ ↦ second
    assert apply_map(A, grid_lines(samples=3)).shape == (18, 3, 2)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(A=matrix2, B=matrix2)
def test_two_maps_in_a_row_are_one_map(A, B):
    points = grid_lines(samples=3).reshape(-1, 2)
    assert_allclose(apply_map(B, apply_map(A, points)), apply_map(B @ A, points), rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize(
    "A", [np.eye(3), [1.0, 2.0], [[1.0, np.nan], [0.0, 1.0]], [[np.inf, 0.0], [0.0, 1.0]], [["a", "b"], ["c", "d"]]]
)
def test_apply_map_rejects_a_matrix_that_is_not_finite_2x2(A):
    with pytest.raises(ValueError, match="A must"):
        apply_map(A, [[0.0, 0.0]])


def test_apply_map_rejects_bad_points_and_shift():
    with pytest.raises(ValueError, match="points"):
        apply_map(np.eye(2), np.zeros((4, 3)))
    with pytest.raises(ValueError, match="points"):
        apply_map(np.eye(2), 1.0)
    with pytest.raises(ValueError, match="b must"):
        apply_map(np.eye(2), np.zeros((4, 2)), b=[1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="b must"):
        apply_map(np.eye(2), np.zeros((4, 2)), b=[1.0, np.nan])


# -- blend --------------------------------------------------------------------------------------


@pytest.mark.parametrize("A", MATRICES)
def test_blend_at_0_is_identity_and_at_1_is_the_layer(A):
    x = RNG.normal(size=(11, 2))
    b = np.array([0.5, -0.25])
    assert_array_equal(blend(A, b, x, 0.0), x)
    assert_allclose(blend(A, b, x, 1.0), np.tanh(x @ A.T + b), rtol=1e-15, atol=1e-15)
    # column-vector form, one point at a time: tanh(A @ x + b)
    assert_allclose(blend(A, b, x, 1), np.array([np.tanh(A @ p + b) for p in x]), rtol=1e-14, atol=1e-14)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(A=matrix2, s=st.floats(0, 1))
def test_blend_moves_each_point_along_a_straight_line(A, s):
    x = grid_lines(samples=3).reshape(-1, 2)
    start, end = blend(A, [0.1, 0.2], x, 0.0), blend(A, [0.1, 0.2], x, 1.0)
    assert_allclose(blend(A, [0.1, 0.2], x, s), start + s * (end - start), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("s", [-0.1, 1.5, np.nan, "0.5", True])
def test_blend_rejects_s_outside_0_1(s):
    with pytest.raises(ValueError, match="s must"):
        blend(np.eye(2), [0.0, 0.0], [[1.0, 1.0]], s)


def test_blend_rejects_bad_matrix():
    with pytest.raises(ValueError, match="A must"):
        blend(np.ones((3, 2)), [0.0, 0.0], [[1.0, 1.0]], 0.5)


# -- describe_map -------------------------------------------------------------------------------


@settings(max_examples=100, deadline=None, derandomize=True)
@given(A=matrix2)
def test_determinant_agrees_with_numpy(A):
    facts = describe_map(A)
    assert facts.rank == np.linalg.matrix_rank(A)
    if facts.rank == 2:
        assert_allclose(facts.det, np.linalg.det(A), rtol=1e-12, atol=0)
        assert_allclose(facts.det, A[0, 0] * A[1, 1] - A[0, 1] * A[1, 0], rtol=1e-6, atol=1e-9)
    else:
        assert facts.det == 0.0 and facts.flat


@pytest.mark.parametrize("A", MATRICES)
def test_determinant_is_the_area_of_the_mapped_unit_square(A):
    square = apply_map(A, [[0, 0], [1, 0], [1, 1], [0, 1]])
    x, y = square.T
    signed_area = 0.5 * np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y)  # the shoelace formula
    assert_allclose(describe_map(A).det, signed_area, rtol=1e-12, atol=1e-12)


def test_flat_maps_are_recognised():
    assert describe_map([[1.0, 2.0], [2.0, 4.0]]).rank == 1  # second row twice the first
    assert describe_map([[0.5, 0.5], [0.5, 0.5]]).flat
    assert describe_map(np.zeros((2, 2))).rank == 0
    assert not describe_map([[1e-3, 0.0], [0.0, 1e-3]]).flat  # small but not flat


@settings(max_examples=100, deadline=None, derandomize=True)
@given(a=finite, b=finite, d=finite)
def test_symmetric_matrices_only_stretch_their_eigenvectors(a, b, d):
    A = np.array([[a, b], [b, d]])
    facts = describe_map(A)
    assert facts.symmetric
    V, lam = facts.eigenvectors, facts.eigenvalues
    assert lam[0] <= lam[1]
    assert_allclose(A @ V, V * lam, atol=1e-9 * (1 + np.abs(A).max()))  # A v = λ v, column by column
    assert_allclose(V.T @ V, np.eye(2), atol=1e-12)  # perpendicular unit vectors
    assert_allclose(lam, np.linalg.eigvalsh(A), rtol=1e-12, atol=1e-12)


def test_not_symmetric_has_no_eigenvectors_drawn():
    facts = describe_map([[1.0, 1.0], [0.0, 1.0]])
    assert not facts.symmetric and facts.eigenvalues is None and facts.eigenvectors is None


def test_describe_map_bad_input():
    with pytest.raises(ValueError, match="A must"):
        describe_map([[1.0, 2.0, 3.0]])


# -- presets ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", PRESETS)
def test_every_preset_starts_at_the_identity(name):
    assert_allclose(preset_matrix(name, 0.0), np.eye(2), atol=1e-15)


def test_presets_at_full_amount():
    assert_array_equal(preset_matrix("rotate", 1.0), [[0.0, -1.0], [1.0, 0.0]])  # exactly a quarter turn
    R = preset_matrix("rotate", 0.5)
    assert_allclose(R @ [1.0, 0.0], [np.sqrt(0.5), np.sqrt(0.5)], rtol=1e-15)
    assert_allclose(R.T @ R, np.eye(2), atol=1e-15)  # rotations keep lengths
    assert describe_map(preset_matrix("stretch", 1.0)).det == 2.0
    assert describe_map(preset_matrix("shear", 1.0)).det == 1.0
    assert describe_map(preset_matrix("flip", 1.0)).det == -1.0
    assert describe_map(preset_matrix("flip", 0.5)).flat  # half way to a mirror image is flat
    squash = preset_matrix("squash", 1.0)
    assert describe_map(squash).flat
    assert_allclose(apply_map(squash, RNG.normal(size=(5, 2))) @ [1.0, -1.0], 0.0, atol=1e-15)  # all on y = x


@pytest.mark.parametrize(("args", "name"), [(("spin", 0.5), "name"), (("rotate", 1.5), "amount"), (("rotate", np.nan), "amount")])
def test_preset_bad_input(args, name):
    with pytest.raises(ValueError, match=name):
        preset_matrix(*args)


# -- median_time --------------------------------------------------------------------------------


def test_median_time_calls_the_function_and_returns_seconds_per_call():
    calls = []
    seconds = median_time(lambda: calls.append(1), repeats=3, number=4)
    assert len(calls) == 12 and 0 <= seconds < 0.01


def test_median_time_is_the_median():
    import time

    delays = iter([0.0, 0.05, 0.0, 0.0, 0.0])  # one slow repeat out of five

    def work():
        time.sleep(next(delays))

    assert median_time(work, repeats=5) < 0.02


@pytest.mark.parametrize(("kwargs", "name"), [({"repeats": 0}, "repeats"), ({"number": 0}, "number"), ({"repeats": 2.0}, "repeats")])
def test_median_time_bad_input(kwargs, name):
    with pytest.raises(ValueError, match=name):
        median_time(lambda: None, **kwargs)
