"""Delphi drafting rounds taken together: a whole round's results, how stable each
statement's ratings are from one round to the next, and who keeps taking part.

The web application stores rounds, statements and votes; it hands them here as plain data
(statement ids, and votes as ``(statement, member, rating)`` with ``None`` for a skipped
statement) and shows what comes back. One statement's numbers are worked out by
:mod:`.delphi`.

Stability
---------
A statement's ratings are **stable** between two rounds when few of the members who rated
it in both changed their minds enough to move from one band to another (disagree, in
between, agree): by default when at most 15% of them moved band. Fifteen per cent is the
convention proposed by Scheibe, Skutsch and Schofer (1975) and widely used since; a
different ``threshold`` may be given. Stability is about the members who rated the
statement in both rounds; the change of the median and IQR is that of the whole panel's
results as shown in each round (everyone who rated it then).

Participation
-------------
A member who responded in an earlier round and in neither this round nor any later one has
**stopped taking part**. Such members are counted, not hidden: they stay among the invited
of every later round (so the response rate does not rise because people left), and each
round says how many have stopped so far. A round still open (members may yet vote) stops
nobody: a member counts as stopped only once a round has closed without them.

References
----------
1. Scheibe, M., Skutsch, M., & Schofer, J. (1975). Experiments in Delphi methodology. In
   H. A. Linstone & M. Turoff (Eds.), *The Delphi method: Techniques and applications*
   (pp. 262-287). Addison-Wesley.
2. Jünger, S., Payne, S. A., Brine, J., Radbruch, L., & Brearley, S. G. (2017). Guidance on
   Conducting and REporting DElphi Studies (CREDES) in palliative care. *Palliative
   Medicine*, 31(8), 684-706.
"""

from __future__ import annotations

import statistics
from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TypeVar

from peerprinciples.core.coproduction.delphi import (
    DEFAULT_RULE,
    ConsensusRule,
    GroupResult,
    StatementResult,
    by_group,
    check_rating,
    exact,
    summarise,
)
from peerprinciples.core.coproduction.statement_ratings import MIN_GROUP_RATERS

STABLE_SHARE = 0.15
"""The largest share of members moving band for a statement to count as stable."""

Vote = tuple[str, str, int | None]
"""One member's vote on one statement in a round: ``(statement, member, rating)``, the
rating ``None`` when the member skipped the statement."""

RoundKey = TypeVar("RoundKey", bound=Hashable)


@dataclass(frozen=True)
class Stability:
    """How one statement's ratings changed between two rounds.

    ``in_both`` counts the members who rated it in both rounds; ``changed`` those of them
    who gave another rating, ``moved_band`` those whose rating moved to another band.
    ``share_moved_band``, ``mean_abs_change`` and ``stable`` are ``None`` when nobody rated
    it in both. The medians and IQRs are the whole panel's in each round (``None`` when
    nobody rated it then), and the changes are after minus before.
    """

    in_both: int
    changed: int
    moved_band: int
    share_moved_band: float | None
    mean_abs_change: float | None
    stable: bool | None
    threshold: float
    median_before: float | None
    median_after: float | None
    iqr_before: float | None
    iqr_after: float | None

    @property
    def median_change(self) -> float | None:
        if self.median_before is None or self.median_after is None:
            return None
        return self.median_after - self.median_before

    @property
    def iqr_change(self) -> float | None:
        if self.iqr_before is None or self.iqr_after is None:
            return None
        return self.iqr_after - self.iqr_before


