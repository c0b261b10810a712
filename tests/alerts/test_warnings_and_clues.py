"""Warnings with their responsibilities by level, clues with clarification, and who may see what."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from alerts import actions, clues
from alerts.board import counts_for
from alerts.choices import ClueKind, Outcome, WarningLevel, WarningStatus, WarningTarget
from alerts.engine import compute_lights
from alerts.models import Clarification, Light
from integrity import actions as org
from integrity import events
from integrity.choices import Colour, Role
from integrity.models import Officer
from tests.factories import OfficerFactory

# The dates below are November 2026's; the clock stands on the day these tests were written against.
pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-11-20")]
TODAY = datetime.date(2026, 11, 20)


def propose(world, level, **kwargs):
    return actions.propose_warning(
        level=level, target=WarningTarget.OFFICER, institution=world.city, officer=world.officer,
        facts="接受当事人宴请", source="群众来信", acting_user=world.inspector, **kwargs,
    )  # fmt: skip


def district_officer_under_verification(world) -> None:
    """A petition about the district officer, its verifier assigned: their light turns yellow."""
    clue = clues.register_clue(
        institution=world.dh, kind=ClueKind.PETITION, source="来信", subject=world.dh_officer,
        content="反映问题", received_on=TODAY, acting_user=world.dh_inspector,
    )  # fmt: skip
    clues.assign_verifier(clue, world.dh_inspector, acting_user=world.dh_inspector)


@pytest.mark.parametrize(
    ("level", "responsible"),
    [(WarningLevel.GENERAL, "depthead"), (WarningLevel.SERIOUS, "deputy"), (WarningLevel.CRITICAL, "chief")],
)
def test_the_responsible_person_follows_the_level(world, level, responsible):
    warning = propose(world, level)
    actions.approve_warning(warning, actions=[actions.ActionData("reminder_talk", TODAY)], acting_user=world.chief)
    assert warning.actions.get().responsible == getattr(world, responsible)


@pytest.mark.parametrize(
    ("subject", "target", "level", "responsible"),
    [
        ("depthead", "officer", WarningLevel.GENERAL, "deputy"),  # not the head herself: the deputy in charge
        ("deputy", "officer", WarningLevel.GENERAL, "chief"),
        ("deputy", "officer", WarningLevel.SERIOUS, "chief"),
        ("chief", "officer", WarningLevel.CRITICAL, "inspector"),  # the chief's own: discipline staff
        (None, "department", WarningLevel.GENERAL, "depthead"),
        (None, "institution", WarningLevel.GENERAL, "chief"),  # the whole body: its principal leader
    ],
)
def test_nobody_owns_the_rectification_of_a_warning_about_themselves(world, subject, target, level, responsible):
    # A second discipline officer proposes: a warning about the chief is approved by discipline staff, never its
    # proposer, and never by the chief.
    second = OfficerFactory(department=world.office)
    org.grant_role(second, Role.DISCIPLINE, world.city, acting_user=world.admin)
    warning = actions.propose_warning(
        level=level, target=target, institution=world.city, officer=getattr(world, subject) if subject else None,
        department=world.prosecution if target == "department" else None, facts="制度漏洞", source="专项检查",
        acting_user=second,
    )  # fmt: skip
    talk = [actions.ActionData("reminder_talk", TODAY)]
    if subject == "chief":
        with pytest.raises(PermissionDenied):
            actions.approve_warning(warning, actions=talk, acting_user=world.chief)
    actions.approve_warning(warning, actions=talk, acting_user=world.inspector if subject == "chief" else world.chief)
    assert warning.actions.get().responsible == getattr(world, responsible)


def test_only_discipline_staff_propose_and_a_leader_approves_through_the_page(client_for, world):
    with pytest.raises(PermissionDenied):
        actions.propose_warning(
            level="general", target="officer", institution=world.city, officer=world.colleague, facts="x", source="y",
            acting_user=world.depthead,
        )  # fmt: skip
    warning = propose(world, WarningLevel.SERIOUS)
    url = reverse("alerts:warning_approve", args=[warning.pk])
    data = {"decision": "approve", "kinds": ["admonishment_talk", "self_examination"], "due_on": "2026-12-20"}
    client_for(world.inspector).post(url, data)  # the proposer cannot approve their own
    warning.refresh_from_db()
    assert warning.status == WarningStatus.PROPOSED
    client_for(world.chief).post(url, data)
    warning.refresh_from_db()
    assert warning.status == WarningStatus.RECTIFYING and warning.approved_by == world.chief
    assert sorted(a.kind for a in warning.actions.all()) == ["admonishment_talk", "self_examination"]


def test_the_warning_closes_when_every_action_has_its_result(client_for, world):
    warning = propose(world, WarningLevel.SERIOUS)
    steps = [actions.ActionData("admonishment_talk", TODAY), actions.ActionData("self_examination", TODAY)]
    actions.approve_warning(warning, actions=steps, acting_user=world.chief)
    first, second = warning.actions.all()
    assert (
        client_for(world.officer).post(reverse("alerts:action_result", args=[first.pk]), {"result": "x"}).status_code
        == 404
    )
    client_for(world.deputy).post(reverse("alerts:action_result", args=[first.pk]), {"result": "已诫勉谈话"})
    warning.refresh_from_db()
    assert warning.status == WarningStatus.RECTIFYING
    client_for(world.deputy).post(reverse("alerts:action_result", args=[second.pk]), {"result": "已提交书面检查"})
    warning.refresh_from_db()
    assert warning.status == WarningStatus.CLOSED
    who = [h.history_user for h in warning.history.order_by("history_date")]
    assert world.inspector in who and world.deputy in who


def test_a_failed_rectification_is_raised_one_level(world):
    warning = propose(world, WarningLevel.GENERAL)
    actions.approve_warning(warning, actions=[actions.ActionData("reminder_talk", TODAY)], acting_user=world.chief)
    with pytest.raises(PermissionDenied):  # raising starts a warning: the discipline staff's, as proposing is
        actions.raise_warning(warning, reason="提醒后仍与律师私下接触", acting_user=world.chief)
    raised = actions.raise_warning(warning, reason="提醒后仍与律师私下接触", acting_user=world.inspector)
    assert raised.level == WarningLevel.SERIOUS and raised.raised_from == warning
    assert raised in actions.approvable_warnings(world.chief)  # and a leader approves it
    critical = propose(world, WarningLevel.CRITICAL)
    actions.approve_warning(critical, actions=[actions.ActionData("organisational", TODAY)], acting_user=world.chief)
    with pytest.raises(ValidationError):
        actions.raise_warning(critical, reason="x", acting_user=world.inspector)


def test_an_untrue_report_is_cleared_and_the_clarification_shows(client_for, world):
    clue = clues.register_clue(
        institution=world.city, kind=ClueKind.PETITION, source="匿名信", subject=world.officer, content="反映索要好处",
        received_on=TODAY, acting_user=world.inspector,
    )  # fmt: skip
    clues.assign_verifier(clue, world.inspector, acting_user=world.inspector)
    with pytest.raises(ValidationError):
        clues.conclude_clue(clue, outcome=Outcome.UNTRUE, acting_user=world.inspector)
    client = client_for(world.inspector)
    client.post(
        reverse("alerts:clue_action", args=[clue.pk, "conclude"]),
        {"outcome": "untrue", "clarification": "经核查举报不实，予以澄清正名。"},
    )
    clue.refresh_from_db()
    assert clue.outcome == Outcome.UNTRUE and Clarification.objects.get(clue=clue).text.startswith("经核查")
    page = client.get(clue.get_absolute_url()).content.decode()
    assert 'data-testid="clarification"' in page and "澄清正名" in page


def test_officers_cannot_see_clues_or_others_lights(client_for, world):
    clue = clues.register_clue(
        institution=world.city, kind=ClueKind.PETITION, source="来信", subject=world.officer, content="反映问题",
        received_on=TODAY, acting_user=world.inspector,
    )  # fmt: skip
    compute_lights()
    officer = client_for(world.officer)
    assert officer.get(clue.get_absolute_url()).status_code == 404
    assert officer.get(reverse("alerts:clue_list")).status_code == 404
    assert officer.get(reverse("alerts:board")).status_code == 404
    assert officer.get(reverse("alerts:light_list")).status_code == 404
    assert client_for(world.depthead).get(reverse("alerts:clue_list")).status_code == 404
    lights = client_for(world.depthead).get(reverse("alerts:light_list")).content.decode()
    assert world.colleague.full_name in lights and world.other_officer.full_name not in lights


def test_the_board_costs_the_same_queries_however_many_officers_and_departments(
    client_for, world, django_assert_num_queries, django_capture_on_commit_callbacks
):
    from tests.factories import DepartmentFactory, OfficerFactory

    client = client_for(world.inspector)
    sizes = []
    for extra in (0, 40):
        for n in range(extra):
            OfficerFactory(department=DepartmentFactory(institution=world.dh, name=f"新设{n}科"))
        with django_capture_on_commit_callbacks(execute=True):
            compute_lights()
        # session, user, scope, the bodies the board counts (whose generations it follows), the counts with the
        # bodies' names (one grouped query), the viewer's own light, the feed (the fragment draws no bell)
        with django_assert_num_queries(7):
            response = client.get(reverse("alerts:board"), HTTP_HX_REQUEST="true")
        body = response.content.decode()
        assert 'data-testid="by-institution"' in body and 'data-testid="by-department"' not in body
        sizes.append((body.split('data-testid="by-institution"')[1].count("<tr>"), len(body)))
    # Bodies first: forty more departments (and officers) below add no row to the city inspector's polled fragment,
    # which stays small (its feed shows the last 15 changes).
    assert sizes[0][0] == sizes[1][0] == 1 + 3
    assert sizes[1][1] < 16 * 1024


def test_the_board_page_costs_the_same_queries_with_a_day_or_a_year_of_history(
    client_for, world, django_assert_num_queries, django_capture_on_commit_callbacks
):
    from alerts.models import LightSnapshot
    from cases.models import SupervisionNotice
    from tests.factories import OfficerFactory

    SupervisionNotice.objects.create(institution=world.city, record_id=1, year=2026, serial=1, text="督办")
    client = client_for(world.inspector)
    for days in (1, 365):
        cache.clear()  # the open notices as well as the counts read at both sizes
        LightSnapshot.objects.all().delete()
        LightSnapshot.objects.bulk_create(
            LightSnapshot(institution=body, day=TODAY - datetime.timedelta(days=d), green=5, yellow=1, red=1)
            for body in (world.city, world.dh, world.xs)
            for d in range(days)
        )
        for _ in range(days // 30):
            OfficerFactory(department=world.prosecution)
        with django_capture_on_commit_callbacks(execute=True):
            compute_lights()  # new officers' lights: the boards read their counts again
        # session, user, scope, the bodies the board counts, the counts with the bodies' and departments' names, the
        # viewer's own light (counted with their body, not shown), the feed, the trend (its months' last days in one
        # query), the open notices' count, which are the ten oldest and their rows, the bell
        with django_assert_num_queries(12):
            page = client.get(reverse("alerts:board"))
        assert len(page.context["trend"]) == (1 if days == 1 else 12)


def test_the_board_drills_from_bodies_into_one_bodys_departments(client_for, world):
    compute_lights()
    client = client_for(world.inspector)
    page = client.get(reverse("alerts:board")).content.decode()
    assert f'?institution={world.dh.pk}"' in page and world.prosecution.name not in page
    drilled = client.get(reverse("alerts:board"), {"institution": world.dh.pk}).content.decode()
    departments = drilled.split('data-testid="by-department"')[1].split("</table>")[0]
    assert "公诉科" in departments and world.prosecution.name not in departments
    assert client.get(reverse("alerts:board"), {"institution": "x"}).status_code == 404
    # A body outside what the viewer sees is not there to drill into.
    assert (
        client_for(world.dh_inspector).get(reverse("alerts:board"), {"institution": world.city.pk}).status_code == 404
    )
    # Someone who sees one body sees its departments at once.
    head = client_for(world.depthead).get(reverse("alerts:board")).content.decode()
    assert 'data-testid="by-department"' in head and 'data-testid="by-institution"' not in head


def test_a_poll_gets_nothing_until_a_light_changes_then_the_new_counts(
    client_for, world, django_assert_num_queries, django_capture_on_commit_callbacks
):
    from alerts.board import generation_for

    with django_capture_on_commit_callbacks(execute=True):
        compute_lights()
    client = client_for(world.inspector)
    client.get(reverse("alerts:board"))
    seen = generation_for(world.inspector)
    with django_assert_num_queries(3):  # session, user, scope: the counts come from the cache
        quiet = client.get(reverse("alerts:board"), {"seen": seen}, HTTP_HX_REQUEST="true")
    assert quiet.status_code == 204 and quiet.content == b""

    def yellow(response) -> int:
        return int(re.search(r'data-count="yellow".*?class="stat">(\d+)<', response.content.decode(), re.S)[1])

    assert yellow(client.get(reverse("alerts:board"))) == 0
    with django_capture_on_commit_callbacks(execute=True):
        clue = clues.register_clue(
            institution=world.city, kind=ClueKind.PETITION, source="来信", subject=world.colleague,
            content="反映问题", received_on=TODAY, acting_user=world.chief,
        )  # fmt: skip
        clues.assign_verifier(clue, world.inspector, acting_user=world.chief)  # the colleague's light turns yellow
    assert generation_for(world.inspector) != seen
    changed = client.get(reverse("alerts:board"), {"seen": seen}, HTTP_HX_REQUEST="true")
    assert changed.status_code == 200 and yellow(changed) == 1
    assert (
        f'?seen={generation_for(world.inspector)}"' in changed.content.decode()
    )  # the next poll says what it shows now
    # The drawn counts and feed kept in the cache are those of the generation shown: the change is in the feed.
    assert f'data-event="{world.colleague.pk}-' in changed.content.decode()
    assert f'data-event="{world.colleague.pk}-' in client.get(reverse("alerts:board")).content.decode()


def test_a_refresh_that_changes_no_colour_leaves_every_board_as_it_is_but_a_move_or_a_departure_redraws_them(
    client_for, world, django_capture_on_commit_callbacks
):
    """Every filing refreshes its officer's light; most change no colour. The boards poll every 15 seconds: they
    are redrawn when what they show changed (colours, the feed, who is counted where), not at every filing."""
    from alerts.board import generation_for
    from alerts.engine import refresh_light
    from tests.factories import PostFactory

    with django_capture_on_commit_callbacks(execute=True):
        compute_lights()
    client = client_for(world.inspector)

    def office_count() -> int:
        """How many lights the office's row counts, of every colour."""
        drilled = client.get(reverse("alerts:board"), {"institution": world.city.pk}).content.decode()
        table = drilled.split('data-testid="by-department"')[1].split("</table>")[0]
        row = next(tr for tr in table.split("<tr>") if f'?department={world.office.pk}"' in tr)
        return sum(int(n) for n in re.findall(r'class="text-end">(?:<a [^>]*>)?(\d+)<', row))

    before = office_count()
    seen = generation_for(world.inspector)
    with django_capture_on_commit_callbacks(execute=True):
        refresh_light(world.colleague.pk)  # as after a filing that changed nothing on her light
    assert generation_for(world.inspector) == seen
    assert client.get(reverse("alerts:board"), {"seen": seen}, HTTP_HX_REQUEST="true").status_code == 204

    with django_capture_on_commit_callbacks(execute=True):  # to the office: still green, counted elsewhere
        org.assign_post(world.colleague, PostFactory(department=world.office), started_on=TODAY, acting_user=None)
    assert generation_for(world.inspector) != seen and office_count() == before + 1

    for leaving, successor in ((world.colleague, world.officer), (world.other_officer, None)):
        seen = generation_for(world.inspector)
        with django_capture_on_commit_callbacks(execute=True):  # the successor's light is refreshed with theirs
            org.record_departure(
                leaving, left_on=TODAY, departure="transfer_out", successor=successor, acting_user=world.admin
            )
        assert generation_for(world.inspector) != seen
    assert office_count() == before - 1  # the colleague came and went; the other officer of the office left


