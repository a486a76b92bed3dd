"""Drafting rounds' services: the rule, opening, ballots, closing and answers, with every
refusal."""

from __future__ import annotations

import numpy as np
import pytest
from django.db import IntegrityError, transaction
from tests.web.coproduction_rounds_fixtures import make_drafts, statement, vote_all

from peerprinciples.core.coproduction.delphi import summarise
from peerprinciples.web.audit.models import AuditEvent
from peerprinciples.web.coproduction.models import Ballot, DraftingRound, Project
from peerprinciples.web.coproduction.services import rounds as services
from peerprinciples.web.errors import DomainError, InvalidInput, StaleEdit

pytestmark = pytest.mark.django_db

RULE = {
    "scale_low": 1,
    "scale_high": 9,
    "agree_from": 7,
    "disagree_to": 3,
    "min_share_percent": 75,
    "min_median": 7,
}


@pytest.fixture
def drafts(panel):  # type: ignore[no-untyped-def]
    return make_drafts(panel.project)


def _open(panel, intro: str = "") -> DraftingRound:  # type: ignore[no-untyped-def]
    return services.open_round(panel.facilitator, panel.project, intro)


def _round_one(panel, drafts) -> DraftingRound:  # type: ignore[no-untyped-def]
    """Round 1 with three ballots, closed."""
    opened = _open(panel)
    d = drafts
    vote_all(panel.facilitator, panel.member(panel.facilitator), opened,
             {d["listening"]: 8, d["aspect"]: 2, d["hope"]: 9, d["theme"]: 5})  # fmt: skip
    vote_all(panel.panel, panel.member(panel.panel), opened,
             {d["listening"]: 9, d["aspect"]: 8, d["hope"]: 9, d["theme"]: 6})  # fmt: skip
    vote_all(panel.panel_b, panel.member(panel.panel_b), opened,
             {d["listening"]: 7, d["aspect"]: 9, d["hope"]: None, d["theme"]: 4})  # fmt: skip
    return services.close_round(panel.facilitator, opened)


# --- the rule -------------------------------------------------------------------------------


def test_the_rule_is_set_before_the_first_round_and_copied_into_it(panel, drafts) -> None:  # type: ignore[no-untyped-def]
    project = services.set_rule(
        panel.facilitator,
        panel.project,
        {**RULE, "scale_high": 5, "agree_from": 4, "disagree_to": 2, "min_median": 4},
        version=panel.project.version,
    )
    assert services.rule_of(project).describe() == (
        "Agreed when at least 75% of those who rated it chose 4 to 5 and the median is at least 4."
    )
    opened = _open(panel)
    assert opened.rule == {
        "low": 1,
        "high": 5,
        "agree_from": 4,
        "disagree_to": 2,
        "min_share": 0.75,
        "min_median": 4,
    }


def test_the_rule_cannot_change_once_a_round_has_opened(panel, drafts) -> None:  # type: ignore[no-untyped-def]
    _open(panel)
    project = Project.objects.get(pk=panel.project.pk)
    with pytest.raises(DomainError, match="applied the same way every round"):
        services.set_rule(panel.facilitator, project, RULE, version=project.version)


def test_a_rule_saved_over_a_newer_version_is_refused(panel) -> None:  # type: ignore[no-untyped-def]
    services.set_rule(panel.facilitator, panel.project, RULE, version=1)
    with pytest.raises(StaleEdit):
        services.set_rule(panel.facilitator, panel.project, {**RULE, "min_median": 6}, version=1)
    assert Project.objects.get(pk=panel.project.pk).min_median == 7


def test_a_rule_the_core_cannot_apply_names_what_is_wrong(panel) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput) as raised:
        services.set_rule(panel.facilitator, panel.project, {**RULE, "agree_from": 3}, version=1)
    assert "cannot be used" in raised.value.problems["__all__"]
    assert Project.objects.get(pk=panel.project.pk).agree_from == 7


# --- opening --------------------------------------------------------------------------------


