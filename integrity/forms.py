"""Forms of the organisation pages. They validate input; the actions do the writing."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integrity import audit
from integrity.choices import AuditEventKind, Departure
from integrity.models import Officer, Post


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
