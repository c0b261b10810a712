"""The institution's alert policy, every officer's light with its events and monthly snapshots, and the
notifications the product sends."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.validators import MaxValueValidator
from django.db import connections, models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from integrity.choices import Colour, DayCount
from integrity.ledger import Reason, explain, why
from integrity.models import Department, Institution, Officer, deadlines_counted


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
    at = models.DateTimeField(_("at"))
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("light change")
        verbose_name_plural = _("light changes")
        ordering = ["-at", "-id"]
        constraints = [models.UniqueConstraint(fields=["officer", "version"], name="one_event_per_light_version")]
        indexes = [
            models.Index(fields=["institution", "-at"]),
            # The feed's order: the newest 15 are read off the index, not sorted out of a run's thousands of changes
            # that share one moment.
            models.Index(fields=["at", "id"], name="event_at_idx"),
        ]

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


class NotificationQuerySet(models.QuerySet):
    def add_once(self, notes: Sequence[Notification]) -> int:
        """Write the notifications not already written (one per recipient and occasion); returns how many were new.

        What is there is read first, by recipient and occasion: a daily job offering the same thousands of reminders
        again writes nothing, and the table is never counted whole. Two jobs at once still write each once (the
        unique constraint skips the second), though both may count it."""
        # Each batch's recipients and occasions are sent as parameters: within what the database takes in one query.
        size = min(2000, (connections[self.db].features.max_query_params or 4000) // 2)
        new = 0
        for start in range(0, len(notes), size):
            batch = notes[start : start + size]
            there = set(
                self.filter(
                    recipient_id__in={n.recipient_id for n in batch}, occasion__in={n.occasion for n in batch}
                ).values_list("recipient_id", "occasion")
            )
            fresh = []
            for note in batch:
                if (note.recipient_id, note.occasion) not in there:
                    there.add((note.recipient_id, note.occasion))
                    fresh.append(note)
            self.bulk_create(fresh, ignore_conflicts=True)
            new += len(fresh)
        return new


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

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["recipient", "occasion"], name="one_notification_per_occasion")]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        # Not the text: lists outside the recipient's own (the administrators' delivery list) must not show it.
        return f"{self.recipient_id} · {self.occasion}"
