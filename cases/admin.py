"""Administrators keep each body's case policy and the case data lists: declaration questions, risk factors, the
colour scale, stages.

Nothing here is deleted: a question or factor is retired (``in use`` off), and past declarations keep the
wording they were answered with.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from cases.models import CasePolicy, ColourGrade, DeclarationQuestion, RiskFactor, Stage
from integrity.admin import AdministratorOnly, InstitutionPolicyAdmin


@admin.register(CasePolicy)
class CasePolicyAdmin(InstitutionPolicyAdmin):
    list_display = ("institution", "declaration_days", "declaration_red_days", "assessment_days")


@admin.register(DeclarationQuestion)
class DeclarationQuestionAdmin(AdministratorOnly, SimpleHistoryAdmin):
    list_display = ("text", "kind", "order", "is_active")
    list_editable = ("order", "is_active")
    list_filter = ("kind", "is_active")


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
