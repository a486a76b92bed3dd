"""The sorting services: piles, moves, versions, the sorting stage, finishing, progress."""

from __future__ import annotations

import pytest
from tests.web.coproduction_sorting_fixtures import (
    Sorting,
    sorting_fixture,  # noqa: F401 (the sorting fixture)
)

from peerprinciples.web.audit.models import AuditEvent
from peerprinciples.web.coproduction.models import IndividualSort, Pile, Placement, Project
from peerprinciples.web.coproduction.services import sorting as services
from peerprinciples.web.errors import DomainError, InvalidInput, StaleEdit

pytestmark = pytest.mark.django_db


def test_a_new_sort_has_every_card_unsorted_and_no_merged_card(sorting: Sorting) -> None:
    shown = services.board(sorting.group_sort())
    assert shown.piles == []
    assert [card.number for card in shown.unsorted] == [1, 2, 3, 4, 5, 6]
    assert (shown.sorted_count, shown.card_count, shown.version) == (0, 6, 1)


def test_a_member_who_has_not_started_sees_an_unsaved_sort(sorting: Sorting) -> None:
    own = services.own_sort(sorting.member(sorting.panel.panel))
    assert own.pk is None
    assert len(services.board(own).unsorted) == 6
    assert not IndividualSort.objects.exists()


def test_piles_are_added_in_order_and_each_moves_the_version_on(sorting: Sorting) -> None:
    owner = sorting.group_sort()
    fay = sorting.panel.facilitator
    services.add_pile(fay, owner, label=" Trust ", notes=" Feeling safe ", expected_version=1)
    services.add_pile(fay, owner, label="Equals", expected_version=2)
    shown = services.board(owner)
    assert [(e.pile.label, e.pile.notes) for e in shown.piles] == [
        ("Trust", "Feeling safe"),
        ("Equals", ""),
    ]
    assert shown.version == owner.version == 3
    owner.refresh_from_db()
    assert owner.version == 3


@pytest.mark.parametrize(
    ("label", "problem"),
    [
        ("  ", "Give the pile a label"),
        ("x" * 201, "200 characters or fewer"),
        ("trust", "already has a pile labelled “trust”"),
    ],
)
def test_a_pile_needs_a_label_of_its_own(sorting: Sorting, label: str, problem: str) -> None:
    owner = sorting.group_sort()
    sorting.pile(owner, "Trust")
    with pytest.raises(InvalidInput) as refused:
        services.add_pile(sorting.panel.facilitator, owner, label=label, expected_version=1)
    assert problem in refused.value.problems["label"]
    assert Pile.objects.count() == 1
    owner.refresh_from_db()
    assert owner.version == 1


def test_the_same_label_may_be_used_in_another_sort(sorting: Sorting) -> None:
    sorting.pile(sorting.group_sort("First meeting"), "Trust")
    other = sorting.group_sort("Second meeting")
    pile = services.add_pile(sorting.panel.facilitator, other, label="Trust", expected_version=1)
    assert pile.group_sort == other


def test_moves_place_cards_and_are_recorded_by_number(sorting: Sorting) -> None:
    owner = sorting.group_sort()
    trust, equals = sorting.pile(owner, "Trust"), sorting.pile(owner, "Equals", 3)
    c = sorting.card
    placed = services.place_cards(
        sorting.panel.facilitator,
        owner,
        {c(1).pk: trust.pk, c(5).pk: trust.pk, c(3).pk: None, c(2).pk: equals.pk},
        expected_version=1,
    )
    assert [(m.card.number, m.pile.label if m.pile else None) for m in placed.moves] == [
        (1, "Trust"),
        (2, "Equals"),
        (3, None),
        (5, "Trust"),
    ]
    assert placed.version == 2
    assert sorting.where(owner) == {1: "Trust", 5: "Trust", 2: "Equals"}
    event = AuditEvent.objects.get(object_type="coproduction.GroupSort", action="change")
    assert event.summary == f"Moved 4 cards in group sort {owner.pk}"
    assert event.before == {"piles": {"1": None, "2": None, "3": equals.pk, "5": None}}
    assert event.after == {"piles": {"1": trust.pk, "2": equals.pk, "3": None, "5": trust.pk}}


def test_a_card_already_in_its_pile_is_not_moved(sorting: Sorting) -> None:
    owner = sorting.group_sort()
    trust = sorting.pile(owner, "Trust", 1)
    placed = services.place_cards(
        sorting.panel.facilitator, owner, {sorting.card(1).pk: trust.pk}, expected_version=1
    )
    assert placed.moves == []
    assert placed.version == 1
    assert not AuditEvent.objects.filter(object_type="coproduction.GroupSort").exists()


