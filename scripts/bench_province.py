"""Benchmark: the light engine, the warning board, escalation and the to-do page at a city's or a province's size.

Builds, in a throwaway test database on whatever DATABASE_URL points at (run it on PostgreSQL), a city body with
nine district bodies below it — 10,000 officers, 200,000 cases with their declarations, 12 months of monthly
checks (last month's partly awaiting review by the department heads), last year's annual reports, assessments past
their deadline, warnings, clues and violations — then times every light (first run, an unchanged run, and a run
after a day's filings) beside a one-statement SQL floor that gives the same colours (checked officer by officer),
the board's page and live fragment, the escalation run (first and second), a head's to-do page and count, and one
officer's refresh, with their query counts; each role's main pages; a load run (gunicorn and wrk); and a batch
print of 500 officers by a Celery worker on Redis beside bare WeasyPrint, with the merge's memory:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/integrity .venv/bin/python scripts/bench_province.py

A province: ``--bodies 121 --officers 30000 --cases 1000000`` (about four minutes to build). ``--keep`` keeps the
database for the next run.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--officers", type=int, default=10_000)
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument(
        "--bodies", type=int, default=10, help="10: a city and nine districts; more: a province, 12 cities, districts"
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the database for the next run, and measure it again if it is there"
    )
    parser.add_argument("--only", choices=("lights", "pages", "load", "print"), help="measure only this part")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    if connection.vendor != "postgresql":
        parser.exit(2, "The benchmark builds its data with PostgreSQL's SQL: set DATABASE_URL to PostgreSQL's.\n")
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=args.keep, serialize=False)
    try:
        from integrity.models import Officer

        if not (args.keep and Officer.objects.exists()):
            build(args.officers, args.cases, args.bodies)
        if args.only in (None, "lights"):
            measure()
        if args.only in (None, "pages"):
            measure_pages()
        if args.only in (None, "load"):
            measure_load()
        if args.only in (None, "print"):
            measure_print()
    finally:
        if not args.keep:
            connection.creation.destroy_test_db(old_name, verbosity=0)


def build(n_officers: int, n_cases: int, n_bodies: int) -> None:
    from django.db import connection
    from django.utils import timezone

    from cases.models import Case, CaseHandler, Declaration, Stage
    from integrity import actions
    from integrity.choices import Role
    from integrity.models import Department, Officer, Post, RoleAssignment
    from risks.models import MonthlyCheck
    from risks.rules import due_date

    began = time.perf_counter()
    rng = random.Random(7)
    bodies = build_bodies(n_bodies)
    city = bodies[0]
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
    adverse = build_adverse_records(officers, cases, inspector, rng)
    build_trend_history(bodies, rng)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # what autovacuum does after a load; the planner needs the statistics
    print(
        f"built {n_officers:,} officers in {len(bodies)} bodies, {n_cases:,} cases and declarations, "
        f"{len(checks):,} monthly checks, {adverse} "
        f"in {time.perf_counter() - began:.0f} s"
    )


def build_adverse_records(officers, cases, inspector, rng) -> str:
    """What else colours a light: last year's matters reports (most filed), assessments past their deadline, warnings
    being rectified, clues under verification, violations."""
    from django.utils import timezone

    from alerts.models import Clue, IntegrityWarning, Violation
    from archives.models import MattersReport
    from cases.models import Assessment

    today = timezone.localdate()
    now = timezone.now()
    reports = MattersReport.objects.bulk_create(
        [
            MattersReport(officer=o, kind="annual", changed_on=datetime.date(today.year - 1, 12, 31), details="无")
            for o in officers
            if rng.random() < 0.97
        ],
        batch_size=10000,
    )
    assessments = Assessment.objects.bulk_create(
        [
            Assessment(
                case=c,
                stage_id=c.stage_id,
                author=h,
                colour="yellow",
                status="approved",
                submitted_at=now,
                approved_at=now,
                deadline=today + datetime.timedelta(days=rng.randint(-30, 30)),
            )
            for c, h in ((c, officers[n % len(officers)]) for n, c in enumerate(cases))
            if rng.random() < 0.01
        ],
        batch_size=10000,
    )
    few = rng.sample(officers, k=len(officers) // 100)
    warnings = IntegrityWarning.objects.bulk_create(
        [
            IntegrityWarning(
                institution_id=o.institution_id,
                level=rng.choice(["general", "serious"]),
                target="officer",
                officer=o,
                facts="基准",
                status="rectifying",
                proposed_by=inspector,
                proposed_at=now,
                approved_by=inspector,
                approved_at=now - datetime.timedelta(days=1),
            )
            for o in few[: len(few) // 2]
        ]
    )
    clues = Clue.objects.bulk_create(
        [
            Clue(
                institution_id=o.institution_id,
                kind="petition",
                subject=o,
                content="基准",
                received_on=today,
                verifier=inspector,
                status="verifying",
                registered_by=inspector,
            )
            for o in few[len(few) // 2 : len(few) * 3 // 4]
        ]
    )
    violations = Violation.objects.bulk_create(
        [
            Violation(officer=o, description="基准", confirmed_on=today - datetime.timedelta(30), recorded_by=inspector)
            for o in few[len(few) * 3 // 4 :]
        ]
    )
    return (
        f"{len(reports):,} annual reports, {len(assessments):,} approved assessments, {len(warnings)} warnings, "
        f"{len(clues)} clues, {len(violations)} violations"
    )


def build_trend_history(bodies, rng) -> None:
    """A year of the nightly runs' snapshots for every body: what the board's trend reads."""
    from django.utils import timezone

    from alerts.models import LightSnapshot

    today = timezone.localdate()
    LightSnapshot.objects.bulk_create(
        [
            LightSnapshot(
                institution=body, day=today - datetime.timedelta(days=d),
                green=rng.randint(100, 200), yellow=rng.randint(10, 50), red=rng.randint(0, 20),
            )
            for body in bodies
            for d in range(1, 366)
        ],
        batch_size=10000,
    )  # fmt: skip


def build_bodies(n_bodies: int) -> list:
    """A city body with districts below it, or (beyond ten) a province with twelve cities and districts below them."""
    from integrity import actions
    from integrity.choices import InstitutionKind, InstitutionLevel

    def body(name, code, level, parent=None):
        return actions.create_institution(
            name=name, code=code, kind=InstitutionKind.PROCURATORATE, level=level, parent=parent, acting_user=None
        )

    if n_bodies <= 10:
        city = body("基准市人民检察院", "B", InstitutionLevel.CITY)
        return [city] + [
            body(f"基准市第{n}区人民检察院", f"B{n}", InstitutionLevel.DISTRICT, city) for n in range(1, n_bodies)
        ]
    province = body("基准省人民检察院", "P", InstitutionLevel.PROVINCIAL)
    cities = [body(f"基准省第{n}市人民检察院", f"P{n}", InstitutionLevel.CITY, province) for n in range(1, 13)]
    districts = [
        body(f"第{n % 12 + 1}市第{n}区人民检察院", f"P{n % 12 + 1}-{n}", InstitutionLevel.DISTRICT, cities[n % 12])
        for n in range(n_bodies - 13)
    ]
    return [province, *cities, *districts]


FLOOR = """
WITH reason(officer_id, rank) AS (
    SELECT officer_id, CASE WHEN due_on < %(today)s THEN 2 ELSE 1 END FROM {check}
     WHERE submitted_at IS NULL AND period <= %(today)s AND due_on <= %(today)s + 5
    UNION ALL
    SELECT d.officer_id, CASE WHEN min(d.due_on) < %(today)s - 7 THEN 2 ELSE 1 END
      FROM {declaration} d
     WHERE d.submitted_at IS NULL
       AND d.case_id NOT IN (SELECT c.id FROM {case} c WHERE c.received_on > %(today)s) GROUP BY d.officer_id
    UNION ALL
    SELECT officer_id, 1 FROM {declaration} WHERE has_yes AND review_status = 'pending' AND submitted_at IS NOT NULL
    UNION ALL
    SELECT author_id, 1 FROM {assessment} WHERE status = 'approved' AND deadline < %(today)s
    UNION ALL
    SELECT officer_id, CASE WHEN level = 'general' THEN 1 ELSE 2 END FROM {warning}
     WHERE status = 'rectifying' AND officer_id IS NOT NULL
    UNION ALL
    SELECT subject_id, 1 FROM {clue} WHERE status = 'verifying' AND subject_id IS NOT NULL AND received_on <= %(today)s
    UNION ALL
    SELECT officer_id, 2 FROM {violation} WHERE confirmed_on BETWEEN %(today)s - 365 AND %(today)s
    UNION ALL
    SELECT o.id, 1 FROM {officer} o WHERE %(today)s > make_date(%(year)s, 1, 31) AND NOT EXISTS (
        SELECT 1 FROM {report} r WHERE r.officer_id = o.id AND r.kind = 'annual'
           AND r.changed_on BETWEEN make_date(%(year)s - 1, 1, 1) AND make_date(%(year)s - 1, 12, 31))
)
SELECT o.id, coalesce(max(reason.rank), 0) FROM {officer} o LEFT JOIN reason ON reason.officer_id = o.id
 WHERE o.is_active AND o.institution_id IS NOT NULL GROUP BY o.id
