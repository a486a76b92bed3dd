"""The services behind values, draft principles, aspects and themes: what they save, what
they record, and every refusal (a stale version, locked wording, deleting something in use,
supports of another project or a member's own pile)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from tests.web.coproduction_drafting_supports import Supports, add_supports
from tests.web.coproduction_rounds_fixtures import vote_all

from peerprinciples.web.audit.models import AuditEvent
from peerprinciples.web.coproduction.models import (
    DraftAspect,
    DraftingRound,
    DraftPrinciple,
    DraftTheme,
    RoundStatement,
    Value,
)
from peerprinciples.web.coproduction.services import drafting, drafting_principles, rounds
from peerprinciples.web.coproduction.services.drafting import ValueText
from peerprinciples.web.coproduction.services.drafting_principles import (
    PrincipleText,
    ThemeText,
)
from peerprinciples.web.errors import DomainError, InvalidInput, StaleEdit

pytestmark = pytest.mark.django_db


@pytest.fixture
def supports(panel: Any) -> Supports:
    return add_supports(panel)


def _value(title: str = "Being heard", key: str = "", **more: Any) -> ValueText:
    fields = {"description": "", "scope": "general", "community": "", "supports": ()}
    fields.update(more)
    return ValueText(title=title, key=key, **fields)


def _principle(title: str = "Listening first", **more: Any) -> PrincipleText:
    fields: dict[str, Any] = {"key": "", "definition": "", "scope": "general", "values": ()}
    fields.update(more)
    return PrincipleText(title=title, **fields)


def _round(panel: Any, number: int = 1) -> DraftingRound:
    return DraftingRound.objects.create(
        project=panel.project, number=number, rule={}, opened_by=panel.facilitator
    )


# --- values ---


def test_a_value_gets_a_key_from_its_title_and_its_supports(panel, supports) -> None:  # type: ignore[no-untyped-def]
    value = drafting.add_value(
        panel.facilitator,
        panel.project,
        _value("Being heard, really", supports=supports.ids("trust", "heard")),
    )
    assert value.key == "being-heard-really"
    assert list(value.categories.all()) == [supports.trust]
    assert list(value.piles.all()) == [supports.heard]
    second = drafting.add_value(panel.facilitator, panel.project, _value("Being heard, really"))
    assert second.key == "being-heard-really-2"
    assert second.position == value.position + 1
    event = (
        AuditEvent.objects.filter(summary="Added the value “Being heard, really”")
        .order_by("pk")
        .first()
    )
    assert event is not None
    assert event.after["supports"] == supports.ids("trust", "heard")


def test_a_local_value_names_its_community(panel) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput) as refused:
        drafting.add_value(panel.facilitator, panel.project, _value(scope="local"))
    assert "community or setting" in refused.value.problems["community"]
    value = drafting.add_value(
        panel.facilitator, panel.project, _value(scope="local", community="  Young people  ")
    )
    assert value.community == "Young people"
    general = drafting.add_value(
        panel.facilitator, panel.project, _value("Hope", community="ignored when general")
    )
    assert general.community == ""


@pytest.mark.parametrize(
    ("key", "said"),
    [("Has Spaces", "has characters a key cannot hold"), ("being-heard", "has the key")],
)
def test_a_bad_or_taken_key_is_refused(panel, key: str, said: str) -> None:  # type: ignore[no-untyped-def]
    drafting.add_value(panel.facilitator, panel.project, _value(key="being-heard"))
    with pytest.raises(InvalidInput) as refused:
        drafting.add_value(panel.facilitator, panel.project, _value("Other", key=key))
    assert said in refused.value.problems["key"]


def test_supports_of_another_project_are_refused_by_name(panel, supports) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput) as refused:
        drafting.add_value(
            panel.facilitator, panel.project, _value(supports=[*supports.ids("stranger"), "X9"])
        )
    problem = refused.value.problems["supports"]
    assert f"C{supports.stranger.pk} is not a category of this project" in problem
    assert "“X9” is not a category, pile or cluster" in problem
    assert not Value.objects.exists()


def test_a_members_own_pile_is_refused_as_private(panel, supports) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput) as refused:
        drafting.add_value(
            panel.facilitator, panel.project, _value(supports=supports.ids("private"))
        )
    problem = refused.value.problems["supports"]
    assert f"pile P{supports.private.pk} belongs to a member's own sort" in problem
    assert "private" in problem
    assert supports.private.label not in [
        c.label for c in drafting.supports_of(panel.project).choices
    ]


def test_supports_offered_are_the_projects_categories_and_group_piles(panel, supports) -> None:  # type: ignore[no-untyped-def]
    offered = drafting.supports_of(panel.project).choices
    assert [(c.label, c.side) for c in offered] == [
        ("Trust", "review"),
        ("Equals", "review"),
        ("Being heard", "panel"),
        ("Feeling safe", "panel"),
    ]
    assert offered[2].detail == "Meeting 1"


def test_a_value_edit_over_a_newer_version_is_refused(panel) -> None:  # type: ignore[no-untyped-def]
    value = drafting.add_value(panel.facilitator, panel.project, _value())
    drafting.edit_value(panel.research, value, _value("Being heard first"), version=1)
    with pytest.raises(StaleEdit):
        drafting.edit_value(panel.facilitator, value, _value("Being listened to"), version=1)
    value.refresh_from_db()
    assert (value.title, value.version) == ("Being heard first", 2)
    # The change is audited once, by whoever made it, with the title before and after.
    changed = AuditEvent.objects.get(summary="Changed the value “Being heard first”")
    assert changed.user == panel.research
    assert changed.before["title"] != changed.after["title"] == "Being heard first"


def test_a_value_a_principle_protects_is_not_deleted(panel) -> None:  # type: ignore[no-untyped-def]
    value = drafting.add_value(panel.facilitator, panel.project, _value())
    drafting_principles.add_principle(
        panel.facilitator, panel.project, _principle("Listening first", values=[value.pk])
    )
    with pytest.raises(
        DomainError, match=re.escape("1 draft principle protects it (“Listening first”).")
    ):
        drafting.delete_value(panel.facilitator, value, version=1)
    DraftPrinciple.objects.get().values.clear()
    assert drafting.delete_value(panel.facilitator, value, version=1) == "Being heard"
    assert not Value.objects.exists()


# --- principles, aspects and themes ---


def test_a_principle_with_values_of_another_project_is_refused(panel) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput) as refused:
        drafting_principles.add_principle(
            panel.facilitator, panel.project, _principle(values=[987654])
        )
    assert "Choose values of this project" in refused.value.problems["values"]


def test_agreed_wording_is_locked(panel) -> None:  # type: ignore[no-untyped-def]
    principle = drafting_principles.add_principle(panel.facilitator, panel.project, _principle())
    aspect = drafting_principles.add_aspect(panel.facilitator, principle, "They ask first.")
    agreed = _round(panel)
    DraftPrinciple.objects.filter(pk=principle.pk).update(agreed_in=agreed)
    DraftAspect.objects.filter(pk=aspect.pk).update(agreed_in=agreed)
    with pytest.raises(DomainError, match="agreed in round 1"):
        drafting_principles.edit_principle(
            panel.facilitator, principle, _principle("Listening"), version=1
        )
    with pytest.raises(DomainError, match="agreed in round 1"):
        drafting_principles.edit_aspect(
            panel.facilitator, principle, aspect.pk, "Changed.", version=1
        )
    principle.refresh_from_db()
    assert principle.title == "Listening first"


def test_a_form_opened_before_the_round_closed_is_refused_as_agreed_not_as_stale(panel) -> None:  # type: ignore[no-untyped-def]
    # Closing a round moves the agreed rows' versions on, so a page opened before the close
    # sends an older version: the refusal must say the wording is agreed (the form is gone
    # once the page reloads), not that someone else changed it.
    principle = drafting_principles.add_principle(panel.facilitator, panel.project, _principle())
    aspect = drafting_principles.add_aspect(panel.facilitator, principle, "They ask first.")
    theme = drafting_principles.add_theme(
        panel.facilitator, panel.project, ThemeText("Diversity", "", "", ())
    )
    opened = {"principle": principle.version, "aspect": aspect.version, "theme": theme.version}
    drafting_round = rounds.open_round(panel.facilitator, panel.project)
    for user in (panel.facilitator, panel.panel, panel.panel_b):
        vote_all(
            user,
            panel.member(user),
            drafting_round,
            {principle: 8, aspect: 9, theme: 8},
        )
    rounds.close_round(panel.facilitator, drafting_round)
    principle.refresh_from_db()
    assert principle.version > opened["principle"]
    with pytest.raises(DomainError, match="agreed in round 1") as refused:
        drafting_principles.edit_principle(
            panel.facilitator, principle, _principle("Listening"), version=opened["principle"]
        )
    assert not isinstance(refused.value, StaleEdit)
    with pytest.raises(DomainError, match="agreed in round 1") as refused:
        drafting_principles.edit_aspect(
            panel.facilitator, principle, aspect.pk, "Changed.", version=opened["aspect"]
        )
    assert not isinstance(refused.value, StaleEdit)
    with pytest.raises(DomainError, match="agreed in round 1") as refused:
        drafting_principles.edit_theme(
            panel.facilitator,
            theme,
            ThemeText("Many lives", "", "", ()),
            version=opened["theme"],
        )
    assert not isinstance(refused.value, StaleEdit)
    principle.refresh_from_db()
    assert principle.title == "Listening first"


def test_something_shown_in_a_round_is_not_deleted(panel) -> None:  # type: ignore[no-untyped-def]
    principle = drafting_principles.add_principle(panel.facilitator, panel.project, _principle())
    aspect = drafting_principles.add_aspect(panel.facilitator, principle, "They ask first.")
    theme = drafting_principles.add_theme(
        panel.facilitator, panel.project, ThemeText("Diversity", "", "", ())
    )
    shown = _round(panel, 2)
    RoundStatement.objects.create(round=shown, kind="aspect", aspect=aspect, text=aspect.text)
    RoundStatement.objects.create(round=shown, kind="theme", theme=theme, text=theme.title)
    with pytest.raises(DomainError, match="shown in round 2: deleting it would take the panel"):
        drafting_principles.delete_principle(panel.facilitator, principle, version=1)
    with pytest.raises(DomainError, match="This aspect was shown in round 2"):
        drafting_principles.delete_aspect(panel.facilitator, principle, aspect.pk, version=1)
    with pytest.raises(DomainError, match="This theme was shown in round 2"):
        drafting_principles.delete_theme(panel.facilitator, theme, version=1)
    assert DraftPrinciple.objects.exists()
    assert DraftTheme.objects.exists()


def test_aspects_are_added_moved_and_removed_in_order(panel) -> None:  # type: ignore[no-untyped-def]
    principle = drafting_principles.add_principle(panel.facilitator, panel.project, _principle())
    first, second, third = (
        drafting_principles.add_aspect(panel.facilitator, principle, text)
        for text in ("One.", "Two.", "Three.")
    )
    drafting_principles.move_aspect(panel.facilitator, principle, third.pk, True, version=1)
    assert [a.text for a in principle.aspects.all()] == ["One.", "Three.", "Two."]
    with pytest.raises(DomainError, match="first already, so it cannot move up"):
        drafting_principles.move_aspect(panel.facilitator, principle, first.pk, True, version=1)
    with pytest.raises(StaleEdit):
        drafting_principles.move_aspect(panel.facilitator, principle, third.pk, True, version=1)
    drafting_principles.delete_aspect(panel.facilitator, principle, second.pk, version=1)
    assert [a.text for a in principle.aspects.all()] == ["One.", "Three."]
    with pytest.raises(InvalidInput):
        drafting_principles.add_aspect(panel.facilitator, principle, "   ")


def test_an_aspect_of_another_principle_is_not_found(panel) -> None:  # type: ignore[no-untyped-def]
    one = drafting_principles.add_principle(panel.facilitator, panel.project, _principle("One"))
    two = drafting_principles.add_principle(panel.facilitator, panel.project, _principle("Two"))
    aspect = drafting_principles.add_aspect(panel.facilitator, two, "Theirs.")
    with pytest.raises(DomainError, match="no longer part of this principle"):
        drafting_principles.edit_aspect(panel.facilitator, one, aspect.pk, "Mine.", version=1)


def test_a_theme_applies_to_every_principle_or_those_chosen(panel) -> None:  # type: ignore[no-untyped-def]
    one = drafting_principles.add_principle(panel.facilitator, panel.project, _principle("One"))
    theme = drafting_principles.add_theme(
        panel.facilitator, panel.project, ThemeText("Diversity", "", "Many lives.", ())
    )
    assert drafting_principles.theme_snapshot(theme)["applies_to"] == "all"
    drafting_principles.edit_theme(
        panel.facilitator, theme, ThemeText("Diversity", "", "", [one.pk]), version=1
    )
    assert list(theme.applies_to.all()) == [one]
    with pytest.raises(InvalidInput, match="1 thing"):
        drafting_principles.edit_theme(
            panel.facilitator, theme, ThemeText("Diversity", "", "", [424242]), version=2
        )
    with pytest.raises(StaleEdit):
        drafting_principles.edit_theme(
            panel.facilitator, theme, ThemeText("Diversity", "", "", ()), version=1
        )


def test_an_adaptation_shows_the_base_titles(panel) -> None:  # type: ignore[no-untyped-def]
    from peerprinciples.core.library import Library
    from peerprinciples.web.library.services import store_framework

    assert drafting.base_titles(panel.project)["principles"] == {}
    base = Library().framework("enrich@2017")
    panel.project.kind = "adaptation"
    panel.project.base_framework = store_framework(base)
    panel.project.save()
    titles = drafting.base_titles(panel.project)
    first = base.principles[0]
    assert titles["principles"][first.key] == first.title