def test_opening_copies_the_wording_and_invites_those_who_may_vote(panel, drafts) -> None:  # type: ignore[no-untyped-def]
    opened = _open(panel, "  Please rate each one.  ")
    kinds = list(opened.statements.values_list("kind", "title", "text"))
    assert kinds == [
        ("principle", "Listening first", "Peer workers listen before they suggest anything."),
        ("aspect", "", "They ask what the person wants."),
        ("principle", "Hope", "Peer workers share how things got better."),
        ("theme", "Diversity", "Many kinds of lives."),
    ]
    # The facilitator and the two panel members vote; the research team does not.
    assert sorted(opened.invited.values_list("code", flat=True)) == ["F01", "P01", "P02"]
    assert opened.introduction == "Please rate each one."
    assert Project.objects.get(pk=panel.project.pk).stage == Project.Stage.ROUNDS
    assert AuditEvent.objects.filter(summary__startswith="Opened drafting round 1").exists()


def test_a_round_needs_a_draft_principle(panel) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError, match="no draft principle"):
        _open(panel)


def test_only_one_round_is_open_at_a_time(panel, drafts) -> None:  # type: ignore[no-untyped-def]
    _open(panel)
    with pytest.raises(DomainError, match="open already"):
        _open(panel)
    assert DraftingRound.objects.filter(project=panel.project).count() == 1


def test_opening_leaves_a_later_stage_alone(panel, drafts) -> None:  # type: ignore[no-untyped-def]
    Project.objects.filter(pk=panel.project.pk).update(stage=Project.Stage.PUBLISHED)
    panel.project.refresh_from_db()
    _open(panel)
    assert Project.objects.get(pk=panel.project.pk).stage == Project.Stage.PUBLISHED


# --- ballots --------------------------------------------------------------------------------


def test_a_ballot_is_handed_in_once(panel, drafts) -> None:  # type: ignore[no-untyped-def]
    opened = _open(panel)
    ratings = {target: 8 for target in drafts.values()}
    member = panel.member(panel.panel)
    vote_all(panel.panel, member, opened, ratings)
    with pytest.raises(DomainError, match="handed in your ballot for this round already"):
        vote_all(panel.panel, member, opened, ratings)
    assert Ballot.objects.filter(round=opened, member=member).count() == 1
    # The audit says a ballot was handed in, never what it said.
    entry = AuditEvent.objects.get(summary="Handed in a ballot in drafting round 1")
    # Only which ballot it was: its ratings (8) are nowhere in it. (Looking for "8" in its text
    # would also find the ids, which on PostgreSQL keep counting up from test to test.)
    assert set(entry.after) == {"id", "round", "member"}
    assert entry.after["member"] == member.pk


def test_the_database_backs_one_ballot_per_round(panel, drafts) -> None:  # type: ignore[no-untyped-def]
    opened = _open(panel)
    member = panel.member(panel.panel)
    Ballot.objects.create(round=opened, member=member)
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(round=opened, member=member)


def test_a_ballot_for_a_round_closed_meanwhile_is_refused(panel, drafts) -> None:  # type: ignore[no-untyped-def]
    opened = _open(panel)
    services.close_round(panel.facilitator, DraftingRound.objects.get(pk=opened.pk))
    with pytest.raises(services.RoundClosed, match="closed before your ballot arrived"):
        vote_all(panel.panel, panel.member(panel.panel), opened, {drafts["hope"]: 8})
    assert not Ballot.objects.filter(round=opened).exists()


def test_a_vote_on_a_statement_of_another_round_is_refused(panel, drafts) -> None:  # type: ignore[no-untyped-def]
    first = _round_one(panel, drafts)
    second = _open(panel)
    stranger = statement(first, drafts["aspect"])
    entries = {stranger.pk: services.Entry(8)}
    with pytest.raises(DomainError, match="not in this round"):
        services.submit_ballot(panel.panel, panel.member(panel.panel), second, entries)


def test_a_vote_on_a_locked_statement_is_refused(panel, drafts) -> None:  # type: ignore[no-untyped-def]
    _round_one(panel, drafts)
    second = _open(panel)
    locked = statement(second, drafts["listening"])
    assert locked.locked
    entries = {
        locked.pk: services.Entry(9),
        statement(second, drafts["aspect"]).pk: services.Entry(8),
        statement(second, drafts["theme"]).pk: services.Entry(8),
    }
    with pytest.raises(DomainError, match="agreed in an earlier round"):
        services.submit_ballot(panel.panel, panel.member(panel.panel), second, entries)


