"""What each officer owes: the subject's side of the ledger of obligations, read by the light engine.

``integrity.obligations`` says who must act on what (the to-dos); this module says why an officer's light is not
green. Each app declares its sources of reasons once, next to its kinds of obligation, and registers them in its
``AppConfig.ready`` — a monthly check not filed (risks), a declaration not filed or awaiting review (cases), a warning
being rectified (alerts), last year's matters report (archives). The engine (``alerts.engine``) reads every source
and knows none of their tables.

A source answers for a set of officers at once, in a fixed number of set-based queries whatever their number. A
reason is stored as a message code and its parameters and read in the reader's language, so a run under one language
never stores text another reader sees.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from django.core.exceptions import EmptyResultSet
from django.db import connections, models
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop

from integrity.choices import Colour

# What each reason says, kept untranslated (``gettext_noop``); each app adds its own with ``messages``.
MESSAGES: dict[str, str] = {
    # Reasons stored as text before reasons were stored as messages: shown as they were written.
    "as_recorded": "%(text)s",
}
CLEARED = gettext_noop("Every reason is cleared.")

# Parameters stored as a choice's code and shown as its label in the reader's language (e.g. a warning's level).
LABELS: dict[str, type[models.TextChoices]] = {}


def messages(found: Mapping[str, str], labels: Mapping[str, type[models.TextChoices]] | None = None) -> None:
    """Declare an app's reason messages (and the parameters shown as a choice's label) once, from its ``ready``."""
    MESSAGES.update(found)
    LABELS.update(labels or {})


@dataclass(slots=True)
class Reason:
    """Why a light is not green: a kind, a colour, a message with its parameters, and the page that fixes it — kept
    as the URL's name and arguments (``link``, with an optional ``query``) and reversed when read, so a run over
    30,000 officers builds no URL and a stored reason follows the URLs as they change.

    Not frozen, though nothing changes one once made: a frozen dataclass sets each field through
    ``object.__setattr__``, which made a reason five times dearer to build, and a province's run builds 30,000."""

    kind: str
    colour: str
    message: str
    params: Mapping[str, str | int] = field(default_factory=dict)
    link: tuple[str | int, ...] = ()
    query: str = ""
    recorded_url: str = ""  # a reason stored with its URL, before links were kept by name

    @property
    def text(self) -> str:
        """The reason in the active language."""
        params = {k: (LABELS[k](str(value)).label if k in LABELS else value) for k, value in self.params.items()}
        template = gettext(MESSAGES.get(self.message, MESSAGES["as_recorded"]))
        return template % params if params else template

    @property
    def path(self) -> list[str]:
        """The link as words, to order reasons by."""
        return [str(part) for part in self.link] if self.link else [self.recorded_url]

    @property
    def url(self) -> str:
        if not self.link:
            return self.recorded_url
        url = reverse(str(self.link[0]), args=self.link[1:])
        return f"{url}?{self.query}" if self.query else url

    def as_dict(self) -> dict:
        stored = {"kind": self.kind, "colour": self.colour, "message": self.message, "params": dict(self.params),
                  "link": list(self.link)}  # fmt: skip
        if self.query:
            stored["query"] = self.query
        return stored

    @classmethod
    def from_dict(cls, stored: Mapping) -> Reason:
        return cls(
            stored["kind"], stored["colour"], stored["message"], stored.get("params", {}),
            tuple(stored.get("link", ())), stored.get("query", ""), stored.get("url", ""),
        )  # fmt: skip


def explain(stored: Iterable[Mapping]) -> list[Reason]:
    """Stored reasons as ``Reason``s, each with its text in the active language."""
    return [Reason.from_dict(r) for r in stored]


def why(stored: Iterable[Mapping]) -> str:
    """Stored reasons as one line in the active language."""
    return "；".join(r.text for r in explain(stored)) or gettext(CLEARED)


_RANK = {colour.value: colour.rank for colour in Colour}  # read for every reason of every officer in a light run
_COLOURS = {colour.value: colour for colour in Colour}  # a colour given as text or as a member, as a member


def worst(reasons: Iterable[Reason | Mapping]) -> Colour:
    """The light is the worst of its reasons; no reason is green. Asked for every officer of a light run: the colour
    is looked up rather than made (``Colour(…)`` is a call through the enum's machinery)."""
    colours = [r.colour if isinstance(r, Reason) else r["colour"] for r in reasons]
    if not colours:
        return Colour.GREEN
    return _COLOURS[colours[0] if len(colours) == 1 else max(colours, key=_RANK.__getitem__)]


def sorted_reasons(reasons: Iterable[Reason]) -> list[Reason]:
    """Worst first, then by kind, so the page and the stored reasons read the same way every run."""
    return sorted(reasons, key=lambda r: (-_RANK[r.colour], r.kind, r.message, sorted(r.params.items()), r.path))


@dataclass(frozen=True)
class Owed:
    """What a source reads: the officers (id → (institution id, department id)) as of a day and the end of that day.

    A source narrows what it reads to these officers with ``narrow``. For a whole run (``everyone``) it reads every
    officer's rows and the engine keeps those of the officers it counts: narrowing a table to 30,000 active officers
    cost each source a join to all of them, and the rows of the few not counted are dropped for less. A source that
    looks an officer up in ``officers`` skips one it does not find."""

    officers: Mapping[int, tuple[int, int | None]]
    as_of: datetime.date
    end_of_day: datetime.datetime
    today: datetime.date
    everyone: bool = False

    @property
    def replay(self) -> bool:
        """A run for a past day: a filing made since then was not made yet on that day."""
        return self.as_of < self.today

    @cached_property
    def institutions(self) -> set[int]:
        """The officers' institutions, worked out once: several sources ask, and a whole run has 30,000 officers."""
        return {institution for institution, _ in self.officers.values()}

    def narrow(self, queryset: QuerySet, field: str = "officer") -> QuerySet:
        """``queryset`` narrowed to these officers by its foreign key ``field``; for a whole run, as it is."""
        return queryset if self.everyone else queryset.filter(**{f"{field}_id__in": list(self.officers)})


def rows(queryset: QuerySet) -> list[tuple]:
    """The rows of a ``values_list`` queryset (not ``flat``) as PostgreSQL's driver gives them, fetched at once. A
    whole run reads tens of thousands: Django's iterator reads them a hundred at a time and passes each through its
    columns' converters (a count's ``int()``: a quarter of reading the declarations not filed), while psycopg already
    gives dates, times and numbers as Python's. The columns come in the order the queryset names them, as Django
    (from 5.2) selects them. Other databases (SQLite gives dates as text) read the queryset as usual."""
    if connections[queryset.db].vendor != "postgresql":
        return list(queryset)
    compiler = queryset.query.get_compiler(queryset.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return []
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


Source = Callable[[Owed], Iterable[tuple[int, Reason]]]
_sources: dict[str, Source] = {}


def register(code: str, source: Source) -> None:
    """Declare a source of reasons once (from an app's ``ready``); registering the same code again replaces it."""
    _sources[code] = source


def owed(context: Owed) -> Iterator[tuple[int, Reason]]:
    """Every reason of the context's officers, from every source, in order of their codes."""
    for code in sorted(_sources):
        yield from _sources[code](context)
