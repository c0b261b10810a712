"""Organisation and people: institutions in their hierarchy, departments, posts, officers and their roles."""

from __future__ import annotations

import pgtrigger
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from integrity.choices import (
    AuditEventKind,
    DayCount,
    DayKind,
    Departure,
    InstitutionKind,
    InstitutionLevel,
    RequestStatus,
    Role,
    StaffImportStatus,
)
from integrity.spreadsheets import Mapping

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

    objects = UserManager()
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

    def get_full_name(self) -> str:
        return self.full_name or self.username

    def set_password(self, raw_password: str | None) -> None:
        """Set the password and note when; the hash joins the password history on the next save."""
        super().set_password(raw_password)
        if raw_password is not None:
            self.password_changed_at = timezone.now()
            self._new_password = self.password

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        new = self.__dict__.pop("_new_password", None)
        update_fields = kwargs.get("update_fields")
        if new and (update_fields is None or "password_changed_at" in update_fields):
            PasswordHistory.objects.create(officer=self, password=new)

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


class AuditEvent(models.Model):
    """安全审计日志 — one security event: who (or which username was tried), what, on which record, from where.

    Append-only: the database refuses UPDATE and DELETE on PostgreSQL (a trigger), and nothing in the product
    changes a row. Each row carries the hash of the row before it and of its own content, so an edit or a deletion
    made around the trigger breaks the chain at that row (``integrity.audit.verify_chain``)."""

    at = models.DateTimeField(_("at"), db_index=True)
    actor = models.ForeignKey(
        Officer, verbose_name=_("who"), null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False,
        related_name="+",
    )  # fmt: skip
    username = models.CharField(_("username"), max_length=150, blank=True)
    event = models.CharField(_("event"), max_length=30, choices=AuditEventKind.choices, db_index=True)
    target = models.CharField(_("record"), max_length=200, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    # Keyed hashes named by their algorithm (``integrity.digests``): "hmac-sm3:…".
    prev_hash = models.CharField(max_length=80, blank=True)
    hash = models.CharField(max_length=80)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")
        ordering = ["-id"]
        indexes = [models.Index(fields=["actor", "at"]), models.Index(fields=["ip", "at"])]
        triggers = [
            pgtrigger.Protect(name="audit_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_event_display()} {self.username}"


class AuditCheckpoint(models.Model):
    """Where the audit log was cut after its retention period: the rows up to ``up_to_id`` went, in order, to a file
    signed with the deployment's key, and the chain goes on from ``last_hash``. Append-only like the log."""

    up_to_id = models.BigIntegerField(_("up to row"))
    last_hash = models.CharField(max_length=80)
    rows = models.PositiveIntegerField(_("rows"))
    file = models.CharField(_("file"), max_length=300)
    sha256 = models.CharField(max_length=64)
    signature = models.CharField(_("signature"), max_length=64)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("audit log archive")
        verbose_name_plural = _("audit log archives")
        ordering = ["-up_to_id"]
        triggers = [
            pgtrigger.Protect(name="audit_checkpoint_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return self.file


class RecordSeal(models.Model):
    """封存 — the keyed hash of a record's content, taken when it was filed: a monthly check, a case declaration, a
    printed archive. One chain per officer (each seal covers the one before it); append-only like the audit log.

    A record edited in SQL no longer matches its seal; a deleted record leaves its seal behind, so the gap shows;
    a seal recomputed without the key does not verify (``integrity.seals.verify``)."""

    officer = models.ForeignKey(Officer, verbose_name=_("officer"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind of record"), max_length=40)
    object_id = models.BigIntegerField(_("record"))
    reference = models.CharField(_("reference"), max_length=100)
    sealed_at = models.DateTimeField(_("sealed at"))
    prev = models.CharField(max_length=80, blank=True)
    seal = models.CharField(_("seal"), max_length=80)

    class Meta:
        verbose_name = _("record seal")
        verbose_name_plural = _("record seals")
        ordering = ["officer_id", "id"]
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="one_seal_per_record")]
        indexes = [models.Index(fields=["officer", "id"])]
        triggers = [pgtrigger.Protect(name="seal_append_only", operation=pgtrigger.Update | pgtrigger.Delete)]

    def __str__(self) -> str:
        return self.reference


class PasswordHistory(models.Model):
    """The hashes of an officer's past passwords: a new one may not repeat the last few (``SecurityPolicy``)."""

    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.officer_id} · {self.changed_at:%Y-%m-%d}"


def second_factor_default() -> list[str]:
    """The three administrators log in with a second factor unless the policy says otherwise."""
    return sorted(Role.administrators())


class SecurityPolicy(models.Model):
    """安全策略 — the deployment's password rules (one row; the defaults until it is saved). Lockout and the idle
    timeout are deployment settings (``AXES_*``, ``SESSION_IDLE_MINUTES``) read on every request."""

    password_min_length = models.PositiveSmallIntegerField(
        _("minimum password length"), default=10, validators=[MinValueValidator(8), MaxValueValidator(64)]
    )
    password_classes = models.PositiveSmallIntegerField(
        _("character classes required (of lower case, upper case, digits, symbols)"), default=3,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
    )  # fmt: skip
    password_history = models.PositiveSmallIntegerField(_("passwords that may not be reused"), default=5)
    password_max_age_days = models.PositiveSmallIntegerField(
        _("password expires after (days)"), default=90, help_text=_("0: never.")
    )
    second_factor_roles = models.JSONField(
        _("roles that log in with a second factor"), default=second_factor_default, blank=True,
        help_text=_("Besides the password, a code from an authenticator app (TOTP). Superusers always."),
    )  # fmt: skip
    one_session_per_account = models.BooleanField(
        _("one session per account"), default=False,
        help_text=_("A new sign-in ends the account's earlier session, wherever it was."),
    )  # fmt: skip
    audit_retention_days = models.PositiveSmallIntegerField(
        _("audit log kept in the database for (days)"), default=180, validators=[MinValueValidator(180)],
        help_text=_("Older rows go to a signed file before they leave the database; at least 180 days (等保)."),
    )  # fmt: skip

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("security policy")
        verbose_name_plural = _("security policy")

    def __str__(self) -> str:
        return str(_("Security policy"))

    @classmethod
    def current(cls) -> SecurityPolicy:
        return cls.objects.filter(pk=1).first() or cls(pk=1)


class MappedUpload(models.Model):
    """An uploaded spreadsheet kept for its mapping step: the file, the sheet read, its header row, and how each row
    becomes fields (the column of each, constants, defaults — ``integrity.spreadsheets.Mapping``). The catalog, case
    and staff imports are kinds of it."""

    filename = models.CharField(_("file"), max_length=255)
    content = models.BinaryField(pgettext_lazy("file", "content"), default=b"", editable=False)
    sheet = models.CharField(_("sheet"), max_length=100, blank=True)
    header = models.JSONField(_("header row"), default=list, blank=True)
    column_map = models.JSONField(_("column mapping"), default=dict, blank=True)
    constants = models.JSONField(_("constant values"), default=dict, blank=True)
    defaults = models.JSONField(_("defaults for blanks"), default=dict, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.filename

    def mapping(self) -> Mapping:
        return Mapping(columns=self.column_map, constants=self.constants, defaults=self.defaults)


def deadlines_counted(help_text: str, default: str = DayCount.CALENDAR) -> models.CharField:
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


class HeaderSynonym(models.Model):
    """表头同义词 — a header the institutions' own files use for a field an importer reads, beside the headers the
    product knows (``Column.aliases``). Kept as data, so a new case system's export maps itself without a release:
    the system administrator adds them for everyone; an institution's import administrator adds them for their
    institution and the bodies below it when they map a column by hand."""

    kind = models.CharField(_("kind of file"), max_length=20)
    field = models.CharField(_("field"), max_length=40)
    header = models.CharField(_("header"), max_length=100)
    institution = everyone_or_below()
    added_by = models.ForeignKey(
        "Officer", verbose_name=_("added by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("header synonym")
        verbose_name_plural = _("header synonyms")
        ordering = ["kind", "field", "header"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "header"], condition=models.Q(institution__isnull=True), name="one_field_per_header"
            ),
            models.UniqueConstraint(
                fields=["kind", "header", "institution"], name="one_field_per_header_in_an_institution"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.header} → {self.field}"


class StaffImport(MappedUpload):
    """人员导入 — an uploaded staff list, checked and imported by jobs (``integrity.staff_imports``): the file, the
    columns chosen, the last check's preview, and the initial password, hashed at once and forgotten once the
    accounts are opened."""

    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="+",
        help_text=_("For rows that name no institution."),
    )  # fmt: skip
    password = models.CharField(_("initial password"), max_length=128, blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=StaffImportStatus.choices, default=StaffImportStatus.UPLOADED
    )
    # The job queued: a check (every row read, nothing written) or, with ``commit``, the import itself.
    commit = models.BooleanField(_("import when checked"), default=False)
    queued_by = models.ForeignKey(
        Officer, verbose_name=_("queued by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    preview = models.JSONField(_("preview"), default=dict, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    created_by = models.ForeignKey(Officer, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("staff import")
        verbose_name_plural = _("staff imports")
        ordering = ["-created_at"]

    def get_absolute_url(self) -> str:
        return reverse("integrity:officer_import_detail", args=[self.pk])

    @property
    def busy(self) -> bool:
        return self.status in (StaffImportStatus.QUEUED, StaffImportStatus.RUNNING)

    @property
    def mappable(self) -> bool:
        return self.status == StaffImportStatus.UPLOADED


class CalendarDay(models.Model):
    """工作日历 — a day that differs from the week's pattern: a public holiday, a day off in lieu (调休) or a weekend
    worked in exchange. The State Council's yearly arrangement is everyone's (seeded from the ``holidays`` package,
    ``manage.py seed_calendar``); an institution adds or overrides days for itself and the bodies below it. Deadlines
    a policy counts in working days, and the holiday reminders, read it."""

    day = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=DayKind.choices)
    name = models.CharField(_("name"), max_length=50, blank=True)
    institution = everyone_or_below()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("working-day calendar")
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["day"], condition=models.Q(institution__isnull=True), name="one_day"),
            models.UniqueConstraint(fields=["day", "institution"], name="one_day_per_institution"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.name or self.get_kind_display()}"


class CalendarYear(models.Model):
    """A year of everyone's working-day calendar checked against the State Council's yearly notice (usually out in
    November): until next year's is confirmed, the top body's system administrators owe it from December."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    confirmed_by = models.ForeignKey(
        "Officer", verbose_name=_("confirmed by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("confirmed calendar year")
        verbose_name_plural = _("confirmed calendar years")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)
