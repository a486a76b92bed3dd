"""The synthetic demo ratings: deterministic, realistic in shape, clearly marked."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pingouin as pg
import pytest

from peerprinciples.core.demo_data import DEMO_PREFIX, demo_ratings, write_demo_ratings
from peerprinciples.core.instruments import Instrument
from peerprinciples.core.ratings import CONSENSUS_RATER, read_ratings
from peerprinciples.core.scoring import score


@pytest.fixture(scope="module")
def demo(instrument: Instrument) -> pd.DataFrame:
    return demo_ratings(instrument)


def test_the_demo_data_reads_and_scores_without_problems(
    instrument: Instrument, demo: pd.DataFrame
) -> None:
    table = read_ratings(demo, instrument)
    scores = score(table)
    final = scores.final("total")
    assert len(final) == table.n_interviews
    assert final["score"].notna().mean() > 0.95


def test_the_same_seed_gives_the_same_table(instrument: Instrument, demo: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(demo, demo_ratings(instrument))
    assert not demo.equals(demo_ratings(instrument, seed=1))


def test_the_demo_data_is_marked_synthetic_and_pseudonymous(demo: pd.DataFrame) -> None:
    assert demo["interview"].str.startswith(DEMO_PREFIX).all()
    assert demo["peer_worker"].str.fullmatch(r"PW-S\d\d-\d\d").all()
    assert demo["service"].str.fullmatch(r"S\d\d").all()
    assert sorted(demo["service"].unique()) == ["S01", "S02", "S03", "S04"]
    assert sorted(demo["round"].unique()) == [1, 2]
    assert set(demo["informant"]) == {"peer_worker", "supervisor", "supported_person"}


def test_about_a_fifth_of_interviews_are_double_rated_with_some_disagreement(
    demo: pd.DataFrame,
) -> None:
    raters = demo[demo["rater"] != CONSENSUS_RATER].groupby("interview")["rater"].nunique()
    share = (raters >= 2).mean()
    assert 0.1 <= share <= 0.35
    assert (demo["rater"] == CONSENSUS_RATER).any()
    double = demo[demo["interview"].isin(raters[raters >= 2].index)]
    own = double[double["rater"] != CONSENSUS_RATER]
    spread = own.groupby(["interview", "item"])["rating"].nunique()
    assert 0 < (spread > 1).mean() < 0.5


def test_the_demo_data_has_a_few_special_codes(demo: pd.DataFrame) -> None:
    share = demo["rating"].isin(["NA", "II"]).mean()
    assert 0.005 < share < 0.1
    assert set(demo["rating"]) >= {"NA", "II", "1", "2", "3", "4", "5"}


def test_the_demo_items_hang_together_like_a_real_index(
    instrument: Instrument, demo: pd.DataFrame
) -> None:
    items = score(read_ratings(demo, instrument)).final("item")
    alphas = []
    for informant in ("peer_worker", "supervisor", "supported_person"):
        rows = items[items["informant"] == informant]
        wide = rows.pivot_table(index="interview", columns="item", values="score", observed=True)
        wide = wide.dropna(axis=1, thresh=int(0.8 * len(wide)))
        alphas.append(pg.cronbach_alpha(wide)[0])
    assert 0.7 <= sum(alphas) / len(alphas) <= 0.9


def test_scores_improve_between_rounds_and_differ_between_services(
    instrument: Instrument, demo: pd.DataFrame
) -> None:
    totals = score(read_ratings(demo, instrument)).final("total")
    by_round = totals.groupby("round", observed=True)["score"].mean()
    assert by_round.loc["2"] > by_round.loc["1"]
    by_service = totals.groupby("service", observed=True)["score"].mean()
    assert by_service.max() - by_service.min() > 0.2


def test_it_writes_the_demo_ratings_as_csv(tmp_path: Path, instrument: Instrument) -> None:
    path = write_demo_ratings(tmp_path / "demo.csv", seed=3, services=2, rounds=3)
    table = read_ratings(path, instrument)
    assert table.data["interview"].astype(str).str.startswith(DEMO_PREFIX).all()
    assert sorted(table.data["round"].cat.categories) == ["1", "2", "3"]


def test_it_refuses_impossible_settings(instrument: Instrument) -> None:
    with pytest.raises(ValueError, match="services must be at least 1"):
        demo_ratings(instrument, services=0)
    with pytest.raises(ValueError, match="double_rated must be between 0 and 1"):
        demo_ratings(instrument, double_rated=1.5)
