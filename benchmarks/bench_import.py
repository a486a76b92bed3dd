"""Benchmark: importing a million ratings through the web application's import, on PostgreSQL.

What it does, all on this machine:

1. creates a fresh database ``pp_bench_import`` on the PostgreSQL server at 127.0.0.1:5432
   (or the one named by ``PP_BENCH_IMPORT_DATABASE_URL``, which must be on the loopback
   address) and migrates it;
2. in a child process, sets up an evaluation on the 40-item national-scale index
   (:func:`peerprinciples.web.seeding.national_instrument`) with 200 services, 4 rounds,
   2,000 peer workers and 40 raters (each rating for the services given to them), and writes
   a ratings file in the long layout: 19,000 interviews rated by one rater and 2,000 rated by
   two raters with their agreed ratings, 1,000,000 ratings in all (about 80 MB of CSV);
3. in a second, fresh child process, runs the import as the web pages do: ``check`` is the
   upload's full check (the core's checks and those against the evaluation, as the preview
   shows them), ``save`` checks the file again and writes everything in one transaction
   (COPY, foreign keys, cached scores of 21,000 final interviews, the audit event). That
   process's peak resident memory (``ru_maxrss``) is reported, Python, Django and pandas
   included.

Targets: the whole import of 1,000,000 ratings (check + save) in under 60 seconds, with a
peak resident memory under 500 MB. Run with ``python -m benchmarks import`` (or
``python -m benchmarks.bench_import``). Without a reachable PostgreSQL server it reports a
row saying it skipped.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import numpy as np

from benchmarks.common import ROOT, run_child

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/pp_bench_import"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
SERVICES, ROUNDS, PEER_WORKERS, RATERS = 200, 4, 2_000, 40
SINGLE, DOUBLE = 19_000, 2_000  # 19,000 × 40 + 2,000 × 3 × 40 = 1,000,000 ratings
SECONDS_TARGET = 60.0
MEMORY_TARGET_MB = 500.0
LEAD = "bench-import-lead"


def _database_url() -> str:
    url = os.environ.get("PP_BENCH_IMPORT_DATABASE_URL", DEFAULT_URL)
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql") or parts.hostname not in LOOPBACK:
        raise SystemExit(
            "PP_BENCH_IMPORT_DATABASE_URL must name PostgreSQL on the loopback address, "
            f"not {url!r}"
        )
    return url


def _fresh_database(url: str) -> str | None:
    """Drop and create the bench database; a reason when PostgreSQL cannot be used."""
    try:
        import psycopg
        from psycopg import sql
    except ImportError:
        return "psycopg is not installed"
    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "pp_bench_import"
    maintenance = parts._replace(path="/postgres").geturl()
    try:
        with psycopg.connect(maintenance, connect_timeout=3, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.Error as error:
        return f"PostgreSQL is not reachable at {parts.hostname}:{parts.port or 5432} ({error})"
    return None


# --- child 1: the evaluation and the file -------------------------------------------------------


def prepare(folder: Path) -> dict[str, Any]:
    """Migrate; create the evaluation, its people and the ratings file."""
    from peerprinciples.web.serve import prepare as prepare_database
    from peerprinciples.web.serve import setup_django

    setup_django()
    prepare_database(verbosity=0)
    from django.contrib.auth import get_user_model

    from peerprinciples.core.library import Library
    from peerprinciples.web.evaluations.models import (
        Evaluation,
        Membership,
        PeerWorker,
        Round,
        Service,
    )
    from peerprinciples.web.evaluations.services import create_evaluation
    from peerprinciples.web.library.services import store_instrument
    from peerprinciples.web.seeding import national_instrument

    library = Library()
    instrument = national_instrument(library)
    stored = store_instrument(instrument, library.framework(instrument.framework))
    users = get_user_model()
    lead = users.objects.create(username=LEAD)
    evaluation = create_evaluation(
        lead, name="Import benchmark (synthetic)", kind=Evaluation.Kind.RESEARCH, instrument=stored
    )
    services = Service.objects.bulk_create(
        [Service(evaluation=evaluation, code=f"S{s + 1:03d}") for s in range(SERVICES)]
    )
    Round.objects.bulk_create([Round(evaluation=evaluation, number=r + 1) for r in range(ROUNDS)])
    services = list(Service.objects.filter(evaluation=evaluation).order_by("code"))
    worker_service = np.arange(PEER_WORKERS) * SERVICES // PEER_WORKERS
    PeerWorker.objects.bulk_create(
        [
            PeerWorker(evaluation=evaluation, service=services[s], code=f"PW-{w + 1:05d}")
            for w, s in enumerate(worker_service.tolist())
        ]
    )
    raters = users.objects.bulk_create(
        [users(username=f"bench-import-rater-{k + 1:02d}") for k in range(RATERS)]
    )
    raters = list(
        users.objects.filter(username__startswith="bench-import-rater-").order_by("username")
    )
    for k, person in enumerate(raters):
        member = Membership.objects.create(
            evaluation=evaluation, user=person, role=Membership.Role.RATER
        )
        member.services.set(
            [s for i, s in enumerate(services) if i % RATERS in (k, (k - 1) % RATERS)]
        )
    path = folder / "ratings-1m.csv"
    n = _write_file(path, instrument, [r.username for r in raters])
    return {"evaluation": evaluation.pk, "lead": LEAD, "path": str(path), "ratings": n}


def _write_file(path: Path, instrument: Any, rater_names: list[str]) -> int:
    """The ratings file, in the long layout, written in chunks of interviews."""
    rng = np.random.default_rng(2017)
    items = np.asarray([item.key for item in instrument.items], dtype=object)
    informants = [i.key for i in instrument.informants]
    names = np.asarray([*rater_names, "consensus"], dtype=object)
    n_items = len(items)
    interviews = SINGLE + DOUBLE
    worker = np.arange(interviews) % PEER_WORKERS
    service = worker * SERVICES // PEER_WORKERS
    first = service % RATERS
    second = (service + 1) % RATERS
    written = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("interview,informant,service,peer_worker,round,date,rater,item,rating\n")
        for begin in range(0, interviews, 1_000):
            lines = []
            for i in range(begin, min(begin + 1_000, interviews)):
                raters = [first[i]] + ([second[i], RATERS] if i >= SINGLE else [])
                points = np.clip(np.rint(3 + rng.normal(0, 1, n_items)), 1, 5).astype(int)
                head = (
                    f"N-{i + 1:06d},{informants[i % len(informants)]},S{service[i] + 1:03d},"
                    f"PW-{worker[i] + 1:05d},{i % ROUNDS + 1},2024-{i % 12 + 1:02d}-15,"
                )
                for rater in raters:
                    for item, point in zip(items, points.tolist(), strict=True):
                        lines.append(f"{head}{names[rater]},{item},{point}\n")
            handle.writelines(lines)
            written += len(lines)
    return written


# --- child 2: the import, measured --------------------------------------------------------------


def measure(evaluation_id: int, lead: str, path: str) -> dict[str, Any]:
    """Check and save the file as the web pages do; times and peak memory of this process."""
    import resource

    from peerprinciples.web.serve import setup_django

    setup_django()
    from django.contrib.auth import get_user_model

    from peerprinciples.web.evaluations.models import Evaluation
    from peerprinciples.web.interviews.models import InterviewScore, Rating
    from peerprinciples.web.transfers import services
    from peerprinciples.web.transfers.models import ImportBatch

    user = get_user_model().objects.get(username=lead)
    evaluation = Evaluation.objects.select_related("instrument", "framework").get(pk=evaluation_id)
    evaluation.instrument.model()
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    with open(path, "rb") as handle:

        class Upload:
            def chunks(self) -> Any:
                while block := handle.read(1 << 20):
                    yield block

        batch = services.upload(user, evaluation, Upload(), name=Path(path).name)
    checked = time.perf_counter()
    if batch.status != ImportBatch.Status.READY:
        raise SystemExit(f"the benchmark file has problems: {batch.summary['problems'][:3]}")
    services.save(user, batch)
    saved = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "check": checked - started,
        "save": saved - checked,
        "peak_mb": peak,
        "baseline_mb": baseline,
        "ratings_stored": Rating.objects.filter(sheet__interview__evaluation=evaluation).count(),
        "scores": InterviewScore.objects.filter(evaluation=evaluation).count(),
    }


def _child(command: list[str], env: dict[str, str]) -> dict[str, Any]:
    return dict(run_child("benchmarks.bench_import", command, env))


def run() -> list[dict[str, Any]]:
    """Import 1,000,000 ratings on PostgreSQL; one row per step, with the targets."""
    url = _database_url()
    reason = _fresh_database(url)
    if reason:
        return [{"step": "import 1,000,000 ratings", "skipped": reason}]
    with tempfile.TemporaryDirectory(prefix="pp-bench-import-") as folder:
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "PEERPRINCIPLES_DATA_DIR": folder,
            "PYTHONPATH": os.pathsep.join(
                p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p
            ),
        }
        made = _child(["prepare", folder], env)
        result = _child(["measure", str(made["evaluation"]), made["lead"], made["path"]], env)
        size_mb = Path(made["path"]).stat().st_size / 1e6
    n = int(made["ratings"])
    total = result["check"] + result["save"]
    return [
        {"step": "check (upload and preview)", "ratings": n, "seconds": result["check"]},
        {"step": "save (check again, COPY, scores)", "ratings": n, "seconds": result["save"]},
        {
            "step": "import in all",
            "ratings": n,
            "file_mb": size_mb,
            "seconds": total,
            "ratings_per_s": n / total,
            "target_s": SECONDS_TARGET,
            "meets_time": total < SECONDS_TARGET,
            "peak_mb": result["peak_mb"],
            "baseline_mb": result["baseline_mb"],
            "target_mb": MEMORY_TARGET_MB,
            "meets_memory": result["peak_mb"] < MEMORY_TARGET_MB,
            "stored": result["ratings_stored"],
            "scores": result["scores"],
        },
    ]


def main(argv: list[str]) -> int:
    """``prepare FOLDER`` and ``measure ID LEAD PATH`` run in children; no argument runs all."""
    if argv[:1] == ["prepare"]:
        print(json.dumps(prepare(Path(argv[1]))))
        return 0
    if argv[:1] == ["measure"]:
        print(json.dumps(measure(int(argv[1]), argv[2], argv[3])))
        return 0
    for row in run():
        print(json.dumps(row))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
