"""Batch printing: chunks printed by any number of runs, nobody printed twice or missed, a streamed merge."""

import datetime
import io
from pathlib import Path

import pikepdf
import pytest
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from pypdf import PdfReader

from archives import documents, printing, tasks
from archives.models import PrintedDocument, PrintJob

pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-11-20")]
YEAR = (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))


class Printed(list):
    """Whom the runs printed, in order; an officer named in ``failing`` fails."""

    failing: set[str]


@pytest.fixture
def printed(monkeypatch) -> Printed:
    calls = Printed()
    calls.failing = set()
    real = documents.print_archive

    def print_archive(officer, *args, **kwargs):
        calls.append(officer.username)
        if officer.username in calls.failing:
            raise RuntimeError("font missing")
        return real(officer, *args, **kwargs)

    monkeypatch.setattr(documents, "print_archive", print_archive)
    return calls


def batch(world, *officers) -> PrintJob:
    return PrintJob.objects.create(
        requested_by=world.chief, department=world.prosecution, kind="integrity", start=YEAR[0], end=YEAR[1],
        officer_ids=[officer.pk for officer in officers],
    )  # fmt: skip


def page_count(file: str) -> int:
    return len(PdfReader(Path(settings.MEDIA_ROOT) / file).pages)


def test_a_department_prints_in_chunks_merges_once_and_survives_a_failure(client_for, world, printed, monkeypatch):
    monkeypatch.setattr(printing, "CHUNK", 1)  # one officer a chunk: three chunks, the last of them merges
    merges = []
    real_merge = printing.merge
    monkeypatch.setattr(printing, "merge", lambda job: merges.append(job.pk) or real_merge(job))
    printed.failing.add("colleague")
    job = batch(world, world.officer, world.colleague, world.depthead)

    assert tasks.print_batch_task(job.pk) == 3
    job.refresh_from_db()
    assert job.status == "done" and job.done == 2 and [f["name"] for f in job.failures] == ["王芳"]
    assert job.documents.count() == 2 and job.percent == 100 and merges == [job.pk]
    response = client_for(world.chief).get(reverse("archives:download", args=[job.pk]))
    merged = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    # The merged file is the documents one after another, in the officers' order.
    in_order = list(job.documents.order_by("officer__username"))
    assert len(merged.pages) == sum(page_count(document.file) for document in in_order)
    first = PdfReader(Path(settings.MEDIA_ROOT) / in_order[0].file)
    assert merged.pages[0].extract_text() == first.pages[0].extract_text()
    assert in_order[0].number in merged.pages[0].extract_text()
    assert [mark.title for mark in merged.outline] == [document.officer.full_name for document in in_order]

    assert tasks.print_batch_task(job.pk) == 0  # a finished job is not taken again
    assert job.documents.count() == 2 and sorted(printed) == ["colleague", "depthead", "officer"]


def test_a_chunk_delivered_twice_prints_nobody_twice(world, printed):
    job = batch(world, world.officer, world.colleague)
    assert printing.claim(job)
    ids = [world.officer.pk, world.colleague.pk]
    assert tasks.print_chunk_task(job.pk, ids) == 2
    assert tasks.print_chunk_task(job.pk, ids) == 0  # the broker delivers it again (its worker died before the ack)
    job.refresh_from_db()
    assert job.documents.count() == 2 and job.done == 2 and job.status == "done" and len(printed) == 2


