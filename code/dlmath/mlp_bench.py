"""Benchmark: forward + backward of a small ReLU network built from :class:`dlmath.graph.Value`.

The network has micrograd's ``nn.MLP(2, [16, 16, 1])`` shape: two hidden layers of 16 ReLU neurons
and one linear output neuron. One forward and one backward pass (no update of the weights) are timed
on 100 seeded "two moons" points with the max-margin (hinge) loss of micrograd's demo (without the
demo's small weight penalty),

.. math:: L = \\frac{1}{n} \\sum_{k=1}^{n} \\max\\bigl(0,\\ 1 - y_k\\, f(x_k)\\bigr),
          \\qquad y_k \\in \\{-1, +1\\},

and the same network, with the same weights, is run in the ``micrograd`` package if it is installed
(``pip install micrograd``; it is not a requirement of dlmath). Run ``python -m dlmath.mlp_bench``
for a short report; with micrograd installed it also prints a new record in the form of
:data:`MICROGRAD_MEASUREMENT` (:func:`measure_against_micrograd`). :data:`MICROGRAD_MEASUREMENT` keeps
one such record, with the machine and date it was measured on, for the book's appendix "The code
behind the book" (whose build has no micrograd).
"""

from __future__ import annotations

import datetime
import gc
import os
import platform
import pprint
import statistics
import time
from typing import Callable

import numpy as np

from dlmath.graph import Value, topological_order, value_dot, value_sum

__all__ = ["MICROGRAD_MEASUREMENT", "SIZES", "dlmath_mlp_loss", "gc_profile", "init_mlp_params", "make_moons",
           "measure_against_micrograd", "micrograd_mlp_loss", "mlp_benchmark"]

SIZES = (2, 16, 16, 1)

#: One measurement against micrograd, made once and quoted (not re-run while the book builds, which
#: has no micrograd), with micrograd 0.1.0 installed into a private directory, on the book's build
#: machine: 2 cores (AMD EPYC, x86_64, Linux), CPython 3.11.7, 2 December 2026. Timings are median
#: seconds of ``mlp_benchmark(repeats=11)`` with the collector on and off; the counts are those of
#: :func:`gc_profile`. :func:`measure_against_micrograd` (which ``python -m dlmath.mlp_bench`` runs and
#: prints) returns a record of this form; re-run the same day on the same machine it reproduced every
#: count exactly and the speed-ups to within about 15 % (the machine was busy).
MICROGRAD_MEASUREMENT = {
    "date": "2 December 2026",
    "machine": "the book's 2-core build machine (AMD EPYC, Linux, CPython 3.11.7)",
    "micrograd_version": "0.1.0",
    "repeats": 11,
    "gc_on": {"dlmath_seconds": 0.01611, "dlmath_unfused_seconds": 0.11205, "micrograd_seconds": 0.74474},
    "gc_off": {"dlmath_seconds": 0.01525, "dlmath_unfused_seconds": 0.06285, "micrograd_seconds": 0.11261},
    "max_grad_diff": 3.9e-16,
    "collections": {"micrograd": (595, 54, 4), "dlmath_unfused": (212, 19, 1), "dlmath_fused": (27, 2, 0)},
    "tracked_objects_per_node": {"micrograd": 6.7, "dlmath_unfused": 2.5},
    "micrograd_nodes": 68_140,
    "micrograd_garbage_objects": 457_713,
}

Params = list[tuple[np.ndarray, np.ndarray]]  # one (W of shape (n_out, n_in), b of shape (n_out,)) per layer


