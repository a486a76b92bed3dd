"""Importing ratings: upload, preview with every problem, save all at once or nothing."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from tests.web.conftest import Team

from peerprinciples.web.audit.models import AuditEvent
from peerprinciples.web.interviews.models import (
    ConsensusRating,
    Interview,
    InterviewScore,
    Rating,
    RatingSheet,
)
from peerprinciples.web.interviews.scores import refresh_scores
from peerprinciples.web.transfers.models import ImportBatch

pytestmark = pytest.mark.django_db

HEADER = ("interview", "informant", "service", "peer_worker", "round", "date", "rater", "item",
          "rating")  # fmt: skip


@pytest.fixture(autouse=True)
def _import_folder(settings: Any, tmp_path: Any) -> None:
    settings.PEERPRINCIPLES_IMPORT_DIR = tmp_path / "imports"


def interview_rows(
    team: Team,
    code: str,
    *,
    rater: str = "rater",
    service: str = "A",
    worker: str = "PW-A1",
    informant: str = "peer_worker",
    value: str = "3",
    changes: Mapping[str, str] | None = None,
) -> list[dict[str, str]]:
    """One rater's ratings of every item asked of the informant, in the long layout."""
    return [
        {
            "interview": code,
            "informant": informant,
            "service": service,
            "peer_worker": worker,
            "round": "1",
            "date": "2025-03-01",
            "rater": rater,
            "item": key,
            "rating": (changes or {}).get(key, value),
        }
        for key in team.item_keys(informant)
    ]


