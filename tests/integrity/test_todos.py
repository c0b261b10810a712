"""My to-dos: every review lands with the officer's reviewer by the four levels, and leaves when it is done."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from integrity import actions as org
from integrity.choices import Role
from integrity.models import Officer
from risks import personal
from risks.models import MonthlyCheck
from tests.risks.records import post_risk

# The clock is pinned to a day of November 2026: its checks are filed and reviewed then.
pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-11-20")]
NOVEMBER = datetime.date(2026, 11, 1)


def file_check(officer) -> MonthlyCheck:
    check = MonthlyCheck.objects.get(officer=officer, period=NOVEMBER)
    answers = [personal.AnswerData(i.pk, i.description) for i in check.table.items.all()]
    return personal.submit_monthly_check(check, answers, acting_user=officer)


def members_who_filed(world, n: int) -> None:
    """``n`` more members of the head's department, each with this month's check filed: the head's to review."""
    for i in range(n):
        member = org.create_officer(
            username=f"member{i}", full_name=f"成员{i}", department=world.prosecution, post=world.officer.post,
            acting_user=None,
        )  # fmt: skip
        personal.open_risk_tables()
        personal.open_monthly_checks(NOVEMBER)
        file_check(member)


@pytest.fixture
def filed(world):
    for officer in (world.officer, world.depthead, world.deputy):
        post_risk(officer.post)
    personal.open_risk_tables()
    personal.open_monthly_checks(NOVEMBER)
    return {o.username: file_check(o) for o in (world.officer, world.depthead, world.deputy)}


def test_every_persona_has_a_reviewer_one_level_up_and_none_reviews_themselves(world):
    reviewers = dict(Officer.objects.values_list("username", "reviewer__username"))
    assert reviewers["officer"] == reviewers["colleague"] == "depthead"
    assert reviewers["depthead"] == "deputy"  # a head's own items go to the deputy in charge
    assert reviewers["deputy"] == "chief"
    assert reviewers["chief"] == "inspector"
    assert reviewers["dh_officer"] == "dh_head"
    assert reviewers["dh_head"] == "dh_inspector"  # no deputy or chief in the district: its discipline staff
    assert all(username != reviewer for username, reviewer in reviewers.items())


def test_a_role_granted_or_revoked_reroutes_at_once(world):
    new_head = world.colleague
    org.grant_role(new_head, Role.DEPARTMENT_HEAD, world.city, departments=[world.investigation], acting_user=None)
    new_head.refresh_from_db()
    assert new_head.reviewer == world.deputy  # now a head: reviewed by the deputy in charge
    org.revoke_role(world.depthead.role_assignments.get(), acting_user=None)
    world.officer.refresh_from_db()
    assert world.officer.reviewer == world.deputy  # the department has no head now


def test_the_heads_own_check_is_the_deputys_to_do_and_leaves_it_once_reviewed(client_for, world, filed):
    head_page = client_for(world.depthead).get(reverse("todos")).content.decode()
    assert filed["officer"].get_absolute_url() in head_page
    assert 'data-since="2026-11-20"' in head_page  # how long the check has waited for her, not its own due date
    assert filed["depthead"].get_absolute_url() not in head_page
    deputy = client_for(world.deputy)
    assert filed["depthead"].get_absolute_url() in deputy.get(reverse("todos")).content.decode()
    assert filed["deputy"].get_absolute_url() in client_for(world.chief).get(reverse("todos")).content.decode()

    assert deputy.get(filed["depthead"].get_absolute_url()).status_code == 200
    deputy.post(reverse("risks:check_review", args=[filed["depthead"].pk]), {"decision": "approve"})
    filed["depthead"].refresh_from_db()
    assert filed["depthead"].reviewed_by == world.deputy
    assert filed["depthead"].get_absolute_url() not in deputy.get(reverse("todos")).content.decode()


def test_the_count_beside_my_to_dos_is_what_the_page_lists(client_for, world, filed):
    client = client_for(world.depthead)
    listed = client.get(reverse("todos")).content.decode().count('data-testid="todo"')
    assert listed >= 2  # the member's check to review, her own risk table to fill in
    assert f'data-count="{listed}"' in client.get(reverse("todo_count")).content.decode()
    newcomer = org.create_officer(username="newcomer", full_name="新人", department=world.office, acting_user=None)
    assert client_for(newcomer).get(reverse("todo_count")).content == b""  # nothing waiting: no badge


def test_the_to_do_page_costs_the_same_queries_for_few_and_many_items(
    client_for, world, filed, django_assert_max_num_queries
):
    client = client_for(world.depthead)
    client.get(reverse("todos"))
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("todos"))
    members_who_filed(world, 5)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("todos")).content.decode()
    assert page.count('data-testid="todo"') >= 6


