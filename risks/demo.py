"""Demo records of the risks app: the city body's published power catalog with flow charts, risk points at the
three levels drawn from the sources' examples, every officer's risk table, and monthly checks over the last
months with a mix of filed, late and missing ones. Keyed on natural keys: seeding again writes nothing."""

from __future__ import annotations

import datetime
import zlib

from django.db.models import F
from django.utils import timezone

from integrity.demo import DEMO_USERNAMES
from integrity.models import Department, Institution, Officer, Post
from integrity.rules import month_end
from risks import actions, personal
from risks.choices import (
    DEFAULT_RISK_CATEGORIES,
    IdentificationMethod,
    PowerCategory,
    ReviewStatus,
    RiskScope,
    RiskStatus,
    TableStatus,
)
from risks.models import (
    FlowStep,
    MonthlyCheck,
    PersonalRiskTable,
    PowerItem,
    RiskCategory,
    RiskPoint,
    RiskPointReview,
)

C = PowerCategory
# (department, post that exercises it, name, category, legal basis, time limit, steps, risks)
# each risk: (step number or 0, description, how it shows, likelihood, impact, measures, risk category)
CATALOG = [
    ("公诉处", "检察员", "审查起诉", C.ENFORCEMENT, "《刑事诉讼法》第一百六十九条至第一百七十七条", "一个月，重大复杂案件可延长半个月",
     [("受理", "案件管理办公室"), ("审查", "承办检察官"), ("听取意见", "承办检察官"), ("讨论", "部门检察官联席会议"), ("决定", "检察长或检察委员会")],
     [(2, "接受当事人请托，违规作出不起诉或从轻处理意见", "私下会见当事人亲属，审查报告回避关键证据", 3, 5, "不起诉案件一律提交检察官联席会议讨论\n审查报告随案接受案件管理部门评查", "岗位职责"),
      (3, "违规会见辩护律师或当事人，泄露案件办理情况", "在办公场所以外会见律师", 3, 4, "律师会见在接待室进行并登记\n严格执行过问案件登记制度", "外部环境"),
      (5, "量刑建议畸轻畸重，滥用自由裁量权", "同类案件量刑建议差异明显", 2, 4, "建立量刑建议参照标准\n部门负责人审核量刑建议", "业务流程")]),
    ("公诉处", "检察员", "出庭支持公诉", C.ENFORCEMENT, "《刑事诉讼法》第一百八十九条", "按法院开庭通知",
     [("庭前准备", "承办检察官"), ("出庭", "承办检察官"), ("庭后审查判决", "承办检察官")],
     [(3, "对确有错误的判决不依法提出抗诉", "应抗未抗，事后说情", 2, 4, "判决审查表报部门负责人审核", "岗位职责")]),
    ("公诉处", "检察员", "不起诉决定", C.DECISION, "《刑事诉讼法》第一百七十七条", "审查起诉期限内",
     [("提出意见", "承办检察官"), ("联席会议讨论", "部门"), ("检察长决定", "检察长"), ("公开宣告", "承办检察官")],
     [(1, "对不符合条件的案件作出不起诉", "证据标准把握宽松，理由不充分", 2, 5, "不起诉案件公开审查、公开宣告\n上级院备案审查", "制度机制"),
      (3, "领导干部违规过问、干预不起诉决定", "未按规定记录过问情况", 2, 5, "落实“三个规定”，如实记录报告", "外部环境")]),
    ("侦查监督处", "检察员", "审查逮捕", C.ENFORCEMENT, "《刑事诉讼法》第八十一条、第九十一条", "七日",
     [("受理", "案件管理办公室"), ("审查", "承办检察官"), ("讯问", "承办检察官"), ("决定", "检察长")],
     [(2, "收受财物，对应当逮捕的作出不批捕决定", "无正当理由改变审查意见", 3, 5, "不捕案件说理并报部门负责人审核\n不捕案件回访", "岗位职责"),
      (3, "讯问中违规传递信息或物品", "讯问时单独一人", 2, 3, "讯问两人进行，全程同步录音录像", "业务流程")]),
    ("侦查监督处", "检察员", "立案监督", C.SUPERVISION, "《刑事诉讼法》第一百一十三条", "一个月",
     [("线索受理", "控告申诉检察处"), ("调查核实", "承办检察官"), ("发出通知", "检察长")],
     [(2, "对应当监督的案件不予监督，以案谋私", "线索长期不处理", 2, 4, "线索统一登记、限期办理", "岗位职责")]),
    ("侦查监督处", "检察员", "羁押必要性审查", C.SUPERVISION, "《刑事诉讼法》第九十五条", "十日",
     [("申请受理", "案件管理办公室"), ("审查评估", "承办检察官"), ("提出建议", "检察长")],
     [(2, "收受好处，违规建议变更强制措施", "评估材料不全即提出释放建议", 2, 4, "评估量化打分并公开听证", "业务流程")]),
    ("控告申诉检察处", "检察员", "刑事申诉审查", C.ENFORCEMENT, "《人民检察院刑事诉讼规则》", "三个月",
     [("受理", "控告申诉检察处"), ("审查", "承办检察官"), ("复查决定", "检察长")],
     [(2, "对申诉拖延不办或选择性办理", "超期无说明", 2, 3, "申诉案件流程监控，超期预警", "业务流程")]),
    ("控告申诉检察处", "检察员", "国家司法救助", C.FINANCE, "《人民检察院国家司法救助工作细则》", "十个工作日",
     [("申请", "申请人"), ("审查", "承办检察官"), ("审批", "检察长"), ("发放", "办公室")],
     [(3, "违规审批救助金或虚报冒领", "救助对象与案件无关", 2, 4, "救助金审批公示，财务直接发放到人", "制度机制"),
      (4, "截留、挪用救助资金", "现金发放无签收", 1, 5, "一律转账发放，纪检组抽查", "制度机制")]),
    ("控告申诉检察处", "信访接待员", "来信来访办理", C.SUPERVISION, "《人民检察院信访工作规定》", "七日内告知受理情况",
     [("登记", "信访接待员"), ("分流", "控告申诉检察处"), ("答复", "承办部门")],
     [(1, "压案不报、隐匿举报材料", "举报信未登记", 2, 4, "来信来访全部录入系统，编号管理", "岗位职责"),
      (2, "泄露举报人信息", "向被举报人透露举报内容", 1, 5, "举报材料专人保管、保密", "思想道德")]),
    ("案件管理办公室", "案件管理员", "案件受理与分案", C.APPROVAL, "《人民检察院案件流程监控工作规定》", "受理当日",
     [("材料审查", "案件管理员"), ("登记", "案件管理员"), ("分案", "系统随机分案")],
     [(3, "人为干预分案，指定承办人", "绕过随机分案", 2, 4, "系统随机分案，改变分案须审批留痕", "制度机制")]),
    ("案件管理办公室", "案件管理员", "律师接待与阅卷", C.SUPERVISION, "《关于依法保障律师执业权利的规定》", "三个工作日",
     [("预约", "律师"), ("审核", "案件管理员"), ("安排阅卷", "案件管理员")],
     [(2, "为律师违规提供便利或向律师推荐案件", "超范围复制卷宗", 2, 3, "阅卷在指定场所进行并登记", "外部环境")]),
    ("案件管理办公室", "主任", "案件质量评查", C.SUPERVISION, "《人民检察院案件质量评查工作规定》", "每季度",
     [("抽取案件", "案件管理办公室"), ("评查", "评查组"), ("通报", "检察长")],
     [(2, "评查中徇私，隐瞒瑕疵案件", "评查结论与事实不符", 2, 3, "交叉评查，结果通报", "业务流程")]),
    ("政治部", "干部人事专员", "干部选拔任用", C.PERSONNEL, "《党政领导干部选拔任用工作条例》", "按年度计划",
     [("动议", "党组"), ("民主推荐", "政治部"), ("考察", "考察组"), ("讨论决定", "党组会"), ("任前公示", "政治部")],
     [(3, "考察失真失实，带病提拔", "考察材料千篇一律", 2, 5, "考察对象廉政意见由纪检组出具\n听取纪检组意见", "制度机制"),
      (4, "违反程序临时动议、个人说了算", "未经集体讨论", 1, 5, "党组集体讨论、票决", "制度机制")]),
    ("政治部", "干部人事专员", "评先评优与考核", C.PERSONNEL, "《公务员考核规定》", "每年一次",
     [("推荐", "各部门"), ("审核", "政治部"), ("公示", "政治部")],
     [(2, "考核、评优中优亲厚友", "推荐对象集中于少数部门", 2, 2, "考核结果公示，接受监督", "思想道德")]),
    ("办公室", "财务会计", "财务报销", C.FINANCE, "《行政事业单位内部控制规范》", "五个工作日",
     [("经办人填报", "经办人"), ("部门负责人审核", "部门负责人"), ("财务审核", "财务会计"), ("分管领导审批", "分管领导")],
     [(3, "虚列支出、套取资金", "票据与事项不符", 2, 4, "实行五级复合审批\n公务卡结算", "制度机制"),
      (4, "超标准、超范围审批支出", "接待费超标准", 2, 3, "严格执行支出标准，定期内审", "制度机制")]),
    ("办公室", "主任", "物资采购", C.FINANCE, "《政府采购法》", "按采购计划",
     [("提出需求", "使用部门"), ("确定方式", "办公室"), ("采购", "采购小组"), ("验收", "验收小组")],
     [(3, "规避招标、指定供应商", "拆分采购项目", 2, 4, "达到限额一律政府采购\n纪检组全程监督", "业务流程"),
      (4, "验收走过场，以次充好", "验收单无实质内容", 2, 3, "验收两人以上并签字", "业务流程")]),
    ("办公室", "主任", "基建工程管理", C.FINANCE, "《招标投标法》", "按工程进度",
     [("立项", "党组"), ("招标", "招标代理"), ("施工监督", "办公室"), ("结算审计", "审计机构")],
     [(2, "插手工程招投标，收受好处", "围标串标", 2, 5, "公开招标，领导干部不得插手", "外部环境")]),
    ("院领导", "检察长", "“三重一大”集体决策", C.DECISION, "《关于进一步推进国有企业贯彻落实“三重一大”决策制度的意见》", "按议事规则",
     [("提出议题", "分管领导"), ("会前沟通", "办公室"), ("集体讨论", "党组会"), ("末位表态", "检察长"), ("督办落实", "办公室")],
     []),
    ("纪检组", "纪检监察员", "信访举报线索处置", C.SUPERVISION, "《中国共产党纪律检查机关监督执纪工作规则》", "一个月",
     [("受理登记", "纪检监察员"), ("分析研判", "纪检组"), ("初步核实", "核查组"), ("处置", "纪检组长")],
     [(2, "有案不查、瞒案不报", "线索长期搁置", 1, 5, "线索集体排查，定期清理", "岗位职责"),
      (3, "核查中跑风漏气", "被核查人提前知情", 1, 4, "核查人员签订保密承诺", "思想道德")]),
    ("纪检组", "纪检监察员", "不实举报澄清", C.SUPERVISION, "《不实信访举报澄清机制》", "核实结束后十五日",
     [("核实结论", "核查组"), ("提出澄清建议", "纪检组"), ("审批", "检察长"), ("澄清正名", "纪检组")],
     [(2, "对应予澄清的不澄清，或借澄清包庇", "澄清范围与核实结论不符", 1, 3, "澄清事项集体研究", "制度机制")]),
]  # fmt: skip

