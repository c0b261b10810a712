"""Cases: conflict screening, the gate from every path, the approval chain, deadlines, declarations, import."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from cases import actions, assessments, declarations, notices
from cases.choices import AssessmentStatus, PartyRole, ReviewStatus
from cases.importing import import_cases
from cases.models import (
    Approval,
    Assessment,
    Case,
    CaseHandler,
    CaseImport,
    CaseParty,
    ConflictMatch,
    Declaration,
    DeclarationAnswer,
    DeclarationQuestion,
    QuestionOptOut,
    Stage,
    SupervisionNotice,
)
from cases.queries import open_notices_to_count, questions_for, visible_assessments, visible_cases, visible_notices
from cases.rules import assessment_overdue, colour_for, declaration_overdue
from integrity.workdays import CALENDAR_DAYS
from tests.cases.records import all_no, assess, declare, make_case
from tests.concurrency import twice_at_once

# The dates below are November 2026's; the clock stands on the day these tests were written against.
pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-11-20")]

RED = ["可能引发越级访、进京访或集体访", "当事人有过激言行或极端行为苗头", "当事人或其亲属有上访、闹访倾向"]  # 70
ORANGE = ["可能引发越级访、进京访或集体访", "涉众型案件，涉及人数众多"]  # 45
YELLOW = ["当事人或其亲属有上访、闹访倾向"]  # 20


def stage(name: str) -> Stage:
    return Stage.objects.get(name=name)


def sibling_lawyer(officer):
    return actions.declare_relation(
        officer, name="王 律师", relation="sibling", occupation="lawyer", employer="江州正义律师事务所有限公司",
        acting_user=officer,
    )  # fmt: skip


def csv_file(rows: list[list[str]]) -> bytes:
    header = ["案号", "案件名称", "案件类型", "承办部门", "承办人", "受理日期", "当前环节", "当事人", "代理人"]
    return "\n".join(",".join(r) for r in [header, *rows]).encode("utf-8")


# --- screening ---------------------------------------------------------------------------------------------


def test_a_lawyer_matching_a_handlers_relation_flags_the_case_on_manual_entry(world):
    sibling_lawyer(world.officer)
    lawyer = actions.PartyData(PartyRole.AGENT, "王律师", "江州正义律师事务所")
    case = make_case(
        world.prosecution,
        [world.officer, world.colleague],
        parties=[actions.PartyData(PartyRole.PARTY, "张三"), lawyer],
    )
    case.refresh_from_db()
    assert case.has_conflict
    match = ConflictMatch.objects.get()
    assert (match.officer, match.party.name) == (world.officer, "王律师")


def test_a_match_on_the_law_firm_alone_also_flags(world):
    sibling_lawyer(world.officer)
    case = make_case(
        world.prosecution, [world.officer], parties=[actions.PartyData(PartyRole.AGENT, "李四", "江州正义律师事务所")]
    )
    case.refresh_from_db()
    assert case.has_conflict and ConflictMatch.objects.get().on_employer


def test_no_match_no_flag(world):
    sibling_lawyer(world.colleague)  # not a handler of this case
    case = make_case(world.prosecution, [world.officer], parties=[actions.PartyData(PartyRole.AGENT, "王律师", "某所")])
    case.refresh_from_db()
    assert not case.has_conflict


def test_a_match_flags_the_case_on_import_and_the_declaration_shows_it(client_for, world):
    sibling_lawyer(world.officer)
    content = csv_file(
        [
            [
                "（2026）江检刑诉字第9号",
                "李某诈骗案",
                "刑事",
                "公诉处",
                "李明",
                "2026-11-03",
                "受理",
                "李某",
                "王律师（江州正义律师事务所）",
            ]
        ]
    )
    result = import_cases(world.city, content, "cases.csv", acting_user=world.admin)
    assert result.ok and result.conflicts == 1
    case = Case.objects.get(number="（2026）江检刑诉字第9号")
    assert case.has_conflict
    page = client_for(world.officer).get(Declaration.objects.get(case=case).get_absolute_url()).content.decode()
    assert 'data-testid="conflict-notice"' in page and "王律师" in page


# --- the gate ----------------------------------------------------------------------------------------------


def test_the_gate_names_each_missing_piece_separately(world):
    case = make_case(world.prosecution, [world.officer, world.colleague])
    with pytest.raises(actions.GateClosed) as closed:
        actions.move_case(case, stage("审查"), acting_user=world.officer)
    kinds = sorted(m.kind for m in closed.value.missing)
    assert kinds == ["assessment", "declaration", "declaration"]

    declare(case, world.officer)
    with pytest.raises(actions.GateClosed) as closed:
        actions.move_case(case, stage("审查"), acting_user=world.officer)
    assert [(m.kind, m.officer_id) for m in closed.value.missing] == [
        ("assessment", None),
        ("declaration", world.colleague.pk),
    ]

    assessment = assess(case, world.officer)
    with pytest.raises(actions.GateClosed) as closed:
        actions.move_case(case, stage("审查"), acting_user=world.officer)
    assert [m.kind for m in closed.value.missing] == ["assessment", "declaration"]  # submitted is not approved

    assessments.decide_assessment(assessment, approve=True, acting_user=world.depthead)
    declare(case, world.colleague)
    actions.move_case(case, stage("审查"), acting_user=world.officer)
    case.refresh_from_db()
    assert case.stage.name == "审查"


def test_the_page_refuses_to_close_and_says_why(client_for, world):
    case = make_case(world.prosecution, [world.officer])
    declare(case, world.officer)
    assess(case, world.officer)
    response = client_for(world.officer).post(
        reverse("cases:case_move", args=[case.pk]), {"stage": stage("办结").pk}, follow=True
    )
    page = response.content.decode()
    assert "风险评估尚未审批" in page or "not approved" in page
    case.refresh_from_db()
    assert case.stage.name == "受理" and case.closed_on is None


def test_the_import_is_held_by_the_same_gate(world):
    case = make_case(world.prosecution, [world.officer], number="（2026）江检刑诉字第1号")
    row = [case.number, "张某某盗窃案", "刑事", "公诉处", "李明", "2026-11-02", "审查", "", ""]
    result = import_cases(world.city, csv_file([row]), "cases.csv", acting_user=world.admin)
    assert not result.ok and result.errors[0][0] == 2
    assert len(result.errors[0][1]) == 2  # the assessment and the declaration, each named
    case.refresh_from_db()
    assert case.stage.name == "受理"
    new = ["（2026）江检刑诉字第2号", "新案", "刑事", "公诉处", "李明", "2026-11-02", "决定", "", ""]
    assert not import_cases(world.city, csv_file([new]), "cases.csv", acting_user=world.admin).ok


# --- the approval chain ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("factors", "colour", "chain"),
    [([], "blue", ["depthead"]), (YELLOW, "yellow", ["depthead"]), (ORANGE, "orange", ["depthead", "deputy"]),
     (RED, "red", ["depthead", "deputy", "chief"])],
)  # fmt: skip
def test_the_approval_chain_follows_the_grade(world, client_for, factors, colour, chain):
    case = make_case(world.prosecution, [world.officer])
    assessment = assess(case, world.officer, score_factors=factors)
    assert assessment.colour == colour
    for n, persona in enumerate(chain):
        others = [p for p in ("depthead", "deputy", "chief") if p != persona]
        for other in others:  # nobody else may decide at this step
            client_for(getattr(world, other)).post(
                reverse("cases:assessment_decide", args=[assessment.pk]), {"decision": "approve"}
            )
        assessment.refresh_from_db()
        assert assessment.status == AssessmentStatus.PENDING and assessment.next_level == n + 1
        client_for(getattr(world, persona)).post(
            reverse("cases:assessment_decide", args=[assessment.pk]), {"decision": "approve"}
        )
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.APPROVED
    assert [a.approver.username for a in Approval.objects.filter(assessment=assessment)] == chain


def test_a_return_goes_back_to_the_handler_and_a_resubmission_starts_the_chain_again(world):
    case = make_case(world.prosecution, [world.officer])
    assessment = assess(case, world.officer, score_factors=ORANGE)
    assessments.decide_assessment(assessment, approve=True, acting_user=world.depthead)
    with pytest.raises(ValidationError):
        assessments.decide_assessment(assessment, approve=False, reason="", acting_user=world.deputy)
    assessments.decide_assessment(assessment, approve=False, reason="预案不具体", acting_user=world.deputy)
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.RETURNED
    assessment = assessments.save_assessment(case, factors=[], plan="细化预案：每周回访", acting_user=world.officer)
    assert assessment.colour == "blue"
    assessments.submit_assessment(assessment, acting_user=world.officer)
    assessments.decide_assessment(assessment, approve=True, acting_user=world.depthead)
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.APPROVED
    history = [(a.approver.username, a.decision) for a in assessment.approvals.all()]
    assert history == [("depthead", "approve"), ("deputy", "return"), ("depthead", "approve")]


# --- deadlines ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("colour", "days"), [("red", 15), ("orange", 30), ("yellow", 90), ("blue", 180)])
def test_each_grade_has_its_handling_deadline(colour, days):
    from cases.models import ColourGrade

    grade = ColourGrade.objects.get(colour=colour)
    approved = datetime.date(2026, 11, 1)
    deadline = CALENDAR_DAYS.after(approved, grade.deadline_days)
    assert deadline == approved + datetime.timedelta(days=days)
    assert not assessment_overdue(AssessmentStatus.APPROVED, deadline, deadline)
    assert assessment_overdue(AssessmentStatus.APPROVED, deadline, deadline + datetime.timedelta(days=1))
    assert not assessment_overdue(AssessmentStatus.CLOSED, deadline, deadline + datetime.timedelta(days=1))


def test_the_score_boundaries_of_the_colours():
    from cases.models import ColourGrade

    scale = list(ColourGrade.objects.all())
    assert [colour_for(s, scale).colour for s in (0, 19, 20, 39, 40, 59, 60, 200)] == [
        "blue", "blue", "yellow", "yellow", "orange", "orange", "red", "red",
    ]  # fmt: skip


def test_declarations_are_overdue_after_the_policy_days_or_at_the_decision_stage():
    due = datetime.date(2026, 11, 9)
    assert not declaration_overdue(due, False, False, due)
    assert declaration_overdue(due, False, False, due + datetime.timedelta(days=1))
    assert declaration_overdue(due, False, True, due - datetime.timedelta(days=5))
    assert not declaration_overdue(due, True, True, due + datetime.timedelta(days=5))


def test_an_overdue_assessment_gets_one_supervision_notice_to_the_handler_copied_to_the_head(world):
    case = make_case(world.prosecution, [world.officer])
    assessment = assess(case, world.officer)
    assessments.decide_assessment(assessment, approve=True, acting_user=world.depthead)
    assessment.refresh_from_db()
    assert notices.issue_supervision_notices(assessment.deadline) == 0
    assert notices.issue_supervision_notices(assessment.deadline + datetime.timedelta(days=1)) == 1
    assert notices.issue_supervision_notices(assessment.deadline + datetime.timedelta(days=2)) == 0
    notice = SupervisionNotice.objects.get()
    assert (notice.addressed_to, notice.copied_to) == (world.officer, world.depthead)
    year = (assessment.deadline + datetime.timedelta(days=1)).year
    assert (notice.institution, notice.year, notice.serial) == (world.city, year, 1)


def test_notices_are_numbered_by_their_body_and_year(world):
    def overdue_assessment(department, handler, head):
        assessment = assess(make_case(department, [handler]), handler)
        return assessments.decide_assessment(assessment, approve=True, acting_user=head)

    first, second = (overdue_assessment(world.prosecution, world.officer, world.depthead) for _ in range(2))
    elsewhere = overdue_assessment(world.dh_officer.department, world.dh_officer, world.dh_head)
    day = max(first.deadline, second.deadline, elsewhere.deadline) + datetime.timedelta(days=1)
    notices.issue_supervision_notices(day)
    numbers = {n.assessment_id: (n.institution_id, n.serial) for n in SupervisionNotice.objects.all()}
    assert numbers == {first.pk: (world.city.pk, 1), second.pk: (world.city.pk, 2), elsewhere.pk: (world.dh.pk, 1)}
    assert (
        SupervisionNotice.objects.get(assessment=second).number
        == f"{world.city.short_name or world.city.name}督〔{day.year}〕2号"
    )


def test_the_notice_prints_as_a_one_page_official_document_in_chinese(client_for, world):
    assessment = assess(make_case(world.prosecution, [world.officer]), world.officer)
    assessments.decide_assessment(assessment, approve=True, acting_user=world.depthead)
    assessment.refresh_from_db()
    notices.issue_supervision_notices(assessment.deadline + datetime.timedelta(days=1))
    notice = SupervisionNotice.objects.get()
    page = client_for(world.officer).get(notice.get_absolute_url()).content.decode()
    assert reverse("cases:notice_pdf", args=[notice.pk]) in page and notice.number in page
    printed = client_for(world.depthead).get(reverse("cases:notice_pdf", args=[notice.pk]))
    assert printed.status_code == 200 and printed["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(printed.content))
    text = reader.pages[0].extract_text()
    assert len(reader.pages) == 1
    for phrase in ("督办通知书", notice.number, "李明", world.city.name, assessment.case.number, "抄送", "何琳"):
        assert phrase in text.replace(" ", ""), phrase
    assert client_for(world.xs_officer).get(reverse("cases:notice_pdf", args=[notice.pk])).status_code == 404


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_notice_jobs_at_once_issue_one_notice(world):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested on PostgreSQL")
    approved = []
    for _ in range(20):
        case = make_case(world.prosecution, [world.officer])
        assessment = assess(case, world.officer)
        approved.append(assessments.decide_assessment(assessment, approve=True, acting_user=world.depthead))
    day = max(a.deadline for a in Assessment.objects.all()) + datetime.timedelta(days=1)
    assert not twice_at_once(lambda: notices.issue_supervision_notices(day))
    assert SupervisionNotice.objects.count() == len(approved)
    assert sorted(SupervisionNotice.objects.values_list("serial", flat=True)) == list(range(1, len(approved) + 1))


def test_a_notice_is_acknowledged_answered_and_closed_by_the_closing_feedback(
    client_for, world, django_capture_on_commit_callbacks
):
    case = make_case(world.prosecution, [world.officer])
    assessment = assess(case, world.officer)
    assessments.decide_assessment(assessment, approve=True, acting_user=world.depthead)
    assessment.refresh_from_db()
    notices.issue_supervision_notices(assessment.deadline + datetime.timedelta(days=1))
    notice = SupervisionNotice.objects.get()
    handler, head = client_for(world.officer), client_for(world.depthead)
    assert notice.get_absolute_url() in handler.get(reverse("todos")).content.decode()
    assert notice.get_absolute_url() in head.get(reverse("todos")).content.decode()  # the copy, to follow up
    assert head.post(reverse("cases:notice_acknowledge", args=[notice.pk])).status_code == 404  # not hers to sign

    handler.post(reverse("cases:notice_acknowledge", args=[notice.pk]))
    refused = handler.post(reverse("cases:notice_answer", args=[notice.pk]), {"text": ""}, follow=True)
    assert "这个字段是必填项" in refused.content.decode()
    handler.post(reverse("cases:notice_answer", args=[notice.pk]), {"text": "已约谈当事人，预计下周化解"})
    notice.refresh_from_db()
    assert notice.acknowledged_at and notice.answer.startswith("已约谈") and notice.closed_at is None
    assert notice.history.latest().history_user == world.officer

    inspector = client_for(world.inspector)

    def on_the_board() -> bool:
        return notice.number in inspector.get(reverse("alerts:board")).content.decode().split('"open-notices"')[1]

    assert on_the_board()
    with django_capture_on_commit_callbacks(execute=True):
        assessments.file_feedback(assessment, feedback="已化解，当事人息诉", acting_user=world.officer)
    notice.refresh_from_db()
    assert notice.closed_at is not None and not on_the_board()
    for client in (handler, head):
        assert notice.get_absolute_url() not in client.get(reverse("todos")).content.decode()
    assert 'data-value="closed"' in head.get(notice.get_absolute_url()).content.decode()
    listed = reverse("cases:notice_list")
    assert notice.number in head.get(listed).content.decode()
    listed_page = head.get(listed).content.decode()
    assert 'data-value="closed"' in listed_page.split(notice.number)[1]  # the list's badge
    exported = head.get(listed, {"_export": "csv"}).content.decode("utf-8-sig")
    assert notice.number in exported and "已办结" in exported.split(notice.number)[1].splitlines()[0]
    assert notice.number not in head.get(listed + "?open=true").content.decode()
    assert notice.number in head.get(listed + "?mine=true").content.decode()  # copied to her
    assert notice.number not in client_for(world.colleague).get(listed).content.decode()


def test_discipline_staff_see_the_notices_their_bodies_issued_those_on_their_cases_and_those_sent_to_them(world):
    """The issuing body overseen, the case in scope, the addressee and the one copied: each on its own lets a notice
    be seen; a notice none of them names is not."""
    dh_case = assess(make_case(world.dh_officer.department, [world.dh_officer]), world.dh_officer)
    city_case = assess(make_case(world.prosecution, [world.colleague]), world.colleague)
    handled_by_him = assess(make_case(world.prosecution, [world.officer]), world.officer)
    xs_case = assess(make_case(world.xs_officer.department, [world.xs_officer]), world.xs_officer)

    def notice(serial, by, assessment=None, **to):
        return SupervisionNotice.objects.create(
            institution=by, assessment=assessment, record_id=serial, year=2026, serial=serial, text="督办", **to
        ).pk

    issued_by_dh = notice(1, world.dh)  # no case at all
    on_a_dh_case = notice(2, world.city, dh_case)
    sent_to_her = notice(3, world.city, city_case, addressed_to=world.dh_inspector)
    copied_to_her = notice(4, world.xs, xs_case, copied_to=world.dh_inspector)
    nothing_of_hers = notice(5, world.city, handled_by_him, addressed_to=world.other_officer)
    issued_by_xs = notice(6, world.xs)

    def seen(officer):
        return set(visible_notices(officer).values_list("pk", flat=True))

    assert seen(world.dh_inspector) == {issued_by_dh, on_a_dh_case, sent_to_her, copied_to_her}
    assert seen(world.inspector) == {issued_by_dh, on_a_dh_case, sent_to_her, copied_to_her, nothing_of_hers,
                                     issued_by_xs}  # fmt: skip
    assert seen(world.xs_inspector) == {copied_to_her, issued_by_xs}
    assert seen(world.officer) == {nothing_of_hers}  # the handler of the case, not the addressee
    assert seen(world.other_officer) == {nothing_of_hers}  # the addressee
    assert seen(world.dh_officer) == {on_a_dh_case}  # the case he handles, issued by a body he does not oversee
    SupervisionNotice.objects.filter(pk__in=[issued_by_dh, copied_to_her]).update(closed_at=timezone.now())
    for officer in (world.dh_inspector, world.inspector, world.xs_inspector, world.officer, world.dh_officer):
        open_ones = set(visible_notices(officer).filter(closed_at__isnull=True).values_list("pk", flat=True))
        assert open_notices_to_count(officer).count() == len(open_ones), officer  # the board's count, in two parts
    assert open_notices_to_count(world.dh_inspector).count() == 2  # on a dh case, sent to her


# --- declarations ------------------------------------------------------------------------------------------


def test_a_yes_needs_its_details_and_goes_to_review(client_for, world):
    case = make_case(world.prosecution, [world.officer])
    declaration = Declaration.objects.get(case=case)
    interceding = DeclarationQuestion.objects.get(code="insider-inquiry")
    data = {f"q{q.pk}": "0" for q in DeclarationQuestion.objects.all()} | {f"q{interceding.pk}": "1"}
    client = client_for(world.officer)
    refused = client.post(reverse("cases:declaration_submit", args=[declaration.pk]), data)
    assert refused.status_code == 200 and f'name="q{interceding.pk}_person"' in refused.content.decode()
    declaration.refresh_from_db()
    assert declaration.submitted_at is None
    data |= {f"q{interceding.pk}_person": "赵某", f"q{interceding.pk}_relation": "本院执行局干警",
             f"q{interceding.pk}_when": "2026-11-05", f"q{interceding.pk}_handling": "拒绝并登记报告"}  # fmt: skip
    client.post(reverse("cases:declaration_submit", args=[declaration.pk]), data)
    declaration.refresh_from_db()
    assert declaration.has_yes and declaration.review_status == ReviewStatus.PENDING
    queue = client_for(world.depthead).get(reverse("cases:review_queue")).content.decode()
    assert case.number in queue.split('data-testid="declarations-awaiting-review"')[1]


def test_a_submitted_declaration_cannot_be_changed_and_an_amendment_keeps_both(client_for, world):
    case = make_case(world.prosecution, [world.officer])
    declaration = declare(case, world.officer)
    answers_before = list(DeclarationAnswer.objects.filter(declaration=declaration).values_list("answer", "details"))
    data = {f"q{q.pk}": "1" for q in DeclarationQuestion.objects.all()}
    client = client_for(world.officer)
    client.post(reverse("cases:declaration_submit", args=[declaration.pk]), data)
    with pytest.raises(ValidationError):
        declarations.submit_declaration(declaration, all_no(declaration), acting_user=world.officer)
    assert (
        list(DeclarationAnswer.objects.filter(declaration=declaration).values_list("answer", "details"))
        == answers_before
    )
    client.post(
        reverse("cases:declaration_amend", args=[declaration.pk]), {"text": "补充：11月6日当事人亲属来电，已拒绝"}
    )
    page = client.get(declaration.get_absolute_url()).content.decode()
    assert "补充" in page and 'data-testid="declaration-answers"' in page


def test_retiring_or_rewording_a_question_leaves_past_declarations_intact(world):
    case = make_case(world.prosecution, [world.officer])
    declaration = declare(case, world.officer)
    meals = DeclarationQuestion.objects.get(code="meals")
    original = meals.text
    meals.text = "是否接受当事人、代理人及其他利害关系人的宴请？"
    meals.save()
    gifts = DeclarationQuestion.objects.get(code="gifts")
    gifts.is_active = False
    gifts.save()
    answers = {a.question.code: a.question_text for a in declaration.answers.select_related("question")}
    assert answers["meals"] == original and "gifts" in answers
    later = make_case(world.prosecution, [world.officer])
    form_questions = [a.question.code for a in declare(later, world.officer).answers.select_related("question")]
    assert "gifts" not in form_questions


# --- import ------------------------------------------------------------------------------------------------


ROWS = [
    ["（2026）江检刑诉字第101号", "甲盗窃案", "刑事", "公诉处", "李明", "2026-11-01", "受理", "甲", "钱律师（某律所）"],
    ["（2026）江检刑诉字第102号", "乙诈骗案", "刑事", "公诉处", "李明、王芳", "2026/11/02", "", "乙、丙", ""],
]


def snapshot():
    return (
        sorted(Case.objects.values_list("number", "title", "stage__name", "received_on")),
        sorted(CaseHandler.objects.values_list("case__number", "officer__username", "is_lead")),
        sorted(CaseParty.objects.values_list("case__number", "role", "name", "organisation")),
        sorted(Declaration.objects.values_list("case__number", "officer__username", "due_on")),
    )


def test_importing_the_same_file_twice_gives_the_same_database(world):
    first = import_cases(world.city, csv_file(ROWS), "cases.csv", acting_user=world.admin)
    assert first.ok and (first.created, first.updated) == (2, 0)
    before = snapshot()
    second = import_cases(world.city, csv_file(ROWS), "cases.csv", acting_user=world.admin)
    assert second.ok and (second.created, second.updated) == (0, 0)
    assert snapshot() == before
    log = CaseImport.objects.order_by("imported_at")
    assert [(i.created, i.updated, i.imported_by) for i in log] == [(2, 0, world.admin), (0, 0, world.admin)]
    changed = [[*ROWS[0][:1], "甲盗窃案（更正）", *ROWS[0][2:]], ROWS[1]]
    assert import_cases(world.city, csv_file(changed), "cases.csv", acting_user=world.admin).updated == 1
    assert Case.objects.get(number=ROWS[0][0]).history.latest().history_user == world.admin


def test_an_xlsx_export_imports_too(world):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["案号", "案件名称", "案件类型", "承办部门", "承办人", "受理日期"])
    workbook.active.append(["（2026）江检刑诉字第7号", "丁案", "刑事", "公诉处", "李明", datetime.date(2026, 11, 4)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert import_cases(world.city, buffer.getvalue(), "export.xlsx", acting_user=world.admin).ok
    assert Case.objects.get().received_on == datetime.date(2026, 11, 4)


def test_a_bad_file_writes_nothing_and_names_each_row(client_for, world, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    rows = [*ROWS, ["（2026）江检刑诉字第103号", "戊案", "刑事", "无此部门", "查无此人", "2026-13-40", "", "", ""]]
    client = client_for(world.admin)
    response = client.post(
        reverse("cases:case_import"),
        {"institution": world.city.pk, "file": SimpleUploadedFile("cases.csv", csv_file(rows))},
    )
    job = CaseImport.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        form = {f"col_{k}": "" if v is None else str(v) for k, v in job.column_map.items()}
        client.post(response["Location"], form | {"import": "1"})
    # The import ran as a job; its page, opened again later, still tells what became of the file.
    page = client.get(response["Location"]).content.decode()
    errors = page.split('data-testid="import-errors"')[1]
    assert "第 4 行" in errors and "无此部门" in errors and "查无此人" in errors
    assert 'data-status="rejected"' in page
    assert not Case.objects.exists() and not Declaration.objects.exists()


# --- scope and query counts --------------------------------------------------------------------------------


def test_handlers_see_only_their_cases(client_for, world):
    mine = make_case(world.prosecution, [world.officer])
    theirs = make_case(world.prosecution, [world.colleague])
    client = client_for(world.officer)
    assert client.get(mine.get_absolute_url()).status_code == 200
    assert client.get(theirs.get_absolute_url()).status_code == 404
    listed = client.get(reverse("cases:case_list")).content.decode()
    assert mine.number in listed and theirs.number not in listed
    assert client_for(world.depthead).get(theirs.get_absolute_url()).status_code == 200


def test_a_co_handler_sees_whether_a_colleague_filed_but_is_not_shown_a_link_to_their_declaration(client_for, world):
    """A declaration is its handler's record: a co-handler may not open it, so the case page (its handlers and its
    gate) links only the ones the reader may read; the head over both opens both."""
    case = make_case(world.prosecution, [world.officer, world.colleague])
    own, colleagues = (case.declarations.get(officer=o) for o in (world.officer, world.colleague))
    page = client_for(world.officer).get(case.get_absolute_url()).content.decode()
    assert own.get_absolute_url() in page and colleagues.get_absolute_url() not in page
    assert client_for(world.officer).get(colleagues.get_absolute_url()).status_code == 404
    head = client_for(world.depthead).get(case.get_absolute_url()).content.decode()
    assert own.get_absolute_url() in head and colleagues.get_absolute_url() in head


def test_a_head_sees_the_departments_cases_and_the_ones_they_handle_elsewhere_and_no_others(client_for, world):
    """A head's scope is one subquery (their departments' cases and their own as a handler): the same cases the
    condition it replaced gave, in the case list and through a case's assessments and notices."""
    handlers = {
        (ours := make_case(world.prosecution, [world.officer])): world.officer,
        (handled_elsewhere := make_case(world.investigation, [world.depthead])): world.depthead,
        (not_ours := make_case(world.investigation, [world.other_officer])): world.other_officer,
        make_case(world.dh_officer.department, [world.dh_officer]): world.dh_officer,
    }
    assert set(visible_cases(world.depthead)) == {ours, handled_elsewhere}
    for case, handler in handlers.items():
        assess(case, handler)
    assessed = {a.case for a in visible_assessments(world.depthead)}
    assert assessed == {ours, handled_elsewhere}
    grid = client_for(world.depthead).get(reverse("cases:assessment_list")).context["grid"]
    assert [(name, sum(counts.values())) for name, counts in grid] == [("侦查监督处", 1), ("公诉处", 1)]
    assert set(visible_cases(world.inspector)) >= {ours, handled_elsewhere, not_ours}


