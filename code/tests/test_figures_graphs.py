"""Drawings of computational graphs: the layout, the numbers written on them, the live scene."""

from __future__ import annotations

import numpy as np
import pytest
from scene_checks import artist_counts
import test_figures  # the checks shared by every scene (this directory is on the test path)

from dlmath.figures.graphs import (
    BOX_HEIGHT,
    CROSSING_LAYER_GAP,
    LAYER_GAP,
    ROW_GAP,
    ComputationGraphScene,
    draw_value_graph,
    graph_figsize,
    graph_layer_gap,
    graph_layers,
    graph_layout,
    j_graph,
    node_caption,
)
from dlmath.figures.style import new_figure
from dlmath.graph import Value, topological_order, value_dot
from dlmath.widgets.graphs import EXPLORERS, computational_graph_explorer


pytestmark = pytest.mark.filterwarnings("error")


def by_label(root: Value) -> dict[str, Value]:
    return {node.label.split("=")[0].strip(): node for node in topological_order(root)}


def neuron(fused: bool) -> Value:
    w1, w2, b = Value(0.5, label="w1"), Value(-1.0, label="w2"), Value(0.25, label="b")
    x1, x2 = Value(2.0, label="x1"), Value(1.5, label="x2")
    z = value_dot([w1, w2], [x1, x2], b) if fused else w1 * x1 + w2 * x2 + b
    return z.sigmoid()


def draw(root: Value, **kwargs):
    fig, axes = new_figure(7, 3.2)
    return fig, axes[0, 0], draw_value_graph(axes[0, 0], root, **kwargs)


# ---------------------------------------------------------------------------------------------- layout


def test_layers_of_the_textbook_graph():
    nodes = by_label(j_graph(5.0, 3.0, 2.0))
    layer_of = graph_layers(nodes["J"])
    layers = {name: layer_of[node] for name, node in nodes.items()}
    # Each input sits as close to the output as its use allows: p is used only by v, so it sits beside u.
    assert layers == {"q": 0, "r": 0, "p": 1, "u": 1, "v": 2, "J": 3}


@pytest.mark.parametrize("make", [lambda: j_graph(5.0, 3.0, 2.0), lambda: neuron(False), lambda: neuron(True),
                                  lambda: (lambda x: x * x + x * 3 + (x * x).tanh())(Value(0.3))],
                         ids=["J", "neuron", "fused neuron", "reuse"])
def test_layout_arrows_point_right_and_boxes_do_not_overlap(make):
    root = make()
    layout = graph_layout(root)
    assert list(layout) == topological_order(root) and layout[root][0] == max(x for x, _ in layout.values())
    for node in layout:
        for parent in node.parents:
            assert layout[parent][0] < layout[node][0]
    by_column: dict[float, list[float]] = {}
    for x, y in layout.values():
        by_column.setdefault(x, []).append(y)
    for ys in by_column.values():
        gaps = np.diff(sorted(ys))
        assert np.all(gaps >= ROW_GAP - 1e-12) and ROW_GAP > BOX_HEIGHT


def test_layout_centres_parents_on_the_node_they_feed():
    nodes = by_label(j_graph(1.0, 2.0, 3.0))
    layout = graph_layout(nodes["J"])
    y = {name: layout[node][1] for name, node in nodes.items()}
    assert y["v"] == y["J"] and y["p"] > y["u"]  # p is created first, so it is drawn above u
    assert (y["q"] + y["r"]) / 2 == pytest.approx(y["u"]) and y["q"] > y["r"]


def test_layout_of_a_long_chain_needs_no_recursion():
    x = Value(0.1)
    y = x
    for _ in range(3000):
        y = y * 1.0001
    layout = graph_layout(y)
    assert len(layout) == 3001 and {xy[1] for xy in layout.values()} == {0.0}


@pytest.mark.parametrize("gaps", [{"layer_gap": 0.0}, {"row_gap": -1.0}])
def test_layout_rejects_bad_gaps(gaps):
    with pytest.raises(ValueError, match="gap"):
        graph_layout(Value(1.0), **gaps)


