"""Scoped reads of the alerts app. Clues are for discipline staff and leaders only; an officer sees their own
light and the warnings about them; heads and deputies see their departments' lights."""

from __future__ import annotations

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet

from alerts.choices import FOUNDED, CircularStatus, ClueGrade, ClueStatus, WarningStatus
from alerts.models import (
    Circular,
    CircularRecipient,
    Clue,
    IntegrityWarning,
    Light,
    LightEvent,
    LightSnapshot,
    ReturnVisit,
)
from cases.models import Case
from cases.panels import Panel
from integrity.choices import Role
from integrity.models import Institution, Officer, RoleAssignment
from integrity.queries import chain_for, discipline_duty_q, paths_q, scope_for
from integrity.routing import Chain, Level, Person, discipline_for, discipline_lead_for, reviewer


def sees_board(user: Officer) -> bool:
    return scope_for(user).watches_officers


def visible_lights(user: Officer) -> QuerySet[Light]:
    return Light.objects.filter(scope_for(user).officer_q("officer")).select_related(
        "officer__department", "officer__institution"
    )


def board_lights(user: Officer) -> QuerySet[Light]:
    """The lights a board shows: everyone the user may see but the user themselves."""
    return visible_lights(user).exclude(officer_id=user.pk).filter(officer__is_active=True)


def visible_events(user: Officer) -> QuerySet[LightEvent]:
    return (
        LightEvent.objects.filter(scope_for(user).officer_q("officer"))
        .exclude(officer_id=user.pk)
        .select_related("officer", "department", "institution")
    )


def board_feed(user: Officer) -> QuerySet[LightEvent]:
    """The board's feed: the changes the user may see, with what its rows show and no more (a whole officer, body
    and department for each of fifteen rows took twice as long to read, on every poll after a change)."""
    return (
        visible_events(user)
        .select_related(None)
        .select_related("officer")
        .only(
            "officer_id", "version", "from_colour", "to_colour", "reasons", "at", "department_id", "officer__full_name"
        )
    )


def visible_snapshots(user: Officer) -> QuerySet[LightSnapshot]:
    scope = scope_for(user)
    if scope.is_superuser:
        return LightSnapshot.objects.all()
    return LightSnapshot.objects.filter(paths_q(scope.overseen_paths, "institution__path"))


# The clues a warning may come from (``Clue.may_lead_to_a_warning``), in SQL.
WARNABLE_CLUE = Q(status=ClueStatus.CONCLUDED, outcome__in=FOUNDED, subject__isnull=False)


def visible_clues(user: Officer) -> QuerySet[Clue]:
    """Only discipline staff and leaders, over their institutions and the bodies below — never a clue about
    themselves (their light says one is being verified, never what it says), nor a major one about a leader of
    their own body, which the body above disposes of (at the top, the body itself)."""
    scope = scope_for(user)
    if scope.is_superuser:
        return Clue.objects.select_related("subject", "verifier", "institution", "owner")
    if not scope.watches_institution:
        return Clue.objects.none()
    own = {pk for role, pk in scope.roles if role in Role.overseeing()}
    return (
        Clue.objects.filter(paths_q(scope.overseen_paths, "institution__path"))
        .exclude(subject_id=user.pk)
        .exclude(grade=ClueGrade.MAJOR, institution_id__in=own, institution__parent__isnull=False)
        .select_related("subject", "verifier", "institution", "owner")
    )


def disposing_body(clue: Clue, chain: Chain) -> int:
    """The body whose discipline staff dispose of a clue: the body above for a major one (about a leader of the
    body), at the top the body itself; otherwise the clue's own."""
    parent = chain.parents.get(clue.institution_id)
    return parent if clue.grade == ClueGrade.MAJOR and parent is not None else clue.institution_id


