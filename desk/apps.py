from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    """The top layer: pages that gather what every app knows about the user — the workbench and the bell."""

    name = "desk"
    verbose_name = _("Workbench")
