"""Benchmark: the web pages of a national-scale evaluation under load, on PostgreSQL.

What it does, all on this machine (every request goes to 127.0.0.1, and it stops by itself):

1. creates the database ``pp_bench`` on the PostgreSQL server at 127.0.0.1:5432 (or the one
   named by ``PP_BENCH_DATABASE_URL``, which must be on the loopback address), migrates it
   and seeds the national-scale evaluation (:mod:`peerprinciples.web.seeding`: 200 services,
   2,000 peer workers, 4 rounds, 25,000 interviews, about 1.1 million ratings). A database
   seeded earlier with the same plan is reused (its seed marker matches); the time a seed
   took is reported either way;
2. starts the production server (``peerprinciples serve``: gunicorn, 2 workers of 4
   threads, ``PP_BENCH_WORKERS`` to change) on a free loopback port;
3. signs in 16 sessions each of ``bench-lead`` and ``bench-rater`` through the sign-in form;
4. for each target page, after a short warm-up, runs ``PP_BENCH_ROUNDS`` rounds (4 by
   default). In each, 16 client threads (one session each, keep-alive connections) request
   the reference page back to back for a quarter of a round, then the target page for
   ``PP_BENCH_SECONDS / PP_BENCH_ROUNDS`` seconds (60 s in all by default), then the
   reference again for a quarter of a round. Every request's latency and status is kept
   (anything but 200 is an error).

The targets are a minimal reference page doing one indexed query (``/health/`` when the
application has it; until then the home page, marked provisional), the evaluation dashboard
(``results:overview``), one service's report (``results:report``) and the rating form
(``interviews:rate``, read as the rater). Each page is held to a p95 latency under 150 ms
with no errors, and to a throughput at least a quarter of the reference's (the stack is plain
Django on purpose, giving back some throughput earlier hand-made parts won), measured on the
same server in the same rounds: a page's ratio divides its requests a second by those of
the reference loads around it. The throughput a shared machine gives moves by tens of per
cent within a minute (one run saw ``/health/`` fall from 1,183 to 560 requests a second
between its first and last quarter-minute), so a reference measured once, minutes away from
a page, would compare the machine's moods as much as the pages; pairing them in short
rounds compares the pages. The ratio of each round is reported too, so the spread shows.
For context, the home page (the smallest page a signed-in person sees) is loaded the same
way and reported beside them, without a target: it shows what reading the session, the
account and the memberships costs before a page does any work of its own.

The load client is this process (16 threads sharing one interpreter); it shares the
machine's cores with the server and PostgreSQL, so the figures are for the whole machine.
The client's own processor time is reported beside the server's, per request.

Run with ``python -m benchmarks web`` (or ``python -m benchmarks.bench_web``). Without a
reachable PostgreSQL server it reports that it skipped.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import numpy as np

from benchmarks.common import (
    REQUEST_TIMEOUT,
    ROOT,
    bench_env,
    free_port,
    run_child,
    sign_in,
    start_server,
    stop_server,
    wait_until_serving,
)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/pp_bench"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
USERS = int(os.environ.get("PP_BENCH_USERS", "16"))
SECONDS = float(os.environ.get("PP_BENCH_SECONDS", "60"))
WORKERS = int(os.environ.get("PP_BENCH_WORKERS", "2"))
ROUNDS = max(1, int(os.environ.get("PP_BENCH_ROUNDS", "4")))
P95_TARGET_MS = 150.0
RATIO_TARGET = 1 / 4
CONTEXT_NAME = "context: home page (smallest signed-in page)"


def _database_url() -> tuple[str, str | None]:
    """The bench database's URL, and why it cannot be used (it must be on this machine)."""
    url = os.environ.get("PP_BENCH_DATABASE_URL", DEFAULT_URL)
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql") or parts.hostname not in LOOPBACK:
        return url, "PP_BENCH_DATABASE_URL must name PostgreSQL on the loopback address"
    return url, None


def usable_database() -> tuple[str, str | None]:
    """The bench database's URL (created if missing), and why it cannot be used, if so."""
    url, problem = _database_url()
    return url, problem or _ensure_database(url)


def _ensure_database(url: str) -> str | None:
    """Create the bench database if it is missing; a reason when PostgreSQL cannot be used."""
    try:
        import psycopg
        from psycopg import sql
    except ImportError:
        return "psycopg is not installed"
    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "pp_bench"
    maintenance = parts._replace(path="/postgres").geturl()
    try:
        with psycopg.connect(maintenance, connect_timeout=3, autocommit=True) as conn:
            found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if found is None:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.Error as error:
        reason = " ".join(str(error).split())
        return f"PostgreSQL is not reachable at {parts.hostname}:{parts.port or 5432} ({reason})"
    return None


