"""Leaders' accounts of duty and integrity (述责述廉): owed by every head, deputy and principal leader for the year
just ended, filed by them, reviewed one level up, returned and answered with a further statement that keeps the
first; shown in the integrity archive."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from alerts.models import Notification
from archives import accounts
from archives.choices import AccountStatus
from archives.documents import document_digest
from archives.models import ArchivePolicy, DutyAccount, DutyStatement
from archives.queries import integrity_archive
from integrity import actions as org
from integrity import obligations
from integrity.choices import Role
from tests.factories import OfficerFactory

# The clock is pinned to Tuesday 5 January 2027: the accounts of 2026 are owed, due by the end of January.
pytestmark = [pytest.mark.django_db, pytest.mark.today("2027-01-05")]
TODAY = datetime.date(2027, 1, 5)


def owed(officer, code: str) -> list:
    return [item for kind, items, _n in obligations.to_dos(officer) for item in items if kind.code == code]


def waiting(code: str) -> dict:
    kind = next(kind for kind in obligations.kinds() if kind.code == code)
    return {(item.record_id, item.actor_id): item.since for item in kind.waiting()}


def test_every_leader_owes_last_years_account_by_the_policy_month_and_only_in_the_window(world):
    ArchivePolicy.objects.create(institution=world.dh, duty_account_month=3)
    assert accounts.open_duty_accounts(TODAY) == 4
    assert accounts.open_duty_accounts(TODAY) == 0  # a second run opens nothing
    due = dict(DutyAccount.objects.filter(year=2026).values_list("officer__username", "due_on"))
    assert due == {
        "depthead": datetime.date(2027, 1, 31), "deputy": datetime.date(2027, 1, 31),
        "chief": datetime.date(2027, 1, 31), "dh_head": datetime.date(2027, 3, 31),
    }  # fmt: skip
    assert not DutyAccount.objects.filter(officer__in=[world.officer, world.inspector]).exists()

    # A head appointed in the window is owed on the next run; one appointed after the due day starts next year.
    org.grant_role(world.colleague, Role.DEPARTMENT_HEAD, world.city, departments=[world.prosecution], acting_user=None)
    assert accounts.open_duty_accounts(datetime.date(2027, 1, 31)) == 1
    late = OfficerFactory(username="late_head", department=world.office)
    org.grant_role(late, Role.DEPARTMENT_HEAD, world.city, departments=[world.office], acting_user=None)
    assert accounts.open_duty_accounts(datetime.date(2027, 2, 1)) == 0
    assert accounts.open_duty_accounts(datetime.date(2027, 3, 31)) == 0  # the city's window has closed
    [item] = owed(world.depthead, accounts.KIND)
    assert item.due_on == datetime.date(2027, 1, 31)


def test_the_account_goes_to_the_reviewer_is_returned_answered_and_accepted_keeping_every_statement(world, clock):
    accounts.open_duty_accounts(TODAY)
    account = DutyAccount.objects.get(officer=world.depthead)
    with pytest.raises(ValidationError):
        accounts.file_account(account, text="  ", acting_user=world.depthead)
    with pytest.raises(PermissionDenied):
        accounts.file_account(account, text="代写", acting_user=world.deputy)
    accounts.file_account(account, text="履行一岗双责情况……", acting_user=world.depthead)
    assert owed(world.depthead, accounts.KIND) == []
    [item] = owed(world.deputy, accounts.REVIEW_KIND)  # the deputy in charge of the department reviews it
    assert item.url == account.get_absolute_url()
    with pytest.raises(ValidationError):
        accounts.file_account(account, text="再交一次", acting_user=world.depthead)
    with pytest.raises(PermissionDenied):
        accounts.review_account(account, accept=True, acting_user=world.chief)  # not theirs to review

    with pytest.raises(ValidationError):
        accounts.review_account(account, accept=False, comment="", acting_user=world.deputy)
    accounts.review_account(account, accept=False, comment="未写存在的问题", acting_user=world.deputy)
    assert Notification.objects.filter(recipient=world.depthead, url=account.get_absolute_url()).exists()
    assert [i.url for i in owed(world.depthead, accounts.KIND)] == [account.get_absolute_url()]

    clock.shift(datetime.timedelta(days=1))
    accounts.file_account(account, text="补充：存在的问题是……", acting_user=world.depthead)
    accounts.review_account(account, accept=True, acting_user=world.deputy)
    account.refresh_from_db()
    assert account.status == AccountStatus.ACCEPTED and account.reviewed_by == world.deputy
    assert [s.text for s in account.statements.all()] == ["履行一岗双责情况……", "补充：存在的问题是……"]
    assert owed(world.deputy, accounts.REVIEW_KIND) == [] and owed(world.depthead, accounts.KIND) == []


def test_an_account_not_filed_waits_on_its_leader_from_the_due_day_and_a_filed_one_on_the_reviewer(world):
    accounts.open_duty_accounts(TODAY)
    account = DutyAccount.objects.get(officer=world.chief)
    assert waiting(accounts.KIND)[(account.pk, world.chief.pk)] == datetime.date(2027, 1, 31)
    accounts.file_account(account, text="述责述廉报告", acting_user=world.chief)
    assert (account.pk, world.chief.pk) not in waiting(accounts.KIND)
    since = waiting(accounts.REVIEW_KIND)[(account.pk, world.inspector.pk)]  # the leader's goes to discipline staff
    assert timezone.localdate(since) == TODAY


def test_the_integrity_archive_shows_the_account_and_earlier_prints_still_verify(world):
    archive = lambda: integrity_archive(world.depthead, datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))  # noqa: E731
    before = {layout: document_digest(archive(), layout) for layout in (3, 4)}
    accounts.open_duty_accounts(TODAY)
    accounts.file_account(DutyAccount.objects.get(officer=world.depthead), text="述责述廉", acting_user=world.depthead)
    assert [a.year for a in archive().sections["duty_accounts"]] == [2026]
    assert document_digest(archive(), 3) == before[3]  # a copy printed before the section existed still verifies
    assert document_digest(archive(), 4) != before[4]


def test_the_pages_file_and_review_in_chinese_and_stay_in_scope(world, client_for):
    accounts.open_duty_accounts(TODAY)
    account = DutyAccount.objects.get(officer=world.depthead)
    head = client_for(world.depthead)
    listing = head.get(reverse("archives:duty_accounts")).content.decode()
    assert "述责述廉" in listing and account.get_absolute_url() in listing
    assert head.post(account.get_absolute_url(), {"text": ""}).status_code == 200  # the form says what is missing
    assert account.statements.count() == 0
    assert head.post(account.get_absolute_url(), {"text": "履职情况"}).status_code == 302

    deputy = client_for(world.deputy)
    assert account.get_absolute_url() in deputy.get(reverse("archives:duty_accounts")).content.decode()
    response = deputy.post(reverse("archives:duty_account_review", args=[account.pk]), {"decision": "accept"})
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.status == AccountStatus.ACCEPTED

    assert client_for(world.officer).get(account.get_absolute_url()).status_code == 404
    assert client_for(world.xs_inspector).get(account.get_absolute_url()).status_code == 404
    assert head.post(account.get_absolute_url(), {"text": "再交"}).status_code == 404  # accepted: nothing to file


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the triggers are PostgreSQL's")
def test_postgresql_refuses_to_edit_or_delete_a_filed_statement(world):
    accounts.open_duty_accounts(TODAY)
    account = accounts.file_account(
        DutyAccount.objects.get(officer=world.chief), text="述责述廉报告", acting_user=world.chief
    )
    for attempt in (
        lambda: DutyStatement.objects.filter(account=account).update(text="改"),
        lambda: DutyStatement.objects.filter(account=account).delete(),
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            attempt()
    assert account.statements.get().text == "述责述廉报告"


def test_the_accounts_in_scope_filter_by_year_status_and_body_and_say_what_is_wrong(world, client_for):
    accounts.open_duty_accounts(TODAY)
    others = accounts.visible_accounts(world.inspector).exclude(officer=world.inspector)
    assert others.count() > 1  # the test sees more than one account
    one = others.order_by("pk").first()
    DutyAccount.objects.filter(pk=one.pk).update(status=AccountStatus.ACCEPTED)
    inspector = client_for(world.inspector)
    listing = reverse("archives:duty_accounts")

    def shown(**query) -> set[str]:
        page = inspector.get(listing, query).content.decode()
        return {a.get_absolute_url() for a in others if a.get_absolute_url() in page}

    everyone = {a.get_absolute_url() for a in others}
    assert shown() == everyone  # the year just ended unless another is asked for
    assert shown(year=2025) == set()
    assert shown(year=2026, status=AccountStatus.ACCEPTED) == {one.get_absolute_url()}
    assert shown(year=2026, institution=world.xs.pk) == {
        a.get_absolute_url() for a in others if a.officer.institution_id == world.xs.pk
    }
    page = inspector.get(listing, {"year": "去年", "status": "gone"})
    assert page.status_code == 200 and shown(year="去年") == set()
    assert "输入一个数字。" in page.content.decode() and "gone 不在可用的选项中" in page.content.decode()
