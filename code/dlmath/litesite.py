"""A Sphinx extension (listed in ``_config.yml``) that ships a JupyterLite site inside the built book.

Every chapter page gets a launch button, "Run live in the browser", that opens the chapter as a
notebook in JupyterLite: JupyterLab running entirely in the reader's browser on Pyodide (Python compiled
to WebAssembly). The extension

1. converts each chapter (MyST Markdown, which JupyterLite's Jupytext cannot open) into a ``.ipynb``
   whose first cell is ``%pip install dlmath`` (without ``-q``, which would hide a failed install);
   the notebooks carry no outputs and nothing sets ``DLMATH_STATIC``, so the explorers run live;
2. builds the wheel of ``dlmath`` from the book's own code and puts it, with the three pure-Python
   wheels ipywidgets needs that Pyodide does not ship (``web/lite/wheels``, fetched by
   ``make install``), into the site's own package index; the PyPI fallback is off (``web/lite``), so
   ``%pip install dlmath`` takes the book's version and nothing else;
3. copies into each lite notebook the values the book computed for its ``{eval}`` expressions: the
   Pyodide kernel does not answer ``user_expressions`` (it runs only a request's ``code``), so
   jupyterlab-myst keeps showing whatever the cell's ``user_expressions`` metadata holds: the book's
   numbers rather than bare expressions;
4. points the theme's JupyterLite button at the site with a path relative to each page, and says in
   its tooltip that pressing it loads Python from Pyodide's CDN (the only third-party request the book
   makes, and only then);
5. removes the web font that jupyterlite-sphinx adds to every page (a request to a font CDN that the
   book does not use).

``jupyterlite-sphinx`` then runs ``jupyter lite build`` (offline) into ``<html>/lite`` at the end of the
build, with the lab extensions of this environment: jupyterlab-myst (renders the chapters' MyST) and the
widget manager; and the Pyodide kernel, which ``make install`` puts apart in ``web/lite/kernel`` (its lab
extension fails inside the book's own JupyterLab): this extension adds that folder to the build's
``PYTHONPATH`` and its lab extension to the build's ``federated_extensions``, for that build alone.
``web/lite/jupyter-lite.json`` disables jupyterlab-jupytext.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

PACKAGE_DIR = Path(__file__).resolve().parent
#: Where the lite notebooks open: JupyterLab of the lite site, below the html root.
LITE_APP = "lite/lab/index.html"
#: The first cell of every lite notebook.
INSTALL_CELL = "%pip install dlmath"
#: The kernel of the lite site (the Pyodide kernel's name).
LITE_KERNELSPEC = {"name": "python", "display_name": "Python (Pyodide)", "language": "python"}
TOOLTIP = (
    "Run this chapter live in your browser (JupyterLite). "
    "Pressing it loads Python (Pyodide) from Pyodide's CDN (jsDelivr), and the chapter's first cell "
    "then loads NumPy, SciPy and matplotlib from there too"
)
BUTTON_TEXT = "Run live in the browser"


def _lite_config_dir(app: Sphinx) -> Path:
    return Path(app.srcdir) / "web" / "lite"


def kernel_dir(root: Path) -> Path:
    """Where ``make install`` puts the Pyodide kernel (``web/lite/kernel.txt``)."""
    return Path(root) / "web" / "lite" / "kernel"


def kernel_extension(root: Path) -> Path:
    return kernel_dir(root) / "share" / "jupyter" / "labextensions" / "@jupyterlite" / "pyodide-kernel-extension"


def kernel_version(root: Path) -> str | None:
    found = sorted(kernel_dir(root).glob("jupyterlite_pyodide_kernel-*.dist-info"))
    return found[-1].name.removesuffix(".dist-info").split("-")[1] if found else None


def _work_dir(app: Sphinx) -> Path:
    """Beside the html folder (e.g. _build/lite-src), so that builds into other folders do not collide."""
    return Path(app.outdir).parent / "lite-src"


def _configure(app: Sphinx, config) -> None:
    work = _work_dir(app)
    config.jupyterlite_dir = str(work)
    config.jupyterlite_config = str(work / "jupyter_lite_config.json")  # copied there from web/lite
    # An absolute path: jupyterlite-sphinx joins it to the source folder, which leaves it as it is.
    config.jupyterlite_content_dir = str(work / "contents")
    config.jupyterlite_bind_ipynb_suffix = False  # the book's pages are .md; no .ipynb is a page
    # jupyterlite-sphinx adds a Google web font to every page; the book uses no such font.
    app.registry.css_files = [(name, attrs) for name, attrs in app.registry.css_files if "fonts.googleapis" not in str(name)]


# --- 3. the values of {eval} expressions, recorded while each chapter is read -------------------------


def _record_evals() -> None:
    """Wrap MyST-NB's evaluation of ``{eval}`` so that each expression's text/plain result is kept."""
    import myst_nb.ext.eval as nb_eval

    if getattr(nb_eval.retrieve_eval_data, "_dlmath_records", False):
        return
    original = nb_eval.retrieve_eval_data

    def retrieve_eval_data(document, key):
        outputs = original(document, key)
        env = document.settings.env
        text = outputs[0].data.get("text/plain") if outputs else None
        if text is not None:
            env.dlmath_evals.setdefault(env.docname, {})[key] = text
        return outputs

    retrieve_eval_data._dlmath_records = True
    nb_eval.retrieve_eval_data = retrieve_eval_data


def _init_evals(app: Sphinx, env, docnames) -> None:
    if not hasattr(env, "dlmath_evals"):
        env.dlmath_evals = {}


def _purge_evals(app: Sphinx, env, docname: str) -> None:
    getattr(env, "dlmath_evals", {}).pop(docname, None)


def _merge_evals(app: Sphinx, env, docnames, other) -> None:
    env.dlmath_evals = getattr(env, "dlmath_evals", {})
    env.dlmath_evals.update({d: v for d, v in getattr(other, "dlmath_evals", {}).items() if d in docnames})


# --- 1. the chapters as notebooks ---------------------------------------------------------------------


def _eval_expressions(markdown: str) -> list[str]:
    import re

    return re.findall(r"\{eval\}`([^`\n]+)`", markdown)


def lite_notebook(source: Path, evals: dict[str, str]):
    """The chapter at ``source`` as a notebook for JupyterLite (see the module docstring)."""
    import jupytext
    import nbformat

    nb = jupytext.read(source)
    nb.metadata.pop("jupytext", None)  # not a paired text notebook inside the lite site
    nb.metadata["kernelspec"] = dict(LITE_KERNELSPEC)
    nb.metadata["language_info"] = {"name": "python"}
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        found = [(expr, evals[expr]) for expr in _eval_expressions(cell.source) if expr in evals]
        if found:
            # What jupyterlab-myst writes after evaluating the cell's expressions in a kernel.
            cell.metadata["user_expressions"] = [
                {"expression": expr, "result": {"status": "ok", "data": {"text/plain": text}, "metadata": {}}}
                for expr, text in found
            ]
    nb.cells.insert(0, nbformat.v4.new_code_cell(INSTALL_CELL))
    for i, cell in enumerate(nb.cells):  # stable ids, so a rebuild writes the same bytes
        cell["id"] = f"cell-{i}"
    return nb


def _write_notebooks(app: Sphinx, contents: Path) -> list[str]:
    import nbformat

    evals = getattr(app.env, "dlmath_evals", {})
    written = []
    for docname in sorted(app.env.found_docs):
        source = Path(app.srcdir, docname + ".md")
        if not source.exists() or not source.read_text(encoding="utf-8").startswith("---\njupytext:"):
            continue
        target = contents / (docname + ".ipynb")
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(lite_notebook(source, evals.get(docname, {})), target)
        written.append(docname)
    return written


# --- 2. the package index -----------------------------------------------------------------------------


def _code_digest(code: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted([code / "pyproject.toml", *(code / "dlmath").rglob("*")]):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(code).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def build_dlmath_wheel(code: Path, dest: Path, cache: Path) -> Path:
    """Build the wheel of ``dlmath`` (pure Python) from ``code`` into ``dest``; reuse it while the code
    is unchanged. Built from a copy, so nothing is written into the repository."""
    stamp = cache / "dlmath-wheel.sha256"
    digest = _code_digest(code)
    cached = sorted(cache.glob("dlmath-*-py3-none-any.whl"))
    if not (cached and stamp.exists() and stamp.read_text() == digest):
        for old in cached:
            old.unlink()
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "code"
            shutil.copytree(code, copy, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", "tests", "build"))
            subprocess.run(
                [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                 "--no-index", "--wheel-dir", str(cache), str(copy)],
                check=True, capture_output=True, text=True,
            )
        stamp.write_text(digest)
        cached = sorted(cache.glob("dlmath-*-py3-none-any.whl"))
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(cached[0], dest / cached[0].name)
    return dest / cached[0].name


def _prepare_site(app: Sphinx, exception: Exception | None) -> None:
    """Runs before jupyterlite-sphinx's ``jupyter lite build`` (priority 400 < 500)."""
    if exception is not None or app.builder.format != "html":
        return
    app.dlmath_lite_started = time.perf_counter()
    work = _work_dir(app)
    config_dir = _lite_config_dir(app)
    work.mkdir(parents=True, exist_ok=True)
    shutil.copy2(config_dir / "jupyter-lite.json", work / "jupyter-lite.json")
    root = Path(app.srcdir)
    if not (kernel_version(root) and kernel_extension(root).is_dir()):
        logger.warning("dlmath.litesite: no Pyodide kernel in %s (run `make install`): the live chapters "
                       "would have no kernel", kernel_dir(root))
    build_config = json.loads((config_dir / "jupyter_lite_config.json").read_text())
    build_config["LiteBuildConfig"]["federated_extensions"] = [str(kernel_extension(root))]
    _write_if_changed(work / "jupyter_lite_config.json", json.dumps(build_config, indent=2, sort_keys=True) + "\n")
    # For `jupyter lite build` (a subprocess of this one): the kernel's build steps (its addons).
    app.dlmath_pythonpath = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(kernel_dir(root)), app.dlmath_pythonpath]))
    pypi = work / "pypi"
    shutil.rmtree(pypi, ignore_errors=True)
    build_dlmath_wheel(Path(app.srcdir) / "code", pypi, work / "wheel-cache")
    wheels = sorted((config_dir / "wheels").glob("*.whl"))
    required = [line.split("==")[0].strip().replace("-", "_").lower()
                for line in (config_dir / "wheels.txt").read_text().splitlines()
                if line.strip() and not line.startswith("#")]
    missing = [name for name in required if not any(w.name.lower().startswith(name + "-") for w in wheels)]
    if missing:
        logger.warning("dlmath.litesite: %s missing from web/lite/wheels (run `make install`): "
                       "the live chapters could not install ipywidgets", ", ".join(missing))
    for wheel in wheels:
        shutil.copy2(wheel, pypi / wheel.name)
    written = _write_notebooks(app, Path(app.config.jupyterlite_content_dir))
    logger.info("dlmath.litesite: %d notebooks and %d wheels for the JupyterLite site", len(written), len(wheels) + 1)
    # A cached build whose site would come out the same skips `jupyter lite build` (about 12 s).
    app.dlmath_lite_digest = _site_digest(work, root)
    stamp = Path(app.outdir) / "lite" / ".dlmath-lite.sha256"
    app.dlmath_lite_up_to_date = stamp.exists() and stamp.read_text() == app.dlmath_lite_digest
    if app.dlmath_lite_up_to_date:
        logger.info("dlmath.litesite: the JupyterLite site is up to date")


