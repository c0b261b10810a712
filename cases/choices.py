"""Choices of the cases app; each carries its label once, and its colour where it is drawn."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PartyRole(models.TextChoices):
    PARTY = "party", _("Party")
    AGENT = "agent", _("Agent or lawyer")


class RelationKind(models.TextChoices):
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    SIBLING = "sibling", _("Sibling")
    IN_LAW = "in_law", _("In-law")
    OTHER_RELATIVE = "other", _("Other close relative")


class Occupation(models.TextChoices):
    LAWYER = "lawyer", _("Lawyer")
    NOTARY = "notary", _("Notary")
    ENTERPRISE = "enterprise", _("Runs or works in an enterprise")
    OFFICIAL = "official", _("Public official")
    OTHER = "other", _("Other")


class QuestionKind(models.TextChoices):
    """How a declaration question is answered when the answer is yes."""

    RECUSAL = "recusal", _("Recusal")
    INTERCEDING = "interceding", _("Interceding or lobbying")
    GENERAL = "general", _("Other")


class ConflictDecision(models.TextChoices):
    """What the reviewer decides about a handler whose declared relation matches a party or agent of the case."""

    KEEP = "keep", _("Keeps the case")
    RECUSE = "recuse", _("Recused")

    @property
    def colour(self) -> str:
        return {"keep": "warning", "recuse": "secondary"}[self.value]


class ReviewStatus(models.TextChoices):
    NOT_NEEDED = "not_needed", _("No review needed")
    PENDING = "pending", _("Awaiting review")
    CLEARED = "cleared", _("Reviewed")

    @property
    def colour(self) -> str:
        return {"not_needed": "secondary", "pending": "warning", "cleared": "success"}[self.value]


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Awaiting approval")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")
    CLOSED = "closed", _("Closed with feedback")

    @property
    def colour(self) -> str:
        return {
            "draft": "secondary", "pending": "primary", "returned": "danger", "approved": "success", "closed": "dark",
        }[self.value]  # fmt: skip


class AssessmentOccasion(models.TextChoices):
    """Why a case is (re-)assessed: at filing, on reaching a stage the institution re-assesses at, or because the
    facts changed (marked by the handler or a leader)."""

    FILING = "filing", _("At filing")
    STAGE = "stage", _("At a new stage")
    FACTS = "facts", _("Facts changed")


class RiskColour(models.TextChoices):
    """The four-colour scale of case risk assessment (三色/四色预警), mildest first."""

    BLUE = "blue", _("Blue alert")
    YELLOW = "yellow", _("Yellow alert")
    ORANGE = "orange", _("Orange alert")
    RED = "red", _("Red alert")

    @property
    def colour(self) -> str:
        return {"blue": "primary", "yellow": "warning", "orange": "orange", "red": "danger"}[self.value]


class ApprovalLevel(models.IntegerChoices):
    """Who approves at each step of the chain: the department head, the deputy in charge, the principal leader."""

    DEPARTMENT_HEAD = 1, _("Department head")
    DEPUTY_LEADER = 2, _("Deputy leader in charge")
    PRINCIPAL_LEADER = 3, _("Principal leader")


class Decision(models.TextChoices):
    APPROVE = "approve", _("Approved")
    RETURN = "return", _("Returned")


class ImportJobStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Awaiting the column mapping")
    PREVIEWED = "previewed", _("Previewed")
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Imported")
    REJECTED = "rejected", _("Rejected")
    FAILED = "failed", _("Failed")
