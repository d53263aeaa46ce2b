"""Benchmark: training the same 64-64-10 ReLU network on the digits with :mod:`dlmath.nn` and PyTorch.

Softmax cross-entropy, plain SGD with learning rate 0.1, batches of 32, 30 epochs, on the 8×8 digits
(:func:`dlmath.data.load_digits`, pixels divided by 16; a seeded split of 1,437 training and 360 test
images). Both trainings start from the same weights (He's scale, ``MLP(..., seed=0)``) and see the same
batches in the same order (each epoch's shuffle is copied once, and its batches are slices of the copy);
both evaluate the loss and accuracy on the whole training set after every
epoch (what :func:`dlmath.nn.train` records). The same training written as one plain NumPy loop (no
classes, no input checks) is timed beside them: the floor, so the report shows what :mod:`dlmath.nn`'s
abstractions cost. PyTorch (``torch``, CPU, one thread) runs in float32 and
float64 when it is installed; it is not a requirement of dlmath. NumPy's linear algebra library gets one
thread too (with ``threadpoolctl`` when installed, else set ``OPENBLAS_NUM_THREADS=1``): on a busy
machine a product of a (32, 64) batch split over several threads waits for the busiest core, and the
comparison would measure the machine's other work. Run ``python -m dlmath.nn_bench``.
"""

from __future__ import annotations

import contextlib
import os
import statistics
import time

import numpy as np

from .data import load_digits
from .nn import MLP, train
from .optim import SGD

__all__ = ["SIZES", "digits_split", "nn_benchmark", "report"]

SIZES = (64, 64, 10)
EPOCHS, BATCH, LR = 30, 32, 0.1


def digits_split(seed: int = 0, test: int = 360) -> tuple[np.ndarray, ...]:
    """The digits, pixels scaled to [0, 1], shuffled with ``seed`` and split: ``X, y, X_test, y_test``."""
    digits = load_digits()
    order = np.random.default_rng(seed).permutation(len(digits.target))
    X, y = digits.data[order] / 16.0, digits.target[order]
    return X[test:], y[test:], X[:test], y[:test]


def _one_blas_thread() -> tuple[contextlib.AbstractContextManager, str]:
    """A context limiting NumPy's BLAS to one thread, and a note if that is not possible here."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        if os.environ.get("OPENBLAS_NUM_THREADS") == "1":
            return contextlib.nullcontext(), ""
        return contextlib.nullcontext(), ("NumPy's BLAS may use several threads (install threadpoolctl or set "
                                          "OPENBLAS_NUM_THREADS=1 for a one-thread comparison)")
    return threadpool_limits(limits=1, user_api="blas"), ""


def _batches(n: int, epochs: int, seed: int) -> list[np.ndarray]:
    """The shuffles :func:`dlmath.nn.train` uses (one permutation per epoch from ``default_rng(seed)``)."""
    rng = np.random.default_rng(seed)
    return [rng.permutation(n) for _ in range(epochs)]


def _numpy_run(params0: list[np.ndarray], data, epochs: int, seed: int) -> dict:
    """The same training written as one plain NumPy loop (no classes, no checks): the floor that
    :mod:`dlmath.nn`'s abstractions are measured against."""
    X, y, X_test, y_test = data
    params = [p.copy() for p in params0]
    rows_all = np.arange(len(X))

    def scores(A: np.ndarray) -> np.ndarray:
        for W, b in zip(params[0:-2:2], params[1:-2:2]):
            A = np.maximum(A @ W + b, 0.0)
        return A @ params[-2] + params[-1]

    start = time.perf_counter()
    losses = []
    for order in [None, *_batches(len(X), epochs, seed)]:
        X_epoch, y_epoch = (X[order], y[order]) if order is not None else (X, y)  # then each batch is a slice
        for first in range(0, len(X) if order is not None else 0, BATCH):
            rows = slice(first, first + BATCH)
            As, A = [X_epoch[rows]], X_epoch[rows]
            for W, b in zip(params[0:-2:2], params[1:-2:2]):
                A = np.maximum(A @ W + b, 0.0)
                As.append(A)
            Z = A @ params[-2] + params[-1]
            P = np.exp(Z - Z.max(axis=1, keepdims=True))
            P /= P.sum(axis=1, keepdims=True)
            P[np.arange(len(P)), y_epoch[rows]] -= 1.0
            delta = P / len(P)
            for l in range(len(As) - 1, -1, -1):
                gW, gb = As[l].T @ delta, delta.sum(axis=0)
                if l > 0:
                    delta = (delta @ params[2 * l].T) * (As[l] > 0)
                params[2 * l] -= LR * gW
                params[2 * l + 1] -= LR * gb
        Z = scores(X)
        shifted = Z - Z.max(axis=1, keepdims=True)
        log_P = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        losses.append(float(-log_P[rows_all, y].mean()))
        float(np.mean(np.argmax(Z, axis=1) == y))
    seconds = time.perf_counter() - start
    accuracy = float(np.mean(np.argmax(scores(X_test), axis=1) == y_test))
    return {"seconds": seconds, "test_accuracy": accuracy, "final_loss": losses[-1]}


