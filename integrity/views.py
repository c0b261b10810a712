"""Organisation and people pages. Thin: fetch through the scoped queries, write through the actions."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.forms import BaseForm, BaseFormSet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from integrity import actions, audit, identity, obligations, pages
from integrity.celeryconf import app as celery_app
from integrity.choices import Role
from integrity.filtersets import AuditEventFilterSet, InstitutionFilterSet, OfficerFilterSet
from integrity.forms import AssignPostForm, DepartureForm, PasswordChangeForm, department_label, officer_label
from integrity.http import AuthenticatedHttpRequest, an_id
from integrity.lists import ScopedListView
from integrity.middleware import MUST_CHANGE
from integrity.models import Department, Institution, Officer
from integrity.queries import (
    directory_officers,
    manageable_officers,
    manageable_posts,
    officer_search_q,
    post_history,
    roles_of,
    scope_for,
    visible_audit_events,
    visible_departments,
    visible_institutions,
    visible_officers,
    with_counts,
)
from integrity.tables import AuditEventTable, InstitutionTable, OfficerTable, PostHistoryTable

if TYPE_CHECKING:
    from django.shortcuts import SupportsGetAbsoluteUrl


def show_errors(request: AuthenticatedHttpRequest, error: ValidationError) -> None:
    """Tell the user every reason an action refused, one message each."""
    for message in error.messages:
        messages.error(request, message)


def act(
    request: AuthenticatedHttpRequest,
    record: SupportsGetAbsoluteUrl | str,
    action: Callable[[dict], Any],
    *,
    done: str | Callable[[Any], str] | None,
    form: forms.Form | None = None,
    also: Sequence[forms.Form | BaseFormSet] = (),
    follow: bool = False,
) -> HttpResponse:
    """A POST action on a record already fetched through the scope (and its permission checked): the form sent,
    if any, is checked (with the forms and formsets it comes with, ``also``, which the action reads itself); the
    action runs with its cleaned data; a refusal is told reason by reason, success with ``done`` (a text, or made
    from what the action returned); either way back to the record's page — or, with ``follow``, on success to what
    the action returned (a warning raised a level is a new warning). An action that finds the user may not do it
    is a page not found, as for a record out of scope."""
    sent = [f for f in (form, *also) if f is not None]
    if not all([f.is_valid() for f in sent]):  # a list: every form checked, so every error is told
        show_form_errors(request, *sent)
        return redirect(record)
    try:
        result = action(form.cleaned_data if form is not None else {})
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        show_errors(request, error)
        return redirect(record)
    if done:
        messages.success(request, done(result) if callable(done) else done)
    return redirect(result if follow else record)


def submit(
    request: AuthenticatedHttpRequest,
    form: forms.BaseForm,
    action: Callable[[dict], Any],
    *,
    done: str | Callable[[Any], str | None],
    template: str,
    context: dict | None = None,
    to: Any = None,
) -> HttpResponse:
    """A page whose form runs an action (the pages that create or record something): shown on GET; on POST the
    form is checked and the action runs with its cleaned data. A refusal goes on the form, reason by reason, and the
    page is shown again with the same context; success is told with ``done`` (a text, or made from what the action
    returned) and goes to ``to`` (a URL or URL name, or made from what the action returned), else to what the
    action returned. An action that finds the user may not do it is a page not found."""
    if request.method == "POST" and form.is_valid():
        try:
            result = action(form.cleaned_data)
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            form.add_error(None, error)
        else:
            text = done(result) if callable(done) else done
            if text:  # a ``done`` made from the result may have told the user itself, another way
                messages.success(request, text)
            return redirect(to(result) if callable(to) else to or result)
    return render(request, template, {"form": form, **(context or {})})


def job_progress(request: AuthenticatedHttpRequest, fragment: str, context: dict, *, running: bool) -> HttpResponse:
    """The progress of a job, the fragment its page polls while it runs (``template.html#progress``); once the job
    is done the page is loaded again whole, to show what it found."""
    response = render(request, fragment, context)
    if not running:
        response["HX-Refresh"] = "true"
    return response


def show_form_errors(request: AuthenticatedHttpRequest, *forms: BaseForm | BaseFormSet) -> None:
    """Tell the user why a form sent from another page was refused, field by field (the page is shown again by a
    redirect, so the form's own error list would be lost). Takes forms and formsets."""
    for form in forms:
        for each in getattr(form, "forms", [form]):
            for field, errors in each.errors.items():
                label = each.fields[field].label if field in each.fields else None
                for error in errors:
                    text = _("%(field)s: %(error)s") % {"field": label, "error": error} if label else error
                    messages.error(request, text)
        if isinstance(form, BaseFormSet):
            for error in form.non_form_errors():
                messages.error(request, str(error))


TODOS_SHOWN = 20  # of each kind on "my to-dos"; the kind's own page lists them all
TODOS_PER_PAGE = 50


def todos(request: AuthenticatedHttpRequest) -> HttpResponse:
    """我的待办: everything this user must act on, grouped by kind, soonest first (``integrity.obligations``)."""
    # The soonest of each kind, with how many there are and a link to them all: a province's discipline staff may
    # have thousands waiting.
    context = {"groups": obligations.to_dos(request.user, limit=TODOS_SHOWN), "today": timezone.localdate()}
    return render(request, "integrity/todos.html", context)


def todos_of_kind(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """Every open item of one kind this user must act on, soonest first, a page at a time."""
    kind = obligations.kind_of(code)
    if kind is None:
        raise Http404
    records = kind.queryset(request.user)
    if not records.ordered:
        records = records.order_by("pk")  # pages of a stable order: none lost or shown twice between them
    page = Paginator(records, TODOS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"kind": kind, "page": page, "items": kind.described(page.object_list), "today": timezone.localdate()}
    return render(request, "integrity/todos_of_kind.html", context)


PICKER_OPTIONS = 20  # what one search of a picker offers: enough to pick from, never a province


@require_GET
def officer_options(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The officer picker's search (``integrity.forms.OfficerPicker``): a few serving officers the user sees whose
    name, username or staff number matches, as the options of its select."""
    q = request.GET.get("q", "").strip()
    found = Officer.objects.none()
    if q:
        found = (
            visible_officers(request.user)
            .filter(is_active=True)
            .filter(officer_search_q(q))
            .select_related("institution")
            .order_by("full_name", "pk")[:PICKER_OPTIONS]
        )
    choices = [(o.pk, officer_label(o), False) for o in found]
    return render(request, "integrity/picker_options.html", {"choices": choices, "q": q, "none": _("Nobody found")})


@require_GET
def department_options(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The department picker's search (``integrity.forms.DepartmentPicker``): a few active departments the user sees
    whose name, or whose body's name, holds what was typed. A picker of several names its select in ``keep``: the
    departments chosen there come back first, still chosen."""
    q = request.GET.get("q", "").strip()
    departments = visible_departments(request.user)
    keep = request.GET.get("keep")
    kept = [an_id(value) for value in request.GET.getlist(keep)] if keep else []
    chosen = list(departments.filter(pk__in=kept).order_by("institution__path", "order", "pk"))
    found = Department.objects.none()
    if q:
        found = (
            departments.filter(is_active=True)
            .filter(Q(name__icontains=q) | Q(institution__name__icontains=q) | Q(institution__short_name__icontains=q))
            .exclude(pk__in=[d.pk for d in chosen])
            .order_by("institution__path", "order", "pk")[:PICKER_OPTIONS]
        )
    choices = [(d.pk, department_label(d), True) for d in chosen] + [(d.pk, department_label(d), False) for d in found]
    context = {"choices": choices, "q": q, "none": _("No such department"), "several": bool(keep)}
    return render(request, "integrity/picker_options.html", context)


@require_GET
def todo_count(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The number beside "My to-dos" in the navigation bar, fetched after the page (htmx) so pages stay cheap."""
    n = obligations.count(request.user)
    if not n:
        return HttpResponse("")
    return HttpResponse(format_html('<span class="badge text-bg-danger" data-count="{}">{}</span>', n, n))


@require_GET
def keepalive(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The "stay signed in" button: a user request like any other, which is all the idle timeout needs."""
    return JsonResponse({"signed_in": True})


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change one's password; an officer held here after a reset or on expiry is let go once it is changed."""

    form_class = PasswordChangeForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["must_change"] = self.request.session.get(MUST_CHANGE)
        return context

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        self.request.session.pop(MUST_CHANGE, None)
        return response


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs) | {"identity_platform": identity.configured()}


def my_profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    return redirect("integrity:officer_detail", pk=request.user.pk)


class OfficerListView(ScopedListView):
    title = gettext_lazy("Officers")
    export_name = "officers"
    table_class = OfficerTable
    filterset_class = OfficerFilterSet

    def scoped_queryset(self, user: Officer) -> QuerySet[Officer]:
        return directory_officers(user)


def officer_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The officer's page: who they are, their posts and roles; for those who may read their records, the apps'
    parts too (archives, the bar). An administrator sees the first and manages the account, never the records."""
    officer = get_object_or_404(directory_officers(request.user), pk=pk)
    can_manage = manageable_officers(request.user).filter(pk=officer.pk).exists()
    sees_records = visible_officers(request.user).filter(pk=officer.pk).exists()
    context = {
        **(pages.officer_context(request.user, officer) if sees_records else {}),
        "sees_records": sees_records,
        "officer": officer,
        "history_table": PostHistoryTable(post_history(officer)),
        "roles": roles_of(officer),
        "assign_form": (AssignPostForm(officer=officer, posts=manageable_posts(request.user)) if can_manage else None),
        # Nobody records their own departure (``record_departure``): the form is not offered on one's own page.
        "departure_form": (
            DepartureForm(officer=officer, prefix="leave")
            if can_manage and officer.is_active and officer.pk != request.user.pk
            else None
        ),
    }
    return render(request, "integrity/officer_detail.html", context)


@require_POST
def officer_assign_post(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    officer = get_object_or_404(manageable_officers(request.user), pk=pk)
    return act(
        request, officer,
        lambda data: actions.assign_post(
            officer, data["post"], started_on=data["started_on"], note=data["note"], acting_user=request.user
        ),
        done=_("The post change has been recorded."),
        form=AssignPostForm(request.POST, officer=officer, posts=manageable_posts(request.user)),
    )  # fmt: skip


@require_POST
def officer_leave(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """An administrator records that the officer has left; their open work is handed over in the same step."""
    officer = get_object_or_404(manageable_officers(request.user), pk=pk)
    return act(
        request, officer, lambda data: actions.record_departure(officer, acting_user=request.user, **data),
        done=_("The departure has been recorded and the open work handed over."),
        form=DepartureForm(request.POST, officer=officer, prefix="leave"),
    )  # fmt: skip


class AuditLogView(ScopedListView):
    """The security audit log, for audit administrators: filter by person, event, day and address; export; and
    check the chain on request (it reads every row)."""

    title = gettext_lazy("Audit log")
    export_name = "audit-log"
    table_class = AuditEventTable
    filterset_class = AuditEventFilterSet
    template_name = "integrity/audit_log.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not (request.user.is_authenticated and scope_for(request.user).has_role(Role.AUDITOR)):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def scoped_queryset(self, user: Officer) -> QuerySet:
        return visible_audit_events(user).select_related("actor")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if self.request.GET.get("verify"):
            context["checked"], context["broken"] = audit.verify_chain()
            context["verified"] = True
        return context


class InstitutionListView(ScopedListView):
    title = gettext_lazy("Institutions")
    export_name = "institutions"
    table_class = InstitutionTable
    filterset_class = InstitutionFilterSet

    def scoped_queryset(self, user: Officer) -> QuerySet[Institution]:
        return with_counts(visible_institutions(user))


def institution_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """An institution with its departments and, rolled up, the bodies below it that the user may see."""
    institution = get_object_or_404(visible_institutions(request.user).select_related("parent"), pk=pk)
    departments = (
        visible_departments(request.user)
        .filter(institution=institution)
        .annotate(member_count=Count("officers", filter=Q(officers__is_active=True)))
    )
    children = with_counts(visible_institutions(request.user).filter(parent=institution))
    return render(
        request,
        "integrity/institution_detail.html",
        {"institution": institution, "departments": departments, "children": children},
    )


def department_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    department = get_object_or_404(visible_departments(request.user), pk=pk)
    members = visible_officers(request.user).filter(department=department)
    table = OfficerTable(members, exclude=("institution", "department"), request=request)
    table.paginate(page=request.GET.get("page", 1), per_page=50)
    return render(request, "integrity/department_detail.html", {"department": department, "table": table})


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database and the broker answer, 503 otherwise; for load balancers and compose."""
    status = {"database": "ok", "broker": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:  # any failure means "not healthy"; the reason is reported
        status["database"] = f"error: {error.__class__.__name__}"
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as error:
        status["broker"] = f"error: {error.__class__.__name__}"
    healthy = all(value == "ok" for value in status.values())
    return JsonResponse(status, status=200 if healthy else 503)
