"""The facilitator sets the questions every statement is rated on."""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests.web.coproduction_mapping_fixtures import add_cards

from peerprinciples.web.audit.models import AuditEvent
from peerprinciples.web.coproduction.models import Member, RatingScale, StatementRating

pytestmark = pytest.mark.django_db


def _url(panel) -> str:  # type: ignore[no-untyped-def]
    return reverse("coproduction:scales", args=[panel.project.pk])


def _change(scale: RatingScale, **fields: object) -> dict[str, object]:
    prefix = f"scale-{scale.pk}-"
    data: dict[str, object] = {
        "action": "change",
        "scale": scale.pk,
        prefix + "label": scale.label,
        prefix + "lowest": scale.lowest,
        prefix + "highest": scale.highest,
        prefix + "lowest_means": scale.lowest_means,
        prefix + "highest_means": scale.highest_means,
        prefix + "version": scale.version,
    }
    data.update({prefix + k: v for k, v in fields.items()})
    return data


def test_it_adds_importance_and_feasibility_with_what_their_ends_mean(panel) -> None:  # type: ignore[no-untyped-def]
    client = panel.client_for(panel.facilitator)
    page = client.get(_url(panel))
    assert "Use these two questions" in page.content.decode()
    response = client.post(_url(panel), {"action": "defaults"})
    assert response.status_code == 302
    scales = list(RatingScale.objects.filter(project=panel.project))
    assert [(s.key, s.lowest, s.highest) for s in scales] == [
        ("importance", 1, 5),
        ("feasibility", 1, 5),
    ]
    assert scales[0].lowest_means == "Not important at all"
    assert AuditEvent.objects.filter(object_type="coproduction.RatingScale").count() == 2


def test_it_refuses_the_defaults_twice(panel) -> None:  # type: ignore[no-untyped-def]
    client = panel.client_for(panel.facilitator)
    client.post(_url(panel), {"action": "defaults"})
    response = client.post(_url(panel), {"action": "defaults"})
    assert response.status_code == 409
    assert "has rating scales already" in response.content.decode()
    assert RatingScale.objects.filter(project=panel.project).count() == 2


def test_it_adds_a_scale_of_its_own_with_a_key_from_the_question(panel) -> None:  # type: ignore[no-untyped-def]
    response = panel.client_for(panel.facilitator).post(
        _url(panel),
        {
            "action": "add",
            "new-label": "How urgent is it?",
            "new-lowest": 0,
            "new-highest": 10,
            "new-lowest_means": "Can wait",
            "new-highest_means": "Now",
        },
    )
    assert response.status_code == 302
    scale = RatingScale.objects.get(project=panel.project)
    assert (scale.key, scale.lowest, scale.highest) == ("how-urgent-is-it", 0, 10)


@pytest.mark.parametrize(
    ("lowest", "highest", "message"),
    [(5, 1, "choose a lowest point below the highest"), (1, 1, "below the highest")],
)
def test_it_refuses_a_scale_whose_range_is_empty(panel, lowest, highest, message) -> None:  # type: ignore[no-untyped-def]
    response = panel.client_for(panel.facilitator).post(
        _url(panel),
        {"action": "add", "new-label": "Q", "new-lowest": lowest, "new-highest": highest},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not RatingScale.objects.exists()


def test_it_refuses_a_scale_without_a_question(panel) -> None:  # type: ignore[no-untyped-def]
    response = panel.client_for(panel.facilitator).post(
        _url(panel), {"action": "add", "new-label": " ", "new-lowest": 1, "new-highest": 5}
    )
    assert response.status_code == 400
    assert not RatingScale.objects.exists()


def test_it_changes_a_scale_and_refuses_a_stale_change(panel) -> None:  # type: ignore[no-untyped-def]
    client = panel.client_for(panel.facilitator)
    client.post(_url(panel), {"action": "defaults"})
    scale = RatingScale.objects.get(key="importance")
    opened = _change(scale, label="How much does it matter?")
    assert client.post(_url(panel), opened).status_code == 302
    scale.refresh_from_db()
    assert (scale.label, scale.version) == ("How much does it matter?", 2)
    stale = client.post(_url(panel), {**opened, f"scale-{scale.pk}-label": "Other words"})
    assert stale.status_code == 409
    assert "Someone else changed this rating scale" in stale.content.decode()
    scale.refresh_from_db()
    assert scale.label == "How much does it matter?"


def test_a_rated_scale_may_widen_but_not_leave_out_ratings(panel) -> None:  # type: ignore[no-untyped-def]
    client = panel.client_for(panel.facilitator)
    client.post(_url(panel), {"action": "defaults"})
    scale = RatingScale.objects.get(key="importance")
    card = add_cards(panel.project)[0]
    StatementRating.objects.create(
        member=panel.member(panel.panel), card=card, scale=scale, value=5
    )
    narrower = client.post(_url(panel), _change(scale, highest=4))
    assert narrower.status_code == 400
    assert "Ratings from 5 to 5 were given" in narrower.content.decode()
    assert client.post(_url(panel), _change(scale, highest=7)).status_code == 302
    scale.refresh_from_db()
    assert scale.highest == 7


def test_it_removes_a_scale_nobody_rated_on_but_keeps_a_rated_one(panel) -> None:  # type: ignore[no-untyped-def]
    client = panel.client_for(panel.facilitator)
    client.post(_url(panel), {"action": "defaults"})
    importance, feasibility = RatingScale.objects.order_by("position")
    card = add_cards(panel.project)[0]
    StatementRating.objects.create(
        member=panel.member(panel.panel), card=card, scale=importance, value=3
    )
    kept = client.post(
        _url(panel), {"action": "remove", "scale": importance.pk, "version": importance.version}
    )
    assert kept.status_code == 409
    assert "1 rating was given on this scale" in kept.content.decode()
    gone = client.post(
        _url(panel), {"action": "remove", "scale": feasibility.pk, "version": feasibility.version}
    )
    assert gone.status_code == 302
    assert list(RatingScale.objects.values_list("key", flat=True)) == ["importance"]


def test_a_scale_of_another_project_is_not_found(panel, make_user) -> None:  # type: ignore[no-untyped-def]
    from peerprinciples.web.coproduction.models import Project

    other = Project.objects.create(name="Other", framing_question="?", created_by=panel.outsider)
    Member.objects.create(
        project=other, user=panel.outsider, role=Member.Role.FACILITATOR, code="X"
    )
    theirs = RatingScale.objects.create(project=other, key="k", label="K")
    response = panel.client_for(panel.facilitator).post(
        _url(panel), {"action": "remove", "scale": theirs.pk, "version": 1}
    )
    assert response.status_code == 404
    assert RatingScale.objects.filter(pk=theirs.pk).exists()


def test_an_unknown_action_is_refused(panel) -> None:  # type: ignore[no-untyped-def]
    response = panel.client_for(panel.facilitator).post(_url(panel), {"action": "explode"})
    assert response.status_code == 400


def test_only_the_facilitator_sets_the_questions(panel) -> None:  # type: ignore[no-untyped-def]
    for person in (panel.research, panel.panel):
        assert panel.client_for(person).post(_url(panel), {"action": "defaults"}).status_code == 403
    assert not RatingScale.objects.exists()
