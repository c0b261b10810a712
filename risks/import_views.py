"""Importing the catalog — power items and risk points — from the template or an institution's own table: the
upload, the mapping step with its preview, the import (both jobs), and the rows with errors as a file."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from integrity.actions import remember_headers
from integrity.exports import XLSX, error_file
from integrity.http import AuthenticatedHttpRequest
from integrity.models import Institution, Officer
from integrity.queries import manageable_institutions, upload_header
from integrity.spreadsheets import UnreadableFile, open_sheet
from integrity.views import job_progress
from risks import importing
from risks.choices import ImportKind, ImportStatus
from risks.forms import ImportMappingForm, ImportUploadForm
from risks.importing import COLUMNS, guess_column_map, template_workbook
from risks.models import ImportBatch
from risks.tasks import import_batch_task


def _importer_institutions(user: Officer) -> QuerySet[Institution]:
    return manageable_institutions(user)


def import_start(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Upload a catalog file: its header is read and its columns proposed; a job checks every row for the preview
    (a large table outlasts a request) while the upload's page shows the mapping."""
    institutions = _importer_institutions(request.user)
    if not institutions.exists():
        raise Http404
    form = ImportUploadForm(request.POST or None, request.FILES or None, institutions=institutions)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        kind, institution = form.cleaned_data["kind"], form.cleaned_data["institution"]
        try:
            sheet, header = upload_header(kind, institution, content, upload.name, form.cleaned_data["sheet"])
        except UnreadableFile as error:
            form.add_error("file", str(error))
        else:
            batch = ImportBatch(
                institution=institution, kind=kind, filename=upload.name, content=content, sheet=sheet,
                header=header, created_by=request.user, queued_by=request.user, status=ImportStatus.QUEUED,
            )  # fmt: skip
            # A file with the headers of one imported before takes the mapping given then.
            earlier = ImportBatch.objects.filter(institution=institution, kind=kind, header=header).first()
            if earlier is not None:
                batch.column_map, batch.grade_map = earlier.column_map, earlier.grade_map
                batch.constants, batch.defaults = earlier.constants, earlier.defaults
                batch.create_missing = earlier.create_missing
            else:
                batch.column_map = guess_column_map(kind, header, institution)
            batch.save()
            transaction.on_commit(lambda: import_batch_task.delay(batch.pk))
            return redirect(batch)
    batches = ImportBatch.objects.filter(institution__in=institutions).select_related("institution", "created_by")[:20]
    return render(request, "risks/import_start.html", {"form": form, "batches": batches, "kinds": ImportKind})


def import_template(request: AuthenticatedHttpRequest, kind: str) -> HttpResponse:
    if kind not in ImportKind.values or not _importer_institutions(request.user).exists():
        raise Http404
    response = HttpResponse(template_workbook(kind), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{kind}-template.xlsx"'
    return response


def _import_batch(request: AuthenticatedHttpRequest, pk: int) -> ImportBatch:
    return get_object_or_404(ImportBatch.objects.filter(institution__in=_importer_institutions(request.user)), pk=pk)


def import_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Map the columns, give constants, defaults and grade words; a job previews what would be written, or imports
    the rows kept — all or nothing — while the page shows its progress."""
    batch = _import_batch(request, pk)
    form = None
    if batch.mappable:
        words = batch.preview.get("grade_words", [])
        form = ImportMappingForm(
            request.POST or None, columns=COLUMNS[batch.kind], header=batch.header, grade_words=words, batch=batch
        )
    if request.method == "POST" and form is None:
        messages.error(request, _("This file is already being checked or was imported."))
        return redirect(batch)
    if request.method == "POST" and form is not None and form.is_valid():
        queued = importing.queue(
            batch, commit="import" in request.POST, acting_user=request.user,
            column_map=form.column_map(), grade_map=form.grade_map(), constants=form.constants(),
            defaults=form.defaults(), create_missing=form.cleaned_data["create_missing"],
            publish=form.cleaned_data.get("publish", False), skip_bad_rows=form.cleaned_data["skip_bad_rows"],
        )  # fmt: skip
        if queued:
            if form.cleaned_data["remember_headers"]:
                remember_headers(batch.kind, batch.institution, form.chosen_headers(), acting_user=request.user)
            transaction.on_commit(lambda: import_batch_task.delay(batch.pk))
        else:
            messages.error(request, _("This file is already being checked or was imported."))
        return redirect(batch)
    if request.htmx and request.method == "GET":
        return job_progress(request, "risks/import_detail.html#progress", {"batch": batch}, running=batch.busy)
    context = {"batch": batch, "form": form, "preview": batch.preview}
    return render(request, "risks/import_detail.html", context, status=400 if request.method == "POST" else 200)


def import_errors(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The rows with errors, as a spreadsheet to fix and import again: the row number, what is wrong, the row."""
    batch = _import_batch(request, pk)
    try:
        sheet = open_sheet(bytes(batch.content), batch.filename, batch.sheet)
    except UnreadableFile:
        raise Http404 from None
    found = batch.result.get("errors") if "errors" in batch.result else batch.preview.get("errors", [])
    return error_file(sheet, {e["row"]: e["errors"] for e in found}, f"import-{batch.pk}-errors.xlsx")
