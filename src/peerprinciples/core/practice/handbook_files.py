"""The handbook as a file in any of its formats, never half-written.

:func:`render` draws the whole file in memory; :func:`write_handbook` writes it through a
temporary file beside the target and moves it into place only when it is complete
(:func:`~peerprinciples.core.interchange.atomic_write`). If anything fails, there is no new
file and an older one of the same name is left as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from peerprinciples.core.interchange import atomic_write
from peerprinciples.core.practice.handbook import Handbook, HandbookError
from peerprinciples.core.practice.handbook_docx import render_docx
from peerprinciples.core.practice.handbook_html import render_html
from peerprinciples.core.practice.handbook_odt import render_odt
from peerprinciples.core.practice.handbook_pdf import render_pdf


@dataclass(frozen=True)
class Format:
    """One format of the handbook: how it is drawn and what a download calls it."""

    key: str
    title: str
    content_type: str
    draw: Callable[[Handbook], bytes]


def _html(handbook: Handbook) -> bytes:
    return render_html(handbook).encode("utf-8")


FORMATS: dict[str, Format] = {
    f.key: f
    for f in (
        Format("html", "Printable web page (HTML)", "text/html; charset=utf-8", _html),
        Format("pdf", "PDF", "application/pdf", render_pdf),
        Format(
            "docx",
            "Word document (.docx, editable)",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            render_docx,
        ),
        Format(
            "odt",
            "OpenDocument text (.odt, editable)",
            "application/vnd.oasis.opendocument.text",
            render_odt,
        ),
    )
}
"""The formats, in the order they are offered."""


def format_of(fmt: str) -> Format:
    """The format called ``fmt``; a :class:`HandbookError` lists the ones there are."""
    try:
        return FORMATS[fmt]
    except KeyError:
        known = ", ".join(FORMATS)
        raise HandbookError(
            f"There is no handbook format '{fmt}': choose one of {known}."
        ) from None


def render(handbook: Handbook, fmt: str) -> bytes:
    """The whole handbook file in format ``fmt`` (html, pdf, docx or odt), in memory."""
    return format_of(fmt).draw(handbook)


def write_handbook(handbook: Handbook, path: Path | str, fmt: str) -> Path:
    """Write the handbook to ``path`` in format ``fmt``, all of it or nothing."""
    draw = format_of(fmt).draw
    return atomic_write(path, lambda temporary: temporary.write_bytes(draw(handbook)))
