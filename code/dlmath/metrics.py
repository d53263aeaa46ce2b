r"""How good is a classifier? Counting its right and wrong answers.

A classifier answers with a class label :math:`\hat y_i` for each example (a digit 0–9, or
1 = malignant / 0 = benign), or, for two classes, with a score :math:`p_i \in [0, 1]` (the network's
probability of class 1) that becomes a label once we choose a threshold :math:`\tau`:
:math:`\hat y_i = 1` when :math:`p_i \ge \tau`, else 0.

- :func:`accuracy` — the share of right answers;
- :func:`confusion_matrix` — which class was taken for which;
- :func:`sensitivity_specificity` — what a doctor asks of a test: how many of the sick it finds, and
  how many of the healthy it clears;
- :func:`roc_curve` and :func:`roc_auc` — those two rates at every possible threshold at once.

Labels are whole numbers (classes :math:`0, \dots, K-1`); the two-class functions require 0 and 1,
with 1 the *positive* class (the finding looked for: a disease). Every function is pure, arrays in and
numbers or arrays out, and checks its input: labels of different lengths, empty input, thresholds
outside :math:`[0, 1]`, scores outside :math:`[0, 1]` where they must be probabilities, or labels other
than 0/1 where two classes are required raise ``ValueError`` naming the argument. No function divides by
zero: a rate with nothing to count (sensitivity when no example is positive) is ``nan``, said so, and
no warning is raised.
"""

from __future__ import annotations

from numbers import Real
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike

__all__ = [
    "BinaryRates",
    "RocCurve",
    "accuracy",
    "confusion_matrix",
    "roc_auc",
    "roc_curve",
    "sensitivity_specificity",
]


# ---------------------------------------------------------------------------------------------
# input checks


def _labels(values: ArrayLike, name: str) -> np.ndarray:
    """A non-empty 1-D array of whole numbers >= 0, returned as int64 (a new array)."""
    try:
        arr = np.array(values)
    except (TypeError, ValueError) as err:
        raise ValueError(f"{name} must be a 1-D array of class labels (whole numbers), got {values!r}") from err
    if arr.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array of class labels, got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty: there is nothing to count")
    if arr.dtype.kind == "b":
        return arr.astype(np.int64)
    if arr.dtype.kind in "iu":
        out = arr.astype(np.int64)
    elif arr.dtype.kind == "f":
        if not np.all(np.isfinite(arr)) or np.any(arr != np.round(arr)):
            raise ValueError(f"{name} must hold whole-number class labels, got {values!r}")
        out = arr.astype(np.int64)
    else:
        raise ValueError(f"{name} must be a 1-D array of class labels (whole numbers), got dtype {arr.dtype}")
    if np.any(out < 0):
        raise ValueError(f"{name} must hold class labels 0, 1, 2, ... (none negative), got {int(out.min())}")
    return out


def _binary(values: ArrayLike, name: str) -> np.ndarray:
    out = _labels(values, name)
    if np.any(out > 1):
        others = sorted(set(np.unique(out).tolist()) - {0, 1})
        raise ValueError(f"{name} must hold only the labels 0 and 1 (1 = the positive class), got also {others}")
    return out


def _scores(values: ArrayLike, name: str, *, probabilities: bool) -> np.ndarray:
    try:
        arr = np.array(values, dtype=float)
    except (TypeError, ValueError) as err:
        raise ValueError(f"{name} must be a 1-D array of numbers, got {values!r}") from err
    if arr.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array of scores, one per example, got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty: there is nothing to count")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite (no inf or nan)")
    if probabilities and (arr.min() < 0 or arr.max() > 1):
        raise ValueError(
            f"{name} must be probabilities or 0/1 labels, in [0, 1], got values from {arr.min():g} to {arr.max():g}"
        )
    return arr


def _same_length(a: np.ndarray, b: np.ndarray, name_a: str, name_b: str) -> None:
    if a.size != b.size:
        raise ValueError(
            f"{name_a} and {name_b} must have the same length (one per example), got {a.size} and {b.size}"
        )


