"""Tests for dlmath.graph: every derivative against a central difference, graph bookkeeping, errors."""

from __future__ import annotations

import math
import platform
import sys
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from dlmath.graph import Value, topological_order, value_dot, value_sum
from dlmath.mlp_bench import (MICROGRAD_MEASUREMENT, SIZES, dlmath_mlp_loss, gc_profile, init_mlp_params,
                               make_moons, measure_against_micrograd, mlp_benchmark)

H = 1e-6  # central-difference step: truncation error ~H^2, rounding error ~1e-16 / H


def central_difference(f, x: float, h: float = H) -> float:
    return (f(x + h) - f(x - h)) / (2 * h)


def _sigmoid(t: float) -> float:
    return 1 / (1 + math.exp(-t))


# (id, operation on a Value, the same operation on a float, points where it is smooth and defined)
ANYWHERE, POSITIVE = (-1.3, 0.4, 2.2), (0.4, 1.7)
UNARY = [
    ("v + 3", lambda v: v + 3, lambda t: t + 3, ANYWHERE),
    ("3 + v", lambda v: 3 + v, lambda t: 3 + t, ANYWHERE),
    ("v - 3", lambda v: v - 3, lambda t: t - 3, ANYWHERE),
    ("3 - v", lambda v: 3 - v, lambda t: 3 - t, ANYWHERE),
    ("v * 2.5", lambda v: v * 2.5, lambda t: t * 2.5, ANYWHERE),
    ("2.5 * v", lambda v: 2.5 * v, lambda t: 2.5 * t, ANYWHERE),
    ("np.float64(2.5) * v", lambda v: np.float64(2.5) * v, lambda t: 2.5 * t, ANYWHERE),
    ("v / 4", lambda v: v / 4, lambda t: t / 4, ANYWHERE),
    ("4 / v", lambda v: 4 / v, lambda t: 4 / t, ANYWHERE),
    ("-v", lambda v: -v, lambda t: -t, ANYWHERE),
    ("v ** 2", lambda v: v**2, lambda t: t**2, ANYWHERE),
    ("v ** 3", lambda v: v**3, lambda t: t**3, ANYWHERE),
    ("v ** -2", lambda v: v**-2, lambda t: t**-2, ANYWHERE),
    ("v ** 0.5", lambda v: v**0.5, math.sqrt, POSITIVE),
    ("exp", Value.exp, math.exp, ANYWHERE),
    ("log", Value.log, math.log, POSITIVE),
    ("tanh", Value.tanh, math.tanh, ANYWHERE),
    ("sigmoid", Value.sigmoid, _sigmoid, ANYWHERE),
    ("relu", Value.relu, lambda t: max(t, 0.0), ANYWHERE),
    ("abs", abs, abs, ANYWHERE),
]
UNARY_CASES = [pytest.param(f, g, x, id=f"{name} at {x}") for name, f, g, points in UNARY for x in points]


@pytest.mark.parametrize(("op", "reference", "x"), UNARY_CASES)
def test_unary_value_and_gradient(op, reference, x):
    v = Value(x)
    out = op(v)
    out.backward()
    assert_allclose(out.data, reference(x), rtol=1e-15, atol=1e-15)
    assert_allclose(v.grad, central_difference(reference, x), rtol=1e-7, atol=1e-9)


BINARY = [
    ("a + b", lambda a, b: a + b),
    ("a - b", lambda a, b: a - b),
    ("a * b", lambda a, b: a * b),
    ("a / b", lambda a, b: a / b),
    ("a ** 3 / b", lambda a, b: a**3 / b),
    ("2 * a - b / 3", lambda a, b: 2 * a - b / 3),
]


@pytest.mark.parametrize(("op"), [pytest.param(f, id=name) for name, f in BINARY])
@pytest.mark.parametrize(("x", "y"), [(1.5, -0.7), (-2.0, 3.0)])
def test_binary_value_and_gradient(op, x, y):
    a, b = Value(x), Value(y)
    out = op(a, b)
    out.backward()
    assert_allclose(out.data, op(x, y), rtol=1e-15)
    assert_allclose(a.grad, central_difference(lambda t: op(t, y), x), rtol=1e-7, atol=1e-9)
    assert_allclose(b.grad, central_difference(lambda t: op(x, t), y), rtol=1e-7, atol=1e-9)