DEPARTMENT_RISKS = [
    ("公诉处", "案件审批流程不完善，存在“一支笔”审批", "部门负责人一人决定案件处理", 3, 4, "检察官联席会议制度\n重大案件报检委会", "制度机制"),
    ("公诉处", "对“四类案件”监督管理不到位", "长期未结案件无人跟踪", 2, 3, "一案一跟踪，定期通报", "业务流程"),
    ("侦查监督处", "不捕、不诉案件内部监督缺位", "不捕理由说理不充分", 2, 4, "不捕案件全部备案审查", "制度机制"),
    ("控告申诉检察处", "信访件分流交办不规范", "交办无回执", 2, 2, "交办单回执制度", "业务流程"),
    ("案件管理办公室", "流程监控发现问题后整改不落实", "同类问题反复出现", 2, 3, "问题清单销号管理", "制度机制"),
    ("政治部", "干部档案管理不规范", "档案材料缺失或造假", 1, 4, "档案专审，材料入档审核", "制度机制"),
    ("办公室", "公务用车、公务接待管理不严", "公车私用", 2, 3, "公车定位管理，接待清单制度", "制度机制"),
    ("办公室", "固定资产管理混乱", "账实不符", 2, 2, "每年资产清查", "业务流程"),
    ("纪检组", "监督执纪“灯下黑”", "对身边人问题失之于宽", 1, 4, "纪检干部回避制度，上级纪委监督", "思想道德"),
    ("院领导", "分管领导对分管部门监督失之于宽", "对分管部门问题不提醒、不纠正", 2, 4, "一岗双责，定期听取分管部门廉政汇报", "岗位职责"),
    ("侦查监督处", "捕后变更强制措施跟踪监督不到位", "变更后未跟踪", 2, 3, "变更强制措施备案", "业务流程"),
    ("政治部", "教育培训经费使用不规范", "培训费列支其他开支", 1, 3, "培训经费专款专用，公示", "制度机制"),
    ("案件管理办公室", "涉案财物管理不规范", "涉案财物账物不符", 2, 4, "涉案财物统一保管，定期盘点", "制度机制"),
]  # fmt: skip

