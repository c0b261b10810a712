"""Reminder e-mails: a message is marked sent only once it has gone; a failure stays pending with its error."""

from __future__ import annotations

import datetime
import re
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alerts.models import Notification
from alerts.reminders import MAX_EMAIL_ATTEMPTS, deliver_emails, retry_delay


@pytest.mark.django_db
def test_an_smtp_failure_leaves_the_message_pending_and_a_later_run_delivers_it_once(world, monkeypatch, clock):
    world.officer.email = "liming@example.gov.cn"
    world.officer.save(update_fields=["email"])
    note = Notification.objects.create(recipient=world.officer, occasion="light:1", text="您的灯色变为黄灯。")

    def refuse(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    with monkeypatch.context() as patched:
        patched.setattr(EmailBackend, "send_messages", refuse)
        assert deliver_emails() == 0
    note.refresh_from_db()
    assert note.emailed_at is None and note.email_attempts == 1
    assert note.email_error.startswith("SMTPServerDisconnected") and not mail.outbox
    assert deliver_emails() == 0, "tried again only after its back-off"

    clock.shift(retry_delay(1))
    assert deliver_emails() == 1
    assert deliver_emails() == 0
    note.refresh_from_db()
    assert note.emailed_at is not None and note.email_error == ""
    assert [m.to for m in mail.outbox] == [["liming@example.gov.cn"]]


def test_the_back_off_doubles_up_to_a_day():
    assert [retry_delay(n).total_seconds() / 60 for n in (1, 2, 3, 4)] == [5, 10, 20, 40]
    assert retry_delay(30) == datetime.timedelta(days=1)


@pytest.mark.django_db
def test_administrators_see_failed_e_mails_without_their_text_and_can_send_them_again(client_for, world):
    world.officer.email = "liming@example.gov.cn"
    world.officer.save(update_fields=["email"])
    note = Notification.objects.create(
        recipient=world.officer, occasion="light:1", text="您的灯色变为红灯：线索核查中。",
        email_attempts=MAX_EMAIL_ATTEMPTS, email_error="SMTPServerDisconnected: closed",
    )  # fmt: skip
    Notification.objects.create(recipient=world.chief, occasion="light:1", text="已送达", emailed_at=note.created_at)
    client = client_for(world.admin)
    page = client.get(reverse("admin:alerts_notification_changelist") + "?email=given_up").content.decode()
    assert "SMTPServerDisconnected" in page and world.officer.full_name in page
    assert "线索核查中" not in page and world.chief.full_name not in page
    assert deliver_emails() == 0, "given up"

    response = client.post(
        reverse("admin:alerts_notification_changelist"),
        {"action": "try_again", "_selected_action": [note.pk]},
    )
    assert response.status_code == 302
    assert deliver_emails() == 1
    assert client_for(world.officer).get(reverse("admin:alerts_notification_changelist")).status_code == 302


@pytest.mark.django_db
def test_the_bell_counts_up_to_what_its_badge_shows_and_only_on_pages_that_show_it(client_for, world):
    """A province inspector is told of every overdue review: thousands unread. The badge says "99+" past 99, so the
    count reads no further; a polled fragment that draws no navigation bar does not count at all."""
    from desk.context_processors import BELL_MOST

    def badge() -> str | None:
        page = client.get(reverse("home")).content.decode()
        found = re.search(r'class="badge text-bg-warning bell-count">([^<]+)<', page)
        return found[1] if found else None

    client = client_for(world.inspector)
    assert badge() is None
    Notification.objects.bulk_create(
        Notification(recipient=world.inspector, occasion=f"review:{n}", text="待审核") for n in range(BELL_MOST)
    )
    assert badge() == str(BELL_MOST)
    Notification.objects.create(recipient=world.inspector, occasion="review:last", text="待审核")
    assert badge() == f"{BELL_MOST}+"
    with CaptureQueriesContext(connection) as counted:
        client.get(reverse("home"))
    (bell,) = [q["sql"] for q in counted.captured_queries if '"alerts_notification"' in q["sql"]]
    assert f"LIMIT {BELL_MOST + 1}" in bell and "ORDER BY" not in bell  # the index's first hundred, unsorted
    with CaptureQueriesContext(connection) as polled:
        client.get(reverse("alerts:board"), HTTP_HX_REQUEST="true")
    assert not [q for q in polled.captured_queries if '"alerts_notification"' in q["sql"]]
