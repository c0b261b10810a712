"""Cases, their stages and the policy that times them, their handlers and parties, the relations
officers declare and the conflicts screening finds, and the uploads of the case import."""

from __future__ import annotations

from django.core.cache import cache
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.choices import (
    ImportJobStatus,
    Occupation,
    PartyRole,
    RelationKind,
)
from integrity.models import Department, Institution, MappedUpload, Officer, deadlines_counted


class CasePolicy(models.Model):
    """办案廉政规则 — an institution's case thresholds; institutions without a row use the defaults."""

    institution = models.OneToOneField(
        Institution, verbose_name=_("institution"), on_delete=models.CASCADE, related_name="case_policy"
    )
    declaration_days = models.PositiveSmallIntegerField(
        _("declaration overdue after (days)"), default=7, help_text=_("Days after a handler is assigned.")
    )
    declaration_red_days = models.PositiveSmallIntegerField(
        _("declaration red after (days overdue)"), default=7,
        help_text=_("A missing declaration turns its handler's light yellow; this many days overdue, red."),
    )  # fmt: skip
    assessment_days = models.PositiveSmallIntegerField(
        _("assessment submitted within (days)"), default=7,
        help_text=_("Days after the case is received, or after a re-assessment is opened; counted in the quarter."),
    )  # fmt: skip
    days_counted = deadlines_counted(
        _(
            "The declaration, assessment and handling deadlines: calendar days, or working days by the institution's"
            " working-day calendar (holidays and make-up working days)."
        )
    )

    card_rules = models.TextField(
        _("rules on the supervision card"), blank=True,
        help_text=_("What the handlers must keep, as the parties read it on the card; blank: the product's text."),
    )  # fmt: skip
    report_channels = models.TextField(
        _("where to report, on the supervision card"), blank=True,
        help_text=_("Telephone, address, mailbox of the discipline staff; blank: the product's text."),
    )  # fmt: skip

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("case policy")
        verbose_name_plural = _("case policies")

    def __str__(self) -> str:
        return str(self.institution)


class Stage(models.Model):
    """办案环节 — one stage of the configurable list a case moves along (受理 → 审查 → 决定 → 办结)."""

    name = models.CharField(_("name"), max_length=30, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), unique=True)
    is_decision = models.BooleanField(
        _("decision stage"), default=False, help_text=_("Declarations not filed by this stage are overdue.")
    )
    is_final = models.BooleanField(_("closes the case"), default=False)
    reassessed = models.BooleanField(
        _("re-assessed at this stage"),
        default=False,
        help_text=_("A case reaching this stage is assessed again before it moves on; the first stage always is."),
    )

    class Meta:
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name


