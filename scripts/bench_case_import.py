"""Benchmark: import N cases (default 100,000) from a CSV, then the same file again.

Each call's time is printed with how far the process's memory peak rose above its size before the call (the
import reads and writes its file a chunk at a time, so this stays flat as the file grows). Beside them, a floor:
the rows the first import writes (cases, handler assignments, declarations due, parties), built in memory and
inserted into the same empty tables with ``integrity.bulk.insert_rows`` — no file read, no checks, no screening,
no follow-up — then removed again. Runs in a throwaway test database on whatever DATABASE_URL points at (SQLite
when unset) and prints the figures quoted in the README:

    .venv/bin/python scripts/bench_case_import.py [--rows 100000]
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument(
        "--profile", metavar="FILE", help="write a cProfile of the first import to FILE, of the second to FILE.again"
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        run(args.rows, args.profile)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(rows: int, profile: str | None = None) -> None:
    from cases.actions import declare_relation
    from cases.importing import import_cases
    from cases.models import Case, CaseParty, ConflictMatch, Declaration
    from integrity import actions
    from integrity.choices import InstitutionKind, InstitutionLevel

    city = actions.create_institution(
        name="基准测试检察院", code="BENCH", kind=InstitutionKind.PROCURATORATE, level=InstitutionLevel.CITY,
        acting_user=None,
    )  # fmt: skip
    department = actions.create_department(city, "公诉处", acting_user=None)
    post = actions.create_post(department, "检察员", acting_user=None)
    handlers = [
        actions.create_officer(
            username=f"h{n}", full_name=f"承办人{n}", department=department, post=post, staff_number=f"B{n:04d}",
            acting_user=None,
        )
        for n in range(200)
    ]  # fmt: skip
    for officer in handlers[:20]:
        firm = f"第{officer.pk}律师事务所"
        declare_relation(
            officer,
            name=f"律师{officer.pk}",
            relation="sibling",
            occupation="lawyer",
            employer=firm,
            acting_user=officer,
        )
    header = "案号,案件名称,案件类型,承办部门,承办人,受理日期,当事人,代理人"
    lines = [header]
    start = datetime.date(2026, 1, 1)
    for n in range(rows):
        a, b = handlers[n % 200], handlers[(n * 7 + 3) % 200]
        lawyer = f"律师{a.pk}（第{a.pk}律师事务所）" if n % 1000 == 0 else f"代理人{n}（某律所）"
        received = start + datetime.timedelta(days=n % 300)
        lines.append(
            f"（2026）基检字第{n}号,案件{n},刑事,公诉处,{a.staff_number}、{b.staff_number},{received},当事人{n},{lawyer}"
        )
    content = "\n".join(lines).encode("utf-8")
    floor_seconds = floor(city, department, handlers, rows, start)

    preview, preview_seconds, preview_mib = measured(
        lambda: import_cases(city, content, "bench.csv", acting_user=None, dry_run=True)
    )
    assert preview.created == rows and not preview.errors, preview.errors[:3]
    first, first_seconds, first_mib = measured(
        lambda: import_cases(city, content, "bench.csv", acting_user=None), profile
    )
    assert first.ok, first.errors[:3]
    second, second_seconds, second_mib = measured(
        lambda: import_cases(city, content, "bench.csv", acting_user=None), f"{profile}.again" if profile else None
    )
    assert second.ok and second.created == 0
    again, again_seconds, _mib = measured(
        lambda: import_cases(city, content, "bench.csv", acting_user=None, dry_run=True)
    )
    assert again.created == again.updated == 0
    # A day's export beside everything imported before: 1,000 rows, the last 500 cases again and 500 new ones.
    day = [header, *lines[rows - 500 + 1 :]] + [
        line.replace("基检字第", "基检字第9") for line in lines[rows - 500 + 1 :]
    ]
    began = time.perf_counter()
    third = import_cases(city, "\n".join(day).encode("utf-8"), "day.csv", acting_user=None)
    third_seconds = time.perf_counter() - began
    assert third.ok and third.created == 500, third.errors[:3]

    from django.db import connection

    print(f"database: {connection.vendor}")
    print(f"rows: {rows:,}")
    print(f"floor (the same rows inserted bare): {floor_seconds:.1f} s")
    print(f"file: {len(content) / 2**20:.1f} MiB")
    print(
        f"preview (nothing written): {preview_seconds:.1f} s of a new file, {again_seconds:.1f} s of it again; "
        f"peak +{preview_mib} MiB"
    )
    print(
        f"first import: {first_seconds:.1f} s ({rows / first_seconds:,.0f} rows/s, "
        f"{first_seconds / floor_seconds:.1f}× the floor), {first.created:,} cases created; peak +{first_mib} MiB"
    )
    print(
        f"same file again: {second_seconds:.1f} s, {second.created} created, {second.updated} updated; "
        f"peak +{second_mib} MiB"
    )
    print(f"a day's file (500 known, 500 new) beside them: {third_seconds:.2f} s, {third.created} created")
    print(
        f"cases {Case.objects.count():,}, declarations {Declaration.objects.count():,}, "
        f"parties {CaseParty.objects.count():,}, relation conflicts {ConflictMatch.objects.count():,}"
    )


def _memory(field: str) -> int:
    """A figure of this process's memory from /proc, in KiB (VmRSS: now; VmHWM: the peak since the last reset)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def measured(call, profile: str | None = None):
    """(what ``call`` returns, its seconds, how many MiB the process's peak rose above its size before the call —
    "?" where the peak cannot be reset). With ``profile``, a cProfile of the call is written there."""
    try:
        Path("/proc/self/clear_refs").write_text("5")  # the peak (VmHWM) starts again from the size now
        before = _memory("VmRSS")
    except OSError:
        before = None
    profiler = cProfile.Profile() if profile else None
    began = time.perf_counter()
    if profiler:
        profiler.enable()
    result = call()
    seconds = time.perf_counter() - began
    if profiler:
        profiler.disable()
        profiler.dump_stats(profile)
    mib = "?" if before is None else f"{max(_memory('VmHWM') - before, 0) / 1024:.0f}"
    return result, seconds, mib


