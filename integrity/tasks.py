"""Jobs of the organisation app: the audit log's retention."""

from __future__ import annotations

from celery import shared_task

from integrity import audit, onboarding


@shared_task(name="integrity.archive_audit_log")
def archive_audit_log_task() -> int:
    """Move audit rows older than the retention period to a signed file; how many went."""
    checkpoint = audit.archive_expired()
    return checkpoint.rows if checkpoint else 0


@shared_task(name="integrity.forget_stale_upload_passwords")
def forget_stale_upload_passwords_task() -> int:
    """Staff lists left unimported for a day forget their initial password; how many."""
    return onboarding.forget_stale_passwords()
