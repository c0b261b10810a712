"""Circulated notices (通报) and their recipients, and the return visits to a case's parties (回访) with
the questions asked."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from alerts.choices import (
    CircularKind,
    CircularStatus,
)
from alerts.models.clues import Clue
from integrity.choices import Role
from integrity.models import Department, Institution, Officer, everyone_or_below


class Circular(models.Model):
    """通报 — a notice the discipline staff or a leader circulates to institutions, departments, roles or people
    (criticism, commendation, inspection results, a warning case for education). Approved by a principal leader of
    the issuing body before it goes out; once published, each recipient owes reading it (``CircularRecipient``) and
    the sender sees who has and has not."""

    institution = models.ForeignKey(
        Institution, verbose_name=_("issuing institution"), on_delete=models.PROTECT, related_name="circulars"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=CircularKind.choices)
    number = models.CharField(
        pgettext_lazy("circular", "document number"),
        max_length=50,
        blank=True,
        help_text=_("For example 江检纪通〔2026〕3号."),
    )
    title = models.CharField(pgettext_lazy("circular", "title"), max_length=200)
    body = models.TextField(pgettext_lazy("circular", "text"))
    copy_to = models.CharField(_("copy to"), max_length=200, blank=True)
    to_institutions = models.ManyToManyField(
        Institution, verbose_name=_("to institutions"), blank=True, related_name="+",
        help_text=_("Everyone in these institutions."),
    )  # fmt: skip
    to_departments = models.ManyToManyField(Department, verbose_name=_("to departments"), blank=True, related_name="+")
    to_roles = models.JSONField(
        _("to roles"), default=list, blank=True,
        help_text=_("Everyone holding these roles in the issuing institution or the bodies below it."),
    )  # fmt: skip
    to_officers = models.ManyToManyField(Officer, verbose_name=_("to people"), blank=True, related_name="+")
    status = models.CharField(
        _("status"), max_length=20, choices=CircularStatus.choices, default=CircularStatus.DRAFT, db_index=True
    )
    written_by = models.ForeignKey(
        Officer, verbose_name=_("written by"), on_delete=models.PROTECT, related_name="circulars_written"
    )
    written_at = models.DateTimeField(_("written at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        Officer, verbose_name=_("approved by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    read_by = models.DateField(_("read by"), null=True, blank=True)
    return_reason = models.TextField(_("reason returned"), blank=True)
    # A notice to many (a province's officers) is handed to its recipients by a job: how many it names, and when
    # every one of them had it (``alerts.circulars.deliver``).
    recipient_count = models.PositiveIntegerField(_("recipients"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    history = HistoricalRecords(m2m_fields=[to_institutions, to_departments, to_officers])

    class Meta:
        verbose_name = _("circulated notice")
        verbose_name_plural = _("circulated notices")
        ordering = ["-written_at"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()

    def get_absolute_url(self) -> str:
        return reverse("alerts:circular_detail", args=[self.pk])

    @property
    def editable(self) -> bool:
        return self.status in (CircularStatus.DRAFT, CircularStatus.RETURNED)

    def role_labels(self) -> list[str]:
        return [str(Role(role).label) for role in self.to_roles if role in Role.values]


class CircularRecipient(models.Model):
    """One recipient of a published notice, and when they read it: their obligation until they open it."""

    circular = models.ForeignKey(Circular, on_delete=models.CASCADE, related_name="recipients")
    officer = models.ForeignKey(
        Officer, verbose_name=_("officer"), on_delete=models.CASCADE, related_name="circulars_received"
    )
    read_at = models.DateTimeField(_("read at"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        constraints = [models.UniqueConstraint(fields=["circular", "officer"], name="one_receipt_per_officer")]

    def __str__(self) -> str:
        return f"{self.circular} → {self.officer}"


class VisitQuestion(models.Model):
    """A question a return visit asks a party (kept as data: everyone's, or a body's for itself and below). Each is
    put so that "yes" reports a problem: an answer "yes" makes the visit a clue about the handler."""

    text = models.CharField(_("question"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    institution = everyone_or_below()
    is_active = models.BooleanField(_("asked"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("return-visit question")
        verbose_name_plural = _("return-visit questions")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.text


class ReturnVisit(models.Model):
    """廉政回访 — after a case closes, discipline staff visit or call one of its parties and record what they say;
    owed for a sample of the closed cases (the alert policy's share, and every case assessed orange or red)."""

    case = models.OneToOneField("cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="visit")
    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="+"
    )
    handler = models.ForeignKey(
        Officer, verbose_name=_("lead handler"), null=True, on_delete=models.PROTECT, related_name="visits_about"
    )
    due_on = models.DateField(_("due on"), db_index=True)
    visited_on = models.DateField(_("visited on"), null=True, blank=True)
    party = models.CharField(_("party visited"), max_length=200, blank=True)
    by_phone = models.BooleanField(_("by telephone"), default=False)
    answers = models.JSONField(_("answers"), default=list, blank=True)  # [{"question": text, "yes": bool}]
    notes = models.TextField(_("what the party said"), blank=True)
    visited_by = models.ForeignKey(
        Officer, verbose_name=_("visited by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    clue = models.ForeignKey(
        Clue, verbose_name=_("clue"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("return visit")
        verbose_name_plural = _("return visits")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return str(self.case)

    def get_absolute_url(self) -> str:
        return reverse("alerts:visit_detail", args=[self.pk])
