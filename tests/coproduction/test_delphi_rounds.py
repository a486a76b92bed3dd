"""Delphi rounds together: stability between rounds, participation with members who stop,
and a whole round's results as the web pages get them."""

from __future__ import annotations

import pytest

from peerprinciples.core.coproduction.delphi import ConsensusRule
from peerprinciples.core.coproduction.delphi_rounds import (
    participation,
    round_results,
    stability,
)

# --- stability -----------------------------------------------------------------------------------


def test_stability_worked_by_hand() -> None:
    before = {"M1": 5, "M2": 7, "M3": 8, "M4": 3, "M5": 9, "M6": 6}
    after = {"M1": 7, "M2": 7, "M3": 9, "M4": 3, "M5": 9, "M7": 8}
    # In both: M1-M5 (M6 stopped, M7 is new), m = 5.
    # Changed: M1 5->7, M3 8->9 = 2.  Moved band: only M1 (between -> agree) = 1.
    # Mean absolute change: (2 + 0 + 1 + 0 + 0) / 5 = 0.6.  Share moving band 1/5 = 0.2 > 0.15.
    result = stability(before, after)
    assert (result.in_both, result.changed, result.moved_band) == (5, 2, 1)
    assert result.share_moved_band == 0.2
    assert result.mean_abs_change == pytest.approx(0.6)
    assert result.stable is False
    # The panel's medians: before [3,5,6,7,8,9] -> (6 + 7) / 2 = 6.5; after [3,7,7,8,9,9] -> 7.5.
    # IQRs (type 7): before Q1 h=2.25 -> 5.25, Q3 h=4.75 -> 7.75, IQR 2.5;
    #                after  Q1 h=2.25 -> 7,    Q3 h=4.75 -> 8.75, IQR 1.75.
    assert (result.median_before, result.median_after, result.median_change) == (6.5, 7.5, 1.0)
    assert (result.iqr_before, result.iqr_after, result.iqr_change) == (2.5, 1.75, -0.75)


def test_exactly_the_threshold_moving_band_is_stable() -> None:
    # 3 of 20 is exactly 15%.
    before = {f"M{i}": 8 for i in range(20)}
    after = {**before, "M0": 5, "M1": 5, "M2": 2}
    assert stability(before, after).stable is True
    after["M3"] = 4  # 4 of 20 = 20%
    assert stability(before, after).stable is False


def test_changes_within_a_band_keep_a_statement_stable() -> None:
    result = stability({"M1": 7, "M2": 1}, {"M1": 9, "M2": 3})
    assert (result.changed, result.moved_band, result.stable) == (2, 0, True)


def test_stability_follows_the_rules_bands() -> None:
    rule = ConsensusRule(low=1, high=5, agree_from=4, disagree_to=2, min_median=4)
    result = stability({"M1": 3}, {"M1": 4}, rule, threshold=0.5)
    assert (result.moved_band, result.stable) == (1, False)


def test_skips_and_new_members_are_not_in_both() -> None:
    result = stability({"M1": 7, "M2": None}, {"M1": None, "M2": 8, "M3": 9})
    assert result.in_both == 0
    assert (result.share_moved_band, result.mean_abs_change, result.stable) == (None, None, None)
    assert (result.median_before, result.median_after) == (7.0, 8.5)
    assert result.median_change == 1.5


def test_a_threshold_that_is_not_a_share_is_refused() -> None:
    with pytest.raises(ValueError, match="threshold is a share from 0 to 1"):
        stability({}, {}, threshold=15)


# --- participation -------------------------------------------------------------------------------


def test_a_member_who_stops_is_counted_in_every_later_round() -> None:
    invited = {1: ["A", "B", "C", "D"], 2: ["A", "B", "C", "D"], 3: ["A", "B", "C"]}
    responded = {1: ["A", "B", "C", "D"], 2: ["A", "B", "C"], 3: ["A", "C"]}
    rounds = participation(invited, responded)
    assert [p.round for p in rounds] == [1, 2, 3]
    first, second, third = rounds
    assert (first.invited, first.responded, first.not_responding, first.stopped) == (4, 4, 0, 0)
    # D answered round 1 only: stopped from round 2 on.
    assert (second.invited, second.responded, second.not_responding, second.stopped) == (4, 3, 1, 1)
    assert second.stopped_members == {"D"}
    assert second.response_rate == 0.75
    # D was not invited again, yet stays in the denominator: 4 invited, 2 responded.
    # B answered round 2 but not 3, so has stopped too.
    assert (third.invited, third.responded, third.not_responding, third.stopped) == (4, 2, 2, 2)
    assert third.stopped_members == {"B", "D"}
    assert third.response_rate == 0.5


def test_a_member_who_misses_a_round_and_comes_back_has_not_stopped() -> None:
    invited = {"r1": ["A", "B"], "r2": ["A", "B"], "r3": ["A", "B"]}
    responded = {"r1": ["A", "B"], "r2": ["A"], "r3": ["A", "B"]}
    rounds = participation(invited, responded)
    assert [p.stopped for p in rounds] == [0, 0, 0]
    assert [p.not_responding for p in rounds] == [0, 1, 0]


def test_not_having_voted_yet_in_an_open_round_is_not_stopping() -> None:
    invited = {1: ["A", "B", "C"], 2: ["A", "B", "C"], 3: ["A", "B", "C"]}
    # C answered round 1 only, and round 2 closed without them; B answered 1 and 2 and has
    # not voted yet in round 3, which is still open.
    responded = {1: ["A", "B", "C"], 2: ["A", "B"], 3: ["A"]}
    rounds = participation(invited, responded, still_open=[3])
    assert [p.stopped_members for p in rounds] == [set(), {"C"}, {"C"}]
    assert [p.not_responding for p in rounds] == [0, 1, 2]
    # Once round 3 closes without B, B has stopped too.
    closed = participation(invited, responded)
    assert [p.stopped_members for p in closed] == [set(), {"C"}, {"B", "C"}]


