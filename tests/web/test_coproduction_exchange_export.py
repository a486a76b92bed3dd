"""A project written out as RCMap's four files, which read back to the same data."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from tests.web.coproduction_mapping_fixtures import (
    add_cards,
    add_ratings,
    add_scales,
    add_sort,
    add_sorters,
    set_groups,
)

from peerprinciples.core.coproduction.rcmap import read_rcmap
from peerprinciples.web.audit.models import AuditEvent
from peerprinciples.web.coproduction import models
from peerprinciples.web.coproduction.services import exchange, exchange_export, ratings

pytestmark = pytest.mark.django_db


def _download(panel, project) -> dict[str, bytes]:  # type: ignore[no-untyped-def]
    response = panel.client_for(panel.research).get(
        reverse("coproduction:rcmap_export", args=[project.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert (
        'filename="what-matters-in-peer-support-here-rcmap.zip"' in response["Content-Disposition"]
    )
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_the_zip_holds_live_cards_finished_sorts_ratings_and_answers(panel) -> None:  # type: ignore[no-untyped-def]
    project = panel.project
    cards = add_cards(project)
    members = add_sorters(project, 4)
    set_groups(members, {"S01": "Peer worker", "S02": "Manager"})
    members[0].details = {"Years": "2-5"}
    members[0].save()
    add_ratings(members, add_scales(project), cards)
    drafter = models.Member.objects.create(project=project, code="D01")
    add_sort(drafter, [[1, 2]], finished=False)
    cards[8].merged_into = cards[0]
    cards[8].save()
    files = _download(panel, project)
    assert sorted(files) == ["Demographics.csv", "Ratings.csv", "SortedCards.csv", "Statements.csv"]
    read = read_rcmap(
        files["Statements.csv"],
        files["SortedCards.csv"],
        files["Ratings.csv"],
        files["Demographics.csv"],
    )
    assert read.cardsort.keys == tuple(str(n) for n in range(1, 9))
    assert [sort.sorter for sort in read.cardsort.sorts] == ["S01", "S02", "S03", "S04"]
    given = models.StatementRating.objects.filter(card__number__lte=8).count()
    assert len(read.ratings) == given
    assert read.scales == ("importance", "feasibility")
    assert read.cardsort.groups == {
        "S01": {"Years": "2-5", "group": "Peer worker"},
        "S02": {"group": "Manager"},
    }
    assert AuditEvent.objects.filter(action="export", object_type="coproduction.Project").exists()


def test_an_exported_project_imports_into_a_new_one_unchanged(panel) -> None:  # type: ignore[no-untyped-def]
    project = panel.project
    cards = add_cards(project)
    members = add_sorters(project, 5)
    set_groups(members, {"S01": "Peer worker", "S02": "Manager"})
    add_ratings(members, add_scales(project), cards)
    files = _download(panel, project)
    other = models.Project.objects.create(
        name="Copy", framing_question="?", created_by=panel.facilitator
    )
    upload = exchange.upload(
        panel.facilitator,
        other,
        exchange.RCMapFiles(
            files["Statements.csv"],
            files["SortedCards.csv"],
            files["Ratings.csv"],
            files["Demographics.csv"],
        ),
        {},
    )
    exchange.import_upload(panel.facilitator, upload, group_question="group")
    assert exchange_export.project_as_rcmap(other) == exchange_export.project_as_rcmap(project)


def test_a_project_without_cards_has_nothing_to_export(panel) -> None:  # type: ignore[no-untyped-def]
    client = panel.client_for(panel.facilitator)
    response = client.get(
        reverse("coproduction:rcmap_export", args=[panel.project.pk]), follow=True
    )
    assert (
        "The project has no cards yet, so there is nothing to export." in response.content.decode()
    )
    assert not AuditEvent.objects.filter(action="export").exists()


def test_the_exported_zip_goes_back_in_through_the_page_with_its_questions(panel) -> None:  # type: ignore[no-untyped-def]
    # What a person does: download the zip, start a new project, give the zip as it is.
    project = panel.project
    cards = add_cards(project)
    members = add_sorters(project, 5)
    set_groups(members, {"S01": "Peer worker", "S02": "Manager"})
    add_ratings(members, ratings.add_default_scales(panel.facilitator, project), cards)
    client = panel.client_for(panel.research)
    zipped = client.get(reverse("coproduction:rcmap_export", args=[project.pk])).content
    other = models.Project.objects.create(
        name="Copy", framing_question="?", created_by=panel.facilitator
    )
    models.Member.objects.create(
        project=other, user=panel.research, code="R01", role=models.Member.Role.RESEARCH
    )
    response = client.post(
        reverse("coproduction:rcmap_import", args=[other.pk]),
        {"kind": "zip", "archive": SimpleUploadedFile("copy-rcmap.zip", zipped)},
    )
    assert response.status_code == 302
    upload = models.RCMapUpload.objects.get(project=other)
    response = client.post(
        reverse("coproduction:rcmap_preview", args=[other.pk, upload.pk]),
        {"group_question": "group"},
    )
    assert response.status_code == 302
    assert exchange_export.project_as_rcmap(other) == exchange_export.project_as_rcmap(project)

    def questions(of):  # type: ignore[no-untyped-def]
        return [
            (s.key, s.label, s.lowest, s.highest, s.lowest_means, s.highest_means)
            for s in ratings.scales_of(of)
        ]

    assert questions(other) == questions(project)
