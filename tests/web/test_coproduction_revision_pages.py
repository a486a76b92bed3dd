"""The pages for correcting a published version and for its reflection guide."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.urls import reverse
from tests.web.coproduction_publishing_fixtures import RULE, agreed_drafts

from peerprinciples.web.coproduction.models import (
    DraftingRound,
    DraftPrinciple,
    Project,
    Publication,
)

FORM = {
    "title": "Riverside principles",
    "summary": "Made here.",
    "version": "1",
    "instrument": "none",
}


def _url(project: Project, name: str, *args: Any) -> str:
    return reverse(name, args=[project.pk, *args])


def _published(panel: Any, **chosen: str) -> Publication:
    client = panel.client_for(panel.facilitator)
    response = client.post(_url(panel.project, "coproduction:publish"), {**FORM, **chosen})
    assert response.status_code == 302, response.content.decode()
    return Publication.objects.order_by("-pk").first()  # type: ignore[return-value]


def _files(client: Any, panel: Any, publication: Publication) -> dict[str, bytes]:
    found = {}
    for name in ("framework.yaml", "framework.md", "instrument.yaml", "reflection-guide.yaml"):
        if name == "instrument.yaml" and publication.instrument_id is None:
            continue
        url = _url(panel.project, "coproduction:publication_file", publication.pk, name)
        response = client.get(url)
        assert response.status_code == 200, name
        found[name] = response.content
    return found


def test_the_publish_form_offers_a_starter_guide_by_default(panel) -> None:  # type: ignore[no-untyped-def]
    agreed_drafts(panel)
    page = panel.client_for(panel.facilitator).get(_url(panel.project, "coproduction:publish"))
    text = page.content.decode()
    assert "Which reflection guide will reflection cycles follow?" in text
    assert '<input type="radio" name="guide" value="starter" id="id_guide_0" checked>' in text


def test_the_guide_is_shown_and_downloads_as_a_file_reflection_check_accepts(  # type: ignore[no-untyped-def]
    panel, tmp_path: Path
) -> None:
    agreed_drafts(panel)
    publication = _published(panel, instrument="starter", guide="starter")
    client = panel.client_for(panel.panel)
    page = client.get(_url(panel.project, "coproduction:publication", publication.pk))
    text = page.content.decode()
    assert "Reflection guide" in text
    assert "what-matters-in-peer-support-here-reflection@1" in text
    assert "Where has “Listening first” shown in our work lately?" in text
    # Each row names its principle or theme by title, in the framework's order (not the
    # key order PostgreSQL's jsonb gives back).
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th><td>Where has', text)
    assert rows == ["Listening first", "Choice", "Diversity"]
    assert "reflection-guide.yaml" in text
    assert "Reopen agreed wording" not in text  # a panel member cannot reopen
    files = _files(client, panel, publication)
    library = tmp_path / "library"
    library.mkdir()
    (library / "framework.yaml").write_bytes(files["framework.yaml"])
    guide = tmp_path / "reflection-guide.yaml"
    guide.write_bytes(files["reflection-guide.yaml"])
    checked = subprocess.run(
        [
            sys.executable,
            "-m",
            "peerprinciples.cli.main",
            "--library",
            str(library),
            "reflection",
            "check",
            str(guide),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (checked.returncode, checked.stderr) == (0, ""), checked.stdout
    assert "what-matters-in-peer-support-here-reflection@1 is valid" in checked.stdout


def test_a_publication_without_a_guide_has_no_guide_file(panel) -> None:  # type: ignore[no-untyped-def]
    agreed_drafts(panel)
    publication = _published(panel)
    client = panel.client_for(panel.facilitator)
    page = client.get(_url(panel.project, "coproduction:publication", publication.pk))
    assert "No reflection guide was stored with this version" in page.content.decode()
    url = _url(
        panel.project, "coproduction:publication_file", publication.pk, "reflection-guide.yaml"
    )
    assert client.get(url).status_code == 404


def test_reopen_round_and_version_2_leave_version_1_byte_for_byte(panel) -> None:  # type: ignore[no-untyped-def]
    agreed_drafts(panel)
    first = _published(panel, instrument="starter", guide="starter")
    client = panel.client_for(panel.facilitator)
    before = _files(client, panel, first)
    page = client.get(_url(panel.project, "coproduction:publication", first.pk)).content.decode()
    assert 'id="reopen-link"' in page
    assert 'id="superseded"' not in page

    listening = DraftPrinciple.objects.get(key="listening")
    response = client.post(
        _url(panel.project, "coproduction:reopen"),
        {"statements": [f"principle-{listening.pk}"], "reason": "A word is missing."},
    )
    assert response.status_code == 302
    assert response["Location"] == _url(panel.project, "coproduction:principles")
    listening.refresh_from_db()
    assert listening.agreed_in is None
    # The publish page now lists it as not agreed, and cannot publish.
    page = client.get(_url(panel.project, "coproduction:publish")).content.decode()
    assert "Not yet agreed" in page
    assert "Changes since what-matters-in-peer-support-here@1" in page

    # Reworded and agreed again (as a closed round 2 stores it), then version 2.
    DraftPrinciple.objects.filter(pk=listening.pk).update(
        title="Listening first, always",
        agreed_in=DraftingRound.objects.create(
            project=panel.project,
            number=2,
            status=DraftingRound.Status.CLOSED,
            rule=RULE,
            opened_by=panel.facilitator,
        ),
    )
    page = client.get(_url(panel.project, "coproduction:publish")).content.decode()
    assert "Listening first, always" in page
    assert 'value="2"' in page
    second = _published(panel, version="2", instrument="starter", guide="starter")
    assert second.framework.ref == "what-matters-in-peer-support-here@2"
    assert _files(client, panel, first) == before
    page = client.get(_url(panel.project, "coproduction:publication", first.pk)).content.decode()
    assert 'id="superseded"' in page
    assert "what-matters-in-peer-support-here@2" in page


def test_the_reopen_page_lists_agreed_wording_for_the_facilitator(panel) -> None:  # type: ignore[no-untyped-def]
    agreed_drafts(panel)
    _published(panel)
    page = panel.client_for(panel.facilitator).get(_url(panel.project, "coproduction:reopen"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Principle: Choice: The person decides what happens next. (agreed in round 1)" in text
    assert "Why does it need correcting?" in text


def test_reopening_before_publishing_says_why_and_has_no_form(panel) -> None:  # type: ignore[no-untyped-def]
    agreed_drafts(panel)
    client = panel.client_for(panel.facilitator)
    page = client.get(_url(panel.project, "coproduction:reopen")).content.decode()
    assert "Nothing is published yet" in page
    assert 'id="reopen-form"' not in page
    listening = DraftPrinciple.objects.get(key="listening")
    response = client.post(
        _url(panel.project, "coproduction:reopen"),
        {"statements": [f"principle-{listening.pk}"], "reason": "Typo."},
    )
    assert response.status_code == 409
    assert "Nothing is published yet, so there is no version to correct" in (
        response.content.decode()
    )
    listening.refresh_from_db()
    assert listening.agreed_in is not None


def test_reopening_while_a_round_is_open_is_refused_on_the_page(panel) -> None:  # type: ignore[no-untyped-def]
    agreed_drafts(panel)
    _published(panel)
    DraftingRound.objects.create(
        project=panel.project, number=2, rule=RULE, opened_by=panel.facilitator
    )
    client = panel.client_for(panel.facilitator)
    listening = DraftPrinciple.objects.get(key="listening")
    response = client.post(
        _url(panel.project, "coproduction:reopen"),
        {"statements": [f"principle-{listening.pk}"], "reason": "Typo."},
    )
    assert response.status_code == 409
    assert "Round 2 is open for votes" in response.content.decode()


def test_a_missing_reason_or_choice_is_shown_beside_its_field(panel) -> None:  # type: ignore[no-untyped-def]
    agreed_drafts(panel)
    _published(panel)
    client = panel.client_for(panel.facilitator)
    response = client.post(_url(panel.project, "coproduction:reopen"), {"reason": ""})
    assert response.status_code == 400
    text = response.content.decode()
    assert 'id="id_statements_error"' in text
    assert 'id="id_reason_error"' in text
    assert not DraftPrinciple.objects.filter(agreed_in__isnull=True).exists()


def test_wording_reopened_by_someone_else_meanwhile_is_refused_with_a_reason(panel) -> None:  # type: ignore[no-untyped-def]
    agreed_drafts(panel)
    _published(panel)
    client = panel.client_for(panel.facilitator)
    listening = DraftPrinciple.objects.get(key="listening")
    form = {"statements": [f"principle-{listening.pk}"], "reason": "Typo."}
    assert client.post(_url(panel.project, "coproduction:reopen"), form).status_code == 302
    again = client.post(_url(panel.project, "coproduction:reopen"), form)
    assert again.status_code == 409
    assert "is not agreed wording (any more)" in again.content.decode()
