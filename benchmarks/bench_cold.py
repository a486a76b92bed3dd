"""Benchmark: each page's first request after a restart, at national scale on PostgreSQL.

The load benchmark (:mod:`benchmarks.bench_web`) measures pages once every process has
served them many times. The waits people feel most are the first ones: after a deployment
or a restart, the first person to open the quality page or a service's results pays for
everything the server builds on first use (templates compiled, fonts and chart machinery
loaded, results worked out and cached). This suite measures that first request.

What it does, all on this machine (every request goes to 127.0.0.1):

1. prepares the bench database exactly as the load benchmark does (the national-scale
   evaluation, seeded once and reused; ``PP_BENCH_DATABASE_URL``, loopback only) and finds,
   in that evaluation, one of each object the pages need: the first service (by code), its
   first peer worker, its first final interview, and an open rating sheet of ``bench-rater``;
2. for each page below, starts the production server afresh (``peerprinciples serve``, new
   processes with nothing cached in them; ``PP_BENCH_COLD_WORKERS`` workers, 1 by default)
   and waits until its workers are up without sending it any request;
3. over one kept-alive connection, as a browser would: times the first ``/health/`` (the
   reference: one indexed query), then the first sign-in page, then signs in as the account
   that may see the page, then times the page's **first** request and, for context, its
   second;
4. stops the server and goes on to the next page.

One worker is the default because every worker is a fork of the same prepared parent, so
one shows what any fresh worker does, and with one the page is certain to be served by the
process that just served the sign-in, as a browser's kept-alive connection would be (with
several, a dropped connection could land on a worker that has served nothing yet).

Each page's first request is held to the target of under a second. Beside its time are
the processor seconds the server's processes spent on it (``first_server_cpu_s``, read from
``/proc``; PostgreSQL's work is not in it), which other work on a shared machine disturbs
far less than the wall-clock time, and its ratio to the cold ``/health/`` of the same
restart; the machine's one-minute load average at each measure is reported too, so that
figures from a busy and a quiet machine can be told apart. ``PP_BENCH_COLD_RESTARTS`` (1 by
default) repeats every measure and reports the median and the slowest. The suite stops
starting servers once ``PP_BENCH_COLD_BUDGET`` seconds (600 by default) have passed, and
marks the pages it did not reach.

Run with ``python -m benchmarks cold`` (or ``python -m benchmarks.bench_cold``). Without a
reachable PostgreSQL server it reports that it skipped.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.bench_web import prepare_database, usable_database
from benchmarks.common import (
    bench_env,
    free_port,
    run_child,
    sign_in,
    start_server,
    stop_server,
    tail,
)

TARGET_SECONDS = 1.0
WORKERS = max(1, int(os.environ.get("PP_BENCH_COLD_WORKERS", "1")))
RESTARTS = max(1, int(os.environ.get("PP_BENCH_COLD_RESTARTS", "1")))
BUDGET_SECONDS = float(os.environ.get("PP_BENCH_COLD_BUDGET", "600"))
LISTEN_TIMEOUT = 120
# A first request may be slow (that is what is measured), but it must not hang the suite.
FIRST_REQUEST_TIMEOUT = 90
# Once the workers exist, they need a moment to finish starting; without it the first
# request would also time a worker's boot, which is the server's start, not the page's.
SETTLE_SECONDS = 1.0
LEAD, RATER = "bench-lead", "bench-rater"


@dataclass(frozen=True)
class Page:
    """A page to open cold: its name, its path and the account that may see it."""

    name: str
    path: str
    user: str


# The pages a person opens, in the order of the application's URL modules; ``None`` as
# arguments means the page needs no evaluation. ``service``, ``peer_worker``, ``interview``
# and ``open_interview`` are the objects found by :func:`prepare`.
PAGES: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    ("home (the person's evaluations)", "home", (), LEAD),
    ("evaluation dashboard", "evaluations:detail", ("evaluation",), LEAD),
    ("interview list", "interviews:list", ("evaluation",), LEAD),
    ("an interview", "interviews:detail", ("evaluation", "interview"), LEAD),
    ("rating form", "interviews:rate", ("evaluation", "open_interview"), RATER),
    ("results overview", "results:overview", ("evaluation",), LEAD),
    ("a service's results", "results:service", ("evaluation", "service"), LEAD),
    ("a peer worker's results", "results:peer_worker", ("evaluation", "peer_worker"), LEAD),
    ("quality (psychometrics)", "results:psychometrics", ("evaluation",), LEAD),
    ("printable service report", "results:report", ("evaluation", "service"), LEAD),
    ("audit log", "audit:log", ("evaluation",), LEAD),
    ("export", "transfers:export", ("evaluation",), LEAD),
    ("import", "transfers:import", ("evaluation",), LEAD),
)


# --- the prepare step (runs in a child process with DATABASE_URL set) ------------------------


def prepare() -> dict[str, Any]:
    """The load benchmark's preparation, plus the path of every page this suite opens."""
    info = prepare_database()
    from django.urls import NoReverseMatch, reverse

    from peerprinciples.web.evaluations.models import PeerWorker
    from peerprinciples.web.interviews.models import Interview

    evaluation, service = info["evaluation"], info["service"]
    interviews = Interview.objects.filter(evaluation_id=evaluation, service_id=service)
    objects = {
        "evaluation": evaluation,
        "service": service,
        "peer_worker": PeerWorker.objects.filter(evaluation_id=evaluation, service_id=service)
        .order_by("code")
        .values_list("pk", flat=True)
        .first(),
        # A final interview shows the most (every sheet, the consensus); any will do.
        "interview": interviews.filter(status=Interview.Status.FINAL)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
        or interviews.order_by("pk").values_list("pk", flat=True).first(),
        "open_interview": (info["open_interviews"] or [None])[0],
    }
    pages: list[dict[str, Any]] = []
    for name, url_name, needs, user in PAGES:
        missing = [need for need in needs if objects[need] is None]
        if missing:
            problem = f"the national evaluation has no {', '.join(missing)} for this page"
            pages.append({"name": name, "user": user, "problem": problem})
            continue
        try:
            path = reverse(url_name, args=[objects[need] for need in needs])
        except NoReverseMatch as error:
            pages.append({"name": name, "user": user, "problem": f"no URL {url_name}: {error}"})
            continue
        pages.append({"name": name, "user": user, "path": path})
    return {
        "reference": info["reference"],
        "passwords": info["passwords"],
        "reused": info["reused"],
        "counts": info["counts"],
        "seed_seconds": info["seed_seconds"],
        "pages": pages,
    }


