"""Benchmark: onboard N people (default 3,000) from a staff list — 30 departments, 4 posts each, a tenth asking for a
role — then the same file again; beside it, the floor: the same accounts written by bulk INSERTs alone.

Runs in a throwaway test database on whatever DATABASE_URL points at (SQLite when unset) and prints the figures
quoted in the README:

    .venv/bin/python scripts/bench_onboarding.py [--people 3000]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=3000)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    # The production hasher: the tests' fast one would flatter the figure.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        run(args.people)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(people: int) -> None:
    from django.db import transaction

    from integrity import actions, onboarding
    from integrity.choices import InstitutionKind, InstitutionLevel, Role
    from integrity.models import Officer
    from integrity.spreadsheets import read_rows

    city = actions.create_institution(
        name="基准测试检察院", code="BENCH", kind=InstitutionKind.PROCURATORATE, level=InstitutionLevel.CITY,
        acting_user=None,
    )  # fmt: skip
    office = actions.create_department(city, "办公室", acting_user=None)
    admin = actions.create_officer(username="bench_admin", full_name="管理员", department=office, acting_user=None)
    actions.grant_role(admin, Role.ADMINISTRATOR, city, acting_user=None)
    lines = ["部门,岗位,姓名,用户名,工号,手机,申请角色,分管部门"]
    for n in range(people):
        department = f"第{n % 30 + 1}部门"
        role, leads = ("部门负责人", department) if n % 10 == 0 else ("", "")
        lines.append(f"{department},岗位{n % 4 + 1},干警{n},user{n},B{n:05d},139{n:08d},{role},{leads}")
    content = ("\n".join(lines) + "\n").encode("gb18030")

    def once() -> tuple[float, dict]:
        start = time.perf_counter()
        rows = read_rows(content, "staff.csv")
        result = onboarding.plan(rows, acting_user=admin, default_institution=city)
        assert result.ok, result.errors[:5]
        counts = onboarding.apply(result, initial_password="Chushi-2026x", acting_user=admin)
        return time.perf_counter() - start, counts

    first, counts = once()
    print(f"first import of {people} people: {first:.2f} s ({people / first:,.0f} rows/s) {counts}")
    again, counts = once()
    print(f"same file again: {again:.2f} s {counts}")

    from django.contrib.auth.hashers import make_password

    start = time.perf_counter()
    with transaction.atomic():
        password = make_password("Chushi-2026x")
        Officer.objects.bulk_create(
            Officer(username=f"floor{n}", full_name=f"干警{n}", institution=city, department=office, password=password)
            for n in range(people)
        )
        transaction.set_rollback(True)
    floor = time.perf_counter() - start
    print(f"floor (bulk INSERT of the accounts alone): {floor:.2f} s; import = {first / floor:.1f}x the floor")


if __name__ == "__main__":
    main()
