"""Scoped reads of the alerts app. Clues are for discipline staff and leaders only; an officer sees their own
light and the warnings about them; heads and deputies see their departments' lights."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from alerts.models import Clue, IntegrityWarning, Light, LightEvent, LightSnapshot
from integrity.models import Officer
from integrity.queries import paths_q, scope_for


def sees_board(user: Officer) -> bool:
    scope = scope_for(user)
    return scope.is_superuser or scope.watches_institution or bool(scope.department_ids)


def visible_lights(user: Officer) -> QuerySet[Light]:
    return Light.objects.filter(scope_for(user).officer_q("officer")).select_related(
        "officer__department", "officer__institution"
    )


def board_lights(user: Officer) -> QuerySet[Light]:
    """The lights a board shows: everyone the user may see but the user themselves."""
    return visible_lights(user).exclude(officer_id=user.pk).filter(officer__is_active=True)


def visible_events(user: Officer) -> QuerySet[LightEvent]:
    return (
        LightEvent.objects.filter(scope_for(user).officer_q("officer"))
        .exclude(officer_id=user.pk)
        .select_related("officer", "department", "institution")
    )


def visible_snapshots(user: Officer) -> QuerySet[LightSnapshot]:
    scope = scope_for(user)
    if scope.is_superuser:
        return LightSnapshot.objects.all()
    return LightSnapshot.objects.filter(paths_q(scope.overseen_paths, "institution__path"))


def visible_clues(user: Officer) -> QuerySet[Clue]:
    """Only discipline staff and leaders, over their institutions and the bodies below."""
    scope = scope_for(user)
    if scope.is_superuser:
        return Clue.objects.select_related("subject", "verifier", "institution")
    if not scope.watches_institution:
        return Clue.objects.none()
    return Clue.objects.filter(paths_q(scope.overseen_paths, "institution__path")).select_related(
        "subject", "verifier", "institution"
    )


def visible_warnings(user: Officer) -> QuerySet[IntegrityWarning]:
    """Discipline staff and leaders over their bodies; heads and deputies for their departments; an officer the
    warnings about them once approved."""
    scope = scope_for(user)
    base = IntegrityWarning.objects.select_related("officer", "department", "institution", "proposed_by", "approved_by")
    if scope.is_superuser:
        return base
    q = Q(officer_id=user.pk, approved_at__isnull=False) | paths_q(scope.overseen_paths, "institution__path")
    if scope.department_ids:
        q |= Q(department_id__in=scope.department_ids)
    return base.filter(q)
