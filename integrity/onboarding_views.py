"""Bulk onboarding pages: the system administrator's import of a staff list and its template, and the security
administrator's decisions on the roles it asked for."""

from __future__ import annotations

import io

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from integrity import onboarding, staff_imports
from integrity.actions import remember_headers
from integrity.exports import XLSX
from integrity.forms import DecisionForm, OnboardingForm, StaffMappingForm
from integrity.http import AuthenticatedHttpRequest
from integrity.models import StaffImport
from integrity.queries import manageable_institutions, scope_for, upload_header
from integrity.role_requests import decidable_requests, decide_request
from integrity.spreadsheets import Mapping, UnreadableFile
from integrity.tasks import check_staff_list_task
from integrity.views import act, job_progress

FORGOTTEN = gettext_lazy(
    "This list waited over a day and its initial password was forgotten: upload it again with a new one."
)
EXAMPLE = ["", "公诉处", "检察官", "王小明", "wangxm", "JZ0101", "13800000000", "wangxm@example.cn", "", ""]


def officer_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Upload a staff list: its header is read and its columns proposed; a job checks every row while the upload's
    page shows the mapping, and the import follows from there. The initial password is hashed at once."""
    if not scope_for(request.user).is_administrator:
        raise Http404
    institutions = manageable_institutions(request.user)
    form = OnboardingForm(request.POST or None, request.FILES or None, institutions=institutions)
    if request.method == "POST" and form.is_valid():
        upload, institution = form.cleaned_data["file"], form.cleaned_data["institution"]
        content = upload.read()
        try:
            sheet, header = upload_header(
                onboarding.KIND, institution, content, upload.name, form.cleaned_data["sheet"]
            )
        except UnreadableFile as error:
            form.add_error("file", str(error))
        else:
            staff_import = staff_imports.upload(
                institution, upload.name, content, sheet=sheet, header=header,
                initial_password=form.cleaned_data["password1"], acting_user=request.user,
            )  # fmt: skip
            transaction.on_commit(lambda: check_staff_list_task.delay(staff_import.pk))
            return redirect(staff_import)
    return render(request, "integrity/officer_import.html", {"form": form, "columns": onboarding.COLUMNS})


def officer_import_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Map the staff list's columns; a job checks what it would do — accounts opened and changed, departments and
    posts added, roles requested — or finds each row's errors, and imports it all or nothing, while the page shows
    its progress."""
    imports = StaffImport.objects.filter(institution__in=manageable_institutions(request.user))
    staff_import = get_object_or_404(imports.select_related("institution"), pk=pk)
    form = None
    if staff_import.mappable:
        form = StaffMappingForm(
            request.POST or None, columns=onboarding.COLUMNS, header=staff_import.header,
            mapping=staff_import.mapping(),
        )  # fmt: skip
    if request.method == "POST" and form is None:
        messages.error(request, _("This file is already being checked or was imported."))
        return redirect(staff_import)
    if request.method == "POST" and form is not None and form.is_valid():
        commit = "import" in request.POST
        mapping = Mapping(columns=form.column_map(), constants=form.constants(), defaults=form.defaults())
        if commit and not staff_import.password:
            messages.error(request, FORGOTTEN)
        elif staff_imports.queue(staff_import, mapping, commit=commit, acting_user=request.user):
            if form.cleaned_data["remember_headers"]:
                headers = form.chosen_headers()
                remember_headers(onboarding.KIND, staff_import.institution, headers, acting_user=request.user)
            transaction.on_commit(lambda: check_staff_list_task.delay(staff_import.pk))
        else:
            messages.error(request, _("This file is already being checked or was imported."))
        return redirect(staff_import)
    if request.htmx and request.method == "GET":
        fragment = "integrity/officer_import_detail.html#progress"
        return job_progress(request, fragment, {"staff_import": staff_import}, running=staff_import.busy)
    context = {"staff_import": staff_import, "form": form, "preview": staff_import.preview}
    status = 400 if request.method == "POST" else 200
    return render(request, "integrity/officer_import_detail.html", context, status=status)


def onboarding_template(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The staff list template: the columns the import reads, and an example row."""
    if not scope_for(request.user).is_administrator:
        raise Http404
    book = Workbook()
    sheet = book.active
    sheet.title = "人员"
    sheet.append([c.label + ("*" if c.required else "") for c in onboarding.COLUMNS])
    sheet.append(EXAMPLE)
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="onboarding-template.xlsx"'
    return response


def role_requests(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The roles asked for officers, for the security administrator to grant or decline."""
    if not scope_for(request.user).is_security_administrator:
        raise Http404
    return render(
        request,
        "integrity/role_requests.html",
        {"requests": decidable_requests(request.user), "form": DecisionForm()},
    )


@require_POST
def role_request_decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    role_request = get_object_or_404(decidable_requests(request.user), pk=pk)
    grant = "grant" in request.POST
    return act(
        request, "integrity:role_requests",
        lambda data: decide_request(
            role_request, grant=grant, comment=data["comment"], acting_user=request.user
        ),
        done=_("Role granted.") if grant else _("Role declined."), form=DecisionForm(request.POST),
    )  # fmt: skip