def test_a_colour_that_changes_in_one_body_redraws_only_the_boards_that_show_it(
    client_for, world, django_capture_on_commit_callbacks
):
    """A province files something every few seconds: a colour that changes in one district redraws the boards of
    those who see that district (its own staff, the city above), not every board in the province."""
    from alerts.board import generation_for

    with django_capture_on_commit_callbacks(execute=True):
        # What setting up the world sent (posts taken) is delivered first, as it would be when that committed.
        events.officers_changed(world.dh_officer.pk)
        compute_lights()
    watchers = (world.dh_inspector, world.inspector, world.xs_inspector, world.depthead)
    clients = {who.pk: client_for(who) for who in watchers}
    seen = {}
    for who in watchers:
        seen[who.pk] = generation_for(who)
        assert (
            clients[who.pk].get(reverse("alerts:board"), {"seen": seen[who.pk]}, HTTP_HX_REQUEST="true").status_code
            == 204
        )

    with django_capture_on_commit_callbacks(execute=True):
        district_officer_under_verification(world)  # the district officer's light turns yellow
    assert Light.objects.get(officer=world.dh_officer).colour == Colour.YELLOW

    def poll(who: Officer) -> int:
        return clients[who.pk].get(reverse("alerts:board"), {"seen": seen[who.pk]}, HTTP_HX_REQUEST="true").status_code

    # The district's own staff and the city's inspector, who sees the districts, are redrawn; the other district's
    # staff and the head of a city department are not.
    assert [poll(who) for who in watchers] == [200, 200, 204, 204]
    assert [generation_for(who) != seen[who.pk] for who in watchers] == [True, True, False, False]
    redrawn = clients[world.dh_inspector.pk].get(reverse("alerts:board"), {"seen": seen[world.dh_inspector.pk]},
                                                 HTTP_HX_REQUEST="true").content.decode()  # fmt: skip
    assert f'data-event="{world.dh_officer.pk}-' in redrawn


