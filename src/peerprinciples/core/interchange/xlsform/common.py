"""What the XLSForm directions share: the form's names, cell text, and the drafts' keys.

The export, the submissions reader and the drafter each name the interview details and the
informant groups the same way; the names are defined once here so that a form written by
:func:`~peerprinciples.core.interchange.xlsform.write_xlsform` reads back with the other two.
The last part (the placeholder framework and informant, special codes and whole numbers) is
shared with the FHIR Questionnaire drafter, which drafts the same way.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

import pandas as pd

DOCS = "docs/fhir-xlsform.md"

META_QUESTIONS: dict[str, tuple[str, str, bool]] = {
    "interview": ("text", "Interview id", True),
    "informant": ("select_one informants", "Who was interviewed", True),
    "rater": ("text", "Rater", True),
    "service": ("text", "Service", False),
    "peer_worker": ("text", "Peer worker code", False),
    "round": ("text", "Round of evaluation", False),
    "date": ("date", "Date of the interview", False),
}
"""The interview details: question name (= ratings column) -> (type, label, required)."""

INFORMANT_GROUP_SUFFIX = "_items"
"""An informant's group is named ``{informant}_items``."""


def informant_group(informant: str) -> str:
    """The name of an informant's group: ``{informant}_items``."""
    return f"{informant}{INFORMANT_GROUP_SUFFIX}"


def cell_text(value: Any) -> str:
    """A cell as text: blank cells give '', whole numbers lose a trailing '.0'."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float):
        if value != value:  # NaN
            return ""
        if value.is_integer():
            return str(int(value))
    if isinstance(value, datetime | pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


# --- drafts (shared with the FHIR Questionnaire drafter) ---------------------------------------

DRAFT_FRAMEWORK = "unknown-framework@0"
"""The framework a draft is pinned to until someone names the right one."""

DRAFT_INFORMANT = "respondent"
"""The single informant of a draft from a form with no informant groups."""

CODE_PATTERN = re.compile(r"^[A-Z][A-Z0-9_]*$")
"""A choice or answer named like this is a special code (``NA``, ``DK``...), not a point."""

INTEGER_PATTERN = re.compile(r"^-?[0-9]+$")
"""A choice or answer named like this is a point of a scale."""
