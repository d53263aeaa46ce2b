"""Tests for dlmath.widgets.classifier: which test pictures the explorer shows, the grid of training
choices, and the explorers built from a network passed in (the full sweeps are in tests/test_widgets.py)."""

from __future__ import annotations

import numpy as np
import pytest

from dlmath.nn import MLP, train
from dlmath.optim import Adam
from dlmath.regression import train_test_split
from dlmath.widgets.classifier import choice_runs, choices_explorer, digit_explorer, pick_examples

pytestmark = pytest.mark.filterwarnings("error")


def test_pick_examples_takes_every_mistake_then_every_class_in_turn():
    y_true = np.array([0, 1, 2, 0, 1, 2, 0, 1, 2, 0])
    y_pred = np.array([0, 2, 2, 0, 1, 1, 0, 1, 2, 0])
    picks = pick_examples(y_true, y_pred, n=6)
    assert picks == sorted(picks) and len(picks) == 6 and len(set(picks)) == 6
    assert {1, 5} <= set(picks)                                 # both mistakes
    assert {int(y_true[p]) for p in picks if y_true[p] == y_pred[p]} == {0, 1, 2}  # every class among the right ones
    assert pick_examples(y_true, y_pred, n=2) == [0, 1]         # at most n // 2 mistakes, then class 0 first
    assert pick_examples(y_true, y_pred, n=50) == list(range(10))  # never more than there are


@pytest.mark.parametrize("args, match", [
    (([0, 1], [0]), "same length"),
    (([], []), "same length"),
    (([0, 1], [0, 1], 0), "n must"),
])
def test_pick_examples_rejects_bad_input(args, match):
    with pytest.raises(ValueError, match=match):
        pick_examples(*(np.asarray(a) if isinstance(a, list) else a for a in args))


@pytest.fixture(scope="module")
def small():
    rng = np.random.default_rng(0)
    y = np.arange(80) % 4
    X = rng.uniform(0, 0.3, size=(80, 9))
    X[np.arange(80), y * 2] += 0.9
    return train_test_split(X, y, 0.25, seed=0, stratify=y)


def test_choice_runs_trains_one_network_per_pair(small):
    runs = choice_runs(small, widths=(2, 5), lrs=(0.01, 0.1), epochs=3, batch_size=10)
    assert set(runs) == {(2, 0.01), (2, 0.1), (5, 0.01), (5, 0.1)}
    model = MLP((9, 5, 4), "relu", seed=0)
    again = train(model, small.x_train, small.y_train, epochs=3, batch_size=10, optimizer=Adam(0.1), seed=0,
                  X_test=small.x_test, y_test=small.y_test)
    assert runs[5, 0.1].test_loss == again.test_loss


def test_explorers_take_the_chapter_s_own_network_and_runs(small):
    model = MLP((9, 5, 4), "relu", seed=0)
    train(model, small.x_train, small.y_train, epochs=3, batch_size=10, optimizer=Adam(0.05))
    box = digit_explorer(model, small.x_test, small.y_test, picks=[0, 3, 7], static=False)
    assert [label for label, _ in box.sliders[0].options][0].startswith("#0: ")
    assert len(box.sliders[0].options) == 3
    with pytest.raises(ValueError, match="X and y"):
        digit_explorer(model)
    runs = choice_runs(small, widths=(2, 5), lrs=(0.01, 0.1), epochs=2, batch_size=10)
    grid = choices_explorer(runs, static=True)
    assert grid.frames.shape == (2, 2)
