"""XLSForm: an instrument as a form for ODK and KoboToolbox, and their submissions as ratings.

One module per direction (``docs/fhir-xlsform.md`` gives the mapping in full):

:mod:`~peerprinciples.core.interchange.xlsform.export`
    :func:`xlsform_sheets` / :func:`write_xlsform`: the instrument as an XLSForm workbook
    (``survey``, ``choices``, ``settings``), one group per informant holding one group per
    domain holding one ``select_one`` question per item.
:mod:`~peerprinciples.core.interchange.xlsform.records`
    :func:`read_xlsform_submissions`: the CSV (or XLSX) that ODK Central or KoboToolbox
    export from such a form, read into the long ratings table.
:mod:`~peerprinciples.core.interchange.xlsform.draft`
    :func:`read_xlsform_instrument`: any XLSForm turned into an instrument draft as far as it
    goes, every other row listed with its sheet and row and why; the file itself is read by
    :mod:`~peerprinciples.core.interchange.xlsform.form`.

:mod:`~peerprinciples.core.interchange.xlsform.common` holds the names the three directions
share. The names below are re-exported here, so ``from peerprinciples.core.interchange.xlsform
import ...`` works for all of them.
"""

from __future__ import annotations

from peerprinciples.core.interchange.xlsform.common import (
    DOCS,
    DRAFT_FRAMEWORK,
    DRAFT_INFORMANT,
    INFORMANT_GROUP_SUFFIX,
    META_QUESTIONS,
    informant_group,
)
from peerprinciples.core.interchange.xlsform.draft import XlsformDraft, read_xlsform_instrument
from peerprinciples.core.interchange.xlsform.export import (
    Sheet,
    choice_list,
    language_column,
    write_xlsform,
    xlsform_sheets,
)
from peerprinciples.core.interchange.xlsform.form import SheetProblem
from peerprinciples.core.interchange.xlsform.records import (
    GROUP_SEPARATORS,
    SKIPPED_REVIEW_STATES,
    read_xlsform_submissions,
)

__all__ = [
    "DOCS",
    "DRAFT_FRAMEWORK",
    "DRAFT_INFORMANT",
    "GROUP_SEPARATORS",
    "INFORMANT_GROUP_SUFFIX",
    "META_QUESTIONS",
    "SKIPPED_REVIEW_STATES",
    "Sheet",
    "SheetProblem",
    "XlsformDraft",
    "choice_list",
    "informant_group",
    "language_column",
    "read_xlsform_instrument",
    "read_xlsform_submissions",
    "write_xlsform",
    "xlsform_sheets",
]
