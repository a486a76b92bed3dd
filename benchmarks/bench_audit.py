"""Benchmark: what the audit trail's hash chain costs to write, and how fast it is checked.

On SQLite (a file in a temporary folder) and on PostgreSQL at 127.0.0.1:5432 (database
``pp_bench_audit``, or the one ``PP_BENCH_AUDIT_DATABASE_URL`` names on the loopback address;
skipped when it cannot be reached), each in child processes of their own:

``append``
    ``APPENDS`` events written one transaction each, as a saved form writes its one event,
    through :func:`peerprinciples.web.audit.services._append` (the lock, the last event
    read, the content hashed, the link) against the reference: the same event inserted with
    no chain (a sequence number from a counter, no hash). ``ratio`` is the chained time over
    the plain one; the target is at most 2: a form's save does a dozen other queries, so the
    chain adds a few per cent to it.
``verify``
    ``PP_BENCH_AUDIT_EVENTS`` events (200,000 by default; a million with
    ``PP_BENCH_AUDIT_EVENTS=1000000``) written in bulk, then checked from first to last by
    :func:`~peerprinciples.web.audit.chain.verify_chain` in a fresh process, whose peak
    resident memory is reported: it reads the trail in batches, so memory does not grow
    with its length. The reference is reading the same rows in the same batches without
    checking them, in the same process; ``ratio`` is the check's time over the reading's,
    with a target of at most 4 (most of the difference is hashing in Python). The events a
    second are reported too: about 14,000 to 19,000 on two cores, so a million events take a
    minute or two.

Run with ``python -m benchmarks audit``.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from benchmarks.bench_import import LOOPBACK
from benchmarks.common import bench_env, run_child

APPENDS = 2_000
EVENTS = int(os.environ.get("PP_BENCH_AUDIT_EVENTS", "200000"))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/pp_bench_audit"
APPEND_TARGET = 2.0
VERIFY_TARGET = 4.0


def _postgresql() -> tuple[str, str | None]:
    url = os.environ.get("PP_BENCH_AUDIT_DATABASE_URL", DEFAULT_URL)
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql") or parts.hostname not in LOOPBACK:
        return url, "PP_BENCH_AUDIT_DATABASE_URL must name PostgreSQL on the loopback address"
    try:
        import psycopg
        from psycopg import sql

        name = parts.path.lstrip("/")
        maintenance = parts._replace(path="/postgres").geturl()
        with psycopg.connect(maintenance, connect_timeout=3, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except Exception as error:  # no driver, no server: the row says so
        return url, f"PostgreSQL is not usable at {parts.hostname} ({error})"
    return url, None


def run() -> list[dict[str, Any]]:
    """Both measures on SQLite, then on PostgreSQL when it can be reached."""
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="pp-bench-audit-") as folder:
        databases = [("sqlite", f"sqlite:///{Path(folder) / 'audit.sqlite3'}", None)]
        url, problem = _postgresql()
        databases.append(("postgresql", url, problem))
        for vendor, database_url, skipped in databases:
            if skipped:
                rows.append({"name": f"audit on {vendor}", "skipped": skipped})
                continue
            env = bench_env(database_url, folder)
            run_child("benchmarks.bench_audit", ["migrate"], env)
            appended = run_child("benchmarks.bench_audit", ["append"], env)
            rows.append(
                {
                    "name": f"append an event, chained ({vendor})",
                    "seconds": appended["chained"] / APPENDS,
                    "reference_name": "the same insert, unchained",
                    "reference_seconds": appended["plain"] / APPENDS,
                    "ratio": appended["chained"] / appended["plain"],
                    "target": f"<= {APPEND_TARGET}",
                }
            )
            run_child("benchmarks.bench_audit", ["fill"], env)
            checked = run_child("benchmarks.bench_audit", ["verify"], env)
            rows.append(
                {
                    "name": f"verify {checked['events']:,} events ({vendor})",
                    "seconds": checked["seconds"],
                    "reference_name": "reading the same rows in the same batches",
                    "reference_seconds": checked["read_seconds"],
                    "ratio": checked["seconds"] / checked["read_seconds"],
                    "events_per_second": round(checked["events"] / checked["seconds"]),
                    "peak_mb": checked["peak_mb"],
                    "ok": checked["ok"],
                    "target": f"<= {VERIFY_TARGET}",
                }
            )
    return rows


# --- the child processes -----------------------------------------------------------------------


def _content(n: int) -> dict[str, Any]:
    return {
        "user_id": None,
        "evaluation_id": 1 + n % 20,
        "action": "change",
        "object_type": "interviews.RatingSheet",
        "object_id": str(n),
        "summary": f"Saved a draft of ratings for I-{n:05d}",
        "before": {"status": "draft", "ratings": {f"q{i}": i % 5 for i in range(20)}},
        "after": {"status": "draft", "ratings": {f"q{i}": (i + 1) % 5 for i in range(20)}},
    }


def _append() -> dict[str, float]:
    from django.db import transaction
    from django.utils import timezone

    from peerprinciples.web.audit.models import AuditEvent
    from peerprinciples.web.audit.services import _append

    chained = plain = 0.0
    counter = 0  # the plain events' numbers go down from -1, out of the chain's way
    for start in range(0, APPENDS, 200):  # alternately, so both see the same machine
        began = time.perf_counter()
        for n in range(start, start + 200):
            with transaction.atomic():
                _append(user=None, **{k: v for k, v in _content(n).items() if k != "user_id"})
        chained += time.perf_counter() - began
        began = time.perf_counter()
        for n in range(start, start + 200):
            counter -= 1
            with transaction.atomic():
                AuditEvent.objects.create(
                    at=timezone.now(), seq=counter, content_hash="", chain_hash="", **_content(n)
                )
        plain += time.perf_counter() - began
    return {"chained": chained, "plain": plain}


def _fill() -> dict[str, int]:
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from peerprinciples.web.audit import chain
    from peerprinciples.web.audit.models import AuditEvent

    call_command("flush", interactive=False, verbosity=0)
    previous, at = chain.GENESIS, timezone.now()
    for start in range(1, EVENTS + 1, 5_000):
        batch = []
        for seq in range(start, min(start + 5_000, EVENTS + 1)):
            content = {"at": at, **_content(seq)}
            digest = chain.content_hash(**content)
            previous = chain.link(previous, digest)
            batch.append(AuditEvent(**content, seq=seq, content_hash=digest, chain_hash=previous))
        with transaction.atomic():
            AuditEvent.objects.bulk_create(batch)
    return {"events": EVENTS}


def _read_only() -> float:
    """The reference: the rows ``verify_chain`` reads, in its batches, and nothing done."""
    from peerprinciples.web.audit.chain import _FIELDS, BATCH
    from peerprinciples.web.audit.models import AuditEvent

    began = time.perf_counter()
    events, read, rows = AuditEvent.objects.order_by("seq"), 0, [None]
    while rows:
        rows = list(events.filter(seq__gt=read).values_list(*_FIELDS)[:BATCH])
        if rows:
            read = rows[-1][1]
    return time.perf_counter() - began


def _verify() -> dict[str, Any]:
    from peerprinciples.web.audit.chain import verify_chain

    _read_only()  # both measures then find the rows in the database's cache alike
    began = time.perf_counter()
    report = verify_chain()
    seconds = time.perf_counter() - began
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "events": report.events,
        "seconds": seconds,
        "read_seconds": _read_only(),
        "peak_mb": round(peak),
        "ok": report.ok,
    }


def main(step: str) -> None:
    from peerprinciples.web.serve import setup_django

    setup_django()
    if step == "migrate":
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
        result: Any = {"migrated": True}
    else:
        result = {"append": _append, "fill": _fill, "verify": _verify}[step]()
    print(json.dumps(result))


if __name__ == "__main__":
    if len(sys.argv) > 1:
        main(sys.argv[1])
    else:
        for row in run():
            print(row)
