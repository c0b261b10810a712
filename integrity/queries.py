"""Scoping in one place: which institutions, departments and officers a user may see.

Every view fetches through ``visible_*``; an object outside the scope is simply not in the queryset, so a URL
edited to point at someone else's record is a 404, never a leak.

The rules (DOMAIN.md, "Who uses it"):
- everyone sees themselves;
- a department head sees the department they lead; a deputy leader the departments assigned to them;
- principal leaders, discipline inspection staff and administrators see their institution and every body
  below it in the hierarchy — never sideways, never upwards.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from integrity.choices import DayCount, Role
from integrity.models import (
    AuditEvent,
    CalendarDay,
    Department,
    HeaderSynonym,
    Institution,
    Officer,
    Post,
    PostAssignment,
    RoleAssignment,
)
from integrity.routing import Chain, RoleRow
from integrity.spreadsheets import SHEET_KINDS, best_sheet, read_header
from integrity.workdays import CALENDAR_DAYS, DayCounter, WorkingCalendar


@dataclass(frozen=True)
class Scope:
    """What one user holds, read once per request: roles per institution, and what those roles reach."""

    officer_id: int
    institution_id: int | None
    department_id: int | None
    is_superuser: bool = False
    roles: frozenset[tuple[str, int]] = field(default_factory=frozenset)  # (role, institution id)
    overseen_paths: tuple[str, ...] = ()  # institution subtrees seen whole
    department_ids: frozenset[int] = field(default_factory=frozenset)  # departments reached by head/deputy roles
    headed_department_ids: frozenset[int] = field(default_factory=frozenset)
    administered_paths: tuple[str, ...] = ()  # institution subtrees whose accounts this user manages
    secured_paths: tuple[str, ...] = ()  # institution subtrees whose roles and passwords this user manages
    case_institution_ids: frozenset[int] = field(default_factory=frozenset)  # bodies whose cases this user manages
    oversees_own_body: bool = False  # their own body is one they see whole: their own record is under its path

    def has_role(self, *roles: str) -> bool:
        return self.is_superuser or any(role in roles for role, _ in self.roles)

    @property
    def role_names(self) -> list[str]:
        return sorted({role for role, _ in self.roles})

    @property
    def is_administrator(self) -> bool:
        """The system administrator (系统管理员): accounts, organisation, catalog and policies."""
        return self.has_role(Role.ADMINISTRATOR)

    @property
    def is_security_administrator(self) -> bool:
        """The security administrator (安全管理员): roles, password resets, the security policy."""
        return self.has_role(Role.SECURITY_ADMIN)

    @property
    def watches_institution(self) -> bool:
        """Leaders and discipline staff: the ones who watch the board and see intelligence."""
        return self.has_role(Role.PRINCIPAL_LEADER, Role.DISCIPLINE)

    @property
    def watches_officers(self) -> bool:
        """Leaders, discipline staff, heads and deputies: who watches others' records as a whole (the board, say)."""
        return self.is_superuser or self.watches_institution or bool(self.department_ids)

    @property
    def may_review(self) -> bool:
        """Holds a role someone's items can be routed to (``integrity.routing``): heads, deputies, leaders, staff."""
        return self.is_superuser or bool(self.department_ids) or self.has_role(Role.PRINCIPAL_LEADER, Role.DISCIPLINE)

    @property
    def sees_others(self) -> bool:
        return self.is_superuser or bool(self.overseen_paths) or bool(self.department_ids)

    def _path_q(self, lookup: str) -> Q:
        if self.is_superuser:
            return Q()
        return paths_q(self.overseen_paths, lookup)

    def institution_q(self) -> Q:
        if self.is_superuser:
            return Q()
        own = Q(pk=self.institution_id) if self.institution_id else Q(pk__in=[])
        departments = Q(departments__in=self.department_ids) if self.department_ids else Q(pk__in=[])
        return own | departments | self._path_q("path")

    def department_q(self) -> Q:
        if self.is_superuser:
            return Q()
        reached = set(self.department_ids)
        if self.department_id:
            reached.add(self.department_id)
        return Q(pk__in=reached) | self._path_q("institution__path")

    def officer_q(self, prefix: str = "") -> Q:
        """Officers this user may see; ``prefix`` lets other apps filter their records by officer."""
        if self.is_superuser:
            return Q()
        if prefix and not self.overseen_paths:
            # A handful of officers (oneself, one's departments): named in a subquery the database resolves first,
            # their records are then reached by index. An OR over the joined officer would have it walk every
            # record in the list's order looking for theirs (a head's check list: 224 ms → 2 ms in a province).
            own = Q(pk=self.officer_id)
            if self.department_ids:
                own |= Q(department_id__in=self.department_ids)
            return Q(**{f"{prefix}__in": Officer.objects.filter(own).values("pk")})
        p = f"{prefix}__" if prefix else ""
        # One's own record is named only when no path below reaches it: naming it too made an OR the planner could
        # not walk in the bodies' order (the province inspector's directory sorted every officer: 86 ms → 3 ms).
        parts = [] if self.oversees_own_body else [Q(**{prefix or "pk": self.officer_id})]
        if self.department_ids:
            parts.append(Q(**{f"{p}department_id__in": self.department_ids}))
        parts.extend(Q(**{f"{p}institution__path__startswith": path}) for path in self.overseen_paths)
        return reduce(or_, parts)