INSTITUTION_RISKS = [
    ("重大决策未经集体讨论，个人或少数人决定", "以传阅、会签代替会议讨论", 2, 5, "严格执行议事规则和“三重一大”决策制度", "制度机制", ""),
    ("重要干部任免中违规操作、带病提拔", "临时动议、突击提拔", 1, 5, "干部任免党组会票决，纪检组全程监督", "制度机制", ""),
    ("重大项目安排未经论证和公开招标", "化整为零规避招标", 2, 4, "重大项目专家论证、公开招标", "业务流程", ""),
    ("大额资金使用审批不严", "超预算支出", 2, 4, "大额资金集体审批，定期审计", "制度机制", ""),
    ("领导干部亲属经商办企业与本院业务发生关联", "亲属代理本院案件", 0, 0, "领导干部个人有关事项报告，任职回避", "外部环境", "high"),
    ("节假日期间违反中央八项规定精神", "公款吃喝、违规收送礼品", 0, 0, "逢节必讲，节前廉政提醒", "思想道德", "medium"),
    ("干警八小时以外活动失管失控", "与案件当事人不当交往", 2, 3, "干警“八小时以外”管理制度，家庭助廉", "思想道德", ""),
    ("司法公开不到位，暗箱操作", "应公开的案件信息未公开", 2, 2, "案件信息公开平台，定期检查", "制度机制", ""),
]  # fmt: skip

