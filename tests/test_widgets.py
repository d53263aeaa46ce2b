"""Layer 3: every explorer, live and static, at every slider's min, max and interior positions."""

from __future__ import annotations

import re
import warnings

import ipywidgets as widgets
import numpy as np
import pytest

from dlmath.widgets import EXPLORERS

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
#: How Python prints a number that is not one ("nan", "inf", "-inf"), as a whole word: "malignant" and
#: "infinite" are words, not failures.
NOT_A_NUMBER = re.compile(r"\b(nan|inf)\b", re.IGNORECASE)


def sweep_positions(n: int) -> list[int]:
    """Min, max and three interior positions (fewer when the slider is short)."""
    interior = np.linspace(0, n - 1, 5).round().astype(int)[1:-1]
    return sorted({0, n - 1, *interior.tolist()})


@pytest.fixture(autouse=True)
def warnings_are_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


@pytest.mark.parametrize("name", EXPLORERS)
def test_live_sweep(name):
    box = EXPLORERS[name](static=False)
    assert not box.static and bytes(box.image.value).startswith(PNG_MAGIC)
    for k, slider in enumerate(box.sliders):
        for index in sweep_positions(len(slider.options)):
            before = box.render_count
            slider.index = index
            # Setting the index it already has triggers no redraw; anything else redraws once.
            assert box.render_count in (before, before + 1)
            assert bytes(box.image.value).startswith(PNG_MAGIC)
        # Both ends of every slider must give different pictures and numbers (the slider does something).
        slider.index = 0
        first, first_text = bytes(box.image.value), box.readout.value
        slider.index = len(slider.options) - 1
        assert bytes(box.image.value) != first, f"slider {k} of {name} does not change the picture"
        assert box.readout.value != first_text, f"slider {k} of {name} does not change the readout"
        assert not NOT_A_NUMBER.search(box.readout.value), f"{name} reads {box.readout.value!r}"


@pytest.mark.parametrize("name", EXPLORERS)
def test_static_frames(name):
    box = EXPLORERS[name](static=True)
    shape = tuple(len(s.options) for s in box.sliders)
    assert box.static and box.frames.shape == shape and box.readouts.shape == shape
    assert not [text for text in box.readouts.ravel() if NOT_A_NUMBER.search(text)]
    frames = list(box.frames.ravel())
    assert all(f.startswith(PNG_MAGIC) for f in frames)
    assert len(set(frames)) == len(frames), "two slider positions render the same frame"
    # The outermost view is a Stack with one child per position of the first slider, linked to it.
    view = box.children[-1]
    assert isinstance(view, widgets.Stack) and len(view.children) == shape[0]
    assert view.selected_index == box.sliders[0].index
    # Every Stack is jslinked to its slider: one link for the outer Stack, one per inner Stack, ...
    expected_links = sum(int(np.prod(shape[:level])) for level in range(len(shape)))
    assert len(box.links) == expected_links
    outer = [link for link in box.links if link.target == (view, "selected_index")]
    assert len(outer) == 1 and outer[0].source == (box.sliders[0], "index")


@pytest.mark.parametrize("name", EXPLORERS)
def test_static_frames_match_live_pictures(name):
    """Static frames are the live pictures, compressed: same size, close colours."""
    from io import BytesIO

    from PIL import Image

    live, static = EXPLORERS[name](static=False), EXPLORERS[name](static=True)
    for slider in live.sliders:
        slider.index = len(slider.options) - 1
    index = tuple(len(s.options) - 1 for s in static.sliders)
    a = np.asarray(Image.open(BytesIO(bytes(live.image.value))).convert("RGB"), dtype=float)
    b = np.asarray(Image.open(BytesIO(static.frames[index])).convert("RGB"), dtype=float)
    assert a.shape == b.shape
    assert np.mean(np.abs(a - b)) < 3.0
