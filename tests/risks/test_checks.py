"""Monthly self-checks: the job that opens them, filing once, amendments, review, and who may see them."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from risks import personal
from risks.choices import ReviewStatus
from risks.models import CheckAnswer, MonthlyCheck, PersonalRiskTable
from risks.tasks import open_monthly_checks_task
from tests import clock as suite_clock
from tests.concurrency import twice_at_once
from tests.factories import OfficerFactory
from tests.risks.records import post_risk

# The dates below are November 2026's; the clock stands on the day these tests were written against.
pytestmark = pytest.mark.today("2026-11-20")

NOVEMBER = datetime.date(2026, 11, 1)


@pytest.fixture
def officer_check(world):
    post_risk(world.officer.post, "违规会见律师")
    post_risk(world.officer.post, "泄露案情")
    personal.open_risk_tables()
    personal.open_monthly_checks(NOVEMBER)
    return MonthlyCheck.objects.get(officer=world.officer, period=NOVEMBER)


def answers_for(check, problem_on_first=False):
    items = check.table.items.order_by("order")
    return [
        personal.AnswerData(
            i.pk,
            i.description,
            *((True, "亲友打听案情", "婉拒并登记") if n == 0 and problem_on_first else (False, "", "")),
        )
        for n, i in enumerate(items)
    ]


def formset(check, problem_on_first=False) -> dict:
    items = list(check.table.items.order_by("order"))
    data = {"answers-TOTAL_FORMS": str(len(items)), "answers-INITIAL_FORMS": str(len(items)), "remark": "本月无异常"}
    for n, item in enumerate(items):
        data |= {
            f"answers-{n}-item_id": item.pk,
            f"answers-{n}-risk": item.description,
            f"answers-{n}-problem_found": "0",
        }
    if problem_on_first:
        data["answers-0-problem_found"] = "1"
    return data


@pytest.mark.django_db
def test_the_monthly_job_opens_one_check_per_officer_and_is_idempotent(world):
    with time_machine.travel(datetime.datetime(2026, 11, 30, 16, 30, tzinfo=datetime.UTC)):  # 1 Dec in Shanghai
        first = open_monthly_checks_task()
        second = open_monthly_checks_task()
    officers = type(world.officer).objects.filter(is_active=True, post__isnull=False).count()
    assert first == officers and second == 0
    checks = MonthlyCheck.objects.filter(period=datetime.date(2026, 12, 1))
    assert checks.count() == officers
    assert {c.due_on for c in checks} == {datetime.date(2026, 12, 31)}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_monthly_jobs_at_once_leave_one_check_per_officer_and_month(world):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested on PostgreSQL")
    for _ in range(30):
        OfficerFactory(department=world.prosecution)
    assert not twice_at_once(lambda: personal.open_monthly_checks(NOVEMBER))
    officers = type(world.officer).objects.filter(is_active=True, post__isnull=False).count()
    assert MonthlyCheck.objects.filter(period=NOVEMBER).count() == officers
    assert MonthlyCheck.objects.filter(period=NOVEMBER).values("officer").distinct().count() == officers


@pytest.mark.django_db
def test_an_officer_files_their_check_once(client_for, world, officer_check):
    client = client_for(world.officer)
    response = client.post(reverse("risks:check_submit", args=[officer_check.pk]), formset(officer_check))
    assert response.status_code == 302
    officer_check.refresh_from_db()
    assert officer_check.is_filed and officer_check.remark == "本月无异常"
    assert officer_check.answers.count() == 2
    filed_at = officer_check.submitted_at

    again = formset(officer_check, problem_on_first=True) | {"answers-0-problem": "改", "answers-0-action_taken": "改"}
    client.post(reverse("risks:check_submit", args=[officer_check.pk]), again)
    officer_check.refresh_from_db()
    assert officer_check.submitted_at == filed_at and officer_check.remark == "本月无异常"
    assert officer_check.answers.count() == 2 and not officer_check.answers.filter(problem_found=True).exists()
    with pytest.raises(ValidationError):
        personal.submit_monthly_check(officer_check, answers_for(officer_check), acting_user=world.officer)


@pytest.mark.django_db
@pytest.mark.parametrize("day", ["2026-11-20", "2026-11-30 23:50", "2026-12-01", "2026-12-15"])  # due, overdue
def test_a_problem_needs_what_was_found_and_done(client_for, world, officer_check, clock, day):
    """The form comes back with its messages, whether the check is due or overdue, and nothing is written."""
    clock.move_to(suite_clock.parse(day))
    response = client_for(world.officer).post(
        reverse("risks:check_submit", args=[officer_check.pk]), formset(officer_check, problem_on_first=True)
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="check-form"' in page and "请写明发现的问题" in page and "请写明整改措施" in page
    officer_check.refresh_from_db()
    assert not officer_check.is_filed and not CheckAnswer.objects.exists()


@pytest.mark.django_db
def test_a_correction_is_an_amendment_and_the_original_stays(client_for, world, officer_check):
    personal.submit_monthly_check(officer_check, answers_for(officer_check), acting_user=world.officer)
    client = client_for(world.officer)
    client.post(
        reverse("risks:check_amend", args=[officer_check.pk]), {"text": "补充：11月5日有律师来电询问案情，已登记"}
    )
    assert officer_check.amendments.get().text.startswith("补充")
    assert not officer_check.answers.filter(problem_found=True).exists()
    page = client.get(officer_check.get_absolute_url()).content.decode()
    assert ("补充" in page and "没有问题" in page) or "No problem" in page


@pytest.mark.django_db
def test_the_department_head_reviews_filed_checks_of_members_only(client_for, world, officer_check):
    personal.submit_monthly_check(officer_check, answers_for(officer_check), acting_user=world.officer)
    queue = client_for(world.depthead).get(reverse("risks:review_queue")).content.decode()
    assert world.officer.full_name in queue.split('data-testid="checks-awaiting-review"')[1].split("</section>")[0]
    assert (
        client_for(world.deputy)
        .post(reverse("risks:check_review", args=[officer_check.pk]), {"decision": "approve"})
        .status_code
        == 404
    )
    client_for(world.depthead).post(reverse("risks:check_review", args=[officer_check.pk]), {"decision": "approve"})
    officer_check.refresh_from_db()
    assert officer_check.review_status == ReviewStatus.APPROVED and officer_check.reviewed_by == world.depthead
    own = MonthlyCheck.objects.get(officer=world.depthead, period=NOVEMBER)
    with pytest.raises(Exception):  # noqa: B017 — heads do not review their own check
        personal.review_monthly_check(own, approve=True, acting_user=world.depthead)


@pytest.mark.django_db
def test_an_officer_cannot_open_another_officers_check_or_table(client_for, world, officer_check):
    colleague_check = MonthlyCheck.objects.get(officer=world.colleague, period=NOVEMBER)
    colleague_table = PersonalRiskTable.objects.get(officer=world.colleague)
    client = client_for(world.officer)
    assert client.get(colleague_check.get_absolute_url()).status_code == 404
    assert client.get(colleague_table.get_absolute_url()).status_code == 404
    assert (
        client.post(reverse("risks:check_submit", args=[colleague_check.pk]), formset(colleague_check)).status_code
        == 404
    )
    assert client.get(officer_check.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_the_check_page_shows_status_and_days_left(client_for, world, officer_check):
    with time_machine.travel(datetime.datetime(2026, 11, 26, 2, 0, tzinfo=datetime.UTC)):
        page = client_for(world.officer).get(officer_check.get_absolute_url()).content.decode()
    assert 'data-status="due_soon"' in page and 'data-testid="days-left"' in page
    assert "还剩 4 天" in page.split('data-testid="days-left"')[1][:30]  # due 30 Nov, today the 26th


@pytest.mark.django_db
def test_the_check_list_costs_the_same_queries_for_few_and_many_rows(client_for, world, django_assert_num_queries):
    personal.open_risk_tables()
    client = client_for(world.inspector)
    for months in (1, 4):
        for m in range(months):
            personal.open_monthly_checks(datetime.date(2026, 11 - m, 1))
        # session, user, scope, the page (no count), the policies of its institutions, the body and department
        # choices (and the bell's unread count)
        with django_assert_num_queries(8):
            assert client.get(reverse("risks:check_list")).status_code == 200


@pytest.mark.django_db
def test_completion_per_department_and_month(client_for, world, officer_check):
    personal.submit_monthly_check(officer_check, answers_for(officer_check), acting_user=world.officer)
    with time_machine.travel(datetime.datetime(2026, 11, 20, 2, 0, tzinfo=datetime.UTC)):
        page = client_for(world.inspector).get(reverse("risks:completion")).content.decode()
    row = page.split("公诉处")[1].split("</tr>")[0]
    assert "1/3" in row  # officer, colleague and the head: one filed
    assert client_for(world.officer).get(reverse("risks:completion")).status_code == 404


@pytest.mark.django_db
def test_a_refused_correction_says_why_and_writes_nothing(client_for, world, officer_check):
    personal.submit_monthly_check(officer_check, answers_for(officer_check), acting_user=world.officer)
    client = client_for(world.officer)
    page = client.post(reverse("risks:check_amend", args=[officer_check.pk]), {"text": ""}, follow=True)
    assert page.status_code == 200 and "这个字段是必填项" in page.content.decode()
    assert not officer_check.amendments.exists()


def test_the_check_list_export_gives_every_row_its_status_beyond_the_first_page(client_for, world):
    """The page reads the policies of the bodies it shows; an export shows every row, of every body."""
    from tests.factories import OfficerFactory

    personal.open_risk_tables()
    personal.open_monthly_checks(datetime.date(2026, 10, 1))
    for n in range(30):
        OfficerFactory(username=f"extra{n}", department=world.prosecution)
    personal.open_risk_tables()
    personal.open_monthly_checks(datetime.date(2026, 11, 1))
    # The district's November checks are not there: its October ones come after a first page of city rows.
    MonthlyCheck.objects.filter(officer__institution=world.dh, period=datetime.date(2026, 11, 1)).delete()
    response = client_for(world.inspector).get(reverse("risks:check_list"), {"_export": "csv"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content if response.streaming else [response.content]).decode("utf-8-sig")
    assert world.dh_officer.full_name in text
