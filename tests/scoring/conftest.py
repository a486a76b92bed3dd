"""Shared fixtures for the ratings table and scoring tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from peerprinciples.core.instruments import Instrument
from peerprinciples.core.library import Library

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def instrument() -> Instrument:
    """The built-in example index."""
    return Library().instrument("enrich-example-index")


@pytest.fixture
def fixtures() -> Path:
    """The folder of small ratings files."""
    return FIXTURES
