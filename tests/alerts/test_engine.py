"""The light engine: every reason at its boundary days, the worst wins, events once, the officer's page."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from alerts import actions, clues
from alerts.choices import ClueKind, Outcome, WarningLevel, WarningTarget
from alerts.engine import compute_lights
from alerts.models import Light, LightEvent, Notification
from alerts.reminders import send_reminders
from cases import assessments, declarations
from cases.models import CasePolicy, Declaration
from integrity.choices import Colour
from integrity.ledger import Reason, worst
from risks import personal
from risks.models import MonthlyCheck, RiskPolicy
from tests.cases.records import all_no, assess, make_case
from tests.concurrency import twice_at_once
from tests.risks.records import post_risk

# The boundaries below are November 2026's: its check is due on the 30th. Reminders look at what changed on the day
# they run, so the clock stands on the day the tests compute and remind.
pytestmark = pytest.mark.today("2026-11-26")
NOV = datetime.date(2026, 11, 1)


def light(officer) -> Light:
    return Light.objects.get(officer=officer)


def colour_on(officer, day) -> str:
    compute_lights(as_of=day, officer_ids=[officer.pk])
    return light(officer).colour


@pytest.fixture
def november(world):
    post_risk(world.officer.post)
    personal.open_risk_tables()
    personal.open_monthly_checks(NOV)
    return MonthlyCheck.objects.get(officer=world.officer, period=NOV)


def test_the_worst_reason_wins():
    assert worst([]) == Colour.GREEN
    assert worst([Reason("a", "yellow", "x"), Reason("b", "red", "y"), Reason("c", "yellow", "z")]) == Colour.RED
    assert worst([Reason("a", "yellow", "x")]) == Colour.YELLOW


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "colour"),
    [(datetime.date(2026, 11, 24), "green"), (datetime.date(2026, 11, 25), "yellow"),
     (datetime.date(2026, 11, 30), "yellow"), (datetime.date(2026, 12, 1), "red")],
)  # fmt: skip
def test_the_monthly_check_turns_yellow_five_days_before_and_red_after(world, november, day, colour):
    assert colour_on(world.officer, day) == colour
    if colour != "green":
        reason = light(world.officer).explained()[0]
        assert reason.kind == "monthly_check" and reason.url == november.get_absolute_url()


@pytest.mark.django_db
def test_in_one_run_each_body_warns_as_many_days_before_as_its_policy_says(world):
    """A run reads only the checks due within the longest warning any body gives, and that is each body's own."""
    RiskPolicy.objects.create(institution=world.dh, due_soon_days=10)
    post_risk(world.officer.post)
    post_risk(world.dh_officer.post)
    personal.open_risk_tables()
    personal.open_monthly_checks(NOV)
    compute_lights(as_of=datetime.date(2026, 11, 21))  # nine days before the 30th
    assert light(world.dh_officer).colour == "yellow"
    assert light(world.officer).colour == "green"
    compute_lights(as_of=datetime.date(2026, 11, 25))
    assert light(world.officer).colour == "yellow"


@pytest.mark.django_db
def test_reasons_are_stored_as_messages_and_read_in_the_readers_language(world, november, client_for):
    """A run under English stores no English: the reason is its message and parameters, translated when shown."""
    with translation.override("en"):
        colour_on(world.officer, datetime.date(2026, 12, 1))
    stored = light(world.officer).reasons[0]
    assert stored["message"] == "check_overdue" and stored["params"] == {"month": "2026-11", "due": "2026-11-30"}
    event = LightEvent.objects.get(officer=world.officer)
    with translation.override("zh-hans"):
        assert light(world.officer).explained()[0].text == "2026-11 每月排查已逾期（截止 2026-11-30）。"
        assert event.why == "2026-11 每月排查已逾期（截止 2026-11-30）。"
    with translation.override("en"):
        assert event.why == "The monthly check for 2026-11 is overdue (due 2026-11-30)."
    # A second run under another language finds nothing changed.
    with translation.override("zh-hans"):
        assert compute_lights(as_of=datetime.date(2026, 12, 1), officer_ids=[world.officer.pk]).changed == 0
    page = client_for(world.officer).get(reverse("home"))
    assert "2026-11 每月排查已逾期（截止 2026-11-30）。" in page.content.decode()


