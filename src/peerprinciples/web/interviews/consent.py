"""Consent per interview, and withdrawing an interview as the study's protocol allows.

Consent records the day it was given and the uses it covers (evaluation, quotation, sharing
of anonymised data). Withdrawal offers the choices the evaluation's protocol allows
(:attr:`~peerprinciples.web.evaluations.models.Evaluation.withdrawal_keeps_anonymised`):

* **erase**, always: the interview, its rating sheets and ratings, agreed ratings and cached
  scores are deleted in one transaction;
* **keep anonymised ratings**, when the protocol allows it and the interview is final: the
  ratings keep counting in aggregates, but every link to a person is cut (no peer worker, no
  date, no consent date, a new neutral reference, raters' notes and consensus reasons
  cleared) and the interview is never shown on its own again.

Either way the results are marked changed, the stored results are forgotten at once and
worked out afresh, and the audit trail records who withdrew which service's interview, when
and how, without what was erased; earlier audit events of the interview and its sheets keep
their time and author but lose their summaries and snapshots, which held its reference,
peer worker, date, ratings and notes.
"""

from __future__ import annotations

import datetime as dt
import enum
import secrets
from collections.abc import Collection
from typing import Any

from django.db import transaction
from django.utils import timezone

from peerprinciples.web.audit.services import record, redact
from peerprinciples.web.errors import DomainError, InvalidInput, StaleEdit
from peerprinciples.web.evaluations.models import Evaluation
from peerprinciples.web.interviews.models import (
    ConsensusRating,
    Interview,
    InterviewScore,
    Rating,
    RatingSheet,
)
from peerprinciples.web.interviews.scores import refresh_score
from peerprinciples.web.results.store import forget, request_refresh

WITHDRAWN_NOTE = "Details removed: the interview was withdrawn."
"""What earlier audit events of a withdrawn interview say instead of what they held."""


class Choice(enum.StrEnum):
    """What happens to a withdrawn interview's data."""

    ERASE = "erase"
    KEEP_ANONYMISED = "keep_anonymised"

    @property
    def label(self) -> str:
        """The choice as people read it."""
        return CHOICE_LABELS[self]


CHOICE_LABELS = {
    Choice.ERASE: "Erase the interview and all its ratings",
    Choice.KEEP_ANONYMISED: "Keep its ratings in the group results only, with every link to "
    "the person removed",
}


class AlreadyWithdrawn(DomainError):
    """The interview was withdrawn before, with its ratings kept anonymised."""

    def __init__(self) -> None:
        super().__init__(
            "This interview has already been withdrawn: its ratings are kept, anonymised, in "
            "the group results only, and nothing links them to a person any more."
        )


def withdrawal_choices(evaluation: Evaluation, interview: Interview) -> list[Choice]:
    """The choices the evaluation's protocol offers for this interview.

    Erasing is always offered. Keeping anonymised ratings is offered only when the protocol
    allows it and the interview is final: ratings still being made never count in results.
    """
    found = [Choice.ERASE]
    if evaluation.withdrawal_keeps_anonymised and interview.status == Interview.Status.FINAL:
        found.append(Choice.KEEP_ANONYMISED)
    return found


def _consent(interview: Interview) -> dict[str, Any]:
    return {
        "consent_date": interview.consent_date.isoformat() if interview.consent_date else None,
        "consent_uses": interview.consent_uses,
    }


def _locked(interview: Interview, expected_version: int) -> Interview:
    locked = Interview.objects.select_for_update().filter(pk=interview.pk).first()
    if locked is None:
        raise DomainError("This interview has been withdrawn and erased.")
    if locked.anonymised:
        raise AlreadyWithdrawn
    if locked.version != expected_version:
        raise StaleEdit("interview")
    return locked


