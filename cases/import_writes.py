"""Writing a chunk of checked rows of a case export: the cases in bulk, then what is new of their handlers,
declarations and parties, the screening of the cases that could have a new conflict, and the sync of the cases
that were here before (whom the file no longer names leaves them)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Model
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from cases import actions
from cases.choices import PartyRole
from cases.grades import cases_placed
from cases.import_rows import CASE_FIELDS, Context, Known, Parsed, case_data, differs
from cases.models import Case, CaseHandler, CaseParty, Declaration, DeclaredRelation
from cases.rules import normalise_name, normalise_organisation
from integrity import events
from integrity.actions import audited
from integrity.bulk import insert_rows
from integrity.models import Institution, Officer
from integrity.workdays import DayCounter

CASE_COLUMNS = (
    "institution_id", "number", "title", "case_type", "department_id", "stage_id", "received_on", "due_on",
    "closed_on", "quality_score",
)  # fmt: skip


def _chunks(items: list, size: int = 5000) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# a case already here -> the officers the file names on it, and its people as (role, name key, organisation key)
Synced = dict[int, tuple[list[int], set[tuple]]]


class Written(NamedTuple):
    created: int
    updated: int
    conflicts: int  # cases screened into a new conflict


def write(
    institution: Institution,
    parsed: list[Parsed],
    known: Context,
    acting_user: Officer | None,
    *,
    said: set[str],
    filename: str,
) -> Written:
    """Write a chunk's rows: its cases, then what is new of their handlers, declarations and parties, the
    screening of the cases that could have a new conflict, and the sync of the cases that were here before."""
    existing = known.existing
    ids, changed, fresh = _write_cases(institution, parsed, existing, acting_user)
    # What is already recorded for the cases of the chunk that were here before, read once, so a re-import inserts
    # only what is new (a new case has nothing recorded yet).
    before = sorted(case.pk for case in existing.values())

    def recorded(model: type[Model], *fields: str) -> list[tuple]:
        return list(model._default_manager.filter(case_id__any=before).values_list(*fields)) if before else []

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
    conflicts = actions.screen_cases(sorted(plan.touched & plan.with_relations))
    _sync(institution, plan.synced, handler_rows, party_rows, said, filename, acting_user)
    if before:  # a case here before may have moved department, or gained or lost handlers: its assessments with it
        cases_placed()
    return Written(len(fresh), len(changed), conflicts)


def _write_cases(
    institution: Institution, parsed: list[Parsed], existing: dict[str, Known], acting_user: Officer | None
) -> tuple[dict[str, int], list[tuple[int, dict]], set[int]]:
    """Insert the new cases and save the changed ones; returns every case's id by number, the changes, and the ids
    of the cases just created."""
    new_cases, changed = [], []
    for values, department, _handlers, dates, stage, score, _people in parsed:
        data = case_data(values, department, dates, stage, score)
        case = existing.get(values["number"])
        if case is None:
            new_cases.append(
                (institution.pk, values["number"], data["title"], data["case_type"], department.pk, stage.pk,
                 data["received_on"], data["due_on"], data["closed_on"], score)
            )  # fmt: skip
        elif differs(case, data, CASE_FIELDS):
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
    synced: Synced = field(default_factory=dict)  # a case here: who and what's named

    @classmethod
    def plan(
        cls,
        context: Context,
        parsed: list[Parsed],
        ids: dict[str, int],
        changed: list[tuple[int, dict]],
        *,
        assigned: set[tuple[int, int]],
        declared: set[tuple],
        known: set[tuple],
    ) -> _Relations:
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
            assigned_on = today if here else dates["received_on"] or today  # a row without the date has an error
            history = case_id not in stays_open and dates["closed_on"] is not None and stage.is_final
            plan.add_handlers(case_id, officers, assigned_on, assigned, declared, None if history else deadlines, days)
            plan.add_parties(case_id, people, known)
        return plan

    def add_handlers(
        self,
        case_id: int,
        officers: list[Officer],
        assigned_on: datetime.date,
        assigned: set[tuple[int, int]],
        declared: set[tuple],
        deadlines: DayCounter | None,
        days: int,
    ) -> None:
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

    def add_parties(self, case_id: int, people: list[actions.PartyData], known: set[tuple]) -> None:
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


def _sync(
    institution: Institution,
    synced: Synced,
    handler_rows: list[tuple],
    party_rows: list[tuple],
    said: set[str],
    filename: str,
    acting_user: Officer | None,
) -> None:
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


def _handlers_leaving(synced: Synced, handler_rows: list[tuple]) -> list[tuple[int, int, int]]:
    """The handlers the file no longer names on the cases already here, as (pk, case, officer); the lead follows
    the file's first handler."""
    leaving: list[tuple[int, int, int]] = []
    new_lead: list[int] = []
    not_lead: list[int] = []
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


def _parties_gone(synced: Synced, party_rows: list[tuple], said: set[str], left: dict[int, list[str]]) -> list[int]:
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
