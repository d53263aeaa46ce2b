"""Chapter 6's figures and explorers: in-place updates, exact blitting, honest numbers, slider contents."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from scene_checks import artist_counts, blit_mismatch, build_scenes, clean_readout
from dlmath import regression
from dlmath.data import curve_split, height_weight
from dlmath.descent import quadratic_thresholds
from dlmath.figures.regression import DegreeScene, LineFitScene, ScalingDescentScene
from dlmath.widgets import regression as widgets_regression
from dlmath.widgets.regression import EXPLORERS

X_KG, Y_CM = height_weight()
SPLIT = curve_split()

SCENES = {
    "fit by eye": (
        lambda: LineFitScene(X_KG, Y_CM, [0.0, 0.75, 1.25], [95.0, 125.0, 170.0]),
        [{"w": 0.0, "b": 95.0}, {"w": 0.75, "b": 125.0}, {"w": 1.25, "b": 170.0}, {"w": 0.5, "b": 140.0}],
    ),
    "scaling": (
        lambda: ScalingDescentScene(X_KG, Y_CM, [0.05, 0.5, 1.02], steps=500),
        [{"fraction": 0.05, "mode": "raw"}, {"fraction": 0.5, "mode": "scaled"}, {"fraction": 1.02, "mode": "raw"},
         {"fraction": 1.02, "mode": "scaled"}, {"fraction": 0.5, "mode": "raw"}],
    ),
    "degree": (
        lambda: DegreeScene(*SPLIT, range(15), resamples=5),
        [{"degree": 0}, {"degree": 3}, {"degree": 9}, {"degree": 14}],
    ),
}


pytestmark = pytest.mark.filterwarnings("error")


@pytest.fixture(scope="module")
def scenes():
    return build_scenes(SCENES)


@pytest.mark.parametrize("name", SCENES)
def test_blitted_picture_equals_full_redraw(name, scenes):
    """Also for the scaling scene, which swaps between two cached backgrounds."""
    scene = scenes[name]
    for params in SCENES[name][1]:
        scene.update(**params)
        assert blit_mismatch(scene) < 0.002


@pytest.mark.parametrize("name", SCENES)
def test_update_moves_artists_without_new_ones(name, scenes):
    scene = scenes[name]
    counts = artist_counts(scene)
    pictures = []
    for params in SCENES[name][1]:
        text = scene.update(**params)
        assert clean_readout(text)
        pictures.append(scene.render_png())
    assert artist_counts(scene) == counts
    assert len(set(pictures)) == len(pictures)


@pytest.mark.parametrize("name", SCENES)
def test_drawn_coordinates_are_finite_and_near_the_axes(name, scenes):
    scene = scenes[name]
    for params in SCENES[name][1]:
        scene.update(**params)
        for ax in scene.figure.axes:
            (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
            for line in ax.get_lines():
                xs, ys = (np.asarray(v, dtype=float) for v in line.get_data())
                assert np.all(np.isfinite(xs)) and np.all(np.isfinite(ys))
                if xs.size and ax.get_yscale() == "linear":
                    assert xs.min() >= x0 - 3.01 * (x1 - x0) and xs.max() <= x1 + 3.01 * (x1 - x0)
                    assert ys.min() >= y0 - 3.01 * (y1 - y0) and ys.max() <= y1 + 3.01 * (y1 - y0)


def test_every_axis_is_labelled(scenes):
    for scene in scenes.values():
        for ax in scene.figure.axes:
            assert ax.get_xlabel() and ax.get_ylabel()


def test_residual_squares_are_squares_of_the_residuals(scenes):
    scene = scenes["fit by eye"]
    text = scene.update(w=0.5, b=140.0)
    residuals = 0.5 * X_KG + 140.0 - Y_CM
    for path, x, y, r in zip(scene.squares.get_paths(), X_KG, Y_CM, residuals):
        corners = path.vertices[:4]
        assert_allclose(corners[0], [x, y])
        assert_allclose(corners[2, 1] - corners[0, 1], r)  # as tall as the residual ...
        # ... and as wide, on screen
        (px0, py0), (px1, py1) = scene.line.axes.transData.transform([corners[0], corners[2]])
        assert_allclose(abs(px1 - px0), abs(py1 - py0), rtol=1e-9)
    assert f"{np.mean(residuals ** 2):,.1f} cm²" in text
    assert "as good as it gets" in scene.update(w=0.75, b=125.0)
    assert "as good as it gets" not in scene.update(w=0.5, b=140.0)


def test_scaling_readouts_tell_the_story(scenes):
    scene = scenes["scaling"]
    raw = scene.update(fraction=0.5, mode="raw")
    needed = regression.descent_steps_needed(scene.H["raw"], -scene.best["raw"], 0.5 * scene.t["raw"].diverge_lr)
    assert "not there after 500 steps" in raw and f"{needed:,} steps in all" in raw and "κ = <b>205,495</b>" in raw
    scaled = scene.update(fraction=0.5, mode="scaled")
    assert "converged in 1 step" in scaled and "κ = <b>1</b>" in scaled and "ŷ = 0.7514x + 124.298" in scaled
    assert "diverged" in scene.update(fraction=1.02, mode="scaled")


def test_scaling_map_switches_with_the_input(scenes):
    scene = scenes["scaling"]
    scene.update(fraction=0.5, mode="scaled")
    assert scene.maps["scaled"].get_visible() and not scene.maps["raw"].get_visible()
    assert np.size(scene.walks["raw"].get_xdata()) == 0 and np.size(scene.walks["scaled"].get_xdata()) > 0
    scene.update(fraction=0.5, mode="raw")
    assert scene.maps["raw"].get_visible() and not scene.maps["scaled"].get_visible()


def test_degree_scene_errors_are_the_fits_errors(scenes):
    scene = scenes["degree"]
    for p in (0, 3, 14):
        fit = regression.fit_polynomial(SPLIT.x_train, SPLIT.y_train, p)
        assert_allclose(scene.train_err[p], fit.train_loss, rtol=1e-12, atol=1e-20)
        assert_allclose(scene.test_err[p], regression.mse(fit(SPLIT.x_test), SPLIT.y_test), rtol=1e-12)
    assert scene.train_err[14] < 1e-15 < scene.test_err[14]
    assert np.all(np.diff(scene.train_err[:14]) <= 1e-12)  # more parameters never fit the training set worse
    assert "passes through every training point" in scene.update(degree=14)
    assert "underfitting" in scene.update(degree=0)


def test_sliders_hold_the_interesting_positions():
    eye = widgets_regression.fit_by_eye_explorer(static=False)
    ws, bs = (list(spec.values) for spec in eye.slider_specs)
    best = regression.fit_line(X_KG, Y_CM)
    assert any(abs(w - best.w) < 0.01 for w in ws) and any(abs(b - best.b) < 1 for b in bs)
    for w in ws:  # every slope has an intercept within 8 cm of its own best one
        assert min(abs(b - (Y_CM.mean() - w * X_KG.mean())) for b in bs) < 8
    fractions = list(widgets_regression.SCALING_FRACTIONS)
    assert 0.5 in fractions and max(fractions) > 1 and any(0.9 < f < 1 for f in fractions)
    assert list(widgets_regression.DEGREES) == list(range(15))


def test_static_frames_fit_the_page_budget():
    total = 0
    for factory in EXPLORERS.values():
        box = factory(static=True)
        frames = list(box.frames.ravel())
        assert len(set(frames)) == len(frames)
        total += sum(len(f) for f in frames)
    assert total * 4 / 3 < 2.0e6
