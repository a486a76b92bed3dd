"""Benchmark: where a page's processor time goes, one request at a time, on PostgreSQL.

The load benchmark (``benchmarks.bench_web``) measures whole pages under load; this suite
explains its figures. On the same seeded national-scale database (it prepares it as the load
benchmark does), in one process and with no concurrency, it sends each page a few hundred
times through Django's test client and reports, per request, the processor time of the
process (Python; PostgreSQL's own work runs in its server processes and is not counted), the
wall time and the number of database queries. The pages are the load benchmark's: the
reference (``/health/``), the home page, the evaluation dashboard, a service report and the
rating form. It also times the steps every page inside an evaluation takes (reading the
session, the account, and the request's access: membership, evaluation, pinned versions and
services in one query) and those of the rating form (the interview, the rater's sheet, the
form's items), called directly.

Ratios are to ``/health/`` measured in the same run. Run with ``python -m benchmarks costs``
(``PP_BENCH_REPEATS`` sets the repetitions, 300 by default). Without a reachable PostgreSQL
server it reports that it skipped.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.bench_web import _run_prepare, usable_database
from benchmarks.common import bench_env, run_child

REPEATS = int(os.environ.get("PP_BENCH_REPEATS", "300"))
WARM_UP = 20


def _per_call(call: Callable[[], object], repeats: int) -> tuple[float, float]:
    """Processor and wall milliseconds per call, after a warm-up."""
    for _ in range(WARM_UP):
        call()
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(repeats):
        call()
    return (
        (time.process_time() - cpu) / repeats * 1000,
        (time.perf_counter() - wall) / repeats * 1000,
    )


def measure(info: dict[str, Any]) -> list[dict[str, Any]]:
    """The per-request figures (runs in a child process with ``DATABASE_URL`` set)."""
    from peerprinciples.web.serve import before_fork, setup_django

    setup_django()
    before_fork()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.backends import ModelBackend
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection
    from django.test import Client, RequestFactory
    from django.test.utils import CaptureQueriesContext

    from peerprinciples.web.interviews.forms import answer_text, rating_form
    from peerprinciples.web.interviews.views import _own_draft
    from peerprinciples.web.permissions import Action, access_for, interview_for

    users = get_user_model().objects
    lead, rater = users.get(username="bench-lead"), users.get(username="bench-rater")
    pages = [
        ("reference: /health/", info["reference"], lead),
        ("home page", info["paths"]["home"], lead),
        ("evaluation dashboard", info["paths"]["dashboard"], lead),
        ("service report", info["paths"]["report"], lead),
        ("rating form", info["paths"]["rate"][0], rater),
    ]
    rows: list[dict[str, Any]] = []
    for name, path, user in pages:
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        response = client.get(path)
        if response.status_code != 200:
            rows.append({"name": name, "status": f"HTTP {response.status_code}"})
            continue
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        count = len(queries)  # now: each request clears the connection's query log
        cpu, wall = _per_call(lambda c=client, p=path: c.get(p), REPEATS)
        rows.append({"name": name, "queries": count, "cpu_ms": cpu, "wall_ms": wall, "path": path})
    reference = rows[0].get("cpu_ms")
    for row in rows:
        if reference and "cpu_ms" in row:
            row["ratio_to_reference"] = reference / row["cpu_ms"]

    # The steps, called directly.
    session = SessionStore()
    session["probe"] = True
    session.create()
    evaluation_id = info["evaluation"]
    factory = RequestFactory()
    backend = ModelBackend()

    def request_as(user: Any) -> Any:
        request = factory.get("/")
        request.user = backend.get_user(user.pk)
        return request

    signed_in = request_as(rater)
    access = access_for(signed_in, evaluation_id, Action.RATE)
    interview_id = info["open_interviews"][0]
    interview = interview_for(access, interview_id, Action.RATE)
    stored = access.evaluation.instrument
    framework = access.evaluation.framework.model()
    draft = _own_draft(interview, rater)
    saved = draft.answers if draft else {}
    values = {key: answer_text(answer) for key, answer in saved.items()}
    steps: list[tuple[str, Callable[[], object]]] = [
        ("step: read the session", lambda: SessionStore(session.session_key).load()),
        ("step: read the account", lambda: backend.get_user(rater.pk)),
        (
            "step: access (membership, evaluation, pinned versions, services)",
            lambda: access_for(signed_in, evaluation_id, Action.RATE),
        ),
        (
            "step: the interview with its service, peer worker and round",
            lambda: interview_for(access, interview_id, Action.RATE),
        ),
        ("step: the rater's sheet with its ratings", lambda: _own_draft(interview, rater)),
        (
            "step: the rating form's items (kept drawn)",
            lambda: rating_form(stored, framework, interview.informant, values, {}),
        ),
    ]
    for name, call in steps:
        with CaptureQueriesContext(connection) as queries:
            call()
        cpu, wall = _per_call(call, REPEATS)
        rows.append({"name": name, "queries": len(queries), "cpu_ms": cpu, "wall_ms": wall})
    session.delete()
    return rows


def run() -> list[dict[str, Any]]:
    """Prepare the seeded database, then measure in a child process (see the module text)."""
    url, problem = usable_database()
    if problem:
        return [{"name": "per-request costs", "status": f"skipped: {problem}"}]
    with tempfile.TemporaryDirectory(prefix="pp-bench-") as folder:
        env = bench_env(url, folder)
        try:
            info = _run_prepare(env)
            info_file = Path(folder) / "info.json"
            info_file.write_text(json.dumps(info), encoding="utf-8")
            rows = run_child("benchmarks.bench_costs", ["measure", str(info_file)], env)
        except (subprocess.SubprocessError, OSError, ValueError) as error:
            return [{"name": "per-request costs", "status": f"failed: {error}"}]
    return list(rows)


def main(argv: list[str]) -> int:
    """``measure INFO.json`` (internal: run by :func:`run`) or the whole suite."""
    if argv[:1] == ["measure"]:
        info = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
        print(json.dumps(measure(info), default=str))
        return 0
    from benchmarks.__main__ import _print_rows

    _print_rows(run())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
