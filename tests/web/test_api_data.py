"""The data routes of the API behave as the pages do: results hidden for viewers exactly where
the pages hide them, imports saved whole or not at all, exports equal to the page's download,
and the audit trail filtered by time, action, kind and person, a page at a time."""

from __future__ import annotations

import math
import time
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from tests.web.conftest import Team
from tests.web.results_fixtures import (
    Scored,
    scored_fixture,  # noqa: F401 (the scored fixture)
)
from tests.web.test_transfers_import import as_csv, interview_rows, two_interviews

from peerprinciples.web.audit.models import AuditEvent
from peerprinciples.web.audit.services import record
from peerprinciples.web.evaluations.models import Evaluation
from peerprinciples.web.interviews.models import Interview, Rating
from peerprinciples.web.results import services as results
from peerprinciples.web.tokens.services import make_token
from peerprinciples.web.transfers.models import ImportBatch

pytestmark = pytest.mark.django_db


def bearer(team: Team, role: str, user: Any = None) -> Client:
    """A client sending a token of ``role`` made by ``user`` (the member of that role)."""
    maker = user or getattr(team, role)
    secret = make_token(maker, team.evaluation, name="test", role=role, days=1).secret
    return Client(headers={"Authorization": f"Bearer {secret}"})


def api(team: Team, rest: str) -> str:
    return f"/api/v1/evaluations/{team.evaluation.pk}/{rest}"


# --- results -------------------------------------------------------------------------------------


def assert_same_as_page(answer: dict[str, Any], expected: results.Results) -> int:
    """Every cell of the answer is the page's summary, with hidden ones as null and a reason;
    returns how many cells were hidden."""
    assert [m["key"] for m in answer["measures"]] == [m.key for m in expected.measures]
    hidden = 0
    for measure, page in zip(answer["measures"], expected.measures, strict=True):
        for row, page_row in zip(measure["rows"], page.rows, strict=True):
            cells = [*row["cells"], row["all_informants"]]
            summaries = [s for _, s in page_row.cells] + [page_row.margin]
            for cell, summary in zip(cells, summaries, strict=True):
                if summary.hidden:
                    hidden += 1
                    assert cell == {**cell, "n": None, "mean": None, "sd": None}
                    assert cell["hidden"] == summary.hidden
                else:
                    assert cell["hidden"] is None
                    assert cell["n"] == summary.n
                    for key, value in (("mean", summary.mean), ("sd", summary.sd)):
                        if value is None or math.isnan(value):
                            assert cell[key] is None or math.isnan(cell[key])
                        else:
                            assert cell[key] == pytest.approx(value)
        for gap, page_gap in zip(measure["gaps"], page.gaps, strict=True):
            assert gap["hidden"] == (page_gap.hidden or None)
            if page_gap.value is None:
                assert gap["value"] is None
            else:
                assert gap["value"] == pytest.approx(page_gap.value)
    return hidden


def test_a_viewer_gets_the_pages_suppressed_results_and_a_lead_every_number(
    scored: Scored,
) -> None:
    team = scored.team
    evaluation = team.evaluation
    viewer = bearer(team, "viewer").get(api(team, "results/"))
    assert viewer.status_code == 200, viewer.content
    answer = viewer.json()
    assert answer["suppressed"] is True
    assert answer["n_interviews"] == 36
    assert_same_as_page(answer, results.results(evaluation, aggregates_only=True))

    lead = bearer(team, "lead").get(api(team, "results/"))
    assert lead.json()["suppressed"] is False
    assert assert_same_as_page(lead.json(), results.results(evaluation, aggregates_only=False)) == 0

    # A service's round and informant hold 3 interviews: hidden from viewers, numbers and all.
    service = bearer(team, "viewer").get(api(team, f"results/services/{team.service_a.pk}"))
    assert service.json()["service_code"] == "A"
    page = results.results(evaluation, service=team.service_a, aggregates_only=True)
    assert assert_same_as_page(service.json(), page) > 0

    # A coordinator of service A sees the whole evaluation with small groups of B hidden.
    coordinator = bearer(team, "coordinator").get(api(team, "results/")).json()
    assert coordinator["others_protected"] is True
    assert_same_as_page(
        coordinator,
        results.results(
            evaluation, aggregates_only=False, own_services=frozenset({team.service_a.pk})
        ),
    )

    worker = bearer(team, "rater").get(api(team, f"results/peer-workers/{team.worker_a.pk}"))
    assert worker.json()["peer_worker_code"] == "PW-A1"
    assert_same_as_page(
        worker.json(),
        results.results(evaluation, peer_worker=team.worker_a, aggregates_only=False),
    )


