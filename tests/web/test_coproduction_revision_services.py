"""After publishing: reopening agreed wording to correct it in a new version, and the
reflection guide stored with a publication."""

from __future__ import annotations

import json
from typing import Any

import pytest
from tests.web.coproduction_publishing_fixtures import RULE, agreed_drafts

from peerprinciples.core.library import Library
from peerprinciples.web.audit.models import AuditEvent
from peerprinciples.web.coproduction.models import (
    DraftAspect,
    DraftingRound,
    DraftPrinciple,
    DraftTheme,
    Project,
    Publication,
)
from peerprinciples.web.coproduction.services import publishing as previews
from peerprinciples.web.coproduction.services import revision
from peerprinciples.web.coproduction.services import rounds as round_services
from peerprinciples.web.coproduction.services.publishing_guides import (
    carryable_guides,
    guide_of,
)
from peerprinciples.web.coproduction.services.publishing_store import publish
from peerprinciples.web.errors import DomainError, InvalidInput
from peerprinciples.web.evaluations.services import create_evaluation
from peerprinciples.web.library.models import StoredFramework, StoredGuide
from peerprinciples.web.library.services import load_library
from peerprinciples.web.reflection.services.cycles import guides_for

KEY = "what-matters-in-peer-support-here"


def _publish(panel: Any, **chosen: Any) -> Publication:
    fields = {"title": "Riverside principles", "summary": "", "version": "1"}
    fields.update(chosen)
    return publish(panel.facilitator, panel.project, **fields)


def _snapshot(publication: Publication) -> str:
    stored = StoredFramework.objects.get(pk=publication.framework_id)
    found = Publication.objects.get(pk=publication.pk)
    return json.dumps(
        [stored.document, stored.title, found.methods, found.adaptation, found.instrument_id],
        sort_keys=True,
    )


def _choice(kind: str, **lookup: Any) -> str:
    model: Any = {"principle": DraftPrinciple, "aspect": DraftAspect, "theme": DraftTheme}[kind]
    return f"{kind}-{model.objects.get(**lookup).pk}"


def _agree_in_a_round(panel: Any) -> DraftingRound:
    """A real round: both panel members rate every open statement 9, and it closes."""
    opened = round_services.open_round(panel.facilitator, panel.project, "A correction.")
    open_statements = opened.statements.filter(locked=False)
    for user in (panel.panel, panel.panel_b):
        entries = {s.pk: round_services.Entry(9) for s in open_statements}
        round_services.submit_ballot(user, panel.member(user), opened, entries)
    return round_services.close_round(panel.facilitator, opened)


# --- reopening ---------------------------------------------------------------------------------


def test_a_correction_is_reopened_agreed_again_and_published_as_version_2(panel) -> None:  # type: ignore[no-untyped-def]
    agreed_drafts(panel)
    first = _publish(panel, instrument="starter", guide="starter")
    before = _snapshot(first)
    listening = _choice("principle", key="listening")
    theme = _choice("theme", key="diversity")

    reopened = revision.reopen(
        panel.facilitator, panel.project, [listening, theme], "  A typo in the definition. "
    )

    assert reopened == ["the principle “Listening first”", "the theme “Diversity”"]
    assert DraftPrinciple.objects.get(key="listening").agreed_in is None
    assert DraftTheme.objects.get(key="diversity").agreed_in is None
    # What was not chosen stays agreed: the other principle and every aspect.
    assert DraftPrinciple.objects.get(key="choice").agreed_in is not None
    assert not DraftAspect.objects.filter(agreed_in__isnull=True).exists()
    panel.project.refresh_from_db()
    assert panel.project.stage == Project.Stage.DRAFTING
    event = AuditEvent.objects.get(object_type="coproduction.DraftPrinciple")
    assert event.summary == (
        "Reopened the principle “Listening first”, agreed in round 1, for a new version: "
        "A typo in the definition."
    )
    assert event.before == {"agreed_in": 1}
    assert event.after == {"agreed_in": None, "reason": "A typo in the definition."}
    assert AuditEvent.objects.filter(object_type="coproduction.DraftTheme").count() == 1
    assert _snapshot(first) == before

    # The team rewords it, the panel agrees it in round 2, and version 2 is published.
    DraftPrinciple.objects.filter(key="listening").update(
        definition="Peer workers listen before they suggest anything at all."
    )
    closed = _agree_in_a_round(panel)
    assert closed.number == 2
    assert DraftPrinciple.objects.get(key="listening").agreed_in == closed
    panel.project.refresh_from_db()
    assert panel.project.stage == Project.Stage.ROUNDS
    last, changes = revision.changes_since_last(
        panel.project, previews.preview(panel.project, version="2").framework
    )
    assert last == first
    assert [(c.kind, c.target, c.detail) for c in changes] == [
        ("reworded", "principle 'listening'", "definition")
    ]
    old_guide = guide_of(first)
    assert old_guide is not None
    second = _publish(panel, version="2", guide=f"carry-{old_guide.pk}")

    assert second.framework.ref == f"{KEY}@2"
    assert second.framework.model().principle("listening").definition.endswith("at all.")
    assert first.framework.model().principle("listening").definition.endswith("anything.")
    assert _snapshot(first) == before
    assert revision.superseded_by(first) == second
    assert revision.superseded_by(second) is None
    carried = guide_of(second)
    assert carried is not None
    assert (carried.key, carried.version) == (old_guide.key, "2")
    assert carried.model().framework == f"{KEY}@2"