# --- the prepare step (runs in a child process with DATABASE_URL set) ------------------------


def prepare_database() -> dict[str, Any]:
    """Migrate, seed (or reuse) the national evaluation and reset the load-test passwords."""
    from peerprinciples.web.serve import prepare, setup_django

    setup_django()
    prepare(verbosity=0)
    from django.urls import NoReverseMatch, reverse

    from peerprinciples.web.evaluations.models import Service
    from peerprinciples.web.interviews.models import Interview, Rating, RatingSheet
    from peerprinciples.web.seeding import (
        RATER,
        NationalPlan,
        find_national,
        reset_accounts,
        seed_marker,
        seed_national,
        seed_record,
    )

    plan = NationalPlan()
    evaluation = find_national()
    reused = evaluation is not None and seed_marker(evaluation) == plan.marker
    if reused:
        assert evaluation is not None
        passwords = reset_accounts()
        seconds = (seed_record(evaluation) or {}).get("seconds_before_commit")
        print(f"Reusing the seeded evaluation {evaluation.pk} ({plan.marker}).", file=sys.stderr)
    else:
        print("Seeding the national-scale evaluation...", file=sys.stderr)
        result = seed_national(plan, replace=evaluation is not None)
        evaluation, passwords, seconds = result.evaluation, result.passwords, result.seconds
        print(f"Seeded in {seconds['total']:.1f} s.", file=sys.stderr)
    # As in service, the task worker works out the stored results once the data change;
    # run what is queued now, so pages are measured as people meet them after a restart.
    from peerprinciples.web.serve import run_worker

    started = time.perf_counter()
    run_worker(interval=0.1, batch=True, verbosity=0)
    print(f"Queued results worked out in {time.perf_counter() - started:.1f} s.", file=sys.stderr)
    service = Service.objects.filter(evaluation=evaluation).order_by("code").first()
    assert service is not None
    open_interviews = list(
        RatingSheet.objects.filter(
            interview__evaluation=evaluation,
            interview__status=Interview.Status.DRAFT,
            rater__username=RATER,
            status=RatingSheet.Status.DRAFT,
        )
        .order_by("interview_id")
        .values_list("interview_id", flat=True)
    )
    try:
        reference, reference_name = reverse("health"), "reference: /health/ (one indexed query)"
    except NoReverseMatch:
        reference, reference_name = reverse("home"), "reference (provisional): home page"
    counts = {
        "interviews": Interview.objects.filter(evaluation=evaluation).count(),
        "ratings": Rating.objects.filter(sheet__interview__evaluation=evaluation).count(),
    }
    return {
        "evaluation": evaluation.pk,
        "service": service.pk,
        "open_interviews": open_interviews,
        "passwords": passwords,
        "reused": reused,
        "seed_seconds": seconds,
        "counts": counts,
        "marker": plan.marker,
        "reference": reference,
        "reference_name": reference_name,
        "paths": {
            "home": reverse("home"),
            "dashboard": reverse("results:overview", args=[evaluation.pk]),
            "report": reverse("results:report", args=[evaluation.pk, service.pk]),
            "rate": [
                reverse("interviews:rate", args=[evaluation.pk, pk]) for pk in open_interviews
            ],
        },
    }


def _run_prepare(env: dict[str, str]) -> dict[str, Any]:
    return dict(run_child("benchmarks.bench_web", ["prepare"], env))


# --- the server --------------------------------------------------------------------------------


def _server_cpu_seconds(pid: int) -> float | None:
    """Processor time of the server and its workers so far (Linux ``/proc``; else ``None``)."""
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total = 0.0
    try:
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2 :].split()
            if int(entry.name) == pid or int(fields[1]) == pid:  # the arbiter or a worker
                total += (int(fields[11]) + int(fields[12])) / ticks
    except OSError:
        return None
    return total


# --- the load client ---------------------------------------------------------------------------


def _sign_in(port: int, username: str, password: str) -> str:
    """A session cookie from the real sign-in form, over a connection of its own."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    try:
        return sign_in(conn, username, password)
    finally:
        conn.close()


@dataclass
class _Load:
    """Latencies (seconds), statuses and sizes of every request of one run."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    bytes: int = 0
    elapsed: float = 0.0
    client_cpu: float = 0.0
    server_cpu: float | None = None
    error_samples: list[str] = field(default_factory=list)

    def add(self, other: _Load) -> None:
        self.latencies += other.latencies
        self.errors += other.errors
        self.bytes += other.bytes
        self.elapsed += other.elapsed
        self.client_cpu += other.client_cpu
        if self.server_cpu is not None and other.server_cpu is not None:
            self.server_cpu += other.server_cpu
        else:
            self.server_cpu = None
        self.error_samples += other.error_samples[:3]