def test_textbook_example():
    a, b, c = Value(5.0, label="a"), Value(3.0, label="b"), Value(2.0, label="c")
    J = 3 * (a + b * c)
    J.backward()
    assert (J.data, a.grad, b.grad, c.grad) == (33.0, 3.0, 6.0, 9.0)


def test_value_sum_and_value_dot_gradients():
    a, b, c = Value(0.5), Value(-1.5), Value(2.0)
    s = value_sum([a, 2.0, b, a])  # a used twice: d/da = 2
    s.backward()
    assert s.data == 1.5 and s.op == "sum" and len(s.parents) == 3
    assert (a.grad, b.grad) == (2.0, 1.0)
    d = value_dot([a, b, 3.0], [c, a, b], bias=c)  # c + a c + b a + 3 b
    d.zero_grad()
    d.backward()
    assert_allclose(d.data, 2.0 + 0.5 * 2.0 + (-1.5) * 0.5 + 3 * (-1.5), rtol=1e-15)
    assert_allclose([a.grad, b.grad, c.grad], [2.0 + (-1.5), 0.5 + 3.0, 1.0 + 0.5], rtol=1e-15)


def test_value_dot_equals_chain_of_products():
    rng = np.random.default_rng(0)
    w, x = [Value(t) for t in rng.normal(size=5)], rng.normal(size=5).tolist()
    fused = value_dot(w, x, w[0])
    fused.backward()
    grads = [v.grad for v in w]
    for v in w:
        v.grad = 0.0
    chain = sum((wi * xi for wi, xi in zip(w, x)), w[0])
    chain.backward()
    assert fused.data == chain.data  # same additions in the same order
    assert_allclose(grads, [v.grad for v in w], rtol=0, atol=1e-15)


def test_reused_node_gradients_add_up():
    x = Value(3.0)
    (x * x).backward()
    assert x.grad == 6.0
    a, x, y = Value(2.0), Value(3.0), Value(-5.0)
    out = a * x + a * y  # a shared weight
    out.backward()
    assert (a.grad, x.grad, y.grad) == (-2.0, 2.0, 2.0)


def test_backward_twice_accumulates_and_zero_grad_resets():
    a, b = Value(2.0), Value(-3.0)
    h = a * b
    out = h.tanh() + a
    out.backward()
    first = (a.grad, b.grad, h.grad)
    out.backward()  # the pitfall: leaf gradients add up
    assert_allclose([a.grad, b.grad], [2 * first[0], 2 * first[1]], rtol=1e-15)
    assert h.grad == first[2]  # inner nodes hold the latest pass only
    out.zero_grad()
    assert all(node.grad == 0.0 for node in topological_order(out))
    out.backward()
    assert (a.grad, b.grad, h.grad) == first


@pytest.mark.parametrize(("op", "left", "right"), [(Value.relu, 0.0, 1.0), (abs, -1.0, 1.0)], ids=["relu", "abs"])
def test_kink_at_zero_gets_the_documented_choice_zero(op, left, right):
    """At x = 0 the one-sided slopes differ, so there is no derivative; the engine returns 0 (as PyTorch).

    The central difference there is the mean of the two one-sided slopes, which is why a gradient
    check that lands exactly on a kink disagrees with the engine.
    """
    v = Value(0.0)
    out = op(v)
    out.backward()
    assert (out.data, v.grad) == (0.0, 0.0)
    h = 1e-6
    f = lambda t: op(Value(t)).data  # noqa: E731
    assert_allclose([(f(0.0) - f(-h)) / h, (f(h) - f(0.0)) / h], [left, right], rtol=0, atol=1e-12)
    assert_allclose(central_difference(f, 0.0), (left + right) / 2, rtol=0, atol=1e-12)
    assert left <= v.grad <= right  # the choice lies between the one-sided slopes


def test_backward_of_a_leaf():
    x = Value(4.0)
    x.backward()
    assert x.grad == 1.0


def test_long_chain_has_no_recursion_error():
    x = Value(0.5)
    y = x
    for _ in range(100_000):
        y = y * 1.0 + 0.0
    assert len(topological_order(y)) == 200_001
    y.backward()
    assert x.grad == 1.0
    y.zero_grad()
    assert x.grad == 0.0


@pytest.mark.parametrize(
    ("op", "x", "expected"),
    [(Value.sigmoid, -1000.0, 0.0), (Value.sigmoid, 1000.0, 1.0), (Value.tanh, -1000.0, -1.0), (Value.tanh, 1000.0, 1.0)],
    ids=["sigmoid(-1000)", "sigmoid(1000)", "tanh(-1000)", "tanh(1000)"],
)
def test_saturating_functions_at_extreme_inputs(op, x, expected):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an overflow warning would fail the test
        v = Value(x)
        out = op(v)
        out.backward()
    assert (out.data, v.grad) == (expected, 0.0)


