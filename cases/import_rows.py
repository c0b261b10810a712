"""A row of a case export: which column holds each field, what the row says, and what is wrong with it.

``Context`` is what a chunk of rows is checked against (the institution's departments, officers and stages, and
the cases already here that the chunk names); ``parse`` turns a row into its errors or what it writes.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

from django.db.models import CharField, Model
from django.db.models import Field as DjangoField
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases import actions
from cases.choices import PartyRole
from cases.models import Case, CaseParty, Stage
from cases.parties import lawyers, parties
from cases.queries import deadlines_for, gate_for, policy_for
from integrity.models import Department, Institution, Officer
from integrity.queries import header_synonyms
from integrity.spreadsheets import Column, Mapping, SheetKind, find_columns, register
from integrity.workdays import DayCounter

COLUMNS = {
    "number": ("案号", "案件编号", "统一受案号", "部门受案号", "受案号"),
    "title": ("案件名称", "案由", "名称"),
    "case_type": ("案件类型", "类型", "案件类别"),
    "department": ("承办部门", "部门", "办案部门", "承办庭室", "庭室", "承办处室"),
    "handlers": ("承办人", "承办检察官", "承办法官", "办案人"),
    "received_on": ("受理日期", "收案日期", "立案日期", "受案日期"),
    "due_on": ("办案期限", "审限届满日期", "到期日期"),
    "closed_on": ("结案日期", "办结日期", "结案时间", "办结时间"),
    "stage": ("当前环节", "环节", "案件状态", "当前阶段", "诉讼阶段"),
    "parties": ("当事人", "犯罪嫌疑人", "被告人", "犯罪嫌疑人/被告人", "被告人姓名", "当事人姓名"),
    "agents": (
        "代理人", "辩护人", "律师", "辩护人/代理人", "辩护人/代理律师及律所", "代理律师及律所", "代理律师",
        "诉讼代理人", "辩护律师",
    ),
    "quality_score": ("质量评分", "评查得分"),
}  # fmt: skip
CASE_FIELDS = ("title", "case_type", "department", "stage", "received_on", "due_on", "closed_on", "quality_score")
KIND = "cases"  # its name in the synonym table and on the command line
REQUIRED = ("number", "title", "case_type", "department", "handlers", "received_on")
FIELDS = [Column(key, names[0], key in REQUIRED, names[1:]) for key, names in COLUMNS.items()]
_SPLIT = re.compile(r"[、,，;；/\n]+")


def _date(text: str) -> datetime.date | None:
    text = text.strip().split(" ")[0].replace("/", "-").replace(".", "-").replace("年", "-").replace("月", "-")
    text = text.replace("日", "")
    if not text:
        return None
    return datetime.date.fromisoformat("-".join(part.zfill(2) for part in text.split("-")))


def _people(values: dict[str, str]) -> list[actions.PartyData]:
    """The parties and the lawyers (with their firms) a row names."""
    named = [actions.PartyData(PartyRole.PARTY, name) for name in parties(values["parties"])]
    return named + [actions.PartyData(PartyRole.AGENT, n.name, n.organisation) for n in lawyers(values["agents"])]


def _max_length(model: type[Model], name: str) -> int:
    field = model._meta.get_field(name)
    assert isinstance(field, CharField) and field.max_length is not None
    return field.max_length


def _too_long(values: dict[str, str], people: list[actions.PartyData]) -> list[str]:
    """Each value longer than its column holds, named by the column (the database would refuse the whole file)."""
    over = []  # (column, limit, value): translated only when a row has one
    for key in ("number", "title", "case_type"):
        n = _max_length(Case, key)
        if len(values[key]) > n:
            over.append((COLUMNS[key][0], n, values[key]))
    n = _max_length(CaseParty, "name")
    for party in people:
        for text in (party.name, party.organisation):
            if len(text.strip()) > n:
                over.append((COLUMNS["parties" if party.role == PartyRole.PARTY else "agents"][0], n, text.strip()))
    limit = _("%(column)s is longer than %(n)d characters: “%(value)s…”.") if over else ""
    return [limit % {"column": column, "n": n, "value": value[:20]} for column, n, value in over]


def register_kinds() -> None:
    register(SheetKind(KIND, gettext_lazy("Cases"), FIELDS))


def propose_columns(header: list[str], institution: Institution) -> dict[str, int | None]:
    """Which column holds each field: by the export's usual headers, or a synonym the administrators added."""
    return find_columns(FIELDS, header, header_synonyms(KIND, institution))


