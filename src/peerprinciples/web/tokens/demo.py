"""The demo's token: a fresh one at each start, so a newcomer can try the API at once."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from peerprinciples.web.evaluations.models import Evaluation
from peerprinciples.web.tokens.models import AccessToken
from peerprinciples.web.tokens.services import MadeToken, make_token, revoke_token

DEMO_TOKEN_NAME = "demo nightly pull"
DEMO_TOKEN_DAYS = 7


def fresh_demo_token(evaluation: Evaluation, username: str = "demo-lead") -> MadeToken:
    """Revoke the demo lead's earlier demo tokens and make a new one for the demo
    evaluation; its secret can be printed, since only synthetic data lie behind it."""
    lead = get_user_model().objects.get(username=username)
    with transaction.atomic():
        for earlier in AccessToken.objects.filter(
            user=lead, name=DEMO_TOKEN_NAME, revoked_at__isnull=True
        ):
            revoke_token(lead, earlier)
        return make_token(lead, evaluation, name=DEMO_TOKEN_NAME, role="lead", days=DEMO_TOKEN_DAYS)
