"""Walk every URL pattern: anonymous users are sent to log in, and no page reaches outside the user's scope.

Each pattern that takes an argument must be listed in ``TARGETS`` with a record of a 东湖 (district) officer:
the city's discipline staff may open it, the other district's (西山) staff and a plain city officer get 404.
A new page with an argument and no entry here fails ``test_every_pattern_with_arguments_is_covered``, so a
view cannot be added without its scoping being tested.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse

from cases.models import CaseImport, DeclarationQuestion
from integrity.choices import Role
from integrity.models import StaffImport
from tests.alerts.records import for_district as district_alerts
from tests.cases.records import district_notice
from tests.cases.records import for_district as district_case
from tests.risks.records import for_district
from tests.walk import PUBLIC, SHARED, all_patterns, pages_without_arguments, readable_text

# The dates below are November 2026's; the clock stands on the day these tests were written against.
pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-11-20")]


@dataclass(frozen=True)
class Target:
    kwargs: Callable  # world -> kwargs pointing at a 东湖 record
    method: str = "get"
    allowed: str = "inspector"  # a city persona who may reach the record
    data: Callable | None = None  # world -> POST data


def _role_request(world):
    """A role asked for a 东湖 officer, and the city's security administrator (``world.city_security``) who decides
    it."""
    from integrity import actions
    from integrity.choices import Role
    from integrity.models import RoleRequest
    from tests.factories import OfficerFactory

    if not hasattr(world, "city_security"):
        world.city_security = OfficerFactory(username="city_security", department=world.office)
        actions.grant_role(world.city_security, Role.SECURITY_ADMIN, world.city, acting_user=None)
    return RoleRequest.objects.get_or_create(
        officer=world.dh_officer, role=Role.DISCIPLINE, institution=world.dh, defaults={"requested_by": world.admin}
    )[0]


def _printed(world):
    from archives.documents import print_archive

    cached = getattr(world, "_printed", None)
    if cached is None:
        today = datetime.date(2026, 11, 20)
        cached = world._printed = print_archive(
            world.dh_officer, "performance", today.replace(month=1, day=1), today, acting_user=world.dh_inspector
        )[0]
    return cached


def _d(world):
    return for_district(world)


def _party(world):
    from cases.models import CaseParty

    return CaseParty.objects.get_or_create(case=district_case(world).case, role="party", name="钱某")[0]


def _visit(world):
    from alerts.models import ReturnVisit

    case = district_case(world).case
    return ReturnVisit.objects.get_or_create(
        case=case, defaults={"institution": world.dh, "handler": world.dh_officer, "due_on": datetime.date(2026, 12, 1)}
    )[0]


def _circular(world):
    """A draft notice of the district's discipline staff to one of its officers."""
    from alerts.circulars import write_circular

    if not hasattr(world, "_circular"):
        world._circular = write_circular(
            None, acting_user=world.dh_inspector, kind="criticism", title="关于违规接受宴请的通报", body="……",
            to_officers=[world.dh_officer],
        )  # fmt: skip
    return world._circular


def _inspection(world):
    """A district inspection of its own prosecution section, led by its discipline officer, with one finding."""
    from inspections.actions import plan_inspection, record_finding
    from inspections.models import Evidence

    if not hasattr(world, "_inspection"):
        department = world.dh_officer.department
        world._inspection = plan_inspection(
            acting_user=world.dh_inspector, kind="routine", title="十一月例行督察", leader=world.dh_inspector,
            starts_on=datetime.date(2026, 11, 2), ends_on=datetime.date(2026, 11, 30), departments=[department],
        )  # fmt: skip
        world._item = world._inspection.items.create(
            department=department, institution=department.institution, text="会见登记"
        )
        world._finding = record_finding(
            world._inspection, department=department, text="会见未登记", acting_user=world.dh_inspector
        )
        world._evidence = Evidence.objects.create(
            finding=world._finding, filename="登记簿.jpg", content_type="image/jpeg", content=b"x",
            uploaded_by=world.dh_inspector,
        )  # fmt: skip
    return world._inspection


def _import_with_errors(world) -> CaseImport:
    return CaseImport.objects.create(
        institution=world.dh, filename="案件.csv", content="案号,案件名称\n1,甲".encode(), imported_by=world.admin,
        errors=[{"row": 2, "errors": ["x"]}],
    )  # fmt: skip


