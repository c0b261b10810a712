"""The statistics report page (统计报表): an institution the user oversees and a period; the tables, the charts, and
the same as an Excel workbook or a PDF. Downloads go to the audit log."""

from __future__ import annotations

from urllib.parse import quote

from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from alerts.queries import oversight_paths
from integrity import audit
from integrity.choices import AuditEventKind
from integrity.http import AuthenticatedHttpRequest
from integrity.models import Institution, Officer
from integrity.queries import paths_q, scope_for
from reports import documents, exports
from reports.forms import ReportForm
from reports.periods import Period
from reports.report import Report, report_for


def reportable_institutions(user: Officer) -> QuerySet[Institution]:
    """The bodies whose report the user may read: those they oversee as a principal leader or discipline staff."""
    if scope_for(user).is_superuser:
        return Institution.objects.all()
    return Institution.objects.filter(paths_q(oversight_paths(user), "path"))


def _report(request: AuthenticatedHttpRequest) -> tuple[ReportForm, Report | None]:
    institutions = reportable_institutions(request.user)
    if not institutions.exists():
        raise Http404
    last = Period.last_ended("month", timezone.localdate())
    own_id = request.user.institution_id
    own = (institutions.filter(pk=own_id).first() if own_id else None) or institutions.order_by("path")[0]
    data = request.GET if "kind" in request.GET else {
        "institution": own.pk, "kind": "month", "year": last.year, "number": last.number
    }  # fmt: skip
    form = ReportForm(data, institutions=institutions)
    if not form.is_valid():
        return form, None
    return form, report_for(form.cleaned_data["institution"], form.cleaned_data["period"])


def report(request: AuthenticatedHttpRequest) -> HttpResponse:
    form, found = _report(request)
    query = request.GET.urlencode() if "kind" in request.GET else ""
    if found is not None and not query:
        p = found.period
        query = f"institution={found.institution.pk}&kind={p.kind}&year={p.year}&number={p.number}"
    words = {
        "green": _("Green"), "yellow": _("Yellow"), "red": _("Red"),
        "likelihood": _("likelihood"), "impact": _("impact"),
    }  # fmt: skip
    return render(request, "reports/report.html", {"form": form, "report": found, "query": query, "chart_words": words})


def download(request: AuthenticatedHttpRequest, export_format: str) -> HttpResponse:
    _form, found = _report(request)
    if found is None:
        raise Http404
    name = f"{found.institution.name}{found.period.label}"
    if export_format == "xlsx":
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        response = HttpResponse(exports.workbook(found), content_type=content_type)
    else:
        response = HttpResponse(documents.report_pdf(found), content_type="application/pdf")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}.{export_format}"
    audit.record(
        AuditEventKind.EXPORTED, request=request, target="report", format=export_format,
        filters={key: value for key, value in request.GET.items()},
    )  # fmt: skip
    return response