def test_reopening_before_anything_is_published_is_refused(panel) -> None:  # type: ignore[no-untyped-def]
    agreed_drafts(panel)
    assert revision.reopen_refusal(panel.project).startswith("Nothing is published yet")
    with pytest.raises(DomainError, match="Nothing is published yet, so there is no version"):
        revision.reopen(
            panel.facilitator, panel.project, [_choice("principle", key="choice")], "Typo."
        )
    assert DraftPrinciple.objects.get(key="choice").agreed_in is not None
    assert not AuditEvent.objects.exists()


def test_reopening_while_a_round_is_open_is_refused(panel) -> None:  # type: ignore[no-untyped-def]
    agreed_drafts(panel)
    _publish(panel)
    DraftingRound.objects.create(
        project=panel.project, number=2, rule=RULE, opened_by=panel.facilitator
    )
    with pytest.raises(DomainError, match="Round 2 is open for votes: close it"):
        revision.reopen(
            panel.facilitator, panel.project, [_choice("principle", key="choice")], "Typo."
        )
    assert DraftPrinciple.objects.get(key="choice").agreed_in is not None
    panel.project.refresh_from_db()
    assert panel.project.stage == Project.Stage.PUBLISHED


@pytest.mark.parametrize(
    ("chosen", "reason", "field", "message"),
    [
        ([], "Typo.", "statements", "Choose at least one principle, aspect or theme"),
        (["bogus-1"], "Typo.", "statements", "'bogus-1' is not agreed wording"),
        (["principle-x"], "Typo.", "statements", "'principle-x' is not agreed wording"),
        (["principle-999999"], "Typo.", "statements", "There is no principle 999999"),
        (None, "   ", "reason", "Say why the wording needs correcting"),
        (None, "x" * 2001, "reason", "under 2000 characters"),
    ],
)
def test_bad_input_is_refused_on_its_field(  # type: ignore[no-untyped-def]
    panel, chosen: list[str] | None, reason: str, field: str, message: str
) -> None:
    agreed_drafts(panel)
    _publish(panel)
    chosen = [_choice("principle", key="choice")] if chosen is None else chosen
    with pytest.raises(InvalidInput) as refused:
        revision.reopen(panel.facilitator, panel.project, chosen, reason)
    assert message in refused.value.problems[field]
    assert not DraftPrinciple.objects.filter(agreed_in__isnull=True).exists()


def test_wording_of_another_project_cannot_be_reopened(panel, make_user) -> None:  # type: ignore[no-untyped-def]
    agreed_drafts(panel)
    _publish(panel)
    other = Project.objects.create(name="Elsewhere", created_by=make_user("olga"))
    theirs = DraftPrinciple.objects.create(project=other, key="x", title="X")
    with pytest.raises(InvalidInput) as refused:
        revision.reopen(panel.facilitator, panel.project, [f"principle-{theirs.pk}"], "Typo.")
    assert (
        f"There is no principle {theirs.pk} in this project" in refused.value.problems["statements"]
    )


