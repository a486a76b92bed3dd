"""A lead imports a ratings file (a preview first, then all of it) and opens the downloads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from tests.browser.conftest import Site, Team

from peerprinciples.web.interviews.models import Interview

pytestmark = pytest.mark.browser


def _ratings_csv(team: Team, folder: Path, *, rating_of_first: str) -> Path:
    keys = [item.key for item in team.items("peer_worker")]
    lines = ["interview,informant,item,rating,rater,service,peer_worker,round"]
    for number, key in enumerate(keys):
        value = rating_of_first if number == 0 else "3"
        lines.append(f"IMP-1,peer_worker,{key},{value},rater,A,PW-A1,1")
    path = folder / f"ratings-{rating_of_first}.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_lead_previews_a_file_with_a_problem_then_imports_a_sound_one(
    site: Site, team: Team, tmp_path: Path, settings: Any
) -> None:
    settings.PEERPRINCIPLES_IMPORT_DIR = tmp_path / "uploads"
    page = site.page
    site.sign_in("lead")
    site.go(team.path())
    page.get_by_role("navigation", name="This evaluation").get_by_role(
        "link", name="Data in and out"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Download data")
    site.check()

    site.go(team.path("data/import/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Import ratings")
    site.check()
    page.get_by_label("Ratings file").set_input_files(
        str(_ratings_csv(team, tmp_path, rating_of_first="7"))
    )
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("alert")).to_contain_text("Nothing can be saved yet")
    problems = page.get_by_role("region", name="Problems")
    expect(problems).to_contain_text("the rating 7 is off the scale")
    expect(problems.get_by_role("row").nth(1)).to_contain_text("2")
    expect(page.get_by_role("button", name="Save all")).to_have_count(0)
    site.check()
    assert not Interview.objects.filter(code="IMP-1").exists()

    site.go(team.path("data/import/"))
    page.get_by_label("Ratings file").set_input_files(
        str(_ratings_csv(team, tmp_path, rating_of_first="4"))
    )
    page.get_by_role("button", name="Check the file").click()
    save = page.get_by_role("button", name="Save all")
    expect(save).to_be_visible()
    site.check()
    save.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Imported:")
    site.check()
    interview = Interview.objects.get(code="IMP-1")
    assert interview.status == Interview.Status.FINAL
    assert interview.sheets.get().ratings.count() == len(team.items("peer_worker"))