def make_moons(n_points: int = 100, noise: float = 0.1, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Return ``n_points`` noisy points on two interleaved half circles and labels -1 / +1.

    Returns ``X`` of shape ``(n_points, 2)`` and ``y`` of shape ``(n_points,)``.
    """
    if isinstance(n_points, bool) or not isinstance(n_points, int) or n_points < 2:
        raise ValueError(f"n_points must be an integer >= 2, got {n_points!r}")
    rng = np.random.default_rng(seed)
    n_top = n_points // 2
    t = np.pi * rng.random(n_points)
    top = np.arange(n_points) < n_top
    # top moon: (cos t, sin t); bottom moon: shifted and flipped, (1 - cos t, 0.5 - sin t)
    X = np.where(top[:, None], np.c_[np.cos(t), np.sin(t)], np.c_[1 - np.cos(t), 0.5 - np.sin(t)])
    X = X + noise * rng.standard_normal((n_points, 2))
    return X, np.where(top, -1.0, 1.0)


def init_mlp_params(sizes: tuple[int, ...] = SIZES, seed: int = 0) -> Params:
    """Return seeded weights and biases, both uniform on [-1, 1], for a network of layer ``sizes``."""
    if len(sizes) < 2 or any(isinstance(s, bool) or not isinstance(s, int) or s < 1 for s in sizes):
        raise ValueError(f"sizes must be at least two positive integers, got {sizes!r}")
    rng = np.random.default_rng(seed)
    return [(rng.uniform(-1, 1, (n_out, n_in)), rng.uniform(-1, 1, n_out))
            for n_in, n_out in zip(sizes[:-1], sizes[1:])]


def _dlmath_network(params: Params) -> list[tuple[list[list[Value]], list[Value]]]:
    return [([[Value(w) for w in row] for row in W], [Value(bj) for bj in b]) for W, b in params]


def _dlmath_forward(layers, X: list[list[float]], y: list[float], fused: bool) -> Value:
    last = len(layers) - 1
    losses = []
    for x, yk in zip(X, y):
        h = x
        for i, (W, b) in enumerate(layers):
            if fused:  # one node per neuron
                h = [value_dot(w, h, bj) for w, bj in zip(W, b)]
            else:  # micrograd's way: a chain of products and sums per neuron
                h = [sum((wi * hi for wi, hi in zip(w, h)), bj) for w, bj in zip(W, b)]
            if i < last:
                h = [v.relu() for v in h]
        losses.append((1 + -yk * h[0]).relu())
    total = value_sum(losses) if fused else sum(losses)
    return total * (1.0 / len(losses))


def _grads(layers) -> Params:
    return [(np.array([[w.grad for w in row] for row in W]), np.array([bj.grad for bj in b]))
            for W, b in layers]


def dlmath_mlp_loss(params: Params, X: np.ndarray, y: np.ndarray, fused: bool = True) -> tuple[float, Params]:
    """Return the hinge loss of the ReLU network ``params`` on ``(X, y)`` and its gradients.

    With ``fused=True`` each neuron is one :func:`~dlmath.graph.value_dot` node; with ``False`` it is
    built from ``*`` and ``+`` exactly like micrograd. The gradients have the shapes of ``params``.
    """
    layers = _dlmath_network(params)
    loss = _dlmath_forward(layers, X.tolist(), y.tolist(), fused)
    loss.backward()
    return loss.data, _grads(layers)


def _micrograd_network(params: Params):
    import random

    from micrograd.nn import MLP

    state = random.getstate()  # micrograd draws its own weights from `random`; don't disturb the caller's
    model = MLP(params[0][0].shape[1], [W.shape[0] for W, _ in params])
    random.setstate(state)
    for layer, (W, b) in zip(model.layers, params):  # copy our weights over
        for neuron, row, bj in zip(layer.neurons, W, b):
            for wi, value in zip(neuron.w, row):
                wi.data = float(value)
            neuron.b.data = float(bj)
    return model


def _micrograd_forward(model, X: list[list[float]], y: list[float]):
    scores = [model(x) for x in X]
    losses = [(1 + -yk * score).relu() for yk, score in zip(y, scores)]
    return sum(losses) * (1.0 / len(losses))


def micrograd_mlp_loss(params: Params, X: np.ndarray, y: np.ndarray) -> tuple[float, Params]:
    """Same as :func:`dlmath_mlp_loss`, computed by the ``micrograd`` package (ImportError if absent)."""
    model = _micrograd_network(params)
    loss = _micrograd_forward(model, X.tolist(), y.tolist())
    loss.backward()
    grads = [(np.array([[w.grad for w in n.w] for n in layer.neurons], dtype=float),
              np.array([n.b.grad for n in layer.neurons], dtype=float)) for layer in model.layers]
    return loss.data, grads


def _max_diff(a: Params, b: Params) -> float:
    return max(float(np.max(np.abs(ga - gb))) for pa, pb in zip(a, b) for ga, gb in zip(pa, pb))


def _time_once(zero: Callable[[], None], run: Callable[[], object], gc_enabled: bool) -> float:
    zero()
    gc.collect()  # start each run with no garbage from the last one
    if not gc_enabled:
        gc.disable()
    try:
        start = time.perf_counter()
        run()
        return time.perf_counter() - start
    finally:
        gc.enable()


def mlp_benchmark(repeats: int = 5, n_points: int = 100, seed: int = 0, gc_enabled: bool = True) -> dict:
    """Time forward + backward of the 2-16-16-1 ReLU network in dlmath and in micrograd.

    Returns a dict with the median seconds ``dlmath_seconds`` (fused neurons),
    ``dlmath_unfused_seconds`` (built op by op like micrograd) and ``micrograd_seconds``; the
    ``speedup`` and ``speedup_unfused`` (micrograd time / dlmath time); ``max_grad_diff`` and
    ``max_grad_diff_unfused``, the largest absolute difference of a parameter gradient from
    micrograd's; ``loss``, ``n_points``, ``n_parameters``, ``repeats`` and a ``note``. Without
    micrograd the micrograd entries are None and the note says how to install it.

    With ``gc_enabled=False`` Python's cycle collector is switched off while timing. micrograd's
    closures make every node part of a reference cycle, so much of its default time is spent in
    that collector; switching it off compares the bare cost of building and walking the graph.
    """
    if isinstance(repeats, bool) or not isinstance(repeats, int) or repeats < 1:
        raise ValueError(f"repeats must be an integer >= 1, got {repeats!r}")
    X, y = make_moons(n_points, seed=seed)
    params = init_mlp_params(SIZES, seed=seed)
    Xl, yl = X.tolist(), y.tolist()
    layers = _dlmath_network(params)
    leaves = [v for W, b in layers for v in [*(w for row in W for w in row), *b]]

    def zero_dlmath() -> None:
        for v in leaves:
            v.grad = 0.0

    try:
        model = _micrograd_network(params)
    except ImportError:
        model = None
    runners = {
        "fused": (zero_dlmath, lambda: _dlmath_forward(layers, Xl, yl, True).backward()),
        "unfused": (zero_dlmath, lambda: _dlmath_forward(layers, Xl, yl, False).backward()),
    }
    if model is not None:
        runners["micrograd"] = (model.zero_grad, lambda: _micrograd_forward(model, Xl, yl).backward())
    times: dict[str, list[float]] = {name: [] for name in runners}
    for _ in range(repeats):  # interleave, so a slow patch of the machine hits every contender
        for name, (zero, run) in runners.items():
            times[name].append(_time_once(zero, run, gc_enabled))
    median = {name: statistics.median(t) for name, t in times.items()}

    loss, grads = dlmath_mlp_loss(params, X, y, fused=True)
    result = {
        "dlmath_seconds": median["fused"], "dlmath_unfused_seconds": median["unfused"],
        "micrograd_seconds": None, "speedup": None, "speedup_unfused": None,
        "max_grad_diff": None, "max_grad_diff_unfused": None, "loss": loss, "n_points": n_points,
        "n_parameters": sum(W.size + b.size for W, b in params), "repeats": repeats, "gc_enabled": gc_enabled,
        "note": "pip install micrograd to compare with it",
    }
    if model is not None:
        _, reference = micrograd_mlp_loss(params, X, y)
        _, unfused = dlmath_mlp_loss(params, X, y, fused=False)
        result.update(
            micrograd_seconds=median["micrograd"], speedup=median["micrograd"] / median["fused"],
            speedup_unfused=median["micrograd"] / median["unfused"],
            max_grad_diff=_max_diff(grads, reference), max_grad_diff_unfused=_max_diff(unfused, reference),
            note="same weights, same points, same hinge loss in both; times are medians",
        )
    return result


def _micrograd_node_count(root) -> int:
    seen, stack = set(), [root]
    while stack:  # micrograd keeps a node's parents in the set ``_prev``
        v = stack.pop()
        if id(v) not in seen:
            seen.add(id(v))
            stack.extend(v._prev)
    return len(seen)


def gc_profile(n_points: int = 100, seed: int = 0) -> dict[str, dict]:
    """How much work each engine gives Python's cyclic garbage collector in one forward + backward pass.

    Returns, for ``"dlmath_fused"``, ``"dlmath_unfused"`` and (when it is installed) ``"micrograd"``:
    ``collections``, the collector's runs of its generations 0, 1 and 2 during one pass (counted with
    ``gc.callbacks``); ``tracked_objects_per_node``, the growth of ``len(gc.get_objects())`` per graph
    node while the graph is built; ``nodes``, the nodes of one graph; and ``garbage_objects``, what
    ``gc.collect()`` finds unreachable once that graph is dropped (0 when reference counting frees it all).
    """
    X, y = make_moons(n_points, seed=seed)
    params = init_mlp_params(SIZES, seed=seed)
    Xl, yl = X.tolist(), y.tolist()
    layers = _dlmath_network(params)
    engines = {
        "dlmath_fused": (lambda: _dlmath_forward(layers, Xl, yl, True), lambda root: len(topological_order(root))),
        "dlmath_unfused": (lambda: _dlmath_forward(layers, Xl, yl, False), lambda root: len(topological_order(root))),
    }
    try:
        model = _micrograd_network(params)
        engines["micrograd"] = (lambda: _micrograd_forward(model, Xl, yl), _micrograd_node_count)
    except ImportError:
        pass
    profile = {}
    for name, (build, count_nodes) in engines.items():
        runs = [0, 0, 0]

        def count_runs(phase: str, info: dict) -> None:
            if phase == "start":
                runs[info["generation"]] += 1

        gc.collect()
        gc.callbacks.append(count_runs)
        try:
            build().backward()
        finally:
            gc.callbacks.remove(count_runs)
        gc.collect()
        gc.disable()  # no collection between the counts
        try:
            before = len(gc.get_objects())
            root = build()
            grown = len(gc.get_objects()) - before
            nodes = count_nodes(root)
            del root
            garbage = gc.collect()
        finally:
            gc.enable()
        profile[name] = {"collections": tuple(runs), "tracked_objects_per_node": grown / nodes,
                         "nodes": nodes, "garbage_objects": garbage}
    return profile


def _record(on: dict, off: dict, profile: dict) -> dict:
    """A record in the form of :data:`MICROGRAD_MEASUREMENT` from two benchmark results and a profile."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        micrograd_version = version("micrograd")
    except PackageNotFoundError:
        micrograd_version = "unknown"
    keys = ("dlmath_seconds", "dlmath_unfused_seconds", "micrograd_seconds")
    today = datetime.date.today()
    return {
        "date": f"{today.day} {today:%B %Y}",
        "machine": f"{os.cpu_count()} cores, {platform.machine()}, {platform.system()}, "
                   f"{platform.python_implementation()} {platform.python_version()}",
        "micrograd_version": micrograd_version,
        "repeats": on["repeats"],
        "gc_on": {k: round(on[k], 5) for k in keys},
        "gc_off": {k: round(off[k], 5) for k in keys},
        "max_grad_diff": float(f"{max(on['max_grad_diff'], on['max_grad_diff_unfused']):.1e}"),
        "collections": {name: profile[name]["collections"] for name in ("micrograd", "dlmath_unfused", "dlmath_fused")},
        "tracked_objects_per_node": {name: round(profile[name]["tracked_objects_per_node"], 1)
                                     for name in ("micrograd", "dlmath_unfused")},
        "micrograd_nodes": profile["micrograd"]["nodes"],
        "micrograd_garbage_objects": profile["micrograd"]["garbage_objects"],
    }


