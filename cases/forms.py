"""Forms of the cases pages: they check input; the actions write."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.forms import BoundField
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.choices import ConflictDecision, Occupation, QuestionKind, RelationKind
from cases.declarations import AnswerData
from cases.models import DeclarationQuestion, RiskFactor, Stage
from integrity.forms import BootstrapFormMixin, ColumnMappingForm, sheet_field
from integrity.models import Department, Institution, Officer
from integrity.spreadsheets import check_upload


class CaseForm(BootstrapFormMixin, forms.Form):
    number = forms.CharField(label=_("Case number"), max_length=100)
    title = forms.CharField(label=_("Title"), max_length=300)
    case_type = forms.CharField(label=_("Case type"), max_length=50)
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none())
    handlers = forms.ModelMultipleChoiceField(
        label=_("Handlers"), queryset=Officer.objects.none(), help_text=_("The first chosen is the lead handler.")
    )
    received_on = forms.DateField(
        label=_("Received on"),
        initial=timezone.localdate,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    due_on = forms.DateField(
        label=_("Due on"), required=False, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    parties = forms.CharField(
        label=_("Parties"), required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text=_("One per line.")
    )
    agents = forms.CharField(
        label=_("Agents and lawyers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line, as “name (law firm)”."),
    )

    def __init__(self, *args: Any, departments: QuerySet, officers: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offer(department=departments)
        self.offer(handlers=officers, label=lambda o: f"{o.full_name}（{o.department}）")

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        department, handlers = cleaned.get("department"), cleaned.get("handlers")
        if department and handlers and any(h.institution_id != department.institution_id for h in handlers):
            self.add_error("handlers", _("Handlers must work in the case's institution."))
        return cleaned


class MoveForm(BootstrapFormMixin, forms.Form):
    stage = forms.ModelChoiceField(label=_("Move to"), queryset=Stage.objects.none(), empty_label=None)

    def __init__(self, *args: Any, stages: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offer(stage=stages)


class DeclarationForm(BootstrapFormMixin, forms.Form):
    """One yes/no per active question, with the details a yes needs."""

    def __init__(
        self, *args: Any, questions: Iterable[DeclarationQuestion], conflicted: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        if conflicted:
            self.fields["explanation"] = forms.CharField(
                label=_("Why the relation is no reason to recuse"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        for q in self.questions:
            self.fields[f"q{q.pk}"] = forms.TypedChoiceField(
                label=q.text,
                choices=[("0", _("No")), ("1", _("Yes"))],
                coerce=lambda v: v == "1",
                widget=forms.RadioSelect,  # no answer is given in advance: an unanswered question is an error
            )
            if q.kind == QuestionKind.INTERCEDING:
                self.fields[f"q{q.pk}_person"] = forms.CharField(label=_("Who"), required=False)
                self.fields[f"q{q.pk}_relation"] = forms.CharField(label=_("Their relation"), required=False)
                self.fields[f"q{q.pk}_when"] = forms.DateField(
                    label=_("When"), required=False, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
                )
                self.fields[f"q{q.pk}_handling"] = forms.CharField(
                    label=_("How it was handled"), required=False, widget=forms.Textarea(attrs={"rows": 2})
                )
            else:
                self.fields[f"q{q.pk}_details"] = forms.CharField(
                    label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 2})
                )

    def rows(self) -> Iterator[tuple[DeclarationQuestion, BoundField, list[BoundField]]]:
        """The question fields grouped for the template: (question, answer field, detail fields)."""
        for q in self.questions:
            yield q, self[f"q{q.pk}"], [self[name] for name in self.fields if name.startswith(f"q{q.pk}_")]

    def answers(self) -> list[AnswerData]:
        data = self.cleaned_data
        return [
            AnswerData(
                question=q,
                answer=data[f"q{q.pk}"],
                details=data.get(f"q{q.pk}_details", ""),
                person=data.get(f"q{q.pk}_person", ""),
                person_relation=data.get(f"q{q.pk}_relation", ""),
                occurred_on=data.get(f"q{q.pk}_when"),
                handling=data.get(f"q{q.pk}_handling", ""),
            )
            for q in self.questions
        ]


class ConflictDecisionForm(BootstrapFormMixin, forms.Form):
    """The reviewer's decision on a relation conflict: recuse the handler (naming who takes the case) or keep them."""

    decision = forms.ChoiceField(label=_("Decision"), choices=ConflictDecision.choices, widget=forms.RadioSelect)
    replacement = forms.ModelChoiceField(
        label=_("Handled instead by (when recused)"), queryset=Officer.objects.none(), required=False
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, candidates: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offer(replacement=candidates, label=lambda o: f"{o.full_name}（{o.department or ''}）")


class AssessmentForm(BootstrapFormMixin, forms.Form):
    factors = forms.ModelMultipleChoiceField(
        label=_("Risk factors present"),
        queryset=RiskFactor.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    plan = forms.CharField(label=_("Handling plan (预案)"), widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offer(factors=RiskFactor.objects.filter(is_active=True), label=lambda f: f"{f.name}（{f.weight}）")


class DecisionForm(BootstrapFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("approve", _("Approve")), ("return", _("Return"))], widget=forms.RadioSelect
    )
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class TextForm(BootstrapFormMixin, forms.Form):
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 3}))


class CommentForm(BootstrapFormMixin, forms.Form):
    """A reviewer's comment, which may be left blank."""

    text = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class FactsChangedForm(BootstrapFormMixin, forms.Form):
    text = forms.CharField(
        label=_("What has changed"),
        help_text=_("New evidence, a party's reaction, a change of charge or of the decision planned."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RelationForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    relation = forms.ChoiceField(label=_("Relation"), choices=RelationKind.choices)
    occupation = forms.ChoiceField(label=_("Occupation"), choices=Occupation.choices)
    employer = forms.CharField(label=_("Employer or law firm"), max_length=200, required=False)


class CaseImportForm(BootstrapFormMixin, forms.Form):
    institution = forms.ModelChoiceField(label=_("Institution"), queryset=Institution.objects.none())
    file = forms.FileField(label=_("File (.xlsx, .xls or .csv)"))
    sheet = sheet_field()

    def __init__(self, *args: Any, institutions: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offer(institution=institutions)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        check_upload(upload)
        return upload


class CaseMappingForm(ColumnMappingForm):
    """The mapping step of a case export: what a whole export often lacks (one type, one department, one stage) is
    given once for every row or for its blank cells."""

    constant_keys = ("case_type", "department", "stage")
    default_keys = ("case_type", "stage")