def test_results_still_being_worked_out_say_to_retry_unless_stale_ones_will_do(
    scored: Scored, settings: Any
) -> None:
    team = scored.team
    client = bearer(team, "lead")
    assert client.get(api(team, "results/")).status_code == 200
    # A queue that no worker reads: the refresh stays queued.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    Evaluation.results_changed(team.evaluation.pk)
    waiting = client.get(api(team, "results/"))
    assert waiting.status_code == 202
    assert waiting["Retry-After"] == "10"
    assert waiting.json()["status"] == "pending"
    assert "allow_stale=true" in waiting.json()["detail"]
    stale = client.get(api(team, "results/"), {"allow_stale": "true"})
    assert stale.status_code == 200
    assert stale.json()["pending"] is True


def test_a_peer_workers_results_are_not_for_viewers(team: Team) -> None:
    response = bearer(team, "viewer").get(api(team, f"results/peer-workers/{team.worker_a.pk}"))
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    missing = bearer(team, "lead").get(api(team, "results/services/999999"))
    assert missing.status_code == 404
    assert missing.json()["detail"] == "No such service in this evaluation."


# --- imports -------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _import_folder(settings: Any, tmp_path: Any) -> None:
    settings.PEERPRINCIPLES_IMPORT_DIR = tmp_path / "imports"


def send(
    client: Client, team: Team, content: bytes, name: str = "ratings.csv", **fields: Any
) -> Any:
    return client.post(api(team, "imports/"), {"file": SimpleUploadedFile(name, content), **fields})


def test_an_import_is_checked_then_saved_whole_once(team: Team) -> None:
    client = bearer(team, "lead")
    content = as_csv(two_interviews(team))
    uploaded = send(client, team, content)
    assert uploaded.status_code == 201, uploaded.content
    batch = uploaded.json()
    assert (batch["status"], batch["uploaded_by"], batch["problem_count"]) == ("ready", "lead", 0)
    assert batch["counts"]["ratings"] == 4 * len(team.item_keys())
    assert not Interview.objects.filter(evaluation=team.evaluation).exists()

    listed = client.get(api(team, "imports/"), {"status": "ready"}).json()
    assert [b["id"] for b in listed["items"]] == [batch["id"]]

    saved = client.post(api(team, f"imports/{batch['id']}/commit"))
    assert saved.status_code == 200, saved.content
    assert (saved.json()["status"], saved.json()["interviews_created"]) == ("saved", 2)
    assert Interview.objects.filter(evaluation=team.evaluation).count() == 2
    assert AuditEvent.objects.filter(object_type="transfers.ImportBatch").count() == 1

    again = client.post(api(team, f"imports/{batch['id']}/commit"))
    assert again.status_code == 409
    assert again.json()["type"] == "urn:peerprinciples:problem:already-imported"
    twice = send(client, team, content)
    assert twice.status_code == 409
    assert "already imported into this evaluation" in twice.json()["detail"]
    assert Interview.objects.filter(evaluation=team.evaluation).count() == 2


