"""Shared fixtures: small documents written into a temporary library folder; how many
workers run the tests in parallel, and in what order the tests are handed to them."""

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


BROWSER_TESTS = Path(__file__).parent / "browser"


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The browser tests first, the rest after them in the order they had.

    A browser story takes from seconds to a minute or two; most other tests take a fraction
    of a second. pytest-django puts the tests that empty the database after them (the
    browser tests among those) behind the others, so a long story could start when the
    other workers had little left, and they then waited for it. Started first, the long
    stories run while the short tests fill the time around them. Emptying the database
    first is safe because no migration adds data that tests rely on; Django's own content
    types and permissions are made again after each emptying.
    """
    browser = [item for item in items if Path(item.path).is_relative_to(BROWSER_TESTS)]
    if browser:
        first = set(map(id, browser))
        items[:] = browser + [item for item in items if id(item) not in first]


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
