"""Scores summarised by group (service, round, informant, ...) and the gaps between informants."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from peerprinciples.core.ratings import first_rows
from peerprinciples.core.scoring.scores import (
    DEFAULT_GAP_BY,
    GROUP_COLUMNS,
    TOTAL,
    BoolArray,
    FloatArray,
    IntArray,
    Scores,
    bincount,
    codes_of,
    dense_ids,
    divide,
    new_frame,
)


def _grouping_name(by: Sequence[str]) -> str:
    return "+".join(by) if by else "all"


@dataclass(frozen=True)
class _Keyed:
    """A categorical column as codes (−1 missing) and categories."""

    codes: IntArray
    categories: pd.Index

    @classmethod
    def of(cls, column: pd.Series) -> _Keyed:
        return cls(codes_of(column), column.cat.categories)

    def take(self, rows: IntArray | BoolArray) -> _Keyed:
        return _Keyed(self.codes[rows], self.categories)


@dataclass(frozen=True)
class _Groups:
    """Statistics of values per group of rows, by integer keys (rows with a missing key drop)."""

    keys: list[IntArray]  # per key column, the code of each group
    n_rows: FloatArray
    n: FloatArray
    mean: FloatArray
    sd: FloatArray

    @classmethod
    def of(cls, keys: Sequence[_Keyed], values: FloatArray) -> _Groups:
        valid = np.ones(len(values), dtype=bool)
        combined = np.zeros(len(values), dtype=np.int64)
        sizes = [max(len(k.categories), 1) for k in keys]
        for key, size in zip(keys, sizes, strict=True):
            valid &= key.codes >= 0
            combined = combined * size + key.codes
        space = int(np.prod(sizes, dtype=np.int64))
        groups, group = dense_ids(combined[valid], space)
        value = values[valid]
        m = len(groups)
        has = ~np.isnan(value)
        n = bincount(group, m, has)
        mean = divide(bincount(group, m, np.where(has, value, 0.0)), n)
        deviation = np.where(has, value - mean[group], 0.0) if m else value
        squares = bincount(group, m, deviation * deviation)
        sd = np.sqrt(divide(squares, np.where(n >= 2, n - 1, 0.0)))
        decoded: list[IntArray] = []
        rest = groups
        for size in reversed(sizes):
            decoded.insert(0, (rest % size).astype(np.intp))
            rest = rest // size
        return cls(decoded, bincount(group, m), n, mean, sd)


def _summary_frame(
    parts: list[tuple[str, dict[str, IntArray], dict[str, FloatArray]]],
    categories: dict[str, pd.Index],
    key_columns: Sequence[str],
    value_columns: Sequence[str],
    counts: Sequence[str],
) -> pd.DataFrame:
    """One DataFrame from per-grouping arrays; columns a grouping lacks are missing."""
    lengths = [len(next(iter(values.values()))) for _, _, values in parts]
    names = [name for name, _, _ in parts]
    data: dict[str, object] = {
        "grouping": pd.Categorical(
            np.repeat(np.asarray(names, dtype=object), lengths).astype(str),
            categories=list(dict.fromkeys(names)),
        ),
    }
    for column in key_columns:
        codes = np.concatenate(
            [
                np.zeros(0, dtype=np.intp),
                *(
                    keys.get(column, np.full(length, -1, dtype=np.intp))
                    for (_, keys, _), length in zip(parts, lengths, strict=True)
                ),
            ]
        ).astype(np.intp)
        data[column] = pd.Categorical.from_codes(codes, categories=categories[column])
    for column in value_columns:
        joined = np.concatenate([np.zeros(0), *(values[column] for _, _, values in parts)])
        data[column] = joined.astype(np.int64) if column in counts else joined
    return new_frame(data)


def _summarise_scores(
    columns: dict[str, _Keyed],
    domain: _Keyed,
    score: FloatArray,
    groupings: Sequence[Sequence[str]],
) -> pd.DataFrame:
    parts = []
    for by in groupings:
        stats = _Groups.of([*(columns[c] for c in by), domain], score)
        keys = dict(zip([*by, "domain"], stats.keys, strict=True))
        values = {
            "n_interviews": stats.n_rows,
            "n": stats.n,
            "mean": stats.mean,
            "sd": stats.sd,
        }
        parts.append((_grouping_name(by), keys, values))
    categories = {c: columns[c].categories for c in GROUP_COLUMNS}
    categories["domain"] = domain.categories
    return _summary_frame(
        parts,
        categories,
        [*GROUP_COLUMNS, "domain"],
        ["n_interviews", "n", "mean", "sd"],
        ("n_interviews", "n"),
    )


def aggregate_all(
    domain_scores: pd.DataFrame,
    total_scores: pd.DataFrame,
    domain_keys: list[str],
    groupings: Sequence[Sequence[str]],
) -> pd.DataFrame:
    """The aggregates of domain and total scores for every grouping in ``groupings``."""
    domain_final = domain_scores["final"].to_numpy()
    total_final = total_scores["final"].to_numpy()
    columns = {}
    for column in GROUP_COLUMNS:
        in_domains = _Keyed.of(domain_scores[column]).take(domain_final)
        in_totals = _Keyed.of(total_scores[column]).take(total_final)
        columns[column] = _Keyed(
            np.concatenate([in_domains.codes, in_totals.codes]), in_domains.categories
        )
    domain = _Keyed(
        np.concatenate(
            [
                codes_of(domain_scores["domain"])[domain_final],
                np.full(int(total_final.sum()), len(domain_keys), dtype=np.intp),
            ]
        ),
        pd.Index([*domain_keys, TOTAL], dtype=str),
    )
    score = np.concatenate(
        [
            domain_scores["score"].to_numpy(dtype=np.float64)[domain_final],
            total_scores["score"].to_numpy(dtype=np.float64)[total_final],
        ]
    )
    return _summarise_scores(columns, domain, score, groupings)


def informant_gaps(
    principle_scores: pd.DataFrame,
    *,
    by: Sequence[Sequence[str]] = DEFAULT_GAP_BY,
    self_informant: str = "peer_worker",
) -> pd.DataFrame:
    """How much higher one informant rates than all others, per group and principle.

    Parameters
    ----------
    principle_scores
        :attr:`Scores.principle_scores`; only the final rows are used.
    by
        The groupings, each a sequence of columns from :data:`GROUP_COLUMNS`.
    self_informant
        The informant compared with the others, by default the peer worker's self-rating.

    Returns
    -------
    pandas.DataFrame
        ``grouping``, the grouping columns (``service``, ``peer_worker``, ``round``),
        ``principle``, ``n_self``, ``self_mean``, ``n_others``, ``others_mean`` and
        ``gap = self_mean − others_mean`` (missing when either side has no score).
        ``others_mean`` pools the interviews of all other informants.
    """
    final = principle_scores["final"].to_numpy()
    columns = {c: _Keyed.of(principle_scores[c]).take(final) for c in GROUP_COLUMNS}
    principle = _Keyed.of(principle_scores["principle"]).take(final)
    score = principle_scores["score"].to_numpy(dtype=np.float64)[final]
    informants = list(columns["informant"].categories)
    self_code = informants.index(self_informant) if self_informant in informants else -2
    is_self = columns["informant"].codes == self_code
    side = _Keyed(np.where(is_self, 0, 1).astype(np.intp), pd.Index(["self", "others"]))
    parts = []
    for grouping in by:
        keyed = [*(columns[c] for c in grouping), principle]
        stats = _Groups.of([*keyed, side], score)
        # one row per group and principle, with both sides side by side
        group_keys = stats.keys[:-1]
        combined = np.zeros(len(stats.n), dtype=np.int64)
        for key, keyed_column in zip(group_keys, keyed, strict=True):
            combined = combined * max(len(keyed_column.categories), 1) + key
        space = int(np.prod([max(len(k.categories), 1) for k in keyed], dtype=np.int64))
        groups, group = dense_ids(combined, space)
        m = len(groups)
        first = first_rows(group, m)
        values: dict[str, FloatArray] = {}
        for code, name in ((0, "self"), (1, "others")):
            here = stats.keys[-1] == code
            n = np.zeros(m)
            mean = np.full(m, np.nan)
            n[group[here]] = stats.n[here]
            mean[group[here]] = stats.mean[here]
            values[f"n_{name}"] = n
            values[f"{name}_mean"] = mean
        values["gap"] = values["self_mean"] - values["others_mean"]
        keys = {
            name: key[first] for name, key in zip([*grouping, "principle"], group_keys, strict=True)
        }
        parts.append((_grouping_name(grouping), keys, values))
    categories = {c: columns[c].categories for c in GROUP_COLUMNS}
    categories["principle"] = principle.categories
    return _summary_frame(
        parts,
        categories,
        ["service", "peer_worker", "round", "principle"],
        ["n_self", "self_mean", "n_others", "others_mean", "gap"],
        ("n_self", "n_others"),
    )


def aggregate(scores: Scores, by: Sequence[str]) -> pd.DataFrame:
    """Summarise the final domain and total scores by one grouping.

    Parameters
    ----------
    scores
        The result of :func:`score`.
    by
        Columns from :data:`GROUP_COLUMNS`; empty for all interviews.

    Returns
    -------
    pandas.DataFrame
        Like :attr:`Scores.aggregates`, for this grouping only.

    Raises
    ------
    ValueError
        When ``by`` names a column not in :data:`GROUP_COLUMNS`.
    """
    unknown = [c for c in by if c not in GROUP_COLUMNS]
    if unknown:
        raise ValueError(f"cannot group by {', '.join(unknown)}; use {', '.join(GROUP_COLUMNS)}.")
    keys = [d.key for d in scores.instrument.domains]
    return aggregate_all(scores.domain_scores, scores.total_scores, keys, [tuple(by)])
