"""The security audit log (安全审计): logins, failures, logouts, role changes, reads of clues, declarations and
archives, prints and exports are recorded with who, when and from where; the log is append-only (a trigger on
PostgreSQL) and hash-chained, so an edit or a deletion made around the trigger is found at its row; only audit
administrators read it. The clock is pinned to 20 November 2026 for the records read."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse

from integrity import actions, audit
from integrity.choices import AuditEventKind, Role
from integrity.models import AuditEvent
from tests.alerts.records import for_district as district_alerts
from tests.cases.records import make_case
from tests.factories import OfficerFactory

pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-11-20")]


@pytest.fixture
def security(world):
    """A security administrator (安全管理员) of the city body."""
    officer = OfficerFactory(username="security", full_name="安全员", department=world.office)
    actions.grant_role(officer, Role.SECURITY_ADMIN, world.city, acting_user=None)
    return officer


@pytest.fixture
def auditor(world):
    actions.grant_role(world.other_officer, Role.AUDITOR, world.city, acting_user=world.admin)
    return world.other_officer


def events(kind: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(event=kind).order_by("id"))


def test_logins_failures_and_logouts_are_recorded_with_the_address_and_never_the_password(world):
    world.officer.set_password("Jiancha-2026")
    world.officer.save()
    client = Client(REMOTE_ADDR="10.1.2.3", HTTP_USER_AGENT="Firefox/128")
    client.post(reverse("login"), {"username": "officer", "password": "wrong-Pass-1"})
    failed = events(AuditEventKind.LOGIN_FAILED)[-1]
    assert (failed.username, failed.ip, failed.user_agent, failed.actor_id) == (
        "officer",
        "10.1.2.3",
        "Firefox/128",
        None,
    )
    assert "wrong-Pass-1" not in str(failed.detail)
    client.post(reverse("login"), {"username": "officer", "password": "Jiancha-2026"})
    assert events(AuditEventKind.LOGIN)[-1].actor_id == world.officer.pk
    client.post(reverse("logout"))
    assert events(AuditEventKind.LOGOUT)[-1].actor_id == world.officer.pk


def test_roles_are_granted_and_revoked_on_the_record_and_nobody_grants_themselves_one(world):
    with pytest.raises(ValidationError):
        actions.grant_role(world.admin, Role.DISCIPLINE, world.city, acting_user=world.admin)
    assignment = actions.grant_role(world.colleague, Role.DISCIPLINE, world.city, acting_user=world.admin)
    granted = events(AuditEventKind.ROLE_GRANTED)[-1]
    assert (granted.actor_id, granted.target, granted.detail["role"]) == (
        world.admin.pk, f"officer:{world.colleague.pk}", "discipline",
    )  # fmt: skip
    with pytest.raises(ValidationError):
        actions.revoke_role(assignment, acting_user=world.colleague)
    actions.revoke_role(assignment, reason="轮岗", acting_user=world.admin)
    assert events(AuditEventKind.ROLE_REVOKED)[-1].detail["reason"] == "轮岗"


def test_the_admin_site_lets_nobody_give_or_change_their_own_roles(world, client_for, security):
    client = client_for(security)
    data = {"officer": security.pk, "role": Role.AUDITOR, "institution": world.city.pk}
    response = client.post(reverse("admin:integrity_roleassignment_add"), data)
    assert response.status_code == 200 and not security.role_assignments.filter(role=Role.AUDITOR).exists()
    own = security.role_assignments.get()
    assert client.get(reverse("admin:integrity_roleassignment_change", args=[own.pk])).status_code in (302, 404)
    listing = client.get(reverse("admin:integrity_roleassignment_changelist")).content.decode()
    assert f"/roleassignment/{own.pk}/change/" not in listing


def test_reads_prints_and_exports_are_recorded(world, client_for):
    clue = district_alerts(world).clue
    client_for(world.inspector).get(clue.get_absolute_url())
    assert events(AuditEventKind.VIEWED)[-1].target == f"clue:{clue.pk}"
    case = make_case(world.prosecution, [world.officer])
    declaration = case.declarations.get()
    client_for(world.officer).get(declaration.get_absolute_url())  # one's own: not a security event
    before = AuditEvent.objects.filter(event=AuditEventKind.VIEWED).count()
    client_for(world.depthead).get(declaration.get_absolute_url())
    assert events(AuditEventKind.VIEWED)[-1].target == f"declaration:{declaration.pk}"
    assert AuditEvent.objects.filter(event=AuditEventKind.VIEWED).count() == before + 1
    client_for(world.chief).get(reverse("archives:archive", args=[world.officer.pk, "integrity"]))
    assert events(AuditEventKind.VIEWED)[-1].target == f"archive:integrity:{world.officer.pk}"
    client_for(world.chief).post(reverse("archives:print_one", args=[world.officer.pk, "performance"]))
    assert events(AuditEventKind.PRINTED)[-1].detail["number"].startswith("ZF")
    client_for(world.inspector).get(reverse("integrity:officer_list"), {"_export": "csv", "q": "李"})
    exported = events(AuditEventKind.EXPORTED)[-1]
    assert (
        exported.detail["format"] == "csv"
        and exported.detail["rows"] >= 1
        and exported.detail["filters"] == {"q": "李"}
    )


def test_the_chain_holds_and_an_edit_or_a_deletion_is_found_at_its_row(world):
    for n in range(5):
        audit.record(AuditEventKind.VIEWED, actor=world.inspector, target=f"clue:{n}")
    checked, broken = audit.verify_chain()
    assert broken is None and checked == AuditEvent.objects.count()
    rows = list(AuditEvent.objects.order_by("id"))
    edited, deleted = rows[-3], rows[-2]
    with _around_the_trigger():
        AuditEvent.objects.filter(pk=edited.pk).update(target="clue:999")
    assert audit.verify_chain()[1] == audit.Break(edited.pk, "content")
    with _around_the_trigger():
        AuditEvent.objects.filter(pk=edited.pk).update(target=edited.target)
        AuditEvent.objects.filter(pk=deleted.pk).delete()
    assert audit.verify_chain()[1] == audit.Break(rows[-1].pk, "link")
    with pytest.raises(CommandError, match=f"row {rows[-1].pk}"):
        call_command("verify_audit")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_the_database_refuses_to_update_or_delete_an_audit_row(world):
    row = audit.record(AuditEventKind.VIEWED, actor=world.inspector, target="clue:1")
    for change in (lambda: AuditEvent.objects.filter(pk=row.pk).update(target="x"), lambda: row.delete()):
        with pytest.raises(DatabaseError), transaction.atomic():
            change()
    assert AuditEvent.objects.get(pk=row.pk).target == "clue:1"


def test_only_audit_administrators_read_the_log_and_the_page_checks_the_chain(world, client_for, auditor):
    url = reverse("integrity:audit_log")
    for outsider in (world.admin, world.chief, world.inspector, world.officer):
        assert client_for(outsider).get(url).status_code == 404
    page = client_for(auditor).get(url, {"event": AuditEventKind.ROLE_GRANTED}).content.decode()
    assert "role_granted" in page or "授予" in page or "granted" in page
    checked = client_for(auditor).get(url, {"verify": "1"}).content.decode()
    assert 'data-testid="chain" data-broken=""' in checked
    client_for(auditor).get(url, {"_export": "xlsx"})
    assert events(AuditEventKind.EXPORTED)[-1].actor_id == auditor.pk
    assert not auditor.is_superuser and client_for(auditor).get(reverse("alerts:clue_list")).status_code == 404


class _around_the_trigger:
    """An edit made around the append-only trigger, as someone with the database's owner rights could."""

    def __enter__(self):
        if connection.vendor == "postgresql":
            import pgtrigger

            self._ignore = pgtrigger.ignore("integrity.AuditEvent:audit_append_only")
            self._ignore.__enter__()

    def __exit__(self, *exc):
        if connection.vendor == "postgresql":
            self._ignore.__exit__(*exc)


