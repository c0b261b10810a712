"""The warning board's counts and trend: read once per viewer, kept in the cache until the lights they count change.

Every write of the light engine that changes what a board shows moves a generation number: a colour changed (the
counts and the feed) moves its body's (``lights_changed`` with the bodies), and what every board may show
differently — a new light, an officer who left or took another post, a full run's snapshot — moves the one all
boards share. A board's counts are cached under its viewer's generation (``generation_for``: the shared one and
those of the bodies the viewer sees, read before the counts), so a board polled every 15 seconds reads the lights
again only after something it shows changed — not after every filing in the province, nor after a colour changed in
a body it does not show. A poll that says which generation it shows gets nothing back when that is still current.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import DEFAULT_DB_ALIAS
from django.db.models import Count
from django.utils import timezone

from alerts.queries import board_lights
from integrity import generations
from integrity.choices import Colour
from integrity.models import Institution, Officer
from integrity.queries import scope_for

LIGHTS = "lights"


def _body(institution_id: int) -> str:
    return f"{LIGHTS}:{institution_id}"


def lights_changed(institution_ids: Iterable[int] | None = None) -> None:
    """The lights were written: the boards that show them read their counts again at their next request (after the
    commit). ``institution_ids`` names the bodies whose officers' colours changed; None moves every board."""
    if institution_ids is None:
        generations.moved(LIGHTS)
        return
    for institution_id in set(institution_ids):
        generations.moved(_body(institution_id))


def placements_changed(officer_ids: set[int]) -> None:
    """Officers took other posts (``integrity.events.post_changed``): the boards count them by body and department,
    so they read their counts again even when no light changed colour. The body left is not known once the move
    is committed, and moves are rare: every board reads again."""
    lights_changed()


def generation_for(user: Officer) -> str:
    """What ``user``'s board shows is at: the generation all boards share and those of the bodies it counts."""
    shared = generations.current(LIGHTS)
    bodies = generations.cached_at(f"{LIGHTS}:{shared}", f"bodies:{user.pk}:{generations.scope_key(user)}",
                                   lambda: _bodies(user))  # fmt: skip
    # The bodies' and departments' names are kept with the counts: a renamed one is read again too.
    return f"{shared}-{generations.stamp([generations.ORGANISATION, *(_body(pk) for pk in bodies)])}"


def _bodies(user: Officer) -> list[int]:
    """The bodies whose officers' lights ``user``'s board counts: those of the paths they oversee and of the
    departments they head. Kept until every board is read again (a body's first light moves them all)."""
    rows = Institution.objects.using(DEFAULT_DB_ALIAS).filter(scope_for(user).institution_q())
    return sorted(set(rows.values_list("pk", flat=True)))


@dataclass
class Counts:
    """How many lights of each colour, in total, per body and per department, over the lights one viewer sees.

    Plain dicts of colour → number, not ``Counter``s: a province's 1,300 of them are read back from the cache on
    every board request, and a ``Counter`` is rebuilt through its constructor when unpickled (7 ms here)."""

    generation: str
    totals: dict[str, int] = field(default_factory=dict)
    by_institution: dict[int, dict[str, int]] = field(default_factory=dict)
    by_department: dict[int, dict[int | None, dict[str, int]]] = field(default_factory=dict)
    # The bodies' and departments' names, read with the counts in one query: a board from the cache reads none.
    names: dict[tuple[str, int], str] = field(default_factory=dict)

    def of(self, institution_id: int | None) -> dict[str, int]:
        return self.totals if institution_id is None else self.by_institution.get(institution_id, {})


def counts_for(user: Officer, generation: str) -> Counts:
    """The viewer's counts at ``generation`` (theirs, ``generation_for``, read before): from the cache, or from one
    grouped query when the lights they count changed since."""

    def read() -> Counts:
        counts = Counts(generation=generation)
        rows = (
            board_lights(user)
            .using(DEFAULT_DB_ALIAS)  # what is cached must not be a lagging replica's (``integrity.replica``)
            .order_by()
            .values_list(
                "officer__institution_id", "officer__institution__name", "officer__department_id",
                "officer__department__name", "colour",
            )
            .annotate(n=Count("id"))
        )  # fmt: skip
        for institution_id, institution_name, department_id, department_name, colour, n in rows:
            counts.names["institution", institution_id] = institution_name
            if department_id:
                counts.names["department", department_id] = department_name
            for cell in (
                counts.totals,
                counts.by_institution.setdefault(institution_id, {}),
                counts.by_department.setdefault(institution_id, {}).setdefault(department_id, {}),
            ):
                cell[colour] = cell.get(colour, 0) + n
        return counts

    return generations.cached_at(f"{LIGHTS}:{generation}", f"board:{user.pk}:{generations.scope_key(user)}", read)


def trend_for(user: Officer, read: Callable[[], list[dict]]) -> list[dict]:
    """The viewer's twelve-month trend from the cache, or ``read`` when the lights (and with them the day's
    snapshot: a full run moves the generation too) changed since, or a new day began."""
    return generations.cached(LIGHTS, f"trend:{timezone.localdate()}:{user.pk}:{generations.scope_key(user)}", read)


def fragment_key(user: Officer, counts: Counts, institution: Institution | None) -> str:
    """The board's drawn counts and feed are kept under this key (with the language and time zone): the lights'
    generation, the viewer and their scope, and the body drilled into."""
    return f"{counts.generation}:{user.pk}:{generations.scope_key(user)}:{institution.pk if institution else ''}"


@dataclass(frozen=True)
class Row:
    pk: int | None
    name: str
    green: int
    yellow: int
    red: int


def institution_rows(counts: Counts) -> list[Row]:
    return _named_rows(counts, "institution", counts.by_institution)


def department_rows(counts: Counts, institution_id: int) -> list[Row]:
    return _named_rows(counts, "department", counts.by_department.get(institution_id, {}))


def _named_rows(counts: Counts, kind: str, cells: Mapping[Any, dict[str, int]]) -> list[Row]:
    """A row per body or department with its counts, in the order of the names."""
    green, yellow, red = Colour.GREEN.value, Colour.YELLOW.value, Colour.RED.value
    rows = (Row(pk, counts.names.get((kind, pk), "—"), c.get(green, 0), c.get(yellow, 0), c.get(red, 0))
            for pk, c in cells.items())  # fmt: skip
    return sorted(rows, key=lambda row: row.name)
