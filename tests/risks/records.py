"""Risk records in the 东湖 (district) body, made once per test world, for the scoping tests and others."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from risks import actions, personal
from risks.choices import ImportKind, PowerCategory, RiskScope
from risks.models import ImportBatch, MonthlyCheck, PersonalRiskTable, PowerItem, RiskPoint, RiskProposal


@dataclass
class DistrictRecords:
    power_item: PowerItem
    risk_point: RiskPoint
    table: PersonalRiskTable
    check: MonthlyCheck
    batch: ImportBatch
    proposal: RiskProposal


def post_risk(post, description: str = "接受请托，违规办理案件", *, likelihood=3, impact=4, publish=True, by=None):
    risk_point = actions.save_risk_point(
        None,
        institution=post.department.institution,
        data={
            "scope": RiskScope.POST,
            "post": post,
            "category": actions.ensure_categories(["岗位职责"])["岗位职责"],
            "description": description,
            "likelihood": likelihood,
            "impact": impact,
            "measures": "会见登记",
        },
        acting_user=by,
    )
    if publish:
        for step in ("submit", "approve", "publish"):
            actions.move_risk_point(risk_point, step, acting_user=None)
    return risk_point


def for_district(world) -> DistrictRecords:
    cached = getattr(world, "_district_records", None)
    if cached:
        return cached
    department = world.dh_officer.department
    item = actions.save_power_item(
        None, department=department, data={"name": "审查起诉", "category": PowerCategory.ENFORCEMENT}, acting_user=None
    )
    actions.save_flow_steps(item, [actions.StepData("受理"), actions.StepData("审查")], acting_user=None)
    risk_point = post_risk(world.dh_officer.post)
    personal.open_risk_tables()
    this_month = timezone.localdate().replace(day=1)
    personal.open_monthly_checks(this_month)
    batch = ImportBatch.objects.create(
        institution=world.dh,
        kind=ImportKind.POWER_ITEMS,
        filename="catalog.csv",
        content="所属部门,职权类别,职权名称\n公诉科,执法,审查起诉\n".encode(),
        created_by=world.admin,
    )
    records = DistrictRecords(
        power_item=item,
        risk_point=risk_point,
        table=PersonalRiskTable.objects.get(officer=world.dh_officer, archived_at=None),
        check=MonthlyCheck.objects.get(officer=world.dh_officer, period=this_month),
        batch=batch,
        proposal=actions.propose_risk_point(
            description="庭前会见律师时泄露证据", identification_method="self", acting_user=world.dh_officer
        ),
    )
    world._district_records = records
    return records