def _relation(world):
    from cases.actions import declare_relation

    cached = getattr(world, "_relation", None)
    if cached is None:
        cached = world._relation = declare_relation(
            world.dh_officer,
            name="陈律师",
            relation="sibling",
            occupation="lawyer",
            employer="东湖律师事务所",
            acting_user=world.dh_officer,
        )
    return cached


def _action(world):
    from alerts.actions import ActionData, approve_warning

    warning = district_alerts(world).warning
    if not warning.actions.exists():
        approve_warning(
            warning, actions=[ActionData("reminder_talk", datetime.date(2026, 12, 1))], acting_user=world.chief
        )
    return warning.actions.get()


def _quarter(world):
    from archives.models import QuarterlyAssessment
    from archives.quarters import open_quarter

    open_quarter(datetime.date(2026, 7, 1))
    return QuarterlyAssessment.objects.get(officer=world.dh_officer, quarter=datetime.date(2026, 7, 1))


def _duty_account(world):
    """The 东湖 head's account of last year, filed and awaiting their reviewer."""
    from archives.accounts import file_account
    from archives.models import DutyAccount

    cached = getattr(world, "_duty_account", None)
    if cached is None:
        account = DutyAccount.objects.create(officer=world.dh_head, year=2025, due_on=datetime.date(2026, 1, 31))
        cached = world._duty_account = file_account(account, text="履行一岗双责情况", acting_user=world.dh_head)
    return cached


def _risk_review(world):
    """This year's review of the 东湖 risk point, owed to the district head."""
    from risks.models import RiskPointReview

    cached = getattr(world, "_risk_review", None)
    if cached is None:
        cached = world._risk_review = RiskPointReview.objects.create(
            risk_point=for_district(world).risk_point, year=2026, owner=world.dh_head, due_on=datetime.date(2026, 6, 30)
        )
    return cached


def _matter(world):
    from archives.actions import report_matter

    cached = getattr(world, "_matter", None)
    if cached is None:
        cached = world._matter = report_matter(
            world.dh_officer,
            kind="trip_abroad",
            changed_on=datetime.date(2026, 8, 1),
            details="因私赴港旅游",
            acting_user=world.dh_officer,
        )
    return cached


def _print_job(world):
    from archives.models import PrintJob
    from archives.tasks import print_batch_task

    cached = getattr(world, "_print_job", None)
    if cached is None:
        cached = world._print_job = PrintJob.objects.create(
            requested_by=world.inspector,
            department=world.dh_officer.department,
            kind="integrity",
            start=datetime.date(2026, 1, 1),
            end=datetime.date(2026, 12, 31),
            officer_ids=[world.dh_officer.pk],
        )
        print_batch_task(cached.pk)
        cached.refresh_from_db()
    return cached


def _formset(prefix: str, rows: list[dict]) -> dict:
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": str(len(rows))}
    for n, row in enumerate(rows):
        data.update({f"{prefix}-{n}-{key}": value for key, value in row.items()})
    return data


