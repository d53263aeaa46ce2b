"""Benchmarks, reported rather than asserted: ``python -m dlmath.bench``.

For each explorer: the median latency of a live update (slider change -> math -> artists updated ->
PNG rendered) against the naive baseline measured in the same run (rebuild the same figure from scratch
and render it). Then the scalar autograd engine against micrograd, when micrograd is installed. Then,
unless ``--no-nn``, training a 64-64-10 network on the digits with :mod:`dlmath.nn` and, when it is
installed, PyTorch (:mod:`dlmath.nn_bench`). Then, unless ``--no-build``, cold and cached book builds
and each page's weight.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .figures.style import render_png
from .widgets import EXPLORERS

BOOK_ROOT = Path(__file__).resolve().parents[2]


def _changes(box, count: int) -> list[tuple[int, int]]:
    """``count`` single-slider moves ``(slider number, new index)``: each slider in turn steps along
    its track (bouncing at the ends), as a reader dragging one slider at a time would."""
    moves, current = [], [s.index for s in box.sliders]
    direction = [1] * len(box.sliders)
    for k in range(count):
        j = k % len(box.sliders)
        n = len(box.sliders[j].options)
        if not 0 <= current[j] + direction[j] < n:
            direction[j] = -direction[j]
        current[j] += direction[j]
        moves.append((j, current[j]))
    return moves


def explorer_latency(name: str, changes: int = 30) -> dict:
    """Median milliseconds per update: live (in place) and naive (rebuild the figure)."""
    box = EXPLORERS[name](static=False)
    moves = _changes(box, changes)
    live, naive = [], []
    for j, index in moves:
        start = time.perf_counter()
        box.sliders[j].index = index  # the observer updates the artists and re-renders the Image
        live.append(time.perf_counter() - start)
    indices = [s.index for s in box.sliders]
    for j, index in moves:
        indices[j] = index
        params = {spec.name: spec.values[i] for spec, i in zip(box.slider_specs, indices)}
        start = time.perf_counter()
        scene = box.make_scene()
        scene.update(**params)
        render_png(scene.figure)
        naive.append(time.perf_counter() - start)
    live_ms, naive_ms = 1e3 * statistics.median(live), 1e3 * statistics.median(naive)
    return {"explorer": name, "changes": changes, "live_ms": live_ms, "naive_ms": naive_ms, "speedup": naive_ms / live_ms}


def build_times(root: Path = BOOK_ROOT) -> dict:
    """Seconds for a cold build (fresh output and execution cache) and a cached rebuild, and page weights."""
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    with tempfile.TemporaryDirectory() as out:
        times = []
        for _ in range(2):
            start = time.perf_counter()
            subprocess.run([str(jupyter_book), "build", str(root), "--path-output", out], check=True, capture_output=True)
            times.append(time.perf_counter() - start)
        html = Path(out) / "_build" / "html"
        weights = {}
        for page in sorted(html.glob("chapters/*.html")):
            text = page.read_text()
            images = set(re.findall(r'src="([^"]+\.(?:png|svg|jpg))"', text))
            weights[page.name] = page.stat().st_size + sum((page.parent / s).stat().st_size for s in images)
    return {"cold_s": times[0], "cached_s": times[1], "page_bytes": weights}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m dlmath.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=30, help="slider changes per explorer (>= 20)")
    parser.add_argument("--no-build", action="store_true", help="skip the book build timings")
    parser.add_argument("--no-nn", action="store_true", help="skip training on the digits (dlmath.nn vs PyTorch)")
    args = parser.parse_args(argv)
    if args.changes < 20:
        parser.error("--changes must be at least 20")
    os.environ.pop("DLMATH_STATIC", None)

    print(f"Explorers: median ms per slider change over {args.changes} changes (live = update in place; naive = rebuild)")
    print(f"  {'explorer':<30} {'live':>8} {'naive':>8} {'ratio':>7}")
    for name in EXPLORERS:
        r = explorer_latency(name, args.changes)
        print(f"  {name:<30} {r['live_ms']:8.1f} {r['naive_ms']:8.1f} {r['speedup']:6.1f}x")

    from .mlp_bench import mlp_benchmark, report

    print("\nScalar autograd (dlmath.graph) against micrograd, same network, weights and points")
    for gc_enabled in (True, False):
        report(mlp_benchmark(gc_enabled=gc_enabled))

    if not args.no_nn:
        from .nn_bench import nn_benchmark, report as nn_report

        print()
        nn_report(nn_benchmark())

    if not args.no_build:
        r = build_times()
        print(f"\nBook build: cold {r['cold_s']:.1f} s, cached {r['cached_s']:.1f} s")
        for page, size in r["page_bytes"].items():
            print(f"  {page:<28} {size / 1e6:6.2f} MB")


if __name__ == "__main__":
    main()