def _torch_run(dtype_name: str, params0: list[np.ndarray], data, epochs: int, seed: int) -> dict:
    import torch

    torch.set_num_threads(1)
    dtype = getattr(torch, dtype_name)
    X, y, X_test, y_test = data
    Xt, yt = torch.tensor(X, dtype=dtype), torch.tensor(y)
    Xs, ys = torch.tensor(X_test, dtype=dtype), torch.tensor(y_test)
    layers = []
    for W, b in zip(params0[0::2], params0[1::2]):
        lin = torch.nn.Linear(*W.shape).to(dtype)
        with torch.no_grad():
            lin.weight.copy_(torch.tensor(W.T))  # torch keeps (outputs, inputs)
            lin.bias.copy_(torch.tensor(b))
        layers += [lin, torch.nn.ReLU()]
    model = torch.nn.Sequential(*layers[:-1])
    loss_fn = torch.nn.CrossEntropyLoss()
    opt = torch.optim.SGD(model.parameters(), lr=LR)
    orders = [torch.tensor(o) for o in _batches(len(X), epochs, seed)]
    start = time.perf_counter()
    with torch.no_grad():
        losses = [loss_fn(model(Xt), yt).item()]
    for order in orders:
        X_epoch, y_epoch = Xt[order], yt[order]  # shuffled once per epoch, as dlmath.nn.train does
        for first in range(0, len(X), BATCH):
            opt.zero_grad()
            loss = loss_fn(model(X_epoch[first:first + BATCH]), y_epoch[first:first + BATCH])
            loss.backward()
            opt.step()
        with torch.no_grad():
            out = model(Xt)
            losses.append(loss_fn(out, yt).item())
            (out.argmax(1) == yt).double().mean().item()
    seconds = time.perf_counter() - start
    with torch.no_grad():
        accuracy = (model(Xs).argmax(1) == ys).double().mean().item()
    return {"seconds": seconds, "test_accuracy": accuracy, "final_loss": losses[-1]}


def nn_benchmark(epochs: int = EPOCHS, seed: int = 0, torch_runs: bool = True, repeats: int = 3) -> dict:
    """Train with dlmath.nn, with a plain NumPy loop and (if installed and ``torch_runs``) with PyTorch
    float32/float64, ``repeats`` times each, interleaved (so that a busy moment of the machine hits every
    contender); the median seconds and the test accuracy of each, and the speed-ups (their seconds /
    dlmath's seconds: below 1 means dlmath.nn is slower)."""
    if isinstance(repeats, bool) or not isinstance(repeats, int) or repeats < 1:
        raise ValueError(f"repeats must be a positive integer, got {repeats!r}")
    data = digits_split(seed)
    X, y, X_test, y_test = data
    params0 = [p.copy() for p in MLP(SIZES, "relu", "softmax", seed=seed).params]
    engines = ["dlmath", "numpy_loop"]
    note = ""
    if torch_runs:
        try:
            import torch  # noqa: F401
        except ImportError:
            note = "PyTorch is not installed: only dlmath.nn was timed"
        else:
            engines += ["torch_float32", "torch_float64"]
    runs: dict[str, list[dict]] = {name: [] for name in engines}
    one_thread, blas_note = _one_blas_thread()
    note = "; ".join(n for n in (note, blas_note) if n)
    with one_thread:
        for _ in range(repeats):
            for name in engines:
                if name == "dlmath":
                    model = MLP(SIZES, "relu", "softmax", seed=seed)
                    history = train(model, X, y, epochs=epochs, batch_size=BATCH, optimizer=SGD(LR), seed=seed,
                                    progress=False)
                    runs[name].append({"seconds": history.seconds, "test_accuracy": model.accuracy(X_test, y_test),
                                       "final_loss": history.train_loss[-1]})
                elif name == "numpy_loop":
                    runs[name].append(_numpy_run(params0, data, epochs, seed))
                else:
                    runs[name].append(_torch_run(name.split("_")[1], params0, data, epochs, seed))
    result: dict = {"epochs": epochs, "repeats": repeats, "note": note}
    for name, rs in runs.items():
        result[name] = {**rs[-1], "seconds": statistics.median(r["seconds"] for r in rs)}
    for name in engines[1:]:
        result[name]["speedup"] = result[name]["seconds"] / result["dlmath"]["seconds"]
    return result


def report(r: dict) -> None:
    """Print one :func:`nn_benchmark` result."""
    print(f"64-64-10 ReLU MLP on the digits: SGD lr {LR}, batch {BATCH}, {r['epochs']} epochs, one thread, "
          f"median of {r['repeats']} runs")
    for name in ("dlmath", "numpy_loop", "torch_float32", "torch_float64"):
        if name in r:
            x = r[name]
            extra = ""
            if "speedup" in x:
                extra = (f"  (dlmath.nn is {x['speedup']:.2f}x faster)" if x["speedup"] >= 1
                         else f"  (dlmath.nn takes {1 / x['speedup']:.2f}x its time)")
            print(f"  {name:<14} {x['seconds']:6.3f} s   test accuracy {100 * x['test_accuracy']:5.1f} %   "
                  f"final train loss {x['final_loss']:.4f}{extra}")
    if r["note"]:
        print(f"  {r['note']}")


if __name__ == "__main__":
    report(nn_benchmark())
