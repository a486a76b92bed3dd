"""Drafting rounds' pages: the rule and the list, the ballot, closing, results, the CSV
file and "what we changed and why", with their refusals."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse
from tests.web.coproduction_rounds_fixtures import make_drafts, statement, vote_all

from peerprinciples.web.coproduction.models import Ballot, ChangeNote, DraftingRound, Project
from peerprinciples.web.coproduction.services import rounds as services

pytestmark = pytest.mark.django_db


@pytest.fixture
def drafts(panel):  # type: ignore[no-untyped-def]
    return make_drafts(panel.project)


def _url(name: str, panel, *args: int) -> str:  # type: ignore[no-untyped-def]
    return reverse(f"coproduction:{name}", args=[panel.project.pk, *args])


def _ballot(opened: DraftingRound, drafts, rating: str = "8") -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {f"rating-{statement(opened, target).pk}": rating for target in drafts.values()} | {
        f"comment-{statement(opened, drafts['aspect']).pk}": "Say more about waiting."
    }


def test_the_facilitator_sets_the_rule_then_opens_a_round(panel, drafts) -> None:  # type: ignore[no-untyped-def]
    client = panel.client_for(panel.facilitator)
    page = client.get(_url("rounds", panel))
    assert "Agreed when at least 75% of those who rated it chose 7 to 9" in page.content.decode()
    data = {"action": "rule", "rule-version": "1", "rule-scale_low": "1", "rule-scale_high": "9",
            "rule-agree_from": "6", "rule-disagree_to": "3", "rule-min_share_percent": "80",
            "rule-min_median": "6"}  # fmt: skip
    response = client.post(_url("rounds", panel), data)
    assert response.status_code == 302
    response = client.post(_url("rounds", panel), {"action": "open", "introduction": "Hello"})
    assert response.status_code == 302
    assert response["Location"] == _url("round", panel, 1)
    page = client.get(_url("rounds", panel)).content.decode()
    assert "applied the same way every round" in page
    assert "Save the rule" not in page
    assert "chose 6 to 9" in page
    # A rule sent after the round opened is refused and nothing changes.
    refused = client.post(_url("rounds", panel), {**data, "rule-version": "3"})
    assert refused.status_code == 409
    assert Project.objects.get(pk=panel.project.pk).min_share_percent == 80


def test_a_rule_that_cannot_be_applied_is_shown_back_with_the_reason(panel) -> None:  # type: ignore[no-untyped-def]
    client = panel.client_for(panel.facilitator)
    data = {"action": "rule", "rule-version": "1", "rule-scale_low": "1", "rule-scale_high": "9",
            "rule-agree_from": "2", "rule-disagree_to": "3", "rule-min_share_percent": "75",
            "rule-min_median": "7"}  # fmt: skip
    response = client.post(_url("rounds", panel), data)
    assert response.status_code == 400
    assert "cannot be used" in response.content.decode()


def test_opening_without_drafts_says_why(panel) -> None:  # type: ignore[no-untyped-def]
    client = panel.client_for(panel.facilitator)
    response = client.post(_url("rounds", panel), {"action": "open"})
    assert response.status_code == 409
    assert "no draft principle" in response.content.decode()


def test_a_member_votes_once_and_a_second_ballot_is_refused(panel, drafts) -> None:  # type: ignore[no-untyped-def]
    opened = services.open_round(panel.facilitator, panel.project)
    client = panel.client_for(panel.panel)
    page = client.get(_url("round_vote", panel, 1)).content.decode()
    assert "I&#x27;d rather not rate this" in page or "I'd rather not rate this" in page
    response = client.post(_url("round_vote", panel, 1), _ballot(opened, drafts))
    assert response.status_code == 302
    again = client.post(_url("round_vote", panel, 1), _ballot(opened, drafts, "9"))
    assert again.status_code == 409
    assert "handed in your ballot for this round already" in again.content.decode()
    assert Ballot.objects.filter(round=opened).count() == 1
    # The open round shows only how many voted, not the results.
    page = client.get(_url("round", panel, 1)).content.decode()
    assert "1 of 3 invited members" in page
    assert "How many chose each rating" not in page


def test_a_missing_rating_is_asked_for_and_what_was_typed_kept(panel, drafts) -> None:  # type: ignore[no-untyped-def]
    opened = services.open_round(panel.facilitator, panel.project)
    data = _ballot(opened, drafts)
    del data[f"rating-{statement(opened, drafts['hope']).pk}"]
    response = panel.client_for(panel.panel).post(_url("round_vote", panel, 1), data)
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    hope = statement(opened, drafts["hope"]).pk
    # The summary names the principle, links to the group's first radio (which takes
    # focus), and is itself focusable so the page can move focus to it.
    summary = page.split('class="error-summary"')[1].split("</div>")[0]
    assert 'tabindex="-1"' in summary
    assert (
        f'<a href="#rating-{hope}-1">3. Principle “Hope”: Choose a rating for this '
        "statement, or “I'd rather not rate this”.</a>"
    ) in summary
    assert f'id="rating-{hope}-1"' in page
    assert "Say more about waiting." in page
    assert not Ballot.objects.exists()


def test_the_ballot_says_before_handing_in_that_every_statement_needs_an_answer(
    panel, drafts
) -> None:  # type: ignore[no-untyped-def]
    opened = services.open_round(panel.facilitator, panel.project)
    page = html.unescape(
        panel.client_for(panel.panel).get(_url("round_vote", panel, 1)).content.decode()
    )
    assert "Every statement needs an answer before you hand in" in page
    assert "error-summary" not in page
    # The scale is one row with its anchors at the ends, "rather not" apart from it.
    aspect = statement(opened, drafts["aspect"]).pk
    scale = page.split('class="rating-scale"')[1].split('class="rating-scale-skip"')[0]
    assert "1 = do not agree at all" in scale
    assert "9 = agree completely" in scale
    assert scale.count('type="radio"') == 9
    assert f'id="rating-{aspect}-none"' not in scale


def test_a_ballot_for_a_closed_round_shows_back_what_was_entered(panel, drafts) -> None:  # type: ignore[no-untyped-def]
    opened = services.open_round(panel.facilitator, panel.project)
    services.close_round(panel.facilitator, opened)
    response = panel.client_for(panel.panel).post(
        _url("round_vote", panel, 1), _ballot(opened, drafts)
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "closed before your ballot arrived" in page
    assert "What you entered, not saved" in page
    assert "Say more about waiting." in page


def test_a_vote_on_a_locked_statement_is_refused_on_the_page(panel, drafts) -> None:  # type: ignore[no-untyped-def]
    first = services.open_round(panel.facilitator, panel.project)
    for user in (panel.facilitator, panel.panel, panel.panel_b):
        vote_all(user, panel.member(user), first, {t: 9 for t in drafts.values()})
    services.close_round(panel.facilitator, first)
    # Everything was agreed: nothing is left, so a new round is refused.
    response = panel.client_for(panel.facilitator).post(_url("rounds", panel), {"action": "open"})
    assert response.status_code == 409
    assert "nothing left to vote on" in response.content.decode()


def test_closing_shows_who_has_not_voted_then_results_and_csv(panel, drafts) -> None:  # type: ignore[no-untyped-def]
    opened = services.open_round(panel.facilitator, panel.project)
    vote_all(panel.panel, panel.member(panel.panel), opened,
             {drafts["listening"]: 9, drafts["aspect"]: 2, drafts["hope"]: 8,
              drafts["theme"]: None})  # fmt: skip
    client = panel.client_for(panel.facilitator)
    confirm = client.get(_url("round_close", panel, 1)).content.decode()
    assert "1 of 3 invited members" in confirm
    assert "F01, P02" in confirm
    assert client.post(_url("round_close", panel, 1)).status_code == 302
    assert client.post(_url("round_close", panel, 1)).status_code == 409
    page = panel.client_for(panel.panel_b).get(_url("round", panel, 1)).content.decode()
    assert "Not agreed</strong>: 0% rated 7–9, needs 75%; median 2, needs 7" in page
    assert "note on 2" in page  # the comment, with no code beside it
    assert "P01" not in page
    csv_text = client.get(_url("round_csv", panel, 1)).content.decode()
    lines = csv_text.splitlines()
    assert lines[0] == (
        "round,statement,n,share_agree,share_between,share_disagree,median,q1,q3,iqr,"
        "rated_1,rated_2,rated_3,rated_4,rated_5,rated_6,rated_7,rated_8,rated_9,agreed,"
        "reason,wording"
    )
    # One rating of 2: every share is a full float, true/false as the command line writes.
    assert lines[2] == (
        f"1,aspect:{drafts['aspect'].pk},1,0.0,0.0,1.0,2.0,2.0,2.0,0.0,0,1,0,0,0,0,0,0,0,false,"
        '"0% rated 7–9, needs 75%; median 2, needs 7",They ask what the person wants.'
    )


def test_an_open_rounds_csv_is_refused(panel, drafts) -> None:  # type: ignore[no-untyped-def]
    services.open_round(panel.facilitator, panel.project)
    response = panel.client_for(panel.facilitator).get(_url("round_csv", panel, 1))
    assert response.status_code == 409


def test_each_statement_not_agreed_links_to_where_its_wording_is_edited(panel, drafts) -> None:  # type: ignore[no-untyped-def]
    opened = services.open_round(panel.facilitator, panel.project)
    vote_all(panel.panel, panel.member(panel.panel), opened, {t: 2 for t in drafts.values()})
    services.close_round(panel.facilitator, opened)
    page = panel.client_for(panel.research).get(_url("round_changes", panel, 1)).content.decode()
    principle = _url("principle", panel, drafts["listening"].pk)
    theme = _url("theme", panel, drafts["theme"].pk)
    # The principle and its aspect are edited on the principle's page; the theme on its own.
    assert page.count(f'<a href="{principle}">Edit the wording on the principle') == 2
    assert page.count(f'<a href="{theme}">Edit the wording on the theme') == 1


def test_the_research_team_answers_and_a_stale_answer_shows_both(panel, drafts) -> None:  # type: ignore[no-untyped-def]
    opened = services.open_round(panel.facilitator, panel.project)
    vote_all(panel.panel, panel.member(panel.panel), opened, {t: 2 for t in drafts.values()})
    services.close_round(panel.facilitator, opened)
    aspect = statement(opened, drafts["aspect"])
    drafts["aspect"].text = "They ask what the person wants, and wait."
    drafts["aspect"].save()
    rex = panel.client_for(panel.research)
    page = rex.get(_url("round_changes", panel, 1)).content.decode()
    assert '<ins><span class="visually-hidden">[added: </span>, and wait' in page
    prefix = f"note-{aspect.pk}"
    data = {"statement": aspect.pk, f"{prefix}-text": "We added waiting.", f"{prefix}-version": 0}
    assert rex.post(_url("round_changes", panel, 1), data).status_code == 302
    fay = panel.client_for(panel.facilitator)
    stale = fay.post(_url("round_changes", panel, 1), {**data, f"{prefix}-text": "Mine"})
    assert stale.status_code == 409
    page = stale.content.decode()
    assert "We added waiting." in page
    assert "Mine" in page
    assert ChangeNote.objects.get(statement=aspect).text == "We added waiting."
    # The panel reads the answer on the next ballot.
    services.open_round(panel.facilitator, panel.project)
    ballot = panel.client_for(panel.panel).get(_url("round_vote", panel, 2)).content.decode()
    assert "We added waiting." in ballot
    assert "you rated it 2" in ballot


def test_a_round_that_does_not_exist_is_not_found(panel) -> None:  # type: ignore[no-untyped-def]
    assert panel.client_for(panel.panel).get(_url("round", panel, 9)).status_code == 404


def test_only_those_who_edit_drafts_are_offered_the_editing_link(panel, drafts) -> None:  # type: ignore[no-untyped-def]
    opened = services.open_round(panel.facilitator, panel.project)
    vote_all(panel.panel, panel.member(panel.panel), opened, {t: 2 for t in drafts.values()})
    services.close_round(panel.facilitator, opened)
    link = "Edit the wording on the principle"
    research = panel.client_for(panel.research).get(_url("round_changes", panel, 1))
    assert link in research.content.decode()
    member = panel.client_for(panel.panel).get(_url("round_changes", panel, 1))
    page = member.content.decode()
    assert "What we changed and why after round 1" in page
    assert link not in page
    assert reverse("coproduction:principle", args=[panel.project.pk, drafts["hope"].pk]) not in page


def test_a_closed_rounds_results_open_with_a_summary_of_what_was_not_agreed(panel, drafts) -> None:  # type: ignore[no-untyped-def]
    opened = services.open_round(panel.facilitator, panel.project)
    vote_all(panel.panel, panel.member(panel.panel), opened,
             {drafts["listening"]: 9, drafts["aspect"]: 2, drafts["hope"]: 8,
              drafts["theme"]: None})  # fmt: skip
    services.close_round(panel.facilitator, opened)
    page = panel.client_for(panel.panel).get(_url("round", panel, 1)).content.decode()
    summary = page.split('class="panel round-summary"')[1].split("</div>")[0]
    assert "<strong>2 of 4 statements agreed</strong> in round 1." in summary
    aspect, theme = statement(opened, drafts["aspect"]), statement(opened, drafts["theme"])
    assert (
        f'<li><a href="#statement-{aspect.pk}">Aspect of “Listening first”</a> — '
        "0% rated 7–9, needs 75%; median 2, needs 7</li>"
    ) in html.unescape(summary)
    assert f'href="#statement-{theme.pk}">Theme: Diversity</a>' in summary
    assert "Principle: Hope" not in summary
    assert "Principle: Listening" not in summary
    # Each statement's section carries a worded tag, not colour alone.
    assert page.count('<span class="tag round-tag">✓ Agreed</span>') == 2
    assert page.count('<span class="tag round-tag">✗ Not agreed</span>') == 2
    # The second round says how many were agreed earlier and not voted on again.
    services.open_round(panel.facilitator, panel.project)
    services.close_round(panel.facilitator, DraftingRound.objects.get(number=2))
    second = panel.client_for(panel.panel).get(_url("round", panel, 2)).content.decode()
    assert "<strong>0 of 2 statements agreed</strong> in round 2. 2 more were agreed" in second
    assert second.count('<span class="tag round-tag">Agreed earlier</span>') == 2


def test_shares_are_written_the_same_way_on_every_rounds_page(panel, drafts) -> None:  # type: ignore[no-untyped-def]
    opened = services.open_round(panel.facilitator, panel.project)
    for user, aspect in ((panel.facilitator, 8), (panel.panel, 8), (panel.panel_b, 2)):
        vote_all(user, panel.member(user), opened, {**dict.fromkeys(drafts.values(), 9),
                                                    drafts["aspect"]: aspect})  # fmt: skip
    services.close_round(panel.facilitator, opened)
    client = panel.client_for(panel.panel)
    # 2 of 3 agreeing is 66.67% wherever it is shown (percent() in the core).
    changes = client.get(_url("round_changes", panel, 1)).content.decode()
    assert "66.67% rated 7–9, needs 75%" in changes
    second = services.open_round(panel.facilitator, panel.project)
    ballot = client.get(_url("round_vote", panel, 2)).content.decode()
    assert "66.67% agreeing" in ballot
    vote_all(panel.panel, panel.member(panel.panel), second, {drafts["aspect"]: 8})
    rounds = client.get(_url("rounds", panel)).content.decode()
    assert "<td>100%</td>" in rounds
    assert "<td>33.33%</td>" in rounds


def test_a_round_nobody_on_the_panel_can_vote_in_is_not_opened(panel, drafts) -> None:  # type: ignore[no-untyped-def]
    from peerprinciples.web.coproduction.models import Member

    Member.objects.filter(project=panel.project, role=Member.Role.PANEL).delete()
    client = panel.client_for(panel.facilitator)
    response = client.post(_url("rounds", panel), {"action": "open"})
    assert response.status_code == 409
    assert "No panel member can be invited to vote" in html.unescape(response.content.decode())
    assert not DraftingRound.objects.exists()


def test_opening_says_how_many_are_invited_in_good_english(panel, drafts) -> None:  # type: ignore[no-untyped-def]
    from peerprinciples.web.coproduction.models import Member

    Member.objects.filter(project=panel.project, code="P02").delete()
    client = panel.client_for(panel.facilitator)
    page = client.post(_url("rounds", panel), {"action": "open"}, follow=True).content.decode()
    assert "Round 1 is open: 2 members are invited to vote." in page


def test_the_web_results_file_is_the_command_lines_results_csv(panel, drafts) -> None:  # type: ignore[no-untyped-def]
    """The same votes give the same rows on the web and from the command line's reading of
    a ratings file (the web adds only the wording column)."""
    import csv
    import io

    from peerprinciples.core.coproduction.delphi import DEFAULT_RULE
    from peerprinciples.core.coproduction.delphi_csv import (
        analyse,
        read_round_ratings,
        results_csv,
    )

    opened = services.open_round(panel.facilitator, panel.project)
    given = {
        panel.facilitator: {drafts["listening"]: 8, drafts["aspect"]: 2, drafts["hope"]: 9,
                            drafts["theme"]: 5},
        panel.panel: {drafts["listening"]: 9, drafts["aspect"]: 8, drafts["hope"]: 9,
                      drafts["theme"]: 6},
        panel.panel_b: {drafts["listening"]: 7, drafts["aspect"]: 9, drafts["hope"]: None,
                        drafts["theme"]: 4},
    }  # fmt: skip
    lines = ["round,statement,member,rating"]
    for user, ratings in given.items():
        vote_all(user, panel.member(user), opened, ratings)
        for target, rating in ratings.items():
            key = services.target_key(statement(opened, target))
            code = panel.member(user).code
            lines.append(f"1,{key},{code},{'' if rating is None else rating}")
    services.close_round(panel.facilitator, opened)
    web = panel.client_for(panel.panel).get(_url("round_csv", panel, 1)).content.decode()
    report = analyse(read_round_ratings("\n".join(lines).encode(), DEFAULT_RULE), DEFAULT_RULE)
    command_line = results_csv(report, DEFAULT_RULE)
    web_rows = list(csv.reader(io.StringIO(web)))
    assert [row[:-1] for row in web_rows] == list(csv.reader(io.StringIO(command_line)))
    assert [row[-1] for row in web_rows] == [
        "wording",
        "Listening first: Peer workers listen before they suggest anything.",
        "They ask what the person wants.",
        "Hope: Peer workers share how things got better.",
        "Diversity: Many kinds of lives.",
    ]