def test_one_query_counts_every_kind_as_the_kinds_own_count_does(world, filed):
    from integrity import obligations
    from tests.cases.records import assess, make_case

    assess(make_case(world.prosecution, [world.depthead]), world.depthead)  # the deputy has an assessment to approve
    people = Officer.objects.filter(username__in=["officer", "depthead", "deputy", "chief", "inspector", "admin"])
    seen = set()
    for person in people:
        each = {kind.code: kind.queryset(person).count() for kind in obligations.kinds()}
        assert obligations.counts(person) == each, person.username
        assert obligations.count(person) == sum(each.values())
        seen |= {code for code, n in each.items() if n}
    # Several kinds have items among them, so a count put under another kind's name would show.
    assert {"risks.check_review", "risks.my_table", "cases.assessment_approval"} <= seen


def test_the_bell_asks_once_for_all_kinds_and_the_page_only_for_kinds_with_items(client_for, world, filed):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from integrity import obligations

    def queries(client, url):
        client.get(url)  # the session's first request writes what later ones only read
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return [query["sql"] for query in captured.captured_queries]

    newcomer = org.create_officer(username="newcomer", full_name="新人", department=world.office, acting_user=None)
    head, nobody = client_for(world.depthead), client_for(newcomer)
    bell = queries(head, reverse("todo_count"))
    assert len(bell) == len(queries(nobody, reverse("todo_count")))
    assert sum("COUNT(*)" in sql for sql in bell) == 1  # thirty kinds, one query
    # The page asks again only for the kinds that have items: none for the newcomer, one query each for the head.
    empty_page = queries(nobody, reverse("todos"))
    assert len(empty_page) < len(bell) + 2 < len(obligations.kinds())
    with_items = sum(1 for n in obligations.counts(world.depthead).values() if n)
    assert with_items >= 2
    assert len(queries(head, reverse("todos"))) == len(empty_page) + with_items


def test_a_heads_own_assessment_goes_to_the_deputy_and_follows_a_change_of_roles(
    client_for, world, django_capture_on_commit_callbacks
):
    from cases import assessments
    from cases.models import Assessment
    from tests.cases.records import assess, make_case

    own = assess(make_case(world.prosecution, [world.depthead]), world.depthead)
    member = assess(make_case(world.prosecution, [world.officer]), world.officer)
    assert (own.approver, member.approver) == (world.deputy, world.depthead)
    assert own.get_absolute_url() in client_for(world.deputy).get(reverse("todos")).content.decode()
    assert client_for(world.depthead).post(reverse("cases:assessment_decide", args=[own.pk]), {}).status_code == 404

    # The head's role is revoked: what waited on her goes to the deputy in charge at once.
    with django_capture_on_commit_callbacks(execute=True):
        org.revoke_role(world.depthead.role_assignments.get(), acting_user=None)
    member.refresh_from_db()
    assert member.approver == world.deputy
    assert member.history.latest().history_change_reason == "已改派：审批人已变更"
    assessments.decide_assessment(member, approve=True, acting_user=world.deputy)
    assert Assessment.objects.get(pk=member.pk).status == "approved"


def test_a_warning_about_the_chief_is_approved_by_discipline_staff_never_by_the_chief(client_for, world):
    from alerts import actions as alert_actions
    from alerts.choices import WarningLevel, WarningTarget

    second = org.create_officer(
        username="inspector2", full_name="钱进", department=world.inspector.department, acting_user=None
    )
    org.grant_role(second, Role.DISCIPLINE, world.city, acting_user=None)
    warning = alert_actions.propose_warning(
        level=WarningLevel.GENERAL, target=WarningTarget.OFFICER, institution=world.city, officer=world.chief,
        facts="接受宴请", source="来信", acting_user=world.inspector,
    )  # fmt: skip
    approve = reverse("alerts:warning_approve", args=[warning.pk])
    assert client_for(world.chief).post(approve, {"decision": "approve"}).status_code == 404
    assert client_for(world.inspector).post(approve, {"decision": "approve"}).status_code == 404  # proposed it
    assert warning.get_absolute_url() not in client_for(world.chief).get(reverse("todos")).content.decode()
    assert warning.get_absolute_url() in client_for(second).get(reverse("todos")).content.decode()


