"""The demo's synthetic review: shaped like the paper's, clearly made up, the same every time."""

from __future__ import annotations

import random

import pytest
from tests.web.coproduction_evidence_fixtures import Held

from peerprinciples.core.coproduction.evidence import SourceKind
from peerprinciples.core.coproduction.evidence_summary import summarise_evidence
from peerprinciples.web.coproduction.demo.evidence import (
    FIRST_YEAR,
    LAST_YEAR,
    SOURCES,
    seed_evidence,
    synthetic_review,
)
from peerprinciples.web.coproduction.models import Project
from peerprinciples.web.coproduction.services.evidence import project_evidence


def test_the_review_is_the_same_for_the_same_seed() -> None:
    assert synthetic_review(random.Random(7)) == synthetic_review(random.Random(7))
    assert synthetic_review(random.Random(7)) != synthetic_review(random.Random(8))


def test_sources_are_clearly_synthetic_and_span_the_years() -> None:
    review = synthetic_review(random.Random(2017))
    assert len(review.sources) == SOURCES
    assert all(s.citation.startswith("Example") for s in review.sources)
    assert all(s.citation.endswith("Synthetic.") for s in review.sources)
    years = [s.year for s in review.sources if s.year is not None]
    assert len(years) == SOURCES
    assert min(years) >= FIRST_YEAR
    assert max(years) <= LAST_YEAR
    kinds = {s.kind for s in review.sources}
    assert kinds == {SourceKind.GREY, SourceKind.PEER_REVIEWED}


def test_every_category_has_codes_and_every_code_a_definition() -> None:
    review = synthetic_review(random.Random(2017))
    assert len(review.categories) == 8
    for category in review.categories:
        assert [c for c in review.codes if c.category == category.key]
    assert all(code.definition for code in review.codes)


def test_the_summary_reads_like_figure_1() -> None:
    summary = summarise_evidence(synthetic_review(random.Random(2017)))
    counts = [category.sources for category in summary.categories]
    assert counts == sorted(counts, reverse=True)
    assert counts[0] > counts[-1]
    assert summary.review.sources == SOURCES
    assert 0 < summary.review.grey < SOURCES


@pytest.mark.django_db
def test_seeding_stores_the_whole_review(panel) -> None:  # type: ignore[no-untyped-def]
    project: Project = panel.project
    evidence = seed_evidence(project, random.Random(2017))
    assert Held.of(project) == Held(
        sources=SOURCES,
        categories=len(evidence.categories),
        codes=len(evidence.codes),
        quotations=len(evidence.quotations),
    )
    stored = project_evidence(project)
    assert {s.key for s in stored.sources} == {s.key for s in evidence.sources}
    assert summarise_evidence(stored) == summarise_evidence(evidence)
