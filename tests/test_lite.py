"""Layer 7: "Run live in the browser", the JupyterLite site inside the built book (dlmath.litesite).

Checked here, with no internet but PyPI: the site holds one notebook per chapter of _toc.yml (first
cell `%pip install dlmath`, live mode, the book's {eval} values) and the dlmath wheel in its own
package index with the PyPI fallback off; dlmath's requirements resolve from that index and Pyodide's
lock alone; every chapter page's launch button targets an existing notebook; the kernel loads the
pinned Pyodide from its CDN. In Chromium the button opens JupyterLab with the chapter and the Pyodide
kernel reaches "Idle", with the npm `pyodide` package's interpreter and PyPI's copies of the
pure-Python lock wheels the kernel's start loads served at the CDN address (see the Chromium section:
Pyodide's own copies differ in bytes, so the served lock carries the served files' sha256), and every
other outside request aborted; then `%pip install ipywidgets` takes it from the site and a slider renders.

Not checkable here: running the chapters' NumPy cells in the browser (Pyodide's NumPy, SciPy and
matplotlib builds exist only on its CDN), and the bytes of Pyodide's own copies of the start-up wheels.
As far as it goes without them: the versions in the pinned Pyodide's lock file satisfy dlmath's
requirements, and the working tree's dlmath runs an explorer in live mode under exactly those versions
on the CPython closest to Pyodide's (`test_dlmath_runs_under_the_pyodide_versions`).
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

from conftest import ROOT, chapter_files
from test_browser import browser  # noqa: F401  (the book's browser tests' Chromium fixture)

PYODIDE_NPM = ROOT / "web" / "node_modules" / "pyodide"
PROJECT = tomllib.loads((ROOT / "code" / "pyproject.toml").read_text())["project"]
BUTTON = re.compile(r'<a href="([^"]*lite/lab/index\.html\?path=[^"]*)"[^>]*>')


def _pyodide_version() -> str:
    """The Pyodide version the site's kernel loads (its package sits apart, in web/lite/kernel)."""
    from dlmath.litesite import kernel_dir

    constants = kernel_dir(ROOT) / "jupyterlite_pyodide_kernel" / "constants.py"
    assert constants.exists(), f"{constants} is missing: run `make install`"
    return re.search(r'^PYODIDE_VERSION = "([^"]+)"', constants.read_text(), re.M).group(1)


def _cdn() -> str:
    return f"https://cdn.jsdelivr.net/pyodide/v{_pyodide_version()}/full/"


def _lock() -> dict:
    path = PYODIDE_NPM / "pyodide-lock.json"
    assert path.exists(), f"{path} is missing: run `npm ci --prefix web`"
    return json.loads(path.read_text())


def _chapter_pages() -> list[str]:
    return [p.relative_to(ROOT).with_suffix("").as_posix() for p in chapter_files()]


@pytest.fixture(scope="module")
def lite(built_book) -> Path:
    assert built_book.returncode == 0, "the book did not build; see test_build"
    site = built_book.html / "lite"
    assert (site / "lab" / "index.html").exists(), "no JupyterLite site in the built book"
    return site


def _lite_config(lite: Path) -> dict:
    return json.loads((lite / "jupyter-lite.json").read_text())["jupyter-config-data"]


# --- the site's contents -------------------------------------------------------------------------------


