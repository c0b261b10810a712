"""Scoped reads of the cases app. Handlers see the cases they handle; heads their department's; deputies the
departments in their charge; case management (案管) their body's; leaders and discipline staff their institution and
the bodies below it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from functools import reduce
from operator import or_

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet

from cases.choices import AssessmentStatus
from cases.models import (
    Assessment,
    Case,
    CaseHandler,
    CasePolicy,
    ConflictMatch,
    Declaration,
    DeclarationQuestion,
    DeclaredRelation,
    Stage,
    SupervisionNotice,
)
from cases.rules import GateFacts, Missing, gate, reassessment_due
from integrity.models import Institution, Officer
from integrity.queries import count_of, day_counter, manageable_institutions, paths_q, scope_for
from integrity.workdays import DayCounter


def questions_for(institution: Institution) -> QuerySet[DeclarationQuestion]:
    """The declaration questions asked in an institution: the product's and those of the institution and the bodies
    above it, less those any of them stopped asking."""
    lineage = institution.lineage
    return (
        DeclarationQuestion.objects.filter(is_active=True)
        .filter(Q(institution__isnull=True) | Q(institution__in=lineage))
        .exclude(opt_outs__institution__in=lineage)
    )


def case_scope_q(user: Officer, prefix: str = "") -> Q:
    scope = scope_for(user)
    if scope.is_superuser:
        return Q()
    p = f"{prefix}__" if prefix else ""
    q = Q(**{f"{p}pk__in": CaseHandler.objects.filter(officer_id=user.pk).values("case_id")})
    if scope.department_ids:
        q |= Q(**{f"{p}department_id__in": scope.department_ids})
    if scope.case_institution_ids:
        q |= Q(**{f"{p}institution_id__in": scope.case_institution_ids})
    return q | paths_q(scope.overseen_paths, f"{p}institution__path")


def case_register_institutions(user: Officer) -> QuerySet[Institution]:
    """The bodies whose cases this user registers and imports: those they administer and those whose case
    management (案管) they are."""
    scope = scope_for(user)
    return Institution.objects.filter(
        Q(pk__in=manageable_institutions(user).values("pk")) | Q(pk__in=scope.case_institution_ids)
    )


def visible_cases(user: Officer) -> QuerySet[Case]:
    cases = Case.objects.filter(case_scope_q(user))
    return narrowed_for_the_planner(cases, user, "pk").select_related("institution", "department", "stage")


def narrowed_for_the_planner(queryset: QuerySet, user: Officer, case_field: str) -> QuerySet:
    """``queryset``, already within ``user``'s cases, narrowed again to a head's or a deputy's few departments'
    cases and the ones they handle, named in one subquery. It changes no result: it tells the planner how few they
    are. With ``case_scope_q``'s OR alone it guessed half of a province's million cases would match: it walked the
    date index through tens of thousands of others to fill a page of cases (19 ms for the first page, 0.7 s for the
    twentieth; 6 and 9 ms so), and scanned every case to count a head's assessments by grade (136 ms; 6 ms so)."""
    scope = scope_for(user)
    if not scope.department_ids or scope.case_institution_ids or scope.overseen_paths or scope.is_superuser:
        return queryset
    handled = CaseHandler.objects.filter(officer_id=user.pk).values("case_id").order_by()
    departments = Case.objects.filter(department_id__in=scope.department_ids).values("pk").order_by()
    return queryset.filter(**{f"{case_field}__in": handled.union(departments)})


SETTLED = (AssessmentStatus.APPROVED, AssessmentStatus.CLOSED)
UNDER_WAY = (AssessmentStatus.DRAFT, AssessmentStatus.PENDING, AssessmentStatus.RETURNED)
# An assessment still counts until one that follows it is approved: a re-assessment in draft changes nothing yet.
NOT_SUPERSEDED = Q(following__isnull=True) | Q(following__status__in=UNDER_WAY)


def reassessed_orders() -> list[int]:
    return list(Stage.objects.filter(reassessed=True).values_list("order", flat=True))


