"""The similarity matrix of a card sort, the handling of unsorted cards, and the checks of
the sorts (warnings for odd sorts, one error listing every problem)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from peerprinciples.core.coproduction.cardsort import CardSort, Pile, Sort
from peerprinciples.core.coproduction.similarity import (
    UNSORTED_HANDLING,
    InvalidCardSort,
    check_piles,
    dissimilarity_matrix,
    similarity_matrix,
)

from .reference import incidence_similarity
from .studies import STATEMENTS, peer_values, rcmap_study


def _with_sort(cardsort: CardSort, sort: Sort) -> CardSort:
    return replace(cardsort, sorts=(*cardsort.sorts, sort))


def _problems(cardsort: CardSort) -> list[str]:
    with pytest.raises(InvalidCardSort) as caught:
        check_piles(cardsort)
    return [str(p) for p in caught.value.problems]


# --- the matrix ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second", "together"),
    [
        # counted by hand from the five sorts in studies.peer_values()
        ("1", "2", 5),
        ("1", "7", 3),
        ("3", "4", 5),
        ("3", "5", 4),
        ("6", "7", 3),
        ("6", "8", 3),  # P03 left 8 unsorted: not with 6 for P03
        ("1", "3", 0),
    ],
)
def test_it_counts_the_sorters_who_put_two_statements_together(
    first: str, second: str, together: int
) -> None:
    similarity = similarity_matrix(check_piles(peer_values()))
    keys = list(STATEMENTS)
    assert similarity[keys.index(first), keys.index(second)] == together
    assert similarity[keys.index(second), keys.index(first)] == together


def test_its_diagonal_is_the_number_of_sorters() -> None:
    assert np.diag(similarity_matrix(check_piles(peer_values()))).tolist() == [5] * 8


def test_it_matches_summed_incidence_matrices_on_the_small_sort() -> None:
    cardsort = peer_values()
    # reference: sum over sorters of M M^T (numpy), see reference.incidence_similarity
    expected = incidence_similarity(cardsort)
    np.testing.assert_allclose(similarity_matrix(check_piles(cardsort)), expected, atol=1e-9)


@pytest.mark.parametrize("study", ["DataNCATS", "sampleproject"])
def test_it_matches_summed_incidence_matrices_on_the_rcmap_studies(study: str) -> None:
    cardsort = rcmap_study(study)
    piles = check_piles(cardsort)
    expected = incidence_similarity(cardsort)
    np.testing.assert_allclose(similarity_matrix(piles), expected, atol=1e-9)
    assert piles.n_sorters == {"DataNCATS": 74, "sampleproject": 10}[study]


def test_weights_count_a_sorter_drawn_twice_twice() -> None:
    cardsort = peer_values()
    weights = np.array([2.0, 0.0, 1.0, 0.0, 2.0])
    expected = incidence_similarity(cardsort, weights)
    np.testing.assert_allclose(
        similarity_matrix(check_piles(cardsort), weights), expected, atol=1e-9
    )


def test_dissimilarity_is_the_sorters_who_separated_a_pair_plus_one() -> None:
    similarity = np.array([[3, 3, 0], [3, 3, 1], [0, 1, 3]])
    expected = np.array([[0.0, 1.0, 4.0], [1.0, 0.0, 3.0], [4.0, 3.0, 0.0]])
    np.testing.assert_array_equal(dissimilarity_matrix(similarity, 3), expected)


# --- unsorted cards ----------------------------------------------------------------------------


def test_an_unsorted_card_counts_as_a_pile_of_its_own() -> None:
    cardsort = peer_values()
    placed_alone = replace(
        cardsort,
        sorts=tuple(
            replace(s, piles=(*s.piles, Pile("", ("8",)))) if s.sorter == "P03" else s
            for s in cardsort.sorts
        ),
    )
    np.testing.assert_array_equal(
        similarity_matrix(check_piles(cardsort)), similarity_matrix(check_piles(placed_alone))
    )
    assert UNSORTED_HANDLING == "own pile"


def test_it_lists_each_sorters_unsorted_cards_and_warns() -> None:
    piles = check_piles(peer_values())
    assert piles.unsorted == {"P03": ("8",)}
    assert [str(w) for w in piles.warnings] == [
        "sorter P03: left 1 card unsorted (8). Each counts as a pile of its own for this "
        "sorter; if a card was missed by mistake, add it to a pile."
    ]


def test_a_sorter_who_sorted_nothing_is_kept_with_a_warning() -> None:
    cardsort = _with_sort(peer_values(), Sort("P06", ()))
    piles = check_piles(cardsort)
    assert piles.sorters[-1] == "P06"
    assert piles.unsorted["P06"] == tuple(STATEMENTS)
    assert any(w.where == "sorter P06" and "sorted no cards" in w.what for w in piles.warnings)
    np.testing.assert_allclose(similarity_matrix(piles), incidence_similarity(cardsort))


def test_the_rcmap_studies_record_the_unsorted_cards_of_two_ncats_sorters() -> None:
    piles = check_piles(rcmap_study("DataNCATS"))
    # in RCMap_DataNCATS_SortedCards.csv sorter 20 leaves out card 37 and sorter 58 six cards
    assert {code: len(cards) for code, cards in piles.unsorted.items()} == {"20": 1, "58": 6}


# --- odd sorts are warnings ----------------------------------------------------------------


def test_a_sort_of_everything_in_one_pile_is_a_warning() -> None:
    everything = Sort("P06", (Pile("All", tuple(STATEMENTS)),))
    piles = check_piles(_with_sort(peer_values(), everything))
    assert any("every card in one pile" in w.what for w in piles.warnings)


def test_a_sort_of_every_card_alone_is_a_warning() -> None:
    alone = Sort("P06", tuple(Pile(f"pile {k}", (k,)) for k in STATEMENTS))
    piles = check_piles(_with_sort(peer_values(), alone))
    assert any(
        w.where == "sorter P06" and "every card in a pile of its own" in w.what
        for w in piles.warnings
    )


def test_an_empty_pile_is_left_out_with_a_warning() -> None:
    cardsort = peer_values()
    with_empty = replace(
        cardsort,
        sorts=tuple(
            replace(s, piles=(*s.piles, Pile("Later", ()))) if s.sorter == "P01" else s
            for s in cardsort.sorts
        ),
    )
    piles = check_piles(with_empty)
    assert "Later" not in piles.labels
    assert any(w.where == "sorter P01, pile 'Later'" for w in piles.warnings)
    np.testing.assert_array_equal(
        similarity_matrix(piles), similarity_matrix(check_piles(cardsort))
    )


# --- errors --------------------------------------------------------------------------------


def test_it_refuses_fewer_than_three_statements() -> None:
    cardsort = CardSort({"1": "a", "2": "b"}, (Sort("P01", (Pile("x", ("1", "2")),)),))
    assert _problems(cardsort) == [
        "statements: there are 2 statements; a concept map needs at least 3. Add statements "
        "before drawing the map."
    ]


def test_it_refuses_a_card_sort_without_sorts() -> None:
    assert _problems(CardSort(STATEMENTS, ())) == [
        "sorts: nobody has sorted the cards yet. Add at least one sort."
    ]


def test_it_names_the_sorter_and_pile_of_a_card_that_is_not_a_statement() -> None:
    stray = Sort("P06", (Pile("Choice", ("5", "9")), Pile("Rest", ("1", "2"))))
    assert _problems(_with_sort(peer_values(), stray)) == [
        "sorter P06, pile 'Choice': card '9' is not one of the statements. Use a statement's "
        "key, or take the card out of the pile."
    ]


def test_it_refuses_a_card_in_two_piles_of_one_sorter() -> None:
    twice = Sort("P06", (Pile("Equality", ("3", "4")), Pile("Choice", ("4", "5"))))
    assert _problems(_with_sort(peer_values(), twice)) == [
        "sorter P06, pile 'Choice': card '4' is also in the pile 'Equality'. Put each card in "
        "one pile only, once."
    ]


def test_it_refuses_a_card_twice_in_one_pile() -> None:
    twice = Sort("P06", (Pile("", ("3", "3", "4")),))
    assert _problems(_with_sort(peer_values(), twice)) == [
        "sorter P06, an unnamed pile: card '3' is in this pile twice. Put each card in one "
        "pile only, once."
    ]


def test_it_tells_two_unnamed_piles_apart() -> None:
    twice = Sort("P06", (Pile("", ("3", "4")), Pile("", ("4", "5"))))
    assert _problems(_with_sort(peer_values(), twice)) == [
        "sorter P06, an unnamed pile: card '4' is also in the pile ''. Put each card in one "
        "pile only, once."
    ]


def test_it_refuses_two_sorts_with_one_sorter_code() -> None:
    again = Sort("P01", (Pile("All", ("1", "2")),))
    assert _problems(_with_sort(peer_values(), again)) == [
        "sorter P01: two sorts have this sorter code. Give each sorter one code, or merge "
        "their piles into one sort."
    ]


def test_it_lists_every_problem_at_once() -> None:
    bad = Sort("P06", (Pile("A", ("1", "x")), Pile("B", ("1", "y"))))
    assert len(_problems(_with_sort(peer_values(), bad))) == 3


def test_it_refuses_sorts_where_nobody_sorted_anything() -> None:
    cardsort = CardSort(STATEMENTS, (Sort("P01", ()), Sort("P02", ())))
    assert _problems(cardsort) == [
        "sorts: every pair of statements was put together by 0 of 2 sorters, so the sorts say "
        "nothing about which statements belong together. Ask sorters to make piles of "
        "statements that belong together (more than one pile, not every card alone)."
    ]


def test_it_refuses_sorts_that_all_put_everything_in_one_pile() -> None:
    everything = Pile("All", tuple(STATEMENTS))
    cardsort = CardSort(STATEMENTS, (Sort("P01", (everything,)), Sort("P02", (everything,))))
    assert "put together by 2 of 2 sorters" in _problems(cardsort)[0]


def test_invalid_card_sort_is_a_value_error_with_every_problem_in_its_message() -> None:
    error = InvalidCardSort([])
    assert isinstance(error, ValueError)
    stray = Sort("P06", (Pile("A", ("9",)), Pile("B", ("10",))))
    with pytest.raises(ValueError, match=r"card '9'[\s\S]*card '10'"):
        check_piles(_with_sort(peer_values(), stray))
