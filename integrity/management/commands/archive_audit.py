"""Move the audit rows older than the security policy's retention to a signed file (what the nightly job does)."""

from typing import Any

from django.core.management.base import BaseCommand

from integrity.audit import archive_expired


class Command(BaseCommand):
    help = "Archive audit log rows older than the retention period to a signed JSON-lines file."

    def handle(self, *args: Any, **options: Any) -> None:
        checkpoint = archive_expired()
        if checkpoint is None:
            self.stdout.write("nothing older than the retention period")
        else:
            self.stdout.write(f"{checkpoint.rows} rows up to {checkpoint.up_to_id} archived to {checkpoint.file}")
