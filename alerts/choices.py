"""Choices of the alerts app; each carries its label once, and its colour where it is drawn."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class WarningLevel(models.TextChoices):
    """三级预警: general → the department head answers; serious → the deputy in charge; critical → the principal."""

    GENERAL = "general", _("General")
    SERIOUS = "serious", _("Serious")
    CRITICAL = "critical", _("Critical")

    @property
    def colour(self) -> str:
        return {"general": "warning", "serious": "orange", "critical": "danger"}[self.value]

    @property
    def light(self) -> str:
        return "yellow" if self == WarningLevel.GENERAL else "red"


class WarningTarget(models.TextChoices):
    OFFICER = "officer", _("An officer")
    DEPARTMENT = "department", _("A department")
    INSTITUTION = "institution", _("The institution")


class WarningStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    RECTIFYING = "rectifying", _("Rectifying")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Not approved")

    @property
    def colour(self) -> str:
        return {"proposed": "primary", "rectifying": "warning", "closed": "success", "rejected": "secondary"}[
            self.value
        ]


class ActionKind(models.TextChoices):
    REMINDER_TALK = "reminder_talk", _("Reminder talk")
    ADMONISHMENT_TALK = "admonishment_talk", _("Admonishment talk")
    CIRCULATED_CRITICISM = "circulated_criticism", _("Circulated criticism")
    ROTATION = "rotation", _("Rotation")
    SELF_EXAMINATION = "self_examination", _("Written self-examination")
    ORGANISATIONAL = "organisational", _("Organisational handling")


class ClueKind(models.TextChoices):
    PETITION = "petition", _("Petition or report")
    ABNORMAL = "abnormal", _("Abnormal-situation report")
    ROUTINE_INSPECTION = "routine_inspection", _("Monthly routine inspection")
    SPECIAL_CHECK = "special_check", _("Quarterly special check")
    RETURN_VISIT = "return_visit", _("Return visit after a case")


class ClueStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    PROPOSED = "proposed", _("Disposal awaiting approval")
    VERIFYING = "verifying", _("Under verification")
    CONCLUDED = "concluded", _("Concluded")

    @property
    def colour(self) -> str:
        return {"registered": "secondary", "proposed": "info", "verifying": "warning", "concluded": "success"}[
            self.value
        ]


class ClueGrade(models.TextChoices):
    """线索分级 — graded on registration by who the clue concerns and what it alleges (``alerts.rules.clue_grade``);
    the grade says who decides its disposal."""

    GENERAL = "general", pgettext_lazy("clue grade", "General")
    IMPORTANT = "important", pgettext_lazy("clue grade", "Important")
    MAJOR = "major", pgettext_lazy("clue grade", "Major")

    @property
    def colour(self) -> str:
        return {"general": "secondary", "important": "warning", "major": "danger"}[self.value]


class ClueMethod(models.TextChoices):
    """How a clue is disposed of (线索处置方式), chosen by the discipline staff who answer for it; each but the last has
    a deadline by policy."""

    TALK_INQUIRY = "talk_inquiry", _("Talk or written inquiry (谈话函询)")
    PRELIMINARY = "preliminary", _("Preliminary verification (初步核实)")
    SHELVED = "shelved", _("Kept pending (暂存待查)")
    CLOSED = "closed", _("Closed without action (予以了结)")


class Outcome(models.TextChoices):
    TRUE = "true", _("True")
    PARTLY_TRUE = "partly_true", _("Partly true")
    UNTRUE = "untrue", _("Untrue")


# What verification found to be so, wholly or in part: only such a clue may lead to a warning.
FOUNDED = (Outcome.TRUE, Outcome.PARTLY_TRUE)


class CircularKind(models.TextChoices):
    """通报 — what a circulated notice is about."""

    CRITICISM = "criticism", _("Criticism")
    COMMENDATION = "commendation", _("Commendation")
    INSPECTION = "inspection", _("Inspection results")
    WARNING_CASE = "warning_case", _("Warning case for education")


class CircularStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting approval")
    RETURNED = "returned", _("Returned")
    PUBLISHED = "published", pgettext_lazy("circular", "Published")

    @property
    def colour(self) -> str:
        return {"draft": "secondary", "submitted": "primary", "returned": "warning", "published": "success"}[self.value]