def test_exp_at_extreme_inputs():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        v = Value(-1000.0)
        out = v.exp()
        out.backward()
        assert (out.data, v.grad) == (0.0, 0.0)
        with pytest.raises(ValueError, match="overflow"):
            Value(1000.0).exp()


BAD = [
    ("nan data", lambda: Value(float("nan")), "data must be finite"),
    ("inf data", lambda: Value(float("inf")), "data must be finite"),
    ("-inf data", lambda: Value(-np.inf), "data must be finite"),
    ("str data", lambda: Value("1.0"), "data must be a real number"),
    ("None data", lambda: Value(None), "data must be a real number"),
    ("list data", lambda: Value([1.0]), "data must be a real number"),
    ("bool data", lambda: Value(True), "data must be a real number"),
    ("log of 0", lambda: Value(0.0).log(), "log needs a positive"),
    ("log of -1", lambda: Value(-1.0).log(), "log needs a positive"),
    ("Value exponent", lambda: Value(2.0) ** Value(3.0), "exponent must be a plain number"),
    ("number ** Value", lambda: 2.0 ** Value(3.0), "exponent must be a plain number"),
    ("str exponent", lambda: Value(2.0) ** "3", "exponent must be a real number"),
    ("None exponent", lambda: Value(2.0) ** None, "exponent must be a real number"),
    ("nan exponent", lambda: Value(2.0) ** math.nan, "exponent must be finite"),
    ("negative ** 0.5", lambda: Value(-2.0) ** 0.5, "negative base"),
    ("0 ** -1", lambda: Value(0.0) ** -1, "undefined"),
    ("overflowing **", lambda: Value(1e200) ** 2, "too large"),
    ("divide by Value 0", lambda: Value(1.0) / Value(0.0), "divide by zero"),
    ("divide by 0", lambda: Value(1.0) / 0, "divide by zero"),
    ("number / Value 0", lambda: 1.0 / Value(0.0), "divide by zero"),
    ("add str", lambda: Value(1.0) + "a", "other must be a real number"),
    ("subtract nan", lambda: Value(1.0) - math.nan, "other must be finite"),
    ("multiply by inf", lambda: math.inf * Value(1.0), "other must be finite"),
    ("dot lengths", lambda: value_dot([Value(1.0)], [1.0, 2.0]), "same length"),
    ("dot nan bias", lambda: value_dot([Value(1.0)], [1.0], math.nan), "bias must be finite"),
    ("sum of str", lambda: value_sum([Value(1.0), "x"]), "values must be a real number"),
    ("topological_order of a number", lambda: topological_order(1.0), "root must be a Value"),
]


@pytest.mark.parametrize(("make", "message"), [pytest.param(f, m, id=name) for name, f, m in BAD])
def test_bad_input_raises_value_error(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_numbers_are_stored_as_floats_and_repr_is_readable():
    v = Value(np.float64(2), label="w")
    assert type(v.data) is float and v.op == "" and v.parents == ()
    assert repr(v) == "Value(data=2, grad=0, label='w')"
    assert repr(Value(1) / 3) == "Value(data=0.333333, grad=0)"


def test_graph_introspection():
    a, b = Value(1.0), Value(2.0)
    c = a * b
    d = (c + 2.0).exp()
    assert c.op == "*" and c.parents == (a, b) and c.local_grads == (2.0, 1.0)
    assert d.op == "exp" and d.parents[0].op == "+" and d.parents[0].parents == (c,)
    assert (a**3).op == "**3"
    order = topological_order(d)
    assert order[-1] is d and set(order) == {a, b, c, d.parents[0], d}


# Random expression graphs: each step applies an operation to one or two earlier nodes (so nodes
# get reused, and x * x appears when both picks agree). Inputs of log, ** 0.5 and / are kept in
# their domain, so that every graph is valid.
RANDOM_OPS = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / (b * b + 1),
    "rdiv": lambda a, b: 2 / (a * a + 0.5),
    "rsub": lambda a, b: 1.5 - a,
    "scale": lambda a, b: -0.5 * a,
    "square": lambda a, b: a**2,
    "sqrt": lambda a, b: (a * a + 1) ** 0.5,
    "exp": lambda a, b: a.exp(),
    "log": lambda a, b: (a * a + 0.1).log(),
    "tanh": lambda a, b: a.tanh(),
    "sigmoid": lambda a, b: b.sigmoid(),
    "relu": lambda a, b: (a - b).relu(),
    "sum": lambda a, b: value_sum([a, b, a, 1.0]),
    "dot": lambda a, b: value_dot([a, b], [b, 0.3], a),
}


