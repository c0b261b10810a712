"""Filters of the archives lists; choice lists follow the user's scope."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from archives.choices import AccountStatus
from archives.models import DutyAccount
from integrity.filtersets import FilterForm, institution_choices


class DutyAccountFilterSet(django_filters.FilterSet):
    """The accounts in scope of one year (the year just ended unless another is asked for), by status and body."""

    year = django_filters.NumberFilter(label=_("Year"), min_value=2000, max_value=2100, required=True)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=AccountStatus.choices, empty_label=_("All"))
    institution = django_filters.ModelChoiceFilter(
        label=_("Institution"), field_name="officer__institution", queryset=institution_choices, empty_label=_("All")
    )

    class Meta:
        model = DutyAccount
        fields = ["year", "status", "institution"]
        form = FilterForm
