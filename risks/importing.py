"""Reading institutions' catalog spreadsheets: the template's columns or the institution's own, through a mapping.

Real tables differ: grades written 高/中/低, 高级/中级/低级, 一级/二级/三级, A/B/C or 重大/较大/一般; several risks
numbered inside one cell; cells left blank by merged cells meaning "same as above". Reading is pure (bytes in,
rows out); ``plan`` checks every row against the database and says what would be created or updated, and
``risks.catalog_import.import_catalog`` writes only a plan without errors.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from integrity.actions import take_job
from integrity.models import Department, Institution, Officer, Post
from integrity.queries import header_synonyms
from integrity.spreadsheets import Column, Mapping, SheetKind, UnreadableFile, find_columns, read_rows, register
from risks.catalog_import import import_catalog
from risks.choices import Grade, IdentificationMethod, ImportKind, ImportStatus, PowerCategory, RiskScope
from risks.models import ImportBatch, PowerItem, RiskCategory, RiskPoint
from risks.rules import DEFAULT_GRADE_WORDS, normalise_grade_word, split_numbered

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


@dataclass
class PlannedRow:
    number: int
    values: dict
    action: str = ""  # "create", "update" or "unchanged"
    errors: list[str] = field(default_factory=list)
    resolved: dict = field(default_factory=dict)
    existing: RiskPoint | PowerItem | None = None
    key: str = ""  # what identifies the row on a re-import: its code, or its sheet and row
    ungraded: bool = False  # no score and no grade: an error unless it updates a point and the file has no grades


@dataclass(frozen=True)
class New:
    """A department or power item the file names and the institution does not have yet, created with the import."""

    name: str
    department: Department | New | None = None  # a power item's department

    def __str__(self) -> str:
        return self.name


@dataclass
class Plan:
    kind: str
    rows: list[PlannedRow]
    new_departments: list[str] = field(default_factory=list)
    new_power_items: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[PlannedRow]:
        return [row for row in self.rows if row.errors]

    @property
    def kept(self) -> list[PlannedRow]:
        return [row for row in self.rows if not row.errors]

    @property
    def counts(self) -> dict[str, int]:
        return {
            "create": sum(1 for r in self.kept if r.action == "create"),
            "update": sum(1 for r in self.kept if r.action == "update"),
            "unchanged": sum(1 for r in self.kept if r.action == "unchanged"),
            "skipped": len(self.errors),
        }


def _score(text: str, label: str, errors: list[str]) -> int | None:
    if not text:
        return None
    try:
        value = int(float(text))
    except ValueError:
        value = 0
    if not 1 <= value <= 5:
        errors.append(
            _("%(field)s must be a whole number from 1 to 5, not “%(value)s”.") % {"field": label, "value": text}
        )
        return None
    return value


class _Names:
    """Departments (or power items) of the institution by name; with ``create`` an unknown name becomes a ``New``
    one, the same object for every row that names it."""

    def __init__(self, known: dict, create: bool) -> None:
        self.known, self.create, self.new = known, create, {}

    def get(self, name: str, **extra):
        if name in self.known:
            return self.known[name]
        if self.create:
            return self.new.setdefault(name, New(name, **extra))
        return None


def plan(
    kind: str,
    institution: Institution,
    rows: list[list[str]],
    mapping: Mapping,
    *,
    create_missing: bool = False,
    sheet: str = "",
) -> Plan:
    """Check every row and resolve names to records; nothing is written. A row with errors carries them and is
    left out of what an import writes."""
    missing = mapping.missing(COLUMNS[kind])
    if missing:
        row = PlannedRow(1, {}, errors=[_("No column is mapped to: %(fields)s.") % {"fields": "、".join(missing)}])
        return Plan(kind, [row])
    departments = _Names({d.name: d for d in Department.objects.filter(institution=institution)}, create_missing)
    if kind == ImportKind.POWER_ITEMS:
        return _plan_power_items(institution, rows, mapping, departments)
    return _plan_risk_points(institution, rows, mapping, departments, create_missing, sheet)


def _plan_power_items(institution: Institution, rows, mapping: Mapping, departments: _Names) -> Plan:
    existing = {p.name: p for p in PowerItem.objects.filter(institution=institution).prefetch_related("steps")}
    planned, seen = [], set()
    for number, values in mapping.read(COLUMNS[ImportKind.POWER_ITEMS], rows):
        row = PlannedRow(number, values)
        department = departments.get(values["department"]) if values["department"] else None
        if department is None:
            row.errors.append(_("Unknown department “%(name)s”.") % {"name": values["department"]})
        category = CATEGORY_WORDS.get(values["category"].removesuffix("权").removesuffix("类"))
        if category is None:
            row.errors.append(_("Unknown power category “%(name)s”.") % {"name": values["category"]})
        if not values["name"]:
            row.errors.append(_("The power item has no name."))
        elif values["name"] in seen:
            row.errors.append(_("“%(name)s” appears twice in the file.") % {"name": values["name"]})
        seen.add(values["name"])
        row.existing = existing.get(values["name"])
        row.resolved = {
            "department": department,
            "category": category,
            "steps": split_numbered(values["steps"]),
            # A column the file lacks leaves that text alone on the item it updates.
            "texts": {k: values[k] for k in POWER_ITEM_TEXTS if mapping.present(k) or k in mapping.defaults},
        }
        row.action = _power_item_action(row)
        planned.append(row)
    return Plan(kind=ImportKind.POWER_ITEMS, rows=planned, new_departments=list(departments.new))


def _power_item_action(row: PlannedRow) -> str:
    item = row.existing
    if item is None:
        return "create"
    same = (
        all(getattr(item, key) == value for key, value in row.resolved["texts"].items())
        and (item.department, item.category) == (row.resolved["department"], row.resolved["category"])
        and (not row.resolved["steps"] or [s.name for s in item.steps.all()] == row.resolved["steps"])
    )
    return "unchanged" if same else "update"


def _risk_point_action(row: PlannedRow) -> str:
    point = row.existing
    if point is None:
        return "create"
    same = point.source_key == row.key and all(getattr(point, key) == value for key, value in row.resolved.items())
    return "unchanged" if same else "update"


def _scope(values: dict) -> str | None:
    if values["scope"]:
        return SCOPE_WORDS.get(values["scope"].removesuffix("层面").removesuffix("级"))
    if values["post"]:
        return RiskScope.POST
    return RiskScope.DEPARTMENT if values["department"] else RiskScope.INSTITUTION


def _plan_risk_points(
    institution: Institution, rows, mapping: Mapping, departments: _Names, create_missing: bool, sheet: str
) -> Plan:
    categories = {c.name: c for c in RiskCategory.objects.filter(is_active=True)}
    posts = {(p.department_id, p.name): p for p in Post.objects.filter(department__institution=institution)}
    power_items = _Names({p.name: p for p in PowerItem.objects.filter(institution=institution)}, create_missing)
    says_target = any(mapping.present(key) for key in ("scope", "department", "post"))
    says_grade = any(mapping.present(key) or key in mapping.defaults for key in ("likelihood", "impact", "grade"))
    planned = []
    for number, values in mapping.read(COLUMNS[ImportKind.RISK_POINTS], rows):
        errors: list[str] = []
        scope, department, post = _target(values, departments, posts, errors)
        category = categories.get(values["category"])
        if category is None:
            errors.append(_("Unknown risk category “%(name)s”.") % {"name": values["category"]})
        power_item = _power_item(values["power_item"], power_items, department, errors)
        likelihood, impact, collective, ungraded = _grading(values, errors)
        descriptions = split_numbered(values["description"])
        if not descriptions:
            errors.append(_("The row has no risk."))
        for n, description in enumerate(descriptions or [""], start=1):
            row = PlannedRow(number, {**values, "description": description}, errors=list(errors))
            key = f"code:{values['code']}" if values["code"] else f"{sheet}!{number}"
            row.key = f"{key}.{n}" if len(descriptions) > 1 else key
            row.resolved = {
                "scope": scope, "department": department if scope != RiskScope.INSTITUTION else None,
                "post": post, "category": category, "power_item": power_item, "description": description,
                "manifestation": values["manifestation"], "likelihood": likelihood, "impact": impact,
                "collective_grade": collective,
                "identification_method": METHOD_WORDS.get(values["identification_method"], IdentificationMethod.SELF),
                "measures": "\n".join(split_numbered(values["measures"])),
            }  # fmt: skip
            row.ungraded = ungraded
            planned.append(row)
    _Matcher(institution).assign(planned)
    for row in planned:
        if row.ungraded and (row.existing is None or says_grade):
            row.errors.append(_("Without likelihood and impact the row needs its grade."))
        if row.existing is not None:
            # What the file does not say is left as it is on the risk point it updates.
            row.resolved = {k: v for k, v in row.resolved.items() if _said(k, mapping, says_target, says_grade)}
        row.action = _risk_point_action(row)
    return Plan(
        kind=ImportKind.RISK_POINTS,
        rows=planned,
        new_departments=list(departments.new),
        new_power_items=list(power_items.new),
    )


def _target(values: dict, departments: _Names, posts: dict, errors: list[str]) -> tuple:
    """The row's level, department and post (a department or power item may be one the import creates)."""
    scope = _scope(values)
    if scope is None:
        errors.append(_("Unknown risk level “%(name)s” (use 岗位, 部门 or 单位).") % {"name": values["scope"]})
    department = departments.get(values["department"]) if values["department"] else None
    if values["department"] and department is None:
        errors.append(_("Unknown department “%(name)s”.") % {"name": values["department"]})
    if scope in (RiskScope.POST, RiskScope.DEPARTMENT) and not values["department"]:
        errors.append(_("A post or department risk needs its department."))
    post = None
    if scope == RiskScope.POST and department is not None:
        post = posts.get((getattr(department, "pk", None), values["post"]))
        if post is None:
            errors.append(
                _("Unknown post “%(name)s” in %(department)s.") % {"name": values["post"], "department": department}
            )
    return scope, department, post


