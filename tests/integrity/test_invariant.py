"""The loop closes (闭环): every open item that waits on somebody has an actor who is not its subject, who sees it
in their to-dos, can open it and can complete it; once completed it leaves every list and the subject's light.

The open items are found here from the records themselves, not from the ledger, so that an item no kind of
obligation lists — a flag nobody must act on — fails the test. The walk runs on an institution where every role
is the subject of every kind of item, and on the demo.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from django.urls import reverse

from alerts import actions as alert_actions
from alerts import clues
from alerts.choices import ClueKind, ClueStatus, WarningLevel, WarningStatus, WarningTarget
from alerts.engine import compute_lights
from alerts.models import Clue, IntegrityWarning, Light, RectificationAction
from archives import actions as archive_actions
from archives.choices import AccountStatus, MatterKind, ReportStatus
from archives.models import DutyAccount, MattersReport
from cases import assessments, declarations
from cases.choices import AssessmentStatus, ReviewStatus
from cases.models import Assessment, Declaration, DeclarationQuestion, SupervisionNotice
from integrity import actions as org
from integrity.choices import Role
from integrity.models import Officer
from integrity.obligations import to_dos
from risks import personal
from risks.choices import ReviewStatus as CheckReview
from risks.choices import TableStatus
from risks.models import MonthlyCheck, PersonalRiskTable, RiskPointReview
from tests.cases.records import make_case
from tests.factories import OfficerFactory
from tests.risks.records import post_risk

# The clock is pinned to a day of November 2026: the generated institution files and submits, and the walk
# completes everything, on that day.
pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-11-20")]
NOVEMBER = datetime.date(2026, 11, 1)
# What a subject's light may still show once everything others must do is done: their own filings, and a case risk
# past its deadline, which the handler closes (the supervision notices below follow it up).
OWN_FILINGS = {"monthly_check", "declaration", "matters", "assessment"}  # kinds of reason (integrity.ledger)


@dataclass(frozen=True)
class Item:
    """One open item found from the records: the page to open, whose it is, and how an actor completes it."""

    what: str
    url: str
    subject_id: int | None
    complete: Callable  # (client, actor) -> None


def open_items() -> Iterator[Item]:
    """Everything that waits on somebody other than its subject, read from the records."""
    due = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    for check in MonthlyCheck.objects.filter(submitted_at__isnull=False, review_status=CheckReview.PENDING):
        review = reverse("risks:check_review", args=[check.pk])
        yield Item("check", check.get_absolute_url(), check.officer_id, _post(review, decision="approve"))
    for table in PersonalRiskTable.objects.filter(status=TableStatus.SUBMITTED, archived_at__isnull=True):
        review = reverse("risks:risk_table_review", args=[table.pk])
        yield Item("table", table.get_absolute_url(), table.officer_id, _post(review, decision="approve"))
    for declaration in Declaration.objects.filter(
        has_yes=True, review_status=ReviewStatus.PENDING, submitted_at__isnull=False
    ):
        review = _post(reverse("cases:declaration_review", args=[declaration.pk]), text="已核实，不影响公正办案")
        yield Item("declaration", declaration.get_absolute_url(), declaration.officer_id, review)
    for assessment in Assessment.objects.filter(status=AssessmentStatus.PENDING):
        decide = _post(reverse("cases:assessment_decide", args=[assessment.pk]), decision="approve")
        yield Item("assessment", assessment.get_absolute_url(), assessment.author_id, decide)
    for warning in IntegrityWarning.objects.filter(status=WarningStatus.PROPOSED):
        approve = reverse("alerts:warning_approve", args=[warning.pk])
        approve = _post(approve, decision="approve", kinds=["reminder_talk"], due_on=due)
        yield Item("warning", warning.get_absolute_url(), warning.officer_id, approve)
    for action in RectificationAction.objects.filter(result="").select_related("warning"):
        result = _post(reverse("alerts:action_result", args=[action.pk]), result="已谈话，本人作出书面说明")
        yield Item("rectification", action.warning.get_absolute_url(), action.warning.officer_id, result)
    for clue in Clue.objects.filter(status=ClueStatus.REGISTERED):
        yield Item("clue to assign", clue.get_absolute_url(), clue.subject_id, _assign(clue))
    for clue in Clue.objects.filter(status=ClueStatus.PROPOSED):
        approve = _post(reverse("alerts:clue_action", args=[clue.pk, "approve"]))
        yield Item("clue disposal to approve", clue.get_absolute_url(), clue.subject_id, approve)
    for clue in Clue.objects.filter(status=ClueStatus.VERIFYING):
        conclude = reverse("alerts:clue_action", args=[clue.pk, "conclude"])
        conclude = _post(conclude, outcome="untrue", clarification="经核查，反映问题不属实，予以澄清")
        yield Item("clue to verify", clue.get_absolute_url(), clue.subject_id, conclude)
    for account in DutyAccount.objects.filter(status=AccountStatus.SUBMITTED):
        review = _post(reverse("archives:duty_account_review", args=[account.pk]), decision="accept")
        yield Item("account of duty and integrity", account.get_absolute_url(), account.officer_id, review)
    for risk_review in RiskPointReview.objects.filter(reviewed_at__isnull=True, owner__isnull=False):
        confirm = _post(reverse("risks:risk_point_review", args=[risk_review.pk]), outcome="confirmed")
        yield Item("yearly risk point review", risk_review.risk_point.get_absolute_url(), None, confirm)
    for report in MattersReport.objects.filter(status=ReportStatus.SUBMITTED):
        review = _post(reverse("archives:matter_review", args=[report.pk]), decision="accept")
        yield Item("matters report", reverse("archives:matters") + f"#report-{report.pk}", report.officer_id, review)


def _post(url: str, **data) -> Callable:
    def complete(client, actor) -> None:
        response = client.post(url, data)
        assert response.status_code in (200, 302), (url, response.status_code)

    return complete


def _assign(clue: Clue) -> Callable:
    def complete(client, actor) -> None:
        client.post(
            reverse("alerts:clue_action", args=[clue.pk, "assign"]), {"verifier": actor.pk, "method": "preliminary"}
        )

    return complete


def ledger(officers) -> dict[str, set[int]]:
    """Every to-do of every officer: the page it opens → who has it."""
    listed: dict[str, set[int]] = defaultdict(set)
    for officer in officers:
        for _kind, items, _total in to_dos(officer):
            for item in items:
                listed[item.url].add(officer.pk)
    return listed


def close_the_loop(client_for, rounds: int = 6) -> set[int]:
    """Walk every open item to its end, round by round (an approval may open the next item: a rectification, the
    next level); returns the subjects met."""
    officers = list(Officer.objects.filter(is_active=True))
    by_pk = {o.pk: o for o in officers}
    subjects: set[int] = set()
    for _ in range(rounds):
        items = list(open_items())
        if not items:
            return subjects
        listed = ledger(officers)
        for item in items:
            actors = listed.get(item.url, set()) - {item.subject_id}
            subject = by_pk[item.subject_id].username if item.subject_id in by_pk else None
            assert actors, f"nobody but its subject ({subject}) must act on this {item.what}: {item.url}"
            actor = by_pk[min(actors)]
            client = client_for(actor)
            assert client.get(item.url).status_code == 200, (item.what, actor.username, item.url)
            item.complete(client, actor)
            subjects.add(item.subject_id)
        after = {item.url: item for item in open_items()}
        for item in items:
            if item.url in after and after[item.url].what == item.what and after[item.url] == item:
                pytest.fail(f"completing this {item.what} left it open: {item.url}")
    pytest.fail(f"still open after {rounds} rounds: {[i.url for i in open_items()]}")


def assert_notices_reach_the_handler_and_a_follower() -> None:
    """A supervision notice is the handler's to answer and their reviewer's to follow up: both see it."""
    notices = list(SupervisionNotice.objects.filter(closed_at__isnull=True).select_related("addressed_to", "copied_to"))
    listed = ledger({n.addressed_to for n in notices} | {n.copied_to for n in notices if n.copied_to})
    for notice in notices:
        assert notice.copied_to_id and notice.copied_to_id != notice.addressed_to_id, notice.number
        assert listed[notice.get_absolute_url()] == {notice.addressed_to_id, notice.copied_to_id}, notice.number


def assert_lights_keep_only_own_filings(subjects: set[int]) -> None:
    compute_lights(officer_ids=subjects - {None})
    for light in Light.objects.filter(officer_id__in=subjects):
        left = {r["kind"] for r in light.reasons} - OWN_FILINGS
        assert not left, (light.officer.username, light.reasons)


# --- an institution where every role is the subject of every kind of item -----------------------------------


def with_a_yes(declaration: Declaration) -> list[declarations.AnswerData]:
    first, *others = DeclarationQuestion.objects.filter(is_active=True)
    yes = declarations.AnswerData(
        first, True, details="托请关照", person="赵某", person_relation="同学",
        occurred_on=datetime.date(2026, 11, 5), handling="拒绝并登记报告",
    )  # fmt: skip
    return [yes, *(declarations.AnswerData(q, False) for q in others)]


@pytest.fixture
def everyone_is_a_subject(world):
    # a second discipline officer, so that warnings and clues about the inspector have somebody to propose them
    second = org.create_officer(
        username="inspector2", full_name="钱进", department=world.inspector.department, acting_user=None
    )
    org.grant_role(second, Role.DISCIPLINE, world.city, acting_user=None)
    # the discipline lead, who decides the clues about heads and leaders and approves the staff's disposals
    lead = OfficerFactory(username="lead", full_name="韩冰", department=world.inspector.department)
    org.grant_role(lead, Role.DISCIPLINE, world.city, acting_user=None)
    org.grant_role(lead, Role.DISCIPLINE_LEAD, world.city, acting_user=None)
    subjects = [world.officer, world.depthead, world.deputy, world.chief, world.inspector, lead,
                world.dh_officer, world.dh_head, world.dh_inspector]  # fmt: skip
    for officer in subjects:
        post_risk(officer.post)
    personal.open_risk_tables()
    personal.open_monthly_checks(NOVEMBER)
    for officer in subjects:
        officer.refresh_from_db()
        check = MonthlyCheck.objects.get(officer=officer, period=NOVEMBER)
        answers = [personal.AnswerData(i.pk, i.description) for i in check.table.items.all()]
        personal.submit_monthly_check(check, answers, acting_user=officer)
        table = PersonalRiskTable.objects.get(officer=officer, archived_at__isnull=True)
        personal.submit_risk_table(
            table, pledge="严守纪律，廉洁办案", signed_on=datetime.date(2026, 11, 3), acting_user=officer
        )
        case = make_case(officer.department, [officer])
        declaration = Declaration.objects.get(case=case, officer=officer)
        declarations.submit_declaration(declaration, with_a_yes(declaration), acting_user=officer)
        assessment = assessments.save_assessment(case, factors=[], plan="释法说理", acting_user=officer)
        assessments.submit_assessment(assessment, acting_user=officer)
        archive_actions.report_matter(
            officer, kind=MatterKind.MARRIAGE, changed_on=datetime.date(2026, 11, 1), details="本人结婚",
            acting_user=officer,
        )  # fmt: skip
        proposer = world.dh_inspector if officer.institution_id == world.dh.pk else world.inspector
        if officer == proposer:
            proposer = second
        alert_actions.propose_warning(
            level=WarningLevel.GENERAL, target=WarningTarget.OFFICER, institution=officer.institution,
            officer=officer, facts="接受宴请", source="来信", acting_user=proposer,
        )  # fmt: skip
        clues.register_clue(
            institution=officer.institution, kind=ClueKind.PETITION, source="来信", subject=officer,
            content="反映其接受请托", received_on=datetime.date(2026, 11, 10), acting_user=proposer,
        )  # fmt: skip
    return subjects


def test_every_open_item_of_every_role_has_an_actor_who_sees_opens_and_completes_it(
    client_for, world, everyone_is_a_subject
):
    subjects = close_the_loop(client_for)
    assert {o.pk for o in everyone_is_a_subject} <= subjects
    assert_lights_keep_only_own_filings(subjects)