def test_node_captions():
    x = Value(2.0)
    assert node_caption(Value(1.0, label="a")) == "a" and node_caption(Value(1.0)) == "input"
    assert [node_caption(v) for v in (x * x, x + 1, x**2, x.sigmoid(), x.relu(), abs(x), value_dot([x], [x]))] == [
        "×", "+", "( )^2", "σ", "ReLU", "|x|", "w·x + b"]


# ---------------------------------------------------------------------------------------------- drawing


def test_drawing_writes_values_gradients_and_local_derivatives():
    J = j_graph(5.0, 3.0, 2.0)
    J.backward()
    _, ax, drawing = draw(J)
    names = [node.label.split("=")[0].strip() for node in drawing.nodes]
    values = dict(zip(names, (t.get_text() for t in drawing.value_texts)))
    grads = dict(zip(names, (t.get_text() for t in drawing.grad_texts)))
    assert values == {"p": "5", "q": "3", "r": "2", "u": "6", "v": "11", "J": "33"}
    assert grads == {"p": "3", "q": "6", "r": "9", "u": "3", "v": "3", "J": "1"}
    locals_ = {(names[i], names[j]): t.get_text() for (i, j), t in zip(drawing.edges, drawing.local_texts)}
    assert locals_ == {("u", "q"): "×2", ("u", "r"): "×3", ("v", "p"): "×1", ("v", "u"): "×1", ("J", "v"): "×3"}
    assert not ax.axison  # a diagram: no axes to label; the figure legend explains the colours


def test_negative_numbers_use_a_true_minus_sign():
    J = j_graph(-5.0, -1.0, 2.0)
    J.backward()
    _, _, drawing = draw(J)
    assert "−5" in [t.get_text() for t in drawing.value_texts]
    assert "×(−1)" in [t.get_text() for t in drawing.local_texts]


def path_sum_graph() -> Value:
    """z = (x + y)(xy): the arrows x -> v and y -> u cross."""
    x, y = Value(2.0, label="x"), Value(3.0, label="y")
    u, v = x + y, x * y
    u.label, v.label = "u = x + y", "v = xy"
    z = u * v
    z.label = "z = uv"
    z.backward()
    return z


@pytest.mark.parametrize("layer_gap", [None, 3.0])
def test_numbers_of_crossing_arrows_sit_apart_beside_the_box_they_enter(layer_gap):
    root = path_sum_graph()
    fig, axes = new_figure(7, 3.2)
    drawing = draw_value_graph(axes[0, 0], root, layer_gap=layer_gap)
    gap = layer_gap or graph_layer_gap(root)
    centre = {node.label.split("=")[0].strip(): xy for node, xy in graph_layout(root, layer_gap=gap).items()}
    names = [node.label.split("=")[0].strip() for node in drawing.nodes]
    at = {(names[i], names[j]): t.get_position() for (i, j), t in zip(drawing.edges, drawing.local_texts)}
    level = {edge for edge, t in zip(at, drawing.local_texts) if t.get_va() == "bottom"}
    # the arrows that cross are written near their ends, two flat ones that do not cross halfway
    assert {("u", "x"), ("v", "y")} <= level and not {("v", "x"), ("u", "y")} & level
    for (child, parent), (x, _) in at.items():  # the others beside the box whose local derivative they are
        closer_to_child = abs(x - centre[child][0]) < abs(x - centre[parent][0])
        assert closer_to_child or (child, parent) in level
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = {edge: t.get_window_extent(renderer) for edge, t in zip(at, drawing.local_texts)}
    assert not boxes[("v", "x")].overlaps(boxes[("u", "y")])  # the crossing arrows' numbers stand apart
    assert not any(a.overlaps(b) for k, a in enumerate(boxes.values()) for b in list(boxes.values())[k + 1:])


