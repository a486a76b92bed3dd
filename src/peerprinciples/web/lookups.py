"""The lookups every signed-in page makes, as plain SQL written once per process from the models.

Every page inside an evaluation reads the same few rows before it does any work of its own:
the session, the account, the membership with its evaluation and pinned versions, the
services a scoped role covers, and then the service, peer worker or interview the page is
about (on the rating form, also the rater's sheet).
Through the ORM, Django builds each of these statements again on every request, and that
building costs several times what PostgreSQL takes to answer them (about 1.1 ms against
0.2 ms for the membership lookup, measured with ``python -m benchmarks costs``).

Here each lookup is a :class:`Join` whose ``SELECT`` list, table names and model instances
all come from the models' own metadata, so a new or renamed field is picked up without
editing SQL. Only the join conditions and the filter are written out, and the tests compare
every lookup with the ORM query it replaces, field by field, on SQLite and PostgreSQL. The
statement text is made once per process and database vendor; values are always passed as
parameters, never written into the text.

The permission rules themselves stay in :mod:`peerprinciples.web.permissions`; this module
only reads rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.db import connections
from django.db.models import Field, Model

from peerprinciples.web.evaluations.models import (
    Evaluation,
    Membership,
    PeerWorker,
    Round,
    Service,
)
from peerprinciples.web.interviews.models import Interview, Rating, RatingSheet
from peerprinciples.web.library.models import StoredFramework, StoredInstrument


@dataclass(frozen=True)
class Part:
    """One model's columns in a :class:`Join`, under a table alias.

    ``skip`` names fields left out of the ``SELECT`` (large documents a page never reads);
    they stay deferred on the instance, loaded only if something asks for them, as with the
    ORM's ``defer()``.
    """

    model: type[Model]
    alias: str
    skip: frozenset[str] = frozenset()

    @cached_property
    def fields(self) -> tuple[Field[Any, Any], ...]:
        return tuple(f for f in self.model._meta.concrete_fields if f.name not in self.skip)

    @cached_property
    def attnames(self) -> list[str]:
        return [f.attname for f in self.fields]

    @cached_property
    def key_index(self) -> int:
        """Where the primary key (never null in a row that exists) is among the columns."""
        return [f.primary_key for f in self.fields].index(True)

    def columns(self, quote: Any) -> str:
        return ", ".join(f"{self.alias}.{quote(f.column)}" for f in self.fields)

    def converters(self, connection: Any) -> list[tuple[int, list[Any], Any]]:
        """What turns each column's raw value into the field's value on this database.

        The same conversions the ORM applies (the database's own, such as SQLite's text
        dates becoming aware datetimes, then the field's, such as JSON being parsed), found
        the way Django's compiler finds them; only columns that need one are listed.
        """
        found = []
        for index, column in enumerate(f.get_col(self.alias) for f in self.fields):
            steps = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
            if steps:
                found.append((index, steps, column))
        return found

    def build(
        self, connection: Any, steps: list[tuple[int, list[Any], Any]], values: Sequence[Any]
    ) -> Model | None:
        """The instance from its slice of a row; ``None`` when an outer join found no row."""
        if values[self.key_index] is None:
            return None
        if steps:
            values = list(values)
            for index, converters, column in steps:
                for convert in converters:
                    values[index] = convert(values[index], column, connection)
        return self.model.from_db(connection.alias, self.attnames, values)


class Select:
    """A plain ``SELECT`` whose tables are written ``{alias}``, given as alias -> table name.

    The statement text is made once per process and database vendor, with each table's
    name quoted as that database wants it.
    """

    def __init__(self, tables: dict[str, str], text: str) -> None:
        self.tables = tables
        self.text = text
        self._sql: dict[str, str] = {}

    def names(self, connection: Any) -> dict[str, str]:
        """What goes into the text: each table's quoted name with its alias."""
        quote = connection.ops.quote_name
        return {alias: f"{quote(table)} {alias}" for alias, table in self.tables.items()}

    def sql(self, using: str = "default") -> str:
        return self._text(connections[using])

    def _text(self, connection: Any) -> str:
        found = self._sql.get(connection.vendor)
        if found is None:
            found = self._sql[connection.vendor] = self.text.format(**self.names(connection))
        return found

    def rows(self, params: Sequence[Any], using: str = "default") -> list[tuple[Any, ...]]:
        """Every row found, as plain tuples."""
        return self._rows(connections[using], params)

    def _rows(self, connection: Any, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        with connection.cursor() as cursor:
            cursor.execute(self._text(connection), list(params))
            return list(cursor.fetchall())


class Join(Select):
    """A ``SELECT`` of whole rows of several models, joined, as model instances.

    ``joins`` is the ``FROM`` clause with each part's table written ``{alias}``, and
    ``rest`` what follows it (``WHERE`` and perhaps ``ORDER BY``), with ``%s`` for each
    parameter. The column list comes from the parts, in their order.
    """

    def __init__(self, parts: Sequence[Part], joins: str, rest: str) -> None:
        self.parts = tuple(parts)
        self.sizes = [len(part.fields) for part in self.parts]
        self._steps: dict[str, list[list[tuple[int, list[Any], Any]]]] = {}
        super().__init__(
            {part.alias: part.model._meta.db_table for part in self.parts},
            f"SELECT {{columns}} FROM {joins} {rest}",
        )

    def names(self, connection: Any) -> dict[str, str]:
        """The tables, and the column list made from the parts."""
        quote = connection.ops.quote_name
        columns = ", ".join(part.columns(quote) for part in self.parts)
        return {**super().names(connection), "columns": columns}

    def instances(
        self, params: Sequence[Any], using: str = "default"
    ) -> list[tuple[Model | None, ...]]:
        """Every row found, each as one instance (or ``None``) per part."""
        connection = connections[using]
        steps = self._steps.get(connection.vendor)
        if steps is None:
            steps = [part.converters(connection) for part in self.parts]
            self._steps[connection.vendor] = steps
        result = []
        for row in self._rows(connection, params):
            start, found = 0, []
            for part, size, convert in zip(self.parts, self.sizes, steps, strict=True):
                found.append(part.build(connection, convert, row[start : start + size]))
                start += size
            result.append(tuple(found))
        return result

    def first(self, params: Sequence[Any], using: str = "default") -> tuple[Model | None, ...]:
        """The one row a lookup by unique keys finds, or a tuple of ``None``."""
        found = self.instances(params, using)
        return found[0] if found else (None,) * len(self.parts)


# --- the lookups --------------------------------------------------------------------------------

_NO_DOCUMENT = frozenset({"document"})

MEMBERSHIP = Join(
    [
        Part(Membership, "m"),
        Part(Evaluation, "e"),
        Part(StoredFramework, "f", _NO_DOCUMENT),
        Part(StoredInstrument, "i", _NO_DOCUMENT),
    ],
    "{m} JOIN {e} ON e.id = m.evaluation_id JOIN {f} ON f.id = e.framework_id "
    "JOIN {i} ON i.id = e.instrument_id",
    "WHERE m.evaluation_id = %s AND m.user_id = %s",
)
"""A user's membership of an evaluation, with the evaluation and the versions it is pinned to
(their documents, tens of kilobytes of JSON, stay in the database: pages use the validated
models each process keeps once read)."""

SERVICE_KEYS = Select(
    {"l": Membership.services.through._meta.db_table},
    "SELECT l.service_id FROM {l} WHERE l.membership_id = %s",
)
"""The keys of the services a membership lists, from the link table alone."""

INTERVIEW = Join(
    [Part(Interview, "v"), Part(Service, "s"), Part(PeerWorker, "w"), Part(Round, "r")],
    "{v} JOIN {s} ON s.id = v.service_id LEFT JOIN {w} ON w.id = v.peer_worker_id "
    "JOIN {r} ON r.id = v.round_id",
    "WHERE v.evaluation_id = %s AND v.id = %s",
)
"""An interview of an evaluation with its service, peer worker (if any) and round."""

SERVICE = Join(
    [Part(Service, "s")],
    "{s}",
    "WHERE s.evaluation_id = %s AND s.id = %s",
)
"""A service of an evaluation."""

PEER_WORKER = Join(
    [Part(PeerWorker, "w"), Part(Service, "s")],
    "{w} JOIN {s} ON s.id = w.service_id",
    "WHERE w.evaluation_id = %s AND w.id = %s",
)
"""A peer worker of an evaluation, with their service."""

OWN_SHEET = Select(
    {"h": RatingSheet._meta.db_table, "r": Rating._meta.db_table},
    "SELECT h.id, h.status, h.version, h.notes, r.item, r.value, r.code "
    "FROM {h} LEFT JOIN {r} ON r.sheet_id = h.id WHERE h.interview_id = %s AND h.rater_id = %s",
)
"""A rater's sheet of an interview, one row per rating (one row of nulls when it has none)."""


def membership_in(evaluation_id: int, user_id: int) -> Membership | None:
    """The user's membership of the evaluation, its evaluation and pinned versions attached."""
    member, evaluation, framework, instrument = MEMBERSHIP.first([evaluation_id, user_id])
    if member is None:
        return None
    evaluation.framework = framework  # type: ignore[union-attr]
    evaluation.instrument = instrument  # type: ignore[union-attr]
    member.evaluation = evaluation  # type: ignore[attr-defined]
    return member  # type: ignore[return-value]


def service_keys(membership_id: int) -> frozenset[int]:
    """The keys of the services listed on a membership."""
    return frozenset(key for (key,) in SERVICE_KEYS.rows([membership_id]))


def interview_in(evaluation: Evaluation, interview_id: int) -> Interview | None:
    """The evaluation's interview, with its evaluation, service, peer worker and round attached."""
    interview, service, worker, round_ = INTERVIEW.first([evaluation.pk, interview_id])
    if interview is None:
        return None
    interview.evaluation = evaluation  # type: ignore[attr-defined]
    interview.service = service  # type: ignore[attr-defined]
    interview.peer_worker = worker  # type: ignore[attr-defined]
    interview.round = round_  # type: ignore[attr-defined]
    return interview  # type: ignore[return-value]


def service_in(evaluation: Evaluation, service_id: int) -> Service | None:
    """The evaluation's service, with its evaluation attached."""
    (service,) = SERVICE.first([evaluation.pk, service_id])
    if service is not None:
        service.evaluation = evaluation  # type: ignore[attr-defined]
    return service  # type: ignore[return-value]


def peer_worker_in(evaluation: Evaluation, peer_worker_id: int) -> PeerWorker | None:
    """The evaluation's peer worker, with their evaluation and service attached."""
    worker, service = PEER_WORKER.first([evaluation.pk, peer_worker_id])
    if worker is None:
        return None
    service.evaluation = evaluation  # type: ignore[union-attr]
    worker.evaluation = evaluation  # type: ignore[attr-defined]
    worker.service = service  # type: ignore[attr-defined]
    return worker  # type: ignore[return-value]


def own_sheet_rows(interview_id: int, rater_id: int) -> list[tuple[Any, ...]]:
    """The rows of :data:`OWN_SHEET` for a rater's sheet of an interview."""
    return OWN_SHEET.rows([interview_id, rater_id])
