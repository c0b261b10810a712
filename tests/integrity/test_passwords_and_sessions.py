"""Password and session policy (等保): the rules at their boundaries, a reset or an expired password held on the
change page, lockout per account across addresses, and an idle timeout that polling does not extend. The clock is
pinned to 20 November 2026; ages and idle minutes are counted from it."""

import datetime

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from integrity import actions
from integrity.choices import AuditEventKind, Role
from integrity.models import AuditEvent, Officer, SecurityPolicy
from integrity.passwords import character_classes
from tests.factories import OfficerFactory

pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-11-20")]
NOON = datetime.datetime(2026, 11, 20, 4, tzinfo=datetime.UTC)


def refused(password: str, user: Officer | None = None) -> bool:
    try:
        validate_password(password, user)
    except ValidationError:
        return True
    return False


@pytest.mark.parametrize(
    ("password", "classes"),
    [("abcdefghij", 1), ("abcdefghi1", 2), ("Abcdefghi1", 3), ("Abcdefgh1!", 4), ("审计abc1", 3)],
)
def test_character_classes_are_counted(password, classes):
    assert character_classes(password) == classes


def test_the_password_rules_at_their_boundaries(world):
    assert refused("Abcdefgh1")  # 9 characters
    assert not refused("Abcdefgh12")  # 10, three classes
    assert refused("1111111111a")  # two classes
    assert refused("officerofficer")
    assert refused("Officer-2026x", world.officer)  # contains the username
    assert not refused("Jiancha-2026x", world.officer)
    SecurityPolicy.objects.create(pk=1, password_min_length=12, password_classes=4)
    assert refused("Abcdefgh12!")  # 11
    assert refused("Abcdefghij12")  # three classes only
    assert not refused("Abcdefghi12!")


def test_none_of_the_last_five_passwords_comes_back(world):
    used = [f"Jiancha-{n}a" for n in range(2020, 2026)]
    for password in used:
        world.officer.set_password(password)
        world.officer.save()
    assert refused(used[-1], world.officer) and refused(used[-5], world.officer)
    assert not refused(used[-6], world.officer)  # the sixth last may come back


def test_a_reset_holds_the_officer_on_the_password_page_until_they_choose_one(world, client_for):
    Officer.objects.filter(pk=world.officer.pk).update(must_change_password=True)
    world.officer.refresh_from_db()
    client = client_for(world.officer)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url == reverse("password_change")
    page = client.get(reverse("password_change")).content.decode()
    assert 'data-testid="must-change"' in page
    data = {"old_password": "correct-horse-battery", "new_password1": "Jiancha-2026x", "new_password2": "Jiancha-2026x"}
    assert client.post(reverse("password_change"), data).status_code == 302
    assert client.get(reverse("home")).status_code == 200
    world.officer.refresh_from_db()
    assert not world.officer.must_change_password
    assert AuditEvent.objects.filter(event=AuditEventKind.PASSWORD_CHANGED, actor=world.officer).exists()


def test_an_account_an_administrator_opens_and_a_password_they_reset_must_be_changed(world, client_for):
    security = OfficerFactory(username="security", full_name="安全员", department=world.office)
    actions.grant_role(security, Role.SECURITY_ADMIN, world.city, acting_user=None)
    opened = actions.create_officer(
        username="newbie", full_name="新人", department=world.prosecution, password="Temp-2026-pass",
        acting_user=world.admin,
    )  # fmt: skip
    assert opened.must_change_password
    url = reverse("admin:auth_user_password_change", args=[world.colleague.pk]).replace(
        "auth/user", "integrity/officer"
    )
    reset_data = {"password1": "Reset-2026-pass", "password2": "Reset-2026-pass"}
    assert client_for(world.admin).post(url, reset_data).status_code == 403  # not the system administrator's
    response = client_for(security).post(url, reset_data)
    assert response.status_code == 302
    world.colleague.refresh_from_db()
    assert world.colleague.must_change_password
    reset = AuditEvent.objects.get(event=AuditEventKind.PASSWORD_RESET)
    assert (reset.actor_id, reset.target) == (security.pk, f"officer:{world.colleague.pk}")


