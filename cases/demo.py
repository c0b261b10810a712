"""Demo cases: a few hundred over the last months across the city body's business departments, with their
declarations (a few with a yes), assessments of every colour, some awaiting approval, some overdue, and one
handler's declared relation that a lawyer in one case matches. Imported through the real importer and moved
through the real actions, so seeding again finds everything in place and writes nothing."""

from __future__ import annotations

import datetime
import zlib

from django.utils import timezone

from cases import actions, assessments, declarations, notices
from cases.choices import AssessmentStatus
from cases.defaults import ensure
from cases.importing import import_cases
from cases.models import Assessment, Case, Declaration, DeclarationQuestion, DeclaredRelation, RiskFactor, Stage
from cases.queries import gate_for, questions_for
from integrity.demo import DEMO_USERNAMES
from integrity.models import Institution, Officer

DEPARTMENTS = {"公诉处": ("刑诉", "刑事"), "侦查监督处": ("捕", "审查逮捕"), "控告申诉检察处": ("刑申", "刑事申诉")}
CRIMES = [
    "盗窃",
    "诈骗",
    "故意伤害",
    "危险驾驶",
    "非法吸收公众存款",
    "合同诈骗",
    "寻衅滋事",
    "职务侵占",
    "抢劫",
    "贩卖毒品",
]
SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜"
LAWYERS = [
    ("周律师", "江州明理律师事务所"),
    ("吴律师", "江州公正律师事务所"),
    ("郑律师", "东湖律师事务所"),
    ("王律师", "江州正义律师事务所"),
]
FACTOR_SETS = [[], ["当事人或其亲属有上访、闹访倾向"], ["可能引发越级访、进京访或集体访", "涉众型案件，涉及人数众多"],
               ["可能引发越级访、进京访或集体访", "当事人有过激言行或极端行为苗头", "当事人或其亲属有上访、闹访倾向"]]  # fmt: skip
CASES_PER_DEPARTMENT = 100


def _roll(number: str, salt: str) -> int:
    return zlib.crc32(f"{salt}:{number}".encode()) % 100


def _rows(city: Institution) -> list[list[str]]:
    today = timezone.localdate()
    rows = []
    for department, (short, case_type) in DEPARTMENTS.items():
        handlers = list(
            Officer.objects.filter(department__institution=city, department__name=department, post__name__in=["检察员", "处长"])
            .order_by("username").values_list("full_name", flat=True)
        )  # fmt: skip
        for n in range(1, CASES_PER_DEPARTMENT + 1):
            number = f"（2026）江检{short}字第{n}号"
            roll = _roll(number, "case")
            suspect = SURNAMES[roll % len(SURNAMES)] + "某"
            crime = CRIMES[(n + roll) % len(CRIMES)]
            received = today - datetime.timedelta(days=(n * 37 + roll) % 150 + 1)
            lead = handlers[n % len(handlers)]
            second = handlers[(n + 3) % len(handlers)] if roll % 3 == 0 and len(handlers) > 1 else ""
            lawyer, firm = LAWYERS[roll % len(LAWYERS)]
            rows.append([
                number, f"{suspect}{crime}案", case_type, department, "、".join(h for h in (lead, second) if h),
                received.isoformat(), (received + datetime.timedelta(days=45)).isoformat(), f"{suspect}",
                f"{lawyer}（{firm}）" if roll % 2 else "",
            ])  # fmt: skip
    return rows


def _csv(rows: list[list[str]]) -> bytes:
    header = ["案号", "案件名称", "案件类型", "承办部门", "承办人", "受理日期", "办案期限", "当事人", "代理人"]
    return "\n".join(",".join(r) for r in [header, *rows]).encode("utf-8")


def _relation() -> None:
    officer = Officer.objects.get(username="officer")
    if not DeclaredRelation.objects.filter(officer=officer).exists():
        actions.declare_relation(
            officer, name="王律师", relation="sibling", occupation="lawyer", employer="江州正义律师事务所",
            acting_user=officer,
        )  # fmt: skip


