"""Explorers for Chapter 7 (SGD, mini-batches, Adam): sliders wired to the scenes in :mod:`dlmath.figures.optim`."""

from __future__ import annotations

from ..data import height_weight
from ..figures.optim import OPTIMIZERS, MinibatchScene, OptimizerScene
from ..regression import line_design, standardize
from .explorer import Explorer, Slider, explorer

__all__ = ["minibatch_explorer", "optimizer_explorer"]


# ---------------------------------------------------------------------------------------------
# mini-batches on Chapter 6's line fit

#: Full-batch descent (B = 8, all eight people) is always drawn beside the chosen batch size.
BATCH_SIZES = (1, 2, 4)
#: The loss of the scaled line fit bends by 2 in every direction (H = 2I), so full batch is safe up to
#: η = 1; a single person's loss bends by up to 2(1 + x′²), which allows only η < 0.25 for the heaviest.
BATCH_RATES = (0.02, 0.05, 0.1, 0.2, 0.3)
#: Every setting runs this many epochs: the same number of example gradients, the same work.
BATCH_EPOCHS = 20


def scaled_people():
    """Chapter 6's eight people with the weight centred and scaled: data matrix (columns x′, 1) and heights."""
    x, y = height_weight()
    return line_design(standardize(x).values), y


def minibatch_explorer(*, static: bool | None = None) -> Explorer:
    """Fit Chapter 6's line by mini-batch SGD: choose the batch size and η, compare with full batch."""
    X, y = scaled_people()
    return explorer(
        lambda: MinibatchScene(X, y, BATCH_SIZES, BATCH_RATES, epochs=BATCH_EPOCHS),
        [
            Slider("batch_size", "batch size B", BATCH_SIZES, initial=1),
            Slider("lr", "learning rate η", BATCH_RATES, initial=0.1),
        ],
        static=static,
    )


# ---------------------------------------------------------------------------------------------
# four update rules on the narrow valley

#: From creeping to past plain descent's edge 2/λ_max ≈ 0.146 (0.3) and momentum's 2(1 + 0.9)/λ_max ≈ 0.28
#: (0.3 too), up to the large rates at which Adam is at its best.
OPTIMIZER_RATES = (0.01, 0.03, 0.1, 0.14, 0.3, 1.0)


def optimizer_explorer(*, static: bool | None = None) -> Explorer:
    """Plain descent, momentum, RMSProp or Adam on the narrow valley, with one learning rate η."""
    names = tuple(OPTIMIZERS)
    return explorer(
        lambda: OptimizerScene(OPTIMIZER_RATES),
        [
            Slider("optimizer", "optimizer", names, initial="Adam",
                   labels=("plain descent", "momentum β = 0.9", "RMSProp", "Adam")),
            Slider("lr", "learning rate η", OPTIMIZER_RATES, initial=0.1),
        ],
        static=static,
    )


EXPLORERS = {
    "minibatch_explorer": minibatch_explorer,
    "optimizer_explorer": optimizer_explorer,
}