@pytest.mark.parametrize("docname", _chapter_pages())
def test_one_live_notebook_per_chapter(lite, docname):
    path = lite / "files" / f"{docname}.ipynb"
    assert path.exists(), f"{path.name} is not in the lite site"
    nb = json.loads(path.read_text())
    first = nb["cells"][0]
    assert first["cell_type"] == "code" and "".join(first["source"]) == "%pip install dlmath"
    assert nb["metadata"]["kernelspec"]["name"] == "python"  # the Pyodide kernel
    code = [" ".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    assert not any("DLMATH_STATIC" in c for c in code), "the live notebooks must run the explorers live"
    assert not any(c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code"), "no pre-rendered outputs"
    # The chapter's cells are all there, after the install cell.
    import jupytext

    assert len(nb["cells"]) == len(jupytext.read(ROOT / f"{docname}.md").cells) + 1
    # Every {eval} in the prose carries the book's value (the Pyodide kernel does not evaluate them).
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            expressions = re.findall(r"\{eval\}`([^`\n]+)`", "".join(cell["source"]))
            stored = [e["expression"] for e in cell.get("metadata", {}).get("user_expressions", [])]
            assert stored == expressions, f"{docname}: {expressions} without their values"


def test_dlmath_wheel_in_the_site_index_and_no_pypi_fallback(lite):
    index = json.loads((lite / "pypi" / "all.json").read_text())
    for name in ("dlmath", "ipywidgets", "comm", "jupyterlab-widgets"):
        assert name in index, f"{name} is not in the lite site's package index"
    release = index["dlmath"]["releases"][PROJECT["version"]]
    wheel = lite / "pypi" / Path(urlsplit(release[0]["url"]).path).name
    assert wheel.exists()
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        metadata = zf.read(f"dlmath-{PROJECT['version']}.dist-info/METADATA").decode()
    modules = {p.relative_to(ROOT / "code").as_posix() for p in (ROOT / "code" / "dlmath").rglob("*.py")}
    assert modules <= names, f"the wheel lacks {sorted(modules - names)[:5]}"
    assert "dlmath/datasets/digits.npz" in names or any(n.endswith(".npz") for n in names)
    required = {Requirement(line.split(":", 1)[1]) for line in metadata.splitlines() if line.startswith("Requires-Dist:")}
    assert required == {Requirement(d) for d in PROJECT["dependencies"]}
    config = _lite_config(lite)
    kernel = config["litePluginSettings"]["@jupyterlite/pyodide-kernel-extension:kernel"]
    assert kernel["disablePyPIFallback"] is True
    assert any(url.split("?")[0] == "./pypi/all.json" for url in kernel["pipliteUrls"])


def _site_wheels(lite: Path) -> dict[str, Path]:
    """The wheels piplite can install without PyPI: the book's index and the Pyodide kernel's own."""
    kernel = lite / "extensions" / "@jupyterlite" / "pyodide-kernel-extension" / "static" / "pypi"
    wheels = {}
    for path in [*sorted(kernel.glob("*.whl")), *sorted((lite / "pypi").glob("*.whl"))]:
        wheels[re.sub(r"[-_.]+", "-", path.name.split("-")[0]).lower()] = path  # the newest stub wins
    return wheels


def test_dlmath_resolves_from_the_site_and_pyodide_alone(lite):
    """`%pip install dlmath` with the PyPI fallback off: every requirement of dlmath, and of each wheel
    it pulls from the site's index, is met by the site's index or by a package of Pyodide's lock (whose
    own dependencies the lock lists), at a version that satisfies it, on Pyodide's platform."""
    lock = _lock()
    packages = {re.sub(r"[-_.]+", "-", k).lower(): v for k, v in lock["packages"].items()}
    site = _site_wheels(lite)
    environment = {"sys_platform": "emscripten", "platform_system": "Emscripten", "platform_machine": "wasm32",
                   "python_version": ".".join(lock["info"]["python"].split(".")[:2]),
                   "python_full_version": lock["info"]["python"], "implementation_name": "cpython", "extra": ""}
    todo, seen, unmet = ["dlmath"], set(), []
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        with zipfile.ZipFile(site[name]) as zf:
            metadata = zf.read(next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))).decode()
        for line in metadata.splitlines():
            if not line.startswith("Requires-Dist:"):
                continue
            requirement = Requirement(line.split(":", 1)[1])
            if requirement.marker and not requirement.marker.evaluate(environment):
                continue
            key = re.sub(r"[-_.]+", "-", requirement.name).lower()
            if key in site:
                version = site[key].name.split("-")[1]
                todo.append(key)
            elif key in packages:
                version = packages[key]["version"]
            else:
                unmet.append(f"{name} needs {requirement}: neither in the site's index nor in Pyodide")
                continue
            if not requirement.specifier.contains(version, prereleases=True):
                unmet.append(f"{name} needs {requirement}, there is {version}")
    assert not unmet, unmet
    assert {"ipywidgets", "comm", "jupyterlab-widgets"} <= seen


def test_site_ships_myst_and_widgets_and_disables_jupytext(lite):
    config = _lite_config(lite)
    extensions = {e["name"] for e in config["federated_extensions"]}
    assert {"jupyterlab-myst", "@jupyter-widgets/jupyterlab-manager", "@jupyterlite/pyodide-kernel-extension"} <= extensions
    assert "jupyterlab-jupytext" in config["disabledExtensions"]
    assert not list(lite.rglob("*.js.map")), "source maps make the site heavier"