# --- one restart -----------------------------------------------------------------------------


@dataclass
class _Restart:
    """What one fresh server gave: seconds to start, and each first request's seconds."""

    start: float = 0.0
    health: float = 0.0
    sign_in_page: float = 0.0
    signing_in: float = 0.0
    first: float = 0.0
    first_cpu: float = 0.0
    second: float = 0.0
    size: int = 0
    load: float = 0.0


@dataclass
class _Measures:
    """Every restart of one page."""

    restarts: list[_Restart] = field(default_factory=list)

    def values(self, name: str) -> list[float]:
        return [float(getattr(r, name)) for r in self.restarts]


def _group(leader: int) -> tuple[int, float] | None:
    """How many processes besides ``leader`` are in its process group, and the processor
    seconds the whole group has used (Linux ``/proc``; ``None`` when it cannot be read).

    The server is started in a session of its own, so its workers (and anything else it
    starts) share its group. PostgreSQL's own processes are not in it.
    """
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    count, cpu = 0, 0.0
    try:
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2 :].split()
            if int(fields[2]) != leader:  # not in the server's process group
                continue
            cpu += (int(fields[11]) + int(fields[12])) / ticks
            count += int(entry.name) != leader
    except OSError:
        return None
    return count, cpu


def _cpu(leader: int) -> float:
    found = _group(leader)
    return found[1] if found is not None else float("nan")