def test_after_a_colour_changes_in_one_body_a_board_reads_that_body_again_and_the_others_from_the_cache(
    client_for, world, django_capture_on_commit_callbacks
):
    """A province inspector's board counts 121 bodies: a colour changed in one district reads that district's
    lights again, not every body's. Put together from the bodies' counts, the board still counts what one grouped
    query over the lights its viewer may see counts: not the viewer, and a department they head in a body they do
    not oversee."""
    from django.db import connection
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext

    from alerts.queries import board_lights

    org.grant_role(world.xs_inspector, Role.DEPARTMENT_HEAD, world.dh, departments=[world.dh.departments.get(
        name="公诉科")], acting_user=None)  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        events.officers_changed(world.dh_officer.pk)
        compute_lights()
    board = reverse("alerts:board")

    def counted(who: Officer) -> dict:
        rows = board_lights(who).order_by().values_list("officer__department_id", "colour").annotate(n=Count("id"))
        return {(department, colour): n for department, colour, n in rows}

    def shown(page, who: Officer) -> dict:  # the counts the page drew, at the generation it says it shows
        return {
            (department, colour): n
            for by_department in counts_for(who, page.context["generation"]).by_department.values()
            for department, cells in by_department.items()
            for colour, n in cells.items()
            if n
        }

    for who in (world.inspector, world.xs_inspector):
        client_for(who).get(board)  # every body's counts kept in the cache
    with django_capture_on_commit_callbacks(execute=True):
        district_officer_under_verification(world)  # the district officer's light turns yellow
    client = client_for(world.inspector)
    with CaptureQueriesContext(connection) as captured:
        page = client.get(board)
    (read,) = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"] and '"alerts_light"' in q["sql"]]
    assert f'"institution_id" IN ({world.dh.pk})' in read  # the district alone, of the city and its two districts
    # The feed reads its rows' columns in one query (none loaded later, row by row), not whole officers.
    (feed,) = [q["sql"] for q in captured.captured_queries if '"alerts_lightevent"' in q["sql"]]
    assert '"integrity_officer"."password"' not in feed and '"integrity_department".' not in feed.split(" FROM ")[0]
    assert f'data-event="{world.dh_officer.pk}-' in page.content.decode()
    assert shown(page, world.inspector) == counted(world.inspector)
    assert (world.dh_officer.department_id, "yellow") in shown(page, world.inspector)
    assert world.inspector.department_id not in {d for d, _ in shown(page, world.inspector)}  # only herself there
    # The head of a district department who oversees the other district: that department is counted too.
    page = client_for(world.xs_inspector).get(board)
    assert shown(page, world.xs_inspector) == counted(world.xs_inspector)
    assert (world.dh_officer.department_id, "yellow") in shown(page, world.xs_inspector)


