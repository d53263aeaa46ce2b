"""Tests for dlmath.figures.nn: the stages of a network, the scenes' bad input, and what they draw."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from dlmath.data import dataset_2d
from dlmath.figures.nn import LiftScene, TrainingScene, WarpScene, network_stages
from dlmath.nn import MLP, record_run
from dlmath.optim import Adam

pytestmark = pytest.mark.filterwarnings("error")


@pytest.fixture(scope="module")
def small_run():
    X, y, Xt, yt = dataset_2d("two moons", 60, seed=0, test=40)
    return record_run(MLP((2, 2, 2, 2), "tanh", "softmax", seed=0), X, y, Xt, yt, snapshot_epochs=(0, 2, 5),
                      batch_size=20, optimizer=Adam(0.05), resolution=20)


def test_record_run_keeps_the_snapshots(small_run):
    r = small_run
    assert r.snapshot_epochs == (0, 2, 5) and r.probabilities.shape == (3, 20, 20) and len(r.params) == 3
    assert r.history.epoch == list(range(6))
    model = r.model_at(5)
    G1, G2 = np.meshgrid(r.grid, r.grid)
    assert_allclose(model.forward(np.c_[G1.ravel(), G2.ravel()])[:, 1].reshape(20, 20), r.probabilities[-1], rtol=1e-14)
    with pytest.raises(ValueError, match="epoch"):
        r.model_at(3)
    with pytest.raises(ValueError, match="model"):
        record_run(MLP((3, 2), output="softmax"), np.zeros((4, 3)), [0, 1, 0, 1], np.zeros((2, 3)), [0, 1],
                   snapshot_epochs=(0, 1), batch_size=2, optimizer=Adam())


def test_network_stages_end_in_the_last_hidden_layer(small_run):
    params = small_run.params[-1]
    stages = network_stages(params, "tanh", small_run.X)
    assert [name for name, _ in stages] == ["input", "× W¹", "+ b¹", "tanh", "× W²", "+ b²", "tanh"]
    model = small_run.model_at(5)
    assert_allclose(stages[-1][1], model.forward_pass(small_run.X).A[-2], rtol=1e-15)


def test_scenes_reject_bad_input(small_run):
    scene = TrainingScene({"a": small_run})
    with pytest.raises(ValueError, match="run"):
        scene.update("b", 0)
    with pytest.raises(ValueError, match="epoch"):
        scene.update("a", 4)
    with pytest.raises(ValueError, match="runs"):
        TrainingScene({})
    warp = WarpScene(small_run)
    with pytest.raises(ValueError, match="stage"):
        warp.update(0, 0.5)
    with pytest.raises(ValueError, match="s must"):
        warp.update(1, 1.5)
    with pytest.raises(ValueError, match="3 units"):
        LiftScene(small_run)


def test_training_scene_marks_the_epoch(small_run):
    scene = TrainingScene({"a": small_run})
    text = scene.update("a", 2)
    assert "epoch = <b>2</b>" in text and "nan" not in text
    assert list(scene.now.get_xdata()) == [2, 2]
    assert_allclose(scene.marks.get_ydata()[2], small_run.history.train_accuracy[2])


def test_training_scene_picks_a_run_by_data_set_and_width(small_run):
    scene = TrainingScene({("a", 2): small_run, ("a", 8): small_run}, run=("a", 8))
    text = scene.update("a", 2, width=8)
    assert "units per layer = <b>8</b>" in text and "epoch = <b>2</b>" in text
    with pytest.raises(ValueError, match="run"):
        scene.update("a", 2, width=3)
