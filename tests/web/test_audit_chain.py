"""The audit trail's hash chain: recorded events verify, and every kind of tampering with the
table in plain SQL is named at its first broken link; the database's triggers refuse changes
but the redaction; a withdrawal's redaction still verifies; the ``audit verify`` command."""

from __future__ import annotations

import argparse
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import DatabaseError, connection, connections, transaction
from tests.web.conftest import Team
from tests.web.test_interview_withdraw import _allow_keeping, _double_rated, _withdraw

from peerprinciples.cli.audit import register
from peerprinciples.core.library import Library
from peerprinciples.web.audit import chain, guard
from peerprinciples.web.audit.chain import verify_chain
from peerprinciples.web.audit.models import AuditEvent
from peerprinciples.web.audit.services import _append, record_erasure, redact
from peerprinciples.web.evaluations.models import Evaluation

pytestmark = pytest.mark.django_db

EVENTS = 8
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's triggers and locks"
)


def _event(n: int, **content: Any) -> AuditEvent:
    return _append(
        user=None,
        evaluation_id=content.get("evaluation_id", 7),
        action=content.get("action", "change"),
        object_type="evaluations.Service",
        object_id=str(n),
        summary=content.get("summary", f"Renamed service {n}"),
        before=content.get("before", {"name": f"Service {n}", "score": 2.5}),
        after=content.get("after", {"name": f"Service {n}b", "when": (2026, 3, n)}),
    )


@pytest.fixture
def trail(db: None) -> list[AuditEvent]:
    """Eight events, one of them with numbers ``jsonb`` writes back differently."""
    events = [_event(n) for n in range(1, EVENTS)]
    events.append(_event(EVENTS, after={"big": 1e20, "tenth": 0.1, "three": 3.0, "é": "ü"}))
    return events


@contextmanager
def unguarded() -> Iterator[Any]:
    """The triggers lifted for tampering, inside the test's transaction (rolled back after)."""
    guard.remove(connection)
    with connection.cursor() as cursor:
        yield cursor
    guard.install(connection)


def _broken(report: chain.ChainReport) -> chain.Break:
    assert not report.ok
    assert report.first_break is not None
    return report.first_break


def test_recorded_events_verify_with_their_count_and_last_hash(trail: list[AuditEvent]) -> None:
    report = verify_chain()
    assert report.ok, report.first_break
    assert report.events == EVENTS
    assert report.last_seq == trail[-1].seq == EVENTS
    assert report.last_hash == AuditEvent.objects.get(seq=EVENTS).chain_hash
    assert report.guarded
    assert [e.seq for e in trail] == list(range(1, EVENTS + 1))
    assert trail[0].chain_hash == chain.link(chain.GENESIS, trail[0].content_hash)
    assert report.as_dict()["ok"] is True


def test_an_empty_trail_verifies_from_the_genesis_hash(db: None) -> None:
    report = verify_chain()
    assert report.ok
    assert (report.events, report.last_seq, report.last_hash) == (0, 0, chain.GENESIS)


def test_the_chain_is_read_in_batches_with_progress(trail: list[AuditEvent]) -> None:
    seen: list[tuple[int, int]] = []
    report = verify_chain(batch=3, progress=lambda done, total: seen.append((done, total)))
    assert report.ok
    assert seen == [(3, EVENTS), (6, EVENTS), (8, EVENTS)]


def test_the_canonical_form_is_fixed() -> None:
    import datetime as dt

    content = {
        "at": dt.datetime(2026, 3, 1, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=1))),
        "user_id": None,
        "evaluation_id": 3,
        "action": "change",
        "object_type": "evaluations.Service",
        "object_id": "4",
        "summary": "Renamed “A”",
        "before": {"n": 2.0, "b": [1e20]},
        "after": None,
    }
    assert (
        chain.canonical(**content)
        == (
            '{"action":"change","after":null,"at":"2026-03-01T09:30:00.000000+00:00",'
            '"before":{"b":[100000000000000000000],"n":2},"evaluation_id":3,'
            '"object_id":"4","object_type":"evaluations.Service","summary":"Renamed “A”",'
            '"user_id":null}'
        ).encode()
    )
    assert chain.content_hash(**content) == chain.content_hash(**content)


