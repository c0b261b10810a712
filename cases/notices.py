"""Supervision notices (督办) and cards (廉政监督卡): notices issued for obligations past their day, once each, and
closed when met; a notice acknowledged and answered; a party's card. One function per change, with ``acting_user``."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.choices import (
    AssessmentStatus,
)
from cases.models import (
    Assessment,
    Case,
    CaseParty,
    SupervisionCard,
    SupervisionNotice,
)
from cases.queries import (
    NOT_SUPERSEDED,
)
from integrity import generations
from integrity.actions import claim
from integrity.models import Institution, Officer

NOTICES = "notices"


def notices_changed() -> None:
    """A notice was issued or closed: which notices are open, kept for the boards, is read again at the next request
    (``alerts.board.open_notices``)."""
    generations.moved(NOTICES)


@dataclass(frozen=True)
class NoticeData:
    """A supervision notice to issue: for which obligation (its kind and record), by which body, to whom."""

    kind: str
    record_id: int
    institution_id: int
    addressed_to_id: int | None
    copied_to_id: int | None
    title: str
    url: str
    text: str
    assessment_id: int | None = None


@transaction.atomic
def issue_notices(notices: Sequence[NoticeData], today: datetime.date) -> int:
    """督办: issue each notice once per obligation, numbered by its body and the year (〔2026〕3号). The bodies are
    locked while numbers are drawn and what is already issued is read again under the lock, so runs at once neither
    issue twice nor draw one number twice. Returns how many were issued."""
    bodies = sorted({n.institution_id for n in notices})
    if not bodies:
        return 0
    list(Institution.objects.select_for_update().filter(pk__in=bodies).order_by("pk").values_list("pk", flat=True))
    issued = set(
        SupervisionNotice.objects.filter(
            kind__in={n.kind for n in notices}, record_id__in={n.record_id for n in notices}
        ).values_list("kind", "record_id")
    )
    last = dict(
        SupervisionNotice.objects.filter(institution_id__in=bodies, year=today.year)
        .values("institution_id")
        .annotate(last=Max("serial"))
        .values_list("institution_id", "last")
    )
    rows = []
    for n in sorted(notices, key=lambda n: (n.institution_id, n.kind, n.record_id)):
        if (n.kind, n.record_id) in issued:
            continue
        issued.add((n.kind, n.record_id))
        last[n.institution_id] = serial = last.get(n.institution_id, 0) + 1
        rows.append(
            SupervisionNotice(
                kind=n.kind,
                record_id=n.record_id,
                title=n.title[:200],
                url=n.url,
                assessment_id=n.assessment_id,
                institution_id=n.institution_id,
                year=today.year,
                serial=serial,
                addressed_to_id=n.addressed_to_id,
                copied_to_id=n.copied_to_id,
                text=n.text,
            )
        )
    SupervisionNotice.objects.bulk_create(rows)
    if rows:
        notices_changed()
    return len(rows)


def close_met_notices(kind: str, still_open: set[int]) -> int:
    """Close the open notices of ``kind`` whose obligation is met (its record no longer among ``still_open``), each
    with its history row. Returns how many closed."""
    open_notices = SupervisionNotice.objects.filter(kind=kind, closed_at__isnull=True)
    # The open notices' records are read and compared here: ``still_open`` can hold tens of thousands of ids, too
    # many to send as one ``NOT IN`` list.
    met = [pk for pk, record_id in open_notices.values_list("pk", "record_id") if record_id not in still_open]
    closed = 0
    for notice in open_notices.filter(pk__in=met).order_by("pk"):
        closed += claim(
            notice, Q(closed_at__isnull=True), acting_user=None, reason=_("Obligation met"), closed_at=timezone.now()
        )
    if closed:
        notices_changed()
    return closed


def issue_supervision_notices(today: datetime.date) -> int:
    """One notice per approved assessment past its deadline, to the handler, copied to their reviewer one level up."""
    overdue = Assessment.objects.filter(
        NOT_SUPERSEDED, status=AssessmentStatus.APPROVED, deadline__lt=today, notice__isnull=True
    ).select_related("case", "author")
    return issue_notices(
        [
            NoticeData(
                kind="cases.assessment",
                record_id=a.pk,
                assessment_id=a.pk,
                institution_id=a.case.institution_id,
                addressed_to_id=a.author_id,
                copied_to_id=a.author.reviewer_id,
                title=_("Case %(number)s") % {"number": a.case.number},
                url=a.get_absolute_url(),
                text=_("Case %(number)s (%(colour)s) was due to be handled by %(deadline)s and is still open.")
                % {"number": a.case.number, "colour": a.get_colour_display(), "deadline": a.deadline},
            )
            for a in overdue.order_by("deadline", "pk")
        ],
        today,
    )


@transaction.atomic
def acknowledge_notice(notice: SupervisionNotice, *, acting_user: Officer) -> SupervisionNotice:
    """签收: the handler confirms receiving the notice; once is enough."""
    if notice.addressed_to_id != acting_user.pk:
        raise PermissionDenied
    claim(notice, Q(acknowledged_at__isnull=True), acting_user=acting_user, acknowledged_at=timezone.now())
    return notice


@transaction.atomic
def answer_notice(notice: SupervisionNotice, *, answer: str, acting_user: Officer) -> SupervisionNotice:
    """反馈: the handler says what has been done and when the risk will be closed; the notice stays open until the
    closing feedback is filed."""
    if notice.addressed_to_id != acting_user.pk:
        raise PermissionDenied
    if not answer.strip():
        raise ValidationError(_("Write what has been done."))
    now = timezone.now()
    if not claim(
        notice, Q(answered_at__isnull=True), acting_user=acting_user, answer=answer.strip(), answered_at=now,
        acknowledged_at=notice.acknowledged_at or now,
    ):  # fmt: skip
        raise ValidationError(_("This notice has already been answered."))
    return notice


def issue_card(case: Case, party: CaseParty, *, acting_user: Officer) -> SupervisionCard:
    """The supervision card (廉政监督卡) of a party of the case: numbered the next of the institution's year the first
    time it is printed, the same card after. Two printers at once cannot take one number (the numbers are unique: the
    one who loses takes the next)."""
    if party.case_id != case.pk:
        raise ValidationError(_("This party is not of this case."))
    year = timezone.localdate().year
    for _attempt in range(5):
        card = SupervisionCard.objects.filter(case=case, party=party).first()
        if card is not None:
            return card
        numbered = SupervisionCard.objects.filter(institution_id=case.institution_id, year=year)
        serial = (numbered.aggregate(last=Max("serial"))["last"] or 0) + 1
        try:
            with transaction.atomic():
                return SupervisionCard.objects.create(
                    case=case, party=party, institution_id=case.institution_id, year=year, serial=serial,
                    printed_by=acting_user,
                )  # fmt: skip
        except IntegrityError:
            continue
    raise ValidationError(_("The card could not be numbered; print it again."))
