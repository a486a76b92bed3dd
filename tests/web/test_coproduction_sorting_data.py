"""The finished sorts as the core's plain data, and storing such data, all or nothing."""

from __future__ import annotations

import pytest
from tests.web.coproduction_sorting_fixtures import (
    CARD_TEXTS,
    Sorting,
    sorting_fixture,  # noqa: F401 (the sorting fixture)
)

from peerprinciples.core.coproduction.cardsort import CardSort, Pile, Sort
from peerprinciples.core.coproduction.problems import ImportProblems
from peerprinciples.web.audit.models import AuditEvent
from peerprinciples.web.coproduction.models import Card, IndividualSort, Member, Placement
from peerprinciples.web.coproduction.services.sort_import import store_card_sort
from peerprinciples.web.coproduction.services.sorting import card_sort

pytestmark = pytest.mark.django_db

STATEMENTS = {str(n): text for n, text in enumerate(CARD_TEXTS, start=1)}


def test_only_finished_sorts_with_cards_in_piles_are_given(sorting: Sorting) -> None:
    panel = sorting.panel
    Member.objects.filter(pk=sorting.member(panel.panel).pk).update(
        group="Peer worker", details={"years": "5-10", "region": None}
    )
    pam = sorting.own_sort(panel.panel, IndividualSort.Status.DONE)
    sorting.pile(pam, "Voice", 4, 3)
    sorting.pile(pam, "Nothing here")
    sorting.pile(pam, "Safety", 2, 1)
    Placement.objects.create(pile=pam.piles.get(label="Safety"), card=sorting.merged, sort=pam)
    fay = sorting.own_sort(panel.facilitator, IndividualSort.Status.DONE)
    sorting.pile(fay, "All of them", 1, 2, 3, 4, 5, 6)
    pat = sorting.own_sort(panel.panel_b)  # a draft: not given
    sorting.pile(pat, "Draft pile", 1)
    sorting.own_sort(panel.research, IndividualSort.Status.DONE)  # finished, nothing placed

    assert card_sort(sorting.project) == CardSort(
        statements=STATEMENTS,
        sorts=(
            Sort("F01", (Pile("All of them", ("1", "2", "3", "4", "5", "6")),)),
            Sort("P01", (Pile("Voice", ("3", "4")), Pile("Safety", ("1", "2")))),
        ),
        groups={"P01": {"years": "5-10", "region": "", "group": "Peer worker"}},
    )


def test_the_statements_are_every_card_not_merged_in_number_order(sorting: Sorting) -> None:
    given = card_sort(sorting.project)
    assert given.keys == ("1", "2", "3", "4", "5", "6")
    assert given.sorts == ()


def _imported() -> CardSort:
    return CardSort(
        statements=STATEMENTS,
        sorts=(
            Sort("P01", (Pile("Being understood", ("1", "5")), Pile("Equals", ("2", "3")))),
            Sort("S11", (Pile("", ("1", "2", "3")), Pile("Having a say", ("4", "6")))),
        ),
        groups={"S11": {"group": "Researcher", "years": "Over 10"}, "S99": {"group": "x"}},
    )


def test_an_imported_sort_is_stored_finished_and_reads_back_the_same(sorting: Sorting) -> None:
    stored = store_card_sort(sorting.panel.research, sorting.project, _imported())
    assert (stored.sorts, stored.piles, stored.placements) == (2, 4, 9)
    assert stored.members_created == ["S11"]
    assert stored.cards_created == []
    s11 = Member.objects.get(project=sorting.project, code="S11")
    assert (s11.user, s11.role, s11.group, s11.details) == (
        None,
        Member.Role.PANEL,
        "Researcher",
        {"years": "Over 10"},
    )
    assert set(IndividualSort.objects.values_list("status", flat=True)) == {"done"}
    expected = CardSort(
        statements=STATEMENTS,
        sorts=(
            _imported().sorts[0],
            Sort("S11", (Pile("Pile 1", ("1", "2", "3")), Pile("Having a say", ("4", "6")))),
        ),
        groups={"S11": {"years": "Over 10", "group": "Researcher"}},
    )
    assert card_sort(sorting.project) == expected
    summaries = set(AuditEvent.objects.values_list("summary", flat=True))
    assert {
        "Imported member S11",
        "Imported the sort of P01: 2 piles",
        "Imported the sort of S11: 2 piles",
    } <= summaries


