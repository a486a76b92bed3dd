"""Scoring a ratings table: item, domain, principle and total scores, aggregates and gaps.

The rules are the instrument's own (``scoring`` in its YAML) and are set out, with formulas,
in ``docs/scoring.md``. In short:

* item score: the rating, reversed for reverse-keyed items (``min + max − rating``); a special
  code counts as missing (``missing: true``) or as answered without a number
  (``missing: false``);
* domain score: the mean of the domain's item scores when the share of its items answered is
  at least ``scoring.domain.min_rated``. The items expected are the domain's *required* items
  asked of the informant, plus its optional items that were answered: leaving out an optional
  item never makes a domain missing;
* total: the mean of the domain scores (``mean_of_domains``) or of the item scores
  (``mean_of_items``), with its own ``min_rated``;
* bands: the band whose range holds the score (a score on a boundary goes to the higher band);
* consensus: where an interview has two or more raters, or agreed ratings (rater
  ``consensus``), a consensus set of item scores is made: per item the agreed rating when one
  is given, otherwise the mean of the raters' ratings (flagged ``mean_of_raters``), or the
  only rating when just one rater rated that item (``one_rater``). Scores from it are the
  interview's *final* scores; an interview with one rater and no agreed ratings has that
  rater's scores as final.

Everything is computed on whole arrays (``numpy.bincount`` over integer group codes), never
with a loop per rating, and nothing is rounded.

The package has a module per job: :mod:`~peerprinciples.core.scoring.rules` scores a table,
:mod:`~peerprinciples.core.scoring.groups` summarises scores by group and compares
informants, and :mod:`~peerprinciples.core.scoring.scores` holds the result and the names
both use.
"""

from peerprinciples.core.scoring.groups import aggregate, informant_gaps
from peerprinciples.core.scoring.rules import score
from peerprinciples.core.scoring.scores import (
    CONSENSUS_SOURCES,
    DEFAULT_AGGREGATE_BY,
    DEFAULT_GAP_BY,
    GROUP_COLUMNS,
    TOTAL,
    BoolArray,
    FloatArray,
    IntArray,
    Scores,
)

__all__ = [
    "CONSENSUS_SOURCES",
    "DEFAULT_AGGREGATE_BY",
    "DEFAULT_GAP_BY",
    "GROUP_COLUMNS",
    "TOTAL",
    "BoolArray",
    "FloatArray",
    "IntArray",
    "Scores",
    "aggregate",
    "informant_gaps",
    "score",
]
