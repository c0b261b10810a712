"""The inspection report (督察报告) as a PDF: the inspecting body's name in red over a red rule, the plan, the
checklist's figures, every finding with its owner and rectification, the conclusion, the date."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone

from inspections.choices import ItemResult
from inspections.models import Inspection


def report_pdf(inspection: Inspection) -> bytes:
    from weasyprint import HTML  # loaded on first print: the web process does not pay for it at start

    counts = inspection.items.aggregate(
        total=Count("pk"),
        clear=Count("pk", filter=Q(result=ItemResult.CLEAR)),
        found=Count("pk", filter=Q(result=ItemResult.FINDING)),
        pending=Count("pk", filter=Q(result=ItemResult.PENDING)),
    )
    printed_on = timezone.localdate(inspection.reported_at) if inspection.reported_at else timezone.localdate()
    html = render_to_string(
        "inspections/report_pdf.html",
        {
            "inspection": inspection,
            "departments": inspection.departments.select_related("institution"),
            "team": inspection.team.all(),
            "counts": counts,
            "findings": inspection.findings.select_related("department", "institution", "officer", "owner"),
            "printed_on": printed_on,
        },
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
