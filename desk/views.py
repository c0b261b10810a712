"""The workbench (工作台): each role's home page, gathering what every app knows about the user."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from alerts.models import Light
from desk import guide
from integrity.http import AuthenticatedHttpRequest
from integrity.models import Officer
from integrity.queries import roles_of, scope_for, visible_departments, visible_institutions, with_counts
from risks.models import MonthlyCheck


def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Each role's workbench: the cards shown follow the roles the user holds."""
    user = request.user
    scope = scope_for(user)
    context: dict = {"scope": scope, "roles": roles_of(user), **_own_status(user)}
    if scope.department_ids:
        context["departments"] = (
            visible_departments(user)
            .filter(pk__in=scope.department_ids)
            .annotate(member_count=Count("officers", filter=Q(officers__is_active=True)))
        )
    if scope.overseen_paths or scope.is_superuser:
        context["institutions"] = with_counts(visible_institutions(user))
    return render(request, "desk/home.html", context)


def _own_status(user: Officer) -> dict:
    """The officer's light with its reasons, and this month's check: what the officer's home shows first."""
    today = timezone.localdate()
    return {
        "light": Light.objects.filter(officer=user).first(),
        "this_month": MonthlyCheck.objects.filter(officer=user, period=today.replace(day=1)).first(),
        "today": today,
    }


def help_page(request: AuthenticatedHttpRequest, slug: str = "") -> HttpResponse:
    """A page of the user guide (使用指南), with the list of every role's page beside it."""
    path = guide.page_path(slug)
    if path is None:
        raise Http404
    title, body = guide.render(path)
    return render(request, "desk/help.html", {"title": title, "body": body, "slug": slug, "pages": guide.pages()})


def help_image(request: AuthenticatedHttpRequest, name: str) -> FileResponse:
    path = guide.image_path(name)
    if path is None:
        raise Http404
    return FileResponse(path.open("rb"), content_type="image/png")
