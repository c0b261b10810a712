"""Filters of the risks lists; choice lists follow the user's scope."""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from integrity.filtersets import FilterForm, ScopedFilterSet, department_choices, institution_choices
from risks.choices import Grade, PowerCategory, RiskScope, RiskStatus
from risks.models import MonthlyCheck, PowerItem, RiskCategory, RiskPoint


class PowerItemFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    category = django_filters.ChoiceFilter(label=_("Category"), choices=PowerCategory.choices, empty_label=_("All"))
    department = django_filters.ModelChoiceFilter(
        empty_label=_("All"), label=_("Department"), queryset=department_choices
    )
    institution = django_filters.ModelChoiceFilter(
        empty_label=_("All"), label=_("Institution"), queryset=institution_choices
    )

    class Meta:
        model = PowerItem
        fields = ["q", "category", "department", "institution"]
        form = FilterForm

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(name__icontains=value) | Q(content__icontains=value))


class RiskPointFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    grade = django_filters.ChoiceFilter(label=_("Grade"), choices=Grade.choices, empty_label=_("All"))
    scope = django_filters.ChoiceFilter(label=_("Level"), choices=RiskScope.choices, empty_label=_("All"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=RiskStatus.choices, empty_label=_("All"))
    category = django_filters.ModelChoiceFilter(
        empty_label=_("All"), label=_("Risk category"), queryset=RiskCategory.objects.all()
    )
    department = django_filters.ModelChoiceFilter(
        empty_label=_("All"), label=_("Department"), queryset=department_choices
    )
    institution = django_filters.ModelChoiceFilter(
        empty_label=_("All"), label=_("Institution"), queryset=institution_choices
    )
    likelihood = django_filters.NumberFilter(widget=forms.HiddenInput)
    impact = django_filters.NumberFilter(widget=forms.HiddenInput)

    class Meta:
        model = RiskPoint
        fields = ["q", "grade", "scope", "status", "category", "department", "institution", "likelihood", "impact"]
        form = FilterForm

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(description__icontains=value) | Q(measures__icontains=value))


class CheckFilterSet(ScopedFilterSet):
    period = django_filters.CharFilter(
        label=_("Month"), method="month", widget=forms.TextInput(attrs={"type": "month"})
    )
    department = django_filters.ModelChoiceFilter(
        empty_label=_("All"), label=_("Department"), field_name="officer__department", queryset=department_choices
    )
    institution = django_filters.ModelChoiceFilter(
        empty_label=_("All"), label=_("Institution"), field_name="officer__institution", queryset=institution_choices
    )
    filed = django_filters.ChoiceFilter(
        label=_("Filed"), choices=[("1", _("Yes")), ("0", _("No"))], empty_label=_("All"), method="is_filed"
    )

    class Meta:
        model = MonthlyCheck
        fields = ["period", "institution", "department", "filed"]
        form = FilterForm

    def month(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        try:
            period = datetime.date.fromisoformat(f"{value}-01")
        except ValueError:
            return queryset.none()
        return queryset.filter(period=period)

    def is_filed(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(submitted_at__isnull=value != "1")
