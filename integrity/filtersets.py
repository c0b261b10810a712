"""Filters of the organisation lists; choice lists are limited to what the user may see."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from integrity.choices import AuditEventKind
from integrity.forms import BootstrapFormMixin, PlainSelect
from integrity.http import an_id, officer_of
from integrity.models import AuditEvent, Department, Institution, Officer
from integrity.queries import officer_search_q, visible_departments, visible_institutions


class FilterForm(BootstrapFormMixin, forms.Form):
    """A list's filters. Their selects are drawn in one pass (``PlainSelect``): a list's filters are drawn on every
    request, the bodies of a province among them."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if type(field.widget) is forms.Select:
                plain = PlainSelect(attrs=field.widget.attrs, choices=field.widget.choices)
                plain.is_required = field.widget.is_required
                field.widget = plain


def department_choices(request: HttpRequest | None) -> QuerySet[Department]:
    """The departments a filter offers: those the user may see."""
    return visible_departments(officer_of(request)) if request else Department.objects.none()


def institution_choices(request: HttpRequest | None) -> QuerySet[Institution]:
    return visible_institutions(officer_of(request)) if request else Institution.objects.none()


class ScopedFilterSet(django_filters.FilterSet):
    """A filter set whose department choice follows its body choice.

    The select offers the departments of the body chosen (or, before one is chosen, of the user's own body), never
    every department in scope: a province's 1,200 departments are not one list. Any visible department is still
    accepted (links carry one), and a department left over from another body than the one just chosen is let go.
    The list page swaps the department select in again whenever its results come back (``integrity/list.html``).
    """

    @property
    def form(self) -> Any:
        form = super().form
        if not getattr(form, "departments_follow_body", False):
            form.departments_follow_body = True
            self._narrow_departments(form)
        return form

    def _narrow_departments(self, form: Any) -> None:
        field = form.fields.get("department")
        user = getattr(self.request, "user", None)
        if field is None or user is None or field.queryset is None:
            return
        body, department = (
            an_id(self.data.get(name)) if self.is_bound else None for name in ("institution", "department")
        )
        if body is None and department is not None:  # a link to one department: offer its body's
            body = field.queryset.filter(pk=department).values_list("institution_id", flat=True).first()
        elif body is None:
            body = user.institution_id
        if body is None:
            return
        options = field.queryset.filter(institution_id=body).select_related(None).values_list("pk", "name")
        field.widget.choices = [("", field.empty_label), *options]

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        if not self.form.is_valid():
            return super().filter_queryset(queryset)
        department = self.form.cleaned_data.get("department")
        institution = self.form.cleaned_data.get("institution")
        if department is not None and institution is not None and department.institution_id != institution.pk:
            self.form.cleaned_data["department"] = None
        return super().filter_queryset(queryset)


class OfficerFilterSet(ScopedFilterSet):
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
        return queryset.filter(officer_search_q(value))


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
