"""The demo's drafting rounds: two closed rounds, everything agreed at the end, one member
who stopped and one who changed their rating; and a round left open."""

from __future__ import annotations

import random

import pytest
from tests.web.coproduction_rounds_fixtures import make_drafts

from peerprinciples.web.coproduction.demo.rounds import open_demo_round, run_demo_rounds
from peerprinciples.web.coproduction.models import (
    ChangeNote,
    DraftingRound,
    Member,
    RoundStatement,
    Vote,
)
from peerprinciples.web.coproduction.services.round_pages import participation_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def ten(panel):  # type: ignore[no-untyped-def]
    """The panel fixture's project with ten panel members, P01 to P10, and drafts."""
    for number in range(3, 11):
        Member.objects.create(project=panel.project, code=f"P{number:02d}", role=Member.Role.PANEL)
    make_drafts(panel.project)
    return panel


def test_two_rounds_end_with_everything_agreed(ten) -> None:  # type: ignore[no-untyped-def]
    run_demo_rounds(ten.project, random.Random(2017))
    first, second = DraftingRound.objects.filter(project=ten.project).order_by("number")
    assert first.status == second.status == DraftingRound.Status.CLOSED
    first_results = list(first.statements.values_list("agreed", flat=True))
    assert first_results.count(False) == 2
    assert ChangeNote.objects.filter(statement__round=first).count() == 2
    assert not second.statements.filter(locked=False, agreed=False).exists()
    rows = participation_of(ten.project)
    assert rows[2].stopped == 1
    # P01 rated the doubtful statements 4 in round 1, and 8 in round 2.
    before = Vote.objects.filter(ballot__round=first, ballot__member__code="P01")
    after = Vote.objects.filter(ballot__round=second, ballot__member__code="P01")
    changed = {v.statement.pk for v in before if v.rating == 4}
    assert {v.rating for v in after if v.statement.previous_id in changed} == {8}
    # Running it again adds nothing.
    run_demo_rounds(ten.project, random.Random(2017))
    assert DraftingRound.objects.filter(project=ten.project).count() == 2


def test_an_open_round_with_some_votes(ten) -> None:  # type: ignore[no-untyped-def]
    opened = open_demo_round(ten.project, random.Random(1), votes=4)
    assert opened is not None
    assert opened.ballots.count() == 4
    assert open_demo_round(ten.project, random.Random(1)) is None
    assert RoundStatement.objects.filter(round=opened).count() == 4


def test_the_demos_comments_rewordings_and_answers_fit_their_statement(panel) -> None:  # type: ignore[no-untyped-def]
    from peerprinciples.web.coproduction.demo.drafting import seed_drafts
    from peerprinciples.web.coproduction.demo.rounds import REVISIONS

    for number in range(3, 11):
        Member.objects.create(project=panel.project, code=f"P{number:02d}", role=Member.Role.PANEL)
    seed_drafts(panel.project, random.Random(2017))
    run_demo_rounds(panel.project, random.Random(2017))
    first = DraftingRound.objects.get(project=panel.project, number=1)
    changed = list(first.statements.filter(agreed=False, locked=False))
    assert len(changed) == 2
    for s in changed:
        revision = REVISIONS[s.text]
        said = sorted(Vote.objects.filter(statement=s).exclude(comment="").values_list(
            "comment", flat=True))  # fmt: skip
        # Each comment once, and they are this statement's own.
        assert said == sorted(revision.comments)
        assert ChangeNote.objects.get(statement=s).text == revision.answer
        assert s.aspect is not None
        s.aspect.refresh_from_db()
        assert s.aspect.text == revision.reworded
    # No comment appears under a statement it was not written for.
    assert not Vote.objects.filter(ballot__round=first, statement__agreed=True).exclude(
        comment="").exists()  # fmt: skip
