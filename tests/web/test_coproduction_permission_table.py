"""Every co-production URL × every role in a project, in one table.

The same outcomes as the evaluation table (``test_permission_table``): ``ok`` the page did
its job, ``403`` a member without the right, ``404`` someone who may not know the project
exists, ``login`` a redirect to sign in. The evaluation table counts the rows here as
covered, so a co-production URL without a row fails there.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from tests.web.coproduction_drafting_fixtures import (
    drafting_objects,
    publishing_objects,
    rounds_objects,
)
from tests.web.coproduction_mapping_fixtures import mapping_objects
from tests.web.permission_rows import Row, check_outcome, row_maker

pytestmark = pytest.mark.django_db

ROLES = ("facilitator", "research", "panel", "outsider", "anonymous")


_row = row_maker(ROLES)


#        url name                              objects     method  facilitator research panel outsider anonymous  # noqa: E501
TABLE = [
    # Projects, members and stages; the panel's cards (views/projects.py, views/members.py,
    # views/cards.py). The card is one P01 (the panel persona) wrote on paper, so both its
    # author and the facilitator who typed it up may change it.
    _row("coproduction:index", "", "GET", "ok ok ok ok login"),
    _row("coproduction:create", "", "GET", "ok ok ok ok login"),
    _row("coproduction:create", "", "POST", "ok ok ok ok login"),
    _row("coproduction:project", "project", "GET", "ok ok ok 404 login"),
    # Projects, members and cards.
    _row("coproduction:settings", "project", "GET", "ok 403 403 404 login"),
    _row("coproduction:settings", "project", "POST", "ok 403 403 404 login"),
    _row("coproduction:members", "project", "GET", "ok ok ok 404 login"),
    _row("coproduction:members", "project", "POST", "ok 403 403 404 login"),
    _row("coproduction:member", "project panel_member", "GET", "ok 403 403 404 login"),
    _row("coproduction:member", "project panel_member", "POST", "ok 403 403 404 login"),
    _row("coproduction:me", "project", "GET", "ok ok ok 404 login"),
    _row("coproduction:me", "project", "POST", "ok ok ok 404 login"),
    _row("coproduction:cards", "project", "GET", "ok ok ok 404 login"),
    _row("coproduction:cards", "project", "POST", "ok 403 ok 404 login"),
    _row("coproduction:card", "project card", "GET", "ok ok ok 404 login"),
    _row("coproduction:card", "project card", "POST", "ok 403 ok 404 login"),
    _row("coproduction:paper_cards", "project", "GET", "ok 403 403 404 login"),
    _row("coproduction:paper_cards", "project", "POST", "ok 403 403 404 login"),
    _row("coproduction:merge_cards", "project", "GET", "ok 403 403 404 login"),
    _row("coproduction:merge_cards", "project", "POST", "ok 403 403 404 login"),
    # The literature review: every member reads it; the research team and the facilitator
    # edit it and move its files in and out.
    _row("coproduction:evidence", "project", "GET", "ok ok ok 404 login"),
    _row("coproduction:evidence_svg", "project", "GET", "ok ok ok 404 login"),
    _row("coproduction:evidence_csv", "project", "GET", "ok ok ok 404 login"),
    _row("coproduction:sources", "project", "GET", "ok ok ok 404 login"),
    _row("coproduction:sources", "project", "POST", "ok ok 403 404 login"),
    _row("coproduction:source", "project source", "GET", "ok ok ok 404 login"),
    _row("coproduction:source", "project source", "POST", "ok ok 403 404 login"),
    _row("coproduction:codebook", "project", "GET", "ok ok ok 404 login"),
    _row("coproduction:codebook", "project", "POST", "ok ok 403 404 login"),
    _row("coproduction:category", "project category", "GET", "ok ok ok 404 login"),
    _row("coproduction:category", "project category", "POST", "ok ok 403 404 login"),
    _row("coproduction:code", "project code", "GET", "ok ok ok 404 login"),
    _row("coproduction:code", "project code", "POST", "ok ok 403 404 login"),
    _row("coproduction:evidence_import", "project", "GET", "ok ok 403 404 login"),
    _row("coproduction:evidence_import", "project", "POST", "ok ok 403 404 login"),
    _row("coproduction:evidence_export", "project layout", "GET", "ok ok 403 404 login"),
    # Sorting the cards: group sorts everyone reads and the facilitator records; one's own
    # sort for those who sort; progress for the facilitator and the research team.
    _row("coproduction:group_sorts", "project", "GET", "ok ok ok 404 login"),
    _row("coproduction:group_sorts", "project", "POST", "ok 403 403 404 login"),
    _row("coproduction:group_sort", "project group_sort", "GET", "ok ok ok 404 login"),
    _row("coproduction:group_piles", "project group_sort", "GET", "ok 403 403 404 login"),
    _row("coproduction:group_piles", "project group_sort", "POST", "ok 403 403 404 login"),
    _row("coproduction:group_place", "project group_sort", "POST", "ok 403 403 404 login"),
    _row("coproduction:my_sort", "project", "GET", "ok 403 ok 404 login"),
    _row("coproduction:my_sort", "project", "POST", "ok 403 ok 404 login"),
    _row("coproduction:my_sort_piles", "project", "GET", "ok 403 ok 404 login"),
    _row("coproduction:my_sort_piles", "project", "POST", "ok 403 ok 404 login"),
    _row("coproduction:my_sort_place", "project", "POST", "ok 403 ok 404 login"),
    _row("coproduction:sort_progress", "project", "GET", "ok ok 403 404 login"),
    # The concept map, ratings and RCMap files (views/mapping.py, views/ratings.py,
    # views/exchange.py): everyone reads the map and the ratings; the facilitator and the
    # research team run the analysis and move whole studies in and out; the facilitator
    # chooses and names clusters and sets the rating questions; panel members and the
    # facilitator rate (outside the rating stage the sheet says so, and a save is refused).
    _row("coproduction:map", "project", "GET", "ok ok ok 404 login"),
    _row("coproduction:map_run", "project", "POST", "ok ok 403 404 login"),
    _row("coproduction:map_svg", "project concept_map", "GET", "ok ok ok 404 login"),
    _row("coproduction:map_csv", "project concept_map", "GET", "ok ok ok 404 login"),
    _row("coproduction:map_clusters", "project concept_map", "GET", "ok 403 403 404 login"),
    _row("coproduction:map_clusters", "project concept_map", "POST", "ok 403 403 404 login"),
    _row("coproduction:rate", "project", "GET", "ok 403 ok 404 login"),
    _row("coproduction:rate", "project", "POST", "ok 403 ok 404 login"),
    _row("coproduction:ratings", "project", "GET", "ok ok ok 404 login"),
    _row("coproduction:scales", "project", "GET", "ok 403 403 404 login"),
    _row("coproduction:scales", "project", "POST", "ok 403 403 404 login"),
    _row("coproduction:ladder_svg", "project", "GET", "ok ok ok 404 login"),
    _row("coproduction:go_zone_svg", "project", "GET", "ok ok ok 404 login"),
    _row("coproduction:rcmap_import", "project", "GET", "ok ok 403 404 login"),
    _row("coproduction:rcmap_import", "project", "POST", "ok ok 403 404 login"),
    _row("coproduction:rcmap_preview", "project rcmap_upload", "GET", "ok ok 403 404 login"),
    _row("coproduction:rcmap_preview", "project rcmap_upload", "POST", "ok ok 403 404 login"),
    _row("coproduction:rcmap_export", "project", "GET", "ok ok 403 404 login"),
    # Values, draft principles, themes and the mapping (views/drafting.py): everyone reads
    # them; the research team and the facilitator draft them.
    _row("coproduction:values", "project", "GET", "ok ok ok 404 login"),
    _row("coproduction:values", "project", "POST", "ok ok 403 404 login"),
    _row("coproduction:value", "project value", "GET", "ok ok ok 404 login"),
    _row("coproduction:value", "project value", "POST", "ok ok 403 404 login"),
    _row("coproduction:principles", "project", "GET", "ok ok ok 404 login"),
    _row("coproduction:principles", "project", "POST", "ok ok 403 404 login"),
    _row("coproduction:principle", "project principle", "GET", "ok ok ok 404 login"),
    _row("coproduction:principle", "project principle", "POST", "ok ok 403 404 login"),
    _row("coproduction:theme", "project theme", "GET", "ok ok ok 404 login"),
    _row("coproduction:theme", "project theme", "POST", "ok ok 403 404 login"),
    _row("coproduction:mapping", "project", "GET", "ok ok ok 404 login"),
    _row("coproduction:mapping", "project", "POST", "ok ok 403 404 login"),
    _row("coproduction:mapping_svg", "project", "GET", "ok ok ok 404 login"),
    _row("coproduction:coverage_csv", "project", "GET", "ok ok ok 404 login"),
    # Drafting rounds (views/rounds.py): the facilitator opens and closes them, panel members
    # and the facilitator vote, everyone reads a closed round's results and the changes.
    _row("coproduction:rounds", "project", "GET", "ok ok ok 404 login"),
    _row("coproduction:rounds", "project", "POST", "ok 403 403 404 login"),
    _row("coproduction:round", "project closed_round", "GET", "ok ok ok 404 login"),
    _row("coproduction:round_vote", "project open_round", "GET", "ok 403 ok 404 login"),
    _row("coproduction:round_vote", "project open_round", "POST", "ok 403 ok 404 login"),
    _row("coproduction:round_close", "project open_round", "GET", "ok 403 403 404 login"),
    _row("coproduction:round_close", "project open_round", "POST", "ok 403 403 404 login"),
    _row("coproduction:round_changes", "project closed_round", "GET", "ok ok ok 404 login"),
    _row("coproduction:round_changes", "project closed_round", "POST", "ok ok 403 404 login"),
    _row("coproduction:round_csv", "project closed_round", "GET", "ok ok ok 404 login"),
    # Publishing (views/publishing.py): everyone sees what would be published and what was;
    # the facilitator publishes.
    _row("coproduction:publish", "project", "GET", "ok ok ok 404 login"),
    _row("coproduction:publish", "project", "POST", "ok 403 403 404 login"),
    # Reopening agreed wording to correct a published version: the facilitator only.
    _row("coproduction:reopen", "project", "GET", "ok 403 403 404 login"),
    _row("coproduction:reopen", "project", "POST", "ok 403 403 404 login"),
    _row("coproduction:publication", "project publication", "GET", "ok ok ok 404 login"),
    _row(
        "coproduction:publication_file",
        "project publication file_name",
        "GET",
        "ok ok ok 404 login",
    ),
]


@pytest.fixture
def objects(panel) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """The objects named in the table's addresses."""
    from peerprinciples.web.coproduction.models import Card, Category, Code, GroupSort, Source

    found: dict[str, Any] = {"project": panel.project.pk}
    # Projects, members and cards: a panel member and a card they wrote on paper.
    author = panel.member(panel.panel)
    card = Card.objects.create(
        project=panel.project, number=1, text="Being believed.", author=author, from_paper=True
    )
    found.update({"panel_member": author.pk, "card": card.pk})
    # The literature review: one source, category and code, and a download's layout.
    category = Category.objects.create(project=panel.project, key="C1", label="Trust")
    found["category"] = category.pk
    found["code"] = Code.objects.create(
        project=panel.project, key="K1", label="Shared experience", category=category
    ).pk
    found["source"] = Source.objects.create(
        project=panel.project, key="S1", citation="Example A. (2009)"
    ).pk
    found["layout"] = "qdc"
    # Sorting: a group sort recorded by the facilitator.
    found["group_sort"] = GroupSort.objects.create(
        project=panel.project, created_by=panel.facilitator
    ).pk
    # The concept map, ratings and RCMap files.
    found.update(mapping_objects(panel))
    # Values and draft principles, drafting rounds, and a publication.
    found.update(drafting_objects(panel))
    found.update(rounds_objects(panel))
    found.update(publishing_objects(panel))
    return found


@pytest.mark.parametrize(
    ("row", "role"),
    [(row, role) for row in TABLE for role in ROLES],
    ids=[f"{row.label}-{role}" for row in TABLE for role in ROLES],
)
def test_who_may_use_each_url(panel, objects: dict[str, Any], row: Row, role: str) -> None:  # type: ignore[no-untyped-def]
    client = Client() if role == "anonymous" else panel.client_for(getattr(panel, role))
    url = reverse(row.name, args=[objects[a] for a in row.args])
    check_outcome(client, url, row.method, row.expected[ROLES.index(role)], role)
