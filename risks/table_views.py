"""Risks pages of each officer's own records: personal risk tables, monthly checks, the review queue and check
completion. Thin: records come through the scoped queries, changes go through the actions."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import Any

import django_tables2 as tables
from django import forms
from django.contrib import messages
from django.db.models import Count, F, Q, QuerySet
from django.forms import BaseFormSet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from integrity.http import AuthenticatedHttpRequest
from integrity.lists import ScopedListView
from integrity.models import Officer
from integrity.queries import (
    scope_for,
)
from integrity.views import act
from risks import personal
from risks.choices import CheckStatus, ReviewStatus, TableStatus
from risks.filtersets import CheckFilterSet
from risks.forms import (
    AmendmentForm,
    CheckAnswerFormSet,
    CheckRemarkForm,
    PledgeForm,
    ReviewForm,
    RiskItemFormSet,
    RiskTableForm,
)
from risks.models import MonthlyCheck, PersonalRiskTable
from risks.queries import (
    policies_by_institution,
    policy_for,
    reviewable_q,
    visible_checks,
    visible_risk_tables,
)
from risks.rules import check_status

# --- personal risk tables --------------------------------------------------------------------------------------


def my_risk_table(request: AuthenticatedHttpRequest) -> HttpResponse:
    table = PersonalRiskTable.objects.filter(officer=request.user, archived_at__isnull=True).first()
    if table is None:
        messages.info(request, _("You have no risk table yet: it is opened once you hold a post."))
        return redirect("home")
    return redirect(table)


def risk_table_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    table = get_object_or_404(visible_risk_tables(request.user), pk=pk)
    items = list(table.items.select_related("risk_point__category"))
    own = table.officer_id == request.user.pk
    editable = own and table.archived_at is None and table.status in (TableStatus.DUE, TableStatus.RETURNED)
    context = {
        "table": table,
        "items": items,
        "editable": editable,
        "can_review": table.status == TableStatus.SUBMITTED
        and visible_risk_tables(request.user).filter(reviewable_q(request.user), pk=pk).exists(),
        "history": PersonalRiskTable.objects.filter(officer=table.officer).exclude(pk=table.pk),
    }
    if editable:
        initial = [
            {"risk_point_id": i.risk_point_id, "description": i.description, "measures": i.measures} for i in items
        ]
        context["table_form"] = RiskTableForm(initial={"main_duties": table.main_duties})
        context["formset"] = RiskItemFormSet(initial=initial, prefix="items")
        context["pledge_form"] = PledgeForm(initial={"pledge": table.pledge})
    if context["can_review"]:
        context["review_form"] = ReviewForm()
    return render(request, "risks/risk_table_detail.html", context)


@require_POST
def risk_table_save(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    table = get_object_or_404(visible_risk_tables(request.user).filter(officer=request.user), pk=pk)
    formset = RiskItemFormSet(request.POST, prefix="items")

    def save(data: dict) -> None:
        items = [
            personal.ItemData(f["description"], f["measures"], f["risk_point_id"])
            for f in formset.cleaned_data
            if f.get("description")
        ]
        personal.save_risk_table(table, main_duties=data["main_duties"], items=items, acting_user=request.user)

    return act(
        request, table, save, done=_("Your risk table has been saved."), form=RiskTableForm(request.POST),
        also=[formset],
    )  # fmt: skip


@require_POST
def risk_table_submit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    table = get_object_or_404(visible_risk_tables(request.user).filter(officer=request.user), pk=pk)
    return act(
        request, table,
        lambda data: personal.submit_risk_table(
            table, pledge=data["pledge"], signed_on=data["signed_on"], acting_user=request.user
        ),
        done=_("Your pledge is signed and the table sent for approval."), form=PledgeForm(request.POST),
    )  # fmt: skip


@require_POST
def risk_table_review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    table = get_object_or_404(visible_risk_tables(request.user).filter(reviewable_q(request.user)), pk=pk)
    return act(
        request, table, form=ReviewForm(request.POST), done=_("The review has been recorded."),
        action=lambda data: personal.review_risk_table(
            table, approve=data["decision"] == "approve", comment=data["comment"], acting_user=request.user
        ),
    )  # fmt: skip


# --- monthly checks -------------------------------------------------------------------------------------------


def _status_of(checks: Iterable[MonthlyCheck]) -> Callable[[MonthlyCheck], CheckStatus]:
    """A function giving each check its status today, with every institution's policy read once."""
    policies = policies_by_institution({c.officer.institution_id for c in checks})
    now = timezone.now()
    return lambda check: check_status(check, policies[check.officer.institution_id], now)


