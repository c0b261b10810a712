"""Archive pages, printing, the verify page and batch printing, records and personal matters reports."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path

from django import forms
from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from archives import actions, documents
from archives import quarters as quarterly
from archives.choices import ArchiveKind, ReportStatus
from archives.forms import (
    AdjustForm,
    BarOverrideForm,
    BatchForm,
    MatterForm,
    MatterReviewForm,
    PeriodForm,
    RecordForm,
    TalkForm,
    VerifyForm,
)
from archives.models import BarOverride, MattersReport, PrintedDocument, PrintJob, QuarterlyAssessment, TalkDue
from archives.queries import archive_officers, build, can_print, reviewable_matters, talk_coverage
from integrity import audit
from integrity.choices import AuditEventKind, Role
from integrity.http import AuthenticatedHttpRequest
from integrity.models import Officer
from integrity.queries import scope_for, visible_departments
from integrity.views import act, submit


def officer_page(viewer: Officer, officer: Officer) -> dict:
    """The archives' part of the officer page: a bar from promotion after a 不良 grade, and whether the viewer may
    add a talk or a record to the officer's archive."""
    barred_until = actions.barred_on(officer, timezone.localdate())
    overrides = list(
        BarOverride.objects.filter(officer=officer).select_related("granted_by", "used_for__post", "used_for_record")[
            :5
        ]
    )
    waiting = any(not o.used for o in overrides)
    may_override = barred_until is not None and not waiting and actions.may_override_bar(viewer, officer)
    return {
        "barred_until": barred_until,
        "bar_overrides": overrides,
        "bar_override_form": BarOverrideForm(prefix="override") if may_override else None,
        "can_record": actions.may_record_for(viewer, officer),
    }


