"""Recompute every officer's light: ``python manage.py compute_lights [--as-of YYYY-MM-DD]``."""

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from alerts.engine import compute_lights


class Command(BaseCommand):
    help = "Recompute every officer's red/yellow/green light as of a day (today by default)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", dest="as_of", help="the day to compute the lights for, YYYY-MM-DD")

    def handle(self, *args: Any, as_of: str | None = None, **options: Any) -> None:
        try:
            day = datetime.date.fromisoformat(as_of) if as_of else None
        except ValueError as error:
            raise CommandError(f"--as-of must be a date as YYYY-MM-DD, not {as_of!r}") from error
        result = compute_lights(as_of=day)
        self.stdout.write(
            f"{result.officers} officers, {result.changed} lights updated, {result.events} changes of colour"
        )
