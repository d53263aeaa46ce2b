"""Opening a chapter in JupyterLab does not rewrite it.

JupyterLab reads and writes a chapter through Jupytext's contents manager with the repository's
`jupytext.toml`. These tests hold that a chapter survives that round trip byte for byte: read as a
notebook, changed the way JupyterLab changes it while it is open (the running kernel's spec and
language, execution counts and outputs, the `{eval}` results that jupyterlab-myst keeps in the markdown
cells' `user_expressions` metadata), and saved again.

When a round trip test fails, the chapter is not in the form Jupytext writes. Rewrite it in that form
with `.venv/bin/jupytext --to myst chapters/<file>.md` (run from the repository root, so that
`jupytext.toml` is used), check the diff, and see the README ("Adding a chapter") for the top matter.
"""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import jupytext
import nbformat
import pytest
from jupytext.config import find_jupytext_configuration_file, load_jupytext_config

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "jupytext.toml"

# What JupyterLab writes into a notebook's metadata once its kernel has started.
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
LANGUAGE_INFO = {
    "name": "python",
    "version": "3.11.2",
    "mimetype": "text/x-python",
    "codemirror_mode": {"name": "ipython", "version": 3},
    "pygments_lexer": "ipython3",
    "nbconvert_exporter": "python",
    "file_extension": ".py",
}


def notebook_chapters() -> list[Path]:
    """Every Markdown file in chapters/ that is a notebook (starts with a Jupytext header)."""
    return sorted(p for p in (ROOT / "chapters").glob("*.md") if p.read_text(encoding="utf-8").startswith("---\njupytext:"))


def _diff(before: str, after: str) -> str:
    lines = difflib.unified_diff(before.splitlines(), after.splitlines(), "chapter", "after the round trip", lineterm="", n=1)
    return "\n".join(list(lines)[:40])


def _as_jupyterlab_leaves_it(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The notebook as JupyterLab sends it back after Run All: kernel metadata, outputs, and every
    markdown cell with `{eval}` carrying its results in `user_expressions`."""
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata["language_info"] = dict(LANGUAGE_INFO)
    count = 0
    for cell in nb.cells:
        if cell.cell_type == "code":
            count += 1
            cell.execution_count = count
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="output\n")]
        elif cell.cell_type == "markdown" and "{eval}" in cell.source:
            cell.metadata["user_expressions"] = [
                {"expression": "x", "result": {"status": "ok", "data": {"text/plain": "42"}, "metadata": {}}}
            ]
    return nb


def test_the_repository_config_is_found_for_the_chapters():
    assert CONFIG.exists(), "jupytext.toml is missing at the repository root"
    assert Path(find_jupytext_configuration_file(str(ROOT / "chapters"))) == CONFIG
    config = load_jupytext_config(str(ROOT / "chapters" / "any.md"))
    assert "mystnb" in config.notebook_metadata_filter
    assert "-user_expressions" in config.cell_metadata_filter


@pytest.mark.parametrize("path", notebook_chapters(), ids=lambda p: p.stem)
def test_round_trip_is_the_identity(path):
    text = path.read_text(encoding="utf-8")
    config = load_jupytext_config(str(path))
    nb = jupytext.reads(text, fmt="md:myst", config=config)
    again = jupytext.writes(nb, fmt="md:myst", config=config)
    assert again == text, (
        f"{path.name} changes when Jupytext reads and writes it (top matter as in the README; then run "
        f"`.venv/bin/jupytext --to myst chapters/{path.name}` from the repository root):\n{_diff(text, again)}"
    )


@pytest.mark.parametrize("path", notebook_chapters(), ids=lambda p: p.stem)
def test_saving_from_jupyterlab_keeps_the_chapter(path, tmp_path):
    """Through Jupytext's contents manager, the server side of JupyterLab, on a copy of the chapter."""
    from jupyter_server.services.contents.largefilemanager import LargeFileManager
    from jupytext.sync_contentsmanager import build_sync_jupytext_contents_manager_class

    shutil.copy(CONFIG, tmp_path / CONFIG.name)
    (tmp_path / "chapters").mkdir()
    copy = tmp_path / "chapters" / path.name
    shutil.copy(path, copy)

    manager = build_sync_jupytext_contents_manager_class(LargeFileManager)(root_dir=str(tmp_path))
    model = manager.get(f"chapters/{path.name}")
    assert model["type"] == "notebook"
    nb = _as_jupyterlab_leaves_it(nbformat.from_dict(model["content"]))
    assert any("user_expressions" in cell.metadata for cell in nb.cells) or "{eval}" not in path.read_text(encoding="utf-8")
    manager.save({"type": "notebook", "content": nb}, f"chapters/{path.name}")

    before, after = path.read_text(encoding="utf-8"), copy.read_text(encoding="utf-8")
    assert after == before, f"saving {path.name} from JupyterLab rewrites it:\n{_diff(before, after)}"


def test_no_chapter_stores_eval_results():
    """jupyterlab-myst's `{eval}` results belong to a reader's session, never to the book's text."""
    offenders = [p.name for p in (ROOT / "chapters").iterdir() if p.is_file() and "user_expressions" in p.read_text(encoding="utf-8")]
    assert not offenders, f"user_expressions written into {offenders}"
