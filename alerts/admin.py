"""Administrators keep the holidays and the alert policy."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from alerts.models import AlertPolicy, Holiday
from integrity.admin import AdministratorOnly


@admin.register(Holiday)
class HolidayAdmin(AdministratorOnly, admin.ModelAdmin):
    list_display = ("name", "day")


@admin.register(AlertPolicy)
class AlertPolicyAdmin(AdministratorOnly, SimpleHistoryAdmin):
    list_display = (
        "institution",
        "declaration_red_days",
        "violation_red_days",
        "yellow_reminder_days",
        "action_reminder_days",
    )
