"""Shared fixtures: small documents written into a temporary library folder; how many
workers run the tests in parallel."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from peerprinciples.core.library import Library

WriteDoc = Callable[[str, str], Path]


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """The workers ``--numprocesses=auto`` starts: one for each core this process may use, or
    none on a machine with one core (the tests then run in this process: a lone worker would
    only add its start-up). pytest-xdist's own PYTEST_XDIST_AUTO_NUM_WORKERS still wins."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None
    if hasattr(os, "sched_getaffinity"):
        cores = len(os.sched_getaffinity(0))
    else:
        cores = os.cpu_count() or 1
    return cores if cores > 1 else 0


@pytest.fixture
def write_doc(tmp_path: Path) -> WriteDoc:
    """Write a YAML document (dedented) into a temporary folder and return its path."""

    def write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
        return path

    return write


@pytest.fixture
def library(tmp_path: Path) -> Library:
    """The built-in library plus the temporary folder that ``write_doc`` writes into."""
    return Library([tmp_path])
