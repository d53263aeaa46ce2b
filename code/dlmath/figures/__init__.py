"""The figure layer: scenes built once and updated in place, in one style."""

from .derivatives import DifferenceErrorScene, SecantScene, TangentScene
from .scene import Scene
from .style import COLORS, book_style, new_figure, render_png

__all__ = ["COLORS", "DifferenceErrorScene", "Scene", "SecantScene", "TangentScene", "book_style", "new_figure", "render_png"]
