"""The whole analysis in one call, the stored form of its result, and a facilitator's merges
and renames."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest

from peerprinciples.core.coproduction.cardsort import CardSort, Pile, Sort
from peerprinciples.core.coproduction.conceptmap import ConceptMap, analyse
from peerprinciples.core.coproduction.similarity import InvalidCardSort

from .reference import blocks, incidence_similarity, ward
from .studies import STATEMENTS, peer_values, rcmap_study


@pytest.fixture(scope="module")
def small() -> ConceptMap:
    return analyse(peer_values(), starts=3, seed=3, resamples=5)


@pytest.fixture(scope="module")
def ncats() -> ConceptMap:
    return analyse(rcmap_study("DataNCATS"), starts=2, seed=1989, resamples=3)


def _check_consistent(cmap: ConceptMap, cardsort: CardSort) -> None:
    np.testing.assert_allclose(cmap.similarity_array(), incidence_similarity(cardsort), atol=1e-9)
    coordinates = cmap.coordinate_array()
    for k, partition in cmap.partitions.items():
        # fcluster(linkage(coordinates, "ward"), k, "maxclust")
        assert blocks(partition) == blocks(ward(coordinates, k))
        assert len(cmap.names[k]) == k
    assert set(cmap.stability) == set(cmap.partitions)
    assert all(len(s.scores) == cmap.resamples for s in cmap.stability.values())
    assert cmap.stress == min(s.stress for s in cmap.starts)


def test_it_maps_the_small_sort(small: ConceptMap) -> None:
    _check_consistent(small, peer_values())
    assert small.keys == tuple(STATEMENTS)
    assert small.sorters == ("P01", "P02", "P03", "P04", "P05")
    assert small.unsorted_handling == "own pile"
    assert small.unsorted == {"P03": ("8",)}
    assert small.cluster_counts == (3, 4, 5, 6, 7)
    assert small.seed == 3
    assert len(small.starts) == 3


def test_it_maps_the_ncats_study(ncats: ConceptMap) -> None:
    _check_consistent(ncats, rcmap_study("DataNCATS"))
    assert len(ncats.keys) == 81
    assert len(ncats.sorters) == 74
    assert ncats.cluster_counts == tuple(range(3, 16))
    assert {w.where for w in ncats.warnings} == {"sorter 20", "sorter 58"}


def test_it_maps_the_sample_project() -> None:
    cardsort = rcmap_study("sampleproject")
    cmap = analyse(cardsort, starts=1, resamples=2, clusters=[4, 8])
    _check_consistent(cmap, cardsort)
    assert cmap.cluster_counts == (4, 8)
    assert cmap.warnings == ()


def test_it_records_the_software_that_drew_the_map(small: ConceptMap) -> None:
    import scipy
    import sklearn

    assert small.software == {"scikit-learn": sklearn.__version__, "scipy": scipy.__version__}


def test_the_same_seed_draws_the_same_map(small: ConceptMap) -> None:
    assert analyse(peer_values(), starts=3, seed=3, resamples=5) == small


def test_it_reports_progress_stage_by_stage() -> None:
    calls: list[tuple[str, int, int]] = []
    analyse(peer_values(), starts=2, resamples=2, progress=lambda *c: calls.append(c))
    assert calls == [
        ("similarity", 0, 1),
        ("similarity", 1, 1),
        ("scaling", 0, 2),
        ("scaling", 1, 2),
        ("scaling", 2, 2),
        ("stability", 1, 2),
        ("stability", 2, 2),
        ("naming", 1, 1),
    ]


def test_one_sorter_gives_a_map_without_stability() -> None:
    cardsort = replace(peer_values(), sorts=peer_values().sorts[:1])
    cmap = analyse(cardsort, starts=1, resamples=10)
    assert cmap.stability == {}
    assert cmap.resamples == 0
    assert any("one sorter" in w.what for w in cmap.warnings)
    assert cmap.similarity_array()[0, 1] == 1


def test_three_statements_give_the_two_cluster_solution() -> None:
    statements = {"a": "one", "b": "two", "c": "three"}
    sorts = (
        Sort("P01", (Pile("x", ("a", "b")), Pile("y", ("c",)))),
        Sort("P02", (Pile("x", ("a", "b", "c")),)),
        Sort("P03", (Pile("x", ("a", "b")),)),
    )
    cmap = analyse(CardSort(statements, sorts), starts=1, resamples=2)
    assert cmap.cluster_counts == (2,)
    assert blocks(cmap.partitions[2]) == {frozenset({0, 1}), frozenset({2})}


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"starts": 0}, "starts is 0; scaling needs at least one start"),
        ({"resamples": -2}, "resamples is -2; use 0 to skip stability"),
        ({"clusters": [1, 4]}, r"cannot be cut into 1 cluster\(s\)"),
    ],
)
def test_it_refuses_bad_options(options: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        analyse(peer_values(), **options)  # type: ignore[arg-type]


def test_it_refuses_sorts_that_cannot_be_mapped() -> None:
    stray = Sort("P09", (Pile("Odd", ("1", "99")),))
    cardsort = replace(peer_values(), sorts=(*peer_values().sorts, stray))
    with pytest.raises(InvalidCardSort, match="sorter P09, pile 'Odd': card '99'"):
        analyse(cardsort)


# --- stored as JSON ------------------------------------------------------------------------


def test_it_survives_a_trip_through_json(small: ConceptMap) -> None:
    edited = small.merge(4, [1, 2], "Lived experience and equality").rename(4, 3, "Support")
    text = json.dumps(edited.to_json())
    back = ConceptMap.from_json(json.loads(text))
    assert back == edited
    assert back.regions(4) == edited.regions(4)


def test_it_refuses_an_unknown_format(small: ConceptMap) -> None:
    data = small.to_json() | {"format": 99}
    with pytest.raises(ValueError, match="has format 99; this version reads format 1"):
        ConceptMap.from_json(data)


def test_it_refuses_stored_data_with_a_part_missing(small: ConceptMap) -> None:
    data = small.to_json()
    del data["coordinates"]
    with pytest.raises(ValueError, match=r"cannot be read \(KeyError: 'coordinates'\)"):
        ConceptMap.from_json(data)


def test_it_refuses_a_stored_edit_that_cannot_apply(small: ConceptMap) -> None:
    data = small.to_json()
    data["edits"] = [{"clusters": 3, "action": "merge", "members": [1, 9], "name": "x"}]
    with pytest.raises(ValueError, match="there is no cluster 9"):
        ConceptMap.from_json(data)


# --- merging and renaming ------------------------------------------------------------------


def test_regions_start_as_the_clusters_with_their_first_suggested_name(small: ConceptMap) -> None:
    regions = small.regions(3)
    assert [r.clusters for r in regions] == [(1,), (2,), (3,)]
    assert [r.name for r in regions] == [small.names[3][c][0].label for c in range(3)]
    assert sorted(k for r in regions for k in r.statements) == sorted(STATEMENTS)


def test_merging_joins_regions_and_keeps_the_raw_partition(small: ConceptMap) -> None:
    merged = small.merge(4, [3, 1])
    regions = merged.regions(4)
    assert [r.clusters for r in regions] == [(1, 3), (2,), (4,)]
    assert regions[0].name == small.regions(4)[0].name
    expected = [k for k, c in zip(small.keys, small.partitions[4], strict=True) if c in (1, 3)]
    assert list(regions[0].statements) == expected
    assert merged.partitions == small.partitions
    assert merged.edits[-1].action == "merge"
    assert merged.edits[-1].members == (1, 3)
    assert small.edits == ()


def test_renaming_any_cluster_of_a_region_names_the_region(small: ConceptMap) -> None:
    renamed = small.merge(4, [1, 3], "  Shared experience ").rename(4, 3, "Shared lived experience")
    assert renamed.regions(4)[0].name == "Shared lived experience"
    assert [e.name for e in renamed.edits] == ["Shared experience", "Shared lived experience"]


def test_edits_of_one_solution_leave_the_others_alone(small: ConceptMap) -> None:
    edited = small.merge(4, [1, 2]).rename(5, 1, "First")
    assert edited.regions(3) == small.regions(3)
    assert edited.reset(4).regions(4) == small.regions(4)
    assert edited.reset(4).regions(5)[0].name == "First"


def test_it_refuses_to_merge_a_region_with_itself(small: ConceptMap) -> None:
    merged = small.merge(4, [1, 2])
    with pytest.raises(ValueError, match="Clusters 1, 2 are already one region"):
        merged.merge(4, [2, 1])


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda m: m.merge(4, [1, 7]), "has clusters 1 to 4; there is no cluster 7"),
        (lambda m: m.rename(4, 0, "x"), "there is no cluster 0"),
        (lambda m: m.rename(9, 1, "x"), "There is no 9-cluster solution; the map has solutions"),
        (lambda m: m.rename(4, 1, "   "), "name cannot be empty"),
        (lambda m: m.merge(4, [1, 2], "x" * 101), "at most 100 characters; this one has 101"),
    ],
)
def test_it_refuses_bad_edits(small: ConceptMap, edit: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        edit(small)  # type: ignore[operator]


def test_a_cluster_without_pile_labels_is_called_by_its_number() -> None:
    cardsort = peer_values()
    unnamed = replace(
        cardsort,
        sorts=tuple(
            Sort(s.sorter, tuple(Pile("", p.cards) for p in s.piles)) for s in cardsort.sorts
        ),
    )
    cmap = analyse(unnamed, starts=1, resamples=0, clusters=[3])
    assert [r.name for r in cmap.regions(3)] == ["Cluster 1", "Cluster 2", "Cluster 3"]
    assert cmap.stability == {}
