"""Counts kept in the cache until what they count is written again.

A generation is a number in the cache that every write of some records moves once its transaction commits. Counts
read from those records are cached under the generation they were read at: every read after a write reads the
records again, every read before the next write reads the cache. A count read while a write commits is kept under
the generation before it, which no one asks for again.

A generation the cache lost (evicted, or the cache emptied) starts again from the clock, never from a number it had
before: no count cached under an old generation can come back.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction

from integrity.models import Officer
from integrity.queries import scope_for

CACHE_SECONDS = 6 * 3600  # a safety net only: the generation moves with every write of what is counted
ORGANISATION = "organisation"  # the bodies' and departments' names, kept with counts that show them
T = TypeVar("T")
K = TypeVar("K")


def _key(name: str) -> str:
    return f"generation:{name}"


def moved(name: str) -> None:
    """What ``name`` counts was written: the counts are read again at the next request (after the commit)."""
    transaction.on_commit(lambda: _move(name))


def _move(name: str) -> None:
    try:
        cache.incr(_key(name))
    except ValueError:  # nothing there yet, or evicted
        cache.add(_key(name), time.time_ns(), timeout=None)


def current(name: str) -> int:
    value = cache.get(_key(name))
    if value is None:
        cache.add(_key(name), time.time_ns(), timeout=None)
        value = cache.get(_key(name), 0)
    return value


def several(names: Iterable[str]) -> list[int]:
    """The generations of several ``names`` at once, in their order (one round trip to the cache)."""
    keys = [_key(name) for name in names]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:  # never moved yet, or evicted: started from the clock, as ``current`` does
            cache.add(key, time.time_ns(), timeout=None)
            found[key] = cache.get(key, 0)
    return [found[key] for key in keys]


def stamp(names: Iterable[str]) -> str:
    """The generations of several ``names`` at once, as one short value that changes when any of them moves: a
    count over several bodies' records is kept until one of those bodies is written (one round trip to the cache)."""
    return hashlib.blake2b(repr(several(names)).encode(), digest_size=8).hexdigest()


def cached(name: str, key: str, read: Callable[[], T]) -> T:
    """``read()``, kept under ``key`` until ``name``'s generation moves."""
    return cached_at(f"{name}:{current(name)}", key, read)


def cached_at(generation: str, key: str, read: Callable[[], T]) -> T:
    """``read()``, kept under ``key`` at ``generation`` (read before ``read()`` runs: a count read while a write
    commits is kept under the generation before it)."""
    full = f"{generation}:{key}"
    value = cache.get(full)
    if value is None:
        value = read()
        cache.set(full, value, timeout=CACHE_SECONDS)
    return value


def cached_each(keys: dict[K, str], read: Callable[[list[K]], dict[K, T]]) -> dict[K, T]:
    """One value per item, each kept under its own key (which holds its generation): those in the cache in one
    round trip, the others by one ``read`` of the items missing, kept for the next. A count over many bodies reads
    again only the bodies written since, not all of them."""
    found = cache.get_many(list(keys.values()))
    values = {item: found[key] for item, key in keys.items() if key in found}
    missing = [item for item in keys if item not in values]
    if missing:
        read_now = read(missing)
        values.update(read_now)
        cache.set_many({keys[item]: value for item, value in read_now.items()}, timeout=CACHE_SECONDS)
    return values


def scope_key(user: Officer) -> str:
    """What a viewer's counts depend on besides the records: a role granted or taken gives another key."""
    scope = scope_for(user)
    held = (
        scope.is_superuser,
        scope.overseen_paths,
        sorted(scope.department_ids),
        sorted(scope.case_institution_ids),
        scope.institution_id,
    )
    return hashlib.blake2b(repr(held).encode(), digest_size=8).hexdigest()
