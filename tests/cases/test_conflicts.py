"""A relation conflict forces a decision: the handler answers with it in view, the reviewer recuses or keeps them, and
until then the handler is yellow and the case is held. The clock is pinned to 20 November 2026; dates derive from it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from alerts.engine import compute_lights
from alerts.models import Light
from cases import actions, declarations
from cases.choices import ConflictDecision, PartyRole, QuestionKind, ReviewStatus
from cases.models import CaseHandler, Declaration, DeclarationQuestion
from cases.queries import gate_for
from tests.cases.records import all_no, make_case

pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-11-20")]


@pytest.fixture
def conflicted(world):
    """A case whose agent is the officer's declared sibling, a lawyer; the colleague handles it with them."""
    actions.declare_relation(
        world.officer, name="王律师", relation="sibling", occupation="lawyer", employer="江州正义律师事务所",
        acting_user=world.officer,
    )  # fmt: skip
    case = make_case(
        world.prosecution, [world.officer], parties=[actions.PartyData(PartyRole.AGENT, "王律师", "江州正义律师事务所")]
    )
    return Declaration.objects.get(case=case, officer=world.officer)


def light_kinds(officer) -> list[str]:
    compute_lights(officer_ids=[officer.pk])
    return [r["kind"] for r in Light.objects.get(officer=officer).reasons]


def file_no_with(declaration, explanation: str = ""):
    return declarations.submit_declaration(
        declaration, all_no(declaration), explanation=explanation, acting_user=declaration.officer
    )


def test_a_conflict_answered_no_without_an_explanation_is_refused_with_nothing_written(conflicted):
    with translation.override("en"), pytest.raises(ValidationError, match="explain why it is no reason to recuse"):
        file_no_with(conflicted)
    conflicted.refresh_from_db()
    assert conflicted.submitted_at is None and not conflicted.answers.exists()


def test_without_a_conflict_all_no_needs_no_explanation_and_no_review(world):
    case = make_case(world.prosecution, [world.colleague])
    declaration = file_no_with(Declaration.objects.get(case=case))
    assert declaration.review_status == ReviewStatus.NOT_NEEDED


def test_with_an_explanation_it_waits_on_the_reviewer_holds_the_case_and_the_handler_is_yellow(
    world, conflicted, client_for
):
    declaration = file_no_with(conflicted, "多年未联系，不影响公正办案")
    assert declaration.review_status == ReviewStatus.PENDING and not declaration.has_yes
    assert "conflict" in [m.kind for m in gate_for(declaration.case)]
    assert "conflict" in light_kinds(world.officer)
    with translation.override("en"):
        assert "awaits your reviewer's decision" in Light.objects.get(officer=world.officer).explained()[0].text
    assert declaration.get_absolute_url() in client_for(world.depthead).get(reverse("todos")).content.decode()
    with pytest.raises(ValidationError):  # a conflict is decided, not only marked as reviewed
        declarations.review_declaration(declaration, comment="已阅", acting_user=world.depthead)
    with pytest.raises(PermissionDenied):  # only the reviewer decides
        declarations.decide_conflict(declaration, recuse=False, reason="不影响", acting_user=world.colleague)


def test_keeping_the_handler_needs_a_reason_and_releases_the_case(world, conflicted):
    declaration = file_no_with(conflicted, "多年未联系")
    with pytest.raises(ValidationError):
        declarations.decide_conflict(declaration, recuse=False, reason=" ", acting_user=world.depthead)
    declarations.decide_conflict(
        declaration, recuse=False, reason="关系疏远，经审查不需回避", acting_user=world.depthead
    )
    declaration.refresh_from_db()
    assert (declaration.conflict_decision, declaration.review_status) == (ConflictDecision.KEEP, ReviewStatus.CLEARED)
    assert declaration.history.latest().history_user == world.depthead
    assert "conflict" not in [m.kind for m in gate_for(declaration.case)]
    assert "conflict" not in light_kinds(world.officer)


