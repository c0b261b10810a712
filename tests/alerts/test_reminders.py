"""Reminder e-mails: a message is marked sent only once it has gone; a failure stays pending with its error."""

from __future__ import annotations

import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from alerts.models import Notification
from alerts.reminders import deliver_emails


@pytest.mark.django_db
def test_an_smtp_failure_leaves_the_message_pending_and_a_later_run_delivers_it_once(world, monkeypatch):
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

    assert deliver_emails() == 1
    assert deliver_emails() == 0
    note.refresh_from_db()
    assert note.emailed_at is not None and note.email_error == ""
    assert [m.to for m in mail.outbox] == [["liming@example.gov.cn"]]
