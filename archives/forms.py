"""Forms of the archives pages."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from archives.choices import ArchiveKind
from integrity.forms import BootstrapFormMixin


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
    department = forms.ModelChoiceField(label=_("Department"), queryset=None)
    kind = forms.ChoiceField(label=_("Archive"), choices=ArchiveKind.choices)
    start = forms.DateField(
        label=_("From"),
        initial=lambda: timezone.localdate().replace(month=1, day=1),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    end = forms.DateField(
        label=_("Until"), initial=timezone.localdate, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )

    def __init__(self, *args, departments, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
