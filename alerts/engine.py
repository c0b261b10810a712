"""The red/yellow/green light engine.

``compute_lights`` reads every reason of every officer (or of the officers named) as of a day from the ledger of
what officers owe (``integrity.ledger``: each app declares its sources), in a fixed number of set-based queries —
a few per source, never one per officer — stores each officer's light and reasons, records a ``LightEvent`` for
every change of colour, and the day's per-institution snapshot for the board's trend. It is idempotent and safe
to run twice at once: a change is recorded as the event with the light's next version, unique per officer, so a
second run finds nothing changed and a concurrent one cannot record the same change again.
"""

from __future__ import annotations

import contextlib
import datetime
import gc
import hashlib
import itertools
import json
import marshal
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.db import connection, transaction
from django.utils import timezone

from alerts.board import counted_no_more, lights_changed
from alerts.models import Light, LightEvent, LightSnapshot, Notification
from alerts.reminders import light_change_notes
from integrity import ledger
from integrity.choices import Colour
from integrity.ledger import Reason, sorted_reasons, worst
from integrity.models import Officer


@dataclass
class RunResult:
    officers: int = 0
    changed: int = 0
    events: int = 0


def collect_reasons(
    officers: dict[int, tuple[int, int | None]], as_of: datetime.date, *, everyone: bool = False
) -> dict[int, list[Reason]]:
    """Every reason of the given officers (id → (institution id, department id)) as of ``as_of``, from every source
    the apps declare (``integrity.ledger``). With ``everyone`` the sources read every officer's rows rather than
    filter by a list of 30,000 ids, and only the officers given are kept."""
    context = ledger.Owed(
        officers=officers,
        as_of=as_of,
        end_of_day=timezone.make_aware(datetime.datetime.combine(as_of + datetime.timedelta(days=1), datetime.time())),
        today=timezone.localdate(),
        everyone=everyone,
    )
    reasons: dict[int, list[Reason]] = defaultdict(list)
    for officer_id, reason in ledger.owed(context):
        if officer_id in officers:
            reasons[officer_id].append(reason)
    return reasons


def _counted_officers(requested: set[int] | None) -> tuple[dict[int, tuple[int, int | None]], dict[int, tuple]]:
    """The active officers of an institution (of ``requested``, or all) whose lights are counted, id → (institution
    id, department id), and the rows of those with a light, id → (id, institution id, department id, light id,
    colour, digest, version): one query, the officers with their lights joined. Plain rows rather than model
    instances: all of them are read on every run."""
    found = Officer.objects.filter(is_active=True, institution__isnull=False).order_by()
    if requested is not None:
        found = found.filter(pk__in=list(requested))
    rows = ledger.rows(
        found.values_list(
            "pk", "institution_id", "department_id", "light__id", "light__colour", "light__digest", "light__version"
        )
    )
    officers: dict[int, tuple[int, int | None]] = {row[0]: (row[1], row[2]) for row in rows}
    # ``since`` is not read: a light that keeps its colour keeps it in the database (``_update``).
    return officers, {row[0]: row for row in rows if row[3] is not None}


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Python's cycle collector paused while a whole run reads and compares: it allocates a few hundred thousand
    objects (rows, reasons, digests), next to none of them in cycles, and the collections they set off scanned all the
    process holds — 30% of a province's run. What the run leaves is collected once it is on again."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def compute_lights(as_of: datetime.date | None = None, officer_ids: Iterable[int] | None = None) -> RunResult:
    """Recompute and store lights as of ``as_of`` (today in the default zone when None)."""
    if officer_ids is None:
        with _no_cycle_collection():
            return _compute(as_of, None)
    return _compute(as_of, set(officer_ids))


def _compute(as_of: datetime.date | None, requested: set[int] | None) -> RunResult:
    as_of = as_of or timezone.localdate()
    officers, current = _counted_officers(requested)
    result = RunResult(officers=len(officers))
    if requested and requested - officers.keys():
        counted_no_more(requested - officers.keys())  # they left: the boards that show their body follow
    if not officers:
        return result
    reasons = collect_reasons(officers, as_of, everyone=requested is None)
    now = timezone.now()
    replay = as_of < timezone.localdate(now)
    if replay:
        # A run for a past day (a replay) records its changes at the end of that day, where the feed expects them.
        now = timezone.make_aware(datetime.datetime.combine(as_of, datetime.time(23, 59)))
    tally, new_lights, changed, events = _compare(officers, current, reasons, now)
    with transaction.atomic():
        Light.objects.bulk_create(new_lights, ignore_conflicts=True, batch_size=2000)
        _update(changed)
        result.events = _record(events)
        if events and not replay:
            # The outbox: the change's messages are written with the change (once per version, however many runs).
            Notification.objects.bulk_create(light_change_notes(events), ignore_conflicts=True, batch_size=2000)
        result.changed = len(changed) + len(new_lights)
        if requested is None:
            _snapshot(as_of, tally)
        _redraw_boards(everyone=requested is None or bool(new_lights), events=events)
    return result


