"""Erasure on request: a peer worker's or an interview's data gone from every table, the
audit trail left with one tombstone, results worked out again, uploads deleted, and nothing
erased at all when the confirmation, the version or any step fails."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.db.models.functions import Cast
from django.urls import reverse
from tests.web.conftest import Team
from tests.web.reflection_report_fixtures import open_cycle
from tests.web.test_interview_withdraw import _double_rated
from tests.web.test_transfers_import import as_csv, interview_rows

from peerprinciples.web.audit.models import AuditEvent
from peerprinciples.web.erasure import services
from peerprinciples.web.errors import StaleEdit
from peerprinciples.web.evaluations.models import Membership, PeerWorker
from peerprinciples.web.interviews.models import (
    ConsensusRating,
    Interview,
    InterviewScore,
    Rating,
    RatingSheet,
)
from peerprinciples.web.reflection.models import Reflection, Reply, SelfAssessment
from peerprinciples.web.reflection.services.replies import reply
from peerprinciples.web.results import store
from peerprinciples.web.results.models import StoredResults
from peerprinciples.web.transfers import services as transfers
from peerprinciples.web.transfers.models import ImportBatch

pytestmark = pytest.mark.django_db

CODE = "PW-A1"
"""Service A's peer worker, whose data are erased."""

COUNTED = [
    Interview,
    RatingSheet,
    Rating,
    ConsensusRating,
    InterviewScore,
    PeerWorker,
    Membership,
    Reply,
    SelfAssessment,
    Reflection,
    ImportBatch,
]


