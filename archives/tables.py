"""Declarative tables of the archives pages."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from archives.choices import AccountStatus
from archives.models import DutyAccount
from integrity.tables import BadgeColumn, DateColumn


class DutyAccountTable(tables.Table):
    """The accounts of duty and integrity (述责述廉) of a year in the user's scope."""

    officer = tables.Column(
        verbose_name=_("Officer"), accessor="officer__full_name", linkify=lambda record: record.get_absolute_url(),
        order_by=("officer__full_name", "pk"),
    )  # fmt: skip
    institution = tables.Column(
        verbose_name=_("Institution"), accessor="officer__institution", order_by=("officer__institution__path",)
    )
    due_on = DateColumn(verbose_name=_("Due on"))
    status = BadgeColumn(AccountStatus, verbose_name=_("Status"))

    class Meta:
        model = DutyAccount
        fields = ("officer", "institution", "due_on", "status")
        order_by = ("institution", "officer")
        attrs = {"class": "table table-sm mb-0", "data-testid": "accounts-in-scope"}
        empty_text = "—"
