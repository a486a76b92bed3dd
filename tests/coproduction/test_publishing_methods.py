"""The methods paragraph of a published framework, worded for several kinds of project."""

from __future__ import annotations

import pytest

from peerprinciples.core.coproduction.methods_summary import RoundSummary, methods_summary, spelt
from peerprinciples.core.provenance import Counts

RULE = "Agreed when at least 75% of those who rated it chose 7 to 9 and the median is at least 7."


def test_a_full_project_reads_like_a_papers_methods_section() -> None:
    counts = Counts(
        sources=24, codes=61, categories=9, members=10, cards=48, piles=7, sorters=8, principles=5
    )
    rounds = [RoundSummary(1, 10, 10, 36, 28), RoundSummary(2, 10, 9, 8, 6)]
    assert methods_summary(counts, rounds, RULE) == (
        "A literature review of 24 sources was coded with 61 codes in 9 categories. "
        "Ten panel members wrote 48 cards, which were sorted into 7 piles at a group meeting "
        "and individually by 8 members. "
        "The research team mapped the review's categories and the panel's piles onto 5 draft "
        "principles. "
        "Agreement was sought in 2 rounds (round 1: 10 of 10 members took part; round 2: 9 of "
        "10). "
        "The rule for agreement was set before the first round: agreed when at least 75% of "
        "those who rated it chose 7 to 9 and the median is at least 7. "
        # 28 agreed in round 1 and 6 of the 8 left in round 2: 34 of the 36 put to the panel.
        "By the end, 34 of 36 statements were agreed (round 1: 28 of 36; round 2: 6 of 8)."
    )


def test_synthetic_data_are_said_to_be_synthetic_first() -> None:
    text = methods_summary(Counts(), synthetic=True)
    assert text.startswith("These data are synthetic: they were made up to demonstrate")


def test_an_adaptation_with_no_review_or_cards_says_so_plainly() -> None:
    text = methods_summary(
        Counts(principles=6, statements=1, agreed=1),
        [RoundSummary(1, 7, 6, 1, 1)],
        "",
        base="enrich@2017",
    )
    assert text == (
        "This version is a local adaptation of enrich@2017. "
        "No literature review was part of this version. "
        "No panel wrote or sorted cards for this version. "
        "The team drafted the wording of 6 draft principles from enrich@2017. "
        "Agreement was sought in 1 round (round 1: 6 of 7 members took part). "
        "No rule for agreement was recorded in advance. "
        "By the end, 1 of 1 statement was agreed (round 1: 1 of 1)."
    )


def test_a_concept_map_instead_of_group_piles() -> None:
    text = methods_summary(
        Counts(categories=4, members=1, cards=1, sorters=12, clusters=6, principles=3)
    )
    assert text == (
        "The literature review's data were grouped into 4 categories. "
        "One panel member wrote 1 card, which was sorted individually by 12 members. "
        "A concept map of the sorts grouped the cards into 6 clusters. "
        "The research team mapped the review's categories and the panel's clusters onto 3 "
        "draft principles. "
        "No drafting rounds were recorded."
    )


@pytest.mark.parametrize(
    ("counts", "sentence"),
    [
        (Counts(sources=1), "A literature review of 1 source was included."),
        (Counts(sources=2, categories=1), "A literature review of 2 sources was in 1 category."),
        (Counts(members=120, cards=5), "In all, 120 panel members wrote 5 cards."),
        (Counts(members=42), "Forty-two panel members took part."),
        (Counts(cards=30, piles=4), "Thirty cards were written by the panel, which were sorted"),
        (Counts(members=3, piles=2), "Three panel members took part; cards were sorted into 2"),
    ],
)
def test_parts_that_are_missing_are_left_out_of_the_sentence(counts: Counts, sentence: str) -> None:
    assert sentence in methods_summary(counts)


def test_a_rule_written_without_a_full_stop_gets_one() -> None:
    text = methods_summary(Counts(), [RoundSummary(1, 5, 5)], "Median at least 7")
    assert text.endswith("set before the first round: median at least 7.")
    # No statements counted: no sentence about them.
    assert "By the end" not in text


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (0, "zero"),
        (7, "seven"),
        (19, "nineteen"),
        (20, "twenty"),
        (42, "forty-two"),
        (99, "ninety-nine"),
        (100, "100"),
    ],
)
def test_spelt(number: int, words: str) -> None:
    assert spelt(number) == words