TARGETS: dict[str, Target] = {
    "integrity:officer_detail": Target(lambda w: {"pk": w.dh_officer.pk}),
    "integrity:institution_detail": Target(lambda w: {"pk": w.dh.pk}),
    "integrity:department_detail": Target(lambda w: {"pk": w.dh_officer.department_id}),
    "integrity:role_request_decide": Target(
        lambda w: {"pk": _role_request(w).pk},
        method="post",
        allowed="city_security",
        data=lambda w: {"decline": "1", "comment": "无任命文件"},
    ),
    "integrity:officer_assign_post": Target(
        lambda w: {"pk": w.dh_officer.pk}, method="post", allowed="admin", data=lambda w: {}
    ),
    "integrity:officer_leave": Target(
        lambda w: {"pk": w.dh_officer.pk}, method="post", allowed="admin", data=lambda w: {}
    ),
    "cases:case_detail": Target(lambda w: {"pk": district_case(w).case.pk}),
    "cases:card_pdf": Target(lambda w: {"pk": district_case(w).case.pk, "party": _party(w).pk}),
    "cases:case_move": Target(
        lambda w: {"pk": district_case(w).case.pk}, method="post", allowed="dh_head", data=lambda w: {}
    ),
    "cases:assessment_start": Target(lambda w: {"pk": district_case(w).case.pk}, allowed="dh_officer"),
    "cases:assessment_facts": Target(
        lambda w: {"pk": district_case(w).case.pk},
        method="post",
        allowed="dh_head",
        data=lambda w: {"facts-text": "出现新证据"},
    ),
    "cases:assessment_detail": Target(lambda w: {"pk": district_case(w).assessment.pk}),
    "cases:assessment_decide": Target(
        lambda w: {"pk": district_case(w).assessment.pk},
        method="post",
        allowed="dh_head",
        data=lambda w: {"decision": "approve"},
    ),
    "cases:assessment_feedback": Target(
        lambda w: {"pk": district_case(w).assessment.pk}, method="post", allowed="dh_officer", data=lambda w: {}
    ),
    "cases:declaration_detail": Target(lambda w: {"pk": district_case(w).declaration.pk}),
    "cases:notice_detail": Target(lambda w: {"pk": district_notice(w).pk}),
    "cases:notice_pdf": Target(lambda w: {"pk": district_notice(w).pk}),
    "cases:notice_acknowledge": Target(
        lambda w: {"pk": district_notice(w).pk}, method="post", allowed="dh_officer", data=lambda w: {}
    ),
    "cases:notice_answer": Target(
        lambda w: {"pk": district_notice(w).pk}, method="post", allowed="dh_officer", data=lambda w: {"text": "已处理"}
    ),
    "cases:declaration_submit": Target(
        lambda w: {"pk": district_case(w).declaration.pk},
        method="post",
        allowed="dh_officer",
        data=lambda w: {f"q{pk}": "0" for pk in DeclarationQuestion.objects.values_list("pk", flat=True)},
    ),
    "cases:declaration_amend": Target(
        lambda w: {"pk": district_case(w).declaration.pk},
        method="post",
        allowed="dh_officer",
        data=lambda w: {"text": "更正"},
    ),
    "cases:declaration_review": Target(
        lambda w: {"pk": district_case(w).declaration.pk}, method="post", allowed="dh_head", data=lambda w: {}
    ),
    "cases:declaration_decide": Target(
        lambda w: {"pk": district_case(w).declaration.pk}, method="post", allowed="dh_head", data=lambda w: {}
    ),
    "cases:relation_review": Target(
        lambda w: {"pk": _relation(w).pk}, method="post", allowed="inspector", data=lambda w: {}
    ),
    "alerts:warning_detail": Target(lambda w: {"pk": district_alerts(w).warning.pk}),
    "alerts:warning_approve": Target(
        lambda w: {"pk": district_alerts(w).warning.pk}, method="post", allowed="chief", data=lambda w: {}
    ),
    "alerts:warning_raise": Target(
        lambda w: {"pk": district_alerts(w).warning.pk}, method="post", allowed="inspector", data=lambda w: {}
    ),
    "alerts:action_result": Target(
        lambda w: {"pk": _action(w).pk}, method="post", allowed="inspector", data=lambda w: {"result": "已谈话"}
    ),
    "alerts:clue_detail": Target(lambda w: {"pk": district_alerts(w).clue.pk}),
    "alerts:circular_detail": Target(lambda w: {"pk": _circular(w).pk}),
    "alerts:visit_detail": Target(lambda w: {"pk": _visit(w).pk}),
    "risks:letter": Target(lambda w: {"department": w.dh_officer.department_id}),
    "inspections:detail": Target(lambda w: {"pk": _inspection(w).pk}),
    "inspections:report_pdf": Target(lambda w: {"pk": _inspection(w).pk}),
    "inspections:item": Target(lambda w: {"pk": (_inspection(w), w._item)[1].pk}),
    "inspections:finding": Target(lambda w: {"pk": (_inspection(w), w._finding)[1].pk}),
    "inspections:evidence": Target(lambda w: {"pk": (_inspection(w), w._evidence)[1].pk}),
    "inspections:finding_new": Target(lambda w: {"pk": _inspection(w).pk}, allowed="dh_inspector"),
    "inspections:report": Target(
        lambda w: {"pk": _inspection(w).pk}, method="post", allowed="dh_inspector", data=lambda w: {"text": "总体良好"}
    ),
    "alerts:circular_print": Target(lambda w: {"pk": _circular(w).pk}),
    "alerts:circular_edit": Target(lambda w: {"pk": _circular(w).pk}, allowed="dh_inspector"),
    "alerts:circular_action": Target(
        lambda w: {"pk": _circular(w).pk, "step": "submit"}, method="post", allowed="dh_inspector"
    ),
    "alerts:clue_action": Target(
        lambda w: {"pk": district_alerts(w).clue.pk, "step": "step"},
        method="post",
        allowed="inspector",
        data=lambda w: {"text": "约谈了解情况"},
    ),
    "archives:archive": Target(lambda w: {"pk": w.dh_officer.pk, "kind": "integrity"}),
    "archives:print_one": Target(
        lambda w: {"pk": w.dh_officer.pk, "kind": "performance"}, method="post", data=lambda w: {}
    ),
    "archives:printed": Target(lambda w: {"number": _printed(w).number}),
    "archives:records": Target(lambda w: {"pk": w.dh_officer.pk}),
    "archives:override_bar": Target(
        lambda w: {"pk": w.dh_officer.pk}, method="post", allowed="chief", data=lambda w: {"override-reason": "x"}
    ),
    "archives:quarter_detail": Target(lambda w: {"pk": _quarter(w).pk}),
    "archives:matter_review": Target(
        lambda w: {"pk": _matter(w).pk}, method="post", allowed="inspector", data=lambda w: {"decision": "accept"}
    ),
    "archives:duty_account": Target(lambda w: {"pk": _duty_account(w).pk}),
    "archives:duty_account_review": Target(
        lambda w: {"pk": _duty_account(w).pk},
        method="post",
        allowed="dh_inspector",
        data=lambda w: {"decision": "accept"},
    ),
    "risks:risk_point_review": Target(
        lambda w: {"pk": _risk_review(w).pk}, method="post", allowed="dh_head", data=lambda w: {"outcome": "confirmed"}
    ),
    "archives:print_job": Target(lambda w: {"pk": _print_job(w).pk}),
    "archives:download": Target(lambda w: {"pk": _print_job(w).pk}),
    "risks:power_item_detail": Target(lambda w: {"pk": _d(w).power_item.pk}),
    "risks:power_item_edit": Target(lambda w: {"pk": _d(w).power_item.pk}, allowed="admin"),
    "risks:risk_point_detail": Target(lambda w: {"pk": _d(w).risk_point.pk}),
    "risks:risk_point_edit": Target(lambda w: {"pk": _d(w).risk_point.pk}, allowed="admin"),
    "risks:risk_point_move": Target(
        lambda w: {"pk": _d(w).risk_point.pk, "step": "submit"}, method="post", allowed="admin", data=lambda w: {}
    ),
    "risks:import_detail": Target(lambda w: {"pk": _d(w).batch.pk}, allowed="admin"),
    "cases:case_import_job": Target(
        lambda w: {"pk": CaseImport.objects.create(institution=w.dh, filename="案件.csv", imported_by=w.admin).pk},
        allowed="admin",
    ),
    "cases:case_import_errors": Target(lambda w: {"pk": _import_with_errors(w).pk}, allowed="admin"),
    "integrity:officer_import_detail": Target(
        lambda w: {
            "pk": StaffImport.objects.create(
                institution=w.dh,
                filename="名单.csv",
                content="部门,姓名,用户名\n东湖检察部,张三,zs".encode(),
                header=["部门", "姓名", "用户名"],
                column_map={"department": 0, "full_name": 1, "username": 2},
                created_by=w.admin,
            ).pk
        },
        allowed="admin",
    ),
    "risks:import_errors": Target(lambda w: {"pk": _d(w).batch.pk}, allowed="admin"),
    "risks:import_template": Target(lambda w: {"kind": "risk_points"}, allowed="admin"),
    "risks:risk_table_detail": Target(lambda w: {"pk": _d(w).table.pk}),
    "risks:risk_table_save": Target(
        lambda w: {"pk": _d(w).table.pk},
        method="post",
        allowed="dh_officer",
        data=lambda w: {
            "main_duties": "审查起诉",
            **_formset("items", [{"description": "泄露案情", "measures": "保密"}]),
        },
    ),
    "risks:risk_table_submit": Target(
        lambda w: {"pk": _d(w).table.pk}, method="post", allowed="dh_officer", data=lambda w: {}
    ),
    "risks:risk_table_review": Target(
        lambda w: {"pk": _d(w).table.pk}, method="post", allowed="dh_head", data=lambda w: {"decision": "approve"}
    ),
    "risks:check_detail": Target(lambda w: {"pk": _d(w).check.pk}),
    "risks:proposal_detail": Target(lambda w: {"pk": _d(w).proposal.pk}),
    "risks:proposal_decide": Target(
        lambda w: {"pk": _d(w).proposal.pk},
        method="post",
        allowed="dh_head",
        data=lambda w: {"decision": "decline", "note": "已有同类风险点"},
    ),
    "risks:check_submit": Target(
        lambda w: {"pk": _d(w).check.pk},
        method="post",
        allowed="dh_officer",
        data=lambda w: _formset("answers", [{"risk": "接受请托", "problem_found": "0"}]),
    ),
    "risks:check_amend": Target(
        lambda w: {"pk": _d(w).check.pk}, method="post", allowed="dh_officer", data=lambda w: {"text": "更正"}
    ),
    "risks:check_review": Target(
        lambda w: {"pk": _d(w).check.pk}, method="post", allowed="dh_head", data=lambda w: {"decision": "approve"}
    ),
}


