"""Filters of the cases lists; choice lists follow the user's scope."""

from __future__ import annotations

import django_filters
from django.db.models import Exists, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.choices import AssessmentStatus, RiskColour
from cases.models import Assessment, Case, Stage, SupervisionNotice
from cases.queries import unfiled_declarations
from integrity.filtersets import FilterForm, ScopedFilterSet, department_choices, institution_choices


class CaseFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    stage = django_filters.ModelChoiceFilter(label=_("Stage"), queryset=Stage.objects.all(), empty_label=_("All"))
    department = django_filters.ModelChoiceFilter(
        label=_("Department"), queryset=department_choices, empty_label=_("All")
    )
    institution = django_filters.ModelChoiceFilter(
        label=_("Institution"), queryset=institution_choices, empty_label=_("All")
    )
    incomplete = django_filters.BooleanFilter(
        label=_("Only cases still missing something"),
        method="still_missing",
        widget=django_filters.widgets.BooleanWidget(),
    )
    has_conflict = django_filters.BooleanFilter(
        label=_("Relation conflict"), widget=django_filters.widgets.BooleanWidget()
    )
    past_due = django_filters.BooleanFilter(
        label=_("Open past its due date"), method="open_past_due", widget=django_filters.widgets.BooleanWidget()
    )

    class Meta:
        model = Case
        fields = ["q", "stage", "department", "institution", "incomplete", "has_conflict", "past_due"]
        form = FilterForm

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(number__icontains=value) | Q(title__icontains=value))

    def open_past_due(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        past_due = Q(closed_on__isnull=True, due_on__lt=timezone.localdate())
        return queryset.filter(past_due) if value else queryset.exclude(past_due)

    def still_missing(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        missing = Q(assessment_done=False) | Exists(unfiled_declarations())
        return queryset.filter(missing) if value else queryset.exclude(missing)


class AssessmentFilterSet(ScopedFilterSet):
    colour = django_filters.ChoiceFilter(label=_("Grade"), choices=RiskColour.choices, empty_label=_("All"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=AssessmentStatus.choices, empty_label=_("All"))
    department = django_filters.ModelChoiceFilter(
        label=_("Department"), field_name="case__department", queryset=department_choices, empty_label=_("All")
    )
    institution = django_filters.ModelChoiceFilter(
        label=_("Institution"), field_name="case__institution", queryset=institution_choices, empty_label=_("All")
    )
    overdue = django_filters.BooleanFilter(
        label=_("Overdue"), method="is_overdue", widget=django_filters.widgets.BooleanWidget()
    )

    class Meta:
        model = Assessment
        fields = ["colour", "status", "institution", "department", "overdue"]
        form = FilterForm

    def is_overdue(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        overdue = Q(status=AssessmentStatus.APPROVED, deadline__lt=timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class NoticeFilterSet(django_filters.FilterSet):
    open = django_filters.BooleanFilter(
        label=_("Open only"), field_name="closed_at", lookup_expr="isnull", widget=django_filters.widgets.BooleanWidget
    )
    mine = django_filters.BooleanFilter(
        label=_("Addressed or copied to me"), method="filter_mine", widget=django_filters.widgets.BooleanWidget
    )
    institution = django_filters.ModelChoiceFilter(
        label=_("Issued by"), queryset=institution_choices, empty_label=_("All")
    )

    class Meta:
        model = SupervisionNotice
        fields = ["open", "mine", "institution"]
        form = FilterForm

    def filter_mine(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if not value:
            return queryset
        user = self.request.user
        return queryset.filter(Q(addressed_to=user) | Q(copied_to=user))
