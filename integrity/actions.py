"""Writes to the organisation and its people. Views, the admin, seeding and tests all come through here.

Each action is atomic and records who acted: ``acting_user`` is keyword-only and lands in the model's
history (django-simple-history) together with a reason where there is one.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from integrity import audit, bars, departures, events
from integrity.choices import AuditEventKind, Departure, InstitutionKind, InstitutionLevel, Role
from integrity.models import (
    PATH_SEGMENT_WIDTH,
    CalendarDay,
    Department,
    HeaderSynonym,
    Institution,
    Officer,
    Post,
    PostAssignment,
    RoleAssignment,
)
from integrity.queries import chain_for, header_synonyms
from integrity.routing import Person, reviewer
from integrity.rules import role_problems
from integrity.spreadsheets import SHEET_KINDS, find_columns, norm
from integrity.workdays import official_days

_M = TypeVar("_M", bound=Model)


def audited(instance: _M, acting_user: Officer | None, reason: str | Promise = "") -> _M:
    """Mark the next history row of ``instance`` with who made the change and why."""
    marked: Any = instance  # simple-history reads these two attributes when it writes the row
    marked._history_user = acting_user
    marked._change_reason = reason
    return instance


def claim(
    instance: Model, condition: Q, *, acting_user: Officer | None, reason: str | Promise = "", **changes: Any
) -> bool:
    """Change ``instance`` only while it still meets ``condition``: a conditional update whose row count tells
    whether another request or worker got there first. When it did change, ``instance`` is read again and its
    history row is written with who did it and why, like any other change."""
    model = type(instance)
    if not model._default_manager.filter(condition, pk=instance.pk).update(**changes):
        return False
    instance.refresh_from_db()
    if hasattr(model, "history"):
        # Saving the values just written changes nothing but writes the history row with the acting user.
        audited(instance, acting_user, reason)
        instance.save(update_fields=list(changes))
    return True


def take_job(
    model: type[Model], pk: int, *, queued: str, running: str, stale: datetime.timedelta, **changes: Any
) -> bool:
    """Take a queued job for this worker by a conditional update: false when another worker has it or it is done —
    unless it has been running longer than ``stale``, when its worker died and it is taken again. The job's row
    keeps ``status``, ``started_at`` and the ``changes`` given."""
    now = timezone.now()
    waiting = Q(status=queued) | Q(status=running, started_at__lt=now - stale)
    return bool(model._default_manager.filter(waiting, pk=pk).update(status=running, started_at=now, **changes))


def refresh_reviewers(officers: QuerySet[Officer] | None = None) -> int:
    """Set the reviewer of ``officers`` (everyone by default) by the four levels (``integrity.routing.reviewer``);
    returns how many changed. Called by every action that changes who holds which role or who sits where, in the
    caller's transaction."""
    chain = chain_for()
    officers = Officer.objects.all() if officers is None else officers
    events.routes_changed(officers.values_list("pk", flat=True))
    changed = [
        Officer(pk=pk, reviewer_id=should)
        for pk, department_id, institution_id, current in officers.values_list(
            "pk", "department_id", "institution_id", "reviewer_id"
        )
        if (should := reviewer(Person(pk, department_id, institution_id), chain)) != current
    ]
    Officer.objects.bulk_update(changed, ["reviewer"], batch_size=1000)
    return len(changed)


@transaction.atomic
def create_institution(
    *,
    name: str,
    code: str,
    kind: InstitutionKind | str,
    level: InstitutionLevel | str,
    parent: Institution | None = None,
    short_name: str = "",
    time_zone: str = "Asia/Shanghai",
    acting_user: Officer | None,
) -> Institution:
    institution = audited(
        Institution(
            name=name,
            code=code,
            kind=kind,
            level=level,
            parent=parent,
            short_name=short_name,
            time_zone=time_zone,
            path="",
        ),
        acting_user,
    )
    institution.save()
    # The path needs the row's own id, so it is set once the row exists.
    institution.path = f"{parent.path if parent else ''}{institution.pk:0{PATH_SEGMENT_WIDTH}d}."
    Institution.objects.filter(pk=institution.pk).update(path=institution.path)
    return institution


@transaction.atomic
def create_department(
    institution: Institution, name: str, *, order: int = 0, acting_user: Officer | None
) -> Department:
    department = audited(Department(institution=institution, name=name, order=order), acting_user)
    department.full_clean()
    department.save()
    return department


@transaction.atomic
def create_post(
    department: Department,
    name: str,
    *,
    main_duties: str = "",
    is_key_post: bool = False,
    rank: int = 0,
    acting_user: Officer | None,
) -> Post:
    post = Post(department=department, name=name, main_duties=main_duties, is_key_post=is_key_post, rank=rank)
    audited(post, acting_user)
    post.full_clean()
    post.save()
    return post


