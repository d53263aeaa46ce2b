"""The Chapter 5 scenes: blitting gives the picture a full redraw gives, updates move artists without
new ones, every axis is labelled, the readouts state the determinant NumPy computes and say when a map
squashes the plane flat, eigenvector arrows stay on their lines, and the blend ends where tanh does."""

from __future__ import annotations

import re

import numpy as np
import pytest
import test_figures as chapter1  # the scene checks shared by every chapter's figures
from matplotlib.figure import Figure
from numpy.testing import assert_allclose

from dlmath.figures.linalg import DATA_POINTS, BlendScene, MatrixEntriesScene, MatrixMapScene, draw_digit, matrix_html
from dlmath.linalg import PRESETS, preset_matrix
from dlmath.widgets.linalg import AMOUNTS, BLEND_LAYERS, ENTRY_VALUES

pytestmark = pytest.mark.filterwarnings("error")

SCENES = {
    "map": (lambda: MatrixMapScene(), [{"preset": "squash", "amount": 0.75}, {"preset": "rotate", "amount": 0.25}]),
    "map-flat": (lambda: MatrixMapScene(), [{"preset": "flip", "amount": 0.5}, {"preset": "shear", "amount": 1.0}]),
    "entries": (lambda: MatrixEntriesScene(), [{"a": 0.0, "b": -1.0, "c": 1.0, "d": 0.0}, {"a": 1.0, "b": 1.0, "c": 1.0, "d": 1.0}]),
    "blend": (lambda: BlendScene(BLEND_LAYERS), [{"layer": "stretch ×2", "s": 0.4}, {"layer": "shear, shifted", "s": 1.0}]),
}


@pytest.mark.parametrize("name", SCENES)
@pytest.mark.parametrize(
    "check", [chapter1.test_blitted_picture_equals_full_redraw, chapter1.test_update_moves_artists_without_new_ones]
)
def test_generic_scene_checks(name, check, monkeypatch):
    monkeypatch.setitem(chapter1.SCENES, name, SCENES[name])
    check(name)


def test_every_axis_is_labelled_and_planes_have_equal_scales():
    for make, _ in SCENES.values():
        for ax in make().figure.axes:
            assert ax.get_xlabel() and ax.get_ylabel()
            assert ax.get_aspect() == 1.0  # a rotation must look like one


def _readout_number(text: str, label: str) -> float:
    return float(text.split(f"{label} = <b>")[1].split("<")[0].replace("−", "-"))


@pytest.mark.parametrize("preset", PRESETS)
@pytest.mark.parametrize("amount", AMOUNTS)
def test_readout_determinant_is_numpys(preset, amount):
    text = MatrixMapScene().update(preset=preset, amount=amount)
    assert abs(_readout_number(text, "det A") - np.linalg.det(preset_matrix(preset, amount))) <= 0.005
    assert "nan" not in text and "−0.00" not in text


def test_entries_readout_is_numpys_for_every_stored_matrix():
    """The four-entry explorer: its readout's determinant is NumPy's for all 81 matrices, and the
    picture's arrows land on A's columns."""
    import itertools

    scene = MatrixEntriesScene()
    for a, b, c, d in itertools.product(ENTRY_VALUES, repeat=4):
        A = np.array([[a, b], [c, d]])
        text = scene.update(a, b, c, d)
        assert abs(_readout_number(text, "det A") - np.linalg.det(A)) <= 0.005
        assert "nan" not in text and "−0.00" not in text
        if np.linalg.det(A) == 0:
            assert "squashes" in text
        assert_allclose([scene.basis_after.U, scene.basis_after.V], A)


def test_readout_for_any_matrix_matches_numpy():
    scene = MatrixMapScene()
    for A in np.random.default_rng(3).normal(size=(10, 2, 2)):
        assert abs(_readout_number(scene.show(A), "det A") - np.linalg.det(A)) <= 0.005


def test_readout_says_when_the_plane_is_squashed_flat_or_flipped():
    scene = MatrixMapScene()
    assert "squashes the plane flat" in scene.update(preset="flip", amount=0.5)
    assert "squashes the plane flat" in scene.update(preset="squash", amount=1.0)
    assert "onto one point" in scene.show(np.zeros((2, 2)))
    flipped = scene.update(preset="flip", amount=1.0)
    assert "flips the plane over" in flipped and "flat" not in flipped
    assert "multiplies every area by 2.00" in scene.update(preset="stretch", amount=1.0)
    assert "keeps every area" in scene.update(preset="shear", amount=1.0)
    assert "not symmetric" in scene.update(preset="rotate", amount=0.5)


