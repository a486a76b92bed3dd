"""Erasure on request: one interview's, or one peer worker's, data removed everywhere.

A person may ask, under data-protection law, for what is held about them to be erased. That
is not the same as withdrawing from a study (:mod:`peerprinciples.web.interviews.consent`),
where the protocol may keep anonymised ratings: erasure keeps nothing of the person. In one
transaction, all of it or none of it, it removes:

* the interview (for a peer worker, every interview about their support), its rating sheets,
  ratings, agreed ratings and cached scores;
* for a peer worker, their code itself, the account link to it (the membership; the account
  stays, since it is a sign-in that may serve elsewhere), their replies to reflection reports
  and the self-assessments that account wrote: those are the person's own words. A cycle's
  reflections, condition checks and actions are the group's, and stay;
* every mention of the code in the free text others wrote in the evaluation (raters' notes,
  agreed ratings' reasons, reflections, actions, replies), replaced by :data:`ERASED`;
* from import batches: the stored upload of every batch whose file mentions the code (read
  as text, or each part of an XLSX), and the listed problems and file names that name it.
  The batch row stays with its counts, so the record of what was imported and when still
  adds up; an unsaved batch whose file went must be uploaded again;
* the stored results (worked out again at once from what is left) and, by a new results
  version, every cached page of them;
* what earlier audit events said about each erased object, through
  :func:`~peerprinciples.web.audit.services.redact`, and about anything else whose event
  names the code.

The trail then gains one tombstone (:func:`~peerprinciples.web.audit.services.record_erasure`)
saying what kind of thing was erased, by whom and when, and how many rows of each kind went:
never a code, a name, a note or an id.
"""

from __future__ import annotations

import logging
import re
import zipfile
import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.db import models, transaction
from django.db.models.functions import Cast

from peerprinciples.web.audit.models import AuditEvent
from peerprinciples.web.audit.services import record_erasure, redact
from peerprinciples.web.errors import DomainError, StaleEdit
from peerprinciples.web.evaluations.models import Evaluation, Membership, PeerWorker
from peerprinciples.web.interviews.models import (
    ConsensusRating,
    Interview,
    InterviewScore,
    Rating,
    RatingSheet,
)
from peerprinciples.web.reflection import models as reflection
from peerprinciples.web.results.store import forget, request_refresh
from peerprinciples.web.transfers.models import ImportBatch
from peerprinciples.web.transfers.services import stored_path

logger = logging.getLogger(__name__)

ERASED = "[erased]"
"""What a mention of an erased code in someone else's text becomes."""

ERASED_NOTE = "Details removed: erased on request."
"""What earlier audit events of an erased object say instead of what they held."""

CHUNK = 1 << 20


def mentions(code: str) -> re.Pattern[str]:
    """The code as a word of its own: not inside a longer code (``PW-1`` is not in
    ``PW-10`` nor in ``PW-1-b``), but found beside spaces, punctuation or a file suffix."""
    return re.compile(rf"(?<![A-Za-z0-9_-]){re.escape(code)}(?![A-Za-z0-9_-])")


@dataclass
class Plan:
    """Everything an erasure removes, found before anything is removed.

    The confirmation page shows its counts, and :attr:`version` is what the page sends
    back: it changes whenever anything is added to, or goes from, what would be erased.
    """

    kind: str
    """The model label of what was asked for: ``interviews.Interview`` or
    ``evaluations.PeerWorker``."""
    code: str
    evaluation_id: int
    interviews: list[int] = field(default_factory=list)
    sheets: list[int] = field(default_factory=list)
    ratings: int = 0
    agreed: int = 0
    scores: int = 0
    worker: int | None = None
    account: int | None = None
    replies: list[int] = field(default_factory=list)
    self_assessments: list[int] = field(default_factory=list)
    uploads: list[int] = field(default_factory=list)
    """Import batches whose stored upload mentions the code."""
    batches: list[int] = field(default_factory=list)
    """Import batches whose file name or listed problems mention the code."""

    @property
    def counts(self) -> list[tuple[str, int]]:
        """What goes, by kind, in words ("6 interviews"), leaving out kinds with none."""
        found = [
            ("peer worker code", "peer worker codes", 1 if self.worker else 0),
            ("interview", "interviews", len(self.interviews)),
            ("rating sheet", "rating sheets", len(self.sheets)),
            ("rating", "ratings", self.ratings),
            ("agreed rating", "agreed ratings", self.agreed),
            ("cached score", "cached scores", self.scores),
            ("account link", "account links", 1 if self.account else 0),
            ("reply to a report", "replies to reports", len(self.replies)),
            ("self-assessment", "self-assessments", len(self.self_assessments)),
            ("stored upload", "stored uploads", len(self.uploads)),
            ("import record", "import records", len(self.batches)),
        ]
        return [(_plural(one, many, n), n) for one, many, n in found if n]

    @property
    def said(self) -> str:
        """The counts as a phrase: "6 interviews, 9 rating sheets, …"."""
        return ", ".join(words for words, _ in self.counts) or "nothing else"

    @property
    def version(self) -> int:
        """A fingerprint of what would be erased (a CRC-32 of every row's key)."""
        keys = repr(
            (
                self.interviews,
                self.sheets,
                self.ratings,
                self.agreed,
                self.scores,
                self.account,
                self.replies,
                self.self_assessments,
                self.uploads,
                self.batches,
            )
        )
        return zlib.crc32(keys.encode())