def test_an_expired_password_must_be_changed_at_login(world):
    world.officer.set_password("Jiancha-2026x")
    world.officer.save()
    client = Client()
    later = world.officer.password_changed_at + datetime.timedelta(days=91)
    with time_machine.travel(later, tick=False):
        client.post(reverse("login"), {"username": "officer", "password": "Jiancha-2026x"})
        assert client.get(reverse("home")).url == reverse("password_change")
    client = Client()
    with time_machine.travel(later - datetime.timedelta(days=2), tick=False):
        client.post(reverse("login"), {"username": "officer", "password": "Jiancha-2026x"})
        assert client.get(reverse("home")).status_code == 200


def test_five_failures_lock_the_account_from_any_address(world):
    world.officer.set_password("Jiancha-2026x")
    world.officer.save()
    for n in range(5):
        Client(REMOTE_ADDR=f"10.0.0.{n}").post(reverse("login"), {"username": "officer", "password": "wrong"})
    elsewhere = Client(REMOTE_ADDR="10.9.9.9")
    response = elsewhere.post(reverse("login"), {"username": "officer", "password": "Jiancha-2026x"})
    assert "_auth_user_id" not in elsewhere.session and response.status_code in (403, 429)
    assert AuditEvent.objects.filter(event=AuditEventKind.LOGIN_FAILED, username="officer").count() >= 5


def test_the_idle_timeout_ends_a_session_whose_only_traffic_was_polling(world, client_for, settings):
    settings.SESSION_IDLE_MINUTES = 30
    with time_machine.travel(NOON, tick=False) as clock:
        client = client_for(world.officer)
        assert client.get(reverse("home")).status_code == 200
        for _ in range(40):  # the bell polls every 30 s … for 20 minutes
            clock.shift(datetime.timedelta(seconds=30))
            client.get(reverse("todo_count"), HTTP_X_BACKGROUND="1", HTTP_HX_REQUEST="true")
        clock.shift(datetime.timedelta(minutes=10, seconds=1))
        polled = client.get(reverse("todo_count"), HTTP_X_BACKGROUND="1", HTTP_HX_REQUEST="true")
        assert polled.status_code == 204 and polled["HX-Redirect"] == reverse("login")
        assert client.get(reverse("home")).status_code == 302
    assert AuditEvent.objects.filter(event=AuditEventKind.TIMEOUT, actor=world.officer).exists()


def test_a_user_request_keeps_the_session_alive(world, client_for, settings):
    settings.SESSION_IDLE_MINUTES = 30
    with time_machine.travel(NOON, tick=False) as clock:
        client = client_for(world.officer)
        for _ in range(3):
            clock.shift(datetime.timedelta(minutes=25))
            assert client.get(reverse("keepalive")).json() == {"signed_in": True}
        assert client.get(reverse("home")).status_code == 200


def test_with_one_session_per_account_a_new_sign_in_ends_the_earlier_session(world):
    world.officer.set_password("Jiancha-2026x")
    world.officer.save()

    def sign_in() -> Client:
        client = Client()
        client.post(reverse("login"), {"username": "officer", "password": "Jiancha-2026x"})
        return client

    first, second = sign_in(), sign_in()  # the policy's default: both stay signed in
    assert first.get(reverse("home")).status_code == 200 and second.get(reverse("home")).status_code == 200

    SecurityPolicy.objects.create(pk=1, one_session_per_account=True)
    first, second = sign_in(), sign_in()
    assert second.get(reverse("home")).status_code == 200
    ended = first.get(reverse("home"), follow=True)
    assert ended.redirect_chain[0][0].startswith(reverse("login")) and "该账号已在别处登录" in ended.content.decode()
    assert "_auth_user_id" not in first.session
    assert AuditEvent.objects.filter(event=AuditEventKind.REPLACED, actor=world.officer).count() == 1
    assert second.get(reverse("home")).status_code == 200
