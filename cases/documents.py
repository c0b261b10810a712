"""Documents the cases app prints: the supervision notice (督办通知书) as a one-page PDF in the official layout, and
the supervision card (廉政监督卡) a party of a case is handed, on A5."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from cases.models import CasePolicy, SupervisionCard, SupervisionNotice


def notice_pdf(notice: SupervisionNotice) -> bytes:
    """The notice as the issuing body sends it: its name in red over a red rule, the number, the addressee, the body,
    the copy line, the issuing body and the date."""
    from weasyprint import HTML  # loaded on first print: the web process does not pay for it at start

    html = render_to_string(
        "cases/notice_pdf.html",
        {"notice": notice, "issued_on": timezone.localtime(notice.issued_at).date()},
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def card_pdf(card: SupervisionCard, policy: CasePolicy) -> bytes:
    """The card as the party is handed it: the institution, the card's number, the case, the handlers, the rules they
    keep and where to report (the institution's own words, or the product's), and the party's name."""
    from weasyprint import HTML

    handlers = card.case.case_handlers.select_related("officer__department").order_by("-is_lead", "officer__full_name")
    html = render_to_string("cases/card_pdf.html", {"card": card, "handlers": handlers, "policy": policy})
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