@require_POST
def override_bar(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A principal leader lets one promotion of a barred officer go ahead, with the reason."""
    officer = get_object_or_404(archive_officers(request.user), pk=pk)
    if not actions.may_override_bar(request.user, officer):
        raise Http404
    return act(
        request, officer, form=BarOverrideForm(request.POST, prefix="override"),
        done=_("The override has been recorded: the next promotion may go ahead."),
        action=lambda data: actions.override_bar(officer, reason=data["reason"], acting_user=request.user),
    )  # fmt: skip


def _period(request: AuthenticatedHttpRequest) -> tuple[datetime.date, datetime.date, PeriodForm]:
    form = PeriodForm((request.POST if request.method == "POST" else request.GET) or None)
    today = timezone.localdate()
    start, end = today.replace(month=1, day=1), today
    if form.is_valid():
        start, end = form.cleaned_data["start"] or start, form.cleaned_data["end"] or end
    return start, end, form


def archive(request: AuthenticatedHttpRequest, pk: int, kind: str) -> HttpResponse:
    if kind not in ArchiveKind.values:
        raise Http404
    officer = get_object_or_404(archive_officers(request.user), pk=pk)
    start, end, form = _period(request)
    built = build(kind, officer, start, end)
    if officer.pk != request.user.pk:
        audit.record(
            AuditEventKind.VIEWED, request=request, target=f"archive:{kind}:{officer.pk}",
            start=start.isoformat(), end=end.isoformat(),
        )  # fmt: skip
    return render(
        request,
        "archives/archive.html",
        {
            "archive": built,
            "body": documents.archive_body(built),
            "form": form,
            "kind": ArchiveKind(kind),
            "can_print": can_print(request.user),
        },
    )


@require_POST
def print_one(request: AuthenticatedHttpRequest, pk: int, kind: str) -> HttpResponse:
    """Print an archive as PDF (leaders and discipline staff); the print is logged and numbered. A POST: a link
    preview or a crawler following a link must not create a numbered document."""
    if kind not in ArchiveKind.values or not can_print(request.user):
        raise Http404
    officer = get_object_or_404(archive_officers(request.user), pk=pk)
    start, end, _form = _period(request)
    document, pdf = documents.print_archive(officer, kind, start, end, acting_user=request.user)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{document.number}.pdf"'
    return response


def verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Check a printed copy: whether the number was printed and the records still match it. Whose archive it is and
    who printed it are shown only to someone who may read that archive."""
    form = VerifyForm(request.GET or None)
    context: dict = {"form": form}
    if form.is_valid():
        found = documents.verify(form.cleaned_data["number"])
        document = found.document
        reveals = document is not None and archive_officers(request.user).filter(pk=document.officer_id).exists()
        context.update(searched=True, found=found, document=document, reveals=reveals)
    return render(request, "archives/verify.html", context)


def printed(request: AuthenticatedHttpRequest, number: str) -> FileResponse:
    """A printed archive's file, again: to whoever printed it, and to those who may print that officer's archive."""
    document = get_object_or_404(PrintedDocument.objects.exclude(file=""), number=number)
    allowed = document.printed_by_id == request.user.pk or (
        can_print(request.user) and archive_officers(request.user).filter(pk=document.officer_id).exists()
    )
    path = Path(settings.MEDIA_ROOT) / document.file
    if not allowed or not path.is_file():
        raise Http404
    audit.record(AuditEventKind.VIEWED, request=request, target=f"printed:{document.number}")
    return FileResponse(open(path, "rb"), as_attachment=True, filename=f"{document.number}.pdf")


def batch(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_print(request.user):
        raise Http404
    form = BatchForm(request.POST or None, departments=visible_departments(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        officers = archive_officers(request.user).filter(department=data["department"], is_active=True)
        job = PrintJob.objects.create(
            requested_by=request.user,
            department=data["department"],
            kind=data["kind"],
            start=data["start"],
            end=data["end"],
            officer_ids=list(officers.values_list("pk", flat=True)),
        )
        from archives.tasks import print_batch_task

        print_batch_task.delay(job.pk)
        return redirect(job)
    return render(request, "risks/form.html", {"form": form, "title": _("Print a department's archives")})


def print_job(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(PrintJob.objects.filter(requested_by=request.user), pk=pk)
    template = "archives/print_job.html#progress" if request.htmx else "archives/print_job.html"
    return render(request, template, {"job": job})


def download(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    job = get_object_or_404(PrintJob.objects.filter(requested_by=request.user, merged__gt=""), pk=pk)
    return FileResponse(
        open(Path(settings.MEDIA_ROOT) / job.merged, "rb"), as_attachment=True, filename=f"archives-{job.pk}.pdf"
    )


def records(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Discipline staff and the department head enter talks and records about an officer; nothing is deleted."""
    officer = get_object_or_404(archive_officers(request.user), pk=pk)
    if not actions.may_record_for(request.user, officer):
        raise Http404
    talk_form = TalkForm(
        request.POST if "talk" in request.POST else None, prefix="talk", initial={"held_by": request.user.full_name}
    )
    record_form = RecordForm(request.POST if "record" in request.POST else None, prefix="record")
    here = reverse("archives:records", args=[pk])
    if request.method == "POST" and ("amend_talk" in request.POST or "amend_record" in request.POST):
        talk = get_object_or_404(officer.talks, pk=request.POST["amend_talk"]) if "amend_talk" in request.POST else None
        record = None
        if "amend_record" in request.POST:
            record = get_object_or_404(officer.archive_records, pk=request.POST["amend_record"])
        return act(
            request, here,
            lambda _data: actions.amend_record(
                talk=talk, record=record, text=request.POST.get("text", ""), acting_user=request.user
            ),
            done=_("The correction has been added; the original stays as entered."),
        )  # fmt: skip
    form: forms.Form
    add: Callable[..., object]
    if "talk" in request.POST:
        form, add, done = talk_form, actions.add_talk, _("The talk has been recorded.")
    else:
        form, add, done = record_form, actions.add_record, _("The record has been added.")
    context = {
        "officer": officer,
        "talk_form": talk_form,
        "record_form": record_form,
        "talks": officer.talks.prefetch_related("amendments")[:50],
        "owed": officer.talks_due.filter(talk__isnull=True, closed_at__isnull=True).order_by("due_on"),
        "records": officer.archive_records.prefetch_related("amendments")[:50],
    }
    return submit(
        request, form, lambda data: add(officer, acting_user=request.user, **data), done=done, to=here,
        template="archives/records.html", context=context,
    )  # fmt: skip


def matters(request: AuthenticatedHttpRequest) -> HttpResponse:
    """My personal matters reports, and for discipline staff the reports awaiting review."""
    pending = None
    if scope_for(request.user).has_role(Role.DISCIPLINE):
        pending = reviewable_matters(request.user).order_by("submitted_at", "pk")[:100]  # what is theirs to review
    elif can_print(request.user):
        pending = (
            MattersReport.objects.filter(officer__in=archive_officers(request.user), status=ReportStatus.SUBMITTED)
            .exclude(officer=request.user)
            .select_related("officer")[:100]
        )
    context = {
        "mine": MattersReport.objects.filter(officer=request.user),
        "pending": pending,
        "review_form": MatterReviewForm(),
    }
    return submit(
        request, MatterForm(request.POST or None),
        lambda data: actions.report_matter(request.user, acting_user=request.user, **data),
        done=_("Your report has been submitted."), to="archives:matters", template="archives/matters.html",
        context=context,
    )  # fmt: skip


@require_POST
def matter_review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    if not can_print(request.user):
        raise Http404
    report = get_object_or_404(
        MattersReport.objects.filter(officer__in=archive_officers(request.user)).exclude(officer=request.user), pk=pk
    )
    return act(
        request, "archives:matters",
        lambda data: actions.review_matter(
            report, accept=data["decision"] == "accept", comment=data["comment"], acting_user=request.user
        ),
        done=_("Your decision has been recorded."), form=MatterReviewForm(request.POST),
    )  # fmt: skip


def quarters(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Quarterly assessments: the grades of a quarter, with department and institution summaries."""
    from django.db.models import Count

    from archives.rules import quarter_start
    from integrity.queries import scope_for

    scope = scope_for(request.user)
    if not scope.watches_officers:
        raise Http404
    assessments = QuarterlyAssessment.objects.filter(officer__in=archive_officers(request.user)).exclude(
        officer=request.user
    )
    available = sorted(set(assessments.values_list("quarter", flat=True)), reverse=True)
    try:
        quarter = datetime.date.fromisoformat(request.GET["quarter"])
    except (KeyError, ValueError):
        quarter = available[0] if available else quarter_start(timezone.localdate())
    rows = assessments.filter(quarter=quarter).select_related("officer__department", "officer__institution")
    summary: dict = {}
    for row in (
        rows.order_by()
        .values("officer__institution__name", "officer__department__name", "grade")
        .annotate(n=Count("id"))
    ):
        key = (row["officer__institution__name"], row["officer__department__name"] or "—")
        summary.setdefault(key, {})[row["grade"] or "open"] = row["n"]
    totals: dict = {}
    for row in rows.order_by().values("officer__institution__name", "grade").annotate(n=Count("id")):
        totals.setdefault(row["officer__institution__name"], {})[row["grade"] or "open"] = row["n"]
    return render(
        request,
        "archives/quarters.html",
        {
            "quarter": quarter,
            "available": available,
            "rows": rows.order_by("officer__department__name", "officer__username"),
            "summary": sorted(summary.items()),
            "totals": sorted(totals.items()),
            "can_grade": scope.has_role("discipline") or scope.is_superuser,
        },
    )


def talk_round(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The year's talk round (四级谈话): coverage of the one-to-one talks by department, and the talks still owed
    with who owes them."""
    scope = scope_for(request.user)
    if not scope.watches_officers:
        raise Http404
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    officers = archive_officers(request.user)
    open_talks = (
        TalkDue.objects.filter(officer__in=officers, talk__isnull=True, closed_at__isnull=True, due_on__lt=today)
        .select_related("officer__department", "officer__reviewer")
        .order_by("due_on", "pk")
    )
    return render(
        request,
        "archives/talk_round.html",
        {
            "year": year,
            "years": range(today.year, today.year - 5, -1),
            "rows": talk_coverage(officers, year, today),
            "overdue": open_talks[:100],
        },
    )


def quarter_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One officer's quarter: what was measured, the adjustments with reasons, and grading (discipline staff)."""
    from integrity.queries import scope_for

    scope = scope_for(request.user)
    assessment = get_object_or_404(
        QuarterlyAssessment.objects.filter(officer__in=archive_officers(request.user)).select_related(
            "officer__institution"
        ),
        pk=pk,
    )
    can_grade = (scope.has_role("discipline") or scope.is_superuser) and assessment.officer_id != request.user.pk
    if request.method == "POST":
        if not can_grade:
            raise Http404
        here = reverse("archives:quarter_detail", args=[pk])
        if "grade" in request.POST:
            return act(
                request, here, lambda _data: quarterly.grade_quarter(assessment, acting_user=request.user),
                done=_("The quarter has been graded."),
            )  # fmt: skip
        return act(
            request, here, lambda data: quarterly.adjust(assessment, acting_user=request.user, **data),
            done=_("The adjustment has been recorded."), form=AdjustForm(request.POST),
        )  # fmt: skip
    from archives.quarters import measure
    from archives.rules import quarter_end

    measured = (
        assessment.measured
        or measure([assessment.officer_id], assessment.quarter, quarter_end(assessment.quarter), timezone.localdate())[
            assessment.officer_id
        ]
    )
    return render(
        request,
        "archives/quarter_detail.html",
        {
            "assessment": assessment,
            "measured": measured,
            "adjustments": assessment.adjustments.select_related("by"),
            "form": AdjustForm() if can_grade and not assessment.grade else None,
            "can_grade": can_grade and not assessment.grade,
        },
    )
