"""Filters of the inspections list."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from inspections.choices import InspectionKind, InspectionStatus
from inspections.models import Inspection
from integrity.filtersets import FilterForm


class InspectionFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=InspectionKind.choices, empty_label=_("All"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=InspectionStatus.choices, empty_label=_("All"))

    class Meta:
        model = Inspection
        fields = ["kind", "status"]
        form = FilterForm