def assessed_q(statuses: Iterable[str] = SETTLED) -> Q:
    """Cases whose current assessment has one of ``statuses`` and was made no earlier than the last re-assessed
    stage they have reached (``cases.rules.reassessment_due``), as one condition on the cases table."""
    stages = list(Stage.objects.values_list("pk", "order", "reassessed"))
    by_required: dict[int, list[int]] = defaultdict(list)
    for stage_id, order, _ in stages:
        by_required[max((o for _, o, again in stages if again and o <= order), default=0)].append(stage_id)
    # "Not followed" as its own NOT EXISTS and the stages by id: as a left join to the assessments again and to the
    # stages, the planner hashed every assessment of the province to answer for one page of cases (15 ms of 27).
    followed = Assessment.objects.filter(previous=OuterRef("pk"))
    current = Assessment.objects.filter(case=OuterRef("pk"), status__in=list(statuses)).filter(~Exists(followed))
    return reduce(
        or_,
        (
            Q(stage_id__in=ids) & Exists(current.filter(stage_id__in=[pk for pk, o, _ in stages if o >= order]))
            for order, ids in by_required.items()
        ),
        Q(pk__in=[]),
    )


def current_assessment(case: Case) -> Assessment | None:
    return Assessment.objects.filter(case=case, following__isnull=True).select_related("stage").first()


def unfiled_declarations() -> QuerySet[Declaration]:
    """The declarations of the outer query's case that are not filed yet (for ``Exists``)."""
    return Declaration.objects.filter(case=OuterRef("pk"), submitted_at__isnull=True)


