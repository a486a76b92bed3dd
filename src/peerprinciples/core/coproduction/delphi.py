"""A Delphi drafting round's numbers for one statement: the consensus rule and what the
panel's ratings say against it, for everyone and per stakeholder group.

In each drafting round the panel rates its agreement with the current wording of every
principle, aspect and theme on a scale the facilitator chooses (by default 1 to 9). The
project sets its :class:`ConsensusRule` before the first round, and the same rule is applied
to every statement in every round: by default a statement is agreed when at least 75% of the
members who rated it chose 7, 8 or 9 **and** the median rating is at least 7.

Who counts
----------
Every share is over the members who *gave a rating* to the statement. A member who skipped
a statement (``None``) has not rated it: they count in no share, no quantile and no ``n``.
So "75% agreed" always means 75% of the ratings the statement got, and ``n`` says how many
that was.

Quantiles
---------
The median, first quartile (Q1) and third quartile (Q3) use linear interpolation between
order statistics: with the ratings sorted, :math:`x_{(1)} \\le \\dots \\le x_{(n)}`, the
p-quantile is found at position :math:`h = (n - 1)p + 1` as
:math:`x_{(\\lfloor h \\rfloor)} + (h - \\lfloor h \\rfloor)(x_{(\\lfloor h \\rfloor + 1)} -
x_{(\\lfloor h \\rfloor)})`. This is Hyndman and Fan's definition 7, the default of R's
``quantile``, of :func:`numpy.percentile` and of :meth:`pandas.Series.quantile`; a
spreadsheet's ``QUARTILE.INC`` gives the same. The interquartile range is Q3 - Q1.

Small groups
------------
Results per stakeholder group (:func:`by_group`) are shown only for groups where at least
:data:`~.statement_ratings.MIN_GROUP_RATERS` members rated the statement, the threshold
used for the concept map's groups; a smaller group is reported as "fewer than 3", never with
its numbers. When hiding one group would let it be worked out by subtracting the others from
everyone's counts, the next smallest group is hidden too (:func:`~peerprinciples.core.
suppression.suppress`).

References
----------
1. Hyndman, R. J., & Fan, Y. (1996). Sample quantiles in statistical packages. *The
   American Statistician*, 50(4), 361-365.
2. Fitch, K., Bernstein, S. J., Aguilar, M. D., et al. (2001). *The RAND/UCLA
   Appropriateness Method User's Manual*. RAND. (the 1-9 scale and its three bands)
3. Diamond, I. R., Grant, R. C., Feldman, B. M., et al. (2014). Defining consensus: a
   systematic review recommends methodologic criteria for reporting of Delphi studies.
   *Journal of Clinical Epidemiology*, 67(4), 401-409.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, fields
from fractions import Fraction
from typing import Any, Literal, SupportsInt, cast

import numpy as np

from peerprinciples.core.coproduction.statement_ratings import MIN_GROUP_RATERS
from peerprinciples.core.suppression import SMALL, Key, suppress

Band = Literal["disagree", "between", "agree"]

NO_GROUP = "no group given"
"""The group of members whose stakeholder group is not known."""


def exact(value: float) -> Fraction:
    """``value`` as the decimal number it was written as (``0.7`` is seven tenths, not the
    binary float nearest to it), so that 7 of 10 ratings reach a share of 0.7."""
    return Fraction(repr(float(value)))


def percent(share: float) -> str:
    """A share as a percentage for people: ``75%``, ``66.67%``."""
    return f"{share * 100:.4g}%"


@dataclass(frozen=True)
class ConsensusRule:
    """When a statement counts as agreed: the scale, its agreement and disagreement bands,
    and the share and median needed.

    A statement is agreed when at least ``min_share`` of the members who rated it chose a
    point from ``agree_from`` to ``high`` and its median rating is at least ``min_median``.
    A statement that was skipped by a member is not rated by them (see the module's notes).
    Ratings from ``low`` to ``disagree_to`` are disagreement; those between the two bands
    are neither.

    Raises
    ------
    ValueError
        When the rule cannot be applied, naming every field that is wrong and how to put it
        right: ``low`` not below ``high``; a band outside the scale or the two bands
        overlapping; ``min_share`` not above 0 and at most 1; ``min_median`` off the scale.
    """

    low: int = 1
    high: int = 9
    agree_from: int = 7
    disagree_to: int = 3
    min_share: float = 0.75
    min_median: float = 7

    def __post_init__(self) -> None:
        problems = _rule_problems(self)
        if problems:
            raise ValueError("The consensus rule cannot be used: " + " ".join(problems))

    @property
    def points(self) -> range:
        """Every point of the scale, from ``low`` to ``high``."""
        return range(self.low, self.high + 1)

    def band(self, rating: int) -> Band:
        """Which band ``rating`` is in: ``disagree``, ``between`` or ``agree``."""
        if rating >= self.agree_from:
            return "agree"
        if rating <= self.disagree_to:
            return "disagree"
        return "between"

    def describe(self) -> str:
        """The rule in one sentence, as the panel is shown it."""
        return (
            f"Agreed when at least {percent(self.min_share)} of those who rated it chose "
            f"{_span(self.agree_from, self.high, ' to ')} and the median is at least "
            f"{self.min_median:g}."
        )

    def to_dict(self) -> dict[str, Any]:
        """The rule as plain data, for storing (every field, so a stored rule never changes
        meaning if the defaults do)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ConsensusRule:
        """A rule stored with :meth:`to_dict`.

        Raises
        ------
        ValueError
            When a field is missing or unknown, or the rule is not valid.
        """
        names = [field.name for field in fields(cls)]
        missing = [name for name in names if name not in data]
        unknown = sorted(str(key) for key in data if key not in names)
        if missing or unknown:
            said = []
            if missing:
                said.append(f"it has no {', '.join(missing)}")
            if unknown:
                said.append(f"{', '.join(unknown)} are not fields of a rule")
            raise ValueError(
                f"The stored consensus rule cannot be read: {'; '.join(said)}. A rule has "
                f"exactly the fields {', '.join(names)}."
            )
        return cls(**{name: data[name] for name in names})


def _span(first: int, last: int, word: str = "–") -> str:
    return str(first) if first == last else f"{first}{word}{last}"


def _is_whole(value: object) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _is_number(value: object) -> bool:
    return (
        isinstance(value, numbers.Real)
        and not isinstance(value, bool)
        and math.isfinite(float(value))
    )


def _rule_problems(rule: ConsensusRule) -> list[str]:
    problems = [
        f"{name} must be a whole number, not {getattr(rule, name)!r}."
        for name in ("low", "high", "agree_from", "disagree_to")
        if not _is_whole(getattr(rule, name))
    ]
    problems += [
        f"{name} must be a number, not {getattr(rule, name)!r}."
        for name in ("min_share", "min_median")
        if not _is_number(getattr(rule, name))
    ]
    if problems:
        return problems
    low, high = rule.low, rule.high
    if low >= high:
        return [f"the scale's lowest point ({low}) must be below its highest ({high})."]
    if not low <= rule.agree_from <= high:
        problems.append(
            f"the agreement band starts at {rule.agree_from}, outside the scale {low}–{high}; "
            f"set agree_from between {low} and {high}."
        )
    if not low <= rule.disagree_to <= high:
        problems.append(
            f"the disagreement band ends at {rule.disagree_to}, outside the scale "
            f"{low}–{high}; set disagree_to between {low} and {high}."
        )
    if not problems and rule.disagree_to >= rule.agree_from:
        problems.append(
            f"the disagreement band ({_span(low, rule.disagree_to)}) and the agreement band "
            f"({_span(rule.agree_from, high)}) overlap; disagree_to must be below agree_from."
        )
    if not 0 < rule.min_share <= 1:
        problems.append(
            f"min_share is {rule.min_share!r}, but a share must be above 0 and at most 1 "
            "(0.75 for 75%)."
        )
    if not low <= rule.min_median <= high:
        problems.append(
            f"min_median is {rule.min_median:g}, outside the scale {low}–{high}; set it "
            "to a point of the scale."
        )
    return problems


DEFAULT_RULE = ConsensusRule()
"""At least 75% rating 7–9 on a 1–9 scale, and a median of at least 7."""


@dataclass(frozen=True)
class StatementResult:
    """What the ratings of one statement say against the consensus rule.

    ``counts`` holds every point of the scale, in order, with how many chose it (zeros
    included). The shares, quantiles and IQR are ``None`` when nobody rated the statement;
    ``reason`` says why it is not agreed, and is ``None`` when it is.
    """

    n: int
    counts: tuple[tuple[int, int], ...]
    share_agree: float | None
    share_between: float | None
    share_disagree: float | None
    median: float | None
    q1: float | None
    q3: float | None
    iqr: float | None
    agreed: bool
    reason: str | None


def check_rating(rating: object, rule: ConsensusRule, *, where: str = "") -> int:
    """``rating`` as a point of the rule's scale.

    Raises
    ------
    ValueError
        When it is not a whole number from ``low`` to ``high``; the message names the value,
        the scale and ``where`` (a member or a statement) when given.
    """
    if type(rating) is int and rule.low <= rating <= rule.high:
        return rating  # the common case, checked without the slower generic tests below
    place = f" ({where})" if where else ""
    if not _is_whole(rating):
        raise ValueError(
            f"The rating {rating!r}{place} is not a point of the {rule.low}–{rule.high} "
            f"scale; give a whole number from {rule.low} to {rule.high}, or None for a "
            "statement the member skipped."
        )
    value = int(cast(SupportsInt, rating))  # an Integral, checked above
    if not rule.low <= value <= rule.high:
        raise ValueError(
            f"The rating {value}{place} is outside the {rule.low}–{rule.high} scale; give a "
            f"whole number from {rule.low} to {rule.high}."
        )
    return value


def summarise(ratings: Iterable[int | None], rule: ConsensusRule = DEFAULT_RULE) -> StatementResult:
    """A statement's ratings summarised and checked against the consensus rule.

    Parameters
    ----------
    ratings
        The ratings the statement got in one round, one a member; ``None`` for a member who
        skipped it (left out of everything, see the module's notes).
    rule
        The consensus rule.

    Returns
    -------
    StatementResult

    Raises
    ------
    ValueError
        When a rating is not a whole number on the rule's scale.

    Notes
    -----
    With :math:`n` ratings, :math:`a` of them in the agreement band and median :math:`m`,
    the statement is agreed when :math:`a / n \\ge` ``min_share`` and
    :math:`m \\ge` ``min_median``. The share is compared exactly (7 of 10 reaches 0.7).
    Quantiles: see the module's notes (numpy's default, Hyndman and Fan's type 7).

    Examples
    --------
    >>> result = summarise([7, 7, 8, 9])
    >>> result.share_agree, result.median, result.q1, result.q3, result.agreed
    (1.0, 7.5, 7.0, 8.25, True)
    >>> summarise([9, 8, 7, 5, 4]).reason
    '60% rated 7–9, needs 75%'
    """
    given = [check_rating(rating, rule) for rating in ratings if rating is not None]
    counts = tuple((point, given.count(point)) for point in rule.points)
    n = len(given)
    if n == 0:
        return StatementResult(
            0, counts, None, None, None, None, None, None, None, False, "nobody rated it"
        )
    agree = sum(1 for rating in given if rule.band(rating) == "agree")
    disagree = sum(1 for rating in given if rule.band(rating) == "disagree")
    q1, median, q3 = (float(q) for q in np.percentile(given, [25, 50, 75]))
    reasons = []
    share, needed = Fraction(agree, n), exact(rule.min_share)
    if share < needed:
        reasons.append(
            f"{_below(share, needed)} rated {_span(rule.agree_from, rule.high)}, "
            f"needs {percent(rule.min_share)}"
        )
    if median < rule.min_median:
        reasons.append(f"median {median:g}, needs {rule.min_median:g}")
    return StatementResult(
        n=n,
        counts=counts,
        share_agree=agree / n,
        share_between=(n - agree - disagree) / n,
        share_disagree=disagree / n,
        median=median,
        q1=q1,
        q3=q3,
        iqr=q3 - q1,
        agreed=not reasons,
        reason="; ".join(reasons) or None,
    )


def _below(share: Fraction, needed: Fraction) -> str:
    """``share`` written as :func:`percent` writes every share (``66.67%``), unless rounding
    would make it look as much as ``needed``: then cut (never rounded up) at the first
    decimal place that shows it is less (74.99%, not 75%, when 75% is needed)."""
    shown = percent(float(share))
    if Fraction(shown.removesuffix("%")) < needed * 100:
        return shown
    places = 1
    while math.floor(share * 100 * 10**places) >= needed * 100 * 10**places and places < 6:
        places += 1
    return f"{math.floor(share * 100 * 10**places) / 10**places:.{places}f}%"


@dataclass(frozen=True)
class GroupResult:
    """One stakeholder group's results for a statement: ``raters`` and ``result`` are
    ``None`` when the group is hidden, and ``note`` says why (``fewer than 3``, or that it is
    hidden so a smaller group cannot be worked out from the others)."""

    group: str
    shown: bool
    raters: int | None
    result: StatementResult | None
    note: str | None


def by_group(
    ratings_by_member: Mapping[str, int | None],
    group_of_member: Mapping[str, str],
    rule: ConsensusRule = DEFAULT_RULE,
    min_size: int = MIN_GROUP_RATERS,
) -> tuple[GroupResult, ...]:
    """A statement's results per stakeholder group, small groups hidden.

    Parameters
    ----------
    ratings_by_member
        Each member's rating of the statement (``None`` when they skipped it).
    group_of_member
        Each member's stakeholder group (peer worker, manager, person supported...). Members
        missing from it, or with an empty group, are put in :data:`NO_GROUP`.
    rule
        The consensus rule.
    min_size
        The fewest members who rated the statement for a group's results to be shown
        (default :data:`~.statement_ratings.MIN_GROUP_RATERS`).

    Returns
    -------
    tuple of GroupResult
        Every group with at least one rating, alphabetically (ignoring case), with
        :data:`NO_GROUP` last.

    Raises
    ------
    ValueError
        When ``min_size`` is below 1 or a rating is not on the scale.
    """
    if min_size < 1:
        raise ValueError(f"The smallest group shown must be 1 or more members, not {min_size}.")
    ratings: dict[str, dict[str, int]] = {}
    for member, rating in ratings_by_member.items():
        if rating is not None:
            group = group_of_member.get(member, "").strip() or NO_GROUP
            ratings.setdefault(group, {})[member] = check_rating(rating, rule, where=member)
    counts: dict[Key, int] = {(name,): len(given) for name, given in ratings.items()}
    counts[(None,)] = sum(counts.values())
    hidden = suppress(counts, min_size) if ratings else {}
    order = sorted(ratings, key=lambda name: (name == NO_GROUP, name.casefold(), name))
    results = []
    for name in order:
        why = hidden.get((name,))
        if why is None:
            given = ratings[name]
            results.append(
                GroupResult(name, True, len(given), summarise(given.values(), rule), None)
            )
        else:
            note = (
                f"fewer than {min_size}"
                if why == SMALL
                else "hidden so that a smaller group cannot be worked out from the others"
            )
            results.append(GroupResult(name, False, None, None, note))
    return tuple(results)