def _declare(case: Case, roll: int, questions: list, meals: DeclarationQuestion, clean: set[int]) -> None:
    """File the case's declarations as far as its roll says (the demo accounts' always)."""
    for declaration in Declaration.objects.filter(case=case, submitted_at__isnull=True).select_related(
        "officer__reviewer"
    ):
        if roll < 12 and declaration.officer_id not in clean:
            continue  # missing declarations for the lights and the queue
        yes = roll % 17 == 0 and declaration.officer_id not in clean
        answers = [
            declarations.AnswerData(
                q, yes and q == meals, "同学聚会偶遇当事人亲属，已当场离席并报告" if yes and q == meals else ""
            )
            for q in questions
        ]
        # A handler whose declared relation matches the case's lawyer explains why they keep it; their head decides.
        explanation = "该律师系远房亲属，多年未联系，不影响公正办案" if declarations.has_conflict(declaration) else ""
        declarations.submit_declaration(declaration, answers, explanation=explanation, acting_user=declaration.officer)
        reviewer = declaration.officer.reviewer
        if explanation and declaration.officer_id in clean and reviewer is not None:
            # The demo accounts' conflicts are already decided; the others' wait in their heads' to-dos.
            reason = "经核实关系疏远，可继续承办"
            declarations.decide_conflict(declaration, recuse=False, reason=reason, acting_user=reviewer)


def _progress(city: Institution) -> None:
    """Bring each case as far along as its roll says: declarations, assessment, approvals, stage."""
    questions = list(questions_for(city))
    meals = next(q for q in questions if q.code == "meals")
    factors = {f.name: f for f in RiskFactor.objects.all()}
    stages = list(Stage.objects.order_by("order"))
    demo_handler = Officer.objects.get(username="officer")
    # The demo accounts keep a clean record (the officer's light shows only this month's check), and a head's own
    # declarations would wait on a review nobody above her gives yet.
    clean = set(Officer.objects.filter(username__in=DEMO_USERNAMES).values_list("pk", flat=True))
    for case in Case.objects.filter(institution=city).select_related("stage").order_by("number"):
        roll = _roll(case.number, "progress")
        demo_case = case.case_handlers.filter(officer=demo_handler).exists()
        _declare(case, roll, questions, meals, clean)
        if Assessment.objects.filter(case=case).exists() or roll < 20:
            continue
        handler = case.case_handlers.filter(is_lead=True).select_related("officer").first()
        if handler is None:
            continue
        lead = handler.officer
        chosen = [factors[name] for name in FACTOR_SETS[roll % 4]]
        assessment = assessments.save_assessment(
            case, factors=chosen, plan="释法说理，做好当事人工作，跟踪回访。", acting_user=lead
        )
        if roll < 30:
            continue  # draft
        assessments.submit_assessment(assessment, acting_user=lead)
        if roll < 40:
            continue  # awaiting approval
        assessment = _approve(assessment)
        if assessment.status != AssessmentStatus.APPROVED:
            continue
        if roll % 5 == 0 and not demo_case and lead.pk not in clean:
            # approved long ago and still open: overdue, so a supervision notice is due
            Assessment.objects.filter(pk=assessment.pk).update(deadline=case.received_on + datetime.timedelta(days=15))
            continue
        try:
            for stage in stages[1 : 2 + roll % 3]:
                if any(m.kind == "assessment" for m in gate_for(case)):  # a re-assessed stage: assessed again
                    again = assessments.save_assessment(
                        case, factors=chosen, plan="拟作决定前再次评估。", acting_user=lead
                    )
                    _approve(assessments.submit_assessment(again, acting_user=lead))
                case = actions.move_case(case, stage, acting_user=lead)
        except actions.GateClosed:
            continue


def _approve(assessment: Assessment) -> Assessment:
    """Up the chain its colour requires, each approver in turn."""
    while assessment.status == AssessmentStatus.PENDING and assessment.approver_id:
        approver = Officer.objects.get(pk=assessment.approver_id)
        assessment = assessments.decide_assessment(assessment, approve=True, acting_user=approver)
    return assessment


def seed() -> dict[str, int]:
    ensure()
    city = Institution.objects.get(code="JZ")
    _relation()
    rows = [r for r in _rows(city) if not Case.objects.filter(number=r[0]).exists()]
    if rows:
        result = import_cases(city, _csv(rows), "demo-cases.csv", acting_user=None)
        if not result.ok:
            raise RuntimeError(result.errors[:3])
    _progress(city)
    notices.issue_supervision_notices(timezone.localdate())
    return {
        "cases": Case.objects.count(),
        "declarations filed": Declaration.objects.filter(submitted_at__isnull=False).count(),
        "assessments": Assessment.objects.count(),
    }
