"""A small Sphinx extension that the book's ``_config.yml`` lists; it does five things.

1. **Static sliders.** It sets ``DLMATH_STATIC=1`` before any notebook runs. The kernels that execute
   the chapters inherit it, so every explorer pre-renders its frames (see :mod:`dlmath.widgets`)
   and the sliders work in the published page with no kernel behind it.
2. **No third-party requests.** When ``npm ci --prefix web`` has installed the pinned web assets, it
   points require.js, the widget manager and MathJax at copies served from the book's own
   ``_static/vendor`` folder. Without them the build still works on the CDN copies and says so.
3. **A notebook to download.** Each chapter page offers its ``.ipynb`` in the download menu.
4. **No stale pictures.** Executed chapters are cached, keyed on the chapter's text only; when the
   ``dlmath`` source changes, it empties that cache so every figure is drawn by the current code.
5. **Fair timings.** The executing kernels run NumPy's linear algebra on one thread (see
   :data:`SINGLE_THREAD_ENV`), so the timings a chapter measures while the book builds are not
   distorted by other work on the build machine.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

from .widgets.explorer import STATIC_ENV

logger = logging.getLogger(__name__)

PACKAGE_DIR = Path(__file__).resolve().parent

#: What the book serves itself, as (source inside web/node_modules, destination inside _static/vendor).
ASSETS = (
    ("requirejs/require.js", "require.js"),
    # At this path the manager's fonts resolve: it loads them relative to require.js's baseUrl.
    ("@jupyter-widgets/html-manager/dist", "@jupyter-widgets/html-manager/dist"),
    ("mathjax/es5", "mathjax"),
)


def _web_modules(app: Sphinx) -> Path:
    return Path(app.srcdir) / "web" / "node_modules"


def source_hash() -> str:
    """A digest of every Python file in ``dlmath``: it changes when any of the code changes."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _use_local_assets(app: Sphinx, config) -> None:
    modules = _web_modules(app)
    if not all((modules / src).exists() for src, _ in ASSETS):
        logger.info("dlmath: web assets not installed (run `npm ci --prefix web`); using CDN copies")
        return
    config.nb_ipywidgets_js = {
        "vendor/require.js": {},
        "vendor/widget-manager-setup.js": {},
        # The manager bundles the built-in widgets, so it needs no CDN for the book's widgets.
        "vendor/@jupyter-widgets/html-manager/dist/embed-amd.js": {},
    }
    config.mathjax_path = "vendor/mathjax/tex-chtml.js"
    logger.info("dlmath: serving require.js, the widget manager and MathJax from _static/vendor")


def _drop_stale_cache(app: Sphinx, config) -> None:
    # Where myst-nb keeps the cache when none is configured: beside the html folder.
    cache = getattr(config, "nb_execution_cache_path", "") or Path(app.outdir).parent / ".jupyter_cache"
    cache_dir = Path(app.srcdir, cache).resolve()
    stamp = cache_dir.parent / "dlmath-source.sha256"
    current = source_hash()
    app.dlmath_code_changed = not (stamp.exists() and stamp.read_text() == current)
    if not app.dlmath_code_changed:
        return
    if cache_dir.exists():
        logger.info("dlmath: the package changed since the last build; re-executing every chapter")
        shutil.rmtree(cache_dir)
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(current)


def _reread_all_after_code_change(app: Sphinx, env, added: set, changed: set, removed: set) -> list[str]:
    """Sphinx re-reads only chapters whose text changed; new code must redraw all of them."""
    return sorted(env.found_docs) if getattr(app, "dlmath_code_changed", False) else []


