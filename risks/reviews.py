"""The yearly review of every risk point (一年一查).

From January until the due day (the end of the risk policy's month), a daily job owes each published risk point's
review for the year to whoever answers for it — the head of its department (or, where there is none, the next one
up the review routing), the principal leader for a risk point of the whole body. Risk points published during the
year wait for the next (they were just weighed), and a body that starts after the due day begins the following
year rather than overdue. The owner confirms the risk point as it stands or, having adjusted it (the adjustment is
kept in the risk point's own history, with its reason), records it as revised. When roles change, the open
reviews follow whoever answers now."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from integrity.actions import audited, claim
from integrity.models import Officer
from integrity.obligations import Obligation
from integrity.queries import chain_for
from integrity.routing import Chain, Person, reviewer
from integrity.rules import month_end
from risks.choices import ReviewOutcome, RiskStatus
from risks.models import RiskPoint, RiskPointReview
from risks.queries import policies_by_institution

KIND = "risks.risk_point_review"


def owner_of(risk_point: RiskPoint, chain: Chain) -> int | None:
    """Who answers for the risk point: its department's head, or up the routing; the principal leader for the body's."""
    return reviewer(Person(0, risk_point.department_id, risk_point.institution_id), chain)


def open_reviews(today: datetime.date | None = None) -> int:
    """Owe this year's review of every risk point published before the year began, while its due day has not
    passed. Idempotent (one review per risk point and year). Returns how many were opened."""
    today = today or timezone.localdate()
    year = today.year
    points = list(
        RiskPoint.objects.filter(status=RiskStatus.PUBLISHED, created_at__date__lt=datetime.date(year, 1, 1))
        .exclude(reviews__year=year)
        .only("pk", "department_id", "institution_id")
    )
    policies = policies_by_institution({p.institution_id for p in points})
    chain = chain_for() if points else Chain()  # nobody to route to when there is nothing to review
    reviews = []
    for point in points:
        due_on = month_end(year, policies[point.institution_id].review_month)
        if today <= due_on:
            reviews.append(RiskPointReview(risk_point=point, year=year, owner_id=owner_of(point, chain), due_on=due_on))
    before = RiskPointReview.objects.filter(year=year).count()
    RiskPointReview.objects.bulk_create(reviews, ignore_conflicts=True, batch_size=1000)
    return RiskPointReview.objects.filter(year=year).count() - before


@transaction.atomic
def record_review(review: RiskPointReview, *, outcome: str, note: str = "", acting_user: Officer) -> RiskPointReview:
    """The owner confirms the risk point or records it as revised — revised only once it has been adjusted since the
    review was opened, so the change itself is in the risk point's history."""
    if review.owner_id != acting_user.pk:
        raise PermissionDenied
    if (
        outcome == ReviewOutcome.REVISED
        and not review.risk_point.history.filter(history_date__gte=review.opened_at, history_type="~").exists()
    ):
        raise ValidationError(_("Adjust the risk point first (with the reason), then record the review as revised."))
    if not claim(
        review, Q(reviewed_at__isnull=True), acting_user=acting_user, reason=ReviewOutcome(outcome).label,
        outcome=outcome, note=note.strip(), reviewed_by=acting_user, reviewed_at=timezone.now(),
    ):  # fmt: skip
        raise ValidationError(_("This year's review of the risk point is already recorded."))
    return review


def reroute_reviews(officer_ids: set[int]) -> int:
    """Roles or posts changed: the open reviews in these officers' departments and bodies go to whoever answers for
    them now (subscribed to ``integrity.events.routes_changed``). Returns how many moved."""
    rows = Officer.objects.filter(pk__in=officer_ids).values_list("department_id", "institution_id")
    departments = {d for d, _i in rows if d}
    institutions = {i for _d, i in rows if i}
    reviews = RiskPointReview.objects.filter(
        Q(risk_point__department_id__in=departments) | Q(risk_point__institution_id__in=institutions),
        reviewed_at__isnull=True,
    ).select_related("risk_point")
    chain = chain_for()
    moved = 0
    for review in reviews:
        now = owner_of(review.risk_point, chain)
        if now != review.owner_id:
            review.owner_id = now
            audited(review, None, _("Re-routed: who answers has changed")).save(update_fields=["owner"])
            moved += 1
    return moved


def owed_reviews(actor: Officer) -> QuerySet[RiskPointReview]:
    return (
        RiskPointReview.objects.filter(owner=actor, reviewed_at__isnull=True)
        .select_related("risk_point")
        .order_by("due_on", "pk")
    )


def describe(review: RiskPointReview) -> Obligation:
    return Obligation(
        _("Yearly review of the risk point “%(risk)s”") % {"risk": str(review.risk_point)},
        review.risk_point.get_absolute_url(),
        str(review.risk_point),
        review.due_on,
    )