def test_a_departure_redraws_the_boards_that_show_the_body_left_and_no_other(
    client_for, world, django_capture_on_commit_callbacks
):
    """An account closes a few times a day in a province: the boards of those who see the officer's body read that
    body again (without them), the other bodies' staff keep theirs."""
    from alerts.board import generation_for

    with django_capture_on_commit_callbacks(execute=True):
        events.officers_changed(world.dh_officer.pk)
        compute_lights()
    watchers = (world.dh_inspector, world.inspector, world.xs_inspector, world.depthead)
    seen = {who.pk: generation_for(who) for who in watchers}
    client = client_for(world.dh_inspector)

    def counted() -> int:  # the lights the district board counts in the officer's department
        counts = counts_for(world.dh_inspector, client.get(reverse("alerts:board")).context["generation"])
        return sum(counts.by_department[world.dh.pk][world.dh_officer.department_id].values())

    before = counted()
    with django_capture_on_commit_callbacks(execute=True):
        org.record_departure(world.dh_officer, left_on=TODAY, departure="retirement", acting_user=world.admin)
    assert [generation_for(who) != seen[who.pk] for who in watchers] == [True, True, False, False]
    assert counted() == before - 1


def test_a_department_renamed_in_the_admin_is_shown_by_its_new_name_at_the_next_poll(
    client_for, world, django_capture_on_commit_callbacks
):
    """The board keeps the names it counts under with the counts; a rename needs no light to change."""
    from alerts.board import generation_for

    with django_capture_on_commit_callbacks(execute=True):
        compute_lights()
    client = client_for(world.inspector)
    drilled = {"institution": world.city.pk}
    assert "办公室" in client.get(reverse("alerts:board"), drilled).content.decode()
    seen = generation_for(world.inspector)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(world.admin).post(
            reverse("admin:integrity_department_change", args=[world.office.pk]),
            {"name": "综合办公室", "order": 0, "is_active": "on"},
        )
    assert generation_for(world.inspector) != seen
    poll = client.get(reverse("alerts:board"), {**drilled, "seen": seen}, HTTP_HX_REQUEST="true")
    assert poll.status_code == 200 and "综合办公室" in poll.content.decode()