def mentioning(code: str) -> dict[str, int]:
    """Rows of every table whose text (or JSON, as text) holds ``code``, by model."""
    found = {}
    for model in apps.get_models():
        texts = [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        if not texts:
            continue
        casts = {
            f"{f.name}_as_text": Cast(f.name, models.TextField())
            for f in texts
            if isinstance(f, models.JSONField)
        }
        query = models.Q()
        for f in texts:
            name = f"{f.name}_as_text" if isinstance(f, models.JSONField) else f.name
            query |= models.Q(**{f"{name}__contains": code})
        n = model._default_manager.annotate(**casts).filter(query).count()
        if n:
            found[model._meta.label] = n
    return found


def counts() -> dict[str, int]:
    return {model.__name__: model._default_manager.count() for model in COUNTED}


def final(team: Team, code: str, worker: PeerWorker, note: str = "") -> Interview:
    interview = team.interview(code, service=worker.service, worker=worker)
    if worker.service_id != team.service_a.pk:
        team.give_both_services(team.rater)
    team.rate(interview, team.rater, dict.fromkeys(team.required_keys(), "3"))
    if note:
        RatingSheet.objects.filter(interview=interview).update(notes=note)
    interview.refresh_from_db()
    return interview


def upload(team: Team, name: str, rows: list[dict[str, str]]) -> ImportBatch:
    return transfers.upload(
        team.lead, team.evaluation, SimpleUploadedFile(name, as_csv(rows)), name=name
    )


@pytest.fixture
def story(team: Team, settings: Any, tmp_path: Path) -> dict[str, Any]:
    """PW-A1 with a double-rated, agreed interview and another, a linked account that replied
    to a draft report and self-assessed, mentions of the code in others' notes and
    reflections, and uploads waiting with and without the code; PW-B1 with two interviews."""
    settings.PEERPRINCIPLES_IMPORT_DIR = tmp_path / "imports"
    agreed = _double_rated(team, "I-A1")
    second = final(team, "I-A2", team.worker_a)
    final(team, "I-B1", team.worker_b, note=f"Talked about {CODE}'s group. Went well.")
    final(team, "I-B2", team.worker_b)
    cycle = open_cycle(team)
    reply(team.peer_worker, cycle, worker=team.worker_a, about="", text="I would add more.")
    SelfAssessment.objects.create(
        cycle=cycle, taken_by="member", role="peer worker", answers={}, created_by=team.peer_worker
    )
    SelfAssessment.objects.create(cycle=cycle, answers={}, created_by=team.facilitator)
    Reflection.objects.create(
        cycle=cycle,
        principle="relationships",
        principle_title="Relationships",
        going_well=f"{CODE} started a walking group.",
        updated_by=team.facilitator,
    )
    named = upload(team, f"{CODE}.csv", interview_rows(team, "I-A1"))
    mentioned = upload(team, "more.csv", interview_rows(team, "I-N1", worker=CODE))
    other = upload(team, "other.csv", interview_rows(team, "I-N2", service="B", worker="PW-B1"))
    store.refresh(team.evaluation.pk)
    return {
        "agreed": agreed,
        "second": second,
        "named": named,
        "mentioned": mentioned,
        "other": other,
        "files": {b.pk: transfers.stored_path(b) for b in (named, mentioned, other)},
    }


def test_a_peer_worker_s_data_go_from_every_table(
    team: Team, story: dict[str, Any], django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    assert set(mentioning(CODE)) >= {
        "evaluations.PeerWorker",
        "interviews.RatingSheet",
        "reflection.Reflection",
        "transfers.ImportBatch",
        "audit.AuditEvent",
    }
    before = counts()
    earlier = list(
        AuditEvent.objects.filter(object_type="evaluations.PeerWorker", object_id=team.worker_a.pk)
    )
    assert earlier
    plan = services.plan_peer_worker(team.evaluation, team.worker_a)
    with django_capture_on_commit_callbacks(execute=True):
        services.erase_peer_worker(
            team.lead, team.evaluation, team.worker_a, expected_version=plan.version
        )
    assert mentioning(CODE) == {}
    assert mentioning("I-A1") == {}
    assert mentioning("I-A2") == {}
    after = counts()
    gone = {name: before[name] - after[name] for name in before}
    assert gone == {
        "Interview": 2,
        "RatingSheet": 3,
        "Rating": before["Rating"] - Rating.objects.count(),
        "ConsensusRating": len(team.item_keys()),
        "InterviewScore": 2,
        "PeerWorker": 1,
        "Membership": 1,
        "Reply": 1,
        "SelfAssessment": 1,
        "Reflection": 0,
        "ImportBatch": 0,
    }
    assert gone["Rating"] == 3 * len(team.item_keys()) - (
        len(team.item_keys()) - len(team.required_keys())
    )
    # The account stays (a sign-in may serve elsewhere); only its link to the code went.
    team.peer_worker.refresh_from_db()
    assert Reflection.objects.get().going_well == "[erased] started a walking group."
    assert RatingSheet.objects.get(interview__code="I-B1").notes.startswith("Talked about [erased]")
    # Uploads naming the code (or its interviews) are deleted; their batches keep their counts.
    files = story["files"]
    assert not files[story["named"].pk].exists()
    assert not files[story["mentioned"].pk].exists()
    assert files[story["other"].pk].exists()
    kept = ImportBatch.objects.get(pk=story["mentioned"].pk)
    assert kept.stored_name == ""
    assert kept.rows == story["mentioned"].rows
    assert ImportBatch.objects.get(pk=story["named"].pk).file_name == "[erased].csv"


def test_the_audit_trail_keeps_one_tombstone_and_redacts_earlier_events(
    team: Team, story: dict[str, Any], django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    worker_id = str(team.worker_a.pk)
    interview_ids = [str(story["agreed"].pk), str(story["second"].pk)]
    with django_capture_on_commit_callbacks(execute=True):
        plan = services.erase_peer_worker(team.lead, team.evaluation, team.worker_a)
    (tombstone,) = AuditEvent.objects.filter(action=AuditEvent.Action.ERASE)
    assert tombstone.object_type == "evaluations.PeerWorker"
    assert tombstone.object_id == ""
    assert tombstone.before is None
    assert tombstone.after is None
    assert tombstone.user == team.lead
    assert tombstone.evaluation_id == team.evaluation.pk
    assert tombstone.summary.startswith("A peer worker's data were erased on request: ")
    assert "2 interviews, 3 rating sheets" in tombstone.summary
    assert "1 reply to a report, 1 self-assessment" in tombstone.summary
    assert tombstone.summary.endswith("; mentions struck from 2 texts others wrote.")
    for code in (CODE, "I-A1", "I-A2", "PW-B1"):
        assert code not in tombstone.summary
    assert plan.said in tombstone.summary
    redacted = AuditEvent.objects.filter(
        models.Q(object_type="evaluations.PeerWorker", object_id=worker_id)
        | models.Q(object_type="interviews.Interview", object_id__in=interview_ids)
    )
    assert redacted.count() >= 3
    assert {e.summary for e in redacted} == {services.ERASED_NOTE}
    assert all(e.before is None and e.after is None for e in redacted)


def test_results_are_worked_out_again_without_what_was_erased(
    team: Team, story: dict[str, Any], django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    version = team.evaluation.results_version
    scopes = set(StoredResults.objects.values_list("scope", flat=True))
    assert f"peer_worker:{team.worker_a.pk}" in scopes
    with django_capture_on_commit_callbacks(execute=True):
        services.erase_peer_worker(team.lead, team.evaluation, team.worker_a)
    team.evaluation.refresh_from_db()
    assert team.evaluation.results_version > version
    stored = {s.scope: s.data for s in StoredResults.objects.filter(evaluation=team.evaluation)}
    assert f"peer_worker:{team.worker_a.pk}" not in stored
    fresh = store.compute(team.evaluation)
    assert stored["evaluation"] == fresh["evaluation"]
    assert stored["evaluation"]["n"] == 2


def test_a_failure_part_way_leaves_everything_as_it_was(
    team: Team, story: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    before, events = counts(), list(AuditEvent.objects.values_list("summary", "after"))
    mentions = mentioning(CODE)

    def broken(*args: object) -> list[Path]:
        raise RuntimeError("the disk went away")

    # The uploads are cleared last, after every delete and redaction has been made.
    monkeypatch.setattr(services, "_scrub_batches", broken)
    with pytest.raises(RuntimeError):
        services.erase_peer_worker(team.lead, team.evaluation, team.worker_a)
    assert counts() == before
    assert list(AuditEvent.objects.values_list("summary", "after")) == events
    assert mentioning(CODE) == mentions
    assert all(path.exists() for path in story["files"].values())


def test_a_changed_peer_worker_refuses_the_whole_erasure(team: Team, story: dict[str, Any]) -> None:
    plan = services.plan_peer_worker(team.evaluation, team.worker_a)
    team.interview("I-A3")
    before = counts()
    with pytest.raises(StaleEdit):
        services.erase_peer_worker(
            team.lead, team.evaluation, team.worker_a, expected_version=plan.version
        )
    assert counts() == before


# --- the pages --------------------------------------------------------------------------------


def _interview_url(team: Team, interview: Interview) -> str:
    return reverse("interviews:erase", args=[team.evaluation.pk, interview.pk])


def test_the_interview_page_confirms_with_the_typed_code_then_erases(
    team: Team, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    interview = _double_rated(team, "I-A1")
    lead = team.client_for(team.lead)
    detail = lead.get(reverse("interviews:detail", args=[team.evaluation.pk, interview.pk]))
    assert _interview_url(team, interview) in detail.content.decode()
    page = lead.get(_interview_url(team, interview))
    html = page.content.decode()
    assert page.status_code == 200
    assert "1 interview" in html
    assert "2 rating sheets" in html
    assert "cannot be undone" in html
    assert "backups" in html
    wrong = lead.post(_interview_url(team, interview), {"typed": "I-A2", "version": 1})
    assert wrong.status_code == 400
    assert "is not I-A1: nothing was erased" in wrong.content.decode()
    stale = lead.post(
        _interview_url(team, interview), {"typed": "I-A1", "version": interview.version - 1}
    )
    assert stale.status_code == 409
    assert "Someone else changed this interview" in stale.content.decode()
    assert Interview.objects.filter(pk=interview.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        done = lead.post(
            _interview_url(team, interview),
            {"typed": "I-A1", "version": interview.version},
            follow=True,
        )
    assert done.redirect_chain[-1][0] == reverse("interviews:list", args=[team.evaluation.pk])
    assert "The interview&#x27;s data were erased: 1 interview, 2 rating sheets" in (
        done.content.decode()
    )
    assert not Interview.objects.filter(pk=interview.pk).exists()
    assert PeerWorker.objects.filter(pk=team.worker_a.pk).exists()
    assert mentioning("I-A1") == {}
    (tombstone,) = AuditEvent.objects.filter(action=AuditEvent.Action.ERASE)
    assert tombstone.object_type == "interviews.Interview"


def test_the_peer_worker_page_erases_their_code(team: Team) -> None:
    team.interview("I-A1")
    lead = team.client_for(team.lead)
    url = reverse("evaluations:erase_peer_worker", args=[team.evaluation.pk, team.worker_a.pk])
    assert (
        url in lead.get(reverse("evaluations:detail", args=[team.evaluation.pk])).content.decode()
    )
    page = lead.get(url)
    assert page.status_code == 200
    assert "1 peer worker code" in page.content.decode()
    version = page.context["form"].initial["version"]
    team.interview("I-A2")
    assert lead.post(url, {"typed": CODE, "version": version}).status_code == 409
    fresh = services.plan_peer_worker(team.evaluation, team.worker_a).version
    response = lead.post(url, {"typed": CODE, "version": fresh})
    assert response.status_code == 302
    assert not PeerWorker.objects.filter(code=CODE).exists()
    assert not Interview.objects.filter(code__in=["I-A1", "I-A2"]).exists()


def test_only_leads_see_the_links_or_reach_the_pages(team: Team) -> None:
    interview = team.interview("I-A1")
    for user in (team.coordinator, team.rater):
        client = team.client_for(user)
        detail = client.get(reverse("interviews:detail", args=[team.evaluation.pk, interview.pk]))
        assert "Erase on request" not in detail.content.decode()
        assert client.get(_interview_url(team, interview)).status_code == 403
        assert client.post(_interview_url(team, interview), {"typed": "I-A1"}).status_code == 403
    outsider = team.client_for(team.outsider)
    assert outsider.get(_interview_url(team, interview)).status_code == 404
    assert Interview.objects.filter(pk=interview.pk).exists()


# --- the command line -------------------------------------------------------------------------


def _run(*argv: str) -> int:
    import argparse

    from peerprinciples.cli.erasure import register
    from peerprinciples.core.library import Library

    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    args = parser.parse_args(list(argv))
    return int(args.handler(args, Library()))


def test_the_command_lists_what_would_go_then_erases(
    team: Team, capsys: pytest.CaptureFixture[str]
) -> None:
    team.interview("I-A1")
    evaluation = str(team.evaluation.pk)
    assert _run("erase", "peer-worker", CODE, "--evaluation", evaluation, "--by", "lead",
                "--dry-run") == 0  # fmt: skip
    out = capsys.readouterr().out
    assert "Would erase peer worker PW-A1" in out
    assert "  - 1 interview" in out
    assert "Nothing was erased (--dry-run)." in out
    assert PeerWorker.objects.filter(code=CODE).exists()
    assert _run("erase", "interview", "I-A1", "--evaluation", evaluation, "--by", "lead") == 0
    assert "Erased." in capsys.readouterr().out
    assert not Interview.objects.filter(code="I-A1").exists()
    assert PeerWorker.objects.filter(code=CODE).exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("peer-worker", CODE, "--by", "coordinator"), "only its leads may"),
        (("peer-worker", CODE, "--by", "nobody"), "there is no account 'nobody'; check --by"),
        (("peer-worker", "PW-Z9", "--by", "lead"), "has no peer worker 'PW-Z9'"),
        (("interview", "I-Z9", "--by", "lead"), "has no interview 'I-Z9'"),
    ],
)
def test_the_command_refuses_with_a_reason(
    team: Team, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], message: str
) -> None:
    assert _run("erase", *argv, "--evaluation", str(team.evaluation.pk)) == 1
    assert message in capsys.readouterr().err
    assert PeerWorker.objects.filter(code=CODE).exists()
    assert _run("erase", "interview", "I-A1", "--evaluation", "999999", "--by", "lead") == 1
    assert "there is no evaluation 999999" in capsys.readouterr().err


# --- the demo ---------------------------------------------------------------------------------


def test_the_pages_work_on_the_demo_and_its_linked_peer_worker_is_erased_everywhere(
    builtin_library: Any, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    from django.test import Client

    from peerprinciples.web.demo import ensure_demo
    from peerprinciples.web.library.services import load_library

    load_library(builtin_library)
    evaluation, _ = ensure_demo()
    worker = PeerWorker.objects.get(evaluation=evaluation, account__isnull=False)
    interview = Interview.objects.filter(evaluation=evaluation, peer_worker=worker).first()
    assert interview is not None
    lead = Client()
    lead.force_login(evaluation.memberships.get(user__username="demo-lead").user)
    page = lead.get(_interview_url_of(evaluation.pk, interview.pk))
    assert page.status_code == 200
    assert "1 interview" in page.content.decode()
    url = reverse("evaluations:erase_peer_worker", args=[evaluation.pk, worker.pk])
    page = lead.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "1 account link" in html
    assert "repl" in html
    assert mentioning(worker.code)
    with django_capture_on_commit_callbacks(execute=True):
        done = lead.post(
            url, {"typed": worker.code, "version": page.context["form"].initial["version"]}
        )
    assert done.status_code == 302
    assert mentioning(worker.code) == {}
    overview = lead.get(reverse("results:overview", args=[evaluation.pk]))
    assert overview.status_code == 200


def _interview_url_of(evaluation_id: int, interview_id: int) -> str:
    return reverse("interviews:erase", args=[evaluation_id, interview_id])
