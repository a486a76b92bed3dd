"""The built-in ENRICH framework and example index load, validate and say where they come from."""

from __future__ import annotations

from peerprinciples.core.library import Library

ENRICH_PRINCIPLES = [
    "relationships",
    "mutuality",
    "experiential-knowledge",
    "leadership-choice-control",
    "strengths-connections",
]


def test_enrich_has_five_principles_in_the_papers_order() -> None:
    framework = Library().framework("enrich@2017")
    assert [p.key for p in framework.principles] == ENRICH_PRINCIPLES


def test_enrich_carries_the_cross_cutting_theme_of_diversity() -> None:
    framework = Library().framework("enrich@2017")
    assert [t.key for t in framework.themes] == ["diversity-of-lived-experience"]
    assert framework.themes[0].applies_to == "all"
    assert all(framework.themes_for(key) for key in ENRICH_PRINCIPLES)


def test_titles_name_the_principles_then_the_themes_by_key() -> None:
    framework = Library().framework("enrich@2017")
    titles = framework.titles()
    assert list(titles) == [*ENRICH_PRINCIPLES, "diversity-of-lived-experience"]
    assert titles["mutuality"] == framework.principle("mutuality").title
    assert titles["diversity-of-lived-experience"] == framework.themes[0].title


def test_enrich_cites_the_founding_paper_with_its_doi() -> None:
    citation = Library().framework("enrich").citation
    assert citation is not None
    assert citation.doi == "10.1108/MHSI-03-2017-0016"
    assert "Gillard" in citation.text
    assert "Mental Health and Social Inclusion" in citation.text


def test_every_value_is_protected_by_some_principle() -> None:
    framework = Library().framework("enrich@2017")
    protected = {key for p in framework.principles for key in p.values}
    assert protected == {v.key for v in framework.values}


def test_example_index_has_one_domain_per_principle_and_three_items_each() -> None:
    library = Library()
    instrument = library.instrument("enrich-example-index@0.1")
    assert instrument.framework == "enrich@2017"
    assert [d.principles for d in instrument.domains] == [[k] for k in ENRICH_PRINCIPLES]
    for domain in instrument.domains:
        assert len(instrument.items_in(domain.key)) >= 3, domain.key


def test_example_index_asks_three_informants_on_a_described_one_to_five_scale() -> None:
    instrument = Library().instrument("enrich-example-index")
    assert {i.key for i in instrument.informants} == {
        "peer_worker",
        "supervisor",
        "supported_person",
    }
    for item in instrument.items:
        scale = instrument.scale(item.scale)
        assert (scale.min, scale.max) == (1, 5)
        assert item.anchors is not None
        assert sorted(item.anchors) == [1, 2, 3, 4, 5], item.key


def test_example_index_is_labelled_as_an_example_not_the_published_index() -> None:
    instrument = Library().instrument("enrich-example-index")
    assert "not the published ENRICH index" in instrument.title
    assert "adapt" in instrument.notice.lower()


def test_a_bare_key_finds_the_latest_version(write_doc, library) -> None:  # type: ignore[no-untyped-def]
    write_doc(
        "enrich-2020.yaml",
        """
        key: enrich
        version: "2020.1"
        title: A later wording
        principles:
          - {key: one, title: One, definition: The only principle.}
        """,
    )
    assert library.framework("enrich").version == "2020.1"
    assert library.framework("enrich@2017").version == "2017"
