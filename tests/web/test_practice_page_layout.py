"""How the practice pages hold up on a narrow screen and with long unbroken text.

The CSS itself is not tested here; these tests check what the templates must give it: wide
tables inside a labelled scroll region, the scroll hint where it can be read, and previews
short enough in characters as well as in words.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from tests.web.practice_fixtures import AREA, PRINCIPLE, Crew, crew
from tests.web.practice_versions_fixtures import write_cell

from peerprinciples.web.practice.services.versions import take_version

pytestmark = pytest.mark.django_db

__all__ = ["crew"]

LONG_WORD = "https://example.org/" + "a" * 3000


def _page(crew: Crew, name: str, *args: object, query: str = "") -> str:
    response = crew.client_for(crew.reader).get(
        reverse(f"practice:{name}", args=[crew.programme.pk, *args]) + query
    )
    assert response.status_code == 200
    return str(response.content.decode())


def _scroll_region_around(page: str, caption_id: str) -> None:
    """The table with this caption sits in a focusable scroll region named by that caption."""
    region = f'<div class="table-scroll" role="region" aria-labelledby="{caption_id}" tabindex="0">'
    assert region in page
    start = page.index(region)
    assert start < page.index(f'<caption id="{caption_id}">') < page.index("</div>", start + 1)


def test_the_scroll_hint_is_above_the_grid_not_in_its_caption(crew: Crew) -> None:
    page = _page(crew, "matrix")
    caption = re.search(r'<caption id="matrix-caption">(.*?)</caption>', page)
    assert caption is not None
    assert "scroll" not in caption.group(1).lower()
    assert "Principles (rows)" in caption.group(1)
    hint = page.index('id="matrix-hint"')
    assert (
        "The grid has 11 areas side by side: on a narrow screen, scroll it sideways"
        in page[hint : hint + 300]
    )
    assert hint < page.index('class="table-scroll"')
    assert 'aria-describedby="matrix-hint"' in page


def test_a_long_unbroken_word_is_cut_in_the_grid_and_the_area_view(crew: Crew) -> None:
    write_cell(crew.lead, crew.programme, AREA, PRINCIPLE, text=LONG_WORD)
    grid = _page(crew, "matrix")
    assert "a" * 100 not in grid
    assert "https://example.org/aaa" in grid
    by_area = _page(crew, "matrix", query="?by=area")
    assert "a" * 250 not in by_area
    assert "https://example.org/aaa" in by_area
    # The cell page itself shows the whole text: only the previews are cut.
    assert LONG_WORD in _page(crew, "cell", AREA, PRINCIPLE)


def test_the_versions_and_history_tables_scroll_in_a_labelled_region(crew: Crew) -> None:
    write_cell(crew.lead, crew.programme, AREA, PRINCIPLE, text=LONG_WORD)
    take_version(crew.lead, crew.programme, note="First")
    _scroll_region_around(_page(crew, "versions"), "versions-caption")
    history = _page(crew, "history")
    _scroll_region_around(history, "history-caption")
    assert 'class="long-text"' in history
    _scroll_region_around(_page(crew, "cell_history", AREA, PRINCIPLE), "history-caption")