def test_number_of_a_level_arrow_sits_above_it_halfway():
    J = j_graph(5.0, 3.0, 2.0)
    J.backward()
    _, _, drawing = draw(J)
    layout = graph_layout(J)
    names = [node.label.split("=")[0].strip() for node in drawing.nodes]
    (text,) = [t for (i, j), t in zip(drawing.edges, drawing.local_texts) if (names[i], names[j]) == ("J", "v")]
    (xv, yv), (xj, _) = layout[drawing.nodes[names.index("v")]], layout[J]
    x, y = text.get_position()
    assert x == pytest.approx((xv + xj) / 2, abs=0.05) and y > yv and text.get_va() == "bottom"


def test_layer_gap_widens_only_for_crossing_arrows():
    assert graph_layer_gap(path_sum_graph()) == CROSSING_LAYER_GAP > LAYER_GAP
    assert graph_layer_gap(j_graph(5.0, 3.0, 2.0)) == LAYER_GAP
    assert graph_layer_gap(neuron(False)) == graph_layer_gap(neuron(True)) == LAYER_GAP
    x, y = Value(2.0), Value(1.0)
    assert graph_layer_gap((x + y) * x) == LAYER_GAP  # x -> f arches over u: no crossing


def test_wider_layer_gap_gives_a_wider_drawing():
    root = neuron(False)
    narrow, wide = (graph_layout(root, layer_gap=g)[root][0] for g in (LAYER_GAP, 2.0))
    assert wide == pytest.approx(narrow * 2.0 / LAYER_GAP)
    assert graph_figsize(root, layer_gap=2.0)[1] < graph_figsize(root)[1]  # the same width holds more
    _, ax, _ = draw(root, layer_gap=2.0)
    assert ax.get_xlim()[1] > wide


def test_reused_node_gets_two_separate_arrows():
    x = Value(3.0, label="x")
    y = x * x
    y.backward()
    _, _, drawing = draw(y)
    assert drawing.edges == [(1, 0), (1, 0)]
    (xa, ya), (xb, yb) = (t.get_position() for t in drawing.local_texts)
    assert xa == pytest.approx(xb) and abs(ya - yb) > 0.25  # bowed apart, numbers do not overlap
    assert [t.get_text() for t in drawing.local_texts] == ["×3", "×3"] and drawing.grad_texts[0].get_text() == "6"


def test_show_rejects_a_graph_of_another_shape():
    J = j_graph(5.0, 3.0, 2.0)
    _, _, drawing = draw(J, numbers=False)
    assert all(t.get_text() == "" for t in drawing.number_texts)
    drawing.show(j_graph(1.0, 1.0, 1.0))  # same shape, other numbers: fine
    with pytest.raises(ValueError, match="same graph shape"):
        drawing.show(neuron(False))
    a, b = Value(1.0), Value(2.0)
    with pytest.raises(ValueError, match="same graph shape"):
        drawing.show(3 * (a + b * a))  # same operations, but the arrows go elsewhere


# ---------------------------------------------------------------------------------------------- scene


GRAPH_SCENES = {  # crowded: numbers so large that they overlap, so none may be pasted
    "graph": lambda: ComputationGraphScene(j_graph, p=5.0, q=3.0, r=2.0),
    "crowded graph": lambda: ComputationGraphScene(j_graph, fontsize=40.0, p=5.0, q=3.0, r=2.0),
}


@pytest.mark.parametrize("name", GRAPH_SCENES)
@pytest.mark.parametrize("check", ["test_blitted_picture_equals_full_redraw",
                                   "test_update_moves_artists_without_new_ones"])
def test_shared_scene_checks(check, name, monkeypatch):
    """The checks every scene passes (blitting equals a full redraw, ...), run on these."""
    settings = [{"p": -5.0, "q": 0.0, "r": -1.0}, {"p": 0.0, "q": 3.0, "r": 3.0}]
    monkeypatch.setitem(test_figures.SCENES, name, (GRAPH_SCENES[name], settings + settings))
    getattr(test_figures, check)(name)


def test_overlapping_numbers_are_drawn_not_pasted():
    scene = GRAPH_SCENES["crowded graph"]()
    scene.render_rgba()
    assert scene._patches == {}
    scene = GRAPH_SCENES["graph"]()
    scene.render_rgba()
    assert len(scene._patches) == len(scene.drawing.number_texts)


