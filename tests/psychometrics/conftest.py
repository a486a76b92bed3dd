"""Fixtures for the psychometrics tests."""

from __future__ import annotations

from collections.abc import Iterator

import pingouin
import pytest


@pytest.fixture
def pingouin_unrounded() -> Iterator[None]:
    """Make pingouin return unrounded confidence intervals, restoring its option afterwards."""
    before = pingouin.options.get("round.column.CI95")
    pingouin.options["round.column.CI95"] = None
    yield
    pingouin.options["round.column.CI95"] = before
