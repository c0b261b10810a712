"""Where a supervision notice stands, as a badge: on its page, in the list of notices and in the board's rows."""

from __future__ import annotations

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from cases.models import SupervisionNotice

register = template.Library()


def stage(notice: SupervisionNotice) -> tuple[str, str, str]:
    """The furthest step the notice has reached: closed, answered, acknowledged, or not yet acknowledged, as its
    badge's style, its value and its label."""
    if notice.closed_at:
        return "success", "closed", _("Closed")
    if notice.answered_at:
        return "primary", "answered", _("Answered")
    if notice.acknowledged_at:
        return "warning", "acknowledged", _("Acknowledged")
    return "danger", "issued", _("Not yet acknowledged")


@register.simple_tag
def notice_status(notice: SupervisionNotice) -> SafeString:
    """The notice's stage as a badge."""
    style, value, label = stage(notice)
    return mark_safe(f'<span class="badge text-bg-{style}" data-value="{value}">{escape(label)}</span>')
