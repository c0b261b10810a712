"""Declarative tables of the alerts pages."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from alerts.choices import CircularStatus, ClueGrade, ClueStatus, WarningLevel, WarningStatus
from alerts.models import Circular, Clue, IntegrityWarning, Light
from integrity.choices import Colour
from integrity.ledger import why
from integrity.tables import BadgeColumn, DateColumn, DateTimeColumn


class LightTable(tables.Table):
    officer = tables.Column(verbose_name=_("Officer"), linkify=lambda record: record.officer.get_absolute_url())
    department = tables.Column(verbose_name=_("Department"), accessor="officer__department")
    institution = tables.Column(verbose_name=_("Institution"), accessor="officer__institution")
    colour = tables.Column(verbose_name=_("Light"))
    reasons = tables.Column(verbose_name=_("Reasons"), orderable=False)
    since = DateTimeColumn(verbose_name=_("Since"), format="Y-m-d H:i")

    class Meta:
        model = Light
        fields = ("officer", "department", "institution", "colour", "reasons", "since")
        order_by = ("-colour",)

    def render_colour(self, record: Light) -> str:
        colour = Colour(record.colour)
        return format_html('<span class="light" data-light="{}"></span> {}', colour.value, colour.label)

    def value_colour(self, record: Light) -> str:
        return str(Colour(record.colour).label)

    def render_reasons(self, record: Light) -> str:
        return (
            format_html_join(
                "",
                '<div class="small"><span class="light" data-light="{}"></span> {}</div>',
                ((r.colour, r.text) for r in record.explained()),
            )
            or "—"
        )

    def value_reasons(self, record: Light) -> str:
        return why(record.reasons) if record.reasons else ""


class WarningTable(tables.Table):
    proposed_at = DateTimeColumn(
        verbose_name=_("Proposed at"), format="Y-m-d", linkify=lambda record: record.get_absolute_url()
    )
    level = BadgeColumn(WarningLevel, verbose_name=_("Level"))
    about = tables.Column(verbose_name=_("About"), empty_values=(), orderable=False)
    status = BadgeColumn(WarningStatus, verbose_name=_("Status"))
    source = tables.Column(verbose_name=_("Source"))
    proposed_by = tables.Column(verbose_name=_("Proposed by"))

    class Meta:
        model = IntegrityWarning
        fields = ("proposed_at", "level", "about", "status", "source", "proposed_by")

    def render_about(self, record: IntegrityWarning) -> str:
        return str(record.officer or record.department or record.institution)

    def value_about(self, record: IntegrityWarning) -> str:
        return self.render_about(record)


class ClueTable(tables.Table):
    received_on = DateColumn(verbose_name=_("Received on"), linkify=lambda record: record.get_absolute_url())
    kind = tables.Column(verbose_name=_("Kind"))
    subject = tables.Column(verbose_name=_("Subject officer"), default="—")
    source = tables.Column(verbose_name=_("Source"))
    grade = BadgeColumn(ClueGrade, verbose_name=pgettext_lazy("clue", "Grade"))
    status = BadgeColumn(ClueStatus, verbose_name=_("Status"))
    outcome = tables.Column(verbose_name=_("Outcome"), default="—")
    verifier = tables.Column(verbose_name=_("Verifier"), default="—")
    method = tables.Column(verbose_name=_("Disposal method"), default="—")
    due_on = DateColumn(verbose_name=_("Due on"), default="—")

    class Meta:
        model = Clue
        fields = (
            "received_on", "kind", "subject", "source", "grade", "status", "outcome", "verifier", "method", "due_on"
        )  # fmt: skip


class CircularTable(tables.Table):
    title = tables.Column(verbose_name=pgettext_lazy("circular", "Title"), linkify=lambda r: r.get_absolute_url())
    number = tables.Column(verbose_name=pgettext_lazy("circular", "Document number"))
    kind = tables.Column(verbose_name=_("Kind"))
    institution = tables.Column(verbose_name=_("Issuing institution"))
    status = BadgeColumn(CircularStatus, verbose_name=_("Status"))
    published_at = DateTimeColumn(verbose_name=_("Published at"), format="Y-m-d")
    read_by = DateColumn(verbose_name=_("Read by"), format="Y-m-d")

    class Meta:
        model = Circular
        fields = ("title", "number", "kind", "institution", "status", "published_at", "read_by")
        order_by = ("-published_at",)


class IntakeTable(tables.Table):
    """What a petition office registered and where each stands — never what it says, nor a link to it."""

    received_on = DateColumn(verbose_name=_("Received on"))
    source = tables.Column(verbose_name=_("Source"))
    channel = tables.Column(verbose_name=_("Channel"), default="—")
    status = BadgeColumn(ClueStatus, verbose_name=_("Status"))

    class Meta:
        model = Clue
        fields = ("received_on", "source", "channel", "status")
        order_by = ("-received_on",)
        attrs = {"class": "table table-sm mb-0", "data-testid": "intake-registered"}
        empty_text = "—"