def test_a_changed_summary_is_named_as_changed_content(trail: list[AuditEvent]) -> None:
    with unguarded() as cursor:
        cursor.execute("UPDATE audit_auditevent SET summary = %s WHERE seq = 4", ["Nothing"])
    found = _broken(verify_chain())
    assert (found.seq, found.event_id, found.problem) == (4, trail[3].pk, chain.CONTENT_CHANGED)
    assert "changed after it was written" in found.detail


def test_a_rewritten_hash_breaks_the_link_to_the_next_event(trail: list[AuditEvent]) -> None:
    event = trail[2]
    forged = chain.content_hash(
        at=event.at,
        user_id=None,
        evaluation_id=event.evaluation_id,
        action=event.action,
        object_type=event.object_type,
        object_id=event.object_id,
        summary="Nothing happened",
        before=event.before,
        after=event.after,
    )
    with unguarded() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET summary = %s, content_hash = %s WHERE seq = 3",
            ["Nothing happened", forged],
        )
    found = _broken(verify_chain())
    assert (found.seq, found.problem) == (3, chain.LINK_BROKEN)


def test_a_deleted_event_is_named_as_a_gap(trail: list[AuditEvent]) -> None:
    with unguarded() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE seq = 5")
    found = _broken(verify_chain())
    assert (found.seq, found.event_id, found.problem) == (6, trail[5].pk, chain.SEQUENCE_GAP)
    assert found.detail == "the sequence goes from 4 to 6: event 5 was removed"
    report = verify_chain()
    assert (report.events, report.last_seq) == (4, 4)


def test_several_deleted_events_are_named_together(trail: list[AuditEvent]) -> None:
    with unguarded() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE seq IN (2, 3)")
    found = _broken(verify_chain())
    assert found.detail == "the sequence goes from 1 to 4: events 2 to 3 were removed"


def test_an_inserted_event_breaks_the_link(trail: list[AuditEvent]) -> None:
    last = trail[-1]
    content = {
        "at": last.at,
        "user_id": None,
        "evaluation_id": 7,
        "action": "delete",
        "object_type": "evaluations.Service",
        "object_id": "99",
        "summary": "Deleted service 99",
        "before": None,
        "after": None,
    }
    digest = chain.content_hash(**content)
    with unguarded() as cursor:
        cursor.execute(
            "INSERT INTO audit_auditevent (at, user_id, evaluation_id, action, object_type, "
            "object_id, summary, before, after, seq, content_hash, chain_hash, redacted) "
            "VALUES (%s, NULL, 7, 'delete', 'evaluations.Service', '99', 'Deleted service 99', "
            "NULL, NULL, %s, %s, %s, %s)",
            [last.at, EVENTS + 1, digest, chain.link(trail[-2].chain_hash, digest), False],
        )
    found = _broken(verify_chain())
    assert (found.seq, found.problem) == (EVENTS + 1, chain.LINK_BROKEN)


def test_reordered_events_break_the_link(trail: list[AuditEvent]) -> None:
    with unguarded() as cursor:
        cursor.execute("UPDATE audit_auditevent SET seq = -1 WHERE seq = 3")
        cursor.execute("UPDATE audit_auditevent SET seq = 3 WHERE seq = 4")
        cursor.execute("UPDATE audit_auditevent SET seq = 4 WHERE seq = -1")
    found = _broken(verify_chain())
    assert (found.seq, found.event_id, found.problem) == (3, trail[3].pk, chain.LINK_BROKEN)


def test_a_redaction_no_later_event_names_is_reported(trail: list[AuditEvent]) -> None:
    # The triggers allow this update (it is the redaction's form), so only the chain can
    # tell it from a real one.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET summary = 'Removed', before = NULL, after = NULL, "
            "redacted = %s WHERE seq = 2",
            [True],
        )
    found = _broken(verify_chain())
    assert (found.seq, found.problem) == (2, chain.UNEXPLAINED_REDACTION)


def test_an_unnamed_redaction_before_another_break_is_the_first(trail: list[AuditEvent]) -> None:
    with unguarded() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET before = NULL, after = NULL, redacted = %s WHERE seq = 2",
            [True],
        )
        cursor.execute("UPDATE audit_auditevent SET summary = 'x' WHERE seq = 6")
    found = _broken(verify_chain())
    assert (found.seq, found.problem) == (2, chain.UNEXPLAINED_REDACTION)


