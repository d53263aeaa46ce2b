"""Explorers for Chapter 11's diagnosis: a decision-threshold slider over two trained classifiers of the
569 breast-tumour records (:func:`dlmath.data.load_breast_cancer`), drawn by :mod:`dlmath.figures.diagnosis`.

The two models are trained once, when first asked for (well under a second), and kept; a slider only
picks a threshold and a model, so nothing is trained in a callback.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..data import load_breast_cancer
from ..figures.diagnosis import ThresholdScene
from ..nn import MLP, History, train
from ..optim import Adam
from ..regression import Standardized, standardize, train_test_split
from .explorer import Explorer, Slider, explorer

__all__ = ["MODELS", "RECIPE", "THRESHOLDS", "Diagnosis", "diagnosis_models", "threshold_explorer"]

#: How the chapter splits and trains: 20% of the tumours kept for testing (stratified), Adam, batches of 32.
RECIPE = {"test": 0.2, "split_seed": 0, "seed": 0, "epochs": 100, "batch_size": 32, "lr": 0.001, "activation": "relu"}
#: The two classifiers: logistic regression (no hidden layer: 30 inputs straight to the 2 softmax
#: outputs, which is the sigmoid of one score) and a small network with one hidden layer of 16 units.
MODELS = {"logistic regression": (30, 2), "network 30-16-2": (30, 16, 2)}
#: The threshold slider's positions (one static frame per position and model: keep them few).
THRESHOLDS = (0.0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)


@dataclass(frozen=True)
class Diagnosis:
    """The split, standardised data and the trained classifiers of the chapter (treat as read-only).

    Attributes
    ----------
    X_train, y_train, X_test, y_test : the standardised measurements (scaled with the *training* set's
        mean and standard deviation only) and the labels, 1 = malignant.
    scaler : the :class:`~dlmath.regression.Standardized` of the training set (``scaler.apply`` scales new records).
    models : each classifier's name and its trained :class:`~dlmath.nn.MLP`.
    histories : each classifier's training :class:`~dlmath.nn.History`.
    scores : each classifier's test-set probabilities of "malignant", :math:`p_i`.
    """

    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    scaler: Standardized
    models: dict[str, MLP]
    histories: dict[str, History]
    scores: dict[str, np.ndarray]


@lru_cache(maxsize=None)
def diagnosis_models(split_seed: int = RECIPE["split_seed"]) -> Diagnosis:
    """Split the tumours 80/20 (stratified, ``split_seed``), standardise, train both :data:`MODELS` (cached)."""
    cancer = load_breast_cancer()
    split = train_test_split(cancer.data, cancer.target, RECIPE["test"], seed=split_seed, stratify=cancer.target)
    scaler = standardize(split.x_train)
    X_train, X_test = scaler.values, scaler.apply(split.x_test)
    models, histories, scores = {}, {}, {}
    for name, sizes in MODELS.items():
        model = MLP(sizes, RECIPE["activation"], "softmax", seed=RECIPE["seed"])
        histories[name] = train(model, X_train, split.y_train, epochs=RECIPE["epochs"], batch_size=RECIPE["batch_size"],
                                optimizer=Adam(RECIPE["lr"]), seed=RECIPE["seed"], progress=False)
        models[name] = model
        scores[name] = model.forward(X_test)[:, 1]
        scores[name].setflags(write=False)  # shared by every caller of this cached function
    return Diagnosis(X_train, split.y_train, X_test, split.y_test, scaler, models, histories, scores)


def threshold_explorer(models: Diagnosis | None = None, *, static: bool | None = None) -> Explorer:
    """Move the decision threshold τ (and switch the classifier): the confusion matrix, sensitivity and
    specificity against τ, and the ROC curve with the current point. ``models`` defaults to
    :func:`diagnosis_models`."""
    models = diagnosis_models() if models is None else models
    if not isinstance(models, Diagnosis):
        raise ValueError(f"models must be a Diagnosis (see diagnosis_models()), got {type(models).__name__}")
    names = tuple(models.scores)
    sliders = [Slider("threshold", "threshold τ", THRESHOLDS, initial=0.5, fmt="{:.2f}")]
    if len(names) > 1:
        sliders.append(Slider("model", "model", names, initial=names[0], labels=names))
    return explorer(lambda: ThresholdScene(models.y_test, models.scores, model=names[0]), sliders, static=static)


EXPLORERS = {"threshold_explorer": threshold_explorer}
