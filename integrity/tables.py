"""Declarative tables of the organisation pages (django-tables2)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from types import CodeType, FunctionType
from typing import Any

import django_tables2 as tables
from django.db import models
from django.db.models import TextChoices
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django_tables2 import utils as tables_utils
from django_tables2.columns import library

from integrity.models import AuditEvent, Institution, Officer, PostAssignment
from integrity.templatetags.ui import render_badge

AS_RECORDED = {"td": {"translate": "no"}}  # HTML's mark for content that is not to be translated

_SIGNATURES: dict[tuple[CodeType, bool], tuple[tuple[str, ...], str | None]] = {}
_library_signature = tables_utils.signature


def remembered_signature(fn: Callable[..., Any]) -> tuple[tuple[str, ...], str | None]:
    """django-tables2's ``utils.signature``, worked out once per function: the library asks it for the render method
    of every cell (and every exported value, and every computed attribute) to know which arguments to pass, and
    ``inspect.signature`` on each of a 25-row list's 225 cells was two fifths of their cost. What it answers, the
    names of the arguments, is the function's code's: kept by code object (closures made afresh share theirs and
    are not kept alive) and by whether it is bound (its ``self`` is left out, as the library leaves it out).
    Anything else (a partial, a callable object, a wrapped function) is asked of the library each time. Installed
    by ``IntegrityConfig.ready``."""
    function = getattr(fn, "__func__", fn)
    if type(function) is not FunctionType or hasattr(function, "__wrapped__") or hasattr(function, "__signature__"):
        return _library_signature(fn)
    key = (function.__code__, function is not fn)
    try:
        return _SIGNATURES[key]
    except KeyError:
        _SIGNATURES[key] = found = _library_signature(fn)
        return found


@library.register
class DateColumn(tables.Column):
    """A date in Django's ``date`` format, drawn in Python: django-tables2's own renders a template for every cell,
    and three date columns of a 25-row list took a sixth of its page. Exports the ISO date, as theirs does."""

    empty_values = ()  # as theirs: an empty cell is drawn, and exported, as the column's default

    def __init__(self, *args: Any, format: str | None = None, short: bool = True, **kwargs: Any) -> None:
        self.format = format or ("SHORT_DATE_FORMAT" if short else "DATE_FORMAT")
        super().__init__(*args, **kwargs)

    @classmethod
    def from_field(cls, field: models.Field, **kwargs: Any) -> DateColumn | None:
        return cls(**kwargs) if isinstance(field, models.DateField) else None

    def render(self, value: Any, bound_column: tables.columns.BoundColumn) -> str:
        if not isinstance(value, datetime.date):
            return bound_column.default
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            value = timezone.localtime(value)  # the reader's day and hour, as the template filter shows them
        return formats.date_format(value, self.format)

    def value(self, value: Any, bound_column: tables.columns.BoundColumn) -> Any:
        return value.isoformat() if isinstance(value, datetime.date) else bound_column.default


@library.register  # after DateColumn: the library asks the last registered first, and a DateTimeField is a DateField
class DateTimeColumn(DateColumn):
    """A moment in the reader's time zone, in Django's ``date`` format, drawn in Python."""

    def __init__(self, *args: Any, format: str | None = None, short: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, format=format or ("SHORT_DATETIME_FORMAT" if short else "DATETIME_FORMAT"), **kwargs)

    @classmethod
    def from_field(cls, field: models.Field, **kwargs: Any) -> DateTimeColumn | None:
        return cls(**kwargs) if isinstance(field, models.DateTimeField) else None

    def value(self, value: Any, bound_column: tables.columns.BoundColumn) -> Any:
        return value.isoformat(sep=" ") if isinstance(value, datetime.datetime) else bound_column.default


class BadgeColumn(tables.Column):
    """A choice drawn as a badge in the colour its choices class gives it; exports as its label."""

    def __init__(self, choices: type[TextChoices], *args: Any, **kwargs: Any) -> None:
        self.choices = choices
        super().__init__(*args, **kwargs)

    # django-tables2 hands a choice field's label to ``render``; the badge needs the stored value.
    def render(self, record: Any, bound_column: Any) -> str:
        return render_badge(self.choices, bound_column.accessor.resolve(record))

    def value(self, record: Any, bound_column: Any) -> str:
        raw = bound_column.accessor.resolve(record)
        return str(self.choices(raw).label) if raw not in (None, "") else ""


class OfficerTable(tables.Table):
    full_name = tables.Column(verbose_name=_("Full name"), linkify=True)
    username = tables.Column(verbose_name=_("Username"))
    staff_number = tables.Column(verbose_name=_("Staff number"))
    institution = tables.Column(verbose_name=_("Institution"), order_by=("institution__path",))
    department = tables.Column(verbose_name=_("Department"), order_by=("department__order", "department__name"))
    post = tables.Column(verbose_name=_("Current post"), accessor="post__name", order_by=("post__name",))
    is_active = tables.BooleanColumn(verbose_name=_("Active"))

    class Meta:
        model = Officer
        fields = ("full_name", "username", "staff_number", "institution", "department", "post", "is_active")
        order_by = ("institution", "department", "username")


class InstitutionTable(tables.Table):
    name = tables.Column(verbose_name=_("Name"), linkify=True, order_by=("path",))
    level = tables.Column(verbose_name=_("Level"))
    kind = tables.Column(verbose_name=_("Kind"))
    parent = tables.Column(verbose_name=_("Upper institution"))
    department_count = tables.Column(verbose_name=_("Departments"))
    officer_count = tables.Column(verbose_name=_("Officers"))

    class Meta:
        model = Institution
        fields = ("name", "level", "kind", "parent", "department_count", "officer_count")
        order_by = ("name",)

    def render_name(self, record: Institution, value: str) -> str:
        return "\u3000" * record.depth + value


class PostHistoryTable(tables.Table):
    post = tables.Column(verbose_name=_("Post"), accessor="post__name", orderable=False)
    department = tables.Column(verbose_name=_("Department"), accessor="post__department", orderable=False)
    institution = tables.Column(
        verbose_name=_("Institution"), accessor="post__department__institution", orderable=False
    )
    started_on = DateColumn(verbose_name=_("From"), orderable=False)
    ended_on = DateColumn(verbose_name=_("Until"), default=_("current"), orderable=False)
    note = tables.Column(verbose_name=_("Note"), orderable=False)
    created_by = tables.Column(verbose_name=_("Recorded by"), orderable=False)

    class Meta:
        model = PostAssignment
        fields = ("post", "department", "institution", "started_on", "ended_on", "note", "created_by")


class AuditEventTable(tables.Table):
    at = DateTimeColumn(verbose_name=_("At"), format="Y-m-d H:i:s")
    username = tables.Column(verbose_name=_("Username"))
    actor = tables.Column(verbose_name=_("Who"), accessor="actor__full_name", order_by=("actor__full_name",))
    event = tables.Column(verbose_name=_("Event"))
    # What was recorded, shown as it was written (codes, keys, the browser's own words): not for translation.
    target = tables.Column(verbose_name=_("Record"), attrs=AS_RECORDED)
    detail = tables.JSONColumn(verbose_name=_("Detail"), orderable=False, attrs=AS_RECORDED)
    ip = tables.Column(verbose_name=_("IP address"))
    user_agent = tables.Column(verbose_name=_("Browser"), orderable=False, attrs=AS_RECORDED)

    class Meta:
        model = AuditEvent
        fields = ("at", "username", "actor", "event", "target", "detail", "ip", "user_agent")
        order_by = ("-at",)
