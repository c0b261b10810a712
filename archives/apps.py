from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchivesConfig(AppConfig):
    name = "archives"
    verbose_name = _("Archives")

    def ready(self) -> None:
        from archives import seals
        from archives.actions import check_promotion, open_post_talks, owe_exit_talk
        from archives.obligations import register_kinds
        from archives.views import officer_page
        from integrity import bars, departures, events, pages

        register_kinds()
        seals.register_kinds()
        events.subscribe("post_changed", open_post_talks)
        if owe_exit_talk not in departures.handovers:
            departures.handovers.append(owe_exit_talk)
        if officer_page not in pages.officer_page:
            pages.officer_page.append(officer_page)
        if check_promotion not in bars.promotion_checks:
            bars.promotion_checks.append(check_promotion)
