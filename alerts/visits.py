"""Return visits (廉政回访): after a case closes, the discipline staff visit or call one of its parties for a sample of
the closed cases — the alert policy's share, and every case assessed orange or red — and record the answers to the
institution's questions; an answer that reports misconduct becomes a clue about the lead handler in the same step."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from alerts import clues
from alerts.choices import ClueKind
from alerts.models import AlertPolicy, ReturnVisit, VisitQuestion
from alerts.rules import visit_sampled
from cases.choices import RiskColour
from cases.models import Assessment, Case, CaseHandler
from integrity.actions import claim
from integrity.models import Institution, Officer
from integrity.queries import day_counters

# Cases closed this many days before the job are still drawn (a night the worker was down is caught up).
LOOKBACK_DAYS = 30


def open_return_visits(today: datetime.date) -> int:
    """Owe a visit for each case closed in the last days that falls in the sample; in a fixed number of queries, and
    owing the same visit twice changes nothing. Returns how many were opened."""
    graded = Exists(Assessment.objects.filter(case=OuterRef("pk"), colour__in=[RiskColour.ORANGE, RiskColour.RED]))
    closed = list(
        Case.objects.filter(
            closed_on__gte=today - datetime.timedelta(days=LOOKBACK_DAYS), closed_on__lte=today, visit__isnull=True
        )
        .annotate(graded=graded)
        .values_list("pk", "institution_id", "closed_on", "graded")
    )
    bodies = {institution_id for _pk, institution_id, _c, _g in closed}
    policies: dict[int, AlertPolicy] = defaultdict(AlertPolicy)
    policies.update({p.institution_id: p for p in AlertPolicy.objects.filter(institution_id__in=bodies)})
    deadlines = day_counters({pk: policies[pk].days_counted for pk in bodies})
    drawn = [row for row in closed if row[3] or visit_sampled(row[0], policies[row[1]].visit_share)]
    leads = dict(
        CaseHandler.objects.filter(case_id__in=[row[0] for row in drawn], is_lead=True).values_list(
            "case_id", "officer_id"
        )
    )
    visits = [
        ReturnVisit(
            case_id=pk,
            institution_id=institution_id,
            handler_id=leads.get(pk),
            due_on=deadlines[institution_id].after(closed_on, policies[institution_id].visit_days),
        )
        for pk, institution_id, closed_on, _graded in drawn
        if closed_on is not None  # as the query asks
    ]
    return len(ReturnVisit.objects.bulk_create(visits, ignore_conflicts=True, batch_size=2000))


def questions_for(institution: Institution) -> QuerySet[VisitQuestion]:
    """Everyone's questions and those of the institution and the bodies above it, still asked."""
    return VisitQuestion.objects.filter(
        Q(institution__isnull=True) | Q(institution__in=institution.lineage), is_active=True
    )


@transaction.atomic
def record_visit(
    visit: ReturnVisit, *, party: str, by_phone: bool, yes: set[int], notes: str, acting_user: Officer
) -> ReturnVisit:
    """Record what the party said: each question with its answer ("yes" to the ids in ``yes``). Any "yes" files a
    clue about the lead handler (回访反映), waiting for a verifier like every clue."""
    if acting_user.pk == visit.handler_id:
        raise ValidationError(_("Nobody visits the parties of their own case."))
    questions = list(questions_for(visit.institution))
    answers = [{"question": q.text, "yes": q.pk in yes} for q in questions]
    today = timezone.localdate()
    if not claim(
        visit, Q(visited_on__isnull=True), acting_user=acting_user, reason=_("Visited"),
        visited_on=today, party=party.strip(), by_phone=by_phone, answers=answers,
        notes=notes.strip(), visited_by=acting_user,
    ):  # fmt: skip
        raise ValidationError(_("This visit is already recorded."))
    reported = [a["question"] for a in answers if a["yes"]]
    if reported:
        content = "\n".join([*(f"{question} {_('Yes')}" for question in reported), visit.notes])
        clue = clues.register_clue(
            institution=visit.institution, kind=ClueKind.RETURN_VISIT, source=visit.party or _("Party of the case"),
            channel=_("telephone") if by_phone else _("in person"), subject=visit.handler,
            content=f"{visit.case.number} {visit.case.title}\n{content}".strip(), received_on=today,
            acting_user=acting_user,
        )  # fmt: skip
        claim(visit, Q(clue__isnull=True), acting_user=acting_user, reason=_("Reported misconduct"), clue=clue)
    return visit