def _power_item(name: str, power_items: _Names, department, errors: list[str]):
    if not name:
        return None
    power_item = power_items.get(name, department=department)
    if power_item is None:
        errors.append(_("Unknown power item “%(name)s”.") % {"name": name})
    elif isinstance(power_item, New) and power_item.department is None:
        errors.append(_("The new power item “%(name)s” needs a department.") % {"name": name})
    return power_item


def _grading(values: dict, errors: list[str]) -> tuple:
    """Likelihood and impact, or a collective grade (a word the mapping turned into one); ungraded when the row
    gives neither."""
    likelihood = _score(values["likelihood"], _("Likelihood"), errors)
    impact = _score(values["impact"], _("Impact"), errors)
    collective, ungraded = "", False
    if likelihood is None or impact is None:
        if (likelihood is None) != (impact is None):
            errors.append(_("Give both likelihood and impact, or neither."))
        collective = values["grade"]
        if not collective:
            ungraded = True
        elif collective not in Grade.values:
            errors.append(_("Choose what the grade “%(word)s” means.") % {"word": values["grade"]})
    return likelihood, impact, collective, ungraded


def _said(name: str, mapping: Mapping, says_target: bool, says_grade: bool) -> bool:
    if name in ("scope", "department", "post"):
        return says_target
    if name in ("likelihood", "impact", "collective_grade"):
        return says_grade
    if name == "description":
        return True
    return mapping.present(name) or name in mapping.defaults