def test_a_redacted_event_still_holding_content_is_changed_content(
    trail: list[AuditEvent],
) -> None:
    with unguarded() as cursor:
        cursor.execute("UPDATE audit_auditevent SET redacted = %s WHERE seq = 2", [True])
    found = _broken(verify_chain())
    assert (found.seq, found.problem) == (2, chain.CONTENT_CHANGED)


def test_redact_names_what_it_redacted_and_the_chain_verifies(trail: list[AuditEvent]) -> None:
    from peerprinciples.web.evaluations.models import Service

    changed = redact(7, Service, ["2", "5"], "Details removed.")
    assert changed == 2
    assert redact(7, Service, [], "Details removed.") == 0
    assert redact(7, Service, ["404"], "Details removed.") == 0
    tombstone = AuditEvent.objects.get(action=AuditEvent.Action.REDACT)
    assert tombstone.after == {"redacted": [2, 5]}
    assert tombstone.object_id == ""
    assert tombstone.summary == "Removed the details of 2 earlier events about services"
    assert AuditEvent.objects.filter(redacted=True).count() == 2
    report = verify_chain()
    assert report.ok, report.first_break
    assert report.events == EVENTS + 1


def test_a_withdrawal_redacts_and_the_chain_still_verifies(team: Team) -> None:
    _allow_keeping(team)
    interview = _double_rated(team)
    _withdraw(team, team.lead, interview, "erase")
    assert AuditEvent.objects.filter(redacted=True).exists()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.REDACT).count() == 2
    report = verify_chain()
    assert report.ok, report.first_break
    assert report.events == AuditEvent.objects.count()


def test_an_erasure_tombstone_is_chained(trail: list[AuditEvent]) -> None:
    record_erasure(None, evaluation_id=7, kind="evaluations.PeerWorker", summary="Erased")
    assert verify_chain().ok


def test_existing_events_are_chained_by_the_migration_in_order_of_id(
    trail: list[AuditEvent],
) -> None:
    migration = __import__(
        "peerprinciples.web.audit.migrations.0005_chain_existing_events", fromlist=["x"]
    )
    # As before the migration: no sequence numbers (the column was empty) nor hashes, and
    # no triggers yet.
    with unguarded() as cursor:
        cursor.execute("UPDATE audit_auditevent SET seq = -id, content_hash = '', chain_hash = ''")
        found = _broken(verify_chain())
        assert (found.seq, found.problem) == (-trail[-1].pk, chain.SEQUENCE_GAP)
        assert "start at 1 and go up by one, but event" in found.detail
        migration.chain_existing(apps, SimpleNamespace(connection=connection))
    report = verify_chain()
    assert report.ok, report.first_break
    assert list(AuditEvent.objects.order_by("id").values_list("seq", flat=True)) == list(
        range(1, EVENTS + 1)
    )


# --- the triggers ------------------------------------------------------------------------------


def _refused(sql: str, params: list[Any] | None = None) -> str:
    with pytest.raises(DatabaseError) as caught, transaction.atomic(), connection.cursor() as c:
        c.execute(sql, params)
    return str(caught.value)


def test_the_triggers_refuse_update_and_delete_from_plain_sql(trail: list[AuditEvent]) -> None:
    assert "append-only" in _refused("UPDATE audit_auditevent SET summary = 'x' WHERE seq = 1")
    assert "append-only" in _refused("DELETE FROM audit_auditevent WHERE seq = 1")
    assert "append-only" in _refused("DELETE FROM audit_auditevent")
    # The redaction's form, but also moving the event's time or hash: refused.
    for column, value in (("at", trail[1].at), ("content_hash", "0" * 64), ("seq", 99)):
        refused = _refused(
            f"UPDATE audit_auditevent SET before = NULL, after = NULL, redacted = %s, "
            f"{column} = %s WHERE seq = 1",
            [True, value if column != "at" else trail[2].at],
        )
        assert "append-only" in refused
    assert "append-only" in _refused(
        "UPDATE audit_auditevent SET before = NULL, after = NULL, redacted = %s WHERE seq = 1",
        [False],
    )
    assert AuditEvent.objects.count() == EVENTS
    assert verify_chain().ok


def test_the_triggers_allow_the_redaction(trail: list[AuditEvent]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET summary = 'Removed', before = NULL, after = NULL, "
            "redacted = %s WHERE seq IN (1, 2)",
            [True],
        )
        assert cursor.rowcount == 2