OWN_RISK = "工作中与案件当事人、律师及其他利益相关人员交往不当"
OWN_MEASURE = "不与当事人、律师私下接触，八小时以外交往自觉报告"
PROBLEM = ("春节前后有亲友打探案件进展", "已婉拒并按“三个规定”登记报告")


def _publish(risk_point: RiskPoint) -> None:
    """Move a demo risk point through the whole workflow, as its approvers would."""
    for step in ("submit", "approve", "publish"):
        if risk_point.status != RiskStatus.PUBLISHED:
            actions.move_risk_point(risk_point, step, acting_user=None)


def _risk(institution: Institution, data: dict) -> RiskPoint | None:
    existing = RiskPoint.objects.filter(
        institution=institution, description=data["description"], department=data.get("department")
    ).first()
    if existing:
        return None
    risk_point = actions.save_risk_point(None, institution=institution, data=data, acting_user=None)
    _publish(risk_point)
    return risk_point


def _catalog(city: Institution, categories: dict[str, RiskCategory]) -> None:
    departments = {d.name: d for d in Department.objects.filter(institution=city)}
    for dept_name, post_name, name, category, basis, limit, steps, risks in CATALOG:
        department = departments[dept_name]
        item = PowerItem.objects.filter(institution=city, name=name).first()
        if item is None:
            item = actions.save_power_item(
                None, department=department, acting_user=None,
                data={"name": name, "category": category, "legal_basis": basis, "time_limit": limit,
                      "content": f"{department.name}依法行使的{name}职权", "exercised_by": post_name,
                      "procedure": "→".join(s for s, _ in steps), "supervision": "纪检组监督、案件管理部门流程监控"},
            )  # fmt: skip
            actions.save_flow_steps(item, [actions.StepData(s, a) for s, a in steps], acting_user=None)
        by_order = {s.order: s for s in FlowStep.objects.filter(power_item=item)}
        post = Post.objects.get(department=department, name=post_name)
        for step, description, shows, likelihood, impact, measures, category_name in risks:
            _risk(city, {
                "scope": RiskScope.POST, "post": post, "power_item": item, "flow_step": by_order.get(step),
                "category": categories[category_name], "description": description, "manifestation": shows,
                "likelihood": likelihood, "impact": impact, "measures": measures, "department": department,
                "identification_method": IdentificationMethod.SELF,
            })  # fmt: skip
    for dept_name, description, shows, likelihood, impact, measures, category_name in DEPARTMENT_RISKS:
        _risk(city, {
            "scope": RiskScope.DEPARTMENT, "department": departments[dept_name], "category": categories[category_name],
            "description": description, "manifestation": shows, "likelihood": likelihood, "impact": impact,
            "measures": measures, "identification_method": IdentificationMethod.PEERS,
        })  # fmt: skip
    decisions = PowerItem.objects.get(institution=city, name="“三重一大”集体决策")
    for description, shows, likelihood, impact, measures, category_name, collective in INSTITUTION_RISKS:
        _risk(city, {
            "scope": RiskScope.INSTITUTION, "category": categories[category_name], "power_item": decisions,
            "description": description, "manifestation": shows, "likelihood": likelihood or None,
            "impact": impact or None, "collective_grade": collective, "measures": measures,
            "identification_method": IdentificationMethod.COLLECTIVE if collective else IdentificationMethod.LEADERS,
        })  # fmt: skip


