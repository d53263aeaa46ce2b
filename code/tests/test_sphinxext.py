"""Tests for dlmath.sphinxext: what the executing kernels inherit from the build.

Chapter 5 tells the reader that, while the book is built, NumPy's linear algebra library runs on one
thread; these tests check that the extension arranges exactly that (and leaves a builder's own
setting alone).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from dlmath import sphinxext
from dlmath.widgets.explorer import STATIC_ENV


class _FakeApp:
    """Just enough of a Sphinx application for ``setup``: it records the connected events."""

    def __init__(self) -> None:
        self.events: list[str] = []

    def connect(self, event: str, callback, priority: int = 500) -> None:
        self.events.append(event)


@pytest.fixture
def clean_env(monkeypatch):
    for name in (*sphinxext.SINGLE_THREAD_ENV, STATIC_ENV):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_setup_turns_on_static_mode_and_one_blas_thread(clean_env):
    sphinxext.setup(_FakeApp())
    assert os.environ[STATIC_ENV] == "1"
    for name in sphinxext.SINGLE_THREAD_ENV:
        assert os.environ[name] == "1", name


def test_a_value_the_builder_set_wins(clean_env):
    clean_env.setenv("OPENBLAS_NUM_THREADS", "2")
    sphinxext.setup(_FakeApp())
    assert os.environ["OPENBLAS_NUM_THREADS"] == "2"


def test_a_kernel_started_with_that_environment_runs_blas_on_one_thread(clean_env):
    threadpoolctl = pytest.importorskip("threadpoolctl")  # installed with scikit-learn, a test dependency
    del threadpoolctl
    sphinxext.setup(_FakeApp())
    # A fresh interpreter, as a chapter's kernel is: NumPy reads the variables when it is first imported.
    code = "import json, numpy, threadpoolctl; print(json.dumps(threadpoolctl.threadpool_info()))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=dict(os.environ))
    blas = [pool for pool in json.loads(out.stdout) if pool["user_api"] == "blas"]
    assert blas, "NumPy's BLAS was not found"
    assert all(pool["num_threads"] == 1 for pool in blas), blas
