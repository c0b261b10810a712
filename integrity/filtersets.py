"""Filters of the organisation lists; choice lists are limited to what the user may see."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from integrity.forms import BootstrapFormMixin
from integrity.models import Institution, Officer
from integrity.queries import visible_departments, visible_institutions


class FilterForm(BootstrapFormMixin, forms.Form):
    pass


def department_choices(request):
    """The departments a filter offers: those the user may see."""
    return visible_departments(request.user) if request else None


def institution_choices(request):
    return visible_institutions(request.user) if request else None


class OfficerFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    institution = django_filters.ModelChoiceFilter(
        empty_label=_("All"), label=_("Institution"), queryset=institution_choices
    )
    department = django_filters.ModelChoiceFilter(
        empty_label=_("All"), label=_("Department"), queryset=department_choices
    )
    is_active = django_filters.ChoiceFilter(
        label=_("Active"), choices=[("1", _("Yes")), ("0", _("No"))], empty_label=_("All"), method="active"
    )

    class Meta:
        model = Officer
        fields = ["q", "institution", "department", "is_active"]
        form = FilterForm

    def active(self, queryset: QuerySet[Officer], name: str, value: str) -> QuerySet[Officer]:
        return queryset.filter(is_active=value == "1")

    def search(self, queryset: QuerySet[Officer], name: str, value: str) -> QuerySet[Officer]:
        return queryset.filter(
            Q(full_name__icontains=value) | Q(username__icontains=value) | Q(staff_number__icontains=value)
        )


class InstitutionFilterSet(django_filters.FilterSet):
    name = django_filters.CharFilter(label=_("Name"), lookup_expr="icontains")
    level = django_filters.ChoiceFilter(label=_("Level"), choices=Institution._meta.get_field("level").choices)

    class Meta:
        model = Institution
        fields = ["name", "level"]
        form = FilterForm