@pytest.mark.parametrize("docname", _chapter_pages())
def test_launch_button_targets_an_existing_notebook(built_book, lite, docname):
    page = built_book.html / f"{docname}.html"
    links = BUTTON.findall(page.read_text())
    assert len(links) == 1, f"{docname}: {len(links)} launch links"
    tag = re.search(r'<a href="[^"]*lite/lab/index\.html[^>]*>', page.read_text()).group(0)
    assert "Pyodide&#39;s CDN" in tag or "Pyodide's CDN" in unescape(tag), "the tooltip must say where Python comes from"
    href = unescape(links[0])
    parts = urlsplit(href)
    assert (page.parent / parts.path).resolve() == (lite / "lab" / "index.html").resolve()
    target = parse_qs(parts.query)["path"][0]
    assert (lite / "files" / target).exists(), f"{docname}: the button opens {target}, which is not in the site"


@pytest.mark.parametrize("docname", _chapter_pages())
def test_download_notebook_stays_without_outputs(built_book, docname):
    """The theme's launch buttons copy the executed notebook over the download one; dlmath.litesite
    puts the clean one back (it runs live in Jupyter, and weighs kB, not MB)."""
    nb = json.loads((built_book.html / "_sources" / f"{docname}.ipynb").read_text())
    assert not any(c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code")


def test_pyodide_kernel_stays_out_of_the_books_jupyterlab():
    """The kernel's lab extension, installed beside JupyterLab, fails there ("Shared module
    @jupyterlite/services doesn't exist"): only the lite build may see it (web/lite/kernel.txt)."""
    from dlmath.litesite import kernel_extension, kernel_version

    pinned = re.search(r"^jupyterlite-pyodide-kernel==(\S+)", (ROOT / "web" / "lite" / "kernel.txt").read_text(), re.M)
    assert kernel_version(ROOT) == pinned.group(1), "web/lite/kernel is not the pinned kernel: run `make install`"
    assert (kernel_extension(ROOT) / "package.json").exists()
    installed = Path(sys.prefix) / "share" / "jupyter" / "labextensions" / "@jupyterlite" / "pyodide-kernel-extension"
    assert not installed.exists(), f"{installed} would load in the book's JupyterLab"


def test_kernel_loads_the_pinned_pyodide_from_its_cdn(lite):
    assert json.loads((PYODIDE_NPM / "package.json").read_text())["version"] == _pyodide_version()
    config = _lite_config(lite)
    settings = config.get("litePluginSettings", {}).get("@jupyterlite/pyodide-kernel-extension:kernel", {})
    url = settings.get("pyodideUrl")
    if url is None:  # the kernel's built-in default, in its bundle
        bundles = (lite / "extensions" / "@jupyterlite" / "pyodide-kernel-extension" / "static").glob("*.js")
        urls = {u for b in bundles for u in re.findall(r"https://cdn\.jsdelivr\.net/pyodide/[^\"'`]+", b.read_text())}
        assert len(urls) == 1, urls
        url = urls.pop()
    assert url == _cdn() + "pyodide.mjs"


# --- the versions the browser will run -----------------------------------------------------------------


def _pyodide_versions() -> dict[str, str]:
    """What `%pip install dlmath` gets in the browser: the lock's builds, and ipywidgets from the site."""
    packages = _lock()["packages"]
    versions = {name: packages[name]["version"] for name in ("numpy", "scipy", "matplotlib")}
    wheels = (ROOT / "web" / "lite" / "wheels.txt").read_text()
    versions["ipywidgets"] = re.search(r"^ipywidgets==(\S+)", wheels, re.M).group(1)
    assert "ipywidgets" not in packages, "Pyodide now ships ipywidgets: use its version"
    return versions


def test_pyodide_lock_satisfies_dlmath_requirements():
    lock = _lock()
    python = Version(lock["info"]["python"])
    assert python in Requirement(f"python{PROJECT['requires-python']}").specifier
    versions = _pyodide_versions()
    for dependency in PROJECT["dependencies"]:
        requirement = Requirement(dependency)
        assert requirement.name in versions, f"{requirement.name} is neither in Pyodide nor in the site"
        assert requirement.specifier.contains(versions[requirement.name]), (
            f"Pyodide {_pyodide_version()} has {requirement.name} {versions[requirement.name]}; dlmath needs {requirement}"
        )


LIVE_CHECK = """
import os, sys
os.environ.pop("DLMATH_STATIC", None)
import numpy, scipy, matplotlib, ipywidgets
import dlmath
print(dlmath.__file__)
from dlmath.widgets import EXPLORERS
from dlmath.widgets.explorer import static_mode
assert not static_mode()
print(numpy.__version__, scipy.__version__, matplotlib.__version__, ipywidgets.__version__)
box = EXPLORERS["secant_explorer"]()
before = box.image.value
slider = box.sliders[0]
slider.index = 0 if slider.index else len(slider.options) - 1
assert box.image.value != before, "the picture did not change"
"""


def _closest_python() -> tuple[str, str]:
    """The CPython nearest to Pyodide's (3.14) found here, newest first, else this one: (path, version).
    SciPy 1.18 has no build for Python 3.11; the machine image has 3.12 and 3.13 under pyenv."""
    wanted = Version(_lock()["info"]["python"])
    candidates = []
    for minor in range(wanted.minor, 11, -1):
        candidates.append(shutil.which(f"python3.{minor}"))
        candidates += sorted(map(str, Path.home().glob(f".pyenv/versions/3.{minor}.*/bin/python3.{minor}")), reverse=True)
    for candidate in filter(None, candidates):
        probe = subprocess.run([candidate, "-c", "import sys, venv; print('%d.%d.%d' % sys.version_info[:3])"],
                               capture_output=True, text=True)
        if probe.returncode == 0:
            return candidate, probe.stdout.strip()
    return sys.executable, ".".join(map(str, sys.version_info[:3]))


def _pinned_env(versions: dict[str, str]) -> tuple[Path, str, list[str]]:
    """An environment (under .venv/, made once, then reused) with exactly the lock's versions, on the
    CPython closest to Pyodide's. Only if a version has no build for that Python is it replaced by the
    newest release of the same major version, and reported. dlmath itself is not installed there: the
    check imports the working tree's code."""
    base, python_version = _closest_python()
    key = hashlib.sha256(json.dumps([python_version, versions], sort_keys=True).encode()).hexdigest()[:12]
    env = ROOT / ".venv" / f"pyodide-pins-{key}"
    python = env / "bin" / "python"
    done = env / ".installed"
    if not done.exists():
        subprocess.run([base, "-m", "venv", "--clear", str(env)], check=True)
        pins = {name: f"{name}=={version}" for name, version in versions.items()}
        substituted = []
        for name in list(pins):
            probe = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--dry-run", "--no-deps",
                                    pins[name]], capture_output=True, text=True)
            if probe.returncode != 0:
                pins[name] = f"{name}=={Version(versions[name]).major}.*"
                substituted.append(f"{name} {versions[name]}")
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", *pins.values()], check=True)
        done.write_text(json.dumps(substituted))
    return python, python_version, json.loads(done.read_text())