def test_the_case_list_costs_the_same_queries_for_10_and_1000_rows(client_for, world, django_assert_num_queries):
    client = client_for(world.depthead)
    for rows in (10, 1000):
        existing = Case.objects.count()
        batch = [
            [f"（2026）量检字第{n}号", "案", "刑事", "公诉处", "李明、王芳", "2026-11-01", "", "当事人", ""]
            for n in range(existing, rows)
        ]
        assert import_cases(world.city, csv_file(batch), "cases.csv", acting_user=world.admin).ok
        # session, user, scope, the stages (which are re-assessed), the page of cases with needs (no count), their
        # handlers, the filter choices (3), and the bell's unread count
        with django_assert_num_queries(10):
            assert client.get(reverse("cases:case_list"), {"per_page": 50}).status_code == 200


def test_the_assessment_and_review_lists_stay_flat(client_for, world, django_assert_max_num_queries):
    for _ in range(12):
        case = make_case(world.prosecution, [world.officer])
        assess(case, world.officer, score_factors=ORANGE)
        declaration = Declaration.objects.get(case=case)
        question = DeclarationQuestion.objects.get(code="meals")
        answers = [
            declarations.AnswerData(q, q == question, "同学聚餐，已退还费用" if q == question else "")
            for q in DeclarationQuestion.objects.filter(is_active=True)
        ]
        declarations.submit_declaration(declaration, answers, acting_user=world.officer)
    head, inspector = client_for(world.depthead), client_for(world.inspector)
    # session, user, scope, the bell, then the declarations and the assessments, each one query with relations
    with django_assert_max_num_queries(7):
        head.get(reverse("cases:review_queue"))
    # session, user, scope, count, the page, the grade-by-department grid, the department choices, the bell
    with django_assert_max_num_queries(9):
        inspector.get(reverse("cases:assessment_list"))


