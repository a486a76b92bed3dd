"""Aggregates and informant gaps, checked against a plain pandas computation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from peerprinciples.core.demo_data import demo_ratings
from peerprinciples.core.instruments import Instrument
from peerprinciples.core.ratings import read_ratings
from peerprinciples.core.scoring import TOTAL, Scores, aggregate, score


@pytest.fixture(scope="module")
def scores(instrument: Instrument) -> Scores:
    return score(read_ratings(demo_ratings(instrument, seed=11, services=3), instrument))


def _final_long(scores: Scores) -> pd.DataFrame:
    """Final domain and total scores as plain text columns, one row per interview and score."""
    domains = scores.domain_scores[scores.domain_scores["final"]]
    totals = scores.total_scores[scores.total_scores["final"]].assign(domain=TOTAL)
    columns = ["interview", "service", "peer_worker", "round", "informant", "domain", "score"]
    frame = pd.concat([domains[columns], totals[columns]], ignore_index=True)
    return frame.astype({c: str for c in columns if c != "score"})


@pytest.mark.parametrize(
    "by",
    [
        (),
        ("informant",),
        ("service",),
        ("round",),
        ("peer_worker",),
        ("service", "round", "informant"),
    ],
)
def test_aggregates_match_a_plain_pandas_groupby(scores: Scores, by: tuple[str, ...]) -> None:
    long = _final_long(scores)
    expected = (
        long.groupby([*by, "domain"])["score"]
        .agg(n_interviews="size", n="count", mean="mean", sd="std")
        .reset_index()
    )
    name = "+".join(by) if by else "all"
    got = scores.aggregates[scores.aggregates["grouping"] == name]
    got = got[[*by, "domain", "n_interviews", "n", "mean", "sd"]].astype(
        {c: str for c in (*by, "domain")}
    )
    key = [*by, "domain"]
    got = got.sort_values(key).reset_index(drop=True)
    expected = expected.sort_values(key).reset_index(drop=True)
    assert len(got) == len(expected)
    pd.testing.assert_frame_equal(got, expected, check_dtype=False, rtol=1e-12)


def test_aggregate_gives_one_grouping_on_request(scores: Scores) -> None:
    one = aggregate(scores, ["service", "round"])
    assert set(one["grouping"].astype(str)) == {"service+round"}
    assert one["peer_worker"].isna().all()
    assert len(one) == 3 * 2 * (len(scores.instrument.domains) + 1)


def test_informant_gaps_match_a_plain_pandas_computation(scores: Scores) -> None:
    final = scores.principle_scores[scores.principle_scores["final"]]
    frame = final[["service", "round", "informant", "principle", "score"]].astype(
        {"service": str, "round": str, "informant": str, "principle": str}
    )
    is_self = frame["informant"] == "peer_worker"
    keys = ["service", "round", "principle"]
    self_mean = frame[is_self].groupby(keys)["score"].mean()
    others_mean = frame[~is_self].groupby(keys)["score"].mean()
    expected = (self_mean - others_mean).rename("gap").reset_index()

    gaps = scores.informant_gaps
    got = gaps[gaps["grouping"] == "service+round"][[*keys, "gap"]].astype({c: str for c in keys})
    got = got.sort_values(keys).reset_index(drop=True)
    expected = expected.sort_values(keys).reset_index(drop=True)
    pd.testing.assert_frame_equal(got, expected, check_dtype=False, rtol=1e-12)


def test_gaps_per_peer_worker_compare_each_self_rating_with_the_others(scores: Scores) -> None:
    gaps = scores.informant_gaps
    per_worker = gaps[gaps["grouping"] == "service+peer_worker+round"]
    assert per_worker["peer_worker"].notna().all()
    assert (per_worker["n_self"] >= 1).all()
    both = per_worker.dropna(subset=["gap"])
    assert np.allclose(both["gap"], both["self_mean"] - both["others_mean"])


def test_peer_workers_rate_themselves_higher_in_the_demo(scores: Scores) -> None:
    gaps = scores.informant_gaps
    assert gaps[gaps["grouping"] == "service+round"]["gap"].mean() > 0.1


def test_the_standard_deviation_is_missing_for_a_single_interview(scores: Scores) -> None:
    aggregates = scores.aggregates
    single = aggregates[aggregates["n"] == 1]
    assert single["sd"].isna().all()
