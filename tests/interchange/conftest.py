"""Instruments and ratings the format tests share: the small fixture index, the built-in
example index and demo ratings of it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from peerprinciples.core.demo_data import demo_ratings
from peerprinciples.core.instruments import Instrument
from peerprinciples.core.library import Library

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def small() -> Instrument:
    """A small index written for these tests (``fixtures/interchange_small_index.yaml``)."""
    model = Library().check_file(FIXTURES / "interchange_small_index.yaml").raise_for_problems()
    assert isinstance(model, Instrument)
    return model


@pytest.fixture(scope="session")
def example() -> Instrument:
    """The built-in example index."""
    return Library().instrument("enrich-example-index")


@pytest.fixture(scope="session")
def demo(example: Instrument) -> pd.DataFrame:
    """Demo ratings of the example index: two services, two rounds."""
    return demo_ratings(example, services=2, rounds=2)
