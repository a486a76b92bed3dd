"""A withdrawal is honoured everywhere: results pages (and what they keep in caches), the
stored results, every export format on the web and the command line.

Each test compares what shows before a withdrawal with what shows after: an erased interview
counts nowhere any more; one kept anonymised still counts in the group results but never on
its own (not in a peer worker's results, not as a row of any export).
"""

from __future__ import annotations

import argparse
import zipfile
from pathlib import Path

import pandas as pd
import pyreadstat
import pytest
from django.test import Client
from django.urls import reverse
from tests.web.results_fixtures import (
    Scored,
    cells,
    count_of,
    mean_of,
    scored_fixture,  # noqa: F401 (the scored fixture)
)

from peerprinciples.cli.transfers import EXPORT_KINDS, register
from peerprinciples.core.library import Library
from peerprinciples.web.interviews.models import Interview
from peerprinciples.web.results.models import StoredResults
from peerprinciples.web.transfers.exports import KINDS

pytestmark = pytest.mark.django_db

TOTAL = "cell:total/all/all"
DATA_KINDS = [kind.key for kind in KINDS.values() if kind.needs_data]


def _chosen(scored: Scored) -> Interview:
    """A final interview in service A about the team's peer worker PW-A1."""
    team = scored.team
    found = Interview.objects.filter(
        evaluation=team.evaluation, service=team.service_a, peer_worker=team.worker_a
    ).first()
    assert found is not None
    return found


def _withdraw(scored: Scored, interview: Interview, choice: str) -> None:
    team = scored.team
    if choice == "keep_anonymised":
        team.evaluation.withdrawal_keeps_anonymised = True
        team.evaluation.save(update_fields=["withdrawal_keeps_anonymised"])
    response = team.client_for(team.lead).post(
        reverse("interviews:withdraw", args=[team.evaluation.pk, interview.pk]),
        {"choice": choice, "version": interview.version},
    )
    assert response.status_code == 302


def _pages(scored: Scored) -> dict[str, str]:
    """The lead's results pages that show the withdrawn interview's part."""
    team = scored.team
    client = team.client_for(team.lead)
    args = [team.evaluation.pk]
    urls = {
        "overview": reverse("results:overview", args=args),
        "service": reverse("results:service", args=[*args, team.service_a.pk]),
        "report": reverse("results:report", args=[*args, team.service_a.pk]),
        "peer_worker": reverse("results:peer_worker", args=[*args, team.worker_a.pk]),
        "psychometrics": reverse("results:psychometrics", args=args),
    }
    found = {}
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, name
        found[name] = response.content.decode()
    return found


def _counts(pages: dict[str, str]) -> dict[str, int]:
    counted = {
        name: count_of(cells(html)[TOTAL]) for name, html in pages.items() if TOTAL in cells(html)
    }
    counted["psychometrics"] = int(cells(pages["psychometrics"])["cell:counts"].split()[2])
    return counted


def test_an_erased_interview_counts_in_no_results_page_nor_stored_result(scored: Scored) -> None:
    interview = _chosen(scored)
    before = _counts(_pages(scored))  # the pages are in the cache now
    _withdraw(scored, interview, "erase")
    after = _counts(_pages(scored))
    assert set(before) == {"overview", "service", "report", "peer_worker", "psychometrics"}
    for page, n in before.items():
        assert after[page] == n - 1, page
    stored = {
        r.scope: r.data for r in StoredResults.objects.filter(evaluation=scored.team.evaluation)
    }
    assert stored["evaluation"]["n"] == before["overview"] - 1
    assert stored[f"service:{scored.team.service_a.pk}"]["n"] == before["service"] - 1
    assert stored[f"peer_worker:{scored.team.worker_a.pk}"]["n"] == before["peer_worker"] - 1


