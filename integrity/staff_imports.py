"""Staff lists as jobs (人员导入): the upload keeps the file, its proposed mapping and the initial password's hash,
and queues a check; a job reads every row through the mapping and keeps the preview — accounts to open and change,
departments and posts to add, roles to request, or each line's errors — or, asked to import, writes the list all or
nothing (``integrity.onboarding``). A job is taken by one worker at a time: a second delivery does nothing, and a
job whose worker died (nothing of it was written: the import is one transaction) runs again once it has gone stale.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from integrity.actions import take_job
from integrity.choices import StaffImportStatus
from integrity.models import Institution, Officer, StaffImport
from integrity.onboarding import COLUMNS, KIND, Plan, apply, plan
from integrity.queries import header_synonyms
from integrity.spreadsheets import Mapping, UnreadableFile, find_columns, read_rows

STALE = datetime.timedelta(minutes=30)  # a job running this long had its worker die: the next delivery runs it again
STALE_UPLOAD = datetime.timedelta(days=1)  # a staff list not imported by then loses its initial password
ERRORS_KEPT = 2000  # the preview keeps the first errors of a list that is wrong throughout, and counts them all


def upload(
    institution: Institution,
    filename: str,
    content: bytes,
    *,
    sheet: str,
    header: list[str],
    initial_password: str,
    acting_user: Officer,
) -> StaffImport:
    """Keep an uploaded staff list, its columns proposed (or the mapping given for the same headers before) and its
    initial password hashed — never kept as it was typed — and queue its check. The caller starts the job once
    this commits."""
    earlier = StaffImport.objects.filter(institution=institution, header=header).exclude(column_map={}).first()
    proposed = Mapping(columns=find_columns(COLUMNS, header, header_synonyms(KIND, institution)))
    mapping = earlier.mapping() if earlier else proposed
    return StaffImport.objects.create(
        institution=institution, filename=filename, content=content, sheet=sheet, header=header,
        column_map=mapping.columns, constants=mapping.constants, defaults=mapping.defaults,
        password=make_password(initial_password), created_by=acting_user, queued_by=acting_user,
        status=StaffImportStatus.QUEUED,
    )  # fmt: skip


def queue(staff_import: StaffImport, mapping: Mapping, *, commit: bool, acting_user: Officer) -> bool:
    """Hand the list to a job with the mapping given: a check, or with ``commit`` the import. The caller starts the
    job once this commits. False when the list is not waiting (a job has it, or it was imported), or when an
    import is asked of a list whose initial password was forgotten."""
    waiting = StaffImport.objects.filter(pk=staff_import.pk, status=StaffImportStatus.UPLOADED)
    if commit:
        waiting = waiting.exclude(password="")
    queued = waiting.update(
        column_map=mapping.columns, constants=mapping.constants, defaults=mapping.defaults, commit=commit,
        queued_by=acting_user, status=StaffImportStatus.QUEUED, started_at=None,
    )  # fmt: skip
    return bool(queued)


def run_job(import_id: int) -> StaffImport | None:
    """Check a queued staff list and keep its preview, or import it when it was asked to and has no errors. None
    when another worker has it or it is done."""
    queued, running = StaffImportStatus.QUEUED, StaffImportStatus.RUNNING
    if not take_job(StaffImport, import_id, queued=queued, running=running, stale=STALE):
        return None
    staff_import = StaffImport.objects.select_related("institution", "queued_by", "created_by").get(pk=import_id)
    done = StaffImport.objects.filter(pk=import_id)
    acting_user = staff_import.queued_by or staff_import.created_by
    try:
        rows = read_rows(bytes(staff_import.content), staff_import.filename, staff_import.sheet)
        with transaction.atomic():
            checked = plan(
                rows, acting_user=acting_user, default_institution=staff_import.institution,
                mapping=staff_import.mapping(),
            )  # fmt: skip
            preview = summary(checked, rows=len(rows) - 1)
            if staff_import.commit and checked.ok and staff_import.password:
                counts = apply(checked, password_hash=staff_import.password, acting_user=acting_user)
                done.update(status=StaffImportStatus.IMPORTED, preview=preview, result=counts, password="")
            else:
                done.update(status=StaffImportStatus.UPLOADED, preview=preview | {"refused": staff_import.commit})
    except UnreadableFile as error:
        done.update(status=StaffImportStatus.UPLOADED, preview={"failure": str(error)})
    except Exception:
        done.update(status=StaffImportStatus.UPLOADED, preview={"failure": _("The check stopped on an error.")})
        raise
    staff_import.refresh_from_db()
    return staff_import


def summary(checked: Plan, *, rows: int) -> dict:
    """What a check found, as the preview keeps it: the counts, or the missing columns and each line's errors."""
    return {
        "ok": checked.ok,
        "rows": rows,
        "new_accounts": len(checked.new_accounts),
        "changed_accounts": len(checked.changed_accounts),
        "new_departments": len(checked.new_departments),
        "new_posts": len(checked.new_posts),
        "requests": len(checked.requests),
        "missing_columns": checked.missing_columns,
        "errors": [[line, message] for line, message in checked.errors[:ERRORS_KEPT]],
        "error_count": len(checked.errors),
    }


def forget_stale_passwords(now: datetime.datetime | None = None) -> int:
    """Blank the initial password's hash of staff lists uploaded over a day ago and never imported (a nightly job):
    a forgotten upload keeps no password. Such a list is uploaded again with a new one."""
    cutoff = (now or timezone.now()) - STALE_UPLOAD
    waiting = StaffImport.objects.filter(created_at__lt=cutoff).exclude(status=StaffImportStatus.IMPORTED)
    return waiting.exclude(password="").update(password="")