def chain_for() -> Chain:
    """Every role holder and the hierarchy, for ``integrity.routing.reviewer``: two queries."""
    rows = [
        RoleRow(officer_id, role, institution_id, department_id)
        for officer_id, role, institution_id, department_id in RoleAssignment.objects.filter(
            officer__is_active=True
        ).values_list("officer_id", "role", "institution_id", "departments__id")
    ]
    return Chain.build(rows, dict(Institution.objects.values_list("pk", "parent_id")))


def paths_q(paths: tuple[str, ...], lookup: str) -> Q:
    """Records under any of the institution subtrees ``paths`` (``lookup`` leads to an institution's path)."""
    return reduce(or_, (Q(**{f"{lookup}__startswith": p}) for p in paths), Q(pk__in=[]))


def _outermost(paths: set[str]) -> tuple[str, ...]:
    """Drop subtrees already inside another: the OR they become stays short."""
    return tuple(sorted(p for p in paths if not any(p != o and p.startswith(o) for o in paths)))


def scope_for(user: Officer) -> Scope:
    """The user's scope, computed with one query and kept on the user object for the rest of the request."""
    cached = vars(user).get("_integrity_scope")
    if cached is not None:
        return cached
    rows = list(
        RoleAssignment.objects.filter(officer_id=user.pk, institution__is_active=True).values_list(
            "role", "institution_id", "institution__path", "departments__id"
        )
    )
    roles = frozenset((role, institution_id) for role, institution_id, _, _ in rows)
    overseen = {path for role, _, path, _ in rows if role in Role.overseeing()}
    # A subtree already inside another adds nothing; keep the list short for the OR it becomes.
    overseen_paths = _outermost(overseen)
    department_ids = frozenset(
        department for role, _, _, department in rows if role in Role.with_departments() and department
    )
    administered = {path for role, _, path, _ in rows if role == Role.ADMINISTRATOR}
    secured = {path for role, _, path, _ in rows if role == Role.SECURITY_ADMIN}
    headed = frozenset(department for role, _, _, department in rows if role == Role.DEPARTMENT_HEAD and department)
    case_institutions = frozenset(body for role, body, _, _ in rows if role == Role.CASE_MANAGEMENT)
    oversees_own_body = any(role in Role.overseeing() and body == user.institution_id for role, body, _, _ in rows)
    scope = Scope(
        officer_id=user.pk,
        institution_id=user.institution_id,
        department_id=user.department_id,
        is_superuser=user.is_superuser,
        roles=roles,
        overseen_paths=overseen_paths,
        administered_paths=_outermost(administered),
        secured_paths=_outermost(secured),
        department_ids=department_ids,
        headed_department_ids=headed,
        case_institution_ids=case_institutions,
        oversees_own_body=oversees_own_body,
    )
    vars(user)["_integrity_scope"] = scope  # kept for the rest of the request
    return scope


