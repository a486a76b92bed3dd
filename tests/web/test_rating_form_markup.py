"""The rating form's items: one template draws them, kept per instrument version and informant.

Each item of an instrument version is drawn once per informant and value it can take and
kept in the ``forms`` cache under the stored version's key; a page takes what is kept, and
draws again only an item with a problem or a value that is none of its own. These tests check what a
person sees (the chosen radio, the problem beside its item, escaped text from the index, each
informant's own items) and that what is kept is exactly what the template draws.
"""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.template.loader import render_to_string
from tests.web.conftest import Team
from tests.web.markup import tree

from peerprinciples.core.frameworks import Framework
from peerprinciples.core.instruments import Instrument
from peerprinciples.web.interviews.forms import (
    ITEM_TEMPLATE,
    RatedItem,
    _rating_item,
    rating_form,
    rating_item_key,
)
from peerprinciples.web.library.models import StoredInstrument
from peerprinciples.web.library.services import store_instrument

pytestmark = pytest.mark.django_db


def _framework(team: Team) -> Framework:
    return team.stored_instrument.framework.model()


def _items(
    team: Team,
    values: dict[str, str],
    problems: dict[str, str] | None = None,
    stored: StoredInstrument | None = None,
    informant: str = "peer_worker",
) -> list[RatedItem]:
    sections = rating_form(
        stored or team.stored_instrument, _framework(team), informant, values, problems or {}
    )
    return [item for section in sections for item in section.items]


def _checked(item: RatedItem) -> list[str]:
    """The values of the item's checked radios, as a browser reads them."""
    found = []
    for event in tree(str(item.html)):
        attributes = dict(part.split("=", 1) for part in event[2:] if "=" in part)
        if event[:2] == ("start", "input") and "checked" in {p.split("=")[0] for p in event[2:]}:
            found.append(attributes["value"])
    return found


def test_exactly_the_chosen_radio_is_checked(team: Team) -> None:
    keys = team.item_keys()
    values = {keys[0]: "3", keys[1]: "NA", keys[3]: "not a value"}
    first, second, third, fourth = _items(team, values)[:4]
    assert _checked(first) == ["3"]
    assert f'id="item-{keys[0]}-3" value="3" checked>' in first.html
    assert _checked(second) == ["NA"]
    assert _checked(third) == [""]  # nothing saved: "not rated yet"
    assert _checked(fourth) == []  # a value that is none of the item's checks nothing
    # The same item with another value does not keep the first one's choice.
    again = _items(team, {keys[0]: "2"})[0]
    assert _checked(again) == ["2"]


def test_a_problem_is_shown_on_its_own_item_and_only_while_it_stands(team: Team) -> None:
    keys = team.item_keys()
    problems = {keys[0]: "Choose a rating or a code.", keys[1]: 'Not "<b>" & such.'}
    drawn = _items(team, {keys[0]: "2", keys[2]: "2"}, problems)
    first, second, third = drawn[:3]
    assert first.error == "Choose a rating or a code."
    assert 'class="item field-error"' in first.html
    assert f'aria-describedby="item-{keys[0]}-error"' in first.html
    assert f'id="item-{keys[0]}-error"' in first.html
    assert _checked(first) == ["2"]  # the entry is kept beside its problem
    assert "&quot;&lt;b&gt;&quot; &amp; such." in second.html
    assert "field-error" not in third.html
    assert [item.number for item in drawn if item.error] == [1, 2]
    item = team.instrument.items_for("peer_worker")[0]
    lowest = team.instrument.scale(item.scale).points[0]
    assert first.first_input_id == f"item-{keys[0]}-{lowest}"
    # Drawn again without problems, no item shows one: nothing with a problem is kept.
    assert all("field-error" not in item.html for item in _items(team, {keys[0]: "2"}))


def test_the_items_are_kept_under_the_version_and_informant_and_match_the_template(
    team: Team,
) -> None:
    stored = team.stored_instrument
    kept = caches["forms"]
    kept.clear()
    keys = team.item_keys()
    first = _items(team, {keys[0]: "3"})
    assert kept.get(rating_item_key(stored, "peer_worker", keys[0], "3")) == str(first[0].html)
    assert kept.get(rating_item_key(stored, "peer_worker", keys[1], "")) == str(first[1].html)
    # Taken from the cache the second time: the same markup the template draws afresh.
    again = _items(team, {keys[0]: "3"})
    assert [str(i.html) for i in again] == [str(i.html) for i in first]
    # Neither an item with a problem nor a value that is none of the item's is kept.
    with_problem = _items(team, {keys[0]: "3", keys[2]: "odd"}, {keys[1]: "Choose one."})
    assert str(with_problem[0].html) == str(first[0].html)
    assert "Choose one." in with_problem[1].html
    assert "Choose one." not in kept.get(rating_item_key(stored, "peer_worker", keys[1], ""))
    assert kept.get(rating_item_key(stored, "peer_worker", keys[2], "odd")) is None
    # Each informant is asked its own items, kept under their own keys.
    other = next(i.key for i in team.instrument.informants if i.key != "peer_worker")
    theirs = _items(team, {}, informant=other)
    assert [i.key for i in theirs] == team.item_keys(other)
    assert kept.get(rating_item_key(stored, other, theirs[0].key, "")) == str(theirs[0].html)


def test_a_kept_item_is_what_the_one_item_template_draws(team: Team) -> None:
    keys = team.item_keys()
    item = team.instrument.items_for("peer_worker")[0]
    kept = _items(team, {keys[0]: "4"})[0]
    described = _rating_item(team.instrument, "peer_worker", 1, item)
    drawn = render_to_string(ITEM_TEMPLATE, {"item": described, "value": "4", "error": ""})
    assert str(kept.html) == drawn


def test_text_from_the_index_is_escaped(team: Team) -> None:
    document = team.instrument.model_dump(mode="json", exclude_none=True)
    document["version"] = document["version"] + "-escaped"
    scale = document["scales"][0]
    first_point = next(iter(scale["anchors"]))
    scale["anchors"][first_point] = '<b>"Not yet" & rarely</b>'
    document["domains"][0]["title"] = 'Trust & "safety" <first>'
    instrument = Instrument.model_validate(document)
    stored = store_instrument(instrument, _framework(team))
    sections = rating_form(stored, _framework(team), "peer_worker", {}, {})
    html = "".join(str(item.html) for section in sections for item in section.items)
    assert "<b>" not in html
    assert "&lt;b&gt;&quot;Not yet&quot; &amp; rarely&lt;/b&gt;" in html
    assert sections[0].title == 'Trust & "safety" <first>'  # escaped by the page template


def test_the_page_draws_every_section_with_its_principles(team: Team) -> None:
    interview = team.interview()
    client = team.client_for(team.rater)
    page = client.get(f"/evaluations/{team.evaluation.pk}/interviews/{interview.pk}/rating/")
    assert page.status_code == 200
    html = page.content.decode()
    sections = rating_form(team.stored_instrument, _framework(team), "peer_worker", {}, {})
    for section in sections:
        assert f'<h2 id="domain-{section.key}">' in html
        label = "Principle: " if len(section.principles) == 1 else "Principles: "
        assert label + "; ".join(section.principles) in html
    assert html.count('<fieldset class="item"') == len(team.item_keys())