def test_dlmath_runs_under_the_pyodide_versions():
    """dlmath imports and runs an explorer in live mode under the versions Pyodide will give it, in a
    separate environment pinned to them."""
    versions = _pyodide_versions()
    python, python_version, substituted = _pinned_env(versions)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "code")}
    env.pop("DLMATH_STATIC", None)
    result = subprocess.run([str(python), "-c", LIVE_CHECK], capture_output=True, text=True, cwd=python.parent,
                            env=env, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert not result.stderr.strip(), result.stderr
    lines = result.stdout.split("\n")
    assert lines[0] == str(ROOT / "code" / "dlmath" / "__init__.py"), f"not the working tree's dlmath: {lines[0]}"
    shown = dict(zip(versions, lines[1].split()))
    for name, version in versions.items():
        if not any(s.startswith(f"{name} ") for s in substituted):
            assert shown[name] == version, f"{name}: {shown[name]} instead of Pyodide's {version} (Python {python_version})"
        else:
            assert Version(shown[name]).major == Version(version).major
    if substituted:  # reported in the closing summary
        import warnings

        warnings.warn(f"not available for Python {python_version}, tested with the newest same-major release "
                      f"instead: {substituted}")


def test_preface_says_where_live_python_comes_from():
    """The book makes no third-party request until the reader presses the button; the preface says so."""
    text = (ROOT / "chapters" / "preface.md").read_text()
    assert "Run live in" in text and "Pyodide's CDN" in text


# --- in Chromium ----------------------------------------------------------------------------------------
#
# The Pyodide kernel (jupyterlite-pyodide-kernel 0.8.6, its worker's initPackageManager and initKernel)
# starts by loading Pyodide from `pyodideUrl`, then `loadPackage(["micropip"])` from Pyodide's lock, then
# `piplite.install` of ipykernel, comm, pyodide-kernel, jedi and ipython: the first three come from the
# site's own index (the kernel's wheels and the book's comm), jedi and ipython with their dependencies
# from Pyodide's lock, that is from the CDN. The npm `pyodide` package holds only the interpreter, so the
# test must also serve those lock packages. They are all pure Python, and PyPI has the same releases,
# but not the same files: Pyodide's build repacks the wheels it ships, so none of PyPI's is
# byte-identical to the lock's (measured: 0 of 15), and Pyodide checks each file against the lock's
# sha256. The test therefore serves, at the CDN address, PyPI's wheel of exactly the lock's name,
# version and file name (pip checks it against the hash its index gives), and the npm package's lock
# with only those entries' sha256 set to the served files'. Not checked by this: the bytes of Pyodide's
# own copies of those 15 wheels.

#: Lock packages the kernel's start loads by name; their dependencies in the lock are added.
KERNEL_START_FROM_LOCK = ("micropip", "jedi", "ipython")


def _lock_closure(roots) -> list[str]:
    packages = _lock()["packages"]
    keys = {re.sub(r"[-_.]+", "-", key).lower(): key for key in packages}  # the lock's depends use either
    seen: list[str] = []

    def visit(name: str) -> None:
        name = keys.get(re.sub(r"[-_.]+", "-", name).lower(), name)
        if name not in seen:
            assert name in packages, f"{name} is not in Pyodide's lock"
            seen.append(name)
            for dependency in packages[name]["depends"]:
                visit(dependency)

    for root in roots:
        visit(root)
    return sorted(seen)


@pytest.fixture(scope="session")
def kernel_start_wheels() -> dict[str, Path]:
    """PyPI's copies of the lock's packages the kernel's start loads, by file name (downloaded once,
    into .venv/). Each must be a pure-Python wheel of exactly the lock's version and file name."""
    lock = _lock()
    cache = ROOT / ".venv" / f"pyodide-{_pyodide_version()}-kernel-start"
    python = ".".join(lock["info"]["python"].split(".")[:2])
    entries = [lock["packages"][name] for name in _lock_closure(KERNEL_START_FROM_LOCK)]
    for entry in entries:
        assert entry["file_name"].endswith("-none-any.whl"), f"{entry['file_name']}: not pure Python, only Pyodide's CDN has it"
    missing = [f"{entry['name']}=={entry['version']}" for entry in entries if not (cache / entry["file_name"]).exists()]
    if missing:
        result = subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
             "--python-version", python, "--dest", str(cache), *missing],
            capture_output=True, text=True,
        )
        assert result.returncode == 0, result.stderr[-2000:]
    wheels = {entry["file_name"]: cache / entry["file_name"] for entry in entries}
    absent = [name for name, path in wheels.items() if not path.exists()]
    assert not absent, f"PyPI's wheels are not named as the lock's {absent}: {sorted(os.listdir(cache))}"
    return wheels


