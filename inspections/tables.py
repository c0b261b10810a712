"""Tables of the inspections list."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from inspections.choices import InspectionStatus
from inspections.models import Inspection
from integrity.tables import BadgeColumn, DateColumn


class InspectionTable(tables.Table):
    title = tables.Column(verbose_name=pgettext_lazy("inspection", "Title"), linkify=lambda r: r.get_absolute_url())
    kind = tables.Column(verbose_name=_("Kind"))
    institution = tables.Column(verbose_name=_("Institution"), order_by=("institution__path",))
    starts_on = DateColumn(verbose_name=_("Starts on"), format="Y-m-d")
    ends_on = DateColumn(verbose_name=_("Ends on"), format="Y-m-d")
    leader = tables.Column(verbose_name=_("Team leader"), accessor="leader__full_name", order_by=("leader__full_name",))
    status = BadgeColumn(InspectionStatus, verbose_name=_("Status"))

    class Meta:
        model = Inspection
        fields = ("title", "kind", "institution", "starts_on", "ends_on", "leader", "status")
        order_by = ("-starts_on",)