@transaction.atomic
def record_consent(
    user: Any,
    interview: Interview,
    *,
    date: dt.date | None,
    uses: Collection[str],
    expected_version: int,
) -> Interview:
    """Record when consent was given for an interview and the uses it covers.

    The audit trail keeps the consent before and after (a date and the uses' keys, no free
    text).
    """
    problems: dict[str, str] = {}
    if date is None:
        problems["date"] = "Give the day consent was given, written YYYY-MM-DD."
    elif date > timezone.localdate():
        problems["date"] = "The day consent was given cannot be in the future."
    unknown = sorted(set(uses) - set(Interview.CONSENT_USES))
    if unknown:
        problems["uses"] = f"Choose among the uses listed (not {', '.join(unknown)})."
    elif not uses:
        problems["uses"] = (
            "Tick at least one use. If the person does not consent to any, withdraw the "
            "interview instead."
        )
    if problems:
        raise InvalidInput(problems)
    locked = _locked(interview, expected_version)
    before = _consent(locked)
    locked.consent_date = date
    for use in Interview.CONSENT_USES:
        setattr(locked, f"consent_{use}", use in uses)
    locked.version += 1
    locked.save(
        update_fields=[
            "consent_date",
            *(f"consent_{use}" for use in Interview.CONSENT_USES),
            "version",
        ]
    )
    record(
        user,
        "change",
        locked,
        evaluation_id=locked.evaluation_id,
        summary=f"Recorded consent for interview {locked.code}",
        before=before,
        after=_consent(locked),
    )
    return locked


def _neutral_code(evaluation_id: int) -> str:
    """A reference that says nothing about the interview, new to the evaluation."""
    while True:
        code = f"W-{secrets.token_hex(5).upper()}"
        if not Interview.objects.filter(evaluation_id=evaluation_id, code=code).exists():
            return code


@transaction.atomic
def withdraw_interview(
    user: Any, interview: Interview, *, choice: str, expected_version: int
) -> Choice:
    """Withdraw an interview: erase it, or keep its ratings anonymised where allowed.

    Raises :class:`AlreadyWithdrawn` for an interview already kept anonymised,
    :class:`StaleEdit` when the interview changed since the page was opened, and
    :class:`InvalidInput` for a choice the protocol does not offer.
    """
    locked = _locked(interview, expected_version)
    evaluation = Evaluation.objects.get(pk=locked.evaluation_id)
    allowed = withdrawal_choices(evaluation, locked)
    if choice not in allowed:
        raise InvalidInput(
            {"choice": "Choose one of the choices listed: the study's protocol allows only those."}
        )
    chosen = Choice(choice)
    service_code = locked.service.code
    sheets = list(RatingSheet.objects.filter(interview=locked).values_list("pk", flat=True))
    # Earlier events held the reference, peer worker, date, ratings and notes: keep each
    # event, who and when, but nothing of what it said.
    redact(locked.evaluation_id, Interview, [locked.pk], WITHDRAWN_NOTE, user=user)
    redact(locked.evaluation_id, RatingSheet, sheets, WITHDRAWN_NOTE, user=user)
    if chosen is Choice.ERASE:
        record(
            user,
            "delete",
            locked,
            evaluation_id=locked.evaluation_id,
            summary=f"Withdrew an interview of service {service_code}: erased with its ratings",
            after={"withdrawal": chosen.value, "service": service_code},
        )
        InterviewScore.objects.filter(interview=locked).delete()
        ConsensusRating.objects.filter(interview=locked).delete()
        Rating.objects.filter(sheet__interview=locked).delete()
        RatingSheet.objects.filter(interview=locked).delete()
        locked.delete()
    else:
        RatingSheet.objects.filter(interview=locked).update(notes="")
        ConsensusRating.objects.filter(interview=locked).update(reason="")
        locked.peer_worker = None
        locked.date = None
        locked.code = _neutral_code(locked.evaluation_id)
        locked.consent_date = None
        locked.anonymised = True
        locked.version += 1
        locked.save()
        record(
            user,
            "change",
            locked,
            evaluation_id=locked.evaluation_id,
            summary=f"Withdrew an interview of service {service_code}: its ratings are kept "
            "in group results only, anonymised",
            after={"withdrawal": chosen.value, "service": service_code},
        )
        # The cached scores no longer name the peer worker.
        refresh_score(locked)
    Evaluation.results_changed(evaluation.pk)
    forget(evaluation.pk)
    request_refresh(evaluation.pk)
    return chosen