class Known(NamedTuple):
    """A case already here, as an import compares it: plain values (a re-import reads 100,000 of them), with its
    stage; the cases that change are loaded as models to be saved with their history."""

    pk: int
    number: str
    title: str
    case_type: str
    department_id: int
    stage_id: int
    received_on: datetime.date
    due_on: datetime.date | None
    closed_on: datetime.date | None
    quality_score: Decimal | None
    stage: Stage


def differs(case: Known, data: dict, fields: tuple[str, ...]) -> bool:
    """Whether an imported row changes a case; related records compare by id, never by loading them."""
    for name in fields:
        field = Case._meta.get_field(name)
        assert isinstance(field, DjangoField)
        new = data[name].pk if field.is_relation and data[name] is not None else data[name]
        if getattr(case, field.attname) != new:
            return True
    return False


@dataclass(frozen=True)
class Cells:
    """Where each field of a row is read from: its column, the mapping's constant, or its default for a blank."""

    columns: dict[str, int]  # field -> column index, -1 when the file has none
    mapping: Mapping

    @classmethod
    def of(cls, header: list[str], institution: Institution, mapping: Mapping) -> Cells:
        proposed = propose_columns(header, institution) | {k: i for k, i in mapping.columns.items() if k in COLUMNS}
        return cls({k: -1 if i is None else i for k, i in proposed.items()}, mapping)

    def given(self, key: str) -> bool:
        return self.columns[key] >= 0 or key in self.mapping.constants or key in self.mapping.defaults

    def __call__(self, row: list[str], key: str) -> str:
        if key in self.mapping.constants:
            return self.mapping.constants[key]
        i = self.columns[key]
        return (row[i].strip() if 0 <= i < len(row) else "") or self.mapping.defaults.get(key, "")


@dataclass(frozen=True)
class Context:
    """What the rows are checked against: the institution's departments and officers, the stages, today, how its
    declarations fall due, and the cases already here that the chunk being read names."""

    departments: dict[str, Department]
    by_name: dict[str, list[Officer]]
    by_number: dict[str, Officer]
    stages: dict[str, Stage]
    first: Stage
    final: Stage
    today: datetime.date
    deadlines: DayCounter
    declaration_days: int
    existing: dict[str, Known] = field(default_factory=dict)

    @classmethod
    def of(cls, institution: Institution) -> Context:
        by_name: dict[str, list[Officer]] = defaultdict(list)
        by_number: dict[str, Officer] = {}
        for officer in Officer.objects.filter(institution=institution, is_active=True):
            by_name[officer.full_name].append(officer)
            if officer.staff_number:
                by_number[officer.staff_number] = officer
        stages = {s.name: s for s in Stage.objects.all()}
        first = min(stages.values(), key=lambda s: s.order)
        final = min((s for s in stages.values() if s.is_final), key=lambda s: s.order, default=first)
        departments = {d.name: d for d in Department.objects.filter(institution=institution)}
        policy = policy_for(institution)
        return cls(
            departments, by_name, by_number, stages, first, final, timezone.localdate(),
            deadlines_for(institution, policy), policy.declaration_days,
        )  # fmt: skip

    def with_cases(self, institution: Institution, numbers: set[str]) -> Context:
        """The context with the cases here that these numbers name, read as plain values by their numbers."""
        stage_of = {s.pk: s for s in self.stages.values()}
        existing: dict[str, Known] = {}
        rows = Case.objects.filter(institution=institution, number__any=sorted(numbers)).order_by()
        for row in rows.values_list(*Known._fields[:-1]):
            values = dict(zip(Known._fields, row, strict=False))  # every field but the stage
            existing[values["number"]] = Known(**values, stage=stage_of[values["stage_id"]])
        return replace(self, existing=existing)


class Parsed(NamedTuple):
    """What a row without errors writes."""

    values: dict[str, str]
    department: Department
    handlers: list[Officer]
    dates: dict[str, datetime.date | None]
    stage: Stage
    score: Decimal | None
    people: list[actions.PartyData]


