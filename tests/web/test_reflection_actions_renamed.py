"""An action keeps its link to its principle when a later framework version renames or drops it.

The later cycle follows a guide for a new framework version, stored the way any other version
is: the built-in framework and guide, copied with a principle renamed and another one
replaced by a principle with a new key.
"""

from __future__ import annotations

import pytest
from tests.web.reflection_actions_fixtures import (
    Story,
    action_url,
    story_fixture,  # noqa: F401 (the story fixture)
    text,
)

from peerprinciples.core.library import Library
from peerprinciples.web.library.models import StoredGuide
from peerprinciples.web.library.services import store_guide
from peerprinciples.web.reflection.models import Action
from peerprinciples.web.reflection.services import actions as services

pytestmark = pytest.mark.django_db

RENAMED = "Relationships that grow from lived experience"


@pytest.fixture
def later_guide(builtin_library: Library) -> StoredGuide:
    """enrich-reflection@2 for enrich@2026: relationships renamed, mutuality replaced by
    reciprocity."""
    framework = builtin_library.framework("enrich@2017")
    guide = builtin_library.reflection_guide("enrich-reflection@1")
    principles = []
    for principle in framework.principles:
        if principle.key == "relationships":
            principle = principle.model_copy(update={"title": RENAMED})
        elif principle.key == "mutuality":
            principle = principle.model_copy(update={"key": "reciprocity", "title": "Reciprocity"})
        principles.append(principle)
    later = framework.model_copy(update={"version": "2026", "principles": principles})
    questions = dict(guide.questions)
    questions["reciprocity"] = questions.pop("mutuality")
    statements = [
        s.model_copy(update={"principle": "reciprocity"}) if s.principle == "mutuality" else s
        for s in guide.self_assessment.statements
    ]
    conditions = [
        c.model_copy(update={"principles": [p for p in c.principles if p != "mutuality"]})
        for c in guide.conditions
    ]
    later_guide = guide.model_copy(
        update={
            "version": "2",
            "framework": later.ref,
            "questions": questions,
            "conditions": conditions,
            "self_assessment": guide.self_assessment.model_copy(update={"statements": statements}),
            "translations": {},
        }
    )
    return store_guide(later_guide, later)


def _story(story: Story, later_guide: StoredGuide) -> tuple[Action, Action]:
    first = story.cycle(1)
    kept = story.agree(first, "Meet as peers weekly")
    gone = services.add_action(
        story.team.lead,
        first,
        principle="mutuality",
        what="Ask people what they would like to offer back",
        who="Peer worker team",
        due=None,
    )
    story.finish(first)
    return kept, gone


def test_a_renamed_principle_shows_its_new_title_and_the_title_it_was_agreed_as(
    story: Story, later_guide: StoredGuide
) -> None:
    kept, _ = _story(story, later_guide)
    second = story.cycle(2, guide=later_guide)
    items = {i.action.pk: i for g in services.looking_back(second) for i in g.items}
    name = items[kept.pk].principle
    assert (name.key, name.title, name.agreed_as) == (
        "relationships",
        RENAMED,
        "Relationships built on shared lived experience",
    )
    page = text(story.tags(second, story.team.facilitator))
    assert f"{RENAMED} (agreed as: Relationships built on shared lived experience)" in page


def test_a_principle_the_later_version_lacks_keeps_its_stored_title_marked_as_earlier(
    story: Story, later_guide: StoredGuide
) -> None:
    _, gone = _story(story, later_guide)
    second = story.cycle(2, guide=later_guide)
    items = {i.action.pk: i for g in services.looking_back(second) for i in g.items}
    name = items[gone.pk].principle
    assert (name.title, name.earlier_version) == ("Mutuality and reciprocity", True)
    page = text(story.tags(second, story.team.facilitator))
    assert "Mutuality and reciprocity (from an earlier version of the framework)" in page


def test_the_action_itself_keeps_the_key_and_title_it_was_agreed_with(
    story: Story, later_guide: StoredGuide
) -> None:
    kept, _ = _story(story, later_guide)
    second = story.cycle(2, guide=later_guide)
    story.review(second, kept, "kept")
    kept.refresh_from_db()
    assert (kept.principle, kept.principle_title) == (
        "relationships",
        "Relationships built on shared lived experience",
    )


def test_the_action_page_names_the_principle_as_its_own_cycle_did(
    story: Story, later_guide: StoredGuide
) -> None:
    kept, _ = _story(story, later_guide)
    team = story.team
    page = text(team.client_for(team.lead).get(action_url(team, kept)).content.decode())
    assert "Relationships built on shared lived experience" in page
    assert "agreed as" not in page


def test_a_later_cycles_new_actions_use_the_new_titles_and_keys(
    story: Story, later_guide: StoredGuide
) -> None:
    _story(story, later_guide)
    second = story.cycle(2, guide=later_guide)
    keys = services.framework_of(second).titles()
    assert keys["relationships"] == RENAMED
    assert "reciprocity" in keys
    assert "mutuality" not in keys
