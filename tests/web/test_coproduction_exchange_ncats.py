"""The real NCATS concept-mapping study (74 sorters, 81 statements, about a hundred raters) imported
through the web application and exported back; counted against pandas.

The files are public example data kept outside the repository: set
``PEERPRINCIPLES_SHARED_DATA`` (by default ``../shared/data`` from the repository root).
The tests are skipped when they are not there.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from django.urls import reverse
from tests.coproduction.rcmap_data import reference_ratings, shared_folder

from peerprinciples.core.coproduction.rcmap import read_rcmap
from peerprinciples.web.coproduction import models
from peerprinciples.web.coproduction.services import exchange

pytestmark = pytest.mark.django_db
PREFIX = "RCMap_DataNCATS_"


def _files(folder: Path) -> exchange.RCMapFiles:
    def read(name: str) -> bytes:
        return (folder / f"{PREFIX}{name}.csv").read_bytes()

    return exchange.RCMapFiles(
        read("Statements"), read("SortedCards"), read("Ratings"), read("Demographics")
    )


def test_the_ncats_study_imports_whole_and_exports_the_same(panel) -> None:  # type: ignore[no-untyped-def]
    folder = shared_folder()
    files = _files(folder)
    upload = exchange.upload(panel.research, panel.project, files, {})
    preview = exchange.preview(upload)
    ratings = reference_ratings(folder / f"{PREFIX}Ratings.csv")  # pandas, NA left out
    assert (preview.statements, preview.sorters) == (81, 74)
    assert preview.raters == ratings["rater"].nunique()
    assert preview.partial_sorters == 2
    assert preview.default_group == "PrimaryRole"
    done = exchange.import_upload(panel.research, upload, group_question="PrimaryRole")

    with (folder / f"{PREFIX}SortedCards.csv").open(newline="", encoding="utf-8-sig") as handle:
        piles = [row for row in csv.reader(handle) if any(cell.strip() for cell in row)]
    sorters = {row[0] for row in piles}
    demographics = pd.read_csv(folder / f"{PREFIX}Demographics.csv", dtype=str)
    project = panel.project
    assert done.cards == models.Card.objects.filter(project=project).count() == 81
    assert done.sorts == len(sorters) == 74
    assert done.ratings == len(ratings)
    assert models.Pile.objects.filter(sort__project=project).count() == len(piles)
    people = sorters | set(ratings["rater"]) | set(demographics["RaterID"])
    assert (
        set(models.Member.objects.filter(project=project, user=None).values_list("code", flat=True))
        == people
    )
    stored = pd.Series(
        dict(
            models.Member.objects.filter(
                project=project, code__in=demographics["RaterID"]
            ).values_list("code", "group")
        )
    )
    expected = demographics.set_index("RaterID")["PrimaryRole"]
    assert stored.sort_index().tolist() == expected.sort_index().tolist()
    means = ratings.groupby("scale")["value"].mean()  # pandas: mean of every rating given
    for scale, mean in means.items():
        values = models.StatementRating.objects.filter(
            card__project=project, scale__key=str(scale).lower()
        ).values_list("value", flat=True)
        assert sum(values) / len(values) == pytest.approx(mean)

    response = panel.client_for(panel.research).get(
        reverse("coproduction:rcmap_export", args=[project.pk])
    )
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        back = read_rcmap(
            *(archive.read(n) for n in ("Statements.csv", "SortedCards.csv", "Ratings.csv"))
        )
    original = read_rcmap(files.statements, files.sorted_cards, files.ratings)
    assert back.cardsort.statements == original.cardsort.statements
    assert {s.sorter: s.sorted_cards() for s in back.cardsort.sorts} == {
        s.sorter: s.sorted_cards() for s in original.cardsort.sorts
    }
    assert sorted((r.rater, r.statement, r.scale.title(), r.value) for r in back.ratings) == sorted(
        (r.rater, r.statement, r.scale, r.value) for r in original.ratings
    )