def parse(values: dict[str, str], known: Context, seen: set[str]) -> tuple[list[str], Parsed | None]:
    """A row's errors, or what it writes."""
    errors = _required(values, seen)
    people = _people(values)
    errors.extend(_too_long(values, people))
    department = known.departments.get(values["department"])
    if department is None:
        errors.append(_("Unknown department “%(name)s”.") % {"name": values["department"]})
    handlers = _handlers(values["handlers"], known, errors)
    if not handlers and not errors:
        errors.append(_("The case has no handler."))
    dates = _dates(values, errors)
    target = _target_stage(values, dates, known, errors)
    score = _score(values["quality_score"], errors)
    if errors or department is None:
        return errors, None
    return errors, Parsed(values, department, handlers, dates, target, score, people)


def _required(values: dict[str, str], seen: set[str]) -> list[str]:
    errors = []
    if not values["number"]:
        errors.append(_("The case number is empty."))
    elif values["number"] in seen:
        errors.append(_("Case %(number)s appears twice in the file.") % {"number": values["number"]})
    seen.add(values["number"])
    for key in ("title", "case_type"):
        if not values[key]:
            errors.append(_("%(column)s is empty.") % {"column": COLUMNS[key][0]})
    return errors


def _handlers(text: str, known: Context, errors: list[str]) -> list[Officer]:
    """The officers a row names, by staff number or by a name only one of them bears."""
    handlers = []
    for name in filter(None, (n.strip() for n in _SPLIT.split(text))):
        officer = known.by_number.get(name)
        matches = [officer] if officer else known.by_name.get(name, [])
        if len(matches) == 1:
            handlers.append(matches[0])
        elif matches:
            errors.append(_("Handler “%(name)s” is unknown or not unique; use the staff number.") % {"name": name})
        else:
            errors.append(_("Unknown handler “%(name)s”.") % {"name": name})
    return handlers


def _dates(values: dict[str, str], errors: list[str]) -> dict[str, datetime.date | None]:
    dates = {}
    for key in ("received_on", "due_on", "closed_on"):
        try:
            dates[key] = _date(values[key])
        except ValueError:
            errors.append(
                _("%(column)s “%(value)s” is not a date.") % {"column": COLUMNS[key][0], "value": values[key]}
            )
    if not errors and dates["received_on"] is None:
        errors.append(_("The received date is empty."))
    return dates


def _target_stage(values: dict[str, str], dates: dict, known: Context, errors: list[str]) -> Stage:
    """The stage a row puts its case at; a case closed before the import comes in as history at the closing stage."""
    stage = known.stages.get(values["stage"]) if values["stage"] else None
    if values["stage"] and stage is None:
        errors.append(_("Unknown stage “%(name)s”.") % {"name": values["stage"]})
    case = known.existing.get(values["number"])
    target = stage or (case.stage if case else known.first)
    closed = dates.get("closed_on")
    if case is None and closed is not None and closed <= known.today:
        # Closed before the import: history. It takes the closing stage and owes no declaration (nobody can
        # declare for a case long done, and its handlers' lights do not turn on it); it is screened for the record.
        return known.final
    if case is None and target.order > known.first.order:
        errors.append(
            _("A new case enters at “%(first)s”; it moves on once its assessment and declarations are done.")
            % {"first": known.first.name}
        )
    elif case is not None and target.order > case.stage.order:
        # The same gate as the page: a stage change from the import is refused for what is missing.
        errors.extend(m.text for m in gate_for(Case.objects.select_related("stage").get(pk=case.pk)))
    elif case is not None and target.order < case.stage.order:
        errors.append(
            _("Case %(number)s cannot go back to “%(stage)s”.") % {"number": case.number, "stage": target.name}
        )
    return target


def _score(text: str, errors: list[str]) -> Decimal | None:
    if not text:
        return None
    try:
        score = Decimal(text).quantize(Decimal("0.1"))
    except InvalidOperation:
        errors.append(_("The quality score “%(value)s” is not a number.") % {"value": text})
        return None
    if not score.is_finite() or not 0 <= score <= 100:
        errors.append(_("The quality score “%(value)s” is not between 0 and 100.") % {"value": text})
    return score


def row_action(known: Known | None, data: dict) -> str:
    if known is None:
        return "create"
    return "update" if differs(known, data, CASE_FIELDS) else "unchanged"


def case_data(
    values: dict[str, str], department: Department, dates: dict, stage: Stage, score: Decimal | None
) -> dict[str, Any]:
    """A row's case fields, as a re-import compares and writes them."""
    return {
        "title": values["title"], "case_type": values["case_type"], "department": department, "stage": stage,
        "received_on": dates["received_on"], "due_on": dates["due_on"],
        "closed_on": dates["closed_on"] if stage.is_final else None, "quality_score": score,
    }  # fmt: skip
