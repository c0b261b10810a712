"""Writing an imported catalog (``risks.import_plan`` checks it): power items and risk points of the rows kept, the
departments and power items the preview offered to create, all in one transaction, through the catalog's actions."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from integrity.actions import audited, create_department
from integrity.models import Department, Institution, Officer
from integrity.spreadsheets import read_rows
from risks.actions import StepData, save_flow_steps, save_power_item, save_risk_point
from risks.choices import ImportKind, ImportStatus, PowerCategory, RiskStatus
from risks.import_plan import New, Plan, plan
from risks.models import ImportBatch, PowerItem

# --- catalog import ------------------------------------------------------------------------------------------


@transaction.atomic
def import_catalog(
    batch: ImportBatch,
    *,
    rows: list[list[str]] | None = None,
    publish: bool = False,
    skip_bad_rows: bool = False,
    acting_user: Officer,
) -> dict[str, int]:
    """Write a checked import. A row with an error rejects the whole file (the batch keeps the row-by-row list)
    unless the importer chose to skip bad rows: then the others are written, all or none, and the skipped rows are
    kept for the error file. A file imported again updates what it created rather than duplicating it."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status == ImportStatus.IMPORTED:
        raise ValidationError(_("This file has already been imported."))
    rows = rows or read_rows(bytes(batch.content), batch.filename, batch.sheet)
    checked = plan(
        batch.kind, batch.institution, rows, batch.mapping(), create_missing=batch.create_missing, sheet=batch.sheet
    )
    errors = [{"row": r.number, "errors": r.errors} for r in checked.errors]
    if (errors and not skip_bad_rows) or not checked.kept:
        batch.status, batch.result = ImportStatus.REJECTED, {"errors": errors}
        batch.save(update_fields=["status", "result"])
        return {"errors": len(checked.errors)}
    counts = write_catalog(
        batch.institution, checked, filename=batch.filename, publish=publish, acting_user=acting_user
    )
    batch.status, batch.result = ImportStatus.IMPORTED, {"counts": counts, "errors": errors}
    batch.save(update_fields=["status", "result"])
    return counts


@transaction.atomic
def write_catalog(
    institution: Institution, checked: Plan, *, filename: str, publish: bool = False, acting_user: Officer | None
) -> dict[str, int]:
    """Write the rows of a plan that have no errors, with the departments and power items it creates; each change
    keeps who made it and from which file."""
    created = _Created(institution, _("Imported from %(file)s") % {"file": filename}, acting_user)
    if checked.kind == ImportKind.POWER_ITEMS:
        _write_power_items(checked, created)
    else:
        _write_risk_points(institution, checked, created, publish=publish)
    return dict(checked.counts)


@dataclass
class _Created:
    """The departments and power items a catalog import creates, each once, when a row first names it."""

    institution: Institution
    reason: str
    acting_user: Officer | None
    departments: dict[str, Department] = dataclasses.field(default_factory=dict)
    power_items: dict[str, PowerItem] = dataclasses.field(default_factory=dict)

    def department(self, value: Department | New | None) -> Department | None:
        if not isinstance(value, New):
            return value
        if value.name not in self.departments:
            self.departments[value.name] = create_department(self.institution, value.name, acting_user=self.acting_user)
        return self.departments[value.name]

    def power_item_department(self, value: Department | New | None) -> Department:
        """A power item's department: a row naming a power item without one has an error and is not written."""
        department = self.department(value)
        assert department is not None
        return department

    def power_item(self, value: PowerItem | New | None) -> PowerItem | None:
        if not isinstance(value, New):
            return value
        if value.name not in self.power_items:
            # Named by the risk table and not in the catalog yet: created as an enforcement power (执法) of the
            # row's department; its page completes it.
            self.power_items[value.name] = save_power_item(
                None, department=self.power_item_department(value.department),
                data={"name": value.name, "category": PowerCategory.ENFORCEMENT}, reason=self.reason,
                acting_user=self.acting_user,
            )  # fmt: skip
        return self.power_items[value.name]


def _write_power_items(checked: Plan, created: _Created) -> None:
    for row in checked.kept:
        if row.action == "unchanged":
            continue
        item = save_power_item(
            row.existing, department=created.power_item_department(row.resolved["department"]),
            data={**row.resolved["texts"], "category": row.resolved["category"]}, reason=created.reason,
            acting_user=created.acting_user,
        )  # fmt: skip
        if row.resolved["steps"]:
            steps = [StepData(name=s[:100]) for s in row.resolved["steps"]]
            save_flow_steps(item, steps, acting_user=created.acting_user)


def _write_risk_points(institution: Institution, checked: Plan, created: _Created, *, publish: bool) -> None:
    for row in checked.kept:
        if row.action == "unchanged" and (not publish or row.existing.status == RiskStatus.PUBLISHED):
            continue  # nothing to write: no history row saying nothing changed
        data = dict(row.resolved)
        if "department" in data:
            data["department"] = created.department(data["department"])
        if "power_item" in data:
            data["power_item"] = created.power_item(data["power_item"])
        data["source_key"] = row.key
        risk_point = save_risk_point(
            row.existing, institution=institution, data=data, reason=created.reason if row.existing else "",
            acting_user=created.acting_user,
        )  # fmt: skip
        if publish and risk_point.status != RiskStatus.PUBLISHED:
            risk_point.status = RiskStatus.PUBLISHED
            audited(risk_point, created.acting_user, created.reason).save(update_fields=["status"])