@pytest.mark.django_db
def test_filing_turns_the_light_green_at_once(world, november, django_capture_on_commit_callbacks):
    assert (
        colour_on(world.officer, datetime.date.today().replace(day=28) if False else datetime.date(2026, 11, 27))
        == "yellow"
    )
    answers = [personal.AnswerData(i.pk, i.description) for i in november.table.items.all()]
    with django_capture_on_commit_callbacks(execute=True):
        personal.submit_monthly_check(november, answers, acting_user=world.officer)
    assert light(world.officer).colour == "green"
    assert LightEvent.objects.filter(officer=world.officer).latest("version").to_colour == "green"


@pytest.mark.django_db
def test_missing_declarations_are_yellow_then_red_past_the_policy_days(world):
    case = make_case(world.prosecution, [world.officer], received_on=datetime.date(2026, 11, 2))
    due = Declaration.objects.get(case=case).due_on  # 7 days after assignment
    assert colour_on(world.officer, due) == "yellow"
    assert colour_on(world.officer, due + datetime.timedelta(days=7)) == "yellow"
    assert colour_on(world.officer, due + datetime.timedelta(days=8)) == "red"
    assert colour_on(world.officer, datetime.date(2026, 11, 1)) == "green"  # before the case existed


@pytest.mark.django_db
def test_when_missing_declarations_turn_red_is_the_body_s_case_policy(world):
    CasePolicy.objects.create(institution=world.city, declaration_red_days=2)
    case = make_case(world.prosecution, [world.officer], received_on=datetime.date(2026, 11, 2))
    due = Declaration.objects.get(case=case).due_on
    assert colour_on(world.officer, due + datetime.timedelta(days=2)) == "yellow"
    assert colour_on(world.officer, due + datetime.timedelta(days=3)) == "red"


@pytest.mark.django_db
def test_a_yes_awaiting_review_and_an_overdue_assessment_are_yellow(world):
    from cases.models import DeclarationQuestion

    case = make_case(world.prosecution, [world.officer])
    declaration = Declaration.objects.get(case=case)
    meals = DeclarationQuestion.objects.get(code="meals")
    answers = [
        declarations.AnswerData(a.question, a.question == meals, "同学聚会" if a.question == meals else "")
        for a in all_no(declaration)
    ]
    declarations.submit_declaration(declaration, answers, acting_user=world.officer)
    today = datetime.date.today()
    compute_lights(as_of=today, officer_ids=[world.officer.pk])
    assert [r["kind"] for r in light(world.officer).reasons] == ["declaration_review"]
    declarations.review_declaration(declaration, acting_user=world.depthead)
    assessment = assess(case, world.officer)
    assessments.decide_assessment(assessment, approve=True, acting_user=world.depthead)
    assessment.refresh_from_db()
    assert colour_on(world.officer, assessment.deadline) == "green"
    assert colour_on(world.officer, assessment.deadline + datetime.timedelta(days=1)) == "yellow"