"""


def floor_sql() -> str:
    """The floor's statement with this database's table names."""
    from alerts.models import Clue, IntegrityWarning, Violation
    from archives.models import MattersReport
    from cases.models import Assessment, Case, Declaration
    from integrity.models import Officer
    from risks.models import MonthlyCheck

    tables = {
        "check": MonthlyCheck, "declaration": Declaration, "case": Case, "assessment": Assessment,
        "warning": IntegrityWarning, "clue": Clue, "violation": Violation, "officer": Officer, "report": MattersReport,
    }  # fmt: skip
    return FLOOR.format(**{name: model._meta.db_table for name, model in tables.items()})


def floor_colours() -> dict[int, str]:
    """Every officer's colour by one SQL statement over the same data with the default policies: what the engine's
    reading could cost at best (it also keeps each reason's message and link, and writes what changed)."""
    from django.db import connection
    from django.utils import timezone

    today = timezone.localdate()
    with connection.cursor() as cursor:
        cursor.execute(floor_sql(), {"today": today, "year": today.year})
        return {officer_id: ("green", "yellow", "red")[rank] for officer_id, rank in cursor.fetchall()}


UPSERT_FLOOR = """
WITH floor(officer_id, rank) AS ({floor})
UPDATE {light} AS light SET colour = (ARRAY['green', 'yellow', 'red'])[floor.rank + 1], version = light.version + 1
  FROM floor
 WHERE light.officer_id = floor.officer_id AND light.colour <> (ARRAY['green', 'yellow', 'red'])[floor.rank + 1]
"""


def floor_upsert() -> tuple[float, int]:
    """The floor of a run after changes: the floor's colours written to the lights whose colour changed, in one
    UPDATE (no reasons, no events, no messages), rolled back so that the engine's run is measured on the same state.
    Returns the seconds it took and how many lights it changed."""
    from django.db import connection, transaction
    from django.utils import timezone

    from alerts.models import Light

    today = timezone.localdate()
    sql = UPSERT_FLOOR.format(floor=floor_sql().strip(), light=Light._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        began = time.perf_counter()
        cursor.execute(sql, {"today": today, "year": today.year})
        elapsed, changed = time.perf_counter() - began, cursor.rowcount
        transaction.set_rollback(True)
    return elapsed, changed


def measure() -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from alerts.engine import compute_lights
    from alerts.models import Light
    from integrity.models import Institution, Officer

    def vacuum() -> None:
        # What autovacuum does between two nightly runs: after the first run's 30,000 new lights (the rows read next
        # would otherwise be checked against the commit log and their pages written back, and the join planned on
        # an empty table's statistics), and on a kept province after the filings and runs before (a PostgreSQL with
        # autovacuum off, as this machine's, leaves every dead row they made, and each scan reads them).
        with connection.cursor() as cursor:
            for table in ("alerts_light", "alerts_lightevent", "alerts_notification", "cases_declaration",
                          "risks_monthlycheck"):  # fmt: skip
                cursor.execute(f"VACUUM ANALYZE {table}")

    vacuum()
    print(f"database: {connection.vendor}")
    for label, times in (("first run", 1), ("nothing changed, median of three runs", 3)):
        if times > 1:
            vacuum()
        timings = []
        for _ in range(times):
            began = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                result = compute_lights()
            timings.append(time.perf_counter() - began)
        print(
            f"lights, {label}: {statistics.median(timings):.2f} s for {result.officers:,} officers, "
            f"{len(queries)} queries, {result.events:,} changes of colour"
        )
    colours = {c: Light.objects.filter(colour=c).count() for c in ("green", "yellow", "red")}
    print(f"lights: {colours}")
    file_a_day()
    upserts = [floor_upsert() for _ in range(3)]
    began = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        result = compute_lights()
    elapsed, upsert = time.perf_counter() - began, statistics.median(seconds for seconds, _ in upserts)
    print(
        f"lights, after a day's filings: {elapsed:.2f} s, {len(queries)} queries, "
        f"{result.changed:,} lights changed, {result.events:,} changes of colour; "
        f"floor, one UPDATE writing the changed colours: median {upsert:.2f} s ({upserts[0][1]:,} colours): "
        f"{elapsed / upsert:.1f}×"
    )
    floor_timings = []
    for _ in range(3):
        began = time.perf_counter()
        floor = floor_colours()
        floor_timings.append(time.perf_counter() - began)
    engine = dict(Light.objects.filter(officer__is_active=True).values_list("officer_id", "colour"))
    differ = sum(1 for officer_id, colour in floor.items() if engine.get(officer_id) != colour)
    print(
        f"floor, one SQL statement giving every officer's colour: median {statistics.median(floor_timings):.2f} s; "
        f"{differ} officers differ from the engine"
    )

    from alerts.board import generation_for, lights_changed
    from integrity.heap import freeze_startup_heap

    freeze_startup_heap()  # the board is timed as a web worker serves it (``integrity.wsgi``)
    inspector = Officer.objects.get(username="o0")
    client = Client()
    client.force_login(inspector)
    one_body = [Institution.objects.order_by("pk").values_list("pk", flat=True)[60]]
    polls = (
        ("board page", {}, {}, 200, None),
        ("board live fragment, every light changed since the last poll", {}, {"HTTP_HX_REQUEST": "true"}, 200, None),
        ("board live fragment, one body's colours changed since", {}, {"HTTP_HX_REQUEST": "true"}, 200, one_body),
        ("board live fragment, nothing changed", {"seen": "now"}, {"HTTP_HX_REQUEST": "true"}, 204, None),
    )
    for label, params, headers, status, changed in polls:
        timings = []
        for _ in range(10):
            if status == 200 and headers:
                # As after a run that changed colours everywhere (every body's counts are read again), or a filing
                # that changed one officer's (that body's are).
                lights_changed(changed)
            query = {k: generation_for(inspector) if v == "now" else v for k, v in params.items()}
            began = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                response = client.get("/alerts/board/", query, **headers)
            timings.append(time.perf_counter() - began)
            assert response.status_code == status, (label, response.status_code)
        print(
            f"{label}: median {statistics.median(timings) * 1000:.1f} ms, {len(queries)} queries, "
            f"{len(response.content) / 1024:.1f} KiB"
        )

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
    with connection.cursor() as cursor:
        # What autovacuum does soon after thousands of new notices and messages: the pages measured next are planned
        # on current statistics (with a few open notices on record, the board's list of them is planned as a scan
        # of four rows and sorts thousands), and the bell's count reads its index alone.
        cursor.execute("VACUUM ANALYZE cases_supervisionnotice")
        cursor.execute("VACUUM ANALYZE alerts_notification")

    head = Officer.objects.filter(role_assignments__role="department_head").order_by("pk").first()
    client.force_login(head)
    for label, url in (("a head's to-do page", "/todo/"), ("the to-do count", "/todo/count/"), ("home page", "/")):
        timings = []
        for _ in range(20):
            began = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            timings.append(time.perf_counter() - began)
            assert response.status_code == 200
        print(f"{label}: {percentiles(timings)}, {len(queries)} queries")

    from alerts.engine import refresh_light

    timings = []
    for officer_id in Officer.objects.order_by("?").values_list("pk", flat=True)[:50]:
        began = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            refresh_light(officer_id)
        timings.append(time.perf_counter() - began)
    print(f"one officer's light refreshed (50 officers): {percentiles(timings)}, {len(queries)} queries")


PAGES = {
    "the province's discipline inspector": [
        "/", "/todo/", "/todo/count/", "/cases/", "/cases/?incomplete=true", "/cases/assessments/", "/risks/checks/",
        "/risks/points/", "/alerts/lights/", "/alerts/board/", "/alerts/warnings/", "/alerts/clues/", "/people/",
        "/alerts/warnings/new/", "/alerts/circulars/new/", "/inspections/new/", "/archives/batch/",
        "/todo/cases.notice_copy/?page=80",
    ],
    "a department head": [
        "/", "/todo/", "/todo/count/", "/cases/", "/cases/?page=20", "/cases/assessments/", "/risks/checks/",
        "/risks/review/", "/alerts/board/",
    ],
    "an officer": ["/", "/todo/", "/todo/count/", "/cases/", "/alerts/notifications/"],
}  # fmt: skip


def personas() -> dict:
    from integrity.models import Officer

    return {
        "the province's discipline inspector": Officer.objects.get(username="o0"),
        "a department head": Officer.objects.filter(role_assignments__role="department_head").order_by("pk").first(),
        "an officer": Officer.objects.filter(role_assignments__isnull=True, case_assignments__isnull=False)
        .order_by("pk")
        .first(),
    }


def measure_pages(repeat: int = 20) -> None:
    """Each role's main pages: p50 and p95 of ``repeat`` requests (5 for a page over a second), the queries of the
    last and its size."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from integrity.heap import freeze_startup_heap

    people = personas()
    freeze_startup_heap()  # as a web worker does once loaded (``integrity.wsgi``)
    print("| page | who | p50 | p95 | queries | size |\n|---|---|---|---|---|---|")
    for who, urls in PAGES.items():
        client = Client()
        client.force_login(people[who])
        for url in urls:
            timings = []
            while len(timings) < (repeat if not timings or timings[0] < 1 else 5):
                began = time.perf_counter()
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(url)
                timings.append(time.perf_counter() - began)
                assert response.status_code == 200, (url, response.status_code)
            p50, p95 = percentile_ms(timings)
            size = len(response.content) // 1024
            print(f"| `{url}` | {who} | {p50:.0f} ms | {p95:.0f} ms | {len(queries)} | {size} KiB |")


def measure_load(seconds: int = 30, connections: int = 16, port: int = 8765, warm: int = 5) -> None:
    """The board, its poll, the home page and the to-do count under load: gunicorn with two workers on this
    database, wrk with 16 connections for 30 seconds each on the same machine, after 5 seconds not counted, signed
    in as the province's discipline inspector (and, for the count, as an officer too)."""
    import shutil
    import socket
    import subprocess

    from django.db import connection
    from django.test import Client

    if not shutil.which("wrk"):
        print("load: skipped, wrk is not installed (apt-get install wrk)")
        return
    cookies = {}
    for who, person in personas().items():
        client = Client()
        client.force_login(person)
        cookies[who] = f"sessionid={client.cookies['sessionid'].value}"
    db = connection.settings_dict
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings",
           "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"}  # fmt: skip
    root = Path(__file__).resolve().parent.parent
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "integrity.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        # The board's poll, drawn from the cache: `seen=0` is never the viewer's generation, so each poll is answered
        # with the counts and the drawn fragment each worker keeps (each gunicorn worker has its own memory cache
        # here; production shares Redis). A poll whose generation is still current gets an empty 204, cheaper still.
        # The count beside "my to-dos", as every open page in sight asks it: the inspector's (the most to count) and
        # an officer's (most of the pages open).
        inspector, officer = "the province's discipline inspector", "an officer"
        polled = ["-H", "HX-Request: true", "-H", "X-Background: 1"]
        runs = (
            ("/alerts/board/", [], inspector),
            ("/alerts/board/?seen=0", ["-H", "HX-Request: true"], inspector),
            ("/", [], inspector),
            ("/todo/count/", polled, inspector),
            ("/todo/count/", polled, officer),
        )
        for url, headers, who in runs:
            # Each run is measured warm: for its first five seconds, not counted, each worker draws what it keeps
            # (the province's board, about a second a worker) and reads the viewer's counts into its cache.
            for duration in (warm, seconds):
                out = subprocess.run(
                    ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "-H", f"Cookie: {cookies[who]}",
                     *headers, f"http://127.0.0.1:{port}{url}"],
                    capture_output=True, text=True, check=True,
                ).stdout  # fmt: skip
            rate = float(out.split("Requests/sec:")[1].split()[0])
            errors = out.split("Non-2xx or 3xx responses:")[1].split()[0] if "Non-2xx" in out else "0"
            p50 = out.split("50%")[1].split()[0]
            p99 = out.split("99%")[1].split()[0]
            print(
                f"load `{url}` ({who}): {rate:.0f} requests/s at {connections} connections for {seconds} s "
                f"(after {warm} s), p50 {p50}, p99 {p99}, {errors} errors"
            )
    finally:
        server.terminate()
        server.wait()


