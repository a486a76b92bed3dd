"""Per-code and per-category summaries of a review's evidence, checked against the same
numbers worked out with pandas in the test."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from peerprinciples.core.coproduction.evidence import (
    Category,
    Code,
    Evidence,
    Quotation,
    Source,
    SourceKind,
)
from peerprinciples.core.coproduction.evidence_summary import (
    CodeSummary,
    Counts,
    EvidenceSummary,
    summarise_evidence,
)


def random_review(seed: int) -> Evidence:
    """A review of 60 sources (some grey, some undated), 6 categories (one empty), 20 codes
    (two without a category) and 150 quotations of one to three codes."""
    rng = np.random.default_rng(seed)
    sources = tuple(
        Source(
            f"S{n:02d}",
            f"Source {n}",
            SourceKind.GREY if rng.random() < 0.3 else SourceKind.PEER_REVIEWED,
            None if rng.random() < 0.1 else int(rng.integers(1994, 2018)),
        )
        for n in range(60)
    )
    categories = tuple(Category(f"C{n}", f"Category {n}") for n in range(6))
    codes = tuple(
        Code(f"K{n:02d}", f"Code {n}", category=None if n >= 18 else f"C{n % 5}") for n in range(20)
    )
    quotations = tuple(
        Quotation(
            f"Q{n}",
            sources[int(rng.integers(0, 60))].key,
            tuple(
                codes[int(i)].key
                for i in rng.choice(20, size=int(rng.integers(1, 4)), replace=False)
            ),
        )
        for n in range(150)
    )
    return Evidence(sources, categories, codes, quotations)


def long_table(evidence: Evidence) -> pd.DataFrame:
    """One row per code of each quotation, with the source's kind and year and the code's
    category."""
    rows = pd.DataFrame(
        [(n, q.source, code) for n, q in enumerate(evidence.quotations) for code in q.codes],
        columns=["quotation", "source", "code"],
    )
    sources = pd.DataFrame(
        [(s.key, s.kind is SourceKind.GREY, s.year) for s in evidence.sources],
        columns=["source", "grey", "year"],
    )
    codes = pd.DataFrame(
        [(c.key, c.category) for c in evidence.codes], columns=["code", "category"]
    )
    return rows.merge(sources, on="source").merge(codes, on="code")


def expected_counts(table: pd.DataFrame, by: str) -> pd.DataFrame:
    """What the summary should say for each ``by`` (code or category), by pandas."""
    distinct = table.drop_duplicates([by, "source"])
    counts = pd.DataFrame(
        {
            "sources": distinct.groupby(by)["source"].nunique(),
            "grey": distinct.groupby(by)["grey"].sum(),
            "quotations": table.groupby(by)["quotation"].nunique(),
            "first_year": distinct.groupby(by)["year"].min(),
            "last_year": distinct.groupby(by)["year"].max(),
            "undated": distinct["year"].isna().groupby(distinct[by]).sum(),
        }
    )
    return counts


def as_row(item: Counts) -> dict[str, float | int | None]:
    return {
        "sources": item.sources,
        "grey": item.grey,
        "quotations": item.quotations,
        "first_year": item.first_year,
        "last_year": item.last_year,
        "undated": item.undated,
    }


def pandas_row(frame: pd.DataFrame, key: str) -> dict[str, float | int | None]:
    row = frame.loc[key]
    return {
        name: None if pd.isna(row[name]) else int(row[name])
        for name in ("sources", "grey", "quotations", "first_year", "last_year", "undated")
    }


@pytest.fixture(scope="module", params=[3, 17, 2024])
def case(request: pytest.FixtureRequest) -> tuple[Evidence, EvidenceSummary]:
    evidence = random_review(request.param)
    return evidence, summarise_evidence(evidence)


def every_code(summary: EvidenceSummary) -> list[CodeSummary]:
    return [code for c in summary.categories for code in c.codes] + list(summary.uncategorised)


def test_each_code_matches_pandas(case: tuple[Evidence, EvidenceSummary]) -> None:
    evidence, summary = case
    expected = expected_counts(long_table(evidence), "code")
    for code in every_code(summary):
        if code.key in expected.index:
            assert as_row(code) == pandas_row(expected, code.key), code.key
        else:
            assert (code.sources, code.quotations, code.periods) == (0, 0, ())


def test_each_category_matches_pandas(case: tuple[Evidence, EvidenceSummary]) -> None:
    evidence, summary = case
    table = long_table(evidence)
    expected = expected_counts(table.dropna(subset=["category"]), "category")
    mentions = table.drop_duplicates(["code", "source"]).groupby("category")["source"].size()
    for category in summary.categories:
        if category.key in expected.index:
            assert as_row(category) == pandas_row(expected, category.key)
            assert category.mentions == int(mentions[category.key])
        else:
            assert (category.sources, category.mentions) == (0, 0)


def test_the_grey_share_is_grey_sources_over_sources(
    case: tuple[Evidence, EvidenceSummary],
) -> None:
    evidence, summary = case
    table = long_table(evidence).drop_duplicates(["category", "source"])
    share = table.groupby("category")["grey"].mean()  # pandas: mean of a true/false column
    for category in summary.categories:
        if category.sources:
            assert category.grey_share == pytest.approx(share[category.key], abs=1e-12)
            assert category.peer_reviewed == category.sources - category.grey
        else:
            assert category.grey_share is None


def test_five_year_bands_count_distinct_sources_like_pandas(
    case: tuple[Evidence, EvidenceSummary],
) -> None:
    evidence, summary = case
    table = long_table(evidence).dropna(subset=["year", "category"])
    table = table.drop_duplicates(["category", "source"])
    table["band"] = (table["year"] // 5 * 5).astype(int)
    bands = table.groupby(["category", "band"]).size()
    for category in summary.categories:
        if not category.sources - category.undated:
            assert category.periods == ()
            continue
        counted = {p.first: p.sources for p in category.periods if p.sources}
        assert counted == {band: int(n) for (key, band), n in bands.items() if key == category.key}
        starts = [p.first for p in category.periods]
        assert starts == list(range(starts[0], starts[-1] + 1, 5))  # gaps listed as well


def test_categories_are_ordered_as_figure_1(case: tuple[Evidence, EvidenceSummary]) -> None:
    _, summary = case
    order = sorted(summary.categories, key=lambda c: (-c.sources, -c.mentions, c.label.casefold()))
    assert list(summary.categories) == order
    for category in summary.categories:
        assert [c.sources for c in category.codes] == sorted(
            (c.sources for c in category.codes), reverse=True
        )


def test_the_review_counts_every_source_coded_or_not(
    case: tuple[Evidence, EvidenceSummary],
) -> None:
    evidence, summary = case
    sources = pd.DataFrame(
        [(s.kind is SourceKind.GREY, s.year) for s in evidence.sources], columns=["grey", "year"]
    )
    assert summary.review.sources == len(sources) == 60
    assert summary.review.grey == int(sources["grey"].sum())
    assert summary.review.undated == int(sources["year"].isna().sum())
    assert summary.review.first_year == int(sources["year"].min())
    assert summary.review.quotations == 150


def test_codes_without_a_category_are_summarised_apart(
    case: tuple[Evidence, EvidenceSummary],
) -> None:
    _, summary = case
    assert {code.key for code in summary.uncategorised} == {"K18", "K19"}
    assert all(code.category is None for code in summary.uncategorised)


def test_the_papers_review_has_twelve_grey_sources_of_95() -> None:
    sources = tuple(
        Source(f"S{n}", f"Study {n}", SourceKind.GREY if n < 12 else SourceKind.PEER_REVIEWED)
        for n in range(95)
    )
    review = summarise_evidence(Evidence(sources=sources)).review
    assert (review.sources, review.grey, review.peer_reviewed) == (95, 12, 83)
    assert review.grey_share == pytest.approx(12 / 95)


def test_single_years_label_their_bands_with_one_year() -> None:
    evidence = Evidence(
        sources=(Source("a", "A", year=2011), Source("b", "B", year=2013)),
        categories=(Category("c", "C"),),
        codes=(Code("k", "K", category="c"),),
        quotations=(Quotation("1", "a", ("k",)), Quotation("2", "b", ("k",))),
    )
    category = summarise_evidence(evidence, period=1).categories[0]
    assert [(p.label, p.sources) for p in category.periods] == [
        ("2011", 1),
        ("2012", 0),
        ("2013", 1),
    ]
    five = summarise_evidence(evidence).categories[0]
    assert [(p.label, p.sources) for p in five.periods] == [("2010–2014", 2)]


def test_a_source_giving_two_codes_of_a_category_counts_once_but_mentions_twice() -> None:
    evidence = Evidence(
        sources=(Source("a", "A", SourceKind.GREY),),
        categories=(Category("c", "C"),),
        codes=(Code("k1", "K1", category="c"), Code("k2", "K2", category="c")),
        quotations=(Quotation("1", "a", ("k1", "k2")), Quotation("2", "a", ("k2",))),
    )
    category = summarise_evidence(evidence).categories[0]
    assert (category.sources, category.mentions, category.quotations) == (1, 2, 2)
    assert (category.grey, category.grey_share) == (1, 1.0)


def test_a_period_below_one_year_is_refused() -> None:
    with pytest.raises(ValueError, match="must be 1 or more, not 0"):
        summarise_evidence(Evidence(), period=0)


def test_a_quotation_from_an_unknown_source_is_refused() -> None:
    evidence = Evidence(codes=(Code("k", "K"),), quotations=(Quotation("q", "nowhere", ("k",)),))
    with pytest.raises(ValueError, match="source 'nowhere'"):
        summarise_evidence(evidence)


def test_a_quotation_with_an_unknown_code_is_refused() -> None:
    evidence = Evidence(sources=(Source("a", "A"),), quotations=(Quotation("q", "a", ("x",)),))
    with pytest.raises(ValueError, match="code 'x'"):
        summarise_evidence(evidence)
