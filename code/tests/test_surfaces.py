"""Tests for dlmath.surfaces: exact gradients and Hessians against central differences and SciPy, the
tangent plane and its error (which shrinks like the square of the step), and clean ValueErrors."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy.differentiate import hessian as scipy_hessian
from scipy.differentiate import jacobian as scipy_jacobian

from dlmath.calculus import gradient, partial
from dlmath.surfaces import (
    BOWL,
    HILL,
    SADDLE,
    SURFACES,
    Plane,
    bowl,
    hill,
    hill_gradient,
    hill_hessian,
    linear_approximation_error,
    saddle,
    tangent_plane,
)

# Every test runs with warnings as errors: far-away points must not emit overflow/invalid warnings.
pytestmark = pytest.mark.filterwarnings("error")

SURFACE_LIST = [BOWL, SADDLE, HILL]
POINTS = np.random.default_rng(0).uniform(-2.0, 2.0, size=(25, 2))


def _first_axis(f):
    """SciPy's differentiate passes coordinates on the first axis; ours read them from the last."""
    return lambda x: f(np.moveaxis(np.asarray(x), 0, -1))


# ---------------------------------------------------------------------------------------------
# values


def test_formulas_at_known_points():
    assert bowl([1.0, 2.0]) == 9.0 and saddle([1.0, 2.0]) == -3.0
    assert hill([0.0, 0.0]) == 3.0
    assert_allclose(hill([2.0, 0.0]), 3 * np.exp(-1.0), rtol=1e-15)


@pytest.mark.parametrize("surface", SURFACE_LIST, ids=lambda s: s.name)
def test_a_grid_is_evaluated_in_one_call(surface):
    X, Y = np.meshgrid(np.linspace(-1, 1, 4), np.linspace(-2, 2, 3))
    grid = np.stack([X, Y], axis=-1)
    values = surface.f(grid)
    assert values.shape == (3, 4)
    assert_allclose(values[1, 2], surface.f(grid[1, 2]))
    assert surface.gradient(grid).shape == (3, 4, 2)
    assert surface.hessian(grid).shape == (3, 4, 2, 2)


def test_registry_names_its_surfaces():
    assert set(SURFACES) == {"bowl", "saddle", "hill"}
    assert all(SURFACES[name].name == name and SURFACES[name].formula for name in SURFACES)


# ---------------------------------------------------------------------------------------------
# derivatives beside the functions, checked numerically


@pytest.mark.parametrize("surface", SURFACE_LIST, ids=lambda s: s.name)
def test_gradient_matches_central_differences(surface):
    assert_allclose(surface.gradient(POINTS), gradient(surface.f, POINTS), rtol=1e-8, atol=1e-9)


@pytest.mark.parametrize("surface", SURFACE_LIST, ids=lambda s: s.name)
@pytest.mark.parametrize("i", [0, 1])
def test_each_partial_is_one_gradient_component(surface, i):
    exact = surface.gradient(POINTS)[..., i]
    assert_allclose(partial(surface.f, POINTS, i), exact, rtol=1e-8, atol=1e-9)


@pytest.mark.parametrize("surface", SURFACE_LIST, ids=lambda s: s.name)
def test_hessian_matches_differences_of_the_gradient(surface):
    # Row j of the Hessian is the gradient of the j-th partial derivative.
    numeric = np.stack([gradient(lambda p, j=j: surface.gradient(p)[..., j], POINTS) for j in range(2)], axis=-2)
    assert_allclose(surface.hessian(POINTS), numeric, rtol=1e-7, atol=1e-8)


@pytest.mark.parametrize("surface", SURFACE_LIST, ids=lambda s: s.name)
def test_hessian_is_symmetric(surface):
    h = surface.hessian(POINTS)
    assert_allclose(h, np.swapaxes(h, -1, -2), rtol=0, atol=0)


@pytest.mark.parametrize("surface", SURFACE_LIST, ids=lambda s: s.name)
def test_gradient_and_hessian_match_scipy(surface):
    points = POINTS[:6]
    jac = scipy_jacobian(_first_axis(surface.f), points.T)
    assert_allclose(surface.gradient(points), jac.df.T, rtol=1e-9, atol=1e-10)
    hes = scipy_hessian(_first_axis(surface.f), points.T)
    assert_allclose(surface.hessian(points), np.moveaxis(hes.ddf, -1, 0), rtol=1e-6, atol=1e-7)


