"""Administrators keep each body's archive policy: the quarterly assessment's points and grades, the talks' and the
personal reports' deadlines."""

from django.contrib import admin

from archives.models import ArchivePolicy
from integrity.admin import InstitutionPolicyAdmin


@admin.register(ArchivePolicy)
class ArchivePolicyAdmin(InstitutionPolicyAdmin):
    list_display = ("institution", "excellent_from", "good_from", "fair_from", "bar_days", "annual_talk_month")
