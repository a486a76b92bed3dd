"""Personal access tokens: made for one evaluation with a role no higher than the maker's,
shown once and stored as a hash, expiring, revocable, listed with their last use, limited in
rate; and the same from the command line."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from tests.web.conftest import Team

from peerprinciples.cli.main import main
from peerprinciples.web.audit.models import AuditEvent
from peerprinciples.web.errors import DomainError
from peerprinciples.web.evaluations import services as setup
from peerprinciples.web.permissions import token_roles
from peerprinciples.web.tokens.models import AccessToken
from peerprinciples.web.tokens.services import LAST_USE_EVERY, find_token, make_token

pytestmark = pytest.mark.django_db

EVALUATIONS = "/api/v1/evaluations/"


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def test_the_secret_is_never_stored_only_its_digest(team: Team) -> None:
    made = make_token(team.lead, team.evaluation, name="nightly pull", role="lead", days=30)
    assert made.secret.startswith("ppat_")
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM tokens_accesstoken")
        rows = [str(value) for row in cursor.fetchall() for value in row]
    assert not any(made.secret in value or made.secret[5:] in value for value in rows)
    assert made.token.digest in rows
    trail = [f"{event.summary} {event.before} {event.after}" for event in AuditEvent.objects.all()]
    assert trail
    assert not any(made.secret[5:] in entry for entry in trail)


def test_the_prefix_finds_a_token_and_a_wrong_secret_with_the_right_prefix_does_not(
    team: Team,
) -> None:
    made = make_token(team.lead, team.evaluation, name="pull", role="lead", days=30)
    assert find_token(made.secret) == made.token
    tampered = made.secret[:-1] + ("A" if made.secret[-1] != "A" else "B")
    assert find_token(tampered) is None
    assert find_token("ppat_short") is None
    assert find_token("Bearer nonsense") is None


def test_a_token_calls_the_api_and_expiry_and_revocation_stop_it(team: Team) -> None:
    made = make_token(team.lead, team.evaluation, name="pull", role="lead", days=30)
    answer = Client().get(EVALUATIONS, headers=bearer(made.secret))
    assert answer.status_code == 200
    assert [item["id"] for item in answer.json()["items"]] == [team.evaluation.pk]

    AccessToken.objects.filter(pk=made.token.pk).update(expires_at=timezone.now())
    refused = Client().get(EVALUATIONS, headers=bearer(made.secret))
    assert refused.status_code == 401
    assert refused["Content-Type"] == "application/problem+json"
    assert refused["WWW-Authenticate"].startswith("Bearer")

    again = make_token(team.lead, team.evaluation, name="pull 2", role="lead", days=30)
    client = team.client_for(team.lead)
    client.post(reverse("tokens:revoke", args=[again.token.pk]))
    assert Client().get(EVALUATIONS, headers=bearer(again.secret)).status_code == 401
    assert AuditEvent.objects.filter(summary__startswith="Revoked the access token").exists()


def test_last_use_is_written_at_most_once_a_minute(team: Team) -> None:
    made = make_token(team.lead, team.evaluation, name="pull", role="lead", days=30)
    assert made.token.last_used_at is None
    Client().get(EVALUATIONS, headers=bearer(made.secret))
    first = AccessToken.objects.get(pk=made.token.pk).last_used_at
    assert first is not None
    Client().get(EVALUATIONS, headers=bearer(made.secret))
    assert AccessToken.objects.get(pk=made.token.pk).last_used_at == first
    earlier = first - LAST_USE_EVERY
    AccessToken.objects.filter(pk=made.token.pk).update(last_used_at=earlier)
    Client().get(EVALUATIONS, headers=bearer(made.secret))
    assert AccessToken.objects.get(pk=made.token.pk).last_used_at > earlier


def test_a_token_role_is_never_higher_than_its_makers(team: Team) -> None:
    assert set(token_roles("lead")) >= {"lead", "viewer"}
    assert "lead" not in token_roles("rater")
    assert "rater" in token_roles("rater")
    assert "viewer" in token_roles("rater")
    assert token_roles("viewer") == ["viewer"]
    with pytest.raises(DomainError, match="no higher than your own"):
        make_token(team.rater, team.evaluation, name="x", role="lead", days=30)
    with pytest.raises(DomainError, match="no higher than your own"):
        make_token(team.outsider, team.evaluation, name="x", role="viewer", days=30)
    with pytest.raises(DomainError, match="1 to 366 days"):
        make_token(team.lead, team.evaluation, name="x", role="lead", days=400)
    with pytest.raises(DomainError, match="name"):
        make_token(team.lead, team.evaluation, name="  ", role="lead", days=3)


def test_a_lowered_role_or_an_ended_membership_takes_the_tokens_rights_away(team: Team) -> None:
    made = make_token(team.coordinator, team.evaluation, name="pull", role="coordinator", days=9)
    url = f"/api/v1/evaluations/{team.evaluation.pk}"
    assert Client().get(url, headers=bearer(made.secret)).json()["role"] == "coordinator"
    setup.add_member(team.lead, team.evaluation, username="coordinator", role="viewer", services=[])
    assert Client().get(url, headers=bearer(made.secret)).status_code == 404
    team.evaluation.memberships.filter(user=team.coordinator).delete()
    assert Client().get(url, headers=bearer(made.secret)).status_code == 404


def test_over_the_rate_limit_the_api_answers_429_with_retry_after(
    team: Team, settings: Any
) -> None:
    from django.core.cache import cache

    cache.clear()
    settings.PEERPRINCIPLES_API_RATE_PER_TOKEN = "3/min"
    made = make_token(team.lead, team.evaluation, name="pull", role="lead", days=30)
    other = make_token(team.lead, team.evaluation, name="other", role="viewer", days=30)
    answers = [Client().get(EVALUATIONS, headers=bearer(made.secret)) for _ in range(4)]
    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    body = answers[-1].json()
    assert body["type"] == "urn:peerprinciples:problem:rate-limited"
    assert body["status"] == 429
    assert 1 <= int(answers[-1]["Retry-After"]) <= 60
    # The limit is the token's own: another token of the same person still works.
    assert Client().get(EVALUATIONS, headers=bearer(other.secret)).status_code == 200
    cache.clear()


def test_a_bad_rate_setting_stops_start_up_with_a_clear_message(monkeypatch: Any) -> None:
    from django.core.exceptions import ImproperlyConfigured

    from peerprinciples.web.settings import env_rate

    monkeypatch.setenv("PEERPRINCIPLES_API_RATE_PER_TOKEN", "lots")
    with pytest.raises(ImproperlyConfigured, match="600/min"):
        env_rate("PEERPRINCIPLES_API_RATE_PER_TOKEN", "600/min")
    monkeypatch.setenv("PEERPRINCIPLES_API_RATE_PER_TOKEN", "100/h")
    assert env_rate("PEERPRINCIPLES_API_RATE_PER_TOKEN", "600/min") == "100/h"


def test_the_pages_make_a_token_show_its_secret_once_and_list_it(team: Team) -> None:
    client = team.client_for(team.rater)
    form = client.get(reverse("tokens:make"))
    assert form.status_code == 200
    assert team.evaluation.name in form.content.decode()
    refused = client.post(
        reverse("tokens:make"),
        {"name": "pull", "evaluation": team.evaluation.pk, "role": "lead", "days": 30},
    )
    assert refused.status_code == 400
    assert "so a token for it can act as: rater, viewer" in refused.content.decode()
    assert not AccessToken.objects.exists()

    made = client.post(
        reverse("tokens:make"),
        {"name": "nightly pull", "evaluation": team.evaluation.pk, "role": "rater", "days": 30},
    )
    assert made.status_code == 200
    assert "no-store" in made["Cache-Control"]
    token = AccessToken.objects.get()
    page = made.content.decode()
    secret = page.split('id="secret"')[1].split('value="')[1].split('"')[0]
    assert secret.startswith(f"ppat_{token.prefix}")
    listing = client.get(reverse("tokens:index")).content.decode()
    assert "nightly pull" in listing
    assert f"ppat_{token.prefix}" in listing
    assert secret not in listing
    assert "never" in listing
    assert find_token(secret) == token


def test_only_the_maker_sees_and_revokes_a_token(team: Team) -> None:
    made = make_token(team.lead, team.evaluation, name="lead's", role="lead", days=30)
    other = team.client_for(team.rater)
    assert "lead&#x27;s" not in other.get(reverse("tokens:index")).content.decode()
    assert other.post(reverse("tokens:revoke", args=[made.token.pk])).status_code == 404
    assert AccessToken.objects.get(pk=made.token.pk).revoked_at is None


def test_someone_in_no_evaluation_is_told_a_token_would_open_nothing(make_user: Any) -> None:
    client = Client()
    client.force_login(make_user("newcomer"))
    page = client.get(reverse("tokens:make")).content.decode()
    assert "nothing a token could open" in page


def test_the_command_line_makes_lists_and_revokes(team: Team, capsys: Any) -> None:
    code = main(
        ["token", "make", "--user", "lead", "--evaluation", str(team.evaluation.pk),
         "--role", "viewer", "--name", "REDCap pipeline", "--days", "10"]
    )  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    secret = out.strip().splitlines()[-1]
    token = find_token(secret)
    assert token is not None
    assert token.role == "viewer"

    assert main(["token", "list", "--user", "lead"]) == 0
    listing = capsys.readouterr().out
    assert f"ppat_{token.prefix}" in listing
    assert "works" in listing
    assert secret not in listing

    assert main(["token", "revoke", "--user", "lead", f"ppat_{token.prefix}…"]) == 0
    assert find_token(secret) is None
    capsys.readouterr()

    refused = main(
        ["token", "make", "--user", "rater", "--evaluation", str(team.evaluation.pk),
         "--role", "lead", "--name", "x"]
    )  # fmt: skip
    assert refused == 1
    assert "no higher than your own" in capsys.readouterr().err
    assert main(["token", "revoke", "--user", "lead", "ppat_nothere"]) == 1
    assert "token list" in capsys.readouterr().err
    assert main(["token", "list", "--user", "nobody"]) == 1


def test_the_demo_token_is_fresh_at_each_start(team: Team) -> None:
    from peerprinciples.web.tokens.demo import fresh_demo_token

    team.lead.username = "demo-lead"
    team.lead.save()
    first = fresh_demo_token(team.evaluation)
    second = fresh_demo_token(team.evaluation)
    assert find_token(first.secret) is None
    assert find_token(second.secret) == second.token
    assert second.token.expires_at - timezone.now() <= timedelta(days=7)