def test_every_pattern_with_arguments_is_covered():
    missing = [
        name
        for name, pattern in all_patterns()
        if pattern.pattern.regex.groups and name not in TARGETS and name not in SHARED
    ]
    assert not missing, f"add these URL names to TARGETS with a record outside the user's scope: {missing}"


@pytest.mark.parametrize("name", [name for name, _ in all_patterns() if name not in PUBLIC])
def test_anonymous_users_are_sent_to_log_in(client, world, name):
    target = TARGETS.get(name)
    url = reverse(name, kwargs=target.kwargs(world) if target else SHARED.get(name))
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_a_record_is_hidden_from_everyone_outside_its_scope(client_for, world, name):
    target = TARGETS[name]
    url = reverse(name, kwargs=target.kwargs(world))
    data = target.data(world) if target.data else None
    for outsider in (world.officer, world.xs_inspector, world.other_officer):
        response = getattr(client_for(outsider), target.method)(url, data)
        assert response.status_code == 404, f"{outsider.username} reached {name}"


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_a_district_record_is_reachable_from_the_city_above(client_for, world, name):
    target = TARGETS[name]
    url = reverse(name, kwargs=target.kwargs(world))
    data = target.data(world) if target.data else None
    response = getattr(client_for(getattr(world, target.allowed)), target.method)(url, data)
    assert response.status_code in (200, 302), response.status_code