@transaction.atomic
def create_officer(
    *,
    username: str,
    full_name: str,
    department: Department,
    post: Post | None = None,
    password: str | None = None,
    email: str = "",
    staff_number: str = "",
    started_on: datetime.date | None = None,
    acting_user: Officer | None,
) -> Officer:
    """Open an account for an officer of ``department``; with ``post``, also record their first post."""
    officer = Officer(
        username=username,
        full_name=full_name,
        email=email,
        staff_number=staff_number,
        institution=department.institution,
        department=department,
    )
    if password:
        officer.set_password(password)
        # A password an administrator chose is a first one: the officer sets their own at the first login.
        officer.must_change_password = acting_user is not None
    else:
        officer.set_unusable_password()
    audited(officer, acting_user, _("Account opened"))
    officer.save()
    if post is not None:
        assign_post(officer, post, started_on=started_on or timezone.localdate(), acting_user=acting_user)
    else:
        refresh_reviewers(Officer.objects.filter(pk=officer.pk))
    return officer


@transaction.atomic
def assign_post(
    officer: Officer,
    post: Post,
    *,
    started_on: datetime.date,
    note: str = "",
    acting_user: Officer | None,
) -> PostAssignment:
    """Move ``officer`` to ``post`` from ``started_on``; the current stretch ends that day and is kept.

    Stretches are half-open: the old one's ``ended_on`` equals the new one's ``started_on``.
    """
    # Lock the officer's row so two post changes at once cannot both close the same stretch.
    list(Officer.objects.select_for_update().filter(pk=officer.pk).values_list("pk", flat=True))
    current = officer.post_assignments.filter(ended_on__isnull=True).first()
    if current is not None:
        if current.post_id == post.pk:
            raise ValidationError(_("%(officer)s already holds this post.") % {"officer": officer})
        if started_on < current.started_on:
            raise ValidationError(
                _("The new post cannot start before the current one (%(date)s).") % {"date": current.started_on}
            )
        current.ended_on = started_on
        current.save(update_fields=["ended_on"])
    assignment = PostAssignment.objects.create(
        officer=officer, post=post, started_on=started_on, note=note, created_by=acting_user
    )
    previous = officer.post_id and Post.objects.filter(pk=officer.post_id).values_list("rank", flat=True).first()
    if previous is not None and post.rank > previous:
        bars.check_promotion(officer, started_on, assignment, acting_user)  # may refuse: the transaction rolls back
    officer.post = post
    officer.department = post.department
    officer.institution = post.department.institution
    audited(officer, acting_user, note or _("Post changed"))
    officer.save(update_fields=["post", "department", "institution"])
    # A member's move changes only their own reviewer; a role holder's changes their reviewees' too.
    moved = Officer.objects.filter(pk=officer.pk)
    refresh_reviewers(_subtree(officer.institution) if officer.role_assignments.exists() else moved)
    events.post_changed(officer.pk)
    return assignment


@transaction.atomic
def grant_role(
    officer: Officer,
    role: Role | str,
    institution: Institution,
    *,
    departments: Iterable[Department] = (),
    acting_user: Officer | None,
) -> RoleAssignment:
    """Give ``officer`` a role in ``institution``; heads and deputies name the departments it covers.

    Granting a role the officer already holds replaces its departments, so seeding can run again.
    """
    if acting_user is not None and acting_user.pk == officer.pk:
        raise ValidationError(_("Nobody grants themselves a role."))
    departments = list(departments)
    held = list(officer.role_assignments.values_list("role", flat=True))
    problems = role_problems(role, institution.pk, [d.institution_id for d in departments], held)
    if problems:
        raise ValidationError(problems)
    assignment, _created = RoleAssignment.objects.get_or_create(
        officer=officer, role=role, institution=institution, defaults={"granted_by": acting_user}
    )
    audited(assignment, acting_user)
    if set(assignment.departments.all()) != set(departments):
        assignment.departments.set(departments)
    refresh_reviewers(_subtree(institution))
    audit.record(
        AuditEventKind.ROLE_GRANTED, actor=acting_user, target=f"officer:{officer.pk}", role=str(role),
        institution=institution.pk, departments=sorted(d.pk for d in departments),
    )  # fmt: skip
    return assignment


