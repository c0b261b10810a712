"""Escalation (督办): a review left waiting is chased, told one level up, and past the policy's days becomes a
supervision notice to the reviewer that closes itself once the review is done."""

from __future__ import annotations

import datetime
from dataclasses import replace

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from alerts.escalation import escalate
from alerts.models import AlertPolicy, Notification
from alerts.queries import approvable_warnings
from alerts.reminders import send_reminders
from cases.models import SupervisionNotice
from risks import personal
from risks.models import MonthlyCheck
from tests.cases.records import assess, make_case
from tests.concurrency import twice_at_once
from tests.risks.records import post_risk

# The clock is pinned to 20 November 2026, when the check is filed; the policy chases a review after 5 days and
# issues a notice after 10.
pytestmark = pytest.mark.today("2026-11-20")
FILED = datetime.date(2026, 11, 20)


@pytest.fixture
def filed(world):
    post_risk(world.officer.post)
    personal.open_risk_tables()
    personal.open_monthly_checks(datetime.date(2026, 11, 1))
    check = MonthlyCheck.objects.get(officer=world.officer, period=datetime.date(2026, 11, 1))
    answers = [personal.AnswerData(i.pk, i.description) for i in check.table.items.all()]
    return personal.submit_monthly_check(check, answers, acting_user=world.officer)


def occasions(officer) -> set[str]:
    return set(Notification.objects.filter(recipient=officer).values_list("occasion", flat=True))


@pytest.mark.django_db
def test_a_waiting_review_is_chased_then_told_one_level_up_then_noticed_and_the_notice_closes_with_the_review(
    client_for, world, filed
):
    key = f"risks.check_review:{filed.pk}"
    escalate(FILED + datetime.timedelta(days=4))
    assert not occasions(world.depthead) and not SupervisionNotice.objects.exists()

    send_reminders(FILED + datetime.timedelta(days=5))
    assert f"late:{key}" in occasions(world.depthead)  # the head who must review
    assert f"escalated:{key}" in occasions(world.deputy)  # the one who answers for her
    assert not any(o.startswith("late:") for o in occasions(world.officer))  # the subject is not chased
    assert not SupervisionNotice.objects.exists()

    assert escalate(FILED + datetime.timedelta(days=10)).notices == 1
    assert escalate(FILED + datetime.timedelta(days=11)).notices == 0  # once per item
    notice = SupervisionNotice.objects.get()
    assert (notice.kind, notice.record_id) == ("risks.check_review", filed.pk)
    assert (notice.addressed_to, notice.copied_to, notice.institution) == (world.depthead, world.deputy, world.city)
    assert notice.url == filed.get_absolute_url() and world.officer.full_name in notice.title
    head, deputy = client_for(world.depthead), client_for(world.deputy)
    assert notice.get_absolute_url() in head.get(reverse("todos")).content.decode()
    assert notice.get_absolute_url() in deputy.get(reverse("todos")).content.decode()
    page = head.get(notice.get_absolute_url()).content.decode()
    assert filed.get_absolute_url() in page and notice.number in page
    assert head.get(reverse("cases:notice_pdf", args=[notice.pk])).status_code == 200
    board = client_for(world.inspector).get(reverse("alerts:board")).content.decode()
    assert notice.get_absolute_url() in board.split('data-testid="open-notices"')[1]  # discipline staff follow it

    head.post(reverse("risks:check_review", args=[filed.pk]), {"decision": "approve"})
    assert escalate(FILED + datetime.timedelta(days=12)).closed == 1
    notice.refresh_from_db()
    assert notice.closed_at is not None and notice.history.latest().history_change_reason == "督办事项已办结"
    assert notice.get_absolute_url() not in head.get(reverse("todos")).content.decode()


@pytest.mark.django_db
def test_the_policy_sets_the_days(world, filed):
    AlertPolicy.objects.create(institution=world.city, review_days=2, review_notice_days=3)
    escalate(FILED + datetime.timedelta(days=2))
    assert f"late:risks.check_review:{filed.pk}" in occasions(world.depthead)
    assert escalate(FILED + datetime.timedelta(days=3)).notices == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_escalation_runs_at_once_issue_one_notice_for_an_approval_left_waiting(world):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested on PostgreSQL")
    assessment = assess(make_case(world.prosecution, [world.officer]), world.officer)
    assert not twice_at_once(lambda: escalate(FILED + datetime.timedelta(days=10)))
    notice = SupervisionNotice.objects.get()
    assert (notice.kind, notice.record_id, notice.addressed_to) == (
        "cases.assessment_approval",
        assessment.pk,
        world.depthead,
    )


@pytest.mark.django_db
def test_a_rectification_past_its_due_date_is_told_one_level_up_then_noticed(world):
    from alerts import actions as alert_actions
    from alerts.choices import WarningLevel, WarningTarget

    warning = alert_actions.propose_warning(
        level=WarningLevel.GENERAL, target=WarningTarget.OFFICER, institution=world.city, officer=world.officer,
        facts="接受宴请", source="来信", acting_user=world.inspector,
    )  # fmt: skip
    due = FILED + datetime.timedelta(days=7)
    alert_actions.approve_warning(
        warning, actions=[alert_actions.ActionData("reminder_talk", due)], acting_user=world.chief
    )
    action = warning.actions.get()
    assert action.responsible == world.depthead
    escalate(due + datetime.timedelta(days=4))
    assert f"escalated:alerts.rectification:{action.pk}" not in occasions(world.deputy)
    escalate(due + datetime.timedelta(days=5))
    assert f"escalated:alerts.rectification:{action.pk}" in occasions(world.deputy)
    assert escalate(due + datetime.timedelta(days=10)).notices == 1
    notice = SupervisionNotice.objects.get(kind="alerts.rectification")
    assert (notice.addressed_to, notice.copied_to) == (world.depthead, world.deputy)
    alert_actions.record_result(action, result="已谈话", acting_user=world.depthead)
    assert escalate(due + datetime.timedelta(days=11)).closed == 1


