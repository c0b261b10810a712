"""Risks pages of the catalog: power items, risk points, the risk matrix and the policy. Thin: records come
through the scoped queries, changes go through the actions (the personal tables and checks are in
``risks.table_views``)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import django_tables2 as tables
from django.contrib import messages
from django.db.models import Count, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from integrity.history import labelled
from integrity.http import AuthenticatedHttpRequest
from integrity.lists import ScopedListView
from integrity.models import Institution, Officer
from integrity.queries import (
    manageable_departments,
    manageable_institutions,
    manageable_posts,
    scope_for,
    visible_departments,
)
from integrity.views import act, submit
from risks import actions
from risks.choices import Grade, RiskStatus
from risks.filtersets import PowerItemFilterSet, RiskPointFilterSet
from risks.forms import (
    MoveForm,
    PolicyForm,
    PowerItemForm,
    RiskPointForm,
)
from risks.models import PowerItem, RiskPoint
from risks.queries import (
    approvable_risk_points,
    editable_power_items,
    editable_risk_points,
    policy_for,
    visible_power_items,
    visible_risk_points,
)
from risks.rules import responsible_role

# --- power catalog -----------------------------------------------------------------------------------------


class PowerItemListView(ScopedListView):
    template_name = "risks/risk_point_list.html"
    title = gettext_lazy("Power catalog")
    export_name = "power-catalog"
    filterset_class = PowerItemFilterSet

    def get_table_class(self) -> type[tables.Table]:
        from risks.tables import PowerItemTable

        return PowerItemTable

    def scoped_queryset(self, user: Officer) -> QuerySet:
        return visible_power_items(user).annotate(
            step_count=Count("steps", distinct=True), risk_count=Count("risk_points", distinct=True)
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        scope = scope_for(self.request.user)
        if scope.is_administrator or scope.headed_department_ids:
            context["add_url"] = reverse("risks:power_item_create")
        return context


def power_item_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(visible_power_items(request.user), pk=pk)
    steps = list(item.steps.all())
    risk_points = visible_risk_points(request.user).filter(power_item=item).order_by("flow_step__order", "-grade")
    worst: dict[int, str] = {}
    counts: dict[int, int] = defaultdict(int)
    for rp in risk_points:
        if rp.flow_step_id:
            counts[rp.flow_step_id] += 1
            if rp.flow_step_id not in worst or Grade(rp.grade).rank > Grade(worst[rp.flow_step_id]).rank:
                worst[rp.flow_step_id] = rp.grade
    return render(
        request,
        "risks/power_item_detail.html",
        {
            "item": item,
            "steps": steps,
            "risk_points": risk_points,
            "worst": worst,
            "counts": dict(counts),
            "can_edit": editable_power_items(request.user).filter(pk=item.pk).exists(),
        },
    )


def _power_item_form(request: AuthenticatedHttpRequest, item: PowerItem | None = None) -> HttpResponse:
    scope = scope_for(request.user)
    departments = manageable_departments(request.user) | visible_departments(request.user).filter(
        pk__in=scope.headed_department_ids
    )
    form = PowerItemForm(request.POST or None, instance=item, departments=departments.distinct())

    def save(data: dict) -> PowerItem:
        fields = {k: data[k] for k in form.Meta.fields if k != "department"}
        saved = actions.save_power_item(
            item, department=data["department"], data=fields, reason=data["reason"], acting_user=request.user
        )
        actions.save_flow_steps(saved, data["steps"], acting_user=request.user)
        return saved

    return submit(
        request, form, save, done=_("The power item has been saved."), template="risks/form.html",
        context={"title": item or _("New power item"), "cancel": item},
    )  # fmt: skip


def power_item_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not (scope.is_administrator or scope.headed_department_ids):
        raise Http404
    return _power_item_form(request)


def power_item_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _power_item_form(request, get_object_or_404(editable_power_items(request.user), pk=pk))


# --- risk points ---------------------------------------------------------------------------------------------


class RiskPointListView(ScopedListView):
    template_name = "risks/risk_point_list.html"
    title = gettext_lazy("Risk points")
    export_name = "risk-points"
    filterset_class = RiskPointFilterSet

    def get_table_class(self) -> type[tables.Table]:
        from risks.tables import RiskPointTable

        return RiskPointTable

    def scoped_queryset(self, user: Officer) -> QuerySet:
        return visible_risk_points(user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        scope = scope_for(self.request.user)
        if scope.is_administrator or scope.headed_department_ids:
            context["add_url"] = reverse("risks:risk_point_create")
        return context


class PublishedRiskPointListView(RiskPointListView):
    """公示 — the published risk points of a department, for everyone in the institution to see."""

    title = gettext_lazy("Published risk points (公示)")
    export_name = "published-risk-points"

    def scoped_queryset(self, user: Officer) -> QuerySet:
        return visible_risk_points(user).filter(status=RiskStatus.PUBLISHED)


def responsible_officers(risk_point: RiskPoint) -> QuerySet[Officer]:
    """Who answers for this risk point: by its grade, the principal leader, the deputy in charge of its
    department, or its department head."""
    role = responsible_role(risk_point.grade)
    officers = Officer.objects.filter(
        role_assignments__role=role, role_assignments__institution_id=risk_point.institution_id
    )
    if risk_point.department_id and role != "principal_leader":
        officers = officers.filter(role_assignments__departments=risk_point.department_id)
    return officers.distinct()


def risk_point_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    risk_point = get_object_or_404(visible_risk_points(request.user).select_related("flow_step"), pk=pk)
    history = risk_point.history.select_related("history_user").order_by("-history_date")
    changes = []
    records = list(history)
    for newer, older in zip(records, [*records[1:], None], strict=True):
        delta = newer.diff_against(older).changes if older is not None else []
        changes.append({"record": newer, "changes": labelled(RiskPoint, delta)})
    allowed = {
        "submit": editable_risk_points(request.user).filter(pk=pk).exists(),
        "approve": approvable_risk_points(request.user).filter(pk=pk).exists(),
    }
    return render(
        request,
        "risks/risk_point_detail.html",
        {
            "risk_point": risk_point,
            "responsible_role": responsible_role(risk_point.grade),
            "responsible": responsible_officers(risk_point),
            "changes": changes,
            "can_edit": allowed["submit"],
            "can_submit": allowed["submit"] and risk_point.status == RiskStatus.DRAFT,
            "can_approve": allowed["approve"] and risk_point.status == RiskStatus.SUBMITTED,
            "can_publish": allowed["approve"] and risk_point.status == RiskStatus.APPROVED,
            "move_form": MoveForm(),
            "reviews": (reviews := list(risk_point.reviews.select_related("owner", "reviewed_by").order_by("-year"))),
            "my_review": next((r for r in reviews if r.owner_id == request.user.pk and not r.reviewed_at), None),
        },
    )


def _risk_point_form(request: AuthenticatedHttpRequest, risk_point: RiskPoint | None = None) -> HttpResponse:
    user = request.user
    scope = scope_for(user)
    departments = (
        manageable_departments(user) | visible_departments(user).filter(pk__in=scope.headed_department_ids)
    ).distinct()
    posts = (
        manageable_posts(user) | manageable_posts(user).model.objects.filter(department__in=departments)
    ).distinct()
    form = RiskPointForm(
        request.POST or None,
        instance=risk_point,
        departments=departments,
        posts=posts,
        power_items=(
            editable_power_items(user) | visible_power_items(user).filter(department__in=departments)
        ).distinct(),
    )

    def save(data: dict) -> RiskPoint:
        institution = risk_point.institution if risk_point else _institution_of(data, user)
        fields = {k: data[k] for k in form.Meta.fields}
        return actions.save_risk_point(
            risk_point, institution=institution, data=fields, reason=data["reason"], acting_user=user
        )

    return submit(
        request, form, save, done=_("The risk point has been saved."), template="risks/form.html",
        context={"title": risk_point or _("New risk point"), "cancel": risk_point},
    )  # fmt: skip


def _institution_of(data: dict, user: Officer) -> Institution:
    if data.get("post"):
        return data["post"].department.institution
    if data.get("department"):
        return data["department"].institution
    institution = manageable_institutions(user).filter(pk=user.home.pk).first()
    if institution is None:
        raise Http404
    return institution


def risk_point_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not (scope.is_administrator or scope.headed_department_ids):
        raise Http404
    return _risk_point_form(request)


def risk_point_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _risk_point_form(request, get_object_or_404(editable_risk_points(request.user), pk=pk))


@require_POST
def risk_point_move(request: AuthenticatedHttpRequest, pk: int, step: str) -> HttpResponse:
    if step == "submit":
        allowed = editable_risk_points(request.user)
    elif step in ("approve", "publish", "return"):
        allowed = approvable_risk_points(request.user)
    else:
        raise Http404
    risk_point = get_object_or_404(allowed, pk=pk)
    return act(
        request, risk_point,
        lambda data: actions.move_risk_point(risk_point, step, reason=data["reason"], acting_user=request.user),
        done=lambda _moved: _("The risk point is now %(status)s.") % {"status": risk_point.get_status_display()},
        form=MoveForm(request.POST),
    )  # fmt: skip


def risk_matrix(request: AuthenticatedHttpRequest) -> HttpResponse:
    """5×5: likelihood × impact, with how many (scored) risk points fall in each cell."""
    filterset = RiskPointFilterSet(request.GET or None, queryset=visible_risk_points(request.user), request=request)
    counts = {
        (row["likelihood"], row["impact"]): row["n"]
        for row in filterset.qs.filter(likelihood__isnull=False)
        .order_by()
        .values("likelihood", "impact")
        .annotate(n=Count("id"))
    }
    policy = policy_for(request.user.institution) if request.user.institution else None
    from risks.rules import grade_for

    rows = [
        {
            "likelihood": likelihood,
            "cells": [
                {
                    "impact": impact,
                    "count": counts.get((likelihood, impact), 0),
                    "grade": grade_for(likelihood, impact, policy) if policy else None,
                }
                for impact in range(1, 6)
            ],
        }
        for likelihood in range(5, 0, -1)
    ]
    unscored = filterset.qs.filter(likelihood__isnull=True).count()
    return render(
        request, "risks/matrix.html", {"rows": rows, "filter": filterset, "unscored": unscored, "impacts": range(1, 6)}
    )


def policy_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The grading rule and check deadlines everyone works by; administrators change them here."""
    institution = request.user.institution
    if institution is None:
        raise Http404
    policy = policy_for(institution)
    can_edit = manageable_institutions(request.user).filter(pk=institution.pk).exists()
    form = PolicyForm(request.POST or None, instance=policy) if can_edit else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            actions.update_risk_policy(institution, acting_user=request.user, **form.cleaned_data)
            messages.success(request, _("The policy has been saved; risk points were re-graded."))
            return redirect("risks:policy")
    return render(request, "risks/policy.html", {"policy": policy, "form": form})
