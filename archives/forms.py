"""Forms of the archives pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from archives.choices import ArchiveKind, MatterKind, RecordKind, TalkKind, TalkOccasion
from integrity.forms import BootstrapFormMixin, DepartmentPicker, department_label
from integrity.models import Department


class PeriodForm(BootstrapFormMixin, forms.Form):
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )


class VerifyForm(BootstrapFormMixin, forms.Form):
    number = forms.CharField(label=_("Document number"), max_length=30)


class BatchForm(BootstrapFormMixin, forms.Form):
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.none(), widget=DepartmentPicker
    )
    kind = forms.ChoiceField(label=_("Archive"), choices=ArchiveKind.choices)
    start = forms.DateField(
        label=_("From"),
        initial=lambda: timezone.localdate().replace(month=1, day=1),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    end = forms.DateField(
        label=_("Until"), initial=timezone.localdate, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )

    def __init__(self, *args: Any, departments: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offer(department=departments.select_related("institution"), label=department_label)


class TalkForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=TalkKind.choices)
    held_on = forms.DateField(label=_("Held on"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    held_by = forms.CharField(label=_("Held by"), max_length=100)
    occasion = forms.ChoiceField(
        label=_("Occasion"),
        choices=[("", _("— none —")), *TalkOccasion.choices],
        required=False,
        help_text=_("A talk owed to the officer (once a year, on arrival, after a post change, on departure)."),
    )
    content = forms.CharField(label=_("What was said"), widget=forms.Textarea(attrs={"rows": 3}))


class RecordForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=RecordKind.choices)
    occurred_on = forms.DateField(label=_("Date"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    title = forms.CharField(label=_("Title"), max_length=200)
    details = forms.CharField(label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    effective_until = forms.DateField(
        label=_("Effective until"), required=False, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    case_number = forms.CharField(label=_("Case number"), max_length=100, required=False)


class MatterForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Matter"), choices=MatterKind.choices)
    changed_on = forms.DateField(
        label=_("Changed on"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    details = forms.CharField(label=_("Details"), widget=forms.Textarea(attrs={"rows": 3}))
    amount = forms.DecimalField(label=_("Value (yuan)"), required=False, max_digits=12, decimal_places=2)


class MatterReviewForm(BootstrapFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept")), ("return", _("Return for more"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("Comment"), required=False)


class AdjustForm(BootstrapFormMixin, forms.Form):
    points = forms.IntegerField(label=_("Points (+/−)"), min_value=-100, max_value=100)
    reason = forms.CharField(label=_("Reason"), max_length=300)


class BarOverrideForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label=_("Why the promotion may go ahead"), widget=forms.Textarea(attrs={"rows": 2}))


class DutyAccountForm(BootstrapFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Account"), widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("How you carried your duty for integrity over the year (一岗双责), how you kept it yourself, "
                    "the problems found and what you will do."),
    )  # fmt: skip