def _served_lock(wheels: dict[str, Path]) -> bytes:
    """The npm package's lock, with the sha256 of each served PyPI wheel in place of Pyodide's."""
    lock = _lock()
    replaced = 0
    for entry in lock["packages"].values():
        if entry["file_name"] in wheels:
            entry["sha256"] = hashlib.sha256(wheels[entry["file_name"]].read_bytes()).hexdigest()
            replaced += 1
    assert replaced == len(wheels)
    return json.dumps(lock).encode()


def test_launch_button_opens_the_chapter_in_jupyterlite(browser, built_book, lite, kernel_start_wheels):
    """Click the button on Chapter 1: JupyterLab opens the chapter and the Pyodide kernel reaches Idle,
    with the npm package's interpreter and PyPI's copies of the lock's start-up wheels served at the CDN
    address (see above); then `%pip install ipywidgets` takes it from the site's index and a slider
    renders. Every other request that leaves 127.0.0.1 is aborted and fails the test."""
    import functools
    import http.server
    import threading

    from playwright.sync_api import expect
    from test_browser import _QuietHandler

    handler = functools.partial(_QuietHandler, directory=str(built_book.html))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    cdn = _cdn()
    lock = _served_lock(kernel_start_wheels)
    served, aborted, local = [], [], []
    kinds = {".mjs": "text/javascript", ".js": "text/javascript", ".wasm": "application/wasm",
             ".json": "application/json", ".zip": "application/zip", ".whl": "application/zip"}

    def route(r):
        url = r.request.url
        if url.startswith(base) or url.startswith(("data:", "blob:")):
            local.append(url)
            return r.continue_()
        name = url[len(cdn):].split("?")[0] if url.startswith(cdn) else ""
        if name == "pyodide-lock.json":
            body = lock
        elif name in kernel_start_wheels:
            body = kernel_start_wheels[name].read_bytes()
        elif name and "/" not in name and (PYODIDE_NPM / name).is_file():
            body = (PYODIDE_NPM / name).read_bytes()
        else:
            aborted.append(url)
            return r.abort()
        served.append(name)
        return r.fulfill(status=200, body=body, content_type=kinds.get(Path(name).suffix, "application/octet-stream"),
                         headers={"Access-Control-Allow-Origin": "*"})

    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="allow")
    context.route("**/*", route)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    shot = built_book.html.parent / "lite-chapter.png"
    try:
        page.goto(f"{base}/chapters/01_derivatives.html", wait_until="load")
        button = page.locator('a[href*="lite/lab/index.html?path="]')
        assert button.count() == 1
        page.locator('button[aria-label="Launch interactive content"]').click()
        with context.expect_page(timeout=60000) as opened:  # the button opens a new tab
            button.first.click()
        page = opened.value
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.wait_for_load_state("load")
        assert "lite/lab/index.html?path=chapters/01_derivatives.ipynb" in page.url
        page.locator(".lm-TabBar-tab", has_text="01_derivatives.ipynb").first.wait_for(timeout=120000)
        expect(page.locator(".jp-Notebook .jp-Cell").first).to_contain_text("%pip install dlmath", timeout=60000)
        # The status bar reads "Python (Pyodide) | Idle" once the kernel has started.
        try:
            page.locator(".jp-StatusBar-Widget", has_text="Python (Pyodide) | Idle").first.wait_for(timeout=180000)
        finally:
            page.screenshot(path=str(shot))
            status = page.locator(".jp-StatusBar-Widget").all_inner_texts()
        # ipywidgets comes from the site's own index and its slider renders in lite. (The chapter's own
        # cells need NumPy, whose Pyodide build only the CDN has: not run here.)
        page.locator(".jp-Notebook .jp-Cell").first.click()
        page.keyboard.press("Escape")
        page.keyboard.press("b")  # a new cell below the install cell
        page.keyboard.press("Enter")
        page.keyboard.type('%pip install ipywidgets\nimport ipywidgets\nipywidgets.IntSlider(3, description="live")')
        page.keyboard.press("Shift+Enter")
        cell = page.locator(".jp-Notebook .jp-Cell").nth(1)
        cell.locator(".widget-slider", has_text="live").wait_for(timeout=120000)
        assert not cell.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count()
        from_site = {urlsplit(u).path.split("/lite/pypi/")[-1] for u in local if "/lite/pypi/" in u}
        pins = re.findall(r"^([\w-]+)==(\S+)", (ROOT / "web" / "lite" / "wheels.txt").read_text(), re.M)
        expected = {f"{name.replace('-', '_')}-{version}-py3-none-any.whl" for name, version in pins}
        assert expected <= from_site, f"not taken from the site's index: {expected - from_site}"
        page.screenshot(path=str(shot))
        assert {"pyodide.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"} <= set(served), served
        assert set(kernel_start_wheels) <= set(served), f"start-up wheels never requested: {set(kernel_start_wheels) - set(served)}"
        assert not aborted, f"requests aborted (not served by the test): {aborted}"
        assert not errors, errors
    except Exception as error:
        page.screenshot(path=str(shot))
        raise AssertionError(f"{error}\nstatus bar: {locals().get('status')}\nserved at the CDN address: {served}\n"
                             f"aborted: {aborted}\npage errors: {errors}\nscreenshot: {shot}") from error
    finally:
        context.close()
        server.shutdown()

