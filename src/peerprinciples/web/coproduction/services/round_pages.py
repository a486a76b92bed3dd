"""What the drafting-round pages show: the list of rounds with participation, the ballot
with last round's results beside each statement, a closed round's results, and the
"what we changed and why" list.

Every number comes from the core: results were worked out when the round closed and kept
on each statement (``RoundStatement.result``); participation and the word differences are
the core's too. Nothing here says who voted what: comments are listed without their
authors, and who has not voted is given by code only to those who run the rounds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from peerprinciples.core.coproduction import delphi_csv
from peerprinciples.core.coproduction.delphi import percent
from peerprinciples.core.coproduction.delphi_csv import RoundsReport
from peerprinciples.core.coproduction.delphi_rounds import Participation, participation
from peerprinciples.core.coproduction.word_diff import Segment, word_diff
from peerprinciples.web.coproduction import models
from peerprinciples.web.coproduction.services import rounds as rounds_services
from peerprinciples.web.coproduction.services.rounds import Status, round_rule, target_key

QUANTILES = (
    "Median and quartiles are worked out by linear interpolation between the sorted "
    "ratings (Hyndman and Fan's definition 7: the default of R, numpy, pandas and a "
    "spreadsheet's QUARTILE.INC)."
)
"""The quantile definition, as the pages state it."""


def shown(summary: dict[str, Any] | None) -> dict[str, Any] | None:
    """A kept result (a statement's, or a group's) as the pages print it: shares as
    percentages, numbers without trailing zeros; ``None`` when nobody rated it."""
    if not summary or not summary.get("n"):
        return None
    return {
        "n": summary["n"],
        "counts": [(point, count) for point, count in summary["counts"]],
        "agree": percent(summary["share_agree"]),
        "between": percent(summary["share_between"]),
        "disagree": percent(summary["share_disagree"]),
        "median": f"{summary['median']:g}",
        "q1": f"{summary['q1']:g}",
        "q3": f"{summary['q3']:g}",
        "iqr": f"{summary['iqr']:g}",
        "agreed": summary["agreed"],
        "reason": summary.get("reason") or "",
    }


def wording(statement: models.RoundStatement) -> str:
    """A statement's wording as one text: a principle's or theme's title and its words."""
    if statement.title and statement.text:
        return f"{statement.title}: {statement.text}"
    return statement.title or statement.text


def current_wording(statement: models.RoundStatement) -> str:
    """The wording of the statement's principle, aspect or theme in the drafts now."""
    if statement.kind == models.RoundStatement.Kind.ASPECT and statement.aspect is not None:
        return statement.aspect.text
    if statement.kind == models.RoundStatement.Kind.THEME and statement.theme is not None:
        title, text = statement.theme.title, statement.theme.description
    elif statement.principle is not None:
        title, text = statement.principle.title, statement.principle.definition
    else:
        return ""
    return f"{title}: {text}" if title and text else title or text


def difference(old: str, new: str) -> list[Segment] | None:
    """The word difference from ``old`` to ``new``; ``None`` when they are the same."""
    return None if old == new else word_diff(old, new)


def label(statement: models.RoundStatement) -> str:
    """What a statement is, for headings: "Principle", "Aspect of …", "Theme"."""
    if statement.kind == models.RoundStatement.Kind.ASPECT and statement.principle is not None:
        return f"Aspect of “{statement.principle.title}”"
    return str(statement.get_kind_display())


def statements_of(drafting_round: models.DraftingRound) -> list[models.RoundStatement]:
    return list(
        drafting_round.statements.select_related(
            "principle", "aspect", "theme", "previous", "previous__round"
        )
    )


# --- the list of rounds -----------------------------------------------------------------------


def participation_of(project: models.Project) -> dict[int, Participation]:
    """Who took part in each round, by round number (members who stopped stay counted; a
    round still open stops nobody, since its members may yet vote)."""
    rounds = list(models.DraftingRound.objects.filter(project=project).order_by("number"))
    invited = {r.number: list(r.invited.values_list("code", flat=True)) for r in rounds}
    responded = {r.number: list(r.ballots.values_list("member__code", flat=True)) for r in rounds}
    still_open = [r.number for r in rounds if r.status != Status.CLOSED]
    return {
        row.round: row  # type: ignore[misc]
        for row in participation(invited, responded, still_open=still_open)
    }


def response_rate(row: Participation | None) -> str:
    """A round's response rate as every share on these pages is written (``66.67%``), or a
    dash when nobody was invited."""
    if row is None or row.response_rate is None:
        return "—"
    return percent(row.response_rate)


# --- the ballot -------------------------------------------------------------------------------


@dataclass
class BallotItem:
    """One statement on a member's ballot, with what the last round said of it."""

    statement: models.RoundStatement
    label: str
    diff: list[Segment] | None
    own_last: int | None
    rated_last: bool
    last: dict[str, Any] | None
    answer: models.ChangeNote | None
    rating: str = ""
    comment: str = ""
    error: str = ""


