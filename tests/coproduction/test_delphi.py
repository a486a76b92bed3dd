"""The consensus rule and one statement's results: hand-worked examples, numbers pinned
against numpy and pandas (the call beside each), the rule at its boundaries."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from peerprinciples.core.coproduction.delphi import (
    DEFAULT_RULE,
    NO_GROUP,
    ConsensusRule,
    by_group,
    summarise,
)

# --- one statement, worked by hand --------------------------------------------------------------


def test_it_summarises_ratings_worked_by_hand() -> None:
    # [7, 7, 8, 9]: all four in 7-9, so the share agreeing is 4/4 = 1.0.
    # Type 7 quantiles, position h = (n - 1)p + 1 with n = 4:
    #   median p = .50: h = 2.5  -> x2 + .5 (x3 - x2) = 7 + .5 * 1 = 7.5
    #   Q1     p = .25: h = 1.75 -> x1 + .75 (x2 - x1) = 7 + .75 * 0 = 7
    #   Q3     p = .75: h = 3.25 -> x3 + .25 (x4 - x3) = 8 + .25 * 1 = 8.25
    result = summarise([7, 7, 8, 9])
    assert result.n == 4
    assert result.share_agree == 1.0
    assert result.share_between == 0.0
    assert result.share_disagree == 0.0
    assert (result.median, result.q1, result.q3) == (7.5, 7.0, 8.25)
    assert result.iqr == 1.25
    assert result.agreed is True
    assert result.reason is None


def test_it_counts_every_point_of_the_scale_zeros_included() -> None:
    result = summarise([1, 9, 9, 5])
    assert result.counts == ((1, 1), (2, 0), (3, 0), (4, 0), (5, 1), (6, 0), (7, 0), (8, 0), (9, 2))


def test_the_three_bands_share_out_every_rating() -> None:
    # 2 and 3 disagree (1-3), 4 and 6 are in between (4-6), 7, 8, 9 agree: 2/7, 2/7, 3/7.
    result = summarise([2, 3, 4, 6, 7, 8, 9])
    assert (result.share_disagree, result.share_between, result.share_agree) == (
        2 / 7,
        2 / 7,
        3 / 7,
    )


def test_a_skipped_statement_is_not_a_rating() -> None:
    # The two skips count nowhere: 3 of the 3 ratings agree, not 3 of 5.
    result = summarise([None, 8, None, 8, 9])
    assert result.n == 3
    assert result.share_agree == 1.0
    assert result.agreed is True


def test_with_no_ratings_there_is_no_statistic_and_no_agreement() -> None:
    result = summarise([None, None])
    assert result.n == 0
    assert result.counts == tuple((point, 0) for point in range(1, 10))
    assert result.share_agree is None
    assert result.share_between is None
    assert result.share_disagree is None
    assert (result.median, result.q1, result.q3, result.iqr) == (None, None, None, None)
    assert result.agreed is False
    assert result.reason == "nobody rated it"


# --- pinned against numpy and pandas -------------------------------------------------------------

PINNED = [
    # ratings, (q1, median, q3) from np.percentile(ratings, [25, 50, 75]) (numpy 2, linear)
    ([7, 7, 8, 9], (7.0, 7.5, 8.25)),
    ([1, 2, 3, 4, 5, 6, 7, 8, 9], (3.0, 5.0, 7.0)),
    ([9, 3, 7, 7, 8, 2], (4.0, 7.0, 7.75)),
    ([5], (5.0, 5.0, 5.0)),
    ([4, 8], (5.0, 6.0, 7.0)),
    ([6, 9, 9, 8, 7, 7, 9, 1, 8, 8, 9], (7.0, 8.0, 9.0)),
    ([2, 7, 8, 9, 9, 9, 3], (5.0, 8.0, 9.0)),
]


@pytest.mark.parametrize(("ratings", "quartiles"), PINNED)
def test_the_quartiles_are_numpys_and_pandas_type_7(
    ratings: list[int], quartiles: tuple[float, float, float]
) -> None:
    result = summarise(ratings)
    assert (result.q1, result.median, result.q3) == quartiles
    # the same by both libraries' own calls, so the pinned numbers cannot drift apart
    assert tuple(np.percentile(ratings, [25, 50, 75])) == quartiles
    assert tuple(pd.Series(ratings).quantile([0.25, 0.5, 0.75])) == quartiles
    assert result.iqr == quartiles[2] - quartiles[0]


def test_the_summary_of_a_larger_panel_matches_pandas() -> None:
    ratings = [((member * 7) % 9) + 1 for member in range(23)]
    result = summarise(ratings)
    series = pd.Series(ratings)
    # series.between(7, 9).mean(), series.median(), series.quantile(.25), series.quantile(.75)
    assert result.share_agree == pytest.approx(series.between(7, 9).mean())
    assert result.share_disagree == pytest.approx(series.between(1, 3).mean())
    assert result.median == series.median()
    assert result.q1 == series.quantile(0.25)
    assert result.q3 == series.quantile(0.75)
    assert dict(result.counts) == {p: int((series == p).sum()) for p in range(1, 10)}


# --- the rule at its boundaries ------------------------------------------------------------------


def test_exactly_75_per_cent_agreeing_is_agreed() -> None:
    # 3 of 4 in 7-9 is exactly 75%; sorted [3, 7, 8, 9] has median (7 + 8) / 2 = 7.5.
    result = summarise([7, 8, 9, 3])
    assert result.share_agree == 0.75
    assert result.agreed is True


def test_one_rating_short_of_75_per_cent_is_not_agreed() -> None:
    # 5 of 7 agree (71.43%), one short of 6 of 8 (75%); median of [1,1,7,7,7,8,9] is 7.
    result = summarise([7, 7, 7, 8, 9, 1, 1])
    assert result.median == 7.0
    assert result.agreed is False
    # Written as percent() writes every share on the pages: 5/7 is 71.43%.
    assert result.reason == "71.43% rated 7–9, needs 75%"


def test_a_median_of_exactly_7_is_agreed() -> None:
    # [5, 7, 7, 7, 9]: 4 of 5 (80%) agree; the median is the third, 7.
    result = summarise([5, 7, 7, 7, 9])
    assert result.median == 7.0
    assert result.agreed is True


def test_a_median_of_6_and_a_half_is_not_agreed() -> None:
    # An 80% share with min_share 0.5: only the median can fail. [6, 6, 7, 7]: (6 + 7) / 2.
    rule = ConsensusRule(min_share=0.5)
    result = summarise([6, 6, 7, 7], rule)
    assert result.median == 6.5
    assert result.agreed is False
    assert result.reason == "median 6.5, needs 7"


def test_both_reasons_are_given_when_both_fail() -> None:
    # [4, 5, 6, 7, 8]: 2 of 5 (40%) agree, median 6.
    assert summarise([4, 5, 6, 7, 8]).reason == "40% rated 7–9, needs 75%; median 6, needs 7"


def test_a_share_just_under_the_threshold_is_never_shown_rounded_up_to_it() -> None:
    # 749 of 1000 is 74.9%, which would round to 75%; it is written 74.9% so it reads as short.
    rule = ConsensusRule(min_median=1)
    assert summarise([7] * 749 + [1] * 251, rule).reason == "74.9% rated 7–9, needs 75%"
    # 74,999 of 100,000 is 74.999%, which percent() writes 75%: cut, never rounded up.
    assert summarise([7] * 74999 + [1] * 25001, rule).reason == "74.9% rated 7–9, needs 75%"


def test_a_decimal_share_is_reached_exactly() -> None:
    # 0.7 * 10 is 7.000000000000001 in binary floats; 7 of 10 must still reach 0.7.
    rule = ConsensusRule(min_share=0.7, min_median=1)
    assert summarise([7] * 7 + [1] * 3, rule).agreed is True
    assert summarise([7] * 6 + [1] * 4, rule).agreed is False


def test_a_1_to_5_scale_with_agreement_from_4() -> None:
    rule = ConsensusRule(low=1, high=5, agree_from=4, disagree_to=2, min_share=0.75, min_median=4)
    # [4, 4, 5, 3]: 3 of 4 in 4-5 (75%), sorted [3, 4, 4, 5] median 4 -> agreed.
    result = summarise([4, 4, 5, 3], rule)
    assert result.counts == ((1, 0), (2, 0), (3, 1), (4, 2), (5, 1))
    assert result.share_between == 0.25
    assert result.agreed is True
    assert summarise([4, 3, 3, 5], rule).reason == "50% rated 4–5, needs 75%; median 3.5, needs 4"
    assert rule.describe() == (
        "Agreed when at least 75% of those who rated it chose 4 to 5 and the median is at least 4."
    )


@pytest.mark.parametrize("rating", [0, 10, -1])
def test_a_rating_off_the_scale_is_refused(rating: int) -> None:
    with pytest.raises(ValueError, match=rf"The rating {rating} is outside the 1–9 scale"):
        summarise([7, rating])


@pytest.mark.parametrize("rating", [7.5, "7", True])
def test_a_rating_that_is_not_a_whole_number_is_refused(rating: object) -> None:
    with pytest.raises(ValueError, match="is not a point of the 1–9 scale"):
        summarise([7, rating])  # type: ignore[list-item]


# --- the rule itself -----------------------------------------------------------------------------


def test_the_default_rule_describes_itself() -> None:
    assert DEFAULT_RULE.describe() == (
        "Agreed when at least 75% of those who rated it chose 7 to 9 and the median is at least 7."
    )


def test_a_rule_survives_storing() -> None:
    rule = ConsensusRule(low=0, high=10, agree_from=8, disagree_to=2, min_share=0.8, min_median=8)
    stored = rule.to_dict()
    assert stored == {
        "low": 0,
        "high": 10,
        "agree_from": 8,
        "disagree_to": 2,
        "min_share": 0.8,
        "min_median": 8,
    }
    assert ConsensusRule.from_dict(stored) == rule


def test_a_stored_rule_with_missing_or_unknown_fields_is_refused() -> None:
    stored = DEFAULT_RULE.to_dict()
    del stored["min_median"]
    stored["threshold"] = 1
    with pytest.raises(ValueError, match="it has no min_median; threshold are not fields"):
        ConsensusRule.from_dict(stored)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"low": 9, "high": 1}, r"lowest point \(9\) must be below its highest \(1\)"),
        ({"low": 5, "high": 5}, r"lowest point \(5\) must be below its highest \(5\)"),
        ({"agree_from": 10}, "agreement band starts at 10, outside the scale 1–9"),
        ({"disagree_to": 0}, "disagreement band ends at 0, outside the scale 1–9"),
        ({"agree_from": 5, "disagree_to": 5}, r"\(1–5\) and the agreement band \(5–9\) overlap"),
        ({"min_share": 0}, "min_share is 0, but a share must be above 0 and at most 1"),
        ({"min_share": 75}, "min_share is 75, but a share must be above 0 and at most 1"),
        ({"min_median": 9.5}, "min_median is 9.5, outside the scale 1–9"),
        ({"low": 1.5}, "low must be a whole number, not 1.5"),
        ({"min_share": float("nan")}, "min_share must be a number, not nan"),
        ({"min_median": "7"}, "min_median must be a number, not '7'"),
    ],
)
def test_a_rule_that_cannot_be_applied_is_refused(fields: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ConsensusRule(**fields)  # type: ignore[arg-type]


def test_a_rule_reports_every_problem_at_once() -> None:
    with pytest.raises(ValueError, match="cannot be used") as caught:
        ConsensusRule(agree_from=12, min_share=2)
    assert "agreement band starts at 12" in str(caught.value)
    assert "min_share is 2" in str(caught.value)


def test_a_share_of_one_is_allowed_and_needs_everyone() -> None:
    rule = ConsensusRule(min_share=1)
    assert summarise([7, 8, 9], rule).agreed is True
    assert summarise([7, 8, 9, 6], rule).reason == "75% rated 7–9, needs 100%"


# --- by stakeholder group ------------------------------------------------------------------------

GROUPS = {
    "A1": "Peer worker",
    "A2": "Peer worker",
    "A3": "Peer worker",
    "B1": "manager",
    "B2": "manager",
    "B3": "manager",
    "B4": "manager",
    "C1": "Carer",
}


def test_groups_of_three_or_more_are_shown_with_their_own_results() -> None:
    ratings = {"A1": 9, "A2": 8, "A3": 7, "B1": 3, "B2": 4, "B3": 7, "B4": 8, "X1": 7}
    groups = {**GROUPS, "X2": "ignored: did not rate"}
    results = by_group(ratings, {k: v for k, v in groups.items() if k != "C1"}, min_size=1)
    assert [g.group for g in results] == ["manager", "Peer worker", NO_GROUP]
    manager = results[0]
    assert manager.shown
    assert manager.raters == 4
    assert manager.result is not None
    # [3, 4, 7, 8]: 2 of 4 agree, median (4 + 7) / 2 = 5.5
    assert (manager.result.share_agree, manager.result.median) == (0.5, 5.5)
    assert results[2].raters == 1  # min_size 1 shows even one member


def test_a_group_smaller_than_three_is_hidden_and_never_gives_its_numbers() -> None:
    ratings = {"A1": 9, "A2": 8, "A3": 7, "B1": 3, "B2": 4, "B3": 7, "B4": 8, "C1": 1}
    results = {g.group: g for g in by_group(ratings, GROUPS)}
    carer = results["Carer"]
    assert (carer.shown, carer.raters, carer.result, carer.note) == (
        False,
        None,
        None,
        "fewer than 3",
    )
    # With Carer hidden alone, everyone minus the others would give it away: the next
    # smallest group is hidden too.
    assert results["Peer worker"].shown is False
    assert results["Peer worker"].note is not None
    assert "cannot be worked out" in results["Peer worker"].note
    assert results["manager"].shown is True


def test_a_group_counts_its_raters_not_its_members() -> None:
    # Three peer workers, but one skipped: two ratings, so the group is hidden.
    ratings = {"A1": 9, "A2": None, "A3": 7, "B1": 3, "B2": 4, "B3": 7}
    results = {g.group: g for g in by_group(ratings, GROUPS)}
    assert results["Peer worker"].note == "fewer than 3"


def test_members_without_a_group_are_put_together() -> None:
    results = by_group({"X1": 7, "X2": 8, "X3": 9}, {"X2": "  "})
    assert [(g.group, g.raters) for g in results] == [(NO_GROUP, 3)]


def test_a_minimum_group_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="smallest group shown must be 1 or more"):
        by_group({"A1": 7}, GROUPS, min_size=0)


def test_a_group_rating_off_the_scale_names_the_member() -> None:
    with pytest.raises(ValueError, match=r"The rating 11 \(A2\) is outside"):
        by_group({"A1": 7, "A2": 11}, GROUPS)
