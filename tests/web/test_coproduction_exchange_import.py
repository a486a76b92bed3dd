"""RCMap files imported into a project: checked, previewed, then stored all or nothing."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from tests.web.coproduction_mapping_fixtures import add_cards

from peerprinciples.web.audit.models import AuditEvent
from peerprinciples.web.coproduction import models
from peerprinciples.web.coproduction.forms.exchange import MAX_FILE_BYTES
from peerprinciples.web.coproduction.services import exchange

pytestmark = pytest.mark.django_db

STATEMENTS = (
    b"StatementID,Statement\r\n"
    b"1,Peer workers are listened to as equals\r\n"
    b'2,"Supervision, from someone who knows peer work"\r\n'
    b"3,Lived experience is valued as expertise\r\n"
    b"4,People choose the support they want\r\n"
    b"5,Peer workers are paid fairly\r\n"
)
SORTED_CARDS = (
    b"S1,Being heard,1,3\r\nS1,Work,2,5\r\nS1,Choice,4\r\n"
    b"S2,Respect,1,3,4\r\nS2,Conditions,2,5\r\n"
    b"S3,All of it,1,2,3\r\n"  # S3 left cards 4 and 5 unsorted
)
RATINGS = (
    b"RaterID,StatementID,Importance,Feasibility\r\n"
    b"S1,1,5,3\r\nS1,2,4,NA\r\nS1,3,5,2\r\n"
    b"S2,1,4,4\r\nS2,4,3,5\r\n"
    b"X9,5,2,1\r\n"  # a rater who did not sort
)
DEMOGRAPHICS = (
    b"RaterID,Role,Site\r\nS1,Peer worker,North\r\nS2,Manager,South\r\nX9,Carer,North\r\n"
)

FILES = {
    "statements": STATEMENTS,
    "sorted_cards": SORTED_CARDS,
    "ratings": RATINGS,
    "demographics": DEMOGRAPHICS,
}


def _upload(client, project, files: dict[str, bytes] | None = None):  # type: ignore[no-untyped-def]
    data = {
        name: SimpleUploadedFile(f"{name}.csv", content, content_type="text/csv")
        for name, content in (files or FILES).items()
    }
    return client.post(reverse("coproduction:rcmap_import", args=[project.pk]), data)


def _counts(project) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {
        "cards": models.Card.objects.filter(project=project).count(),
        "members": models.Member.objects.filter(project=project).count(),
        "sorts": models.IndividualSort.objects.filter(project=project).count(),
        "piles": models.Pile.objects.filter(sort__project=project).count(),
        "placements": models.Placement.objects.filter(sort__project=project).count(),
        "ratings": models.StatementRating.objects.filter(card__project=project).count(),
        "scales": models.RatingScale.objects.filter(project=project).count(),
    }


@pytest.fixture
def previewed(panel) -> Any:  # type: ignore[no-untyped-def]
    """The files uploaded by the research team member and waiting on the preview."""
    response = _upload(panel.client_for(panel.research), panel.project)
    assert response.status_code == 302
    return models.RCMapUpload.objects.get(project=panel.project)


def test_the_preview_says_what_the_files_hold_and_stores_nothing_yet(panel, previewed) -> None:  # type: ignore[no-untyped-def]
    before = _counts(panel.project)
    url = reverse("coproduction:rcmap_preview", args=[panel.project.pk, previewed.pk])
    page = panel.client_for(panel.research).get(url).content.decode()
    assert '<th scope="row">Statements</th><td>5</td>' in page
    assert '<th scope="row">Sorters</th><td>3</td>' in page
    assert "6 piles holding 13 cards; 1 sorter left some cards unsorted" in page
    assert '<th scope="row">Raters</th><td>3</td><td>11 ratings</td>' in page
    assert '<th scope="row">New members</th><td>4</td>' in page
    assert "Peer worker (1); Manager (1); Carer (1)" not in page  # answers sorted by name
    assert "Carer (1); Manager (1); Peer worker (1)" in page
    assert _counts(panel.project) == before


def test_importing_stores_cards_people_sorts_ratings_and_groups(panel, previewed) -> None:  # type: ignore[no-untyped-def]
    before = _counts(panel.project)
    url = reverse("coproduction:rcmap_preview", args=[panel.project.pk, previewed.pk])
    response = panel.client_for(panel.research).post(url, {"group_question": "Role"})
    assert response.status_code == 302
    project = panel.project
    cards = {c.number: c.text for c in models.Card.objects.filter(project=project)}
    assert cards[2] == "Supervision, from someone who knows peer work"
    assert len(cards) == 5
    people = {m.code: m for m in models.Member.objects.filter(project=project, user=None)}
    assert set(people) == {"S1", "S2", "S3", "X9"}
    assert (people["S1"].group, people["S1"].details) == (
        "Peer worker",
        {"Role": "Peer worker", "Site": "North"},
    )
    assert people["S3"].group == ""
    sorts = models.IndividualSort.objects.filter(project=project)
    assert {s.status for s in sorts} == {models.IndividualSort.Status.DONE}
    s1 = sorts.get(member__code="S1")
    assert [
        (p.label, sorted(p.placements.values_list("card__number", flat=True)))
        for p in s1.piles.order_by("position")
    ] == [
        ("Being heard", [1, 3]),
        ("Work", [2, 5]),
        ("Choice", [4]),
    ]
    after = _counts(project)
    assert after["ratings"] - before["ratings"] == 11
    assert after["placements"] == 13
    # The columns name the usual two questions, which the project did not have yet: they
    # come with their wording and what their ends mean.
    scales = {
        s.key: (s.label, s.lowest, s.highest, s.lowest_means, s.highest_means)
        for s in models.RatingScale.objects.all()
    }
    assert scales == {
        "importance": (
            "How important is this for peer support here?",
            1,
            5,
            "Not important at all",
            "Extremely important",
        ),
        "feasibility": (
            "How feasible is this to put into practice here?",
            1,
            5,
            "Not feasible at all",
            "Entirely feasible",
        ),
    }
    assert (
        models.StatementRating.objects.get(
            member__code="X9", card__number=5, scale__key="feasibility"
        ).value
        == 1
    )
    assert not models.RCMapUpload.objects.exists()
    event = AuditEvent.objects.get(object_type="coproduction.Project", action="create")
    assert event.after["cards"] == 5
    assert event.after["ratings"] == 11


def test_the_first_question_is_the_group_unless_another_is_chosen(panel, previewed) -> None:  # type: ignore[no-untyped-def]
    assert exchange.preview(previewed).default_group == "Role"
    url = reverse("coproduction:rcmap_preview", args=[panel.project.pk, previewed.pk])
    page = panel.client_for(panel.research).get(url).content.decode()
    assert 'value="Role" checked' in page.replace('id="id_group_question_0" ', "")
    panel.client_for(panel.research).post(url, {"group_question": "Site"})
    groups = dict(models.Member.objects.filter(user=None).values_list("code", "group"))
    assert groups == {"S1": "North", "S2": "South", "S3": "", "X9": "North"}


def test_no_question_may_be_the_group(panel, previewed) -> None:  # type: ignore[no-untyped-def]
    url = reverse("coproduction:rcmap_preview", args=[panel.project.pk, previewed.pk])
    panel.client_for(panel.research).post(url, {"group_question": ""})
    assert set(models.Member.objects.filter(user=None).values_list("group", flat=True)) == {""}
    assert models.Member.objects.get(code="S2").details == {"Role": "Manager", "Site": "South"}


def test_an_unknown_group_question_is_refused_and_nothing_is_stored(panel, previewed) -> None:  # type: ignore[no-untyped-def]
    before = _counts(panel.project)
    with pytest.raises(exchange.DomainError, match="has no question 'Age'"):
        exchange.import_upload(panel.research, previewed, group_question="Age")
    assert _counts(panel.project) == before


def test_existing_scales_take_the_ratings_they_name(panel) -> None:  # type: ignore[no-untyped-def]
    models.RatingScale.objects.create(
        project=panel.project, key="importance", label="How important is it?", highest=7
    )
    _upload(panel.client_for(panel.facilitator), panel.project)
    upload = models.RCMapUpload.objects.get()
    plans = exchange.preview(upload).scales
    assert [(p.column, p.key, p.existing, p.highest) for p in plans] == [
        ("Importance", "importance", True, 7),
        ("Feasibility", "feasibility", False, 5),
    ]
    exchange.import_upload(panel.facilitator, upload, group_question="Role")
    assert models.RatingScale.objects.get(key="importance").ratings.count() == 6


def test_codes_of_existing_members_are_those_members(panel) -> None:  # type: ignore[no-untyped-def]
    files = dict(FILES, sorted_cards=SORTED_CARDS.replace(b"S1,", b"P01,"))
    files["ratings"] = RATINGS.replace(b"S1,", b"P01,")
    files["demographics"] = DEMOGRAPHICS.replace(b"S1,", b"P01,")
    _upload(panel.client_for(panel.facilitator), panel.project, files)
    upload = models.RCMapUpload.objects.get()
    assert exchange.preview(upload).existing_members == ("P01",)
    exchange.import_upload(panel.facilitator, upload, group_question="Role")
    pam = panel.member(panel.panel)
    assert pam.sorts.get().status == models.IndividualSort.Status.DONE
    assert (pam.group, pam.user) == ("Peer worker", panel.panel)


# --- refusals: every problem named, nothing stored ------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "where", "what"),
    [
        (
            "sorted_cards",
            SORTED_CARDS + b"S4,Extra,1,9\r\n",
            "SortedCards.csv, row 7, column 4 (D)",
            "There is no statement 9 in Statements.csv",
        ),
        (
            "ratings",
            RATINGS + b"S3,2,high,3\r\n",
            "Ratings.csv, row 8, column &#x27;Importance&#x27;",
            "&#x27;high&#x27; is not a number",
        ),
        (
            "statements",
            STATEMENTS.replace(b"4,People", b"3,People"),
            "Statements.csv, row 5, column &#x27;StatementID&#x27;",
            "The statement id 3 is used already, on row 4",
        ),
        (
            "ratings",
            RATINGS + b"S3,2,3.5,3\r\n",
            "Ratings.csv, column &#x27;Importance&#x27;",
            "1 rating(s) are not whole numbers (the first is 3.5)",
        ),
        (
            "demographics",
            b"RaterID;Role\r\nS1;Peer worker\r\n",
            "Demographics.csv, row 1",
            "The file seems to use semicolons between cells",
        ),
    ],
)
def test_broken_files_list_every_problem_and_store_nothing(
    panel, name, content, where, what
) -> None:  # type: ignore[no-untyped-def]
    before = _counts(panel.project)
    response = _upload(
        panel.client_for(panel.facilitator), panel.project, dict(FILES, **{name: content})
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert f"<td>{where}</td><td>{what}" in page
    assert "Nothing was imported" in page
    assert _counts(panel.project) == before
    assert not models.RCMapUpload.objects.exists()


def test_ratings_off_an_existing_scale_are_refused(panel) -> None:  # type: ignore[no-untyped-def]
    models.RatingScale.objects.create(
        project=panel.project, key="feasibility", label="F", highest=4
    )
    response = _upload(panel.client_for(panel.facilitator), panel.project)
    assert response.status_code == 400
    assert "Ratings run from 1 to 5, but the project&#x27;s scale" in response.content.decode()


def test_a_project_with_cards_is_refused(panel) -> None:  # type: ignore[no-untyped-def]
    add_cards(panel.project, ["Already here"])
    client = panel.client_for(panel.facilitator)
    page = client.get(
        reverse("coproduction:rcmap_import", args=[panel.project.pk])
    ).content.decode()
    assert "This project has cards already" in page
    response = _upload(client, panel.project)
    assert response.status_code == 400
    assert "It has 1 card(s) already" in response.content.decode()
    assert models.Card.objects.filter(project=panel.project).count() == 1


def test_cards_added_after_the_preview_stop_the_import(panel, previewed) -> None:  # type: ignore[no-untyped-def]
    add_cards(panel.project, ["Written meanwhile"])
    before = _counts(panel.project)
    url = reverse("coproduction:rcmap_preview", args=[panel.project.pk, previewed.pk])
    response = panel.client_for(panel.research).post(url, {"group_question": "Role"})
    assert response.status_code == 409
    assert "It has 1 card(s) already" in response.content.decode()
    assert _counts(panel.project) == before


def test_files_changed_after_the_preview_are_checked_again(panel, previewed) -> None:  # type: ignore[no-untyped-def]
    previewed.ratings = RATINGS + b"S1,7,3,3\r\n"
    previewed.save()
    before = _counts(panel.project)
    with pytest.raises(exchange.ImportProblems, match="there is no statement 7"):
        exchange.import_upload(panel.research, previewed, group_question="Role")
    assert _counts(panel.project) == before


def test_the_files_can_be_dropped(panel, previewed) -> None:  # type: ignore[no-untyped-def]
    url = reverse("coproduction:rcmap_preview", args=[panel.project.pk, previewed.pk])
    response = panel.client_for(panel.facilitator).post(url, {"discard": "1"})
    assert response.status_code == 302
    assert not models.RCMapUpload.objects.exists()
    assert models.Card.objects.count() == 0


def test_statements_and_sorted_cards_are_required(panel) -> None:  # type: ignore[no-untyped-def]
    response = _upload(
        panel.client_for(panel.facilitator), panel.project, {"statements": STATEMENTS}
    )
    assert response.status_code == 400
    assert (
        "Sorted cards file: Choose the SortedCards.csv file, or give all the files in one zip"
        in response.content.decode()
    )


# --- the files in one zip ---------------------------------------------------------------------


def _zipped(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _upload_zip(client, project, content: bytes, name: str = "study.zip"):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("coproduction:rcmap_import", args=[project.pk]),
        {"kind": "zip", "archive": SimpleUploadedFile(name, content)},
    )


def test_the_four_files_in_one_zip_are_checked_like_the_files_one_by_one(panel) -> None:  # type: ignore[no-untyped-def]
    # A zip of an RCMap folder: names with RCMap's prefix, in a folder, with a system's
    # extra folder beside them.
    content = _zipped(
        {
            "study/study_Statements.csv": STATEMENTS,
            "study/study_SortedCards.csv": SORTED_CARDS,
            "study/study_Ratings.csv": RATINGS,
            "study/study_Demographics.csv": DEMOGRAPHICS,
            "__MACOSX/study/._study_Statements.csv": b"\x00\x05",
        }
    )
    response = _upload_zip(panel.client_for(panel.research), panel.project, content)
    assert response.status_code == 302
    upload = models.RCMapUpload.objects.get(project=panel.project)
    assert bytes(upload.statements) == STATEMENTS
    assert bytes(upload.demographics) == DEMOGRAPHICS
    assert upload.file_names["statements"] == "study.zip: study/study_Statements.csv"
    preview = exchange.preview(upload)
    assert (preview.statements, preview.sorters) == (5, 3)


def test_a_zip_without_ratings_is_fine_and_one_without_sorted_cards_is_named(panel) -> None:  # type: ignore[no-untyped-def]
    client = panel.client_for(panel.research)
    only_two = _zipped({"Statements.csv": STATEMENTS, "SortedCards.csv": SORTED_CARDS})
    assert _upload_zip(client, panel.project, only_two).status_code == 302
    models.RCMapUpload.objects.all().delete()
    response = _upload_zip(client, panel.project, _zipped({"Statements.csv": STATEMENTS}))
    assert response.status_code == 400
    assert (
        "study.zip has no SortedCards.csv (it holds Statements.csv). Add it to the zip, or give "
        "the files one by one in the form below."
    ) in response.content.decode()
    assert not models.RCMapUpload.objects.exists()


def test_a_zip_with_two_candidates_for_one_file_is_refused(panel) -> None:  # type: ignore[no-untyped-def]
    content = _zipped(
        {
            "a/Statements.csv": STATEMENTS,
            "b/Statements.csv": STATEMENTS,
            "SortedCards.csv": SORTED_CARDS,
        }
    )
    response = _upload_zip(panel.client_for(panel.research), panel.project, content)
    assert response.status_code == 400
    assert (
        "holds two files that could be Statements.csv (a/Statements.csv and b/Statements.csv)"
        in response.content.decode()
    )


def test_a_file_that_is_not_a_zip_is_named_with_what_to_do(panel) -> None:  # type: ignore[no-untyped-def]
    response = _upload_zip(
        panel.client_for(panel.research), panel.project, STATEMENTS, name="Statements.csv"
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Statements.csv is not a zip archive. Choose the zip the export wrote" in page
    assert not models.RCMapUpload.objects.exists()


def test_a_zip_member_too_large_to_take_is_refused_unread(panel) -> None:  # type: ignore[no-untyped-def]
    big = b"1,x\r\n" * (MAX_FILE_BYTES // 5 + 1)
    content = _zipped({"Statements.csv": big, "SortedCards.csv": SORTED_CARDS})
    assert len(content) < MAX_FILE_BYTES  # small packed, large unpacked
    response = _upload_zip(panel.client_for(panel.research), panel.project, content)
    assert response.status_code == 400
    assert "Statements.csv in study.zip unpacks to 21 MB; files up to 20 MB are taken." in (
        response.content.decode()
    )


def test_a_column_is_a_usual_question_only_when_its_ratings_fit_that_scale(panel) -> None:  # type: ignore[no-untyped-def]
    ratings = b"RaterID,StatementID,Importance,Urgency\r\nS1,1,7,2\r\nS2,2,0,3\r\n"
    client = panel.client_for(panel.research)
    response = _upload(client, panel.project, {**FILES, "ratings": ratings})
    assert response.status_code == 302
    upload = models.RCMapUpload.objects.get(project=panel.project)
    page = client.get(
        reverse("coproduction:rcmap_preview", args=[panel.project.pk, upload.pk])
    ).content.decode()
    assert "the usual question" not in page
    assert "a new scale <code>importance</code>" in page
    assert "say what its ends mean on the rating questions page" in page
    client.post(
        reverse("coproduction:rcmap_preview", args=[panel.project.pk, upload.pk]),
        {"group_question": "Role"},
    )
    scales = {s.key: (s.label, s.lowest, s.highest) for s in models.RatingScale.objects.all()}
    assert scales == {"importance": ("Importance", 0, 7), "urgency": ("Urgency", 1, 3)}


def test_the_preview_names_the_usual_question_a_column_goes_to(panel, previewed) -> None:  # type: ignore[no-untyped-def]
    url = reverse("coproduction:rcmap_preview", args=[panel.project.pk, previewed.pk])
    page = panel.client_for(panel.research).get(url).content.decode()
    assert (
        "the usual question “How important is this for peer support here?”, from 1 "
        "(“Not important at all”) to 5 (“Extremely important”), new in this project"
    ) in page
    assert "say what its ends mean on the rating questions page" not in page