def test_pasted_numbers_equal_freshly_drawn_ones():
    scene = ComputationGraphScene(j_graph, p=5.0, q=3.0, r=2.0)
    states = [{"p": -5.0, "q": 0.0, "r": -1.0}, {"p": 0.0, "q": 3.0, "r": 3.0}]
    first = []
    for params in states:  # new strings: drawn by matplotlib, and their pixels kept
        scene.update(**params)
        first.append(scene.render_rgba().copy())
    kept = len(scene._patches)
    for params, picture in zip(states, first):  # the same strings again: pasted, nothing drawn
        scene.update(**params)
        assert np.array_equal(scene.render_rgba(), picture)
    assert len(scene._patches) == kept
    scene.MAX_PATCHES = 0  # a full cache is emptied, and the picture stays the same
    scene.update(**states[0])
    assert np.array_equal(scene.render_rgba(), first[0]) and len(scene._patches) <= len(scene.drawing.number_texts)


def test_update_rewrites_numbers_without_new_artists():
    scene = ComputationGraphScene(j_graph, p=5.0, q=3.0, r=2.0)
    counts = artist_counts(scene)
    first = scene.render_png()
    text = scene.update(p=5.0, q=3.0, r=2.0)
    assert "J = <b>33</b>" in text and "∂J/∂p = <b>3</b>" in text and "∂J/∂q = <b>6</b>" in text
    assert "∂J/∂r = <b>9</b>" in text and "nan" not in text and "gradient 0" not in text
    assert scene.render_png() == first
    text = scene.update(p=0.0, q=0.0, r=1.0)
    assert "∂J/∂r = <b>0</b>" in text and "— r alone cannot move J here" in text
    assert scene.render_png() != first
    assert artist_counts(scene) == counts


def test_readout_uses_a_true_minus_and_says_alone():
    scene = ComputationGraphScene(j_graph, p=5.0, q=3.0, r=2.0)
    text = scene.update(p=-5.0, q=-1.0, r=3.0)
    assert "J = <b>−24</b>" in text and "∂J/∂r = <b>−3</b>" in text and "<b>-" not in text
    # q = r = 0: each alone cannot move J, but moving both together can (J = 3(p + qr)).
    text = scene.update(p=0.0, q=0.0, r=0.0)
    assert text.endswith("— q alone, or r alone, cannot move J here</div>")


def test_legend_sits_outside_the_drawing():
    scene = ComputationGraphScene(j_graph, p=5.0, q=3.0, r=2.0)
    renderer = scene.figure.canvas.get_renderer()
    legend = scene.figure.legends[0].get_window_extent(renderer)
    assert legend.y0 >= scene.ax.get_window_extent(renderer).y1 - 1


def test_scene_refuses_a_build_whose_shape_changes():
    def build(t: float) -> Value:
        x = Value(t, label="x")
        return x * x if t > 0 else x.tanh()

    scene = ComputationGraphScene(build, t=1.0)
    with pytest.raises(ValueError, match="same graph shape"):
        scene.update(t=-1.0)


# ---------------------------------------------------------------------------------------------- explorer


def test_explorer_live_and_static():
    assert EXPLORERS == {"computational_graph_explorer": computational_graph_explorer}
    live = computational_graph_explorer(static=False)
    assert [s.description for s in live.sliders] == ["p", "q", "r"]
    assert list(live.sliders[0].options) == [("−5", -5.0), ("0", 0.0), ("5", 5.0)]  # a true minus sign
    assert "J = <b>33</b>" in live.readout.value
    for slider in live.sliders:
        before = bytes(live.image.value)
        slider.index = 0
        assert bytes(live.image.value) != before
    static = computational_graph_explorer(static=True)
    frames = list(static.frames.ravel())
    assert static.frames.shape == (3, 5, 5) and len(set(frames)) == len(frames)
    assert all("nan" not in r and "inf" not in r for r in static.readouts.ravel())
