"""The one piece of machinery behind every explorer: sliders that move a figure, live or static.

An explorer joins a **scene** (a figure-layer object with a ``figure`` and an ``update(**params)``
method that changes its artists in place) to one or more sliders.

* **Live mode** (a kernel is running): moving a slider calls ``scene.update`` and re-renders the
  figure into an :class:`ipywidgets.Image`.
* **Static mode** (the book is being built; no kernel will exist behind the page): every slider
  position is rendered once, ahead of time, into Images laid in nested :class:`ipywidgets.Stack`
  widgets. The slider's ``index`` is ``jslink``-ed to each Stack's ``selected_index``; ``jslink`` runs
  in the browser, so the slider switches frames in the published page without a server.

Both modes draw with the same scene, so the two faces show the same pictures. The mode follows the
environment variable ``DLMATH_STATIC``, which the book build sets (see :mod:`dlmath.sphinxext`).
"""

from __future__ import annotations

import itertools
import os
from dataclasses import dataclass
from typing import Any, Callable, Protocol, Sequence

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from ..figures.style import render_png

__all__ = ["Explorer", "Scene", "Slider", "explorer", "static_mode"]

STATIC_ENV = "DLMATH_STATIC"


class Scene(Protocol):
    """What an explorer drives: a figure and a method that updates its artists in place."""

    figure: Figure

    def update(self, **params: Any) -> None: ...


@dataclass(frozen=True)
class Slider:
    """A slider over a fixed list of values (the same positions in live and static mode).

    Parameters
    ----------
    name : the keyword passed to ``scene.update``.
    label : what the reader sees beside the slider (may contain Unicode, e.g. "η").
    values : the positions, in order; a static page pre-renders one frame per value.
    initial : the starting value (must be one of ``values``); defaults to the middle one.
    fmt : how a value is written on the slider.
    """

    name: str
    label: str
    values: Sequence[float]
    initial: float | None = None
    fmt: str = "{:g}"

    def __post_init__(self) -> None:
        if len(self.values) < 2:
            raise ValueError(f"values of slider {self.name!r} must hold at least two positions")
        if self.initial is not None and self.initial not in list(self.values):
            raise ValueError(f"initial of slider {self.name!r} must be one of its values, got {self.initial!r}")

    @property
    def initial_index(self) -> int:
        if self.initial is None:
            return (len(self.values) - 1) // 2
        return list(self.values).index(self.initial)

    def make_widget(self) -> widgets.SelectionSlider:
        options = [(self.fmt.format(v), v) for v in self.values]
        return widgets.SelectionSlider(
            options=options,
            index=self.initial_index,
            description=self.label,
            continuous_update=True,
            readout=True,
            layout=widgets.Layout(width="min(100%, 520px)"),
            style={"description_width": "initial"},
        )


def static_mode() -> bool:
    """True while the book is being built (pre-render frames), False in a live kernel."""
    return os.environ.get(STATIC_ENV, "") not in ("", "0")


class Explorer(widgets.VBox):
    """The container an explorer factory returns: sliders above a picture.

    Besides being displayable it keeps handles that tests and benchmarks use: ``sliders`` (the
    slider widgets, in order), ``scene``, ``static`` (which mode), ``image`` (live mode: the Image
    that is redrawn), ``frames`` (static mode: an array of pre-rendered PNG bytes, one per combination
    of slider positions) and ``links`` (static mode: the jslinks from sliders to Stacks).
    """

    scene: Any
    sliders: list[widgets.SelectionSlider]
    static: bool
    image: widgets.Image | None
    frames: Any
    links: list[widgets.Link]
    render_count: int


def _image(png: bytes, width_px: int) -> widgets.Image:
    return widgets.Image(
        value=png, format="png", layout=widgets.Layout(width=f"{width_px}px", max_width="100%", height="auto")
    )


def explorer(scene: Scene, sliders: Sequence[Slider], *, static: bool | None = None) -> Explorer:
    """Wire ``sliders`` to ``scene`` and return the displayable :class:`Explorer`.

    Parameters
    ----------
    scene : a figure-layer object with ``figure`` and ``update(**params)``.
    sliders : one or more :class:`Slider`; their ``name`` s are ``update``'s keywords.
    static : force a mode; by default :func:`static_mode` decides.
    """
    if not sliders:
        raise ValueError("sliders must hold at least one Slider")
    names = [s.name for s in sliders]
    if len(set(names)) != len(names):
        raise ValueError(f"sliders must have distinct names, got {names}")
    if static is None:
        static = static_mode()
    width_px = int(round(scene.figure.get_figwidth() * scene.figure.dpi))
    slider_widgets = [s.make_widget() for s in sliders]

    def params_at(indices: Sequence[int]) -> dict[str, float]:
        return {s.name: s.values[i] for s, i in zip(sliders, indices)}

    box = Explorer()
    box.scene, box.sliders, box.static, box.image, box.frames = scene, slider_widgets, static, None, None
    box.render_count, box.links = 0, []
    if static:
        view = _static_view(scene, sliders, slider_widgets, params_at, width_px, box)
    else:
        scene.update(**params_at([s.initial_index for s in sliders]))
        box.image = _image(render_png(scene.figure), width_px)

        def redraw(_change: dict | None = None) -> None:
            scene.update(**params_at([w.index for w in slider_widgets]))
            box.image.value = render_png(scene.figure)
            box.render_count += 1

        for w in slider_widgets:
            w.observe(redraw, names="index")
        view = box.image
    box.children = [*slider_widgets, view]
    return box


def _static_view(
    scene: Scene,
    sliders: Sequence[Slider],
    slider_widgets: list[widgets.SelectionSlider],
    params_at: Callable[[Sequence[int]], dict[str, float]],
    width_px: int,
    box: Explorer,
) -> widgets.Widget:
    """Render every combination of slider positions and nest them in Stacks linked to the sliders."""
    shape = [len(s.values) for s in sliders]
    frames = np.empty(shape, dtype=object)
    for indices in itertools.product(*(range(n) for n in shape)):
        scene.update(**params_at(indices))
        frames[indices] = render_png(scene.figure, compact=True)
    box.frames = frames

    def nest(level: int, prefix: tuple[int, ...]) -> widgets.Widget:
        if level == len(sliders):
            return _image(frames[prefix], width_px)
        stack = widgets.Stack(
            [nest(level + 1, prefix + (i,)) for i in range(shape[level])],
            selected_index=prefix_initial[level],
        )
        # jslink works in the browser: this is what makes the slider move the picture with no kernel.
        box.links.append(widgets.jslink((slider_widgets[level], "index"), (stack, "selected_index")))
        return stack

    prefix_initial = [s.initial_index for s in sliders]
    return nest(0, ())
