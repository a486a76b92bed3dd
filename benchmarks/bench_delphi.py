"""Benchmark: a large online drafting round's results, on one core.

A synthetic round of ``STATEMENTS`` statements rated 1 to 9 by ``MEMBERS`` panel members in
five stakeholder groups (about 3 % of ratings skipped), with the same members' ratings of the
round before. Then

* ``round results``: :func:`round_results` with stability since the round before, against the
  reference: the same numbers worked out with pandas — per statement the count, the counts per
  scale point, the shares in each band, median, Q1 and Q3 (``groupby(...).quantile``), per
  statement and group the same, and the stability (a merge of the two rounds and the band
  moves per statement);
* ``word differences``: :func:`word_diff` of every statement's wording against a reworded one,
  against ``difflib.SequenceMatcher`` over ``str.split`` words with its opcodes read (what any
  word diff must at least do).

Both run on one core (``threadpool_limits``); ``ratio = cpu_seconds / reference_cpu_seconds``.
A round is worked out once, when it closes, so the target is that the largest round we expect
(a national online Delphi of 1,000 people) closes within a second or two: under 3 s, and a
ratio of at most 10 to pandas' vectorised arithmetic (ours builds a result object per
statement and per group, and checks every rating). Run with ``python -m benchmarks delphi``.
"""

from __future__ import annotations

import difflib
import random
from typing import Any

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from benchmarks.timing import paired, ratio_row
from peerprinciples.core.coproduction.delphi import DEFAULT_RULE
from peerprinciples.core.coproduction.delphi_rounds import round_results
from peerprinciples.core.coproduction.word_diff import word_diff

STATEMENTS = 300
MEMBERS = 1000
GROUPS = ("peer worker", "person supported", "supervisor", "manager", "researcher")
TARGET_SECONDS = 3.0
TARGET_RATIO = 10.0
WORDS = [
    "peer",
    "workers",
    "share",
    "their",
    "own",
    "experience",
    "to",
    "build",
    "trust",
    "and",
    "hope",
    "with",
    "people",
    "they",
    "support",
    "while",
    "choice",
    "and",
    "control",
    "stay",
    "with",
    "the",
    "person",
    "and",
    "the",
    "service",
    "listens",
]


def synthetic_round(seed: int = 15) -> tuple[list[str], list[Any], list[Any], dict[str, str]]:
    """Statement ids, this round's and last round's votes, and each member's group."""
    rng = random.Random(seed)
    statements = [f"S{i:03d}" for i in range(1, STATEMENTS + 1)]
    members = [f"M{i:04d}" for i in range(1, MEMBERS + 1)]
    groups = {m: GROUPS[i % len(GROUPS)] for i, m in enumerate(members)}
    centre = {s: rng.uniform(4, 8.5) for s in statements}

    def votes(shift: float) -> list[tuple[str, str, int | None]]:
        found: list[tuple[str, str, int | None]] = []
        for s in statements:
            for m in members:
                if rng.random() < 0.03:
                    found.append((s, m, None))
                    continue
                value = round(rng.gauss(centre[s] + shift, 1.4))
                found.append((s, m, min(9, max(1, value))))
        return found

    return statements, votes(0.4), votes(0.0), groups


def _band(ratings: pd.Series) -> pd.Series:
    return pd.cut(ratings, [0, 3, 6, 9], labels=["disagree", "between", "agree"])


def reference_results(
    statements: list[str], votes: list[Any], before: list[Any], groups: dict[str, str]
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The same numbers with pandas: per statement, per statement and group, stability."""
    now = pd.DataFrame(votes, columns=["statement", "member", "rating"]).dropna()
    now["group"] = now["member"].map(groups)
    now["agree"] = now["rating"] >= DEFAULT_RULE.agree_from
    now["disagree"] = now["rating"] <= DEFAULT_RULE.disagree_to
    by = now.groupby("statement")
    quantiles = by["rating"].quantile([0.25, 0.5, 0.75]).unstack()
    summary = by.agg(n=("rating", "size"), agree=("agree", "mean"), disagree=("disagree", "mean"))
    summary = summary.join(quantiles)
    summary["counts"] = list(pd.crosstab(now["statement"], now["rating"]).to_numpy())
    by_group = now.groupby(["statement", "group"])
    split = by_group.agg(n=("rating", "size"), agree=("agree", "mean"))
    split = split.join(by_group["rating"].quantile([0.25, 0.5, 0.75]).unstack())
    was = pd.DataFrame(before, columns=["statement", "member", "rating"]).dropna()
    both = now.merge(was, on=["statement", "member"], suffixes=("", "_before"))
    both["moved"] = _band(both["rating"]) != _band(both["rating_before"])
    both["change"] = (both["rating"] - both["rating_before"]).abs()
    moves = both.groupby("statement").agg(
        both=("moved", "size"), moved=("moved", "mean"), change=("change", "mean")
    )
    return summary, split, moves


def _reword(text: str, rng: random.Random) -> str:
    words = text.split()
    for _ in range(3):
        words[rng.randrange(len(words))] = rng.choice(WORDS)
    return " ".join(words)


def _wordings(seed: int = 3) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    pairs = []
    for _ in range(STATEMENTS):
        old = " ".join(rng.choice(WORDS) for _ in range(rng.randint(12, 40)))
        pairs.append((old, _reword(old, rng)))
    return pairs


def _reference_diff(pairs: list[tuple[str, str]]) -> int:
    changed = 0
    for old, new in pairs:
        matcher = difflib.SequenceMatcher(None, old.split(), new.split(), autojunk=False)
        changed += sum(1 for op in matcher.get_opcodes() if op[0] != "equal")
    return changed


def run(repeats: int = 3) -> list[dict[str, Any]]:
    """Time a whole round's results and the word differences against the references."""
    statements, votes, before, groups = synthetic_round()
    ours = round_results(statements, votes, groups, previous_round_votes=before)
    summary, _, _ = reference_results(statements, votes, before, groups)
    # The two must agree before their times mean anything.
    for item in ours.statements[:25]:
        row = summary.loc[item.statement]
        assert item.result.n == row["n"]
        assert np.isclose(item.result.median or 0.0, row[0.5])
        assert np.isclose(item.result.q3 or 0.0, row[0.75])
        assert np.isclose(item.result.share_agree or 0.0, row["agree"])
    pairs = _wordings()
    with threadpool_limits(limits=1):
        whole = paired(
            lambda: round_results(statements, votes, groups, previous_round_votes=before),
            lambda: reference_results(statements, votes, before, groups),
            repeats,
        )
        diffs = paired(
            lambda: [word_diff(old, new) for old, new in pairs],
            lambda: _reference_diff(pairs),
            repeats,
        )
    rows = [
        ratio_row(
            f"round results ({STATEMENTS} statements × {MEMBERS} members, with stability)",
            "pandas groupby, quantile, crosstab and merge",
            whole,
        ),
        ratio_row(
            f"word differences ({STATEMENTS} statements)",
            "difflib.SequenceMatcher over split words",
            diffs,
        ),
    ]
    rows[0]["target"] = f"< {TARGET_SECONDS:g} s, ratio <= {TARGET_RATIO:g}"
    rows[0]["met"] = whole[0] < TARGET_SECONDS and rows[0]["ratio"] <= TARGET_RATIO
    return rows