def test_bowl_has_a_bottom_and_saddle_has_a_pass():
    origin = np.zeros(2)
    for surface in (BOWL, SADDLE):
        assert_allclose(surface.gradient(origin), [0.0, 0.0], atol=0)
    assert np.all(np.linalg.eigvalsh(BOWL.hessian(origin)) > 0)  # curves up every way: a bottom
    low, high = np.linalg.eigvalsh(SADDLE.hessian(origin))
    assert low < 0 < high  # up one way, down the other: neither top nor bottom


def test_gradient_is_perpendicular_to_the_contour():
    # The hill's contour through p is the ellipse x^2 + 3y^2 = c; its tangent there is (-3y, x).
    for p in POINTS:
        tangent = np.array([-3 * p[1], p[0]])
        assert abs(hill_gradient(p) @ tangent) < 1e-12


@pytest.mark.parametrize("far", [60.0, 1e3, 1e200, np.finfo(float).max])
def test_hill_is_flat_and_quiet_far_away(far):
    p = np.array([far, -far])
    assert hill(p) == 0.0
    assert np.all(hill_gradient(p) == 0.0) and np.all(hill_hessian(p) == 0.0)


# ---------------------------------------------------------------------------------------------
# the tangent plane and the linear approximation


@pytest.mark.parametrize("surface", SURFACE_LIST, ids=lambda s: s.name)
def test_tangent_plane_touches_the_surface(surface):
    p0 = (0.8, -0.3)
    plane = tangent_plane(surface.f, p0, surface.gradient)
    assert isinstance(plane, Plane)
    assert_allclose(plane(p0), surface.f(np.array(p0)), rtol=1e-15)
    assert_allclose(plane.slopes, surface.gradient(np.array(p0)))
    numeric = tangent_plane(surface.f, p0)  # slopes from central differences
    assert_allclose(numeric.slopes, plane.slopes, rtol=1e-8, atol=1e-10)
    assert plane(np.zeros((3, 5, 2))).shape == (3, 5)


def test_linear_approximation_is_exact_for_a_plane():
    def plane(p):
        return 5 * p[..., 0] - 2 * p[..., 1] + 1

    def plane_gradient(p):
        return np.broadcast_to([5.0, -2.0], np.shape(p))

    steps = np.random.default_rng(1).normal(size=(10, 2))
    assert_allclose(linear_approximation_error(plane, plane_gradient, (0.3, 0.4), steps), 0.0, atol=1e-14)


@pytest.mark.parametrize("surface", [BOWL, SADDLE], ids=lambda s: s.name)
def test_error_of_a_quadratic_is_half_the_hessian_form(surface):
    p0 = np.array([0.7, -1.1])
    steps = np.random.default_rng(2).normal(size=(10, 2))
    half_form = 0.5 * np.einsum("ni,ij,nj->n", steps, surface.hessian(p0), steps)
    assert_allclose(linear_approximation_error(surface.f, surface.gradient, p0, steps), half_form, rtol=1e-12, atol=1e-13)


@pytest.mark.parametrize("angle", [0.0, 45.0, 100.0, 225.0])
def test_hill_error_shrinks_like_the_square_of_the_step(angle):
    p0 = np.array([1.0, -0.5])
    u = np.array([np.cos(np.radians(angle)), np.sin(np.radians(angle))])
    lengths = np.array([1e-1, 1e-2, 1e-3])
    ratios = linear_approximation_error(hill, hill_gradient, p0, lengths[:, None] * u) / lengths**2
    limit = 0.5 * u @ hill_hessian(p0) @ u  # the second derivative along u, halved
    # The next term is cubic: each tenfold smaller step brings error/|step|^2 ten times closer.
    assert np.all(np.abs(ratios / limit - 1) < [0.2, 0.02, 0.002])


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: bowl([1.0, 2.0, 3.0]), "p"),
        (lambda: saddle(1.0), "p"),
        (lambda: hill("far"), "p"),
        (lambda: tangent_plane(bowl, (1.0, 2.0, 3.0)), "p0"),
        (lambda: tangent_plane(bowl, [[0.0, 0.0], [1.0, 1.0]]), "p0"),
        (lambda: tangent_plane(bowl, (np.inf, 0.0)), "p0"),
        (lambda: tangent_plane("bowl", (0.0, 0.0)), "f"),
        (lambda: tangent_plane(bowl, (0.0, 0.0), grad=3), "grad"),
        (lambda: linear_approximation_error(bowl, BOWL.gradient, (0.0, 0.0), [1.0]), "delta"),
        (lambda: linear_approximation_error(bowl, BOWL.gradient, [[0.0, 0.0]], [1.0, 1.0]), "p0"),
    ],
)
def test_bad_input_raises_value_error_naming_the_argument(call, name):
    with pytest.raises(ValueError, match=rf"^{name} "):
        call()
