"""Checking a catalog spreadsheet against the database: ``plan`` resolves every row's names to records and says
what it would create or update, with each row's errors; nothing is written (``risks.catalog_import`` writes a plan).

Cells left blank by merged cells mean "same as above" (the columns that fill down); several risks numbered inside
one cell are several risk points; a re-imported row finds its risk point by code, or by its wording and place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from integrity.models import Department, Institution, Post
from integrity.spreadsheets import Mapping
from risks.choices import Grade, IdentificationMethod, ImportKind, RiskScope
from risks.import_columns import CATEGORY_WORDS, COLUMNS, METHOD_WORDS, POWER_ITEM_TEXTS, SCOPE_WORDS
from risks.models import PowerItem, RiskCategory, RiskPoint
from risks.rules import split_numbered


@dataclass
class PlannedRow:
    number: int
    values: dict
    action: str = ""  # "create", "update" or "unchanged"
    errors: list[str] = field(default_factory=list)
    resolved: dict = field(default_factory=dict)
    existing: Any = None  # the RiskPoint or PowerItem (by the plan's kind) the row updates
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

    def __init__(self, known: dict[str, Any], create: bool) -> None:
        self.known, self.create = known, create
        self.new: dict[str, New] = {}

    def get(self, name: str, **extra: Any) -> Any:
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


def _plan_power_items(institution: Institution, rows: list[list[str]], mapping: Mapping, departments: _Names) -> Plan:
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
    assert isinstance(item, PowerItem)
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
    assert isinstance(point, RiskPoint)
    same = point.source_key == row.key and all(getattr(point, key) == value for key, value in row.resolved.items())
    return "unchanged" if same else "update"


def _scope(values: dict) -> str | None:
    if values["scope"]:
        return SCOPE_WORDS.get(values["scope"].removesuffix("层面").removesuffix("级"))
    if values["post"]:
        return RiskScope.POST
    return RiskScope.DEPARTMENT if values["department"] else RiskScope.INSTITUTION


def _plan_risk_points(
    institution: Institution,
    rows: list[list[str]],
    mapping: Mapping,
    departments: _Names,
    create_missing: bool,
    sheet: str,
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


def _power_item(name: str, power_items: _Names, department: Department | New | None, errors: list[str]) -> Any:
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
            keyed = self.by_key.get(row.key)
            if keyed is not None and (row.key.startswith("code:") or self._wording(row.resolved) == _wording(keyed)):
                self._take(row, keyed)
        for row in rows:  # the same wording, moved to another row
            for point in by_wording.get(self._wording(row.resolved), []):
                self._take(row, point)
        for row in rows:  # the same sheet and row, its wording edited
            if not row.key.startswith("code:"):
                self._take(row, self.by_key.get(row.key))
