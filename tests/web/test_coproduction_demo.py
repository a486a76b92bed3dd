"""The demo co-production project: made once, synthetic and marked so, shaped like the
founding paper's, and every page of it open to the demo accounts from the navigation.

The demo is built once for the module (see ``module_db``); each test starts from it as built.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from peerprinciples.web.coproduction.demo import ACCOUNTS, DEMO_PROJECT, ensure_coproduction_demo
from peerprinciples.web.coproduction.models import (
    Card,
    Category,
    Code,
    Member,
    Project,
    RatingScale,
    Source,
    StatementRating,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def built(module_db: None) -> tuple[Project, dict[str, str]]:
    """The demo project as the first start made it, and the passwords that start gave."""
    return ensure_coproduction_demo()


@pytest.fixture
def project(built: tuple[Project, dict[str, str]]) -> Project:
    """The demo project, read afresh for each test."""
    return Project.objects.get(pk=built[0].pk)


def _signed_in(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_the_demo_project_is_made_once_and_marked_synthetic(
    built: tuple[Project, dict[str, str]],
) -> None:
    project, passwords = built
    again, new_passwords = ensure_coproduction_demo()
    assert again.pk == project.pk
    assert Project.objects.filter(name=DEMO_PROJECT).count() == 1
    assert project.synthetic
    assert set(passwords) == {"demo-panel-member"}
    assert passwords["demo-panel-member"] != new_passwords["demo-panel-member"]


def test_the_demo_is_shaped_like_the_papers_project(project: Project) -> None:
    panel = Member.objects.filter(project=project, role=Member.Role.PANEL)
    assert panel.count() == 10
    live = Card.objects.filter(project=project, merged_into__isnull=True)
    assert live.count() == 50
    assert {c.author_id for c in live} == set(panel.values_list("pk", flat=True))
    assert Category.objects.filter(project=project).count() >= 5
    assert Code.objects.filter(project=project, category__isnull=False).exists()
    assert Source.objects.filter(project=project, kind=Source.Kind.GREY).exists()
    for username, code in ACCOUNTS.items():
        assert Member.objects.get(project=project, code=code).user.username == username


@pytest.mark.parametrize("username", sorted(ACCOUNTS))
def test_every_page_in_the_navigation_opens_for_each_demo_account(
    project: Project, username: str
) -> None:
    client = _signed_in(username)
    listing = client.get(reverse("coproduction:index")).content.decode()
    overview_url = reverse("coproduction:project", args=[project.pk])
    assert overview_url in listing
    overview = client.get(overview_url).content.decode()
    nav = overview.split('aria-label="This project"')[1].split("</nav>")[0]
    links = re.findall(r'href="([^"]+)"', nav)
    assert len(links) >= 7
    for link in links:
        response = client.get(link)
        assert response.status_code == 200, f"{link} as {username}: {response.status_code}"
        assert "Synthetic" in response.content.decode() or "synthetic" in response.content.decode()


def test_the_demo_has_ratings_and_a_named_map_as_the_readme_says(project: Project) -> None:
    assert StatementRating.objects.filter(card__project=project).count() > 400
    stored = project.maps.get()
    assert stored.chosen_clusters is not None
    assert stored.clusters.filter(name__endswith="(synthetic)").count() == stored.chosen_clusters
    overview = _signed_in("demo-panel-member").get(
        reverse("coproduction:project", args=[project.pk])
    )
    assert re.search(r"Concept maps worked out</th><td>1<", overview.content.decode())


def test_a_demo_made_before_it_had_ratings_gets_them_at_the_next_start(project: Project) -> None:
    StatementRating.objects.filter(card__project=project).delete()
    RatingScale.objects.filter(project=project).delete()
    project.maps.all().delete()
    again, _ = ensure_coproduction_demo()
    assert again.pk == project.pk
    assert RatingScale.objects.filter(project=project).count() == 2
    assert project.maps.count() == 1


def test_serving_the_demo_says_where_each_project_has_got_to(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    from peerprinciples.web.serve import _print_coproduction_story

    _print_coproduction_story(project)
    said = capsys.readouterr().out
    assert "published framework, demo-principles@1 (synthetic)" in said
    assert "Demo local adaptation: DEMO: ENRICH for the Riverside community hub" in said
    assert "round 2 of its drafting rounds is open" in said


def test_the_published_demo_framework_records_each_rounds_ratings(project: Project) -> None:
    from peerprinciples.web.coproduction.models import Publication

    framework = Publication.objects.get(project=project).framework.model()
    assert framework.provenance is not None
    for record in framework.provenance.principles.values():
        assert record.rounds, "every principle was rated in round 1"
        first = record.rounds[0]
        assert first.number == 1
        assert first.share_agreeing is not None
        assert first.median is not None
