"""The archives app's kinds of obligation: personal matters reports to review, talks to hold, leaders' accounts of
duty and integrity to file and to review; and what last year's
annual report not filed does to the officer's light (``integrity.ledger``)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from functools import partial

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from archives import accounts
from archives.choices import AccountStatus, MatterKind, ReportStatus
from archives.models import DutyAccount, MattersReport, TalkDue
from archives.queries import reviewable_matters
from integrity import ledger
from integrity.choices import Colour
from integrity.ledger import Owed, Reason
from integrity.models import Officer
from integrity.obligations import Obligation, ObligationKind, Waiting, register, waiting_annotations, waiting_since
from integrity.queries import chain_for
from integrity.routing import discipline_for

MESSAGES = {"matters": gettext_noop("The annual personal matters report for %(year)s is overdue.")}


def annual_report_reasons(owed: Owed) -> Iterator[tuple[int, Reason]]:
    """Last year's annual personal matters report is due by the end of January: from February the officer who has
    not filed it is yellow."""
    as_of = owed.as_of
    if as_of <= datetime.date(as_of.year, 1, 31):
        return
    year = as_of.year - 1
    reported = set(
        owed.narrow(
            MattersReport.objects.filter(
                kind=MatterKind.ANNUAL, changed_on__year=year, submitted_at__lt=owed.end_of_day
            )
        )
        .order_by()
        .values_list("officer_id", flat=True)
    )
    for officer_id in owed.officers.keys() - reported:
        yield officer_id, Reason("matters", Colour.YELLOW, "matters", {"year": year}, ("archives:matters",))


def _report(report: MattersReport) -> Obligation:
    return _describe_report(report.pk, report.kind, report.officer.full_name, report.submitted_at)


def _describe_report(pk: int, kind: str, name: str, submitted_at: datetime.datetime | None) -> Obligation:
    return Obligation(
        _("%(kind)s (personal matters report)") % {"kind": MatterKind(kind).label},
        reverse("archives:matters") + f"#report-{pk}",
        name,
        since=waiting_since(submitted_at),
    )


def _reports_waiting() -> Iterator[Waiting]:
    """Reports awaiting review, each with the discipline officer who answers for reviewing it."""
    chain = chain_for()
    # Every report under review is read, most of them not late: plain rows, described only when asked.
    submitted = MattersReport.objects.filter(status=ReportStatus.SUBMITTED).values_list(
        "pk", "kind", "submitted_at", "officer_id", "officer__full_name", "officer__institution_id"
    )
    for pk, kind, submitted_at, officer_id, name, institution in submitted.iterator(chunk_size=2000):
        assert institution is not None  # whoever files a report belongs to an institution
        actor = discipline_for(institution, chain, subject=officer_id)
        yield Waiting(
            "archives.matters_review", pk, actor, officer_id, institution, submitted_at,
            partial(_describe_report, pk, kind, name, submitted_at),
        )  # fmt: skip


def _talk(owed: TalkDue) -> Obligation:
    return Obligation(
        _("%(occasion)s with %(officer)s")
        % {"occasion": owed.get_occasion_display(), "officer": owed.officer.full_name},
        reverse("archives:records", args=[owed.officer_id]),
        owed.officer.full_name,
        owed.due_on,
    )


def talks_owed_by(actor: Officer) -> QuerySet:
    """The talks the actor owes: those owed to the officers they review (四级谈话)."""
    return (
        TalkDue.objects.filter(officer__reviewer=actor, talk__isnull=True, closed_at__isnull=True)
        .exclude(officer=actor)
        .select_related("officer")
        .order_by("due_on", "pk")
    )


def register_kinds() -> None:
    ledger.messages(MESSAGES)
    ledger.register("archives.matters", annual_report_reasons)
    register(
        ObligationKind(
            "archives.matters_review",
            gettext_lazy("Personal matters reports to review"),
            lambda actor: reviewable_matters(actor).order_by("submitted_at", "pk"),
            _report,
            order=16,
            waiting_items=_reports_waiting,
        )
    )
    register(
        ObligationKind(
            accounts.REVIEW_KIND,
            gettext_lazy("Accounts of duty and integrity to review"),
            accounts.accounts_to_review,
            accounts.describe_review,
            order=17,
            waiting_records=lambda: (
                DutyAccount.objects.filter(status=AccountStatus.SUBMITTED)
                .select_related("officer")
                .annotate(
                    **waiting_annotations(actor="officer__reviewer_id", subject="officer_id", since="submitted_at")
                )
            ),
        )
    )
    register(
        ObligationKind(
            accounts.KIND,
            gettext_lazy("My account of duty and integrity to file"),
            accounts.owed_accounts,
            accounts.describe,
            order=62,
            waiting_records=lambda: (
                DutyAccount.objects.filter(status__in=[AccountStatus.DUE, AccountStatus.RETURNED])
                .select_related("officer")
                .annotate(**waiting_annotations(actor="officer_id", subject="officer_id", since="due_on"))
            ),
        )
    )
    register(
        ObligationKind(
            "archives.talk",
            gettext_lazy("Talks to hold (四级谈话)"),
            talks_owed_by,
            _talk,
            order=30,
            waiting_records=lambda: (
                TalkDue.objects.filter(talk__isnull=True, closed_at__isnull=True)
                .select_related("officer")
                .annotate(**waiting_annotations(actor="officer__reviewer_id", subject="officer_id", since="due_on"))
            ),
        )
    )