def test_moves_are_all_or_nothing(sorting: Sorting) -> None:
    owner = sorting.group_sort()
    trust = sorting.pile(owner, "Trust")
    other = sorting.pile(sorting.group_sort("Another meeting"), "Elsewhere")
    moves = {
        sorting.card(1).pk: trust.pk,
        sorting.merged.pk: trust.pk,
        sorting.card(2).pk: other.pk,
        999_999: trust.pk,
    }
    with pytest.raises(InvalidInput) as refused:
        services.place_cards(sorting.panel.facilitator, owner, moves, expected_version=1)
    problems = refused.value.problems
    assert set(problems) == {
        f"card-{sorting.merged.pk}",
        f"card-{sorting.card(2).pk}",
        "card-999999",
    }
    assert "merged into another card" in problems[f"card-{sorting.merged.pk}"]
    assert "Card 2 cannot go into pile" in problems[f"card-{sorting.card(2).pk}"]
    assert sorting.where(owner) == {}
    owner.refresh_from_db()
    assert owner.version == 1


def test_a_move_from_an_out_of_date_page_is_refused(sorting: Sorting) -> None:
    owner = sorting.group_sort()
    trust = sorting.pile(owner, "Trust")
    fay = sorting.panel.facilitator
    services.place_cards(fay, owner, {sorting.card(1).pk: trust.pk}, expected_version=1)
    stale = type(owner).objects.get(pk=owner.pk)
    stale.version = 1  # the other window still holds version 1
    with pytest.raises(StaleEdit, match="Someone else changed this group sort"):
        services.place_cards(fay, stale, {sorting.card(1).pk: None}, expected_version=1)
    with pytest.raises(StaleEdit):
        services.add_pile(fay, owner, label="Late", expected_version=1)
    assert sorting.where(owner) == {1: "Trust"}


def test_renaming_a_pile_keeps_its_cards_and_records_the_old_label(sorting: Sorting) -> None:
    owner = sorting.group_sort()
    trust = sorting.pile(owner, "Trust", 1, 2)
    sorting.pile(owner, "Equals")
    with pytest.raises(InvalidInput):
        services.change_pile(
            sorting.panel.facilitator, owner, trust.pk, label="EQUALS", notes="", expected_version=1
        )
    services.change_pile(
        sorting.panel.facilitator,
        owner,
        trust.pk,
        label="Trust and safety",
        notes="Cards about feeling safe",
        expected_version=1,
    )
    assert sorting.where(owner) == {1: "Trust and safety", 2: "Trust and safety"}
    event = AuditEvent.objects.get(object_type="coproduction.Pile", action="change")
    assert event.before == {"label": "Trust", "notes": ""}


def test_removing_a_pile_puts_its_cards_back_among_the_unsorted(sorting: Sorting) -> None:
    owner = sorting.group_sort()
    trust = sorting.pile(owner, "Trust", 1, 2)
    sorting.pile(owner, "Equals", 3)
    back = services.remove_pile(sorting.panel.facilitator, owner, trust.pk, expected_version=1)
    assert back == 2
    assert sorting.where(owner) == {3: "Equals"}
    assert [c.number for c in services.board(owner).unsorted] == [1, 2, 4, 5, 6]
    event = AuditEvent.objects.get(object_type="coproduction.Pile", action="delete")
    assert event.before == {"label": "Trust", "notes": "", "cards": [1, 2]}
    with pytest.raises(DomainError, match="has no pile"):
        services.remove_pile(sorting.panel.facilitator, owner, trust.pk, expected_version=2)


def test_a_pile_of_another_sort_cannot_be_changed_through_this_one(sorting: Sorting) -> None:
    owner = sorting.group_sort()
    elsewhere = sorting.pile(sorting.own_sort(sorting.panel.panel), "Mine", 1)
    with pytest.raises(DomainError, match="has no pile"):
        services.change_pile(
            sorting.panel.facilitator, owner, elsewhere.pk, label="X", notes="", expected_version=1
        )
    assert Pile.objects.get(pk=elsewhere.pk).label == "Mine"


def test_a_members_sort_changes_only_at_the_sorting_stage(sorting: Sorting) -> None:
    pam = sorting.panel.panel
    with pytest.raises(DomainError, match="it is now at “Setting up”"):
        services.start_sort(sorting.member(pam))
    assert not IndividualSort.objects.exists()
    own = sorting.own_sort(pam)
    mine = sorting.pile(own, "Mine")
    with pytest.raises(DomainError, match="Sorting online is open only"):
        services.place_cards(pam, own, {sorting.card(1).pk: mine.pk}, expected_version=1)
    with pytest.raises(DomainError):
        services.set_finished(pam, own, finished=True, expected_version=1)
    sorting.at_stage(Project.Stage.SORTING)
    services.place_cards(pam, own, {sorting.card(1).pk: mine.pk}, expected_version=1)
    assert sorting.where(own) == {1: "Mine"}


