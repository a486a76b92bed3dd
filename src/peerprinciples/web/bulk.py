"""Writing many rows at once: the one way imports, the national seed and the demo do it.

On PostgreSQL rows go in with ``COPY ... FROM STDIN``, which is many times faster than
``INSERT`` for hundreds of thousands of rows; on other databases (SQLite) the same calls
fall back to Django's ``bulk_create``. Rows are written with their primary keys, reserved
beforehand with :func:`allocate_keys`, so the caller can point one table's rows at
another's without reading anything back.

Everything here runs in the caller's transaction and commits or rolls back with it: a
failure anywhere leaves no row behind. A failed ``COPY`` raises Django's database errors
(``IntegrityError``…), as ``bulk_create`` does.

Two PostgreSQL-only steps help after a large load:

* :meth:`BulkWriter.defer_key_checks` switches off the row-by-row foreign-key checks for the
  rest of the transaction where the role may do so, and :meth:`BulkWriter.check_keys` then
  checks every key of the tables written with one set-based query per key;
* :meth:`BulkWriter.analyse` refreshes the planner's statistics of the tables written.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from django.db import DatabaseError, connection, models, transaction
from tqdm import tqdm

BATCH_SIZE = 500
"""Rows per ``INSERT`` where ``COPY`` is not available (SQLite allows 32,766 parameters)."""

_SPECIAL = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


class OrphanRows(Exception):
    """Rows written with keys checked once point to no row: nothing is saved."""


def copy_text(value: str) -> str:
    """A text as ``COPY``'s text format reads it back unchanged (backslash, tab, line breaks)."""
    return value.translate(_SPECIAL)


def allocate_keys(model: type[models.Model], n: int) -> npt.NDArray[np.int64]:
    """Reserve ``n`` primary keys of ``model``'s table for rows written with explicit keys.

    The keys are never handed to anyone else: on PostgreSQL they come from the table's
    sequence; on SQLite the table's ``AUTOINCREMENT`` counter is moved past them in one
    statement (which also takes the database's write lock), so a row inserted the ordinary
    way afterwards, in this transaction or another, gets a key of its own.
    """
    key = model._meta.pk
    if not isinstance(key, models.AutoField):  # BigAutoField and SmallAutoField count too
        raise ValueError(
            f"{model._meta.label}: keys can be reserved only for an automatic primary key, "
            f"not for {key.name} ({type(key).__name__}); write its rows with keys of their own."
        )
    if n <= 0:
        return np.zeros(0, dtype=np.int64)
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [connection.ops.quote_name(table), column, n],
            )
            return np.asarray([row[0] for row in cursor.fetchall()], dtype=np.int64)
        if connection.vendor == "sqlite":
            return _allocate_sqlite(cursor, table, column, n)
    # Elsewhere (not a supported production database) the keys follow the highest one.
    highest = model._default_manager.aggregate(top=models.Max("pk"))["top"] or 0
    return np.arange(highest + 1, highest + 1 + n, dtype=np.int64)


def _allocate_sqlite(cursor: Any, table: str, column: str, n: int) -> npt.NDArray[np.int64]:
    """Move the table's ``sqlite_sequence`` counter past ``n`` new keys; the keys."""
    # Only the model's own table and column names, quoted, go into the SQL; values are
    # parameters (hence the "nosec B608" marks for bandit).
    quoted = connection.ops.quote_name(table)
    highest = f"(SELECT coalesce(max({connection.ops.quote_name(column)}), 0) FROM {quoted})"  # nosec B608
    # Writing first takes the write lock, so no other connection inserts in between.
    cursor.execute(
        f"UPDATE sqlite_sequence SET seq = max(seq, {highest}) + %s WHERE name = %s",  # nosec B608
        [n, table],
    )
    if cursor.rowcount == 0:  # nothing was ever inserted into the table
        cursor.execute(
            f"INSERT INTO sqlite_sequence (name, seq) SELECT %s, {highest} + %s",  # nosec B608
            [table, n],
        )
    cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
    (top,) = cursor.fetchone()
    return np.arange(top - n + 1, top + 1, dtype=np.int64)


