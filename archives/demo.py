"""Demo records of the archives app: talks, rewards, visits, praise and complaints, personal matters reports,
and last quarter's graded assessments. Keyed so that seeding again writes nothing."""

from __future__ import annotations

import datetime
import zlib
from decimal import Decimal

from django.utils import timezone

from archives import accounts, actions, quarters
from archives.choices import MatterKind, RecordKind, TalkKind, TalkOccasion
from archives.models import DutyAccount, MattersReport, OfficerRecord, QuarterlyAssessment, Talk, TalkDue
from archives.rules import quarter_start
from integrity.demo import DEMO_USERNAMES
from integrity.models import Officer


def _last(month: int, day: int) -> datetime.date:
    """The latest such day before today, so the demo's records are in the past whatever day it is seeded."""
    today = timezone.localdate()
    this_year = datetime.date(today.year, month, day)
    return this_year if this_year < today else this_year.replace(year=today.year - 1)


def _records(officer: Officer, depthead: Officer, inspector: Officer) -> None:
    if Talk.objects.filter(officer=officer).exists():
        return
    Talk.objects.create(
        officer=officer,
        kind=TalkKind.INTEGRITY,
        held_on=_last(3, 5),
        held_by="纪检组长",
        content="新任检察员廉政谈话：严守“三个规定”，不与当事人、律师私下接触。",
        recorded_by=inspector,
    )
    Talk.objects.create(
        officer=officer,
        kind=TalkKind.REMINDER,
        held_on=_last(9, 28),
        held_by=depthead.full_name,
        content="国庆、中秋节前提醒：不收受礼品礼金，不参加违规宴请。",
        recorded_by=depthead,
    )
    for kind, month, title, details in [
        (RecordKind.REWARD, 6, "年度优秀公诉人", "在全市公诉业务竞赛中获评优秀公诉人"),
        (RecordKind.PRAISE, 4, "被害人家属送来锦旗", "感谢承办检察官耐心释法说理"),
        (RecordKind.VISIT, 7, "案后回访", "回访当事人，对办案程序和结果表示满意"),
        (RecordKind.COMPLAINT, 8, "当事人反映告知不及时", "经核查已按规定告知，已向当事人解释"),
    ]:
        OfficerRecord.objects.create(
            officer=officer,
            kind=kind,
            occurred_on=_last(month, 15),
            title=title,
            details=details,
            recorded_by=inspector,
        )


def _matters(officer: Officer, inspector: Officer) -> None:
    if MattersReport.objects.filter(officer=officer).exists():
        return
    today = timezone.localdate()
    annual = actions.report_matter(
        officer,
        kind=MatterKind.ANNUAL,
        changed_on=today.replace(month=1, day=1) - datetime.timedelta(days=1),
        details="本人及配偶、子女无经商办企业、移居国（境）外情况；房产一处。",
        acting_user=officer,
    )
    actions.review_matter(annual, accept=True, acting_user=inspector)
    actions.report_matter(
        officer,
        kind=MatterKind.GIFT_HANDED_IN,
        changed_on=_last(10, 8),
        details="国庆期间收到当事人亲属寄送的月饼一盒，已上交纪检组登记处理。",
        amount=Decimal(268),
        acting_user=officer,
    )


def _annual_reports(inspector: Officer) -> None:
    """Last year's annual report for almost everyone (a few have not reported, so the light shows it)."""
    last_year_end = timezone.localdate().replace(month=1, day=1) - datetime.timedelta(days=1)
    done = set(
        MattersReport.objects.filter(kind=MatterKind.ANNUAL, changed_on=last_year_end).values_list(
            "officer_id", flat=True
        )
    )
    MattersReport.objects.bulk_create(
        MattersReport(
            officer=officer,
            kind=MatterKind.ANNUAL,
            changed_on=last_year_end,
            details="本人及家庭成员个人有关事项无变化。",
            status="accepted",
            reviewed_by=inspector,
            reviewed_at=timezone.now(),
        )
        for officer in Officer.objects.filter(is_active=True).exclude(pk__in=done).order_by("username")
        # about one in thirteen has not reported (keyed on the username: ids differ between databases)
        if zlib.crc32(officer.username.encode()) % 13 or officer.username in DEMO_USERNAMES
    )


def _talk_round() -> None:
    """This year's one-to-one talks: owed to everyone, held by the one over them for most (one in five is still
    owed, so the round page and the heads' to-dos show it)."""
    today = timezone.localdate()
    actions.open_annual_talks(today.year)
    owed = TalkDue.objects.filter(
        occasion=TalkOccasion.ANNUAL, anchor=datetime.date(today.year, 1, 1), talk__isnull=True, closed_at__isnull=True
    ).select_related("officer__reviewer")
    for item in owed:
        officer, reviewer = item.officer, item.officer.reviewer
        key = zlib.crc32(officer.username.encode())
        if reviewer is None or (key % 5 == 0 and officer.username not in DEMO_USERNAMES):
            continue
        held_on = max(datetime.date(today.year, 1, 1), today - datetime.timedelta(days=1 + key % 200))
        actions.add_talk(
            officer, acting_user=reviewer, kind=TalkKind.INTEGRITY, held_on=held_on, held_by=reviewer.full_name,
            content="年度一对一廉政谈话：对照岗位风险点逐项提醒，听取本人思想和工作情况。", occasion=TalkOccasion.ANNUAL,
        )  # fmt: skip


def _duty_accounts() -> None:
    """Last year's accounts of duty and integrity (述责述廉), filed by every leader in January; the demo head's still
    awaits the deputy's review, the rest are accepted."""
    year = timezone.localdate().year - 1
    leaders = (
        Officer.objects.filter(is_active=True, role_assignments__role__in=accounts.LEADERS)
        .exclude(duty_accounts__year=year)
        .distinct()
        .select_related("reviewer")
        .order_by("username")
    )
    for leader in leaders:
        account = DutyAccount.objects.create(officer=leader, year=year, due_on=datetime.date(year + 1, 1, 31))
        accounts.file_account(
            account, acting_user=leader,
            text=f"{year}年度，本人认真履行“一岗双责”，对分管部门的廉政风险点逐项督促落实防控措施，"
            "按时参加廉政谈话和月度排查；严守廉洁纪律，未发现违规问题。存在问题：对个别岗位风险点督促不够及时。"
            "下一步将加强日常监督。",
        )  # fmt: skip
        if leader.username != "depthead" and leader.reviewer is not None:
            accounts.review_account(account, accept=True, acting_user=leader.reviewer)


def _quarter(inspector: Officer) -> None:
    last = quarter_start(quarter_start(timezone.localdate()) - datetime.timedelta(days=1))
    quarters.open_quarter(last)
    for assessment in QuarterlyAssessment.objects.filter(quarter=last, grade="").select_related("officer__institution"):
        quarters.grade_quarter(assessment, acting_user=inspector)


def seed() -> dict[str, int]:
    officer = Officer.objects.get(username="officer")
    depthead = Officer.objects.get(username="depthead")
    inspector = Officer.objects.get(username="inspector")
    _records(officer, depthead, inspector)
    _matters(officer, inspector)
    _annual_reports(inspector)
    _talk_round()
    _duty_accounts()
    _quarter(inspector)
    from alerts.engine import compute_lights

    compute_lights()
    return {"talks": Talk.objects.count(), "quarterly grades": QuarterlyAssessment.objects.exclude(grade="").count()}