def with_needs(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Annotate what each case still needs, in the same query: is its current assessment approved (and made at the
    stage it must be), how many handlers have not filed their declaration.

    Both are correlated subqueries, not a grouped join: the database works them out only for the page it returns
    (and a count leaves them out), where a ``Count`` over the join would group every case in scope first."""
    return cases.annotate(
        assessment_done=ExpressionWrapper(assessed_q(), output_field=BooleanField()),
        undeclared=count_of(Declaration.objects.filter(submitted_at__isnull=True), "case"),
    )


def visible_declarations(user: Officer) -> QuerySet[Declaration]:
    """A declaration is the handler's own record: seen by them and by those over them."""
    return Declaration.objects.filter(scope_for(user).officer_q("officer")).select_related(
        "case__department", "case__stage", "officer"
    )


def reviewable_declarations(user: Officer) -> QuerySet[Declaration]:
    """The declarations this user reviews: those of the officers whose reviewer they are (``integrity.routing``)."""
    if scope_for(user).is_superuser:
        return Declaration.objects.all()
    return Declaration.objects.filter(officer__reviewer_id=user.pk).exclude(officer_id=user.pk)


def visible_assessments(user: Officer) -> QuerySet[Assessment]:
    return Assessment.objects.filter(case_scope_q(user, "case")).select_related(
        "case__department", "case__institution", "author", "stage", "previous"
    )


def approvable_assessments(user: Officer) -> QuerySet[Assessment]:
    """Assessments waiting for this user's approval: routed to them by the four levels (``cases.rules.approval_route``)
    — a head at level 1 for their members, the deputy in charge for a head's own or at level 2, the principal leader
    at level 3 — and never their own."""
    pending = Assessment.objects.filter(status=AssessmentStatus.PENDING)
    if not scope_for(user).is_superuser:
        pending = pending.filter(approver=user)
    return pending.exclude(author_id=user.pk).select_related("case__department", "author")


def visible_notices(user: Officer) -> QuerySet[SupervisionNotice]:
    """Supervision notices: the addressee and the one copied, whoever sees the case's assessment, and the leaders
    and discipline staff over the issuing body."""
    scope = scope_for(user)
    notices = SupervisionNotice.objects.select_related("assessment__case", "addressed_to", "copied_to", "institution")
    if scope.is_superuser:
        return notices
    q = _sent_or_on_their_cases(user)
    if scope.overseen_paths:
        q |= paths_q(scope.overseen_paths, "institution__path")
    return notices.filter(q)


def _sent_or_on_their_cases(user: Officer) -> Q:
    # The case's scope as conditions on the joined case, not "assessment IN (every visible assessment)": a few
    # thousand notices are checked one by one instead of a million cases scanned for the list of them.
    return Q(addressed_to_id=user.pk) | Q(copied_to_id=user.pk) | case_scope_q(user, "assessment__case")


def open_notices_to_count(user: Officer) -> QuerySet[SupervisionNotice]:
    """The open supervision notices ``user`` sees (``visible_notices``), in the form quickest to count. For discipline
    staff and leaders, those the bodies they oversee issued, by the bodies' ids, and the others they see, which alone
    are joined to their cases, in a subquery read once: with the issuing body as one more arm of the OR, every open
    notice of a province (4,700) was joined to its assessment, case and body before any arm was tried (3.9 ms for its
    discipline inspector's board, 1.7 ms this way)."""
    scope = scope_for(user)
    if scope.is_superuser or not scope.overseen_paths:
        return visible_notices(user).filter(closed_at__isnull=True)
    bodies = Institution.objects.filter(paths_q(scope.overseen_paths, "path")).values("pk")
    open_notices = SupervisionNotice.objects.filter(closed_at__isnull=True)
    others = open_notices.exclude(institution__in=bodies).filter(_sent_or_on_their_cases(user)).values("pk")
    return open_notices.filter(Q(institution__in=bodies) | Q(pk__in=others))


def visible_relations(user: Officer) -> QuerySet[DeclaredRelation]:
    """Declared relations are personal: the officer, and discipline staff and leaders over them."""
    scope = scope_for(user)
    if scope.is_superuser:
        return DeclaredRelation.objects.select_related("officer")
    return DeclaredRelation.objects.filter(
        Q(officer_id=user.pk) | paths_q(scope.overseen_paths, "officer__institution__path")
    ).select_related("officer", "reviewed_by")


def policy_for(institution: Institution) -> CasePolicy:
    return CasePolicy.objects.filter(institution=institution).first() or CasePolicy(institution=institution)


def deadlines_for(institution: Institution, policy: CasePolicy | None = None) -> DayCounter:
    """How the institution's case deadlines are counted: in calendar days, or in working days by its calendar."""
    return day_counter(institution, (policy or policy_for(institution)).days_counted)


def policies_by_institution(institution_ids: Iterable[int]) -> dict[int, CasePolicy]:
    """Policies for many institutions in one query; institutions without a row get the defaults."""
    found = {p.institution_id: p for p in CasePolicy.objects.filter(institution_id__in=institution_ids)}
    return defaultdict(CasePolicy, found)


def gate_for(case: Case) -> list[Missing]:
    """What holds ``case`` at its stage (see ``cases.rules.gate``), read in seven queries."""
    from django.urls import reverse

    assessment = current_assessment(case)
    handlers = list(case.case_handlers.select_related("officer").order_by("-is_lead", "id"))
    declarations = dict(Declaration.objects.filter(case=case).values_list("officer_id", "pk"))
    declared = Declaration.objects.filter(case=case, submitted_at__isnull=False).values_list("officer_id", flat=True)
    undecided = Declaration.objects.filter(
        case=case, conflict_decision="", officer__case_assignments__case=case
    ).filter(Exists(ConflictMatch.objects.filter(case=case, officer_id=OuterRef("officer_id"))))
    reassess = assessment is not None and reassessment_due(
        case.stage.order, assessment.stage.order, reassessed_orders()
    )
    facts = GateFacts(
        assessment_status=assessment.status if assessment else None,
        assessment_url=reverse("cases:assessment_detail", args=[assessment.pk])
        if assessment and not reassess
        else reverse("cases:assessment_start", args=[case.pk]),
        reassess=reassess,
        handlers=[(h.officer_id, h.officer.full_name) for h in handlers],
        declared=list(declared),
        declaration_urls={o: reverse("cases:declaration_detail", args=[d]) for o, d in declarations.items()},
        undecided=list(undecided.values_list("officer_id", flat=True)),
    )
    return gate(facts)
