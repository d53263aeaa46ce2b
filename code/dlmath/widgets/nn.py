"""Explorers for Chapter 10 (backpropagation and the multilayer perceptron): sliders over snapshots of
real training runs (:func:`dlmath.nn.record_run`), drawn by :mod:`dlmath.figures.nn`.

The runs are trained once, when an explorer is first built (a few seconds), and kept; a slider only
picks a snapshot. The static page stores one picture per combination of slider positions, so the
snapshot epochs are few.
"""

from __future__ import annotations

from functools import lru_cache

from ..data import DATASETS_2D, dataset_2d
from ..figures.nn import LiftScene, TrainingScene, WarpScene
from ..nn import MLP, TrainingRun, record_run
from ..optim import Adam
from .explorer import Explorer, Slider, explorer

__all__ = ["RECIPE", "SNAPSHOT_EPOCHS", "WIDTHS", "lift_explorer", "ring_explorer", "ring_runs", "training_explorer", "training_grid",
           "training_run", "training_runs", "warp_explorer"]

#: The epochs at which every run keeps a snapshot (0 = the random start).
SNAPSHOT_EPOCHS = (0, 1, 3, 10, 30, 100)
#: How every run of the chapter is trained: 300 training and 300 test points, tanh, Adam, batches of 30.
#: The widths the training explorer offers: two hidden layers of this many units each.
WIDTHS = (2, 3, 8)
RECIPE = {"n": 300, "test": 300, "activation": "tanh", "lr": 0.03, "batch_size": 30, "seed": 0}


@lru_cache(maxsize=None)
def training_run(name: str, hidden: tuple[int, ...]) -> TrainingRun:
    """Train the chapter's classifier with hidden widths ``hidden`` on the 2-D set ``name`` (cached)."""
    X, y, X_test, y_test = dataset_2d(name, RECIPE["n"], seed=RECIPE["seed"], test=RECIPE["test"])
    model = MLP((2, *hidden, 2), RECIPE["activation"], "softmax", seed=RECIPE["seed"])
    return record_run(model, X, y, X_test, y_test, snapshot_epochs=SNAPSHOT_EPOCHS,
                      batch_size=RECIPE["batch_size"], optimizer=Adam(RECIPE["lr"]), seed=RECIPE["seed"])


def training_runs(hidden: tuple[int, ...] = (8, 8)) -> dict[str, TrainingRun]:
    """One run per 2-D data set, all with the same network shape."""
    return {name: training_run(name, hidden) for name in DATASETS_2D}


def training_grid(widths: tuple[int, ...] = WIDTHS) -> dict[tuple[str, int], TrainingRun]:
    """One run per 2-D data set and width ``w`` (two hidden layers of ``w`` units), keyed ``(name, w)``."""
    return {(name, w): training_run(name, (w, w)) for name in DATASETS_2D for w in widths}


def ring_runs() -> dict[str, TrainingRun]:
    """The disk in a ring with three hidden layers of 2 units, and with one hidden layer of 3."""
    return {"2 units per layer (3 layers)": training_run("disk in a ring", (2, 2, 2)),
            "3 units (1 layer)": training_run("disk in a ring", (3,))}


def _epoch_slider() -> Slider:
    return Slider("epoch", "epoch", SNAPSHOT_EPOCHS, initial=SNAPSHOT_EPOCHS[0], fmt="{:d}")


def training_explorer(runs: dict[tuple[str, int], TrainingRun] | None = None, *, static: bool | None = None) -> Explorer:
    """Choose a data set, a hidden width and an epoch: decision regions, points and learning curves of a
    real run. ``runs`` maps ``(data set, width)`` to a run (default :func:`training_grid`)."""
    runs = training_grid() if runs is None else runs
    names = tuple(dict.fromkeys(name for name, _ in runs))
    widths = tuple(sorted({w for _, w in runs}))
    missing = [(n, w) for n in names for w in widths if (n, w) not in runs]
    if missing:
        raise ValueError(f"runs must hold every (data set, width) pair; missing {missing}")
    width = max(widths)
    return explorer(
        lambda: TrainingScene(runs, run=(names[0], width), epoch=SNAPSHOT_EPOCHS[0]),
        [Slider("run", "data set", names, initial=names[0], labels=names),
         Slider("width", "units per layer", widths, initial=width, fmt="{:d}"), _epoch_slider()],
        static=static,
    )


def ring_explorer(runs: dict[str, TrainingRun] | None = None, *, static: bool | None = None) -> Explorer:
    """The disk inside a ring, with 2 units per layer (stuck) and with 3 (solved)."""
    runs = ring_runs() if runs is None else runs
    names = tuple(runs)
    return explorer(
        lambda: TrainingScene(runs, run=names[0], epoch=SNAPSHOT_EPOCHS[0]),
        [Slider("run", "width", names, initial=names[0], labels=names), _epoch_slider()],
        static=static,
    )


#: The positions of the blend slider inside one stage.
WARP_FRACTIONS = (0.0, 0.5, 1.0)


def warp_explorer(run: TrainingRun | None = None, *, static: bool | None = None) -> Explorer:
    """Carry the plane through a trained network with 2-unit layers, one stage (× W, + b, bend) at a time."""
    run = training_run("two moons", (2, 2)) if run is None else run
    probe = WarpScene(run)  # only to count and name the stages
    stages = tuple(range(1, len(probe.stages)))
    labels = tuple(f"layer {(k + 2) // 3}: {probe.stages[k][0]}" for k in stages)
    return explorer(
        lambda: WarpScene(run, stage=1, s=0.0),
        [Slider("stage", "stage", stages, initial=1, labels=labels), Slider("s", "blend s", WARP_FRACTIONS, initial=0.0)],
        static=static,
    )


#: The positions of the lift slider.
LIFT_FRACTIONS = (0.0, 0.25, 0.5, 0.75, 1.0)


def lift_explorer(run: TrainingRun | None = None, *, static: bool | None = None) -> Explorer:
    """The disk in a ring lifted into 3-D by a hidden layer of 3 units, a fraction s of the way."""
    run = training_run("disk in a ring", (3,)) if run is None else run
    return explorer(lambda: LiftScene(run, s=0.0), [Slider("s", "lift s", LIFT_FRACTIONS, initial=0.0)], static=static)


EXPLORERS = {
    "training_explorer": training_explorer,
    "ring_explorer": ring_explorer,
    "warp_explorer": warp_explorer,
    "lift_explorer": lift_explorer,
}
