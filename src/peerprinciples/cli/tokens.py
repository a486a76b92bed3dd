"""``peerprinciples token``: personal access tokens on a server without a browser.

``token make --user U --evaluation N --role R --name TEXT [--days 90]``
    make a token and print its secret, once;
``token list --user U``
    a person's tokens, with their state and last use (never a secret);
``token revoke --user U PREFIX``
    stop one of a person's tokens working.

The same rules as the account page: a role no higher than the person's own in the
evaluation, at most 366 days. Exit code 1 when refused, with the reason.
"""

from __future__ import annotations

import argparse
from typing import Any

from peerprinciples.cli.commands import Stop, add_command, report
from peerprinciples.core.library import Library


def _django() -> None:
    from peerprinciples.web.serve import setup_django

    setup_django()


def _user(username: str) -> Any:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise Stop(f"there is no account '{username}'.")
    return user


def token_make(args: argparse.Namespace, library: Library) -> int:
    """Make a personal access token and print its secret once."""
    _django()
    from peerprinciples.web.errors import DomainError
    from peerprinciples.web.evaluations.models import Evaluation
    from peerprinciples.web.tokens.services import make_token

    try:
        user = _user(args.user)
        evaluation = Evaluation.objects.filter(pk=args.evaluation).first()
        if evaluation is None:
            raise Stop(f"there is no evaluation {args.evaluation}.")
        try:
            made = make_token(user, evaluation, name=args.name, role=args.role, days=args.days)
        except DomainError as error:
            raise Stop(str(error)) from None
    except Stop as stop:
        return report(stop)
    token = made.token
    print(
        f"Token “{token.name}” for {evaluation.name}, role {token.role}, "
        f"until {token.expires_at:%Y-%m-%d %H:%M %Z}."
    )
    print("Its secret, shown this once (keep it where only the program using it can read it):")
    print(made.secret)
    return 0


def token_list(args: argparse.Namespace, library: Library) -> int:
    """List a person's tokens: prefix, state, role, evaluation, expiry and last use."""
    _django()
    from peerprinciples.web.tokens.models import AccessToken

    try:
        user = _user(args.user)
    except Stop as stop:
        return report(stop)
    tokens = AccessToken.objects.filter(user=user).select_related("evaluation")
    for token in tokens:
        state = "revoked" if token.revoked_at else ("works" if token.active else "expired")
        used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
        print(
            f"ppat_{token.prefix}…  {state:8} {token.role:12} evaluation {token.evaluation_id}  "
            f"until {token.expires_at:%Y-%m-%d}  last used {used}  {token.name}"
        )
    if not tokens:
        print(f"{user.get_username()} has no tokens.")
    return 0


def token_revoke(args: argparse.Namespace, library: Library) -> int:
    """Stop one of a person's tokens working, named by the start of its secret."""
    _django()
    from peerprinciples.web.tokens.models import AccessToken
    from peerprinciples.web.tokens.services import revoke_token

    prefix = args.prefix.removeprefix("ppat_").rstrip("….")
    try:
        user = _user(args.user)
        token = AccessToken.objects.filter(user=user, prefix=prefix).first()
        if token is None:
            raise Stop(
                f"{user.get_username()} has no token starting ppat_{prefix}; "
                "'peerprinciples token list' shows them."
            )
    except Stop as stop:
        return report(stop)
    revoke_token(user, token)
    print(f"The token “{token.name}” (ppat_{token.prefix}…) no longer works.")
    return 0


def register(commands: Any) -> argparse.ArgumentParser:
    """Add ``token`` and its actions."""
    parser: argparse.ArgumentParser = commands.add_parser(
        "token",
        help="personal access tokens for the API",
        description="Make, list and revoke personal access tokens for the API.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    make = add_command(actions, "make", token_make, "make a token and print its secret once")
    make.add_argument("--user", required=True, help="whose token it is")
    make.add_argument("--evaluation", type=int, required=True, help="the evaluation it opens")
    make.add_argument("--role", required=True, help="the role it acts with")
    make.add_argument("--name", required=True, help="what it is for")
    make.add_argument("--days", type=int, default=90, help="days until it stops (default 90)")
    listing = add_command(actions, "list", token_list, "list a person's tokens")
    listing.add_argument("--user", required=True)
    revoke = add_command(actions, "revoke", token_revoke, "revoke a token")
    revoke.add_argument("--user", required=True)
    revoke.add_argument("prefix", metavar="PREFIX", help="the start of the secret, ppat_xxxxxxxx")
    return parser
