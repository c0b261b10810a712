from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = _("Warnings")

    def ready(self) -> None:
        from alerts.actions import reroute_rectifications
        from alerts.board import placements_changed
        from alerts.clues import reroute_clues
        from alerts.engine import refresh_lights
        from alerts.obligations import register_kinds
        from alerts.queries import case_clues_panel
        from alerts.reminders import store_notes
        from cases import panels
        from integrity import events, notify

        register_kinds()
        panels.register(case_clues_panel)
        events.subscribe("post_changed", placements_changed)
        events.subscribe("officers_changed", refresh_lights)
        events.subscribe("routes_changed", reroute_rectifications)
        events.subscribe("routes_changed", reroute_clues)
        if store_notes not in notify.senders:
            notify.senders.append(store_notes)
