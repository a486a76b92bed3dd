"""Keys for drafted instruments: one rule for every format that drafts from someone else's names.

A draft read from REDCap, an XLSForm or a FHIR Questionnaire needs keys for its informants,
domains, items and scales. Each format hands us labels or names written for people; this module
turns them into keys the instrument schema accepts, the same way for every format.
"""

from __future__ import annotations

import re
import unicodedata


def slug(text: str, kind: str, *, separator: str = "_", keep: str = "_-", limit: int = 0) -> str:
    """A key from a name or label: ASCII lower case, starting with a letter.

    Parameters
    ----------
    text
        The name or label, e.g. ``"Relationships (peer worker)"``.
    kind
        What the key is for (``item``, ``domain``, ``scale``...); it goes in front of a key
        that would otherwise be empty or start with a digit.
    separator
        What a run of other characters becomes.
    keep
        Characters besides letters and digits that stay as they are (a form's own names keep
        their ``_`` and ``-`` so a round trip gives the same keys).
    limit
        The longest key, cut at a separator where one falls within it; ``0`` for no limit.

    Examples
    --------
    >>> slug("Relationships & trust", "domain", separator="-", keep="")
    'relationships-trust'
    >>> slug("2nd visit", "item")
    'item_2nd_visit'
    """
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    key = re.sub(f"[^a-z0-9{re.escape(keep)}]+", separator, plain.strip().lower()).strip("_-")
    if limit and len(key) > limit:
        key = key[:limit].rsplit(separator, 1)[0] or key[:limit]
    if not key[:1].isalpha():
        key = f"{kind}{separator}{key}" if key else kind
    return key