def test_a_member_missing_a_closed_round_before_the_open_one_has_stopped() -> None:
    invited = {1: ["A", "B"], 2: ["A", "B"], 3: ["A", "B"]}
    responded = {1: ["A", "B"], 2: ["A"], 3: []}
    rounds = participation(invited, responded, still_open=[3])
    assert [p.stopped for p in rounds] == [0, 1, 1]
    assert rounds[2].stopped_members == {"B"}


def test_an_unknown_open_round_is_refused() -> None:
    with pytest.raises(ValueError, match=r"Still open are round\(s\) 7, which are not among"):
        participation({1: ["A"]}, {1: ["A"]}, still_open=[7])


def test_a_round_nobody_was_invited_to_has_no_response_rate() -> None:
    rounds = participation({1: []}, {})
    assert (rounds[0].invited, rounds[0].response_rate) == (0, None)


def test_responses_to_an_unknown_round_are_refused() -> None:
    with pytest.raises(ValueError, match=r"round\(s\) 4, which are not among the rounds"):
        participation({1: ["A"]}, {4: ["A"]})


def test_a_response_without_an_invitation_is_refused() -> None:
    with pytest.raises(ValueError, match="In round 1, Z responded without being invited"):
        participation({1: ["A"]}, {1: ["A", "Z"]})


# --- a whole round -------------------------------------------------------------------------------

STATEMENTS = ["P1", "P2", "P3"]
ROUND_1 = [
    ("P1", "A", 8),
    ("P1", "B", 7),
    ("P1", "C", 9),
    ("P1", "D", 2),
    ("P2", "A", 5),
    ("P2", "B", None),
    ("P2", "C", 7),
    ("P2", "D", 7),
]
ROUND_2 = [
    ("P1", "A", 8),
    ("P1", "B", 8),
    ("P1", "C", 9),
    ("P2", "A", 7),
    ("P2", "B", 6),
    ("P2", "C", 7),
    ("P3", "A", 9),
]
GROUPS = {"A": "Peer worker", "B": "Peer worker", "C": "Peer worker", "D": "Manager"}


def test_a_round_gives_every_statement_in_order_with_groups_and_stability() -> None:
    results = round_results(STATEMENTS, ROUND_2, GROUPS, previous_round_votes=ROUND_1)
    assert [item.statement for item in results.statements] == STATEMENTS
    p1, p2, p3 = results.statements
    # P1: [8, 8, 9] all agree, median 8.
    assert (p1.result.n, p1.result.median, p1.result.agreed) == (3, 8.0, True)
    # P2: [6, 7, 7] 2 of 3 agree (67%), median 7.
    assert p2.result.reason == "66.67% rated 7–9, needs 75%"
    # P3 got one rating, 9: 100% agree and a median of 9, so the rule agrees it.
    assert results.agreed == ("P1", "P3")
    # P1's stability: A, B, C in both; B 7->8 changed, nobody moved band.
    assert p1.stability is not None
    assert (p1.stability.in_both, p1.stability.changed, p1.stability.moved_band) == (3, 1, 0)
    # P2: A and C in both (B skipped in round 1); A 5->7 moved band: 1 of 2.
    assert p2.stability is not None
    assert (p2.stability.in_both, p2.stability.share_moved_band) == (2, 0.5)
    # P3 is new this round.
    assert p3.stability is None
    assert [(g.group, g.raters) for g in p1.groups] == [("Peer worker", 3)]
    assert results.responded == {"A", "B", "C"}


def test_a_members_own_previous_rating_is_easy_to_look_up() -> None:
    before = round_results(["P1", "P2"], ROUND_1, GROUPS)
    assert before.own_rating("P1", "D") == 2
    assert before.own_rating("P2", "B") is None  # skipped
    assert before.own_rating("P9", "A") is None
    assert before.ratings["P2"] == {"A": 5, "B": None, "C": 7, "D": 7}


def test_the_first_round_has_no_stability() -> None:
    results = round_results(["P1", "P2"], ROUND_1, GROUPS)
    assert all(item.stability is None for item in results.statements)
    # Round 1 P1: Manager (1 rater) hidden, so Peer worker is hidden with it.
    assert [(g.group, g.shown) for g in results.statements[0].groups] == [
        ("Manager", False),
        ("Peer worker", False),
    ]


def test_a_statement_nobody_voted_on_is_reported_unrated() -> None:
    results = round_results(["P1", "P9"], [("P1", "A", 7)], {})
    assert results.statements[1].result.n == 0
    assert results.statements[1].groups == ()


def test_a_second_vote_on_a_statement_is_refused() -> None:
    with pytest.raises(ValueError, match="A voted twice on statement 'P1' in this round"):
        round_results(["P1"], [("P1", "A", 7), ("P1", "A", 8)], {})


def test_a_vote_on_an_unknown_statement_is_refused() -> None:
    with pytest.raises(ValueError, match="for statement 'P7', which is not among"):
        round_results(["P1"], [("P7", "A", 7)], {})


def test_a_rating_off_the_scale_names_the_member_statement_and_round() -> None:
    with pytest.raises(ValueError, match=r"rating 0 \(A on 'P1' in the previous round\)"):
        round_results(["P1"], [("P1", "A", 7)], {}, previous_round_votes=[("P1", "A", 0)])
