"""A national-scale evaluation of synthetic data, for load tests and capacity planning.

:func:`seed_national` fills the database with one clearly marked evaluation (name
:data:`NATIONAL_NAME`, ``is_demo`` set) the size of a national programme: by default 200
services, 2,000 peer workers, 4 rounds and 25,000 interviews rated on a 40-item index
(:func:`national_instrument`), a tenth of them by two raters with agreed ratings, which
makes about 1.1 million ratings. Everything is synthetic and pseudonymous.

It is built for speed and safety:

* the ratings come from a seeded numpy generator, so the same plan gives the same data
  (:mod:`.design`);
* rows are written with the bulk writer (:mod:`peerprinciples.web.bulk`): PostgreSQL's
  ``COPY``, ``bulk_create`` on other databases (:mod:`.writing`);
* everything runs in one transaction, so an interrupted seed leaves nothing behind
  (:mod:`.national`);
* the cached :class:`~peerprinciples.web.interviews.models.InterviewScore` of every final
  interview is then computed by the core, in chunks so memory stays flat, and built by the
  same :func:`~peerprinciples.web.interviews.scores.score_cache_rows` the web pages rely on.

Load-test accounts (:data:`ACCOUNTS`) get fresh random passwords each time; the caller shows
them once. A second seed of the same evaluation is refused unless ``replace`` is given.
"""

from peerprinciples.web.seeding.national import (
    delete_national,
    find_national,
    reset_accounts,
    seed_marker,
    seed_national,
    seed_record,
)
from peerprinciples.web.seeding.plan import (
    ACCOUNTS,
    LEAD,
    NATIONAL_NAME,
    RATER,
    VIEWER,
    NationalPlan,
    SeedingError,
    SeedResult,
    national_instrument,
)

__all__ = [
    "ACCOUNTS",
    "LEAD",
    "NATIONAL_NAME",
    "RATER",
    "VIEWER",
    "NationalPlan",
    "SeedResult",
    "SeedingError",
    "delete_national",
    "find_national",
    "national_instrument",
    "reset_accounts",
    "seed_marker",
    "seed_national",
    "seed_record",
]
