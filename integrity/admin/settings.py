"""Admin pages of what the institution sets: the security policy, the header synonyms the imports
propose from, the working-day calendar."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from integrity import actions, audit
from integrity.admin.bases import AdministratorOnly, EveryoneOrOwnAdmin, EveryoneOrOwnForm, keeps_everyones
from integrity.choices import AuditEventKind, Role
from integrity.http import officer_of
from integrity.models import (
    CalendarDay,
    CalendarYear,
    HeaderSynonym,
    SecurityPolicy,
)
from integrity.queries import (
    scope_for,
    securable_institutions,
)
from integrity.spreadsheets import SHEET_KINDS


class SecurityPolicyForm(forms.ModelForm):
    second_factor_roles = forms.MultipleChoiceField(
        label=_("roles that log in with a second factor"), choices=Role.choices, required=False,
        widget=forms.CheckboxSelectMultiple, help_text=SecurityPolicy._meta.get_field("second_factor_roles").help_text,
    )  # fmt: skip

    class Meta:
        model = SecurityPolicy
        fields = [
            "password_min_length", "password_classes", "password_history", "password_max_age_days",
            "second_factor_roles", "one_session_per_account", "audit_retention_days",
        ]  # fmt: skip


@admin.register(SecurityPolicy)
class SecurityPolicyAdmin(SimpleHistoryAdmin):
    """The deployment's password rules and who logs in with a second factor: one row, kept by the security
    administrator of the top body."""

    form = SecurityPolicyForm

    list_display = ("__str__", "password_min_length", "password_classes", "password_history", "password_max_age_days")

    def _keeper(self, request: HttpRequest) -> bool:
        return request.user.is_superuser or (
            scope_for(officer_of(request)).is_security_administrator
            and securable_institutions(officer_of(request)).filter(parent__isnull=True).exists()
        )

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._keeper(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._keeper(request)

    has_change_permission = has_view_permission

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._keeper(request) and not SecurityPolicy.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        obj.pk = 1
        super().save_model(request, obj, form, change)
        audit.record(
            AuditEventKind.POLICY_CHANGED, request=request, target="security_policy",
            **{field: getattr(obj, field) for field in form.changed_data},
        )  # fmt: skip


class HeaderSynonymForm(forms.ModelForm):
    """The kind of file and its field chosen together (a field belongs to one kind); a synonym for every
    institution only from an administrator of the top body."""

    target = forms.ChoiceField(label=_("Field"))

    class Meta:
        model = HeaderSynonym
        fields = ("header", "institution")

    def __init__(self, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        target = self.fields["target"]
        assert isinstance(target, forms.ChoiceField)
        target.choices = [
            (str(kind.label), [(f"{kind.code}:{c.key}", c.label) for c in kind.columns])
            for kind in SHEET_KINDS.values()
        ]
        if self.instance.pk:
            self.fields["target"].initial = f"{self.instance.kind}:{self.instance.field}"

    def clean_header(self) -> str:
        return self.cleaned_data["header"].strip()

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        kind, _sep, key = data.get("target", "").partition(":")
        self.instance.kind, self.instance.field = kind, key
        if not data.get("institution") and not keeps_everyones(self.request):
            self.add_error("institution", _("Choose the institution: a synonym for everyone is the top body's."))
        taken = HeaderSynonym.objects.filter(
            kind=kind, header=data.get("header", ""), institution=data.get("institution")
        ).exclude(pk=self.instance.pk)
        if taken.exists():
            self.add_error("header", _("This header is already a synonym there."))
        return data


@admin.register(HeaderSynonym)
class HeaderSynonymAdmin(EveryoneOrOwnAdmin):
    """Headers institutions' files use, kept as data: every import proposes columns from them."""

    form = HeaderSynonymForm
    list_display = ("header", "kind", "field", "institution", "added_by", "added_at")
    list_filter = ("kind",)
    search_fields = ("header",)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            obj.added_by = officer_of(request)
        super().save_model(request, obj, form, change)


class CalendarDayForm(EveryoneOrOwnForm):
    class Meta:
        model = CalendarDay
        fields = ("day", "kind", "name", "institution")


@admin.register(CalendarDay)
class CalendarDayAdmin(EveryoneOrOwnAdmin):
    """The working-day calendar: the State Council's arrangement for everyone (``manage.py seed_calendar`` adds a
    year the ``holidays`` package knows; the administrator enters the days off in lieu and make-up working days when
    the yearly notice comes out), and an institution's own days."""

    form = CalendarDayForm
    list_display = ("day", "kind", "name", "institution")
    list_filter = ("kind",)
    date_hierarchy = "day"
    search_fields = ("name",)


@admin.register(CalendarYear)
class CalendarYearAdmin(AdministratorOnly, SimpleHistoryAdmin):
    """Confirming a year of everyone's calendar (after entering the State Council's notice) ends the top body's
    administrators' obligation for it; only they confirm."""

    fields = ("year",)
    list_display = ("year", "confirmed_by", "confirmed_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return keeps_everyones(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        obj.confirmed_by = officer_of(request)
        actions.audited(obj, officer_of(request))
        super().save_model(request, obj, form, change)
