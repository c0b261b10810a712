"""Choices of the risks app; each carries its label once, and its colour where it is drawn."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PowerCategory(models.TextChoices):
    DECISION = "decision", _("Decision")
    APPROVAL = "approval", _("Approval")
    SUPERVISION = "supervision", _("Supervision")
    ENFORCEMENT = "enforcement", _("Enforcement")
    PERSONNEL = "personnel", _("Personnel")
    FINANCE = "finance", _("Finance")


class Grade(models.TextChoices):
    """高/中/低 — ordered from the worst, with the colour each is drawn in."""

    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")

    @property
    def colour(self) -> str:
        return {"high": "danger", "medium": "warning", "low": "info"}[self.value]

    @property
    def rank(self) -> int:
        return {"high": 3, "medium": 2, "low": 1}[self.value]


class RiskScope(models.TextChoices):
    POST = "post", _("Post")
    DEPARTMENT = "department", _("Department")
    INSTITUTION = "institution", _("Institution")


class RiskStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")

    @property
    def colour(self) -> str:
        return {"draft": "secondary", "submitted": "primary", "approved": "info", "published": "success"}[self.value]


class IdentificationMethod(models.TextChoices):
    """自己找、群众提、互相查、领导点、组织评、集体定."""

    SELF = "self", _("Found by oneself")
    PUBLIC = "public", _("Raised by the public")
    PEERS = "peers", _("Found by colleagues")
    LEADERS = "leaders", _("Pointed out by leaders")
    ORGANISATION = "organisation", _("Assessed by the organisation")
    COLLECTIVE = "collective", _("Decided collectively")


class TableStatus(models.TextChoices):
    DUE = "due", _("Due")
    SUBMITTED = "submitted", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")

    @property
    def colour(self) -> str:
        return {"due": "warning", "submitted": "primary", "approved": "success", "returned": "danger"}[self.value]


class CheckStatus(models.TextChoices):
    """Where a monthly check stands on a given day; computed by ``risks.rules.check_status``."""

    NOT_DUE = "not_due", _("Not due yet")
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")
    FILED = "filed", _("Filed")
    FILED_LATE = "filed_late", _("Filed late")

    @property
    def colour(self) -> str:
        return {
            "not_due": "secondary",
            "due_soon": "warning",
            "overdue": "danger",
            "filed": "success",
            "filed_late": "info",
        }[self.value]

    @property
    def light(self) -> str:
        """The light this status gives an officer (the light engine reads this)."""
        return {"due_soon": "yellow", "overdue": "red"}.get(self.value, "green")


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting review")
    APPROVED = "approved", _("Reviewed")
    RETURNED = "returned", _("Returned")

    @property
    def colour(self) -> str:
        return {"pending": "primary", "approved": "success", "returned": "danger"}[self.value]


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting decision")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")

    @property
    def colour(self) -> str:
        return {"pending": "primary", "accepted": "success", "declined": "secondary"}[self.value]


# How an officer's proposal came about: found by themselves (自己找) or passed on from the public (群众提).
PROPOSAL_METHODS = (IdentificationMethod.SELF, IdentificationMethod.PUBLIC)


class ImportKind(models.TextChoices):
    POWER_ITEMS = "power_items", _("Power items")
    RISK_POINTS = "risk_points", _("Risk points")


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Checking")
    IMPORTED = "imported", _("Imported")
    REJECTED = "rejected", _("Rejected")


# The risk categories institutions start from (a data migration adds them); administrators keep the list.
DEFAULT_RISK_CATEGORIES = ["思想道德", "制度机制", "岗位职责", "业务流程", "外部环境"]


class ReviewOutcome(models.TextChoices):
    """The yearly review of a risk point (一年一查)."""

    CONFIRMED = "confirmed", _("Confirmed as it stands")
    REVISED = "revised", _("Revised")
