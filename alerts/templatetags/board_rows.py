"""The warning board's rows: counts by body, and the oldest open supervision notices.

A province's board lists 121 bodies, and every poll after a change draws them again. Through the template engine's
loop (ten variables and three conditions a row) they took a third of such a poll; written out here, with the one
text that is not the product's (a body's name) escaped, they take a fraction of that."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from alerts.board import Row
from cases.models import SupervisionNotice
from cases.templatetags.notice_status import notice_status

register = template.Library()


@register.simple_tag
def institution_rows(rows: list[Row], board_url: str, lights_url: str) -> SafeString:
    """A row per body: its name leads to its departments; its yellow and red counts to those lights."""
    board, lights = escape(board_url), escape(lights_url)

    def of(pk: int | None, colour: str, n: int) -> str:
        return f'<a href="{lights}?institution={pk}&amp;colour={colour}">{n}</a>' if n else "0"

    return mark_safe(  # every value is a number or escaped above
        "".join(
            f'<tr><td><a href="{board}?institution={row.pk}" data-drill="{row.pk}">{escape(row.name)}</a></td>'
            f'<td class="text-end">{row.green}</td><td class="text-end">{of(row.pk, "yellow", row.yellow)}</td>'
            f'<td class="text-end">{of(row.pk, "red", row.red)}</td></tr>'
            for row in rows
        )
    )


@register.simple_tag
def notice_rows(notices: Iterable[SupervisionNotice]) -> SafeString:
    """A row per open supervision notice, the ten oldest the board shows on every request: its number leads to it,
    then its title, whom it is addressed to, the day it was issued (in the viewer's time zone) and where it stands.
    Through the template engine (a link, four values, a date and the status a row) they were a fifth of the board's
    request; here every text that is not the product's is escaped."""
    return mark_safe(  # every value is escaped or the product's own
        "".join(
            f'<tr><td class="text-nowrap"><a href="{escape(notice.get_absolute_url())}">{escape(notice.number)}</a>'
            f"</td><td>{escape(notice.title)}</td><td>{escape(_addressee(notice))}</td>"
            f"<td>{timezone.localtime(notice.issued_at):%Y-%m-%d}</td><td>{notice_status(notice)}</td></tr>"
            for notice in notices
        )
    )


def _addressee(notice: SupervisionNotice) -> str:
    return (notice.addressed_to.full_name if notice.addressed_to else "") or "—"
