"""Documents the cases app prints: the supervision notice (督办通知书) as a one-page PDF in the official layout."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from cases.models import SupervisionNotice


def notice_pdf(notice: SupervisionNotice) -> bytes:
    """The notice as the issuing body sends it: its name in red over a red rule, the number, the addressee, the body,
    the copy line, the issuing body and the date."""
    from weasyprint import HTML  # loaded on first print: the web process does not pay for it at start

    html = render_to_string(
        "cases/notice_pdf.html",
        {"notice": notice, "issued_on": timezone.localtime(notice.issued_at).date()},
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