def _district_risks(categories: dict[str, RiskCategory]) -> None:
    """A few published post risks in each district body, so their officers' tables are not empty."""
    for post in Post.objects.filter(department__institution__level="district", name__in=["检察员", "科长"]):
        _risk(post.department.institution, {
            "scope": RiskScope.POST, "post": post, "department": post.department, "category": categories["岗位职责"],
            "description": f"{post.department.name}{post.name}接受请托，违规办理案件", "manifestation": "私下会见当事人",
            "likelihood": 3, "impact": 4, "measures": "严格执行“三个规定”，会见登记", "identification_method": "self",
        })  # fmt: skip


def _tables() -> None:
    personal.open_risk_tables()
    # Officers whose post has no published risk point of its own take on their department's, and add one of
    # their own, as the sources' officers "find their own" (自己找).
    for table in PersonalRiskTable.objects.filter(
        archived_at__isnull=True, status=TableStatus.DUE, items__isnull=True
    ).select_related("officer__department"):
        department_risks = RiskPoint.objects.filter(
            department=table.officer.department, scope=RiskScope.DEPARTMENT, status=RiskStatus.PUBLISHED
        )
        items = [personal.ItemData(rp.description, rp.measures, rp.pk) for rp in department_risks]
        items.append(personal.ItemData(OWN_RISK, OWN_MEASURE))
        personal.save_risk_table(table, main_duties=table.main_duties, items=items, acting_user=table.officer)
    # Most officers signed their pledge and had the table approved when they took up the post.
    for table in PersonalRiskTable.objects.filter(archived_at__isnull=True, status=TableStatus.DUE).select_related(
        "officer"
    ):
        if not table.items.exists() or _bucket(table.officer.username, "table") < 15:
            continue  # a few stay due, so the department head has something to chase
        signed = table.officer.post_assignments.filter(ended_on__isnull=True).values_list("started_on", flat=True)
        personal.submit_risk_table(
            table, pledge=table.pledge, signed_on=signed.first() or timezone.localdate(), acting_user=table.officer
        )
        if _bucket(table.officer.username, "approve") >= 10:
            head = (
                Officer.objects.filter(
                    role_assignments__role="department_head", role_assignments__departments=table.officer.department_id
                )
                .exclude(pk=table.officer_id)
                .first()
            )
            if head:
                personal.review_risk_table(table, approve=True, acting_user=head)