@pytest.mark.django_db
def test_warnings_clues_and_violations(world):
    today = datetime.date.today()
    warning = actions.propose_warning(
        level=WarningLevel.GENERAL, target=WarningTarget.OFFICER, institution=world.city, officer=world.officer,
        facts="接受宴请", source="来信", acting_user=world.inspector,
    )  # fmt: skip
    assert colour_on(world.officer, today) == "green"  # proposed is not yet a warning
    actions.approve_warning(warning, actions=[actions.ActionData("reminder_talk", today)], acting_user=world.chief)
    assert colour_on(world.officer, today) == "yellow"
    raised = actions.raise_warning(warning, reason="整改不力", acting_user=world.inspector)
    actions.approve_warning(raised, actions=[actions.ActionData("admonishment_talk", today)], acting_user=world.chief)
    assert colour_on(world.officer, today) == "red"
    actions.record_result(raised.actions.get(), result="已诫勉谈话", acting_user=world.deputy)
    assert colour_on(world.officer, today) == "green"

    clue = clues.register_clue(
        institution=world.city, kind=ClueKind.PETITION, source="来信", subject=world.officer, content="反映收礼",
        received_on=today, acting_user=world.inspector,
    )  # fmt: skip
    clues.assign_verifier(clue, world.inspector, acting_user=world.inspector)
    assert colour_on(world.officer, today) == "yellow"
    assert "反映收礼" not in str(light(world.officer).reasons)  # the officer is told, not what was said
    clues.conclude_clue(clue, outcome=Outcome.TRUE, violation="收受礼品", acting_user=world.inspector)
    assert colour_on(world.officer, today) == "red"
    assert colour_on(world.officer, today + datetime.timedelta(days=365)) == "red"
    assert colour_on(world.officer, today + datetime.timedelta(days=366)) == "green"


@pytest.mark.django_db
def test_the_same_run_twice_records_no_event_twice(world, november):
    day = datetime.date(2026, 11, 26)
    first = compute_lights(as_of=day)
    second = compute_lights(as_of=day)
    assert first.events >= 1 and second.events == 0 and second.changed == 0
    assert LightEvent.objects.filter(officer=world.officer).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_record_each_change_once_and_remind_once(world, november):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested on PostgreSQL")
    day = datetime.date(2026, 11, 26)
    assert not twice_at_once(lambda: compute_lights(as_of=day))
    assert not twice_at_once(lambda: send_reminders(day))
    assert LightEvent.objects.filter(officer=world.officer).count() == 1
    assert Notification.objects.filter(recipient=world.officer).count() == 1
    # Each change is counted by the run that recorded it: when the check turns red, the two runs' counts add up to
    # what was recorded.
    runs, before = [], LightEvent.objects.count()
    assert not twice_at_once(lambda: runs.append(compute_lights(as_of=datetime.date(2026, 12, 1))))
    assert sum(run.events for run in runs) == LightEvent.objects.count() - before >= 1


@pytest.mark.django_db
def test_the_command_takes_an_as_of_day(world, november, capsys):
    call_command("compute_lights", "--as-of", "2026-12-01")
    assert light(world.officer).colour == "red"
    assert "officers" in capsys.readouterr().out


@pytest.mark.django_db
def test_the_officer_home_shows_the_light_and_every_reason_with_its_link(client_for, world, november):
    compute_lights(as_of=datetime.date(2026, 11, 27), officer_ids=[world.officer.pk])
    page = client_for(world.officer).get(reverse("home")).content.decode()
    assert 'data-light="yellow" data-testid="light"' in page
    assert f'href="{november.get_absolute_url()}"' in page.split('data-testid="reasons"')[1]


@pytest.mark.django_db
def test_a_change_of_colour_is_told_once_by_the_run_that_records_it(world, november):
    day = datetime.date(2026, 11, 26)
    compute_lights(as_of=day)
    compute_lights(as_of=day)
    assert list(Notification.objects.filter(recipient=world.officer).values_list("occasion", flat=True)) == ["light:1"]
    assert send_reminders(day) == 0
    assert Notification.objects.filter(recipient=world.officer).count() == 1


@pytest.mark.django_db
def test_nothing_is_lost_when_the_reminder_job_does_not_run_for_days(world, november, clock):
    """The message is written with the change (the outbox), not found later by looking back over a day."""
    world.officer.email = "liming@example.gov.cn"
    world.officer.save(update_fields=["email"])
    compute_lights(as_of=datetime.date(2026, 11, 26))
    clock.move_to(datetime.datetime(2026, 11, 29, 10, tzinfo=datetime.UTC))
    send_reminders(datetime.date(2026, 11, 29))
    told = Notification.objects.get(recipient=world.officer, occasion="light:1")
    assert told.emailed_at is not None and "2026-11" in told.text


