"""Layer 2: every chapter executes top to bottom in a fresh kernel, as a reader's Jupyter would run it."""

from __future__ import annotations

import jupytext
import nbformat
import pytest
from nbclient import NotebookClient

from conftest import chapter_files

# Show every warning (Python hides some by default), so that any warning reaches stderr and fails.
WARNINGS_VISIBLE = "import warnings\nwarnings.simplefilter('default')"


@pytest.mark.parametrize("path", chapter_files(), ids=lambda p: p.stem)
def test_chapter_executes_cleanly(path, monkeypatch):
    monkeypatch.delenv("DLMATH_STATIC", raising=False)  # live mode, as in Jupyter
    nb = jupytext.read(path)
    nb.cells.insert(0, nbformat.v4.new_code_cell(WARNINGS_VISIBLE))
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    problems = []
    for index, cell in enumerate(nb.cells[1:], start=1):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                problems.append(f"cell {index}: {output['ename']}: {output['evalue']}")
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                problems.append(f"cell {index} wrote to stderr: {output['text'][:300]}")
    assert not problems, "\n".join(problems)
