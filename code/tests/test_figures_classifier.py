"""Tests for dlmath.figures.classifier: the still figures, what the two scenes draw (against the network
and the histories they are given), blitting equal to a full redraw, and bad input."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from scene_checks import blit_mismatch
from dlmath.figures.classifier import (ChoicesScene, DigitScene, confusion_figure, fit_verdict, image_gallery,
                                       learning_curves_figure)
from dlmath.nn import MLP, History, train
from dlmath.optim import Adam

pytestmark = pytest.mark.filterwarnings("error")


@pytest.fixture(scope="module")
def pictures():
    """A small 3-class problem of 4×4 pictures: a bar in the left, middle or right of the picture."""
    rng = np.random.default_rng(0)
    y = np.arange(60) % 3
    X = rng.uniform(0, 0.2, size=(60, 4, 4))
    for k in range(3):
        X[y == k, :, k + (k > 0)] += 0.8
    return X.reshape(60, 16), y


@pytest.fixture(scope="module")
def trained(pictures):
    X, y = pictures
    model = MLP((16, 6, 3), "relu", seed=0)
    history = train(model, X[:45], y[:45], epochs=5, batch_size=9, optimizer=Adam(0.05), X_test=X[45:], y_test=y[45:])
    return model, history


def test_image_gallery_draws_one_captioned_picture_per_image(pictures):
    X, y = pictures
    fig = image_gallery(X[:7], [str(k) for k in y[:7]], columns=4)
    shown = [ax for ax in fig.axes if ax.images]
    assert len(shown) == 7 and len(fig.axes) == 8
    assert [ax.get_title() for ax in shown] == [str(k) for k in y[:7]]
    assert_allclose(shown[2].images[0].get_array(), X[2].reshape(4, 4))
    signed = image_gallery(np.array([[[-2.0, 1.0], [0.5, 0.0]]]), ["w"], signed=True)
    assert signed.axes[0].images[0].get_clim() == (-2.0, 2.0)  # symmetric: 0 is white


@pytest.mark.parametrize("args, match", [
    ((np.zeros((2, 5)), ["a", "b"]), "square"),
    ((np.zeros((2, 4)), ["a"]), "captions"),
    ((np.zeros((0, 2, 2)), []), "images"),
])
def test_image_gallery_rejects_bad_input(args, match):
    with pytest.raises(ValueError, match=match):
        image_gallery(*args)
    with pytest.raises(ValueError, match="columns"):
        image_gallery(np.zeros((2, 4)), ["a", "b"], columns=0)


def test_learning_curves_figure_plots_the_history(trained):
    _, history = trained
    fig = learning_curves_figure(history)
    loss, acc = fig.axes
    assert_allclose(loss.lines[1].get_ydata(), history.test_loss)
    assert_allclose(acc.lines[0].get_ydata(), 100 * np.array(history.train_accuracy))
    with pytest.raises(ValueError, match="history"):
        learning_curves_figure(History())


def test_confusion_figure_writes_every_nonzero_count():
    C = np.array([[5, 1, 0], [0, 4, 0], [2, 0, 3]])
    fig = confusion_figure(C)
    texts = sorted(t.get_text() for t in fig.axes[0].texts)
    assert texts == sorted(str(v) for v in C.ravel() if v)
    for bad in (np.array([[1, 2]]), np.array([[1.5, 0], [0, 1]]), np.array([[-1, 0], [0, 1]]), np.array([[3]])):
        with pytest.raises(ValueError, match="C must"):
            confusion_figure(bad)


def test_digit_scene_draws_the_network_s_numbers(pictures, trained):
    X, y = pictures
    model, _ = trained
    picks = [45, 50, 58]
    scene = DigitScene(model, X, y, picks)
    counts = [len(ax.get_children()) for ax in scene.figure.axes]
    run = model.forward_pass(X[picks])
    frames = []
    for k, row in enumerate(picks):
        text = scene.update(k)
        assert f"#{row}" in text and "nan" not in text.lower()
        assert_allclose(scene.image.get_array(), X[row].reshape(4, 4))
        assert_allclose([bar.get_height() for bar in scene.bars_out], run.A[2][k])
        heights = [seg[1, 1] for seg in scene.bars_hidden.get_segments()]
        assert_allclose(sorted(heights), sorted(v for v in run.A[1][k] if v > 0))
        said = int(np.argmax(run.A[2][k]))
        assert (f"it says {said}" in text) and (("wrong" in text) == (said != y[row]))
        assert blit_mismatch(scene) < 0.002
        frames.append(scene.render_png())
    assert [len(ax.get_children()) for ax in scene.figure.axes] == counts  # updated in place, nothing added
    assert len(set(frames)) == len(frames)


def test_digit_scene_rejects_bad_input(pictures, trained):
    X, y = pictures
    model, _ = trained
    with pytest.raises(ValueError, match="picks"):
        DigitScene(model, X, y, [60])
    with pytest.raises(ValueError, match="X must"):
        DigitScene(model, X[:, :9], y, [0])
    with pytest.raises(ValueError, match="one hidden layer"):
        DigitScene(MLP((16, 4, 4, 3)), X, y, [0])
    with pytest.raises(ValueError, match="square"):
        DigitScene(MLP((15, 4, 3)), X[:, :15], y, [0])
    scene = DigitScene(model, X, y, [0, 1])
    for bad in (2, -1, 1.0, True):
        with pytest.raises(ValueError, match="pick"):
            scene.update(bad)


def history_from(train_loss, test_loss, train_accuracy, test_accuracy):
    n = len(train_loss)
    return History(list(range(n)), list(train_loss), list(test_loss), list(train_accuracy), list(test_accuracy))


def test_fit_verdict_reads_the_curves():
    under = history_from([2, 1.5, 1.2], [2, 1.6, 1.3], [0.3, 0.6, 0.8], [0.3, 0.6, 0.8])
    over = history_from([2, 0.1, 0.01], [2, 0.2, 0.4], [0.3, 0.99, 1.0], [0.3, 0.9, 0.88])
    good = history_from([2, 0.1, 0.01], [2, 0.2, 0.21], [0.3, 0.99, 1.0], [0.3, 0.95, 0.96])
    assert [fit_verdict(h) for h in (under, over, good)] == ["under-fits", "over-fits", "fits well"]
    with pytest.raises(ValueError, match="history"):
        fit_verdict(History())


@pytest.fixture(scope="module")
def grid():
    rng = np.random.default_rng(1)
    runs = {}
    for w in (2, 8):
        for lr in (0.01, 0.1):
            loss = np.exp(-np.linspace(0, 3, 6) * w * lr * 10) + rng.uniform(0, 0.05, 6)
            acc = np.clip(1 - loss / 2, 0, 1)
            runs[w, lr] = history_from(loss, 1.2 * loss, acc, acc - 0.01)
    return runs


def test_choices_scene_shows_the_chosen_run(grid):
    scene = ChoicesScene(grid)
    counts = [len(ax.get_children()) for ax in scene.figure.axes]
    frames = []
    for (w, lr), h in grid.items():
        text = scene.update(w, lr)
        assert f"hidden units = <b>{w}</b>" in text and f"{lr:g}" in text and "nan" not in text.lower()
        assert_allclose(scene.lines["test_loss"].get_ydata(), h.test_loss)
        assert_allclose(scene.lines["train_accuracy"].get_ydata(), 100 * np.array(h.train_accuracy))
        assert scene.frame.get_xy() == (scene.lrs.index(lr) - 0.5, scene.widths.index(w) - 0.5)
        assert blit_mismatch(scene) < 0.002
        frames.append(scene.render_png())
    assert [len(ax.get_children()) for ax in scene.figure.axes] == counts
    assert len(set(frames)) == len(frames)


def test_choices_scene_rejects_bad_input(grid):
    with pytest.raises(ValueError, match="runs"):
        ChoicesScene({})
    with pytest.raises(ValueError, match="missing"):
        ChoicesScene({k: v for k, v in list(grid.items())[:3]})
    with pytest.raises(ValueError, match="History"):
        ChoicesScene({(2, 0.1): History()})
    scene = ChoicesScene(grid)
    with pytest.raises(ValueError, match="pair"):
        scene.update(4, 0.1)