def clue_owner(clue: Clue, chain: Chain) -> int | None:
    """Who must act on a clue now. Registered: who decides its disposal — for an important or major one the
    discipline lead of the disposing body, for a general one (or where there is no lead) its discipline staff
    (``discipline_for``). Awaiting approval: the lead of the disposing body. Never its subject or reporter, and
    never the one who proposed the disposal (when the lead has left, a colleague approves); None once decided or
    when nobody may."""
    body = disposing_body(clue, chain)
    excluding = frozenset(pk for pk in (clue.subject_id, clue.reporter_id) if pk)
    if clue.status == ClueStatus.PROPOSED:  # a lead who has left: a colleague of the proposer approves
        excluding |= {clue.method_by_id or 0}
        return discipline_lead_for(body, chain, excluding=excluding) or discipline_for(
            body, chain, subject=clue.subject_id, excluding=excluding
        )
    if clue.status != ClueStatus.REGISTERED:
        return None
    lead = discipline_lead_for(body, chain, excluding=excluding) if clue.grade != ClueGrade.GENERAL else None
    return lead or discipline_for(body, chain, subject=clue.subject_id, excluding=excluding)


def may_decide_clue(user: Officer, clue: Clue) -> bool:
    """Who may choose a clue's disposal: the one it waits for; for a general clue, any discipline officer who
    sees it."""
    scope = scope_for(user)
    if scope.is_superuser or clue.owner_id == user.pk:
        return True
    return clue.grade == ClueGrade.GENERAL and scope.has_role(Role.DISCIPLINE)


def visible_warnings(user: Officer) -> QuerySet[IntegrityWarning]:
    """Discipline staff and leaders over their bodies; heads and deputies for their departments; an officer the
    warnings about them once approved."""
    scope = scope_for(user)
    base = IntegrityWarning.objects.select_related("officer", "department", "institution", "proposed_by", "approved_by")
    if scope.is_superuser:
        return base
    q = Q(officer_id=user.pk, approved_at__isnull=False) | paths_q(scope.overseen_paths, "institution__path")
    if scope.department_ids:
        q |= Q(department_id__in=scope.department_ids)
    return base.filter(q)


def approvable_warnings(user: Officer) -> QuerySet[IntegrityWarning]:
    """Proposed warnings this user approves (报批): a principal leader those over their bodies, discipline staff those
    about a principal leader (a leader does not approve a warning about another leader of the body, nor about
    themselves); never one they proposed or one about themselves."""
    scope = scope_for(user)
    proposed = (
        visible_warnings(user)
        .filter(status=WarningStatus.PROPOSED)
        .exclude(proposed_by_id=user.pk)
        .exclude(officer_id=user.pk)
    )
    if scope.is_superuser:
        return proposed
    about_a_leader = Exists(
        RoleAssignment.objects.filter(officer_id=OuterRef("officer_id"), role=Role.PRINCIPAL_LEADER)
    )
    q = Q(pk__in=[])
    if scope.has_role(Role.PRINCIPAL_LEADER):
        q |= ~Q(about_a_leader)
    if scope.has_role(Role.DISCIPLINE):
        q |= Q(about_a_leader)
    return proposed.filter(q)


def warning_approver(
    warning: IntegrityWarning, chain: Chain | None = None, leaders: set[int] | None = None
) -> int | None:
    """The one who answers for approving a proposed warning (``approvable_warnings`` says who may): the principal
    leader over the subject, or — when it is about a principal leader — the discipline staff (``discipline_for``);
    never its proposer or its subject. None when nobody in the deployment may."""
    chain = chain or chain_for()
    if leaders is None:
        leaders = set(RoleAssignment.objects.filter(role=Role.PRINCIPAL_LEADER).values_list("officer_id", flat=True))
    subject, excluding = warning.officer, frozenset({warning.proposed_by_id})
    if subject is not None and subject.pk in leaders:
        return discipline_for(warning.institution_id, chain, subject=subject.pk, excluding=excluding)
    department = subject.department_id if subject else warning.department_id
    person = Person(subject.pk if subject else 0, department, warning.institution_id)
    return reviewer(person, chain, at_least=Level.PRINCIPAL, excluding=excluding)


def assignable_clues(user: Officer) -> QuerySet[Clue]:
    """Registered clues waiting for this discipline officer to decide their disposal (``clue_owner``)."""
    return Clue.objects.filter(owner=user, status=ClueStatus.REGISTERED).select_related("subject", "institution")


def approvable_clues(user: Officer) -> QuerySet[Clue]:
    """Clues whose proposed disposal waits for this discipline lead's approval (``clue_owner``)."""
    return Clue.objects.filter(owner=user, status=ClueStatus.PROPOSED).select_related("subject", "institution")


# --- circulated notices --------------------------------------------------------------------------------------