def ballot_items(
    drafting_round: models.DraftingRound, member: models.Member
) -> tuple[list[BallotItem], list[models.RoundStatement]]:
    """The statements to vote on, and the locked ones (shown, not voted)."""
    statements = statements_of(drafting_round)
    previous_ids = [s.previous_id for s in statements if s.previous_id]
    own = dict(
        models.Vote.objects.filter(
            statement_id__in=previous_ids, ballot__member=member
        ).values_list("statement_id", "rating")
    )
    answers = {
        note.statement_id: note
        for note in models.ChangeNote.objects.filter(statement_id__in=previous_ids)
    }
    items, locked = [], []
    for statement in statements:
        if statement.locked:
            locked.append(statement)
            continue
        before = statement.previous
        items.append(
            BallotItem(
                statement=statement,
                label=label(statement),
                diff=difference(wording(before), wording(statement)) if before else None,
                own_last=own.get(before.pk) if before else None,
                rated_last=before is not None and before.pk in own,
                last=shown((before.result or {}).get("result")) if before else None,
                answer=answers.get(before.pk) if before else None,
            )
        )
    return items, locked


def scale_points(drafting_round: models.DraftingRound) -> list[int]:
    return list(round_rule(drafting_round).points)


# --- a closed round's results -----------------------------------------------------------------


@dataclass
class ResultRow:
    """One statement's results in a closed round, and its comments (without authors)."""

    statement: models.RoundStatement
    label: str
    result: dict[str, Any] | None
    comments: list[str] = field(default_factory=list)

    @property
    def summary(self) -> dict[str, Any] | None:
        return shown((self.result or {}).get("result"))

    @property
    def reason(self) -> str:
        return str(((self.result or {}).get("result") or {}).get("reason") or "")

    @property
    def groups(self) -> list[dict[str, Any]]:
        """Each stakeholder group's figures; a hidden group has a note and no figures."""
        return [
            {**group, "figures": shown(group.get("result"))}
            for group in (self.result or {}).get("groups") or []
        ]

    @property
    def stability(self) -> dict[str, Any] | None:
        found = (self.result or {}).get("stability")
        if not found:
            return None
        change = found.get("mean_abs_change")
        moved = found.get("share_moved_band")
        return {
            **found,
            "mean_change": None if change is None else f"{change:.2g}",
            "moved": None if moved is None else percent(moved),
            "limit": percent(found["threshold"]),
        }


def result_rows(drafting_round: models.DraftingRound) -> list[ResultRow]:
    """Every statement of the round with its kept results and comments, in order; comments
    are sorted by their text, so their order tells nobody who wrote them."""
    comments: dict[int, list[str]] = {}
    for statement_id, text in (
        models.Vote.objects.filter(ballot__round=drafting_round)
        .exclude(comment="")
        .values_list("statement_id", "comment")
    ):
        comments.setdefault(statement_id, []).append(text)
    return [
        ResultRow(
            statement=s,
            label=label(s),
            result=s.result,
            comments=sorted(comments.get(s.pk, []), key=str.casefold),
        )
        for s in statements_of(drafting_round)
    ]


@dataclass(frozen=True)
class RoundSummary:
    """A closed round at a glance: how many of the statements voted on were agreed, and the
    rows of those not agreed (each with its reason), in the order of the results."""

    voted: int
    agreed: int
    locked: int
    not_agreed: list[ResultRow]


def round_summary(rows: list[ResultRow]) -> RoundSummary:
    """The summary heading a closed round's results (statements agreed in an earlier round
    are shown, not voted on, and counted apart)."""
    voted = [row for row in rows if not row.statement.locked]
    return RoundSummary(
        voted=len(voted),
        agreed=sum(1 for row in voted if row.statement.agreed),
        locked=len(rows) - len(voted),
        not_agreed=[row for row in voted if not row.statement.agreed],
    )


def not_voted(drafting_round: models.DraftingRound) -> list[str]:
    """The codes of the invited members who have not handed in a ballot."""
    voted = set(drafting_round.ballots.values_list("member_id", flat=True))
    return [m.code for m in drafting_round.invited.order_by("code") if m.pk not in voted]


def results_csv(drafting_round: models.DraftingRound) -> str:
    """A closed round's results, one row a statement voted on, for a spreadsheet: written by
    the core's :func:`~peerprinciples.core.coproduction.delphi_csv.results_csv`, so the file
    reads like the command line's ``results.csv`` (with the wording in a last column).
    Statements agreed in an earlier round were not voted on again and are left out; their
    results are in the round that agreed them."""
    statements = [s for s in statements_of(drafting_round) if not s.locked]
    results = rounds_services.results_of(drafting_round, statements)
    report = RoundsReport(rounds=((str(drafting_round.number), results),), participation=())
    wordings = {target_key(s): wording(s) for s in statements}
    return delphi_csv.results_csv(report, results.rule, wordings=wordings)


# --- what we changed and why ------------------------------------------------------------------


@dataclass
class ChangeItem:
    """A statement not agreed in a closed round: its comments, the answer, and how its
    wording has changed since."""

    statement: models.RoundStatement
    label: str
    reason: str
    comments: list[str]
    note: models.ChangeNote | None
    diff: list[Segment] | None


def change_items(drafting_round: models.DraftingRound) -> list[ChangeItem]:
    notes = {
        n.statement_id: n for n in models.ChangeNote.objects.filter(statement__round=drafting_round)
    }
    items = []
    for row in result_rows(drafting_round):
        if row.statement.locked or row.statement.agreed:
            continue
        summary = (row.result or {}).get("result") or {}
        items.append(
            ChangeItem(
                statement=row.statement,
                label=row.label,
                reason=summary.get("reason") or "",
                comments=row.comments,
                note=notes.get(row.statement.pk),
                diff=difference(wording(row.statement), current_wording(row.statement)),
            )
        )
    return items


def is_closed(drafting_round: models.DraftingRound) -> bool:
    return drafting_round.status == Status.CLOSED
