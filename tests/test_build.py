"""Layer 4: `jupyter-book build . -W -n --keep-going` succeeds with zero warnings, pages stay light."""

from __future__ import annotations

import re

from conftest import toc_pages

PAGE_BUDGET = 3 * 1024 * 1024  # bytes: a chapter page with its images


# Sphinx writes its warnings and errors as "path:line: WARNING: message" or "WARNING: message".
# (Not matched: the executing kernel's own log, e.g. ipykernel 7's "[IPKernelApp] WARNING | Kernel is
# running over TCP without encryption", a notice about the loopback connection, not about the book.)
SPHINX_PROBLEM = re.compile(r"(^|: )(WARNING|ERROR|CRITICAL): ")


def test_build_has_no_warnings(built_book):
    assert built_book.returncode == 0, built_book.log[-3000:]
    log = re.sub(r"\x1b\[[0-9;]*m", "", built_book.log)  # strip colour codes
    problems = [line for line in log.splitlines() if SPHINX_PROBLEM.search(line)]
    assert not problems, "\n".join(problems)
    assert "build succeeded" in log


def test_every_page_is_built_and_within_budget(built_book):
    for page in toc_pages():
        html = built_book.html / page
        assert html.exists(), page
        text = html.read_text()
        images = set(re.findall(r'src="([^"]+\.(?:png|svg|jpg))"', text))
        weight = html.stat().st_size + sum((html.parent / src).stat().st_size for src in images)
        assert weight <= PAGE_BUDGET, f"{page} weighs {weight / 1e6:.2f} MB"


def test_pages_use_local_web_assets(built_book):
    text = (built_book.html / "chapters" / "01_derivatives.html").read_text()
    assert "_static/vendor/require.js" in text and "_static/vendor/mathjax/tex-chtml.js" in text
    assert (built_book.html / "_static" / "vendor" / "@jupyter-widgets" / "html-manager" / "dist" / "embed-amd.js").exists()
    assert "cdn.jsdelivr.net" not in text and "cdnjs.cloudflare.com" not in text


def test_notebook_download_is_offered(built_book):
    text = (built_book.html / "chapters" / "01_derivatives.html").read_text()
    assert "01_derivatives.ipynb" in text
    assert (built_book.html / "_sources" / "chapters" / "01_derivatives.ipynb").exists()


def test_internal_links_resolve(built_book):
    """Every relative href/src in every built page points at a file that exists."""
    from urllib.parse import unquote, urlsplit

    broken = []
    for page in sorted(built_book.html.rglob("*.html")):
        if "_static" in page.parts:
            continue
        for target in re.findall(r'(?:href|src)="([^"#]*)(?:#[^"]*)?"', page.read_text()):
            parts = urlsplit(target)
            if not target or parts.scheme or target.startswith(("//", "data:", "mailto:")):
                continue
            path = (page.parent / unquote(parts.path)).resolve()
            if not path.exists():
                broken.append(f"{page.relative_to(built_book.html)} -> {target}")
    assert not broken, "\n".join(broken[:20])


def test_glossary_is_found_by_its_chinese_terms(built_book):
    """The book's search indexes the glossary's Chinese terms (Sphinx's English splitter keeps a run
    of CJK characters as one word, so a whole term such as 过拟合 is found)."""
    import json

    text = (built_book.html / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(text[text.index("(") + 1 : text.rindex(")")])
    glossary = index["docnames"].index("chapters/appendix_glossary")
    for term in ["导数", "偏导数", "链式法则", "梯度下降", "学习率", "小批量", "过拟合", "激活函数", "反向传播"]:
        docs = index["terms"].get(term)
        docs = [docs] if isinstance(docs, int) else docs or []
        assert glossary in docs, f"the search does not find {term} in the glossary"
