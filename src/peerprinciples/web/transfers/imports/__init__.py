"""Checking a ratings table against an evaluation, and writing it in one go.

The core has already checked the file itself (items, scales, codes, duplicates, interviews
that contradict themselves). :func:`plan_import` then checks it against the evaluation, the
way the rating pages would: every interview names a service of the evaluation that the
importing person covers, a round of the evaluation, a peer worker of that service who has
not withdrawn; its reference is new to the evaluation; its raters are members who may rate
for that service; every set of ratings rates every required item; at most two raters, and
agreed ratings only beside two raters' own. Each problem names the row and column of the
file (its first row for an interview or a set of ratings).

Everything works on whole columns (the table's categorical codes and numpy arrays), so a
million ratings are checked in about a second, with one query per kind of object.

:func:`write_import` then writes the interviews, rating sheets, ratings and agreed ratings
in one go and caches the scores of the final interviews. It must run inside the caller's
transaction, so that a failure anywhere leaves nothing behind.

The parts: :mod:`.problems` (the problems list), :mod:`.plan` (the plan and
:func:`plan_import`), :mod:`.interview_checks` and :mod:`.rater_checks` (the checks against
the evaluation), :mod:`.writing` (:func:`write_import`).
"""

from peerprinciples.web.transfers.imports.interview_checks import CODE_LENGTH
from peerprinciples.web.transfers.imports.plan import Checked, ImportPlan, plan_import
from peerprinciples.web.transfers.imports.problems import MAX_LISTED, ImportProblem, Problems
from peerprinciples.web.transfers.imports.writing import SCORE_CHUNK, WRITE_CHUNK, write_import

__all__ = [
    "CODE_LENGTH",
    "MAX_LISTED",
    "SCORE_CHUNK",
    "WRITE_CHUNK",
    "Checked",
    "ImportPlan",
    "ImportProblem",
    "Problems",
    "plan_import",
    "write_import",
]
