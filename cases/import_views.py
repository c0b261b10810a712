"""Importing the case-management system's exports: the upload, the mapping step, the preview and the import (both
jobs, their progress on the upload's page), and the rows with errors as a file."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from cases import importing
from cases.forms import CaseImportForm, CaseMappingForm
from cases.models import CaseImport
from cases.queries import case_register_institutions
from cases.tasks import import_file_task
from integrity.actions import remember_headers
from integrity.exports import error_file
from integrity.http import AuthenticatedHttpRequest
from integrity.queries import upload_header
from integrity.spreadsheets import Mapping, UnreadableFile, open_sheet
from integrity.views import job_progress


def case_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Upload an export: its header is read and its columns proposed; the mapping step, the preview and the import
    follow on the upload's page, as jobs (an 80,000-row file outlasts a request)."""
    institutions = case_register_institutions(request.user)
    if not institutions.exists():
        raise Http404
    form = CaseImportForm(request.POST or None, request.FILES or None, institutions=institutions)
    if request.method == "POST" and form.is_valid():
        upload, institution = form.cleaned_data["file"], form.cleaned_data["institution"]
        content = upload.read()
        try:
            sheet, header = upload_header(importing.KIND, institution, content, upload.name, form.cleaned_data["sheet"])
        except UnreadableFile as error:
            form.add_error("file", str(error))
        else:
            job = importing.upload(
                institution, upload.name, content, sheet=sheet, header=header, acting_user=request.user
            )
            return redirect(job)
    jobs = CaseImport.objects.filter(institution__in=institutions).select_related("institution", "imported_by")[:20]
    return render(request, "cases/import.html", {"form": form, "jobs": jobs})


def _case_import(request: AuthenticatedHttpRequest, pk: int) -> CaseImport:
    jobs = CaseImport.objects.filter(institution__in=case_register_institutions(request.user))
    return get_object_or_404(jobs.select_related("institution", "imported_by"), pk=pk)


def case_import_job(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The upload's page: its mapping, then the preview's or the import's progress and outcome (it survives a
    reload); the mapping can be changed and previewed again until the file is imported."""
    job = _case_import(request, pk)
    form = None
    if job.mappable:
        form = CaseMappingForm(request.POST or None, columns=importing.FIELDS, header=job.header, mapping=job.mapping())
    if request.method == "POST":
        if form is None or not form.is_valid():
            return render(request, "cases/import_job.html", {"job": job, "form": form}, status=400)
        mapping = Mapping(columns=form.column_map(), constants=form.constants(), defaults=form.defaults())
        preview = "import" not in request.POST
        if importing.queue(job, mapping, preview=preview, skip_bad_rows=form.cleaned_data["skip_bad_rows"]):
            if form.cleaned_data["remember_headers"]:
                remember_headers(importing.KIND, job.institution, form.chosen_headers(), acting_user=request.user)
            transaction.on_commit(lambda: import_file_task.delay(job.pk))
        else:
            messages.error(request, _("This file is already being checked or was imported."))
        return redirect(job)
    if request.htmx:  # the page shows the mapping form again once the preview is done
        return job_progress(request, "cases/import_job.html#progress", {"job": job}, running=form is None)
    return render(request, "cases/import_job.html", {"job": job, "form": form})


def case_import_errors(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The rows the last preview or import found wrong, as a spreadsheet to fix and upload again."""
    job = _case_import(request, pk)
    try:
        sheet = open_sheet(bytes(job.content), job.filename, job.sheet)
    except UnreadableFile:
        raise Http404 from None
    return error_file(sheet, {e["row"]: e["errors"] for e in job.errors}, f"case-import-{job.pk}-errors.xlsx")