def _run(program, leaf_data):
    leaves = [Value(t) for t in leaf_data]
    nodes = list(leaves)
    kinks = []  # relu inputs: the derivative jumps at 0, so central differences need distance from it
    for name, i, j in program:
        if name == "relu":
            kinks.append(nodes[i].data - nodes[j].data)
        nodes.append(RANDOM_OPS[name](nodes[i], nodes[j]))
    return value_sum(nodes), leaves, nodes, kinks


@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.filter_too_much])
@given(leaf_data=st.lists(st.floats(-2, 2), min_size=3, max_size=3), draw=st.data())
def test_random_graph_gradients_match_central_differences(leaf_data, draw):
    program = []
    for k in range(draw.draw(st.integers(1, 8))):
        n = 3 + k
        program.append((draw.draw(st.sampled_from(sorted(RANDOM_OPS))), draw.draw(st.integers(0, n - 1)),
                        draw.draw(st.integers(0, n - 1))))
    root, leaves, nodes, kinks = _run(program, leaf_data)
    assume(all(abs(n.data) < 100 for n in nodes) and all(abs(k) > 1e-3 for k in kinks))
    root.backward()
    order = topological_order(root)
    position = {id(n): k for k, n in enumerate(order)}
    assert order[-1] is root and len(position) == len(order)
    assert all(position[id(p)] < position[id(n)] for n in order for p in n.parents)
    for k, leaf in enumerate(leaves):
        def f(t, k=k):
            return _run(program, [t if m == k else x for m, x in enumerate(leaf_data)])[0].data
        assert_allclose(leaf.grad, central_difference(f, leaf_data[k]), rtol=1e-5, atol=1e-6)


def numpy_mlp_loss(params, X, y):
    """Hinge loss of the ReLU network and its gradients, with backpropagation written out in NumPy."""
    activations, pre = [X], []
    for i, (W, b) in enumerate(params):
        pre.append(activations[-1] @ W.T + b)
        activations.append(np.maximum(pre[-1], 0) if i < len(params) - 1 else pre[-1])
    margin = 1 - y * activations[-1][:, 0]
    loss = np.mean(np.maximum(margin, 0))
    delta = (np.where(margin > 0, -y, 0.0) / len(y))[:, None]  # dL/d(output)
    grads = []
    for i in reversed(range(len(params))):
        if i < len(params) - 1:
            delta = delta * (pre[i] > 0)  # through the ReLU
        grads.append((delta.T @ activations[i], delta.sum(axis=0)))
        delta = delta @ params[i][0]
    return loss, grads[::-1]


@pytest.mark.parametrize("fused", [True, False], ids=["fused", "op by op"])
def test_mlp_gradients_match_numpy_backprop(fused):
    X, y = make_moons(100, seed=0)
    params = init_mlp_params(SIZES, seed=1)
    loss, grads = dlmath_mlp_loss(params, X, y, fused=fused)
    ref_loss, ref_grads = numpy_mlp_loss(params, X, y)
    assert_allclose(loss, ref_loss, rtol=1e-12)
    assert any(np.any(gW != 0) for gW, _ in grads)  # the check is not vacuous
    for (gW, gb), (rW, rb) in zip(grads, ref_grads):
        assert_allclose(gW, rW, rtol=1e-10, atol=1e-12)
        assert_allclose(gb, rb, rtol=1e-10, atol=1e-12)


def test_mlp_gradients_match_micrograd():
    pytest.importorskip("micrograd")  # optional; the NumPy comparison above always runs
    from dlmath.mlp_bench import micrograd_mlp_loss

    X, y = make_moons(100, seed=0)
    params = init_mlp_params(SIZES, seed=1)
    loss, grads = dlmath_mlp_loss(params, X, y)
    ref_loss, ref_grads = micrograd_mlp_loss(params, X, y)
    assert_allclose(loss, ref_loss, rtol=1e-12)
    for (gW, gb), (rW, rb) in zip(grads, ref_grads):
        assert_allclose(gW, rW, rtol=0, atol=1e-12)
        assert_allclose(gb, rb, rtol=0, atol=1e-12)


