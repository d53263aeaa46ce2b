"""Figures for Chapter 2 (partial derivatives). Each scene is built once; ``update`` moves its artists.

Both scenes draw a surface :math:`z = f(x, y)` as a map of contour lines (a hiker's map); the first
also draws it in 3-D. A 3-D view is expensive to draw, so its camera stays fixed: the surface is part
of the cached still picture and only the slice curves, tangents and the point are projected and drawn
on each update.
"""

from __future__ import annotations

import contourpy
import numpy as np
from matplotlib.colors import BoundaryNorm, LinearSegmentedColormap
from matplotlib.lines import Line2D

from ..surfaces import Surface, linear_approximation_error
from .scene import Scene, readout
from .style import COLORS, book_style, new_figure

__all__ = ["LinearApproximationScene", "SurfaceSliceScene", "compass"]

#: Heights as a light blue ramp: the coloured lines drawn on top stay easy to see. It starts at a pale
#: tint, not white, so that the lowest band of a 3-D surface never looks like a hole in front of the
#: white page.
HEIGHT_CMAP = LinearSegmentedColormap.from_list("height", ["#E6F2FA", "#B9DCF2", "#5AA9DC"])
CONTOUR_INK = "#5F7F95"
BANDS = 8  # height bands between contour lines: few, flat and not anti-aliased, so frames stay small

#: Where each moving line belongs: walking east (y fixed), walking north (x fixed), the gradient.
EAST, NORTH, GRADIENT, LEVEL = COLORS["secant"], COLORS["extra"], COLORS["tangent"], COLORS["accent"]

_COMPASS = ("east", "north-east", "north", "north-west", "west", "south-west", "south", "south-east")


def compass(degrees: float) -> str:
    """The compass name of a direction given in degrees anticlockwise from east (0° east, 90° north)."""
    return _COMPASS[round((degrees % 360) / 45) % 8]


