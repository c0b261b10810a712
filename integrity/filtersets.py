"""Filters of the organisation lists; choice lists are limited to what the user may see."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from integrity.choices import AuditEventKind
from integrity.forms import BootstrapFormMixin
from integrity.models import AuditEvent, Institution, Officer
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


class AuditEventFilterSet(django_filters.FilterSet):
    """The audit administrator's filters: by person, event, day and address."""

    person = django_filters.CharFilter(label=_("Person"), method="by_person")
    event = django_filters.ChoiceFilter(label=_("Event"), choices=AuditEventKind.choices, empty_label=_("All"))
    since = django_filters.DateFilter(
        label=_("From"), field_name="at", lookup_expr="date__gte", widget=forms.DateInput(attrs={"type": "date"})
    )
    until = django_filters.DateFilter(
        label=_("Until"), field_name="at", lookup_expr="date__lte", widget=forms.DateInput(attrs={"type": "date"})
    )
    ip = django_filters.CharFilter(label=_("IP address"), field_name="ip")

    class Meta:
        model = AuditEvent
        fields = ["person", "event", "since", "until", "ip"]
        form = FilterForm

    def by_person(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(username__icontains=value) | Q(actor__full_name__icontains=value))
