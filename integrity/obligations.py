"""Obligations (待办事项): what somebody must do, by when, on which record — the ledger behind "my to-dos".

Each app declares its kinds of obligation once and registers them in its ``AppConfig.ready`` (the way the admin
discovers ``admin.py``); this module knows none of them. A kind answers, for one actor, the open items they must act
on — in a fixed number of queries whatever their number — and how many there are.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cached_property, partial
from typing import Any, Protocol, TypeVar

from django.db.models import F, IntegerField, QuerySet, Subquery
from django.utils import timezone
from django.utils.functional import Promise

from integrity.models import Officer


@dataclass(frozen=True)
class Obligation:
    """One thing ``actor`` must do: open ``url`` and act on ``title`` (about ``subject``) by ``due_on``."""

    title: str
    url: str
    subject: str = ""
    due_on: datetime.date | None = None
    since: datetime.date | None = None  # a review or approval: the day it started waiting

    def overdue(self, today: datetime.date) -> bool:
        return self.due_on is not None and self.due_on < today


@dataclass(frozen=True)
class Waiting:
    """One open item of a kind, across the deployment: who must act on it and since when. Reviews and approvals
    have no deadline of their own: they wait since they were submitted. An item with a due date waits from that
    day. Both are chased by how long they have waited (``alerts.escalation``)."""

    kind: str
    record_id: int
    actor_id: int | None
    subject_id: int | None
    institution_id: int
    since: datetime.datetime | datetime.date
    # What it is, worked out only when asked: escalation describes the items that are late, not every one waiting
    # (a province has tens of thousands of filings under review; describing each was most of the run).
    describe: Callable[[], Obligation] = field(compare=False, repr=False)

    @cached_property
    def obligation(self) -> Obligation:
        return self.describe()


@dataclass(frozen=True)
class ObligationKind:
    """A kind of obligation: ``queryset(actor)`` gives the open records the actor must act on, ``describe`` turns
    each into an ``Obligation``. ``order`` places the group on the to-do page (reviews of others first).

    A kind also says what waits across the deployment, for escalation: ``waiting_records()`` gives every open
    record annotated with ``w_actor``, ``w_subject``, ``w_institution`` and ``w_since`` (``waiting_annotations``
    builds them), read in a fixed number of queries; or ``waiting_items()`` gives the ``Waiting`` items directly."""

    code: str
    label: str | Promise
    queryset: Callable[[Officer], QuerySet]
    describe: Callable[[Any], Obligation]  # takes a record of its queryset
    order: int = 50
    waiting_records: Callable[[], QuerySet] | None = None
    # For a kind several people may act on (any principal leader of the body, any of its discipline staff): the
    # open items with the one who answers for each, chosen by ``integrity.routing``.
    waiting_items: Callable[[], Iterable[Waiting]] | None = None

    @property
    def escalates(self) -> bool:
        return self.waiting_records is not None or self.waiting_items is not None

    def waiting(self) -> Iterator[Waiting]:
        if self.waiting_items is not None:
            yield from self.waiting_items()
            return
        if self.waiting_records is None:
            return
        for record in self.waiting_records().iterator(chunk_size=2000):
            yield Waiting(
                self.code, record.pk, record.w_actor, record.w_subject, record.w_institution, record.w_since,
                partial(self.describe, record),
            )  # fmt: skip

    def described(self, records: Iterable[Any]) -> list[Obligation]:
        """Records of this kind's queryset for someone (a slice of it) as obligations, soonest due first."""
        found = [self.describe(record) for record in records]
        return sorted(found, key=lambda o: (o.due_on is None, o.due_on or datetime.date.max))


def waiting_annotations(*, actor: str, subject: str, since: str, institution: str | None = None) -> dict:
    """What ``ObligationKind.waiting_records`` annotates, from the lookups to the actor, the subject officer, the
    moment the item started waiting — or, for an item with a due date, the day it fell due — and the institution
    (by default the subject's)."""
    return {
        "w_actor": F(actor),
        "w_subject": F(subject),
        "w_institution": F(institution or f"{subject.removesuffix('_id')}__institution_id"),
        "w_since": F(since),
    }


def waiting_since(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(moment) if moment else None


class Filed(Protocol):
    @property
    def submitted_at(self) -> datetime.datetime | None: ...


FiledT = TypeVar("FiledT", bound=Filed)


def to_review(describe: Callable[[FiledT], Obligation]) -> Callable[[FiledT], Obligation]:
    """Describe a filing to review: the reviewer sees how long it has waited (since it was submitted), not the
    filing's own due date, which would read as theirs."""
    return lambda record: replace(describe(record), due_on=None, since=waiting_since(record.submitted_at))


_registry: dict[str, ObligationKind] = {}


def register(kind: ObligationKind) -> ObligationKind:
    """Declare a kind once (from an app's ``ready``); registering the same code again replaces it."""
    _registry[kind.code] = kind
    return kind


def kinds() -> list[ObligationKind]:
    return sorted(_registry.values(), key=lambda kind: (kind.order, kind.code))


def kind_of(code: str) -> ObligationKind | None:
    return _registry.get(code)


class Counted(Subquery):
    """How many rows a queryset gives, as one column of another query."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) counted)"
    output_field = IntegerField()
    empty_result_set_value = 0  # a queryset that cannot match (``none()``) counts 0 without being asked


def counts(actor: Officer) -> dict[str, int]:
    """How many open items ``actor`` has of each kind, in one query: the bell beside "my to-dos" asks on every page
    and every 30 seconds, and a query per kind (thirty) cost 50–80 ms at a province's size."""
    return {kind.code: n for kind, _records, n in _counted(actor)}


def _counted(actor: Officer) -> list[tuple[ObligationKind, QuerySet, int]]:
    """Each kind, its queryset for ``actor`` (built once: building thirty is most of what the bell costs), and how
    many open items it has, all counted in one query."""
    every = [(kind, kind.queryset(actor)) for kind in kinds()]
    columns = [Counted(records.order_by().values("pk")) for _kind, records in every]
    row = Officer.objects.filter(pk=actor.pk).values_list(*columns).get()  # the actor's row: one row to count on
    return [(kind, records, n) for (kind, records), n in zip(every, row, strict=True)]


def to_dos(actor: Officer, limit: int = 200) -> list[tuple[ObligationKind, list[Obligation], int]]:
    """Every kind with open items for ``actor``: the kind, its soonest ``limit`` items, and how many there are.
    The kinds with none are found in the one query that counts them all, and not asked again."""
    groups = []
    for kind, records, n in _counted(actor):
        if n:
            items = kind.described(records[:limit])
            if items:
                groups.append((kind, items, max(n, len(items))))
    return groups


def count(actor: Officer) -> int:
    return sum(counts(actor).values())
