"""Results are frozen, typed and serialise to strict JSON; docstring examples run."""

from __future__ import annotations

import dataclasses
import doctest
import json
import math

import pytest

import peerprinciples.psychometrics as facade
from peerprinciples.core import psychometrics as core
from peerprinciples.core.psychometrics import (
    consistency,
    intraclass,
    kappa,
    krippendorff,
    percent,
    quality,
    spread,
)
from peerprinciples.psychometrics import ConfidenceInterval, cronbach_alpha, icc

from . import datasets


def test_results_cannot_be_changed_after_the_fact() -> None:
    result = cronbach_alpha(datasets.hand_items())
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.alpha = 1.0  # type: ignore[misc]


def test_to_dict_gives_plain_json_values() -> None:
    result = icc(datasets.shrout_fleiss_wide())
    data = result.to_dict()
    assert json.loads(json.dumps(data, allow_nan=False)) == data
    assert data["icc2"]["shrout_fleiss"] == "ICC(2,1)"
    assert data["icc2"]["ci"]["level"] == 0.95
    assert isinstance(data["n_targets"], int)


def test_to_dict_turns_non_finite_numbers_into_none() -> None:
    interval = ConfidenceInterval(lower=-math.inf, upper=math.nan, level=0.95, method="x")
    assert interval.to_dict() == {"lower": None, "upper": None, "level": 0.95, "method": "x"}


def test_item_lookup_names_the_missing_item() -> None:
    with pytest.raises(KeyError, match="nope"):
        cronbach_alpha(datasets.hand_items()).item("nope")


def test_the_facade_exports_exactly_the_core_api() -> None:
    assert facade.__all__ == core.__all__
    for name in facade.__all__:
        assert getattr(facade, name) is getattr(core, name)


@pytest.mark.parametrize(
    "module", [spread, consistency, intraclass, kappa, krippendorff, percent, quality]
)
def test_the_docstring_examples_give_the_documented_output(module) -> None:
    outcome = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert outcome.attempted > 0
    assert outcome.failed == 0
