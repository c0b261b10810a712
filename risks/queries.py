"""Scoped reads of the risks app, built on ``integrity.queries``' scope."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from integrity.models import Institution, Officer
from integrity.queries import paths_q, scope_for, visible_institutions
from risks.choices import Grade, RiskStatus
from risks.models import MonthlyCheck, PersonalRiskTable, PowerItem, RiskPoint, RiskPolicy, RiskProposal


def policy_for(institution: Institution) -> RiskPolicy:
    """The institution's policy, or the defaults (unsaved) when it has none yet."""
    policy = RiskPolicy.objects.filter(institution=institution).select_related("institution").first()
    return policy or RiskPolicy(institution=institution)


def policies_by_institution(institution_ids: Iterable[int | None] | QuerySet) -> dict[int | None, RiskPolicy]:
    """Policies for many institutions (ids, or a queryset of ids) in one query; missing ones get the defaults."""
    policies: dict[int | None, RiskPolicy] = {}
    for institution in Institution.objects.filter(pk__in=institution_ids).select_related("risk_policy"):
        try:
            policies[institution.pk] = institution.risk_policy
        except RiskPolicy.DoesNotExist:
            policies[institution.pk] = RiskPolicy(institution=institution)
    return policies


def visible_power_items(user: Officer) -> QuerySet[PowerItem]:
    """The catalog is open to everyone in the institution; leaders and discipline staff also see the bodies below."""
    return PowerItem.objects.filter(institution__in=visible_institutions(user)).select_related(
        "institution", "department"
    )


def editable_power_items(user: Officer) -> QuerySet[PowerItem]:
    """Administrators edit their institutions' catalogs; department heads their own department's items."""
    scope = scope_for(user)
    if scope.is_superuser:
        return PowerItem.objects.all()
    q = paths_q(scope.administered_paths, "institution__path")
    if scope.headed_department_ids:
        q |= Q(department_id__in=scope.headed_department_ids)
    return PowerItem.objects.filter(q).select_related("institution", "department")


def visible_risk_points(user: Officer) -> QuerySet[RiskPoint]:
    """Published risk points of the user's institution (they are 公示, public inside it); every status for the
    departments the user reaches and, for leaders and discipline staff, the institutions they oversee."""
    scope = scope_for(user)
    queryset = RiskPoint.objects.select_related("institution", "department", "post", "category", "power_item")
    if scope.is_superuser:
        return queryset
    q = Q(institution_id=scope.institution_id, status=RiskStatus.PUBLISHED) | Q(created_by_id=scope.officer_id)
    if scope.department_ids:
        q |= Q(department_id__in=scope.department_ids)
    q |= paths_q(scope.overseen_paths, "institution__path")
    return queryset.filter(q)


def editable_risk_points(user: Officer) -> QuerySet[RiskPoint]:
    """Who may change a risk point: administrators of its institution; the head of its department."""
    scope = scope_for(user)
    if scope.is_superuser:
        return RiskPoint.objects.all()
    q = paths_q(scope.administered_paths, "institution__path")
    if scope.headed_department_ids:
        q |= Q(department_id__in=scope.headed_department_ids)
    return RiskPoint.objects.filter(q)


def approvable_risk_points(user: Officer) -> QuerySet[RiskPoint]:
    """Approval and publication belong to the leaders: principal leaders, and deputies for their departments."""
    scope = scope_for(user)
    if scope.is_superuser:
        return RiskPoint.objects.all()
    principal_ids = [i for role, i in scope.roles if role == "principal_leader"]
    q = Q(institution_id__in=principal_ids) if principal_ids else Q(pk__in=[])
    deputy = scope.department_ids - scope.headed_department_ids
    if deputy:
        q |= Q(department_id__in=deputy)
    return RiskPoint.objects.filter(q)


def visible_risk_tables(user: Officer) -> QuerySet[PersonalRiskTable]:
    return PersonalRiskTable.objects.filter(scope_for(user).officer_q("officer")).select_related(
        "officer__department", "post", "reviewed_by"
    )


def visible_checks(user: Officer) -> QuerySet[MonthlyCheck]:
    return MonthlyCheck.objects.filter(scope_for(user).officer_q("officer")).select_related(
        "officer__department", "officer__institution", "reviewed_by"
    )


def visible_proposals(user: Officer) -> QuerySet[RiskProposal]:
    """Proposals of the officers the user may see (their own among them)."""
    return RiskProposal.objects.filter(scope_for(user).officer_q("officer")).select_related(
        "officer", "post", "decided_by", "risk_point"
    )


def reviewable_q(user: Officer, prefix: str = "officer") -> Q:
    """The tables and checks this user reviews: those of the officers whose reviewer they are (四级 — a member's go
    to the department head, a head's to the deputy in charge, and so up; ``integrity.routing``), never their own."""
    if scope_for(user).is_superuser:
        return Q()
    return Q(**{f"{prefix}__reviewer_id": user.pk}) & ~Q(**{prefix: user.pk})


def worst_first() -> Case:
    """An ordering of risk points by grade, high first (the grade's text would sort medium before high)."""
    return Case(
        *[When(grade=grade, then=Value(-grade.rank)) for grade in Grade], default=Value(0), output_field=IntegerField()
    )