@transaction.atomic
def revoke_role(assignment: RoleAssignment, *, reason: str = "", acting_user: Officer | None) -> None:
    """Take a role away; the history keeps that it was held, by whom it was granted and when it ended."""
    if acting_user is not None and acting_user.pk == assignment.officer_id:
        raise ValidationError(_("Nobody takes away their own role."))
    audited(assignment, acting_user, reason)
    audit.record(
        AuditEventKind.ROLE_REVOKED, actor=acting_user, target=f"officer:{assignment.officer_id}",
        role=assignment.role, institution=assignment.institution_id, reason=reason,
    )  # fmt: skip
    institution = assignment.institution
    assignment.delete()
    refresh_reviewers(_subtree(institution))


@transaction.atomic
def record_departure(
    officer: Officer,
    *,
    left_on: datetime.date,
    departure: str,
    successor: Officer | None = None,
    note: str = "",
    acting_user: Officer | None,
) -> Officer:
    """离岗 — the officer leaves (transferred out, retired, resigned): their post ends that day, their roles end,
    their account closes, and whoever they reviewed goes to the next in line. The apps above hand their open work to
    ``successor`` and open what a departure owes (``integrity.departures``); all or nothing."""
    officer = Officer.objects.select_for_update().get(pk=officer.pk)
    if acting_user is not None and acting_user.pk == officer.pk:
        raise ValidationError(_("Another administrator records your own departure."))
    if not officer.is_active or officer.left_on is not None:
        raise ValidationError(_("%(officer)s has already left.") % {"officer": officer.full_name})
    if left_on > timezone.localdate():
        raise ValidationError(_("Record a departure on or after the day it happens."))
    if successor is not None and (
        successor.pk == officer.pk or not successor.is_active or successor.institution_id != officer.institution_id
    ):
        raise ValidationError(_("The successor must be another active officer of the same institution."))
    current = officer.post_assignments.filter(ended_on__isnull=True).first()
    if current is not None:
        if left_on < current.started_on:
            raise ValidationError(
                _("The departure cannot come before the current post began (%(date)s).") % {"date": current.started_on}
            )
        current.ended_on = left_on
        current.save(update_fields=["ended_on"])
    for assignment in officer.role_assignments.all():
        audited(assignment, acting_user, _("Left the institution"))
        audit.record(
            AuditEventKind.ROLE_REVOKED, actor=acting_user, target=f"officer:{officer.pk}", role=assignment.role,
            institution=assignment.institution_id, reason="departure",
        )  # fmt: skip
        assignment.delete()
    officer.is_active, officer.left_on, officer.departure = False, left_on, departure
    audited(officer, acting_user, note or Departure(departure).label)
    officer.save(update_fields=["is_active", "left_on", "departure"])
    departures.hand_over(officer, successor, acting_user)
    refresh_reviewers(_subtree(officer.institution))
    events.officers_changed(officer.pk, successor.pk if successor else None)
    return officer


def _subtree(institution: Institution | None) -> QuerySet[Officer]:
    """The officers whose reviewer a role in ``institution`` can change: its own and, through its discipline
    staff, those of the bodies below it (none for an account of no institution)."""
    if institution is None:
        return Officer.objects.none()
    return Officer.objects.filter(institution__path__startswith=institution.path)


@transaction.atomic
def remember_headers(
    kind: str, institution: Institution, headers: dict[str, str], *, acting_user: Officer | None
) -> list[HeaderSynonym]:
    """Keep the headers someone mapped by hand (field → the file's header) as synonyms for their institution and
    the bodies below it, so the next file with those headers maps itself — in the browser and on the command line.
    Headers the product or an earlier synonym already proposes are not added again."""
    columns = SHEET_KINDS[kind].columns
    known = find_columns(columns, list(headers.values()), header_synonyms(kind, institution))
    added = []
    for position, (key, header) in enumerate(headers.items()):
        header = header.strip()[:100]
        if not header or known.get(key) == position or not norm(header):
            continue
        synonym, created = HeaderSynonym.objects.get_or_create(
            kind=kind, header=header, institution=institution, defaults={"field": key, "added_by": acting_user}
        )
        if created:
            added.append(synonym)
    return added


def seed_calendar(years: Iterable[int], *, acting_user: Officer | None = None) -> int:
    """Add the State Council's arrangement for ``years`` to everyone's working-day calendar (what the ``holidays``
    package knows of it); days already there — an administrator's corrections included — are left as they are.
    Returns how many days were added."""
    days = official_days(years)
    there = set(
        CalendarDay.objects.filter(institution=None, day__in=[day for day, _k, _n in days]).values_list(
            "day", flat=True
        )
    )
    added = 0
    for day, kind, name in days:
        if day not in there:
            audited(
                CalendarDay(day=day, kind=kind, name=name),
                acting_user,
                _("seeded from the official holiday arrangement"),
            ).save()
            added += 1
    return added
