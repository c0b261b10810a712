"""Choices of the inspections app; each carries its label once, and its colour where it is drawn."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class InspectionKind(models.TextChoices):
    ROUTINE = "routine", _("Monthly routine inspection")
    SPECIAL = "special", _("Quarterly special inspection")
    AD_HOC = "ad_hoc", _("Ad hoc inspection")


class InspectionStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("inspection", "Under way")
    REPORTED = "reported", pgettext_lazy("inspection", "Reported")

    @property
    def colour(self) -> str:
        return {"planned": "primary", "reported": "success"}[self.value]


class ItemResult(models.TextChoices):
    PENDING = "pending", _("Not yet checked")
    CLEAR = "clear", _("No problem found")
    FINDING = "finding", _("Problem found")

    @property
    def colour(self) -> str:
        return {"pending": "secondary", "clear": "success", "finding": "danger"}[self.value]
