"""Drawing choices that carry a colour: one badge for every grade, status and light in the product."""

from __future__ import annotations

import datetime
from functools import cache
from typing import Any

from django import template
from django.db.models import TextChoices
from django.utils.html import format_html
from django.utils.module_loading import import_string

register = template.Library()


@cache
def _choices(path: str) -> type[TextChoices]:
    return import_string(path)


def render_badge(choices: type[TextChoices], value: Any) -> str:
    if value in (None, ""):
        return "—"
    choice = choices(value)
    colour = getattr(choice, "colour", "secondary")  # the product's choices with a badge each say their colour
    return format_html('<span class="badge text-bg-{}" data-value="{}">{}</span>', colour, choice.value, choice.label)


@register.simple_tag
def badge(choices_path: str, value: Any) -> str:
    """``{% badge "risks.choices.Grade" risk_point.grade %}``: the value's label in its own colour."""
    return render_badge(_choices(choices_path), value)


@register.filter
def get_item(mapping: dict, key: Any) -> Any:
    return mapping.get(key) if mapping else None


@register.filter
def split_words(text: str) -> list[str]:
    return text.split()


@register.filter
def archive_titles(keys: list[str]) -> list[tuple[str, str]]:
    """Section keys of the performance archive with their titles."""
    from django.utils.translation import gettext as _

    titles = {
        "rewards": _("Rewards and commendations"),
        "punishments": _("Disciplinary actions"),
        "petitions": _("Case-related petitions"),
        "visits": _("Follow-up visits"),
        "praise": _("Praise"),
        "complaints": _("Complaints"),
    }
    return [(key, titles[key]) for key in keys]


@register.filter
def quarter_label(day: datetime.date) -> str:
    return f"{day.year} Q{(day.month - 1) // 3 + 1}" if day else ""
