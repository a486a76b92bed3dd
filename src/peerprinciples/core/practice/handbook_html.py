"""The handbook as one printable HTML page, with no files beside it.

It is drawn with the core's one Jinja2 environment (:mod:`peerprinciples.core.html`), like the
score report. The page carries its own styles, a print style sheet that starts each section
on a new page and repeats table headers, and the structure a screen reader needs: one
``h1``, sections labelled by their headings, tables with captions and header cells.
"""

from __future__ import annotations

from peerprinciples import __version__
from peerprinciples.core import html
from peerprinciples.core.practice.handbook import Handbook


def render_html(handbook: Handbook) -> str:
    """The handbook as a standalone HTML document."""
    return html.render("handbook.html.j2", handbook=handbook, version=__version__)
