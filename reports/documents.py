"""A report as a PDF for the leaders' meeting: every table with its two-level header, A4 landscape."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string

from reports.report import Report


def report_pdf(report: Report) -> bytes:
    from weasyprint import HTML  # loaded on first print: the web process does not pay for it at start

    html = render_to_string("reports/report_pdf.html", {"report": report})
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