def oversight_paths(user: Officer) -> tuple[str, ...]:
    """The bodies this user oversees (their notices seen from the sending side, their inspections): where they are
    discipline staff or a principal leader, and the bodies below."""
    scope = scope_for(user)
    ids = {pk for role, pk in scope.roles if role in (Role.DISCIPLINE, Role.PRINCIPAL_LEADER)}
    return tuple(Institution.objects.filter(pk__in=ids).values_list("path", flat=True))


def sent_circulars(user: Officer) -> QuerySet[Circular]:
    """The notices of the sending side: one's own, and the bodies' where one is discipline staff or a leader."""
    if scope_for(user).is_superuser:
        return Circular.objects.all()
    return Circular.objects.filter(Q(written_by=user) | paths_q(oversight_paths(user), "institution__path"))


def visible_circulars(user: Officer) -> QuerySet[Circular]:
    """The sending side's notices, and those published to the user."""
    received = Exists(CircularRecipient.objects.filter(circular=OuterRef("pk"), officer=user))
    return Circular.objects.filter(
        Q(pk__in=sent_circulars(user).values("pk")) | Q(received, status=CircularStatus.PUBLISHED)
    )


def circular_approvers(circular: Circular) -> QuerySet[Officer]:
    """The principal leaders of the issuing body, its writer excepted."""
    leaders = RoleAssignment.objects.filter(role=Role.PRINCIPAL_LEADER, institution_id=circular.institution_id)
    return Officer.objects.filter(pk__in=leaders.values("officer_id"), is_active=True).exclude(
        pk=circular.written_by_id
    )


def approvable_circulars(user: Officer) -> QuerySet[Circular]:
    leading = RoleAssignment.objects.filter(officer=user, role=Role.PRINCIPAL_LEADER).values("institution_id")
    return (
        Circular.objects.filter(status=CircularStatus.SUBMITTED, institution_id__in=leading)
        .exclude(written_by=user)
        .select_related("written_by")
    )


def circular_receipts(circular: Circular) -> QuerySet[CircularRecipient]:
    """Who has read the notice and who has not yet (those first)."""
    return circular.recipients.select_related("officer__department", "officer__institution").order_by(
        F("read_at").asc(nulls_first=True), "officer__institution__path", "officer__department__name"
    )


def receipts_by_department(circular: Circular) -> QuerySet:
    """How many recipients of each department have read the notice, those with the most still to read first: one
    grouped query, for a notice to a whole province."""
    return (
        circular.recipients.values("officer__institution__name", "officer__department__name")
        .annotate(total=Count("pk"), read=Count("pk", filter=Q(read_at__isnull=False)))
        .annotate(unread=F("total") - F("read"))
        .order_by("-unread", "officer__institution__name", "officer__department__name")
    )


# --- return visits -------------------------------------------------------------------------------------------


def visible_visits(user: Officer) -> QuerySet[ReturnVisit]:
    """Discipline staff and leaders over their bodies, never a visit about their own case."""
    scope = scope_for(user)
    visits = ReturnVisit.objects.select_related("case", "handler", "institution")
    if scope.is_superuser:
        return visits
    if not scope.watches_institution:
        return visits.none()
    return visits.filter(paths_q(scope.overseen_paths, "institution__path")).exclude(handler_id=user.pk)


def owed_visits(user: Officer) -> QuerySet[ReturnVisit]:
    """The visits this discipline officer answers for (``discipline_duty_q``), not yet made."""
    duty = discipline_duty_q(user, institution="institution", subject="handler")
    if duty is None:
        return ReturnVisit.objects.none()
    return ReturnVisit.objects.filter(duty, visited_on__isnull=True).select_related("case", "handler")


def case_clues_panel(case: Case, user: Officer) -> Panel | None:
    """The clues that concern a case, on its page: in full to those who may see them; to the case's reviewers (the
    heads and deputies over its department) only how many there are and where they stand — never to the officer a
    clue is about."""
    clues = Clue.objects.filter(cases=case).exclude(subject_id=user.pk)
    shown = list(visible_clues(user).filter(cases=case).order_by("received_on", "pk"))
    if shown:
        return Panel("alerts/case_clues.html", {"clues": shown})
    if case.department_id in scope_for(user).department_ids and (count := clues.count()):
        open_ = clues.exclude(status=ClueStatus.CONCLUDED).count()
        return Panel("alerts/case_clues.html", {"count": count, "open": open_})
    return None
