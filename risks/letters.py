"""Responsibility letters (廉政责任书): each year the head of each department signs for the department's published
risk points and measures. Until signed it is the head's obligation, due by the end of the risk policy's month, and
chased past it like every obligation."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from integrity.choices import Role
from integrity.models import Department, Officer, RoleAssignment
from integrity.obligations import Obligation, Waiting
from integrity.queries import scope_for
from integrity.rules import month_end
from risks.choices import RiskScope, RiskStatus
from risks.models import ResponsibilityLetter, RiskPoint
from risks.queries import policies_by_institution, policy_for, worst_first

KIND = "risks.responsibility_letter"


def letter_points(department: Department) -> QuerySet[RiskPoint]:
    """What the letter covers: the department's published risk points and those of its posts, highest grade first."""
    return (
        RiskPoint.objects.filter(status=RiskStatus.PUBLISHED, scope__in=[RiskScope.DEPARTMENT, RiskScope.POST])
        .filter(Q(department=department) | Q(post__department=department))
        .order_by(worst_first(), "pk")
    )


@transaction.atomic
def sign_letter(department: Department, *, acting_user: Officer) -> ResponsibilityLetter:
    """The head signs this year's letter for the risk points as they stand today (kept on the letter)."""
    if department.pk not in scope_for(acting_user).headed_department_ids:
        raise PermissionDenied
    points = [
        {"description": p.description, "grade": p.get_grade_display(), "measures": p.measures}
        for p in letter_points(department)
    ]
    try:
        with transaction.atomic():
            return ResponsibilityLetter.objects.create(
                department=department, year=timezone.localdate().year, points=points, signed_by=acting_user
            )
    except IntegrityError:
        raise ValidationError(_("This year's letter is already signed.")) from None


def owed_letters(actor: Officer) -> QuerySet[Department]:
    """The departments the actor heads that owe this year's letter by their institution's policy."""
    year = timezone.localdate().year
    return (
        Department.objects.filter(
            pk__in=scope_for(actor).headed_department_ids, institution__risk_policy__letters_from__lte=year
        )
        .exclude(responsibility_letters__year=year)
        .select_related("institution")
    )


def describe(department: Department, due_on: datetime.date | None = None) -> Obligation:
    year = timezone.localdate().year
    if due_on is None:
        due_on = month_end(year, policy_for(department.institution).letter_month)
    return Obligation(
        _("Sign the responsibility letter of %(year)s") % {"year": year},
        reverse("risks:letter", args=[department.pk]),
        department.name,
        due_on,
    )


def letters_waiting() -> Iterator[Waiting]:
    """Every department without this year's letter, waiting on its head from the due day."""
    year = timezone.localdate().year
    signed = set(ResponsibilityLetter.objects.filter(year=year).values_list("department_id", flat=True))
    heads = RoleAssignment.objects.filter(role=Role.DEPARTMENT_HEAD).prefetch_related("departments")
    rows = [(a.officer_id, d) for a in heads for d in a.departments.all() if d.pk not in signed]
    policies = policies_by_institution({d.institution_id for _o, d in rows})
    for officer_id, department in rows:
        starts = policies[department.institution_id].letters_from
        if starts is None or starts > year:
            continue
        due_on = month_end(year, policies[department.institution_id].letter_month)
        yield Waiting(
            KIND, department.pk, officer_id, None, department.institution_id, due_on,
            partial(describe, department, due_on),
        )  # fmt: skip
