"""Supervision notices (督办) for obligations past their day, and the cards handed to a case's parties (廉政监督卡)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.models.assessments import Assessment
from cases.models.cases import Case, CaseParty
from integrity.models import Institution, Officer


class SupervisionNotice(models.Model):
    """督办通知书 — issued once per overdue obligation: when an assessed case passes its handling deadline (to the
    handler), or when a review or approval has waited past the policy's days (to the reviewer); copied to the one who
    answers for the addressee; acknowledged (签收) and answered (反馈) by the addressee, and closed when the
    obligation is met — the case's risk closed with its feedback, the review done."""

    # What is overdue: the kind of obligation (``integrity.obligations``) and its record; unique, so issued once.
    kind = models.CharField(_("obligation"), max_length=50, default="cases.assessment")
    record_id = models.PositiveIntegerField()
    title = models.CharField(_("what is overdue"), max_length=200, blank=True)
    url = models.CharField(max_length=300, blank=True)
    assessment = models.OneToOneField(
        Assessment, verbose_name=_("assessment"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="notice",
    )  # fmt: skip
    # The issuing body numbers its notices by year: 〔2026〕3号 is its third of 2026.
    institution = models.ForeignKey(
        Institution, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="supervision_notices"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    serial = models.PositiveIntegerField(_("serial number"))
    addressed_to = models.ForeignKey(
        Officer, verbose_name=_("addressed to"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    copied_to = models.ForeignKey(
        Officer, verbose_name=_("copied to"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    text = models.TextField(_("notice"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("supervision notice")
        verbose_name_plural = _("supervision notices")
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "year", "serial"], name="one_notice_per_number"),
            models.UniqueConstraint(fields=["kind", "record_id"], name="one_notice_per_obligation"),
        ]
        # The board's open notices, oldest first: the first ten read off the index rather than sorted out of all.
        indexes = [
            models.Index(fields=["issued_at", "id"], condition=Q(closed_at__isnull=True), name="open_notice_idx")
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("cases:notice_detail", args=[self.pk])

    @property
    def number(self) -> str:
        """文号, as the issuing body writes it: its short name, 督, the year in 〔〕 and the serial."""
        return f"{self.institution.short_name or self.institution.name}督〔{self.year}〕{self.serial}号"


class SupervisionCard(models.Model):
    """廉政监督卡 — the card a party of a case is handed: the handlers' names, the rules they must keep and where to
    report a breach. Numbered by the institution per year; printing a party's card again gives the same number."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="cards")
    party = models.ForeignKey(CaseParty, verbose_name=_("party"), on_delete=models.CASCADE, related_name="cards")
    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    serial = models.PositiveIntegerField(_("serial number"))
    printed_by = models.ForeignKey(Officer, verbose_name=_("printed by"), on_delete=models.PROTECT, related_name="+")
    printed_at = models.DateTimeField(_("printed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("supervision card")
        verbose_name_plural = _("supervision cards")
        constraints = [
            models.UniqueConstraint(fields=["institution", "year", "serial"], name="one_card_per_serial"),
            models.UniqueConstraint(fields=["case", "party"], name="one_card_per_party"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"〔{self.year}〕{self.serial:06d}"