def test_the_board_reads_its_trend_once_until_the_next_light_run_writes_the_day_s_snapshot(
    client_for, world, django_assert_num_queries, django_capture_on_commit_callbacks
):
    from cases.models import SupervisionNotice

    SupervisionNotice.objects.create(institution=world.city, record_id=1, year=2026, serial=1, text="督办")
    with django_capture_on_commit_callbacks(execute=True):
        compute_lights()
    client = client_for(world.inspector)
    first = client.get(reverse("alerts:board")).context["trend"]
    # session, user, scope, the open notices' rows, the bell: the counts with the names, the trend, the drawn counts
    # and feed, and how many notices are open and which are the oldest come from the cache (eleven queries when they
    # are read)
    with django_assert_num_queries(5) as captured:
        again = client.get(reverse("alerts:board"))
    assert again.context["trend"] == first == [{**first[0], "month": "2026-11"}]  # one snapshot so far: this month's
    # The open notices' rows read the notice, its body and its addressee: not the case and assessment behind it.
    (rows,) = [q["sql"] for q in captured.captured_queries if q["sql"].startswith('SELECT "cases_supervisionnotice"')]
    columns = rows.split(" FROM ")[0]
    assert '"cases_case".' not in columns and '"cases_assessment".' not in columns and '"integrity_officer".' in columns

    OfficerFactory(department=world.prosecution)  # one more light in today's snapshot
    with django_capture_on_commit_callbacks(execute=True):
        compute_lights()
    page = client.get(reverse("alerts:board"))
    after = page.context["trend"]
    assert after[-1]["total"] == first[-1]["total"] + 1
    # The drawn trend is kept with the drawn counts: it is drawn again when they are.
    drawn = page.content.decode()
    colours = ("green", "yellow", "red")
    assert all(f"<title>2026-11 {after[-1][colour]}</title>" in drawn for colour in colours)
    assert [after[-1][colour] for colour in colours] != [first[-1][colour] for colour in colours]

    from alerts.board import generation_for

    seen = generation_for(world.inspector)
    with django_capture_on_commit_callbacks(execute=True):
        compute_lights()  # no light changes, but the day's snapshot is written again: the trend is read again
    assert generation_for(world.inspector) != seen


