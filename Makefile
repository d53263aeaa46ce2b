# The book's two commands (see README.md):
#   make book   install what is needed, build the book, serve it on http://127.0.0.1:8000
#   make test   install what is needed, then run every test layer
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000

.PHONY: book test build bench lab install web-assets browser clean

book: build
	@echo "The book is at http://127.0.0.1:$(PORT)/  (Ctrl-C stops the server)"
	$(BIN)/python -m http.server $(PORT) --bind 127.0.0.1 --directory _build/html

build: install web-assets
	$(BIN)/jupyter-book build .

test: install web-assets browser
	$(BIN)/python -m pytest --rootdir . code/tests tests

bench: install web-assets
	$(BIN)/python -m dlmath.bench

# JupyterLab on the chapters, started from the repository root so that Jupytext reads jupytext.toml
# (opening and saving a chapter then leaves its text as it was).
lab: install
	$(BIN)/jupyter lab

install: $(VENV)/.installed

# Re-install only when the requirements change (they include jupyterlab-myst, which renders the
# chapters' MyST in JupyterLab). The JupyterLab settings make a double-click on a chapter (.md) open it
# as a notebook.
# The wheels in web/lite/wheels.txt go into the JupyterLite site's package index (see dlmath.litesite).
# The Pyodide kernel goes to web/lite/kernel, apart from JupyterLab (web/lite/kernel.txt says why).
$(VENV)/.installed: requirements.txt code/pyproject.toml web/jupyterlab-overrides.json web/lite/wheels.txt web/lite/kernel.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip download --quiet --no-deps --only-binary=:all: --dest web/lite/wheels -r web/lite/wheels.txt
	rm -rf web/lite/kernel
	$(BIN)/python -m pip install --quiet --no-deps --target web/lite/kernel -r web/lite/kernel.txt
	mkdir -p $(VENV)/share/jupyter/lab/settings
	cp web/jupyterlab-overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	touch $@

# Pinned require.js, widget manager and MathJax, so the book makes no third-party request; and the
# Pyodide interpreter, which only the tests use (they serve it at its CDN address to the lite site).
web-assets:
	@if ! command -v npm >/dev/null 2>&1; then \
	  echo "npm not found: the book will load require.js, the widget manager and MathJax from CDNs"; \
	elif [ ! -f web/node_modules/.package-lock.json ] || [ web/package-lock.json -nt web/node_modules/.package-lock.json ]; then \
	  npm ci --prefix web --no-audit --no-fund --loglevel=error; \
	fi

# The browser tests drive Debian's Chromium; install it when we can (root with apt-get, as in CI).
browser:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi

clean:
	rm -rf _build
