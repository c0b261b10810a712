"""The data institutions start from: stages, declaration questions, risk factors and the colour scale.

The first migration of the data adds them; ``ensure`` adds any that are missing (seeding and tests that empty
the database use it).
"""

from typing import Any

from django.apps import apps as global_apps

# name, order, decision stage, closes the case, re-assessed (the first stage is always assessed)
STAGES = [
    ("受理", 1, False, False, False),
    ("审查", 2, False, False, False),
    ("决定", 3, True, False, True),
    ("办结", 4, False, True, False),
]

# The behaviours case supervision cards (廉政监督卡、随案监督卡) ask about, and the three recording rules (三个规定).
QUESTIONS = [
    ("recusal", "recusal", "是否存在应当回避的情形（本人或近亲属与当事人、代理人有利害关系等）？"),
    ("leader-interference", "interceding", "是否有领导干部干预司法活动、插手具体案件处理？"),
    ("insider-inquiry", "interceding", "是否有司法机关内部人员过问案件？"),
    ("improper-contact", "interceding", "是否与当事人、律师、特殊关系人、中介组织有不正当接触交往？"),
    ("meals", "general", "是否接受当事人及其代理人的吃请？"),
    ("entertainment", "general", "是否接受当事人及其代理人安排的娱乐活动（打牌、唱歌、茶楼、洗浴等）？"),
    ("gifts", "general", "是否收受当事人及其代理人的礼品、礼金、有价证券或其他财物？"),
    ("lawyer", "general", "是否向当事人推荐、介绍律师，或与律师有不正当往来？"),
    ("leaking", "general", "是否泄露案件办理情况或案件秘密？"),
    ("delay", "general", "是否存在拖延办案、徇私偏袒的情形？"),
    ("other", "general", "是否有其他可能影响公正办案的情形？"),
]

FACTORS = [
    ("当事人对拟作决定反应强烈、情绪激动", 15),
    ("当事人或其亲属有上访、闹访倾向", 20),
    ("可能引发越级访、进京访或集体访", 25),
    ("涉众型案件，涉及人数众多", 20),
    ("社会关注度高，可能引发网络舆情", 15),
    ("涉及重大财产利益或民生诉求", 10),
    ("涉及领导干部、人大代表等敏感人员", 10),
    ("被害人诉求未得到满足", 10),
    ("案件事实、证据存在较大争议", 10),
    ("当事人有过激言行或极端行为苗头", 25),
]

# colour, from score, approved up to (1 head, 2 deputy, 3 principal), handling deadline in days
GRADES = [("blue", 0, 1, 180), ("yellow", 20, 1, 90), ("orange", 40, 2, 30), ("red", 60, 3, 15)]


def ensure(apps: Any = global_apps) -> None:
    Stage = apps.get_model("cases", "Stage")
    Question = apps.get_model("cases", "DeclarationQuestion")
    Factor = apps.get_model("cases", "RiskFactor")
    Grade = apps.get_model("cases", "ColourGrade")
    # The first migrations run this before stages could be re-assessed (a later migration marks them).
    knows_reassessment = any(field.name == "reassessed" for field in Stage._meta.get_fields())
    for name, order, decision, final, reassessed in STAGES:
        defaults = {"order": order, "is_decision": decision, "is_final": final}
        if knows_reassessment:
            defaults["reassessed"] = reassessed
        Stage.objects.get_or_create(name=name, defaults=defaults)
    for order, (code, kind, text) in enumerate(QUESTIONS):
        Question.objects.get_or_create(code=code, defaults={"kind": kind, "text": text, "order": order})
    for order, (name, weight) in enumerate(FACTORS):
        Factor.objects.get_or_create(name=name, defaults={"weight": weight, "order": order})
    for colour, score, level, days in GRADES:
        Grade.objects.get_or_create(
            colour=colour, defaults={"min_score": score, "approval_level": level, "deadline_days": days}
        )