def test_nobody_reads_or_concludes_a_clue_about_themselves(client_for, world):
    clue = clues.register_clue(
        institution=world.city, kind=ClueKind.PETITION, source="来信", subject=world.inspector, content="反映问题",
        received_on=TODAY, acting_user=world.chief,
    )  # fmt: skip
    inspector = client_for(world.inspector)
    assert inspector.get(clue.get_absolute_url()).status_code == 404
    assert clue.get_absolute_url() not in inspector.get(reverse("alerts:clue_list")).content.decode()
    conclude = reverse("alerts:clue_action", args=[clue.pk, "conclude"])
    assert inspector.post(conclude, {"outcome": "untrue", "clarification": "不实"}).status_code == 404
    clue.refresh_from_db()
    assert clue.status == "registered"
    assert client_for(world.chief).get(clue.get_absolute_url()).status_code == 200


def test_the_trend_shows_each_months_last_snapshot_summed_over_the_bodies_seen(client_for, world):
    from alerts.models import LightSnapshot

    def snap(institution, day, red):
        LightSnapshot.objects.create(institution=institution, day=day, green=10, yellow=1, red=red)

    for institution in (world.city, world.dh):
        snap(institution, datetime.date(2025, 10, 31), 9)  # over twelve months ago: not shown
        snap(institution, datetime.date(2026, 9, 30), 1)
        snap(institution, datetime.date(2026, 10, 10), 5)  # not the month's last
        snap(institution, datetime.date(2026, 10, 31), 2)
        snap(institution, datetime.date(2026, 11, 19), 3)
    snap(world.xs, datetime.date(2026, 11, 19), 4)
    trend = client_for(world.inspector).get(reverse("alerts:board")).context["trend"]
    assert [(t["month"], t["red"], t["green"]) for t in trend] == [
        ("2026-09", 2, 20), ("2026-10", 4, 20), ("2026-11", 10, 30),
    ]  # fmt: skip
    district = client_for(world.dh_inspector).get(reverse("alerts:board")).context["trend"]
    assert [(t["month"], t["red"]) for t in district] == [("2026-09", 1), ("2026-10", 2), ("2026-11", 3)]
