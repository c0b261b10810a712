"""What a history page shows of a change: the field's label and the values as people read them (a choice's label,
the related record's name), never the column's name or a raw code."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _


def _shown(field: models.Field, value: object) -> object:
    if value in (None, ""):
        return ""
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if field.is_relation and isinstance(field.related_model, type):  # a model class once the apps are loaded
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related is not None else value
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return value


def labelled(model: type[models.Model], changes: Iterable[Any]) -> list[dict]:
    """``simple_history``'s changes between two records, labelled: ``{"label", "old", "new"}`` each."""
    out = []
    for change in changes:
        field = model._meta.get_field(change.field)
        if not isinstance(field, models.Field):  # history records columns only
            continue
        out.append(
            {"label": capfirst(field.verbose_name), "old": _shown(field, change.old), "new": _shown(field, change.new)}
        )
    return out
