"""The warning board's rows of counts by body.

A province's board lists 121 bodies, and every poll after a change draws them again. Through the template engine's
loop (ten variables and three conditions a row) they took a third of such a poll; written out here, with the one
text that is not the product's (a body's name) escaped, they take a fraction of that."""

from __future__ import annotations

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from alerts.board import Row

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
