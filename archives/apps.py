from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchivesConfig(AppConfig):
    name = "archives"
    verbose_name = _("Archives")

    def ready(self) -> None:
        from archives.actions import check_promotion
        from archives.obligations import register_kinds
        from archives.views import officer_page
        from integrity import bars, pages

        register_kinds()
        if officer_page not in pages.officer_page:
            pages.officer_page.append(officer_page)
        if check_promotion not in bars.promotion_checks:
            bars.promotion_checks.append(check_promotion)