def test_a_file_with_problems_is_listed_by_row_and_column_and_never_saved(team: Team) -> None:
    client = bearer(team, "coordinator")
    first = team.item_keys()[0]
    rows = interview_rows(team, "I-T1") + interview_rows(team, "I-T2", changes={first: "seven"})
    uploaded = send(client, team, as_csv(rows))
    batch = uploaded.json()
    assert (batch["status"], batch["problem_count"]) == ("problems", 1)
    problems = client.get(api(team, f"imports/{batch['id']}/problems")).json()
    assert problems["count"] == 1
    (problem,) = problems["items"]
    assert problem["row"] == len(team.item_keys()) + 2
    assert problem["column"] == "rating"
    assert "seven" in problem["message"]

    refused = client.post(api(team, f"imports/{batch['id']}/commit"))
    assert refused.status_code == 422
    assert refused.json()["type"] == "urn:peerprinciples:problem:import-refused"
    assert refused.json()["errors"][0]["field"] == f"row {problem['row']}, column rating"
    assert not Interview.objects.filter(evaluation=team.evaluation).exists()
    # The lead sees the coordinator's import; the coordinator would not see the lead's.
    assert bearer(team, "lead").get(api(team, f"imports/{batch['id']}")).status_code == 200


def test_a_file_that_clashes_at_saving_saves_nothing(team: Team) -> None:
    client = bearer(team, "lead")
    batch = send(client, team, as_csv(two_interviews(team))).json()
    assert batch["status"] == "ready"
    team.interview("I-T2")  # recorded meanwhile, with the same reference as the file's second
    refused = client.post(api(team, f"imports/{batch['id']}/commit"))
    assert refused.status_code == 422
    assert "I-T2" in " ".join(e["message"] for e in refused.json()["errors"])
    assert list(
        Interview.objects.filter(evaluation=team.evaluation).values_list("code", flat=True)
    ) == ["I-T2"]
    assert not Rating.objects.filter(sheet__interview__evaluation=team.evaluation).exists()
    assert ImportBatch.objects.get(pk=batch["id"]).status == "problems"
    # Checked again after the clash is gone: no problems now, but nothing is saved at once.
    Interview.objects.filter(evaluation=team.evaluation).delete()
    checked = client.post(api(team, f"imports/{batch['id']}/commit"))
    assert checked.status_code == 409
    assert checked.json()["type"] == "urn:peerprinciples:problem:checked-again"
    assert not Interview.objects.filter(evaluation=team.evaluation).exists()
    assert client.post(api(team, f"imports/{batch['id']}/commit")).status_code == 200


def test_uploads_that_cannot_be_read_are_refused_with_where_and_how(
    team: Team, settings: Any
) -> None:
    client = bearer(team, "lead")
    nothing = client.post(api(team, "imports/"))
    assert nothing.status_code == 422
    assert nothing.json()["errors"] == [
        {"field": "body.file", "message": "Send the ratings file as the form field `file`."}
    ]
    wrong = send(client, team, b"{}", name="ratings.json", format="long")
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["field"] == "file"
    assert "ends in .csv" in wrong.json()["errors"][0]["message"]
    unknown = send(client, team, b"a,b\n", format="spss")
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"].endswith("format")

    batch = send(client, team, as_csv(two_interviews(team))).json()
    for kept in (settings.PEERPRINCIPLES_IMPORT_DIR).iterdir():
        kept.unlink()
    gone = client.post(api(team, f"imports/{batch['id']}/commit"))
    assert gone.status_code == 410
    assert "Upload it again" in gone.json()["detail"]
    assert client.get(api(team, "imports/999999")).status_code == 404


# --- exports -------------------------------------------------------------------------------------


def page_download(client: Client, team: Team, kind: str, **extra: str) -> Any:
    return client.post(
        reverse("transfers:export", args=[team.evaluation.pk]), {"kind": kind, **extra}
    )


