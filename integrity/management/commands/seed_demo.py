"""Build the demo institution; running it again changes nothing."""

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string

# Each app adds its demo records here, after the organisation they hang on.
SEEDERS = [
    "integrity.demo.seed",
    "risks.demo.seed",
    "cases.demo.seed",
    "alerts.demo.seed",
    "inspections.demo.seed",
    "archives.demo.seed",
]


class Command(BaseCommand):
    help = "Create the demo city procuratorate, its two district bodies, their people and records."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            for path in SEEDERS:
                counts = import_string(path)()
                summary = ", ".join(f"{name} {count}" for name, count in counts.items())
                self.stdout.write(f"{path}: {summary}")
        self.stdout.write(self.style.SUCCESS("Demo data is in place."))
