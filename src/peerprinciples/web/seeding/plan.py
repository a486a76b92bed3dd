"""The national seed's plan: its size and random seed, the accounts and the instrument."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from peerprinciples.core.instruments import Instrument
from peerprinciples.core.library import Library
from peerprinciples.web.evaluations.models import Evaluation, Membership

NATIONAL_NAME = "NATIONAL SCALE TEST (synthetic)"
"""The name of the seeded evaluation: it says plainly that the data is synthetic."""

INSTRUMENT_KEY = "national-scale-index"
SOURCE_INSTRUMENT = "enrich-example-index"
ITEMS_PER_DOMAIN = 8
GENERATOR_VERSION = 1
"""Bumped whenever the generator changes, so a stored seed marker no longer matches."""

LEAD, RATER, VIEWER = "bench-lead", "bench-rater", "bench-viewer"
ACCOUNTS: dict[str, str] = {
    LEAD: Membership.Role.LEAD,
    RATER: Membership.Role.RATER,
    VIEWER: Membership.Role.VIEWER,
}
"""Accounts that load tests sign in with, and their roles in the seeded evaluation."""

RATER_POOL_PREFIX = "national-rater-"
BENCH_RATER_SERVICES = 5
"""The load-test rater covers the first services."""

CODES = ("", "NA", "II")
SCORE_CHUNK = 4_000
"""Interviews scored at a time: about 180,000 ratings, well under 100 MB."""
COPY_CHUNK = 100_000


class SeedingError(Exception):
    """The seed cannot go ahead (e.g. the evaluation is already there)."""


@dataclass(frozen=True)
class NationalPlan:
    """How big the seeded evaluation is, and the seed of its random generator."""

    services: int = 200
    peer_workers: int = 2_000
    rounds: int = 4
    interviews: int = 25_000
    double_rated: float = 0.1
    open_interviews: int = 40
    """Interviews left open for the load-test rater (a draft sheet half filled)."""
    raters: int = 40
    seed: int = 2017

    def __post_init__(self) -> None:
        if self.services < 1 or self.rounds < 1 or self.raters < 2:
            raise SeedingError("A plan needs at least one service and round, and two raters.")
        if self.peer_workers < self.services:
            raise SeedingError("Every service needs at least one peer worker.")
        if not 0 <= self.double_rated <= 1:
            raise SeedingError("The double-rated share lies between 0 and 1.")
        if not 0 <= self.open_interviews < self.interviews:
            raise SeedingError("Open interviews must be fewer than all interviews.")

    @property
    def marker(self) -> str:
        """A text naming the generator version and every setting: equal markers, equal data."""
        settings = " ".join(f"{key}={value}" for key, value in asdict(self).items())
        return f"national-seed v{GENERATOR_VERSION} {settings}"


@dataclass
class SeedResult:
    """What was seeded, the load-test accounts' new passwords and how long it took."""

    evaluation: Evaluation
    passwords: dict[str, str]
    counts: dict[str, int]
    seconds: dict[str, float] = field(default_factory=dict)


def national_instrument(library: Library | None = None) -> Instrument:
    """The example index grown to 40 items (eight per domain), every item asked of everyone.

    Questions are borrowed from the example's items of the same domain, so the rating form
    looks like a real one; the last item of every domain is reverse-keyed and one item in
    every other domain is optional, as in the scoring benchmark.
    """
    example = (library or Library()).instrument(SOURCE_INSTRUMENT)
    data = example.model_dump(mode="python")
    informants = [i.key for i in example.informants]
    items = []
    for d, domain in enumerate(example.domains):
        sources = [i for i in data["items"] if i["domain"] == domain.key]
        for k in range(ITEMS_PER_DOMAIN):
            source = sources[k % len(sources)]
            fallback = next(iter(source["informants"].values()))
            items.append(
                {
                    **source,
                    "key": f"{domain.key[:3]}_{k + 1}",
                    "reverse": k == ITEMS_PER_DOMAIN - 1,
                    "required": not (k == ITEMS_PER_DOMAIN - 2 and d % 2 == 0),
                    "informants": {
                        key: source["informants"].get(key, fallback) for key in informants
                    },
                }
            )
    data.update(
        key=INSTRUMENT_KEY,
        version=f"{GENERATOR_VERSION}",
        title="National scale test index (synthetic, 40 items; not for real use)",
        items=items,
        translations={},
    )
    return Instrument.model_validate(data)
