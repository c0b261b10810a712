"""Lights and their feed, integrity warnings with rectification, clues and clarifications, notifications."""

from __future__ import annotations

from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from alerts.choices import (
    ActionKind,
    CircularKind,
    CircularStatus,
    ClueGrade,
    ClueKind,
    ClueMethod,
    ClueStatus,
    Outcome,
    WarningLevel,
    WarningStatus,
    WarningTarget,
)
from cases.models import Case
from integrity.choices import Colour, DayCount, Role
from integrity.ledger import Reason, explain, why
from integrity.models import Department, Institution, Officer, deadlines_counted, everyone_or_below


class AlertPolicy(models.Model):
    """预警规则 — an institution's light thresholds; institutions without a row use the defaults."""

    institution = models.OneToOneField(
        Institution, verbose_name=_("institution"), on_delete=models.CASCADE, related_name="alert_policy"
    )
    violation_red_days = models.PositiveSmallIntegerField(_("a violation keeps the light red for (days)"), default=365)
    yellow_reminder_days = models.PositiveSmallIntegerField(_("remind again while yellow every (days)"), default=3)
    action_reminder_days = models.PositiveSmallIntegerField(_("remind of a rectification due in (days)"), default=3)
    review_days = models.PositiveSmallIntegerField(
        _("chase a review or approval after (days)"), default=5,
        help_text=_("The reviewer is reminded and the one who answers for them told."),
    )  # fmt: skip
    review_notice_days = models.PositiveSmallIntegerField(
        _("issue a supervision notice for a review after (days)"), default=10
    )
    talk_inquiry_days = models.PositiveSmallIntegerField(_("a talk or written inquiry within (days)"), default=15)
    preliminary_days = models.PositiveSmallIntegerField(_("a preliminary verification within (days)"), default=60)
    shelved_days = models.PositiveSmallIntegerField(
        _("a clue kept pending is looked at again after (days)"), default=90
    )
    visit_share = models.PositiveSmallIntegerField(
        _("share of closed cases visited (%)"), default=10, validators=[MaxValueValidator(100)],
        help_text=_("A sample of the closed cases; those assessed orange or red are always visited."),
    )  # fmt: skip
    visit_days = models.PositiveSmallIntegerField(_("return visit within (days after closing)"), default=30)
    circular_read_days = models.PositiveSmallIntegerField(_("read a circulated notice within (days)"), default=3)
    finding_days = models.PositiveSmallIntegerField(_("rectify an inspection finding within (days)"), default=30)
    serious_clue_words = models.TextField(
        _("allegations that make a clue important"), blank=True, default="受贿\n索贿\n徇私枉法\n枉法裁判\n插手干预",
        help_text=_("One per line: a clue whose content names one is decided by the discipline lead."),
    )  # fmt: skip
    days_counted = deadlines_counted(
        _(
            "Reading a circulated notice, disposing of a clue, rectifying an inspection finding: calendar days, or"
            " working days by the institution's calendar."
        ),
        default=DayCount.WORKING,
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("alert policy")
        verbose_name_plural = _("alert policies")

    def __str__(self) -> str:
        return str(self.institution)

    @property
    def serious_words(self) -> list[str]:
        return [word.strip() for word in self.serious_clue_words.splitlines() if word.strip()]


class Light(models.Model):
    """红黄绿灯 — an officer's current light and every reason for it, as the last engine run saw them.

    ``version`` counts colour changes; a change is recorded as the ``LightEvent`` with that version, unique per
    officer, so two runs at once cannot record the same change twice.
    """

    officer = models.OneToOneField(Officer, verbose_name=_("officer"), on_delete=models.CASCADE, related_name="light")
    colour = models.CharField(_("light"), max_length=10, choices=Colour.choices, default=Colour.GREEN, db_index=True)
    reasons = models.JSONField(_("reasons"), default=list)
    # A digest of the reasons as stored: a run compares it, rather than reading and decoding every light's reasons.
    digest = models.CharField(max_length=32, default="", editable=False)
    version = models.PositiveIntegerField(default=0)
    since = models.DateTimeField(_("since"))
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("light")
        verbose_name_plural = _("lights")

    def __str__(self) -> str:
        return f"{self.officer} · {self.get_colour_display()}"

    def explained(self) -> list[Reason]:
        """The reasons, each with its text in the reader's language."""
        return explain(self.reasons)


class LightEvent(models.Model):
    """预警动态 — one change of an officer's colour: from, to, why, when. Also the reminders' outbox."""

    officer = models.ForeignKey(
        Officer, verbose_name=_("officer"), on_delete=models.CASCADE, related_name="light_events"
    )
    version = models.PositiveIntegerField()
    from_colour = models.CharField(_("from"), max_length=10, choices=Colour.choices)
    to_colour = models.CharField(_("to"), max_length=10, choices=Colour.choices)
    reasons = models.JSONField(_("reasons"), default=list)
    at = models.DateTimeField(_("at"), db_index=True)
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("light change")
        verbose_name_plural = _("light changes")
        ordering = ["-at", "-id"]
        constraints = [models.UniqueConstraint(fields=["officer", "version"], name="one_event_per_light_version")]
        indexes = [models.Index(fields=["institution", "-at"])]

    def __str__(self) -> str:
        return f"{self.officer} {self.from_colour} → {self.to_colour}"

    @property
    def why(self) -> str:
        """The reasons for the new colour, in the reader's language."""
        return why(self.reasons)


class LightSnapshot(models.Model):
    """How many officers of an institution had each colour on a day: the board's trend."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="light_snapshots")
    day = models.DateField()
    green = models.PositiveIntegerField(default=0)
    yellow = models.PositiveIntegerField(default=0)
    red = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["institution", "day"], name="one_snapshot_per_day")]
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.institution_id} {self.day}"


class IntegrityWarning(models.Model):
    """廉情预警 — proposed by discipline staff, approved by a leader, carried out by the responsible department."""

    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="integrity_warnings"
    )
    level = models.CharField(_("level"), max_length=10, choices=WarningLevel.choices)
    target = models.CharField(_("on"), max_length=15, choices=WarningTarget.choices)
    officer = models.ForeignKey(
        Officer,
        verbose_name=_("officer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="integrity_warnings",
    )
    department = models.ForeignKey(
        Department, verbose_name=_("department"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    facts = models.TextField(_("facts"))
    source = models.CharField(_("source"), max_length=200)
    status = models.CharField(
        _("status"), max_length=15, choices=WarningStatus.choices, default=WarningStatus.PROPOSED, db_index=True
    )
    proposed_by = models.ForeignKey(Officer, verbose_name=_("proposed by"), on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    approved_by = models.ForeignKey(
        Officer, verbose_name=_("approved by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    raised_from = models.OneToOneField(
        "self", verbose_name=_("raised from"), null=True, blank=True, on_delete=models.PROTECT, related_name="raised_to"
    )
    clue = models.ForeignKey(
        "Clue", verbose_name=_("clue"), null=True, blank=True, on_delete=models.PROTECT, related_name="warnings"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("integrity warning")
        verbose_name_plural = _("integrity warnings")
        ordering = ["-proposed_at"]

    def __str__(self) -> str:
        return f"{self.get_level_display()} · {self.officer or self.department or self.institution}"

    def get_absolute_url(self) -> str:
        return reverse("alerts:warning_detail", args=[self.pk])


class RectificationAction(models.Model):
    """整改措施 — one action of a warning's rectification, with its responsible person, due date and result."""

    warning = models.ForeignKey(
        IntegrityWarning, verbose_name=_("warning"), on_delete=models.CASCADE, related_name="actions"
    )
    kind = models.CharField(_("action"), max_length=30, choices=ActionKind.choices)
    responsible = models.ForeignKey(
        Officer, verbose_name=_("responsible"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(_("due on"))
    result = models.TextField(_("result"), blank=True)
    result_by = models.ForeignKey(
        Officer, verbose_name=_("recorded by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    result_at = models.DateTimeField(_("recorded at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rectification action")
        verbose_name_plural = _("rectification actions")
        ordering = ["warning_id", "due_on", "id"]

    def __str__(self) -> str:
        return self.get_kind_display()


class Clue(models.Model):
    """信访举报线索 — a petition, report, abnormal-situation report or inspection finding, verified to an outcome."""

    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="clues"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ClueKind.choices)
    source = models.CharField(_("source"), max_length=200)
    channel = models.CharField(_("channel"), max_length=100, blank=True)
    subject = models.ForeignKey(
        Officer,
        verbose_name=_("subject officer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clues",
    )
    content = models.TextField(pgettext_lazy("clue", "content"))
    received_on = models.DateField(_("received on"))
    verifier = models.ForeignKey(
        Officer, verbose_name=_("verifier"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=15, choices=ClueStatus.choices, default=ClueStatus.REGISTERED, db_index=True
    )
    outcome = models.CharField(_("outcome"), max_length=15, choices=Outcome.choices, blank=True)
    grade = models.CharField(
        pgettext_lazy("clue", "grade"), max_length=10, choices=ClueGrade.choices, default=ClueGrade.GENERAL
    )
    # Who must act on it now: while registered, who decides its disposal (by its grade); while the disposal awaits
    # approval, the discipline lead who approves it (``alerts.queries.clue_owner``).
    owner = models.ForeignKey(
        Officer,
        verbose_name=pgettext_lazy("clue", "awaiting"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    cases = models.ManyToManyField(Case, verbose_name=_("cases concerned"), blank=True, related_name="+")
    method = models.CharField(_("disposal method"), max_length=15, choices=ClueMethod.choices, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True, db_index=True)
    method_by = models.ForeignKey(
        Officer, verbose_name=_("disposal decided by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    method_proposed_at = models.DateTimeField(_("disposal proposed at"), null=True, blank=True)
    method_approved_by = models.ForeignKey(
        Officer, verbose_name=_("disposal approved by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    method_approved_at = models.DateTimeField(_("disposal approved at"), null=True, blank=True)
    concluded_on = models.DateField(_("concluded on"), null=True, blank=True)
    concluded_by = models.ForeignKey(
        Officer, verbose_name=_("concluded by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    registered_by = models.ForeignKey(
        Officer, verbose_name=_("registered by"), on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    # An abnormal-situation report (异常情况报告) filed by an officer about what happened to them: when, who, and
    # what they did about it. The reporter is not its subject.
    reporter = models.ForeignKey(
        Officer,
        verbose_name=_("reported by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="abnormal_reports",
    )
    occurred_on = models.DateField(_("happened on"), null=True, blank=True)
    counterpart = models.CharField(_("who was involved"), max_length=200, blank=True)
    response = models.TextField(_("what the officer did"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("clue")
        verbose_name_plural = _("clues")
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.received_on}"

    def get_absolute_url(self) -> str:
        return reverse("alerts:clue_detail", args=[self.pk])


class ClueStep(models.Model):
    """核查步骤 — what the verifier did, and when."""

    clue = models.ForeignKey(Clue, verbose_name=_("clue"), on_delete=models.CASCADE, related_name="steps")
    text = models.TextField(_("verification step"))
    by = models.ForeignKey(Officer, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["clue_id", "at", "id"]

    def __str__(self) -> str:
        return self.text[:40]


class Clarification(models.Model):
    """不实举报澄清 — the record that clears an officer of an untrue report; the archive shows it."""

    clue = models.OneToOneField(Clue, verbose_name=_("clue"), on_delete=models.PROTECT, related_name="clarification")
    text = models.TextField(_("clarification"))
    by = models.ForeignKey(Officer, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("clarification")
        verbose_name_plural = _("clarifications")

    def __str__(self) -> str:
        return self.text[:40]


class Violation(models.Model):
    """违纪违规记录 — a confirmed violation; within the policy period it keeps the officer's light red."""

    officer = models.ForeignKey(Officer, verbose_name=_("officer"), on_delete=models.PROTECT, related_name="violations")
    clue = models.ForeignKey(
        Clue, verbose_name=_("clue"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField(_("violation"))
    confirmed_on = models.DateField(_("confirmed on"))
    recorded_by = models.ForeignKey(Officer, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("violation")
        verbose_name_plural = _("violations")
        ordering = ["-confirmed_on"]

    def __str__(self) -> str:
        return self.description[:40]


class Notification(models.Model):
    """站内提醒 — one reminder to one person for one occasion; the occasion key makes it go only once."""

    recipient = models.ForeignKey(
        Officer, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    occasion = models.CharField(max_length=200)
    text = models.CharField(_("text"), max_length=500)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(_("e-mail attempts"), default=0)
    email_error = models.CharField(_("last e-mail error"), max_length=500, blank=True)
    email_retry_at = models.DateTimeField(_("next e-mail attempt"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["recipient", "occasion"], name="one_notification_per_occasion")]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        # Not the text: lists outside the recipient's own (the administrators' delivery list) must not show it.
        return f"{self.recipient_id} · {self.occasion}"


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
