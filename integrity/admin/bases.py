"""What every admin page of the product shares: pages for the administrators only, or for the security
administrator only; an institution's policy page scoped to the bodies one manages; data kept for
everyone or for one body and the bodies below it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import ForeignKey, Q, QuerySet
from django.forms import ModelChoiceField
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from integrity import actions
from integrity.http import officer_of
from integrity.queries import (
    manageable_institutions,
    scope_for,
)


class _ScopeOnly:
    """Pages open to the holders of one administrator role (``needs``: the scope's flag for it); deletion is not a
    user action."""

    needs: str

    def _holds(self, request: HttpRequest) -> bool:
        return bool(getattr(scope_for(officer_of(request)), self.needs))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._holds(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._holds(request)

    has_change_permission = has_view_permission

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._holds(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AdministratorOnly(_ScopeOnly):
    """Administrators manage their own subtree."""

    needs = "is_administrator"


class SecurityOnly(_ScopeOnly):
    """The security administrator's pages: roles and the security policy."""

    needs = "is_security_administrator"


class InstitutionPolicyAdmin(AdministratorOnly, SimpleHistoryAdmin):
    """An institution's policy (one row per body): an administrator sees and sets those of the bodies they manage."""

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).filter(institution__in=manageable_institutions(officer_of(request)))

    def formfield_for_foreignkey(
        self, db_field: ForeignKey, request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField | None:
        if db_field.name == "institution":
            kwargs["queryset"] = manageable_institutions(officer_of(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def keeps_everyones(request: HttpRequest) -> bool:
    return (
        request.user.is_superuser or manageable_institutions(officer_of(request)).filter(parent__isnull=True).exists()
    )


class EveryoneOrOwnAdmin(AdministratorOnly, SimpleHistoryAdmin):
    """Data that is everyone's (blank institution) or an institution's for itself and the bodies below it: an
    administrator sees everyone's rows and their bodies' rows, changes their bodies' rows, and everyone's only from
    the top body. A wrong row is removed (its history keeps who added and who removed it). The form takes the
    request, to refuse a row for everyone from an administrator below the top."""

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form: Any = super().get_form(request, obj, change, **kwargs)

        class Bound(form):
            def __init__(self, *args: Any, **inner: Any) -> None:
                super().__init__(*args, request=request, **inner)

        return Bound

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        institutions = manageable_institutions(officer_of(request))
        return super().get_queryset(request).filter(Q(institution__isnull=True) | Q(institution__in=institutions))

    def formfield_for_foreignkey(
        self, db_field: ForeignKey, request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField | None:
        if db_field.name == "institution":
            kwargs["queryset"] = manageable_institutions(officer_of(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.institution_id is None and not keeps_everyones(request):
            return False
        return scope_for(officer_of(request)).is_administrator

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_change_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        actions.audited(obj, officer_of(request))
        super().save_model(request, obj, form, change)


class EveryoneOrOwnForm(forms.ModelForm):
    """A row for everyone only from an administrator of the top body; below it, for their own bodies."""

    def __init__(self, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not data.get("institution") and not keeps_everyones(self.request):
            self.add_error("institution", _("Choose the institution: what is everyone's is kept by the top body."))
        return data
