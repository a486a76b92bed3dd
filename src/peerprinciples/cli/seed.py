"""``peerprinciples seed-national``: a national-scale synthetic evaluation for load tests."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from peerprinciples.core.library import Library


def seed_national(args: argparse.Namespace, library: Library) -> int:
    """Fill the database with a national-scale evaluation of synthetic data, for load tests.

    One evaluation named "NATIONAL SCALE TEST (synthetic)": by default 200 services, 2,000
    peer workers, 4 rounds and 25,000 interviews rated on a 40-item index (about 1.1 million
    ratings), written in one transaction (PostgreSQL COPY where available) and scored by the
    core. The load-test accounts bench-lead, bench-rater and bench-viewer get new random
    passwords, printed once. Seeding twice is refused unless --replace is given.
    """
    from peerprinciples.web.serve import prepare, setup_django

    setup_django()
    prepare(verbosity=0)

    from django.db import connection

    from peerprinciples.web.seeding import NationalPlan, SeedingError
    from peerprinciples.web.seeding import seed_national as seed

    try:
        plan = NationalPlan(
            services=args.services,
            peer_workers=args.peer_workers,
            rounds=args.rounds,
            interviews=args.interviews,
            double_rated=args.double_rated,
            seed=args.seed,
        )
        if connection.vendor != "postgresql" and plan.interviews > 5_000:
            print(
                "note: this database is not PostgreSQL, so rows are written with bulk_create "
                "and a national-scale seed takes many minutes; set DATABASE_URL to PostgreSQL.",
                file=sys.stderr,
            )
        result = seed(plan, library=library, replace=args.replace, progress=not args.quiet)
    except SeedingError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    counts = result.counts
    print(
        f"Seeded {result.evaluation.name!r} (evaluation {result.evaluation.pk}) in "
        f"{result.seconds['total']:.1f} s: {counts['services']:,} services, "
        f"{counts['peer_workers']:,} peer workers, {counts['rounds']} rounds, "
        f"{counts['interviews']:,} interviews, {counts['ratings']:,} ratings, "
        f"{counts['consensus_ratings']:,} agreed ratings, {counts['scores']:,} cached scores."
    )
    print("  " + ", ".join(f"{step} {seconds:.1f} s" for step, seconds in result.seconds.items()))
    print("Load-test accounts (shown once; synthetic data only):")
    for username, password in result.passwords.items():
        print(f"  {username}: password {password}")
    return 0


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``seed-national`` to the command's subparsers; returns its parser."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "seed-national",
        help="create a national-scale synthetic evaluation for load tests",
        description=(seed_national.__doc__ or "").strip(),
    )
    parser.set_defaults(handler=seed_national)
    parser.add_argument("--services", type=int, default=200, help="services (default: 200)")
    parser.add_argument(
        "--peer-workers", type=int, default=2_000, help="peer workers (default: 2000)"
    )
    parser.add_argument("--rounds", type=int, default=4, help="rounds (default: 4)")
    parser.add_argument(
        "--interviews", type=int, default=25_000, help="interviews (default: 25000)"
    )
    parser.add_argument(
        "--double-rated",
        type=float,
        default=0.1,
        help="share of interviews rated by two raters (default: 0.1)",
    )
    parser.add_argument("--seed", type=int, default=2017, help="random seed (default: 2017)")
    parser.add_argument(
        "--replace",
        action="store_true",
        help="delete an earlier national-scale evaluation first",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bars")
    return parser
