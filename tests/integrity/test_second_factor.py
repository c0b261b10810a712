"""The second factor (双因素认证): the three administrators give a code from an authenticator app after their password,
set up at their first login with recovery codes shown once; the security policy names the roles that need it; a
lost phone is reset by the security administrator; wrong codes, set-ups, recovery codes and resets are audited.
The clock is pinned to 20 November 2026; the codes are computed from the key for the pinned moment."""

import base64
import datetime
import re

import pytest
from django.contrib.admin import helpers
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from integrity import actions
from integrity.choices import AuditEventKind, Role
from integrity.models import AuditEvent, SecurityPolicy
from tests.factories import OfficerFactory

pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-11-20")]
PASSWORD = "Jiancha-2026x"


def log_in(officer) -> Client:
    officer.set_password(PASSWORD)
    officer.save()
    client = Client()
    response = client.post(reverse("login"), {"username": officer.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def code(key: bytes, ahead: int = 0) -> str:
    """The code an authenticator app shows for ``key`` now (``ahead`` steps of 30 s later)."""
    totp = TOTP(key)
    totp.drift = ahead
    return f"{totp.token():06d}"


def events(kind: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(event=kind).order_by("id"))


@pytest.fixture
def security(world):
    officer = OfficerFactory(username="security", full_name="安全员", department=world.office)
    actions.grant_role(officer, Role.SECURITY_ADMIN, world.city, acting_user=None)
    return officer


def test_an_administrator_sets_up_an_authenticator_at_the_first_login_and_nothing_opens_before(world, clock):
    client = log_in(world.admin)
    for url in (reverse("home"), reverse("integrity:officer_list"), "/admin/"):
        assert client.get(url)["Location"] == reverse("second_factor")
    page = client.get(reverse("second_factor")).content.decode()
    assert 'id="mainnav"' not in page  # held here: no menu, and a page's polling swaps nothing in
    assert client.get(reverse("todo_count"), HTTP_HX_REQUEST="true", HTTP_X_BACKGROUND="1").status_code == 204
    shown = re.search(r'data-testid="totp-key">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    key = base64.b32decode(shown + "=" * (-len(shown) % 8))
    qr = client.get(reverse("second_factor_qr"))
    assert qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content and b"style=" not in qr.content

    response = client.post(reverse("second_factor"), {"token": f"{(int(code(key)) + 1) % 10**6:06d}"})
    assert response.status_code == 200 and client.get(reverse("home")).status_code == 302
    assert events(AuditEventKind.SECOND_FACTOR_FAILED)[-1].actor_id == world.admin.pk

    clock.shift(datetime.timedelta(seconds=2))  # a wrong code makes the next wait a second, doubling each time
    response = client.post(reverse("second_factor"), {"token": code(key)})
    codes = re.findall(r"<li>([a-z0-9]{8})</li>", response.content.decode())
    assert len(codes) == 10 and StaticToken.objects.filter(device__user=world.admin).count() == 10
    assert TOTPDevice.objects.get(user=world.admin).confirmed
    assert client.get(reverse("home")).status_code == 200
    assert events(AuditEventKind.SECOND_FACTOR_SET_UP)[-1].actor_id == world.admin.pk
    assert client.get(reverse("second_factor_qr")).status_code == 404  # the key is shown only while setting up


def test_every_later_login_asks_for_the_code_or_a_recovery_code_used_once(world):
    device = TOTPDevice.objects.create(user=world.admin, name="authenticator", confirmed=True)
    recovery = device.user.staticdevice_set.create(name="recovery", confirmed=True)
    recovery.token_set.create(token="r3c0v3ry")

    client = log_in(world.admin)
    assert "totp-key" not in client.get(reverse("second_factor")).content.decode()
    assert client.post(reverse("second_factor"), {"token": code(device.bin_key)})["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200

    client = log_in(world.admin)
    assert client.post(reverse("second_factor"), {"token": "r3c0v3ry"}).status_code == 302
    assert events(AuditEventKind.RECOVERY_CODE_USED)[-1].detail == {"remaining": 0}
    client = log_in(world.admin)
    assert client.post(reverse("second_factor"), {"token": "r3c0v3ry"}).status_code == 200  # used up
    assert client.get(reverse("home"))["Location"] == reverse("second_factor")


def test_the_policy_names_who_needs_a_second_factor(world):
    assert SecurityPolicy.current().second_factor_roles == sorted(Role.administrators())
    assert log_in(world.officer).get(reverse("home")).status_code == 200  # an officer: the password alone
    assert log_in(world.inspector).get(reverse("home")).status_code == 200
    SecurityPolicy.objects.create(pk=1, second_factor_roles=[Role.DISCIPLINE])
    assert log_in(world.inspector).get(reverse("home"))["Location"] == reverse("second_factor")


def test_the_security_administrator_resets_a_lost_phone_and_nobody_their_own(world, security, client_for):
    TOTPDevice.objects.create(user=world.admin, name="authenticator", confirmed=True)
    TOTPDevice.objects.create(user=security, name="authenticator", confirmed=True)
    data = {"action": "reset_second_factor", helpers.ACTION_CHECKBOX_NAME: [world.admin.pk, security.pk]}
    client_for(security).post(reverse("admin:integrity_officer_changelist"), data)
    assert not TOTPDevice.objects.filter(user=world.admin).exists()
    assert TOTPDevice.objects.filter(user=security).exists()  # not their own
    reset = events(AuditEventKind.SECOND_FACTOR_RESET)
    assert [(e.actor_id, e.target) for e in reset] == [(security.pk, f"officer:{world.admin.pk}")]

    # The system administrator keeps accounts but cannot reset anyone's second factor.
    TOTPDevice.objects.create(user=security, name="other", confirmed=True)
    data[helpers.ACTION_CHECKBOX_NAME] = [security.pk]
    client_for(world.admin).post(reverse("admin:integrity_officer_changelist"), data)
    assert TOTPDevice.objects.filter(user=security).count() == 2
