"""Demo records of the alerts app: warnings at each stage, clues (one cleared as untrue), a circulated notice, and
the lights — replayed at the end of each of the last twelve months so the board has a real trend and feed. Seeding
again writes nothing."""

from __future__ import annotations

import datetime

from django.utils import timezone

from alerts import actions, circulars, clues
from alerts.choices import ActionKind, CircularKind, ClueKind, ClueStatus, Outcome, WarningLevel, WarningTarget
from alerts.engine import compute_lights
from alerts.models import Circular, Clue, IntegrityWarning, LightSnapshot
from integrity.models import Department, Institution, Officer


def _warnings(city: Institution) -> None:
    if IntegrityWarning.objects.filter(institution=city).exists():
        return
    inspector = Officer.objects.get(username="inspector")
    chief = Officer.objects.get(username="chief")
    members = list(Officer.objects.filter(department__name="侦查监督处", institution=city).order_by("username")[:3])
    today = timezone.localdate()
    general = actions.propose_warning(
        level=WarningLevel.GENERAL,
        target=WarningTarget.OFFICER,
        institution=city,
        officer=members[0],
        facts="节日期间接受辖区企业赠送的购物卡，已主动退还。",
        source="廉政监察员日常监督",
        acting_user=inspector,
    )
    actions.approve_warning(
        general,
        actions=[actions.ActionData(ActionKind.REMINDER_TALK, today + datetime.timedelta(days=2))],
        acting_user=chief,
    )
    actions.propose_warning(
        level=WarningLevel.SERIOUS,
        target=WarningTarget.DEPARTMENT,
        institution=city,
        department=members[1].department,
        facts="不捕案件说理不充分、备案审查流于形式，存在制度漏洞。",
        source="季度专项检查",
        acting_user=inspector,
    )
    closed = actions.propose_warning(
        level=WarningLevel.GENERAL,
        target=WarningTarget.OFFICER,
        institution=city,
        officer=members[2],
        facts="与案件代理律师私下就餐。",
        source="异常情况报告",
        acting_user=inspector,
    )
    actions.approve_warning(
        closed,
        actions=[actions.ActionData(ActionKind.REMINDER_TALK, today - datetime.timedelta(days=20))],
        acting_user=chief,
    )
    actions.record_result(closed.actions.get(), result="已进行提醒谈话，本人作出书面说明。", acting_user=inspector)


def _clues(city: Institution) -> None:
    if Clue.objects.filter(institution=city).exists():
        return
    inspector = Officer.objects.get(username="inspector")
    today = timezone.localdate()
    district_officer = Officer.objects.filter(institution__code="JZ-DH", department__name="公诉科").order_by(
        "username"
    )[0]
    verifying = clues.register_clue(
        institution=district_officer.home,
        kind=ClueKind.PETITION,
        source="来信",
        channel="信访接待日",
        subject=district_officer,
        content="反映其在办理一起盗窃案中收受当事人亲属财物。",
        received_on=today - datetime.timedelta(days=10),
        acting_user=inspector,
    )
    _approved(clues.assign_verifier(verifying, inspector, acting_user=inspector))
    clues.add_step(verifying, text="调阅案卷，约谈举报人。", acting_user=inspector)
    subject = Officer.objects.filter(institution=city, department__name="控告申诉检察处").order_by("username").first()
    untrue = clues.register_clue(
        institution=city,
        kind=ClueKind.PETITION,
        source="匿名举报",
        channel="举报电话",
        subject=subject,
        content="反映其在信访接待中索要好处。",
        received_on=today - datetime.timedelta(days=60),
        acting_user=inspector,
    )
    _approved(clues.assign_verifier(untrue, inspector, acting_user=inspector))
    clues.add_step(untrue, text="调取接待录像，询问来访人三人，核查银行流水。", acting_user=inspector)
    clues.conclude_clue(
        untrue,
        outcome=Outcome.UNTRUE,
        acting_user=inspector,
        clarification="经核查，举报反映问题不属实。经院党组同意，在控告申诉检察处范围内予以澄清正名。",
    )
    clues.register_clue(  # about a department head: the discipline lead decides its disposal
        institution=city,
        kind=ClueKind.PETITION,
        source="群众来信",
        channel="来信",
        subject=Officer.objects.get(username="depthead"),
        content="反映其插手干预下属承办的一起合同诈骗案。",
        received_on=today - datetime.timedelta(days=2),
        acting_user=inspector,
    )
    clues.register_clue(
        institution=city,
        kind=ClueKind.ROUTINE_INSPECTION,
        source="十一月例行督察",
        subject=None,
        content="部分干警工作时间着装不规范，已当场指出。",
        received_on=today - datetime.timedelta(days=5),
        acting_user=inspector,
    )


def _approved(clue: Clue) -> Clue:
    """The disposal the inspector chose, approved by the discipline lead where the body has one."""
    if clue.status == ClueStatus.PROPOSED and clue.owner is not None:
        return clues.decide_disposal(clue, approve=True, acting_user=clue.owner)
    return clue


def _circular(city: Institution) -> None:
    """A warning-education notice the inspector wrote and the chief approved: the officer's department still owes
    reading it."""
    if Circular.objects.filter(institution=city).exists():
        return
    inspector = Officer.objects.get(username="inspector")
    officer = Officer.objects.get(username="officer")
    circular = circulars.write_circular(
        None, acting_user=inspector, kind=CircularKind.WARNING_CASE, number="江检纪通〔2026〕1号",
        title="关于一起干警违规会见当事人案件的警示教育通报",
        body="近日，某基层院一名干警在案件办理期间私下会见当事人并接受宴请，受到党内警告处分。\n"
        "各部门要组织干警认真学习，对照本岗位廉政风险点开展自查，严格执行过问案件记录报告制度。",
        copy_to="院党组成员", to_departments=list(Department.objects.filter(officers=officer)),
    )  # fmt: skip
    circulars.submit_circular(circular, acting_user=inspector)
    circulars.approve_circular(circular, acting_user=Officer.objects.get(username="chief"))


def _history() -> None:
    """Replay the lights at the end of each of the last twelve months, once, so the trend and feed are real."""
    if LightSnapshot.objects.exists():
        return
    today = timezone.localdate()
    month_end = today.replace(day=1) - datetime.timedelta(days=1)
    ends: list[datetime.date] = []
    for _n in range(11):
        ends.insert(0, month_end)
        month_end = month_end.replace(day=1) - datetime.timedelta(days=1)
    for day in ends:
        compute_lights(as_of=day)


def seed() -> dict[str, int]:
    city = Institution.objects.get(code="JZ")
    _warnings(city)
    _clues(city)
    _circular(city)
    _history()
    result = compute_lights()
    return {"officers": result.officers, "warnings": IntegrityWarning.objects.count(), "clues": Clue.objects.count()}
