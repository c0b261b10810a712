"""The case import runs as a job: the upload returns at once with the columns proposed, a preview and the import
run as jobs while the page shows the progress and then the outcome, a second delivery of the job does nothing, and
a job whose worker died runs again."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cases import importing
from cases.choices import ImportJobStatus
from cases.models import Case, CaseImport

pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-11-20")]

HEADER = "案号,案件名称,案件类型,承办部门,承办人,受理日期"


def export(n: int, *, bad: int | None = None) -> bytes:
    department = {bad: "无此部门"}
    rows = [f"（2026）江检刑诉字第{i}号,案{i},刑事,{department.get(i, '公诉处')},李明,2026-11-02" for i in range(n)]
    return "\n".join([HEADER, *rows]).encode("gbk")


def mapped(job: CaseImport, **extra) -> dict:
    """The mapping form as the page proposes it."""
    return {f"col_{k}": "" if v is None else str(v) for k, v in job.column_map.items()} | extra


def upload(client, world, content: bytes, **extra):
    """Upload, then import with the columns proposed."""
    response = client.post(
        reverse("cases:case_import"), {"institution": world.city.pk, "file": SimpleUploadedFile("案件.csv", content)}
    )
    job = CaseImport.objects.latest("imported_at")
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.status == ImportJobStatus.UPLOADED and job.header == HEADER.split(",")
    return client.post(job.get_absolute_url(), mapped(job, **extra, **{"import": "1"}))


def test_the_upload_queues_a_job_and_its_page_shows_the_outcome(client_for, world, django_capture_on_commit_callbacks):
    client = client_for(world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, world, export(4500))
    job = CaseImport.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert (job.status, job.rows_total, job.rows_done, job.created) == (ImportJobStatus.DONE, 4500, 4500, 4500)
    page = client.get(job.get_absolute_url()).content.decode()
    assert 'data-status="done"' in page and "4500" in page
    fragment = client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith('<div id="progress"') and "hx-get" not in fragment.split(">")[0]
    # Only the institution's administrators open it.
    assert client_for(world.officer).get(job.get_absolute_url()).status_code == 404


def test_a_queued_job_polls_and_shows_its_progress(client_for, world):
    job = CaseImport.objects.create(
        institution=world.city, filename="a.csv", content=export(10), status=ImportJobStatus.RUNNING,
        rows_total=10, rows_done=4, imported_by=world.admin,
    )  # fmt: skip
    fragment = client_for(world.admin).get(job.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert "hx-get" in fragment and "40%" in fragment


def test_skipping_bad_rows_imports_the_rest_and_lists_the_bad_one(
    client_for, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(client_for(world.admin), world, export(5, bad=2), skip_bad_rows="on")
    job = CaseImport.objects.get()
    assert (job.status, job.created) == (ImportJobStatus.DONE, 4)
    assert [e["row"] for e in job.errors] == [4] and "无此部门" in job.errors[0]["errors"][0]


def test_a_second_delivery_does_nothing_and_a_job_whose_worker_died_runs_again(world):
    job = CaseImport.objects.create(
        institution=world.city, filename="a.csv", content=export(3), status=ImportJobStatus.QUEUED,
        imported_by=world.admin,
    )  # fmt: skip
    assert importing.run_job(job.pk).status == ImportJobStatus.DONE
    assert importing.run_job(job.pk) is None  # delivered again: already done
    assert Case.objects.count() == 3 and CaseImport.objects.count() == 1

    died = CaseImport.objects.create(
        institution=world.city, filename="b.csv", content=export(5), status=ImportJobStatus.RUNNING,
        started_at=timezone.now() - datetime.timedelta(minutes=5), imported_by=world.admin,
    )  # fmt: skip
    assert importing.run_job(died.pk) is None  # still within its time: another worker has it
    CaseImport.objects.filter(pk=died.pk).update(started_at=timezone.now() - importing.STALE - datetime.timedelta(1))
    assert importing.run_job(died.pk).status == ImportJobStatus.DONE
    assert Case.objects.count() == 5


def test_an_unreadable_file_is_rejected_with_its_reason(world):
    job = CaseImport.objects.create(
        institution=world.city, filename="a.csv", content=b"\\xff\\xfe\\x00garbage", status=ImportJobStatus.QUEUED,
        imported_by=world.admin,
    )  # fmt: skip
    job = importing.run_job(job.pk)
    assert job.status == ImportJobStatus.REJECTED and job.failure and not Case.objects.exists()