def my_check(request: AuthenticatedHttpRequest) -> HttpResponse:
    today = timezone.localdate()
    check = MonthlyCheck.objects.filter(officer=request.user, period=today.replace(day=1)).first()
    if check is None:
        messages.info(request, _("This month's check has not been opened for you yet."))
        return redirect("risks:check_list")
    return redirect(check)


class CheckListView(ScopedListView):
    title = gettext_lazy("Monthly checks")
    export_name = "monthly-checks"
    filterset_class = CheckFilterSet

    def get_table_class(self) -> type[tables.Table]:
        from risks.tables import CheckTable

        return CheckTable

    def scoped_queryset(self, user: Officer) -> QuerySet:
        return visible_checks(user)

    def get_table_kwargs(self) -> dict[str, Any]:
        return {"status_of": self._status_of}

    def get_table(self, **kwargs: Any) -> Any:
        """The policies of the bodies on the page shown, not of every check in scope; an export shows every row."""
        table = super().get_table(**kwargs)
        if self.export_trigger_param in self.request.GET:
            shown = set(table.data.data.order_by().values_list("officer__institution_id", flat=True).distinct())
        else:
            shown = {row.record.officer.institution_id for row in table.paginated_rows}  # the rows it renders
        self._policies = policies_by_institution(shown)
        return table

    def _status_of(self, check: MonthlyCheck) -> CheckStatus:
        return check_status(check, self._policies[check.officer.institution_id], timezone.now())


def check_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    check = get_object_or_404(visible_checks(request.user).select_related("table__post"), pk=pk)
    return render(request, "risks/check_detail.html", _check_page(request, check))


def _check_page(
    request: AuthenticatedHttpRequest,
    check: MonthlyCheck,
    *,
    formset: BaseFormSet | None = None,
    remark_form: forms.Form | None = None,
) -> dict:
    """The check page's context, for the page itself and for a filing sent back with its errors."""
    own = check.officer_id == request.user.pk
    today = timezone.localdate()
    context = {
        "check": check,
        "status": check_status(check, policy_for(check.officer.home), timezone.now()),
        "days_left": (check.due_on - today).days,
        "days_overdue": (today - check.due_on).days,
        "answers": check.answers.all(),
        "amendments": check.amendments.select_related("created_by"),
        "can_review": check.is_filed
        and check.review_status == ReviewStatus.PENDING
        and visible_checks(request.user).filter(reviewable_q(request.user), pk=check.pk).exists(),
    }
    if own and not check.is_filed:
        if formset is None:
            items = list(check.table.items.all()) if check.table else []
            initial = [{"item_id": i.pk, "risk": i.description, "problem_found": "0"} for i in items]
            formset = CheckAnswerFormSet(initial=initial, prefix="answers")
        context["formset"] = formset
        context["remark_form"] = remark_form or CheckRemarkForm()
    if own and check.is_filed:
        context["amend_form"] = AmendmentForm()
    if context["can_review"]:
        context["review_form"] = ReviewForm()
    return context


