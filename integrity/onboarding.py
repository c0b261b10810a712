"""Bulk onboarding (批量导入人员): departments, posts and accounts from the institution's staff list, with the roles
each officer needs requested of the security administrator (who decides them: ``integrity.role_requests``).

``plan`` reads every row against the database and says what would be created, changed or requested, or what is
wrong on which line; ``apply`` writes a plan without errors in one transaction — all or nothing. Running the same
file again finds everything in place and changes nothing. Accounts opened here take the initial password the
administrator gives and must change it at their first login.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from integrity import actions, audit, events, spreadsheets
from integrity.choices import AuditEventKind, RequestStatus, Role
from integrity.models import (
    Department,
    Institution,
    Officer,
    PasswordHistory,
    Post,
    PostAssignment,
    RoleAssignment,
    RoleRequest,
)
from integrity.queries import header_synonyms, manageable_institutions
from integrity.spreadsheets import Column, Mapping, SheetKind, find_columns

KIND = "people"  # its name in the synonym table and on the command line
COLUMNS = [
    Column("institution", "单位", aliases=("所在单位", "单位名称", "院别"), fill_down=True),
    Column("department", "部门", True, ("所在部门", "部门名称", "庭室", "科室", "处室"), fill_down=True),
    Column("post", "岗位", aliases=("岗位名称", "职务")),
    Column("full_name", "姓名", True, ("人员姓名",)),
    Column("username", "用户名", True, ("账号", "登录名", "登录账号", "用户账号")),
    Column("staff_number", "工号", aliases=("警号", "人员编号", "编号")),
    Column("phone", "手机", aliases=("手机号", "手机号码", "联系电话", "电话")),
    Column("email", "邮箱", aliases=("电子邮箱", "邮件")),
    Column("roles", "申请角色", aliases=("角色",)),
    Column("role_departments", "分管部门", aliases=("负责部门", "分管", "领导部门")),
]
_SEPARATORS = re.compile(r"[,，、;；/\s]+")
_username = UnicodeUsernameValidator()


def role_words() -> dict[str, str]:
    """The words a staff list uses for a role: its code, and its name in Chinese and English."""
    words = {role.value: role.value for role in Role}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            words |= {str(role.label): role.value for role in Role}
    return words | {"部门负责人": Role.DEPARTMENT_HEAD, "庭长": Role.DEPARTMENT_HEAD, "处长": Role.DEPARTMENT_HEAD,
                    "分管领导": Role.DEPUTY_LEADER, "主要领导": Role.PRINCIPAL_LEADER, "检察长": Role.PRINCIPAL_LEADER,
                    "院长": Role.PRINCIPAL_LEADER, "纪检": Role.DISCIPLINE, "纪检监察": Role.DISCIPLINE}  # fmt: skip


@dataclass
class Person:
    line: int
    institution: Institution
    department: str
    post: str
    full_name: str
    username: str
    staff_number: str = ""
    phone: str = ""
    email: str = ""
    roles: list[str] = field(default_factory=list)
    role_departments: list[str] = field(default_factory=list)


@dataclass
class Plan:
    """What the file would do: new departments and posts, new and changed accounts, role requests; or the errors,
    one per line and problem."""

    people: list[Person] = field(default_factory=list)
    new_departments: set[tuple[int, str]] = field(default_factory=set)
    new_posts: set[tuple[int, str, str]] = field(default_factory=set)
    new_accounts: list[Person] = field(default_factory=list)
    changed_accounts: list[tuple[Officer, Person]] = field(default_factory=list)
    requests: list[tuple[Person, str]] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    missing_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.missing_columns


def plan(
    rows: list[list[str]], *, acting_user: Officer, default_institution: Institution, mapping: Mapping | None = None
) -> Plan:
    """Check every row; nothing is written. The columns are found by their headers unless ``mapping`` says (with
    constants and defaults, as the import command gives them); merged cells are filled down."""
    result = Plan()
    mapping = mapping or Mapping(columns=find_columns(COLUMNS, rows[0], header_synonyms(KIND, default_institution)))
    result.missing_columns = mapping.missing(COLUMNS)
    if result.missing_columns:
        return result
    institutions = list(manageable_institutions(acting_user))
    by_word = {word: i for i in institutions for word in (i.name, i.short_name, i.code) if word}
    managed = {i.pk for i in institutions}
    departments = {(d.institution_id, d.name) for d in Department.objects.filter(institution__in=managed)}
    posts = set(
        Post.objects.filter(department__institution__in=managed).values_list(
            "department__institution_id", "department__name", "name"
        )
    )
    words = role_words()
    seen_usernames: dict[str, int] = {}
    seen_numbers: dict[str, int] = {}

    def error(line: int, message: str) -> None:
        result.errors.append((line, message))

    for line, values in mapping.read(COLUMNS, rows):
        institution = by_word.get(values["institution"]) if values["institution"] else default_institution
        if institution is None or institution.pk not in managed:
            error(line, _("Unknown institution “%(name)s”, or not one you manage.") % {"name": values["institution"]})
            continue
        person = Person(
            line, institution, values["department"], values["post"], values["full_name"], values["username"],
            values["staff_number"], values["phone"], values["email"],
        )  # fmt: skip
        for message in _person_problems(person, seen_usernames, seen_numbers):
            error(line, message)
        for word in filter(None, _SEPARATORS.split(values["roles"])):
            role = words.get(word)
            if role is None:
                error(line, _("Unknown role “%(role)s”.") % {"role": word})
            elif role in Role.administrators():
                error(line, _("Administrators are appointed one by one by the security administrator, not imported."))
            else:
                person.roles.append(role)
        person.role_departments = list(filter(None, _SEPARATORS.split(values["role_departments"])))
        if any(r in Role.with_departments() for r in person.roles) and not person.role_departments:
            error(line, _("A department head or deputy leader needs the departments they lead (分管部门)."))
        result.people.append(person)

    _against_database(result, departments, posts, managed)
    return result


def _person_problems(person: Person, seen_usernames: dict[str, int], seen_numbers: dict[str, int]) -> list[str]:
    """What is wrong with one line's person: lengths, blanks, a username or staff number already on another line,
    an e-mail address that is none."""
    line, problems = person.line, []
    for key, limit in (("department", 100), ("post", 100), ("full_name", 50), ("username", 150),
                       ("staff_number", 30), ("phone", 30), ("email", 254)):  # fmt: skip
        if len(getattr(person, key)) > limit:
            problems.append(_("%(column)s is longer than %(n)d characters.") % {"column": _label(key), "n": limit})
    for key in ("department", "full_name", "username"):
        if not getattr(person, key):
            problems.append(_("%(column)s is empty.") % {"column": _label(key)})
    if person.username:
        try:
            _username(person.username)
        except ValidationError:
            problems.append(_("The username “%(u)s” may hold letters, digits and @.+-_ only.") % {"u": person.username})
        first = seen_usernames.setdefault(person.username.lower(), line)
        if first != line:
            problems.append(_("The username “%(u)s” is also on line %(n)d.") % {"u": person.username, "n": first})
    if person.staff_number:
        first = seen_numbers.setdefault(person.staff_number, line)
        if first != line:
            problems.append(_("The staff number %(s)s is also on line %(n)d.") % {"s": person.staff_number, "n": first})
    if person.email:
        try:
            validate_email(person.email)
        except ValidationError:
            problems.append(_("“%(e)s” is not an e-mail address.") % {"e": person.email})
    return problems


def _label(key: str) -> str:
    return next(c.label for c in COLUMNS if c.key == key)


def _against_database(result: Plan, departments: set, posts: set, managed: set[int]) -> None:
    """New departments and posts; which accounts are new and which change; who they belong to."""
    usernames = [p.username for p in result.people]
    existing = {
        o.username.lower(): o for o in Officer.objects.filter(username__in=usernames).select_related("post__department")
    }
    numbers = dict(
        Officer.objects.filter(staff_number__in=[p.staff_number for p in result.people if p.staff_number])
        .exclude(staff_number="")
        .values_list("staff_number", "username")
    )
    for person in result.people:
        key = (person.institution.pk, person.department)
        if person.department and key not in departments:
            result.new_departments.add(key)
        if person.post and (*key, person.post) not in posts:
            result.new_posts.add((*key, person.post))
        officer = existing.get(person.username.lower())
        holder = numbers.get(person.staff_number)
        if holder and holder.lower() != person.username.lower():
            result.errors.append(
                (person.line, _("The staff number %(s)s belongs to %(u)s.") % {"s": person.staff_number, "u": holder})
            )
        if officer is None:
            result.new_accounts.append(person)
        elif officer.institution_id not in managed:
            result.errors.append(
                (person.line, _("The account “%(u)s” belongs to another institution.") % {"u": person.username})
            )
        elif _changes(officer, person):
            result.changed_accounts.append((officer, person))
        for role in person.roles:
            result.requests.append((person, role))
        known = {name for (i, name) in departments | result.new_departments if i == person.institution.pk}
        for name in person.role_departments:
            if name not in known:
                result.errors.append((person.line, _("Unknown department “%(name)s”.") % {"name": name}))
    result.errors.sort()


def _changes(officer: Officer, person: Person) -> dict:
    changes = {
        field: getattr(person, field)
        for field in ("full_name", "staff_number", "phone", "email")
        if getattr(person, field) and getattr(person, field) != getattr(officer, field)
    }
    post = officer.post
    where = (post.department.institution_id, post.department.name, post.name) if post else None
    if person.post and where != (person.institution.pk, person.department, person.post):
        changes["post"] = (person.department, person.post)
    return changes


@transaction.atomic
def apply(result: Plan, *, initial_password: str = "", password_hash: str = "", acting_user: Officer) -> dict[str, int]:
    """Write a plan without errors: departments and posts first, then the accounts — new ones in bulk, with the
    initial password hashed once (or its hash, kept since the upload) and to be changed at the first login — then
    changed posts through the post action, and the role requests for the security administrator. Returns the
    counts."""
    if not result.ok:
        raise ValidationError(_("The file has errors: nothing was written."))
    today = timezone.localdate()
    for institution_id, name in sorted(result.new_departments):
        department = Department(institution_id=institution_id, name=name)
        actions.audited(department, acting_user, _("Imported")).save()
    department_ids = {
        (d.institution_id, d.name): d.pk
        for d in Department.objects.filter(institution__in={p.institution.pk for p in result.people})
    }
    for institution_id, department_name, name in sorted(result.new_posts):
        post = Post(department_id=department_ids[(institution_id, department_name)], name=name)
        actions.audited(post, acting_user, _("Imported")).save()
    post_ids = {(p.department_id, p.name): p.pk for p in Post.objects.filter(department_id__in=department_ids.values())}

    def post_of(person: Person) -> int:
        """The id of the post a person of the file holds (one who has a post)."""
        return post_ids[(department_ids[(person.institution.pk, person.department)], person.post)]

    password = password_hash or make_password(initial_password)
    now = timezone.now()
    created = bulk_create_with_history(
        [
            Officer(
                username=p.username,
                full_name=p.full_name,
                staff_number=p.staff_number,
                phone=p.phone,
                email=p.email,
                institution=p.institution,
                department_id=department_ids[(p.institution.pk, p.department)],
                post_id=post_of(p) if p.post else None,
                password=password,
                password_changed_at=now,
                must_change_password=True,
            )
            for p in result.new_accounts
        ],
        Officer,
        batch_size=500,
        default_user=acting_user,
        default_change_reason=_("Account opened by import"),
    )
    new = {o.username.lower(): o.pk for o in Officer.objects.filter(username__in=[o.username for o in created])}
    PasswordHistory.objects.bulk_create(PasswordHistory(officer_id=pk, password=password) for pk in new.values())
    PostAssignment.objects.bulk_create(
        PostAssignment(
            officer_id=new[p.username.lower()],
            post_id=post_of(p),
            started_on=today,
            note=_("Imported"),
            created_by=acting_user,
        )
        for p in result.new_accounts
        if p.post
    )
    for officer, person in result.changed_accounts:
        changes = _changes(officer, person)
        moved = changes.pop("post", None)
        if changes:
            for name, value in changes.items():
                setattr(officer, name, value)
            actions.audited(officer, acting_user, _("Changed by import")).save(update_fields=list(changes))
        if moved:
            actions.assign_post(
                officer, Post.objects.get(pk=post_of(person)), started_on=today, note=_("Imported"),
                acting_user=acting_user,
            )  # fmt: skip
    actions.refresh_reviewers(Officer.objects.filter(pk__in=new.values()))
    events.post_changed(*(new[p.username.lower()] for p in result.new_accounts if p.post))
    requested = _request_roles(result, department_ids, acting_user)
    counts: dict[str, Any] = {
        "departments": len(result.new_departments), "posts": len(result.new_posts), "created": len(created),
        "changed": len(result.changed_accounts), "requested": requested,
    }  # fmt: skip
    audit.record(AuditEventKind.ADMIN_EDIT, actor=acting_user, target="onboarding", **counts)
    return counts


def _request_roles(result: Plan, department_ids: dict, acting_user: Officer) -> int:
    """A pending request for every role asked that the officer neither holds nor waits for already."""
    officers = {
        o.username.lower(): o for o in Officer.objects.filter(username__in=[p.username for p, _r in result.requests])
    }
    held = set(
        RoleRequest.objects.filter(officer__in=officers.values(), status=RequestStatus.PENDING).values_list(
            "officer_id", "role", "institution_id"
        )
    )
    held |= set(
        RoleAssignment.objects.filter(officer__in=officers.values()).values_list("officer_id", "role", "institution_id")
    )
    count = 0
    for person, role in result.requests:
        officer = officers[person.username.lower()]
        if (officer.pk, role, person.institution.pk) in held:
            continue
        request = RoleRequest.objects.create(
            officer=officer, role=role, institution=person.institution, requested_by=acting_user
        )
        if role in Role.with_departments():
            request.departments.set(department_ids[(person.institution.pk, name)] for name in person.role_departments)
        held.add((officer.pk, role, person.institution.pk))
        count += 1
    return count


# --- role requests: the security administrator decides ---------------------------------------------------------


def register_kinds() -> None:
    spreadsheets.register(SheetKind(KIND, gettext_lazy("people"), COLUMNS))
