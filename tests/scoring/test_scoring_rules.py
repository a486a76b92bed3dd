"""Scores of a small hand-scored table, checked against values worked out by hand.

The fixture ``hand_scored_long.csv`` (and the same ratings in ``hand_scored_wide.csv``) has:

A  a peer worker, one rater: reverse keying, NA and II codes, a domain exactly at the
   min_rated boundary (2 of 4 items), a domain below it, an optional item rated and one not.
B  a supervisor, one rater, only two domains rated: the total is missing.
C  a supported person, two raters, no agreed ratings: the consensus is the raters' mean.
D  a peer worker, two raters and an agreed rating for one item; one item rated by one rater.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from peerprinciples.core.instruments import Instrument, Scoring, TotalRule
from peerprinciples.core.ratings import read_ratings
from peerprinciples.core.scoring import Scores, score


def _scores(instrument: Instrument, fixtures: Path, name: str = "hand_scored_long.csv") -> Scores:
    return score(read_ratings(fixtures / name, instrument))


def _domain(scores: Scores, interview: str, rater: str) -> pd.Series:
    table = scores.domain_scores
    rows = table[(table["interview"] == interview) & (table["rater"] == rater)]
    return rows.set_index(rows["domain"].astype(str))["score"]


def _total(scores: Scores, interview: str, rater: str) -> pd.Series:
    table = scores.total_scores
    rows = table[(table["interview"] == interview) & (table["rater"] == rater)]
    assert len(rows) == 1
    return rows.iloc[0]


def _item(scores: Scores, interview: str, rater: str, item: str) -> pd.Series:
    table = scores.item_scores
    rows = table[
        (table["interview"] == interview) & (table["rater"] == rater) & (table["item"] == item)
    ]
    assert len(rows) == 1
    return rows.iloc[0]


def test_it_reverses_reverse_keyed_items(instrument: Instrument, fixtures: Path) -> None:
    scores = _scores(instrument, fixtures)
    assert _item(scores, "A", "R1", "lea_2")["score"] == 4.0  # 1 + 5 - 2
    assert _item(scores, "A", "R1", "str_4")["score"] == 1.0  # 1 + 5 - 5
    assert _item(scores, "A", "R1", "lea_1")["score"] == 5.0


def test_it_counts_special_codes_as_missing(instrument: Instrument, fixtures: Path) -> None:
    row = _item(_scores(instrument, fixtures), "A", "R1", "mut_2")
    assert row["code"] == "II"
    assert np.isnan(row["score"])
    assert not row["answered"]


def test_it_scores_domains_as_the_mean_of_rated_items(
    instrument: Instrument, fixtures: Path
) -> None:
    domains = _domain(_scores(instrument, fixtures), "A", "R1")
    assert domains["relationships"] == pytest.approx(4.0)  # 4, 5, 3; optional rel_4 NA
    assert domains["leadership-choice-control"] == pytest.approx(4.25)  # 5, 4 (rev), 3, 5
    assert domains["strengths-connections"] == pytest.approx(1.75)  # 1, 2, 3, 1 (rev)


def test_it_scores_a_domain_with_exactly_the_minimum_share_rated(
    instrument: Instrument, fixtures: Path
) -> None:
    scores = _scores(instrument, fixtures)
    table = scores.domain_scores
    row = table[(table["interview"] == "A") & (table["domain"] == "experiential-knowledge")]
    assert row["n_expected"].item() == 4
    assert row["n_rated"].item() == 2
    assert row["share_rated"].item() == 0.5
    assert row["score"].item() == pytest.approx(3.5)


def test_it_leaves_a_domain_missing_below_the_minimum_share_rated(
    instrument: Instrument, fixtures: Path
) -> None:
    domains = _domain(_scores(instrument, fixtures), "A", "R1")
    assert np.isnan(domains["mutuality"])  # 1 of 3 rated

    stricter = instrument.model_copy(
        update={
            "scoring": Scoring.model_validate(
                {**instrument.scoring.model_dump(), "domain": {"min_rated": 0.51}}
            )
        }
    )
    strict_domains = _domain(_scores(stricter, fixtures), "A", "R1")
    assert np.isnan(strict_domains["experiential-knowledge"])  # 2 of 4 < 0.51


def test_optional_items_count_only_when_answered(instrument: Instrument, fixtures: Path) -> None:
    table = _scores(instrument, fixtures).domain_scores
    a = table[(table["interview"] == "A") & (table["rater"] == "R1")].set_index("domain")
    assert a.loc["relationships", "n_asked"] == 4
    assert a.loc["relationships", "n_expected"] == 3  # rel_4 is optional and was NA
    assert a.loc["leadership-choice-control", "n_expected"] == 4  # lea_4 optional, rated


def test_it_scores_the_total_as_the_mean_of_domain_scores(
    instrument: Instrument, fixtures: Path
) -> None:
    total = _total(_scores(instrument, fixtures), "A", "R1")
    assert total["score"] == pytest.approx((4.0 + 3.5 + 4.25 + 1.75) / 4)
    assert total["n_expected"] == 5
    assert total["n_rated"] == 4
    assert total["band"] == "developing"


def test_it_leaves_the_total_missing_when_too_few_domains_have_scores(
    instrument: Instrument, fixtures: Path
) -> None:
    scores = _scores(instrument, fixtures)
    domains = _domain(scores, "B", "R1")
    assert domains["relationships"] == pytest.approx(3.0)
    assert domains["mutuality"] == pytest.approx(4.0)
    total = _total(scores, "B", "R1")
    assert total["share_rated"] == pytest.approx(2 / 5)
    assert np.isnan(total["score"])
    assert pd.isna(total["band"])


def test_it_scores_the_total_as_the_mean_of_items_when_the_instrument_says_so(
    instrument: Instrument, fixtures: Path
) -> None:
    by_items = instrument.model_copy(
        update={
            "scoring": instrument.scoring.model_copy(
                update={"total": TotalRule(method="mean_of_items", min_rated=0.6)}
            )
        }
    )
    total = _total(_scores(by_items, fixtures), "A", "R1")
    # 14 item scores summing to 45; 17 required items + optional lea_4 answered = 18 expected
    assert total["method"] == "mean_of_items"
    assert total["score"] == pytest.approx(45 / 14)
    assert total["n_expected"] == 18
    assert total["n_rated"] == 14


def test_it_gives_bands_with_boundaries_going_to_the_higher_band(
    instrument: Instrument, fixtures: Path
) -> None:
    table = _scores(instrument, fixtures).domain_scores
    a = table[(table["interview"] == "A") & (table["rater"] == "R1")].set_index("domain")
    assert a.loc["experiential-knowledge", "band"] == "established"  # exactly 3.5
    assert a.loc["strengths-connections", "band"] == "emerging"
    assert pd.isna(a.loc["mutuality", "band"])
    scored = table.dropna(subset=["score"])
    expected = [instrument.band_for(s).key for s in scored["score"]]  # type: ignore[union-attr]
    assert list(scored["band"].astype(str)) == expected


def test_it_makes_a_consensus_from_the_mean_of_two_raters(
    instrument: Instrument, fixtures: Path
) -> None:
    scores = _scores(instrument, fixtures)
    assert _domain(scores, "C", "R1")["mutuality"] == pytest.approx(3.0)
    assert _domain(scores, "C", "R2")["mutuality"] == pytest.approx(3.5)
    lea_2 = _item(scores, "C", "consensus", "lea_2")
    assert lea_2["rating"] == pytest.approx(1.5)
    assert lea_2["score"] == pytest.approx(4.5)
    assert lea_2["consensus_source"] == "mean_of_raters"
    mut_3 = _item(scores, "C", "consensus", "mut_3")  # R1 gave 3, R2 gave II
    assert mut_3["score"] == pytest.approx(3.0)
    consensus = _domain(scores, "C", "consensus")
    assert consensus["relationships"] == pytest.approx(4.0)
    assert consensus["mutuality"] == pytest.approx((3 + 3.5 + 3) / 3)
    assert consensus["experiential-knowledge"] == pytest.approx(2.25)
    assert consensus["leadership-choice-control"] == pytest.approx(4.5)
    total = _total(scores, "C", "consensus")
    assert total["score"] == pytest.approx((4 + 19 / 6 + 2.25 + 4.5 + 3) / 5)
    assert total["consensus_source"] == "mean_of_raters"
    assert bool(total["final"])
    assert not bool(_total(scores, "C", "R1")["final"])


def test_it_uses_the_agreed_rating_when_the_data_gives_one(
    instrument: Instrument, fixtures: Path
) -> None:
    scores = _scores(instrument, fixtures)
    rel_1 = _item(scores, "D", "consensus", "rel_1")
    assert rel_1["score"] == 3.0  # agreed, not the mean (3.0 by chance) of 2 and 4
    assert rel_1["consensus_source"] == "given"
    assert _item(scores, "D", "consensus", "rel_2")["consensus_source"] == "mean_of_raters"
    rel_4 = _item(scores, "D", "consensus", "rel_4")  # only R2 rated it
    assert rel_4["score"] == 5.0
    assert rel_4["consensus_source"] == "one_rater"
    table = scores.domain_scores
    row = table[(table["interview"] == "D") & (table["rater"] == "consensus")]
    relationships = row[row["domain"] == "relationships"].iloc[0]
    assert relationships["score"] == pytest.approx((3 + 3 + 4 + 5) / 4)
    assert relationships["consensus_source"] == "mixed"


def test_an_agreed_rating_outweighs_the_raters_mean(instrument: Instrument) -> None:
    rows = [
        ("E", "peer_worker", "rel_1", "1", "R1"),
        ("E", "peer_worker", "rel_1", "5", "R2"),
        ("E", "peer_worker", "rel_1", "2", "consensus"),
    ]
    frame = pd.DataFrame(rows, columns=["interview", "informant", "item", "rating", "rater"])
    scores = score(read_ratings(frame, instrument))
    assert _item(scores, "E", "consensus", "rel_1")["score"] == 2.0


def test_each_interview_has_exactly_one_final_set(instrument: Instrument, fixtures: Path) -> None:
    scores = _scores(instrument, fixtures)
    final = scores.final("total")
    assert sorted(final["interview"].astype(str)) == ["A", "B", "C", "D"]
    assert dict(zip(final["interview"].astype(str), final["rater"].astype(str), strict=True)) == {
        "A": "R1",
        "B": "R1",
        "C": "consensus",
        "D": "consensus",
    }


def test_the_wide_layout_scores_the_same_as_the_long(
    instrument: Instrument, fixtures: Path
) -> None:
    long = _scores(instrument, fixtures, "hand_scored_long.csv")
    wide = _scores(instrument, fixtures, "hand_scored_wide.csv")
    key = ["interview", "rater", "domain"]
    left = long.domain_scores.sort_values(key).reset_index(drop=True)
    right = wide.domain_scores.sort_values(key).reset_index(drop=True)
    columns = ["interview", "rater", "domain", "score", "n_rated", "n_expected"]
    pd.testing.assert_frame_equal(
        left[columns].astype({"interview": str, "rater": str, "domain": str}),
        right[columns].astype({"interview": str, "rater": str, "domain": str}),
    )


def test_principle_scores_follow_the_domains_linked_to_them(
    instrument: Instrument, fixtures: Path
) -> None:
    scores = _scores(instrument, fixtures)
    table = scores.principle_scores
    a = table[(table["interview"] == "A") & (table["rater"] == "R1")]
    by_principle = dict(zip(a["principle"].astype(str), a["score"], strict=True))
    assert by_principle["leadership-choice-control"] == pytest.approx(4.25)
    assert np.isnan(by_principle["mutuality"])


def test_it_rejects_grouping_by_an_unknown_column(instrument: Instrument, fixtures: Path) -> None:
    table = read_ratings(fixtures / "hand_scored_long.csv", instrument)
    with pytest.raises(ValueError, match="cannot group by team"):
        score(table, aggregate_by=[("team",)])