def _grid(f, xlim: tuple[float, float], ylim: tuple[float, float], n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    xs, ys = np.linspace(*xlim, n), np.linspace(*ylim, n)
    X, Y = np.meshgrid(xs, ys)
    return xs, ys, f(np.stack([X, Y], axis=-1))


def _contour_map(ax, xs: np.ndarray, ys: np.ndarray, Z: np.ndarray, levels: np.ndarray) -> None:
    """Flat height bands with contour lines between them, on equal scales (angles drawn true)."""
    ax.contourf(xs, ys, Z, levels=levels, cmap=HEIGHT_CMAP, antialiased=False)
    ax.contour(xs, ys, Z, levels=levels[1:-1], colors=CONTOUR_INK, linewidths=0.6, antialiased=False)
    ax.set(xlim=(xs[0], xs[-1]), ylim=(ys[0], ys[-1]), xlabel="x (east)", ylabel="y (north)", aspect="equal")
    ax.set(xticks=np.arange(np.ceil(xs[0]), np.floor(xs[-1]) + 1), yticks=np.arange(np.ceil(ys[0]), np.floor(ys[-1]) + 1))
    ax.grid(False)


def _level_line(generator: contourpy.ContourGenerator, level: float) -> np.ndarray:
    """The contour line(s) at ``level`` as one (m, 2) array with NaN rows between pieces."""
    (pieces,) = generator.lines(level)
    pieces = [p for p in pieces if p is not None]
    return np.concatenate(pieces) if pieces else np.empty((0, 2))


def _plain(value: float, digits: int = 3) -> str:
    """A number with ``digits`` decimals, never printed as "-0.000"."""
    text = f"{value:.{digits}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


class SurfaceSliceScene(Scene):
    r"""A surface in 3-D beside its contour map, with the two slices through a point :math:`(x_0, y_0)`.

    Walking east means :math:`y` stays fixed: the slice :math:`x \mapsto f(x, y_0)`, whose slope at
    :math:`x_0` is :math:`\partial f/\partial x`. Walking north keeps :math:`x` fixed and its slope is
    :math:`\partial f/\partial y`. On the map, the gradient :math:`(\partial f/\partial x,
    \partial f/\partial y)` is drawn as an arrow built from those two pieces; it crosses the contour line
    through the point at a right angle (the map has equal scales on both axes so that angle is true).

    ``update(x, y)`` moves the point, both slices and their tangents, the contour line through the
    point and the arrows.
    """

    LIM = (-2.0, 2.0)
    TANGENT_HALF = 0.9  # half-length (in x or y) of the tangent segments drawn in 3-D

    def __init__(self, surface: Surface, *, x: float = 1.0, y: float = 0.5, arrow_scale: float = 3.0) -> None:
        self.surface = surface
        self.arrow_scale = float(arrow_scale)  # gradient units per unit of map length
        f = surface.f
        xs, ys, Z = _grid(f, self.LIM, self.LIM, 121)
        self._t = xs  # the slice curves are sampled on the same grid
        self._levels = np.linspace(Z.min(), Z.max(), BANDS + 1)
        self._contours = contourpy.contour_generator(xs, ys, Z, line_type=contourpy.LineType.ChunkCombinedNan)
        with book_style():
            self.figure, axes = new_figure(7.2, 3.75, ncols=2, width_ratios=[1.1, 1.0])
            axes[0, 0].remove()
            ax3 = self.ax3d = self.figure.add_subplot(1, 2, 1, projection="3d", computed_zorder=False)
            ax = self.ax = axes[0, 1]
            self._draw_3d(ax3, Z)
            self._draw_map(ax, xs, ys, Z)
            self._add_legend()
        self.freeze(self._moving_artists)
        self.update(x, y)

    # -- still parts -------------------------------------------------------------------------

    def _draw_3d(self, ax3, Z: np.ndarray) -> None:
        coarse = slice(None, None, 2)  # 60 x 60 facets: smooth band edges; the still part is drawn once
        Xc, Yc = np.meshgrid(self._t[coarse], self._t[coarse])
        # The same flat height bands as on the map: each band edge on the surface is a contour line.
        ax3.plot_surface(
            Xc, Yc, Z[coarse, coarse], cmap=HEIGHT_CMAP, norm=BoundaryNorm(self._levels, HEIGHT_CMAP.N),
            rstride=1, cstride=1, linewidth=0, antialiased=False, zorder=1,
        )  # fmt: skip
        ax3.view_init(elev=26, azim=-58)
        ticks = np.linspace(*self.LIM, 3)  # few labels: glyphs are what make stored frames heavy
        # A margin below: the surface must not cover the tick labels along the front edge of the box.
        zlim = (float(Z.min()) - 0.12 * float(np.ptp(Z)), float(Z.max()))
        # y's ticks stop short of its ends: "-2" on y would sit at the front corner, on top of x's "2".
        ax3.set(xlim=self.LIM, ylim=self.LIM, zlim=zlim, xticks=ticks, yticks=ticks / 2)
        ax3.set_zticks(self._levels[::4])
        ax3.grid(False)  # a 3-D grid costs a third of each stored frame; the height bands do its job
        ax3.set_xlabel("x (east)", labelpad=-2)
        ax3.set_ylabel("y (north)", labelpad=-2)
        ax3.set_zlabel("height z", labelpad=-4)
        ax3.tick_params(labelsize=8, pad=0)
        ax3.set_title(f"the surface z = {self.surface.formula}", fontsize=11)
        kw = dict(zorder=5, solid_capstyle="round")
        (self.east3,) = ax3.plot([], [], [], color=EAST, lw=2.2, **kw)
        (self.north3,) = ax3.plot([], [], [], color=NORTH, lw=2.2, **kw)
        (self.east_tan3,) = ax3.plot([], [], [], color=COLORS["ink"], lw=1.5, ls="--", **kw)
        (self.north_tan3,) = ax3.plot([], [], [], color=COLORS["ink"], lw=1.5, ls="--", **kw)
        (self.point3,) = ax3.plot([], [], [], "o", color=COLORS["ink"], ms=6, zorder=6)

    def _draw_map(self, ax, xs: np.ndarray, ys: np.ndarray, Z: np.ndarray) -> None:
        _contour_map(ax, xs, ys, Z, self._levels)
        # The arrows are shrunk to fit the map; the title says by how much.
        ax.set_title(f"the map (arrows at 1/{self.arrow_scale:g} scale)", fontsize=11)
        (self.level,) = ax.plot([], [], color=LEVEL, lw=2.0)
        (self.east2,) = ax.plot([], [], color=EAST, lw=1.2, ls=":")
        (self.north2,) = ax.plot([], [], color=NORTH, lw=1.2, ls=":")
        # Three arrows from the point: the two partials (along the axes) and their sum, the gradient.
        self.arrows = ax.quiver(
            np.zeros(3), np.zeros(3), np.zeros(3), np.zeros(3),
            color=[EAST, NORTH, GRADIENT], angles="xy", scale_units="xy", scale=self.arrow_scale,
            width=0.012, headwidth=3.5, headlength=4.5, headaxislength=4, minlength=0, zorder=4,
        )  # fmt: skip
        (self.point2,) = ax.plot([], [], "o", color=COLORS["ink"], ms=6, zorder=6)

    def _add_legend(self) -> None:
        handles = [
            Line2D([], [], color=EAST, lw=2.2, label="walk east (y fixed)"),
            Line2D([], [], color=NORTH, lw=2.2, label="walk north (x fixed)"),
            Line2D([], [], color=GRADIENT, lw=2.2, marker=">", label="gradient ∇f"),
            Line2D([], [], color=LEVEL, lw=2.0, label="contour through the point"),
        ]
        self.figure.legend(handles=handles, loc="outside upper center", ncols=4, fontsize=9)

    @property
    def _moving_artists(self) -> list:
        return [
            self.east3, self.north3, self.east_tan3, self.north_tan3, self.point3,
            self.level, self.east2, self.north2, self.arrows, self.point2,
        ]  # fmt: skip

    # -- moving parts ------------------------------------------------------------------------

    def update(self, x: float, y: float) -> str:
        f, t = self.surface.f, self._t
        p = np.array([x, y], dtype=float)
        z = float(f(p))
        fx, fy = (float(v) for v in self.surface.gradient(p))
        # The two slices through the point, on the surface ...
        self.east3.set_data_3d(t, np.full_like(t, y), f(np.stack([t, np.full_like(t, y)], axis=-1)))
        self.north3.set_data_3d(np.full_like(t, x), t, f(np.stack([np.full_like(t, x), t], axis=-1)))
        # ... and their tangents: rise fx per unit east, fy per unit north.
        s = np.array([-self.TANGENT_HALF, self.TANGENT_HALF])
        self.east_tan3.set_data_3d(x + s, np.full(2, y), z + fx * s)
        self.north_tan3.set_data_3d(np.full(2, x), y + s, z + fy * s)
        self.point3.set_data_3d([x], [y], [z])
        # On the map: the slice paths, the contour line through the point, the arrows.
        self.east2.set_data(self.LIM, [y, y])
        self.north2.set_data([x, x], self.LIM)
        line = _level_line(self._contours, z)
        self.level.set_data(line[:, 0], line[:, 1])
        self.arrows.set_offsets(np.tile(p, (3, 1)))
        self.arrows.set_UVC([fx, 0.0, fx], [0.0, fy, fy])
        self.point2.set_data([x], [y])
        steepness = float(np.hypot(fx, fy))
        return readout(
            ("point (x, y)", f"({x:g}, {y:g})"),
            ("height z", _plain(z)),
            ("∂f/∂x", _plain(fx)),
            ("∂f/∂y", _plain(fy)),
            ("steepness |∇f|", _plain(steepness)),
            note=self._describe(fx, fy),
        )

    @staticmethod
    def _describe(fx: float, fy: float) -> str:
        if fx == 0 and fy == 0:
            return "flat in every direction: the gradient is zero here"

        def way(slope: float, going: str) -> str:
            if slope == 0:
                return f"walking {going} is level"
            return f"walking {going} goes {'up' if slope > 0 else 'down'}hill"

        return f"{way(fx, 'east')}, {way(fy, 'north')}"


class LinearApproximationScene(Scene):
    r"""The linear approximation :math:`f(p_0 + \Delta) \approx f(p_0) + \nabla f(p_0)\cdot\Delta` on a surface.

    Three panels: the map with the gradient at :math:`p_0` and the step :math:`\Delta`; the height
    along the walk, :math:`s \mapsto f(p_0 + s u)` (:math:`u` the unit direction of the step), with its
    tangent line of slope :math:`\nabla f \cdot u`; and, on log-log axes, the error against the step
    length, which runs parallel to :math:`|\Delta|^2`.

    ``update(step, angle)`` sets the step length :math:`|\Delta|` and its direction in degrees
    anticlockwise from east. ``name`` is what the text calls :math:`p_0` (the figure labels it so).
    """

    XLIM, YLIM = (-2.6, 2.6), (-2.0, 2.0)
    T = np.linspace(-2.0, 2.0, 201)  # positions along the walk in the middle panel
    STEPS = np.logspace(-3, np.log10(2.0), 120)  # step lengths in the log-log panel
    FLOOR = 1e-12  # the log-log panel's bottom; an error of exactly 0 would be drawn there

    def __init__(
        self, surface: Surface, p0: tuple[float, float], *, step: float = 0.5, angle: float = 0.0, name: str = "P"
    ) -> None:
        self.surface = surface
        self.name = name  # what the text calls the point p0
        self.p0 = np.array(p0, dtype=float)
        self.z0 = float(surface.f(self.p0))
        self.grad = np.asarray(surface.gradient(self.p0), dtype=float)
        xs, ys, Z = _grid(surface.f, self.XLIM, self.YLIM, 161)
        with book_style():
            self.figure, axes = new_figure(8.4, 3.25, ncols=3, width_ratios=[1.25, 1.0, 1.0])
            self._draw_map(axes[0, 0], xs, ys, Z)
            self._draw_walk(axes[0, 1], Z)
            self._draw_errors(axes[0, 2])
            self.figure.legend(loc="outside upper center", ncols=4, fontsize=9)
        self.freeze([
            self.step_arrow, self.walk_line, self.end_point,
            self.walk_curve, self.tangent, self.error_bar, self.true_point, self.approx_point,
            self.error_curve, self.error_dot,
        ])  # fmt: skip
        self.update(step, angle)

    def _draw_map(self, ax, xs, ys, Z) -> None:
        _contour_map(ax, xs, ys, Z, np.linspace(0.0, float(Z.max()), BANDS + 1))
        ax.set_title(f"map: the step Δ from {self.name}", fontsize=10.5)
        (self.walk_line,) = ax.plot([], [], color=COLORS["ink"], lw=0.9, ls=":")
        ax.quiver(*self.p0, *self.grad, color=GRADIENT, angles="xy", scale_units="xy", scale=1.0,
                  width=0.012, headwidth=3.5, headlength=4.5, headaxislength=4, zorder=4)  # fmt: skip
        self.step_arrow = ax.quiver(
            *self.p0, 1.0, 0.0, color=COLORS["secant"], angles="xy", scale_units="xy", scale=1.0,
            width=0.009, headwidth=4, headlength=5, headaxislength=4.5, minlength=0, zorder=5,
        )  # fmt: skip
        (self.end_point,) = ax.plot([], [], "o", color=COLORS["secant"], ms=4, zorder=6)
        ax.plot(*self.p0, "o", color=COLORS["ink"], ms=5, zorder=6)
        # The label sits between two of the eight compass directions (22.5° below east), where
        # neither a step arrow nor the dotted line of a walk (both ways along it) can run through it.
        ax.annotate(self.name, self.p0, xytext=(16, -7), textcoords="offset points", ha="center", va="center")
        # Legend entries for the arrows (a quiver has no line to show in a legend).
        ax.plot([], [], color=GRADIENT, lw=2, label=f"gradient ∇f({self.name})")
        ax.plot([], [], color=COLORS["secant"], lw=2, label="step Δ")

    def _draw_walk(self, ax, Z) -> None:
        span = float(np.ptp(Z))
        ax.set(xlim=(self.T[0], self.T[-1]), ylim=(float(Z.min()) - 0.05 * span, float(Z.max()) + 0.08 * span))
        ax.set(xlabel="distance s walked along Δ", ylabel="height z", xticks=[-2, -1, 0, 1, 2])
        ax.set_yticks(np.arange(0.0, float(Z.max()) + 0.5))
        ax.set_title("height along the walk", fontsize=10.5)
        ax.axvline(0, color=COLORS["grid"], lw=1, zorder=0)
        (self.walk_curve,) = ax.plot([], [], color=COLORS["curve"], label="surface, along the walk")
        (self.tangent,) = ax.plot([], [], color=GRADIENT, lw=1.5, label=f"tangent plane: f({self.name}) + ∇f·Δ")
        (self.error_bar,) = ax.plot([], [], color=COLORS["accent"], lw=5, alpha=0.85, solid_capstyle="butt", label="error")
        (self.true_point,) = ax.plot([], [], "o", color=COLORS["curve"], ms=5, zorder=5)
        (self.approx_point,) = ax.plot([], [], "s", color=GRADIENT, ms=5, zorder=5)
        ax.plot([0], [self.z0], "o", color=COLORS["ink"], ms=5, zorder=6)

    def _draw_errors(self, ax) -> None:
        steps = self.STEPS
        # A guide of slope 2, kept below the error curves so that it never hides one.
        ax.loglog(steps, 0.01 * steps**2, ":", color=COLORS["ink"], lw=1.2, label="slope-2 guide (error ∝ |Δ|²)")
        # A margin on both sides, so that the dot at the shortest and longest step is drawn whole.
        ax.set(xlim=(steps[0] / 1.5, steps[-1] * 1.5), ylim=(1e-9, 10.0), yticks=[1e-9, 1e-6, 1e-3, 1e0])
        ax.set(xlabel="step length |Δ|", ylabel="|error|")
        ax.set_title("error against step length", fontsize=10.5)
        (self.error_curve,) = ax.loglog([], [], color=COLORS["accent"], lw=1.8)
        (self.error_dot,) = ax.plot([], [], "o", color=COLORS["accent"], ms=7, zorder=5)

    def update(self, step: float, angle: float) -> str:
        u = np.array([np.cos(np.radians(angle)), np.sin(np.radians(angle))])
        delta = step * u
        slope = float(self.grad @ u)  # the height gained per unit walked in direction u
        f = self.surface.f
        self.step_arrow.set_UVC(*delta)
        self.end_point.set_data([self.p0[0] + delta[0]], [self.p0[1] + delta[1]])
        reach = np.array([-3.5, 3.5])
        self.walk_line.set_data(self.p0[0] + reach * u[0], self.p0[1] + reach * u[1])
        self.walk_curve.set_data(self.T, f(self.p0 + self.T[:, None] * u))
        self.tangent.set_data(self.T, self.z0 + slope * self.T)
        true = float(f(self.p0 + delta))
        approx = self.z0 + slope * step
        self.error_bar.set_data([step, step], [true, approx])
        self.true_point.set_data([step], [true])
        self.approx_point.set_data([step], [approx])
        errors = np.abs(linear_approximation_error(f, self.surface.gradient, self.p0, self.STEPS[:, None] * u))
        self.error_curve.set_data(self.STEPS, np.maximum(errors, self.FLOOR))
        error = float(abs(linear_approximation_error(f, self.surface.gradient, self.p0, delta)))
        self.error_dot.set_data([step], [max(error, self.FLOOR)])
        return readout(
            ("|Δ|", f"{step:g}"),
            ("direction", f"{angle:g}° ({compass(angle)})"),
            # Seven significant digits: even at |Δ| = 0.001 the two differ visibly (by the error).
            ("true Δz", f"{true - self.z0:+.6e}"),
            ("∇f·Δ", f"{approx - self.z0:+.6e}"),
            ("error", f"{error:.2e}"),
            ("error/|Δ|²", f"{error / step**2:.3f}"),
        )
