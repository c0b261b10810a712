"""The working-day calendar's obligation: from December, the top body's system administrators owe confirming next
year's calendar against the State Council's notice (entering its days off in lieu and make-up working days), until
one of them does (``CalendarYear``). Deadlines counted in working days depend on it."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from integrity.choices import Role
from integrity.models import CalendarYear, Institution, Officer, RoleAssignment
from integrity.obligations import Obligation, ObligationKind, register
from integrity.queries import scope_for

OWED_FROM_MONTH = 12


def calendar_owed(today: datetime.date) -> int | None:
    """The year whose calendar is owed on ``today``, if any."""
    if today.month < OWED_FROM_MONTH or CalendarYear.objects.filter(year=today.year + 1).exists():
        return None
    return today.year + 1


def _unconfirmed(actor: Officer) -> QuerySet[Institution]:
    # Whether the actor administers anything is known without a query (the bell asks for everyone, every page).
    if not scope_for(actor).is_administrator or calendar_owed(timezone.localdate()) is None:
        return Institution.objects.none()
    administered = RoleAssignment.objects.filter(officer=actor, role=Role.ADMINISTRATOR).values("institution_id")
    return Institution.objects.filter(pk__in=administered, parent__isnull=True)


def _describe(institution: Institution) -> Obligation:
    year = timezone.localdate().year + 1
    return Obligation(
        _("Confirm the working-day calendar of %(year)s") % {"year": year},
        f"{reverse('admin:integrity_calendarday_changelist')}?day__year={year}",
        institution.name,
        datetime.date(year - 1, 12, 31),
    )


def register_kinds() -> None:
    register(ObligationKind("integrity.calendar_year", gettext_lazy("Working-day calendar"), _unconfirmed, _describe))