class _Compared(NamedTuple):
    tally: Counter[tuple[int, str]]  # (institution id, colour) → officers: a whole run's snapshot
    new_lights: list[Light]
    changed: list[_Changed]
    events: list[LightEvent]


def _compare(
    officers: dict[int, tuple[int, int | None]],
    current: dict[int, tuple],
    reasons: dict[int, list[Reason]],
    now: datetime.datetime,
) -> _Compared:
    """Each officer's colour and reasons against the light stored: the lights to create and to write again, and
    the changes of colour to record."""
    tally: Counter[tuple[int, str]] = Counter()
    new_lights: list[Light] = []
    changed: list[_Changed] = []
    events: list[LightEvent] = []
    for officer_id, (institution_id, department_id) in officers.items():
        # Most officers' lights stay as they were: their reasons are compared, in whatever order the sources gave
        # them, by a digest of plain values, and put in order and turned into what is stored only when something
        # changed.
        found = reasons.get(officer_id, ())
        colour = worst(found)
        tally[institution_id, colour] += 1
        digest = _digest(found)
        row = current.get(officer_id)
        if row is not None and row[4] == colour and row[5] == digest:
            continue
        light = _Stored(*row[3:]) if row is not None else _Stored(None, Colour.GREEN, "", 0)
        stored = [r.as_dict() for r in sorted_reasons(found)]
        version, since = light.version, None  # None: the stored one is kept
        if light.colour != colour:
            events.append(
                LightEvent(
                    officer_id=officer_id, version=version + 1, from_colour=light.colour, to_colour=colour,
                    reasons=stored, at=now,
                    institution_id=institution_id, department_id=department_id,
                )
            )  # fmt: skip
            version, since = version + 1, now
        if light.pk is None:
            new_lights.append(Light(officer_id=officer_id, colour=colour, reasons=stored, digest=digest,
                                    version=version, since=now, computed_at=now))  # fmt: skip
        else:
            changed.append(_Changed(light.pk, colour, stored, digest, version, since, now))
    return _Compared(tally, new_lights, changed, events)


def _redraw_boards(*, everyone: bool, events: list[LightEvent]) -> None:
    """The boards read their counts and trend again once the run is committed, when what they show changed: every
    board after a new light or the day's snapshot a full run writes (the trend); the boards that show a body where
    a colour changed (the counts and the feed). Most refreshes follow a filing that changes no colour: in working
    hours they would otherwise redraw every open board at every poll. A move to another post moves every board too
    (``alerts.board.placements_changed``)."""
    if everyone:
        lights_changed()
    elif events:
        lights_changed(event.institution_id for event in events)


class _Changed(NamedTuple):
    """A stored light to write again; ``since`` None keeps the stored one (its colour stayed)."""

    pk: int
    colour: str
    reasons: list[dict]
    digest: str
    version: int
    since: datetime.datetime | None
    computed_at: datetime.datetime


class _Stored(NamedTuple):
    pk: int | None
    colour: str
    digest: str
    version: int


_PLAIN = {colour.value: colour.value for colour in Colour}  # a colour as text (a member's ``value`` is a property)
_NO_REASONS = hashlib.blake2b(b"[]", digest_size=16).hexdigest()


def _said(reason: Reason) -> bytes:
    """What a reason says: its plain values (its colour as text: a member of ``Colour`` is not plain to marshal)
    serialised by ``marshal``'s version 2, which writes no references between objects (later versions do, by how
    many hold an object): the same values give the same bytes in every run and process, in a third of the time
    ``repr`` took. A reason's parameters are built in the same order every time; were they not, a light would only
    be written again, never left stale. A value marshal does not take (an enum member, say) is read by ``repr``."""
    said: tuple[Any, ...] = (
        reason.kind,
        _PLAIN[reason.colour],
        reason.message,
        reason.params,
        reason.link,
        reason.query,
    )
    try:
        return marshal.dumps(said, 2)
    except ValueError:
        return repr(said).encode()


def _digest(found: list[Reason] | tuple[()]) -> str:
    """What the reasons say, as a short hash, whatever order the sources gave them in (they read without an
    ``ORDER BY``): the bytes of each reason, sorted, framed as marshal frames a list of them. Each reason's bytes
    say where they end (marshal writes each value's type and length), so no two sets of reasons give the same
    bytes. Putting the reasons in the order they are shown and stored (``sorted_reasons``) is left to the lights
    that changed: most do not."""
    if not found:
        return _NO_REASONS
    said = b"".join(sorted(map(_said, found))) if len(found) > 1 else _said(found[0])
    return hashlib.blake2b(b"[" + len(found).to_bytes(4, "little") + said, digest_size=16).hexdigest()


