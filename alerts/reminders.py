"""Reminders: in-app notifications (and e-mail where the officer has an address), each once per occasion.

The occasion key is unique per recipient, so however often the job runs — or two at once — a reminder goes once.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alerts.escalation import escalate
from alerts.models import AlertPolicy, Light, LightEvent, Notification, RectificationAction
from alerts.rules import yellow_reminder_due
from integrity.choices import Colour
from integrity.ledger import why
from integrity.models import Institution, Officer
from integrity.queries import working_calendars

HOLIDAY_NOTICE_DAYS = 3


def holiday_text() -> str:
    return _(
        "%(name)s is coming: keep to the rules on integrity — no gifts, no banquets, no public cars for private use."
    )


def holiday_notes(today: datetime.date) -> list[Notification]:
    """Everyone is reminded in the days before a holiday break starts by their institution's calendar (逢节必讲),
    once per break."""
    calendars = working_calendars(Institution.objects.all())
    end = today + datetime.timedelta(days=HOLIDAY_NOTICE_DAYS)
    breaks = {pk: calendar.breaks(today + datetime.timedelta(days=1), end) for pk, calendar in calendars.items()}
    if not any(breaks.values()):
        return []
    return [
        Notification(recipient_id=pk, occasion=f"holiday:{first_day}", text=holiday_text() % {"name": name})
        for pk, institution_id in Officer.objects.filter(is_active=True).values_list("pk", "institution_id")
        for first_day, name in breaks[institution_id]
    ]


def store_notes(recipient_ids: Iterable[int], occasion: str, text: str, url: str) -> None:
    """``integrity.notify``: write the notifications; the bell shows them and the outbox e-mails them."""
    Notification.objects.bulk_create(
        [Notification(recipient_id=pk, occasion=occasion, text=text[:500], url=url) for pk in recipient_ids],
        ignore_conflicts=True,
    )


def light_change_notes(events: list[LightEvent]) -> list[Notification]:
    """The messages a change of colour sends: the officer is told of a yellow or red light, the department head of a
    member's red. Written by the light run in the same transaction as the change, so none is lost when the reminder
    job does not run; the occasion is the change's version, so a change is told once."""
    home = reverse("home")
    turned = [e for e in events if e.to_colour != Colour.GREEN]
    red = [e for e in turned if e.to_colour == Colour.RED]
    officers = {
        pk: (name, reviewer)
        for pk, name, reviewer in Officer.objects.filter(pk__in={e.officer_id for e in red}).values_list(
            "pk", "full_name", "reviewer_id"
        )
    }
    notes = []
    for event in turned:
        text = (
            _("Your light turned red: %(why)s")
            if event.to_colour == Colour.RED
            else _("Your light turned yellow: %(why)s")
        ) % {"why": event.why}
        notes.append(
            Notification(recipient_id=event.officer_id, occasion=f"light:{event.version}", text=text[:500], url=home)
        )
    light_list = reverse("alerts:light_list")
    for event in red:
        name, reviewer = officers.get(event.officer_id, ("", None))
        if reviewer and reviewer != event.officer_id:  # the one who reviews the officer: a member's head, and so on up
            notes.append(
                Notification(
                    recipient_id=reviewer,
                    occasion=f"member-red:{event.officer_id}:{event.version}",
                    text=_("%(name)s's light turned red.") % {"name": name},
                    url=f"{light_list}?department={event.department_id}" if event.department_id else light_list,
                )
            )
    return notes


def send_reminders(today: datetime.date | None = None) -> int:
    """Queue every reminder due today (what is due by the calendar: a light still yellow, a rectification action
    coming due, a holiday, a review waiting too long — ``alerts.escalation``) and e-mail what is pending; returns how
    many were new. Changes of colour are queued by the
    light run itself (``light_change_notes``): nothing here looks back over a time window."""
    today = today or timezone.localdate()
    home = reverse("home")
    notes: list[Notification] = []
    policies: dict[int | None, AlertPolicy] = {p.institution_id: p for p in AlertPolicy.objects.all()}
    for light in Light.objects.filter(colour=Colour.YELLOW).select_related("officer"):
        every = policies.get(light.officer.institution_id, AlertPolicy()).yellow_reminder_days
        n = yellow_reminder_due(timezone.localtime(light.since).date(), today, every)
        if n:
            notes.append(
                Notification(
                    recipient_id=light.officer_id,
                    occasion=f"yellow:{light.version}:{n}",
                    text=_("Your light is still yellow: %(why)s") % {"why": why(light.reasons)},
                    url=home,
                )
            )
    horizon = today + datetime.timedelta(days=max((p.action_reminder_days for p in policies.values()), default=3))
    for action in RectificationAction.objects.filter(
        result="", due_on__lte=horizon, responsible__isnull=False
    ).select_related("warning"):
        stage = "overdue" if action.due_on < today else "due"  # reminded before the day, chased again after it
        assert action.responsible_id is not None  # as the query asks
        notes.append(
            Notification(
                recipient_id=action.responsible_id,
                occasion=f"action:{action.pk}:{stage}",
                text=_("A rectification action (%(kind)s) is due on %(day)s.")
                % {"kind": action.get_kind_display(), "day": action.due_on},
                url=action.warning.get_absolute_url(),
            )
        )
    notes.extend(holiday_notes(today))
    new = Notification.objects.add_once(notes) + escalate(today).told
    deliver_emails()
    return new


# A message that failed this often stays pending, with its last error, for the administrators to look into.
MAX_EMAIL_ATTEMPTS = 10
# After a failure the next attempt waits 5 minutes, then 10, 20, … up to a day.
FIRST_RETRY = datetime.timedelta(minutes=5)
LONGEST_RETRY = datetime.timedelta(days=1)


def retry_delay(attempts: int) -> datetime.timedelta:
    """How long to wait after the ``attempts``-th failure (exponential back-off)."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_RETRY)


def deliver_emails() -> int:
    """E-mail each pending notification once; returns how many went. The conditional update claims a message, so two
    workers never send it twice; a failed send rolls the claim back, so the message stays pending with its error and
    is tried again after its back-off — nothing is marked sent that was not sent."""
    now = timezone.now()
    pending = (
        Notification.objects.filter(
            Q(email_retry_at__isnull=True) | Q(email_retry_at__lte=now),
            emailed_at__isnull=True,
            email_attempts__lt=MAX_EMAIL_ATTEMPTS,
            recipient__email__gt="",
        )
        .select_related("recipient")
        .order_by("created_at", "pk")[:500]
    )
    sent = 0
    for note in pending:
        try:
            with transaction.atomic():
                claimed = Notification.objects.filter(pk=note.pk, emailed_at__isnull=True).update(
                    emailed_at=timezone.now(), email_error="", email_retry_at=None
                )
                if not claimed:
                    continue
                send_mail(
                    str(_("Integrity Risk Prevention and Control")),
                    note.text,
                    settings.DEFAULT_FROM_EMAIL,
                    [note.recipient.email],
                )
        except Exception as error:  # SMTP refusals, a server that does not answer: kept on the message, retried
            attempts = note.email_attempts + 1
            Notification.objects.filter(pk=note.pk, emailed_at__isnull=True).update(
                email_attempts=F("email_attempts") + 1,
                email_error=f"{type(error).__name__}: {error}"[:500],
                email_retry_at=timezone.now() + retry_delay(attempts),
            )
        else:
            sent += 1
    return sent
