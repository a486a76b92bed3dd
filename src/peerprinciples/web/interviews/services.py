"""Domain actions for interviews: create, rate (draft and final), double rating, consensus.

Every action runs in one transaction, locks the rows it changes, checks the version the
form was opened at (so a stale form never overwrites someone else's change), and records
what changed in the audit trail.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from peerprinciples.core.instruments import Instrument, Item
from peerprinciples.web.audit.services import record, snapshot
from peerprinciples.web.errors import DomainError, InvalidInput, StaleEdit
from peerprinciples.web.evaluations.models import Evaluation, PeerWorker, Round, Service
from peerprinciples.web.interviews.models import (
    ConsensusRating,
    Interview,
    Rating,
    RatingSheet,
)
from peerprinciples.web.interviews.scores import refresh_score
from peerprinciples.web.results.store import request_refresh

EMPTY = ""


@dataclass(frozen=True)
class Answer:
    """One item's answer on a form: a scale point, a special code, or nothing yet."""

    value: int | None = None
    code: str = EMPTY

    @property
    def given(self) -> bool:
        """Whether the rater gave a rating or a code."""
        return self.value is not None or bool(self.code)

    def label(self) -> str:
        """How the answer is shown: the point, the code, or a dash."""
        return str(self.value) if self.value is not None else (self.code or "—")


def parse_answers(
    instrument: Instrument, informant: str, raw: Mapping[str, str]
) -> dict[str, Answer]:
    """Turn posted form values (``item key -> "3"`` or ``"NA"``) into answers, or raise.

    Only the items this informant is asked are read; anything off the scale or not one of
    the instrument's codes is listed by item, so nothing half-valid is ever stored.
    """
    codes = {code.code for code in instrument.codes}
    answers: dict[str, Answer] = {}
    problems: dict[str, str] = {}
    for item in instrument.items_for(informant):
        text = (raw.get(item.key) or "").strip()
        if not text:
            answers[item.key] = Answer()
            continue
        scale = instrument.scale(item.scale)
        if text in codes:
            answers[item.key] = Answer(code=text)
        elif text.lstrip("-").isdigit() and scale.min <= int(text) <= scale.max:
            answers[item.key] = Answer(value=int(text))
        else:
            problems[item.key] = (
                f"{text!r} is not a rating for this item: choose a point from {scale.min} to "
                f"{scale.max}" + (f", or one of {', '.join(sorted(codes))}." if codes else ".")
            )
    if problems:
        raise InvalidInput(problems)
    return answers