def test_an_import_can_add_the_cards_it_sorts(sorting: Sorting) -> None:
    data = CardSort(
        statements={**STATEMENTS, "8": "Peer workers are paid fairly for their time."},
        sorts=(Sort("S01", (Pile("Work", ("8", "4")),)),),
    )
    with pytest.raises(ImportProblems, match="the project has no card 8"):
        store_card_sort(sorting.panel.research, sorting.project, data)
    stored = store_card_sort(sorting.panel.research, sorting.project, data, add_missing_cards=True)
    assert stored.cards_created == [8]
    card = Card.objects.get(project=sorting.project, number=8)
    assert (card.text, card.entered_by) == (
        "Peer workers are paid fairly for their time.",
        sorting.panel.research,
    )


def test_an_import_with_problems_stores_nothing_and_names_every_problem(
    sorting: Sorting,
) -> None:
    sorting.own_sort(sorting.panel.panel_b)
    data = CardSort(
        statements={
            **STATEMENTS,
            "1": "Something else entirely.",
            "7": "A merged card.",
            "C-9": "Not a number.",
            "9": "   ",
        },
        sorts=(
            Sort("P02", (Pile("Mine", ("2",)),)),
            Sort("S01", (Pile("A", ("2", "3")), Pile("B", ("3", "12")))),
            Sort("S01", ()),
            Sort(" ", ()),
            Sort("X" * 41, (Pile("L" * 201, ()),)),
        ),
    )
    with pytest.raises(ImportProblems) as refused:
        store_card_sort(sorting.panel.research, sorting.project, data, add_missing_cards=True)
    assert [str(problem) for problem in refused.value.problems] == [
        "statement '1': says something other than card 1 of the project. Import into the "
        "project whose cards these are, or renumber the statements to match its cards.",
        "statement '7': is card 7, which was merged into another card as a duplicate. Leave "
        "the duplicate out of the import, or number the statements afresh.",
        "statement 'C-9': is not a card number. Number the statements 1, 2, 3 and so on, as "
        "the project's cards are numbered.",
        "statement '9': has no text. Give every statement its text.",
        "sorter 'P02': already has a sort in this project (or twice in the import). Leave "
        "that sort out of the import, or import it under another code.",
        "sorter 'S01', pile 2 ('B'): holds statement '3', which the sorter also put in pile "
        "1. Put each statement in at most one pile of a sorter.",
        "sorter 'S01', pile 2 ('B'): holds statement '12', which is not among the "
        "statements. Add the statement, or take it out of the pile.",
        "sorter 'S01': already has a sort in this project (or twice in the import). Leave "
        "that sort out of the import, or import it under another code.",
        "a sorter: has no code. Give every sorter a pseudonymous code.",
        f"sorter '{'X' * 41}': has a code that is too long. Use at most 40 characters.",
        f"sorter '{'X' * 41}', pile 1 ('{'L' * 201}'): has a label that is too long. Use at "
        "most 200 characters.",
    ]
    assert IndividualSort.objects.count() == 1
    assert not Member.objects.filter(code="S01").exists()
    assert Card.objects.filter(project=sorting.project).count() == 7


def test_an_existing_member_keeps_their_group_and_gains_missing_answers(
    sorting: Sorting,
) -> None:
    pam = sorting.member(sorting.panel.panel)
    Member.objects.filter(pk=pam.pk).update(group="Peer worker")
    data = CardSort(
        statements=STATEMENTS,
        sorts=(Sort("P01", (Pile("A", ("1",)),)),),
        groups={"P01": {"group": "Researcher", "years": "1-5"}},
    )
    store_card_sort(sorting.panel.research, sorting.project, data)
    pam.refresh_from_db()
    assert (pam.group, pam.details, pam.version) == ("Peer worker", {"years": "1-5"}, 2)