def measure_print(officers: int = 500, workers: int = 2) -> None:
    """Batch printing of 500 officers' integrity archives for a year, by a Celery worker with two processes on this
    database (Redis as the broker, as in production), beside a floor: bare WeasyPrint turning the same archives'
    HTML into PDF, on as many processes. Then the merge's memory, streamed (the product) and in one pypdf writer
    (before), each in a process of its own, and a check that every officer was printed exactly once."""
    import subprocess
    import tempfile

    from django.db import connection
    from django.db.models import Count
    from django.utils import timezone

    from archives import documents, queries
    from archives.models import PrintJob
    from integrity.celeryconf import app
    from integrity.models import Officer

    broker = "redis://127.0.0.1:6379/15"
    chosen = list(Officer.objects.order_by("pk").values_list("pk", flat=True)[1 : officers + 1])
    year_end = timezone.localdate()
    year_start = year_end.replace(year=year_end.year - 1)
    inspector = Officer.objects.get(username="o0")

    # The floor: the same archives' HTML (built beforehand, not timed) to PDF, split between the processes.
    sample = Officer.objects.filter(pk__in=chosen[:20])
    pages = []
    for officer in sample:
        archive = queries.build("integrity", officer, year_start, year_end)
        body = documents.archive_body(archive)
        pages.append((archive, body))
    documents.render_pdf(*pages[0], number="X", digest="x", printed_by=inspector, printed_at=timezone.now())  # fonts
    began = time.perf_counter()
    for archive, body in pages:
        documents.render_pdf(archive, body, number="X", digest="x", printed_by=inspector, printed_at=timezone.now())
    per_document = (time.perf_counter() - began) / len(pages)
    floor = per_document * officers / workers

    db = connection.settings_dict
    media = tempfile.mkdtemp(prefix="bench-print-")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "integrity.settings", "CELERY_BROKER_URL": broker,
           "DJANGO_SECRET_KEY": "bench-only-secret-key-0123456789-0123456789-0123456789", "DJANGO_VAR_DIR": media,
           "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"}  # fmt: skip
    root = Path(__file__).resolve().parent.parent
    subprocess.run(["redis-cli", "-n", "15", "flushdb"], check=True, capture_output=True)
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "integrity", "worker", "-Q", "printing", f"--concurrency={workers}",
         "--loglevel=WARNING"],
        cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        job = PrintJob.objects.create(
            requested_by=inspector, kind="integrity", start=year_start, end=year_end, officer_ids=chosen
        )
        began = time.perf_counter()
        with app.connection_for_write(broker) as broker_connection, warnings.catch_warnings():
            warnings.simplefilter("ignore")  # this process's settings are the tests' (eager); the message is sent
            app.send_task("archives.print_batch", args=[job.pk], queue="printing", connection=broker_connection)
        early = []  # the workers' peak memory a fifth of the way: the same at the end if it does not grow with N
        while job.status != "done" and time.perf_counter() - began < 1800:
            time.sleep(0.5)
            job.refresh_from_db()
            if not early and job.done >= officers // 5:
                early = worker_peaks_mib(worker.pid)
        elapsed = time.perf_counter() - began
        peaks = worker_peaks_mib(worker.pid)
    finally:
        worker.terminate()
        worker.wait()
    once = job.documents.values("officer").annotate(n=Count("pk")).filter(n=1).count()
    merged_mib = (Path(media) / "media" / job.merged).stat().st_size / 2**20 if job.merged else 0
    print(
        f"batch print of {officers} integrity archives, {workers} worker processes: {elapsed:.0f} s "
        f"({elapsed / floor:.1f}× the floor, bare WeasyPrint {per_document:.2f} s a document on {workers} "
        f"processes: {floor:.0f} s); {once} officers printed once, {len(job.failures)} failed; "
        f"worker processes' peak memory {', '.join(f'{peak:.0f}' for peak in early)} MiB after "
        f"{officers // 5} documents, {', '.join(f'{peak:.0f}' for peak in peaks)} MiB after {officers}; merged file "
        f"{merged_mib:.0f} MiB"
    )
    files = [str(Path(media) / "media" / file) for file in job.documents.order_by("officer__username").values_list(
        "file", flat=True)]  # fmt: skip
    for label, merge in (("streamed, one source at a time", MERGE_STREAMED), ("in one pypdf writer", MERGE_IN_MEMORY)):
        out = subprocess.run(
            [sys.executable, "-c", merge, str(Path(media) / "merged-again.pdf"), *files],
            cwd=root, capture_output=True, text=True, check=True,
        ).stdout.split()  # fmt: skip
        print(
            f"merging the {len(files)} documents, {label}: {float(out[1]):.1f} s, peak memory {out[2]} MiB "
            f"({out[0]} MiB before merging)"
        )


