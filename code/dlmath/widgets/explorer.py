"""The one piece of machinery behind every explorer: sliders that move a figure, live or static.

An explorer joins a **scene** (a :class:`dlmath.figures.scene.Scene`: a figure, an ``update(**params)``
that changes its moving artists in place, and a fast ``render_png``) to one or more sliders.

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
from typing import Callable, Sequence

import ipywidgets as widgets
from ipywidgets.widgets.widget_string import HTMLStyle  # not exported at the top level
import numpy as np

from ..figures.scene import Scene


__all__ = ["Explorer", "Slider", "explorer", "static_mode"]

STATIC_ENV = "DLMATH_STATIC"


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
    labels : what is written for each value instead (e.g. ``"0.45 · oscillates"``), one per value.
    """

    name: str
    label: str
    values: Sequence[float]
    initial: float | None = None
    fmt: str = "{:g}"
    labels: Sequence[str] | None = None

    def __post_init__(self) -> None:
        if len(self.values) < 2:
            raise ValueError(f"values of slider {self.name!r} must hold at least two positions")
        if self.initial is not None and self.initial not in list(self.values):
            raise ValueError(f"initial of slider {self.name!r} must be one of its values, got {self.initial!r}")
        if self.labels is not None and (len(self.labels) != len(self.values) or len(set(self.labels)) != len(self.labels)):
            raise ValueError(f"labels of slider {self.name!r} must be distinct, one for each of its {len(self.values)} values")

    @property
    def initial_index(self) -> int:
        if self.initial is None:
            return (len(self.values) - 1) // 2
        return list(self.values).index(self.initial)

    def make_widget(self) -> widgets.SelectionSlider:
        labels = self.labels if self.labels is not None else [self.fmt.format(v) for v in self.values]
        options = list(zip(labels, self.values))
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
    """The container an explorer factory returns: sliders, a line of numbers, and the picture.

    Besides being displayable it keeps handles that tests and benchmarks use:

    - ``slider_specs`` (the :class:`Slider` s) and ``sliders`` (their widgets, in order);
    - ``scene`` and the ``make_scene`` that built it; ``static`` (which mode);
    - live mode: ``image`` and ``readout``, the widgets redrawn on every change;
    - static mode: ``frames`` and ``readouts``, arrays (one axis per slider) of the pre-rendered
      PNG bytes and readout HTML, and ``links``, the jslinks from sliders to Stacks.
    """

    make_scene: Callable[[], Scene]
    scene: Scene
    slider_specs: list[Slider]
    sliders: list[widgets.SelectionSlider]
    static: bool
    image: widgets.Image | None
    readout: widgets.HTML | None
    frames: np.ndarray | None
    readouts: np.ndarray | None
    links: list[widgets.Link]
    render_count: int


def explorer(make_scene: Callable[[], Scene], sliders: Sequence[Slider], *, static: bool | None = None) -> Explorer:
    """Build the scene with ``make_scene()``, wire ``sliders`` to it, return the :class:`Explorer`.

    Parameters
    ----------
    make_scene : builds the :class:`~dlmath.figures.scene.Scene`. The explorer calls it once; it is
        kept (``Explorer.make_scene``) so that the benchmark can compare updating in place with
        rebuilding the figure from scratch.
    sliders : one or more :class:`Slider`; their ``name`` s are ``update``'s keywords.
    static : force a mode; by default :func:`static_mode` decides.
    """
    if not sliders:
        raise ValueError("sliders must hold at least one Slider")
    names = [s.name for s in sliders]
    if len(set(names)) != len(names):
        raise ValueError(f"sliders must have distinct names, got {names}")
    box = Explorer()
    box.static = static_mode() if static is None else static
    box.make_scene = make_scene
    box.scene = scene = make_scene()
    box.slider_specs, box.sliders = list(sliders), [s.make_widget() for s in sliders]
    box.image = box.readout = box.frames = box.readouts = None
    box.links, box.render_count = [], 0
    # One Layout shared by every picture: fewer widget models in the page.
    picture_layout = widgets.Layout(
        width=f"{round(scene.figure.get_figwidth() * scene.figure.dpi)}px", max_width="100%", height="auto"
    )

    def params_at(indices: Sequence[int]) -> dict[str, float]:
        return {s.name: s.values[i] for s, i in zip(sliders, indices)}

    if box.static:
        view = _static_view(box, params_at, picture_layout)
    else:
        text = scene.update(**params_at([w.index for w in box.sliders]))
        box.readout = widgets.HTML(text)
        box.image = widgets.Image(value=scene.render_png(), format="png", layout=picture_layout)

        def redraw(_change: dict | None = None) -> None:
            box.readout.value = scene.update(**params_at([w.index for w in box.sliders]))
            box.image.value = scene.render_png()
            box.render_count += 1

        for w in box.sliders:
            w.observe(redraw, names="index")
        view = widgets.VBox([box.readout, box.image])
    box.children = [*box.sliders, view]
    return box


def _static_view(box: Explorer, params_at: Callable[[Sequence[int]], dict[str, float]], layout: widgets.Layout) -> widgets.Widget:
    """Render every combination of slider positions and nest them in Stacks linked to the sliders."""
    specs, scene = box.slider_specs, box.scene
    shape = tuple(len(s.values) for s in specs)
    box.frames, box.readouts = np.empty(shape, dtype=object), np.empty(shape, dtype=object)
    for indices in itertools.product(*(range(n) for n in shape)):
        box.readouts[indices] = scene.update(**params_at(indices))
        box.frames[indices] = scene.render_png(compact=True)

    # Every widget model, its Layout and Style included, is stored in the page: one shared Layout
    # (and Style) for all frames instead of one each keeps a page with ~100 frames ~200 KB lighter.
    plain, html_style = widgets.Layout(), HTMLStyle()

    def nest(level: int, prefix: tuple[int, ...]) -> widgets.Widget:
        if level == len(specs):
            readout = widgets.HTML(box.readouts[prefix], layout=plain, style=html_style)
            picture = widgets.Image(value=box.frames[prefix], format="png", layout=layout)
            return widgets.VBox([readout, picture], layout=plain)
        stack = widgets.Stack(
            [nest(level + 1, prefix + (i,)) for i in range(shape[level])],
            selected_index=specs[level].initial_index,
            layout=plain,
        )
        # jslink works in the browser: this is what makes the slider move the picture with no kernel.
        box.links.append(widgets.jslink((box.sliders[level], "index"), (stack, "selected_index")))
        return stack

    return nest(0, ())