def test_two_facilitators_reopening_the_same_wording_second_is_refused_and_nothing_half_done(  # type: ignore[no-untyped-def]
    panel,
) -> None:
    agreed_drafts(panel)
    _publish(panel)
    listening = _choice("principle", key="listening")
    choice = _choice("principle", key="choice")
    revision.reopen(panel.facilitator, panel.project, [listening], "First reason.")
    with pytest.raises(DomainError) as refused:
        revision.reopen(panel.facilitator, panel.project, [listening, choice], "Second.")
    assert str(refused.value).startswith(
        "the principle “Listening first” is not agreed wording (any more)"
    )
    assert "nothing was reopened" in str(refused.value)
    assert DraftPrinciple.objects.get(key="choice").agreed_in is not None
    assert AuditEvent.objects.filter(object_type="coproduction.DraftPrinciple").count() == 1


def test_the_agreed_wording_lists_every_kind_with_its_round(panel) -> None:  # type: ignore[no-untyped-def]
    agreed_drafts(panel)
    listed = revision.agreed_wording(panel.project)
    assert [(a.kind, a.text, a.round_number) for a in listed] == [
        ("principle", "Listening first: Peer workers listen before they suggest anything.", 1),
        ("aspect", "They ask what the person wants.", 1),
        ("principle", "Choice: The person decides what happens next.", 1),
        ("aspect", "Nothing is done without their say.", 1),
        ("theme", "Diversity: Many kinds of lives.", 1),
    ]
    assert listed[0].choice == _choice("principle", key="listening")


# --- the reflection guide ------------------------------------------------------------------


def test_a_starter_guide_is_listed_for_a_new_evaluation_pinned_to_the_framework(panel) -> None:  # type: ignore[no-untyped-def]
    agreed_drafts(panel)
    publication = _publish(panel, instrument="starter", guide="starter")
    guide = guide_of(publication)
    assert guide is not None
    assert (guide.key, guide.version) == (f"{KEY}-reflection", "1")
    assert guide.framework == publication.framework
    # PostgreSQL's jsonb keeps no key order, so the keys are compared as a set.
    assert set(guide.model().questions) == {"listening", "choice", "diversity"}
    event = AuditEvent.objects.get(object_type="coproduction.Publication")
    assert event.summary.endswith(f"and the reflection guide {KEY}-reflection@1")
    evaluation = create_evaluation(
        panel.facilitator,
        name="Hub review",
        kind="service_review",
        instrument=publication.instrument,
    )
    assert list(guides_for(evaluation)) == [guide]


def test_no_guide_is_stored_unless_one_is_asked_for(panel) -> None:  # type: ignore[no-untyped-def]
    agreed_drafts(panel)
    publication = _publish(panel, instrument="starter")
    assert guide_of(publication) is None
    assert not StoredGuide.objects.exists()


@pytest.mark.parametrize("choice", ["nonsense", "carry-", "carry-abc", "carry-999999"])
def test_an_unknown_guide_choice_is_refused_and_nothing_is_published(panel, choice: str) -> None:  # type: ignore[no-untyped-def]
    agreed_drafts(panel)
    with pytest.raises(InvalidInput) as refused:
        _publish(panel, guide=choice)
    assert refused.value.problems == {
        "guide": "Choose one of the reflection guides listed, or no guide for now."
    }
    assert not Publication.objects.exists()


def test_a_guide_for_other_principles_cannot_be_carried_over(panel) -> None:  # type: ignore[no-untyped-def]
    load_library(Library())
    agreed_drafts(panel)
    enrich = StoredGuide.objects.get(key="enrich-reflection", version="1")
    listed = {entry.stored.pk: entry.reason for entry in carryable_guides(None)}
    assert listed[enrich.pk] == "There is nothing to publish yet."
    with pytest.raises(InvalidInput) as refused:
        _publish(panel, guide=f"carry-{enrich.pk}")
    message = refused.value.problems["guide"]
    assert message.startswith(f"enrich-reflection@1 cannot be carried over to {KEY}@1:")
    assert "Store a starter guide for the new framework instead" in message
    assert not Publication.objects.exists()
