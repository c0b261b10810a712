"""Bulk onboarding pages: the system administrator's import of a staff list and its template, and the security
administrator's decisions on the roles it asked for."""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from integrity import onboarding
from integrity.actions import remember_headers
from integrity.choices import RequestStatus, StaffImportStatus
from integrity.exports import XLSX
from integrity.forms import DecisionForm, OnboardingForm, StaffMappingForm
from integrity.models import StaffImport
from integrity.queries import manageable_institutions, scope_for, upload_header
from integrity.spreadsheets import Mapping, UnreadableFile, read_rows

EXAMPLE = ["", "公诉处", "检察官", "王小明", "wangxm", "JZ0101", "13800000000", "wangxm@example.cn", "", ""]


def officer_import(request: HttpRequest) -> HttpResponse:
    """Upload a staff list: its header is read and its columns proposed; the mapping, the check of every row and
    the import follow on the upload's page. The initial password is hashed at once."""
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
            staff_import = onboarding.upload(
                institution, upload.name, content, sheet=sheet, header=header,
                initial_password=form.cleaned_data["password1"], acting_user=request.user,
            )  # fmt: skip
            return redirect(staff_import)
    return render(request, "integrity/officer_import.html", {"form": form, "columns": onboarding.COLUMNS})


def officer_import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Map the staff list's columns, see what it would do — accounts opened and changed, departments and posts
    added, roles requested — or each row's errors, then import it all or nothing."""
    imports = StaffImport.objects.filter(institution__in=manageable_institutions(request.user))
    staff_import = get_object_or_404(imports.select_related("institution"), pk=pk)
    if staff_import.status == StaffImportStatus.IMPORTED:
        return render(request, "integrity/officer_import_detail.html", {"staff_import": staff_import})
    form = StaffMappingForm(
        request.POST or None, columns=onboarding.COLUMNS, header=staff_import.header, mapping=staff_import.mapping()
    )
    if request.method == "POST" and form.is_valid():
        mapping = Mapping(columns=form.column_map(), constants=form.constants(), defaults=form.defaults())
        onboarding.save_mapping(staff_import, mapping)
        if form.cleaned_data["remember_headers"]:
            remember_headers(onboarding.KIND, staff_import.institution, form.chosen_headers(), acting_user=request.user)
        if "import" in request.POST:
            counts = onboarding.import_upload(staff_import, acting_user=request.user)
            if counts is not None:
                messages.success(
                    request,
                    _(
                        "Imported: %(created)d accounts opened, %(changed)d changed, %(departments)d departments and "
                        "%(posts)d posts added, %(requested)d roles requested of the security administrator."
                    )
                    % counts,
                )
                return redirect("integrity:officer_list")
            messages.error(request, _("Nothing was written: correct these rows and upload the file again."))
        return redirect(staff_import)
    try:
        rows = read_rows(bytes(staff_import.content), staff_import.filename, staff_import.sheet)
    except UnreadableFile as error:
        messages.error(request, str(error))
        return redirect("integrity:officer_import")
    result = onboarding.plan(
        rows, acting_user=request.user, default_institution=staff_import.institution, mapping=staff_import.mapping()
    )
    context = {"staff_import": staff_import, "form": form, "result": result, "rows": len(rows) - 1}
    return render(request, "integrity/officer_import_detail.html", context)


def onboarding_template(request: HttpRequest) -> HttpResponse:
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


def role_requests(request: HttpRequest) -> HttpResponse:
    """The roles asked for officers, for the security administrator to grant or decline."""
    if not scope_for(request.user).is_security_administrator:
        raise Http404
    return render(
        request,
        "integrity/role_requests.html",
        {"requests": onboarding.decidable_requests(request.user), "form": DecisionForm()},
    )


@require_POST
def role_request_decide(request: HttpRequest, pk: int) -> HttpResponse:
    role_request = get_object_or_404(onboarding.decidable_requests(request.user), pk=pk)
    form = DecisionForm(request.POST)
    form.is_valid()
    try:
        onboarding.decide_request(
            role_request, grant="grant" in request.POST, comment=form.cleaned_data.get("comment", ""),
            acting_user=request.user,
        )  # fmt: skip
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        granted = role_request.status == RequestStatus.GRANTED
        messages.success(request, _("Role granted.") if granted else _("Role declined."))
    return redirect("integrity:role_requests")
