from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = _("Warnings")

    def ready(self) -> None:
        from alerts.actions import reroute_rectifications
        from alerts.engine import refresh_lights
        from alerts.obligations import register_kinds
        from integrity import events

        register_kinds()
        events.subscribe("officers_changed", refresh_lights)
        events.subscribe("routes_changed", reroute_rectifications)
