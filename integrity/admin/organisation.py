"""Admin pages of the organisation: institutions, departments, posts, officers, and the roles the
security administrator grants."""

from __future__ import annotations

import copy
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserCreationForm
from django.core.exceptions import PermissionDenied
from django.db.models import ForeignKey, ManyToManyField, QuerySet
from django.forms import ModelChoiceField, ModelMultipleChoiceField
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from integrity import actions, generations, second_factor
from integrity.admin.bases import AdministratorOnly, SecurityOnly
from integrity.forms import PasswordResetByAdministratorForm
from integrity.http import officer_of
from integrity.models import (
    Department,
    Institution,
    Officer,
    Post,
    RoleAssignment,
)
from integrity.queries import (
    manageable_departments,
    manageable_institutions,
    manageable_officers,
    manageable_posts,
    scope_for,
    securable_institutions,
    securable_officers,
)
from integrity.rules import role_problems


@admin.register(Institution)
class InstitutionAdmin(AdministratorOnly, SimpleHistoryAdmin):
    list_display = ("name", "level", "kind", "parent", "time_zone", "is_active")
    list_filter = ("level", "kind", "is_active")
    search_fields = ("name", "code")
    fields = ("name", "short_name", "code", "kind", "level", "parent", "time_zone", "is_active")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return manageable_institutions(officer_of(request))

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str] | tuple[str, ...]:
        # Moving a body in the hierarchy would silently change who sees it; that is a migration, not an edit.
        return ("parent",) if obj else ()

    def formfield_for_foreignkey(
        self, db_field: ForeignKey, request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField | None:
        if db_field.name == "parent":
            kwargs["queryset"] = manageable_institutions(officer_of(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:
            generations.moved(generations.ORGANISATION)  # a name shown with counts kept in the cache
            return super().save_model(request, obj, form, change)
        data = form.cleaned_data
        created = actions.create_institution(
            name=data["name"],
            short_name=data["short_name"],
            code=data["code"],
            kind=data["kind"],
            level=data["level"],
            parent=data["parent"],
            time_zone=data["time_zone"],
            acting_user=officer_of(request),
        )
        obj.pk, obj.path = created.pk, created.path


@admin.register(Department)
class DepartmentAdmin(AdministratorOnly, SimpleHistoryAdmin):
    list_display = ("name", "institution", "order", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name",)
    list_select_related = ("institution",)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return manageable_departments(officer_of(request))

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str] | tuple[str, ...]:
        # A department stays in its body: its officers and posts are that body's, and who may see them follows
        # from it (``integrity.queries.Scope``). Officers move to another body by a change of post.
        return ("institution",) if obj else ()

    def formfield_for_foreignkey(
        self, db_field: ForeignKey, request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField | None:
        if db_field.name == "institution":
            kwargs["queryset"] = manageable_institutions(officer_of(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:
            generations.moved(generations.ORGANISATION)  # a name shown with counts kept in the cache
        super().save_model(request, obj, form, change)


@admin.register(Post)
class PostAdmin(AdministratorOnly, SimpleHistoryAdmin):
    list_display = ("name", "department", "rank", "is_key_post", "is_active")
    list_filter = ("is_key_post", "is_active")
    search_fields = ("name", "main_duties")
    list_select_related = ("department__institution",)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return manageable_posts(officer_of(request))

    def formfield_for_foreignkey(
        self, db_field: ForeignKey, request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField | None:
        if db_field.name == "department":
            kwargs["queryset"] = manageable_departments(officer_of(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class OfficerCreationForm(UserCreationForm):
    class Meta:
        model = Officer
        fields = ("username", "full_name", "staff_number", "department", "post")

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        post, department = cleaned.get("post"), cleaned.get("department")
        if post and department and post.department_id != department.pk:
            raise forms.ValidationError(_("The post must belong to the chosen department."))
        return cleaned


class RoleInline(admin.TabularInline):
    """An officer's roles, shown on the account; granted and revoked only by the security administrator."""

    model = RoleAssignment
    fk_name = "officer"
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    has_change_permission = has_delete_permission = has_add_permission
    fields = ("role", "institution", "departments", "granted_by", "granted_at")
    readonly_fields = ("role", "institution", "departments", "granted_by", "granted_at")
    can_delete = False


@admin.register(Officer)
class OfficerAdmin(AdministratorOnly, UserAdmin, SimpleHistoryAdmin):
    add_form = OfficerCreationForm
    list_display = ("username", "full_name", "institution", "department", "post", "is_active")
    list_filter = ("is_active",)
    search_fields = ("username", "full_name", "staff_number")
    list_select_related = ("institution", "department", "post")
    ordering = ("username",)
    inlines = [RoleInline]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("full_name", "staff_number", "email", "phone")}),
        (_("Organisation"), {"fields": ("institution", "department", "post")}),
        (_("Status"), {"fields": ("is_active", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"fields": ("username", "full_name", "staff_number", "department", "post", "password1", "password2")}),
    )
    # The post changes on the officer's page, where the post history is kept; not by editing a field.
    readonly_fields = ("institution", "department", "post", "last_login", "date_joined")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str] | tuple[str, ...]:
        return self.readonly_fields if obj else ()

    actions = ["reset_second_factor"]

    @admin.action(description=_("Reset the second factor (a lost phone)"), permissions=["reset_second_factor"])
    def reset_second_factor(self, request: HttpRequest, queryset: QuerySet[Officer]) -> None:
        """The security administrator's: the officers set up their authenticator again at their next login."""
        officers = list(
            queryset.filter(pk__in=securable_officers(officer_of(request))).exclude(pk=officer_of(request).pk)
        )
        for officer in officers:
            second_factor.reset(officer, acting_user=officer_of(request))
        self.message_user(request, _("Second factor reset for %(n)d officer(s).") % {"n": len(officers)})

    def has_reset_second_factor_permission(self, request: HttpRequest) -> bool:
        return scope_for(officer_of(request)).is_security_administrator

    # The system administrator keeps accounts; the security administrator sees them (to grant roles, reset
    # passwords and second factors) and changes nothing else.
    def has_module_permission(self, request: HttpRequest) -> bool:
        scope = scope_for(officer_of(request))
        return scope.is_administrator or scope.is_security_administrator

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        scope = scope_for(officer_of(request))
        if scope.is_administrator:
            return manageable_officers(officer_of(request))
        return securable_officers(officer_of(request))

    def formfield_for_foreignkey(
        self, db_field: ForeignKey, request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField | None:
        if db_field.name == "department":
            kwargs["queryset"] = manageable_departments(officer_of(request))
        elif db_field.name == "post":
            kwargs["queryset"] = manageable_posts(officer_of(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:
            return super().save_model(request, obj, form, change)
        data = form.cleaned_data
        created = actions.create_officer(
            username=data["username"],
            full_name=data["full_name"],
            staff_number=data.get("staff_number", ""),
            department=data["department"],
            post=data.get("post"),
            password=data.get("password1"),
            acting_user=officer_of(request),
        )
        obj.pk = created.pk

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        if change:
            super().save_related(request, form, formsets, change)

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        """A password set here is a reset — the security administrator's, for the officers of their bodies —
        recorded with who did it; the officer chooses their own at the next login. The form is bound to this request
        on a copy of the admin, so concurrent resets cannot mix their users."""
        if not securable_officers(officer_of(request)).filter(pk=id).exists():
            raise PermissionDenied

        class Reset(PasswordResetByAdministratorForm):
            acting_user = officer_of(request)

        bound = copy.copy(self)
        bound.change_password_form = Reset
        bound.has_change_permission = lambda request, obj=None: True  # type: ignore[method-assign]  # this copy only
        return UserAdmin.user_change_password(bound, request, id, form_url)


class RoleAssignmentForm(forms.ModelForm):
    class Meta:
        model = RoleAssignment
        fields = ("officer", "role", "institution", "departments")

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        role, institution = cleaned.get("role") or self.instance.role, cleaned.get("institution")
        institution = institution or getattr(self.instance, "institution", None)
        officer = cleaned.get("officer") or getattr(self.instance, "officer", None)
        if role and institution:
            departments = cleaned.get("departments") or []
            held = (
                list(officer.role_assignments.exclude(pk=self.instance.pk).values_list("role", flat=True))
                if (officer is not None and officer.pk)
                else []
            )
            for problem in role_problems(role, institution.pk, [d.institution_id for d in departments], held):
                self.add_error(None, problem)
        return cleaned


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(SecurityOnly, SimpleHistoryAdmin):
    form = RoleAssignmentForm
    list_display = ("officer", "role", "institution", "granted_by", "granted_at")
    list_filter = ("role",)
    search_fields = ("officer__full_name", "officer__username")
    list_select_related = ("officer", "institution", "granted_by")
    autocomplete_fields = ("officer",)
    fields = ("officer", "role", "institution", "departments")
    filter_horizontal = ("departments",)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # Nobody changes their own roles: an administrator's own are not even listed to them.
        return super().get_queryset(request).filter(officer__in=securable_officers(officer_of(request)))

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str] | tuple[str, ...]:
        return ("officer", "role", "institution") if obj else ()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return scope_for(officer_of(request)).is_security_administrator

    def formfield_for_foreignkey(
        self, db_field: ForeignKey, request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField | None:
        if db_field.name == "officer":
            kwargs["queryset"] = securable_officers(officer_of(request))
        elif db_field.name == "institution":
            kwargs["queryset"] = securable_institutions(officer_of(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(
        self, db_field: ManyToManyField, request: HttpRequest, **kwargs: Any
    ) -> ModelMultipleChoiceField | None:
        if db_field.name == "departments":
            kwargs["queryset"] = Department.objects.filter(
                institution__in=securable_institutions(officer_of(request))
            ).select_related("institution")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        pass  # granted in save_related, once the chosen departments are known

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        granted = actions.grant_role(
            form.instance.officer,
            form.instance.role,
            form.instance.institution,
            departments=form.cleaned_data.get("departments", []),
            acting_user=officer_of(request),
        )
        form.instance.pk = granted.pk

    def delete_model(self, request: HttpRequest, obj: RoleAssignment) -> None:
        actions.revoke_role(obj, acting_user=officer_of(request))
