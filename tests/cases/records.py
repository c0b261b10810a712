"""Case records for tests: a case factory through the actions, and a 东湖 case for the scoping walk."""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass

from django.utils import timezone

from cases import actions, assessments, declarations, notices
from cases.models import Assessment, Case, Declaration, RiskFactor
from cases.queries import questions_for

_numbers = itertools.count(1)


def make_case(department, handlers, *, parties=(), number: str | None = None, received_on=None) -> Case:
    return actions.create_case(
        department=department,
        number=number or f"（2026）测检刑诉字第{next(_numbers)}号",
        title="张某某盗窃案",
        case_type="刑事",
        # a little over two weeks before the pinned day (2 November for the tests pinned to 20 November)
        received_on=received_on or timezone.localdate() - datetime.timedelta(days=18),
        handlers=list(handlers),
        parties=list(parties),
        acting_user=None,
    )


def all_no(declaration: Declaration) -> list[declarations.AnswerData]:
    return [declarations.AnswerData(q, False) for q in questions_for(declaration.case.institution)]


def declare(case: Case, officer) -> Declaration:
    declaration = Declaration.objects.get(case=case, officer=officer)
    return declarations.submit_declaration(declaration, all_no(declaration), acting_user=officer)


def assess(case: Case, officer, *, score_factors: list[str] | None = None, submit: bool = True) -> Assessment:
    factors = list(RiskFactor.objects.filter(name__in=score_factors or []))
    assessment = assessments.save_assessment(case, factors=factors, plan="释法说理，跟踪回访", acting_user=officer)
    return assessments.submit_assessment(assessment, acting_user=officer) if submit else assessment


@dataclass
class DistrictCase:
    case: Case
    declaration: Declaration
    assessment: Assessment


def district_notice(world):
    """A supervision notice on the 东湖 case: its assessment approved by the district head and past its deadline."""
    from cases.models import SupervisionNotice

    record = for_district(world)
    notice = SupervisionNotice.objects.filter(assessment=record.assessment).first()
    if notice is None:
        assessment = assessments.decide_assessment(record.assessment, approve=True, acting_user=world.dh_head)
        assessment.refresh_from_db()
        notices.issue_supervision_notices(assessment.deadline + datetime.timedelta(days=1))
        notice = SupervisionNotice.objects.get(assessment=assessment)
    return notice


def for_district(world) -> DistrictCase:
    cached = getattr(world, "_district_case", None)
    if cached:
        return cached
    case = make_case(world.dh_officer.department, [world.dh_officer])
    assessment = assess(case, world.dh_officer)
    record = DistrictCase(case, Declaration.objects.get(case=case), assessment)
    world._district_case = record
    return record
