"""Add the official holidays, days off in lieu and make-up working days of some years to everyone's calendar."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from integrity.actions import seed_calendar


class Command(BaseCommand):
    help = (
        "Add the State Council's holiday arrangement for the given years (this year and the next by default) to the "
        "working-day calendar; days already there are left alone."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("years", nargs="*", type=int)

    def handle(self, *args: Any, years: list[int], **options: Any) -> None:
        this_year = timezone.localdate().year
        years = years or [this_year, this_year + 1]
        added = seed_calendar(years)
        self.stdout.write(f"{added} days added for {', '.join(map(str, years))}")