@pytest.mark.django_db
def test_a_replayed_day_records_its_changes_but_tells_nobody(world, november):
    compute_lights(as_of=datetime.date(2026, 11, 25))
    assert LightEvent.objects.filter(officer=world.officer).exists()
    assert not Notification.objects.filter(recipient=world.officer).exists()


@pytest.mark.django_db
def test_a_member_turning_red_notifies_the_department_head(world, november, clock):
    clock.move_to(datetime.datetime(2026, 12, 1, 10, tzinfo=datetime.UTC))
    compute_lights(as_of=datetime.date(2026, 12, 1))
    assert Notification.objects.filter(recipient=world.depthead, occasion__startswith="member-red").exists()


@pytest.mark.django_db
def test_a_rectification_action_is_reminded_before_its_due_date_and_chased_after(world):
    warning = actions.propose_warning(
        level=WarningLevel.GENERAL, target=WarningTarget.OFFICER, institution=world.city, officer=world.officer,
        facts="接受宴请", source="来信", acting_user=world.inspector,
    )  # fmt: skip
    due = datetime.date(2026, 12, 10)
    actions.approve_warning(warning, actions=[actions.ActionData("reminder_talk", due)], acting_user=world.chief)
    occasions = lambda: sorted(Notification.objects.filter(recipient=world.depthead).values_list("occasion", flat=True))  # noqa: E731
    send_reminders(due - datetime.timedelta(days=4))
    assert occasions() == []
    send_reminders(due - datetime.timedelta(days=3))
    send_reminders(due - datetime.timedelta(days=1))
    assert len(occasions()) == 1
    send_reminders(due + datetime.timedelta(days=1))
    assert len(occasions()) == 2


@pytest.mark.annual_report_missing
@pytest.mark.django_db
def test_the_annual_personal_matters_report_is_yellow_from_february_until_filed(world):
    from archives import actions as archive_actions
    from archives.choices import MatterKind

    assert colour_on(world.officer, datetime.date(2026, 1, 31)) == "green"
    assert colour_on(world.officer, datetime.date(2026, 2, 1)) == "yellow"
    assert light(world.officer).explained()[0].url == reverse("archives:matters")
    archive_actions.report_matter(
        world.officer, kind=MatterKind.ANNUAL, changed_on=datetime.date(2025, 12, 31), details="无变化",
        acting_user=world.officer,
    )  # fmt: skip
    assert colour_on(world.officer, datetime.date.today()) in ("green", "yellow")
    assert colour_on(world.officer, datetime.date(2026, 2, 1)) == "yellow"  # filed after that day


@pytest.mark.django_db
def test_a_light_keeps_its_since_while_its_colour_stays_and_takes_a_new_one_when_it_changes(world, november):
    assert colour_on(world.officer, datetime.date(2026, 11, 25)) == "yellow"
    first = light(world.officer)
    Light.objects.filter(pk=first.pk).update(digest="stale")  # its reasons changed, its colour did not

    assert colour_on(world.officer, datetime.date(2026, 11, 26)) == "yellow"
    kept = light(world.officer)
    assert (kept.digest, kept.since, kept.version) == (first.digest, first.since, first.version)

    assert colour_on(world.officer, datetime.date(2026, 12, 1)) == "red"
    turned = light(world.officer)
    assert turned.since > first.since and turned.version == first.version + 1


