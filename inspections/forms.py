"""Forms of inspections: the plan, checking an item, a finding outside the checklist, rectifying, the report."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from inspections.models import Inspection
from integrity.forms import BootstrapFormMixin, DepartmentsPicker, department_label
from integrity.models import Department, Officer


def _people(officers: QuerySet[Officer], text: str) -> list[Officer]:
    """Officers named by user name (a province has too many to list), among ``officers``."""
    names = [name for name in re.split(r"[\s,，、;；]+", text) if name]
    found = {officer.username: officer for officer in officers.filter(username__in=names)}
    unknown = [name for name in names if name not in found]
    if unknown:
        message = _("Nobody you may see has the user name %(names)s.")
        raise forms.ValidationError(message % {"names": "、".join(unknown)})
    return [found[name] for name in dict.fromkeys(names)]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Several files in one field (Django's documented way)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class InspectionForm(BootstrapFormMixin, forms.ModelForm):
    """The plan: kind, title, dates, the departments in scope, the team leader and the team (by user name)."""

    leader_name = forms.CharField(label=_("team leader"), help_text=_("User name."))
    team_names = forms.CharField(
        label=_("team"), required=False, help_text=_("User names, separated by spaces or commas.")
    )

    class Meta:
        model = Inspection
        fields = ("kind", "title", "starts_on", "ends_on", "departments")
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
            "departments": DepartmentsPicker(attrs={"size": 8}),
        }

    def __init__(self, *args: Any, departments: QuerySet, officers: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.officers = officers
        self.offer(departments=departments.order_by("institution__path", "order", "name"), label=department_label)

    def clean_leader_name(self) -> Any:
        named = _people(self.officers, self.cleaned_data["leader_name"])
        if not named:
            raise forms.ValidationError(_("Name the team leader."))
        return named[0]

    def clean_team_names(self) -> list:
        return _people(self.officers, self.cleaned_data["team_names"])

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The inspection cannot end before it starts."))
        data["leader"] = data.pop("leader_name", None)
        data["team"] = data.pop("team_names", [])
        return data


class CheckForm(BootstrapFormMixin, forms.Form):
    """Checking one item: left blank, nothing was found; a problem written becomes a finding."""

    problem = forms.CharField(
        label=_("Problem found"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Leave blank when nothing was found."),
    )  # fmt: skip
    officer_name = forms.CharField(
        label=_("Officer concerned"), required=False, help_text=_("User name, when it concerns one officer.")
    )
    evidence = EvidenceField(label=_("Evidence"))

    def __init__(self, *args: Any, officers: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.officers = officers

    def clean_officer_name(self) -> Any:
        found = _people(self.officers, self.cleaned_data["officer_name"])
        return found[0] if found else None

    def cleaned_data_for_action(self) -> dict:
        data = self.cleaned_data
        return {"problem": data["problem"], "officer": data["officer_name"], "files": data["evidence"]}


class FindingForm(CheckForm):
    """A problem found outside the checklist: in which department."""

    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none())

    field_order = ("department", "problem", "officer_name", "evidence")

    def __init__(self, *args: Any, departments: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offer(department=departments)
        self.fields["problem"].required = True
        self.fields["problem"].help_text = ""


class TextForm(BootstrapFormMixin, forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))


class ConclusionForm(TextForm):
    text = forms.CharField(
        label=_("Conclusion"), widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write the inspection's conclusion.")},
    )  # fmt: skip
