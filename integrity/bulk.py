"""Inserting many rows without building a model instance for each.

``bulk_create`` builds an instance per row and prepares every value of every field through the ORM; at a hundred
thousand cases with their handlers, declarations and parties that was most of an import. On PostgreSQL
:func:`insert_rows` streams the rows with ``COPY`` (the columns not given take their defaults, and ``auto_now``
times, sent once per row); ids asked back are taken from the table's sequence beforehand. ``COPY`` cannot skip a
row that conflicts, so with ``ignore_conflicts`` each chunk goes as one ``INSERT … SELECT … FROM unnest(arrays)
ON CONFLICT DO NOTHING`` instead (about half as fast). Elsewhere it falls back to ``bulk_create``, so the SQLite
set-up behaves the same. The rows carry database values: ids for foreign keys (``case_id``), plain strings,
numbers, dates and ``None``. Like ``bulk_create``, it sends no signals and writes no history.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.db import connection, models
from django.utils import timezone

CHUNK = 10_000


def insert_rows(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Sequence[Sequence],
    *,
    ignore_conflicts: bool = False,
    returning: Sequence[str] = (),
) -> list[tuple]:
    """Insert ``rows`` (tuples of values for ``fields``, by attribute name) into ``model``'s table. Returns the
    ``returning`` columns of each row inserted (of those inserted, with ``ignore_conflicts``), in no set order:
    fields among those given, or the primary key."""
    pk = model._meta.pk
    if not set(returning) <= {*fields, pk.attname, pk.name}:
        raise NotImplementedError("only the fields given and the primary key come back")
    if not rows:
        return []
    if connection.vendor != "postgresql":
        return _bulk_create(model, fields, rows, ignore_conflicts, returning)
    opts = model._meta
    given = [_column(model, name) for name in fields]
    rest = [f for f in opts.concrete_fields if f.attname not in fields and not f.primary_key]
    now = timezone.now()
    constants = [_default(f, now) for f in rest]
    table = connection.ops.quote_name(opts.db_table)
    if ignore_conflicts:
        return _insert_unnest(table, given, rest, constants, rows, returning=[_column(model, r) for r in returning])
    columns = given + rest
    # A raw copy's errors come from psycopg: wrapped, a refused row raises Django's IntegrityError as an insert would.
    with connection.wrap_database_errors, connection.cursor() as cursor:
        if any(r in (pk.attname, pk.name) for r in returning):
            # Taken from the sequence before the copy (as the column's default would): the rows carry their ids.
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [opts.db_table, pk.column, len(rows)],
            )
            columns = [pk, *columns]
            rows = [(i, *row) for (i,), row in zip(cursor.fetchall(), rows, strict=True)]
        names = ", ".join(connection.ops.quote_name(f.column) for f in columns)
        tail = tuple(constants)
        with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:  # names from the model
            for row in rows:
                copy.write_row((*row, *tail))
    if not returning:
        return []
    position = {f.attname: n for n, f in enumerate(columns)} | {f.name: n for n, f in enumerate(columns)}
    return [tuple(row[position[r]] for r in returning) for row in rows]


def _insert_unnest(table: str, given: Any, rest: Any, constants: Any, rows: Any, *, returning: Any) -> list[tuple]:
    columns = ", ".join(connection.ops.quote_name(f.column) for f in given + rest)
    arrays = ", ".join(f"%s::{f.db_type(connection)}[]" for f in given)
    names = ", ".join(f"c{n}" for n in range(len(given)))
    values = ", ".join([f"v.c{n}" for n in range(len(given))] + [f"%s::{f.db_type(connection)}" for f in rest])
    # names from the model, values as parameters
    sql = f"INSERT INTO {table} ({columns}) SELECT {values} FROM unnest({arrays}) AS v({names}) ON CONFLICT DO NOTHING"
    if returning:
        sql += " RETURNING " + ", ".join(connection.ops.quote_name(f.column) for f in returning)
    out: list[tuple] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            cursor.execute(sql, [*constants, *(list(column) for column in zip(*chunk, strict=True))])
            if returning:
                out.extend(cursor.fetchall())
    return out


def _column(model: type[models.Model], name: str) -> models.Field:
    """The field ``name`` of ``model``, which must be a column of its table (not a reverse relation)."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field) or not field.column:
        raise ValueError(f"{model.__name__}.{name} is not a column")
    return field


def _default(field: models.Field, now: datetime.datetime) -> object:
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now
    return field.get_db_prep_save(field.get_default(), connection)


def _bulk_create(
    model: type[models.Model], fields: Any, rows: Any, ignore_conflicts: bool, returning: Any
) -> list[tuple]:
    objects = model._default_manager.bulk_create(
        [model(**dict(zip(fields, row, strict=True))) for row in rows],
        ignore_conflicts=ignore_conflicts,
        batch_size=5000,
    )
    if not returning:
        return []
    if ignore_conflicts:
        raise NotImplementedError("rows inserted past conflicts are not known here")
    return [tuple(getattr(o, _column(model, r).attname) for r in returning) for o in objects]
