"""Side by side with another programme: only when both share, never ranked; an outsider
learns nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests.web.practice_fixtures import AREA, PRINCIPLE, Crew, crew

from peerprinciples.web.practice.models import Area, Cell, Programme
from peerprinciples.web.practice.services.programmes import create_programme

pytestmark = pytest.mark.django_db

__all__ = ["crew"]


def _share(*programmes: Programme) -> None:
    Programme.objects.filter(pk__in=[p.pk for p in programmes]).update(shares_matrix=True)


def _write(programme: Programme, text: str, status: str = "partly") -> None:
    Cell.objects.create(
        programme=programme,
        area=Area.objects.get(programme=programme, key=AREA),
        principle=PRINCIPLE,
        text=text,
        status=status,
    )


def _side_by_side(crew: Crew, other: Programme) -> str:
    return reverse("practice:side_by_side", args=[crew.programme.pk, other.pk])


def test_both_sharing_shows_the_two_cells_side_by_side(crew: Crew) -> None:
    _share(crew.programme, crew.other)
    _write(crew.programme, "Supervisors ask what they learnt from the peer worker.")
    _write(crew.other, "Peer workers supervise each other once a month.", "in_place")
    Area.objects.create(
        programme=crew.other, key="ward-rounds", title="Ward rounds", level="team", built_in=False
    )
    response = crew.client_for(crew.reader).get(_side_by_side(crew, crew.other))
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        f'data-pair="ours/{AREA}/{PRINCIPLE}"><strong>Partly in place.</strong> Supervisors ask'
        in page
    )
    assert (
        f'data-pair="theirs/{AREA}/{PRINCIPLE}"><strong>In place.</strong> Peer workers supervise'
        in page
    )
    assert 'data-only="theirs-areas">Ward rounds<' in page
    assert 'data-only="ours-areas">None<' in page
    # Never ranked: no count, share or order of merit.
    for word in ("%", "rank", "better", "ahead", "behind"):
        assert word not in page.lower().split("<main")[-1].replace("ranked", "")


def test_the_list_shows_sharing_programmes_when_this_one_shares(crew: Crew) -> None:
    hidden = create_programme(crew.outsider, name="Not sharing", framework=crew.framework)
    _share(crew.programme, crew.other)
    page = crew.client_for(crew.lead).get(reverse("practice:compare", args=[crew.programme.pk]))
    html = page.content.decode()
    assert f'data-other="{crew.other.pk}"' in html
    assert f'data-other="{hidden.pk}"' not in html
    assert "Not sharing" not in html
    assert f'data-other="{crew.programme.pk}"' not in html


def test_a_programme_that_does_not_share_sees_no_other_and_is_told_how(crew: Crew) -> None:
    _share(crew.other)
    page = crew.client_for(crew.lead).get(reverse("practice:compare", args=[crew.programme.pk]))
    html = page.content.decode()
    assert 'data-sharing="off"' in html
    assert "The programme lead can turn sharing on" in html
    assert "the people of every other programme that shares can see this matrix" in html
    assert crew.other.name not in html


@pytest.mark.parametrize("sharing", ["neither", "ours", "theirs"])
def test_side_by_side_is_refused_unless_both_share(crew: Crew, sharing: str) -> None:
    if sharing == "ours":
        _share(crew.programme)
    elif sharing == "theirs":
        _share(crew.other)
    response = crew.client_for(crew.lead).get(_side_by_side(crew, crew.other))
    assert response.status_code == 404


def test_a_programme_that_does_not_exist_looks_the_same_as_one_that_does_not_share(
    crew: Crew,
) -> None:
    _share(crew.programme)
    missing = reverse("practice:side_by_side", args=[crew.programme.pk, 999_999])
    assert crew.client_for(crew.lead).get(missing).status_code == 404
    self = reverse("practice:side_by_side", args=[crew.programme.pk, crew.programme.pk])
    assert crew.client_for(crew.lead).get(self).status_code == 404


def test_an_outsider_cannot_look_through_someone_elses_programme(crew: Crew) -> None:
    _share(crew.programme, crew.other)
    # Otis leads the other programme but has no role in this one.
    response = crew.client_for(crew.outsider).get(_side_by_side(crew, crew.other))
    assert response.status_code == 404
