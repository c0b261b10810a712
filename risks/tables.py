"""Declarative tables of the risks pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from integrity.tables import BadgeColumn, DateColumn, DateTimeColumn
from risks.choices import CheckStatus, Grade, ReviewStatus, RiskStatus, TableStatus
from risks.models import MonthlyCheck, PersonalRiskTable, PowerItem, RiskPoint


class PowerItemTable(tables.Table):
    name = tables.Column(verbose_name=_("Power item"), linkify=True)
    category = tables.Column(verbose_name=_("Category"))
    department = tables.Column(verbose_name=_("Owning department"), order_by=("department__order", "department__name"))
    institution = tables.Column(verbose_name=_("Institution"), order_by=("institution__path",))
    exercised_by = tables.Column(verbose_name=_("Exercised by"))
    time_limit = tables.Column(verbose_name=_("Time limit"))
    step_count = tables.Column(verbose_name=_("Steps"))
    risk_count = tables.Column(verbose_name=_("Risk points"))

    class Meta:
        model = PowerItem
        fields = (
            "name",
            "category",
            "department",
            "institution",
            "exercised_by",
            "time_limit",
            "step_count",
            "risk_count",
        )
        order_by = ("department", "name")


class RiskPointTable(tables.Table):
    description = tables.Column(verbose_name=_("Risk"), linkify=True)
    grade = BadgeColumn(Grade, verbose_name=_("Grade"))
    scope = tables.Column(verbose_name=_("Level"))
    department = tables.Column(verbose_name=_("Department"), default="—")
    post = tables.Column(verbose_name=_("Post"), accessor="post__name", default="—")
    category = tables.Column(verbose_name=_("Risk category"))
    power_item = tables.Column(verbose_name=_("Power item"), default="—")
    score = tables.Column(verbose_name=_("L × I"), empty_values=(), orderable=False)
    status = BadgeColumn(RiskStatus, verbose_name=_("Status"))
    measures = tables.Column(verbose_name=_("Control measures"), visible=False)
    institution = tables.Column(verbose_name=_("Institution"), order_by=("institution__path",))

    class Meta:
        model = RiskPoint
        fields = (
            "description", "grade", "scope", "department", "post", "category", "power_item", "score", "status",
            "measures", "institution",
        )  # fmt: skip
        order_by = ("-grade",)

    def render_description(self, value: str) -> str:
        return value if len(value) <= 60 else value[:60] + "…"

    def render_score(self, record: RiskPoint) -> str:
        likelihood, impact = record.likelihood, record.impact
        if likelihood is not None and impact is not None:  # scored
            return f"{likelihood} × {impact} = {likelihood * impact}"
        return str(_("collective"))

    def value_score(self, record: RiskPoint) -> str:
        return self.render_score(record)


class RiskTableTable(tables.Table):
    officer = tables.Column(verbose_name=_("Officer"), linkify=lambda record: record.get_absolute_url())
    department = tables.Column(verbose_name=_("Department"), accessor="officer__department")
    post = tables.Column(verbose_name=_("Post"), accessor="post__name")
    status = BadgeColumn(TableStatus, verbose_name=_("Status"))
    pledge_signed_on = DateColumn(verbose_name=_("Pledge signed on"))
    reviewed_by = tables.Column(verbose_name=_("Approved by"))
    archived_at = DateColumn(verbose_name=_("Archived"), default="")

    class Meta:
        model = PersonalRiskTable
        fields = ("officer", "department", "post", "status", "pledge_signed_on", "reviewed_by", "archived_at")


class CheckTable(tables.Table):
    period = DateColumn(verbose_name=_("Month"), format="Y-m", linkify=lambda record: record.get_absolute_url())
    officer = tables.Column(verbose_name=_("Officer"))
    department = tables.Column(verbose_name=_("Department"), accessor="officer__department")
    due_on = DateColumn(verbose_name=_("Due on"))
    status = tables.Column(verbose_name=_("Status"), empty_values=(), orderable=False)
    submitted_at = DateTimeColumn(verbose_name=_("Filed at"), format="Y-m-d H:i", default="—")
    review_status = BadgeColumn(ReviewStatus, verbose_name=_("Review"))

    class Meta:
        model = MonthlyCheck
        fields = ("period", "officer", "department", "due_on", "status", "submitted_at", "review_status")
        order_by = ("-period",)

    def __init__(self, *args: Any, status_of: Callable[[MonthlyCheck], CheckStatus], **kwargs: Any) -> None:
        self.status_of = status_of
        super().__init__(*args, **kwargs)

    def render_status(self, record: MonthlyCheck) -> str:
        from integrity.templatetags.ui import render_badge

        return render_badge(CheckStatus, self.status_of(record))

    def value_status(self, record: MonthlyCheck) -> str:
        return str(self.status_of(record).label)

    def render_review_status(self, record: MonthlyCheck) -> str:
        from integrity.templatetags.ui import render_badge

        return render_badge(ReviewStatus, record.review_status) if record.submitted_at else "—"
