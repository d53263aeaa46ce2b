"""The Chapter 2 scenes: blitting gives the picture a full redraw gives (also in 3-D), updates move
artists without creating new ones, every axis is labelled, and the readouts say the right things."""

from __future__ import annotations

import numpy as np
import pytest
import test_figures as chapter1  # the scene checks shared by every chapter's figures
from matplotlib.colors import to_rgb

from dlmath.figures.partials import HEIGHT_CMAP, LinearApproximationScene, SurfaceSliceScene, compass
from dlmath.surfaces import BOWL, HILL, SADDLE

# Every test runs with warnings as errors.
pytestmark = pytest.mark.filterwarnings("error")

SCENES = {
    "bowl": (lambda: SurfaceSliceScene(BOWL), [{"x": 1.5, "y": -0.75}, {"x": 0.0, "y": 0.0}]),
    "saddle": (lambda: SurfaceSliceScene(SADDLE), [{"x": 0.0, "y": 0.0}, {"x": -1.5, "y": 1.5}]),
    "linear": (lambda: LinearApproximationScene(HILL, (1.0, -0.5)), [{"step": 1.0, "angle": 45.0}, {"step": 0.001, "angle": 270.0}]),
}


# The two generic scene checks of Chapter 1's figure tests, run on this chapter's scenes.
@pytest.mark.parametrize("name", SCENES)
@pytest.mark.parametrize(
    "check", [chapter1.test_blitted_picture_equals_full_redraw, chapter1.test_update_moves_artists_without_new_ones]
)
def test_generic_scene_checks(name, check, monkeypatch):
    monkeypatch.setitem(chapter1.SCENES, name, SCENES[name])
    check(name)


def test_readouts_have_no_nan_or_inf():
    for make, settings in SCENES.values():
        scene = make()
        for params in settings:
            text = scene.update(**params)
            assert "nan" not in text and "inf" not in text


def test_every_axis_is_labelled():
    for make, _ in SCENES.values():
        for ax in make().figure.axes:
            assert ax.get_xlabel() and ax.get_ylabel()
            if hasattr(ax, "get_zlabel"):
                assert ax.get_zlabel()


def test_maps_have_equal_scales_so_right_angles_look_right():
    for make, _ in SCENES.values():
        maps = [ax for ax in make().figure.axes if ax.get_xlabel() == "x (east)" and not hasattr(ax, "get_zlabel")]
        assert len(maps) == 1 and maps[0].get_aspect() == 1.0


def test_slice_scene_arrows_are_the_two_partials_and_their_sum():
    scene = SurfaceSliceScene(BOWL)
    scene.update(x=0.75, y=-1.5)
    fx, fy = BOWL.gradient(np.array([0.75, -1.5]))
    assert np.allclose(scene.arrows.U, [fx, 0.0, fx]) and np.allclose(scene.arrows.V, [0.0, fy, fy])
    assert np.allclose(scene.arrows.get_offsets(), [[0.75, -1.5]] * 3)


def test_slice_scene_contour_line_passes_through_the_point_at_a_right_angle():
    scene = SurfaceSliceScene(SADDLE)
    scene.update(x=0.75, y=0.75 / 2)
    xs, ys = (np.asarray(v, dtype=float) for v in scene.level.get_data())
    line = np.stack([xs, ys], axis=-1)
    line = line[np.all(np.isfinite(line), axis=1)]
    nearest = np.argmin(np.linalg.norm(line - [0.75, 0.375], axis=1))
    assert np.linalg.norm(line[nearest] - [0.75, 0.375]) < 0.02
    along = line[min(nearest + 1, len(line) - 1)] - line[max(nearest - 1, 0)]
    grad = SADDLE.gradient(np.array([0.75, 0.375]))
    assert abs(along @ grad) / (np.linalg.norm(along) * np.linalg.norm(grad)) < 0.05


def test_slice_scene_readout_in_plain_words():
    scene = SurfaceSliceScene(SADDLE)
    assert "gradient is zero" in scene.update(x=0.0, y=0.0)
    text = scene.update(x=0.75, y=0.75)
    assert "walking east goes uphill" in text and "walking north goes downhill" in text
    assert "-0.000" not in SurfaceSliceScene(BOWL).update(x=0.0, y=-0.0)
    # The bottom of the bowl: the contour line through the point shrinks to nothing, and nothing breaks.
    scene = SurfaceSliceScene(BOWL)
    scene.update(x=0.0, y=0.0)
    xs, ys = (np.asarray(v, dtype=float) for v in scene.level.get_data())
    assert np.all(np.abs(xs) < 0.05) and np.all(np.abs(ys) < 0.05)


def test_linear_scene_readout_shows_error_over_square_of_step_settling():
    scene = LinearApproximationScene(HILL, (1.0, -0.5))
    ratios = []
    for step in (0.1, 0.01, 0.001):
        text = scene.update(step=step, angle=0.0)
        ratios.append(float(text.split("error/|Δ|² = <b>")[1].split("<")[0]))
    limit = 0.5 * HILL.hessian(np.array([1.0, -0.5]))[0, 0]
    assert abs(ratios[-1] - abs(limit)) < 2e-3 and abs(ratios[-2] - ratios[-1]) < 0.01


def _readout_number(text: str, label: str) -> float:
    return float(text.split(f"{label} = <b>")[1].split("<")[0])


def test_linear_scene_readout_shows_the_error_even_for_the_shortest_step():
    # At |Δ| = 0.001 the true change and ∇f·Δ differ by about 2e-7: both must be printed with digits
    # enough that their difference is the error the readout states.
    scene = LinearApproximationScene(HILL, (1.0, -0.5))
    text = scene.update(step=0.001, angle=0.0)
    true, approx, error = (_readout_number(text, label) for label in ("true Δz", "∇f·Δ", "error"))
    assert true != approx
    assert abs(abs(true - approx) - error) < 0.01 * error


@pytest.mark.parametrize("step", [0.001, 1.0])
def test_linear_scene_error_dot_is_drawn_whole(step):
    scene = LinearApproximationScene(HILL, (1.0, -0.5))
    scene.update(step=step, angle=0.0)
    ax = scene.error_dot.axes
    x = scene.error_dot.get_xdata()[0]
    left, right = ax.get_xlim()
    # At least the dot's radius (in log decades) between it and either edge of the panel.
    decades = np.log10(right) - np.log10(left)
    radius = scene.error_dot.get_markersize() / 2 / 72 * scene.figure.dpi / ax.bbox.width * decades
    assert np.log10(x) - np.log10(left) > radius and np.log10(right) - np.log10(x) > radius


def test_figures_name_the_point_as_the_text_does_and_give_the_arrow_scale():
    scene = LinearApproximationScene(HILL, (1.0, -0.5))
    texts = [t.get_text() for t in scene.figure.axes[0].texts]
    assert texts == ["P"] and scene.figure.axes[0].get_title().endswith("from P")
    assert "1/5 scale" in SurfaceSliceScene(BOWL, arrow_scale=5.0).ax.get_title()


def test_lowest_height_band_is_not_white():
    # A white lowest band on a 3-D surface looks like a hole in front of the white page.
    assert min(to_rgb(HEIGHT_CMAP(0.0))) < 0.95


@pytest.mark.parametrize(("degrees", "name"), [(0, "east"), (90, "north"), (135, "north-west"), (225, "south-west"), (360, "east"), (-45, "south-east")])
def test_compass(degrees, name):
    assert compass(degrees) == name