def _hammer(port: int, cookies: list[str], paths: list[str], seconds: float, pid: int) -> _Load:
    """``len(cookies)`` threads requesting ``paths`` back to back for ``seconds``."""
    lock = threading.Lock()
    load = _Load()
    start_gate = threading.Barrier(len(cookies) + 1)
    deadline = 0.0

    def user(index: int) -> None:
        path = paths[index % len(paths)]
        headers = {"Cookie": cookies[index], "Connection": "keep-alive"}
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
        mine: list[float] = []
        errors, size, samples = 0, 0, []
        start_gate.wait()
        while time.perf_counter() < deadline:
            began = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                body = response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as error:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
                status, body = 0, str(error).encode()
            mine.append(time.perf_counter() - began)
            size += len(body)
            if status != 200:
                errors += 1
                if len(samples) < 3:
                    samples.append(f"{status} {path}")
        conn.close()
        with lock:
            load.latencies += mine
            load.errors += errors
            load.bytes += size
            load.error_samples += samples

    threads = [threading.Thread(target=user, args=(k,), daemon=True) for k in range(len(cookies))]
    for thread in threads:
        thread.start()
    server_before = _server_cpu_seconds(pid)
    client_before = time.process_time()
    began = time.perf_counter()
    deadline = began + seconds
    start_gate.wait()
    for thread in threads:
        thread.join(timeout=seconds + REQUEST_TIMEOUT + 5)
    load.elapsed = time.perf_counter() - began
    load.client_cpu = time.process_time() - client_before
    server_after = _server_cpu_seconds(pid)
    if server_before is not None and server_after is not None:
        load.server_cpu = server_after - server_before
    return load


def _row(name: str, path: str, user: str, load: _Load) -> dict[str, Any]:
    latencies = np.asarray(load.latencies) * 1000
    n = len(latencies)
    p50, p95, p99 = (np.percentile(latencies, q) if n else float("nan") for q in (50, 95, 99))
    return {
        "name": name,
        "path": path,
        "user": user,
        "requests": n,
        "seconds": round(load.elapsed, 1),
        "req_per_s": n / load.elapsed if load.elapsed else 0.0,
        "p50_ms": float(p50),
        "p95_ms": float(p95),
        "p99_ms": float(p99),
        "max_ms": float(latencies.max()) if n else float("nan"),
        "errors": load.errors,
        "kb_per_response": load.bytes / n / 1024 if n else 0.0,
        "server_cpu_ms_per_req": (
            load.server_cpu / n * 1000 if load.server_cpu is not None and n else None
        ),
        "client_cpu_ms_per_req": load.client_cpu / n * 1000 if n else None,
        "error_samples": "; ".join(load.error_samples[:3]) or None,
    }


# --- the benchmark -----------------------------------------------------------------------------


def run() -> list[dict[str, Any]]:
    """Seed (or reuse), serve, and load the pages; one row per page (see the module's text)."""
    url, problem = usable_database()
    if problem:
        return [{"name": "web pages under load", "status": f"skipped: {problem}"}]
    with tempfile.TemporaryDirectory(prefix="pp-bench-") as folder:
        env = bench_env(url, folder)
        started = time.perf_counter()
        try:
            info = _run_prepare(env)
        except (subprocess.SubprocessError, OSError, ValueError) as error:
            return [{"name": "web pages under load", "status": f"failed to prepare: {error}"}]
        prepared = time.perf_counter() - started
        seeded = info["seed_seconds"] or {}
        took = f"{seeded['total']:.1f} s" if "total" in seeded else "an unknown time"
        print(
            (
                f"Bench database reused, ready in {prepared:.0f} s (its seed took {took})"
                if info["reused"]
                else f"Bench database seeded in {took}"
            ),
            file=sys.stderr,
            flush=True,
        )
        rows: list[dict[str, Any]] = [
            {
                "name": "seed national-scale evaluation",
                "status": "reused (seeded earlier)" if info["reused"] else "seeded now",
                "seconds": round(seeded["total"], 1) if "total" in seeded else None,
                "interviews": info["counts"]["interviews"],
                "ratings": info["counts"]["ratings"],
            }
        ]
        log = Path(folder) / "server.log"
        port = free_port()
        server = start_server(env, port, log, WORKERS)
        try:
            wait_until_serving(server, port, log)
            rows += _measure(port, server.pid, info)
        except RuntimeError as error:
            rows.append({"name": "web pages under load", "status": f"failed: {error}"})
        finally:
            stop_server(server)
    rows.append(_import_row())
    return rows