@pytest.mark.parametrize(
    "name",
    pages_without_arguments(),
)
def test_pages_without_arguments_show_nothing_outside_the_scope(client_for, world, name):
    response = client_for(world.xs_inspector).get(reverse(name), follow=True)
    assert response.status_code in (200, 404)  # a page that is not for this role is not found
    text = readable_text(response)
    for_district(world)
    district_case(world)
    district_alerts(world)
    for stranger in (world.dh_officer, world.officer, world.chief):
        assert stranger.full_name not in text, f"{name} shows {stranger.username} to a 西山 inspector"


# 三员分立 over every URL: the records each administrator may reach (their own work on accounts, roles and the
# catalog), and the pages on which they may see other officers' names (the account lists). Everything else is
# refused, or shows nobody else.
ADMINISTRATORS = {
    Role.ADMINISTRATOR: (
        {
            "integrity:officer_detail",
            "integrity:officer_assign_post",
            "integrity:officer_leave",
            "risks:import_detail",
            "risks:import_errors",
            "cases:case_import_job",
            "cases:case_import_errors",
            "integrity:officer_import_detail",
            "risks:import_template",
            "risks:power_item_edit",
            "risks:risk_point_edit",
            "risks:risk_point_move",
        },
        {"integrity:officer_list", "cases:case_create"},  # the accounts; the handlers a registered case may have
    ),
    Role.SECURITY_ADMIN: ({"integrity:officer_detail", "integrity:role_request_decide"}, {"integrity:officer_list"}),
    Role.AUDITOR: (set(), set()),
}


@pytest.mark.parametrize("role", sorted(ADMINISTRATORS))
def test_each_administrator_reaches_their_part_and_nothing_else(client_for, world, role):
    from integrity import actions
    from tests.factories import OfficerFactory

    person = world.admin if role == Role.ADMINISTRATOR else OfficerFactory(username=role, department=world.office)
    if role != Role.ADMINISTRATOR:
        actions.grant_role(person, role, world.city, acting_user=None)
    records, lists = ADMINISTRATORS[role]
    client = client_for(person)
    for name, target in sorted(TARGETS.items()):
        url = reverse(name, kwargs=target.kwargs(world))
        status = getattr(client, target.method)(url, target.data(world) if target.data else None).status_code
        assert (status not in (403, 404)) == (name in records), f"{role} {name} {status}"
    for_district(world), district_case(world), district_alerts(world)
    for name in pages_without_arguments():
        response = client.get(reverse(name), follow=True)
        text = response.content.decode(errors="replace") if response["Content-Type"].startswith("text/") else ""
        shown = [o.username for o in (world.dh_officer, world.officer, world.chief) if o.full_name in text]
        assert not shown or name in lists, f"{role} sees {shown} on {name}"
