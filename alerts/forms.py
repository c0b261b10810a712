"""Forms of the alerts pages: they check input; the actions write."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from alerts.actions import ACTIONS_BY_LEVEL, ActionData
from alerts.choices import ActionKind, ClueKind, ClueMethod, Outcome, WarningLevel, WarningTarget
from alerts.models import Circular, Clue
from alerts.queries import WARNABLE_CLUE
from integrity.choices import Role
from integrity.forms import (
    BootstrapFormMixin,
    DepartmentPicker,
    DepartmentsPicker,
    OfficerPicker,
    RecordPicker,
    department_label,
    officer_label,
)
from integrity.models import Department, Officer


class CluePicker(RecordPicker):
    """Clues a warning may come from, found by the officer they concern or where they came from: a province's grow
    year by year."""

    options_url = "alerts:clue_options"
    hint = _("Search by the officer concerned or the source")


def clue_label(clue: Clue) -> str:
    """A clue as the clue picker offers it: 信访举报 · 2026-03-02 · 李明（属实）."""
    return f"{clue} · {clue.subject}（{clue.get_outcome_display()}）"


class ProposeForm(BootstrapFormMixin, forms.Form):
    level = forms.ChoiceField(label=_("Level"), choices=WarningLevel.choices)
    target = forms.ChoiceField(label=_("On"), choices=WarningTarget.choices)
    officer = forms.ModelChoiceField(
        label=_("Officer"), queryset=Officer.objects.none(), required=False, widget=OfficerPicker
    )
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False, widget=DepartmentPicker
    )
    facts = forms.CharField(label=_("Facts"), widget=forms.Textarea(attrs={"rows": 4}))
    source = forms.CharField(label=_("Source"), max_length=200)
    clue = forms.ModelChoiceField(label=_("From clue"), queryset=Clue.objects.none(), required=False, widget=CluePicker)

    def __init__(self, *args: Any, officers: QuerySet, departments: QuerySet, clues: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offer(officer=officers.select_related("institution"), label=officer_label)
        self.offer(department=departments.select_related("institution"), label=department_label)
        self.offer(clue=clues.filter(WARNABLE_CLUE), label=clue_label)


class ApproveForm(BootstrapFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("reject", _("Do not approve"))],
        widget=forms.RadioSelect,
    )
    kinds = forms.MultipleChoiceField(
        label=_("Rectification actions"),
        choices=ActionKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    due_on = forms.DateField(
        label=_("Due on"), required=False, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, level: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kinds"].initial = [k.value for k in ACTIONS_BY_LEVEL[WarningLevel(level)]]
        self.fields["due_on"].initial = timezone.localdate() + datetime.timedelta(days=30)

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("decision") == "approve" and not (cleaned.get("kinds") and cleaned.get("due_on")):
            raise forms.ValidationError(_("Choose the rectification actions and their due date."))
        return cleaned

    def action_data(self) -> list[ActionData]:
        return [ActionData(kind, self.cleaned_data["due_on"]) for kind in self.cleaned_data["kinds"]]


class ReasonForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label=_("Why the rectification failed"), widget=forms.Textarea(attrs={"rows": 2}))


class ResultForm(BootstrapFormMixin, forms.Form):
    result = forms.CharField(label=_("Result"), widget=forms.Textarea(attrs={"rows": 2}))


class ClueForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ClueKind.choices)
    source = forms.CharField(label=_("Source"), max_length=200)
    channel = forms.CharField(label=_("Channel"), max_length=100, required=False)
    subject = forms.ModelChoiceField(
        label=_("Subject officer"), queryset=Officer.objects.none(), required=False, widget=OfficerPicker
    )
    content = forms.CharField(label=pgettext_lazy("clue", "Content"), widget=forms.Textarea(attrs={"rows": 4}))
    received_on = forms.DateField(
        label=_("Received on"),
        initial=timezone.localdate,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, officers: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offer(subject=officers.select_related("institution"), label=officer_label)


class AbnormalReportForm(BootstrapFormMixin, forms.Form):
    occurred_on = forms.DateField(
        label=_("Happened on"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    counterpart = forms.CharField(
        label=_("Who was involved"), max_length=200, help_text=_("For example a party, a lawyer or a colleague.")
    )
    content = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 4}))
    response = forms.CharField(
        label=_("What you did about it"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AssignForm(BootstrapFormMixin, forms.Form):
    method = forms.ChoiceField(label=_("Disposal method"), choices=ClueMethod.choices, initial=ClueMethod.PRELIMINARY)
    verifier = forms.ModelChoiceField(
        label=_("Verifier"),
        queryset=Officer.objects.none(),
        required=False,
        help_text=_("Not needed to close without action."),
    )

    def __init__(self, *args: Any, officers: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offer(verifier=officers)


class DisposalDecisionForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for returning"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed only to return the disposal."),
    )  # fmt: skip


class CaseLinkForm(BootstrapFormMixin, forms.Form):
    number = forms.CharField(label=_("Case number"), max_length=100)


class StepForm(BootstrapFormMixin, forms.Form):
    text = forms.CharField(label=_("Verification step"), widget=forms.Textarea(attrs={"rows": 2}))


class ConcludeForm(BootstrapFormMixin, forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    clarification = forms.CharField(
        label=_("Clarification (for an untrue report)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    violation = forms.CharField(
        label=_("Violation to record (for a confirmed clue)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CircularForm(BootstrapFormMixin, forms.ModelForm):
    """A circulated notice and whom it goes to: institutions, departments and people among those the writer sees,
    and roles in the issuing body and the bodies below it. People are named by user name (a province has too many
    to list)."""

    to_roles = forms.MultipleChoiceField(
        label=_("to roles"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(role.value, role.label) for role in Role if role not in Role.administrators()],
    )  # fmt: skip
    people = forms.CharField(
        label=_("to people"), required=False, help_text=_("User names, separated by spaces or commas.")
    )

    class Meta:
        model = Circular
        fields = ("kind", "number", "title", "body", "copy_to", "to_institutions", "to_departments", "to_roles")
        widgets = {"body": forms.Textarea(attrs={"rows": 12}), "to_departments": DepartmentsPicker(attrs={"size": 6})}

    def __init__(
        self, *args: Any, institutions: QuerySet, departments: QuerySet, officers: QuerySet, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.officers = officers
        self.offer(to_institutions=institutions)
        self.offer(to_departments=departments.select_related("institution"), label=department_label)
        if self.instance.pk:
            self.initial["people"] = " ".join(self.instance.to_officers.values_list("username", flat=True))

    def clean_people(self) -> list:
        names = [name for name in re.split(r"[\s,，、;；]+", self.cleaned_data["people"]) if name]
        found = {officer.username: officer for officer in self.officers.filter(username__in=names)}
        unknown = [name for name in names if name not in found]
        if unknown:
            raise forms.ValidationError(
                _("Nobody you may see has the user name %(names)s.") % {"names": "、".join(unknown)}
            )
        return list(found.values())

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        data["to_officers"] = data.pop("people", [])
        return data


class VisitForm(BootstrapFormMixin, forms.Form):
    """What a party said on a return visit: one tick per question answered "yes" (each reports a problem)."""

    party = forms.CharField(label=_("Party visited"), max_length=200)
    by_phone = forms.BooleanField(label=_("By telephone"), required=False)
    notes = forms.CharField(label=_("What the party said"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, questions: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            self.fields[f"q{question.pk}"] = forms.BooleanField(
                label=question.text, required=False, help_text=_("Tick if the answer is yes.")
            )

    def yes(self) -> set[int]:
        return {q.pk for q in self.questions if self.cleaned_data.get(f"q{q.pk}")}


class IntakeForm(BootstrapFormMixin, forms.Form):
    """A petition or report as the petition office (控申) receives it."""

    source = forms.CharField(label=_("Petitioner or source"), max_length=200)
    channel = forms.CharField(
        label=_("Channel"), max_length=100, required=False, help_text=_("A letter, a visit, a call, the website…")
    )
    subject = forms.CharField(
        label=_("Officer concerned"), max_length=150, required=False,
        help_text=_("Name, staff number or username; leave blank if not known, and name them in the content."),
    )  # fmt: skip
    content = forms.CharField(label=pgettext_lazy("clue", "Content"), widget=forms.Textarea(attrs={"rows": 5}))
    received_on = forms.DateField(
        label=_("Received on"),
        initial=timezone.localdate,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, officers: QuerySet, user: Officer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.officers, self.user = officers, user

    def clean_subject(self) -> Any:
        text = self.cleaned_data["subject"].strip()
        if not text:
            return None
        found = list(self.officers.filter(Q(staff_number=text) | Q(username=text) | Q(full_name=text))[:2])
        if not found:
            raise forms.ValidationError(
                _("No officer of your body or those below goes by “%(name)s”.") % {"name": text}
            )
        if len(found) > 1:
            raise forms.ValidationError(
                _("Several officers are called “%(name)s”: give the staff number.") % {"name": text}
            )
        if found[0].pk == self.user.pk:
            raise forms.ValidationError(_("A petition about yourself is registered by a colleague."))
        return found[0]

    def clean_received_on(self) -> Any:
        day = self.cleaned_data["received_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The day it was received cannot be in the future."))
        return day
