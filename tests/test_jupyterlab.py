"""Layer 6: a chapter in JupyterLab, as a reader runs it (README, "Running the chapters in Jupyter").

JupyterLab from this environment serves a copy of the chapters and the repository's `jupytext.toml` on
127.0.0.1. In Debian's Chromium the test double-clicks a chapter in the file browser, runs all cells and
checks that (a) the chapter opened as a notebook, (b) an `{eval}` number shows in the rendered prose,
with the value the built book shows, (c) admonitions and dropdowns are rendered by jupyterlab-myst, not
shown as raw MyST, (d) moving a slider changes the picture, (e) the browser console has no error, and
that saving the notebook leaves the chapter's text byte for byte as it was.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import jupytext
import nbformat
import pytest
from nbclient import NotebookClient

from test_browser import browser  # noqa: F401  (the same Chromium fixture as the book's browser tests)

ROOT = Path(__file__).resolve().parents[1]
CHAPTER = "01_derivatives.md"  # fast to run, with {eval} numbers, an admonition, dropdowns and sliders
EVAL = re.compile(r"\{eval\}`([^`]+)`")
QUOTED = re.compile(r"^([\"']).*\1$")  # MyST-NB and jupyterlab-myst both show a string without its quotes
SPHINX_REF = re.compile(r"\{(?:numref|ref)\}`(?:[^`<]*<)?([^`>]+)>?`")
NUMBER = re.compile(r"^[-−]?\d[\d,]*(\.\d+)?([eE][-+]?\d+)?$")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Lab:
    def __init__(self, root: Path, url: str, token: str):
        self.root, self.url, self.token = root, url, token


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab from this environment (with the JupyterLab setting `make install` puts in place),
    serving a copy of the chapters, with fresh user settings and workspaces."""
    overrides = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    assert overrides.exists(), f"{overrides} is missing: run `make install` (it makes .md files open as notebooks)"
    root = tmp_path_factory.mktemp("lab-root")
    shutil.copy(ROOT / "jupytext.toml", root)
    (root / "chapters").mkdir()
    for md in (ROOT / "chapters").glob("*.md"):
        shutil.copy(md, root / "chapters")
    home = tmp_path_factory.mktemp("lab-home")
    settings = home / "settings"
    # No "would you like news?" pop-up over the page, and no update check: nothing leaves 127.0.0.1.
    (settings / "@jupyterlab" / "apputils-extension").mkdir(parents=True)
    (settings / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings").write_text(
        '{"fetchNews": "false", "checkForUpdates": false}'
    )
    env = dict(
        os.environ,
        JUPYTER_CONFIG_DIR=str(home / "config"),
        JUPYTERLAB_SETTINGS_DIR=str(settings),
        JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
    )
    env.pop("DLMATH_STATIC", None)  # live sliders, as in a reader's Jupyter
    port, token = _free_port(), secrets.token_hex(16)
    cmd = [
        str(Path(sys.executable).parent / "jupyter-lab"),
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        "--ServerApp.open_browser=False",
    ]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    log = home / "server.log"
    with open(log, "w") as out:
        server = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not start:\n{log.read_text()[-3000:]}")
                time.sleep(0.3)
        yield Lab(root, url, token)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


def book_eval_values(path: Path) -> list[tuple[int, int, str, str]]:
    """Every `{eval}` of a chapter as the built book shows it: (cell index, position among the cell's
    expressions, expression, text). As MyST-NB's inline mode does, each expression is evaluated in the
    chapter's kernel where it appears in the text, after the code cells above it have run, and a string
    is shown without its quotes."""
    nb = jupytext.read(path)
    run = nbformat.v4.new_notebook(metadata=nb.metadata)
    where = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            run.cells.append(nbformat.v4.new_code_cell(cell.source))
        elif cell.cell_type == "markdown":
            for position, expression in enumerate(EVAL.findall(cell.source)):
                where.append((index, position, expression, len(run.cells)))
                run.cells.append(nbformat.v4.new_code_cell(expression))
    NotebookClient(run, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    values = []
    for index, position, expression, at in where:
        results = [o for o in run.cells[at].outputs if o.output_type == "execute_result"]
        assert results, f"{{eval}}`{expression}` has no value"
        text = results[0]["data"]["text/plain"]
        values.append((index, position, expression, text[1:-1] if QUOTED.match(text) else text))
    return values


def _value_spans(cell, text: str) -> int:
    """How many spans of the cell's rendered MyST show exactly `text` (formulas excluded)."""
    return cell.locator(".myst").first.evaluate(
        """(root, text) => [...root.querySelectorAll('span')].filter(
               s => !s.children.length && !s.closest('.katex') && s.textContent.trim() === text).length""",
        text,
    )


def _run_menu(page, item: str) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(rf"^{re.escape(item)}$")).click()


