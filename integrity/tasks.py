"""Jobs of the organisation app: the audit log's retention, the staff lists' checks and imports."""

from __future__ import annotations

from celery import shared_task

from integrity import audit, staff_imports


@shared_task(name="integrity.archive_audit_log")
def archive_audit_log_task() -> int:
    """Move audit rows older than the retention period to a signed file; how many went."""
    checkpoint = audit.archive_expired()
    return checkpoint.rows if checkpoint else 0


@shared_task(name="integrity.forget_stale_upload_passwords")
def forget_stale_upload_passwords_task() -> int:
    """Staff lists left unimported for a day forget their initial password; how many."""
    return staff_imports.forget_stale_passwords()


@shared_task(name="integrity.check_staff_list", acks_late=True)
def check_staff_list_task(import_id: int) -> str:
    """An uploaded staff list, checked (a preview) or imported (see ``integrity.staff_imports.run_job``)."""
    staff_import = staff_imports.run_job(import_id)
    return staff_import.status if staff_import else "taken"
