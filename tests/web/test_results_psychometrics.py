"""The quality page: the core's quality summary over the evaluation's final ratings."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from django.db import connection
from django.urls import reverse
from tests.web.conftest import Team
from tests.web.results_fixtures import (
    Scored,
    add_final_interviews,
    cells,
    mean_of,
    scored_fixture,  # noqa: F401 (the scored fixture)
    text,
)

from peerprinciples.core.demo_data import demo_ratings
from peerprinciples.core.psychometrics import QualityReport, quality_summary
from peerprinciples.web.interviews import scores
from peerprinciples.web.interviews.models import Interview, Rating


def _url(team: Team) -> str:
    return reverse("results:psychometrics", args=[team.evaluation.pk])


def _direct_summary(team: Team) -> QualityReport:
    """quality_summary called on the final ratings, read straight from the database: one case
    per interview from the rater with the lowest account number, reverse-keyed items turned
    round, and both raters of every double-rated interview for agreement (ICC1)."""
    instrument = team.instrument
    scale = instrument.scale(instrument.items[0].scale)
    reverse_keyed = {item.key for item in instrument.items if item.reverse}
    rows = pd.DataFrame(
        Rating.objects.filter(
            sheet__interview__evaluation=team.evaluation,
            sheet__interview__status=Interview.Status.FINAL,
            value__isnull=False,
        ).values_list("sheet__interview_id", "sheet__rater_id", "item", "value"),
        columns=["interview", "rater", "item", "value"],
    )
    rows["value"] = np.where(
        rows["item"].isin(reverse_keyed), scale.min + scale.max - rows["value"], rows["value"]
    ).astype(float)
    order = rows.groupby("interview")["rater"].rank(method="dense").astype(int)
    rows["rating_order"] = order
    order_of_items = [item.key for item in instrument.items]
    first = rows[rows["rating_order"] == 1].pivot(index="interview", columns="item", values="value")
    first = first[[key for key in order_of_items if key in first.columns]]
    domains = {
        d.key: [i.key for i in instrument.items_in(d.key) if i.key in first.columns]
        for d in instrument.domains
    }
    raters_per_interview = rows.groupby("interview")["rater"].transform("nunique")
    double = rows[raters_per_interview == 2]
    agreement = double.pivot_table(
        index=["interview", "rating_order"], columns="item", values="value"
    ).reset_index()
    agreement["interview"] = agreement["interview"].astype(str)
    return quality_summary(
        first.reset_index(drop=True),
        {k: v for k, v in domains.items() if v},
        scale_min=scale.min,
        scale_max=scale.max,
        agreement_data=agreement,
        targets="interview",
        raters="rating_order",
        icc_form="ICC1",
    )


def test_alpha_omega_and_agreement_equal_the_quality_summary_called_directly(
    scored: Scored,
) -> None:
    team = scored.team
    response = team.client_for(team.lead).get(_url(team))
    assert response.status_code == 200
    shown = cells(response.content.decode())
    report = _direct_summary(team)
    assert report.n_double_rated > 5
    for domain in report.domains:
        assert domain.alpha is not None
        assert domain.icc is not None
        alpha = shown[f"cell:{domain.domain}/alpha"]
        assert mean_of(alpha) == pytest.approx(domain.alpha.alpha, abs=0.005)
        assert f"{domain.alpha.ci.lower:.2f} to {domain.alpha.ci.upper:.2f}" in alpha
        icc = shown[f"cell:{domain.domain}/icc"]
        assert mean_of(icc) == pytest.approx(domain.icc.value, abs=0.005)
        if domain.omega is not None:
            omega = mean_of(shown[f"cell:{domain.domain}/omega"])
            assert omega == pytest.approx(domain.omega.omega_total, abs=0.005)
        for item in domain.items:
            if item.corrected_item_total is not None:
                rest = mean_of(shown[f"cell:{item.item}/item_rest"])
                assert rest == pytest.approx(item.corrected_item_total, abs=0.005)


def test_the_page_says_how_many_double_rated_interviews_it_rests_on(scored: Scored) -> None:
    team = scored.team
    page = text(team.client_for(team.lead).get(_url(team)).content.decode())
    double = Interview.objects.filter(evaluation=team.evaluation, double_rated=True).count()
    assert f"Based on 36 final interviews, of which {double} were rated by two raters" in page


def test_every_flag_is_explained_in_plain_words(scored: Scored) -> None:
    team = scored.team
    page = text(team.client_for(team.lead).get(_url(team)).content.decode())
    for flag in _direct_summary(team).flags:
        assert flag.message in page


def test_a_viewer_may_see_the_quality_checks(scored: Scored) -> None:
    team = scored.team
    assert team.client_for(team.viewer).get(_url(team)).status_code == 200


def test_with_too_few_interviews_the_page_says_so_plainly(team: Team) -> None:
    frame = demo_ratings(
        team.instrument,
        seed=1,
        services=1,
        rounds=1,
        peer_workers=1,
        supported_people=1,
        double_rated=0.0,
        raters=1,
    )
    add_final_interviews(
        team,
        frame,
        {"S01": team.service_a},
        {1: team.round},
        {frame["peer_worker"].iloc[0]: team.worker_a},
    )
    response = team.client_for(team.lead).get(_url(team))
    assert response.status_code == 200
    page = text(response.content.decode())
    assert "The quality checks cannot be shown yet." in page
    assert "at least 10 final interviews" in page
    assert "this evaluation has 3 so far" in page


def test_without_final_interviews_the_page_says_there_is_nothing_to_check(team: Team) -> None:
    response = team.client_for(team.lead).get(_url(team))
    assert response.status_code == 200
    assert "No interview is final yet" in response.content.decode()


def test_an_outsider_is_told_the_evaluation_does_not_exist(team: Team) -> None:
    assert team.client_for(team.outsider).get(_url(team)).status_code == 404


def test_ratings_the_core_cannot_accept_give_its_message_not_an_error_page(
    scored: Scored,
) -> None:
    team = scored.team
    rating = Rating.objects.filter(
        sheet__interview__evaluation=team.evaluation, value__isnull=False
    ).first()
    assert rating is not None
    Rating.objects.filter(pk=rating.pk).update(value=9)
    response = team.client_for(team.lead).get(_url(team))
    assert response.status_code == 200
    page = text(response.content.decode())
    code = Interview.objects.get(sheets__ratings=rating).code
    assert "The quality checks cannot be shown yet." in page
    assert f"Interview {code}: the rating 9 is off the scale" in page
    assert "row 2" not in page


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(list(frame.columns)).reset_index(drop=True)


def test_final_ratings_are_read_in_chunks_with_the_same_rows(
    scored: Scored, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Interview keys go to the database a bounded number at a time (a statement may carry
    at most 65,535 parameters on PostgreSQL, 32,766 on SQLite); the rows are the same."""
    interviews = list(
        Interview.objects.filter(
            evaluation=scored.team.evaluation, status=Interview.Status.FINAL
        ).order_by("pk")
    )
    whole = scores.final_ratings(interviews)
    assert len(interviews) == 36
    assert (whole["rater"] == "consensus").any()
    monkeypatch.setattr(scores, "IDS_PER_QUERY", 5)
    asked: list[int] = []
    for name in ("_sheet_rows", "_agreed_rows"):
        query = getattr(scores, name)

        def counted(ids: list[int], query: Any = query) -> Any:
            asked.append(len(ids))
            return query(ids)

        monkeypatch.setattr(scores, name, counted)
    chunked = scores.final_ratings(interviews)
    # Ratings and agreed ratings, each for 36 keys 5 at a time.
    assert sorted(asked) == sorted([5] * 7 + [1] + [5] * 7 + [1])
    pd.testing.assert_frame_equal(_sorted(chunked), _sorted(whole))


