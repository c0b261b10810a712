"""Catalog imports are jobs like the case import: the upload reads only the header and returns; a job checks every
row for the preview, another imports; the page polls while one runs and survives a reload; a second delivery does
nothing and a job whose worker died runs again."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from risks import importing
from risks.choices import ImportStatus
from risks.models import ImportBatch, RiskPoint

pytestmark = pytest.mark.django_db

TABLE = "部门,风险类别,风险点,风险等级\n公诉处,业务流程,审批不严,高\n公诉处,业务流程,泄露案情,低"


def test_the_upload_queues_a_preview_and_the_page_polls_until_it_is_ready(
    client_for, world, django_capture_on_commit_callbacks
):
    client = client_for(world.admin)
    data = {"kind": "risk_points", "institution": world.city.pk, "file": SimpleUploadedFile("风险.csv", TABLE.encode())}
    with django_capture_on_commit_callbacks() as jobs:
        response = client.post(reverse("risks:import_start"), data)
    batch = ImportBatch.objects.get()
    assert response["Location"] == batch.get_absolute_url() and batch.status == ImportStatus.QUEUED
    assert len(jobs) == 1 and batch.preview == {}
    page = client.get(batch.get_absolute_url()).content.decode()
    assert 'data-status="queued"' in page and "hx-get" in page and 'data-testid="mapping"' not in page
    fragment = client.get(batch.get_absolute_url(), HTTP_HX_REQUEST="true")
    assert "HX-Refresh" not in fragment

    jobs[0]()  # the worker runs the preview
    batch.refresh_from_db()
    assert batch.status == ImportStatus.UPLOADED and batch.rows_total == 2
    assert batch.preview["counts"] == {"create": 2, "update": 0, "unchanged": 0, "skipped": 0}
    assert batch.preview["grade_words"] == ["高", "低"] and batch.grade_map == {"高": "high", "低": "low"}
    assert client.get(batch.get_absolute_url(), HTTP_HX_REQUEST="true")["HX-Refresh"] == "true"
    page = client.get(batch.get_absolute_url()).content.decode()
    assert 'data-testid="mapping"' in page and 'data-testid="import-summary"' in page and "泄露案情" in page
    assert not RiskPoint.objects.exists()  # a preview writes nothing


def test_a_file_being_checked_is_not_queued_again(client_for, world, django_capture_on_commit_callbacks):
    batch = ImportBatch.objects.create(
        institution=world.city, kind="risk_points", filename="风险.csv", content=TABLE.encode(),
        header=TABLE.split("\n")[0].split(","), created_by=world.admin, status=ImportStatus.RUNNING,
    )  # fmt: skip
    client = client_for(world.admin)
    with django_capture_on_commit_callbacks() as jobs:
        response = client.post(batch.get_absolute_url(), {"import": "1"}, follow=True)
    assert not jobs and "正在检查" in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.RUNNING and not batch.commit


def test_a_second_delivery_does_nothing_and_a_job_whose_worker_died_runs_again(world):
    batch = ImportBatch.objects.create(
        institution=world.city, kind="risk_points", filename="风险.csv", content=TABLE.encode(),
        header=TABLE.split("\n")[0].split(","), created_by=world.admin, status=ImportStatus.QUEUED,
        column_map={"department": 0, "category": 1, "description": 2, "grade": 3}, commit=True,
    )  # fmt: skip
    assert importing.run_job(batch.pk).status == ImportStatus.IMPORTED
    assert importing.run_job(batch.pk) is None  # delivered again: already done
    assert RiskPoint.objects.count() == 2

    died = ImportBatch.objects.create(
        institution=world.city, kind="risk_points", filename="b.csv", content=TABLE.encode(), created_by=world.admin,
        status=ImportStatus.RUNNING, started_at=timezone.now() - datetime.timedelta(minutes=5),
    )  # fmt: skip
    assert importing.run_job(died.pk) is None  # within its time: another worker has it
    ImportBatch.objects.filter(pk=died.pk).update(started_at=timezone.now() - importing.STALE - datetime.timedelta(1))
    assert importing.run_job(died.pk).status == ImportStatus.UPLOADED


def test_an_unreadable_file_is_rejected_with_its_reason(world):
    batch = ImportBatch.objects.create(
        institution=world.city, kind="risk_points", filename="风险.xlsx", content=b"not a workbook",
        created_by=world.admin, status=ImportStatus.QUEUED,
    )  # fmt: skip
    batch = importing.run_job(batch.pk)
    assert batch.status == ImportStatus.REJECTED and batch.result["failure"]


def test_a_mapping_that_does_not_hold_is_shown_with_its_error_and_queues_nothing(
    client_for, world, django_capture_on_commit_callbacks
):
    batch = ImportBatch.objects.create(
        institution=world.city, kind="risk_points", filename="风险.csv", content=TABLE.encode(),
        header=TABLE.split("\n")[0].split(","), created_by=world.admin, status=ImportStatus.UPLOADED,
    )  # fmt: skip
    with django_capture_on_commit_callbacks() as jobs:
        response = client_for(world.admin).post(batch.get_absolute_url(), {"col_description": "9", "import": "1"})
    assert response.status_code == 400 and 'data-testid="mapping"' in response.content.decode()
    assert "invalid-feedback" in response.content.decode() and not jobs
    batch.refresh_from_db()
    assert batch.status == ImportStatus.UPLOADED