MERGE_SETUP = """
import os, sys, time
from pathlib import Path
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
django.setup()
def peak_mib():  # VmHWM: this process's own peak (ru_maxrss would include the parent's from before exec)
    return next(int(l.split()[1]) // 1024 for l in open("/proc/self/status") if l.startswith("VmHWM:"))
print(peak_mib(), end=" ")  # after setting up, before merging
began = time.perf_counter()
"""
MERGE_STREAMED = (
    MERGE_SETUP
    + """
from archives.printing import merge_pdfs
merge_pdfs([Path(p) for p in sys.argv[2:]], Path(sys.argv[1]))
print(f"{time.perf_counter() - began:.2f} {peak_mib()}")
"""
)
MERGE_IN_MEMORY = (
    MERGE_SETUP
    + """
from pypdf import PdfWriter
writer = PdfWriter()
for path in sys.argv[2:]:
    writer.append(path)
with open(sys.argv[1], "wb") as handle:
    writer.write(handle)
print(f"{time.perf_counter() - began:.2f} {peak_mib()}")
"""
)


def worker_peaks_mib(pid: int) -> list[float]:
    """The peak resident memory of a Celery worker's pool processes (VmHWM), in MiB."""
    peaks = []
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        for line in Path(f"/proc/{child}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(int(line.split()[1]) / 1024)
    return peaks


def file_a_day() -> None:
    """A day's work: 3,000 declarations and 3,000 monthly checks filed that were not."""
    from django.utils import timezone

    from cases.models import Declaration
    from risks.models import MonthlyCheck

    now = timezone.now()
    for model in (Declaration, MonthlyCheck):
        unfiled = model.objects.filter(submitted_at__isnull=True).order_by("?").values_list("pk", flat=True)[:3000]
        model.objects.filter(pk__in=list(unfiled)).update(submitted_at=now)


def percentile_ms(timings: list[float]) -> tuple[float, float]:
    ordered = sorted(timings)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def percentiles(timings: list[float]) -> str:
    p50, p95 = percentile_ms(timings)
    return f"p50 {p50:.0f} ms, p95 {p95:.0f} ms"


if __name__ == "__main__":
    main()
