"""Everyone in the project reads the ratings: per card and per cluster, by group, with the
ladder and the go-zone; every number checked against pandas and scipy."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pandas as pd
import pytest
from django.urls import reverse
from scipy import stats
from tests.web.coproduction_mapping_fixtures import (
    add_cards,
    add_ratings,
    add_scales,
    add_sorters,
    set_groups,
    stored_map,
)

from peerprinciples.web.coproduction.models import Member, StatementRating
from peerprinciples.web.coproduction.services import mapping
from peerprinciples.web.coproduction.services import rating_results as results

pytestmark = pytest.mark.django_db

GROUPS = {"S01": "Peer worker", "S02": "Peer worker", "S03": "Peer worker", "S04": "Peer worker"}
GROUPS |= {"S05": "Manager", "S06": "Manager", "S07": "Manager"}


def _fixed(value: float) -> str:
    """A mean as the page prints it: two decimals, rounded half up."""
    return str(Decimal(repr(float(value))).quantize(Decimal("0.01"), ROUND_HALF_UP))


@pytest.fixture
def rated(panel) -> Any:  # type: ignore[no-untyped-def]
    """Nine cards, twelve sorters (seven of them in two groups) who also rated every card
    on importance and feasibility, a tenth of the ratings left out."""
    project = panel.project
    cards = add_cards(project)
    members = add_sorters(project, 12)
    set_groups(members, GROUPS)
    add_ratings(members, add_scales(project), cards)
    return project


def _frame(project) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    rows = StatementRating.objects.filter(card__project=project).values_list(
        "member__code", "member__group", "card__number", "scale__key", "value"
    )
    return pd.DataFrame(list(rows), columns=["rater", "group", "card", "scale", "value"])


def _page(panel, project, **query) -> str:  # type: ignore[no-untyped-def]
    url = reverse("coproduction:ratings", args=[project.pk])
    response = panel.client_for(panel.panel).get(url, query)
    assert response.status_code == 200
    return response.content.decode()


def test_card_averages_match_pandas(panel, rated) -> None:  # type: ignore[no-untyped-def]
    frame = _frame(rated)
    # pandas: mean, count and sample standard deviation (ddof=1) per card and scale
    expected = frame.groupby(["scale", "card"])["value"].agg(["mean", "count", "std"])
    rows = results.statement_rows(results.read(rated))
    for row in rows:
        for (everyone, _), key in zip(row.cells, ("importance", "feasibility"), strict=True):
            mean, n, sd = expected.loc[(key, row.card.number)]
            assert everyone.n == n
            assert everyone.mean == pytest.approx(mean)
            assert everyone.sd == pytest.approx(sd)
    page = _page(panel, rated)
    mean, n, sd = expected.loc[("importance", 4)]
    assert (
        f'<span class="mean">{_fixed(mean)}</span><span class="count">n {int(n)}, sd {_fixed(sd)}'
        in page
    )


def test_group_averages_match_pandas(panel, rated) -> None:  # type: ignore[no-untyped-def]
    frame = _frame(rated)
    expected = frame[frame.group != ""].groupby(["group", "scale", "card"])["value"].mean()
    data = results.read(rated)
    assert [g.name for g in data.shown_groups()] == ["Manager", "Peer worker"]
    for row in results.statement_rows(data):
        for (_, by_group), key in zip(row.cells, ("importance", "feasibility"), strict=True):
            for group, (summary, _) in zip(data.shown_groups(), by_group, strict=True):
                assert summary.mean == pytest.approx(
                    expected.loc[(group.name, key, row.card.number)]
                )


def test_cluster_averages_are_the_mean_of_card_means(panel, rated) -> None:  # type: ignore[no-untyped-def]
    stored = stored_map(rated, panel.research)
    mapping.choose_clusters(panel.facilitator, stored, 3, version=stored.version)
    clusters = {
        int(key): region.number
        for region in mapping.result_of(stored).regions(3)
        for key in region.statements
    }
    frame = _frame(rated)
    card_means = frame.groupby(["scale", "card"])["value"].mean().reset_index()
    card_means["cluster"] = card_means["card"].map(clusters)
    expected = card_means.groupby(["scale", "cluster"])["value"].mean()
    rows = results.cluster_rows(results.read(rated))
    assert [row.number for row in rows] == sorted(set(clusters.values()))
    for row in rows:
        importance, feasibility = row.cells
        assert importance[0].mean == pytest.approx(expected.loc[("importance", row.number)])
        assert feasibility[0].mean == pytest.approx(expected.loc[("feasibility", row.number)])
    page = _page(panel, rated)
    assert f'<span class="mean">{_fixed(expected.loc[("importance", 1)])}</span>' in page


def test_the_ladder_of_two_scales_has_pearsons_r_from_scipy(panel, rated) -> None:  # type: ignore[no-untyped-def]
    stored = stored_map(rated, panel.research)
    mapping.choose_clusters(panel.facilitator, stored, 4, version=stored.version)
    data = results.read(rated)
    found = results.ladder_of(data, results.defaults(data))
    frame = _frame(rated)
    clusters = {
        int(k): r.number for r in mapping.result_of(stored).regions(4) for k in r.statements
    }
    card_means = frame.groupby(["scale", "card"])["value"].mean().unstack(0)
    by_cluster = card_means.groupby(card_means.index.map(clusters)).mean()
    r = stats.pearsonr(by_cluster["importance"], by_cluster["feasibility"]).statistic
    assert found.r == pytest.approx(r)
    page = _page(panel, rated)
    assert f"Pearson&#x27;s r = {r:.2f} across 4 clusters" in page


def test_the_ladder_of_one_scale_for_two_groups(panel, rated) -> None:  # type: ignore[no-untyped-def]
    stored_map(rated, panel.research)
    data = results.read(rated)
    asked = results.Comparison(
        "groups", scale="Importance", group_a="Peer worker", group_b="Manager"
    )
    found = results.ladder_of(data, asked)
    frame = _frame(rated)
    imp = frame[frame.scale == "importance"]
    clusters = {
        int(k): r.number
        for r in mapping.result_of(data.clusters.stored).regions(data.clusters.clusters)
        for k in r.statements
    }
    for rung in found.rungs:
        for group, value in (("Peer worker", rung.left), ("Manager", rung.right)):
            means = imp[imp.group == group].groupby("card")["value"].mean()
            expected = means[means.index.map(clusters) == rung.cluster].mean()
            assert value == pytest.approx(expected)
    page = _page(
        panel,
        rated,
        ladder_kind="groups",
        scale="Importance",
        group_a="Peer worker",
        group_b="Manager",
    )
    assert "Importance (Group: Peer worker)" in page


def test_the_go_zone_splits_at_the_mean_of_card_means(panel, rated) -> None:  # type: ignore[no-untyped-def]
    data = results.read(rated)
    zone = results.go_zone_of(data, results.defaults(data))
    card_means = _frame(rated).groupby(["scale", "card"])["value"].mean().unstack(0)
    assert zone.x_split == pytest.approx(card_means["importance"].mean())
    assert zone.y_split == pytest.approx(card_means["feasibility"].mean())
    in_zone = card_means[
        (card_means["importance"] > zone.x_split) & (card_means["feasibility"] > zone.y_split)
    ]
    assert zone.go_zone == tuple(str(card) for card in in_zone.index)


def test_without_a_map_the_page_shows_cards_only_and_says_why(panel, rated) -> None:  # type: ignore[no-untyped-def]
    page = _page(panel, rated)
    assert "There is no concept map yet, so the averages are per card only" in page
    assert "Averages per cluster" not in page
    assert 'id="ladder-heading"' not in page
    assert "Go-zone" in page


def test_a_group_too_small_to_show_is_hidden_with_the_next_smallest(panel, rated) -> None:  # type: ignore[no-untyped-def]
    carer = Member.objects.get(project=rated, code="S08")
    set_groups([carer], {"S08": "Carer"})
    data = results.read(rated)
    shown = {g.name: g.shown for g in data.groups}
    # Carer (1 rater) alone could be worked out from everyone's averages and the others':
    # the smallest shown group (Manager, 3 raters) is hidden with it.
    assert shown == {"Carer": False, "Manager": False, "Peer worker": True}
    page = _page(panel, rated)
    assert "Carer: 1 rater — not shown apart" in page
    assert "Importance: Carer" not in page
    assert "Importance: Peer worker" in page


def test_the_svg_downloads_follow_the_query_and_refuse_plainly(panel, rated) -> None:  # type: ignore[no-untyped-def]
    client = panel.client_for(panel.panel)
    zone = client.get(reverse("coproduction:go_zone_svg", args=[rated.pk]))
    assert zone["Content-Type"] == "image/svg+xml"
    assert zone.content.startswith(b"<svg")
    ladder = client.get(reverse("coproduction:ladder_svg", args=[rated.pk]))
    assert ladder.status_code == 400
    assert "needs a concept map first" in ladder.content.decode()
    same = client.get(
        reverse("coproduction:go_zone_svg", args=[rated.pk]),
        {
            "x": "Importance",
            "y": "Importance",
            "left": "Importance",
            "right": "Feasibility",
            "scale": "Importance",
            "ladder_kind": "scales",
        },
    )
    assert same.status_code == 400
    assert "two different scales" in same.content.decode()


def test_with_no_ratings_the_page_says_so(panel) -> None:  # type: ignore[no-untyped-def]
    add_cards(panel.project)
    add_scales(panel.project)
    assert "Nobody has rated the cards yet" in _page(panel, panel.project)


def test_a_groups_average_of_a_card_rated_by_fewer_than_three_is_held_back(panel, rated) -> None:  # type: ignore[no-untyped-def]
    frame = _frame(rated)
    counts = frame[frame.group != ""].groupby(["group", "scale", "card"])["value"].count()
    few = int(((counts > 0) & (counts < results.MIN_GROUP_RATERS)).sum())  # pandas
    assert few > 0  # the fixture's Manager group (three raters) skipped some cards
    page = _page(panel, rated)
    assert page.count("fewer than 3 ratings") == few


def test_the_page_says_what_each_questions_numbers_mean(panel, rated) -> None:  # type: ignore[no-untyped-def]
    importance = rated.scales.get(key="importance")
    importance.label = "How important is this for peer support here?"
    importance.lowest_means, importance.highest_means = (
        "Not important at all",
        "Extremely important",
    )
    importance.save()
    page = _page(panel, rated)
    assert "<h2>What the numbers mean</h2>" in page
    assert (
        "<dt>Importance</dt><dd>“How important is this for peer support here?”, from 1 "
        "(“Not important at all”) to 5 (“Extremely important”)</dd>"
    ) in page
    assert "<dt>Feasibility</dt><dd>“Feasibility”, from 1 to 5</dd>" in page


def test_a_groups_average_is_held_back_when_the_cards_other_ratings_are_fewer_than_three(
    panel,
) -> None:  # type: ignore[no-untyped-def]
    # Everyone's average always shows. Two groups of three are shown; a third person has no
    # group. Where all seven rated a card, subtracting the shown groups from everyone's sum
    # would give that one person's rating: the smaller shown group's average is held back.
    project = panel.project
    cards = add_cards(project)[:2]
    members = add_sorters(project, 7)
    set_groups(members, {f"S0{n}": "Peer worker" for n in (1, 2, 3)})
    set_groups(members, {f"S0{n}": "Manager" for n in (4, 5, 6)})
    importance, _ = add_scales(project)
    values = {"S01": 4, "S02": 5, "S03": 3, "S04": 2, "S05": 2, "S06": 3, "S07": 5}
    for member in members:
        StatementRating.objects.create(
            member=member, card=cards[0], scale=importance, value=values[member.code]
        )
        if member.code != "S07":  # card 2: nobody outside the two groups rated it
            StatementRating.objects.create(member=member, card=cards[1], scale=importance, value=3)
    data = results.read(project)
    rows = results.statement_rows(data)
    by_group = dict(zip([g.name for g in data.shown_groups()], rows[0].cells[0][1], strict=True))
    everyone = rows[0].cells[0][0]
    assert everyone.n == 7
    # Manager and Peer worker have three ratings each; ties go to the earlier name.
    assert [name for name, (_, held) in by_group.items() if held] == ["Manager"]
    assert [held for _, held in rows[1].cells[0][1]] == [False, False]
    page = _page(panel, project)
    assert page.count("held back, so that fewer than 3 other ratings cannot be worked out") == 1
    # What the page still shows cannot give S07's rating: two unknowns, one sum.
    shown_sum = everyone.mean * 7 - by_group["Peer worker"][0].mean * 3
    assert shown_sum == pytest.approx(values["S07"] + 2 + 2 + 3)
