"""Choices of the archives app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TalkKind(models.TextChoices):
    INTEGRITY = "integrity", _("Integrity talk")
    REMINDER = "reminder", _("Reminder talk")
    FOCUSED = "focused", _("Focused talk")
    ACCOUNTABILITY = "accountability", _("Accountability talk")
    LIFE_MEETING = "life_meeting", _("Democratic life meeting")
    ACTIVITY = "activity", _("Integrity activity")


class TalkOccasion(models.TextChoices):
    """The talks every officer is owed by the one over them (四级谈话): once a year one to one, on arrival, after a
    post change, on departure."""

    ANNUAL = "annual", _("Annual one-to-one talk")
    ENTRY = "entry", _("Talk on arrival")
    POST_CHANGE = "post_change", _("Talk after a post change")
    EXIT = "exit", _("Talk on departure")


class RecordKind(models.TextChoices):
    """The records entered about an officer that feed the two archives."""

    REWARD = "reward", _("Reward or commendation")
    NOMINATION = "nomination", _("Nomination for promotion or an award")
    DISCIPLINE = "discipline", _("Disciplinary action")
    PRAISE = "praise", _("Praise about casework")
    COMPLAINT = "complaint", _("Complaint about casework")
    VISIT = "visit", _("Case follow-up visit")
    PETITION = "petition", _("Case-related petition")


# What a 不良 grade bars besides promotion (近期不得提拔、评先评优).
BARRED_RECORD_KINDS = frozenset({RecordKind.REWARD, RecordKind.NOMINATION})


class MatterKind(models.TextChoices):
    """个人有关事项 — what an officer reports yearly and on change."""

    MARRIAGE = "marriage", _("Change of marriage")
    FAMILY_ABROAD = "family_abroad", _("Family member settled abroad")
    FAMILY_BUSINESS = "family_business", _("Family member running a business")
    HOUSING = "housing", _("Housing bought, sold or built")
    INVESTMENT = "investment", _("Investments")
    TRIP_ABROAD = "trip_abroad", _("Trip abroad")
    BANQUET = "banquet", _("Wedding, funeral or other banquet hosted")
    GIFT_HANDED_IN = "gift_handed_in", _("Gifts handed in")
    ANNUAL = "annual", _("Annual report")


class ReportStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting review")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned for more")

    @property
    def colour(self) -> str:
        return {"submitted": "primary", "accepted": "success", "returned": "danger"}[self.value]


class QuarterGrade(models.TextChoices):
    """好/良好/一般/不良 — the quarterly integrity grade, best first."""

    EXCELLENT = "excellent", _("Excellent")
    GOOD = "good", _("Good")
    FAIR = "fair", _("Fair")
    POOR = "poor", _("Poor")

    @property
    def colour(self) -> str:
        return {"excellent": "success", "good": "primary", "fair": "warning", "poor": "danger"}[self.value]


class ArchiveKind(models.TextChoices):
    PERFORMANCE = "performance", _("Performance archive")
    INTEGRITY = "integrity", _("Integrity archive")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Printing")
    DONE = "done", _("Done")


class AccountStatus(models.TextChoices):
    """A leader's yearly account of duty and integrity (述责述廉)."""

    DUE = "due", _("Not yet filed")
    SUBMITTED = "submitted", _("Awaiting review")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned for more")

    @property
    def colour(self) -> str:
        return {"due": "warning", "submitted": "primary", "accepted": "success", "returned": "danger"}[self.value]
