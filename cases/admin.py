"""Administrators keep each body's case policy and the case data lists: declaration questions, risk factors, the
colour scale, stages.

Nothing here is deleted: a question or factor is retired (``in use`` off), and past declarations keep the
wording they were answered with.
"""

from typing import Any

from django.contrib import admin
from django.db.models import ForeignKey, Q, QuerySet
from django.forms import ModelChoiceField
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from cases.models import CasePolicy, ColourGrade, DeclarationQuestion, QuestionOptOut, RiskFactor, Stage
from integrity.admin import AdministratorOnly, InstitutionPolicyAdmin
from integrity.http import officer_of
from integrity.queries import manageable_institutions, scope_for


@admin.register(CasePolicy)
class CasePolicyAdmin(InstitutionPolicyAdmin):
    list_display = ("institution", "declaration_days", "declaration_red_days", "assessment_days")


def _inherited_q(request: HttpRequest) -> Q:
    """The questions asked in the bodies an administrator manages: the product's, their bodies' own and those of
    the bodies above them."""
    managed = list(manageable_institutions(officer_of(request)))
    lineage = {pk for institution in managed for pk in institution.lineage}
    return Q(institution__isnull=True) | Q(institution__in=lineage)


@admin.register(DeclarationQuestion)
class DeclarationQuestionAdmin(AdministratorOnly, SimpleHistoryAdmin):
    """An administrator adds and retires the questions of the bodies they manage; the product's questions and those
    of the bodies above are theirs to read (and to stop asking: ``QuestionOptOut``), not to change."""

    list_display = ("text", "institution", "kind", "order", "is_active")
    list_filter = ("kind", "is_active")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).filter(_inherited_q(request)).select_related("institution")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or scope_for(officer_of(request)).is_superuser:
            return True
        return manageable_institutions(officer_of(request)).filter(pk=obj.institution_id).exists()

    def formfield_for_foreignkey(
        self, db_field: ForeignKey, request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField | None:
        if db_field.name == "institution" and not scope_for(officer_of(request)).is_superuser:
            kwargs["queryset"] = manageable_institutions(officer_of(request))
            kwargs["required"] = True  # only the product's own questions have none
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(QuestionOptOut)
class QuestionOptOutAdmin(InstitutionPolicyAdmin):
    """The inherited questions a body the administrator manages no longer asks (nor the bodies below it)."""

    list_display = ("institution", "question", "created_by", "created_at")
    readonly_fields = ("created_by", "created_at")

    def formfield_for_foreignkey(
        self, db_field: ForeignKey, request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField | None:
        if db_field.name == "question":
            kwargs["queryset"] = DeclarationQuestion.objects.filter(_inherited_q(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            obj.created_by = officer_of(request)
        super().save_model(request, obj, form, change)


@admin.register(RiskFactor)
class RiskFactorAdmin(AdministratorOnly, admin.ModelAdmin):
    list_display = ("name", "weight", "order", "is_active")
    list_editable = ("weight", "order", "is_active")


@admin.register(ColourGrade)
class ColourGradeAdmin(AdministratorOnly, admin.ModelAdmin):
    list_display = ("colour", "min_score", "approval_level", "deadline_days")
    list_editable = ("min_score", "approval_level", "deadline_days")


@admin.register(Stage)
class StageAdmin(AdministratorOnly, admin.ModelAdmin):
    list_display = ("name", "order", "is_decision", "is_final", "reassessed")