class Case(models.Model):
    """案件 — a case of the institution, usually imported from its case-management system."""

    # Each index a row carries slows an import of a million; a foreign key's own index is left out where another
    # index starts with the column (here the one on institution, department and received_on).
    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="cases", db_index=False
    )
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="cases"
    )
    number = models.CharField(_("case number"), max_length=100)  # unique by a constraint: no second LIKE index
    title = models.CharField(_("title"), max_length=300)
    case_type = models.CharField(_("case type"), max_length=50)
    stage = models.ForeignKey(Stage, verbose_name=_("stage"), on_delete=models.PROTECT, related_name="cases")
    received_on = models.DateField(_("received on"))
    due_on = models.DateField(_("due on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    quality_score = models.DecimalField(_("quality score"), max_digits=5, decimal_places=1, null=True, blank=True)
    has_conflict = models.BooleanField(_("relation conflict"), default=False, db_index=True)
    handlers: models.ManyToManyField[Officer, CaseHandler] = models.ManyToManyField(
        Officer, through="CaseHandler", verbose_name=_("handlers"), related_name="handled_cases"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-received_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["number"], name="one_case_per_number")]
        indexes = [
            models.Index(fields=["institution", "department", "received_on"]),
            # the lists' order: a page of the newest cases is read from the index, not sorted out of a million
            models.Index(fields=["received_on", "id"], name="case_received_idx"),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("cases:case_detail", args=[self.pk])


class CaseHandler(models.Model):
    """承办人 — an officer handling a case; being assigned makes their declaration due."""

    # indexed by the unique (case, officer) and the index on (officer, case)
    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="case_handlers", db_index=False
    )
    officer = models.ForeignKey(
        Officer, verbose_name=_("handler"), on_delete=models.PROTECT, related_name="case_assignments", db_index=False
    )
    is_lead = models.BooleanField(_("lead handler"), default=False)
    assigned_on = models.DateField(_("assigned on"))

    class Meta:
        verbose_name = _("case handler")
        verbose_name_plural = _("case handlers")
        constraints = [models.UniqueConstraint(fields=["case", "officer"], name="one_assignment_per_case_and_officer")]
        indexes = [models.Index(fields=["officer", "case"])]

    def __str__(self) -> str:
        return f"{self.case} · {self.officer}"


class CaseParty(models.Model):
    """当事人及代理人 — a party to a case, or its agent (a lawyer and the firm)."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(_("role"), max_length=10, choices=PartyRole.choices)
    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("organisation or law firm"), max_length=200, blank=True)
    name_key = models.CharField(max_length=200, editable=False)
    organisation_key = models.CharField(max_length=200, editable=False, blank=True)

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["case_id", "role", "id"]
        # Keys are matched whole: plain indexes (``db_index`` would add a second, for LIKE, on PostgreSQL).
        indexes = [models.Index(fields=["name_key"]), models.Index(fields=["organisation_key"])]

    def __str__(self) -> str:
        return self.name


class DeclaredRelation(models.Model):
    """近亲属及特定关系人 — a close relation an officer declares because it could create a conflict."""

    officer = models.ForeignKey(
        Officer, verbose_name=_("officer"), on_delete=models.PROTECT, related_name="declared_relations"
    )
    name = models.CharField(_("name"), max_length=100)
    relation = models.CharField(_("relation"), max_length=20, choices=RelationKind.choices)
    occupation = models.CharField(_("occupation"), max_length=20, choices=Occupation.choices)
    employer = models.CharField(_("employer"), max_length=200, blank=True)
    name_key = models.CharField(max_length=100, editable=False)
    employer_key = models.CharField(max_length=200, editable=False, blank=True)
    declared_at = models.DateTimeField(_("declared at"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        Officer, verbose_name=_("reviewed by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    is_current = models.BooleanField(_("current"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("declared relation")
        verbose_name_plural = _("declared relations")
        ordering = ["officer_id", "id"]
        indexes = [models.Index(fields=["name_key"]), models.Index(fields=["employer_key"])]

    def __str__(self) -> str:
        return f"{self.officer} · {self.get_relation_display()} {self.name}"


class ConflictMatch(models.Model):
    """A case party or agent matching a handler's declared relation: the case and the handler are flagged."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="conflicts")
    officer = models.ForeignKey(Officer, verbose_name=_("handler"), on_delete=models.PROTECT, related_name="+")
    relation = models.ForeignKey(
        DeclaredRelation, verbose_name=_("declared relation"), on_delete=models.PROTECT, related_name="matches"
    )
    party = models.ForeignKey(CaseParty, verbose_name=_("party"), on_delete=models.CASCADE, related_name="matches")
    on_employer = models.BooleanField(_("matched on employer"), default=False)
    found_at = models.DateTimeField(_("found at"), auto_now_add=True)

    class Meta:
        verbose_name = _("relation conflict")
        verbose_name_plural = _("relation conflicts")
        constraints = [
            models.UniqueConstraint(fields=["case", "relation", "party"], name="one_match_per_relation_and_party")
        ]

    def __str__(self) -> str:
        return f"{self.case} · {self.relation}"


class CaseImport(MappedUpload):
    """案件导入 — an uploaded export, imported by a job with its progress: who imported which file when, and what it
    did; the cases it created start from here."""

    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="case_imports"
    )
    skip_bad_rows = models.BooleanField(_("skip the rows with errors"), default=False)
    preview = models.BooleanField(
        _("preview only"), default=False, help_text=_("The job checks the file and writes nothing.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ImportJobStatus.choices, default=ImportJobStatus.DONE, db_index=True
    )
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows checked"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    conflicts = models.PositiveIntegerField(_("relation conflicts found"), default=0)
    errors = models.JSONField(_("rows with errors"), default=list, blank=True)
    preview_rows = models.JSONField(_("rows as previewed"), default=list, blank=True)
    failure = models.TextField(_("why it failed"), blank=True)
    imported_by = models.ForeignKey(
        Officer, verbose_name=_("imported by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("case import")
        verbose_name_plural = _("case imports")
        ordering = ["-imported_at"]

    def get_absolute_url(self) -> str:
        return reverse("cases:case_import_job", args=[self.pk])

    @property
    def progress_key(self) -> str:
        return f"cases:import:{self.pk}:rows"

    def count_progress(self, rows: int) -> None:
        """Count the rows a running job has checked where its page can read them: the import writes in one
        transaction, which nobody else sees into until it commits."""
        cache.set(self.progress_key, rows, timeout=60 * 60)

    @property
    def rows_checked(self) -> int:
        if self.status == ImportJobStatus.RUNNING:
            return cache.get(self.progress_key, self.rows_done)
        return self.rows_done

    @property
    def percent(self) -> int:
        return min(100, self.rows_checked * 100 // self.rows_total) if self.rows_total else 0

    # The mapping can still be changed and the file previewed or imported: it was uploaded for the mapping step
    # (imports by the command have no header kept) and is not queued, running or imported.
    MAPPABLE_STATUSES = (ImportJobStatus.UPLOADED, ImportJobStatus.PREVIEWED, ImportJobStatus.REJECTED)
    MAPPABLE = Q(status__in=MAPPABLE_STATUSES) & ~Q(header=[])

    @property
    def mappable(self) -> bool:
        return self.status in self.MAPPABLE_STATUSES and bool(self.header)

    @property
    def finished(self) -> bool:
        return self.status not in (ImportJobStatus.QUEUED, ImportJobStatus.RUNNING)
