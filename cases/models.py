"""Cases, their handlers and parties, the per-case integrity declarations and the case risk assessments."""

from __future__ import annotations

from django.core.cache import cache
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.choices import (
    ApprovalLevel,
    AssessmentOccasion,
    AssessmentStatus,
    ConflictDecision,
    Decision,
    ImportJobStatus,
    Occupation,
    PartyRole,
    QuestionKind,
    RelationKind,
    ReviewStatus,
    RiskColour,
)
from integrity import triggers as db_triggers
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
    handlers = models.ManyToManyField(
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


class DeclarationQuestion(models.Model):
    """每案自查的问题 — the questions are data: add, reword or retire them without a code change.

    The product's questions (no institution) are asked everywhere; an institution adds its own, asked in it and the
    bodies below, and may stop asking an inherited one for itself and below (``QuestionOptOut``). Past declarations
    keep the wording they were answered with (``DeclarationAnswer.question_text``).
    """

    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text=_("Asked in this institution and the bodies below it; empty: asked everywhere."),
    )  # fmt: skip
    code = models.SlugField(_("code"), max_length=40, unique=True)
    text = models.CharField(_("question"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionKind.choices, default=QuestionKind.GENERAL)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("declaration question")
        verbose_name_plural = _("declaration questions")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.text


class Declaration(models.Model):
    """每案自查 — a handler's integrity declaration for one case. Submitted once; corrected by amendment."""

    # indexed by the unique (case, officer) and the index on (officer, submitted_at)
    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="declarations", db_index=False
    )
    officer = models.ForeignKey(
        Officer, verbose_name=_("handler"), on_delete=models.PROTECT, related_name="case_declarations", db_index=False
    )
    due_on = models.DateField(_("due on"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, db_index=True)
    has_yes = models.BooleanField(_("has a yes answer"), default=False)
    review_status = models.CharField(
        _("review"), max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.NOT_NEEDED
    )
    reviewed_by = models.ForeignKey(
        Officer, verbose_name=_("reviewed by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)
    # A handler whose declared relation matches a party or agent of the case: why they see no reason to recuse, and
    # what the reviewer decided (recuse, or keep the case with a reason).
    conflict_explanation = models.TextField(_("why the relation is no reason to recuse"), blank=True)
    conflict_decision = models.CharField(
        _("conflict decision"), max_length=10, choices=ConflictDecision.choices, blank=True
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("case declaration")
        verbose_name_plural = _("case declarations")
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(fields=["case", "officer"], name="one_declaration_per_case_and_handler")]
        indexes = [models.Index(fields=["officer", "submitted_at"]), models.Index(fields=["review_status"])]
        triggers = db_triggers.filed_content(
            "filed_declaration",
            filed="submitted_at",
            fields=["case", "officer", "has_yes", "conflict_explanation"],
        )

    def __str__(self) -> str:
        return f"{self.case} · {self.officer}"

    def get_absolute_url(self) -> str:
        return reverse("cases:declaration_detail", args=[self.pk])


class QuestionOptOut(models.Model):
    """An institution that no longer asks a question it inherits, nor do the bodies below it."""

    question = models.ForeignKey(
        DeclarationQuestion, verbose_name=_("question"), on_delete=models.CASCADE, related_name="opt_outs"
    )
    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        Officer, verbose_name=_("by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("question not asked")
        verbose_name_plural = _("questions not asked")
        constraints = [models.UniqueConstraint(fields=["question", "institution"], name="one_opt_out_per_question")]

    def __str__(self) -> str:
        return f"{self.institution} · {self.question}"


class DeclarationAnswer(models.Model):
    declaration = models.ForeignKey(
        Declaration, verbose_name=_("declaration"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        DeclarationQuestion, verbose_name=_("question"), on_delete=models.PROTECT, related_name="+"
    )
    question_text = models.CharField(_("question as asked"), max_length=300)
    answer = models.BooleanField(_("yes"))
    details = models.TextField(_("details"), blank=True)
    person = models.CharField(_("who"), max_length=100, blank=True)
    person_relation = models.CharField(_("their relation"), max_length=100, blank=True)
    occurred_on = models.DateField(_("when"), null=True, blank=True)
    handling = models.TextField(_("how it was handled"), blank=True)

    class Meta:
        verbose_name = _("declaration answer")
        verbose_name_plural = _("declaration answers")
        ordering = ["declaration_id", "id"]
        triggers = [db_triggers.never_changed("declaration_answer_kept")]

    def __str__(self) -> str:
        return self.question_text


class DeclarationAmendment(models.Model):
    """更正 — a correction to a submitted declaration; the original answers stay as submitted."""

    declaration = models.ForeignKey(
        Declaration, verbose_name=_("declaration"), on_delete=models.PROTECT, related_name="amendments"
    )
    text = models.TextField(_("correction"))
    created_by = models.ForeignKey(Officer, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("declaration amendment")
        verbose_name_plural = _("declaration amendments")
        ordering = ["declaration_id", "created_at"]

    def __str__(self) -> str:
        return f"{self.declaration} · {self.created_at:%Y-%m-%d}"


class RiskFactor(models.Model):
    """风险因子 — an item of the case risk checklist, with its weight; data, like the declaration questions."""

    name = models.CharField(_("risk factor"), max_length=200, unique=True)
    weight = models.PositiveSmallIntegerField(_("weight"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("risk factor")
        verbose_name_plural = _("risk factors")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class ColourGrade(models.Model):
    """预警等级 — one colour of the assessment scale: from which score, who must approve, the handling deadline."""

    colour = models.CharField(_("colour"), max_length=10, choices=RiskColour.choices, unique=True)
    min_score = models.PositiveSmallIntegerField(_("from score"), unique=True)
    approval_level = models.PositiveSmallIntegerField(_("approved up to"), choices=ApprovalLevel.choices)
    deadline_days = models.PositiveSmallIntegerField(_("handling deadline (days)"))

    class Meta:
        verbose_name = _("assessment grade")
        verbose_name_plural = _("assessment grades")
        ordering = ["min_score"]

    def __str__(self) -> str:
        return self.get_colour_display()


class Assessment(models.Model):
    """执法办案风险评估 — every case is assessed (每案必评): factors give a score, the score a colour; the plan
    (预案) is approved up the chain the colour requires; the case is handled by the colour's deadline.

    A case is assessed at filing, again at each stage marked ``reassessed`` and whenever its facts change: each
    assessment is a new one linked to the one before (``previous``), never an edit of an approved one. The case's
    current assessment is the one no other follows."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="assessments")
    stage = models.ForeignKey(Stage, verbose_name=_("stage"), on_delete=models.PROTECT, related_name="+")
    occasion = models.CharField(
        _("occasion"), max_length=10, choices=AssessmentOccasion.choices, default=AssessmentOccasion.FILING
    )
    occasion_note = models.TextField(_("what changed"), blank=True)
    previous = models.OneToOneField(
        "self", verbose_name=_("previous assessment"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="following",
    )  # fmt: skip
    author = models.ForeignKey(Officer, verbose_name=_("assessed by"), on_delete=models.PROTECT, related_name="+")
    factors = models.ManyToManyField(RiskFactor, verbose_name=_("risk factors"), blank=True, related_name="+")
    score = models.PositiveSmallIntegerField(_("score"), default=0)
    colour = models.CharField(_("grade"), max_length=10, choices=RiskColour.choices)
    plan = models.TextField(_("handling plan"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT, db_index=True
    )
    next_level = models.PositiveSmallIntegerField(
        _("awaiting"), choices=ApprovalLevel.choices, null=True, blank=True, db_index=True
    )
    # Who approves at ``next_level``, by the four levels (``cases.rules.approval_route``); re-routed when roles change.
    approver = models.ForeignKey(
        Officer, verbose_name=_("approver"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Submitted on time if by this day: the policy's days after the case was received, or after the re-assessment
    # was opened (``CasePolicy.assessment_days``).
    due_on = models.DateField(_("submit by"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    deadline = models.DateField(_("handle by"), null=True, blank=True, db_index=True)
    feedback = models.TextField(_("closing feedback"), blank=True)
    feedback_at = models.DateTimeField(_("feedback at"), null=True, blank=True)

    history = HistoricalRecords(m2m_fields=[factors])

    class Meta:
        verbose_name = _("case risk assessment")
        verbose_name_plural = _("case risk assessments")
        ordering = ["-id"]
        constraints = [
            # One per stage, besides re-assessments for changed facts; and one first assessment per case.
            models.UniqueConstraint(
                fields=["case", "stage"], condition=~Q(occasion="facts"), name="one_assessment_per_case_stage"
            ),
            models.UniqueConstraint(
                fields=["case"], condition=Q(previous__isnull=True), name="one_first_assessment_per_case"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} · {self.get_colour_display()}"

    def get_absolute_url(self) -> str:
        return reverse("cases:assessment_detail", args=[self.pk])


class Approval(models.Model):
    """One step of an assessment's approval chain: who, at which level, approve or return, and why."""

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="approvals"
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=ApprovalLevel.choices)
    approver = models.ForeignKey(Officer, verbose_name=_("approver"), on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    reason = models.TextField(_("reason"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), auto_now_add=True)

    class Meta:
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        ordering = ["assessment_id", "decided_at", "id"]

    def __str__(self) -> str:
        return f"{self.assessment} · {self.get_level_display()} · {self.get_decision_display()}"


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

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("cases:notice_detail", args=[self.pk])

    @property
    def number(self) -> str:
        """文号, as the issuing body writes it: its short name, 督, the year in 〔〕 and the serial."""
        return f"{self.institution.short_name or self.institution.name}督〔{self.year}〕{self.serial}号"


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