def test_benchmark_without_micrograd(monkeypatch):
    monkeypatch.setitem(sys.modules, "micrograd.nn", None)  # makes `from micrograd.nn import ...` fail
    result = mlp_benchmark(repeats=1, n_points=10)
    assert result["micrograd_seconds"] is None and result["speedup"] is None
    assert "pip install micrograd" in result["note"]
    assert result["dlmath_seconds"] > 0 and result["n_parameters"] == 2 * 16 + 16 + 16 * 16 + 16 + 16 + 1


@pytest.mark.parametrize("repeats", [0, -1, 1.5, True])
def test_benchmark_rejects_bad_repeats(repeats):
    with pytest.raises(ValueError, match="repeats"):
        mlp_benchmark(repeats=repeats)


def test_quoted_micrograd_measurement_is_complete_and_consistent():
    """The record the appendix quotes: every timing positive, the collector costing time, fusing helping."""
    m = MICROGRAD_MEASUREMENT
    assert {"date", "machine", "micrograd_version", "repeats"} <= set(m) and m["repeats"] >= 5
    for mode in ("gc_on", "gc_off"):
        t = m[mode]
        assert 0 < t["dlmath_seconds"] < t["dlmath_unfused_seconds"] < t["micrograd_seconds"]
    for key in ("dlmath_seconds", "dlmath_unfused_seconds", "micrograd_seconds"):
        assert m["gc_on"][key] >= m["gc_off"][key]
    assert 0 <= m["max_grad_diff"] < 1e-12
    assert all(len(c) == 3 for c in m["collections"].values())
    # the quoted node count is that of this network: built op by op, dlmath's graph is within 10 % of it
    from dlmath.mlp_bench import _dlmath_forward, _dlmath_network

    X, y = make_moons(100, seed=0)
    loss = _dlmath_forward(_dlmath_network(init_mlp_params(SIZES, seed=0)), X.tolist(), y.tolist(), False)
    assert abs(len(topological_order(loss)) / m["micrograd_nodes"] - 1) < 0.1


def test_gc_profile_of_dlmath_matches_the_quoted_record():
    """Value graphs hold no cycles, so dropping one leaves nothing for the collector; the numbers the
    appendix quotes for dlmath are the ones gc_profile measures (they do not depend on the machine's speed).

    Measured in a fresh interpreter, as the record was: inside a long test session the collector's
    counters and Python's internal caches hold whatever earlier tests left there."""
    import json
    import subprocess
    import sys

    script = "import json; from dlmath.mlp_bench import gc_profile; print(json.dumps(gc_profile()))"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=300)
    profile = json.loads(done.stdout)
    for p in profile.values():
        p["collections"] = tuple(p["collections"])
    for name in ("dlmath_fused", "dlmath_unfused"):
        p = profile[name]
        assert p["garbage_objects"] == 0
        assert len(p["collections"]) == 3 and p["nodes"] > 0
    assert profile["dlmath_fused"]["nodes"] < profile["dlmath_unfused"]["nodes"] / 5
    # Object layout and the collector's schedule belong to one Python version: compare on the record's.
    if f"CPython {platform.python_version()}" in MICROGRAD_MEASUREMENT["machine"]:
        quoted = MICROGRAD_MEASUREMENT["tracked_objects_per_node"]["dlmath_unfused"]
        assert round(profile["dlmath_unfused"]["tracked_objects_per_node"], 1) == quoted
        for name in ("dlmath_fused", "dlmath_unfused"):
            assert profile[name]["collections"] == MICROGRAD_MEASUREMENT["collections"][name]


def test_gc_profile_and_measurement_with_micrograd():
    pytest.importorskip("micrograd")  # optional: the record is then measured, not only quoted
    profile = gc_profile(n_points=10)
    assert profile["micrograd"]["garbage_objects"] > profile["micrograd"]["nodes"]  # closures: cycles
    record = measure_against_micrograd(repeats=1)
    assert set(record) == set(MICROGRAD_MEASUREMENT)
    assert record["micrograd_nodes"] == MICROGRAD_MEASUREMENT["micrograd_nodes"]


def test_measure_against_micrograd_needs_micrograd(monkeypatch):
    monkeypatch.setitem(sys.modules, "micrograd.nn", None)
    with pytest.raises(ImportError, match="pip install micrograd"):
        measure_against_micrograd(repeats=1)