@postgresql_only
def test_the_trigger_refuses_truncate(trail: list[AuditEvent]) -> None:
    with connection.cursor() as cursor:
        # Else PostgreSQL refuses first, for the foreign key checks still waiting.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    refused = _refused("TRUNCATE audit_auditevent")
    assert "append-only: TRUNCATE refused" in refused
    assert AuditEvent.objects.count() == EVENTS


def test_missing_triggers_are_reported(trail: list[AuditEvent]) -> None:
    guard.remove(connection)
    assert not guard.installed(connection)
    assert verify_chain().guarded is False
    guard.install(connection)
    assert guard.installed(connection)


def _emptied_with_triggers_kept() -> None:
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEvent.objects.exists()
    assert guard.installed(connection)
    _event(1)
    assert verify_chain().ok


@pytest.mark.skipif(
    connection.vendor == "postgresql", reason="on PostgreSQL: with the concurrent writers"
)
@pytest.mark.django_db(transaction=True)
def test_emptying_the_database_keeps_the_triggers() -> None:
    _event(1)
    _emptied_with_triggers_kept()


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_fork_the_chain() -> None:
    """Two threads, each with its own connection, append in transactions that overlap."""
    per_thread, errors = 25, []
    start = threading.Barrier(2)

    def write(name: str) -> None:
        try:
            start.wait()
            for n in range(per_thread):
                with transaction.atomic():
                    _event(n, summary=f"{name} {n}")
                    Evaluation.objects.exists()  # more work inside the transaction
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(name,)) for name in ("one", "two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    report = verify_chain()
    assert report.ok, report.first_break
    assert report.events == 2 * per_thread
    summaries = set(AuditEvent.objects.values_list("summary", flat=True))
    assert len(summaries) == 2 * per_thread
    # Emptying the database (as after each test like this one) keeps the triggers; each
    # test that commits costs an emptying, so this one checks it too.
    _emptied_with_triggers_kept()


# --- the command -------------------------------------------------------------------------------


def run(library: Library, *argv: str) -> int:
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    args = parser.parse_args(list(argv))
    return int(args.handler(args, library))


def test_the_command_reports_ok_with_count_and_hash(
    trail: list[AuditEvent], builtin_library: Library, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(builtin_library, "audit", "verify") == 0
    out, err = capsys.readouterr()
    last = AuditEvent.objects.get(seq=EVENTS).chain_hash
    assert out == f"OK: {EVENTS} events, the chain is whole; last event {EVENTS}, hash {last}\n"
    assert err == ""
    assert run(builtin_library, "audit", "verify", "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data == {
        "ok": True,
        "events": EVENTS,
        "last_seq": EVENTS,
        "last_hash": last,
        "first_break": None,
        "guarded": True,
    }


def test_the_command_names_the_first_break_and_fails(
    trail: list[AuditEvent], builtin_library: Library, capsys: pytest.CaptureFixture[str]
) -> None:
    with unguarded() as cursor:
        cursor.execute("UPDATE audit_auditevent SET summary = 'x' WHERE seq = 3")
    assert run(builtin_library, "audit", "verify") == 1
    out = capsys.readouterr().out
    assert out.startswith(f"BROKEN at event 3 (id {trail[2].pk}): content changed: ")
    assert "2 events before it are whole; the last of them is 2" in out
    assert run(builtin_library, "audit", "verify", "--json") == 1
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is False
    assert data["first_break"]["seq"] == 3
    assert data["first_break"]["problem"] == "content changed"


def test_the_command_warns_when_the_triggers_are_missing(
    trail: list[AuditEvent], builtin_library: Library, capsys: pytest.CaptureFixture[str]
) -> None:
    guard.remove(connection)
    assert run(builtin_library, "audit", "verify", "--quiet") == 0
    assert "triggers that refuse changes to the trail are missing" in capsys.readouterr().err
    guard.install(connection)


def test_the_command_shows_progress_on_long_runs(
    trail: list[AuditEvent],
    builtin_library: Library,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("peerprinciples.cli.audit.PROGRESS_EVERY", 1)
    assert run(builtin_library, "audit", "verify") == 0
    assert f"checked {EVENTS} of {EVENTS} events" in capsys.readouterr().err
    assert run(builtin_library, "audit", "verify", "--quiet") == 0
    assert capsys.readouterr().err == ""