def _wording(point: RiskPoint) -> tuple:
    return point.scope, point.department_id, point.post_id, point.description


class _Matcher:
    """Which existing risk point each row re-imports. A code column is the row's identity. Without one, a row takes
    first the risk point with its wording imported from the same sheet and row, then one with its wording (same
    level, department and post) that no other row has taken — rows that moved keep their points — and last the
    point imported from its sheet and row, whose wording was edited. Two rows worded alike are two risk points."""

    def __init__(self, institution: Institution) -> None:
        self.points = list(RiskPoint.objects.filter(institution=institution))
        self.by_key = {p.source_key: p for p in self.points if p.source_key}
        self.taken: set[int] = set()

    @staticmethod
    def _wording(resolved: dict) -> tuple:
        department, post = resolved["department"], resolved["post"]
        return resolved["scope"], getattr(department, "pk", None), getattr(post, "pk", None), resolved["description"]

    def _take(self, row: PlannedRow, point: RiskPoint | None) -> None:
        if point is not None and point.pk not in self.taken and row.existing is None:
            row.existing = point
            self.taken.add(point.pk)

    def assign(self, rows: list[PlannedRow]) -> None:
        by_wording: dict[tuple, list[RiskPoint]] = {}
        for point in self.points:
            by_wording.setdefault(_wording(point), []).append(point)
        for row in rows:  # a code, or the same sheet and row with the same wording
            point = self.by_key.get(row.key)
            if point is not None and (row.key.startswith("code:") or self._wording(row.resolved) == _wording(point)):
                self._take(row, point)
        for row in rows:  # the same wording, moved to another row
            for point in by_wording.get(self._wording(row.resolved), []):
                self._take(row, point)
        for row in rows:  # the same sheet and row, its wording edited
            if not row.key.startswith("code:"):
                self._take(row, self.by_key.get(row.key))


