"""Administrators keep the alert policy and the return-visit questions, and watch the delivery of e-mail reminders."""

from typing import Any

from django.contrib import admin, messages
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from alerts.models import AlertPolicy, Notification, VisitQuestion
from alerts.reminders import MAX_EMAIL_ATTEMPTS
from integrity.admin import AdministratorOnly, EveryoneOrOwnAdmin, EveryoneOrOwnForm, InstitutionPolicyAdmin
from integrity.http import officer_of
from integrity.queries import manageable_officers


@admin.register(AlertPolicy)
class AlertPolicyAdmin(InstitutionPolicyAdmin):
    list_display = (
        "institution",
        "violation_red_days",
        "yellow_reminder_days",
        "action_reminder_days",
    )


class VisitQuestionForm(EveryoneOrOwnForm):
    class Meta:
        model = VisitQuestion
        fields = ("text", "order", "institution", "is_active")


@admin.register(VisitQuestion)
class VisitQuestionAdmin(EveryoneOrOwnAdmin):
    """The questions a return visit asks: everyone's from the top body, a body's own for itself and below."""

    form = VisitQuestionForm
    list_display = ("text", "order", "institution", "is_active")


class DeliveryFilter(admin.SimpleListFilter):
    title = _("e-mail")
    parameter_name = "email"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [
            ("failing", _("failing (will be tried again)")),
            ("given_up", _("given up after %(n)s attempts") % {"n": MAX_EMAIL_ATTEMPTS}),
            ("sent", _("sent")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        pending = Q(emailed_at__isnull=True, email_attempts__gt=0)
        return {
            "failing": queryset.filter(pending, email_attempts__lt=MAX_EMAIL_ATTEMPTS),
            "given_up": queryset.filter(pending, email_attempts__gte=MAX_EMAIL_ATTEMPTS),
            "sent": queryset.filter(emailed_at__isnull=False),
        }.get(self.value() or "", queryset)


@admin.register(Notification)
class NotificationAdmin(AdministratorOnly, admin.ModelAdmin):
    """Whether reminders reached their recipients: a failed e-mail stays here with its error until it goes. The text
    is not shown — administrators see the delivery, not the integrity matter it is about."""

    list_display = ("recipient", "created_at", "emailed_at", "email_attempts", "email_retry_at", "email_error")
    list_filter = (DeliveryFilter,)
    search_fields = ("recipient__full_name", "recipient__username", "email_error")
    fields = list_display
    readonly_fields = list_display
    actions = ["try_again"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Notification]:
        return Notification.objects.filter(recipient__in=manageable_officers(officer_of(request))).select_related(
            "recipient"
        )

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Try the e-mail again at the next delivery"))
    def try_again(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        n = queryset.filter(emailed_at__isnull=True).update(email_attempts=0, email_retry_at=None)
        self.message_user(
            request, ngettext("%(n)s e-mail will be tried again.", "%(n)s e-mails will be tried again.", n) % {"n": n},
            messages.SUCCESS,
        )  # fmt: skip
