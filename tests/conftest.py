"""Shared fixtures: small documents written into a temporary library folder."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from peerprinciples.core.library import Library

WriteDoc = Callable[[str, str], Path]


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
