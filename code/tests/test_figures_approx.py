"""Chapter 9's figures and explorers: in-place updates, exact blitting, honest axes and readouts."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

from scene_checks import artist_counts, blit_mismatch, clean_readout
from dlmath import approx
from dlmath.activations import sigmoid
from dlmath.data import nielsen_curve
from dlmath.figures.approx import (
    SHAPES,
    SigmoidUnitScene,
    UnitsScene,
    approximation,
    pieces_figure,
    steps_figure,
    tower_figure,
    training_figure,
)
from dlmath.widgets import approx as widgets_approx


pytestmark = pytest.mark.filterwarnings("error")


@pytest.fixture(scope="module")
def units_scene():
    return UnitsScene(widgets_approx.PIECE_COUNTS)


def scenes(units_scene):
    return {
        "unit": (SigmoidUnitScene(), [{"c": 1.5, "b": -6.0, "w": 20.0}, {"c": -1.0, "b": 2.0, "w": 1.0}, {"c": 1.0, "b": -6.0, "w": 4.0}]),
        "units": (units_scene, [{"n": 100, "shape": "relu"}, {"n": 1, "shape": "bumps"}, {"n": 13, "shape": "ramps"}]),
    }


@pytest.mark.parametrize("name", ["unit", "units"])
def test_blitted_picture_equals_full_redraw(name, units_scene):
    scene, settings = scenes(units_scene)[name]
    for params in settings:
        scene.update(**params)
        assert blit_mismatch(scene) < 0.002


@pytest.mark.parametrize("name", ["unit", "units"])
def test_update_moves_artists_without_new_ones(name, units_scene):
    scene, settings = scenes(units_scene)[name]
    counts = artist_counts(scene)
    pictures = []
    for params in settings:
        text = scene.update(**params)
        assert clean_readout(text)
        pictures.append(scene.render_png())
    assert artist_counts(scene) == counts
    assert len(set(pictures)) == len(pictures)


def test_every_axis_with_tick_labels_is_labelled(units_scene):
    for scene in (SigmoidUnitScene(), units_scene):
        for ax in scene.figure.axes:
            assert ax.get_ylabel()
            shows_x = any(label.get_visible() for label in ax.get_xticklabels())
            assert ax.get_xlabel() or not shows_x


def test_unit_scene_draws_the_unit_and_scores_it():
    scene = SigmoidUnitScene()
    text = scene.update(1.0, -6.0, 4.0)  # c σ(4x − 6): the midpoint 1.5 of the ramp from 1 to 2
    x, y = scene.curve.get_data()
    np.testing.assert_array_equal(y, sigmoid(-6.0 + 4.0 * x))
    assert scene.middle.get_xdata()[0] == pytest.approx(1.5) and scene.height.get_ydata()[0] == 1.0
    assert "close to the ramp" in text and "<b>1.5</b>" in text
    text = scene.update(1.0, -6.0, 1.0)  # midpoint 6: the right edge of the picture
    assert not scene.middle.get_visible() and "outside the picture" in text


def test_units_scene_shows_the_models_of_dlmath_approx(units_scene):
    x = np.linspace(0, 1, 1001)
    y = nielsen_curve(x)
    for shape, n in (("bumps", 5), ("ramps", 20), ("relu", 50)):
        units_scene.update(n, shape)
        model = approximation(shape, n)
        np.testing.assert_allclose(units_scene.fit.get_ydata(), model(x), rtol=0, atol=1e-12)
        err = approx.curve_errors(model(x), y)
        assert units_scene.marker.get_ydata()[0] == pytest.approx(err.mean_abs, rel=1e-12)
        pieces = units_scene.pieces.get_segments()
        assert len(pieces) == n  # one line per bump, ramp or ReLU
        group = 2 if shape == "bumps" else 1  # a bump is two sigmoid units
        for k, seg in enumerate(pieces):  # each polyline lies on its unit(s) ...
            units = model.units(seg[:, 0])[:, group * k:group * (k + 1)].sum(axis=1)
            np.testing.assert_allclose(seg[:, 1], units, rtol=0, atol=1e-12)
        if shape != "bumps":  # ... and ReLUs and ramps are straight between the samples: they add up exactly
            total = model.b + sum(np.interp(x, seg[:, 0], seg[:, 1]) for seg in pieces)
            np.testing.assert_allclose(total, model(x), rtol=0, atol=1e-9)


def test_approximation_counts_and_bad_shape():
    assert approximation("bumps", 3).n_units == 6
    assert approximation("ramps", 3).n_units == 3 and approximation("relu", 3).n_units == 3
    with pytest.raises(ValueError, match="shape"):
        approximation("waves", 3)


def test_error_panel_spans_every_error(units_scene):
    lo, hi = units_scene.err_ax.get_ylim()
    errors = [units_scene.errors[s, n].mean_abs for s in SHAPES for n in units_scene.ns]
    assert lo < min(errors) and max(errors) < hi


def test_still_figures():
    x = np.linspace(0, 1, 101)
    y = nielsen_curve(x)
    fit = approx.fit_curve(x, y, 5)
    run = approx.train_curve(x, y, fit, approx_optimizer(), 5)
    figures = [
        pieces_figure(),
        steps_figure(),
        tower_figure(),
        training_figure(x, y, [fit, run.model], ["least squares", "trained"], [run.losses], ["Adam"], float(np.mean((fit(x) - y) ** 2))),
    ]
    for fig in figures:
        assert isinstance(fig, Figure)
        for ax in fig.axes:
            assert ax.get_xlabel()


def approx_optimizer():
    from dlmath.optim import Adam

    return Adam(1e-3)
