"""Importing cases from the case-management system's export (.xlsx, .xls or .csv).

Matched on case number, so the same file imported again updates rather than duplicates. The file is read,
checked and written a chunk of rows at a time in one transaction: a file with any bad row writes nothing (unless
the bad rows are skipped), and memory stays that of a chunk. Writing is in bulk (no save per row), and the conflict
screening of the imported cases is set-based, so 100,000 rows import in under 20 seconds
(scripts/bench_case_import.py).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from itertools import islice

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.choices import ImportJobStatus
from cases.import_rows import (
    COLUMNS,
    FIELDS,
    KIND,
    REQUIRED,
    Cells,
    Context,
    Parsed,
    case_data,
    parse,
    propose_columns,
    register_kinds,
    row_action,
)
from cases.import_writes import write
from cases.models import CaseImport
from integrity.actions import take_job
from integrity.models import Institution, Officer
from integrity.spreadsheets import Mapping, UnreadableFile, open_sheet, read_rows

__all__ = [
    "COLUMNS", "FIELDS", "KIND", "ImportResult", "UnreadableFile", "import_cases", "propose_columns", "read_rows",
    "register_kinds",
]  # fmt: skip

PREVIEW_ROWS = 200  # rows a preview lists with what the import would do to each
CHUNK = 5000  # rows read, checked and written at a time: an import holds one chunk of its file, however long


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
    cells = Cells.of(opened.header, institution, mapping)
    missing = [COLUMNS[k][0] for k in REQUIRED if not cells.given(k)]
    if missing:
        return ImportResult(errors=[(1, [_("Missing columns: %(names)s.") % {"names": "、".join(missing)}])])
    said = {key for key in ("parties", "agents") if cells.columns[key] >= 0 or key in mapping.constants}
    run = _Run(institution, Context.of(institution), cells, said, filename, acting_user, dry_run, skip_bad_rows)
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
    context: Context
    cells: Cells
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
            errors, row_data = parse(values, known, self.seen)
            if row_data is None:
                self.result.errors.append((number, errors))
                continue
            parsed.append(row_data)
            if self.dry_run:
                _preview(self.result, number, values, row_data, known)
        self.result.rows += len(chunk)
        if parsed and self.writing:
            written = write(self.institution, parsed, known, self.acting_user, said=self.said, filename=self.filename)
            self.result.created += written.created
            self.result.updated += written.updated
            self.result.conflicts += written.conflicts
            self.wrote = True


def _preview(result: ImportResult, number: int, values: dict, row_data: Parsed, known: Context) -> None:
    """What the import would do with the row, told without writing (conflicts are screened by it)."""
    _values, department, _handlers, dates, target, score, _people = row_data
    action = row_action(known.existing.get(values["number"]), case_data(values, department, dates, target, score))
    result.created += action == "create"
    result.updated += action == "update"
    if len(result.preview) < PREVIEW_ROWS:
        result.preview.append({"row": number, "number": values["number"], "title": values["title"], "action": action})


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