def as_csv(rows: Iterable[Mapping[str, str]], header: Iterable[str] = HEADER) -> bytes:
    """Rows as the bytes of a CSV file."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(header), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def two_interviews(team: Team) -> list[dict[str, str]]:
    """I-T1 rated by one rater; I-T2 by two raters and agreed."""
    agreed = {team.item_keys()[0]: "4"}
    return (
        interview_rows(team, "I-T1")
        + interview_rows(team, "I-T2", changes=agreed)
        + interview_rows(team, "I-T2", rater="second_rater", value="2", changes=agreed)
        + interview_rows(team, "I-T2", rater="consensus", changes=agreed)
    )


def upload(
    client: Client, team: Team, content: bytes, name: str = "ratings.csv", **fields: Any
) -> Any:
    """Post a file to the import page."""
    return client.post(
        reverse("transfers:import", args=[team.evaluation.pk]),
        {"file": SimpleUploadedFile(name, content), "format": "auto", **fields},
    )


def save_url(team: Team, batch: ImportBatch) -> str:
    return reverse("transfers:save", args=[team.evaluation.pk, batch.pk])


def nothing_imported(team: Team) -> bool:
    """No interview, sheet, rating, score or import event was stored for the evaluation."""
    interviews = Interview.objects.filter(evaluation=team.evaluation)
    return (
        not interviews.exists()
        and not RatingSheet.objects.filter(interview__evaluation=team.evaluation).exists()
        and not Rating.objects.filter(sheet__interview__evaluation=team.evaluation).exists()
        and not ConsensusRating.objects.filter(interview__evaluation=team.evaluation).exists()
        and not InterviewScore.objects.filter(evaluation=team.evaluation).exists()
        and not AuditEvent.objects.filter(object_type="transfers.ImportBatch").exists()
    )


def test_a_valid_file_is_previewed_then_saved_whole_with_scores_and_one_audit_event(
    team: Team,
) -> None:
    client = team.client_for(team.lead)
    response = upload(client, team, as_csv(two_interviews(team)))
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("transfers:preview", args=[team.evaluation.pk, batch.pk])
    assert nothing_imported(team)

    page = client.get(response["Location"]).content.decode()
    n_ratings = 4 * len(team.item_keys())
    assert batch.status == "ready"
    assert f"Save all {n_ratings} ratings" in page
    assert '<th scope="row">New interviews</th><td>2</td>' in page

    response = client.post(save_url(team, batch))
    assert response.status_code == 302
    single, double = Interview.objects.filter(evaluation=team.evaluation).order_by("code")
    assert (single.status, single.double_rated) == ("final", False)
    assert (double.status, double.double_rated) == ("final", True)
    assert single.sheets.get().rater == team.rater
    assert {s.rater for s in double.sheets.all()} == {team.rater, team.second_rater}
    assert all(s.status == "final" for s in double.sheets.all())
    assert Rating.objects.filter(sheet__interview__evaluation=team.evaluation).count() == (
        3 * len(team.item_keys())
    )
    first = team.item_keys()[0]
    assert ConsensusRating.objects.get(interview=double, item=first).value == 4
    assert single.peer_worker == team.worker_a
    assert single.round == team.round
    assert str(single.date) == "2025-03-01"

    cached = {s.interview_id: (s.total, s.domains) for s in InterviewScore.objects.all()}
    assert set(cached) == {single.pk, double.pk}
    refresh_scores(Interview.objects.filter(evaluation=team.evaluation))  # the rating pages' way
    again = {s.interview_id: (s.total, s.domains) for s in InterviewScore.objects.all()}
    assert cached == again

    batch.refresh_from_db()
    assert (batch.status, batch.interviews_created, batch.stored_name) == ("saved", 2, "")
    event = AuditEvent.objects.get(object_type="transfers.ImportBatch")
    assert event.user == team.lead
    assert "ratings.csv" in event.summary
    assert batch.sha256[:16] in event.summary
    assert event.after["sha256"] == batch.sha256
    assert event.after["interviews"] == 2
    assert not AuditEvent.objects.filter(
        evaluation_id=team.evaluation.pk, object_type="interviews.Interview"
    ).exists()


def test_every_problem_is_listed_by_row_and_column_and_saving_is_refused(team: Team) -> None:
    rows = interview_rows(team, "I-T1", changes={"rel_2": "7"})  # row 3: off the scale
    rows += interview_rows(team, "I-T2", service="Z")  # an unknown service
    client = team.client_for(team.lead)
    upload(client, team, as_csv(rows))
    batch = ImportBatch.objects.get()
    assert batch.status == "problems"
    page = client.get(reverse("transfers:preview", args=[team.evaluation.pk, batch.pk]))
    text = page.content.decode()
    assert "Nothing can be saved yet" in text
    assert "<td>3</td>" in text
    assert "<code>rating</code>" in text
    assert "off the scale" in text
    assert "Save all" not in text

    response = client.post(save_url(team, batch))
    assert response.status_code == 400
    assert "Nothing was saved" in response.content.decode()
    assert nothing_imported(team)


def test_a_file_checked_again_after_the_evaluation_is_put_right_is_not_saved_at_once(
    team: Team,
) -> None:
    client = team.client_for(team.lead)
    upload(client, team, as_csv(interview_rows(team, "I-T1", service="C", worker="", rater="lead")))
    batch = ImportBatch.objects.get()
    assert batch.status == "problems"
    team.client_for(team.lead).post(
        reverse("evaluations:add_service", args=[team.evaluation.pk]),
        {"service-code": "C", "service-name": "East team"},
    )
    response = client.post(save_url(team, batch), follow=True)
    assert "no problems now" in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == "ready"
    assert nothing_imported(team)
    client.post(save_url(team, batch))
    assert Interview.objects.get(code="I-T1").service.code == "C"


def test_problems_against_the_evaluation_name_row_and_column(team: Team) -> None:
    n = len(team.item_keys())
    rows = interview_rows(team, "I-T1", service="Z")  # rows 2..
    rows += interview_rows(team, "I-T2", worker="PW-B1")  # a peer worker of service B
    rows += interview_rows(team, "I-T3", rater="viewer")  # a viewer does not rate
    rows += interview_rows(team, "I-T4", rater="nobody")  # no such account
    rows += [r for r in interview_rows(team, "I-T5") if r["item"] != "rel_1"]  # required gone
    team.interview("I-T6")
    rows += interview_rows(team, "I-T6")  # already in the evaluation
    client = team.client_for(team.lead)
    upload(client, team, as_csv(rows))
    batch = ImportBatch.objects.get()
    problems = {(p["row"], p["column"]): p["message"] for p in batch.summary["problems"]}
    assert batch.summary["total"] == 6
    assert "'Z' is not a service" in problems[(2, "service")]
    assert "works in the service 'B'" in problems[(2 + n, "peer_worker")]
    assert "does not rate interviews" in problems[(2 + 2 * n, "rater")]
    assert "no account with the user name 'nobody'" in problems[(2 + 3 * n, "rater")]
    assert "rel_1 unrated" in problems[(2 + 4 * n, "item")]
    assert "already has an interview 'I-T6'" in problems[(2 + 5 * n - 1, "interview")]


def test_the_first_200_problems_by_row_are_listed_and_all_are_counted(team: Team) -> None:
    rows = []
    for k in range(150):
        rows += interview_rows(team, f"I-{k:03d}", service="Z", rater="nobody")
    client = team.client_for(team.lead)
    upload(client, team, as_csv(rows))
    batch = ImportBatch.objects.get()
    listed = batch.summary["problems"]
    assert batch.summary["total"] == batch.problem_count == 300
    assert len(listed) == 200
    assert [p["row"] for p in listed] == sorted(p["row"] for p in listed)
    assert {p["column"] for p in listed[:2]} == {"service", "rater"}
    page = client.get(reverse("transfers:preview", args=[team.evaluation.pk, batch.pk]))
    assert "300 problems: the first 200 by row are listed" in page.content.decode()


def test_a_failure_part_way_through_saving_leaves_nothing(team: Team) -> None:
    client = team.client_for(team.lead)
    upload(client, team, as_csv(two_interviews(team)))
    batch = ImportBatch.objects.get()
    last_item = team.item_keys()[-1]
    _refuse_agreed_ratings_of(last_item)  # the very last rows of the file
    try:
        response = client.post(save_url(team, batch), follow=True)
    finally:
        _stop_refusing()
    assert "Nothing was saved" in response.content.decode()
    assert nothing_imported(team)
    batch.refresh_from_db()
    assert batch.status == "ready"


def test_an_interview_recorded_between_preview_and_save_stops_the_whole_save(team: Team) -> None:
    client = team.client_for(team.lead)
    upload(client, team, as_csv(two_interviews(team)))
    batch = ImportBatch.objects.get()
    team.interview("I-T2", double_rated=True)  # someone records it meanwhile

    response = client.post(save_url(team, batch))
    text = response.content.decode()
    assert response.status_code == 400
    assert "Nothing was saved" in text
    assert "already has an interview &#x27;I-T2&#x27;" in text
    assert list(Interview.objects.filter(evaluation=team.evaluation)) == [
        Interview.objects.get(code="I-T2", evaluation=team.evaluation)
    ]
    assert not Rating.objects.filter(sheet__interview__evaluation=team.evaluation).exists()
    batch.refresh_from_db()
    assert batch.status == "problems"


def test_the_same_file_is_not_imported_twice(team: Team) -> None:
    content = as_csv(two_interviews(team))
    client = team.client_for(team.lead)
    upload(client, team, content)
    client.post(save_url(team, ImportBatch.objects.get()))

    response = upload(client, team, content, name="renamed.csv")
    text = response.content.decode()
    assert response.status_code == 400
    assert "already imported into this evaluation on" in text
    assert "by lead" in text
    assert "ratings.csv" in text
    assert ImportBatch.objects.count() == 1
    assert Interview.objects.filter(evaluation=team.evaluation).count() == 2


def test_saving_twice_does_not_duplicate(team: Team) -> None:
    client = team.client_for(team.lead)
    upload(client, team, as_csv(two_interviews(team)))
    batch = ImportBatch.objects.get()
    client.post(save_url(team, batch))
    response = client.post(save_url(team, batch), follow=True)
    assert "saved already" in response.content.decode()
    assert Interview.objects.filter(evaluation=team.evaluation).count() == 2


def test_a_coordinator_cannot_import_rows_for_another_service(team: Team) -> None:
    rows = interview_rows(team, "I-T1") + interview_rows(team, "I-T2", service="B", worker="PW-B1")
    client = team.client_for(team.coordinator)
    upload(client, team, as_csv(rows))
    batch = ImportBatch.objects.get()
    assert batch.status == "problems"
    (problem,) = batch.summary["problems"]
    assert problem["column"] == "service"
    assert problem["row"] == 2 + len(team.item_keys())
    assert "not among yours" in problem["message"]
    client.post(save_url(team, batch))
    assert nothing_imported(team)


def test_a_coordinator_imports_for_their_own_service_and_sees_only_their_imports(
    team: Team,
) -> None:
    lead_client = team.client_for(team.lead)
    upload(lead_client, team, as_csv(interview_rows(team, "I-L1")), name="lead.csv")
    client = team.client_for(team.coordinator)
    upload(client, team, as_csv(interview_rows(team, "I-T1")))
    mine = ImportBatch.objects.get(user=team.coordinator)
    leads = ImportBatch.objects.get(user=team.lead)
    assert client.post(save_url(team, mine)).status_code == 302
    assert Interview.objects.get(code="I-T1").status == "final"
    page = client.get(reverse("transfers:import", args=[team.evaluation.pk])).content.decode()
    assert "lead.csv" not in page
    preview = reverse("transfers:preview", args=[team.evaluation.pk, leads.pk])
    assert client.get(preview).status_code == 404
    assert client.post(save_url(team, leads)).status_code == 404


def test_ratings_can_be_recorded_as_the_importing_persons(team: Team) -> None:
    rows = interview_rows(team, "I-T1", rater="paper form 7")
    client = team.client_for(team.lead)
    upload(client, team, as_csv(rows), as_importer="on")
    batch = ImportBatch.objects.get()
    assert batch.status == "ready", batch.summary
    client.post(save_url(team, batch))
    assert Interview.objects.get(code="I-T1").sheets.get().rater == team.lead


def test_two_raters_without_agreed_ratings_wait_for_consensus(team: Team) -> None:
    rows = interview_rows(team, "I-T1") + interview_rows(team, "I-T1", rater="second_rater")
    client = team.client_for(team.lead)
    upload(client, team, as_csv(rows))
    client.post(save_url(team, ImportBatch.objects.get()))
    interview = Interview.objects.get(code="I-T1")
    assert (interview.status, interview.double_rated) == ("consensus", True)
    assert not InterviewScore.objects.filter(interview=interview).exists()


def test_a_wide_xlsx_file_is_imported(team: Team) -> None:
    from openpyxl import Workbook

    keys = team.item_keys()
    book = Workbook()
    sheet = book.active
    sheet.append(["interview", "informant", "service", "peer_worker", "round", "rater", *keys])
    sheet.append(["I-W1", "peer_worker", "A", "PW-A1", 1, "rater", *[4] * len(keys)])
    sheet.append(["I-W2", "peer_worker", "A", "", 1, "rater", *["NA"] * len(keys)])
    out = io.BytesIO()
    book.save(out)
    client = team.client_for(team.lead)
    upload(client, team, out.getvalue(), name="wide.xlsx")
    batch = ImportBatch.objects.get()
    assert batch.status == "ready", batch.summary
    client.post(save_url(team, batch))
    about_service = Interview.objects.get(code="I-W2")
    assert about_service.peer_worker is None
    assert set(
        Rating.objects.filter(sheet__interview=about_service).values_list("code", flat=True)
    ) == {"NA"}


def test_a_wide_row_without_ratings_creates_no_interview(team: Team) -> None:
    keys = team.item_keys()
    header = ["interview", "informant", "service", "peer_worker", "round", "rater", *keys]
    lines = [",".join(header), ",".join(["I-W0", "peer_worker", "A", "PW-A1", "1", "rater"])]
    lines.append(",".join(["I-W1", "peer_worker", "A", "PW-A1", "1", "rater", *["3"] * len(keys)]))
    client = team.client_for(team.lead)
    upload(client, team, ("\n".join(lines) + "\n").encode(), name="wide.csv")
    batch = ImportBatch.objects.get()
    assert batch.status == "ready", batch.summary
    assert batch.summary["counts"]["interviews"] == 1
    client.post(save_url(team, batch))
    assert list(
        Interview.objects.filter(evaluation=team.evaluation).values_list("code", flat=True)
    ) == ["I-W1"]
    assert Rating.objects.filter(sheet__interview__code="I-W1").count() == len(keys)


def test_a_file_of_the_wrong_type_is_refused_at_upload(team: Team) -> None:
    client = team.client_for(team.lead)
    response = upload(client, team, b"{}", name="ratings.json")
    assert response.status_code == 400
    assert "ends in .csv" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_raters_and_viewers_may_not_import(team: Team) -> None:
    url = reverse("transfers:import", args=[team.evaluation.pk])
    for person in (team.rater, team.viewer):
        response = team.client_for(person).post(
            url, {"file": SimpleUploadedFile("r.csv", b"x"), "format": "auto"}
        )
        assert response.status_code == 403
    assert team.client_for(team.outsider).get(url).status_code == 404
    assert not ImportBatch.objects.exists()


# --- a real refusal by the database, part-way through saving ------------------------------


def _refuse_agreed_ratings_of(item: str) -> None:
    """Make the database refuse agreed ratings of ``item`` (a trigger, on either database)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION pp_test_refuse() RETURNS trigger AS $$ BEGIN "
                f"IF NEW.item = '{item}' THEN RAISE EXCEPTION 'refused for the test'; END IF; "
                "RETURN NEW; END $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                "CREATE TRIGGER pp_test_refuse BEFORE INSERT ON interviews_consensusrating "
                "FOR EACH ROW EXECUTE FUNCTION pp_test_refuse()"
            )
            # Fire even while foreign keys are checked once per table (replica role).
            cursor.execute(
                "ALTER TABLE interviews_consensusrating ENABLE ALWAYS TRIGGER pp_test_refuse"
            )
        else:
            cursor.execute(
                "CREATE TRIGGER pp_test_refuse BEFORE INSERT ON interviews_consensusrating "
                f"WHEN NEW.item = '{item}' BEGIN SELECT RAISE(ABORT, 'refused for the test'); END"
            )


def _stop_refusing() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER pp_test_refuse ON interviews_consensusrating")
            cursor.execute("DROP FUNCTION pp_test_refuse()")
        else:
            cursor.execute("DROP TRIGGER pp_test_refuse")
