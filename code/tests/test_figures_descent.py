"""Chapter 4's figures and explorers: in-place updates, exact blitting, clean divergence, honest labels."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.lines import Line2D
from numpy.testing import assert_allclose

from scene_checks import artist_counts, blit_mismatch, build_scenes, clean_readout
from dlmath.descent import quadratic_thresholds, narrow_valley_hessian
from dlmath.figures.descent import (
    MomentumScene,
    StartingPointScene,
    StepSizeScene,
    ValleyScene,
    clip_walk,
)
from dlmath.widgets import descent as widgets_descent
from dlmath.widgets.descent import EXPLORERS

SCENES = {
    "step size": (
        lambda: StepSizeScene(2.0, 1.5, [0.01, 0.25, 0.45, 0.5, 0.6]),
        [{"lr": 0.01}, {"lr": 0.25}, {"lr": 0.45}, {"lr": 0.5}, {"lr": 0.6}, {"lr": 0.33}],  # 0.33: not precomputed
    ),
    "valley": (
        lambda: ValleyScene([0.03, 1 / 7, 0.16], [(0.0, 0.0), (5.0, 4.0)], steps=3000),
        [{"lr": 0.03, "start": (0.0, 0.0)}, {"lr": 1 / 7, "start": (5.0, 4.0)}, {"lr": 0.16, "start": (0.0, 0.0)},
         {"lr": 0.1, "start": (-3.0, 4.5)}],
    ),
    "starting point": (
        lambda: StartingPointScene([-2.2, 0.1, 0.15, 2.2]),
        [{"x0": -2.2}, {"x0": 0.1}, {"x0": 0.15}, {"x0": 2.2}, {"x0": 1.0}],
    ),
    "momentum": (
        lambda: MomentumScene([0.02, 0.2], [0.0, 0.7]),
        [{"lr": 0.02, "beta": 0.0}, {"lr": 0.2, "beta": 0.0}, {"lr": 0.2, "beta": 0.7}, {"lr": 0.1, "beta": 0.5}],
    ),
}


pytestmark = pytest.mark.filterwarnings("error")


@pytest.fixture(scope="module")
def scenes():
    return build_scenes(SCENES)


@pytest.mark.parametrize("name", SCENES)
def test_blitted_picture_equals_full_redraw(name, scenes):
    scene = scenes[name]
    for params in SCENES[name][1]:
        scene.update(**params)
        # anti-aliased edges may differ by a shade where a moving artist crosses a still one
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
def test_no_huge_or_missing_coordinates_reach_matplotlib(name, scenes):
    """Diverging walks are cut at the picture's edge: every drawn point is finite and near the axes."""
    scene = scenes[name]
    for params in SCENES[name][1]:
        scene.update(**params)
        for ax in scene.figure.axes:
            (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
            for line in ax.get_lines():
                xs, ys = (np.asarray(v, dtype=float) for v in line.get_data())
                assert np.all(np.isfinite(xs)) and np.all(np.isfinite(ys))
                if xs.size and ax.get_yscale() == "linear":  # at most 3 picture widths outside it
                    assert xs.min() >= x0 - 3.01 * (x1 - x0) and xs.max() <= x1 + 3.01 * (x1 - x0)
                    assert ys.min() >= y0 - 3.01 * (y1 - y0) and ys.max() <= y1 + 3.01 * (y1 - y0)


def test_every_axis_is_labelled(scenes):
    for scene in scenes.values():
        for ax in scene.figure.axes:
            assert ax.get_xlabel()
            # every panel, the factor panel under the walks included, has a y label or no y ticks
            assert ax.get_ylabel() or not ax.get_yticks().size


def test_diverging_settings_say_so_in_words(scenes):
    # the step at which the walk was stopped: 1.5 * 1.4**k first exceeds 1e8 at k = 54
    assert "diverged: over 10⁸ away at step 54" in scenes["step size"].update(lr=0.6)
    assert "diverged: over 10⁸ away at step" in scenes["valley"].update(lr=0.16, start=(0.0, 0.0))
    assert "bounces between" in scenes["step size"].update(lr=0.5)
    assert "one step" in scenes["step size"].update(lr=0.25) or "first step" in scenes["step size"].update(lr=0.25)
    text = scenes["momentum"].update(lr=0.2, beta=0.7)
    assert "plain descent blows up" in text and "edge moves to 2(1 + β)/λ_max = 0.248" in text
    assert "β = 0 is plain gradient descent" in scenes["momentum"].update(lr=0.02, beta=0.0)


def test_clip_walk_stops_on_the_edge_in_the_right_direction():
    inside = np.array([[0.0, 0.0], [0.5, 0.5]])
    assert clip_walk(inside, [-1, -1], [1, 1]) is inside
    walk = np.array([[0.0, 0.0], [0.5, 0.25], [4.0, 2.0], [1e300, 5e299]])
    cut = clip_walk(walk, [-1, -1], [1, 1])
    assert cut.shape == (3, 2)
    assert_allclose(cut[-1], [1.0, 0.5])  # where the segment from (0.5, 0.25) towards (4, 2) meets x = 1
    assert clip_walk(np.array([[5.0, 5.0], [0.0, 0.0]]), [-1, -1], [1, 1]).shape == (1, 2)


def _labels(factory):
    box = factory(static=False)
    return box, [label for label, _ in box.sliders[0].options]


def test_learning_rate_slider_shows_every_region_and_the_landmarks():
    box, labels = _labels(widgets_descent.learning_rate_explorer)
    values = [float(v) for v in box.slider_specs[0].values]
    regions = [label.split(" · ")[1] for label in labels]
    for region, at_least in (("creeps", 3), ("fastest", 1), ("oscillates", 3), ("on the edge", 1), ("diverges", 2)):
        assert regions.count(region) >= at_least, region
    L = 2 * widgets_descent.BOWL_A
    assert 1 / L in values and 2 / L in values
    assert any(2 / L * 0.95 < v < 2 / L for v in values) and any(2 / L < v < 2 / L * 1.05 for v in values)
    assert "0.45 · oscillates" in labels


def test_valley_slider_holds_the_fastest_rate_and_brackets_the_edge():
    box, labels = _labels(widgets_descent.valley_explorer)
    t = quadratic_thresholds(narrow_valley_hessian())
    values = [float(v) for v in box.slider_specs[0].values]
    assert t.best_lr in values and any("fastest" in label for label in labels)
    assert any(0.99 * t.diverge_lr < v < t.diverge_lr for v in values)
    assert any(t.diverge_lr < v < 1.01 * t.diverge_lr for v in values)


def test_live_updates_use_the_precomputed_walks():
    box = EXPLORERS["valley_explorer"](static=False)
    cached = len(box.scene._runs)
    for i in range(len(box.sliders[0].options)):
        box.sliders[0].index = i
    assert len(box.scene._runs) == cached


def test_static_frames_fit_the_page_budget():
    """All frames of the chapter, as base64 in the page, stay well inside the 3 MB page budget."""
    total = 0
    for factory in EXPLORERS.values():
        box = factory(static=True)
        frames = list(box.frames.ravel())
        assert len(set(frames)) == len(frames)
        total += sum(len(f) for f in frames)
    assert total * 4 / 3 < 2.3e6


def test_legends_sit_outside_the_axes(scenes):
    for scene in scenes.values():
        assert scene.figure.legends, "each figure has one legend, outside the axes"
        for ax in scene.figure.axes:
            assert ax.get_legend() is None
        assert all(isinstance(h, Line2D) for h in scene.figure.legends[0].legend_handles)


def test_factor_panel_puts_the_dots_on_the_lines_one_minus_eta_lambda(scenes):
    """The bottom panel's dots sit at (η, 1 − ηλ): L = 4 on the bowl, λ_max and λ_min on the valley."""
    t = quadratic_thresholds(narrow_valley_hessian())
    for name, params, curvatures in (
        ("step size", {"lr": 0.45}, [4.0]),
        ("valley", {"lr": 0.12, "start": (0.0, 0.0)}, [t.l_max, t.l_min]),
    ):
        scene = scenes[name]
        scene.update(**params)
        for dot, curvature in zip(scene.lr_dots, curvatures):
            assert_allclose(np.ravel(dot.get_data()), [params["lr"], 1 - params["lr"] * curvature], rtol=1e-12)
        assert_allclose(scene.lr_marker.get_xdata(), [params["lr"]] * 2)
    text = scenes["valley"].update(lr=0.12, start=(0.0, 0.0))
    assert "factor across = <b>−0.645</b>" in text and "along = <b>+0.965</b>" in text


def test_momentum_sliders_hold_polyaks_best_pair():
    box = widgets_descent.momentum_explorer(static=False)
    betas, rates = (list(map(float, spec.values)) for spec in box.slider_specs)
    assert_allclose([v for v in betas if 0.5 < v < 0.6], [5 / 9], rtol=1e-12)
    assert_allclose([v for v in rates if v > 0.21], [2 / 9], rtol=1e-12)
    box.sliders[0].index, box.sliders[1].index = betas.index(max(v for v in betas if 0.5 < v < 0.6)), len(rates) - 1
    assert "best pair" in box.readout.value and "0.745" in box.readout.value


def test_power_of_ten_is_written_as_the_prose_writes_it():
    from dlmath.figures.descent import power_of_ten

    assert power_of_ten(1e8) == "10⁸"
    assert power_of_ten(1e-5) == "10⁻⁵"
    assert power_of_ten(3e8) == "3e+08"