#: Runs after require.js and before the widget manager (see ``nb_ipywidgets_js`` above).
WIDGET_MANAGER_SETUP = """// Written by dlmath.sphinxext.
// 1. require.js resolves module paths, and the widget manager its fonts, against baseUrl. By default
//    that is the page's own folder; point it at _static/vendor, found from Sphinx's content root.
require.config({
  baseUrl: (document.documentElement.dataset.content_root || "") + "_static/vendor/"
});

// 2. The widget manager typesets widget labels with MathJax 2's API, MathJax.Hub.Queue(...), whenever
//    window.MathJax exists. The book loads MathJax 3, which has no Hub, and replaces window.MathJax
//    when it starts. Give every MathJax object the one call the manager makes, done the MathJax 3 way.
(function () {
  function withHub(mathjax) {
    if (mathjax && typeof mathjax === "object" && !mathjax.Hub) {
      mathjax.Hub = {
        Queue: function (job) {
          var element = job && job[2];
          if (window.MathJax && window.MathJax.typesetPromise) {
            window.MathJax.typesetPromise(element ? [element] : undefined);
          }
        }
      };
    }
    return mathjax;
  }
  var current = withHub(window.MathJax);
  Object.defineProperty(window, "MathJax", {
    configurable: true,
    enumerable: true,
    get: function () { return current; },
    set: function (value) { current = withHub(value); }
  });
})();
"""


def _copy_assets(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    modules = _web_modules(app)
    vendor = Path(app.outdir) / "_static" / "vendor"
    for src, dst in ASSETS:
        source = modules / src
        if not source.exists():
            return
        target = vendor / dst
        if source.is_dir():
            shutil.copytree(source, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns("*.map", "*.LICENSE.txt"))
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    (vendor / "widget-manager-setup.js").write_text(WIDGET_MANAGER_SETUP)


def _no_favicon_request(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Say there is no icon, so browsers do not ask the server for a missing /favicon.ico."""
    context["metatags"] = context.get("metatags", "") + '\n<link rel="icon" href="data:,">'


def _dedupe_scripts(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Drop repeated <script> entries from a page.

    sphinx-thebe (which Jupyter Book always loads) registers an inline script declaring
    ``const THEBE_JS_URL``; Sphinx de-duplicates script files but not inline scripts, so it can land
    twice on a page, and the second ``const`` is a JavaScript error in the reader's console.
    """
    scripts = context.get("script_files")
    if not scripts:
        return
    seen: set = set()
    unique: list = []
    for script in scripts:
        # An inline script may carry filename None or "": both mean "no file".
        key = (script.filename or "", tuple(sorted(script.attributes.items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    scripts[:] = unique


def _offer_notebook_download(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Put a clean .ipynb of each chapter in _sources and list it in the page's download menu.

    The notebook has no outputs: opened in Jupyter it runs live, with sliders computed by Python.
    """
    source = Path(app.srcdir, pagename + ".md")
    if not source.exists() or not source.read_text(encoding="utf-8").startswith("---\njupytext:"):
        return
    import jupytext  # only needed while building

    target = Path(app.outdir, "_sources", pagename + ".ipynb")
    target.parent.mkdir(parents=True, exist_ok=True)
    jupytext.write(jupytext.read(source), target, fmt="ipynb")
    context["ipynb_source"] = pagename + ".ipynb"


#: Linear algebra libraries (OpenBLAS, MKL, OpenMP) each use one thread in the executing kernels.
#: Chapter 5 times a Python loop against one NumPy call while the book builds; on a busy build machine
#: a product split over several threads waits for whichever core is busiest (measured: 60 µs became
#: 16 ms), so the timings would describe the machine's other work instead of compiled code. One
#: thread each makes the comparison fair (the loop uses one core too). A value already set wins.
SINGLE_THREAD_ENV = ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_NUM_THREADS")


def setup(app: Sphinx) -> dict:
    os.environ[STATIC_ENV] = "1"  # inherited by the kernels that execute the chapters
    for name in SINGLE_THREAD_ENV:
        os.environ.setdefault(name, "1")  # inherited too; read when a kernel first imports NumPy
    app.connect("config-inited", _use_local_assets)
    app.connect("config-inited", _drop_stale_cache)
    app.connect("env-get-outdated", _reread_all_after_code_change)
    app.connect("build-finished", _copy_assets)
    app.connect("html-page-context", _no_favicon_request)
    # Before sphinx-book-theme builds its header buttons (priority 501), so the menu lists the notebook.
    app.connect("html-page-context", _offer_notebook_download, priority=500)
    app.connect("html-page-context", _dedupe_scripts, priority=900)  # after every script is added
    return {"parallel_read_safe": True, "parallel_write_safe": True}
