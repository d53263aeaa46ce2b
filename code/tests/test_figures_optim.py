"""Chapter 7's figures and explorers: in-place updates, exact blitting, clean divergence, honest words."""

from __future__ import annotations

import numpy as np
import pytest

from scene_checks import artist_counts, blit_mismatch, build_scenes, clean_readout
from dlmath import optim, regression
from dlmath.figures.optim import OPTIMIZERS, MinibatchScene, OptimizerScene
from dlmath.widgets.optim import BATCH_RATES, scaled_people

X, Y = scaled_people()

SCENES = {
    "mini-batch": (
        lambda: MinibatchScene(X, Y, [1, 4], [0.05, 0.3, 0.5], epochs=6),
        [{"batch_size": 1, "lr": 0.05}, {"batch_size": 1, "lr": 0.5}, {"batch_size": 4, "lr": 0.3},
         {"batch_size": 2, "lr": 0.1}],  # (2, 0.1): not precomputed
    ),
    "optimizer": (
        lambda: OptimizerScene([0.03, 0.3, 1.0], steps=1000),
        [{"optimizer": "plain", "lr": 0.03}, {"optimizer": "plain", "lr": 1.0}, {"optimizer": "RMSProp", "lr": 1.0},
         {"optimizer": "Adam", "lr": 0.3}, {"optimizer": "momentum", "lr": 0.1}],
    ),
}


pytestmark = pytest.mark.filterwarnings("error")


@pytest.fixture(scope="module")
def scenes():
    return build_scenes(SCENES)


@pytest.mark.parametrize("name", SCENES)
def test_blitted_picture_equals_full_redraw_and_no_artist_is_added(name, scenes):
    scene = scenes[name]
    counts = artist_counts(scene)
    pictures = []
    for params in SCENES[name][1]:
        text = scene.update(**params)
        assert clean_readout(text)
        assert blit_mismatch(scene) < 0.002
        pictures.append(scene.render_png())
    assert artist_counts(scene) == counts
    assert len(set(pictures)) == len(pictures)


@pytest.mark.parametrize("name", SCENES)
def test_every_drawn_point_is_finite_and_near_the_axes(name, scenes):
    scene = scenes[name]
    for params in SCENES[name][1]:
        scene.update(**params)
        for ax in scene.figure.axes:
            assert ax.get_xlabel() and ax.get_ylabel()
            (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
            for line in ax.get_lines():
                xs, ys = (np.asarray(v, dtype=float) for v in line.get_data())
                assert np.all(np.isfinite(xs)) and np.all(np.isfinite(ys))
                if xs.size and ax.get_yscale() == "linear":
                    assert xs.min() >= x0 - 3.01 * (x1 - x0) and xs.max() <= x1 + 3.01 * (x1 - x0)
                    assert ys.min() >= y0 - 3.01 * (y1 - y0) and ys.max() <= y1 + 3.01 * (y1 - y0)


def test_minibatch_scene_uses_chapter_6s_loss_and_says_what_happened(scenes):
    scene = scenes["mini-batch"]
    assert scene.best_loss == pytest.approx(regression.fit_line(*_people()).loss, rel=1e-12)
    text = scene.update(batch_size=1, lr=0.5)
    assert "thrown far off" in text
    text = scene.update(batch_size=1, lr=0.05)
    assert "⌈8/1⌉ = 8" in text and "48 updates" in text
    full = scene.run(8, 0.05)
    assert full.updates == 6 and full.batches_per_epoch == 1


def _people():
    from dlmath.data import height_weight

    return height_weight()


def test_explorer_rates_bracket_the_single_example_edge():
    x = regression.standardize(_people().weight).values
    edge = float(np.min(2 / (2 * (1 + x**2))))  # a single person's loss bends by 2(1 + x′²)
    assert any(lr < edge for lr in BATCH_RATES) and any(lr > edge for lr in BATCH_RATES)
    assert max(BATCH_RATES) < 1.0  # full batch (H = 2I) is stable below η = 1 at every position


def test_optimizer_scene_words(scenes):
    scene = scenes["optimizer"]
    assert "diverged after" in scene.update(optimizer="plain", lr=1.0)
    assert "circles the minimum" in scene.update(optimizer="RMSProp", lr=1.0)
    assert "converged in" in scene.update(optimizer="Adam", lr=0.3)
    assert "still on its way" in scene.update(optimizer="plain", lr=0.03)
    assert set(OPTIMIZERS) == {"plain", "momentum", "RMSProp", "Adam"}
    assert isinstance(OPTIMIZERS["Adam"](0.1), optim.Adam) and OPTIMIZERS["momentum"](0.1).momentum == 0.9