def _measure(port: int, pid: int, info: dict[str, Any]) -> list[dict[str, Any]]:
    passwords = info["passwords"]
    began = time.perf_counter()
    with_sessions: dict[str, list[str]] = {}
    for username in ("bench-lead", "bench-rater"):
        results: list[str] = [""] * USERS

        def sign_in(k: int, name: str = username, out: list[str] = results) -> None:
            out[k] = _sign_in(port, name, passwords[name])

        threads = [threading.Thread(target=sign_in, args=(k,)) for k in range(USERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
        if not all(results):
            raise RuntimeError(f"could not sign in every session of {username}")
        with_sessions[username] = results
    print(
        f"Signed in {USERS} sessions each of bench-lead and bench-rater in "
        f"{time.perf_counter() - began:.0f} s.",
        file=sys.stderr,
        flush=True,
    )
    paths = info["paths"]
    targets = [
        ("evaluation dashboard", [paths["dashboard"]], "bench-lead"),
        ("service report", [paths["report"]], "bench-lead"),
        ("rating form", paths["rate"], "bench-rater"),
    ]
    warm = min(5.0, SECONDS / 6)
    reference_path = [info["reference"]]
    lead = with_sessions["bench-lead"]
    print(
        f"Loading each page with {USERS} users for {SECONDS:g} s in {ROUNDS} rounds, each "
        f"between two loads of the reference (after {warm:g} s warm-up)...",
        file=sys.stderr,
        flush=True,
    )
    _hammer(port, lead, reference_path, warm, pid)
    # For context, not held to the targets: the smallest page a signed-in person sees (their
    # evaluations), which reads the session, the account and their memberships, as every
    # page inside an evaluation must before doing its own work.
    context = [(CONTEXT_NAME, [paths["home"]], "bench-lead")]
    reference = _Load(server_cpu=0.0)
    rows = []
    for name, target_paths, user in targets + context:
        sessions = with_sessions[user]
        _hammer(port, sessions, target_paths, warm, pid)
        load, paired, ratios = _Load(server_cpu=0.0), _Load(server_cpu=0.0), []
        for _ in range(ROUNDS):
            # Each round loads the reference just before and just after the page, so a
            # machine that speeds up or slows down during the run moves both alike.
            around = _hammer(port, lead, reference_path, SECONDS / ROUNDS / 4, pid)
            page = _hammer(port, sessions, target_paths, SECONDS / ROUNDS, pid)
            around.add(_hammer(port, lead, reference_path, SECONDS / ROUNDS / 4, pid))
            ratios.append(_per_second(page) / _per_second(around) if around.latencies else 0.0)
            load.add(page)
            paired.add(around)
        reference.add(paired)
        row = _row(name, _pattern(target_paths[0]), user, load)
        row["reference_req_per_s"] = _per_second(paired)
        row["ratio_to_reference"] = (
            row["req_per_s"] / row["reference_req_per_s"] if row["reference_req_per_s"] else 0.0
        )
        row["ratio_per_round"] = " / ".join(f"{ratio:.2f}" for ratio in ratios)
        row["meets_target"] = (
            "context only"
            if name == CONTEXT_NAME
            else bool(
                row["p95_ms"] < P95_TARGET_MS
                and row["errors"] == 0
                and row["ratio_to_reference"] >= RATIO_TARGET
            )
        )
        rows.append(row)
    reference_row = _row(info["reference_name"], info["reference"], "bench-lead", reference)
    reference_row["meets_target"] = reference_row["errors"] == 0
    return [reference_row, *rows]


def _per_second(load: _Load) -> float:
    return len(load.latencies) / load.elapsed if load.elapsed else 0.0


def _pattern(path: str) -> str:
    return (
        path if "interviews" not in path else re.sub(r"interviews/\d+/", "interviews/<id>/", path)
    )


def _import_row() -> dict[str, Any]:
    """Importing 1,000,000 ratings (< 60 s, < 500 MB) is the import benchmark's to measure."""
    name = "import 1,000,000 ratings (target < 60 s, < 500 MB)"
    if (ROOT / "benchmarks" / "bench_import.py").exists():
        return {"name": name, "status": "measured by the import suite (benchmarks.bench_import)"}
    return {"name": name, "status": "not measured: the application has no ratings import yet"}


def main(argv: list[str]) -> int:
    """``prepare`` (internal: run by :func:`run` in a child process) or the whole benchmark."""
    if argv[:1] == ["prepare"]:
        print(json.dumps(prepare_database(), default=str))
        return 0
    from benchmarks.__main__ import _print_rows

    _print_rows(run())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
