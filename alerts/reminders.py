"""Reminders: in-app notifications (and e-mail where the officer has an address), each once per occasion.

The occasion key is unique per recipient, so however often the job runs — or two at once — a reminder goes once.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alerts.choices import Colour
from alerts.models import AlertPolicy, Holiday, Light, LightEvent, Notification, RectificationAction
from alerts.rules import yellow_reminder_due
from integrity.models import Officer

HOLIDAY_NOTICE_DAYS = 3


def holiday_text() -> str:
    return _(
        "%(name)s is coming: keep to the rules on integrity — no gifts, no banquets, no public cars for private use."
    )


def _joined(reasons: list[dict]) -> str:
    return "；".join(r["text"] for r in reasons)


def send_reminders(today: datetime.date | None = None) -> int:
    """Queue every reminder due today and e-mail the new ones; returns how many were new."""
    today = today or timezone.localdate()
    home = reverse("home")
    notes: list[Notification] = []
    since = timezone.now() - datetime.timedelta(days=1)
    heads = _department_heads()
    for event in LightEvent.objects.filter(at__gte=since).exclude(to_colour=Colour.GREEN).select_related("officer"):
        text = (
            _("Your light turned red: %(why)s")
            if event.to_colour == Colour.RED
            else _("Your light turned yellow: %(why)s")
        ) % {"why": event.why}
        notes.append(
            Notification(recipient_id=event.officer_id, occasion=f"light:{event.version}", text=text[:500], url=home)
        )
        if event.to_colour == Colour.RED:
            for head in heads.get(event.department_id, []):
                if head != event.officer_id:
                    notes.append(
                        Notification(
                            recipient_id=head,
                            occasion=f"member-red:{event.officer_id}:{event.version}",
                            text=_("%(name)s's light turned red.") % {"name": event.officer.full_name},
                            url=reverse("alerts:light_list") + f"?department={event.department_id}",
                        )
                    )
    policies = {p.institution_id: p for p in AlertPolicy.objects.all()}
    for light in Light.objects.filter(colour=Colour.YELLOW).select_related("officer"):
        every = policies.get(light.officer.institution_id, AlertPolicy()).yellow_reminder_days
        n = yellow_reminder_due(timezone.localtime(light.since).date(), today, every)
        if n:
            notes.append(
                Notification(
                    recipient_id=light.officer_id,
                    occasion=f"yellow:{light.version}:{n}",
                    text=_("Your light is still yellow: %(why)s") % {"why": _joined(light.reasons)},
                    url=home,
                )
            )
    horizon = today + datetime.timedelta(days=max((p.action_reminder_days for p in policies.values()), default=3))
    for action in RectificationAction.objects.filter(
        result="", due_on__lte=horizon, responsible__isnull=False
    ).select_related("warning"):
        stage = "overdue" if action.due_on < today else "due"  # reminded before the day, chased again after it
        notes.append(
            Notification(
                recipient_id=action.responsible_id,
                occasion=f"action:{action.pk}:{stage}",
                text=_("A rectification action (%(kind)s) is due on %(day)s.")
                % {"kind": action.get_kind_display(), "day": action.due_on},
                url=action.warning.get_absolute_url(),
            )
        )
    for holiday in Holiday.objects.filter(day__gt=today, day__lte=today + datetime.timedelta(days=HOLIDAY_NOTICE_DAYS)):
        text = holiday_text() % {"name": holiday.name}
        notes.extend(
            Notification(recipient_id=pk, occasion=f"holiday:{holiday.day}", text=text)
            for pk in Officer.objects.filter(is_active=True).values_list("pk", flat=True)
        )
    before = Notification.objects.count()
    Notification.objects.bulk_create(notes, ignore_conflicts=True, batch_size=2000)
    deliver_emails()
    return Notification.objects.count() - before


def _department_heads() -> dict[int, list[int]]:
    heads: dict[int, list[int]] = {}
    for officer_id, department_id in Officer.objects.filter(role_assignments__role="department_head").values_list(
        "pk", "role_assignments__departments"
    ):
        heads.setdefault(department_id, []).append(officer_id)
    return heads


# A message that failed this often stays pending, with its last error, for the administrators to look into.
MAX_EMAIL_ATTEMPTS = 10


def deliver_emails() -> int:
    """E-mail each pending notification once; returns how many went. The conditional update claims a message, so two
    workers never send it twice; a failed send rolls the claim back, so the message stays pending with its error and
    the next run tries again — nothing is marked sent that was not sent."""
    pending = Notification.objects.filter(
        emailed_at__isnull=True, email_attempts__lt=MAX_EMAIL_ATTEMPTS, recipient__email__gt=""
    ).select_related("recipient")[:500]
    sent = 0
    for note in pending:
        try:
            with transaction.atomic():
                claimed = Notification.objects.filter(pk=note.pk, emailed_at__isnull=True).update(
                    emailed_at=timezone.now(), email_error=""
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
            Notification.objects.filter(pk=note.pk).update(
                email_attempts=F("email_attempts") + 1, email_error=f"{type(error).__name__}: {error}"[:500]
            )
        else:
            sent += 1
    return sent