def _update(lights: list[_Changed]) -> None:
    """Write the lights that changed; a light whose ``since`` is None keeps the one stored (its colour stayed). On
    PostgreSQL in one ``UPDATE … FROM jsonb_to_recordset(…)`` per 10,000 rows, the rows sent as one JSON document:
    Django's ``bulk_update`` writes a CASE per row and field, which took most of a run where many lights change, and
    arrays of each column (``unnest``) had every reason's quotes escaped in Python as the array was quoted."""
    fields = ["colour", "reasons", "digest", "version", "computed_at"]
    if connection.vendor != "postgresql":
        moved = [Light(**row._asdict()) for row in lights if row.since]
        kept = [Light(**row._asdict()) for row in lights if not row.since]  # ``since`` not written
        Light.objects.bulk_update(moved, [*fields, "since"], batch_size=1000)
        Light.objects.bulk_update(kept, fields, batch_size=1000)
        return
    table = Light._meta.db_table
    sql = f"""
        UPDATE {table} AS light
           SET colour = v.colour, reasons = v.reasons, digest = v.digest, version = v.version,
               since = coalesce(v.since, light.since), computed_at = v.computed_at
          FROM jsonb_to_recordset(%s::jsonb)
               AS v(id bigint, colour varchar, reasons jsonb, digest varchar, version integer, since timestamptz,
                    computed_at timestamptz)
         WHERE light.id = v.id
    """
    rows = (
        {"id": light.pk, "colour": light.colour, "reasons": light.reasons, "digest": light.digest,
         "version": light.version, "since": light.since and light.since.isoformat(),
         "computed_at": light.computed_at.isoformat()}
        for light in lights
    )  # fmt: skip
    _as_json(sql, rows, per=10_000)


def _record(events: list[LightEvent]) -> int:
    """Record the changes of colour not recorded yet — one per light's version, however many runs find it — and
    return how many were new. On PostgreSQL in one ``INSERT … SELECT`` from the rows sent as one JSON document per
    2,000, counted by the rows it inserted."""
    if not events:
        return 0
    if connection.vendor != "postgresql":
        at = events[0].at
        before = LightEvent.objects.filter(at=at).count()
        LightEvent.objects.bulk_create(events, ignore_conflicts=True, batch_size=2000)
        return LightEvent.objects.filter(at=at).count() - before
    sql = f"""
        INSERT INTO {LightEvent._meta.db_table}
               (officer_id, version, from_colour, to_colour, reasons, at, institution_id, department_id)
        SELECT officer_id, version, from_colour, to_colour, reasons, at, institution_id, department_id
          FROM jsonb_to_recordset(%s::jsonb)
               AS v(officer_id bigint, version integer, from_colour varchar, to_colour varchar, reasons jsonb,
                    at timestamptz, institution_id bigint, department_id bigint)
            ON CONFLICT DO NOTHING
    """
    rows = (
        {"officer_id": e.officer_id, "version": e.version, "from_colour": e.from_colour, "to_colour": e.to_colour,
         "reasons": e.reasons, "at": e.at.isoformat(), "institution_id": e.institution_id,
         "department_id": e.department_id}
        for e in events
    )  # fmt: skip
    return _as_json(sql, rows, per=2000)


def _as_json(sql: str, rows: Iterable[dict], *, per: int) -> int:
    """Run ``sql`` with ``rows`` sent as one JSON document (its only parameter) per ``per`` rows; returns the rows it
    affected."""
    affected, rows = 0, iter(rows)
    with connection.cursor() as cursor:
        while batch := list(itertools.islice(rows, per)):
            cursor.execute(sql, [json.dumps(batch, ensure_ascii=False)])
            affected += cursor.rowcount
    return affected


def _snapshot(as_of: datetime.date, tally: Counter[tuple[int, str]]) -> None:
    """The day's count of each colour in each institution, from the colours the whole run just gave every officer
    it counts (the same officers the board counts: active and placed in an institution)."""
    counts: dict[int, Counter] = defaultdict(Counter)
    for (institution_id, colour), n in tally.items():
        counts[institution_id][colour] = n
    LightSnapshot.objects.bulk_create(
        [
            LightSnapshot(institution_id=i, day=as_of, green=c["green"], yellow=c["yellow"], red=c["red"])
            for i, c in counts.items()
        ],
        update_conflicts=True,
        unique_fields=["institution", "day"],
        update_fields=["green", "yellow", "red"],
    )


def refresh_light(officer_id: int) -> None:
    """Recompute one officer's light right after something that can change it (filing a check, and so on)."""
    compute_lights(officer_ids=[officer_id])


def refresh_lights(officer_ids: set[int]) -> None:
    """Recompute these officers' lights once what changed them is committed (``integrity.events``)."""
    compute_lights(officer_ids=sorted(officer_ids))
