"""Draft principles to run drafting rounds on, and helpers to vote."""

from __future__ import annotations

from typing import Any

from peerprinciples.web.coproduction.models import (
    DraftAspect,
    DraftingRound,
    DraftPrinciple,
    DraftTheme,
    RoundStatement,
)
from peerprinciples.web.coproduction.services import rounds as services


def make_drafts(project: Any) -> dict[str, Any]:
    """Two principles (the first with one aspect) and a theme: four statements a round."""
    listening = DraftPrinciple.objects.create(
        project=project,
        key="listening",
        title="Listening first",
        definition="Peer workers listen before they suggest anything.",
        position=1,
    )
    aspect = DraftAspect.objects.create(principle=listening, text="They ask what the person wants.")
    hope = DraftPrinciple.objects.create(
        project=project,
        key="hope",
        title="Hope",
        definition="Peer workers share how things got better.",
        position=2,
    )
    theme = DraftTheme.objects.create(
        project=project, key="diversity", title="Diversity", description="Many kinds of lives."
    )
    return {"listening": listening, "aspect": aspect, "hope": hope, "theme": theme}


def statement(drafting_round: DraftingRound, target: Any) -> RoundStatement:
    """The round's statement about a principle, aspect or theme."""
    kind = type(target).__name__
    field = {"DraftPrinciple": "principle", "DraftAspect": "aspect", "DraftTheme": "theme"}[kind]
    found = drafting_round.statements.filter(**{field: target})
    if field == "principle":
        found = found.filter(kind="principle")
    return found.get()


def vote_all(
    user: Any, member: Any, drafting_round: DraftingRound, ratings: dict[Any, int | None]
) -> Any:
    """Hand in ``member``'s ballot, ``ratings`` by principle/aspect/theme."""
    entries = {
        statement(drafting_round, target).pk: services.Entry(rating, f"note on {rating}")
        for target, rating in ratings.items()
    }
    return services.submit_ballot(user, member, drafting_round, entries)