def test_every_open_statement_needs_a_rating_on_the_scale(panel, drafts) -> None:  # type: ignore[no-untyped-def]
    opened = _open(panel)
    entries = {
        statement(opened, drafts["listening"]).pk: services.Entry(10),
        statement(opened, drafts["aspect"]).pk: services.Entry(None, "x" * 2001),
    }
    with pytest.raises(InvalidInput) as raised:
        services.submit_ballot(panel.panel, panel.member(panel.panel), opened, entries)
    problems = raised.value.problems
    assert "outside the 1–9 scale" in problems[str(statement(opened, drafts["listening"]).pk)]
    assert "2000 characters" in problems[str(statement(opened, drafts["aspect"]).pk)]
    assert "Choose a rating" in problems[str(statement(opened, drafts["hope"]).pk)]
    assert not Ballot.objects.exists()


def test_a_member_not_invited_cannot_vote(panel, drafts) -> None:  # type: ignore[no-untyped-def]
    opened = _open(panel)
    with pytest.raises(DomainError, match="not among the members invited"):
        vote_all(panel.research, panel.member(panel.research), opened, {drafts["hope"]: 8})


# --- closing --------------------------------------------------------------------------------


def test_closing_keeps_the_cores_results_and_locks_what_was_agreed(panel, drafts) -> None:  # type: ignore[no-untyped-def]
    closed = _round_one(panel, drafts)
    assert closed.status == DraftingRound.Status.CLOSED
    assert closed.closed_by == panel.facilitator
    aspect = statement(closed, drafts["aspect"])
    # Ratings 2, 8, 9: two of three agree (67% < 75%), so not agreed. Sorted 2, 8, 9: Q1 at
    # position 1.5 is 2 + 0.5 * 6 = 5; the median 8; Q3 at 2.5 is 8 + 0.5 * 1 = 8.5.
    kept = aspect.result["result"]
    assert aspect.agreed is False
    assert (kept["q1"], kept["median"], kept["q3"], kept["iqr"]) == (5.0, 8.0, 8.5, 3.5)
    # numpy.percentile([2, 8, 9], [25, 50, 75]) -> [5.0, 8.0, 8.5]
    assert list(np.percentile([2, 8, 9], [25, 50, 75])) == [5.0, 8.0, 8.5]
    assert kept["reason"] == "66.67% rated 7–9, needs 75%"
    assert kept == _as_stored(summarise([2, 8, 9]))
    hope = statement(closed, drafts["hope"])
    # One member chose not to rate it: two ratings, both 9.
    assert hope.agreed is True
    assert hope.result["result"]["n"] == 2
    theme = statement(closed, drafts["theme"])
    assert theme.result["result"]["reason"] == "0% rated 7–9, needs 75%; median 5, needs 7"
    for key in ("listening", "hope"):
        drafts[key].refresh_from_db()
        assert drafts[key].agreed_in == closed
    drafts["aspect"].refresh_from_db()
    drafts["theme"].refresh_from_db()
    assert drafts["aspect"].agreed_in is None
    assert drafts["theme"].agreed_in is None


def _as_stored(result):  # type: ignore[no-untyped-def]
    import dataclasses

    found = dataclasses.asdict(result)
    found["counts"] = [list(pair) for pair in result.counts]
    return found


def test_a_closed_round_cannot_close_again(panel, drafts) -> None:  # type: ignore[no-untyped-def]
    closed = _round_one(panel, drafts)
    with pytest.raises(DomainError, match="closed already"):
        services.close_round(panel.facilitator, closed)


def test_two_people_closing_at_once_close_it_once(panel, drafts) -> None:  # type: ignore[no-untyped-def]
    opened = _open(panel)
    first_view = DraftingRound.objects.get(pk=opened.pk)
    second_view = DraftingRound.objects.get(pk=opened.pk)
    services.close_round(panel.facilitator, first_view)
    with pytest.raises(DomainError, match="closed already"):
        services.close_round(panel.facilitator, second_view)
    assert AuditEvent.objects.filter(summary__startswith="Closed drafting round 1").count() == 1


