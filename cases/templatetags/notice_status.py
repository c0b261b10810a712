"""Where a supervision notice stands, as a badge: on its page, in the list of notices and in the board's rows."""

from __future__ import annotations

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from cases.models import SupervisionNotice

register = template.Library()


@register.simple_tag
def notice_status(notice: SupervisionNotice) -> SafeString:
    """Closed, answered, acknowledged, or not yet acknowledged: the furthest step the notice has reached."""
    if notice.closed_at:
        style, value, label = "success", "closed", _("Closed")
    elif notice.answered_at:
        style, value, label = "primary", "answered", _("Answered")
    elif notice.acknowledged_at:
        style, value, label = "warning", "acknowledged", _("Acknowledged")
    else:
        style, value, label = "danger", "issued", _("Not yet acknowledged")
    return mark_safe(f'<span class="badge text-bg-{style}" data-value="{value}">{escape(label)}</span>')
