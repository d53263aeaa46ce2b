"""The chapters' text: what a reader must never see, and the conventions every chapter follows.

These read the MyST sources, so they run in a second and point at the offending line.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ROOT, chapter_files

CHAPTERS = sorted((ROOT / "chapters").glob("*.md"))

# Words for where the book's examples came from. The preface credits the five posts once, in one
# sentence; everywhere else a program of that kind is "a program of the kind you will find online".
# "seed" as in a random seed (``seed=0``, "seeded", "random seed") is a different word and allowed.
SOURCE_WORDS = re.compile(r"\bblog|\bsource post|\bseeds?\b(?!\s*=)|\bseed_", re.IGNORECASE)
RANDOM_SEED = re.compile(r"random seeds?\b|\bseeds?\s*=|\bseeds?\b\s*\(|the seeds? (?:of|for) the random", re.IGNORECASE)
PREFACE_CREDIT = "come from five Chinese-language blog"


def _lines(path: Path) -> list[tuple[int, str]]:
    return list(enumerate(path.read_text(encoding="utf-8").splitlines(), start=1))


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_no_word_for_the_source_posts(path):
    found = []
    for number, line in _lines(path):
        if path.name == "preface.md" and PREFACE_CREDIT in line:
            continue
        for match in SOURCE_WORDS.finditer(line):
            # Allow "random seed", "seed=0", "seed(…)" (a keyword or call about randomness).
            window = line[max(0, match.start() - 12) : match.end() + 16]
            if match.group().lower().startswith("seed") and RANDOM_SEED.search(window):
                continue
            found.append(f"{path.name}:{number}: {line.strip()}")
    assert not found, "\n".join(found)


def test_preface_credits_the_posts_once():
    text = (ROOT / "chapters" / "preface.md").read_text(encoding="utf-8")
    assert text.count(PREFACE_CREDIT) == 1


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_prose_numbers_and_links_work_in_jupyterlab(path):
    """No glue (JupyterLab shows its bare key) and no {doc} role (dead text there): numbers come
    through {eval}, links are plain Markdown links to the .md file."""
    text = path.read_text(encoding="utf-8")
    assert "{glue" not in text, f"{path.name}: use {{eval}} instead of glue"
    assert "myst_nb import glue" not in text, f"{path.name}: use {{eval}} instead of glue"
    assert "{doc}" not in text, f"{path.name}: link with [text](file.md) instead of {{doc}}"


@pytest.mark.parametrize("path", chapter_files(), ids=lambda p: p.stem)
def test_notebook_chapters_run_inline(path):
    """{eval} needs MyST-NB's inline execution, set in each chapter's top matter."""
    header = path.read_text(encoding="utf-8").split("\n---\n", 1)[0]
    assert "mystnb:\n  execution_mode: inline" in header, path.name


@pytest.mark.parametrize("path", chapter_files(), ids=lambda p: p.stem)
def test_hidden_cells_are_folded_in_jupyterlab(path):
    """A cell the book hides is folded in JupyterLab as well, so a chapter there reads like its page."""
    import jupytext

    unfolded = []
    for index, cell in enumerate(jupytext.read(path).cells):
        tags = set(cell.metadata.get("tags", []))
        hidden = cell.metadata.get("jupyter", {})
        if "remove-input" in tags and not hidden.get("source_hidden"):
            unfolded.append(f"cell {index}: remove-input without jupyter.source_hidden")
        # (not outputs_hidden: JupyterLab drops it when it saves a cell that has no outputs)
    assert not unfolded, f"{path.name}: " + "; ".join(unfolded)