def test_an_administrator_stops_asking_a_question_in_the_admin_without_a_code_change(client_for, world):
    """The product's questions are not an institution's to retire: its administrator stops asking one for the bodies
    they manage (their own questions they retire like any data)."""
    question = DeclarationQuestion.objects.get(code="entertainment")
    client = client_for(world.admin)
    change = reverse("admin:cases_declarationquestion_change", args=[question.pk])
    assert client.post(change, {"code": question.code, "text": question.text, "kind": question.kind}).status_code == 403
    response = client.post(
        reverse("admin:cases_questionoptout_add"), {"question": question.pk, "institution": world.city.pk}
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.is_active and question not in questions_for(world.city) and question not in questions_for(world.dh)
    assert QuestionOptOut.objects.get().created_by == world.admin
    assert client_for(world.officer).get(reverse("admin:cases_declarationquestion_changelist")).status_code == 302


def test_values_the_database_cannot_hold_are_named_by_row_and_column_and_nothing_is_written(world):
    """On SQLite and PostgreSQL alike: an over-long case number, title, type, party or lawyer, and a quality score out
    of range or not a number, are each reported with the row; no row is written."""
    header = ["案号", "案件名称", "案件类型", "承办部门", "承办人", "受理日期", "当事人", "代理人", "质量评分"]
    good = ["（2026）江检刑诉字第201号", "甲案", "刑事", "公诉处", "李明", "2026-11-02", "张三", "", "95.5"]

    def row(**changes) -> list[str]:
        values = dict(zip(header, good, strict=True)) | changes
        return [values[h] for h in header]

    rows = [
        good,
        row(案号="号" * 101),
        row(案号="（2026）3", 案件名称="名" * 301),
        row(案号="（2026）4", 案件类型="类" * 51),
        row(案号="（2026）5", 当事人="张" * 201),
        row(案号="（2026）6", 代理人=f"王律师（{'所' * 201}）"),
        row(案号="（2026）7", 质量评分="100000"),
        row(案号="（2026）8", 质量评分="NaN"),
    ]
    content = "\n".join(",".join(r) for r in [header, *rows]).encode("utf-8")
    with translation.override("en"):
        result = import_cases(world.city, content, "cases.csv", acting_user=world.admin)
    assert [line for line, _errors in result.errors] == [3, 4, 5, 6, 7, 8, 9]
    messages = [message for _line, errors in result.errors for message in errors]
    for column in ("案号", "案件名称", "案件类型", "当事人", "代理人"):
        assert any(m.startswith(f"{column} is longer than") for m in messages), column
    assert sum("not between 0 and 100" in m for m in messages) == 2
    assert not Case.objects.exists()


def test_cases_closed_before_the_import_come_in_as_history_owing_nothing_but_screened(world):
    """A backlog: a case with its closing date (办结日期) before today takes the closing stage and owes no declaration
    (its handler's light does not turn on it), while relation screening still records a conflict; an open case
    in the same file owes its declarations as usual."""
    from cases.actions import declare_relation

    declare_relation(
        world.officer, name="王明", relation="sibling", occupation="lawyer", employer="江州正义律师事务所",
        acting_user=world.officer,
    )  # fmt: skip
    header = ["案号", "案件名称", "案件类型", "承办部门", "承办人", "受理日期", "办结日期", "代理人"]
    rows = [
        [
            "（2025）江检刑诉字第1号",
            "旧案",
            "刑事",
            "公诉处",
            "李明",
            "2025-03-01",
            "2025-06-30",
            "王明（江州正义律师事务所）",
        ],
        ["（2026）江检刑诉字第9号", "新案", "刑事", "公诉处", "李明", "2026-11-10", "", ""],
    ]
    content = "\n".join(",".join(r) for r in [header, *rows]).encode("gbk")
    result = import_cases(world.city, content, "backlog.csv", acting_user=world.admin)
    assert result.ok, result.errors
    old, new = Case.objects.get(number=rows[0][0]), Case.objects.get(number=rows[1][0])
    assert old.stage.is_final and old.closed_on == datetime.date(2025, 6, 30)
    assert not Declaration.objects.filter(case=old).exists() and Declaration.objects.filter(case=new).count() == 1
    assert ConflictMatch.objects.filter(case=old, officer=world.officer).exists() and result.conflicts == 1
    assert not new.stage.is_final and new.closed_on is None


def test_the_grade_grid_is_by_body_across_bodies_and_by_department_within_one(client_for, world):
    import re

    assess(make_case(world.prosecution, [world.officer]), world.officer)
    assess(make_case(world.dh_officer.department, [world.dh_officer]), world.dh_officer)
    client = client_for(world.inspector)

    def grid(**params) -> list[str]:
        page = client.get(reverse("cases:assessment_list"), params).content.decode()
        table = page.split('data-testid="grade-grid"')[1].split("</table>")[0]
        return re.findall(r"<tr><td>([^<]+)</td>", table)

    assert grid() == sorted([world.city.name, world.dh.name])  # the city's inspector sees both bodies
    assert grid(institution=world.dh.pk) == ["公诉科"]  # one body: its departments
    assert grid(institution=world.city.pk) == ["公诉处"]
