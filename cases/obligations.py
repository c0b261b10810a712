"""The cases app's kinds of obligation: declarations to file and to review, assessments to approve."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.choices import AssessmentStatus, ReviewStatus
from cases.models import Assessment, Declaration, SupervisionNotice
from cases.queries import approvable_assessments, reviewable_declarations
from integrity.obligations import Obligation, ObligationKind, register, to_review, waiting_annotations, waiting_since

# A filing waits on the officer's reviewer (``integrity.routing``) from the moment it was submitted.
WAITING_ON_REVIEWER = waiting_annotations(actor="officer__reviewer_id", subject="officer_id", since="submitted_at")


def _declaration(declaration: Declaration) -> Obligation:
    return Obligation(
        _("Declaration for case %(number)s") % {"number": declaration.case.number},
        declaration.get_absolute_url(),
        declaration.officer.full_name,
        declaration.due_on,
    )


def _assessment(assessment: Assessment) -> Obligation:
    return Obligation(
        _("Risk assessment of case %(number)s") % {"number": assessment.case.number},
        assessment.get_absolute_url(),
        assessment.author.full_name,
        since=waiting_since(assessment.submitted_at),
    )


def _notice(notice: SupervisionNotice) -> Obligation:
    return Obligation(
        _("Supervision notice %(number)s: %(title)s") % {"number": notice.number, "title": notice.title},
        notice.get_absolute_url(),
        notice.addressed_to.full_name if notice.addressed_to else "",
        notice.assessment.deadline if notice.assessment else None,
    )


def _open_notices():
    return SupervisionNotice.objects.filter(closed_at__isnull=True).select_related(
        "assessment", "addressed_to", "institution"
    )


def register_kinds() -> None:
    register(
        ObligationKind(
            "cases.notice",
            gettext_lazy("Supervision notices to answer"),
            lambda actor: _open_notices().filter(addressed_to=actor).order_by("issued_at", "pk"),
            _notice,
            order=5,
        )
    )
    register(
        ObligationKind(
            "cases.notice_copy",
            gettext_lazy("Supervision notices to follow up (copied to you)"),
            lambda actor: _open_notices().filter(copied_to=actor).order_by("issued_at", "pk"),
            _notice,
            order=6,
        )
    )
    register(
        ObligationKind(
            "cases.declaration_review",
            gettext_lazy("Declarations with a yes to review"),
            lambda actor: (
                reviewable_declarations(actor)
                .filter(has_yes=True, review_status=ReviewStatus.PENDING, submitted_at__isnull=False)
                .select_related("case", "officer")
                .order_by("submitted_at")
            ),
            to_review(_declaration),
            order=12,
            waiting_records=lambda: (
                Declaration.objects.filter(has_yes=True, review_status=ReviewStatus.PENDING, submitted_at__isnull=False)
                .select_related("case", "officer")
                .annotate(
                    **waiting_annotations(actor="officer__reviewer_id", subject="officer_id", since="submitted_at")
                )
            ),
        )
    )
    register(
        ObligationKind(
            "cases.assessment_approval",
            gettext_lazy("Case risk assessments to approve"),
            lambda actor: approvable_assessments(actor).select_related("case", "author").order_by("pk"),
            _assessment,
            order=13,
            waiting_records=lambda: (
                Assessment.objects.filter(status=AssessmentStatus.PENDING)
                .select_related("case", "author")
                .annotate(**waiting_annotations(actor="approver_id", subject="author_id", since="submitted_at"))
            ),
        )
    )
    register(
        ObligationKind(
            "cases.my_declaration",
            gettext_lazy("My case declarations to file"),
            lambda actor: (
                Declaration.objects.filter(officer=actor, submitted_at__isnull=True)
                .select_related("case", "officer")
                .order_by("due_on", "pk")
            ),
            _declaration,
            order=62,
        )
    )
