"""The nightly pull of ``docs/examples/nightly_pull.py``, run as a data manager runs it:
a separate process calling the demo served over HTTP with a personal access token."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from peerprinciples.core.library import Library
from peerprinciples.web.demo import ensure_demo
from peerprinciples.web.interviews.models import Interview
from peerprinciples.web.library.services import load_library
from peerprinciples.web.tokens.services import make_token

SCRIPT = Path(__file__).resolve().parents[2] / "docs" / "examples" / "nightly_pull.py"


def pull(url: str, token: str, folder: Path) -> subprocess.CompletedProcess[str]:
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith("PEERPRINCIPLES")
    }
    environment.update(PEERPRINCIPLES_URL=url, PEERPRINCIPLES_TOKEN=token)
    return subprocess.run(
        [sys.executable, str(SCRIPT), str(folder)],
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture
def demo(transactional_db: None, builtin_library: Library) -> Any:
    load_library(builtin_library)
    evaluation, _ = ensure_demo()
    return evaluation


def test_the_nightly_pull_writes_the_demos_ratings_and_results(
    demo: Any, live_server: Any, tmp_path: Path
) -> None:
    lead = get_user_model().objects.get(username="demo-lead")
    secret = make_token(lead, demo, name="nightly pull", role="lead", days=1).secret
    done = pull(live_server.url, secret, tmp_path / "pulled")
    assert done.returncode == 0, done.stderr
    today = dt.date.today().isoformat()
    ratings = tmp_path / "pulled" / f"{demo.pk}-ratings-long-{today}.csv"
    found = tmp_path / "pulled" / f"{demo.pk}-results-{today}.json"
    assert sorted(done.stdout.split()) == sorted([str(ratings), str(found)])
    assert sorted(p.name for p in (tmp_path / "pulled").iterdir()) == sorted(
        [ratings.name, found.name]
    )  # no temporary file left behind

    with ratings.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    final = Interview.objects.filter(evaluation=demo, status="final", anonymised=False)
    assert {row["interview"] for row in rows} == set(final.values_list("code", flat=True))
    answer = json.loads(found.read_text())
    assert answer["scope"] == "evaluation"
    assert answer["n_interviews"] == final.count()
    assert answer["measures"][-1]["key"] == "total"


def test_the_nightly_pull_stops_with_the_servers_explanation(
    demo: Any, live_server: Any, tmp_path: Path
) -> None:
    refused = pull(live_server.url, "ppat_not-a-token", tmp_path / "pulled")
    assert refused.returncode == 1
    assert "nightly pull failed: /api/v1/evaluations/: 401 Sign-in needed" in refused.stderr
    assert "Bearer ppat_" in refused.stderr
    assert not list((tmp_path / "pulled").iterdir())

    viewer = get_user_model().objects.get(username="demo-viewer")
    secret = make_token(viewer, demo, name="viewer", role="viewer", days=1).secret
    forbidden = pull(live_server.url, secret, tmp_path / "viewer")
    assert forbidden.returncode == 1
    assert f"/api/v1/evaluations/{demo.pk}/exports/long: 403 Not allowed" in forbidden.stderr

    unset = pull("", secret, tmp_path / "unset")
    assert unset.returncode == 1
    assert "Set PEERPRINCIPLES_URL in the environment" in unset.stderr
