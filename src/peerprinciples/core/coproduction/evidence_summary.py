"""How much of a literature review supports each code and category.

For every code and category: how many distinct sources gave it, how many of those are grey
literature and their share, how many quotations, and the years the sources cover (first,
last, and how many sources in each band of years). Categories come in the order of the
founding paper's Figure 1, most often found first, so the evidence behind each draft
principle reads from the strongest down.

A category counts each source once, however many of its codes the source gave; ``mentions``
adds up its codes' sources instead (a source giving two of its codes counts twice), which
shows how much the category was talked about rather than how widely.

Years are counted in bands of ``period`` years that start at a multiple of the band
(2000-2004, 2005-2009 for five-year bands), or by single years with ``period=1``. Every band
from the first source's to the last source's is listed, empty ones too, so gaps show.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from peerprinciples.core.coproduction.evidence import Evidence, Source, SourceKind

DEFAULT_PERIOD = 5
"""Years in a band of the coverage: five, as reviews over decades are usually told."""


@dataclass(frozen=True)
class Period:
    """A band of years and how many of the sources counted were published in it."""

    first: int
    last: int
    sources: int

    @property
    def label(self) -> str:
        """``2000–2004``, or ``2005`` for a band of one year."""
        return str(self.first) if self.first == self.last else f"{self.first}–{self.last}"


@dataclass(frozen=True)
class Counts:
    """The numbers of one code, one category or the whole review."""

    sources: int
    """Distinct sources."""
    grey: int
    """Of those, grey literature."""
    quotations: int
    first_year: int | None
    last_year: int | None
    periods: tuple[Period, ...]
    undated: int
    """Sources without a year."""

    @property
    def peer_reviewed(self) -> int:
        return self.sources - self.grey

    @property
    def grey_share(self) -> float | None:
        """The share of the sources that are grey literature; ``None`` without sources."""
        return self.grey / self.sources if self.sources else None


@dataclass(frozen=True)
class CodeSummary(Counts):
    key: str = ""
    label: str = ""
    definition: str = ""
    category: str | None = None


@dataclass(frozen=True)
class CategorySummary(Counts):
    key: str = ""
    label: str = ""
    description: str = ""
    mentions: int = 0
    """Its codes' sources added up: a source that gave two of its codes counts twice."""
    codes: tuple[CodeSummary, ...] = ()


@dataclass(frozen=True)
class EvidenceSummary:
    categories: tuple[CategorySummary, ...]
    """In the order of Figure 1: most sources first, then most mentions, then by label."""
    uncategorised: tuple[CodeSummary, ...]
    """Codes without a category, most sources first."""
    review: Counts
    """Every source of the review, coded or not, and every quotation."""
    period: int


def summarise_evidence(evidence: Evidence, *, period: int = DEFAULT_PERIOD) -> EvidenceSummary:
    """Count the sources, grey literature, quotations and years behind each code and category.

    Parameters
    ----------
    evidence
        The review's sources, categories, codes and quotations.
    period
        Years in a band of the coverage (5 by default; 1 counts single years).

    Raises
    ------
    ValueError
        When ``period`` is below one, or a quotation names a source or code the evidence
        does not have.
    """
    if period < 1:
        raise ValueError(f"A period of years must be 1 or more, not {period}.")
    sources = {source.key: source for source in evidence.sources}
    codes = {code.key: code for code in evidence.codes}
    code_sources: dict[str, set[str]] = {key: set() for key in codes}
    code_quotations: dict[str, set[int]] = {key: set() for key in codes}
    for index, quotation in enumerate(evidence.quotations):
        if quotation.source not in sources:
            raise ValueError(
                f"Quotation {quotation.key!r} is from source {quotation.source!r}, which the "
                "evidence does not list."
            )
        for key in quotation.codes:
            if key not in codes:
                raise ValueError(
                    f"Quotation {quotation.key!r} has the code {key!r}, which the evidence "
                    "does not list."
                )
            code_sources[key].add(quotation.source)
            code_quotations[key].add(index)

    def code_summary(key: str) -> CodeSummary:
        code = codes[key]
        counts = _counts([sources[s] for s in code_sources[key]], len(code_quotations[key]), period)
        return CodeSummary(
            **vars(counts),
            key=key,
            label=code.label,
            definition=code.definition,
            category=code.category,
        )

    categories = []
    for category in evidence.categories:
        members = [key for key, code in codes.items() if code.category == category.key]
        reached = set().union(*(code_sources[key] for key in members))
        quoted = set().union(*(code_quotations[key] for key in members))
        counts = _counts([sources[s] for s in reached], len(quoted), period)
        categories.append(
            CategorySummary(
                **vars(counts),
                key=category.key,
                label=category.label,
                description=category.description,
                mentions=sum(len(code_sources[key]) for key in members),
                codes=_by_frequency(code_summary(key) for key in members),
            )
        )
    categories.sort(key=lambda c: (-c.sources, -c.mentions, c.label.casefold(), c.key))
    known = {category.key for category in evidence.categories}
    loose = [key for key, code in codes.items() if code.category not in known]
    return EvidenceSummary(
        categories=tuple(categories),
        uncategorised=_by_frequency(code_summary(key) for key in loose),
        review=_counts(evidence.sources, len(evidence.quotations), period),
        period=period,
    )


def _by_frequency(summaries: Iterable[CodeSummary]) -> tuple[CodeSummary, ...]:
    return tuple(sorted(summaries, key=lambda c: (-c.sources, c.label.casefold(), c.key)))


def _counts(sources: Iterable[Source], quotations: int, period: int) -> Counts:
    listed = list(sources)
    years = sorted(source.year for source in listed if source.year is not None)
    return Counts(
        sources=len(listed),
        grey=sum(source.kind is SourceKind.GREY for source in listed),
        quotations=quotations,
        first_year=years[0] if years else None,
        last_year=years[-1] if years else None,
        periods=_periods(years, period),
        undated=len(listed) - len(years),
    )


def _periods(years: list[int], period: int) -> tuple[Period, ...]:
    """Every band from the first year's to the last year's, with its number of sources."""
    if not years:
        return ()
    tally: dict[int, int] = {}
    for year in years:
        start = year - year % period
        tally[start] = tally.get(start, 0) + 1
    first, last = min(tally), max(tally)
    return tuple(
        Period(start, start + period - 1, tally.get(start, 0))
        for start in range(first, last + 1, period)
    )
