"""Inserting many rows without building a model instance for each.

``bulk_create`` builds an instance per row and prepares every value of every field through the ORM; at a hundred
thousand cases with their handlers, declarations and parties that was most of an import. On PostgreSQL
:func:`insert_rows` sends each chunk as one ``INSERT … SELECT … FROM unnest(arrays)``: one array per column given,
the other columns' defaults (and ``auto_now`` times) sent once. Elsewhere it falls back to ``bulk_create``, so the
SQLite set-up behaves the same. The rows carry database values: ids for foreign keys (``case_id``), plain
strings, numbers, dates and ``None``. Like ``bulk_create``, it sends no signals and writes no history.
"""

from __future__ import annotations

from collections.abc import Sequence

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
    ``returning`` columns of each row inserted (of those inserted, with ``ignore_conflicts``), in no set order."""
    if not rows:
        return []
    if connection.vendor != "postgresql":
        return _bulk_create(model, fields, rows, ignore_conflicts, returning)
    opts = model._meta
    given = [opts.get_field(name) for name in fields]
    rest = [f for f in opts.concrete_fields if f.attname not in fields and not f.primary_key]
    now = timezone.now()
    constants = [_default(f, now) for f in rest]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in given + rest)
    arrays = ", ".join(f"%s::{f.db_type(connection)}[]" for f in given)
    names = ", ".join(f"c{n}" for n in range(len(given)))
    values = ", ".join([f"v.c{n}" for n in range(len(given))] + [f"%s::{f.db_type(connection)}" for f in rest])
    table = connection.ops.quote_name(opts.db_table)
    # names from the model, values as parameters
    sql = f"INSERT INTO {table} ({columns}) SELECT {values} FROM unnest({arrays}) AS v({names})"
    if ignore_conflicts:
        sql += " ON CONFLICT DO NOTHING"
    if returning:
        sql += " RETURNING " + ", ".join(connection.ops.quote_name(opts.get_field(r).column) for r in returning)
    out: list[tuple] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            cursor.execute(sql, [*constants, *(list(column) for column in zip(*chunk, strict=True))])
            if returning:
                out.extend(cursor.fetchall())
    return out


def _default(field: models.Field, now) -> object:
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now
    return field.get_db_prep_save(field.get_default(), connection)


def _bulk_create(model, fields, rows, ignore_conflicts: bool, returning) -> list[tuple]:
    objects = model.objects.bulk_create(
        [model(**dict(zip(fields, row, strict=True))) for row in rows],
        ignore_conflicts=ignore_conflicts,
        batch_size=5000,
    )
    if not returning:
        return []
    if ignore_conflicts:
        raise NotImplementedError("rows inserted past conflicts are not known here")
    return [tuple(getattr(o, model._meta.get_field(r).attname) for r in returning) for o in objects]
