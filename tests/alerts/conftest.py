import datetime

import pytest


@pytest.fixture(autouse=True)
def _annual_reports_filed(request, today):
    """Lights tests start from officers whose yearly personal matters reports are in and accepted (one reason fewer
    to track, and nothing waiting on discipline staff); the reason itself is tested on its own."""
    if "world" not in request.fixturenames or request.node.get_closest_marker("annual_report_missing"):
        return
    world = request.getfixturevalue("world")
    from django.utils import timezone

    from archives.choices import MatterKind, ReportStatus
    from archives.models import MattersReport
    from integrity.models import Officer

    # the years a test may look at: from two before the pinned day's to the next one (tests step a year ahead)
    for year in range(today.year - 2, today.year + 2):
        MattersReport.objects.bulk_create(
            MattersReport(officer=o, kind=MatterKind.ANNUAL, changed_on=datetime.date(year, 12, 31), details="无变化")
            for o in Officer.objects.all()
        )
        # filed in the first days of the following January, as the rule expects
        filed = timezone.make_aware(datetime.datetime(year + 1, 1, 5, 10))
        MattersReport.objects.filter(changed_on__year=year).update(submitted_at=filed, status=ReportStatus.ACCEPTED)
    del world