def narrow(
    interviews: QuerySet[Interview],
    *,
    service_id: int | None = None,
    round_id: int | None = None,
    status: str | None = None,
    peer_worker_code: str | None = None,
    informant: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[Interview]:
    """The interviews a list shows: narrowed by whatever was chosen (``None``: any), newest
    first, in the order of the index on (evaluation, -date, code), so a page is read from it.

    The interview list page and the API both call this, so a filter means the same in both.
    """
    chosen = {
        "service_id": service_id,
        "round_id": round_id,
        "status": status,
        "peer_worker__code": peer_worker_code,
        "informant": informant,
        "date__gte": date_from,
        "date__lte": date_to,
    }
    wanted = {lookup: value for lookup, value in chosen.items() if value not in (None, "")}
    return (
        interviews.filter(**wanted)
        .select_related("service", "peer_worker", "round")
        .order_by("-date", "code")
    )


def _missing_required(
    instrument: Instrument, informant: str, answers: Mapping[str, Answer]
) -> dict[str, str]:
    return {
        item.key: "This item needs a rating (or a code such as not applicable) before the "
        "ratings can be made final."
        for item in instrument.items_for(informant)
        if item.required and not answers.get(item.key, Answer()).given
    }


@transaction.atomic
def create_interview(
    user: Any,
    evaluation: Evaluation,
    *,
    service: Service,
    peer_worker: PeerWorker | None,
    round: Round,
    informant: str,
    date: dt.date | None,
    code: str,
    double_rated: bool,
) -> Interview:
    """Create an interview; every related object must belong to this evaluation."""
    instrument = evaluation.instrument.model()
    problems: dict[str, str] = {}
    if service.evaluation_id != evaluation.pk:
        problems["service"] = "That service belongs to another evaluation."
    if round.evaluation_id != evaluation.pk:
        problems["round"] = "That round belongs to another evaluation."
    if peer_worker is not None:
        if peer_worker.evaluation_id != evaluation.pk:
            problems["peer_worker"] = "That peer worker belongs to another evaluation."
        elif peer_worker.service_id != service.pk:
            problems["peer_worker"] = f"{peer_worker.code} works in another service."
        elif peer_worker.withdrawn:
            problems["peer_worker"] = (
                f"{peer_worker.code} has withdrawn consent, so no new "
                "interviews about their support can be added."
            )
    if informant not in {i.key for i in instrument.informants}:
        problems["informant"] = "Choose one of the instrument's informants."
    code = code.strip()
    if not code:
        problems["code"] = "Give the interview a reference, such as I-0042."
    if date and date > timezone.localdate():
        problems["date"] = "The interview date cannot be in the future."
    if problems:
        raise InvalidInput(problems)
    try:
        with transaction.atomic():
            interview = Interview.objects.create(
                evaluation=evaluation,
                service=service,
                peer_worker=peer_worker,
                round=round,
                informant=informant,
                date=date,
                code=code,
                double_rated=double_rated,
                created_by=user,
            )
    except IntegrityError:
        raise InvalidInput(
            {"code": "This evaluation already has an interview with that reference."}
        ) from None
    record(
        user,
        "create",
        interview,
        evaluation_id=evaluation.pk,
        summary=f"Created interview {code} ({informant}, {service.code})",
    )
    return interview


def _lock(interview: Interview, expected_version: int | None = None) -> Interview:
    """The interview's row, locked until the transaction ends; checks the form's version."""
    locked = Interview.objects.select_for_update().filter(pk=interview.pk).first()
    if locked is None:
        raise DomainError("This interview has been withdrawn, so it can no longer be rated.")
    if expected_version is not None and locked.version != expected_version:
        raise StaleEdit("interview")
    return locked


def _change(
    user: Any,
    interview: Interview,
    summary: str,
    after: dict[str, Any] | None = None,
    **changes: Any,
) -> None:
    """Apply ``changes`` to a locked interview, bump its version and audit it."""
    before = snapshot(interview)
    for field, value in changes.items():
        setattr(interview, field, value)
    interview.version += 1
    interview.save(update_fields=[*changes, "version"])
    record(
        user,
        "change",
        interview,
        evaluation_id=interview.evaluation_id,
        before=before,
        summary=summary,
        after=after,
    )


def _sheet_answers(sheet: RatingSheet) -> dict[str, Answer]:
    return {r.item: Answer(r.value, r.code) for r in sheet.ratings.all()}


@transaction.atomic
def save_sheet(
    user: Any,
    interview: Interview,
    *,
    answers: Mapping[str, Answer],
    notes: str,
    expected_version: int | None,
    finalise: bool,
) -> RatingSheet:
    """Save the user's own ratings of an interview, as a draft or as final.

    ``expected_version`` is the sheet version the form was opened at (``None`` for a new
    sheet). A mismatch means the sheet changed meanwhile (another tab, a double post), and
    nothing is saved.
    """
    interview = _lock(interview)
    instrument = interview.evaluation.instrument.model()
    if interview.status == Interview.Status.FINAL:
        raise DomainError("This interview is final; its ratings can no longer change.")
    sheet = RatingSheet.objects.select_for_update().filter(interview=interview, rater=user).first()
    if sheet is None:
        if expected_version is not None:
            raise StaleEdit("rating sheet")
        others = interview.sheets.exclude(rater=user).count()
        if others >= interview.raters_needed:
            raise DomainError(
                "This interview already has all the raters it needs. Ask the lead to mark it "
                "for double rating, or rate another interview."
            )
        sheet = RatingSheet.objects.create(interview=interview, rater=user)
        before = None
    else:
        if sheet.status == RatingSheet.Status.FINAL:
            raise DomainError("You have already made your ratings of this interview final.")
        if expected_version != sheet.version:
            raise StaleEdit("rating sheet")
        before = {"notes": sheet.notes, "ratings": _answers_json(_sheet_answers(sheet))}
    if finalise:
        missing = _missing_required(instrument, interview.informant, answers)
        if missing:
            raise InvalidInput(missing)
    _replace_ratings(sheet, instrument.items_for(interview.informant), answers)
    sheet.notes = notes.strip()
    sheet.version = F("version") + 1
    if finalise:
        sheet.status = RatingSheet.Status.FINAL
        sheet.finalised_at = timezone.now()
    sheet.save()
    sheet.refresh_from_db()
    record(
        user,
        "change" if before else "create",
        sheet,
        evaluation_id=interview.evaluation_id,
        summary=f"{'Finalised' if finalise else 'Saved a draft of'} ratings for {interview.code}",
        before=before,
        after={"notes": sheet.notes, "ratings": _answers_json(answers), "status": sheet.status},
    )
    _advance(user, interview)
    return sheet


def _replace_ratings(sheet: RatingSheet, items: list[Item], answers: Mapping[str, Answer]) -> None:
    sheet.ratings.all().delete()
    Rating.objects.bulk_create(
        [
            Rating(
                sheet=sheet,
                item=item.key,
                value=answers[item.key].value,
                code=answers[item.key].code,
            )
            for item in items
            if answers.get(item.key, Answer()).given
        ]
    )


def _answers_json(answers: Mapping[str, Answer]) -> dict[str, Any]:
    return {
        key: a.value if a.value is not None else a.code
        for key, a in sorted(answers.items())
        if a.given
    }


def _advance(user: Any, interview: Interview) -> None:
    """Move the interview's status on as its sheets become final."""
    final = interview.sheets.filter(status=RatingSheet.Status.FINAL).count()
    needed = interview.raters_needed
    if final >= needed:
        status = Interview.Status.CONSENSUS if interview.double_rated else Interview.Status.FINAL
    elif final:
        status = Interview.Status.RATED
    else:
        status = Interview.Status.DRAFT
    if status != interview.status:
        label = Interview.Status(status).label
        _change(user, interview, f"Interview {interview.code} is now: {label}", status=status)
        if status == Interview.Status.FINAL:
            refresh_score(interview)
            request_refresh(interview.evaluation_id)


def final_sheets(interview: Interview) -> list[RatingSheet]:
    """The interview's final sheets, first finalised first."""
    return list(
        interview.sheets.filter(status=RatingSheet.Status.FINAL)
        .select_related("rater")
        .prefetch_related("ratings")
        .order_by("finalised_at")
    )


@transaction.atomic
def record_consensus(
    user: Any,
    interview: Interview,
    *,
    answers: Mapping[str, Answer],
    reasons: Mapping[str, str],
    expected_version: int,
) -> Interview:
    """Record the agreed ratings of a double-rated interview whose two sheets are final.

    Where the agreed rating differs from both raters' a reason is required, so the record
    shows how the disagreement was settled.
    """
    interview = _lock(interview, expected_version)
    if interview.status != Interview.Status.CONSENSUS:
        raise DomainError(
            "Consensus can be recorded once both raters have made their ratings "
            "final, and only once."
        )
    instrument = interview.evaluation.instrument.model()
    sheets = [_sheet_answers(s) for s in final_sheets(interview)]
    problems = _missing_required(instrument, interview.informant, answers)
    for item in instrument.items_for(interview.informant):
        agreed = answers.get(item.key, Answer())
        given = [s.get(item.key, Answer()) for s in sheets]
        if (
            agreed.given
            and all(agreed != g for g in given)
            and not reasons.get(item.key, "").strip()
        ):
            problems[item.key] = (
                "The agreed rating differs from both raters': say briefly how you reached it."
            )
    if problems:
        raise InvalidInput(problems)
    ConsensusRating.objects.bulk_create(
        [
            ConsensusRating(
                interview=interview,
                item=key,
                value=answer.value,
                code=answer.code,
                reason=reasons.get(key, "").strip(),
                recorded_by=user,
            )
            for key, answer in answers.items()
            if answer.given
        ]
    )
    _change(
        user,
        interview,
        f"Recorded consensus for {interview.code}",
        after={
            "status": Interview.Status.FINAL,
            "consensus": _answers_json(answers),
            "reasons": {k: v for k, v in reasons.items() if v.strip()},
        },
        status=Interview.Status.FINAL,
    )
    refresh_score(interview)
    request_refresh(interview.evaluation_id)
    return interview


@transaction.atomic
def set_double_rated(
    user: Any, interview: Interview, *, double_rated: bool, expected_version: int
) -> Interview:
    """Mark an interview for double rating (or undo it while only one sheet exists)."""
    interview = _lock(interview, expected_version)
    if interview.status in (Interview.Status.FINAL, Interview.Status.CONSENSUS):
        raise DomainError("This interview is already fully rated.")
    if not double_rated and interview.sheets.count() > 1:
        raise DomainError("Two raters have already started; it stays double-rated.")
    _change(
        user,
        interview,
        f"Interview {interview.code} {'will' if double_rated else 'will not'} be double-rated",
        double_rated=double_rated,
    )
    _advance(user, interview)
    return interview
