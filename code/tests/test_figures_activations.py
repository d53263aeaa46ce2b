"""Chapter 8's figures and explorers: in-place updates, exact blitting, honest axes and readouts."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from scene_checks import artist_counts, blit_mismatch, clean_readout
from dlmath.figures.activations import GradientSizeScene, LeakyReluScene, NeuronScene, activation_gallery
from dlmath.nn import gradient_sizes
from dlmath.widgets import activations as widgets_activations

SCENES = {
    "neuron": (
        NeuronScene,
        [{"activation": "sigmoid", "w": 20.0, "b": 2.0}, {"activation": "relu", "w": 0.5, "b": -2.0},
         {"activation": "hard_sigmoid", "w": -1.0, "b": 0.5}, {"activation": "softplus", "w": 3.0, "b": 30.0}],
    ),
    "leaky": (LeakyReluScene, [{"alpha": 0.0}, {"alpha": 0.3}, {"alpha": 1.0}]),
    "gradient sizes": (
        GradientSizeScene,
        [{"depth": 20, "scale": 0.5, "activation": "sigmoid"}, {"depth": 1, "scale": 2.0, "activation": "relu"},
         {"depth": 7, "scale": 1.0, "activation": "tanh"}],
    ),
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
        assert clean_readout(text)
        pictures.append(scene.render_png())
    assert artist_counts(scene) == counts
    assert len(set(pictures)) == len(pictures)


def test_every_axis_is_labelled():
    for make, _ in SCENES.values():
        for ax in make().figure.axes:
            assert ax.get_xlabel() and ax.get_ylabel()


def test_neuron_switch_point_and_steepest_slope():
    scene = NeuronScene()
    text = scene.update("sigmoid", 20.0, 2.0)
    assert scene.switch[0].get_xdata()[0] == pytest.approx(-0.1)
    assert "−0.1" in text and "<b>5</b>" in text  # w max σ' = 20/4
    # the switch point leaves the picture: the marker hides, the readout says so
    text = scene.update("relu", 0.5, -4.0)
    assert not scene.switch[0].get_visible() and "outside the picture" in text


def test_neuron_output_is_the_activation_of_wx_plus_b():
    from dlmath.activations import tanh, tanh_grad

    scene = NeuronScene()
    scene.update("tanh", 2.0, -1.0)
    x, y = scene.curve.get_data()
    np.testing.assert_array_equal(y, tanh(2.0 * x - 1.0))
    np.testing.assert_array_equal(scene.slope.get_ydata(), tanh_grad(2.0 * x - 1.0))


def test_gradient_bars_show_the_measured_sizes():
    scene = GradientSizeScene()
    scene.update(5, 1.0, "sigmoid")
    sizes = gradient_sizes(5, "sigmoid", 1.0).sizes
    shown = [bar for bar in scene.bars if bar.get_visible()]
    assert len(shown) == 5
    for bar, size in zip(shown, sizes):  # each bar runs from 1 to the size (down: it shrank)
        assert sorted([bar.get_y(), bar.get_y() + bar.get_height()]) == pytest.approx(sorted([1.0, size]), rel=1e-12)


def test_every_explorer_setting_fits_the_gradient_axis():
    """The axis is fixed (the still background is cached), so every slider setting must fit in it."""
    lo, hi = GradientSizeScene.YLIM
    for depth, gain, name in itertools.product(
        widgets_activations.DEPTHS, widgets_activations.GAINS, widgets_activations.GRADIENT_ACTIVATIONS
    ):
        sizes = gradient_sizes(depth, name, gain).sizes
        assert np.all((sizes > lo) & (sizes < hi)), (depth, gain, name)


def test_gain_labels_name_the_standard_deviation():
    for gain, label in zip(widgets_activations.GAINS, widgets_activations.GAIN_LABELS):
        std = gain / np.sqrt(30)
        assert label.split(" · ")[0] == f"{std:.2g}"


def test_leaky_readout_in_words():
    scene = LeakyReluScene()
    assert "no bend" in scene.update(1.0)
    assert "plain ReLU" in scene.update(0.0)


def test_gallery():
    fig = activation_gallery()
    axes = fig.axes
    assert len(axes) == 6 and all(ax.get_title() for ax in axes)
    assert all(ax.get_xlabel() for ax in axes[3:]) and axes[0].get_ylabel()
    fig.canvas.draw()


@pytest.mark.parametrize(
    "setting, word",
    [((10, 1.0, "sigmoid"), "vanishing"), ((20, float(np.sqrt(2.0)), "relu"), "about level"), ((20, 2.0, "relu"), "exploding")],
)
def test_gradient_readout_names_what_happens(setting, word):
    assert word in GradientSizeScene().update(*setting)


def test_switch_point_has_no_negative_zero():
    assert "−0 " not in NeuronScene().update("relu", 1.0, 0.0)


def test_stamped_title_is_pixel_identical_to_drawn_text():
    """The gradient explorer pastes its title's cached pixels; they must equal drawing the text itself,
    on a first visit and on a return to a setting whose pixels are cached."""
    scene = GradientSizeScene()
    template = scene.title.text
    for setting in [(20, 2.0, "relu"), (1, 0.5, "tanh"), (10, 1.0, "sigmoid"), (20, 2.0, "relu")]:
        scene.update(*setting)
        stamped = scene.render_rgba().copy()
        assert template.get_text().startswith(("ReLU", "tanh", "sigmoid"))
        template.set_visible(True)
        template.set_animated(True)
        scene.figure.canvas.restore_region(scene._still)
        for artist in scene._moving:
            scene.figure.draw_artist(template if artist is scene.title.image else artist)
        drawn = np.asarray(scene.figure.canvas.buffer_rgba()).copy()
        template.set_visible(False)
        np.testing.assert_array_equal(stamped, drawn)
    assert len(scene.title._pixels) == 3