def test_picture_follows_the_matrix():
    scene = MatrixMapScene()
    A = np.array([[1.5, -0.5], [0.25, 0.75]])
    scene.show(A)
    assert_allclose(scene.basis_after.U, A[0])  # the arrows' tips are the columns of A
    assert_allclose(scene.basis_after.V, A[1])
    assert_allclose(np.column_stack(scene.points_after.get_data()), DATA_POINTS @ A.T)
    assert_allclose(scene.square_after.get_xy()[:4], [[0, 0], A[:, 0], A[:, 0] + A[:, 1], A[:, 1]])


def test_eigenvector_arrows_stay_on_their_lines():
    scene = MatrixMapScene()
    scene.update(preset="squash", amount=0.75)
    before = np.column_stack([scene.eigen_before.U, scene.eigen_before.V])
    after = np.column_stack([scene.eigen_after.U, scene.eigen_after.V])
    A = preset_matrix("squash", 0.75)
    assert_allclose(after, before @ A.T, atol=1e-12)  # each arrow is A times the one before ...
    cross = before[:, 0] * after[:, 1] - before[:, 1] * after[:, 0]
    assert_allclose(cross, 0.0, atol=1e-12)  # ... and parallel to it: on the same line
    assert_allclose(np.linalg.norm(before, axis=1), 1.0)
    # Not symmetric: no arrows and no lines.
    scene.update(preset="shear", amount=1.0)
    assert np.all(scene.eigen_after.U == 0) and len(scene.eigen_lines_after.get_xdata()) == 0


def test_show_rejects_a_bad_matrix():
    scene = MatrixMapScene()
    with pytest.raises(ValueError, match="A must"):
        scene.show(np.eye(3))
    with pytest.raises(ValueError, match="A must"):
        scene.show([[1.0, np.inf], [0.0, 1.0]])


def test_blend_scene_ends_at_tanh_and_starts_at_identity():
    scene = BlendScene(BLEND_LAYERS)
    for name, (A, b) in BLEND_LAYERS.items():
        scene.update(layer=name, s=1.0)
        assert_allclose(np.column_stack(scene.points.get_data()), np.tanh(DATA_POINTS @ np.asarray(A).T + b), rtol=1e-15)
        scene.update(layer=name, s=0.0)
        assert_allclose(np.column_stack(scene.points.get_data()), DATA_POINTS)


def test_blend_scene_readout_and_bad_input():
    scene = BlendScene(BLEND_LAYERS)
    assert "identity" in scene.update(layer="stretch ×2", s=0.0)
    assert "40% of the way" in scene.update(layer="stretch ×2", s=0.4)
    with pytest.raises(ValueError, match="layer"):
        scene.update(layer="nope", s=0.5)
    with pytest.raises(ValueError, match="layers"):
        BlendScene({})
    with pytest.raises(ValueError, match="A must"):
        BlendScene({"bad": (np.ones((2, 3)), (0.0, 0.0))})


def test_matrix_html_writes_true_minus_signs_and_no_negative_zero():
    assert matrix_html(np.array([[1.0, -0.5], [-0.0, 2.0]])) == "[[1.00, −0.50], [0.00, 2.00]]"
    assert matrix_html(np.array([0.5, -0.25])) == "(0.50, −0.25)"


def test_draw_digit():
    fig = Figure()
    ax = fig.add_subplot()
    image = np.arange(64.0).reshape(8, 8) % 17
    artists = draw_digit(ax, image, title="a digit")
    assert len(artists) == 65 and ax.get_xlabel() and ax.get_ylabel()
    assert [t.get_text() for t in ax.texts[:3]] == ["0", "1", "2"]
    assert re.fullmatch(r"\d+", ax.texts[-1].get_text())
    assert len(draw_digit(fig.add_subplot(), image, numbers=False)) == 1
    with pytest.raises(ValueError, match="image"):
        draw_digit(ax, np.zeros(64))
