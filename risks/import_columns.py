"""The columns of the catalog spreadsheets (power items, risk points) and the words institutions write in them.

Real tables differ: grades written 高/中/低, 高级/中级/低级, 一级/二级/三级, A/B/C or 重大/较大/一般; levels as
岗位/个人, 部门/庭室/科室 or 单位/院; categories with or without 权 or 类. Each column knows its template header and
the aliases it goes by; an administrator adds the institution's own (``integrity.queries.header_synonyms``).
"""

from __future__ import annotations

import io

from integrity.models import Institution
from integrity.queries import header_synonyms
from integrity.spreadsheets import Column, SheetKind, find_columns, register
from risks.choices import IdentificationMethod, ImportKind, PowerCategory, RiskScope
from risks.rules import DEFAULT_GRADE_WORDS, normalise_grade_word

COLUMNS: dict[str, list[Column]] = {
    ImportKind.POWER_ITEMS: [
        Column("department", "所属部门", True, ("部门", "庭室", "责任部门", "承办部门"), fill_down=True),
        Column("category", "职权类别", True, ("类别", "权力类别", "职权类型"), fill_down=True),
        Column("name", "职权名称", True, ("名称", "权力名称", "职权事项")),
        Column("content", "职权内容", aliases=("内容", "权力内容")),
        Column("legal_basis", "法律依据", aliases=("依据", "设定依据")),
        Column("exercised_by", "行使主体", aliases=("主体", "实施主体")),
        Column("conditions", "行使条件", aliases=("条件",)),
        Column("procedure", "行使程序", aliases=("程序", "办理程序")),
        Column("time_limit", "办理时限", aliases=("时限", "期限")),
        Column("supervision", "监督方式", aliases=("监督",)),
        Column("steps", "流程环节", aliases=("流程", "运行流程", "权力运行流程")),
    ],
    ImportKind.RISK_POINTS: [
        Column("code", "风险点编号", aliases=("编号", "风险编号", "编码")),
        # Without a level, the filled columns say it: a post → post level, only a department → department level.
        Column("scope", "风险层级", aliases=("层级", "层面", "风险层面"), fill_down=True),
        Column("department", "部门", aliases=("所属部门", "庭室", "责任部门"), fill_down=True),
        Column("post", "岗位", aliases=("岗位名称", "所在岗位"), fill_down=True),
        Column("power_item", "所属职权", aliases=("职权", "职权名称", "权力事项"), fill_down=True),
        Column("category", "风险类别", True, ("类别", "风险类型"), fill_down=True),
        Column("description", "风险点", True, ("廉政风险点", "风险内容", "风险点描述")),
        Column("manifestation", "表现形式", aliases=("主要表现", "风险表现")),
        Column("likelihood", "发生概率", aliases=("概率", "可能性")),
        Column("impact", "危害程度", aliases=("危害", "影响程度")),
        Column("grade", "风险等级", aliases=("等级", "风险级别", "级别"), word=normalise_grade_word),
        Column("measures", "防控措施", aliases=("措施", "风险防控措施")),
        Column("identification_method", "查找方式", aliases=("查找方法", "识别方式")),
    ],
}
POWER_ITEM_TEXTS = (
    "name", "content", "legal_basis", "exercised_by", "conditions", "procedure", "time_limit", "supervision",
)  # fmt: skip
SCOPE_WORDS = {
    "岗位": RiskScope.POST, "个人": RiskScope.POST, "岗位风险": RiskScope.POST,
    "部门": RiskScope.DEPARTMENT, "庭室": RiskScope.DEPARTMENT, "科室": RiskScope.DEPARTMENT,
    "部门风险": RiskScope.DEPARTMENT, "庭室风险": RiskScope.DEPARTMENT,
    "单位": RiskScope.INSTITUTION, "院": RiskScope.INSTITUTION, "单位风险": RiskScope.INSTITUTION,
    "领导班子": RiskScope.INSTITUTION,
} | {value: value for value in RiskScope.values}  # fmt: skip
CATEGORY_WORDS = {str(label): value for value, label in PowerCategory.choices} | {
    "决策": PowerCategory.DECISION, "审批": PowerCategory.APPROVAL, "监管": PowerCategory.SUPERVISION,
    "执法": PowerCategory.ENFORCEMENT, "人事": PowerCategory.PERSONNEL, "财务": PowerCategory.FINANCE,
} | {value: value for value in PowerCategory.values}  # fmt: skip
METHOD_WORDS = {
    "自己找": IdentificationMethod.SELF, "群众提": IdentificationMethod.PUBLIC, "互相查": IdentificationMethod.PEERS,
    "领导点": IdentificationMethod.LEADERS, "组织评": IdentificationMethod.ORGANISATION,
    "集体定": IdentificationMethod.COLLECTIVE,
} | {value: value for value in IdentificationMethod.values}  # fmt: skip


def register_kinds() -> None:
    for kind in ImportKind:
        register(SheetKind(kind.value, kind.label, COLUMNS[kind]))


def guess_column_map(kind: str, header: list[str], institution: Institution | None = None) -> dict[str, int | None]:
    """Which column of the file holds each field, by the template's header, a common alias or a synonym the
    administrators added."""
    return find_columns(COLUMNS[kind], header, header_synonyms(kind, institution))


def grade_words(rows: list[list[str]], grade_column: int | None) -> list[str]:
    if grade_column is None:
        return []
    seen = []
    for row in rows[1:]:
        word = normalise_grade_word(row[grade_column] if grade_column < len(row) else "")
        if word and word not in seen:
            seen.append(word)
    return seen


def default_grade_map(words: list[str]) -> dict[str, str]:
    defaults = {normalise_grade_word(k): v for k, v in DEFAULT_GRADE_WORDS.items()}
    return {word: str(defaults[word]) if word in defaults else "" for word in words}


def template_workbook(kind: str) -> bytes:
    """The .xlsx template the import page offers: the columns, and an example row."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    examples: dict[str, dict[str, str]] = {
        ImportKind.POWER_ITEMS: {
            "department": "公诉处",
            "category": "执法",
            "name": "审查起诉",
            "content": "对移送起诉的案件进行审查，作出起诉或不起诉决定",
            "legal_basis": "《刑事诉讼法》第一百六十九条",
            "exercised_by": "承办检察官",
            "time_limit": "一个月",
            "steps": "1.受理 2.审查 3.讨论 4.决定 5.出庭",
            "supervision": "案件管理部门流程监控",
        },
        ImportKind.RISK_POINTS: {
            "scope": "岗位",
            "department": "公诉处",
            "post": "检察员",
            "power_item": "审查起诉",
            "category": "岗位职责",
            "description": "1.接受当事人请托，违规作出不起诉决定 2.违规会见当事人及其律师",
            "likelihood": "3",
            "impact": "5",
            "measures": "1.不起诉案件检委会讨论 2.会见律师在接待室进行并登记",
            "identification_method": "自己找",
        },
    }
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(ImportKind(kind).label)
    sheet.append([c.label for c in COLUMNS[kind]])
    sheet.append([examples[kind].get(c.key, "") for c in COLUMNS[kind]])
    for cell, column in zip(sheet[1], COLUMNS[kind], strict=True):
        cell.font = Font(bold=column.required)
        sheet.column_dimensions[cell.column_letter].width = 18
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
