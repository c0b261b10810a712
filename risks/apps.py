from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RisksConfig(AppConfig):
    name = "risks"
    verbose_name = _("Risks")

    def ready(self) -> None:
        from integrity import events
        from risks.actions import open_risk_tables_for
        from risks.obligations import register_kinds

        register_kinds()
        events.subscribe("post_changed", open_risk_tables_for)
