"""Forms of the organisation pages. They validate input; the actions do the writing."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integrity import audit
from integrity.choices import AuditEventKind, Departure
from integrity.models import Institution, Officer, Post
from integrity.spreadsheets import check_upload


class BootstrapFormMixin:
    """Give every widget Bootstrap's class, so templates render fields without per-field markup."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)):
                css = "form-check-input"
            elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class DepartureForm(BootstrapFormMixin, forms.Form):
    departure = forms.ChoiceField(label=_("Departure"), choices=Departure.choices)
    left_on = forms.DateField(
        label=_("Left on"),
        initial=timezone.localdate,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    successor = forms.ModelChoiceField(
        label=_("Successor"),
        queryset=Officer.objects.none(),
        required=False,
        help_text=_("Takes over the officer's open cases; needed when there are any."),
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, officer: Officer, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["successor"].queryset = (
            Officer.objects.filter(is_active=True, institution_id=officer.institution_id)
            .exclude(pk=officer.pk)
            .order_by("department__order", "full_name")
        )


class AssignPostForm(BootstrapFormMixin, forms.Form):
    post = forms.ModelChoiceField(label=_("New post"), queryset=Post.objects.none())
    started_on = forms.DateField(
        label=_("From"), initial=timezone.localdate, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, officer: Officer, posts, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.officer = officer
        self.fields["post"].queryset = posts.filter(is_active=True).exclude(pk=officer.post_id)

    def clean_started_on(self) -> datetime.date:
        started_on = self.cleaned_data["started_on"]
        current = self.officer.post_assignments.filter(ended_on__isnull=True).first()
        if current is not None and started_on < current.started_on:
            raise forms.ValidationError(
                _("The new post cannot start before the current one (%(date)s)."),
                params={"date": current.started_on},
            )
        return started_on


class PasswordChangeForm(BootstrapFormMixin, auth_forms.PasswordChangeForm):
    def save(self, commit: bool = True):
        self.user.must_change_password = False
        user = super().save(commit)
        if commit:
            audit.record(AuditEventKind.PASSWORD_CHANGED, actor=user, target=f"officer:{user.pk}")
        return user


class PasswordResetByAdministratorForm(auth_forms.AdminPasswordChangeForm):
    """An administrator sets someone else's password: the officer must choose their own at the next login."""

    acting_user: Officer | None = None

    def save(self, commit: bool = True):
        self.user.must_change_password = self.acting_user is None or self.acting_user.pk != self.user.pk
        user = super().save(commit)
        if commit:
            audit.record(AuditEventKind.PASSWORD_RESET, actor=self.acting_user, target=f"officer:{user.pk}")
        return user


class OnboardingForm(BootstrapFormMixin, forms.Form):
    """The staff list to import, the body rows without one belong to, and the accounts' initial password."""

    file = forms.FileField(label=_("Staff list (.xlsx, .xls or .csv)"))
    institution = forms.ModelChoiceField(
        label=_("Institution"), queryset=Institution.objects.none(),
        help_text=_("For rows that name no institution."),
    )  # fmt: skip
    password1 = forms.CharField(
        label=_("Initial password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Every new account starts with it and must change it at the first login."),
    )  # fmt: skip
    password2 = forms.CharField(
        label=_("Initial password again"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args, institutions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions
        self.fields["institution"].initial = institutions.order_by("path").first()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_upload(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            try:
                password_validation.validate_password(first)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class DecisionForm(BootstrapFormMixin, forms.Form):
    comment = forms.CharField(label=_("Reason"), required=False, widget=forms.TextInput())
