"""The report's choice of institution and period."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from integrity.forms import BootstrapFormMixin
from integrity.models import Institution
from reports.periods import Period, PeriodKind


class ReportForm(BootstrapFormMixin, forms.Form):
    institution = forms.ModelChoiceField(label=_("Institution"), queryset=Institution.objects.none())
    kind = forms.ChoiceField(label=_("Period"), choices=PeriodKind.choices)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    number = forms.IntegerField(
        label=_("Month or quarter"), min_value=1, max_value=12, required=False,
        help_text=_("The month (1–12) or the quarter (1–4); left blank for a year."),
    )  # fmt: skip

    def __init__(self, *args: Any, institutions: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offer(institution=institutions.order_by("path"))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("kind") and data.get("year"):
            try:
                data["period"] = Period(data["kind"], data["year"], data.get("number") or 1)
            except ValueError:
                self.add_error("number", _("No such month or quarter."))
        return data
