"""Inspections (督察): a plan with its scope, team and dates; a checklist drawn from the published risk points in
scope; findings recorded against it with their evidence, each owed in rectification by the one who answers for the
department or officer it concerns."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from inspections.choices import InspectionKind, InspectionStatus, ItemResult
from integrity import triggers as db_triggers
from integrity.models import Department, Institution, Officer
from risks.choices import Grade
from risks.models import RiskPoint


class Inspection(models.Model):
    """督察 — planned by discipline staff or a principal leader of ``institution``, over departments of it and of the
    bodies below; led by ``leader``, who owes its report by ``ends_on``."""

    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="inspections"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=InspectionKind.choices)
    title = models.CharField(pgettext_lazy("inspection", "title"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    departments = models.ManyToManyField(Department, verbose_name=_("departments inspected"), related_name="+")
    leader = models.ForeignKey(
        Officer, verbose_name=_("team leader"), on_delete=models.PROTECT, related_name="inspections_led"
    )
    team = models.ManyToManyField(Officer, verbose_name=_("team"), related_name="inspections", blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=InspectionStatus.choices, default=InspectionStatus.PLANNED, db_index=True
    )
    summary = models.TextField(_("conclusion"), blank=True)
    planned_by = models.ForeignKey(Officer, verbose_name=_("planned by"), on_delete=models.PROTECT, related_name="+")
    planned_at = models.DateTimeField(_("planned at"), auto_now_add=True)
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-starts_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("inspections:detail", args=[self.pk])


class ChecklistItem(models.Model):
    """One line of the checklist: a risk point of a department in scope, or of the body itself (单位层面, no
    department), its wording kept as drawn, and what the team found when they checked it."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="items")
    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("department"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    risk_point = models.ForeignKey(
        RiskPoint, verbose_name=_("risk point"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("what is checked"))
    measures = models.TextField(_("control measures"), blank=True)
    grade = models.CharField(_("grade"), max_length=10, choices=Grade.choices, blank=True)
    result = models.CharField(
        _("result"), max_length=10, choices=ItemResult.choices, default=ItemResult.PENDING, db_index=True
    )
    checked_by = models.ForeignKey(
        Officer, verbose_name=_("checked by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["inspection_id", "pk"]  # drawn department by department, highest grade first

    def __str__(self) -> str:
        return self.text

    def get_absolute_url(self) -> str:
        return reverse("inspections:item", args=[self.pk])

    @property
    def where(self) -> str:
        return where(self)


def where(record: ChecklistItem | Finding) -> str:
    """The department a checklist item or finding is in, or its body for one of the body itself (单位层面)."""
    if record.department is not None:  # no query when there is none
        return record.department.name
    return _("%(body)s (body level)") % {"body": record.institution}


class Finding(models.Model):
    """督察发现的问题 — what the team found in a department (or about one officer of it), or in the body itself. Its
    rectification is owed by ``owner`` (the department's head, whoever answers for the officer, or the principal
    leader for the body's own) by ``due_on``, and the finding closes when the owner records what was done."""

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="findings")
    item = models.ForeignKey(
        ChecklistItem, verbose_name=_("checklist item"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="findings",
    )  # fmt: skip
    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("department"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    officer = models.ForeignKey(
        Officer, verbose_name=_("officer concerned"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="inspection_findings",
    )  # fmt: skip
    text = models.TextField(_("problem found"))
    owner = models.ForeignKey(
        Officer, verbose_name=_("responsible for rectification"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    due_on = models.DateField(_("rectify by"))
    recorded_by = models.ForeignKey(Officer, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    rectification = models.TextField(_("rectification"), blank=True)
    rectified_by = models.ForeignKey(
        Officer, verbose_name=_("rectified by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rectified_at = models.DateTimeField(_("rectified at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("inspection finding")
        verbose_name_plural = _("inspection findings")
        ordering = ["inspection_id", "pk"]
        # Once rectified, what was found and what was done stay as recorded.
        triggers = db_triggers.filed_content(
            "finding_rectified", filed="rectified_at", fields=["text", "department", "officer", "rectification"]
        )

    def __str__(self) -> str:
        return self.text[:40]

    def get_absolute_url(self) -> str:
        return reverse("inspections:finding", args=[self.pk])

    @property
    def where(self) -> str:
        return where(self)

    @property
    def is_open(self) -> bool:
        return self.rectified_at is None


class Evidence(models.Model):
    """A file kept with a finding (a photograph, a scanned register page): stored in the database with the record,
    so it is backed up, scoped and audited with it."""

    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="evidence")
    filename = models.CharField(_("file"), max_length=255)
    content_type = models.CharField(max_length=100)
    content = models.BinaryField(pgettext_lazy("file", "content"), editable=False)
    uploaded_by = models.ForeignKey(Officer, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["pk"]
        triggers = [db_triggers.never_changed("evidence_kept")]

    def __str__(self) -> str:
        return self.filename