@pytest.mark.django_db
def test_a_warning_left_unapproved_is_chased_with_its_approver_and_a_clue_left_unassigned_with_its_discipline_officer(
    world,
):
    from alerts import actions as alert_actions
    from alerts import clues
    from alerts.choices import ClueKind, WarningLevel, WarningTarget

    warning = alert_actions.propose_warning(
        level=WarningLevel.GENERAL, target=WarningTarget.OFFICER, institution=world.city, officer=world.officer,
        facts="接受宴请", source="来信", acting_user=world.inspector,
    )  # fmt: skip
    clue = clues.register_clue(
        institution=world.dh, kind=ClueKind.PETITION, source="来信", subject=world.dh_officer,
        content="反映其接受请托", received_on=FILED, acting_user=world.dh_inspector,
    )  # fmt: skip
    escalate(FILED + datetime.timedelta(days=5))
    assert f"late:alerts.warning_approval:{warning.pk}" in occasions(world.chief)
    assert f"escalated:alerts.warning_approval:{warning.pk}" in occasions(world.inspector)  # the chief's reviewer
    assert f"late:alerts.clue_assignment:{clue.pk}" in occasions(world.dh_inspector)
    escalate(FILED + datetime.timedelta(days=10))
    notice = SupervisionNotice.objects.get(kind="alerts.warning_approval")
    assert (notice.record_id, notice.addressed_to, notice.copied_to) == (warning.pk, world.chief, world.inspector)


@pytest.mark.django_db
def test_a_warning_nobody_may_approve_is_refused_and_one_with_an_approver_waits_on_them(world, client_for):
    """A warning about the top body's principal leader is approved by its discipline staff, never by its proposer:
    with one discipline officer there is nobody, and a warning that would wait for ever is refused with nothing
    written. Once the administrator names a second, it waits on that one."""
    from alerts import actions as alert_actions
    from alerts.choices import WarningLevel, WarningTarget
    from alerts.models import IntegrityWarning
    from integrity import actions as org
    from integrity.choices import Role
    from tests.factories import OfficerFactory

    about_the_chief = dict(
        level=WarningLevel.GENERAL, target=WarningTarget.OFFICER, institution=world.city, officer=world.chief,
        facts="接受宴请", source="来信", acting_user=world.inspector,
    )  # fmt: skip
    with translation.override("en"), pytest.raises(ValidationError, match="Nobody could approve this warning"):
        alert_actions.propose_warning(**about_the_chief)
    assert not IntegrityWarning.objects.exists()

    second = OfficerFactory(department=world.office)
    org.grant_role(second, Role.DISCIPLINE, world.city, acting_user=world.admin)
    warning = alert_actions.propose_warning(**about_the_chief)
    assert warning.pk in {w.pk for w in approvable_warnings(second)}
    assert client_for(second).get("/todo/").content.decode().count(warning.get_absolute_url()) >= 1


@pytest.mark.django_db
def test_only_what_is_late_is_described_and_a_second_run_writes_nothing(world, filed, monkeypatch):
    from integrity import obligations

    described = []

    def waiting_items():
        for record_id, since in ((1, FILED - datetime.timedelta(days=6)), (2, FILED)):
            yield obligations.Waiting(
                "tests.late", record_id, world.depthead.pk, world.officer.pk, world.city.pk, since,
                lambda record_id=record_id: described.append(record_id) or obligations.Obligation("核查", "/"),
            )  # fmt: skip

    kind = obligations.ObligationKind("tests.late", "核查", lambda actor: MonthlyCheck.objects.none(), str)
    monkeypatch.setitem(obligations._registry, kind.code, replace(kind, waiting_items=waiting_items))
    first = escalate(FILED)
    assert described == [1]  # the item waiting since today is never described
    assert first.told == len(occasions(world.depthead) | occasions(world.deputy)) == 2
    with CaptureQueriesContext(connection) as queries:
        assert escalate(FILED).told == 0
    sql = [q["sql"] for q in queries.captured_queries]
    assert not [s for s in sql if s.startswith('INSERT INTO "alerts_notification"')]
    assert not [s for s in sql if "COUNT(*)" in s and 'FROM "alerts_notification"' in s]  # never counted whole


@pytest.mark.django_db
def test_notifications_offered_twice_in_one_batch_are_written_and_counted_once(world):
    notes = [Notification(recipient=world.officer, occasion="tests:once", text="一") for _ in range(2)]
    assert Notification.objects.add_once(notes) == 1
    assert Notification.objects.add_once([Notification(recipient=world.officer, occasion="tests:once")]) == 0
    assert occasions(world.officer) == {"tests:once"}


@pytest.mark.django_db
def test_notifications_are_looked_up_within_what_the_database_takes_in_one_query(world, monkeypatch):
    monkeypatch.setattr(connection.features, "max_query_params", 10)  # five notes a batch
    notes = [Notification(recipient=world.officer, occasion=f"tests:{n}", text="一") for n in range(12)]
    with CaptureQueriesContext(connection) as queries:
        assert Notification.objects.add_once(notes) == 12
    lookups = [q["sql"] for q in queries.captured_queries if q["sql"].startswith('SELECT "alerts_notification"')]
    assert len(lookups) == 3
    assert Notification.objects.add_once(notes) == 0 and len(occasions(world.officer)) == 12
