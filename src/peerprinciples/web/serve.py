"""Preparing the database and serving the web application with gunicorn.

``peerprinciples serve`` migrates the database, stores the built-in frameworks and
instruments, collects static files and serves the app with a production WSGI server
(gunicorn), not Django's development server. With ``--demo`` it also creates a clearly
marked demo evaluation with synthetic data and a demo account with a fresh random password.

Beside gunicorn it starts the task worker (``peerprinciples worker``, a process of its own)
that works out results when the data change, and stops it when the server stops.
"""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any


def setup_django() -> None:
    """Configure Django for the command line (the core never calls this)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerprinciples.web.settings")
    import django

    django.setup()


def prepare(*, verbosity: int = 1) -> None:
    """Migrate, store the built-in library and collect static files."""
    from django.core.management import call_command

    from peerprinciples.core.library import Library
    from peerprinciples.web.library.services import load_library

    call_command("migrate", interactive=False, verbosity=0)
    stored = load_library(Library.from_environment())
    call_command("collectstatic", interactive=False, verbosity=0)
    if verbosity:
        print(f"Database ready; instruments available: {', '.join(s.ref for s in stored)}")


def before_fork() -> None:
    """What the server process does before gunicorn forks its workers.

    * It imports every view (and what they import: pandas, the core) by loading the URL
      patterns, so the workers share those modules instead of each importing them on its
      first request (about a second each).
    * It closes its database connections: a connection must never be shared by processes,
      and each worker opens its own.
    """
    from django.db import connections
    from django.urls import get_resolver

    len(get_resolver().url_patterns)  # loading the patterns imports every view module
    connections.close_all()


def run_worker(*, interval: float = 1.0, batch: bool = False, verbosity: int = 1) -> None:
    """Run the task worker in this process until stopped (or, with ``batch``, until the
    tasks waiting now are done)."""
    from django.core.management import call_command

    call_command(
        "db_worker",
        interval=interval,
        batch=batch,
        reload=False,
        startup_delay=not batch,
        verbosity=verbosity,
    )


def start_worker() -> subprocess.Popen[bytes]:
    """Start ``peerprinciples worker`` as a process beside the web server.

    A process of its own rather than a thread: a long refresh then never holds the web
    server's interpreter, and gunicorn's forking never copies a running worker.
    """
    return subprocess.Popen(
        [sys.executable, "-m", "peerprinciples.cli.main", "worker"], env=os.environ.copy()
    )


def stop_worker(process: subprocess.Popen[bytes]) -> None:
    """Stop the worker started by :func:`start_worker` (a task in hand runs again later)."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class _Gunicorn:
    """Runs gunicorn in-process with our settings (built lazily: gunicorn is POSIX-only)."""

    def __init__(self, options: dict[str, Any]) -> None:
        from gunicorn.app.base import BaseApplication

        from peerprinciples.web.wsgi import application

        class Application(BaseApplication):  # type: ignore[misc]
            def load_config(self) -> None:
                for key, value in options.items():
                    self.cfg.set(key, value)

            def load(self) -> Any:
                return application

        self.app = Application()

    def run(self) -> None:
        self.app.run()


def _print_coproduction_story(project: Any) -> None:
    """Where the demo projects have got to: what was published, and the round still open."""
    from peerprinciples.web.coproduction.demo.publishing import ADAPTATION_PROJECT
    from peerprinciples.web.coproduction.models import DraftingRound, Project

    published = project.publications.select_related("framework").first()
    if published is not None:
        print(
            f"  it was carried through to a published framework, {published.framework.ref} "
            "(synthetic): a new evaluation can pin it through its starter index"
        )
    adaptation = Project.objects.filter(synthetic=True, name=ADAPTATION_PROJECT).first()
    if adaptation is not None:
        print(f"\nDemo local adaptation: {adaptation.name}")
        still_open = adaptation.rounds.filter(status=DraftingRound.Status.OPEN).first()
        if still_open is not None:
            print(
                f"  round {still_open.number} of its drafting rounds is open: sign in as "
                "'demo-panel-member' to vote, or as 'demo-facilitator' to close it"
            )


def _print_practice_story(evaluation: Any) -> None:
    """Make the demo programmes (once) and say where their matrix is, and as whom."""
    from peerprinciples.web.practice.demo import ensure_practice_demo, practice_story

    programme, other = ensure_practice_demo(evaluation)
    print()
    for line in practice_story(programme, other):
        print(line)


def _print_api_story(evaluation: Any, host: str, port: int) -> None:
    """Make a fresh demo token and show how to call the API with it."""
    from peerprinciples.web.tokens.demo import fresh_demo_token

    made = fresh_demo_token(evaluation)
    base = f"http://{host}:{port}/api/v1"
    print("\nThe API: its documentation is at " + base + "/docs")
    print(f"  a token for demo-lead in the demo evaluation, for {made.token.expires_at:%d %B}:")
    print(f"  {made.secret}")
    print(f'  try: curl -H "Authorization: Bearer {made.secret}" {base}/evaluations/')
    print("  (signed in, Access tokens in the header makes your own)")


def _print_trust_story() -> None:
    """Where to see what keeps the data safe: two-factor sign-in, erasure, the audit chain
    and backups."""
    for line in (
        "\nKeeping the data safe:",
        "  two-factor sign-in: any account can switch it on under 'Two-factor sign-in' at the "
        "top of every page (the demo accounts have it off again at the next start);",
        "  erasure on request: demo-lead finds 'Erase on request' on an interview's page and "
        "on a peer worker's row of the overview;",
        "  the audit trail is chained: check it with 'peerprinciples audit verify';",
        "  backups: 'peerprinciples backup FILE' and 'peerprinciples restore FILE'.",
    ):
        print(line)


def serve(*, host: str, port: int, workers: int, demo: bool) -> None:
    """Prepare everything and serve until interrupted."""
    setup_django()
    prepare()
    if demo:
        from peerprinciples.web.demo import ensure_demo

        evaluation, accounts = ensure_demo()
        print(f"\nDemo evaluation: {evaluation.name}")
        for username, password in accounts.items():
            print(f"  sign in as {username!r} with password {password!r}")
        from peerprinciples.web.coproduction.demo import ACCOUNTS, ensure_coproduction_demo

        project, more = ensure_coproduction_demo()
        print(f"\nDemo co-production project: {project.name}")
        for username, code in ACCOUNTS.items():
            role = project.members.get(code=code).get_role_display().lower()
            password = more.get(username, accounts.get(username, "(as above)"))
            print(f"  sign in as {username!r} with password {password!r}: {role} {code}")
        _print_coproduction_story(project)
        _print_practice_story(evaluation)
        _print_api_story(evaluation, host, port)
        _print_trust_story()
    before_fork()
    worker = start_worker()
    print(f"\nServing peerprinciples at http://{host}:{port}/  (Ctrl+C to stop)\n", flush=True)
    try:
        _Gunicorn(
            {
                "bind": f"{host}:{port}",
                "workers": workers,
                "threads": 4,
                "worker_class": "gthread",
                "accesslog": "-",
                "timeout": 60,
            }
        ).run()
    finally:
        stop_worker(worker)


if __name__ == "__main__":
    serve(host="127.0.0.1", port=8000, workers=2, demo="--demo" in sys.argv)