def _plural(one: str, many: str, n: int) -> str:
    return f"{n:,} {one if n == 1 else many}"


def _file_mentions(path: Path, pattern: re.Pattern[str]) -> bool:
    """Whether a stored upload mentions the code: read as text, or each part of a ZIP (an
    XLSX workbook keeps its cells in compressed XML parts)."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                with archive.open(name) as part:
                    if _stream_mentions(part, pattern):
                        return True
        return False
    with path.open("rb") as handle:
        return _stream_mentions(handle, pattern)


def _stream_mentions(handle: IO[bytes], pattern: re.Pattern[str]) -> bool:
    """Search a file a megabyte at a time, keeping a little of the last block so a code
    split across two blocks is still found."""
    tail = ""
    keep = len(pattern.pattern) + 2
    while block := handle.read(CHUNK):
        text = tail + block.decode("utf-8", errors="replace")
        if pattern.search(text):
            return True
        tail = text[-keep:]
    return False


def _batches(plan: Plan, pattern: re.Pattern[str]) -> None:
    """Find the import batches whose upload, file name or listed problems name the code."""
    for batch in ImportBatch.objects.filter(evaluation_id=plan.evaluation_id):
        path = stored_path(batch)
        if path is not None and _file_mentions(path, pattern):
            plan.uploads.append(batch.pk)
        problems = batch.summary.get("problems", []) if isinstance(batch.summary, dict) else []
        if pattern.search(batch.file_name) or any(
            pattern.search(" ".join(str(v) for v in p.values())) for p in problems
        ):
            plan.batches.append(batch.pk)


def _interview_rows(plan: Plan, interviews: models.QuerySet[Interview]) -> None:
    plan.interviews = sorted(interviews.values_list("pk", flat=True))
    sheets = RatingSheet.objects.filter(interview__in=plan.interviews)
    plan.sheets = sorted(sheets.values_list("pk", flat=True))
    plan.ratings = Rating.objects.filter(sheet__in=plan.sheets).count()
    plan.agreed = ConsensusRating.objects.filter(interview__in=plan.interviews).count()
    plan.scores = InterviewScore.objects.filter(interview__in=plan.interviews).count()


def plan_interview(evaluation: Evaluation, interview: Interview) -> Plan:
    """What erasing one interview would remove."""
    if interview.evaluation_id != evaluation.pk:
        raise DomainError("That interview belongs to another evaluation.")
    plan = Plan("interviews.Interview", interview.code, evaluation.pk)
    _interview_rows(plan, Interview.objects.filter(pk=interview.pk))
    _batches(plan, mentions(interview.code))
    return plan


def plan_peer_worker(evaluation: Evaluation, worker: PeerWorker) -> Plan:
    """What erasing one peer worker would remove: their code and everything filed under it."""
    if worker.evaluation_id != evaluation.pk:
        raise DomainError("That peer worker belongs to another evaluation.")
    plan = Plan("evaluations.PeerWorker", worker.code, evaluation.pk, worker=worker.pk)
    interviews = Interview.objects.filter(evaluation=evaluation, peer_worker=worker)
    _interview_rows(plan, interviews)
    account = Membership.objects.filter(evaluation=evaluation, peer_worker=worker).first()
    plan.account = account.pk if account else None
    plan.replies = sorted(
        reflection.Reply.objects.filter(peer_worker=worker).values_list("pk", flat=True)
    )
    if account is not None:
        plan.self_assessments = sorted(
            reflection.SelfAssessment.objects.filter(
                cycle__evaluation=evaluation, created_by_id=account.user_id
            ).values_list("pk", flat=True)
        )
    # The codes of its interviews are erased too: a file may name them without the worker.
    pattern = mentions(worker.code)
    codes = list(interviews.values_list("code", flat=True))
    combined = re.compile("|".join([pattern.pattern, *(mentions(c).pattern for c in codes)]))
    _batches(plan, combined)
    return plan


# --- erasing -----------------------------------------------------------------------------------

FREE_TEXT: list[tuple[type[models.Model], str, tuple[str, ...]]] = [
    (RatingSheet, "interview__evaluation_id", ("notes",)),
    (ConsensusRating, "interview__evaluation_id", ("reason",)),
    (reflection.Reflection, "cycle__evaluation_id", ("going_well", "hard", "try_next")),
    (reflection.ConditionCheck, "cycle__evaluation_id", ("note",)),
    (reflection.Action, "cycle__evaluation_id", ("what", "who")),
    (reflection.ActionReview, "cycle__evaluation_id", ("what_happened",)),
    (reflection.Reply, "cycle__evaluation_id", ("text",)),
]
"""Free text others wrote in an evaluation, where a code may be mentioned in passing."""


def _scrub_texts(evaluation_id: int, codes: list[str]) -> int:
    """Replace every mention of the codes in others' free text; how many rows changed."""
    changed = 0
    patterns = [mentions(code) for code in codes]
    for model, scope, fields in FREE_TEXT:
        found = models.Q()
        for name in fields:
            for code in codes:
                found |= models.Q(**{f"{name}__contains": code})
        for row in model._default_manager.filter(found, **{scope: evaluation_id}):
            updates = {}
            for name in fields:
                text = getattr(row, name)
                for pattern in patterns:
                    text = pattern.sub(ERASED, text)
                if text != getattr(row, name):
                    updates[name] = text
            if updates:
                if any(f.name == "version" for f in model._meta.fields):
                    updates["version"] = models.F("version") + 1
                model._default_manager.filter(pk=row.pk).update(**updates)
                changed += 1
    return changed


