"""Tests for dlmath.metrics: hand-checked small cases, scikit-learn as the twin, edge cases, bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

from dlmath import metrics

sk = pytest.importorskip("sklearn.metrics")  # a book and test dependency (requirements.txt), not dlmath's

pytestmark = pytest.mark.filterwarnings("error")  # no division warnings, no other warnings

# A small two-class case worked out by hand (1 = malignant).
#            patient:  0    1    2    3    4    5    6    7
Y_TRUE = np.array([1, 1, 1, 0, 0, 0, 0, 0])
SCORES = np.array([0.9, 0.6, 0.3, 0.7, 0.4, 0.2, 0.1, 0.5])


# -- hand-checked cases ------------------------------------------------------------------------------


def test_accuracy_by_hand():
    assert metrics.accuracy([0, 1, 2, 2], [0, 1, 1, 2]) == 0.75
    assert metrics.accuracy([3], [3]) == 1.0
    assert metrics.accuracy([0, 0], [1, 1]) == 0.0
    assert isinstance(metrics.accuracy([0, 1], [0, 1]), float)


def test_confusion_matrix_by_hand_rows_true_columns_predicted():
    y_true = [0, 0, 1, 2, 2, 2]
    y_pred = [0, 1, 1, 2, 0, 2]
    C = metrics.confusion_matrix(y_true, y_pred)
    assert_array_equal(C, [[1, 1, 0], [0, 1, 0], [1, 0, 2]], strict=False)
    assert C.dtype == np.int64
    assert C.sum() == 6 and np.trace(C) / C.sum() == metrics.accuracy(y_true, y_pred)
    assert_array_equal(C.sum(axis=1), np.bincount(y_true))  # each row counts one true class


def test_confusion_matrix_with_a_class_absent():
    # Class 1 never occurs: its row and column are zeros, not dropped.
    assert_array_equal(metrics.confusion_matrix([0, 2, 2], [0, 2, 0]), [[1, 0, 0], [0, 0, 0], [1, 0, 1]])
    # n_classes adds classes above the largest label seen (e.g. 10 digits when 9 never appears).
    C = metrics.confusion_matrix([0, 1], [1, 1], n_classes=4)
    assert C.shape == (4, 4) and C[0, 1] == 1 and C[1, 1] == 1 and C.sum() == 2


def test_confusion_matrix_of_one_class():
    assert_array_equal(metrics.confusion_matrix([0, 0], [0, 0]), [[2]])
    assert_array_equal(metrics.confusion_matrix([2], [2]), [[0, 0, 0], [0, 0, 0], [0, 0, 1]])


def test_sensitivity_specificity_by_hand():
    # Threshold 0.5: called positive are patients 0, 1 (sick) and 3, 7 (healthy).
    rates = metrics.sensitivity_specificity(Y_TRUE, SCORES, threshold=0.5)
    assert (rates.tp, rates.fn, rates.tn, rates.fp) == (2, 1, 3, 2)
    assert rates.sensitivity == 2 / 3 and rates.specificity == 3 / 5
    # Lowering the threshold to 0.3 finds the third cancer and raises one more false alarm (patient 4).
    low = metrics.sensitivity_specificity(Y_TRUE, SCORES, threshold=0.3)
    assert (low.tp, low.fn, low.tn, low.fp) == (3, 0, 2, 3)
    assert low.sensitivity == 1.0 and low.specificity == 2 / 5
    # A score equal to the threshold counts as positive (p >= threshold).
    assert metrics.sensitivity_specificity([1], [0.3], threshold=0.3).tp == 1


def test_sensitivity_specificity_takes_labels_too():
    y_pred = (SCORES >= 0.5).astype(int)
    assert metrics.sensitivity_specificity(Y_TRUE, y_pred) == metrics.sensitivity_specificity(Y_TRUE, SCORES)
    # Its counts are the two-class confusion matrix [[TN, FP], [FN, TP]].
    rates = metrics.sensitivity_specificity(Y_TRUE, y_pred)
    assert_array_equal(metrics.confusion_matrix(Y_TRUE, y_pred), [[rates.tn, rates.fp], [rates.fn, rates.tp]])


def test_roc_curve_by_hand():
    curve = metrics.roc_curve(Y_TRUE, SCORES)
    # Thresholds: +inf, then the eight distinct scores from the largest down.
    assert_array_equal(curve.thresholds, [np.inf, 0.9, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1])
    assert_allclose(curve.tpr, np.array([0, 1, 1, 2, 2, 2, 3, 3, 3]) / 3, rtol=0, atol=1e-15)
    assert_allclose(curve.fpr, np.array([0, 0, 1, 1, 2, 3, 3, 4, 5]) / 5, rtol=0, atol=1e-15)
    # Area, counted pair by pair: of the 3 x 5 (malignant, benign) pairs the malignant one scores higher
    # in 11 (0.9 beats all 5 benign scores, 0.6 beats 4 of them, 0.3 beats 2).
    assert metrics.roc_auc(Y_TRUE, SCORES) == pytest.approx(11 / 15, abs=1e-15)


def test_roc_curve_ties_make_one_point():
    curve = metrics.roc_curve([0, 1, 0, 1], [0.5, 0.5, 0.2, 0.8])
    assert_array_equal(curve.thresholds, [np.inf, 0.8, 0.5, 0.2])
    assert_array_equal(curve.tpr, [0, 0.5, 1, 1])
    assert_array_equal(curve.fpr, [0, 0, 0.5, 1])
    assert metrics.roc_auc([0, 1, 0, 1], [0.5, 0.5, 0.2, 0.8]) == pytest.approx(0.875, abs=1e-15)  # a tie counts 1/2


def test_roc_auc_perfect_and_reversed():
    assert metrics.roc_auc([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9]) == 1.0
    assert metrics.roc_auc([0, 0, 1, 1], [0.9, 0.8, 0.2, 0.1]) == 0.0
    assert metrics.roc_auc([0, 1], [0.5, 0.5]) == 0.5  # all tied: guessing


# -- the edge cases --------------------------------------------------------------------------------


def test_all_predictions_one_class():
    # Everyone called sick: every cancer found (sensitivity 1), no healthy patient cleared (specificity 0).
    everyone = metrics.sensitivity_specificity(Y_TRUE, np.ones(8))
    assert everyone == (1.0, 0.0, 3, 0, 0, 5)
    # Nobody called sick: the other way round. Accuracy is then just the share of healthy patients.
    nobody = metrics.sensitivity_specificity(Y_TRUE, np.zeros(8))
    assert nobody == (0.0, 1.0, 0, 3, 5, 0)
    assert metrics.accuracy(Y_TRUE, np.zeros(8, dtype=int)) == 5 / 8
    # Threshold 0 calls everyone positive, whatever the scores; threshold 1 only scores of exactly 1.
    assert metrics.sensitivity_specificity(Y_TRUE, SCORES, threshold=0.0) == everyone
    assert metrics.sensitivity_specificity(Y_TRUE, SCORES, threshold=1.0) == nobody


def test_a_class_absent_from_y_true_gives_nan_without_a_warning():
    # No sick patient: sensitivity has nothing to count (nan); specificity is still measured.
    rates = metrics.sensitivity_specificity([0, 0, 0], [0.1, 0.7, 0.2])
    assert math.isnan(rates.sensitivity) and rates.specificity == 2 / 3
    assert (rates.tp, rates.fn, rates.tn, rates.fp) == (0, 0, 2, 1)
    rates = metrics.sensitivity_specificity([1, 1], [0.9, 0.2])
    assert rates.sensitivity == 0.5 and math.isnan(rates.specificity)


@pytest.mark.parametrize("y_true", [[0, 0, 0], [1, 1, 1]])
def test_roc_needs_both_classes(y_true):
    with pytest.raises(ValueError, match="y_true must contain both classes"):
        metrics.roc_curve(y_true, [0.1, 0.5, 0.9])
    with pytest.raises(ValueError, match="y_true must contain both classes"):
        metrics.roc_auc(y_true, [0.1, 0.5, 0.9])


def test_roc_scores_need_not_be_probabilities():
    # The curve depends only on the order of the scores: any increasing map gives the same rates.
    raw = np.array([-3.0, 2.0, 0.5, 10.0, -1.0])
    y = [0, 1, 0, 1, 1]
    a, b = metrics.roc_curve(y, raw), metrics.roc_curve(y, 1 / (1 + np.exp(-raw)))
    assert_array_equal(a.fpr, b.fpr)
    assert_array_equal(a.tpr, b.tpr)


def test_inputs_are_not_changed_and_labels_accept_floats_and_bools():
    y, s = Y_TRUE.copy(), SCORES.copy()
    metrics.roc_curve(y, s)
    metrics.sensitivity_specificity(y, s)
    assert_array_equal(y, Y_TRUE) and assert_array_equal(s, SCORES)
    assert metrics.accuracy([0.0, 1.0, 2.0], [0, 1, 1]) == pytest.approx(2 / 3)
    assert metrics.sensitivity_specificity([True, False], [True, True]) == (1.0, 0.0, 1, 0, 0, 1)


# -- scikit-learn as the twin, on random data ------------------------------------------------------


@st.composite
def multiclass(draw):
    k = draw(st.integers(2, 6))  # (scikit-learn warns about a 1 x 1 matrix; that case is checked by hand)
    n = draw(st.integers(1, 60))
    labels = st.lists(st.integers(0, k - 1), min_size=n, max_size=n)
    return np.array(draw(labels)), np.array(draw(labels)), k


@settings(max_examples=150, deadline=None, derandomize=True)
@given(multiclass())
def test_accuracy_and_confusion_matrix_match_scikit_learn(case):
    y_true, y_pred, k = case
    assert metrics.accuracy(y_true, y_pred) == pytest.approx(sk.accuracy_score(y_true, y_pred), abs=1e-15)
    assert_array_equal(
        metrics.confusion_matrix(y_true, y_pred, n_classes=k), sk.confusion_matrix(y_true, y_pred, labels=range(k))
    )


@st.composite
def binary(draw, both=True):
    n = draw(st.integers(2 if both else 1, 60))
    y = np.array(draw(st.lists(st.integers(0, 1), min_size=n, max_size=n)))
    if both and y.min() == y.max():  # make sure both classes are present
        y[draw(st.integers(0, n - 1))] = 1 - y[0]
    # Scores on a coarse grid, so that ties (the tricky case for an ROC curve) happen often.
    grid = draw(st.sampled_from([4, 10, 1000]))
    scores = np.array(draw(st.lists(st.integers(0, grid), min_size=n, max_size=n))) / grid
    return y, scores


@settings(max_examples=150, deadline=None, derandomize=True)
@given(binary(both=False), st.sampled_from([0.0, 0.25, 0.5, 0.7, 1.0]))
def test_sensitivity_specificity_match_scikit_learn(case, threshold):
    y, scores = case
    rates = metrics.sensitivity_specificity(y, scores, threshold)
    y_pred = (scores >= threshold).astype(int)
    sensitivity = sk.recall_score(y, y_pred, pos_label=1, labels=[0, 1], zero_division=np.nan)
    specificity = sk.recall_score(y, y_pred, pos_label=0, labels=[0, 1], zero_division=np.nan)
    assert_allclose(rates.sensitivity, sensitivity, rtol=0, atol=1e-15, equal_nan=True)
    assert_allclose(rates.specificity, specificity, rtol=0, atol=1e-15, equal_nan=True)
    tn, fp, fn, tp = sk.confusion_matrix(y, y_pred, labels=[0, 1]).ravel()
    assert (rates.tp, rates.fn, rates.tn, rates.fp) == (tp, fn, tn, fp)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(binary())
def test_roc_curve_and_auc_match_scikit_learn(case):
    y, scores = case
    ours = metrics.roc_curve(y, scores)
    fpr, tpr, thresholds = sk.roc_curve(y, scores, drop_intermediate=False)
    assert_allclose(ours.fpr, fpr, rtol=0, atol=1e-15)
    assert_allclose(ours.tpr, tpr, rtol=0, atol=1e-15)
    assert_array_equal(ours.thresholds, thresholds)
    assert metrics.roc_auc(y, scores) == pytest.approx(sk.roc_auc_score(y, scores), abs=1e-12)
    # Each point is what sensitivity_specificity reports at that threshold.
    for f, t, tau in zip(ours.fpr[1:], ours.tpr[1:], ours.thresholds[1:]):
        rates = metrics.sensitivity_specificity(y, scores, float(tau))
        assert rates.sensitivity == pytest.approx(t, abs=1e-15) and 1 - rates.specificity == pytest.approx(f, abs=1e-15)


@settings(max_examples=100, deadline=None, derandomize=True)
@given(binary())
def test_roc_auc_is_the_chance_a_positive_outscores_a_negative(case):
    y, scores = case
    pos, neg = scores[y == 1], scores[y == 0]
    wins = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    assert metrics.roc_auc(y, scores) == pytest.approx(wins / (pos.size * neg.size), abs=1e-12)


# -- bad input -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: metrics.accuracy([0, 1, 1], [0, 1]), "y_true and y_pred must have the same length"),
        (lambda: metrics.accuracy([], []), "y_true must not be empty"),
        (lambda: metrics.accuracy([0, 1], [0.5, 1]), "y_pred must hold whole-number class labels"),
        (lambda: metrics.accuracy([0, -1], [0, 1]), "y_true must hold class labels 0, 1, 2"),
        (lambda: metrics.accuracy([[0, 1]], [[0, 1]]), "y_true must be a 1-D array"),
        (lambda: metrics.accuracy(["a", "b"], [0, 1]), "y_true must be a 1-D array of class labels"),
        (lambda: metrics.accuracy([0, float("nan")], [0, 1]), "y_true must hold whole-number"),
        (lambda: metrics.confusion_matrix([0, 1], [1, 0, 1]), "y_true and y_pred must have the same length"),
        (lambda: metrics.confusion_matrix([0, 3], [0, 1], n_classes=3), "n_classes is 3, so labels must lie in 0..2"),
        (lambda: metrics.confusion_matrix([0, 1], [0, 1], n_classes=0), "n_classes must be a whole number"),
        (lambda: metrics.confusion_matrix([0, 1], [0, 1], n_classes=2.0), "n_classes must be a whole number"),
        (lambda: metrics.sensitivity_specificity([0, 1], [0.2]), "y_true and scores_or_labels must have the same"),
        (lambda: metrics.sensitivity_specificity([0, 2], [0.2, 0.3]), r"y_true must hold only the labels 0 and 1"),
        (lambda: metrics.sensitivity_specificity([0, 1], [0.2, 1.3]), r"scores_or_labels must be probabilities"),
        (lambda: metrics.sensitivity_specificity([0, 1], [0.2, np.nan]), "scores_or_labels must be finite"),
        (lambda: metrics.sensitivity_specificity([], []), "y_true must not be empty"),
        (lambda: metrics.sensitivity_specificity([0, 1], [0.2, 0.3], threshold=1.5), r"threshold must lie in \[0, 1\]"),
        (lambda: metrics.sensitivity_specificity([0, 1], [0.2, 0.3], threshold=-0.1), r"threshold must lie in \[0, 1"),
        (lambda: metrics.sensitivity_specificity([0, 1], [0.2, 0.3], threshold=np.nan), "threshold must be a number"),
        (lambda: metrics.sensitivity_specificity([0, 1], [0.2, 0.3], threshold="0.5"), "threshold must be a number"),
        (lambda: metrics.sensitivity_specificity([0, 1], [0.2, 0.3], threshold=True), "threshold must be a number"),
        (lambda: metrics.roc_curve([0, 1, 1], [0.2, 0.3]), "y_true and scores must have the same length"),
        (lambda: metrics.roc_curve([0, 1, 3], [0.2, 0.3, 0.1]), "y_true must hold only the labels 0 and 1"),
        (lambda: metrics.roc_curve([0, 1], [0.2, np.inf]), "scores must be finite"),
        (lambda: metrics.roc_curve([], []), "y_true must not be empty"),
        (lambda: metrics.roc_auc([0, 1], [0.2]), "y_true and scores must have the same length"),
    ],
)
def test_bad_input_raises_value_error_naming_the_argument(call, message):
    with pytest.raises(ValueError, match=message):
        call()
