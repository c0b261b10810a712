"""The assessment list's grades by body and department: counted once per viewer, filter and day, kept in the cache
until an assessment or a case is written.

Counting them groups every assessment the viewer sees with its case's body and department: 79 ms for a province
inspector at 10,000 assessments, and it grows with them. Every write they depend on moves the generation
(``assessments_changed``): an assessment filed, submitted, decided, re-opened, closed; a case's body or
department changed (the import); a case's handlers changed (the officers who see it through them). The day is in
the key because "overdue" is counted against it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.db import DEFAULT_DB_ALIAS
from django.db.models import Count, QuerySet
from django.utils import timezone
from django_filters import FilterSet

from integrity import generations
from integrity.models import Officer

ASSESSMENTS = "assessments"
CASES_PLACED = "cases-placed"


def assessments_changed() -> None:
    """An assessment, or a case's body, department or handlers, was written: every grid is counted again."""
    generations.moved(ASSESSMENTS)


def cases_placed() -> None:
    """Cases' bodies, departments or handlers changed, and with them who sees the cases, their assessments and the
    notices on them: the grids are counted again, and the open notices the boards keep (``alerts.board``), which
    every assessment written does not move."""
    generations.moved(CASES_PLACED)
    assessments_changed()


@dataclass
class Grades:
    """Colour → number per body and per department."""

    by_body: dict[int, dict[str, int]] = field(default_factory=dict)
    by_department: dict[int | None, dict[str, int]] = field(default_factory=dict)


def grades(assessments: QuerySet, filterset: FilterSet, user: Officer) -> Grades:
    """``assessments`` (``filterset``'s result for ``user``) counted by body, department and colour."""
    if filterset.is_bound and not filterset.is_valid():
        return Grades()  # the list shows none either

    def read() -> Grades:
        counted = Grades()
        rows = (
            assessments.using(DEFAULT_DB_ALIAS)  # what is cached must not be a lagging replica's
            .order_by()
            .values_list("case__institution_id", "case__department_id", "colour")
            .annotate(n=Count("id"))
        )
        for institution_id, department_id, colour, n in rows:
            cells = counted.by_body.setdefault(institution_id, {})
            cells[colour] = cells.get(colour, 0) + n
            counted.by_department.setdefault(department_id, {})[colour] = n
        return counted

    key = f"grades:{timezone.localdate()}:{user.pk}:{generations.scope_key(user)}:{_filter_key(filterset)}"
    return generations.cached(ASSESSMENTS, key, read)


def _filter_key(filterset: FilterSet) -> str:
    """The filter as the FilterSet applied it: its cleaned values, a model by its key."""
    cleaned = getattr(filterset.form, "cleaned_data", {}) if filterset.is_bound else {}
    applied = sorted((name, getattr(value, "pk", value)) for name, value in cleaned.items())
    return hashlib.blake2b(repr(applied).encode(), digest_size=8).hexdigest()
