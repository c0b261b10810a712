"""Escalation (督办): what has waited too long on its actor is chased, then taken one level up.

Reviews and approvals have no deadline of their own: each kind of obligation with one actor per item says what waits
across the deployment (``integrity.obligations.ObligationKind.waiting``). Past the institution's ``review_days`` the
actor is reminded and the one who answers for them told; past ``review_notice_days`` a supervision notice is issued
to the actor, copied to that superior. Notices close by themselves once their obligation is met. Every message and
notice goes once per item, however often the job runs.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alerts.models import AlertPolicy, Notification
from cases.notices import NoticeData, close_met_notices, issue_notices
from integrity.models import Officer
from integrity.obligations import Waiting, kinds


@dataclass
class Escalated:
    told: int = 0  # reminders and messages one level up, new today
    notices: int = 0
    closed: int = 0


def since_day(waiting: Waiting, zone: datetime.tzinfo) -> datetime.date:
    since = waiting.since
    return since.astimezone(zone).date() if isinstance(since, datetime.datetime) else since


def days_waited(waiting: Waiting, today: datetime.date, zone: datetime.tzinfo) -> int:
    return (today - since_day(waiting, zone)).days


def escalate(today: datetime.date) -> Escalated:
    """The reminders and notices due today for what waits on its actor; closes the notices whose item is done."""
    policies: dict[int, AlertPolicy] = defaultdict(AlertPolicy)
    policies.update({p.institution_id: p for p in AlertPolicy.objects.all()})
    late: list[Waiting] = []
    closed = 0
    zone = timezone.get_current_timezone()  # once: tens of thousands of items are dated in it
    for kind in kinds():
        if not kind.escalates:
            continue
        still_open = set()
        for waiting in kind.waiting():
            still_open.add(waiting.record_id)
            if waiting.actor_id and days_waited(waiting, today, zone) >= policies[waiting.institution_id].review_days:
                late.append(waiting)
        closed += close_met_notices(kind.code, still_open)
    people = {
        pk: (name, reviewer)
        for pk, name, reviewer in Officer.objects.filter(
            pk__in={w.actor_id for w in late} | {w.subject_id for w in late}
        ).values_list("pk", "full_name", "reviewer_id")
    }
    notes: list[Notification] = []
    notices: list[NoticeData] = []
    for waiting in late:
        assert waiting.actor_id is not None  # only an item with its actor is late (above)
        days = days_waited(waiting, today, zone)
        actor, superior = people[waiting.actor_id]
        subject = people.get(waiting.subject_id, ("", None))[0] if waiting.subject_id else ""
        what = {"title": waiting.obligation.title, "subject": subject, "days": days, "actor": actor}
        key = f"{waiting.kind}:{waiting.record_id}"
        notes.append(
            Notification(
                recipient_id=waiting.actor_id,
                occasion=f"late:{key}",
                url=waiting.obligation.url,
                text=_("%(title)s (%(subject)s) has waited %(days)s days for you: please act on it.") % what,
            )
        )
        if superior and superior not in (waiting.actor_id, waiting.subject_id):
            notes.append(
                Notification(
                    recipient_id=superior,
                    occasion=f"escalated:{key}",
                    url=waiting.obligation.url,
                    text=_("%(actor)s has not acted on %(title)s (%(subject)s) for %(days)s days.") % what,
                )
            )
        if days >= policies[waiting.institution_id].review_notice_days:
            notices.append(
                NoticeData(
                    kind=waiting.kind,
                    record_id=waiting.record_id,
                    institution_id=waiting.institution_id,
                    addressed_to_id=waiting.actor_id,
                    copied_to_id=superior if superior not in (waiting.actor_id, waiting.subject_id) else None,
                    title=f"{waiting.obligation.title}（{subject}）",
                    url=waiting.obligation.url,
                    text=_(
                        "%(title)s of %(subject)s has waited for you since %(since)s (%(days)s days). Act on it and "
                        "answer this notice."
                    )
                    % {**what, "since": since_day(waiting, zone)},
                )
            )
    with transaction.atomic():
        return Escalated(
            told=Notification.objects.add_once(notes), notices=issue_notices(notices, today), closed=closed
        )
