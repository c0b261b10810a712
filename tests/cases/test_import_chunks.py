"""The case import reads, checks and writes its file a chunk of rows at a time inside one transaction: what it holds
stays that of a chunk however long the file is, a bad row after chunks were written still rejects the whole file
(listing every bad row), a number given twice is found across chunks, and a running job's page sees its progress
although the rows it writes are not committed yet."""

from __future__ import annotations

import tracemalloc

import pytest
from django.core.cache import cache
from django.db.models import Count

from cases import importing
from cases.choices import ImportJobStatus
from cases.models import Case, CaseHandler, CaseImport, CaseParty

# The clock is pinned to a day after the cases' received date; the rows' dates are written from it.
pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-11-20")]

HEADER = "案号,案件名称,案件类型,承办部门,承办人,受理日期,当事人,代理人"


def export(numbers, *, bad: set[int] = frozenset()) -> bytes:
    rows = [
        f"（2026）江检刑诉字第{i}号,案{i},刑事,{'无此部门' if i in bad else '公诉处'},李明,2026-11-02,"
        f"当事人{i},律师{i}（某律所）"
        for i in numbers
    ]
    return "\n".join([HEADER, *rows]).encode("utf-8")


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(importing, "CHUNK", 2)


def test_a_file_longer_than_a_chunk_imports_every_row_with_its_people(world, small_chunks):
    result = importing.import_cases(world.city, export(range(5)), "a.csv", acting_user=world.admin)
    assert result.written and (result.created, result.rows) == (5, 5)
    assert Case.objects.count() == CaseHandler.objects.count() == 5
    assert CaseParty.objects.count() == 10
    # Again, in chunks that now find their cases here: nothing new, nothing changed.
    again = importing.import_cases(world.city, export(range(5)), "a.csv", acting_user=world.admin)
    assert (again.created, again.updated) == (0, 0) and CaseParty.objects.count() == 10


def test_a_bad_row_after_written_chunks_rejects_the_whole_file_and_every_bad_row_is_listed(world, small_chunks):
    result = importing.import_cases(world.city, export(range(7), bad={4, 6}), "a.csv", acting_user=world.admin)
    assert not result.written and [row for row, _errors in result.errors] == [6, 8]
    assert (result.created, result.updated, result.conflicts) == (0, 0, 0)
    assert not Case.objects.exists() and not CaseImport.objects.exists()
    # Skipping them, the good rows of every chunk are written.
    kept = importing.import_cases(
        world.city, export(range(7), bad={4, 6}), "a.csv", acting_user=world.admin, skip_bad_rows=True
    )
    assert kept.written and kept.created == 5 and Case.objects.count() == 5


def test_a_number_given_twice_in_different_chunks_is_found(world, small_chunks):
    result = importing.import_cases(world.city, export([0, 1, 2, 3, 0]), "a.csv", acting_user=world.admin)
    assert [row for row, _errors in result.errors] == [6] and not Case.objects.exists()


def test_a_preview_of_many_chunks_counts_every_row_and_writes_nothing(world, small_chunks):
    importing.import_cases(world.city, export(range(2)), "a.csv", acting_user=world.admin)
    preview = importing.import_cases(world.city, export(range(5)), "a.csv", acting_user=world.admin, dry_run=True)
    assert (preview.created, preview.rows, preview.written) == (3, 5, False)
    assert [row["action"] for row in preview.preview] == ["unchanged", "unchanged", "create", "create", "create"]
    assert Case.objects.count() == 2


def test_a_running_jobs_page_reads_its_progress_while_its_rows_are_uncommitted(
    world, client_for, small_chunks, monkeypatch
):
    job = CaseImport.objects.create(
        institution=world.city, filename="a.csv", content=export(range(5)), status=ImportJobStatus.QUEUED,
        imported_by=world.admin,
    )  # fmt: skip
    counted = []
    original = CaseImport.count_progress

    def count(self, rows):
        counted.append(rows)
        original(self, rows)

    monkeypatch.setattr(CaseImport, "count_progress", count)
    job = importing.run_job(job.pk)
    assert counted == [2, 4, 5] and (job.status, job.rows_total, job.rows_done) == (ImportJobStatus.DONE, 5, 5)
    # While a job runs, its page reads the count from the cache, not from the row its transaction will update.
    CaseImport.objects.filter(pk=job.pk).update(status=ImportJobStatus.RUNNING, rows_total=10, rows_done=0)
    job.refresh_from_db()
    cache.set(job.progress_key, 4)
    page = client_for(world.admin).get(job.get_absolute_url()).content.decode()
    assert "已检查 4 / 10 行" in page
    assert job.percent == 40


def test_what_the_import_holds_does_not_grow_with_the_file(world, monkeypatch):
    """Peak memory of a file ten times as long stays well under three times that of the short one (it grew in step
    with the file when every row was parsed before any was written; the margin is for what the test runner's own
    threads allocate meanwhile, which tracemalloc counts too)."""
    monkeypatch.setattr(importing, "CHUNK", 200)
    peaks = []
    for start, n in ((0, 400), (10_000, 4000)):
        content = export(range(start, start + n))
        tracemalloc.start()
        result = importing.import_cases(world.city, content, "a.csv", acting_user=world.admin)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        assert result.created == n
    assert peaks[1] < 3 * peaks[0], peaks
    assert Case.objects.aggregate(n=Count("pk"))["n"] == 4400