def _scrub_batches(plan: Plan, codes: list[str]) -> list[Path]:
    """Clear the stored uploads and the listed problems and names that mention the codes;
    returns the files to delete once the transaction commits."""
    patterns = [mentions(code) for code in codes]

    def scrub(text: str) -> str:
        for pattern in patterns:
            text = pattern.sub(ERASED, text)
        return text

    files = []
    for batch in ImportBatch.objects.select_for_update().filter(pk__in=plan.uploads):
        path = stored_path(batch)
        if path is not None:
            files.append(path)
    ImportBatch.objects.filter(pk__in=plan.uploads).update(stored_name="")
    for batch in ImportBatch.objects.select_for_update().filter(pk__in=plan.batches):
        summary = dict(batch.summary) if isinstance(batch.summary, dict) else {}
        summary["problems"] = [
            {key: scrub(value) if isinstance(value, str) else value for key, value in p.items()}
            for p in summary.get("problems", [])
        ]
        ImportBatch.objects.filter(pk=batch.pk).update(
            file_name=scrub(batch.file_name), summary=summary
        )
    return files


def _redact_mentions(user: Any, evaluation_id: int, codes: list[str]) -> int:
    """Redact every event of the evaluation whose summary, before or after names a code."""
    text = models.TextField()
    found = models.Q()
    for code in codes:
        found |= (
            models.Q(summary__contains=code)
            | models.Q(before_text__contains=code)
            | models.Q(after_text__contains=code)
        )
    candidates = (
        AuditEvent.objects.filter(evaluation_id=evaluation_id)
        .annotate(before_text=Cast("before", text), after_text=Cast("after", text))
        .filter(found)
        .values_list("object_type", "object_id", "summary", "before_text", "after_text")
    )
    patterns = [mentions(code) for code in codes]
    objects: dict[str, set[str]] = defaultdict(set)
    for object_type, object_id, *texts in candidates:
        if any(p.search(t or "") for p in patterns for t in texts) and object_id:
            objects[object_type].add(object_id)
    redacted = 0
    for label, ids in objects.items():
        redacted += redact(evaluation_id, apps.get_model(label), ids, ERASED_NOTE, user=user)
    return redacted