def measure_against_micrograd(repeats: int = 11) -> dict:
    """Measure everything :data:`MICROGRAD_MEASUREMENT` holds, now, on this machine.

    Raises ImportError when micrograd is not installed. Write the machine's name into ``"machine"``
    by hand if the automatic description (cores, architecture, system, Python) is not enough.
    """
    on = mlp_benchmark(repeats, gc_enabled=True)
    if on["micrograd_seconds"] is None:
        raise ImportError("micrograd is not installed (pip install micrograd)")
    return _record(on, mlp_benchmark(repeats, gc_enabled=False), gc_profile())


def report(r: dict) -> None:
    """Print one :func:`mlp_benchmark` result in words."""
    print(f"2-16-16-1 ReLU MLP ({r['n_parameters']} parameters), forward + backward on {r['n_points']} points, "
          f"median of {r['repeats']} runs, garbage collector {'on' if r['gc_enabled'] else 'off'}")
    print(f"  dlmath (fused neurons): {1e3 * r['dlmath_seconds']:8.2f} ms")
    print(f"  dlmath (op by op):      {1e3 * r['dlmath_unfused_seconds']:8.2f} ms")
    if r["micrograd_seconds"] is None:
        print(f"  micrograd: not installed ({r['note']})")
        return
    print(f"  micrograd:              {1e3 * r['micrograd_seconds']:8.2f} ms")
    print(f"  speed-up: {r['speedup']:.1f}x fused, {r['speedup_unfused']:.1f}x op by op")
    print(f"  largest gradient difference from micrograd: {r['max_grad_diff']:.2e} "
          f"(op by op: {r['max_grad_diff_unfused']:.2e})")


def main() -> None:
    on, off = mlp_benchmark(11, gc_enabled=True), mlp_benchmark(11, gc_enabled=False)
    report(on)
    report(off)
    profile = gc_profile()
    print("Work for the garbage collector in one pass (runs of generations 0, 1, 2; tracked objects per node):")
    for name, p in profile.items():
        print(f"  {name:16}{str(p['collections']):>16}{p['tracked_objects_per_node']:6.1f}")
    if on["micrograd_seconds"] is not None:
        print("\nThe same as a record in the form of MICROGRAD_MEASUREMENT:")
        pprint.pprint(_record(on, off, profile), sort_dicts=False)


if __name__ == "__main__":
    main()