def _threshold(threshold: float) -> float:
    if isinstance(threshold, bool) or not isinstance(threshold, Real) or not np.isfinite(threshold):
        raise ValueError(f"threshold must be a number in [0, 1], got {threshold!r}")
    if not 0 <= threshold <= 1:
        raise ValueError(f"threshold must lie in [0, 1] (it is compared with probabilities), got {threshold!r}")
    return float(threshold)


def _ratio(part: int, whole: int) -> float:
    """part / whole, or nan when there is nothing to divide (no warning)."""
    return part / whole if whole > 0 else float("nan")


# ---------------------------------------------------------------------------------------------
# any number of classes


def accuracy(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    r"""The share of examples whose predicted label is the true one.

    .. math:: \text{accuracy} = \frac1n \sum_{i=1}^n [\hat y_i = y_i],

    where :math:`[\cdot]` is 1 when the statement is true and 0 otherwise. It lies in :math:`[0, 1]`.

    Parameters
    ----------
    y_true : (n,) whole-number class labels (the truth).
    y_pred : (n,) whole-number class labels (the classifier's answers).

    Returns
    -------
    float

    Raises ``ValueError`` for empty input, labels of different lengths, or labels that are not whole
    numbers >= 0.
    """
    y_true, y_pred = _labels(y_true, "y_true"), _labels(y_pred, "y_pred")
    _same_length(y_true, y_pred, "y_true", "y_pred")
    return float(np.mean(y_true == y_pred))


def confusion_matrix(y_true: ArrayLike, y_pred: ArrayLike, n_classes: int | None = None) -> np.ndarray:
    r"""Count which true class was predicted as which: :math:`C_{kl}` = the number of examples of true
    class :math:`k` that were predicted as class :math:`l`.

    .. math:: C_{kl} = \sum_{i=1}^n [y_i = k]\,[\hat y_i = l], \qquad k, l = 0, \dots, K - 1.

    **Rows are the true class, columns the predicted one** (as in scikit-learn): the diagonal holds the
    right answers, row :math:`k` adds up to the number of examples of class :math:`k`, and the accuracy
    is :math:`\operatorname{trace} C / n`. For two classes (1 = positive)

    .. math:: C = \begin{pmatrix} \text{TN} & \text{FP} \\ \text{FN} & \text{TP} \end{pmatrix}.

    Parameters
    ----------
    y_true, y_pred : (n,) class labels :math:`0, \dots, K - 1`.
    n_classes : :math:`K`. By default one more than the largest label seen, so that a class missing from
        both arrays below the largest still gets its (empty) row and column; give it to be sure the matrix
        has every class of the problem (e.g. 10 for the digits).

    Returns
    -------
    (K, K) int64 array.

    Raises ``ValueError`` for empty input, labels of different lengths, labels that are not whole
    numbers >= 0, or a label >= ``n_classes``.
    """
    y_true, y_pred = _labels(y_true, "y_true"), _labels(y_pred, "y_pred")
    _same_length(y_true, y_pred, "y_true", "y_pred")
    largest = int(max(y_true.max(), y_pred.max()))
    if n_classes is None:
        k = largest + 1
    else:
        if isinstance(n_classes, bool) or not isinstance(n_classes, (int, np.integer)) or n_classes < 1:
            raise ValueError(f"n_classes must be a whole number >= 1, got {n_classes!r}")
        k = int(n_classes)
        if largest >= k:
            raise ValueError(f"n_classes is {k}, so labels must lie in 0..{k - 1}, got the label {largest}")
    # Each (true, predicted) pair gets its own number k * true + predicted; counting those fills C row by row.
    return np.bincount(k * y_true + y_pred, minlength=k * k).reshape(k, k).astype(np.int64)


# ---------------------------------------------------------------------------------------------
# two classes: a test for a disease


class BinaryRates(NamedTuple):
    r"""What a two-class test gets right and wrong at one threshold (1 = positive, e.g. malignant).

    The counts are TP (sick, found), FN (sick, missed), TN (healthy, cleared) and FP (healthy,
    false alarm); ``sensitivity`` = TP / (TP + FN) and ``specificity`` = TN / (TN + FP).
    """

    sensitivity: float  #: share of the positives that the test finds (nan if there are none)
    specificity: float  #: share of the negatives that the test clears (nan if there are none)
    tp: int  #: true positives
    fn: int  #: false negatives (missed)
    tn: int  #: true negatives
    fp: int  #: false positives (false alarms)


def sensitivity_specificity(y_true: ArrayLike, scores_or_labels: ArrayLike, threshold: float = 0.5) -> BinaryRates:
    r"""Sensitivity and specificity of a two-class test, with its four counts.

    Each example is called positive when its score reaches the threshold,
    :math:`\hat y_i = [\,p_i \ge \tau\,]`; 0/1 labels pass through unchanged for any
    :math:`0 < \tau \le 1`. Then

    .. math:: \text{sensitivity} = \frac{\text{TP}}{\text{TP} + \text{FN}}, \qquad
              \text{specificity} = \frac{\text{TN}}{\text{TN} + \text{FP}}.

    For a doctor: **sensitivity** is the share of patients who *have* the disease whom the test
    flags (a sensitivity of 0.95 misses 5 in 100 cancers); **specificity** is the share of patients
    *without* it whom the test clears (a specificity of 0.90 sends 10 in 100 healthy patients on for
    needless further tests). Lowering :math:`\tau` flags more patients: sensitivity rises and specificity
    falls. Sensitivity is the *recall* of the positive class; :math:`1 - \text{specificity}` is the
    false-positive rate of :func:`roc_curve`.

    Parameters
    ----------
    y_true : (n,) labels, 0 or 1 (1 = positive: the disease is there).
    scores_or_labels : (n,) probabilities of the positive class in :math:`[0, 1]`, or 0/1 labels.
    threshold : :math:`\tau \in [0, 1]`. With :math:`\tau = 0` every example is called positive.

    Returns
    -------
    BinaryRates
        ``(sensitivity, specificity, tp, fn, tn, fp)``. When ``y_true`` holds no positive example the
        sensitivity is ``nan`` (there is no sick patient to find), and when it holds no negative the
        specificity is ``nan``; no warning is raised. When every example is called positive, the
        sensitivity is 1 and the specificity 0; when none is, the other way round.

    Raises ``ValueError`` for empty input, arrays of different lengths, ``y_true`` with labels other
    than 0 and 1, scores outside :math:`[0, 1]`, or a threshold outside :math:`[0, 1]`.
    """
    y_true = _binary(y_true, "y_true")
    scores = _scores(scores_or_labels, "scores_or_labels", probabilities=True)
    _same_length(y_true, scores, "y_true", "scores_or_labels")
    tau = _threshold(threshold)
    called = scores >= tau
    sick = y_true == 1
    tp = int(np.count_nonzero(called & sick))
    fn = int(np.count_nonzero(~called & sick))
    tn = int(np.count_nonzero(~called & ~sick))
    fp = int(np.count_nonzero(called & ~sick))
    return BinaryRates(_ratio(tp, tp + fn), _ratio(tn, tn + fp), tp, fn, tn, fp)


class RocCurve(NamedTuple):
    r"""The ROC curve: at each threshold, the false-positive and true-positive rates.

    Point :math:`m` is what the rule "positive when score :math:`\ge` ``thresholds[m]``" achieves;
    thresholds fall and both rates rise along the arrays.
    """

    fpr: np.ndarray  #: false-positive rate FP / (FP + TN) = 1 − specificity
    tpr: np.ndarray  #: true-positive rate TP / (TP + FN) = sensitivity
    thresholds: np.ndarray  #: +inf first (nothing called positive), then every distinct score, falling


def roc_curve(y_true: ArrayLike, scores: ArrayLike) -> RocCurve:
    r"""The receiver operating characteristic: every trade-off between false alarms and found cases.

    For each threshold :math:`\tau`, call positive every example with :math:`p_i \ge \tau` and plot

    .. math:: \text{FPR}(\tau) = \frac{\text{FP}}{\text{FP} + \text{TN}} = 1 - \text{specificity}, \qquad
              \text{TPR}(\tau) = \frac{\text{TP}}{\text{TP} + \text{FN}} = \text{sensitivity}.

    Only the distinct scores matter as thresholds (between two of them nothing changes), so the curve
    has one point per distinct score, plus a first point at :math:`(0, 0)` for
    :math:`\tau = +\infty` (nothing called positive). The last point, at the smallest score, is
    :math:`(1, 1)`: everything called positive. Every point is kept (none of the intermediate points on
    straight stretches is dropped), so ``sensitivity_specificity(y_true, scores, t)`` at any returned
    finite ``t`` (for scores in [0, 1]) gives ``tpr`` and ``1 - fpr`` there. A perfect classifier's
    curve passes through :math:`(0, 1)`; random guessing follows the diagonal.

    Parameters
    ----------
    y_true : (n,) labels, 0 or 1, with both present (1 = positive).
    scores : (n,) finite numbers, larger meaning "more likely positive" (probabilities, or any score:
        the curve depends only on their order).

    Returns
    -------
    RocCurve
        ``(fpr, tpr, thresholds)``, float arrays of equal length (number of distinct scores + 1); the
        same points and thresholds as ``sklearn.metrics.roc_curve(..., drop_intermediate=False)``.

    Raises ``ValueError`` for empty input, arrays of different lengths, labels other than 0 and 1, or
    ``y_true`` without both classes (then one of the rates has nothing to count).
    """
    y_true = _binary(y_true, "y_true")
    scores = _scores(scores, "scores", probabilities=False)
    _same_length(y_true, scores, "y_true", "scores")
    positives = int(np.count_nonzero(y_true))
    negatives = y_true.size - positives
    if positives == 0 or negatives == 0:
        missing = "positive (1)" if positives == 0 else "negative (0)"
        raise ValueError(f"y_true must contain both classes for an ROC curve, but it has no {missing} example")
    order = np.argsort(-scores, kind="stable")  # largest score first
    sorted_scores, sorted_true = scores[order], y_true[order]
    # The last example with each distinct score: lowering the threshold to that score calls all of them.
    last = np.flatnonzero(np.r_[sorted_scores[1:] != sorted_scores[:-1], True])
    tp = np.cumsum(sorted_true)[last]
    fp = (last + 1) - tp
    fpr = np.r_[0.0, fp / negatives]
    tpr = np.r_[0.0, tp / positives]
    thresholds = np.r_[np.inf, sorted_scores[last]]
    return RocCurve(fpr, tpr, thresholds)


def roc_auc(y_true: ArrayLike, scores: ArrayLike) -> float:
    r"""The area under the ROC curve (AUC), between 0 and 1.

    Computed with the trapezoid rule over the points of :func:`roc_curve`,

    .. math:: \text{AUC} = \sum_m (\text{FPR}_{m+1} - \text{FPR}_m)\,\frac{\text{TPR}_{m+1} + \text{TPR}_m}{2},

    it has a plain meaning: the chance that a randomly chosen positive example (a malignant tumour)
    scores higher than a randomly chosen negative one (a benign tumour), ties counting one half.
    1 is a perfect ranking, 0.5 is guessing. It judges the scores at every threshold at once, so it says
    nothing about which threshold to use.

    Returns
    -------
    float

    Raises ``ValueError`` as :func:`roc_curve` does.
    """
    fpr, tpr, _ = roc_curve(y_true, scores)
    return float(np.sum(np.diff(fpr) * (tpr[1:] + tpr[:-1]) / 2))
