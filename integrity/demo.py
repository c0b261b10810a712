"""The demo institution: a city procuratorate with two district procuratorates below it.

Everything is keyed on natural keys (institution code, department and post names, usernames) and dated with
fixed dates, so seeding again finds what is there and writes nothing.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.conf import settings

from integrity import actions
from integrity.choices import InstitutionKind, InstitutionLevel, Role
from integrity.models import Department, Institution, Officer, Post

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力志宏波鹏飞斌云凯晨雪琳海燕浩然"


@dataclass(frozen=True)
class PostSpec:
    name: str
    duties: str
    key: bool = False


# Departments of a procuratorate; the second name is the district body's.
DEPARTMENTS: list[tuple[str, str, list[PostSpec]]] = [
    (
        "院领导",
        "院领导",
        [
            PostSpec("检察长", "主持全院工作，对全院党风廉政建设负总责，主持检察委员会，审批重大案件。", True),
            PostSpec("副检察长", "协助检察长工作，分管有关业务部门，审批分管部门的案件和事项。", True),
        ],
    ),
    (
        "公诉处",
        "公诉科",
        [
            PostSpec("处长", "主持部门工作，审核部门案件，负责部门廉政风险防控。", True),
            PostSpec("检察员", "审查起诉案件，出庭支持公诉，提出量刑建议，对审判活动进行监督。", True),
            PostSpec("检察官助理", "协助检察员审查案件，制作法律文书，接待律师阅卷。"),
            PostSpec("书记员", "案件记录、送达、归档等事务性工作。"),
        ],
    ),
    (
        "侦查监督处",
        "侦查监督科",
        [
            PostSpec("处长", "主持部门工作，审核审查逮捕案件，负责部门廉政风险防控。", True),
            PostSpec("检察员", "审查逮捕，开展立案监督和侦查活动监督。", True),
            PostSpec("检察官助理", "协助审查逮捕案件，讯问犯罪嫌疑人，听取律师意见。"),
        ],
    ),
    (
        "控告申诉检察处",
        "控告申诉科",
        [
            PostSpec("处长", "主持部门工作，组织信访接待和风险评估预警的备案、督办。", True),
            PostSpec("检察员", "办理刑事申诉、国家赔偿和司法救助案件。", True),
            PostSpec("信访接待员", "接待来信来访，登记、分流信访件，反馈办理情况。"),
        ],
    ),
    (
        "案件管理办公室",
        "案件管理中心",
        [
            PostSpec("主任", "主持部门工作，负责案件受理、流程监控和质量评查。", True),
            PostSpec("案件管理员", "案件受理、分流、流程监控，接待律师，统一业务应用系统管理。"),
        ],
    ),
    (
        "政治部",
        "政治处",
        [
            PostSpec("主任", "主持部门工作，负责干部管理、教育培训和考核。", True),
            PostSpec("干部人事专员", "干部选拔任用、考核、档案管理。", True),
        ],
    ),
    (
        "办公室",
        "办公室",
        [
            PostSpec("主任", "主持部门工作，负责综合协调、财务、后勤和信息化。", True),
            PostSpec("财务会计", "经费预算、财务报销、资产管理。", True),
            PostSpec("信息技术员", "信息化系统的运行维护和账号管理。"),
            PostSpec("文秘", "文稿起草、会务和档案工作。"),
        ],
    ),
    (
        "纪检组",
        "纪检组",
        [
            PostSpec("纪检组长", "主持纪检监察工作，受理信访举报，组织廉政风险防控和监督检查。", True),
            PostSpec("纪检监察员", "信访举报登记核查，廉情预警，督察和廉政档案管理。", True),
        ],
    ),
]

# How many people hold each post: (department index, post name) -> (city, district).
STAFFING: dict[tuple[int, str], tuple[int, int]] = {
    (0, "检察长"): (1, 1),
    (0, "副检察长"): (3, 1),
    (1, "处长"): (1, 1),
    (1, "检察员"): (6, 2),
    (1, "检察官助理"): (2, 1),
    (1, "书记员"): (1, 0),
    (2, "处长"): (1, 1),
    (2, "检察员"): (4, 1),
    (2, "检察官助理"): (2, 0),
    (3, "处长"): (1, 0),
    (3, "检察员"): (1, 1),
    (3, "信访接待员"): (2, 0),
    (4, "主任"): (1, 0),
    (4, "案件管理员"): (3, 1),
    (5, "主任"): (1, 0),
    (5, "干部人事专员"): (3, 1),
    (6, "主任"): (1, 0),
    (6, "财务会计"): (1, 1),
    (6, "信息技术员"): (1, 0),
    (6, "文秘"): (1, 0),
    (7, "纪检组长"): (1, 0),
    (7, "纪检监察员"): (2, 1),
}

CITY = {"code": "JZ", "name": "江州市人民检察院", "short_name": "江州市院", "level": InstitutionLevel.CITY}
DISTRICTS = [
    {"code": "JZ-DH", "name": "江州市东湖区人民检察院", "short_name": "东湖区院", "level": InstitutionLevel.DISTRICT},
    {"code": "JZ-XS", "name": "江州市西山区人民检察院", "short_name": "西山区院", "level": InstitutionLevel.DISTRICT},
]

# The fixed demo accounts, all in the city body: (username, department index, post, roles).
DEMO_ACCOUNTS = [
    ("chief", 0, "检察长", [Role.PRINCIPAL_LEADER]),
    ("deputy", 0, "副检察长", [Role.DEPUTY_LEADER]),
    ("depthead", 1, "处长", [Role.DEPARTMENT_HEAD]),
    ("officer", 1, "检察员", []),
    ("inspector", 7, "纪检监察员", [Role.DISCIPLINE]),
    ("lead", 7, "纪检组长", [Role.DISCIPLINE, Role.DISCIPLINE_LEAD]),
    ("intake", 3, "信访接待员", [Role.PETITION_INTAKE]),
    ("casemgmt", 4, "案件管理员", [Role.CASE_MANAGEMENT]),
    ("admin", 6, "信息技术员", [Role.ADMINISTRATOR]),
    ("security", 6, "文秘", [Role.SECURITY_ADMIN]),
    ("auditor", 5, "干部人事专员", [Role.AUDITOR]),
]
DEMO_USERNAMES = frozenset(username for username, *_ in DEMO_ACCOUNTS)
HEAD_POSTS = {"处长", "主任", "纪检组长"}  # keyed by the city names in DEPARTMENTS
# A district body's sections (科) are led by a 科长 where the city's divisions (处) have a 处长.
DISTRICT_POST_NAMES = {"处长": "科长"}
# Demo accounts that held another post first, so their profile shows a post history:
# username -> (earlier post, date of the move, note).
CAREERS = {"officer": ("检察官助理", datetime.date(2023, 7, 1), "晋升为检察员")}
FIRST_DAY = datetime.date(2021, 3, 1)


def _names(seed: str, count: int) -> list[str]:
    rng = random.Random(seed)
    names: list[str] = []
    while len(names) < count:
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        if name not in names:
            names.append(name)
    return names


def _institution(spec: dict, parent: Institution | None) -> Institution:
    existing = Institution.objects.filter(code=spec["code"]).first()
    if existing:
        return existing
    return actions.create_institution(kind=InstitutionKind.PROCURATORATE, parent=parent, acting_user=None, **spec)


def _departments(institution: Institution, *, city: bool) -> list[tuple[Department, dict[str, Post]]]:
    result = []
    for order, (city_name, district_name, posts) in enumerate(DEPARTMENTS):
        name = city_name if city else district_name
        department = Department.objects.filter(institution=institution, name=name).first() or (
            actions.create_department(institution, name, order=order, acting_user=None)
        )
        by_name = {}
        for spec in posts:
            post_name = spec.name if city else DISTRICT_POST_NAMES.get(spec.name, spec.name)
            by_name[spec.name] = Post.objects.filter(department=department, name=post_name).first() or (
                actions.create_post(
                    department, post_name, main_duties=spec.duties, is_key_post=spec.key, acting_user=None
                )
            )
        result.append((department, by_name))
    return result


def _staff(
    institution: Institution, departments: list[tuple[Department, dict[str, Post]]], *, city: bool, prefix: str
) -> dict[str, list[Officer]]:
    """Create the institution's officers; returns them by post key ``"<dept index>:<post>"``."""
    slots = [(d, p, n[0] if city else n[1]) for (d, p), n in STAFFING.items()]
    names = iter(_names(institution.code, sum(count for *_, count in slots)))
    demo = {(d, p): username for username, d, p, _ in DEMO_ACCOUNTS} if city else {}
    people: dict[str, list[Officer]] = {}
    number = 0
    for d, post_name, count in slots:
        department, posts = departments[d]
        for i in range(count):
            number += 1
            name = next(names)
            username = demo.get((d, post_name)) if i == 0 else None
            username = username or f"{prefix}{number:03d}"
            officer = Officer.objects.filter(username=username).first()
            if officer is None:
                earlier = CAREERS.get(username)
                officer = actions.create_officer(
                    username=username,
                    full_name=name,
                    department=department,
                    post=posts[earlier[0]] if earlier else posts[post_name],
                    password=settings.DEMO_PASSWORD if username in demo.values() else None,
                    staff_number=f"{prefix.upper()}{number:04d}",
                    started_on=FIRST_DAY + datetime.timedelta(days=30 * (number % 20)),
                    acting_user=None,
                )
                if earlier:
                    actions.assign_post(
                        officer, posts[post_name], started_on=earlier[1], note=earlier[2], acting_user=None
                    )
            people.setdefault(f"{d}:{post_name}", []).append(officer)
    return people