def stability(
    previous: Mapping[str, int | None],
    current: Mapping[str, int | None],
    rule: ConsensusRule = DEFAULT_RULE,
    *,
    threshold: float = STABLE_SHARE,
) -> Stability:
    """How stable one statement's ratings are between the previous round and this one.

    Parameters
    ----------
    previous, current
        Each member's rating of the statement in the two rounds (``None``, or absent, when
        they did not rate it).
    rule
        The consensus rule, whose bands say when a rating moved band.
    threshold
        The largest share of members moving band for the ratings to be stable (default
        :data:`STABLE_SHARE`, 15%).

    Raises
    ------
    ValueError
        When ``threshold`` is not from 0 to 1 or a rating is not on the scale.

    Notes
    -----
    Over the :math:`m` members who rated in both rounds, with ratings :math:`x_i` before and
    :math:`y_i` now, the mean absolute change is :math:`\\frac{1}{m}\\sum |y_i - x_i|`, and
    the ratings are stable when (members moving band) / :math:`m \\le` ``threshold``.
    """
    if not 0 <= threshold <= 1:
        raise ValueError(
            f"The stability threshold is a share from 0 to 1 (0.15 for 15%), not {threshold!r}."
        )
    before = {m: check_rating(r, rule, where=m) for m, r in previous.items() if r is not None}
    after = {m: check_rating(r, rule, where=m) for m, r in current.items() if r is not None}
    both = [member for member in after if member in before]
    changed = sum(1 for member in both if before[member] != after[member])
    moved = sum(1 for member in both if rule.band(before[member]) != rule.band(after[member]))
    old, new = summarise(before.values(), rule), summarise(after.values(), rule)
    return Stability(
        in_both=len(both),
        changed=changed,
        moved_band=moved,
        share_moved_band=moved / len(both) if both else None,
        mean_abs_change=(
            statistics.fmean(abs(after[m] - before[m]) for m in both) if both else None
        ),
        stable=Fraction(moved, len(both)) <= exact(threshold) if both else None,
        threshold=threshold,
        median_before=old.median,
        median_after=new.median,
        iqr_before=old.iqr,
        iqr_after=new.iqr,
    )


@dataclass(frozen=True)
class Participation:
    """Who took part in one round.

    ``invited`` counts the members invited, and with them every member who responded to an
    earlier round (so those who stop stay in the denominator); ``stopped`` counts those who
    responded to an earlier round and to neither this round nor a later one, and whom at
    least one closed round has missed since they last responded.
    ``response_rate`` is ``None`` when nobody was invited.
    """

    round: Hashable
    invited: int
    responded: int
    not_responding: int
    stopped: int
    stopped_members: frozenset[str]
    response_rate: float | None


def participation(
    invited: Mapping[RoundKey, Collection[str]],
    responded: Mapping[RoundKey, Collection[str]],
    *,
    still_open: Collection[RoundKey] = (),
) -> tuple[Participation, ...]:
    """Invited, responding and stopped members in every round.

    Parameters
    ----------
    invited
        The members invited to each round, round by round in the order they were held
        (the mapping's order).
    responded
        The members who responded to each round (gave at least one vote, a skip
        included); a round missing from it had no response.
    still_open
        The rounds still open for voting. Not having voted yet in an open round does not
        make a member stopped: only a closed round without them does.

    Returns
    -------
    tuple of Participation
        One a round, in the order of ``invited``.

    Raises
    ------
    ValueError
        When ``responded`` or ``still_open`` names a round that is not in ``invited``, or a
        member responded to a round they were not invited to.
    """
    for what, keys in (("Responses are given for", responded), ("Still open are", still_open)):
        unknown = [key for key in keys if key not in invited]
        if unknown:
            raise ValueError(
                f"{what} round(s) {', '.join(map(str, unknown))}, which are not among the "
                f"rounds invited to ({', '.join(map(str, invited)) or 'none'})."
            )
    rounds = list(invited)
    answered = [frozenset(responded.get(key, ())) for key in rounds]
    for key, members, asked in zip(rounds, answered, (invited[k] for k in rounds), strict=True):
        strangers = sorted(members - set(asked))
        if strangers:
            raise ValueError(
                f"In round {key}, {', '.join(strangers)} responded without being invited; "
                "add them to the round's invited members."
            )
    results = []
    earlier: set[str] = set()
    last: dict[str, int] = {}
    for index, key in enumerate(rounds):
        later = frozenset().union(*answered[index:])
        stopped = frozenset(
            member
            for member in earlier - later
            if any(rounds[k] not in still_open for k in range(last[member] + 1, index + 1))
        )
        denominator = set(invited[key]) | earlier
        count = len(answered[index])
        results.append(
            Participation(
                round=key,
                invited=len(denominator),
                responded=count,
                not_responding=len(denominator) - count,
                stopped=len(stopped),
                stopped_members=stopped,
                response_rate=count / len(denominator) if denominator else None,
            )
        )
        earlier |= answered[index]
        last.update(dict.fromkeys(answered[index], index))
    return tuple(results)