def floor(city, department, handlers, rows: int, start: datetime.date) -> float:
    """Seconds to insert, committed, what the first import writes, from rows built beforehand; then removed."""
    from django.db import connection, transaction

    from cases.models import Case, CaseHandler, CaseParty, Declaration, Stage
    from integrity.bulk import insert_rows

    stage = Stage.objects.order_by("order").first()
    cases = [
        (city.pk, department.pk, stage.pk, f"F{n}", f"案件{n}", "刑事", start + datetime.timedelta(days=n % 300))
        for n in range(rows)
    ]
    began = time.perf_counter()
    with transaction.atomic():
        columns = ("institution_id", "department_id", "stage_id", "number", "title", "case_type", "received_on")
        ids = [pk for (pk,) in insert_rows(Case, columns, cases, returning=("id",))]
        pairs = [
            (case_id, handlers[n % 200].pk, handlers[(n * 7 + 3) % 200].pk) for n, case_id in enumerate(sorted(ids))
        ]
        assigned = [(c, officer, lead, start) for c, a, b in pairs for officer, lead in ((a, True), (b, False))]
        insert_rows(CaseHandler, ("case_id", "officer_id", "is_lead", "assigned_on"), assigned)
        insert_rows(Declaration, ("case_id", "officer_id", "due_on"), [(c, o, start) for c, o, _l, _d in assigned])
        parties = [
            (
                c,
                role,
                f"{name}{n}",
                "某律所" if role == "agent" else "",
                f"{name}{n}",
                "某律所" if role == "agent" else "",
            )
            for n, (c, _a, _b) in enumerate(pairs)
            for role, name in (("party", "当事人"), ("agent", "代理人"))
        ]
        insert_rows(CaseParty, ("case_id", "role", "name", "organisation", "name_key", "organisation_key"), parties)
    seconds = time.perf_counter() - began
    tables = [model._meta.db_table for model in (CaseParty, Declaration, CaseHandler, Case)]
    with connection.cursor() as cursor:  # the benchmark's own tables, nothing else in them
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")  # no dead rows left in the tables or their indexes
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {table}")
    return seconds


if __name__ == "__main__":
    main()
