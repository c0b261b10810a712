"""Declarative tables of the cases pages; every column's data comes from the list's one query."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeAlias, TypedDict

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from cases.choices import AssessmentStatus, ReviewStatus, RiskColour
from cases.models import Assessment, Case, Declaration, SupervisionNotice
from cases.templatetags.notice_status import notice_status, stage
from integrity.tables import BadgeColumn, DateColumn, DateTimeColumn

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class _Needs(TypedDict):
    assessment_done: bool
    undeclared: int


# A case as the list annotates it (``cases.queries.with_needs``).
ListedCase: TypeAlias = "WithAnnotations[Case, _Needs]"


class CaseTable(tables.Table):
    number = tables.Column(verbose_name=_("Case number"), linkify=True)
    title = tables.Column(verbose_name=_("Title"))
    case_type = tables.Column(verbose_name=_("Case type"))
    stage = tables.Column(verbose_name=_("Stage"), order_by=("stage__order",))
    department = tables.Column(verbose_name=_("Department"), order_by=("department__name",))
    handler_names = tables.Column(verbose_name=_("Handlers"), empty_values=(), orderable=False)
    received_on = DateColumn(verbose_name=_("Received on"))
    due_on = DateColumn(verbose_name=_("Due on"), default="—")
    needs = tables.Column(verbose_name=_("Still needs"), empty_values=(), orderable=False)

    class Meta:
        model = Case
        fields = (
            "number", "title", "case_type", "stage", "department", "handler_names", "received_on", "due_on", "needs"
        )  # fmt: skip
        order_by = ("-received_on",)

    def render_title(self, record: Case, value: str) -> str:
        flag = format_html(' <span class="badge text-bg-danger" title="{}">!</span>', _("relation conflict"))
        return format_html("{}{}", value[:40], flag if record.has_conflict else "")

    def render_due_on(self, record: Case, value: Any) -> str:
        """A case past its due date and still open (办案期限) is marked for those who watch the deadlines."""
        if value is None:
            return "—"
        day = value.strftime("%Y-%m-%d")
        if record.closed_on is None and value < timezone.localdate():
            return format_html('<span class="text-danger" data-testid="past-due">{}</span>', day)
        return day

    def render_handler_names(self, record: Case) -> str:
        return "、".join(h.officer.full_name for h in record.case_handlers.all())

    def value_handler_names(self, record: Case) -> str:
        return self.render_handler_names(record)

    def _needs(self, record: ListedCase) -> list[str]:
        needs = []
        if not record.assessment_done:
            needs.append(str(_("assessment")))
        if record.undeclared:
            needs.append(str(_("%(n)s declarations") % {"n": record.undeclared}))
        return needs

    def render_needs(self, record: ListedCase) -> str:
        needs = self._needs(record)
        if not needs:
            return format_html('<span class="badge text-bg-success">{}</span>', _("complete"))
        return format_html_join(" ", '<span class="badge text-bg-warning" data-need>{}</span>', ((n,) for n in needs))

    def value_needs(self, record: ListedCase) -> str:
        return "、".join(self._needs(record))


class DeclarationTable(tables.Table):
    case = tables.Column(verbose_name=_("Case"), linkify=lambda record: record.get_absolute_url())
    officer = tables.Column(verbose_name=_("Handler"))
    department = tables.Column(verbose_name=_("Department"), accessor="case__department")
    due_on = DateColumn(verbose_name=_("Due on"))
    submitted_at = DateTimeColumn(verbose_name=_("Submitted at"), format="Y-m-d H:i", default="—")
    has_yes = tables.BooleanColumn(verbose_name=_("Has a yes"))
    review_status = BadgeColumn(ReviewStatus, verbose_name=_("Review"))

    class Meta:
        model = Declaration
        fields = ("case", "officer", "department", "due_on", "submitted_at", "has_yes", "review_status")


class AssessmentTable(tables.Table):
    case = tables.Column(verbose_name=_("Case"), linkify=lambda record: record.get_absolute_url())
    department = tables.Column(verbose_name=_("Department"), accessor="case__department")
    author = tables.Column(verbose_name=_("Assessed by"))
    score = tables.Column(verbose_name=_("Score"))
    colour = BadgeColumn(RiskColour, verbose_name=_("Grade"))
    status = BadgeColumn(AssessmentStatus, verbose_name=_("Status"))
    next_level = tables.Column(verbose_name=_("Awaiting"), default="—")
    deadline = DateColumn(verbose_name=_("Handle by"), default="—")

    class Meta:
        model = Assessment
        fields = ("case", "department", "author", "score", "colour", "status", "next_level", "deadline")


class NoticeTable(tables.Table):
    number = tables.Column(
        verbose_name=_("Number"),
        empty_values=(),
        order_by=("year", "serial"),
        linkify=lambda record: record.get_absolute_url(),
    )
    title = tables.Column(verbose_name=_("Overdue"))
    addressed_to = tables.Column(verbose_name=_("Addressed to"), default="—", order_by=("addressed_to__full_name",))
    copied_to = tables.Column(verbose_name=_("Copied to"), default="—", order_by=("copied_to__full_name",))
    issued_at = DateTimeColumn(verbose_name=_("Issued at"), format="Y-m-d")
    status = tables.Column(verbose_name=_("Status"), orderable=False, empty_values=())

    class Meta:
        model = SupervisionNotice
        fields = ("number", "title", "addressed_to", "copied_to", "issued_at", "status")

    def render_number(self, record: SupervisionNotice) -> str:
        return record.number

    def render_status(self, record: SupervisionNotice) -> SafeString:
        return notice_status(record)

    def value_status(self, record: SupervisionNotice) -> str:
        return stage(record)[2]  # the label alone, in exports