def test_recusal_hands_the_case_to_the_replacement_who_owes_a_declaration(world, conflicted):
    recusal = DeclarationQuestion.objects.filter(kind=QuestionKind.RECUSAL, is_active=True).first()
    answers = [
        declarations.AnswerData(q, q == recusal, details="胞兄系本案辩护人" if q == recusal else "")
        for q in DeclarationQuestion.objects.filter(is_active=True)
    ]
    # A yes to recusal needs no explanation.
    declaration = declarations.submit_declaration(conflicted, answers, acting_user=world.officer)
    with pytest.raises(ValidationError):  # a recusal names who takes the case
        declarations.decide_conflict(declaration, recuse=True, reason="应当回避", acting_user=world.depthead)
    with pytest.raises(ValidationError):  # someone of the case's own institution
        declarations.decide_conflict(
            declaration, recuse=True, reason="应当回避", replacement=world.dh_officer, acting_user=world.depthead
        )
    declarations.decide_conflict(
        declaration, recuse=True, reason="近亲属担任辩护人，应当回避", replacement=world.colleague,
        acting_user=world.depthead,
    )  # fmt: skip
    case = declaration.case
    assert list(CaseHandler.objects.filter(case=case).values_list("officer", "is_lead")) == [(world.colleague.pk, True)]
    owed = Declaration.objects.get(case=case, officer=world.colleague)
    assert owed.submitted_at is None and owed.due_on > declaration.due_on
    assert "近亲属担任辩护人" in case.history.latest().history_change_reason
    assert "declaration" in light_kinds(world.colleague)
    assert "conflict" not in light_kinds(world.officer)
    assert [m.kind for m in gate_for(case) if m.officer_id == world.officer.pk] == []  # no longer holds the case


def test_a_conflict_found_after_filing_sends_the_declaration_back_for_a_decision(world):
    case = make_case(
        world.prosecution, [world.officer], parties=[actions.PartyData(PartyRole.AGENT, "王律师", "江州正义律师事务所")]
    )
    declaration = file_no_with(Declaration.objects.get(case=case, officer=world.officer))
    assert declaration.review_status == ReviewStatus.NOT_NEEDED
    actions.declare_relation(
        world.officer, name="王律师", relation="sibling", occupation="lawyer", employer="",
        acting_user=world.officer,
    )  # fmt: skip
    declaration.refresh_from_db()
    assert declaration.review_status == ReviewStatus.PENDING
    assert "conflict" in [m.kind for m in gate_for(case)]
    # The history keeps why, in the product's language.
    assert declaration.history.latest().history_change_reason == "发现关系冲突，待审核人作出决定。"


def test_the_form_answers_nothing_in_advance_and_the_reviewer_decides_on_the_page(world, conflicted, client_for):
    officer = client_for(world.officer)
    page = officer.get(conflicted.get_absolute_url()).content.decode()
    assert 'data-testid="conflict-explanation"' in page and " checked" not in page
    response = officer.post(reverse("cases:declaration_submit", args=[conflicted.pk]), {})
    conflicted.refresh_from_db()
    assert response.status_code == 200 and conflicted.submitted_at is None
    file_no_with(conflicted, "多年未联系")

    head = client_for(world.depthead)
    page = head.get(conflicted.get_absolute_url()).content.decode()
    assert 'data-testid="conflict-decide"' in page and 'data-testid="declaration-review"' not in page
    decide = reverse("cases:declaration_decide", args=[conflicted.pk])
    head.post(decide, {"decision": "recuse", "reason": "应当回避"})  # nobody named to take the case: refused
    conflicted.refresh_from_db()
    assert conflicted.conflict_decision == ""
    head.post(decide, {"decision": "recuse", "reason": "应当回避", "replacement": world.colleague.pk})
    conflicted.refresh_from_db()
    assert conflicted.conflict_decision == ConflictDecision.RECUSE
    assert CaseHandler.objects.filter(case=conflicted.case, officer=world.colleague).exists()
    assert client_for(world.colleague).post(decide, {"decision": "keep", "reason": "x"}).status_code == 404


def test_the_decision_shows_in_the_integrity_archive(world, conflicted):
    import datetime

    from archives.documents import archive_body
    from archives.queries import integrity_archive

    declaration = file_no_with(conflicted, "多年未联系")
    declarations.decide_conflict(declaration, recuse=False, reason="关系疏远，不需回避", acting_user=world.depthead)
    today = datetime.date(2026, 11, 20)
    body = archive_body(integrity_archive(world.officer, today.replace(month=1, day=1), today))
    assert "多年未联系" in body and "关系疏远，不需回避" in body and world.depthead.full_name in body