def _bucket(key: str, salt: str) -> int:
    """A stable number 0–99 per officer (by username: ids differ between databases) and purpose, so the demo's mix
    is the same on every run."""
    return zlib.crc32(f"{salt}:{key}".encode()) % 100


def _checks(months: int = 5) -> None:
    today = timezone.localdate()
    period = today.replace(day=1)
    periods = [period]
    for _n in range(months - 1):
        periods.insert(0, (periods[0] - datetime.timedelta(days=1)).replace(day=1))
    for period in periods:
        personal.open_monthly_checks(period)
    demo_accounts = DEMO_USERNAMES
    heads: dict[int | None, Officer] = {
        department_id: officer
        for officer in Officer.objects.filter(role_assignments__role="department_head").prefetch_related(
            "role_assignments__departments"
        )
        for assignment in officer.role_assignments.all()
        for department_id in assignment.departments.values_list("pk", flat=True)
    }
    unfiled = MonthlyCheck.objects.filter(submitted_at__isnull=True, table__isnull=False).select_related(
        "officer", "table"
    )
    for check in unfiled:
        current = check.period == periods[-1]
        roll = _bucket(check.officer.username, f"check:{check.period}")
        if current and (check.officer.username in demo_accounts or roll < 55):
            continue  # this month's check is still open for most officers, and always for the demo accounts
        if not current and roll < 8 and check.officer.username not in demo_accounts:
            continue  # missing: never filed (the demo accounts keep a clean record, so their light shows the month)
        late = not current and roll < 20 and check.officer.username not in demo_accounts
        if check.table is None:  # as the query asks
            continue
        items = list(check.table.items.all())
        if not items:
            continue
        answers = [
            personal.AnswerData(
                i.pk, i.description, *((True, *PROBLEM) if n == 0 and roll % 9 == 0 else (False, "", ""))
            )
            for n, i in enumerate(items)
        ]
        filed_on = (
            check.due_on + datetime.timedelta(days=3) if late else check.due_on - datetime.timedelta(days=roll % 6)
        )
        filed_on = min(filed_on, today)
        # The demo's filing carries the day it stands for; real filings carry their own moment.
        filed_at = timezone.make_aware(datetime.datetime.combine(filed_on, datetime.time(10, roll % 60)))
        personal.submit_monthly_check(check, answers, acting_user=check.officer, filed_at=filed_at)
        head = heads.get(check.officer.department_id)
        if not current and roll % 3 and head and head.pk != check.officer_id:
            MonthlyCheck.objects.filter(pk=check.pk).update(
                review_status=ReviewStatus.APPROVED, reviewed_by=head, reviewed_at=F("submitted_at")
            )


def _reviews() -> None:
    """This year's review of the demo city's published risk points (一年一查), owed to whoever answers for each;
    all confirmed but the demo head's, which are still owed."""
    from integrity.queries import chain_for
    from risks import reviews
    from risks.choices import ReviewOutcome
    from risks.queries import policy_for

    year = timezone.localdate().year
    city = Institution.objects.get(code="JZ")
    due_on = month_end(year, policy_for(city).review_month)
    chain = chain_for()
    points = RiskPoint.objects.filter(institution=city, status="published").exclude(reviews__year=year)
    opened = [
        RiskPointReview.objects.create(risk_point=p, year=year, owner_id=reviews.owner_of(p, chain), due_on=due_on)
        for p in points.order_by("pk")
    ]
    for review in opened:
        if review.owner is not None and review.owner.username != "depthead":
            reviews.record_review(review, outcome=ReviewOutcome.CONFIRMED, acting_user=review.owner)


def seed() -> dict[str, int]:
    city = Institution.objects.get(code="JZ")
    categories = actions.ensure_categories(DEFAULT_RISK_CATEGORIES)
    _catalog(city, categories)
    _district_risks(categories)
    _tables()
    _checks()
    _reviews()
    return {
        "power items": PowerItem.objects.count(),
        "risk points": RiskPoint.objects.count(),
        "risk tables": PersonalRiskTable.objects.count(),
        "monthly checks": MonthlyCheck.objects.count(),
    }