def _skip_when_up_to_date(app: Sphinx) -> None:
    """Wrap jupyterlite-sphinx's build-finished listener so that it does nothing when the site is current."""
    listeners = app.events.listeners["build-finished"]
    for i, listener in enumerate(listeners):
        if getattr(listener.handler, "__name__", "") == "jupyterlite_build":
            original = listener.handler

            def jupyterlite_build_unless_current(app, exception, _original=original):
                if not getattr(app, "dlmath_lite_up_to_date", False):
                    _original(app, exception)

            listeners[i] = listener._replace(handler=jupyterlite_build_unless_current)


def _site_digest(work: Path, root: Path) -> str:
    """Everything the lite site is built from: notebooks, wheels, settings and the JupyterLite versions."""
    from importlib.metadata import version

    digest = hashlib.sha256()
    for name in ("jupyterlite-core", "jupyterlite-sphinx", "jupyterlab-myst", "jupyterlab_widgets"):
        digest.update(f"{name}=={version(name)}".encode())
    digest.update(f"jupyterlite-pyodide-kernel=={kernel_version(root)}".encode())
    inputs = [work / "jupyter-lite.json", work / "jupyter_lite_config.json", *(work / "contents").rglob("*"), *(work / "pypi").rglob("*")]
    for path in sorted(p for p in inputs if p.is_file()):  # not .cache/, which jupyter lite build writes
        digest.update(path.relative_to(work).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _write_if_changed(path: Path, text: str) -> None:
    if not path.exists() or path.read_text() != text:
        path.write_text(text)


def _report_time(app: Sphinx, exception: Exception | None) -> None:
    """Runs after ``jupyter lite build``: how long the lite site added to this build."""
    if hasattr(app, "dlmath_pythonpath"):  # as it was before _prepare_site
        if app.dlmath_pythonpath is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = app.dlmath_pythonpath
    started = getattr(app, "dlmath_lite_started", None)
    if exception is None and started is not None:
        (Path(app.outdir) / "lite" / ".dlmath-lite.sha256").write_text(app.dlmath_lite_digest)
        logger.info("dlmath.litesite: the JupyterLite site took %.1f s", time.perf_counter() - started)


# --- 4. the launch button -----------------------------------------------------------------------------


def _launch_button(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Runs after sphinx-book-theme added its launch buttons (priority 501).

    With launch buttons on, the theme also copies the executed notebook, with all its outputs (1 to 3 MB
    a chapter), over the clean ``_sources`` notebook that ``dlmath.sphinxext`` offers for download:
    write the clean one again."""
    from dlmath.sphinxext import _offer_notebook_download

    _offer_notebook_download(app, pagename, templatename, context, doctree)
    for group in context.get("header_buttons", []):
        for button in group.get("buttons", []) if isinstance(group, dict) else []:
            if button.get("text") == "JupyterLite":
                button["url"] = f"{context['pathto'](LITE_APP, 1)}?path={pagename}.ipynb"
                button["text"] = BUTTON_TEXT
                button["tooltip"] = TOOLTIP


def setup(app: Sphinx) -> dict:
    if not _lite_config_dir(app).is_dir():  # e.g. one chapter built alone: its folder has no web/lite
        logger.info("dlmath.litesite: no web/lite in %s, so no live site and no launch button", app.srcdir)
        return {"parallel_read_safe": True, "parallel_write_safe": True}
    app.setup_extension("jupyterlite_sphinx")
    _skip_when_up_to_date(app)
    _record_evals()
    app.connect("config-inited", _configure, priority=400)  # before jupyterlite-sphinx empties the folder
    app.connect("env-before-read-docs", _init_evals)
    app.connect("env-purge-doc", _purge_evals)
    app.connect("env-merge-info", _merge_evals)
    app.connect("html-page-context", _launch_button, priority=600)
    app.connect("build-finished", _prepare_site, priority=400)
    app.connect("build-finished", _report_time, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