def instances(
    model: type[models.Model], columns: Mapping[str, Sequence[Any] | np.ndarray]
) -> list[models.Model]:
    """Unsaved model objects from columns of values (field name → values, one per row)."""
    names = [model._meta.get_field(name).attname for name in columns]  # type: ignore[union-attr]
    data = [_values(column) for column in columns.values()]
    return [model(**dict(zip(names, row, strict=True))) for row in zip(*data, strict=True)]


def _values(column: Sequence[Any] | np.ndarray) -> list[Any]:
    """Plain Python values (numpy's scalars become ``int``, ``bool``…, as drivers want)."""
    return column.tolist() if isinstance(column, np.ndarray) else list(column)


class BulkWriter:
    """Writes rows into tables in the caller's transaction; see the module's text.

    :meth:`rows` takes columns of Python values (a few thousand interviews or sheets, or
    rows of any size written by the seed); :meth:`frame` takes a pandas table, sent as
    ``COPY`` text built by pandas, which keeps a million ratings to a few seconds;
    :meth:`objects` takes model objects and gives them keys.

    With ``progress`` a bar on standard error counts the rows written out of ``total``.
    """

    def __init__(self, *, progress: bool = False, total: int = 0, label: str = "saving") -> None:
        self.postgres = connection.vendor == "postgresql"
        self.written: list[type[models.Model]] = []
        self.keys_deferred = False
        self.bar = tqdm(
            total=total,
            desc=label,
            unit="row",
            unit_scale=True,
            file=sys.stderr,
            disable=not progress or None,
        )

    def __enter__(self) -> BulkWriter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the progress bar."""
        self.bar.close()

    def rows(
        self, model: type[models.Model], columns: Mapping[str, Sequence[Any] | np.ndarray]
    ) -> None:
        """Write columns of Python values (field name → values, all of one length)."""
        fields = [model._meta.get_field(name) for name in columns]
        data = [_values(column) for column in columns.values()]
        n = len(data[0]) if data else 0
        if not n:
            return
        if self.postgres:
            for position, field in enumerate(fields):
                if isinstance(field, models.JSONField):
                    data[position] = [json.dumps(value) for value in data[position]]
            with (
                connection.wrap_database_errors,
                connection.cursor() as cursor,
                cursor.cursor.copy(self._copy_sql(model, fields)) as copy,
            ):
                for row in zip(*data, strict=True):
                    copy.write_row(row)  # psycopg escapes each value for COPY
        else:
            model._default_manager.bulk_create(
                instances(model, dict(zip(columns, data, strict=True))), batch_size=BATCH_SIZE
            )
        self._done(model, n)

    def frame(self, model: type[models.Model], frame: pd.DataFrame) -> None:
        """Write a pandas table whose columns are field names; missing values become NULL.

        Texts (plain or categorical columns) are escaped here, so they may hold any
        character.
        """
        if not len(frame):
            return
        if not self.postgres or len(frame.columns) < 2:
            # A one-column table would need quoting for an empty text: send it row by row.
            self.rows(
                model,
                {c: frame[c].astype(object).where(frame[c].notna(), None) for c in frame.columns},
            )
            return
        fields = [model._meta.get_field(name) for name in frame.columns]
        text = _escaped(frame).to_csv(
            sep="\t",
            header=False,
            index=False,
            na_rep="\\N",
            lineterminator="\n",
            # COPY's text format quotes nothing: every special character is escaped above.
            quoting=csv.QUOTE_NONE,
            quotechar="\x00",
        )
        with (
            connection.wrap_database_errors,
            connection.cursor() as cursor,
            cursor.cursor.copy(self._copy_sql(model, fields)) as copy,
        ):
            copy.write(text)
        self._done(model, len(frame))

    def objects(self, objects: Sequence[models.Model]) -> None:
        """Write model objects of one model, giving those without a key a reserved one."""
        if not objects:
            return
        model = type(objects[0])
        keyless = [o for o in objects if o.pk is None]
        for obj, key in zip(keyless, allocate_keys(model, len(keyless)).tolist(), strict=True):
            obj.pk = key
        if self.postgres:
            fields = model._meta.concrete_fields
            self.rows(model, {f.name: [f.pre_save(o, add=True) for o in objects] for f in fields})
        else:
            model._default_manager.bulk_create(objects, batch_size=BATCH_SIZE)
            self._done(model, len(objects))
        for obj in objects:
            obj._state.adding = False
            obj._state.db = connection.alias

    def _done(self, model: type[models.Model], n: int) -> None:
        if model not in self.written:
            self.written.append(model)
        self.bar.update(n)

    @staticmethod
    def _copy_sql(model: type[models.Model], fields: Sequence[Any]) -> str:
        quote = connection.ops.quote_name
        names = ", ".join(quote(f.column) for f in fields)
        return f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN"

    def defer_key_checks(self) -> bool:
        """Check foreign keys once per table after loading, not once per row, if allowed.

        PostgreSQL checks every foreign key of every copied row with a query of its own (at
        commit: Django's keys are deferred), which costs more than the copy itself. Where the
        database role may switch that off for this transaction (``session_replication_role``,
        normally a superuser's right), :meth:`check_keys` must then be called after the
        load. Elsewhere the row-by-row checks stay, and this returns ``False``.
        """
        if not self.postgres:
            return False
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
        except DatabaseError:
            return False
        self.keys_deferred = True
        return True

    def check_keys(self) -> None:
        """Switch the row-by-row checks back on and check every key of the tables written.

        Raises :class:`OrphanRows` naming the table and key if any row points to no row.
        Does nothing unless :meth:`defer_key_checks` deferred the checks.
        """
        if not self.keys_deferred:
            return
        self.keys_deferred = False
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = origin")
            for model in self.written:
                for key in model._meta.concrete_fields:
                    if not key.is_relation or key.related_model is None:
                        continue
                    target = key.target_field  # type: ignore[attr-defined]
                    # Quoted table and column names of the models only, no values.
                    cursor.execute(
                        f"SELECT count(*) FROM {quote(model._meta.db_table)} AS child "  # nosec B608
                        f"WHERE child.{quote(key.column)} IS NOT NULL AND NOT EXISTS "
                        f"(SELECT 1 FROM {quote(target.model._meta.db_table)} AS parent "
                        f"WHERE parent.{quote(target.column)} = child.{quote(key.column)})"
                    )
                    (orphans,) = cursor.fetchone()
                    if orphans:
                        raise OrphanRows(
                            f"{orphans} row(s) of {model._meta.label} point to no "
                            f"{target.model._meta.label} through {key.name}: nothing was saved."
                        )

    def analyse(self) -> None:
        """Refresh the planner's statistics of the tables written (PostgreSQL only), so the
        first queries after a large load use the indexes."""
        if not self.postgres:
            return
        with connection.cursor() as cursor:
            for model in self.written:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _escaped(frame: pd.DataFrame) -> pd.DataFrame:
    """The table with every text made safe for ``COPY``'s text format."""
    out = {}
    for name in frame.columns:
        column = frame[name]
        if isinstance(column.dtype, pd.CategoricalDtype):
            categories = column.cat.categories
            if _is_text(categories):
                # Categories are few: escaping them escapes every row (escaping keeps them apart).
                column = column.cat.rename_categories([copy_text(str(c)) for c in categories])
        elif _is_text(column):
            column = column.map(lambda v: copy_text(v) if isinstance(v, str) else v)
        out[name] = column
    return pd.DataFrame(out, index=frame.index)


def _is_text(values: pd.Index | pd.Series) -> bool:
    return pd.api.types.is_object_dtype(values.dtype) or pd.api.types.is_string_dtype(values.dtype)
