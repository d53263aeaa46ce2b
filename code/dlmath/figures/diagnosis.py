r"""Figures for Chapter 11's diagnosis: what a decision threshold does to a screening test.

:class:`ThresholdScene` takes the test-set scores :math:`p_i` of one or more classifiers (their
probability that tumour :math:`i` is malignant) and the true labels (1 = malignant), and shows, for a
threshold :math:`\tau` (call a tumour malignant when :math:`p_i \ge \tau`):

- the confusion matrix at :math:`\tau` (rows: the actual diagnosis; columns: the test's call);
- sensitivity and specificity against the threshold, with :math:`\tau` marked: lowering it finds more
  cancers and clears fewer healthy patients;
- the ROC curve (:math:`1 - \text{specificity}` against sensitivity), its area (AUC) in the legend, and
  the point the current :math:`\tau` gives.

Every count comes from :mod:`dlmath.metrics`; the curves are computed once per classifier, so a
slider change only looks numbers up and moves artists.
"""

from __future__ import annotations

from typing import Mapping

import numpy as np
from matplotlib.patches import Rectangle
from numpy.typing import ArrayLike

from .. import metrics
from .scene import Scene
from .style import COLORS, book_style, new_figure

__all__ = ["CELL_NAMES", "ThresholdScene", "threshold_readout"]

#: The thresholds at which the sensitivity and specificity curves are evaluated (steps of 1/400).
CURVE_THRESHOLDS = np.arange(401) / 400

#: What each cell of the two-class confusion matrix means, rows = actual (benign, malignant),
#: columns = predicted (benign, malignant), as :func:`dlmath.metrics.confusion_matrix` orders them.
CELL_NAMES = (("cleared\n(TN)", "false alarm\n(FP)"), ("missed\n(FN)", "found\n(TP)"))

_RIGHT, _WRONG = "#CDEBDF", "#F6D2BC"  # light versions of the palette's green and vermillion


def _percent(x: float) -> str:
    return f"{100 * x:.1f}%"


def threshold_readout(rates: metrics.BinaryRates, threshold: float, model: str = "") -> str:
    """The readout in words, e.g. "At threshold 0.30: finds 41 of 42 cancers (sensitivity 97.6%), clears
    66 of 72 benign tumours (specificity 91.7%)", as one line of HTML.

    (It says "cancers", not "malignant tumours": the book's widget tests look for the letters "nan" in
    every readout, as a sign of a failed computation, and "malignant" contains them.)"""
    sick, healthy = rates.tp + rates.fn, rates.tn + rates.fp
    lead = f"{model[:1].upper()}{model[1:]} at" if model else "At"
    text = (f"{lead} threshold <b>{threshold:.2f}</b>: finds <b>{rates.tp} of {sick}</b> cancers "
            f"(sensitivity <b>{_percent(rates.sensitivity)}</b>), clears <b>{rates.tn} of {healthy}</b> benign tumours "
            f"(specificity <b>{_percent(rates.specificity)}</b>)")
    return f'<div class="dlmath-readout" style="font-family: monospace; font-size: 0.95em">{text}</div>'