def test_ratings_kept_anonymised_count_for_the_service_but_not_the_peer_worker(
    scored: Scored,
) -> None:
    interview = _chosen(scored)
    pages = _pages(scored)
    before = _counts(pages)
    means = {name: mean_of(cells(pages[name])[TOTAL]) for name in ("overview", "service")}
    _withdraw(scored, interview, "keep_anonymised")
    pages = _pages(scored)
    after = _counts(pages)
    for page in ("overview", "service", "report", "psychometrics"):
        assert after[page] == before[page], page
    for name, mean in means.items():
        assert mean_of(cells(pages[name])[TOTAL]) == pytest.approx(mean), name
    assert after["peer_worker"] == before["peer_worker"] - 1


# --- exports -----------------------------------------------------------------------------------


def _interviews_in(path: Path) -> set[str]:
    """The interview references in an exported file (every sheet, every file of a ZIP)."""
    if path.suffix == ".csv":
        frame = pd.read_csv(path, dtype=str)
        return set(frame["interview"]) if "interview" in frame else set()
    if path.suffix == ".xlsx":
        sheets = pd.read_excel(path, sheet_name=None, dtype=str)
        return {code for f in sheets.values() if "interview" in f for code in f["interview"]}
    if path.suffix in (".sav", ".dta"):
        read = pyreadstat.read_sav if path.suffix == ".sav" else pyreadstat.read_dta
        frame, _ = read(str(path))
        return set(frame["interview"])
    if path.suffix == ".zip":
        folder = path.with_suffix("")
        with zipfile.ZipFile(path) as archive:
            archive.extractall(folder)
        return {code for inner in folder.iterdir() for code in _interviews_in(inner)}
    return set()


def _web_exports(client: Client, scored: Scored, folder: Path) -> dict[str, set[str]]:
    folder.mkdir()
    found = {}
    for kind in DATA_KINDS:
        response = client.post(
            reverse("transfers:export", args=[scored.team.evaluation.pk]), {"kind": kind}
        )
        assert response.status_code == 200, kind
        path = folder / KINDS[kind].file_name
        path.write_bytes(b"".join(response.streaming_content))
        found[kind] = _interviews_in(path)
    return found


@pytest.mark.parametrize("choice", ["erase", "keep_anonymised"])
def test_no_web_export_holds_the_withdrawn_interview(
    scored: Scored, tmp_path: Path, choice: str
) -> None:
    interview = _chosen(scored)
    client = scored.team.client_for(scored.team.lead)
    before = _web_exports(client, scored, tmp_path / "before")
    assert set(before) == {"long", "wide", "scores", "xlsx", "sav", "dta", "zip"}
    assert all(interview.code in codes for codes in before.values())
    _withdraw(scored, interview, choice)
    after = _web_exports(client, scored, tmp_path / "after")
    kept = Interview.objects.filter(pk=interview.pk).first()
    for kind, codes in after.items():
        assert codes == before[kind] - {interview.code}, kind
        if kept is not None:
            assert kept.code not in codes, kind
    page = client.get(reverse("transfers:export", args=[scored.team.evaluation.pk]))
    assert page.context["final_interviews"] == len(before["scores"]) - 1


def _cli_exports(library: Library, scored: Scored, folder: Path) -> set[str]:
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    args = parser.parse_args(
        ["export-evaluation", str(scored.team.evaluation.pk), "--out", str(folder)]
    )
    assert args.handler(args, library) == 0
    written = list(folder.iterdir())
    assert len(written) == len(EXPORT_KINDS)
    return {code for path in written for code in _interviews_in(path)}


@pytest.mark.parametrize("choice", ["erase", "keep_anonymised"])
def test_no_command_line_export_holds_the_withdrawn_interview(
    scored: Scored, tmp_path: Path, builtin_library: Library, choice: str
) -> None:
    interview = _chosen(scored)
    before = _cli_exports(builtin_library, scored, tmp_path / "before")
    assert interview.code in before
    _withdraw(scored, interview, choice)
    after = _cli_exports(builtin_library, scored, tmp_path / "after")
    assert after == before - {interview.code}