def _erase(user: Any, plan: Plan, codes: list[str]) -> Plan:
    """Remove what ``plan`` lists, redact the trail, leave the tombstone; inside the
    caller's transaction."""
    evaluation_id = plan.evaluation_id
    # Earlier events first, while every object still says what it was.
    redact(evaluation_id, Interview, plan.interviews, ERASED_NOTE, user=user)
    redact(evaluation_id, RatingSheet, plan.sheets, ERASED_NOTE, user=user)
    redact(evaluation_id, reflection.Reply, plan.replies, ERASED_NOTE, user=user)
    redact(evaluation_id, reflection.SelfAssessment, plan.self_assessments, ERASED_NOTE, user=user)
    if plan.account is not None:
        redact(evaluation_id, Membership, [plan.account], ERASED_NOTE, user=user)
    if plan.worker is not None:
        redact(evaluation_id, PeerWorker, [plan.worker], ERASED_NOTE, user=user)
    redact(evaluation_id, ImportBatch, plan.batches, ERASED_NOTE, user=user)
    _redact_mentions(user, evaluation_id, codes)

    InterviewScore.objects.filter(interview__in=plan.interviews).delete()
    ConsensusRating.objects.filter(interview__in=plan.interviews).delete()
    Rating.objects.filter(sheet__in=plan.sheets).delete()
    RatingSheet.objects.filter(pk__in=plan.sheets).delete()
    Interview.objects.filter(pk__in=plan.interviews).delete()
    reflection.Reply.objects.filter(pk__in=plan.replies).delete()
    reflection.SelfAssessment.objects.filter(pk__in=plan.self_assessments).delete()
    if plan.account is not None:
        Membership.objects.filter(pk=plan.account).delete()
    if plan.worker is not None:
        PeerWorker.objects.filter(pk=plan.worker).delete()
    texts = _scrub_texts(evaluation_id, codes)
    files = _scrub_batches(plan, codes)

    what = "A peer worker's" if plan.worker is not None else "An interview's"
    extra = (
        f"; mentions struck from {_plural('text', 'texts', texts)} others wrote" if texts else ""
    )
    record_erasure(
        user,
        evaluation_id=evaluation_id,
        kind=plan.kind,
        summary=f"{what} data were erased on request: {plan.said}{extra}.",
    )
    Evaluation.results_changed(evaluation_id)
    forget(evaluation_id)
    request_refresh(evaluation_id)
    transaction.on_commit(lambda: _delete_files(files))
    return plan


def _delete_files(files: list[Path]) -> None:
    """Delete the stored uploads once the erasure is committed (never before: a rollback
    would otherwise lose files the database still names)."""
    for path in files:
        try:
            path.unlink(missing_ok=True)
        except OSError:
            logger.exception("An erased upload could not be deleted; delete it by hand.")


@transaction.atomic
def erase_interview(
    user: Any, evaluation: Evaluation, interview: Interview, *, expected_version: int
) -> Plan:
    """Erase one interview and everything held about it, on the person's request.

    Raises :class:`StaleEdit` when the interview changed since the confirmation page was
    opened (``expected_version`` is the interview's version then), and
    :class:`DomainError` when it is gone already or belongs to another evaluation.
    """
    locked = (
        Interview.objects.select_for_update()
        .filter(pk=interview.pk, evaluation_id=evaluation.pk)
        .first()
    )
    if locked is None:
        raise DomainError("This interview is no longer held: it was erased or withdrawn.")
    if locked.version != expected_version:
        raise StaleEdit("interview")
    plan = plan_interview(evaluation, locked)
    return _erase(user, plan, [locked.code])


@transaction.atomic
def erase_peer_worker(
    user: Any, evaluation: Evaluation, worker: PeerWorker, *, expected_version: int | None = None
) -> Plan:
    """Erase one peer worker's code and everything filed under it, on their request.

    ``expected_version`` is the :attr:`Plan.version` the confirmation page showed: when
    given, anything added to or gone from what would be erased since then raises
    :class:`StaleEdit`, and nothing is erased. The command line may leave it out.
    """
    locked = (
        PeerWorker.objects.select_for_update()
        .filter(pk=worker.pk, evaluation_id=evaluation.pk)
        .first()
    )
    if locked is None:
        raise DomainError("This peer worker is no longer held: their code was erased.")
    # Lock the interviews filed under the code, so none changes while it goes.
    codes = list(
        Interview.objects.select_for_update()
        .filter(evaluation=evaluation, peer_worker=locked)
        .values_list("code", flat=True)
    )
    plan = plan_peer_worker(evaluation, locked)
    if expected_version is not None and plan.version != expected_version:
        raise StaleEdit("peer worker's data")
    return _erase(user, plan, [locked.code, *codes])
