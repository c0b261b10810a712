from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = _("Warnings")

    def ready(self) -> None:
        from alerts.obligations import register_kinds

        register_kinds()