def test_a_whole_run_reads_with_the_cycle_collector_paused_and_turns_it_on_again_even_when_it_fails(
    world, november, monkeypatch
):
    import gc

    from integrity import ledger

    seen = []

    def source(owed):
        seen.append(gc.isenabled())
        return iter(())

    monkeypatch.setitem(ledger._sources, "zz.probe", source)
    compute_lights()
    compute_lights(officer_ids=[world.officer.pk])  # one officer's refresh reads little: nothing to pause for
    assert seen == [False, True] and gc.isenabled()

    def failing(owed):
        raise RuntimeError("a source failed")

    monkeypatch.setitem(ledger._sources, "zz.probe", failing)
    with pytest.raises(RuntimeError):
        compute_lights()
    assert gc.isenabled()


@pytest.mark.django_db
def test_a_whole_run_reads_the_officers_once_and_keeps_only_the_reasons_of_those_it_counts(world, november):
    from alerts.models import Violation
    from integrity.models import Officer

    # An officer who left with a check not filed and a violation on record (their reviewer's work, not their light).
    Violation.objects.create(
        officer=world.officer, description="收受礼品", confirmed_on=datetime.date(2026, 11, 20),
        recorded_by=world.inspector,
    )  # fmt: skip
    Officer.objects.filter(pk=world.officer.pk).update(is_active=False)
    with CaptureQueriesContext(connection) as queries:
        compute_lights(as_of=datetime.date(2026, 11, 26))
    # The sources read every officer's rows rather than each joining the officers counted (30,000 in a province).
    reading_officers = [q["sql"] for q in queries.captured_queries if '"integrity_officer"' in q["sql"]]
    assert len(reading_officers) == 1 and '"alerts_light"' in reading_officers[0]
    assert not Light.objects.filter(officer=world.officer).exists()
    assert Light.objects.filter(officer=world.other_officer).exists()


@pytest.mark.django_db
def test_a_whole_run_writes_the_day_s_snapshot_of_the_colours_it_gave(world, november):
    from django.db.models import Count

    from alerts.models import LightSnapshot
    from integrity.models import Officer

    day = datetime.date(2026, 11, 26)
    compute_lights(as_of=day)
    Officer.objects.filter(pk=world.other_officer.pk).update(is_active=False)  # left: no longer counted
    compute_lights(as_of=day)
    counted = Light.objects.filter(officer__is_active=True).values_list("officer__institution_id", "colour")
    expected: dict = {}
    for institution_id, colour, n in counted.annotate(n=Count("id")).order_by():
        expected.setdefault(institution_id, {"green": 0, "yellow": 0, "red": 0})[colour] = n
    snapshots = {s.institution_id: {"green": s.green, "yellow": s.yellow, "red": s.red} for s in
                 LightSnapshot.objects.filter(day=day)}  # fmt: skip
    assert snapshots == expected
    assert snapshots[world.city.pk]["yellow"] >= 1  # the officer whose check is due in four days


def test_equal_reasons_give_one_digest_however_their_values_were_made():
    from alerts.engine import _digest

    def reasons(params, colour):
        return [Reason("monthly_check", colour, "check_due", params, ("risks:check_detail", 7)),
                Reason("matters", Colour.YELLOW, "matters", params, ("archives:matters",))]  # fmt: skip

    shared = {"month": "2026-11", "due": "2026-11-30"}
    # The same values as other objects (strings built at run time are not interned): a serialisation that wrote
    # references to objects met twice would give other bytes.
    copies = ({"".join(["mon", "th"]): "-".join(["2026", "11"]), "due": "2026-11-30"[:]}, dict(shared))
    digest = _digest(reasons(shared, Colour.YELLOW))
    assert _digest([reasons(copies[0], "yellow")[0], reasons(copies[1], "yellow")[1]]) == digest
    assert _digest(reasons(dict(shared, due="2026-12-01"), Colour.YELLOW)) != digest
    assert _digest(reasons(shared, Colour.RED)) != digest
    # A parameter given as a member of a choice (not plain to marshal) is read by its repr instead.
    level = [Reason("warning", Colour.RED, "warning", {"level": WarningLevel.SERIOUS}, ("alerts:warning_detail", 1))]
    assert _digest(level) == _digest(level) != _digest([Reason("warning", Colour.RED, "warning", {}, ())])
