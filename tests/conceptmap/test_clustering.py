"""Ward's clustering of the map: SciPy's partitions, numbered in statement order."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from peerprinciples.core.coproduction.clustering import (
    cluster_counts,
    number_in_statement_order,
    ward_partitions,
)
from peerprinciples.core.coproduction.map_defaults import DEFAULT_CLUSTERS
from peerprinciples.core.coproduction.scaling import scale

from .reference import blocks, dissimilarity, incidence_similarity, ward
from .studies import peer_values, rcmap_study


def _coordinates(study: str) -> np.ndarray:
    cardsort = peer_values() if study == "small" else rcmap_study(study)
    d = dissimilarity(incidence_similarity(cardsort), len(cardsort.sorts))
    return scale(d, starts=1, seed=1).coordinates


@pytest.mark.parametrize("study", ["small", "DataNCATS", "sampleproject"])
def test_partitions_are_scipys_ward_cuts(study: str) -> None:
    coordinates = _coordinates(study)
    counts = cluster_counts(DEFAULT_CLUSTERS, len(coordinates))
    ours = ward_partitions(coordinates, counts)
    assert tuple(ours) == counts
    for k, partition in ours.items():
        # fcluster(linkage(coordinates, "ward"), k, "maxclust") on the same coordinates
        expected = ward(coordinates, k)
        assert blocks(partition) == blocks(expected)
        assert adjusted_rand_score(expected, partition) == 1.0
        assert sorted(set(partition)) == list(range(1, k + 1))


def test_clusters_are_numbered_by_their_first_statement() -> None:
    for partition in ward_partitions(_coordinates("small"), range(2, 8)).values():
        firsts = [partition.index(c) for c in range(1, max(partition) + 1)]
        assert firsts == sorted(firsts)
        assert partition[0] == 1


def test_numbering_follows_statement_order() -> None:
    assert number_in_statement_order([7, 7, 2, 9, 2, 7]) == (1, 1, 2, 3, 2, 1)


def test_cluster_counts_are_lowered_to_one_less_than_the_statements() -> None:
    assert cluster_counts(DEFAULT_CLUSTERS, 8) == (3, 4, 5, 6, 7)
    assert cluster_counts(DEFAULT_CLUSTERS, 3) == (2,)
    assert cluster_counts([6, 4, 4], 20) == (4, 6)
    assert cluster_counts(DEFAULT_CLUSTERS, 200) == tuple(range(3, 16))


def test_it_refuses_fewer_than_two_clusters() -> None:
    with pytest.raises(ValueError, match=r"cannot be cut into 0, 1 cluster\(s\); ask for two"):
        cluster_counts([1, 0, 4], 10)


def test_it_refuses_an_empty_request() -> None:
    with pytest.raises(ValueError, match="No numbers of clusters were asked for"):
        cluster_counts([], 10)
