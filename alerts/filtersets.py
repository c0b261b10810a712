"""Filters of the alerts lists; choice lists follow the user's scope."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from alerts.choices import CircularKind, CircularStatus, ClueGrade, ClueKind, ClueStatus, WarningLevel, WarningStatus
from alerts.models import Circular, Clue, IntegrityWarning, Light
from integrity.choices import Colour
from integrity.filtersets import FilterForm, ScopedFilterSet, department_choices, institution_choices


class LightFilterSet(ScopedFilterSet):
    colour = django_filters.ChoiceFilter(label=_("Light"), choices=Colour.choices, empty_label=_("All"))
    department = django_filters.ModelChoiceFilter(
        label=_("Department"), field_name="officer__department", queryset=department_choices, empty_label=_("All")
    )
    institution = django_filters.ModelChoiceFilter(
        label=_("Institution"), field_name="officer__institution", queryset=institution_choices, empty_label=_("All")
    )

    class Meta:
        model = Light
        fields = ["colour", "department", "institution"]
        form = FilterForm


class WarningFilterSet(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(label=_("Level"), choices=WarningLevel.choices, empty_label=_("All"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=WarningStatus.choices, empty_label=_("All"))

    class Meta:
        model = IntegrityWarning
        fields = ["level", "status"]
        form = FilterForm


class ClueFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=ClueKind.choices, empty_label=_("All"))
    grade = django_filters.ChoiceFilter(
        label=pgettext_lazy("clue", "Grade"), choices=ClueGrade.choices, empty_label=_("All")
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ClueStatus.choices, empty_label=_("All"))

    class Meta:
        model = Clue
        fields = ["kind", "grade", "status"]
        form = FilterForm


class CircularFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=CircularKind.choices, empty_label=_("All"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=CircularStatus.choices, empty_label=_("All"))

    class Meta:
        model = Circular
        fields = ["kind", "status"]
        form = FilterForm
