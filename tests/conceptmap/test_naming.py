"""Names suggested for a cluster from the pile labels, weighted by how well each pile fits it."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

import pytest

from peerprinciples.core.coproduction.cardsort import Pile, Sort
from peerprinciples.core.coproduction.naming import (
    normalise_label,
    suggest_for_statements,
    suggest_names,
)
from peerprinciples.core.coproduction.similarity import check_piles

from .studies import peer_values, rcmap_study

# Weights for the cluster {1, 2, 7} of studies.peer_values(), by hand: a pile P scores
# |P∩C|^2 / (|P| |C|); a label sums its piles and divides by the five sorters.
LIVED_EXPERIENCE = (
    Fraction(9, 9)  # P01 "Lived experience" {1, 2, 7}
    + Fraction(4, 6)  # P02 "Lived experience" {1, 2}
    + Fraction(9, 12)  # P04 "lived  EXPERIENCE" {1, 2, 6, 7}
    + Fraction(4, 6)  # P05 "Lived experience" {1, 2}
) / 5
EXPERIENCE = Fraction(9, 9) / 5  # P03 "Experience" {1, 2, 7}
ORGANISATION = Fraction(1, 9) / 5  # P05 "Organisation" {6, 7, 8}; P01's {6, 8} misses C
SUPPORT_FOR_PEERS = Fraction(1, 9) / 5  # P02 "Support for peers" {6, 7, 8}


def test_it_weights_labels_by_how_well_their_piles_fit_the_cluster() -> None:
    names = suggest_for_statements(check_piles(peer_values()), ["1", "2", "7"])
    assert [n.label for n in names] == ["Lived experience", "Experience", "Organisation"]
    assert names[0].weight == pytest.approx(float(LIVED_EXPERIENCE), abs=1e-12)
    assert names[1].weight == pytest.approx(float(EXPERIENCE), abs=1e-12)
    # "Organisation" and "Support for peers" tie; the alphabetically first is kept
    assert ORGANISATION == SUPPORT_FOR_PEERS
    assert names[2].weight == pytest.approx(float(ORGANISATION), abs=1e-12)


def test_a_partitions_clusters_get_the_same_suggestions() -> None:
    piles = check_piles(peer_values())
    by_cluster = suggest_names(piles, (1, 1, 2, 2, 2, 3, 1, 3))
    assert by_cluster[0] == suggest_for_statements(piles, ["1", "2", "7"])
    assert by_cluster[1] == suggest_for_statements(piles, ["3", "4", "5"])
    assert by_cluster[1][0].label == "Equality"
    # Equality: three piles that are exactly {3, 4, 5}, out of five sorters
    assert by_cluster[1][0].weight == pytest.approx(3 / 5, abs=1e-12)


def test_a_pile_that_is_the_cluster_for_every_sorter_weighs_one() -> None:
    cardsort = peer_values()
    same = replace(
        cardsort,
        sorts=tuple(
            Sort(s.sorter, (Pile("Equality", ("3", "4", "5")), Pile("Rest", ("1", "2"))))
            for s in cardsort.sorts
        ),
    )
    names = suggest_for_statements(check_piles(same), ["3", "4", "5"])
    assert [(n.label, n.weight) for n in names] == [("Equality", 1.0)]


def test_labels_are_compared_without_case_or_spacing() -> None:
    assert normalise_label("  Lived \t EXPERIENCE ") == "lived experience"
    names = suggest_for_statements(check_piles(peer_values()), ["1", "2", "6", "7"])
    assert sum(n.label.casefold() == "lived experience" for n in names) == 1


def test_unlabelled_piles_suggest_nothing() -> None:
    cardsort = peer_values()
    unnamed = replace(
        cardsort,
        sorts=tuple(
            Sort(s.sorter, tuple(Pile("  ", p.cards) for p in s.piles)) for s in cardsort.sorts
        ),
    )
    assert suggest_for_statements(check_piles(unnamed), ["3", "4", "5"]) == ()


def test_it_suggests_at_most_three_names() -> None:
    piles = check_piles(rcmap_study("sampleproject"))
    for names in suggest_names(piles, [1 + i % 4 for i in range(len(piles.keys))]):
        assert len(names) == 3
        assert [n.weight for n in names] == sorted((n.weight for n in names), reverse=True)
        assert all(0 < n.weight <= 1 for n in names)


def test_it_refuses_statements_that_are_not_in_the_sort() -> None:
    with pytest.raises(ValueError, match=r"'9', 'x' not among the statements"):
        suggest_for_statements(check_piles(peer_values()), ["1", "9", "x"])


def test_it_refuses_an_empty_group() -> None:
    with pytest.raises(ValueError, match="No statements were given"):
        suggest_for_statements(check_piles(peer_values()), [])
