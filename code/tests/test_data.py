"""Tests for dlmath.data: every example function's exact slope agrees with a central difference."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

from dlmath import data
from dlmath.calculus import derivative

pytestmark = pytest.mark.filterwarnings("error")

# Every public ``name`` with a ``name_slope`` beside it; a new pair added to data.py is tested too.
PAIRS = [
    pytest.param(getattr(data, name), getattr(data, f"{name}_slope"), id=name)
    for name in data.__all__
    if not name.endswith("_slope") and f"{name}_slope" in data.__all__
]
POINTS = [-10.0, -3.0, -1.0, -0.5, 0.0, 0.25, 1.0, 3.0, 7.5, 100.0]


def test_pairs_found():
    names = {p.id for p in PAIRS}
    assert {"pig_sales", "cubic"} <= names
    # No slope function is left without its function.
    slopes = {name for name in data.__all__ if name.endswith("_slope")}
    assert slopes == {f"{name}_slope" for name in names}


@pytest.mark.parametrize("x", POINTS)
@pytest.mark.parametrize("f, slope", PAIRS)
def test_slope_matches_central_difference(f, slope, x):
    assert_allclose(slope(x), derivative(f, x), rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("f, slope", PAIRS)
def test_slope_matches_central_difference_on_arrays(f, slope):
    x = np.random.default_rng(0).uniform(-5, 5, size=(4, 6))
    out = slope(x)
    assert out.shape == x.shape and out.dtype == np.float64
    assert_allclose(out, derivative(f, x), rtol=1e-9, atol=1e-9)


@settings(max_examples=100, deadline=None, derandomize=True)
@given(x=st.floats(-1e3, 1e3))
def test_slope_matches_central_difference_property(x):
    for param in PAIRS:
        f, slope = param.values
        assert_allclose(slope(x), derivative(f, x), rtol=1e-8, atol=1e-8)


@pytest.mark.parametrize("f, slope", PAIRS)
def test_accepts_lists_and_ints(f, slope):
    for fn in (f, slope):
        assert_array_equal(fn([0, 1, 2]), fn(np.array([0.0, 1.0, 2.0])))


def test_pig_sales_values():
    # y = 2x^2 + 10x + 30 and y' = 4x + 10.
    assert_array_equal(data.pig_sales(np.array([0.0, 1.0, 3.0])), [30.0, 42.0, 78.0])
    assert_array_equal(data.pig_sales_slope(np.array([0.0, 3.0])), [10.0, 22.0])


def test_cubic_turning_points():
    # x^3 - 3x turns at x = -1 (a peak, value 2) and x = 1 (a dip, value -2).
    assert_array_equal(data.cubic_slope(np.array([-1.0, 1.0])), [0.0, 0.0])
    assert_array_equal(data.cubic(np.array([-1.0, 1.0])), [2.0, -2.0])


# -- the shipped handwritten digits --------------------------------------------------------------


def test_digits_shapes_types_and_ranges():
    digits = data.load_digits()
    assert digits.images.shape == (1797, 8, 8) and digits.data.shape == (1797, 64) and digits.target.shape == (1797,)
    assert digits.images.dtype == digits.data.dtype == np.float64 and digits.target.dtype == np.int64
    assert digits.data.min() == 0 and digits.data.max() == 16 and np.all(digits.data == np.round(digits.data))
    assert set(digits.target.tolist()) == set(range(10))
    # Each row of the data matrix is its image read row by row.
    assert_array_equal(digits.data[7], digits.images[7].ravel())


def test_digits_equal_scikit_learns_exactly():
    from sklearn.datasets import load_digits  # a book and test dependency (requirements.txt), not dlmath's

    theirs = load_digits()
    ours = data.load_digits()
    for name in ("images", "data", "target"):
        mine, reference = getattr(ours, name), getattr(theirs, name)
        assert mine.dtype == reference.dtype, name
        assert_array_equal(mine, reference, strict=True)


def test_digits_are_fresh_arrays_on_every_call():
    first = data.load_digits()
    first.data[0, 0] = 99.0
    assert data.load_digits().data[0, 0] != 99.0


# -- the shipped breast-tumour records ---------------------------------------------------------------


def test_breast_cancer_shapes_types_and_labels():
    cancer = data.load_breast_cancer()
    assert cancer.data.shape == (569, 30) and cancer.data.dtype == np.float64
    assert cancer.target.shape == (569,) and cancer.target.dtype == np.int64
    assert np.all(np.isfinite(cancer.data))  # no NaN, no missing values
    assert set(cancer.target.tolist()) == {0, 1}
    # 1 = malignant (212 tumours), 0 = benign (357), as the README and the docstring say.
    assert np.bincount(cancer.target).tolist() == [357, 212]
    assert cancer.target_names == ("benign", "malignant")
    assert len(cancer.feature_names) == 30 and all(isinstance(name, str) for name in cancer.feature_names)
    assert cancer.feature_names[:2] == ("mean radius", "mean texture")
    assert cancer.feature_names[10] == "radius error" and cancer.feature_names[20] == "worst radius"


def test_breast_cancer_equals_scikit_learns_with_the_labels_flipped():
    from sklearn.datasets import load_breast_cancer  # a book and test dependency, not dlmath's

    theirs = load_breast_cancer()
    ours = data.load_breast_cancer()
    assert_array_equal(ours.data, theirs.data, strict=True)
    # scikit-learn: 0 = malignant, 1 = benign; ours: 1 = malignant, 0 = benign.
    assert list(theirs.target_names) == ["malignant", "benign"]
    assert_array_equal(ours.target, 1 - theirs.target, strict=True)
    assert [ours.target_names[label] for label in ours.target] == [theirs.target_names[t] for t in theirs.target]
    assert ours.feature_names == tuple(str(name) for name in theirs.feature_names)


def test_breast_cancer_is_fresh_on_every_call_and_frozen():
    first = data.load_breast_cancer()
    first.data[0, 0] = -1.0
    first.target[0] = 7
    again = data.load_breast_cancer()
    assert again.data[0, 0] != -1.0 and again.target[0] != 7
    with pytest.raises(AttributeError):
        first.target = np.zeros(569)  # a frozen dataclass


def test_shipped_data_load_without_the_network(monkeypatch):
    # Nothing is downloaded: loading works with every socket refused (and never touches scikit-learn).
    import socket
    import sys

    def refuse(*args, **kwargs):
        raise AssertionError("dlmath tried to open a network connection")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setitem(sys.modules, "sklearn", None)  # `import sklearn` would now fail
    assert data.load_breast_cancer().data.shape == (569, 30)
    assert data.load_digits().data.shape == (1797, 64)


# ---------------------------------------------------------------------------------------------
# two-dimensional classification sets (Chapter 10)

from dlmath.data import DATASETS_2D, circles, dataset_2d, disk_in_ring, spiral, two_moons  # noqa: E402


@pytest.mark.parametrize("name", list(DATASETS_2D))
def test_2d_sets_shapes_balance_and_seeds(name):
    X, y = dataset_2d(name, 101, seed=3)
    assert X.shape == (101, 2) and y.shape == (101,) and y.dtype == np.int64
    assert set(np.unique(y)) == {0, 1} and abs(int(y.sum()) - 50) <= 1
    X2, y2 = dataset_2d(name, 101, seed=3)
    assert np.array_equal(X, X2) and np.array_equal(y, y2)
    assert not np.array_equal(X, dataset_2d(name, 101, seed=4)[0])
    X, y, Xt, yt = dataset_2d(name, 50, seed=0, test=30)
    assert Xt.shape == (30, 2) and not np.array_equal(X[:30], Xt)


def test_disk_in_ring_geometry():
    X, y = disk_in_ring(400, seed=0)
    r = np.hypot(*X.T)
    assert r[y == 1].max() <= 0.7 and r[y == 0].min() >= 1.2 and r[y == 0].max() <= 1.8


def test_circles_and_spiral_radii():
    X, y = circles(400, noise=0.0, seed=0)
    assert np.allclose(np.hypot(*X[y == 0].T), 1.5) and np.allclose(np.hypot(*X[y == 1].T), 0.75)
    X, y = spiral(400, noise=0.0, seed=0)
    assert np.all((np.hypot(*X.T) >= 0.1 - 1e-12) & (np.hypot(*X.T) <= 1.8 + 1e-12))
    X, y = two_moons(10, noise=0.0, seed=0)
    assert X.shape == (10, 2)


@pytest.mark.parametrize("call", [
    lambda: two_moons(1), lambda: two_moons(10, noise=-1.0), lambda: circles(10, factor=1.5),
    lambda: spiral(10, turns=0), lambda: dataset_2d("xor", 10), lambda: dataset_2d("spiral", 10, test=-1),
])
def test_2d_sets_bad_input(call):
    with pytest.raises(ValueError):
        call()