def discipline_duty_q(user: Officer, *, institution: str, subject: str) -> Q | None:
    """The records a discipline officer must act on (assign, review): those of the bodies where they are discipline
    staff; one about a discipline officer goes to the discipline staff of the body above (at the top, to the
    subject's colleagues); never one about themselves. ``institution`` and ``subject`` lead from the record to its
    body and to the officer it is about. None when the user is no discipline officer."""
    mine = [body for role, body in scope_for(user).roles if role == Role.DISCIPLINE]
    if not mine:
        return None
    about_discipline = Q(
        Exists(
            RoleAssignment.objects.filter(
                officer_id=OuterRef(f"{subject}_id"), role=Role.DISCIPLINE, institution_id=OuterRef(f"{institution}_id")
            )
        )
    )
    here = Q(**{f"{institution}_id__in": mine}) & (~about_discipline | Q(**{f"{institution}__parent__isnull": True}))
    above = Q(**{f"{institution}__parent_id__in": mine}) & about_discipline
    # Implied by the two cases, and said first so the database starts from those few records instead of testing
    # every record in the deployment against an OR no index serves (a province's annual reports under review:
    # 58 ms with no such start, 31 ms from the bodies, 11 ms from the officers).
    if institution == f"{subject}__institution":
        # A record in its subject's own body (a report the officer files): the officers of the user's bodies and
        # the discipline staff of the bodies below.
        below = RoleAssignment.objects.filter(role=Role.DISCIPLINE, institution__parent_id__in=mine)
        officers = Officer.objects.filter(institution_id__in=mine).order_by().values("pk")
        near = Q(**{f"{subject}_id__in": officers.union(below.order_by().values("officer_id"))})
    else:  # the records of the user's bodies and of the bodies below
        bodies = Institution.objects.filter(Q(pk__in=mine) | Q(parent_id__in=mine)).values("pk")
        near = Q(**{f"{institution}_id__in": bodies})
    return near & (here | above) & ~Q(**{f"{subject}_id": user.pk})


def officer_search_q(text: str, officer: str = "") -> Q:
    """Officers by part of their name, username or staff number: the directory's search and the officer picker's;
    with ``officer`` (a relation's name, ``subject``), records by the officer they concern."""
    prefix = f"{officer}__" if officer else ""
    fields = ("full_name", "username", "staff_number")
    return Q(*((f"{prefix}{field}__icontains", text) for field in fields), _connector=Q.OR)


def visible_audit_events(user: Officer) -> QuerySet[AuditEvent]:
    """The audit log, for audit administrators: events of the officers of their bodies and the bodies below, and the
    events with no account behind them (a failed login with an unknown username). Nobody else reads it."""
    scope = scope_for(user)
    if scope.is_superuser:
        return AuditEvent.objects.all()
    paths = _outermost({path for role, path in _role_paths(user) if role == Role.AUDITOR})
    if not paths:
        return AuditEvent.objects.none()
    officers = Officer.objects.filter(paths_q(paths, "institution__path"))
    return AuditEvent.objects.filter(Q(actor_id__in=officers.values("pk")) | Q(actor__isnull=True))


def _role_paths(user: Officer) -> list[tuple[str, str]]:
    return list(RoleAssignment.objects.filter(officer_id=user.pk).values_list("role", "institution__path"))


def visible_institutions(user: Officer) -> QuerySet[Institution]:
    return Institution.objects.filter(scope_for(user).institution_q()).distinct()


def count_of(rows: QuerySet, link: str) -> Coalesce:
    """How many of ``rows`` point (through ``link``) at the outer query's row, as a correlated subquery.

    Unlike ``Count`` over a join, it groups nothing: the database counts for the rows it returns (a page of 25),
    and two of them side by side do not multiply each other's rows."""
    counted = rows.filter(**{link: OuterRef("pk")}).order_by().values(link).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def with_counts(institutions: QuerySet[Institution]) -> QuerySet[Institution]:
    """Institutions with how many departments and active officers each has."""
    return institutions.select_related("parent").annotate(
        department_count=count_of(Department.objects.all(), "institution"),
        officer_count=count_of(Officer.objects.filter(is_active=True), "institution"),
    )


def visible_departments(user: Officer) -> QuerySet[Department]:
    return Department.objects.filter(scope_for(user).department_q()).select_related("institution")


def visible_posts(user: Officer) -> QuerySet[Post]:
    return Post.objects.filter(department__in=visible_departments(user)).select_related("department")


def visible_officers(user: Officer) -> QuerySet[Officer]:
    return Officer.objects.filter(scope_for(user).officer_q()).select_related("institution", "department", "post")


def _administered_q(scope: Scope, lookup: str) -> Q:
    if scope.is_superuser:
        return Q()
    return paths_q(scope.administered_paths, lookup)


def directory_officers(user: Officer) -> QuerySet[Officer]:
    """The people directory: the officers whose records the user sees, and those whose accounts they manage (a
    system or security administrator sees names, posts and roles — never a record)."""
    scope = scope_for(user)
    q = scope.officer_q() | _administered_q(scope, "institution__path")
    if not scope.is_superuser:
        q |= paths_q(scope.secured_paths, "institution__path")
    return Officer.objects.filter(q).select_related("institution", "department", "post")