def test_a_chapter_reads_and_runs_in_jupyterlab(browser, lab, monkeypatch):
    source = ROOT / "chapters" / CHAPTER
    nb = jupytext.read(source)
    monkeypatch.delenv("DLMATH_STATIC", raising=False)
    numbers = [v for v in book_eval_values(source) if NUMBER.match(v[3])]
    assert numbers, f"{CHAPTER} states no computed number through {{eval}}"
    cell_index, _, expression, expected = numbers[0]

    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(f"{m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
    try:
        page.goto(f"{lab.url}/lab?token={lab.token}")
        listing = page.locator(".jp-DirListing-content")
        listing.get_by_text("chapters", exact=True).dblclick()
        listing.get_by_text(CHAPTER, exact=True).dblclick()

        # (a) a notebook, with Jupytext's cells of the chapter
        panel = page.locator(".jp-NotebookPanel:visible")
        panel.locator(".jp-Cell").first.wait_for(timeout=60000)
        assert page.locator("#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current .lm-TabBar-tabLabel").inner_text() == CHAPTER
        cells = panel.locator(".jp-Notebook .jp-Cell")
        expect(cells, "the notebook's cells are not the chapter's").to_have_count(len(nb.cells), timeout=30000)
        target = cells.nth(cell_index)
        before = _value_spans(target, expected)

        _run_menu(page, "Run All Cells")
        # The last code cell whose input is shown (a folded cell shows a placeholder prompt instead).
        last_prompt = panel.locator(".jp-CodeCell:has(.jp-InputArea-prompt)").last.locator(".jp-InputArea-prompt")
        idle = page.locator(".jp-StatusBar-Widget", has_text=re.compile(r"\|\s*Idle"))
        stderr = panel.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
        deadline = time.monotonic() + 90
        # Finished: the last shown cell has its number and the kernel is idle (folded cells run too).
        while not (re.fullmatch(r"\[\d+\]:", last_prompt.inner_text().strip()) and idle.count()):
            assert not stderr.count(), f"a cell wrote to stderr or raised: {stderr.first.inner_text()[:500]}"
            assert time.monotonic() < deadline, "Run All did not finish within 90 s"
            page.wait_for_timeout(250)
        assert not stderr.count(), f"a cell wrote to stderr or raised: {stderr.first.inner_text()[:500]}"

        # (b) the {eval} number, evaluated by the kernel, in the rendered prose
        deadline = time.monotonic() + 15
        while _value_spans(target, expected) <= before:
            assert time.monotonic() < deadline, (
                f"{{eval}}`{expression}` = {expected} (as in the book) is not shown in cell {cell_index}: "
                f"{target.locator('.myst').first.inner_text()[:300]!r}"
            )
            page.wait_for_timeout(250)
        prose = "\n".join(panel.locator(".jp-MarkdownCell .myst").all_inner_texts())
        for raw in ("{eval}", "{admonition}", "{note}", "{dropdown}", ":::"):
            assert raw not in prose, f"raw MyST {raw!r} in the rendered prose"
        failed = panel.locator(".jp-MarkdownCell .myst [data-mime-type='application/vnd.jupyter.stderr']")
        assert not failed.count(), f"an {{eval}} failed: {failed.first.inner_text()[:300]}"

        # (c) admonitions and dropdowns rendered
        assert panel.locator(".jp-MarkdownCell .myst aside.myst-admonition").count() > 0, "no admonition rendered"
        dropdown = panel.locator(".jp-MarkdownCell .myst details.myst-dropdown").first
        assert dropdown.locator("summary").inner_text().strip() == "Solution"
        assert dropdown.get_attribute("open") is None, "a solution is shown before the reader asks for it"
        dropdown.locator("summary").click()
        expect(dropdown).to_have_attribute("open", "")
        assert panel.locator(".jp-MarkdownCell .myst .katex").count() > 0, "no formula typeset"

        # (d) a slider changes the picture, computed live by the kernel
        explorer = panel.locator(".widget-vbox:has(> .widget-slider)").first
        explorer.scroll_into_view_if_needed()
        picture = explorer.locator(":scope > .widget-box").last
        first = picture.screenshot()
        handle = explorer.locator(".widget-slider .noUi-handle").first
        handle.focus()
        # Move the slider to whichever end it is not at (an explorer may start at either end).
        start = handle.get_attribute("aria-valuenow")
        page.keyboard.press("End")
        page.wait_for_timeout(200)
        if handle.get_attribute("aria-valuenow") == start:
            page.keyboard.press("Home")
        deadline = time.monotonic() + 15
        while picture.screenshot() == first:
            assert time.monotonic() < deadline, "moving the slider did not change the picture"
            page.wait_for_timeout(250)

        if os.environ.get("DLMATH_JLAB_SCREENSHOT"):  # e.g. /tmp/jlab-chapter.png, to look at
            target.scroll_into_view_if_needed()
            page.screenshot(path=os.environ["DLMATH_JLAB_SCREENSHOT"])

        # saving keeps the chapter's text: no kernel metadata, no {eval} results written into it
        page.keyboard.press("Control+s")
        page.locator("#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current.jp-mod-dirty").wait_for(state="detached", timeout=15000)
        saved = (lab.root / "chapters" / CHAPTER).read_text(encoding="utf-8")
        assert saved == source.read_text(encoding="utf-8"), "saving from JupyterLab rewrote the chapter"

        # (e) jupyterlab-myst reports, as a console error, each {numref} or {ref} whose target it cannot
        # resolve (a figure drawn by a code cell, a `(label)=` target): the README says what the reader
        # sees. Nothing else may appear.
        labels = SPHINX_REF.findall(source.read_text(encoding="utf-8"))
        sphinx_only = {f"Cross reference target was not found: {label}" for label in labels}
        errors = [e for e in errors if e.removeprefix("error: ") not in sphinx_only]
        assert not errors, errors
    finally:
        page.close()
