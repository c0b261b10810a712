"""The warning board's counts and trend: read once per viewer, kept in the cache until the lights change.

Every write of the light engine moves a generation number (``lights_changed``); a board's counts are cached under
the generation they were read at, so a board polled every 15 seconds reads the lights again only after a run
changed something. A poll that says which generation it shows gets nothing back when that is still the current one.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Count
from django.utils import timezone

from alerts.queries import board_lights
from integrity.choices import Colour
from integrity.models import Department, Institution, Officer
from integrity.queries import scope_for

GENERATION = "alerts:lights:generation"
CACHE_SECONDS = 6 * 3600  # a safety net only: the generation changes with every write of a light


def lights_changed() -> None:
    """The lights were written: every board reads its counts again at its next request."""
    try:
        cache.incr(GENERATION)
    except ValueError:  # nothing cached yet, or evicted
        cache.set(GENERATION, 1, timeout=None)


def generation() -> int:
    return cache.get(GENERATION, 0)


@dataclass
class Counts:
    """How many lights of each colour, in total, per body and per department, over the lights one viewer sees."""

    generation: int
    totals: Counter = field(default_factory=Counter)
    by_institution: dict[int, Counter] = field(default_factory=dict)
    by_department: dict[int, dict[int | None, Counter]] = field(default_factory=dict)

    def of(self, institution_id: int | None) -> Counter:
        return self.totals if institution_id is None else self.by_institution.get(institution_id, Counter())


def counts_for(user: Officer) -> Counts:
    """The viewer's counts from the cache, or from one grouped query when the lights changed since."""
    current = generation()
    key = f"alerts:board:{current}:{user.pk}:{_scope_key(user)}"
    counts = cache.get(key)
    if counts is None:
        counts = Counts(generation=current)
        rows = (
            board_lights(user)
            .using(DEFAULT_DB_ALIAS)  # what is cached must not be a lagging replica's (``integrity.replica``)
            .order_by()
            .values_list("officer__institution_id", "officer__department_id", "colour")
            .annotate(n=Count("id"))
        )
        for institution_id, department_id, colour, n in rows:
            counts.totals[colour] += n
            counts.by_institution.setdefault(institution_id, Counter())[colour] += n
            counts.by_department.setdefault(institution_id, {}).setdefault(department_id, Counter())[colour] += n
        cache.set(key, counts, timeout=CACHE_SECONDS)
    return counts


def trend_for(user: Officer, read: Callable[[], list[dict]]) -> list[dict]:
    """The viewer's twelve-month trend from the cache, or ``read`` when the lights (and with them the day's
    snapshot: a full run moves the generation too) changed since, or a new day began."""
    key = f"alerts:trend:{generation()}:{timezone.localdate()}:{user.pk}:{_scope_key(user)}"
    trend = cache.get(key)
    if trend is None:
        trend = read()
        cache.set(key, trend, timeout=CACHE_SECONDS)
    return trend


def _scope_key(user: Officer) -> str:
    """What the viewer's lights depend on besides the lights: a role granted or taken gives another key."""
    scope = scope_for(user)
    held = (scope.is_superuser, scope.overseen_paths, sorted(scope.department_ids), scope.institution_id)
    return hashlib.blake2b(repr(held).encode(), digest_size=8).hexdigest()


@dataclass(frozen=True)
class Row:
    pk: int | None
    name: str
    green: int
    yellow: int
    red: int


def institution_rows(counts: Counts) -> list[Row]:
    return _named_rows(Institution, counts.by_institution)


def department_rows(counts: Counts, institution_id: int) -> list[Row]:
    return _named_rows(Department, counts.by_department.get(institution_id, {}))


def _named_rows(model: type[Institution] | type[Department], cells: Mapping[Any, Counter]) -> list[Row]:
    """A row per body or department with its counts, named in one query, in the order of the names."""
    names = dict(model.objects.filter(pk__in=[pk for pk in cells if pk]).values_list("pk", "name"))
    rows = (Row(pk, names.get(pk, "—"), *(c[colour] for colour in (Colour.GREEN, Colour.YELLOW, Colour.RED)))
            for pk, c in cells.items())  # fmt: skip
    return sorted(rows, key=lambda row: row.name)