def test_the_next_round_carries_agreed_wording_locked_and_links_the_last(panel, drafts) -> None:  # type: ignore[no-untyped-def]
    first = _round_one(panel, drafts)
    drafts["aspect"].text = "They ask what the person wants, and wait."
    drafts["aspect"].save()
    second = _open(panel)
    locked = {s.kind + str(s.locked) for s in second.statements.all()}
    assert locked == {"principleTrue", "aspectFalse", "themeFalse"}
    aspect = statement(second, drafts["aspect"])
    assert aspect.previous == statement(first, drafts["aspect"])
    assert aspect.text == "They ask what the person wants, and wait."
    # Round 2: F01 moves from 2 to 7 (into the agreeing band), P01 stays at 8, P02 stops.
    vote_all(panel.facilitator, panel.member(panel.facilitator), second,
             {drafts["aspect"]: 7, drafts["theme"]: 8})  # fmt: skip
    vote_all(panel.panel, panel.member(panel.panel), second,
             {drafts["aspect"]: 8, drafts["theme"]: 8})  # fmt: skip
    closed = services.close_round(panel.facilitator, second)
    moved = statement(closed, drafts["aspect"]).result["stability"]
    assert (moved["in_both"], moved["changed"], moved["moved_band"]) == (2, 1, 1)
    assert moved["share_moved_band"] == 0.5
    assert moved["stable"] is False
    assert statement(closed, drafts["aspect"]).agreed is True


def test_members_who_stop_stay_counted(panel, drafts) -> None:  # type: ignore[no-untyped-def]
    from peerprinciples.web.coproduction.services.round_pages import participation_of

    _round_one(panel, drafts)
    second = _open(panel)
    vote_all(panel.panel, panel.member(panel.panel), second,
             {drafts["aspect"]: 8, drafts["theme"]: 8})  # fmt: skip
    services.close_round(panel.facilitator, second)
    rows = participation_of(panel.project)
    assert (rows[2].invited, rows[2].responded, rows[2].stopped) == (3, 1, 2)


def test_nobody_has_stopped_for_not_yet_voting_in_the_open_round(panel, drafts) -> None:  # type: ignore[no-untyped-def]
    from peerprinciples.web.coproduction.services.round_pages import participation_of

    _round_one(panel, drafts)
    second = _open(panel)
    vote_all(panel.panel, panel.member(panel.panel), second,
             {drafts["aspect"]: 8, drafts["theme"]: 8})  # fmt: skip
    # Round 2 is open: the two who have not voted yet may still vote.
    rows = participation_of(panel.project)
    assert (rows[2].invited, rows[2].responded, rows[2].stopped) == (3, 1, 0)
    assert rows[2].not_responding == 2
    services.close_round(panel.facilitator, second)
    assert participation_of(panel.project)[2].stopped == 2


# --- answers --------------------------------------------------------------------------------


def test_an_answer_is_written_then_changed_and_a_stale_one_refused(panel, drafts) -> None:  # type: ignore[no-untyped-def]
    closed = _round_one(panel, drafts)
    aspect = statement(closed, drafts["aspect"])
    note = services.save_change_note(panel.research, aspect, "We added waiting.", version=0)
    assert note.version == 1
    services.save_change_note(panel.facilitator, aspect, "We added waiting, as asked.", version=1)
    with pytest.raises(services.StaleNote) as raised:
        services.save_change_note(panel.research, aspect, "Mine", version=1)
    assert raised.value.theirs == "We added waiting, as asked."
    with pytest.raises(services.StaleNote):
        services.save_change_note(panel.research, aspect, "Also new", version=0)


def test_answers_wait_for_the_round_to_close_and_skip_agreed_statements(panel, drafts) -> None:  # type: ignore[no-untyped-def]
    opened = _open(panel)
    with pytest.raises(DomainError, match="once the round has closed"):
        services.save_change_note(
            panel.research, statement(opened, drafts["aspect"]), "x", version=0
        )
    services.close_round(panel.facilitator, opened)
    # Nobody voted: nothing agreed. Round 1 of the helper agrees "hope".
    closed = _round_one_again(panel, drafts)
    with pytest.raises(DomainError, match="was agreed"):
        services.save_change_note(panel.research, statement(closed, drafts["hope"]), "x", version=0)
    with pytest.raises(InvalidInput):
        services.save_change_note(
            panel.research, statement(closed, drafts["aspect"]), "  ", version=0
        )


def _round_one_again(panel, drafts) -> DraftingRound:  # type: ignore[no-untyped-def]
    return _round_one(panel, drafts)