# Roles held in each body by the first holder of a post ("department index:post"), after the discipline staff's.
FIRST_OF_POST = [
    ("7:纪检组长", Role.DISCIPLINE_LEAD),
    ("3:信访接待员", Role.PETITION_INTAKE),
    ("4:案件管理员", Role.CASE_MANAGEMENT),
    ("6:文秘", Role.SECURITY_ADMIN),
    ("5:干部人事专员", Role.AUDITOR),
]


def _roles(
    institution: Institution, departments: list[tuple[Department, dict[str, Post]]], people: dict[str, list[Officer]]
) -> None:
    business = [department for department, _ in departments[1:]]
    for d, (department, _) in enumerate(departments):
        for post_name in HEAD_POSTS:
            for head in people.get(f"{d}:{post_name}", [])[:1]:
                actions.grant_role(head, Role.DEPARTMENT_HEAD, institution, departments=[department], acting_user=None)
    for chief in people.get("0:检察长", []):
        actions.grant_role(chief, Role.PRINCIPAL_LEADER, institution, acting_user=None)
    deputies = people.get("0:副检察长", [])
    for i, deputy in enumerate(deputies):
        # Deputies split the departments between them; the first takes 公诉 and 侦查监督 (the demo journey).
        share = business[:2] if i == 0 else business[2 + (i - 1) * 3 : 2 + i * 3]
        if len(deputies) == 1:
            share = business
        actions.grant_role(deputy, Role.DEPUTY_LEADER, institution, departments=share, acting_user=None)
    for inspector in people.get("7:纪检监察员", [])[:1] + people.get("7:纪检组长", []):
        actions.grant_role(inspector, Role.DISCIPLINE, institution, acting_user=None)
    for admin in people.get("6:信息技术员", [])[:1] or people.get("6:财务会计", [])[:1]:
        actions.grant_role(admin, Role.ADMINISTRATOR, institution, acting_user=None)
    for key, role in FIRST_OF_POST:
        for holder in people.get(key, [])[:1]:
            actions.grant_role(holder, role, institution, acting_user=None)


def seed() -> dict[str, int]:
    city = _institution(CITY, None)
    city_departments = _departments(city, city=True)
    people = _staff(city, city_departments, city=True, prefix="jz")
    _roles(city, city_departments, people)
    for spec, prefix in zip(DISTRICTS, ("dh", "xs"), strict=True):
        district = _institution(spec, city)
        district_departments = _departments(district, city=False)
        district_people = _staff(district, district_departments, city=False, prefix=prefix)
        _roles(district, district_departments, district_people)
    return {
        "institutions": Institution.objects.count(),
        "departments": Department.objects.count(),
        "officers": Officer.objects.count(),
    }