@dataclass(frozen=True)
class StatementRound:
    """One statement's results in a round: for everyone, per group, and its stability since
    the previous round (``None`` in the first round, or when it was not in the previous)."""

    statement: str
    result: StatementResult
    groups: tuple[GroupResult, ...]
    stability: Stability | None


@dataclass(frozen=True)
class RoundResults:
    """A whole round's results, statement by statement in the order given.

    ``ratings`` holds every vote, statement -> member -> rating (``None`` for a skip), so a
    page can show a member their own rating of a statement in this round beside the group's
    results in the next: ``previous.ratings[statement].get(member)``.
    """

    rule: ConsensusRule
    statements: tuple[StatementRound, ...]
    ratings: Mapping[str, Mapping[str, int | None]]
    responded: frozenset[str]

    @property
    def agreed(self) -> tuple[str, ...]:
        """The statements agreed in this round, in order."""
        return tuple(item.statement for item in self.statements if item.result.agreed)

    def own_rating(self, statement: str, member: str) -> int | None:
        """``member``'s rating of ``statement`` in this round (``None`` when not rated)."""
        return self.ratings.get(statement, {}).get(member)


def votes_by_statement(
    statements: Sequence[str], votes: Iterable[Vote], rule: ConsensusRule, *, label: str = ""
) -> dict[str, dict[str, int | None]]:
    """The votes of a round as statement -> member -> rating, checked.

    Raises
    ------
    ValueError
        When a vote is for a statement not in ``statements``, a member voted twice on one
        statement, or a rating is off the scale.
    """
    known = dict.fromkeys(statements)
    table: dict[str, dict[str, int | None]] = {key: {} for key in known}
    round_name = f" in {label}" if label else ""
    for statement, member, rating in votes:
        if statement not in table:
            raise ValueError(
                f"A vote by {member}{round_name} is for statement {statement!r}, which is not "
                "among the round's statements; give every statement of the round."
            )
        if member in table[statement]:
            raise ValueError(
                f"{member} voted twice on statement {statement!r}{round_name}; keep one vote."
            )
        table[statement][member] = (
            None
            if rating is None
            else check_rating(rating, rule, where=f"{member} on {statement!r}{round_name}")
        )
    return table


def round_results(
    statements: Sequence[str],
    votes: Iterable[Vote],
    groups: Mapping[str, str],
    rule: ConsensusRule = DEFAULT_RULE,
    previous_round_votes: Iterable[Vote] | None = None,
    *,
    min_group_size: int = MIN_GROUP_RATERS,
    stable_share: float = STABLE_SHARE,
) -> RoundResults:
    """Every statement's results in one round, by group, with stability since the last.

    Parameters
    ----------
    statements
        The ids of the round's statements, in the order to report them.
    votes
        The round's votes, ``(statement, member, rating)``; ``rating`` is ``None`` for a
        statement the member skipped.
    groups
        Each member's stakeholder group (see :func:`.delphi.by_group`).
    rule
        The consensus rule, the same every round.
    previous_round_votes
        The previous round's votes, for stability; a statement absent from them (new in
        this round) gets no stability.
    min_group_size
        The fewest raters for a group's results to be shown.
    stable_share
        The largest share moving band for a statement's ratings to be stable.

    Raises
    ------
    ValueError
        As :func:`votes_by_statement` does (for either round), or for a bad
        ``min_group_size`` or ``stable_share``.
    """
    table = votes_by_statement(statements, votes, rule, label="this round")
    before: dict[str, dict[str, int | None]] | None = None
    if previous_round_votes is not None:
        earlier = list(previous_round_votes)
        before = votes_by_statement(
            list(dict.fromkeys(vote[0] for vote in earlier)),
            earlier,
            rule,
            label="the previous round",
        )
    items = []
    for key in table:
        given = table[key]
        items.append(
            StatementRound(
                statement=key,
                result=summarise(given.values(), rule),
                groups=by_group(given, groups, rule, min_group_size),
                stability=(
                    stability(before[key], given, rule, threshold=stable_share)
                    if before is not None and key in before
                    else None
                ),
            )
        )
    responded = frozenset(member for given in table.values() for member in given)
    return RoundResults(rule, tuple(items), table, responded)
