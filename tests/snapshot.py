"""Whole-database snapshots of the test database, taken and put back in well under a second.

Transactional tests (the browser journeys, the concurrency tests) commit, and Django empties every table after
them. Two snapshots make them cheap and independent of the order tests run in: the migrated database (with the
rows the data migrations write), put back after every transactional test, and the demo institution, seeded once per
run and put back before each browser journey instead of seeding it again.

PostgreSQL copies each table out and back with COPY (foreign keys are deferred until commit, so the order of tables
does not matter); SQLite copies the whole in-memory database with its backup API.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction


@dataclass
class Snapshot:
    tables: dict[str, bytes] = field(default_factory=dict)  # PostgreSQL: table -> COPY data
    database: sqlite3.Connection | None = None  # SQLite: an in-memory copy


def take() -> Snapshot:
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        copy = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(copy)
        return Snapshot(database=copy)
    snapshot = Snapshot()
    with connection.cursor() as cursor:
        for table in _tables():
            with cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} TO STDOUT (FORMAT binary)") as copy:
                snapshot.tables[table] = b"".join(bytes(block) for block in copy)
    return snapshot


def restore(snapshot: Snapshot) -> None:
    """Make the database what it was when ``snapshot`` was taken; the sequences continue after the restored ids."""
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        snapshot.database.backup(connection.connection)
        return
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(quote(t) for t in _tables())}")
        for table, data in snapshot.tables.items():
            if data:
                with cursor.cursor.copy(f"COPY {quote(table)} FROM STDIN (FORMAT binary)") as copy:
                    copy.write(data)
        for statement in connection.ops.sequence_reset_sql(no_style(), apps.get_models(include_auto_created=True)):
            cursor.execute(statement)


def _tables() -> list[str]:
    return sorted(connection.introspection.django_table_names(only_existing=True, include_views=False))
