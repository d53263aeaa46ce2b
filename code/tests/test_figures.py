"""The figure layer: scenes draw in place, and blitting gives exactly the picture a full draw gives."""

from __future__ import annotations

import numpy as np
import pytest

from scene_checks import artist_counts, blit_mismatch
from dlmath.data import cubic, cubic_slope, pig_sales, pig_sales_slope
from dlmath.figures import DifferenceErrorScene, SecantScene, TangentScene
from dlmath.figures.scene import readout
from dlmath.figures.style import encode_png

SCENES = {
    "secant": (lambda: SecantScene(pig_sales, pig_sales_slope, 3.0, (0.0, 8.0)), [{"h": 4.0}, {"h": -0.5}]),
    "kink": (lambda: SecantScene(np.abs, None, 0.0, (-2.0, 2.0), ylim=(-1.2, 2.1)), [{"h": 0.5}, {"h": -0.5}]),
    "tangent": (lambda: TangentScene(cubic, cubic_slope, (-2.6, 2.6)), [{"x0": -2.0, "dx": 1.0}, {"x0": 0.5, "dx": 0.1}]),
    "difference": (lambda: DifferenceErrorScene(np.exp, np.exp, 1.0), [{"h": 1e-1}, {"h": 1e-15}]),
}


pytestmark = pytest.mark.filterwarnings("error")


@pytest.mark.parametrize("name", SCENES)
def test_blitted_picture_equals_full_redraw(name):
    make, settings = SCENES[name]
    scene = make()
    for params in settings:
        scene.update(**params)
        assert blit_mismatch(scene) < 0.002


@pytest.mark.parametrize("name", SCENES)
def test_update_moves_artists_without_new_ones(name):
    make, settings = SCENES[name]
    scene = make()
    counts = artist_counts(scene)
    pictures = []
    for params in settings:
        text = scene.update(**params)
        assert text.startswith("<div") and "nan" not in text
        pictures.append(scene.render_png())
    assert artist_counts(scene) == counts  # updated, never re-plotted
    assert pictures[0] != pictures[1]


def test_every_axis_is_labelled():
    for make, _ in SCENES.values():
        for ax in make().figure.axes:
            assert ax.get_xlabel() and ax.get_ylabel()


def test_encode_png_compact_is_smaller_and_same_size():
    from io import BytesIO

    from PIL import Image

    scene = SCENES["secant"][0]()
    rgba = scene.render_rgba().copy()
    fast, compact = encode_png(rgba), encode_png(rgba, compact=True)
    assert len(compact) < len(fast)
    assert Image.open(BytesIO(compact)).size == Image.open(BytesIO(fast)).size == (rgba.shape[1], rgba.shape[0])


def test_readout_formats_pairs_and_note():
    html = readout(("h", "0.5"), ("slope", "23"), note="converged")
    assert "h = <b>0.5</b>" in html and "slope = <b>23</b>" in html and "converged" in html


def test_kink_scene_has_no_tangent_and_reports_each_side():
    scene = SCENES["kink"][0]()
    assert "tangent" not in " ".join(t.get_text() for t in scene.figure.legends[0].get_texts())
    right, left = scene.update(h=0.01), scene.update(h=-0.01)
    assert "secant slope = <b>1</b>" in right and "right of P" in right
    assert "secant slope = <b>-1</b>" in left and "left of P" in left and "tangent" not in left


def test_difference_scene_ticks_are_set_explicitly():
    scene = SCENES["difference"][0]()
    factor = DifferenceErrorScene.TICK_FACTOR
    for axis in (scene.ax.xaxis, scene.ax.yaxis):
        ticks = axis.get_majorticklocs()
        np.testing.assert_allclose(ticks[1:] / ticks[:-1], factor, rtol=1e-12)
        assert all(label.get_text().startswith("$10^{") for label in axis.get_majorticklabels())


@pytest.mark.parametrize("h", [-3.0, -1.0, 1.0, 4.0])
def test_secant_rise_label_stays_inside_the_axes(h):
    scene = SCENES["secant"][0]()
    scene.update(h=h)
    scene.figure.canvas.draw()
    label = scene.rise_label.get_window_extent()
    axes = scene.ax.get_window_extent()
    assert axes.x0 <= label.x0 and label.x1 <= axes.x1


def test_difference_readout_reports_an_exact_zero_error_as_zero():
    # A straight line: both differences are exact (error 0.0), drawn on the floor of the log axis.
    scene = DifferenceErrorScene(lambda x: 2 * x, lambda x: 2 + 0 * x, 1.0)
    html = scene.update(h=0.5)
    assert "error 0.0e+00" in html
    assert scene.forward_dot.get_ydata()[0] == DifferenceErrorScene.FLOOR