def content(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def test_an_export_is_the_pages_download_for_the_same_role_and_is_audited(
    scored: Scored,
) -> None:
    team = scored.team
    for role in ("lead", "coordinator"):
        page = page_download(team.client_for(getattr(team, role)), team, "long")
        exports = AuditEvent.objects.filter(action="export").count()
        response = bearer(team, role).get(api(team, "exports/long"))
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv"
        assert response["Content-Disposition"] == page["Content-Disposition"]
        assert response["Content-Disposition"].startswith("attachment; filename=")
        assert content(response) == content(page)
        assert AuditEvent.objects.filter(action="export").count() == exports + 1
    event = AuditEvent.objects.filter(action="export").first()
    assert event is not None
    assert event.user == team.coordinator
    assert event.after["services"] == ["A"]
    assert event.after["notes"] is False

    notes = bearer(team, "lead").get(api(team, "exports/long"), {"include_notes": "true"})
    assert "notes" in content(notes).decode().splitlines()[0]
    assert AuditEvent.objects.filter(action="export").first().after["notes"] is True  # type: ignore[union-attr]
    stata = bearer(team, "lead").get(api(team, "exports/dta"))
    assert stata["Content-Type"] == "application/x-stata-dta"
    assert stata["Content-Disposition"].endswith('-evaluation.dta"')


def test_an_export_with_nothing_to_export_or_of_an_unknown_kind_is_refused(team: Team) -> None:
    client = bearer(team, "lead")
    empty = client.get(api(team, "exports/long"))
    assert empty.status_code == 400
    assert empty.json()["detail"] == "There are no final interviews to export yet."
    unknown = client.get(api(team, "exports/parquet"))
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "path.kind"


# --- the audit trail -----------------------------------------------------------------------------


def test_the_audit_trail_is_filtered_by_time_action_kind_and_person_newest_first(
    team: Team,
) -> None:
    evaluation = team.evaluation
    client = bearer(team, "lead")
    for number in range(3):
        record(team.lead, "change", team.service_a, evaluation_id=evaluation.pk,
               summary=f"Early change {number}")  # fmt: skip
    time.sleep(0.01)
    middle = timezone.now()
    time.sleep(0.01)
    record(team.coordinator, "export", evaluation, evaluation_id=evaluation.pk, summary="Late")
    record(team.lead, "delete", team.worker_b, evaluation_id=evaluation.pk, summary="Last")

    def listed(**query: str) -> list[str]:
        response = client.get(api(team, "audit/"), query)
        assert response.status_code == 200, response.content
        return [event["summary"] for event in response.json()["items"]]

    assert listed(since=middle.isoformat()) == ["Last", "Late"]
    assert listed(until=middle.isoformat())[:3] == [
        "Early change 2", "Early change 1", "Early change 0",
    ]  # fmt: skip
    assert "Late" not in listed(until=middle.isoformat())
    assert listed(action="export", since=middle.isoformat()) == ["Late"]
    assert listed(object_type="evaluations.PeerWorker")[:3] == [
        "Last", "Added the peer worker PW-B1 in B", "Added the peer worker PW-A1 in A",
    ]  # fmt: skip
    assert listed(person="coordinator") == ["Late"]

    everything = AuditEvent.objects.filter(evaluation_id=evaluation.pk).count()
    first = client.get(api(team, "audit/"), {"page_size": 2}).json()
    second = client.get(api(team, "audit/"), {"page_size": 2, "page": 2}).json()
    assert first["count"] == second["count"] == everything
    assert [e["summary"] for e in first["items"] + second["items"]][:3] == [
        "Last", "Late", "Early change 2",
    ]  # fmt: skip
    assert first["items"][1]["user"] == "coordinator"
    assert first["items"][0]["object_type"] == "evaluations.PeerWorker"

    backwards = client.get(
        api(team, "audit/"), {"since": middle.isoformat(), "until": "2000-01-01"}
    )
    assert backwards.status_code == 422
    assert backwards.json()["errors"][0]["field"] == "query.until"
    unknown = client.get(api(team, "audit/"), {"action": "rename"})
    assert unknown.status_code == 422
    edge = client.get(api(team, "audit/"), {"since": "0001-01-01T00:00:00+14:00"})
    assert edge.status_code == 422
    assert edge.json()["errors"][0]["field"] == "query.since"
