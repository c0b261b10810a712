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
from integrity.choices import RequestStatus
from integrity.exports import XLSX
from integrity.forms import DecisionForm, OnboardingForm
from integrity.queries import manageable_institutions, scope_for
from integrity.spreadsheets import UnreadableFile, read_rows

EXAMPLE = ["", "公诉处", "检察官", "王小明", "wangxm", "JZ0101", "13800000000", "wangxm@example.cn", "", ""]


def officer_import(request: HttpRequest) -> HttpResponse:
    """Import a staff list: every row checked first; with any error nothing is written and the errors are listed
    by line."""
    if not scope_for(request.user).is_administrator:
        raise Http404
    form = OnboardingForm(
        request.POST or None, request.FILES or None, institutions=manageable_institutions(request.user)
    )
    context: dict = {"form": form, "columns": onboarding.COLUMNS}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = read_rows(upload.read(), upload.name)
        except UnreadableFile as error:
            form.add_error("file", str(error))
        else:
            result = onboarding.plan(
                rows, acting_user=request.user, default_institution=form.cleaned_data["institution"]
            )
            if result.ok:
                counts = onboarding.apply(
                    result, initial_password=form.cleaned_data["password1"], acting_user=request.user
                )
                messages.success(
                    request,
                    _(
                        "Imported: %(created)d accounts opened, %(changed)d changed, %(departments)d departments and "
                        "%(posts)d posts added, %(requested)d roles requested of the security administrator."
                    )
                    % counts,
                )
                return redirect("integrity:officer_list")
            context["result"] = result
    return render(request, "integrity/officer_import.html", context)


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