def _wait_until_ready(server: subprocess.Popen[bytes], port: int) -> None:
    """Wait until the server accepts connections and has forked its workers, sending it no
    request (any request would warm what this suite measures)."""
    deadline = time.monotonic() + LISTEN_TIMEOUT
    listening = False
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server stopped at start-up (exit {server.returncode})")
        if not listening:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                listening = True
            except OSError:
                pass
        if listening:
            found = _group(server.pid)
            if found is None or found[0] >= WORKERS:
                time.sleep(SETTLE_SECONDS)
                return
        time.sleep(0.2)
    what = "forked its workers" if listening else "listened on its port"
    raise RuntimeError(f"the server had not {what} within {LISTEN_TIMEOUT} s")


def _timed_get(
    conn: http.client.HTTPConnection, path: str, cookie: str | None, what: str
) -> tuple[float, int]:
    """Seconds to GET ``path`` and read the whole answer, and the answer's size; anything but
    200 is an error naming the page."""
    headers = {"Connection": "keep-alive"}
    if cookie:
        headers["Cookie"] = cookie
    began = time.perf_counter()
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        body = response.read()
    except (OSError, http.client.HTTPException) as error:
        raise RuntimeError(f"{what} ({path}): no answer: {error}") from error
    seconds = time.perf_counter() - began
    if response.status != 200:
        where = response.getheader("Location")
        to = f" to {where}" if where else ""
        raise RuntimeError(f"{what} ({path}) answered HTTP {response.status}{to}, not 200")
    return seconds, len(body)


def _restart_and_open(
    env: dict[str, str], log: Path, page: dict[str, Any], info: dict[str, Any]
) -> _Restart:
    """Start a fresh server, open ``page`` cold as its account, and stop the server."""
    measured = _Restart()
    port = free_port()
    began = time.perf_counter()
    server = start_server(env, port, log, WORKERS)
    try:
        _wait_until_ready(server, port)
        measured.start = time.perf_counter() - began
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=FIRST_REQUEST_TIMEOUT)
        try:
            measured.health, _ = _timed_get(conn, info["reference"], None, "the reference")
            measured.sign_in_page, _ = _timed_get(conn, "/sign-in/", None, "the sign-in page")
            user = page["user"]
            started = time.perf_counter()
            cookie = sign_in(conn, user, info["passwords"][user])
            measured.signing_in = time.perf_counter() - started
            measured.load = os.getloadavg()[0]
            before = _cpu(server.pid)
            what = f"{page['name']}, as {user},"
            measured.first, measured.size = _timed_get(conn, page["path"], cookie, what)
            measured.first_cpu = _cpu(server.pid) - before
            measured.second, _ = _timed_get(conn, page["path"], cookie, what)
        finally:
            conn.close()
    finally:
        stop_server(server)
    return measured


# --- the benchmark ---------------------------------------------------------------------------


def run() -> list[dict[str, Any]]:
    """Prepare (or reuse) the national evaluation and open every page cold; one row per page,
    the reference and the sign-in first, a verdict last (see the module's text)."""
    url, problem = usable_database()
    if problem:
        return [{"name": "pages after a restart", "status": f"skipped: {problem}"}]
    with tempfile.TemporaryDirectory(prefix="pp-bench-cold-") as folder:
        env = bench_env(url, folder)
        try:
            info = dict(run_child("benchmarks.bench_cold", ["prepare"], env))
        except (subprocess.SubprocessError, OSError, ValueError) as error:
            return [{"name": "pages after a restart", "status": f"failed to prepare: {error}"}]
        counts = info["counts"]
        print(
            f"National evaluation {'reused' if info['reused'] else 'seeded'}: "
            f"{counts['interviews']:,} interviews, {counts['ratings']:,} ratings. Opening "
            f"{len(info['pages'])} pages, each after a fresh start of {WORKERS} worker(s), "
            f"{RESTARTS} time(s)...",
            file=sys.stderr,
            flush=True,
        )
        return _open_all(env, Path(folder), info)


