"""Every stage is re-assessed: a case is assessed at filing, again on reaching each stage marked ``reassessed`` (the
decision stage, 决定, by default) and whenever the facts change; each assessment is a new one linked to the one
before, the gate checks the current one, the handling deadline runs from each approval. The clock is pinned to
20 November 2026; deadlines are counted from it."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from alerts.engine import collect_reasons
from cases import actions, assessments, notices
from cases.choices import AssessmentOccasion, AssessmentStatus
from cases.models import Assessment, Stage, SupervisionNotice
from cases.obligations import cases_to_assess
from cases.rules import reassessment_due
from tests.cases.records import assess, declare, make_case

pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-11-20")]
TODAY = datetime.date(2026, 11, 20)


def stage(name: str) -> Stage:
    return Stage.objects.get(name=name)


def approved(case, officer, approver):
    return assessments.decide_assessment(assess(case, officer), approve=True, acting_user=approver)


def kinds(world, day) -> list[str]:
    """The kinds of reason the officer's light would show on ``day``."""
    return [
        r.kind
        for r in collect_reasons({world.officer.pk: (world.city.pk, world.prosecution.pk)}, day)[world.officer.pk]
    ]


@pytest.fixture
def at_decision(world):
    """A case assessed at filing and approved, moved through 审查 to 决定, the stage it is re-assessed at."""
    case = make_case(world.prosecution, [world.officer])
    declare(case, world.officer)
    first = approved(case, world.officer, world.depthead)
    case = actions.move_case(case, stage("审查"), acting_user=world.officer)
    case = actions.move_case(case, stage("决定"), acting_user=world.officer)
    return case, first


@pytest.mark.parametrize(
    ("stage_order", "assessed_order", "due"),
    [(1, None, True), (1, 1, False), (2, 1, False), (3, 1, True), (3, 2, True), (3, 3, False), (4, 3, False)],
)
def test_a_new_assessment_is_due_on_reaching_a_re_assessed_stage(stage_order, assessed_order, due):
    assert reassessment_due(stage_order, assessed_order, [3]) is due


def test_a_stage_that_is_not_re_assessed_moves_on_with_the_filing_assessment(world, at_decision):
    case, first = at_decision
    assert case.stage.name == "决定"  # 审查 is not re-assessed: the move to 决定 went through
    assert first.stage.name == "受理" and first.occasion == AssessmentOccasion.FILING


def test_a_stage_change_without_a_new_assessment_holds_the_gate(world, at_decision):
    case, first = at_decision
    with pytest.raises(actions.GateClosed) as closed:
        actions.move_case(case, stage("办结"), acting_user=world.officer)
    assert [m.kind for m in closed.value.missing] == ["assessment"]
    assert closed.value.missing[0].url == reverse("cases:assessment_start", args=[case.pk])
    assert [c.pk for c in cases_to_assess(world.officer)] == [case.pk]

    second = assess(case, world.officer, score_factors=["涉众型案件，涉及人数众多"])
    assert (second.previous, second.stage, second.occasion) == (first, stage("决定"), AssessmentOccasion.STAGE)
    first.refresh_from_db()
    assert first.status == AssessmentStatus.APPROVED and first.score == 0  # the approved one is never edited
    with pytest.raises(actions.GateClosed):  # submitted is not approved
        actions.move_case(case, stage("办结"), acting_user=world.officer)
    assert not cases_to_assess(world.officer).exists()  # with the approver now
    assessments.decide_assessment(second, approve=True, acting_user=world.depthead)
    actions.move_case(case, stage("办结"), acting_user=world.officer)


def test_one_assessment_per_stage_besides_changed_facts(world, at_decision):
    case, _ = at_decision
    second = approved(case, world.officer, world.depthead)
    with pytest.raises(ValidationError):  # this stage has its assessment
        assessments.save_assessment(case, factors=[], plan="再评", acting_user=world.officer)
    assert Assessment.objects.filter(case=case).count() == 2
    assert second.stage.name == "决定"


