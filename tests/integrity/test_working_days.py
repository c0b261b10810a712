"""The working-day calendar: the State Council's arrangement seeded from the ``holidays`` package, an institution's
own days for itself and the bodies below it, deadlines counted in working days where a policy says so, and the
holiday reminders read from the same calendar."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from alerts.models import Notification
from alerts.reminders import send_reminders
from archives.models import ArchivePolicy, TalkDue
from cases.actions import create_case
from cases.models import CasePolicy, Declaration
from integrity import actions
from integrity.choices import DayCount, DayKind, Departure, Role
from integrity.models import CalendarDay
from integrity.queries import day_counter, working_calendars
from integrity.workdays import CALENDAR_DAYS, DayCounter, WorkingCalendar, official_days
from tests.factories import OfficerFactory

pytestmark = pytest.mark.today("2026-09-25")

D = datetime.date


def official(*years: int) -> WorkingCalendar:
    days = official_days(years)
    return WorkingCalendar(kinds={d: k for d, k, _n in days}, names={d: n for d, _k, n in days if n})


def test_five_working_days_across_national_day_land_on_the_make_up_saturday():
    # 2026: 1–7 October off, Sunday 20 September and Saturday 10 October worked (国办发明电〔2025〕7号).
    working = DayCounter(DayCount.WORKING, official(2026))
    # Monday 28 September: Tue 29 (1), Wed 30 (2), 1–7 October off, Thu 8 (3), Fri 9 (4), Sat 10 (5).
    assert working.after(D(2026, 9, 28), 5) == D(2026, 10, 10)
    assert working.after(D(2026, 9, 28), 6) == D(2026, 10, 12)  # Sunday 11th is off again
    # Friday 18 September: the make-up Sunday counts, the weekend before it does not.
    assert working.after(D(2026, 9, 18), 1) == D(2026, 9, 20)
    assert CALENDAR_DAYS.after(D(2026, 9, 28), 5) == D(2026, 10, 3)
    assert working.after(D(2026, 9, 28), 0) == D(2026, 9, 28)


def test_with_no_arrangement_the_week_alone_decides():
    working = DayCounter(DayCount.WORKING, WorkingCalendar())
    assert working.after(D(2030, 1, 4), 1) == D(2030, 1, 7)  # Friday → Monday
    assert working.after(D(2030, 1, 7), 10) == D(2030, 1, 21)


def test_a_holiday_break_is_named_by_its_festival_and_starts_with_its_first_day_off():
    calendar = official(2026, 2027)
    # Spring Festival 2026: Saturday 14 February is worked, the break starts on Sunday 15th, before 除夕.
    assert calendar.breaks(D(2026, 2, 10), D(2026, 2, 28)) == [(D(2026, 2, 15), "春节")]
    # National Day 2026: 1 October, a Thursday; a window starting inside the break finds nothing new.
    assert calendar.breaks(D(2026, 9, 28), D(2026, 10, 3)) == [(D(2026, 10, 1), "国庆节")]
    assert calendar.breaks(D(2026, 10, 2), D(2026, 10, 9)) == []
    assert calendar.breaks(D(2027, 2, 1), D(2027, 2, 10)) == [(D(2027, 2, 5), "春节")]
    # An ordinary weekend is no holiday.
    assert calendar.breaks(D(2026, 11, 1), D(2026, 11, 30)) == []


@pytest.mark.django_db
def test_everyones_calendar_is_seeded_and_the_command_adds_a_year_leaving_corrections_alone():
    national = CalendarDay.objects.filter(institution=None)
    assert national.get(day=D(2026, 10, 10)).kind == DayKind.WORKDAY
    assert national.get(day=D(2026, 10, 7)).kind == DayKind.REST
    assert national.get(day=D(2026, 10, 1)).name == "国庆节"
    # The administrator corrects a day, then the command runs again: the correction stays, nothing doubles.
    national.filter(day=D(2027, 10, 5)).update(name="国庆节（调整）")
    national.filter(day__year=2028).delete()
    out = io.StringIO()
    call_command("seed_calendar", "2027", "2028", stdout=out)
    assert national.get(day=D(2027, 10, 5)).name == "国庆节（调整）"
    assert national.filter(day__year=2028).exists()
    assert out.getvalue().startswith(f"{national.filter(day__year=2028).count()} days added")
    call_command("seed_calendar", "2027", "2028", stdout=(again := io.StringIO()))
    assert again.getvalue().startswith("0 days added")


@pytest.mark.django_db
def test_an_institutions_own_days_reach_the_bodies_below_it_and_override_everyones(world):
    CalendarDay.objects.create(day=D(2026, 10, 9), kind=DayKind.HOLIDAY, name="建院纪念日", institution=world.city)
    CalendarDay.objects.create(day=D(2026, 10, 10), kind=DayKind.REST, institution=world.dh)
    calendars = working_calendars([world.city, world.dh, world.xs])
    assert not calendars[world.city.pk].is_working_day(D(2026, 10, 9))
    assert not calendars[world.xs.pk].is_working_day(D(2026, 10, 9))  # inherited from the city
    assert calendars[world.xs.pk].is_working_day(D(2026, 10, 10))  # everyone's make-up Saturday
    assert not calendars[world.dh.pk].is_working_day(D(2026, 10, 10))  # the district's own day off
    assert day_counter(world.dh, DayCount.WORKING).after(D(2026, 9, 28), 4) == D(2026, 10, 12)
    assert day_counter(world.city, DayCount.CALENDAR) is CALENDAR_DAYS


@pytest.mark.django_db
def test_a_case_policy_in_working_days_sets_the_declaration_due_date(world, django_assert_max_num_queries):
    CasePolicy.objects.create(institution=world.city, declaration_days=5, days_counted=DayCount.WORKING)
    case = create_case(
        department=world.prosecution, number="（2026）江检刑诉字第9号", title="张三盗窃案", case_type="刑事",
        received_on=D(2026, 9, 28), handlers=[world.officer], acting_user=world.depthead,
    )  # fmt: skip
    assert Declaration.objects.get(case=case, officer=world.officer).due_on == D(2026, 10, 10)
    other = create_case(
        department=world.investigation, number="（2026）江检刑诉字第10号", title="李四诈骗案", case_type="刑事",
        received_on=D(2026, 9, 28), handlers=[world.colleague], acting_user=world.depthead,
    )  # fmt: skip
    CasePolicy.objects.filter(institution=world.city).update(days_counted=DayCount.CALENDAR)
    assert Declaration.objects.get(case=other).due_on == D(2026, 10, 10)  # written when it was assigned
    third = create_case(
        department=world.investigation, number="（2026）江检刑诉字第11号", title="王五受贿案", case_type="刑事",
        received_on=D(2026, 9, 28), handlers=[world.colleague], acting_user=world.depthead,
    )  # fmt: skip
    assert Declaration.objects.get(case=third).due_on == D(2026, 10, 3)


@pytest.mark.django_db
def test_a_departure_talk_in_working_days(world):
    ArchivePolicy.objects.create(institution=world.city, talk_days=5, days_counted=DayCount.WORKING)
    actions.record_departure(
        world.colleague, left_on=D(2026, 9, 25), departure=Departure.TRANSFER_OUT, acting_user=world.admin
    )
    # Friday 25 September: Mon 28 (1), Tue 29 (2), Wed 30 (3), 1–7 October off, Thu 8 (4), Fri 9 (5).
    assert TalkDue.objects.get(officer=world.colleague).due_on == D(2026, 10, 9)


@pytest.mark.django_db
def test_everyone_is_reminded_once_before_their_calendars_holiday_break(world):
    def reminded(day: datetime.date) -> set[str]:
        return set(Notification.objects.filter(occasion=f"holiday:{day}").values_list("recipient__username", flat=True))

    send_reminders(D(2026, 9, 27))  # the break starts Thursday 1 October: too early
    assert not reminded(D(2026, 10, 1))
    send_reminders(D(2026, 9, 28))
    send_reminders(D(2026, 9, 29))
    everyone = set(type(world.officer).objects.filter(is_active=True).values_list("username", flat=True))
    assert reminded(D(2026, 10, 1)) == everyone
    assert Notification.objects.filter(occasion="holiday:2026-10-01").count() == len(everyone)
    assert "国庆节" in Notification.objects.filter(occasion="holiday:2026-10-01").first().text

    # A local holiday of the district of 东湖 (and of nobody else) on Monday 19 October.
    CalendarDay.objects.create(day=D(2026, 10, 19), kind=DayKind.HOLIDAY, name="建区纪念日", institution=world.dh)
    send_reminders(D(2026, 10, 15))
    assert reminded(D(2026, 10, 17)) == {"dh_officer", "dh_head", "dh_inspector"}  # from the weekend before


@pytest.mark.django_db
def test_only_the_top_bodys_administrator_keeps_everyones_calendar(world, client_for):
    district_admin = OfficerFactory(username="dh_admin", department=world.dh_officer.department)
    actions.grant_role(district_admin, Role.ADMINISTRATOR, world.dh, acting_user=None)
    add = reverse("admin:integrity_calendarday_add")
    day = {"day": "2026-12-31", "kind": DayKind.REST, "name": "", "institution": ""}

    response = client_for(district_admin).post(add, day)
    assert response.status_code == 200 and not CalendarDay.objects.filter(day=D(2026, 12, 31)).exists()
    assert "institution" in response.context["adminform"].form.errors
    response = client_for(district_admin).post(add, {**day, "institution": world.dh.pk})
    assert response.status_code == 302
    own = CalendarDay.objects.get(day=D(2026, 12, 31))
    assert own.institution == world.dh and own.history.get().history_user == district_admin
    national = CalendarDay.objects.get(day=D(2026, 10, 1), institution=None)
    change = reverse("admin:integrity_calendarday_change", args=[national.pk])
    assert client_for(district_admin).post(change, {**day, "day": "2026-10-01"}).status_code == 403

    response = client_for(world.admin).post(add, {**day, "day": "2026-12-30"})
    assert response.status_code == 302
    assert CalendarDay.objects.get(day=D(2026, 12, 30)).institution is None


@pytest.mark.django_db
def test_from_december_the_top_bodys_administrator_owes_next_years_calendar_until_confirmed(world, clock, client_for):
    from integrity import obligations

    def owed(officer) -> list:
        return [
            item
            for kind, items, _n in obligations.to_dos(officer)
            for item in items
            if kind.code == "integrity.calendar_year"
        ]

    assert not owed(world.admin)  # September: nothing yet
    clock.move_to(datetime.datetime(2026, 12, 1, 9, tzinfo=datetime.UTC))
    [item] = owed(world.admin)
    assert item.due_on == D(2026, 12, 31) and "2027" in item.title and "day__year=2027" in item.url
    district_admin = OfficerFactory(username="dh_admin2", department=world.dh_officer.department)
    actions.grant_role(district_admin, Role.ADMINISTRATOR, world.dh, acting_user=None)
    assert not owed(district_admin) and not owed(world.inspector)
    add = reverse("admin:integrity_calendaryear_add")
    assert client_for(district_admin).post(add, {"year": 2027}).status_code == 403
    assert client_for(world.admin).post(add, {"year": 2027}).status_code == 302
    assert not owed(world.admin)


@pytest.mark.django_db
def test_in_december_only_administrators_ask_whether_next_years_calendar_is_confirmed(world, clock):
    """The bell counts every kind of obligation for everyone, on every page: the calendar's is read for those who
    could owe it, not for every officer of the province all December."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from integrity import obligations

    clock.move_to(datetime.datetime(2026, 12, 1, 9, tzinfo=datetime.UTC))
    for officer, owes in ((world.officer, False), (world.inspector, False), (world.admin, True)):
        with CaptureQueriesContext(connection) as queries:
            counted = obligations.counts(officer)["integrity.calendar_year"]
        assert counted == (1 if owes else 0)
        assert any("integrity_calendaryear" in q["sql"] for q in queries.captured_queries) == owes, officer
