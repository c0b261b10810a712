"""Forms of the organisation pages. They validate input; the actions do the writing."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.db.models import QuerySet
from django.forms.utils import flatatt
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from integrity import audit
from integrity.choices import AuditEventKind, Departure
from integrity.models import Department, Institution, Officer, Post
from integrity.spreadsheets import Column, Mapping, check_upload


def sheet_field() -> forms.CharField:
    """Which sheet of a workbook an import reads."""
    return forms.CharField(
        label=_("Sheet"),
        max_length=100,
        required=False,
        help_text=_("Its name in the workbook; left blank, the sheet whose headers the product recognises."),
    )


class BootstrapFormMixin:
    """Give every widget Bootstrap's class, so templates render fields without per-field markup."""

    fields: dict[str, forms.Field]  # the form's: the mixin comes first in a form's bases

    def offer(self, *, label: Callable[[Any], str] | None = None, **querysets: QuerySet) -> None:
        """Let each named field choose only among its queryset's records (what the person may pick), each shown as
        ``label`` gives it when it is given."""
        for name, queryset in querysets.items():
            field = self.fields[name]
            if not isinstance(field, forms.ModelChoiceField):
                raise TypeError(f"{name} is not a choice of records")
            field.queryset = queryset
            if label is not None:
                field.label_from_instance = label  # type: ignore[method-assign,assignment]  # Django's hook, per field

    def __init__(self, *args: Any, **kwargs: Any) -> None:
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


class PlainSelect(forms.Select):
    """A select drawn in one pass, not through a template for each option: the same markup (the select's
    attributes, its groups, each option's value, attributes and label, escaped) in a fraction of the time. A
    province's 121 bodies took 19 ms through Django's templates on every list of the province's staff; 6 ms so,
    most of it reading the bodies."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        drawn = []
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                drawn.append(f'<optgroup label="{escape(group_name)}">')
            drawn.extend(map(_option, options))
            if group_name:
                drawn.append("</optgroup>")
        select = f'<select name="{escape(widget["name"])}"{flatatt(widget["attrs"])}>{"".join(drawn)}</select>'
        return mark_safe(select)  # every name, value and label escaped, the attributes by flatatt


def _option(option: dict[str, Any]) -> str:
    attrs = flatatt(option["attrs"]) if option["attrs"] else ""  # most options have none: flatatt costs as much
    return f'<option value="{escape(option["value"])}"{attrs}>{escape(option["label"])}</option>'


class RecordPicker(forms.Select):
    """A choice of one record among thousands: only the one chosen is drawn as an option, and the search box beside
    it fetches a few that match from ``options_url`` (htmx), as the options of the select. A province's discipline
    staff see 30,000 officers and 1,200 departments; a select of all the officers made the warning form 1.4 MB and
    took 5 seconds. The field still validates against its own queryset, so nothing outside what the form offers can
    be chosen by hand."""

    options_url = ""  # the search's URL name
    hint: str | Promise = ""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        # Choosing several, the search sends those already chosen (``keep`` names the select): they come back
        # chosen, ahead of what matches, so a second search adds to the first.
        keeping = format_html(' hx-include="next select" hx-vals=\'{{"keep": "{}"}}\'', name)
        search = format_html(
            '<input type="search" name="q" class="form-control form-control-sm mb-1" placeholder="{}" aria-label="{}" '
            'autocomplete="off" hx-get="{}" hx-trigger="input changed delay:300ms, search" hx-target="next select" '
            'hx-swap="innerHTML" data-testid="{}-search"{}>',
            self.hint, self.hint, reverse(self.options_url), name, keeping if self.allow_multiple_selected else "",
        )  # fmt: skip
        return search + super().render(name, value, attrs, renderer)

    def optgroups(self, name: str, value: list[Any], attrs: dict[str, Any] | None = None) -> list[Any]:
        field = self.choices.field  # type: ignore[attr-defined]  # a ModelChoiceField's iterator
        chosen = [v for v in value if str(v).isdigit()]
        options = []
        if not self.allow_multiple_selected:
            options.append(
                (None, [self.create_option(name, "", field.empty_label or "", not chosen, 0, attrs=attrs)], 0)
            )
        for index, record in enumerate(field.queryset.filter(pk__in=chosen), start=1):
            option = self.create_option(name, record.pk, field.label_from_instance(record), True, index, attrs=attrs)
            options.append((None, [option], index))
        return options


class OfficerPicker(RecordPicker):
    options_url = "integrity:officer_options"
    hint = _("Search by name, username or staff number")


class DepartmentPicker(RecordPicker):
    """Departments are named alike in every body (公诉科): the search and the options name the body too."""

    options_url = "integrity:department_options"
    hint = _("Search by the name of the department or of its body")


class DepartmentsPicker(DepartmentPicker, forms.SelectMultiple):
    """Several departments among a province's: the ones chosen are drawn, and each search adds to them."""


def officer_label(officer: Officer) -> str:
    """An officer with their body and staff number, as the officer picker's search offers them: 李明（市院 · 0012）."""
    body = officer.institution
    about = [text for text in (body and (body.short_name or body.name), officer.staff_number) if text]
    return f"{officer}（{' · '.join(about)}）" if about else str(officer)