def _open_all(env: dict[str, str], folder: Path, info: dict[str, Any]) -> list[dict[str, Any]]:
    began = time.perf_counter()
    everything = _Measures()
    rows: list[dict[str, Any]] = []
    for index, page in enumerate(info["pages"]):
        base = {"name": page["name"], "path": page.get("path"), "user": page["user"]}
        if "problem" in page:
            rows.append({**base, "status": f"not measured: {page['problem']}"})
            continue
        measures, failure = _Measures(), None
        for attempt in range(RESTARTS):
            if time.perf_counter() - began > BUDGET_SECONDS:
                break
            log = folder / f"server-{index}-{attempt}.log"
            try:
                measures.restarts.append(_restart_and_open(env, log, page, info))
            except (RuntimeError, OSError, subprocess.SubprocessError) as error:
                failure = str(error)
                print(
                    f"{page['name']}: {error}\n--- the end of the server's log ---\n{tail(log)}",
                    file=sys.stderr,
                    flush=True,
                )
                break
        if failure is not None:
            rows.append({**base, "status": f"failed: {failure}"})
        elif not measures.restarts:
            rows.append({**base, "status": _over_budget()})
        else:
            rows.append(_page_row(base, measures))
            everything.restarts += measures.restarts
            print(f"  {page['name']}: {rows[-1]['first_s']:.2f} s", file=sys.stderr, flush=True)
    context = _context_rows(info, everything)
    return [*context, *rows, _verdict(context + rows)]


def _over_budget() -> str:
    return f"not measured: over the time budget of {BUDGET_SECONDS:g} s (PP_BENCH_COLD_BUDGET)"


def _page_row(base: dict[str, Any], measures: _Measures) -> dict[str, Any]:
    first = measures.values("first")
    health = measures.values("health")
    ratios = [f / h for f, h in zip(first, health, strict=True) if h > 0]
    median = statistics.median(first)
    return {
        **base,
        "first_s": median,
        "slowest_first_s": max(first),
        "first_server_cpu_s": statistics.median(measures.values("first_cpu")),
        "second_ms": statistics.median(measures.values("second")) * 1000,
        "kb": measures.restarts[-1].size / 1024,
        "cold_health_ms": statistics.median(health) * 1000,
        "ratio_to_cold_health": statistics.median(ratios) if ratios else None,
        "server_start_s": statistics.median(measures.values("start")),
        "load_1m": statistics.median(measures.values("load")),
        "restarts": len(first),
        "meets_target": max(first) < TARGET_SECONDS,
    }


def _context_rows(info: dict[str, Any], everything: _Measures) -> list[dict[str, Any]]:
    """The reference and the sign-in, measured after every restart (medians and slowest)."""
    if not everything.restarts:
        return []
    rows = []
    for name, path, key, held in (
        ("reference: first /health/ after a restart", info["reference"], "health", False),
        ("sign-in page (first request after /health/)", "/sign-in/", "sign_in_page", True),
        ("signing in (the page again, then the form sent)", "/sign-in/", "signing_in", False),
    ):
        values = everything.values(key)
        rows.append(
            {
                "name": name,
                "path": path,
                "user": "",
                "first_s": statistics.median(values),
                "slowest_first_s": max(values),
                "restarts": len(values),
                "meets_target": max(values) < TARGET_SECONDS if held else "context only",
            }
        )
    return rows


def _verdict(rows: list[dict[str, Any]]) -> dict[str, Any]:
    measured = [row for row in rows if isinstance(row.get("meets_target"), bool)]
    missing = [row["name"] for row in rows if "first_s" not in row]
    slow = [row for row in measured if not row["meets_target"]]
    slow_text = ", ".join(f"{row['name']} ({row['slowest_first_s']:.2f} s)" for row in slow)
    parts = [
        f"{len(measured) - len(slow)} of {len(measured)} pages opened cold in under "
        f"{TARGET_SECONDS:g} s"
    ]
    if slow:
        parts.append(f"over the target: {slow_text}")
    if missing:
        parts.append(f"not measured: {', '.join(missing)}")
    return {
        "name": "verdict: first request after a restart under 1 s",
        "status": "; ".join(parts),
        "meets_target": bool(measured) and not slow and not missing,
    }


def main(argv: list[str]) -> int:
    """``prepare`` (internal: run by :func:`run` in a child process) or the whole benchmark."""
    if argv[:1] == ["prepare"]:
        print(json.dumps(prepare(), default=str))
        return 0
    from benchmarks.__main__ import _print_rows

    _print_rows(run())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
