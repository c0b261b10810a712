"""Which inspections and findings a user may see (scoping in one place, like ``integrity.queries``)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from alerts.queries import oversight_paths
from inspections.models import Finding, Inspection
from integrity.choices import Role
from integrity.models import Department, Officer
from integrity.queries import paths_q, scope_for

PLANNERS = (Role.DISCIPLINE, Role.PRINCIPAL_LEADER)


def may_plan(user: Officer) -> bool:
    return scope_for(user).has_role(*PLANNERS)


def visible_inspections(user: Officer) -> QuerySet[Inspection]:
    """The inspections of the bodies the user oversees, and those they lead or are on the team of."""
    if scope_for(user).is_superuser:
        return Inspection.objects.all()
    mine = Inspection.objects.filter(team=user).values("pk")
    return Inspection.objects.filter(
        paths_q(oversight_paths(user), "institution__path") | Q(leader=user) | Q(pk__in=mine)
    )


def visible_findings(user: Officer) -> QuerySet[Finding]:
    """The findings of the inspections the user sees, those they must rectify, and those of the departments they
    head."""
    headed = scope_for(user).headed_department_ids
    return Finding.objects.filter(
        Q(inspection__in=visible_inspections(user).values("pk")) | Q(owner=user) | Q(department_id__in=headed)
    )


def inspectable_departments(user: Officer) -> QuerySet[Department]:
    """The departments an inspection planned by the user may cover: those of the bodies they oversee."""
    if scope_for(user).is_superuser:
        return Department.objects.select_related("institution")
    return Department.objects.filter(paths_q(oversight_paths(user), "institution__path")).select_related("institution")


def open_findings(actor: Officer) -> QuerySet[Finding]:
    """The findings the actor must rectify, soonest due first."""
    return (
        Finding.objects.filter(owner=actor, rectified_at__isnull=True)
        .select_related("inspection", "department", "institution", "officer")
        .order_by("due_on", "pk")
    )