def test_the_database_holds_a_batch_to_one_document_per_officer(world):
    job = batch(world, world.officer)
    fields = dict(officer=world.officer, kind="integrity", start=YEAR[0], end=YEAR[1], printed_by=world.chief)
    PrintedDocument.objects.create(number="LZ-1", digest="x", job=job, **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        PrintedDocument.objects.create(number="LZ-2", digest="x", job=job, **fields)
    # Single prints are not batches: an officer's archive may be printed any number of times.
    PrintedDocument.objects.create(number="LZ-3", digest="x", **fields)
    PrintedDocument.objects.create(number="LZ-4", digest="x", **fields)


def test_a_run_that_loses_the_race_for_an_officer_keeps_the_winners_document(world, monkeypatch):
    """Two runs render the same officer at once (a chunk redelivered while its first run still prints): the one
    that comes second finds the document on record and writes nothing."""
    job = batch(world, world.officer)
    assert printing.claim(job)
    real_render = documents.render_pdf
    renders = []

    def render_while_another_run_files(archive, body, **kwargs):
        renders.append(kwargs["number"])
        if len(renders) == 1:  # the other run renders and files while this one renders
            documents.print_archive(world.officer, "integrity", *YEAR, acting_user=world.chief, job=job)
        return real_render(archive, body, **kwargs)

    monkeypatch.setattr(documents, "render_pdf", render_while_another_run_files)
    assert printing.print_chunk(job, [world.officer.pk]) == 0
    job.refresh_from_db()
    assert job.documents.count() == 1 and job.failures == [] and len(renders) == 2
    assert job.documents.get().number == renders[1]


def test_a_batch_whose_run_died_is_taken_up_by_the_sweep_and_prints_only_who_is_missing(world, printed, clock):
    job = batch(world, world.officer, world.colleague, world.depthead)
    # A run is printing (it printed one officer a minute ago): the sweep leaves it alone, a redelivery does nothing.
    assert printing.claim(job)
    printing.print_chunk(job, [world.colleague.pk])
    clock.shift(datetime.timedelta(minutes=1))
    assert tasks.resume_print_jobs_task() == 0
    assert tasks.print_batch_task(job.pk) == 0 and printed == ["colleague"]
    # Its worker died: past the stale time, the sweep hands the job to a new run, which prints only who is missing.
    clock.shift(printing.STALE_JOB)
    assert tasks.resume_print_jobs_task() == 1
    job.refresh_from_db()
    assert sorted(printed) == ["colleague", "depthead", "officer"] and job.status == "done" and job.done == 3
    assert sorted(job.documents.values_list("officer__username", flat=True)) == ["colleague", "depthead", "officer"]


def test_a_batch_whose_message_was_lost_is_taken_up_by_the_sweep(world, printed, clock):
    job = batch(world, world.officer)
    assert tasks.resume_print_jobs_task() == 0  # just asked for: its message is on its way
    clock.shift(printing.STALE_JOB + datetime.timedelta(minutes=1))
    assert tasks.resume_print_jobs_task() == 1
    job.refresh_from_db()
    assert job.status == "done" and printed == ["officer"]


def test_the_merge_writes_one_source_at_a_time_in_order_with_a_bookmark_each(tmp_path, monkeypatch):
    paths = []
    for number in range(4):
        with pikepdf.new() as pdf:
            for _page in range(number + 1):
                pdf.add_blank_page(page_size=(100 + number, 100))
            if number == 3:  # the size said once by the page tree, inherited by its pages
                pdf.Root.Pages.MediaBox = pdf.pages[0].MediaBox
                for page in pdf.pages:
                    del page.obj["/MediaBox"]
            paths.append(tmp_path / f"{number}.pdf")
            pdf.save(paths[-1])
    opened, most = [], []
    real_open = pikepdf.open

    class Counted:
        def __init__(self, *args, **kwargs):
            self.pdf = real_open(*args, **kwargs)

        def __enter__(self):
            opened.append(self)
            most.append(len(opened))
            return self.pdf.__enter__()

        def __exit__(self, *exc):
            opened.remove(self)
            return self.pdf.__exit__(*exc)

    monkeypatch.setattr(pikepdf, "open", Counted)
    target = tmp_path / "merged.pdf"

    printing.merge_pdfs(paths, target, ["甲", "乙", "丙", "丁"])

    assert max(most) == 1  # one source open at a time: memory does not grow with the batch
    monkeypatch.undo()
    reader = PdfReader(target, strict=True)
    widths = [round(float(page.mediabox[2])) for page in reader.pages]
    assert widths == [100, 101, 101, 102, 102, 102, 103, 103, 103, 103]
    assert [(mark.title, reader.get_destination_page_number(mark)) for mark in reader.outline] == [
        ("甲", 0),
        ("乙", 1),
        ("丙", 3),
        ("丁", 6),
    ]
    with pikepdf.open(target) as merged:
        assert merged.check_pdf_syntax() == []
    assert sorted(path.name for path in tmp_path.iterdir()) == ["0.pdf", "1.pdf", "2.pdf", "3.pdf", "merged.pdf"]