def securable_officers(user: Officer) -> QuerySet[Officer]:
    """Officers whose roles and passwords this user manages (the security administrator's subtrees), never
    themselves."""
    scope = scope_for(user)
    q = Q() if scope.is_superuser else paths_q(scope.secured_paths, "institution__path")
    return Officer.objects.filter(q).exclude(pk=user.pk).select_related("institution", "department", "post")


def securable_institutions(user: Officer) -> QuerySet[Institution]:
    scope = scope_for(user)
    return Institution.objects.filter(Q() if scope.is_superuser else paths_q(scope.secured_paths, "path"))


def manageable_institutions(user: Officer) -> QuerySet[Institution]:
    return Institution.objects.filter(_administered_q(scope_for(user), "path"))


def manageable_officers(user: Officer) -> QuerySet[Officer]:
    """Officers whose accounts, posts and roles this user may change: administrators' subtrees only."""
    q = _administered_q(scope_for(user), "institution__path")
    return Officer.objects.filter(q).select_related("institution", "department", "post")


def manageable_departments(user: Officer) -> QuerySet[Department]:
    q = _administered_q(scope_for(user), "institution__path")
    return Department.objects.filter(q).select_related("institution")


def manageable_posts(user: Officer) -> QuerySet[Post]:
    q = _administered_q(scope_for(user), "department__institution__path")
    return Post.objects.filter(q).select_related("department__institution")


def post_history(officer: Officer) -> QuerySet[PostAssignment]:
    return officer.post_assignments.select_related("post__department__institution", "created_by")


def roles_of(officer: Officer) -> QuerySet[RoleAssignment]:
    return officer.role_assignments.select_related("institution").prefetch_related("departments")


def header_synonyms(kind: str, institution: Institution | None) -> dict[str, list[str]]:
    """The headers administrators added for each field of a kind of file: everyone's, and those of the institution
    and the bodies above it (an import administrator's additions reach the bodies below them)."""
    rows = HeaderSynonym.objects.filter(kind=kind).filter(
        Q(institution__isnull=True) | Q(institution__in=institution.lineage if institution else [])
    )
    synonyms: dict[str, list[str]] = {}
    for field_name, header in rows.order_by("institution__path", "header").values_list("field", "header"):
        synonyms.setdefault(field_name, []).append(header)
    return synonyms


def upload_header(
    kind: str, institution: Institution, content: bytes, filename: str, sheet: str = ""
) -> tuple[str, list[str]]:
    """The sheet an upload is read from (the one named, or the one whose header maps best, synonyms included) and
    its header row, for the mapping step of any kind of file; ``UnreadableFile`` when it cannot be read."""
    columns = SHEET_KINDS[kind].columns
    sheet = sheet or best_sheet(content, filename, columns, header_synonyms(kind, institution))
    return sheet, read_header(content, filename, sheet)


def working_calendars(institutions: Iterable[Institution]) -> dict[int, WorkingCalendar]:
    """Each institution's working-day calendar, in one query: everyone's days, overridden by those its own body
    and the bodies above it set (the nearest body wins)."""
    lineages = {institution.pk: institution.lineage for institution in institutions}
    bodies = {pk for lineage in lineages.values() for pk in lineage}
    rows = CalendarDay.objects.filter(Q(institution__isnull=True) | Q(institution__in=bodies)).values_list(
        "day", "kind", "name", "institution_id"
    )
    everyone: dict = {}
    own: dict[int, dict] = {}
    for day, kind, name, body in rows:
        (everyone if body is None else own.setdefault(body, {}))[day] = (kind, name)
    calendars = {}
    for pk, lineage in lineages.items():
        days = dict(everyone)
        for body in lineage:
            days.update(own.get(body, {}))
        calendars[pk] = WorkingCalendar(
            kinds={day: kind for day, (kind, _name) in days.items()},
            names={day: name for day, (_kind, name) in days.items() if name},
        )
    return calendars


def day_counters(counted: dict[int, str]) -> dict[int, DayCounter]:
    """For many institutions (id → how its policy counts days), in one query when any counts working days."""
    working = [pk for pk, how in counted.items() if how == DayCount.WORKING]
    calendars = working_calendars(Institution.objects.filter(pk__in=working)) if working else {}
    return {pk: DayCounter(how, calendars[pk]) if pk in calendars else CALENDAR_DAYS for pk, how in counted.items()}


def day_counter(institution: Institution, counted: str) -> DayCounter:
    """How a policy of ``institution`` counts its deadlines; calendar days need no query."""
    if counted == DayCount.CALENDAR:
        return CALENDAR_DAYS
    return DayCounter(counted, working_calendars([institution])[institution.pk])
