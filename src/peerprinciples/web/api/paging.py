"""Lists a page at a time: ninja's page numbers, with a last page a database can reach.

ninja's own pagination takes any page number, and a page far enough away asks the database
for an offset past what its integers hold (SQLite and PostgreSQL both fail on it). Here a
page beyond :data:`LAST_PAGE` is refused as input instead, with a 422 naming ``page``.
"""

from __future__ import annotations

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

LAST_PAGE = 1_000_000
"""No list here has a hundred million rows; the bound only keeps offsets in range."""

PAGE_SIZE = 100
"""Items on a page, unless ``page_size`` asks for fewer."""


class Pages(PageNumberPagination):
    """``?page=2&page_size=50``; the answer says how many items there are in all (``count``)."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=LAST_PAGE)
        page_size: int | None = Field(None, ge=1, le=PAGE_SIZE)

    def __init__(self, **kwargs: object) -> None:
        super().__init__(page_size=PAGE_SIZE, max_page_size=PAGE_SIZE, **kwargs)  # type: ignore[arg-type]
