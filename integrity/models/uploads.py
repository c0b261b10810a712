"""Uploaded spreadsheets kept for their mapping step, the header synonyms the mapping proposes from,
and the staff lists."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from integrity.choices import (
    StaffImportStatus,
)
from integrity.models.organisation import Institution, Officer, everyone_or_below
from integrity.spreadsheets import Mapping


class MappedUpload(models.Model):
    """An uploaded spreadsheet kept for its mapping step: the file, the sheet read, its header row, and how each row
    becomes fields (the column of each, constants, defaults — ``integrity.spreadsheets.Mapping``). The catalog, case
    and staff imports are kinds of it."""

    filename = models.CharField(_("file"), max_length=255)
    content = models.BinaryField(pgettext_lazy("file", "content"), default=b"", editable=False)
    sheet = models.CharField(_("sheet"), max_length=100, blank=True)
    header = models.JSONField(_("header row"), default=list, blank=True)
    column_map = models.JSONField(_("column mapping"), default=dict, blank=True)
    constants = models.JSONField(_("constant values"), default=dict, blank=True)
    defaults = models.JSONField(_("defaults for blanks"), default=dict, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.filename

    def mapping(self) -> Mapping:
        return Mapping(columns=self.column_map, constants=self.constants, defaults=self.defaults)


class HeaderSynonym(models.Model):
    """表头同义词 — a header the institutions' own files use for a field an importer reads, beside the headers the
    product knows (``Column.aliases``). Kept as data, so a new case system's export maps itself without a release:
    the system administrator adds them for everyone; an institution's import administrator adds them for their
    institution and the bodies below it when they map a column by hand."""

    kind = models.CharField(_("kind of file"), max_length=20)
    field = models.CharField(_("field"), max_length=40)
    header = models.CharField(_("header"), max_length=100)
    institution = everyone_or_below()
    added_by = models.ForeignKey(
        "Officer", verbose_name=_("added by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("header synonym")
        verbose_name_plural = _("header synonyms")
        ordering = ["kind", "field", "header"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "header"], condition=models.Q(institution__isnull=True), name="one_field_per_header"
            ),
            models.UniqueConstraint(
                fields=["kind", "header", "institution"], name="one_field_per_header_in_an_institution"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.header} → {self.field}"


class StaffImport(MappedUpload):
    """人员导入 — an uploaded staff list, checked and imported by jobs (``integrity.staff_imports``): the file, the
    columns chosen, the last check's preview, and the initial password, hashed at once and forgotten once the
    accounts are opened."""

    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="+",
        help_text=_("For rows that name no institution."),
    )  # fmt: skip
    password = models.CharField(_("initial password"), max_length=128, blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=StaffImportStatus.choices, default=StaffImportStatus.UPLOADED
    )
    # The job queued: a check (every row read, nothing written) or, with ``commit``, the import itself.
    commit = models.BooleanField(_("import when checked"), default=False)
    queued_by = models.ForeignKey(
        Officer, verbose_name=_("queued by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    preview = models.JSONField(_("preview"), default=dict, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    created_by = models.ForeignKey(Officer, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("staff import")
        verbose_name_plural = _("staff imports")
        ordering = ["-created_at"]

    def get_absolute_url(self) -> str:
        return reverse("integrity:officer_import_detail", args=[self.pk])

    @property
    def busy(self) -> bool:
        return self.status in (StaffImportStatus.QUEUED, StaffImportStatus.RUNNING)

    @property
    def mappable(self) -> bool:
        return self.status == StaffImportStatus.UPLOADED
