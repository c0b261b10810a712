"""Check the seals on filed records (monthly checks, case declarations, printed archives); exit 1 on any finding.

``--seal-unsealed`` seals what was filed before seals existed (once, after upgrading), recorded in the audit log.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from integrity import audit, seals
from integrity.choices import AuditEventKind

PROBLEMS = {
    "changed": "content or seal altered",
    "deleted": "record deleted",
    "link": "a seal before it is missing",
    "unsealed": "filed without a seal",
}


class Command(BaseCommand):
    help = "Check the seals of filed records; report every altered, deleted or unsealed one."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--seal-unsealed", action="store_true", help="seal the records filed before seals existed, then check"
        )

    def handle(self, *args: Any, seal_unsealed: bool = False, **options: Any) -> None:
        if seal_unsealed:
            sealed = seals.seal_unsealed()
            audit.record(AuditEventKind.ADMIN_EDIT, target="seals", sealed=sealed, command="verify_records")
            self.stdout.write(f"sealed {sealed} records filed before seals existed")
        checked, findings = seals.verify()
        for finding in findings:
            who = f" of officer {finding.officer_id}" if finding.officer_id else ""
            self.stdout.write(
                f"{finding.kind} {finding.object_id} {finding.reference}{who}: {PROBLEMS[finding.problem]}"
            )
        if findings:
            raise CommandError(f"{len(findings)} finding(s) over {checked} seals")
        self.stdout.write(f"records intact: {checked} seals")
