"""Layer 5: the built book in Debian's Chromium, served from 127.0.0.1, as a reader opens it.

Every page: no console error, no failed request, no request to any other host, MathJax has typeset
the math; every slider, moved with the keyboard, changes the picture it drives.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import threading

import pytest

from conftest import toc_pages

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _chromium_missing_reason() -> str | None:
    if not shutil.which(CHROMIUM):
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed"
    return None


@pytest.fixture(scope="module")
def browser():
    reason = _chromium_missing_reason()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests cannot run in CI: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep the test output readable
        pass


@pytest.fixture(scope="module")
def site(built_book):
    assert built_book.returncode == 0, "the book did not build; see test_build"
    handler = functools.partial(_QuietHandler, directory=str(built_book.html))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _is_local(url: str, base: str) -> bool:
    return url.startswith(base) or url.startswith(("data:", "blob:"))


def _open(browser, url: str):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    record = {"console": [], "failed": [], "requests": []}
    page.on("console", lambda m: record["console"].append(f"{m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: record["console"].append(f"page error: {e}"))
    page.on("requestfailed", lambda r: record["failed"].append(r.url))
    page.on("request", lambda r: record["requests"].append(r.url))
    page.goto(url, wait_until="networkidle")
    return page, record


@pytest.mark.parametrize("page_path", toc_pages())
def test_page_loads_cleanly(browser, site, page_path):
    page, record = _open(browser, f"{site}/{page_path}")
    try:
        if page.locator(".math").count():
            # "attached", not "visible": the first formula may sit in a folded solution.
            page.wait_for_selector("mjx-container", state="attached", timeout=15000)
            assert page.locator("mjx-container").count() >= page.locator(".math").count()
            assert not page.locator("mjx-merror").count(), "MathJax reported a formula error"
        assert not record["console"], record["console"]
        assert not record["failed"], record["failed"]
        outside = [u for u in record["requests"] if not _is_local(u, site)]
        assert not outside, f"requests left 127.0.0.1: {outside}"
    finally:
        page.close()


def _explorers(page):
    """Each explorer is a VBox holding its sliders and, last, the picture: a Stack of frames, which
    renders as a plain box showing only the selected frame."""
    return page.locator(".widget-vbox:has(> .widget-slider)")


@pytest.mark.parametrize("page_path", [p for p in toc_pages() if re.search(r"chapters/\d\d_", p)])
def test_every_slider_changes_the_picture(browser, site, page_path):
    page, record = _open(browser, f"{site}/{page_path}")
    try:
        page.wait_for_selector(".widget-slider", timeout=15000)
        boxes = _explorers(page)
        assert boxes.count() > 0, "no explorer rendered on a chapter page"
        for b in range(boxes.count()):
            box = boxes.nth(b)
            sliders = box.locator(".widget-slider")
            for s in range(sliders.count()):
                picture = box.locator(":scope > .widget-box").last
                picture.scroll_into_view_if_needed()
                sliders.nth(s).locator(".noUi-handle").focus()
                page.keyboard.press("Home")  # the slider's first position ...
                page.wait_for_timeout(200)
                first = picture.screenshot()
                page.keyboard.press("End")  # ... and its last must show different pictures
                page.wait_for_timeout(200)
                last = picture.screenshot()
                assert first != last, f"explorer {b}, slider {s}: the picture did not change"
        assert not record["console"], record["console"]
    finally:
        page.close()