def test_a_group_sort_is_recorded_at_any_stage(sorting: Sorting) -> None:
    sorting.at_stage(Project.Stage.RATING)
    owner = services.create_group_sort(
        sorting.panel.facilitator, sorting.project, title=" Meeting ", held_on=None
    )
    assert owner.title == "Meeting"
    services.add_pile(sorting.panel.facilitator, owner, label="Trust", expected_version=1)
    with pytest.raises(InvalidInput):
        services.create_group_sort(
            sorting.panel.facilitator, sorting.project, title=" ", held_on=None
        )


def test_starting_a_sort_twice_keeps_one_sort(sorting: Sorting) -> None:
    sorting.at_stage(Project.Stage.SORTING)
    member = sorting.member(sorting.panel.panel)
    first = services.start_sort(member)
    again = services.start_sort(member)
    assert first.pk == again.pk
    assert IndividualSort.objects.count() == 1


def _finish(sorting: Sorting, own: IndividualSort) -> list[str]:
    return services.set_finished(
        sorting.panel.panel, own, finished=True, expected_version=own.version
    )


def test_finishing_warns_about_unsorted_cards_and_empty_piles(sorting: Sorting) -> None:
    sorting.at_stage(Project.Stage.SORTING)
    own = sorting.own_sort(sorting.panel.panel)
    sorting.pile(own, "Safety", 1, 2)
    sorting.pile(own, "Voice", 3, 4)
    sorting.pile(own, "Later")
    warnings = _finish(sorting, own)
    assert warnings == [
        "2 cards are not in a pile (5, 6). That is fine for a card that fits nowhere; "
        "otherwise put it with the cards it is most like.",
        "Empty piles are left out of the analysis: “Later”.",
    ]
    own.refresh_from_db()
    assert own.status == IndividualSort.Status.DONE


def test_finishing_warns_when_all_cards_are_in_one_pile(sorting: Sorting) -> None:
    sorting.at_stage(Project.Stage.SORTING)
    own = sorting.own_sort(sorting.panel.panel)
    sorting.pile(own, "Everything", 1, 2, 3, 4, 5, 6)
    (warning,) = _finish(sorting, own)
    assert warning.startswith("All your sorted cards are in one pile.")


def test_finishing_warns_when_every_card_is_alone(sorting: Sorting) -> None:
    sorting.at_stage(Project.Stage.SORTING)
    own = sorting.own_sort(sorting.panel.panel)
    for number in range(1, 7):
        sorting.pile(own, f"Pile {number}", number)
    (warning,) = _finish(sorting, own)
    assert warning.startswith("Every card is in a pile of its own.")


def test_finishing_an_empty_sort_says_so_and_reopening_warns_nothing(sorting: Sorting) -> None:
    sorting.at_stage(Project.Stage.SORTING)
    own = services.start_sort(sorting.member(sorting.panel.panel))
    assert _finish(sorting, own) == ["You have not put any card into a pile yet."]
    assert services.set_finished(sorting.panel.panel, own, finished=False, expected_version=2) == []
    own.refresh_from_db()
    assert (own.status, own.version) == (IndividualSort.Status.DRAFT, 3)
    summaries = AuditEvent.objects.filter(object_type="coproduction.IndividualSort")
    assert sorted(summaries.values_list("summary", flat=True)) == [
        "Finished in the sort of P01",
        "Reopened in the sort of P01",
    ]


def test_progress_says_who_finished_by_code_with_the_cards_left_unsorted(
    sorting: Sorting,
) -> None:
    panel = sorting.panel
    done = sorting.own_sort(panel.panel, IndividualSort.Status.DONE)
    sorting.pile(done, "Safety", 1, 2, 3)
    sorting.pile(done, "Voice", 4, 5)
    started = sorting.own_sort(panel.panel_b)
    sorting.pile(started, "Mine")
    rows = services.progress(sorting.project)
    assert [(r.code, r.status, r.unsorted) for r in rows] == [
        ("F01", "not_started", None),
        ("P01", "done", 1),
        ("P02", "started", 6),
    ]
    assert [r.status_label for r in rows] == ["Not started", "Finished", "In progress"]


def test_an_empty_draft_counts_as_not_started(sorting: Sorting) -> None:
    sorting.own_sort(sorting.panel.panel)
    rows = {r.code: r.status for r in services.progress(sorting.project)}
    assert rows["P01"] == "not_started"
    assert "R01" not in rows  # the research team does not sort


def test_a_placement_of_a_merged_card_is_not_shown_nor_counted(sorting: Sorting) -> None:
    own = sorting.own_sort(sorting.panel.panel, IndividualSort.Status.DONE)
    pile = sorting.pile(own, "Safety", 1)
    Placement.objects.create(pile=pile, card=sorting.merged, sort=own)
    shown = services.board(own)
    assert [c.number for c in shown.piles[0].cards] == [1]
    row = next(r for r in services.progress(sorting.project) if r.code == "P01")
    assert row.unsorted == 5
