"""Archive pages, printing, the verify page and batch printing."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from archives import actions
from archives.choices import ArchiveKind
from archives.forms import BatchForm, PeriodForm, VerifyForm
from archives.models import PrintJob
from archives.queries import archive_officers, build, can_print
from integrity.queries import visible_departments


def _period(request: HttpRequest) -> tuple[datetime.date, datetime.date, PeriodForm]:
    form = PeriodForm(request.GET or None)
    today = timezone.localdate()
    start, end = today.replace(month=1, day=1), today
    if form.is_valid():
        start, end = form.cleaned_data["start"] or start, form.cleaned_data["end"] or end
    return start, end, form


def archive(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    if kind not in ArchiveKind.values:
        raise Http404
    officer = get_object_or_404(archive_officers(request.user), pk=pk)
    start, end, form = _period(request)
    built = build(kind, officer, start, end)
    return render(
        request,
        "archives/archive.html",
        {
            "archive": built,
            "body": actions.archive_body(built),
            "form": form,
            "kind": ArchiveKind(kind),
            "can_print": can_print(request.user),
        },
    )


def print_one(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """Print an archive as PDF (leaders and discipline staff); the print is logged and numbered."""
    if kind not in ArchiveKind.values or not can_print(request.user):
        raise Http404
    officer = get_object_or_404(archive_officers(request.user), pk=pk)
    start, end, _form = _period(request)
    document, pdf = actions.print_archive(officer, kind, start, end, acting_user=request.user)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{document.number}.pdf"'
    return response


def verify(request: HttpRequest) -> HttpResponse:
    """Check a printed copy: its number says who printed whose archive when, and whether the records still match."""
    form = VerifyForm(request.GET or None)
    context: dict = {"form": form}
    if form.is_valid():
        document, matches = actions.verify(form.cleaned_data["number"])
        context.update(searched=True, document=document, matches=matches)
    return render(request, "archives/verify.html", context)


def batch(request: HttpRequest) -> HttpResponse:
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


def print_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(PrintJob.objects.filter(requested_by=request.user), pk=pk)
    template = "archives/print_job.html#progress" if request.htmx else "archives/print_job.html"
    return render(request, template, {"job": job})


def download(request: HttpRequest, pk: int) -> FileResponse:
    job = get_object_or_404(PrintJob.objects.filter(requested_by=request.user, merged__gt=""), pk=pk)
    return FileResponse(
        open(Path(settings.MEDIA_ROOT) / job.merged, "rb"), as_attachment=True, filename=f"archives-{job.pk}.pdf"
    )