def test_a_clue_about_a_discipline_officer_goes_to_the_body_above_and_nobody_verifies_their_own(client_for, world):
    from django.core.exceptions import ValidationError

    from alerts import clues
    from alerts.choices import ClueKind

    clue = clues.register_clue(
        institution=world.dh, kind=ClueKind.PETITION, source="来信", subject=world.dh_inspector,
        content="反映其接受请托", received_on=datetime.date(2026, 11, 10), acting_user=world.inspector,
    )  # fmt: skip
    assert clue.get_absolute_url() in client_for(world.inspector).get(reverse("todos")).content.decode()
    assert clue.get_absolute_url() not in client_for(world.dh_inspector).get(reverse("todos")).content.decode()
    with pytest.raises(ValidationError):
        clues.assign_verifier(clue, world.dh_inspector, acting_user=world.inspector)
    ordinary = clues.register_clue(
        institution=world.dh, kind=ClueKind.PETITION, source="来信", subject=world.dh_officer,
        content="反映其接受请托", received_on=datetime.date(2026, 11, 10), acting_user=world.dh_inspector,
    )  # fmt: skip
    assert ordinary.get_absolute_url() in client_for(world.dh_inspector).get(reverse("todos")).content.decode()
    assert ordinary.get_absolute_url() not in client_for(world.inspector).get(reverse("todos")).content.decode()


def test_a_rectification_follows_a_change_of_heads(world, django_capture_on_commit_callbacks):
    from alerts import actions as alert_actions
    from alerts.choices import WarningLevel, WarningTarget

    warning = alert_actions.propose_warning(
        level=WarningLevel.GENERAL, target=WarningTarget.OFFICER, institution=world.city, officer=world.officer,
        facts="接受宴请", source="来信", acting_user=world.inspector,
    )  # fmt: skip
    due = datetime.date(2026, 12, 10)
    alert_actions.approve_warning(
        warning, actions=[alert_actions.ActionData("reminder_talk", due)], acting_user=world.chief
    )
    action = warning.actions.get()
    assert action.responsible == world.depthead
    with django_capture_on_commit_callbacks(execute=True):
        org.revoke_role(world.depthead.role_assignments.get(), acting_user=None)
    action.refresh_from_db()
    assert action.responsible == world.deputy  # the department has no head now: the deputy in charge answers
    assert action.history.latest().history_change_reason == "已改派：责任人已变更"


def test_every_page_asks_for_the_count_as_often_as_the_deployment_says(client_for, world, settings):
    """A province sets how often its thousands of open pages ask (``TODO_POLL_SECONDS``); a page out of sight does
    not ask at all (``static/js/poll.js``, shown in the browser tests)."""
    client = client_for(world.officer)
    assert 'hx-trigger="load, every 30s, resume"' in client.get(reverse("home")).content.decode()
    settings.TODO_POLL_SECONDS = 120
    page = client.get(reverse("home")).content.decode()
    assert 'hx-trigger="load, every 120s, resume"' in page
    assert "js/poll.js" in page
    settings.TODO_POLL_SECONDS = 0  # asked when a page opens or is shown again, never by the clock
    assert 'hx-trigger="load, resume"' in client.get(reverse("home")).content.decode()


def test_a_kind_with_more_than_the_page_shows_links_to_all_of_them_a_page_at_a_time(
    client_for, world, filed, monkeypatch, django_assert_max_num_queries
):
    from integrity import views

    monkeypatch.setattr(views, "TODOS_SHOWN", 2)
    monkeypatch.setattr(views, "TODOS_PER_PAGE", 2)
    client = client_for(world.depthead)
    kind_url = reverse("todos_of_kind", args=["risks.check_review"])
    client.get(kind_url)
    with django_assert_max_num_queries(40) as one_waiting:
        client.get(kind_url)
    queries = len(one_waiting.captured_queries)  # read now: the next request clears the log it is read from
    members_who_filed(world, 4)
    waiting = MonthlyCheck.objects.filter(officer__reviewer=world.depthead, submitted_at__isnull=False)
    assert waiting.count() == 5  # the officer's and the four members' checks
    page = client.get(reverse("todos")).content.decode()
    group = page[page.index('data-kind="risks.check_review"') :]
    group = group[: group.index("</section>")]
    assert group.count('data-testid="todo"') == 2
    assert f'href="{kind_url}" data-testid="all-of-kind">查看全部 5 项' in group

    seen = []
    with django_assert_max_num_queries(queries):  # the same for one item and for five
        listed = client.get(kind_url).content.decode()
    assert "第 1 页，共 3 页" in listed and 'href="?page=2"' in listed
    seen += [check.get_absolute_url() for check in waiting if check.get_absolute_url() in listed]
    for number in (2, 3):
        with django_assert_max_num_queries(queries):
            listed = client.get(kind_url, {"page": number}).content.decode()
        seen += [check.get_absolute_url() for check in waiting if check.get_absolute_url() in listed]
    assert sorted(seen) == sorted(check.get_absolute_url() for check in waiting)  # each once, none lost

    # Only one's own: the officer has none of the head's reviews; a kind that does not exist is not found.
    theirs = client_for(world.officer).get(kind_url).content.decode()
    assert 'data-testid="todo"' not in theirs and "暂无待办事项" in theirs
    assert client.get(reverse("todos_of_kind", args=["no.such_kind"])).status_code == 404
