"""Importing cases from the case-management system's export (.xlsx, .xls or .csv).

Matched on case number, so the same file imported again updates rather than duplicates. The file is read,
checked and written a chunk of rows at a time in one transaction: a file with any bad row writes nothing (unless
the bad rows are skipped), and memory stays that of a chunk. Writing is in bulk (no save per row), and the conflict
screening of the imported cases is set-based, so 100,000 rows import in under 20 seconds
(scripts/bench_case_import.py).
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from itertools import islice
from typing import NamedTuple

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_update_with_history

from cases import actions
from cases.choices import ImportJobStatus, PartyRole
from cases.models import Case, CaseHandler, CaseImport, CaseParty, Declaration, DeclaredRelation, Stage
from cases.parties import lawyers, parties
from cases.queries import deadlines_for, gate_for, policy_for
from cases.rules import normalise_name, normalise_organisation
from integrity import events
from integrity.actions import audited, take_job
from integrity.bulk import insert_rows
from integrity.models import Department, Institution, Officer
from integrity.queries import header_synonyms
from integrity.spreadsheets import (
    Column,
    Mapping,
    SheetKind,
    UnreadableFile,
    find_columns,
    open_sheet,
    read_rows,
    register,
)
from integrity.workdays import DayCounter

__all__ = ["COLUMNS", "ImportResult", "UnreadableFile", "import_cases", "read_rows"]

# field -> the headers the case-management exports use for it (compared without spaces, colons or brackets)
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
# The fields of a case an import writes and a re-import compares.
CASE_FIELDS = ("title", "case_type", "department", "stage", "received_on", "due_on", "closed_on", "quality_score")
CASE_COLUMNS = (
    "institution_id", "number", "title", "case_type", "department_id", "stage_id", "received_on", "due_on",
    "closed_on", "quality_score",
)  # fmt: skip
KIND = "cases"  # its name in the synonym table and on the command line
PREVIEW_ROWS = 200  # rows a preview lists with what the import would do to each
CHUNK = 5000  # rows read, checked and written at a time: an import holds one chunk of its file, however long
REQUIRED = ("number", "title", "case_type", "department", "handlers", "received_on")
# The same as columns a mapping and the import command name: the field, its first header, whether it is required.
FIELDS = [Column(key, names[0], key in REQUIRED, names[1:]) for key, names in COLUMNS.items()]
_SPLIT = re.compile(r"[、,，;；/\n]+")


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[tuple[int, list[str]]] = field(default_factory=list)
    conflicts: int = 0
    written: bool = False  # whether anything was written: a dry run, or a file rejected for its errors, wrote nothing
    preview: list[dict] = field(default_factory=list)  # a dry run's first rows: what the import would do with each
    rows: int = 0  # the rows read under the header

    @property
    def ok(self) -> bool:
        return not self.errors


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


def _too_long(values: dict[str, str], people: list[actions.PartyData]) -> list[str]:
    """Each value longer than its column holds, named by the column (the database would refuse the whole file)."""
    over = []  # (column, limit, value): translated only when a row has one
    for key in ("number", "title", "case_type"):
        n = Case._meta.get_field(key).max_length
        if len(values[key]) > n:
            over.append((COLUMNS[key][0], n, values[key]))
    n = CaseParty._meta.get_field("name").max_length
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


class _Known(NamedTuple):
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


def _differs(case: _Known, data: dict, fields: tuple[str, ...]) -> bool:
    """Whether an imported row changes a case; related records compare by id, never by loading them."""
    for name in fields:
        field = Case._meta.get_field(name)
        new = data[name].pk if field.is_relation and data[name] is not None else data[name]
        if getattr(case, field.attname) != new:
            return True
    return False


def import_cases(
    institution: Institution,
    content: bytes,
    filename: str,
    *,
    acting_user: Officer | None,
    mapping: Mapping | None = None,
    sheet: str = "",
    skip_bad_rows: bool = False,
    dry_run: bool = False,
    job: CaseImport | None = None,
) -> ImportResult:
    """Import the file's cases. The columns are found by their headers unless ``mapping`` says otherwise (and gives
    constants and defaults); a row with errors rejects the file unless ``skip_bad_rows``; ``dry_run`` counts what
    would be written and writes nothing. With ``job`` (the upload's record) the rows checked are counted for its
    page as the import goes, and it records the outcome; without, a record of the import is made when it writes.

    The file is read, checked and written ``CHUNK`` rows at a time inside one transaction, so the import holds one
    chunk however long the file is; a bad row found after some chunks were written (and not skipped) rolls them
    back, and the rest of the file is only checked, to list every bad row."""
    mapping = mapping or Mapping()
    opened = open_sheet(content, filename, sheet)
    cells = _Cells.of(opened.header, institution, mapping)
    missing = [COLUMNS[k][0] for k in REQUIRED if not cells.given(k)]
    if missing:
        return ImportResult(errors=[(1, [_("Missing columns: %(names)s.") % {"names": "、".join(missing)}])])
    said = {key for key in ("parties", "agents") if cells.columns[key] >= 0 or key in mapping.constants}
    run = _Run(institution, _Context.of(institution), cells, said, filename, acting_user, dry_run, skip_bad_rows)
    if job is not None:
        CaseImport.objects.filter(pk=job.pk).update(rows_total=opened.size)
    try:
        with transaction.atomic():
            rows = enumerate(opened.rows, start=2)
            while chunk := list(islice(rows, CHUNK)):
                run.take(chunk)
                if job is not None:
                    job.count_progress(run.result.rows)
            if not run.wrote or not run.writing:
                raise _NothingKept
            counts = {"created": run.result.created, "updated": run.result.updated, "conflicts": run.result.conflicts}
            if job is None:
                CaseImport.objects.create(institution=institution, filename=filename, imported_by=acting_user, **counts)
            else:
                CaseImport.objects.filter(pk=job.pk).update(**counts)
    except _NothingKept:
        if not dry_run:  # what the rejected file would have written is not counted
            run.result.created = run.result.updated = run.result.conflicts = 0
        return run.result
    run.result.written = True
    return run.result


class _NothingKept(Exception):
    """A dry run, a file rejected for its errors, or one whose rows were all skipped: what was written goes."""


@dataclass
class _Run:
    """An import going through its file a chunk at a time: what it has seen and counted so far."""

    institution: Institution
    context: _Context
    cells: _Cells
    said: set[str]  # the people columns the file has: a re-import removes only whom a column it has no longer names
    filename: str
    acting_user: Officer | None
    dry_run: bool
    skip_bad_rows: bool
    result: ImportResult = field(default_factory=ImportResult)
    seen: set[str] = field(default_factory=set)  # the case numbers of the rows read, to find one given twice
    wrote: bool = False

    @property
    def writing(self) -> bool:
        """Whether the rows checked are written: not in a dry run, nor once a bad row rejects the file."""
        return not self.dry_run and (self.skip_bad_rows or not self.result.errors)

    def take(self, chunk: list[tuple[int, list[str]]]) -> None:
        """Check a chunk of (row number, row) and, while the file is being written, write its good rows."""
        known = self.context.with_cases(self.institution, {self.cells(row, "number") for _n, row in chunk} - {""})
        parsed = []
        for number, row in chunk:
            values = {key: self.cells(row, key) for key in COLUMNS}
            errors, row_data = _parse(values, known, self.seen)
            if errors:
                self.result.errors.append((number, errors))
                continue
            parsed.append(row_data)
            if self.dry_run:
                _preview(self.result, number, values, row_data, known)
        self.result.rows += len(chunk)
        if parsed and self.writing:
            _write(self.institution, parsed, known, self.result, self.acting_user, said=self.said,
                   filename=self.filename)  # fmt: skip
            self.wrote = True


@dataclass(frozen=True)
class _Cells:
    """Where each field of a row is read from: its column, the mapping's constant, or its default for a blank."""

    columns: dict[str, int]  # field -> column index, -1 when the file has none
    mapping: Mapping

    @classmethod
    def of(cls, header: list[str], institution: Institution, mapping: Mapping) -> _Cells:
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
class _Context:
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
    existing: dict[str, _Known] = field(default_factory=dict)

    @classmethod
    def of(cls, institution: Institution) -> _Context:
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

    def with_cases(self, institution: Institution, numbers: set[str]) -> _Context:
        """The context with the cases here that these numbers name, read as plain values by their numbers."""
        stage_of = {s.pk: s for s in self.stages.values()}
        existing: dict[str, _Known] = {}
        rows = Case.objects.filter(institution=institution, number__any=sorted(numbers)).order_by()
        for row in rows.values_list(*_Known._fields[:-1]):
            values = dict(zip(_Known._fields, row, strict=False))  # every field but the stage
            existing[values["number"]] = _Known(**values, stage=stage_of[values["stage_id"]])
        return replace(self, existing=existing)


def _parse(values: dict[str, str], known: _Context, seen: set[str]) -> tuple[list[str], tuple]:
    """A row's errors, or what it writes: (values, department, handlers, dates, stage, score, people)."""
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
    return errors, (values, department, handlers, dates, target, score, people)


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


def _handlers(text: str, known: _Context, errors: list[str]) -> list[Officer]:
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


def _target_stage(values: dict[str, str], dates: dict, known: _Context, errors: list[str]) -> Stage:
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


def _preview(result: ImportResult, number: int, values: dict, row_data: tuple, known: _Context) -> None:
    """What the import would do with the row, told without writing (conflicts are screened by it)."""
    _values, department, _handlers, dates, target, score, _people = row_data
    action = _action(known.existing.get(values["number"]), _case_data(values, department, dates, target, score))
    result.created += action == "create"
    result.updated += action == "update"
    if len(result.preview) < PREVIEW_ROWS:
        result.preview.append({"row": number, "number": values["number"], "title": values["title"], "action": action})


def _action(known: _Known | None, data: dict) -> str:
    if known is None:
        return "create"
    return "update" if _differs(known, data, CASE_FIELDS) else "unchanged"


def _case_data(values: dict[str, str], department, dates: dict, stage: Stage, score) -> dict:
    """A row's case fields, as a re-import compares and writes them."""
    return {
        "title": values["title"], "case_type": values["case_type"], "department": department, "stage": stage,
        "received_on": dates["received_on"], "due_on": dates["due_on"],
        "closed_on": dates["closed_on"] if stage.is_final else None, "quality_score": score,
    }  # fmt: skip


def _chunks(items: list, size: int = 5000) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _write(
    institution, parsed, known: _Context, result: ImportResult, acting_user, *, said: set[str], filename: str
) -> None:
    """Write a chunk's rows: its cases, then what is new of their handlers, declarations and parties, the
    screening of the cases that could have a new conflict, and the sync of the cases that were here before."""
    existing = known.existing
    ids, changed, fresh = _write_cases(institution, parsed, existing, result, acting_user)
    # What is already recorded for the cases of the chunk that were here before, read once, so a re-import inserts
    # only what is new (a new case has nothing recorded yet).
    before = sorted(case.pk for case in existing.values())

    def recorded(model, *fields: str) -> list[tuple]:
        return list(model.objects.filter(case_id__any=before).values_list(*fields)) if before else []

    handler_rows = recorded(CaseHandler, "pk", "case_id", "officer_id", "is_lead")
    party_rows = recorded(CaseParty, "pk", "case_id", "role", "name_key", "organisation_key", "name", "organisation")
    plan = _Relations.plan(
        known, parsed, ids, changed,
        assigned={(case_id, officer_id) for _pk, case_id, officer_id, _lead in handler_rows},
        declared=set(recorded(Declaration, "case_id", "officer_id")),
        known={(case_id, role, name, organisation) for _pk, case_id, role, name, organisation, *_ in party_rows},
    )  # fmt: skip
    plan.insert(fresh)
    # Only cases with a new handler or a new party, and a handler with relations, can have a new conflict.
    result.conflicts += actions.screen_cases(sorted(plan.touched & plan.with_relations))
    _sync(institution, plan.synced, handler_rows, party_rows, said, filename, acting_user)


def _write_cases(institution, parsed, existing, result: ImportResult, acting_user) -> tuple[dict, list, set[int]]:
    """Insert the new cases and save the changed ones; returns every case's id by number, the changes, and the ids
    of the cases just created."""
    new_cases, changed = [], []
    for values, department, _handlers, dates, stage, score, _people in parsed:
        data = _case_data(values, department, dates, stage, score)
        case = existing.get(values["number"])
        if case is None:
            new_cases.append(
                (institution.pk, values["number"], data["title"], data["case_type"], department.pk, stage.pk,
                 data["received_on"], data["due_on"], data["closed_on"], score)
            )  # fmt: skip
        elif _differs(case, data, CASE_FIELDS):
            changed.append((case.pk, data))
    # New cases are recorded by the import log (who, which file, when); changes to existing cases each leave a
    # history row with who imported them.
    created = insert_rows(Case, CASE_COLUMNS, new_cases, returning=("number", "id"))
    for chunk in _chunks(changed):
        cases = Case.objects.in_bulk([pk for pk, _data in chunk])
        for pk, data in chunk:
            for f in CASE_FIELDS:
                setattr(cases[pk], f, data[f])
        bulk_update_with_history(
            list(cases.values()), Case, list(CASE_FIELDS), batch_size=2000, default_user=acting_user,
            default_change_reason=_("Imported"),
        )  # fmt: skip
    result.created += len(new_cases)
    result.updated += len(changed)
    ids = {number: case.pk for number, case in existing.items()} | dict(created)
    return ids, changed, {pk for _number, pk in created}


@dataclass
class _Relations:
    """The handlers, declarations and parties an import adds, worked out from the rows and what is recorded."""

    handlers: list[tuple] = field(default_factory=list)
    declarations: list[tuple] = field(default_factory=list)
    parties: list[tuple] = field(default_factory=list)
    touched: set[int] = field(default_factory=set)  # cases with a new handler or party
    with_relations: set[int] = field(default_factory=set)  # cases with a handler who declared relations
    synced: dict[int, tuple[list[int], set[tuple]]] = field(default_factory=dict)  # a case here: who and what's named

    @classmethod
    def plan(cls, context: _Context, parsed, ids, changed, *, assigned, declared, known) -> _Relations:
        plan = cls()
        existing, deadlines, days = context.existing, context.deadlines, context.declaration_days
        # The cases here that stay open: a case first seen closed, or closed by this file, is history, owing nothing
        # (a handler it names for the first time could not have declared before its decision).
        closing = {pk for pk, data in changed if data["closed_on"] is not None}
        stays_open = {case.pk for case in existing.values() if case.closed_on is None} - closing
        # Only a handler with a declared relation can be in conflict: the cases of the others need no screening.
        handled_by = {officer.pk for row in parsed for officer in row[2]}
        related = set(
            DeclaredRelation.objects.filter(is_current=True, officer_id__in=handled_by).values_list(
                "officer_id", flat=True
            )
        )
        today = context.today
        for values, _department, officers, dates, stage, _score, people in parsed:
            case_id = ids[values["number"]]
            if related.intersection(o.pk for o in officers):
                plan.with_relations.add(case_id)
            here = values["number"] in existing
            if here:
                plan.synced[case_id] = ([o.pk for o in officers], set())
            # A handler new to a case already here takes it on today, and owes the declaration from today.
            assigned_on = today if here else dates["received_on"]
            history = case_id not in stays_open and dates["closed_on"] is not None and stage.is_final
            plan.add_handlers(case_id, officers, assigned_on, assigned, declared, None if history else deadlines, days)
            plan.add_parties(case_id, people, known)
        return plan

    def add_handlers(self, case_id, officers, assigned_on, assigned, declared, deadlines, days: int) -> None:
        """The handlers new to the case; a declaration from each who owes one (none on a case imported as
        history, ``deadlines`` None)."""
        due = None
        for n, officer in enumerate(officers):
            if (case_id, officer.pk) not in assigned:
                self.handlers.append((case_id, officer.pk, n == 0, assigned_on))
                self.touched.add(case_id)
            if (case_id, officer.pk) not in declared and deadlines is not None:
                due = due or deadlines.after(assigned_on, days)
                self.declarations.append((case_id, officer.pk, due))

    def add_parties(self, case_id, people, known) -> None:
        for party in people:
            key = (case_id, party.role, normalise_name(party.name), normalise_organisation(party.organisation))
            if case_id in self.synced:
                self.synced[case_id][1].add(key[1:])
            if key not in known:
                known.add(key)
                self.parties.append((case_id, party.role, party.name, party.organisation, *key[2:]))
                self.touched.add(case_id)

    def insert(self, fresh: set[int]) -> None:
        # Nobody else can have written a handler or a declaration for a case this import has just created (it is
        # not committed yet): those rows are copied as they are; on the cases already here a concurrent change may.
        for model, fields, rows in (
            (CaseHandler, ("case_id", "officer_id", "is_lead", "assigned_on"), self.handlers),
            (Declaration, ("case_id", "officer_id", "due_on"), self.declarations),
        ):
            insert_rows(model, fields, [row for row in rows if row[0] in fresh])
            insert_rows(model, fields, [row for row in rows if row[0] not in fresh], ignore_conflicts=True)
        events.officers_changed(*{officer_id for _case, officer_id, *_ in self.handlers})
        party_columns = ("case_id", "role", "name", "organisation", "name_key", "organisation_key")
        insert_rows(CaseParty, party_columns, self.parties)


def _sync(institution, synced, handler_rows, party_rows, said: set[str], filename: str, acting_user) -> None:
    """A re-import is a sync: on the cases already here, a handler the file no longer names leaves the case (their
    declaration, if not filed, is no longer owed; a filed one stays), the lead is the file's first handler, and the
    parties or lawyers the file no longer names are removed — when the file has their column. Each case changed
    this way keeps a history row naming what left, who imported and from which file. It works on what the import
    has read already; it queries only for what it removes, which a re-import has little of."""
    left: dict[int, list[str]] = defaultdict(list)  # what left each case, as its history note names it
    leaving = _handlers_leaving(synced, handler_rows)
    gone = _parties_gone(synced, party_rows, said, left)
    names = dict(Officer.objects.filter(pk__in={o for _pk, _c, o in leaving}).values_list("pk", "full_name"))
    for _pk, case_id, officer_id in leaving:
        left[case_id].insert(0, names[officer_id])
    reason = _("No longer a handler of the case (imported from %(file)s)") % {"file": filename}
    pairs = {(case_id, officer_id) for _pk, case_id, officer_id in leaving}
    for chunk in _chunks(leaving):
        CaseHandler.objects.filter(pk__in=[pk for pk, *_ in chunk]).delete()
        unfiled = Declaration.objects.filter(case_id__in={c for _pk, c, _o in chunk}, submitted_at__isnull=True)
        for declaration in unfiled:
            if (declaration.case_id, declaration.officer_id) in pairs:
                audited(declaration, acting_user, reason).delete()
    for chunk in _chunks(gone):
        CaseParty.objects.filter(pk__in=chunk).delete()
    for chunk in _chunks(sorted(left)):
        for case in Case.objects.filter(pk__in=chunk):
            note = _("Imported from %(file)s: %(names)s no longer in the case") % {
                "file": filename, "names": "、".join(left[case.pk]),
            }  # fmt: skip
            audited(case, acting_user, note).save(update_fields=["updated_at"])
    events.officers_changed(*{officer_id for _pk, _c, officer_id in leaving})


def _handlers_leaving(synced, handler_rows) -> list[tuple[int, int, int]]:
    """The handlers the file no longer names on the cases already here, as (pk, case, officer); the lead follows
    the file's first handler."""
    leaving, new_lead, not_lead = [], [], []
    for pk, case_id, officer_id, is_lead in handler_rows:
        if case_id not in synced:
            continue
        officers = synced[case_id][0]
        if officer_id not in officers:
            leaving.append((pk, case_id, officer_id))
        elif is_lead != (officers[0] == officer_id):
            (new_lead if officers[0] == officer_id else not_lead).append(pk)
    for pks, lead in ((new_lead, True), (not_lead, False)):
        for chunk in _chunks(pks):
            CaseHandler.objects.filter(pk__in=chunk).update(is_lead=lead)
    return leaving


def _parties_gone(synced, party_rows, said: set[str], left: dict[int, list[str]]) -> list[int]:
    """The parties and lawyers the file no longer names, where it has their column; each is noted on its case."""
    roles = {PartyRole.PARTY: "parties", PartyRole.AGENT: "agents"}
    gone = []
    for pk, case_id, role, name_key, organisation_key, name, organisation in party_rows:
        if case_id not in synced or roles.get(role) not in said:
            continue
        if (role, name_key, organisation_key) not in synced[case_id][1]:
            gone.append(pk)
            left[case_id].append(f"{name}（{organisation}）" if organisation else name)
    return gone


MAX_ERRORS_KEPT = 2000  # rows with errors listed on a job; a file with more is mostly the wrong file
STALE = datetime.timedelta(minutes=30)  # a job running this long had its worker die: the next delivery runs it again


def upload(
    institution: Institution, filename: str, content: bytes, *, sheet: str, header: list[str], acting_user: Officer
) -> CaseImport:
    """Keep an uploaded export for its mapping step. Its columns are proposed from the headers the product and the
    administrators know; a file with the headers of one mapped before takes the mapping given then."""
    earlier = (
        CaseImport.objects.filter(institution=institution, header=header)
        .exclude(column_map={})
        .order_by("-imported_at")
        .first()
    )
    mapping = earlier.mapping() if earlier else Mapping(columns=propose_columns(header, institution))
    return CaseImport.objects.create(
        institution=institution, filename=filename, content=content, sheet=sheet, header=header,
        column_map=mapping.columns, constants=mapping.constants, defaults=mapping.defaults,
        status=ImportJobStatus.UPLOADED, imported_by=acting_user,
    )  # fmt: skip


def queue(job: CaseImport, mapping: Mapping, *, preview: bool, skip_bad_rows: bool) -> bool:
    """Hand the file to a job with the mapping given: a preview that checks every row and writes nothing, or the
    import; the caller starts the job once this commits. False when the file is no longer waiting for one (another
    request queued it, or it was imported)."""
    queued = CaseImport.objects.filter(CaseImport.MAPPABLE, pk=job.pk).update(
        column_map=mapping.columns, constants=mapping.constants, defaults=mapping.defaults, preview=preview,
        skip_bad_rows=skip_bad_rows, status=ImportJobStatus.QUEUED, rows_done=0, errors=[], failure="",
        created=0, updated=0, conflicts=0, preview_rows=[], started_at=None, finished_at=None,
    )  # fmt: skip
    return bool(queued)


def run_job(job_id: int) -> CaseImport | None:
    """Import an uploaded file (the Celery job behind the import page). Taken by one worker at a time: a second
    delivery of the same job finds it taken or finished and does nothing, unless the first worker died mid-import
    (nothing of it was written: the import is one transaction) and the job has gone stale."""
    queued, running = ImportJobStatus.QUEUED, ImportJobStatus.RUNNING
    if not take_job(CaseImport, job_id, queued=queued, running=running, stale=STALE, rows_done=0):
        return None
    job = CaseImport.objects.select_related("institution", "imported_by").get(pk=job_id)
    outcome: dict = {}
    try:
        result = import_cases(
            job.institution,
            bytes(job.content),
            job.filename,
            acting_user=job.imported_by,
            mapping=job.mapping(),
            sheet=job.sheet,
            skip_bad_rows=job.skip_bad_rows,
            dry_run=job.preview,
            job=job,
        )
    except UnreadableFile as error:
        outcome |= {"status": ImportJobStatus.REJECTED, "failure": str(error)}
    except Exception as error:
        CaseImport.objects.filter(pk=job_id).update(
            status=ImportJobStatus.FAILED, failure=repr(error)[:2000], finished_at=timezone.now()
        )
        raise
    else:
        if job.preview:
            status = ImportJobStatus.PREVIEWED
        else:
            status = ImportJobStatus.DONE if result.written else ImportJobStatus.REJECTED
        outcome |= {
            "status": status,
            "errors": [{"row": number, "errors": errors} for number, errors in result.errors[:MAX_ERRORS_KEPT]],
            "rows_total": result.rows, "rows_done": result.rows,
            # A preview's counts are what the import would do; it wrote nothing.
            "created": result.created, "updated": result.updated, "conflicts": result.conflicts,
            "preview_rows": result.preview,
        }  # fmt: skip
    outcome["finished_at"] = timezone.now()
    CaseImport.objects.filter(pk=job_id).update(**outcome)
    job.refresh_from_db()
    return job
