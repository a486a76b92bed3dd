"""The rating form generated from the instrument: drafts, finalising, and what it refuses."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import caches
from django.core.cache.utils import make_template_fragment_key
from django.template.loader import render_to_string
from django.urls import reverse
from tests.web.conftest import Team

from peerprinciples.web.interviews.forms import blank_form_key, rating_form
from peerprinciples.web.interviews.models import Interview, RatingSheet

pytestmark = pytest.mark.django_db


def _url(team: Team, interview: Interview) -> str:
    return reverse("interviews:rate", args=[team.evaluation.pk, interview.pk])


def _form(
    team: Team, value: str = "3", *, version: str = "", action: str = "draft", **items: str
) -> dict[str, str]:
    form = {f"item-{key}": value for key in team.item_keys()}
    form.update({f"item-{key}": v for key, v in items.items()})
    form.update({"version": version, "action": action, "notes": "Warm, unhurried meetings."})
    return form


def test_the_form_offers_every_anchor_of_every_item_and_the_codes(team: Team) -> None:
    interview = team.interview()
    response = team.client_for(team.rater).get(_url(team, interview))
    page = response.content.decode()
    instrument = team.instrument
    assert response.status_code == 200
    for item in instrument.items_for("peer_worker"):
        for point in instrument.scale(item.scale).points:
            assert f'id="item-{item.key}-{point}"' in page
            assert instrument.anchor(item, point).replace("'", "&#x27;") in page
        for code in instrument.codes:
            assert f'id="item-{item.key}-{code.code}"' in page
    assert "Relationships built on shared lived experience" in page
    assert 'name="version" value=""' in page
    assert f'<form method="post" action="{_url(team, interview)}"' in page


def test_a_draft_is_saved_and_shown_again(team: Team) -> None:
    interview = team.interview()
    client = team.client_for(team.rater)
    response = client.post(_url(team, interview), _form(team, rel_1="NA"))
    assert response.status_code == 302
    sheet = RatingSheet.objects.get(interview=interview, rater=team.rater)
    assert sheet.status == "draft"
    assert sheet.ratings.get(item="rel_1").code == "NA"
    page = client.get(_url(team, interview)).content.decode()
    assert 'id="item-rel_1-NA" value="NA" checked' in page
    assert f'name="version" value="{sheet.version}"' in page


def test_a_draft_with_nothing_rated_yet_shows_every_item_unrated(team: Team) -> None:
    interview = team.interview()
    client = team.client_for(team.rater)
    blank = {f"item-{key}": "" for key in team.item_keys()}
    response = client.post(
        _url(team, interview), {**blank, "version": "", "action": "draft", "notes": "Later."}
    )
    assert response.status_code == 302
    sheet = RatingSheet.objects.get(interview=interview, rater=team.rater)
    assert sheet.ratings.count() == 0
    page = client.get(_url(team, interview)).content.decode()
    for key in team.item_keys():
        assert f'id="item-{key}-unrated" value="" checked' in page
    assert page.count(" checked") == len(team.item_keys())
    assert f'name="version" value="{sheet.version}"' in page
    assert ">Later.</textarea>" in page


def test_making_the_ratings_final_finishes_a_single_rated_interview(team: Team) -> None:
    interview = team.interview()
    response = team.client_for(team.rater).post(_url(team, interview), _form(team, action="final"))
    assert response.status_code == 302
    interview.refresh_from_db()
    assert interview.status == "final"
    assert interview.sheets.get().status == "final"


def test_finalising_with_missing_items_keeps_the_entries_and_lists_what_is_missing(
    team: Team,
) -> None:
    interview = team.interview()
    missing = team.required_keys()[1:3]
    form = _form(team, action="final")
    for key in missing:
        form.pop(f"item-{key}")
    response = team.client_for(team.rater).post(_url(team, interview), form)
    page = response.content.decode()
    assert response.status_code == 400
    assert "2 things to correct" in page
    for key in missing:
        assert f'href="#item-{key}-1"' in page
        assert f'aria-describedby="item-{key}-error"' in page
    assert f'id="item-{team.required_keys()[0]}-3" value="3" checked' in page
    assert "Warm, unhurried meetings." in page
    assert not interview.sheets.exists()


def test_a_rating_off_the_scale_posted_directly_is_refused(team: Team) -> None:
    interview = team.interview()
    response = team.client_for(team.rater).post(_url(team, interview), _form(team, rel_2="9"))
    assert response.status_code == 400
    assert "&#x27;9&#x27; is not a rating for this item" in response.content.decode()
    assert not interview.sheets.exists()


def test_a_form_posted_twice_does_not_overwrite_the_first_save(team: Team) -> None:
    interview = team.interview()
    client = team.client_for(team.rater)
    assert client.post(_url(team, interview), _form(team, "4")).status_code == 302
    response = client.post(_url(team, interview), _form(team, "2"))
    assert response.status_code == 409
    assert "Someone else changed this rating sheet" in response.content.decode()
    sheet = interview.sheets.get()
    assert {r.value for r in sheet.ratings.all()} == {4}


def test_a_form_opened_before_another_save_is_stale(team: Team) -> None:
    interview = team.interview()
    client = team.client_for(team.rater)
    client.post(_url(team, interview), _form(team, "4"))
    opened = str(interview.sheets.get().version)
    client.post(_url(team, interview), _form(team, "5", version=opened))
    response = client.post(_url(team, interview), _form(team, "1", version=opened, action="final"))
    assert response.status_code == 409
    page = response.content.decode()
    # The form posts back to the page it came from, and the notice links to the saved sheet.
    assert f'<form method="post" action="{_url(team, interview)}"' in page
    assert f'<a href="{_url(team, interview)}">Open the saved version' in page
    sheet = interview.sheets.get()
    assert sheet.status == "draft"
    assert {r.value for r in sheet.ratings.all()} == {5}


def test_a_third_rater_is_turned_away_from_a_single_rated_interview(team: Team) -> None:
    interview = team.interview()
    team.rate(interview, team.rater, dict.fromkeys(team.item_keys(), "3"), finalise=False)
    response = team.client_for(team.second_rater).get(_url(team, interview), follow=True)
    assert "already has all the raters it needs" in response.content.decode()


def test_a_coordinator_may_not_rate(team: Team) -> None:
    interview = team.interview()
    response = team.client_for(team.coordinator).post(_url(team, interview), _form(team))
    assert response.status_code == 403
    assert not interview.sheets.exists()


def test_an_interview_of_another_evaluation_cannot_be_rated(team: Team) -> None:
    response: Any = team.client_for(team.rater).post(_url(team, team.other_interview), _form(team))
    assert response.status_code == 404
    assert not team.other_interview.sheets.exists()


def test_the_rating_form_refuses_other_methods(team: Team) -> None:
    interview = team.interview()
    assert team.client_for(team.rater).put(_url(team, interview)).status_code == 405


def _items_markup(page: str) -> str:
    """The part of a rating page that holds the items."""
    return page[page.index('<section class="principle-group"') : page.index('<div class="field">')]


def test_a_blank_form_is_kept_drawn_whole_as_the_items_template_draws_it(team: Team) -> None:
    stored = team.evaluation.instrument
    caches["forms"].clear()
    client = team.client_for(team.rater)
    first, second = team.interview("I-0001"), team.interview("I-0002")
    key = make_template_fragment_key("rating_form", [blank_form_key(stored, first.informant)])

    page = client.get(_url(team, first)).content.decode()

    kept = caches["forms"].get(key)
    assert kept is not None
    sections = rating_form(stored, stored.framework.model(), first.informant, {}, {})
    drawn = render_to_string("interviews/_sections.html", {"sections": sections})
    assert kept.strip() == drawn.strip()
    assert _items_markup(page).strip() == drawn.strip()
    assert _items_markup(client.get(_url(team, second)).content.decode()) == _items_markup(page)


def test_a_draft_is_drawn_with_its_own_values_not_the_kept_blank_form(team: Team) -> None:
    interview = team.interview()
    client = team.client_for(team.rater)
    blank = client.get(_url(team, interview)).content.decode()
    first_key = team.item_keys()[0]
    form = {f"item-{key}": "" for key in team.item_keys()}
    form.update({f"item-{first_key}": "3", "version": "", "action": "draft", "notes": ""})
    assert client.post(_url(team, interview), form).status_code == 302

    page = client.get(_url(team, interview)).content.decode()

    chosen = f'id="item-{first_key}-3" value="3" checked>'
    assert chosen in page
    assert chosen not in blank
