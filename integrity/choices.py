"""Choices of the organisation: each carries its label once (and its colour where it is drawn)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class InstitutionLevel(models.TextChoices):
    PROVINCIAL = "provincial", _("Provincial")
    CITY = "city", _("City")
    DISTRICT = "district", _("District / county")


class InstitutionKind(models.TextChoices):
    COURT = "court", _("People's court")
    PROCURATORATE = "procuratorate", _("People's procuratorate")
    JUSTICE = "justice", _("Justice department")


class Role(models.TextChoices):
    """What a person does in the product besides being an officer (干警), which every account is."""

    DEPARTMENT_HEAD = "department_head", _("Department head")
    DEPUTY_LEADER = "deputy_leader", _("Deputy leader in charge")
    PRINCIPAL_LEADER = "principal_leader", _("Principal leader")
    DISCIPLINE = "discipline", _("Discipline inspection")
    # 纪检组长: leads the discipline staff (and holds their role too): receives the clues about a department head and
    # approves how each clue is disposed of.
    DISCIPLINE_LEAD = "discipline_lead", _("Discipline lead")
    # 控申: registers the petitions and reports the body receives, and follows only their status; reads no clue.
    PETITION_INTAKE = "petition_intake", _("Petition intake")
    # 案管: registers and imports the body's cases and watches their deadlines and assessments; reads no declaration.
    CASE_MANAGEMENT = "case_management", _("Case management")
    # 三员分立: three administrators, none of whom reads an integrity record or holds a business role.
    # 系统管理员: institutions, departments, posts, accounts, catalog imports and policies.
    ADMINISTRATOR = "administrator", _("System administrator")
    # 安全管理员: grants and revokes roles, resets passwords, keeps the security policy.
    SECURITY_ADMIN = "security_admin", _("Security administrator")
    # 审计管理员: reads and exports the security audit log of the institution and the bodies below.
    AUDITOR = "auditor", _("Audit administrator")

    @classmethod
    def with_departments(cls) -> set[str]:
        """Roles that hold over named departments rather than the whole institution."""
        return {cls.DEPARTMENT_HEAD, cls.DEPUTY_LEADER}

    @classmethod
    def administrators(cls) -> set[str]:
        """The three separated administrators (三员): each holds no other role, business or administrative."""
        return {cls.ADMINISTRATOR, cls.SECURITY_ADMIN, cls.AUDITOR}

    @classmethod
    def overseeing(cls) -> set[str]:
        """Roles that see the whole institution and the bodies below it."""
        return {cls.PRINCIPAL_LEADER, cls.DISCIPLINE}


class AuditEventKind(models.TextChoices):
    """What the security audit log (安全审计) records."""

    LOGIN = "login", _("Logged in")
    LOGIN_FAILED = "login_failed", _("Failed login")
    LOGOUT = "logout", _("Logged out")
    TIMEOUT = "timeout", _("Session timed out")
    REPLACED = "replaced", _("Session ended by a sign-in elsewhere")
    PASSWORD_RESET = "password_reset", _("Password reset by an administrator")
    LOCKED_OUT = "locked_out", _("Account locked out")
    PASSWORD_CHANGED = "password_changed", _("Password changed")
    ROLE_GRANTED = "role_granted", _("Role granted")
    ROLE_REVOKED = "role_revoked", _("Role revoked")
    VIEWED = "viewed", _("Record viewed")
    PRINTED = "printed", _("Archive printed")
    EXPORTED = "exported", _("List exported")
    POLICY_CHANGED = "policy_changed", _("Policy changed")
    ADMIN_EDIT = "admin_edit", _("Administrative edit")
    SECOND_FACTOR_SET_UP = "2fa_set_up", _("Second factor set up")
    SECOND_FACTOR_FAILED = "2fa_failed", _("Wrong second-factor code")
    RECOVERY_CODE_USED = "2fa_recovery", _("Recovery code used")
    SECOND_FACTOR_RESET = "2fa_reset", _("Second factor reset by an administrator")


class RequestStatus(models.TextChoices):
    """Where a role request stands."""

    PENDING = "pending", _("Awaiting the security administrator")
    GRANTED = "granted", _("Granted")
    DECLINED = "declined", _("Declined")


class Departure(models.TextChoices):
    """How an officer leaves the institution (离岗)."""

    TRANSFER_OUT = "transfer_out", _("Transferred out")
    RETIREMENT = "retirement", _("Retired")
    RESIGNATION = "resignation", _("Resigned or dismissed")
    OTHER = "other", _("Other")


class Colour(models.TextChoices):
    """红黄绿灯 — an officer's light, ordered from the best."""

    GREEN = "green", _("Green")
    YELLOW = "yellow", _("Yellow")
    RED = "red", _("Red")

    @property
    def rank(self) -> int:
        return {"green": 0, "yellow": 1, "red": 2}[self.value]

    @property
    def colour(self) -> str:
        return {"green": "success", "yellow": "warning", "red": "danger"}[self.value]


class StaffImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Awaiting the column mapping")
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Checking")
    IMPORTED = "imported", _("Imported")


class DayKind(models.TextChoices):
    """A day of the working-day calendar that is not an ordinary weekday or weekend."""

    HOLIDAY = "holiday", pgettext_lazy("calendar", "public holiday")
    REST = "rest", _("day off in lieu (调休)")
    WORKDAY = "workday", _("make-up working day (调休上班)")


class DayCount(models.TextChoices):
    """How a policy counts the days of its deadlines."""

    CALENDAR = "calendar", _("calendar days")
    WORKING = "working", _("working days")
