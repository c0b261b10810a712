from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from cases import seals
        from cases.actions import hand_over_cases
        from cases.assessments import reroute_assessments
        from cases.importing import register_kinds as register_sheet_kinds
        from cases.obligations import register_kinds
        from integrity import departures, events

        register_kinds()
        register_sheet_kinds()
        seals.register_kinds()
        events.subscribe("routes_changed", reroute_assessments)
        if hand_over_cases not in departures.handovers:
            departures.handovers.append(hand_over_cases)