def test_rows_past_the_retention_go_to_a_signed_file_and_the_chain_goes_on(world, settings, tmp_path):
    import json

    import time_machine
    from django.utils import timezone

    from integrity.models import AuditCheckpoint

    settings.MEDIA_ROOT = tmp_path
    with _around_the_trigger():  # start from an empty log (the fixtures' logins are in it)
        AuditEvent.objects.all().delete()
    with time_machine.travel(timezone.now() - datetime.timedelta(days=200), tick=False):
        old = [audit.record(AuditEventKind.VIEWED, actor=world.inspector, target=f"clue:{n}") for n in range(3)]
    recent = audit.record(AuditEventKind.VIEWED, actor=world.inspector, target="clue:9")

    checkpoint = audit.archive_expired()
    assert (checkpoint.rows, checkpoint.up_to_id, checkpoint.last_hash) == (3, old[-1].pk, old[-1].hash)
    assert list(AuditEvent.objects.values_list("pk", flat=True)) == [recent.pk]
    content = (tmp_path / checkpoint.file).read_bytes()
    assert [json.loads(line)["target"] for line in content.decode().splitlines()] == ["clue:0", "clue:1", "clue:2"]
    assert audit.sign(content) == checkpoint.signature
    assert audit.sign(content.replace(b"clue:1", b"clue:7")) != checkpoint.signature  # an edited file is found
    assert audit.verify_chain() == (1, None)  # the chain goes on from the cut
    assert audit.archive_expired() is None and AuditCheckpoint.objects.count() == 1


def test_a_broken_chain_is_never_archived_away(world, settings, tmp_path):
    import time_machine
    from django.utils import timezone

    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(timezone.now() - datetime.timedelta(days=200), tick=False):
        row = audit.record(AuditEventKind.VIEWED, actor=world.inspector, target="clue:1")
    with _around_the_trigger():
        AuditEvent.objects.filter(pk=row.pk).update(target="clue:2")
    with pytest.raises(ValueError, match=f"row {row.pk}"):
        audit.archive_expired()
    assert AuditEvent.objects.filter(pk=row.pk).exists()
