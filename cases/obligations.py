"""The cases app's kinds of obligation: declarations to file and to review, assessments to approve; and what a
declaration not filed or awaiting review, or a case past its handling deadline, does to the handler's light
(``integrity.ledger``)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from cases.choices import AssessmentStatus, ReviewStatus
from cases.models import Assessment, Case, ConflictMatch, Declaration, SupervisionNotice
from cases.queries import (
    NOT_SUPERSEDED,
    approvable_assessments,
    assessed_q,
    policies_by_institution,
    reviewable_declarations,
)
from cases.rules import declaration_colour
from integrity import ledger
from integrity.choices import Colour
from integrity.ledger import Owed, Reason
from integrity.models import Officer
from integrity.obligations import Obligation, ObligationKind, register, to_review, waiting_annotations, waiting_since

MESSAGES = {
    "declarations": gettext_noop("%(n)s case declaration(s) not filed; the oldest was due on %(due)s."),
    "declaration_review": gettext_noop("A case declaration with a yes answer awaits review."),
    "conflict_review": gettext_noop(
        "A relation conflict on case %(number)s awaits your reviewer's decision: recuse or keep the case."
    ),
    "assessment": gettext_noop("The risk of case %(number)s is past its handling deadline."),
}

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


def _to_assess(case: Case) -> Obligation:
    return Obligation(
        _("Assess case %(number)s") % {"number": case.number},
        reverse("cases:assessment_start", args=[case.pk]),
        case.title,
    )


def cases_to_assess(actor: Officer) -> QuerySet:
    """Open cases the actor leads whose current assessment is missing, in draft or returned, or older than the
    re-assessed stage the case has reached: until it is approved the case cannot move on."""
    return (
        Case.objects.filter(case_handlers__officer=actor, case_handlers__is_lead=True, closed_on__isnull=True)
        .exclude(assessed_q((AssessmentStatus.PENDING, AssessmentStatus.APPROVED, AssessmentStatus.CLOSED)))
        .order_by("received_on", "pk")
    )


def _notice(notice: SupervisionNotice) -> Obligation:
    return Obligation(
        _("Supervision notice %(number)s: %(title)s") % {"number": notice.number, "title": notice.title},
        notice.get_absolute_url(),
        notice.addressed_to.full_name if notice.addressed_to else "",
        notice.assessment.deadline if notice.assessment else None,
    )


def _open_notices() -> QuerySet:
    return SupervisionNotice.objects.filter(closed_at__isnull=True).select_related(
        "assessment", "addressed_to", "institution"
    )


def declaration_reasons(owed: Owed) -> Iterator[tuple[int, Reason]]:
    """Case declarations not filed by then: one reason per officer, yellow, red once the oldest is the policy's days
    overdue."""
    not_filed_then = Q(submitted_at__isnull=True)
    if owed.replay:
        not_filed_then |= Q(submitted_at__gte=owed.end_of_day)
    policies = policies_by_institution(owed.institutions)
    # Cases received after the day are few (none, for today): excluding them by the index on ``received_on`` costs a
    # fifth of joining every declaration not filed to its case (a hash join over a million cases in a province).
    later = Case.objects.filter(received_on__gt=owed.as_of).values("pk")
    # Officers' oldest due days are few per body: a due day's colour and text are worked out once per body.
    said: dict[tuple[int, datetime.date], tuple[Colour, str]] = {}
    for officer_id, n, earliest, one in ledger.rows(
        owed.narrow(Declaration.objects.filter(not_filed_then))
        .exclude(case__in=later)
        .values("officer_id")
        .annotate(n=Count("id"), earliest=Min("due_on"), one=Min("id"))
        .values_list("officer_id", "n", "earliest", "one")
    ):
        placed = owed.officers.get(officer_id)
        if placed is None:
            continue
        key = (placed[0], earliest)
        if key not in said:
            red_days = policies[placed[0]].declaration_red_days
            said[key] = declaration_colour(earliest, owed.as_of, red_days), earliest.isoformat()
        colour, due = said[key]
        params = {"n": n, "due": due}
        link: tuple[str | int, ...]
        if n == 1:
            link, query = ("cases:declaration_detail", one), ""
        else:
            link, query = ("cases:case_list",), "incomplete=true"
        yield officer_id, Reason("declaration", colour, "declarations", params, link, query)


def review_reasons(owed: Owed) -> Iterator[tuple[int, Reason]]:
    """Declarations awaiting review — with a yes, or with a relation conflict for the reviewer to decide: the
    handler is yellow until the reviewer acts."""
    conflicted = Exists(ConflictMatch.objects.filter(case_id=OuterRef("case_id"), officer_id=OuterRef("officer_id")))
    for officer_id, pk, number, conflict in (
        owed.narrow(Declaration.objects.filter(review_status=ReviewStatus.PENDING, submitted_at__lt=owed.end_of_day))
        .annotate(conflict=conflicted)
        .order_by()
        .values_list("officer_id", "pk", "case__number", "conflict")
    ):
        link = ("cases:declaration_detail", pk)
        if conflict:
            yield officer_id, Reason("conflict", Colour.YELLOW, "conflict_review", {"number": number}, link)
        else:
            yield officer_id, Reason("declaration_review", Colour.YELLOW, "declaration_review", {}, link)


def assessment_reasons(owed: Owed) -> Iterator[tuple[int, Reason]]:
    """Approved case assessments past their handling deadline: their author is yellow."""
    for officer_id, pk, number in ledger.rows(
        owed.narrow(
            Assessment.objects.filter(NOT_SUPERSEDED, status=AssessmentStatus.APPROVED, deadline__lt=owed.as_of),
            "author",
        )
        .order_by()
        .values_list("author_id", "pk", "case__number")
    ):
        link = ("cases:assessment_detail", pk)
        yield officer_id, Reason("assessment", Colour.YELLOW, "assessment", {"number": number}, link)


def register_kinds() -> None:
    ledger.messages(MESSAGES)
    ledger.register("cases.declaration", declaration_reasons)
    ledger.register("cases.declaration_review", review_reasons)
    ledger.register("cases.assessment", assessment_reasons)
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
            gettext_lazy("Declarations to review: a yes, or a relation conflict to decide"),
            lambda actor: (
                reviewable_declarations(actor)
                .filter(review_status=ReviewStatus.PENDING, submitted_at__isnull=False)
                .select_related("case", "officer")
                .order_by("submitted_at")
            ),
            to_review(_declaration),
            order=12,
            waiting_records=lambda: (
                Declaration.objects.filter(review_status=ReviewStatus.PENDING, submitted_at__isnull=False)
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
            "cases.my_assessment",
            gettext_lazy("My cases to assess"),
            cases_to_assess,
            _to_assess,
            order=63,
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
