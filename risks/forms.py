"""Forms of the risks pages: they check input; the actions write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integrity.forms import BootstrapFormMixin, ColumnMappingForm, sheet_field
from integrity.models import Institution
from integrity.spreadsheets import Column, check_upload
from risks.actions import POWER_ITEM_FIELDS, StepData
from risks.choices import PROPOSAL_METHODS, Grade, ImportKind, RiskScope
from risks.models import FlowStep, ImportBatch, PowerItem, RiskCategory, RiskPoint, RiskPolicy

SCORE_CHOICES = [("", "—")] + [(str(n), str(n)) for n in range(1, 6)]


class PowerItemForm(BootstrapFormMixin, forms.ModelForm):
    steps = forms.CharField(
        label=_("Flow steps"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One step per line, in order; “step | who acts” names the actor."),
    )
    reason = forms.CharField(label=_("Reason for the change"), required=False, max_length=500)

    class Meta:
        model = PowerItem
        fields = ["department", *POWER_ITEM_FIELDS]
        widgets = {
            f: forms.Textarea(attrs={"rows": 2})
            for f in ("content", "legal_basis", "conditions", "procedure", "supervision")
        }

    def __init__(self, *args: Any, departments: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offer(department=departments)
        if self.instance.pk:
            self.fields["steps"].initial = "\n".join(
                f"{s.name} | {s.actor}" if s.actor else s.name for s in self.instance.steps.all()
            )

    def clean_steps(self) -> list[StepData]:
        steps = []
        for line in self.cleaned_data["steps"].splitlines():
            name, _sep, actor = (part.strip() for part in line.partition("|"))
            if name:
                steps.append(StepData(name=name[:100], actor=actor[:100]))
        return steps


class RiskPointForm(BootstrapFormMixin, forms.ModelForm):
    likelihood = forms.TypedChoiceField(
        label=_("Likelihood (1–5)"), choices=SCORE_CHOICES, coerce=int, empty_value=None, required=False
    )
    impact = forms.TypedChoiceField(
        label=_("Impact (1–5)"), choices=SCORE_CHOICES, coerce=int, empty_value=None, required=False
    )
    reason = forms.CharField(
        label=_("Reason for the adjustment"),
        required=False,
        max_length=500,
        help_text=_("Required once the risk point has left the draft stage (动态调整)."),
    )

    class Meta:
        model = RiskPoint
        fields = [
            "scope", "department", "post", "power_item", "flow_step", "category", "description", "manifestation",
            "likelihood", "impact", "collective_grade", "measures", "identification_method",
        ]  # fmt: skip
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "manifestation": forms.Textarea(attrs={"rows": 2}),
            "measures": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(
        self, *args: Any, departments: QuerySet, posts: QuerySet, power_items: QuerySet, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.offer(department=departments)
        self.offer(post=posts)
        self.offer(power_item=power_items)
        self.offer(flow_step=FlowStep.objects.filter(power_item__in=power_items))
        self.offer(category=RiskCategory.objects.filter(is_active=True))
        grade = self.fields["collective_grade"]
        assert isinstance(grade, forms.ChoiceField)
        grade.choices = [("", "—"), *Grade.choices]  # a blank first: most points are graded by their scores

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        scope = cleaned.get("scope")
        if scope == RiskScope.POST and not cleaned.get("post"):
            self.add_error("post", _("A post-level risk needs its post."))
        if scope == RiskScope.DEPARTMENT and not cleaned.get("department"):
            self.add_error("department", _("A department-level risk needs its department."))
        return cleaned


class ProposalForm(BootstrapFormMixin, forms.Form):
    description = forms.CharField(label=_("Risk"), widget=forms.Textarea(attrs={"rows": 2}))
    manifestation = forms.CharField(label=_("How it shows"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    measures = forms.CharField(label=_("Suggested measures"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    identification_method = forms.ChoiceField(
        label=_("Identified by"),
        choices=[(m.value, m.label) for m in PROPOSAL_METHODS],
        widget=forms.RadioSelect,
    )


class ProposalDecisionForm(BootstrapFormMixin, forms.Form):
    """Accepting grades the proposal like any risk point; declining needs the reason."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept as a risk point of the post")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
    )
    category = forms.ModelChoiceField(label=_("Risk category"), queryset=RiskCategory.objects.all(), required=False)
    likelihood = forms.TypedChoiceField(
        label=_("Likelihood (1–5)"), choices=SCORE_CHOICES, coerce=int, empty_value=None, required=False
    )
    impact = forms.TypedChoiceField(
        label=_("Impact (1–5)"), choices=SCORE_CHOICES, coerce=int, empty_value=None, required=False
    )
    note = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("decision") == "accept":
            if cleaned.get("category") is None:
                self.add_error("category", _("Choose the risk category."))
            if cleaned.get("likelihood") is None or cleaned.get("impact") is None:
                self.add_error("likelihood", _("Score likelihood and impact."))
        elif cleaned.get("decision") == "decline" and not cleaned.get("note", "").strip():
            self.add_error("note", _("Say why the proposal is declined."))
        return cleaned

    def grading(self) -> dict:
        return {key: self.cleaned_data[key] for key in ("category", "likelihood", "impact")}


class MoveForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)


class PolicyForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = RiskPolicy
        fields = ["high_threshold", "medium_threshold", "check_due_day", "due_soon_days"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        high, medium = cleaned.get("high_threshold"), cleaned.get("medium_threshold")
        if high is not None and medium is not None and not 1 <= medium < high <= 25:
            raise forms.ValidationError(_("The medium threshold must be below the high one, both between 1 and 25."))
        return cleaned


class RiskTableForm(BootstrapFormMixin, forms.Form):
    main_duties = forms.CharField(label=_("Main duties"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class RiskItemForm(BootstrapFormMixin, forms.Form):
    risk_point_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    description = forms.CharField(label=_("Risk"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    measures = forms.CharField(label=_("My measures"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


RiskItemFormSet = forms.formset_factory(RiskItemForm, extra=2)


class PledgeForm(BootstrapFormMixin, forms.Form):
    pledge = forms.CharField(label=_("Integrity pledge"), widget=forms.Textarea(attrs={"rows": 4}))
    signed_on = forms.DateField(
        label=_("Signed on"),
        initial=timezone.localdate,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    agree = forms.BooleanField(
        label=_("I have read the pledge and sign it"),
        error_messages={"required": _("Read and sign the pledge to submit the table.")},
    )


class ReviewForm(BootstrapFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("approve", _("Approve")), ("return", _("Return"))], widget=forms.RadioSelect
    )
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CheckAnswerForm(BootstrapFormMixin, forms.Form):
    item_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    risk = forms.CharField(widget=forms.HiddenInput)
    problem_found = forms.TypedChoiceField(
        label=_("Result"),
        choices=[("0", _("No problem")), ("1", _("Problem found"))],
        coerce=lambda v: v == "1",
        initial="0",
        widget=forms.RadioSelect,
    )
    problem = forms.CharField(label=_("What was found"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    action_taken = forms.CharField(label=_("What was done"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("problem_found"):
            if not cleaned.get("problem", "").strip():
                self.add_error("problem", _("Say what was found."))
            if not cleaned.get("action_taken", "").strip():
                self.add_error("action_taken", _("Say what was done about it."))
        return cleaned


CheckAnswerFormSet = forms.formset_factory(CheckAnswerForm, extra=0)


class CheckRemarkForm(BootstrapFormMixin, forms.Form):
    remark = forms.CharField(label=_("Remark"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AmendmentForm(BootstrapFormMixin, forms.Form):
    text = forms.CharField(label=_("Correction"), widget=forms.Textarea(attrs={"rows": 3}))


class ImportUploadForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=ImportKind.choices)
    institution = forms.ModelChoiceField(label=_("Institution"), queryset=Institution.objects.none())
    file = forms.FileField(label=_("File (.xlsx, .xls or .csv)"))
    sheet = sheet_field()

    def __init__(self, *args: Any, institutions: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offer(institution=institutions)
        if institutions.count() == 1:
            self.fields["institution"].initial = institutions.first()

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        check_upload(upload)
        return upload


class ImportMappingForm(ColumnMappingForm):
    """The shared mapping step, with a default for blank grades, one select per grade word (what it means), and
    whether to create what the institution lacks or publish at once."""

    # What a whole sheet usually leaves out because it is all one department's, one level's or one category's.
    CONSTANTS: dict[str, tuple[str, ...]] = {
        ImportKind.RISK_POINTS: ("scope", "department", "category"),
        ImportKind.POWER_ITEMS: ("department", "category"),
    }

    publish = forms.BooleanField(label=_("These risk points are already approved: publish them"), required=False)
    default_grade = forms.ChoiceField(
        label=_("A blank grade means"), choices=[("", "—"), *Grade.choices], required=False
    )
    create_missing = forms.BooleanField(
        label=_("Create the departments and power items the file names and the institution lacks"), required=False
    )

    def __init__(
        self,
        *args: Any,
        columns: list[Column],
        header: list[str],
        grade_words: list[str],
        batch: ImportBatch,
        **kwargs: Any,
    ) -> None:
        self.constant_keys = self.CONSTANTS[batch.kind]
        super().__init__(*args, columns=columns, header=header, mapping=batch.mapping(), **kwargs)
        for n, word in enumerate(grade_words):
            self.fields[f"grade_{n}"] = forms.ChoiceField(
                label=_("“%(word)s” means") % {"word": word},
                choices=[("", "—"), *Grade.choices],
                initial=batch.grade_map.get(word, ""),
                required=False,
            )
        self.fields["default_grade"].initial = batch.defaults.get("grade", "")
        self.fields["create_missing"].initial = batch.create_missing
        if batch.kind != ImportKind.RISK_POINTS:
            del self.fields["publish"], self.fields["default_grade"]
        self.grade_words = grade_words

    def defaults(self) -> dict[str, str]:
        return {"grade": self.cleaned_data["default_grade"]} if self.cleaned_data.get("default_grade") else {}

    def grade_map(self) -> dict[str, str]:
        return {word: self.cleaned_data.get(f"grade_{n}", "") for n, word in enumerate(self.grade_words)}
