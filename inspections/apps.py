from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = _("Inspections")

    def ready(self) -> None:
        from inspections.actions import reroute_findings
        from inspections.obligations import register_kinds
        from integrity import events

        register_kinds()
        events.subscribe("routes_changed", reroute_findings)
