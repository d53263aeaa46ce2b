"""Shared fixtures for the book-level tests: the chapter list and one cold build of the book."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


def chapter_files() -> list[Path]:
    """Every page listed in _toc.yml that is a notebook (has a jupytext header), in book order."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]] + [c["file"] for part in toc.get("parts", []) for c in part["chapters"]]
    paths = [ROOT / f"{f}.md" for f in files]
    return [p for p in paths if p.read_text().startswith("---\njupytext:")]


def toc_pages() -> list[str]:
    """Every page of the book as its path relative to the html root (e.g. chapters/01_derivatives.html)."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]] + [c["file"] for part in toc.get("parts", []) for c in part["chapters"]]
    return [f"{f}.html" for f in files]


@dataclass(frozen=True)
class Build:
    returncode: int
    log: str
    html: Path


@pytest.fixture(scope="session")
def built_book(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """A cold build (fresh execution cache) of the whole book with -W -n --keep-going."""
    out = tmp_path_factory.mktemp("book")
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "jupyter-book"), "build", str(ROOT), "--path-output", str(out), "-W", "-n", "--keep-going"],
        capture_output=True,
        text=True,
        timeout=1200,
    )
    return Build(proc.returncode, proc.stdout + proc.stderr, out / "_build" / "html")
