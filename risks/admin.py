"""Administrators keep the list of risk categories here; a category is retired, never deleted."""

from django.contrib import admin

from integrity.admin import AdministratorOnly
from risks.models import RiskCategory


@admin.register(RiskCategory)
class RiskCategoryAdmin(AdministratorOnly, admin.ModelAdmin):
    list_display = ("name", "order", "is_active")
    list_editable = ("order", "is_active")
    search_fields = ("name",)