def test_changed_facts_open_a_new_draft_that_holds_the_case_and_the_old_one_counts_until_approved(world):
    case = make_case(world.prosecution, [world.officer])
    declare(case, world.officer)
    first = approved(case, world.officer, world.depthead)
    first.refresh_from_db()
    with pytest.raises(PermissionDenied):  # not a handler, nor a leader over the department
        assessments.mark_facts_changed(case, reason="新证据", acting_user=world.other_officer)
    with pytest.raises(ValidationError):
        assessments.mark_facts_changed(case, reason=" ", acting_user=world.depthead)

    draft = assessments.mark_facts_changed(case, reason="被害人家属聚集上访", acting_user=world.depthead)
    assert (draft.status, draft.previous, draft.author, draft.occasion) == (
        AssessmentStatus.DRAFT, first, world.officer, AssessmentOccasion.FACTS,
    )  # fmt: skip
    assert draft.score == first.score and draft.occasion_note == "被害人家属聚集上访"
    with pytest.raises(ValidationError):  # one re-assessment at a time
        assessments.mark_facts_changed(case, reason="又有变化", acting_user=world.officer)
    with pytest.raises(actions.GateClosed):
        actions.move_case(case, stage("审查"), acting_user=world.officer)
    assert [c.pk for c in cases_to_assess(world.officer)] == [case.pk]

    # The handler scores it again: the draft is edited, no third assessment.
    again = assess(case, world.officer, score_factors=["当事人或其亲属有上访、闹访倾向"])
    assert again.pk == draft.pk and Assessment.objects.filter(case=case).count() == 2
    with time_machine.travel(datetime.datetime(2026, 11, 25, 9, tzinfo=datetime.UTC), tick=False):
        assessments.decide_assessment(again, approve=True, acting_user=world.depthead)
    again.refresh_from_db()
    # The deadline runs from this approval: yellow, 90 days from 25 November.
    assert again.deadline == datetime.date(2026, 11, 25) + datetime.timedelta(days=90)
    actions.move_case(case, stage("审查"), acting_user=world.officer)


def test_an_overdue_risk_re_assessed_closes_its_notice_and_the_old_one_is_no_longer_overdue(
    world, django_capture_on_commit_callbacks
):
    from alerts.board import open_notices

    case = make_case(world.prosecution, [world.officer])
    first = approved(case, world.officer, world.depthead)
    first.refresh_from_db()
    late = first.deadline + datetime.timedelta(days=1)
    assert notices.issue_supervision_notices(late) == 1
    notice = SupervisionNotice.objects.get()
    assert "assessment" in kinds(world, late)
    assert open_notices(world.inspector) == (1, [notice.pk])  # on the discipline office's board
    with time_machine.travel(datetime.datetime(late.year, late.month, late.day, 9, tzinfo=datetime.UTC), tick=False):
        draft = assessments.mark_facts_changed(case, reason="当事人已息诉", acting_user=world.officer)
        assert SupervisionNotice.objects.get().closed_at is None  # a draft changes nothing yet
        assessments.submit_assessment(draft, acting_user=world.officer)
        with django_capture_on_commit_callbacks(execute=True):
            assessments.decide_assessment(draft, approve=True, acting_user=world.depthead)
    notice.refresh_from_db()
    assert notice.closed_at is not None and open_notices(world.inspector) == (0, [])
    assert notices.issue_supervision_notices(late) == 0  # the old one is superseded, the new one runs from `late`
    assert "assessment" not in kinds(world, late)  # not yellow for the superseded one


def test_the_case_page_lists_the_assessments_and_offers_the_facts_form_to_leaders_not_to_others(world, client_for):
    case = make_case(world.prosecution, [world.officer])
    approved(case, world.officer, world.depthead)
    url = case.get_absolute_url()
    assert 'data-testid="facts-form"' in client_for(world.depthead).get(url).content.decode()
    assert 'data-testid="facts-form"' not in client_for(world.inspector).get(url).content.decode()
    post = reverse("cases:assessment_facts", args=[case.pk])
    assert client_for(world.inspector).post(post, {"facts-text": "x"}).status_code == 404
    client_for(world.chief).post(post, {"facts-text": "案件定性发生变化"})
    page = client_for(world.officer).get(url).content.decode()
    assert "案件定性发生变化" in page and 'data-testid="assess"' in page
    assert page.count("<li", page.index('data-testid="assessments"')) >= 2