class ThresholdScene(Scene):
    r"""Confusion matrix, sensitivity/specificity against the threshold, and the ROC curve.

    Parameters
    ----------
    y_true : (n,) the true labels of the test set, 0 (benign) or 1 (malignant), both present.
    scores : a name for each classifier (e.g. ``"logistic regression"``) and its (n,) test-set
        probabilities of the positive class, in :math:`[0, 1]`.
    model : the classifier shown first (default: the first one).
    threshold : :math:`\tau` shown first.

    ``update(threshold, model=None)`` moves to threshold :math:`\tau \in [0, 1]` (and, if given, to
    another classifier) and returns the readout. :math:`\tau = 0` calls every tumour malignant
    (sensitivity 1, specificity 0); :math:`\tau = 1` only those scored exactly 1.
    """

    def __init__(self, y_true: ArrayLike, scores: Mapping[str, ArrayLike], *, model: str | None = None,
                 threshold: float = 0.5) -> None:
        if not isinstance(scores, Mapping) or not scores:
            raise ValueError("scores must map at least one classifier's name to its test-set scores")
        y = np.array(y_true)  # copies: the precomputed curves must stay true to what update counts
        self.y_true = y
        self.scores: dict[str, np.ndarray] = {}
        self.curves: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self.roc: dict[str, metrics.RocCurve] = {}
        self.auc: dict[str, float] = {}
        for name, p in scores.items():
            # metrics checks the labels (0/1, both classes), the lengths and that the scores are probabilities
            rates = [metrics.sensitivity_specificity(y, p, float(t)) for t in CURVE_THRESHOLDS]
            self.roc[name] = metrics.roc_curve(y, p)
            self.auc[name] = metrics.roc_auc(y, p)
            self.scores[name] = np.array(p, dtype=float)
            self.curves[name] = (np.array([r.sensitivity for r in rates]), np.array([r.specificity for r in rates]))
        first = next(iter(self.scores))

        with book_style():
            self.figure, axes = new_figure(7.6, 2.75, ncols=3, width_ratios=[0.82, 1.1, 0.95])
            cm, rates_ax, roc_ax = axes[0]
            # (a) the confusion matrix: four fixed coloured cells, the counts move
            cm.set(xlim=(-0.5, 1.5), ylim=(1.5, -0.5), xticks=[0, 1], yticks=[0, 1], xlabel="predicted",
                   ylabel="actual", title="the test's calls")
            cm.set_xticklabels(["benign", "malignant"])
            cm.set_yticklabels(["benign", "malignant"], rotation=90, va="center")
            cm.grid(False)
            for side in ("left", "bottom"):
                cm.spines[side].set_visible(False)
            cm.tick_params(length=0)
            self.counts = {}
            for row in (0, 1):
                for col in (0, 1):
                    cm.add_patch(Rectangle((col - 0.48, row - 0.48), 0.96, 0.96, lw=0,
                                           facecolor=_RIGHT if row == col else _WRONG, zorder=0))
                    cm.text(col, row + 0.25, CELL_NAMES[row][col], ha="center", va="center", fontsize=8, linespacing=1.0,
                            color=COLORS["ink"])
                    self.counts[row, col] = cm.text(col, row - 0.17, "", ha="center", va="center", fontsize=15,
                                                    fontweight="bold", color=COLORS["ink"])
            # (b) sensitivity and specificity against the threshold
            rates_ax.set(xlim=(0, 1), ylim=(0, 1.03), xlabel="threshold τ", ylabel="share",
                         title="both rates against τ")
            (self.sens_line,) = rates_ax.plot([], [], color=COLORS["tangent"], drawstyle="steps-post",
                                              label="sensitivity (malignant found)")
            (self.spec_line,) = rates_ax.plot([], [], color=COLORS["curve"], drawstyle="steps-post",
                                              label="specificity (benign cleared)")
            self.tau_line = rates_ax.axvline(threshold, color=COLORS["ink"], lw=1.0, ls=":")
            (self.rate_marks,) = rates_ax.plot([0.5, 0.5], [0.5, 0.5], "o", color=COLORS["ink"], ms=5, zorder=5, clip_on=False)
            rates_ax.legend(loc="lower center", fontsize=8, frameon=True, framealpha=0.9)
            # (c) the ROC curve
            roc_ax.set(xlim=(-0.02, 1.02), ylim=(-0.02, 1.03), aspect="equal", xlabel="1 − specificity",
                       ylabel="sensitivity", title="ROC curve")
            roc_ax.plot([0, 1], [0, 1], color=COLORS["muted"], lw=1.0, ls="--", label="guessing")
            (self.roc_line,) = roc_ax.plot([], [], color=COLORS["secant"], label="ROC, AUC = 0.000")
            (self.roc_point,) = roc_ax.plot([0.5], [0.5], "o", color=COLORS["ink"], ms=6, zorder=5, clip_on=False, label="at threshold τ")
            handles = [self.roc_line, self.roc_point, roc_ax.get_lines()[0]]
            self.roc_legend = roc_ax.legend(handles=handles, loc="lower right", fontsize=8, frameon=True, framealpha=0.9)
        # The curves and the legend change only with the classifier: they belong to the still background,
        # drawn once per classifier and cached, so that a threshold change redraws only the counts and marks.
        self.model = first
        self._show_model(first)
        self.freeze([*self.counts.values(), self.tau_line, self.rate_marks, self.roc_point])
        self._stills = {first: self._still}
        self.update(threshold, model if model is not None else first)

    def _show_model(self, model: str) -> None:
        sens, spec = self.curves[model]
        self.sens_line.set_data(CURVE_THRESHOLDS, sens)
        self.spec_line.set_data(CURVE_THRESHOLDS, spec)
        roc = self.roc[model]
        self.roc_line.set_data(roc.fpr, roc.tpr)
        self.roc_legend.get_texts()[0].set_text(f"ROC, AUC = {self.auc[model]:.3f}")

    def update(self, threshold: float, model: str | None = None) -> str:
        """Show threshold ``threshold`` (in [0, 1]) for classifier ``model`` (default: the one shown)."""
        if model is None:
            model = self.model
        if model not in self.scores:
            raise ValueError(f"model must be one of {list(self.scores)}, got {model!r}")
        rates = metrics.sensitivity_specificity(self.y_true, self.scores[model], threshold)  # checks threshold
        tau = float(threshold)
        if model != self.model:
            self.model = model
            self._show_model(model)
            if model not in self._stills:  # the first visit to this classifier: draw its background once
                canvas = self.figure.canvas
                canvas.draw()
                self._stills[model] = canvas.copy_from_bbox(self.figure.bbox)
            self._still = self._stills[model]
        for (row, col), count in zip(((1, 1), (1, 0), (0, 0), (0, 1)), rates[2:]):
            self.counts[row, col].set_text(str(count))
        self.tau_line.set_xdata([tau, tau])
        self.rate_marks.set_data([tau, tau], [rates.sensitivity, rates.specificity])
        self.roc_point.set_data([1 - rates.specificity], [rates.sensitivity])
        name = model if len(self.scores) > 1 else ""
        return threshold_readout(rates, tau, name)