def department_label(department: Department) -> str:
    """A department with its body, as the department picker shows it: 公诉科（东湖区院）."""
    body = department.institution
    return f"{department.name}（{body.short_name or body.name}）"


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

    def __init__(self, *args: Any, officer: Officer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offer(
            successor=Officer.objects.filter(is_active=True, institution=officer.institution)
            .exclude(pk=officer.pk)
            .order_by("department__order", "full_name")
        )


class AssignPostForm(BootstrapFormMixin, forms.Form):
    post = forms.ModelChoiceField(label=_("New post"), queryset=Post.objects.none())
    started_on = forms.DateField(
        label=_("From"), initial=timezone.localdate, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, officer: Officer, posts: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.officer = officer
        self.offer(post=posts.filter(is_active=True).exclude(pk=officer.post_id))

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
    def save(self, commit: bool = True) -> Officer:
        self.user.must_change_password = False
        user = super().save(commit)
        if commit:
            audit.record(AuditEventKind.PASSWORD_CHANGED, actor=user, target=f"officer:{user.pk}")
        return user


class PasswordResetByAdministratorForm(auth_forms.AdminPasswordChangeForm):
    """An administrator sets someone else's password: the officer must choose their own at the next login."""

    acting_user: Officer | None = None

    def save(self, commit: bool = True) -> Officer:
        self.user.must_change_password = self.acting_user is None or self.acting_user.pk != self.user.pk
        user = super().save(commit)
        if commit:
            audit.record(AuditEventKind.PASSWORD_RESET, actor=self.acting_user, target=f"officer:{user.pk}")
        return user


class OnboardingForm(BootstrapFormMixin, forms.Form):
    """The staff list to import, the body rows without one belong to, and the accounts' initial password."""

    file = forms.FileField(label=_("Staff list (.xlsx, .xls or .csv)"))
    sheet = sheet_field()
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

    def __init__(self, *args: Any, institutions: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offer(institution=institutions)
        self.fields["institution"].initial = institutions.order_by("path").first()

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        check_upload(upload)
        return upload

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
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


class ColumnMappingForm(BootstrapFormMixin, forms.Form):
    """The mapping step every import shares: one select per field (which of the file's columns holds it), a value
    for every row for the fields a whole sheet often lacks (``constant_keys``), a value for blank cells
    (``default_keys``), whether to skip bad rows, and whether to remember the headers chosen by hand."""

    skip_bad_rows = forms.BooleanField(
        label=_("Import the good rows and skip the rows with errors (they are listed in the error file)"),
        required=False,
    )
    remember_headers = forms.BooleanField(
        label=_("Remember the headers chosen here, so files that use them map themselves next time"),
        help_text=_("For this institution and the bodies below it, in the browser and on the command line."),
        required=False,
    )
    constant_keys: tuple[str, ...] = ()
    default_keys: tuple[str, ...] = ()

    def __init__(self, *args: Any, columns: list[Column], header: list[str], mapping: Mapping, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.columns, self.header = columns, header
        choices = [("", _("(not in this file)"))] + [(str(i), h or f"#{i + 1}") for i, h in enumerate(header)]
        fields: dict[str, forms.Field] = {}
        for column in columns:
            position = mapping.columns.get(column.key)
            fields[f"col_{column.key}"] = forms.ChoiceField(
                label=f"{column.label} *" if column.required else column.label,  # required unless given below
                choices=choices,
                required=False,
                initial="" if position is None else str(position),
            )
        for column in columns:
            if column.key in self.constant_keys:
                fields[f"const_{column.key}"] = forms.CharField(
                    label=_("Every row's %(field)s") % {"field": column.label},
                    required=False,
                    max_length=100,
                    initial=mapping.constants.get(column.key, ""),
                    help_text=_("When the file has no such column."),
                )
            if column.key in self.default_keys:
                fields[f"default_{column.key}"] = forms.CharField(
                    label=_("A blank %(field)s means") % {"field": column.label},
                    required=False,
                    max_length=100,
                    initial=mapping.defaults.get(column.key, ""),
                )
        self.fields = {**fields, **self.fields}  # the columns first, the choices after

    def column_map(self) -> dict[str, int | None]:
        return {
            c.key: int(self.cleaned_data[f"col_{c.key}"]) if self.cleaned_data.get(f"col_{c.key}") else None
            for c in self.columns
        }

    def constants(self) -> dict[str, str]:
        given = {key: self.cleaned_data.get(f"const_{key}", "").strip() for key in self.constant_keys}
        return {key: value for key, value in given.items() if value}

    def defaults(self) -> dict[str, str]:
        given = {key: self.cleaned_data.get(f"default_{key}", "").strip() for key in self.default_keys}
        return {key: value for key, value in given.items() if value}

    def chosen_headers(self) -> dict[str, str]:
        """field → the file's header chosen for it."""
        return {key: self.header[i] for key, i in self.column_map().items() if i is not None and self.header[i]}


class StaffMappingForm(ColumnMappingForm):
    """The mapping step of a staff list: a list that is one body's or one department's gives it once. A staff list
    is imported all or nothing, so there are no rows to skip."""

    constant_keys = ("institution", "department")
    default_keys = ("institution", "department")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["skip_bad_rows"]