@require_POST
def check_submit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    check = get_object_or_404(visible_checks(request.user).filter(officer=request.user), pk=pk)
    formset = CheckAnswerFormSet(request.POST, prefix="answers")
    remark = CheckRemarkForm(request.POST)
    if not all([formset.is_valid(), remark.is_valid()]):  # shown again with the answers given, each error in place
        messages.error(request, _("The check was not filed: say what was found and what was done for each problem."))
        context = _check_page(request, check, formset=formset, remark_form=remark)
        return render(request, "risks/check_detail.html", context)
    answers = [
        personal.AnswerData(
            item_id=f.get("item_id"),
            risk=f["risk"],
            problem_found=f["problem_found"],
            problem=f.get("problem", ""),
            action_taken=f.get("action_taken", ""),
        )
        for f in formset.cleaned_data
    ]
    return act(
        request, check,
        lambda data: personal.submit_monthly_check(check, answers, remark=data["remark"], acting_user=request.user),
        done=_("Your monthly check has been filed."), form=remark,
    )  # fmt: skip


@require_POST
def check_amend(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    check = get_object_or_404(visible_checks(request.user).filter(officer=request.user), pk=pk)
    return act(
        request, check, form=AmendmentForm(request.POST),
        done=_("Your correction has been added; the original stays as filed."),
        action=lambda data: personal.amend_monthly_check(check, text=data["text"], acting_user=request.user),
    )  # fmt: skip


@require_POST
def check_review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    check = get_object_or_404(visible_checks(request.user).filter(reviewable_q(request.user)), pk=pk)
    return act(
        request, check, form=ReviewForm(request.POST), done=_("The review has been recorded."),
        action=lambda data: personal.review_monthly_check(
            check, approve=data["decision"] == "approve", comment=data["comment"], acting_user=request.user
        ),
    )  # fmt: skip


def review_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A department head's queue: members' tables awaiting approval and filed checks awaiting review."""
    reviewable = reviewable_q(request.user)
    if not scope_for(request.user).may_review:
        raise Http404
    tables = visible_risk_tables(request.user).filter(reviewable, status=TableStatus.SUBMITTED)
    checks = visible_checks(request.user).filter(
        reviewable, submitted_at__isnull=False, review_status=ReviewStatus.PENDING
    )
    today = timezone.localdate()
    members = visible_checks(request.user).filter(reviewable, period=today.replace(day=1))
    status_of = _status_of(list(members))
    from risks.tables import CheckTable, RiskTableTable

    member_tables = visible_risk_tables(request.user).filter(reviewable, archived_at__isnull=True)
    return render(
        request,
        "risks/review_queue.html",
        {
            "member_tables": RiskTableTable(member_tables, orderable=False, exclude=("archived_at",)),
            "tables": RiskTableTable(tables, orderable=False),
            "checks": CheckTable(checks, status_of=_status_of(list(checks)), orderable=False),
            "members": CheckTable(members, status_of=status_of, orderable=False),
        },
    )


def completion(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Completion of the monthly checks per department and month, for leaders and discipline staff."""
    scope = scope_for(request.user)
    if not scope.watches_officers:
        raise Http404
    today = timezone.localdate()
    months = [today.replace(day=1)]
    for _n in range(5):
        months.append((months[-1] - datetime.timedelta(days=1)).replace(day=1))
    rows = (
        visible_checks(request.user)
        .filter(period__in=months)
        .order_by()
        .values("officer__institution__name", "officer__department__name", "officer__department_id", "period")
        .annotate(
            total=Count("id"),
            filed=Count("id", filter=Q(submitted_at__isnull=False)),
            on_time=Count("id", filter=Q(submitted_at__isnull=False, submitted_at__date__lte=F("due_on"))),
        )
    )
    table: dict = {}
    for row in rows:
        key = (row["officer__institution__name"], row["officer__department__name"] or "—")
        table.setdefault(key, {})[row["period"]] = row
    return render(
        request,
        "risks/completion.html",
        {"months": months, "table": sorted(table.items()), "today": today},
    )
