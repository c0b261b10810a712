"""The organisation: institutions in their hierarchy, departments, posts, officers, the posts and roles
they hold and the roles asked for them; and the field every body's own data shares (its institution,
or everyone) and how a policy counts its deadlines."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from integrity.choices import (
    DayCount,
    Departure,
    InstitutionKind,
    InstitutionLevel,
    RequestStatus,
    Role,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PATH_SEGMENT_WIDTH = 5


class Institution(models.Model):
    """单位 — a court, procuratorate or justice body; provincial bodies sit over city ones over district ones.

    ``path`` is a materialised path of zero-padded ids (``00001.00004.``): the bodies below an institution
    are those whose path starts with its own, which keeps the province-wide scoping one indexed prefix match.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    code = models.CharField(_("code"), max_length=30, unique=True, help_text=_("Organisation code."))
    kind = models.CharField(_("kind"), max_length=20, choices=InstitutionKind.choices)
    level = models.CharField(_("level"), max_length=20, choices=InstitutionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("upper institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, editable=False, db_index=True)
    time_zone = models.CharField(_("time zone"), max_length=50, default="Asia/Shanghai")
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("integrity:institution_detail", args=[self.pk])

    @property
    def depth(self) -> int:
        return self.path.count(".") - 1

    @property
    def lineage(self) -> list[int]:
        """The ids of this institution and of every body above it, from the top."""
        return [int(part) for part in self.path.split(".") if part]


class Department(models.Model):
    """庭室 / 部门 — a department of one institution."""

    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="departments"
    )
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveSmallIntegerField(_("display order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["institution_id", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "name"], name="department_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("integrity:department_detail", args=[self.pk])


class Post(models.Model):
    """岗位 — a post in a department, with its main duties (岗位职责)."""

    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="posts"
    )
    name = models.CharField(_("name"), max_length=100)
    main_duties = models.TextField(_("main duties"), blank=True)
    is_key_post = models.BooleanField(
        _("key post"), default=False, help_text=_("Posts with adjudication, enforcement, money or personnel power.")
    )
    rank = models.PositiveSmallIntegerField(
        _("rank"), default=0, help_text=_("Higher is more senior: a move to a post of higher rank is a promotion.")
    )
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["department_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["department", "name"], name="post_unique_name"),
        ]

    def __str__(self) -> str:
        return f"{self.department} · {self.name}"


class Officer(AbstractUser):
    """干警 — a person who works at an institution and logs in; every account is one.

    ``institution`` is stored beside ``department`` (its department's institution, kept equal by the actions)
    because most scoping asks only "which institution", and that should not cost a join.
    """

    full_name = models.CharField(_("full name"), max_length=50)
    staff_number = models.CharField(_("staff number"), max_length=30, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="officers",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="officers",
    )
    reviewer = models.ForeignKey(
        "self",
        verbose_name=_("reviewer"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="reviewees",
        help_text=_("Who reviews this officer's checks, tables and declarations (四级), kept by the role actions."),
    )
    post = models.ForeignKey(
        Post,
        verbose_name=_("current post"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="officers",
    )

    left_on = models.DateField(_("left on"), null=True, blank=True)
    departure = models.CharField(_("departure"), max_length=20, choices=Departure.choices, blank=True)
    # The password's age counts from here (``SecurityPolicy.password_max_age_days``); None: set before this was kept.
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True)
    # Set when an administrator opens the account or resets its password: the officer chooses their own at login.
    must_change_password = models.BooleanField(_("must change the password"), default=False)
    # Where the security policy allows one session per account: the token of the latest sign-in; an older session,
    # holding another token, ends at its next request.
    session_token = models.CharField(max_length=32, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    REQUIRED_FIELDS = ["email", "full_name"]

    class Meta:
        verbose_name = _("officer")
        verbose_name_plural = _("officers")
        ordering = ["username"]
        indexes = [models.Index(fields=["institution", "department"])]

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_absolute_url(self) -> str:
        return reverse("integrity:officer_detail", args=[self.pk])

    @property
    def home(self) -> Institution:
        """The officer's institution, where a rule needs one. Everyone who files, is checked or is archived has one;
        only an account made on the command line for the deployment itself may have none, and is refused here."""
        if self.institution is None:
            raise ValidationError(_("%(officer)s belongs to no institution.") % {"officer": self})
        return self.institution

    def get_full_name(self) -> str:
        return self.full_name or self.username

    def set_password(self, raw_password: str | None) -> None:
        """Set the password and note when; the hash joins the password history on the next save."""
        super().set_password(raw_password)
        if raw_password is not None:
            self.password_changed_at = timezone.now()
            self._new_password = self.password

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        new = self.__dict__.pop("_new_password", None)
        update_fields = kwargs.get("update_fields")
        if new and (update_fields is None or "password_changed_at" in update_fields):
            self.password_history.create(password=new)  # integrity.models.security.PasswordHistory

    def get_short_name(self) -> str:
        return self.full_name or self.username


class PostAssignment(models.Model):
    """岗位变动 — one stretch of an officer holding a post; the open one (no end date) is the current post."""

    officer = models.ForeignKey(
        Officer, verbose_name=_("officer"), on_delete=models.PROTECT, related_name="post_assignments"
    )
    post = models.ForeignKey(Post, verbose_name=_("post"), on_delete=models.PROTECT, related_name="assignments")
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        Officer,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("post assignment")
        verbose_name_plural = _("post history")
        ordering = ["officer", "-started_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["officer"], condition=Q(ended_on__isnull=True), name="one_current_post_per_officer"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="post_assignment_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.officer} · {self.post}"


class RoleAssignment(models.Model):
    """职务角色 — a role an officer holds in an institution (and, for heads and deputies, over departments)."""

    officer = models.ForeignKey(
        Officer, verbose_name=_("officer"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="role_assignments"
    )
    departments = models.ManyToManyField(
        Department,
        verbose_name=_("departments"),
        blank=True,
        related_name="role_assignments",
        help_text=_("The department a head leads, or the departments a deputy leader is in charge of."),
    )
    granted_by = models.ForeignKey(
        Officer, verbose_name=_("granted by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[departments])

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["institution_id", "role"]
        constraints = [
            models.UniqueConstraint(fields=["officer", "role", "institution"], name="role_unique_per_institution"),
        ]

    def __str__(self) -> str:
        return f"{self.officer} · {self.get_role_display()} · {self.institution}"


class RoleRequest(models.Model):
    """A role asked for an officer — by the system administrator's onboarding import — that only the security
    administrator may grant (三员分立): it waits in their to-dos until granted or declined."""

    officer = models.ForeignKey(Officer, verbose_name=_("officer"), on_delete=models.CASCADE, related_name="+")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="+"
    )
    departments = models.ManyToManyField(Department, verbose_name=_("departments"), blank=True, related_name="+")
    requested_by = models.ForeignKey(
        Officer, verbose_name=_("requested by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING)
    decided_by = models.ForeignKey(
        Officer, verbose_name=_("decided by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("role request")
        verbose_name_plural = _("role requests")
        ordering = ["requested_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["officer", "role", "institution"],
                condition=models.Q(status="pending"),
                name="one_pending_request_per_role",
            )
        ]

    def __str__(self) -> str:
        return f"{self.officer} · {self.get_role_display()}"


def deadlines_counted(help_text: StrOrPromise, default: str = DayCount.CALENDAR) -> models.CharField:
    """A policy's choice of counting its deadlines in calendar days or in working days by the institution's
    working-day calendar (``integrity.queries.day_counter``)."""
    return models.CharField(
        _("deadlines counted in"), max_length=10, choices=DayCount.choices, default=default, help_text=help_text
    )


def everyone_or_below() -> models.ForeignKey:
    """The institution of a row kept as data for everyone (blank) or for one body and the bodies below it."""
    return models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Blank: every institution. Otherwise this institution and the bodies below it."),
    )
