"""Alerts pages: the warning board and its live fragment, lights, warnings, clues, notifications."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django import forms
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Max, Q, QuerySet, Subquery, Sum
from django.db.models.functions import TruncMonth
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from alerts import actions, clues
from alerts import board as board_counts
from alerts.choices import ClueStatus, WarningStatus
from alerts.filtersets import ClueFilterSet, LightFilterSet, WarningFilterSet
from alerts.forms import (
    AbnormalReportForm,
    ApproveForm,
    AssignForm,
    CaseLinkForm,
    ClueForm,
    ConcludeForm,
    DisposalDecisionForm,
    ProposeForm,
    ReasonForm,
    ResultForm,
    StepForm,
    clue_label,
)
from alerts.models import Clue, IntegrityWarning, Notification, RectificationAction
from alerts.queries import (
    WARNABLE_CLUE,
    approvable_warnings,
    board_feed,
    board_lights,
    may_decide_clue,
    sees_board,
    visible_clues,
    visible_snapshots,
    visible_warnings,
)
from alerts.tables import ClueTable, LightTable, WarningTable
from cases.models import SupervisionNotice
from integrity import audit
from integrity.choices import AuditEventKind, Role
from integrity.http import AuthenticatedHttpRequest, officer_of
from integrity.lists import ScopedListView
from integrity.models import Institution, Officer
from integrity.queries import officer_search_q, scope_for, visible_departments, visible_officers
from integrity.replica import reads_from_replica
from integrity.views import PICKER_OPTIONS, act, submit


@reads_from_replica
def board(request: AuthenticatedHttpRequest) -> HttpResponse:
    """预警看板: counts by colour, by body (and by department within one body), the rolling feed, the trend. It polls
    itself; a poll that already shows the current counts gets an empty answer (and nothing is redrawn)."""
    if not sees_board(request.user):
        raise Http404
    generation = board_counts.generation_for(request.user)
    if request.htmx and request.GET.get("seen") == generation:
        return HttpResponse(status=204)  # what the board shows is still the current generation: nothing read
    institution = _board_institution(request, board_counts.bodies_for(request.user, generation))
    feed = board_feed(request.user)
    if institution is not None:
        feed = feed.filter(institution=institution)
    context: dict[str, Any] = {
        "generation": generation,
        # What the counts and the feed show changes only with the lights: drawn once per generation and viewer.
        "fragment": board_counts.fragment_key(request.user, generation, institution),
        "institution": institution,
        **board_counts.drawn(request.user, institution.pk if institution else None, generation),
        "feed": feed[:15],  # read only when the fragment is not in the cache
        "now": timezone.now(),
    }
    if request.htmx:
        return render(request, "alerts/board.html#live", context)
    context["trend"] = board_counts.trend_for(request.user, lambda: _trend(request.user))
    context["open_notice_count"], oldest = board_counts.open_notices(request.user)
    # The ids were read for this viewer and scope (the cache keys them by both): their rows need no scope again.
    rows = SupervisionNotice.objects.filter(pk__in=oldest).select_related("addressed_to", "institution")
    # What the rows show (``board_rows.notice_rows``), not every column of the notice, its body and its addressee.
    shown = ("title", "year", "serial", "issued_at", "acknowledged_at", "answered_at", "closed_at",
             "institution__short_name", "institution__name", "addressed_to__full_name")  # fmt: skip
    context["open_notices"] = list(rows.only(*shown).order_by("issued_at", "pk"))
    return render(request, "alerts/board.html", context)


def _board_institution(request: AuthenticatedHttpRequest, bodies: list[int]) -> Institution | None:
    """The body the board is drilled into: the one asked for (among those the viewer's lights are in), or the only
    one there is. Bodies first, then one body's departments: a province's 1,200 departments are never one page."""
    asked = request.GET.get("institution")
    if asked:
        if not asked.isdigit() or int(asked) not in bodies:
            raise Http404
        return get_object_or_404(Institution, pk=int(asked))
    if len(bodies) == 1:
        return get_object_or_404(Institution, pk=bodies[0])
    return None


def _trend(user: Officer) -> list[dict]:
    """The last 12 months: for each, the counts of the month's last snapshot, summed over the bodies seen.

    A full light run writes every body's snapshot on the same day, so each month's last day of snapshots is read
    (twelve days, a row each) rather than a year of every body's (44,000 rows in a province)."""
    today = timezone.localdate()
    start = (today.replace(day=1) - datetime.timedelta(days=335)).replace(day=1)
    # From the primary: what is cached must not be a lagging replica's (``integrity.replica``).
    snapshots = visible_snapshots(user).using(DEFAULT_DB_ALIAS).filter(day__gte=start).order_by()
    last_days = snapshots.annotate(month=TruncMonth("day")).values("month").annotate(last=Max("day")).values("last")
    trend = [
        {"month": f"{row['day']:%Y-%m}", "green": row["green"], "yellow": row["yellow"], "red": row["red"],
         "total": (row["green"] + row["yellow"] + row["red"]) or 1}
        for row in snapshots.filter(day__in=Subquery(last_days))
        .values("day")
        .annotate(green=Sum("green"), yellow=Sum("yellow"), red=Sum("red"))
        .order_by("day")
    ]  # fmt: skip
    peak = max((t["total"] for t in trend), default=1)
    for n, t in enumerate(trend):
        t["x"] = 40 + n * 52
        scale = 160 / peak
        t["h_red"], t["h_yellow"], t["h_green"] = (round(t[c] * scale) for c in ("red", "yellow", "green"))
        t["y_red"] = 180 - t["h_red"]
        t["y_yellow"] = t["y_red"] - t["h_yellow"]
        t["y_green"] = t["y_yellow"] - t["h_green"]
    return trend


class LightListView(ScopedListView):
    """Drill-down: every officer the user may see with their light and reasons, filtered by department and colour."""

    title = gettext_lazy("Lights")
    export_name = "lights"
    table_class = LightTable
    filterset_class = LightFilterSet

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not sees_board(officer_of(request)):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def scoped_queryset(self, user: Officer) -> QuerySet:
        return board_lights(user)


# --- warnings ------------------------------------------------------------------------------------------------


class WarningListView(ScopedListView):
    title = gettext_lazy("Integrity warnings")
    export_name = "warnings"
    table_class = WarningTable
    filterset_class = WarningFilterSet

    def scoped_queryset(self, user: Officer) -> QuerySet:
        return visible_warnings(user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if scope_for(self.request.user).has_role(Role.DISCIPLINE):
            from django.urls import reverse

            context["add_url"] = reverse("alerts:warning_propose")
        return context


def warning_propose(request: AuthenticatedHttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not scope.has_role(Role.DISCIPLINE):
        raise Http404
    form = ProposeForm(
        request.POST or None,
        officers=visible_officers(request.user).exclude(pk=request.user.pk),
        departments=visible_departments(request.user),
        clues=visible_clues(request.user),
        initial={"clue": request.GET.get("clue"), "officer": request.GET.get("officer")},
    )

    def propose(data: dict) -> IntegrityWarning:
        about = data["officer"] or data["department"]
        return actions.propose_warning(
            institution=about.institution if about else request.user.home, acting_user=request.user,
            **{key: data[key] for key in ("level", "target", "officer", "department", "facts", "source", "clue")},
        )  # fmt: skip

    return submit(
        request, form, propose, done=_("The warning has been proposed for approval."), template="risks/form.html",
        context={"title": _("Propose an integrity warning")},
    )  # fmt: skip


@require_GET
def clue_options(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The warning form's clue search (``alerts.forms.CluePicker``): a few clues the user sees that may lead to a
    warning, found by the officer they concern or their source, the latest concluded first."""
    if not scope_for(request.user).has_role(Role.DISCIPLINE):
        raise Http404
    q = request.GET.get("q", "").strip()
    found = Clue.objects.none()
    if q:
        matches = officer_search_q(q, "subject") | Q(source__icontains=q)
        found = visible_clues(request.user).filter(WARNABLE_CLUE, matches).order_by("-concluded_on", "-pk")
        found = found[:PICKER_OPTIONS]
    choices = [(c.pk, clue_label(c), False) for c in found]
    return render(request, "integrity/picker_options.html", {"choices": choices, "q": q, "none": _("No such clue")})


def warning_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    warning = get_object_or_404(visible_warnings(request.user), pk=pk)
    approver = approvable_warnings(request.user).filter(pk=pk).exists()
    may_raise = actions.may_raise(request.user, warning)
    scope = scope_for(request.user)
    return render(
        request,
        "alerts/warning_detail.html",
        {
            "warning": warning,
            "actions": warning.actions.select_related("responsible", "result_by"),
            "approve_form": ApproveForm(level=warning.level) if approver else None,
            "raise_form": ReasonForm() if may_raise and warning.status == WarningStatus.RECTIFYING else None,
            "can_record": scope.has_role(Role.DISCIPLINE)
            or request.user.pk in {a.responsible_id for a in warning.actions.all()},
            "result_form": ResultForm(),
            "history": warning.history.select_related("history_user").order_by("history_date"),
        },
    )


@require_POST
def warning_approve(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    warning = get_object_or_404(approvable_warnings(request.user), pk=pk)
    form = ApproveForm(request.POST, level=warning.level)

    def decide(data: dict) -> None:
        if data["decision"] == "reject":
            actions.reject_warning(warning, reason=data["reason"], acting_user=request.user)
        else:
            actions.approve_warning(warning, actions=form.action_data(), acting_user=request.user)

    return act(request, warning, decide, done=_("Your decision has been recorded."), form=form)


@require_POST
def action_result(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(RectificationAction.objects.filter(warning__in=visible_warnings(request.user)), pk=pk)
    if not (scope_for(request.user).has_role(Role.DISCIPLINE) or action.responsible_id == request.user.pk):
        raise Http404
    return act(
        request, action.warning,
        lambda data: actions.record_result(action, result=data["result"], acting_user=request.user),
        done=_("The result has been recorded."), form=ResultForm(request.POST),
    )  # fmt: skip


@require_POST
def warning_raise(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    warning = get_object_or_404(visible_warnings(request.user), pk=pk)
    if not actions.may_raise(request.user, warning):
        raise Http404
    return act(
        request, warning,
        lambda data: actions.raise_warning(warning, reason=request.POST.get("reason", ""), acting_user=request.user),
        done=_("The warning has been raised one level and awaits approval."), follow=True,
    )  # fmt: skip


# --- clues ---------------------------------------------------------------------------------------------------


class ClueListView(ScopedListView):
    title = gettext_lazy("Petitions and clues")
    export_name = "clues"
    table_class = ClueTable
    filterset_class = ClueFilterSet

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not scope_for(officer_of(request)).watches_institution and not request.user.is_superuser:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def scoped_queryset(self, user: Officer) -> QuerySet:
        return visible_clues(user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if scope_for(self.request.user).has_role(Role.DISCIPLINE):
            from django.urls import reverse

            context["add_url"] = reverse("alerts:clue_register")
        return context


def clue_register(request: AuthenticatedHttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not scope.has_role(Role.DISCIPLINE):
        raise Http404
    form = ClueForm(request.POST or None, officers=visible_officers(request.user))

    def register(data: dict) -> Clue:
        institution = data["subject"].institution if data["subject"] else request.user.home
        return clues.register_clue(institution=institution, acting_user=request.user, **data)

    return submit(
        request, form, register, done=_("The clue has been registered."), template="risks/form.html",
        context={"title": _("Register a petition or clue")},
    )  # fmt: skip


def abnormal_report(request: AuthenticatedHttpRequest) -> HttpResponse:
    """An officer reports an abnormal situation to the discipline staff, and sees what became of their reports."""
    return submit(
        request, AbnormalReportForm(request.POST or None),
        lambda data: clues.report_abnormal(acting_user=request.user, **data),
        done=_("Your report has gone to the discipline staff."), to="alerts:abnormal_report",
        template="alerts/abnormal_report.html",
        context={"reports": request.user.abnormal_reports.order_by("-registered_at")[:50]},
    )  # fmt: skip


def clue_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    clue = get_object_or_404(visible_clues(request.user), pk=pk)
    audit.record(AuditEventKind.VIEWED, request=request, target=f"clue:{clue.pk}")
    discipline = scope_for(request.user).has_role(Role.DISCIPLINE)
    return render(
        request,
        "alerts/clue_detail.html",
        {
            "clue": clue,
            "steps": clue.steps.select_related("by"),
            "clarification": getattr(clue, "clarification", None) if clue.outcome == "untrue" else None,
            "assign_form": AssignForm(officers=_discipline_staff(request.user))
            if clue.status == ClueStatus.REGISTERED and may_decide_clue(request.user, clue)
            else None,
            "decision_form": DisposalDecisionForm()
            if clue.status == ClueStatus.PROPOSED and clue.owner_id == request.user.pk
            else None,
            "cases": clue.cases.select_related("department", "stage"),
            "case_form": CaseLinkForm() if discipline else None,
            "step_form": StepForm() if discipline and clue.status == "verifying" else None,
            "conclude_form": ConcludeForm() if discipline and clue.status == "verifying" else None,
            "may_propose": discipline and clue.may_lead_to_a_warning,
        },
    )


def _discipline_staff(user: Officer) -> QuerySet[Officer]:
    return visible_officers(user).filter(role_assignments__role=Role.DISCIPLINE).distinct()


@require_POST
def clue_action(request: AuthenticatedHttpRequest, pk: int, step: str) -> HttpResponse:
    clue = get_object_or_404(visible_clues(request.user), pk=pk)
    if not scope_for(request.user).has_role(Role.DISCIPLINE):
        raise Http404
    form, run = _clue_step(request, clue, step)
    return act(request, clue, run, done=None, form=form)


def _clue_step(
    request: AuthenticatedHttpRequest, clue: Clue, step: str
) -> tuple[forms.Form | None, Callable[[dict], object]]:
    """The form a step of a clue's handling sends, if any, and the action it runs."""
    user = request.user
    if step == "assign":
        if not may_decide_clue(user, clue):
            raise Http404
        return AssignForm(request.POST, officers=_discipline_staff(user)), lambda data: clues.assign_verifier(
            clue, data["verifier"], method=data["method"], acting_user=user
        )
    if step in ("approve", "return"):
        return DisposalDecisionForm(request.POST), lambda data: clues.decide_disposal(
            clue, approve=step == "approve", reason=data["reason"], acting_user=user
        )
    if step == "link":
        return None, lambda data: clues.link_case(clue, request.POST.get("number", ""), acting_user=user)
    if step == "step":
        return None, lambda data: clues.add_step(clue, text=request.POST.get("text", ""), acting_user=user)
    if step == "conclude":
        return ConcludeForm(request.POST), lambda data: clues.conclude_clue(clue, acting_user=user, **data)
    raise Http404


# --- notifications -------------------------------------------------------------------------------------------


def notifications(request: AuthenticatedHttpRequest) -> HttpResponse:
    mine = Notification.objects.filter(recipient=request.user)[:100]
    response = render(request, "alerts/notifications.html", {"notifications": mine})
    Notification.objects.filter(recipient=request.user, read_at__isnull=True).update(read_at=timezone.now())
    return response
