"""Explorers for Chapter 11's digits: what a trained classifier sees (:func:`digit_explorer`), and how
the hidden width and the learning rate change its training (:func:`choices_explorer`), drawn by
:mod:`dlmath.figures.classifier`.

Every network is trained once (the chapter passes its own; by default the recipe below is trained
when an explorer is first built, a few seconds, and kept); a slider only picks a picture or a run.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Mapping, Sequence

import numpy as np

from ..data import load_digits
from ..figures.classifier import ChoicesScene, DigitScene
from ..nn import MLP, History, SeedRuns, train, train_over_seeds
from ..optim import Adam
from ..regression import Split
from .explorer import Explorer, Slider, explorer

__all__ = ["CHOICE_LRS", "CHOICE_WIDTHS", "RECIPE", "choice_runs", "choices_explorer", "digit_explorer", "digits_inputs",
           "digits_runs", "pick_examples"]

#: The chapter's digits recipe: 64 → 100 → 10, ReLU (He's initial scale), Adam, 30 epochs of batches
#: of 32, a stratified 80/20 split; five seeds.
RECIPE = {"hidden": 100, "lr": 0.003, "epochs": 30, "batch_size": 32, "test_size": 0.2, "seeds": (0, 1, 2, 3, 4)}
#: The grid of the training-choices explorer: hidden widths × learning rates (everything else as RECIPE).
CHOICE_WIDTHS = (4, 16, 100)
CHOICE_LRS = (0.0003, 0.003, 0.03)


def digits_inputs() -> tuple[np.ndarray, np.ndarray]:
    """The 1,797 digits as the network reads them: pixels divided by 16 (so 0 … 1), and the labels."""
    digits = load_digits()
    return digits.data / 16.0, digits.target


@lru_cache(maxsize=1)
def digits_runs() -> SeedRuns:
    """:data:`RECIPE` trained once per seed on :func:`digits_inputs` (cached)."""
    X, y = digits_inputs()
    return train_over_seeds((X.shape[1], RECIPE["hidden"], 10), X, y, seeds=RECIPE["seeds"], test_size=RECIPE["test_size"],
                            epochs=RECIPE["epochs"], batch_size=RECIPE["batch_size"], optimizer=lambda: Adam(RECIPE["lr"]))


def choice_runs(
    split: Split,
    widths: Sequence[int] = CHOICE_WIDTHS,
    lrs: Sequence[float] = CHOICE_LRS,
    *,
    epochs: int = RECIPE["epochs"],
    batch_size: int = RECIPE["batch_size"],
    seed: int = 0,
) -> dict[tuple[int, float], History]:
    """Train one network per hidden width and learning rate on ``split`` (ReLU, one hidden layer, Adam,
    everything else fixed) and return their histories, keyed ``(width, lr)``."""
    classes = int(max(split.y_train.max(), split.y_test.max())) + 1
    runs = {}
    for width in widths:
        for lr in lrs:
            model = MLP((split.x_train.shape[1], int(width), classes), "relu", "softmax", seed=seed)
            runs[int(width), float(lr)] = train(model, split.x_train, split.y_train, epochs=epochs, batch_size=batch_size,
                                                optimizer=Adam(lr), seed=seed, X_test=split.x_test, y_test=split.y_test,
                                                progress=False)
    return runs


@lru_cache(maxsize=1)
def _default_choice_runs() -> dict[tuple[int, float], History]:
    return choice_runs(digits_runs().splits[0])


def pick_examples(y_true: np.ndarray, y_pred: np.ndarray, n: int = 30) -> list[int]:
    """Up to ``n`` row numbers to show: every mistake (up to ``n // 2`` of them), then right answers taking
    the classes in turn (the first unused example of class 0, 1, 2, …), sorted by row number."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if y_true.shape != y_pred.shape or y_true.ndim != 1 or y_true.size == 0:
        raise ValueError(f"y_true and y_pred must be 1-D label arrays of the same length, got {y_true.shape} and {y_pred.shape}")
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    wrong = np.flatnonzero(y_true != y_pred)[: n // 2].tolist()
    right = [np.flatnonzero((y_true == y_pred) & (y_true == k)).tolist() for k in np.unique(y_true)]
    chosen = list(wrong)
    while len(chosen) < min(n, y_true.size) and any(right):
        for members in right:
            if members and len(chosen) < n:
                chosen.append(members.pop(0))
    return sorted(chosen)


def digit_explorer(
    model: MLP | None = None,
    X: np.ndarray | None = None,
    y: np.ndarray | None = None,
    picks: Sequence[int] | None = None,
    *,
    static: bool | None = None,
) -> Explorer:
    """Slide through test pictures: the picture, the hidden layer's activations, the ten probabilities.

    ``model``, ``X``, ``y``: a trained one-hidden-layer classifier and the (scaled) test pictures with
    their labels; by default the first run of :func:`digits_runs` and its test set. ``picks``: the rows
    to show (default :func:`pick_examples`: every mistake and right answers of every class, 30 in all).
    """
    if model is None:
        runs = digits_runs()
        model, X, y = runs.models[0], runs.splits[0].x_test, runs.splits[0].y_test
    elif X is None or y is None:
        raise ValueError("X and y must be given with model")
    predicted = model.predict(X)
    picks = pick_examples(y, predicted) if picks is None else [int(p) for p in picks]
    labels = [f"#{row}: {int(y[row])}" + ("" if predicted[row] == y[row] else f" → {int(predicted[row])} ✗") for row in picks]
    return explorer(lambda: DigitScene(model, X, y, picks),
                    [Slider("pick", "test picture", tuple(range(len(picks))), initial=0, labels=labels)], static=static)


def choices_explorer(runs: Mapping[tuple[int, float], History] | None = None, *, static: bool | None = None) -> Explorer:
    """Choose the hidden width and the learning rate: learning curves and test accuracy of real runs
    (by default :func:`choice_runs` on the first split of :func:`digits_runs`)."""
    runs = _default_choice_runs() if runs is None else runs
    widths = tuple(sorted({w for w, _ in runs}))
    lrs = tuple(sorted({r for _, r in runs}))
    return explorer(
        lambda: ChoicesScene(runs, width=widths[-1], lr=lrs[len(lrs) // 2]),
        [Slider("width", "hidden units", widths, initial=widths[-1], fmt="{:d}"),
         Slider("lr", "learning rate η", lrs, initial=lrs[len(lrs) // 2])],
        static=static,
    )


EXPLORERS = {
    "digit_explorer": digit_explorer,
    "choices_explorer": choices_explorer,
}
