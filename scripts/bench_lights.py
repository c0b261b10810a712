"""Benchmark: the light engine, the warning board, escalation and the to-do page on a large institution.

Builds, in a throwaway test database on whatever DATABASE_URL points at (run it on PostgreSQL), a city body with
nine district bodies below it — 10,000 officers, 200,000 cases with their declarations, 12 months of monthly
checks (last month's partly awaiting review by 100 department heads) — then times all 10,000 lights (first run and
an unchanged second run), the board's page and live fragment, the escalation run (first and second) and a head's
to-do page and count, with their query counts:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/integrity .venv/bin/python scripts/bench_lights.py
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--officers", type=int, default=10_000)
    parser.add_argument("--cases", type=int, default=200_000)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        build(args.officers, args.cases)
        measure()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def build(n_officers: int, n_cases: int) -> None:
    from django.utils import timezone

    from cases.models import Case, CaseHandler, Declaration, Stage
    from integrity import actions
    from integrity.choices import InstitutionKind, InstitutionLevel, Role
    from integrity.models import Department, Officer, Post, RoleAssignment
    from risks.models import MonthlyCheck
    from risks.rules import due_date

    began = time.perf_counter()
    rng = random.Random(7)
    city = actions.create_institution(
        name="基准市人民检察院",
        code="B",
        kind=InstitutionKind.PROCURATORATE,
        level=InstitutionLevel.CITY,
        acting_user=None,
    )
    bodies = [city] + [
        actions.create_institution(
            name=f"基准市第{n}区人民检察院",
            code=f"B{n}",
            kind=InstitutionKind.PROCURATORATE,
            level=InstitutionLevel.DISTRICT,
            parent=city,
            acting_user=None,
        )
        for n in range(1, 10)
    ]
    departments = Department.objects.bulk_create(
        [Department(institution=b, name=f"业务{d}部", order=d) for b in bodies for d in range(10)]
    )
    posts = Post.objects.bulk_create([Post(department=d, name="检察员") for d in departments])
    officers = Officer.objects.bulk_create(
        [
            Officer(
                username=f"o{n}",
                full_name=f"干警{n}",
                password="!",
                institution_id=posts[n % len(posts)].department.institution_id,
                department=posts[n % len(posts)].department,
                post=posts[n % len(posts)],
            )
            for n in range(n_officers)
        ],
        batch_size=5000,
    )
    inspector = officers[0]
    actions.grant_role(inspector, Role.DISCIPLINE, city, acting_user=None)
    # A head for each department (the first officer placed in it), then everyone's reviewer at once.
    heads = {}
    for o in officers[1:]:
        heads.setdefault(o.department_id, o)
    assignments = RoleAssignment.objects.bulk_create(
        [RoleAssignment(officer=o, role=Role.DEPARTMENT_HEAD, institution_id=o.institution_id) for o in heads.values()]
    )
    RoleAssignment.departments.through.objects.bulk_create(
        [
            RoleAssignment.departments.through(roleassignment_id=a.pk, department_id=a.officer.department_id)
            for a in assignments
        ]
    )
    actions.refresh_reviewers()

    today = timezone.localdate()
    periods = []
    period = today.replace(day=1)
    for _n in range(12):
        periods.append(period)
        period = (period - datetime.timedelta(days=1)).replace(day=1)
    checks = []
    for o in officers:
        for p in periods:
            due = due_date(p, 0)
            filed = (
                None
                if (p == periods[0] or rng.random() < 0.03)
                else timezone.make_aware(
                    datetime.datetime.combine(due - datetime.timedelta(days=rng.randint(0, 10)), datetime.time(10))
                )
            )
            # Reviewed, except a fifth of last month's: those wait on the head (and some long enough to chase).
            review = "pending" if (p == periods[1] and rng.random() < 0.2) or filed is None else "approved"
            checks.append(MonthlyCheck(officer=o, period=p, due_on=due, submitted_at=filed, review_status=review))
    MonthlyCheck.objects.bulk_create(checks, batch_size=10000)

    stage = Stage.objects.order_by("order").first()
    cases = Case.objects.bulk_create(
        [
            Case(
                institution_id=officers[n % n_officers].institution_id,
                department_id=officers[n % n_officers].department_id,
                number=f"B-{n}",
                title=f"案件{n}",
                case_type="刑事",
                stage=stage,
                received_on=today - datetime.timedelta(days=rng.randint(0, 360)),
            )
            for n in range(n_cases)
        ],
        batch_size=10000,
    )
    CaseHandler.objects.bulk_create(
        [
            CaseHandler(case=c, officer=officers[n % n_officers], is_lead=True, assigned_on=c.received_on)
            for n, c in enumerate(cases)
        ],
        batch_size=10000,
    )
    Declaration.objects.bulk_create(
        [
            Declaration(
                case=c,
                officer=officers[n % n_officers],
                due_on=c.received_on + datetime.timedelta(days=7),
                submitted_at=None if rng.random() < 0.02 else timezone.now(),
            )
            for n, c in enumerate(cases)
        ],
        batch_size=10000,
    )
    print(
        f"built {n_officers:,} officers, {n_cases:,} cases and declarations, {len(checks):,} monthly checks "
        f"in {time.perf_counter() - began:.0f} s"
    )


def measure() -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from alerts.engine import compute_lights
    from alerts.models import Light
    from integrity.models import Officer

    print(f"database: {connection.vendor}")
    for label in ("first run", "second run (nothing changed)"):
        began = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            result = compute_lights()
        print(
            f"lights, {label}: {time.perf_counter() - began:.2f} s for {result.officers:,} officers, "
            f"{len(queries)} queries, {result.events:,} changes of colour"
        )
    colours = {c: Light.objects.filter(colour=c).count() for c in ("green", "yellow", "red")}
    print(f"lights: {colours}")

    client = Client()
    client.force_login(Officer.objects.get(username="o0"))
    for label, headers in (("board page", {}), ("board live fragment", {"HTTP_HX_REQUEST": "true"})):
        timings = []
        for _ in range(10):
            began = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                response = client.get("/alerts/board/", **headers)
            timings.append(time.perf_counter() - began)
            assert response.status_code == 200
        print(f"{label}: median {statistics.median(timings) * 1000:.0f} ms, {len(queries)} queries")

    from django.utils import timezone

    from alerts.escalation import escalate
    from risks.models import MonthlyCheck

    waiting = MonthlyCheck.objects.filter(submitted_at__isnull=False, review_status="pending").count()
    for label in ("first run", "second run (nothing new)"):
        began = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            result = escalate(timezone.localdate())
        print(
            f"escalation, {label}: {time.perf_counter() - began:.2f} s over {waiting:,} reviews waiting, "
            f"{len(queries)} queries, {result.told:,} told, {result.notices:,} notices issued"
        )

    head = Officer.objects.filter(role_assignments__role="department_head").order_by("pk").first()
    client.force_login(head)
    for label, url in (("a head's to-do page", "/todo/"), ("the to-do count", "/todo/count/"), ("home page", "/")):
        timings = []
        for _ in range(10):
            began = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            timings.append(time.perf_counter() - began)
            assert response.status_code == 200
        print(f"{label}: median {statistics.median(timings) * 1000:.0f} ms, {len(queries)} queries")


if __name__ == "__main__":
    main()
