from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class IntegrityConfig(AppConfig):
    default = True
    name = "integrity"
    verbose_name = _("Organisation and people")

    def ready(self) -> None:
        from axes.signals import user_locked_out
        from django_tables2 import utils as tables_utils

        from integrity import calendar_kinds, lookups, onboarding, role_requests, signals  # noqa: F401 (lookups)
        from integrity.tables import remembered_signature

        tables_utils.signature = remembered_signature  # read by the library's ``call_with_appropriate`` on each call

        calendar_kinds.register_kinds()
        onboarding.register_kinds()
        role_requests.register_kinds()
        user_locked_out.connect(signals.locked_out, dispatch_uid="audit_locked_out")


class IntegrityAdminConfig(admin_apps.AdminConfig):
    default = False
    """The admin site answers to the product's administrator role, not to Django's ``is_staff`` flag."""

    default_site = "integrity.admin_site.IntegrityAdminSite"
