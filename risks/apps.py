from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RisksConfig(AppConfig):
    name = "risks"
    verbose_name = _("Risks")

    def ready(self) -> None:
        from integrity import departures, events
        from risks import seals
        from risks.importing import register_kinds as register_sheet_kinds
        from risks.obligations import register_kinds
        from risks.personal import close_on_departure, open_risk_tables_for
        from risks.reviews import reroute_reviews

        register_kinds()
        register_sheet_kinds()
        seals.register_kinds()
        events.subscribe("post_changed", open_risk_tables_for)
        events.subscribe("routes_changed", reroute_reviews)
        if close_on_departure not in departures.handovers:
            departures.handovers.append(close_on_departure)