def template_workbook(kind: str) -> bytes:
    """The .xlsx template the import page offers: the columns, and an example row."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    examples = {
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


PREVIEW_ROWS = 200  # rows the page shows; every error is kept
STALE = datetime.timedelta(minutes=30)  # a job running this long had its worker die: the next delivery runs it again


def summary(checked: Plan, words: list[str]) -> dict:
    """What a preview keeps for the page: the counts, every row with errors, the first rows as planned, what the
    import would create beside them, and the grade words found (the mapping step asks what each means)."""
    return {
        "counts": checked.counts,
        "errors": [{"row": r.number, "errors": r.errors} for r in checked.errors],
        "rows": [
            {"number": r.number, "action": r.action, "errors": r.errors, "values": r.values}
            for r in checked.rows[:PREVIEW_ROWS]
        ],
        "new_departments": checked.new_departments,
        "new_power_items": checked.new_power_items,
        "grade_words": words,
    }


def queue(batch: ImportBatch, *, commit: bool, acting_user: Officer, **settings) -> bool:
    """Hand the file to a job with the mapping and choices given (``settings``: the batch's mapping fields, publish,
    skip_bad_rows): a preview, or with ``commit`` the import. The caller starts the job once this commits. False when
    the file is not waiting (a job has it, or it was imported)."""
    waiting = ImportBatch.objects.filter(pk=batch.pk, status__in=(ImportStatus.UPLOADED, ImportStatus.REJECTED))
    return bool(
        waiting.update(**settings, commit=commit, queued_by=acting_user, status=ImportStatus.QUEUED, started_at=None)
    )


def run_job(batch_id: int) -> ImportBatch | None:
    """Check an uploaded catalog file and keep the preview, or import it (``ImportBatch.commit``). Taken by one
    worker at a time: a second delivery finds it taken or done and does nothing, unless the first worker died
    (nothing of it was written: the import is one transaction) and the job has gone stale."""
    if not take_job(ImportBatch, batch_id, queued=ImportStatus.QUEUED, running=ImportStatus.RUNNING, stale=STALE):
        return None
    batch = ImportBatch.objects.select_related("institution", "queued_by", "created_by").get(pk=batch_id)
    done = ImportBatch.objects.filter(pk=batch_id)
    try:
        rows = read_rows(bytes(batch.content), batch.filename, batch.sheet)
        words = grade_words(rows, batch.column_map.get("grade"))
        batch.grade_map = {**default_grade_map(words), **batch.grade_map}  # words nobody mapped yet, proposed
        done.update(rows_total=len(rows) - 1, grade_map=batch.grade_map)
        if batch.commit:
            import_catalog(
                batch, rows=rows, publish=batch.publish, skip_bad_rows=batch.skip_bad_rows,
                acting_user=batch.queued_by or batch.created_by,
            )  # fmt: skip
        else:
            checked = plan(
                batch.kind, batch.institution, rows, batch.mapping(), create_missing=batch.create_missing,
                sheet=batch.sheet,
            )  # fmt: skip
            done.update(status=ImportStatus.UPLOADED, preview=summary(checked, words), result={})
    except UnreadableFile as error:
        done.update(status=ImportStatus.REJECTED, result={"failure": str(error)})
    except Exception:
        done.update(status=ImportStatus.REJECTED, result={"failure": _("The check stopped on an error.")})
        raise
    batch.refresh_from_db()
    return batch