def test_on_postgresql_final_ratings_come_through_copy_with_the_same_rows(
    scored: Scored, monkeypatch: pytest.MonkeyPatch
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("COPY is PostgreSQL's (CI runs this on PostgreSQL)")
    interviews = list(
        Interview.objects.filter(evaluation=scored.team.evaluation, status=Interview.Status.FINAL)
    )
    informant = {i.pk: i.informant for i in interviews}
    chunks = scores._chunks(list(informant))
    by_orm = scores._read_by_orm(chunks, informant)
    assert not by_orm["rating"].str.isdigit().all()  # codes as well as values
    assert (by_orm["rater"] == "consensus").any()
    pd.testing.assert_frame_equal(_sorted(scores._read_by_copy(chunks, informant)), _sorted(by_orm))

    def refuse(*args: object) -> None:
        raise AssertionError("final_ratings read through the ORM on PostgreSQL")

    monkeypatch.setattr(scores, "_read_by_orm", refuse)
    assert len(scores.final_ratings(interviews)) == len(by_orm)
    assert scores._read_by_copy([], {}).empty


def test_once_stored_the_page_reads_no_rating(scored: Scored) -> None:
    from django.core.cache import cache
    from django.test.utils import CaptureQueriesContext

    team = scored.team
    client = team.client_for(team.lead)
    first = client.get(_url(team)).content.decode()  # works the checks out and stores them
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        again = client.get(_url(team)).content.decode()
    assert not [q for q in queries if "interviews_rating" in q["sql"]]
    assert "Based on 36 final interviews" in text(again)
    assert text(again) == text(first)
