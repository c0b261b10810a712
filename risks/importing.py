"""Catalog imports as jobs: an uploaded spreadsheet is checked (a preview the page shows) or imported by a Celery
job, taken by one worker at a time.

The pieces: ``risks.import_columns`` (the columns and the words tables use), ``risks.import_plan`` (checking every
row against the database, writing nothing) and ``risks.catalog_import`` (writing a plan without errors).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext as _

from integrity.actions import take_job
from integrity.models import Officer
from integrity.spreadsheets import UnreadableFile, read_rows
from risks.catalog_import import import_catalog
from risks.choices import ImportStatus
from risks.import_columns import (
    COLUMNS,
    default_grade_map,
    grade_words,
    guess_column_map,
    register_kinds,
    template_workbook,
)
from risks.import_plan import New, Plan, plan
from risks.models import ImportBatch

__all__ = ["COLUMNS", "New", "Plan", "guess_column_map", "plan", "register_kinds", "template_workbook"]

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


def queue(batch: ImportBatch, *, commit: bool, acting_user: Officer, **settings: Any) -> bool:
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
