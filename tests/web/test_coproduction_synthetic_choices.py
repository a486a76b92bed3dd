"""A framework published from synthetic demonstration data, and its index, are never chosen
by default, are labelled as such and come last; an evaluation pinned to one is marked."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from tests.web.conftest import Panel
from tests.web.coproduction_publishing_fixtures import agreed_drafts

from peerprinciples.core.library import Library
from peerprinciples.web.coproduction.models import Project, Publication
from peerprinciples.web.coproduction.services.publishing_store import publish
from peerprinciples.web.evaluations.models import Evaluation
from peerprinciples.web.library.models import SYNTHETIC_CHOICE
from peerprinciples.web.library.services import load_library

pytestmark = pytest.mark.django_db

TITLE = "Demo peer support principles (synthetic demonstration)"


def _synthetic_publication(panel: Panel) -> Publication:
    load_library(Library())
    Project.objects.filter(pk=panel.project.pk).update(synthetic=True)
    agreed_drafts(panel)
    project = Project.objects.get(pk=panel.project.pk)
    return publish(
        panel.facilitator, project, title=TITLE, summary="", version="1", instrument="starter"
    )


def _options(page: str, field: str) -> list[str]:
    select = re.search(rf'<select name="{field}".*?</select>', page, re.S)
    assert select is not None, field
    return re.findall(r"<option[^>]*>(.*?)</option>", select.group(0), re.S)


def test_the_evaluation_form_chooses_nothing_and_lists_the_synthetic_index_last(
    panel: Panel,
) -> None:
    publication = _synthetic_publication(panel)
    assert publication.framework.synthetic
    page = panel.client_for(panel.outsider).get(reverse("evaluations:create")).content.decode()
    options = _options(page, "instrument")
    assert options[0] == "Choose a fidelity index"
    # Only the empty choice is selected: the person picks an index themselves.
    assert re.findall(r'<option value="(\d*)" selected', page) == [""]
    assert SYNTHETIC_CHOICE in options[-1]
    assert all(SYNTHETIC_CHOICE not in option for option in options[:-1])
    assert "synthetic-choice" not in page


def test_a_link_to_a_synthetic_index_says_so_and_the_evaluation_is_marked(
    panel: Panel,
) -> None:
    publication = _synthetic_publication(panel)
    client = panel.client_for(panel.outsider)
    url = reverse("evaluations:create") + f"?instrument={publication.instrument_id}"
    page = client.get(url).content.decode()
    assert re.search(rf'value="{publication.instrument_id}"[^>]*selected', page)
    assert "comes from a synthetic demonstration" in page
    sent = {"name": "Trying it", "kind": "research", "instrument": publication.instrument_id}
    assert client.post(reverse("evaluations:create"), sent).status_code == 302
    assert Evaluation.objects.get(name="Trying it").is_demo


def test_a_real_index_gives_an_unmarked_evaluation(panel: Panel) -> None:
    load_library(Library())
    client = panel.client_for(panel.outsider)
    page = client.get(reverse("evaluations:create")).content.decode()
    value = re.search(r'<option value="(\d+)"', page)
    assert value is not None
    sent = {"name": "Real", "kind": "research", "instrument": value.group(1)}
    assert client.post(reverse("evaluations:create"), sent).status_code == 302
    assert not Evaluation.objects.get(name="Real").is_demo
    missing = client.post(reverse("evaluations:create"), {**sent, "instrument": ""})
    assert "Choose the fidelity index the evaluation uses." in missing.content.decode()


def test_the_new_project_form_labels_a_synthetic_base_and_lists_it_last(panel: Panel) -> None:
    _synthetic_publication(panel)
    page = panel.client_for(panel.outsider).get(reverse("coproduction:create")).content.decode()
    options = _options(page, "base_framework")
    assert TITLE in options[-1]
    assert SYNTHETIC_CHOICE in options[-1]
    assert all(SYNTHETIC_CHOICE not in option for option in options[:-1])
    assert any("enrich@2017" in option for option in options[:-1])
