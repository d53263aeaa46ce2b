"""The explorer machinery: live redraws, static frames in nested jslinked Stacks, bad input."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
import pytest

from dlmath.figures.scene import Scene, readout
from dlmath.figures.style import new_figure
from dlmath.widgets.explorer import STATIC_ENV, Slider, explorer, static_mode


class Dot(Scene):
    """A dot at (a, b): the smallest scene with two parameters."""

    def __init__(self) -> None:
        self.figure, axes = new_figure(3, 2)
        ax = axes[0, 0]
        ax.set(xlim=(-1, 3), ylim=(-1, 3), xlabel="a", ylabel="b")
        (self.dot,) = ax.plot([], [], "o")
        self.freeze([self.dot])
        self.calls = 0

    def update(self, a: float, b: float = 0.0) -> str:
        self.calls += 1
        self.dot.set_data([a], [b])
        return readout(("a", f"{a:g}"), ("b", f"{b:g}"))


A = Slider("a", "a", (0.0, 1.0, 2.0))
B = Slider("b", "b", (0.0, 2.0), initial=2.0)


def test_live_mode_redraws_on_change():
    box = explorer(Dot, [A, B], static=False)
    assert box.sliders[0].index == 1 and box.sliders[1].index == 1  # middle, and the given initial
    first = bytes(box.image.value)
    box.sliders[0].index = 2
    assert box.render_count == 1 and bytes(box.image.value) != first
    assert "a = <b>2</b>" in box.readout.value and "b = <b>2</b>" in box.readout.value


def test_static_mode_renders_every_combination_in_nested_linked_stacks():
    box = explorer(Dot, [A, B], static=True)
    assert box.frames.shape == (3, 2) and box.scene.calls == 6
    outer = box.children[-1]
    assert isinstance(outer, widgets.Stack) and len(outer.children) == 3 and outer.selected_index == 1
    inner = outer.children[0]
    assert isinstance(inner, widgets.Stack) and len(inner.children) == 2 and inner.selected_index == 1
    # slider a drives the outer Stack; slider b drives each of the 3 inner Stacks
    assert len(box.links) == 1 + 3
    sources = [link.source[0] for link in box.links]
    assert sources.count(box.sliders[0]) == 1 and sources.count(box.sliders[1]) == 3
    frame = inner.children[1]
    assert isinstance(frame, widgets.VBox) and "b = <b>2</b>" in frame.children[0].value
    assert frame.children[1].value == box.frames[0, 1]


def test_mode_follows_the_environment(monkeypatch):
    monkeypatch.setenv(STATIC_ENV, "1")
    assert static_mode() and explorer(Dot, [A]).static
    monkeypatch.setenv(STATIC_ENV, "0")
    assert not static_mode()
    monkeypatch.delenv(STATIC_ENV)
    assert not explorer(Dot, [A]).static


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda: Slider("a", "a", (1.0,)), "at least two"),
        (lambda: Slider("a", "a", (1.0, 2.0), initial=3.0), "initial"),
        (lambda: explorer(Dot, [], static=False), "sliders"),
        (lambda: explorer(Dot, [A, A], static=False), "distinct"),
    ],
)
def test_bad_input_raises_value_error(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_slider_shows_values_not_positions():
    w = Slider("h", "step h", (1e-1, 1e-2), fmt="{:.0e}").make_widget()
    assert [label for label, _ in w.options] == ["1e-01", "1e-02"]
    assert np.isclose(w.value, 1e-1)


def test_slider_labels_replace_the_format():
    w = Slider("lr", "η", (0.1, 0.5), labels=("0.1 · creeps", "0.5 · bounces")).make_widget()
    assert [label for label, _ in w.options] == ["0.1 · creeps", "0.5 · bounces"]
    assert w.value == 0.1
    with pytest.raises(ValueError, match="labels"):
        Slider("lr", "η", (0.1, 0.5), labels=("only one",))
    with pytest.raises(ValueError, match="labels"):
        Slider("lr", "η", (0.1, 0.5), labels=("same", "same"))
