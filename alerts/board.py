"""The warning board's counts and trend: read once per viewer, kept in the cache until the lights they count change.

Every write of the light engine that changes what a board shows moves a generation number: a colour changed (the
counts and the feed) or an officer who left (the counts) moves their body's (``lights_changed`` with the bodies),
and what every board may show differently — a new light, an officer who took another post, a full run's snapshot —
moves the one all boards share. A board's counts are cached under its viewer's generation (``generation_for``: the
shared one and those of the bodies the viewer sees, read before the counts), so a board polled every 15 seconds
reads the lights again only after something it shows changed — not after every filing in the province, nor after a
colour changed in a body it does not show. A poll that says which generation it shows gets nothing back when that is
still current.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import DEFAULT_DB_ALIAS
from django.db.models import Count, QuerySet
from django.utils import timezone

from alerts.models import Light
from alerts.queries import board_lights
from cases.grades import CASES_PLACED
from cases.notices import NOTICES
from cases.queries import open_notices_to_count, visible_notices
from integrity import generations
from integrity.choices import Colour
from integrity.models import Institution, Officer
from integrity.queries import scope_for

LIGHTS = "lights"
ANY_BODY = f"{LIGHTS}:any"  # moves after any body's: a viewer's stamp of their bodies' is kept until it does


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
    generations.moved(ANY_BODY)  # after the bodies' (the commit runs them in this order)


def counted_no_more(officer_ids: set[int]) -> None:
    """Officers whose lights were asked for are counted no more: they left (the account closed, their body kept on
    record). The boards that show their body read it again; one whose body is not on record moves every board."""
    bodies = dict(
        Officer.objects.using(DEFAULT_DB_ALIAS).filter(pk__in=officer_ids).values_list("pk", "institution_id")
    )
    if len(bodies) < len(officer_ids) or None in bodies.values():
        lights_changed()
    else:
        lights_changed(bodies.values())


def placements_changed(officer_ids: set[int]) -> None:
    """Officers took other posts (``integrity.events.post_changed``): the boards count them by body and department,
    so they read their counts again even when no light changed colour. The body left is not known once the move
    is committed, and moves are rare: every board reads again."""
    lights_changed()


def generation_for(user: Officer) -> str:
    """What ``user``'s board shows is at: the generation all boards share and those of the bodies it counts. Kept
    until one of these or the names moves (any body's moves ``ANY_BODY``): a province's board would otherwise read
    its 122 generations at every request and every poll, though they move a few times a day."""

    def read() -> str:
        shared = generations.current(LIGHTS)
        # The bodies' and departments' names are kept with the counts: a renamed one is read again too.
        bodies = _seen(user, shared).bodies
        return f"{shared}-{generations.stamp([generations.ORGANISATION, *(_body(pk) for pk in bodies)])}"

    moved = "-".join(map(str, generations.several([LIGHTS, ANY_BODY, generations.ORGANISATION])))
    return generations.cached_at(f"board:{moved}", f"generation:{user.pk}:{generations.scope_key(user)}", read)


@dataclass(frozen=True)
class Seen:
    """The bodies whose officers' lights a viewer's board counts: those of the paths they oversee and of the
    departments they head (``bodies``), and of those the ones whose every officer they see (``whole``)."""

    bodies: list[int]
    whole: list[int]


def _seen(user: Officer, shared: int) -> Seen:
    """Kept until every board is read again (a body's first light moves them all)."""

    def read() -> Seen:
        scope = scope_for(user)
        rows = Institution.objects.using(DEFAULT_DB_ALIAS).filter(scope.institution_q()).values_list("pk", "path")
        bodies = sorted({pk for pk, _ in rows})
        whole = sorted({pk for pk, path in rows if scope.is_superuser or path.startswith(scope.overseen_paths)})
        return Seen(bodies, whole)

    return generations.cached_at(f"{LIGHTS}:{shared}", f"seen:{user.pk}:{generations.scope_key(user)}", read)


# (body, body's name, department, department's name, colour, how many), as the grouped query reads them.
CountRow = tuple[int, str, int | None, str, str, int]


@dataclass
class Counts:
    """How many lights of each colour, in total, per body and per department, over the lights one viewer sees (or
    over one body's officers: a viewer's counts are put together from those of the bodies they see).

    Plain dicts of colour → number, not ``Counter``s: a province's 1,300 of them are read back from the cache on
    every board request, and a ``Counter`` is rebuilt through its constructor when unpickled (7 ms here)."""

    generation: str
    totals: dict[str, int] = field(default_factory=dict)
    by_institution: dict[int, dict[str, int]] = field(default_factory=dict)
    by_department: dict[int, dict[int | None, dict[str, int]]] = field(default_factory=dict)
    # The bodies' and departments' names, read with the counts in one query: a board from the cache reads none.
    institution_names: dict[int, str] = field(default_factory=dict)
    department_names: dict[int, str] = field(default_factory=dict)

    def of(self, institution_id: int | None) -> dict[str, int]:
        return self.totals if institution_id is None else self.by_institution.get(institution_id, {})

    def add(self, rows: Iterable[CountRow]) -> None:
        for institution_id, institution_name, department_id, department_name, colour, n in rows:
            self.institution_names[institution_id] = institution_name
            if department_id:
                self.department_names[department_id] = department_name
            for cell in (
                self.totals,
                self.by_institution.setdefault(institution_id, {}),
                self.by_department.setdefault(institution_id, {}).setdefault(department_id, {}),
            ):
                cell[colour] = cell.get(colour, 0) + n

    def merge(self, body: Counts) -> None:
        """One body's counts, a body not counted here yet, added to these: a few dict updates, not a row at a time
        (a province's 3,600 rows took 3 ms that way)."""
        self.institution_names.update(body.institution_names)
        self.department_names.update(body.department_names)
        self.by_institution.update(body.by_institution)
        self.by_department.update(body.by_department)
        for colour, n in body.totals.items():
            self.totals[colour] = self.totals.get(colour, 0) + n

    def take_one(self, institution_id: int, department_id: int | None, colour: str) -> None:
        """One light counted with its body that the board does not show (the viewer's own): out of every cell,
        and a department or body left with none is no longer a row."""
        departments = self.by_department.get(institution_id, {})
        if not departments.get(department_id, {}).get(colour):
            return  # the body's counts were read before that light last changed: the change reads them again
        for cell in (self.totals, self.by_institution[institution_id], departments[department_id]):
            cell[colour] -= 1
        if not any(departments[department_id].values()):
            del departments[department_id]
        if not departments:
            del self.by_department[institution_id], self.by_institution[institution_id]


def counts_for(user: Officer, generation: str) -> Counts:
    """The viewer's counts at ``generation`` (theirs, ``generation_for``, read before): from the cache, or, when the
    lights they count changed since, put together from each body's counts (kept under that body's generation, so
    only the bodies written since are read again) and those of the departments they head in other bodies."""

    def read() -> Counts:
        counts = Counts(generation=generation)
        shared = generations.current(LIGHTS)
        whole = _seen(user, shared).whole
        for body in _bodies_counts(shared, whole).values():
            counts.merge(body)
        scope = scope_for(user)
        if scope.department_ids:
            counts.add(_grouped(board_lights(user).filter(officer__department_id__in=scope.department_ids)
                                .exclude(officer__institution_id__in=whole)))  # fmt: skip
        own = (
            Light.objects.using(DEFAULT_DB_ALIAS)
            .filter(officer_id=user.pk, officer__is_active=True, officer__institution_id__in=whole)
            .values_list("officer__institution_id", "officer__department_id", "colour")
            .first()
        )
        if own is not None:  # counted with their body; a board shows everyone but its viewer
            counts.take_one(*own)
        return counts

    # Under a name of its own: counts an earlier release kept in another shape are not read back after an upgrade.
    return generations.cached_at(f"{LIGHTS}:{generation}", f"counts:{user.pk}:{generations.scope_key(user)}", read)


def bodies_for(user: Officer, generation: str) -> list[int]:
    """The bodies with lights on the viewer's board at ``generation``, kept beside their counts: a board drawn from
    the cache reads these few numbers rather than the counts."""

    def read() -> list[int]:
        return sorted(counts_for(user, generation).by_institution)

    return generations.cached_at(f"{LIGHTS}:{generation}", f"bodies:{user.pk}:{generations.scope_key(user)}", read)


def _bodies_counts(shared: int, bodies: list[int]) -> dict[int, Counts]:
    """Each body's counts over its active officers, kept under the generations of the body, of every board and of
    the names: one round trip to the cache, and one query for the bodies written since."""
    organisation, *each = generations.several([generations.ORGANISATION, *(_body(pk) for pk in bodies)])
    keys = {pk: f"board-body:{shared}-{organisation}-{g}:{pk}" for pk, g in zip(bodies, each, strict=True)}

    def read(missing: list[int]) -> dict[int, Counts]:
        found = {pk: Counts(generation="") for pk in missing}  # a body with no light is kept as none
        for row in _grouped(Light.objects.filter(officer__institution_id__in=missing, officer__is_active=True)):
            found[row[0]].add([row])
        return found

    return generations.cached_each(keys, read)


def _grouped(lights: QuerySet[Light]) -> list[CountRow]:
    return list(
        lights.using(DEFAULT_DB_ALIAS)  # what is cached must not be a lagging replica's (``integrity.replica``)
        .order_by()
        .values_list(
            "officer__institution_id", "officer__institution__name", "officer__department_id",
            "officer__department__name", "colour",
        )
        .annotate(n=Count("id"))
    )  # fmt: skip


def trend_for(user: Officer, read: Callable[[], list[dict]]) -> list[dict]:
    """The viewer's twelve-month trend from the cache, or ``read`` when the lights (and with them the day's
    snapshot: a full run moves the generation too) changed since, or a new day began."""
    return generations.cached(LIGHTS, f"trend:{timezone.localdate()}:{user.pk}:{generations.scope_key(user)}", read)


def fragment_key(user: Officer, generation: str, institution: Institution | None) -> str:
    """The board's drawn counts and feed are kept under this key (with the language and time zone): the lights'
    generation, the viewer and their scope, and the body drilled into."""
    return f"{generation}:{user.pk}:{generations.scope_key(user)}:{institution.pk if institution else ''}"


def drawn(user: Officer, institution_id: int | None, generation: str) -> dict[str, Callable[[], Any]]:
    """What the board's fragment draws from the counts, as functions the template calls when it draws it: a board
    whose fragment is in the cache does not read the counts (a province's 1,300 cells) back from it."""
    counts = functools.cache(lambda: counts_for(user, generation))

    def totals() -> dict[str, int]:
        cells = counts().of(institution_id)
        return {colour.value: cells.get(colour.value, 0) for colour in Colour}

    return {
        "totals": totals,
        "institutions": lambda: institution_rows(counts()) if institution_id is None else [],
        "departments": lambda: department_rows(counts(), institution_id) if institution_id is not None else [],
    }


@dataclass(frozen=True)
class Row:
    pk: int | None
    name: str
    green: int
    yellow: int
    red: int


def institution_rows(counts: Counts) -> list[Row]:
    return _named_rows(counts.institution_names, counts.by_institution)


def department_rows(counts: Counts, institution_id: int) -> list[Row]:
    return _named_rows(counts.department_names, counts.by_department.get(institution_id, {}))


def _named_rows(names: Mapping[Any, str], cells: Mapping[Any, dict[str, int]]) -> list[Row]:
    """A row per body or department with its counts, in the order of the names."""
    green, yellow, red = Colour.GREEN.value, Colour.YELLOW.value, Colour.RED.value
    rows = (Row(pk, names.get(pk, "—"), c.get(green, 0), c.get(yellow, 0), c.get(red, 0))
            for pk, c in cells.items())  # fmt: skip
    return sorted(rows, key=lambda row: row.name)


def open_notices(user: Officer) -> tuple[int, list[int]]:
    """How many open supervision notices ``user`` sees, and the ten oldest (their ids: the rows are read afresh, with
    whether they were acknowledged or answered). Kept until a notice is issued or closed (``cases.notices.NOTICES``)
    or who sees a case changes with its body, department or handlers (``cases.grades.CASES_PLACED``): every board
    request counted them again, a third of the province inspector's board."""

    def read() -> tuple[int, list[int]]:
        # From the primary: what is cached must not be a lagging replica's (``integrity.replica``).
        count = open_notices_to_count(user).using(DEFAULT_DB_ALIAS).count()
        oldest = visible_notices(user).using(DEFAULT_DB_ALIAS).filter(closed_at__isnull=True)
        return count, list(oldest.order_by("issued_at", "pk").values_list("pk", flat=True)[:10])

    moved = generations.stamp([NOTICES, CASES_PLACED])
    return generations.cached_at(f"notices:{moved}", f"open:{user.pk}:{generations.scope_key(user)}", read)
