"""Demo records of the inspections app: this month's routine inspection of the officer's department, led by the
inspector, one item checked without a problem and one with a finding the department's head owes rectifying.
Seeding again writes nothing."""

from __future__ import annotations

import datetime

from django.utils import timezone

from inspections import actions
from inspections.choices import InspectionKind
from inspections.models import Inspection
from integrity.models import Department, Institution, Officer


def seed() -> dict[str, int]:
    city = Institution.objects.get(code="JZ")
    if not Inspection.objects.filter(institution=city).exists():
        inspector = Officer.objects.get(username="inspector")
        department = Department.objects.get(officers__username="officer")
        today = timezone.localdate()
        inspection = actions.plan_inspection(
            acting_user=inspector, kind=InspectionKind.ROUTINE, title=f"{today.month}月例行廉政督察",
            starts_on=today - datetime.timedelta(days=3), ends_on=today + datetime.timedelta(days=10),
            departments=[department], leader=inspector,
        )  # fmt: skip
        items = list(inspection.items.filter(department=department)[:2])
        if items:
            actions.check_item(items[0], acting_user=inspector, problem="抽查案卷3件，其中1件会见律师未按规定登记。")
        if len(items) > 1:
            actions.check_item(items[1], acting_user=inspector)
    return {"inspections": Inspection.objects.count()}
