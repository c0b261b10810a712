"""Staff lists are jobs like the catalog and case imports: the upload reads only the header and returns; a job
checks every row for the preview, another imports; the page polls while one runs and survives a reload; a second
delivery does nothing, a job whose worker died runs again, and a list with errors asked to import writes nothing.
The clock is pinned to 20 November 2026 (posts start on the day the list is imported)."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from integrity import staff_imports
from integrity.choices import StaffImportStatus
from integrity.models import Officer, StaffImport

pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-11-20")]
INITIAL = "Chushi-2026x"
LIST = "部门,岗位,姓名,用户名\n公诉处,书记员,韩梅,hanmei\n公诉处,书记员,李雷,lilei\n"


def upload(client, world, text: str = LIST):
    data = {"institution": world.city.pk, "password1": INITIAL, "password2": INITIAL}
    return client.post(
        reverse("integrity:officer_import"), data | {"file": SimpleUploadedFile("名单.csv", text.encode())}
    )


def mapping_form(staff_import: StaffImport) -> dict:
    return {f"col_{k}": "" if v is None else str(v) for k, v in staff_import.column_map.items()}


def test_the_upload_queues_a_check_and_the_page_polls_until_it_is_ready(
    client_for, world, django_capture_on_commit_callbacks
):
    client = client_for(world.admin)
    with django_capture_on_commit_callbacks() as jobs:
        response = upload(client, world)
    staff_import = StaffImport.objects.get()
    assert response["Location"] == staff_import.get_absolute_url() and len(jobs) == 1
    assert staff_import.status == StaffImportStatus.QUEUED and staff_import.preview == {}
    page = client.get(staff_import.get_absolute_url()).content.decode()
    assert 'data-status="queued"' in page and 'hx-trigger="every 1s' in page and 'data-testid="mapping"' not in page
    assert "HX-Refresh" not in client.get(staff_import.get_absolute_url(), HTTP_HX_REQUEST="true")

    jobs[0]()  # the worker checks every row
    staff_import.refresh_from_db()
    assert staff_import.status == StaffImportStatus.UPLOADED
    assert (staff_import.preview["ok"], staff_import.preview["rows"], staff_import.preview["new_accounts"]) == (
        True, 2, 2
    )  # fmt: skip
    assert client.get(staff_import.get_absolute_url(), HTTP_HX_REQUEST="true")["HX-Refresh"] == "true"
    page = client.get(staff_import.get_absolute_url()).content.decode()
    assert 'data-testid="mapping"' in page and 'data-testid="import-summary"' in page
    assert 'data-status="uploaded"' in page and 'hx-trigger="every 1s' not in page
    assert not Officer.objects.filter(username__in=["hanmei", "lilei"]).exists()  # a check writes nothing

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(staff_import.get_absolute_url(), mapping_form(staff_import) | {"import": "1"})
    assert response["Location"] == staff_import.get_absolute_url()
    staff_import.refresh_from_db()
    assert (staff_import.status, staff_import.password, staff_import.result["created"]) == ("imported", "", 2)
    assert staff_import.queued_by == world.admin
    hanmei = Officer.objects.get(username="hanmei")
    assert hanmei.department == world.prosecution and hanmei.history.first().history_user == world.admin
    page = client.get(staff_import.get_absolute_url()).content.decode()
    assert "开通账号 2 个" in page and 'data-testid="mapping"' not in page


def test_a_list_being_checked_is_not_queued_again(client_for, world, django_capture_on_commit_callbacks):
    client = client_for(world.admin)
    upload(client, world)
    staff_import = StaffImport.objects.get()  # queued, not yet taken
    with django_capture_on_commit_callbacks() as jobs:
        response = client.post(
            staff_import.get_absolute_url(), mapping_form(staff_import) | {"import": "1"}, follow=True
        )
    assert not jobs and "正在检查或已导入" in response.content.decode()
    staff_import.refresh_from_db()
    assert staff_import.status == StaffImportStatus.QUEUED and not staff_import.commit


def test_a_second_delivery_does_nothing_and_a_job_whose_worker_died_runs_again(client_for, world):
    upload(client_for(world.admin), world)
    staff_import = StaffImport.objects.get()
    StaffImport.objects.filter(pk=staff_import.pk).update(commit=True)
    assert staff_imports.run_job(staff_import.pk).status == StaffImportStatus.IMPORTED
    assert staff_imports.run_job(staff_import.pk) is None  # delivered again: already done
    assert Officer.objects.filter(username__in=["hanmei", "lilei"]).count() == 2

    upload(client_for(world.admin), world, LIST.replace("hanmei", "hanmei2").replace("lilei", "lilei2"))
    died = StaffImport.objects.latest("created_at")
    StaffImport.objects.filter(pk=died.pk).update(
        status=StaffImportStatus.RUNNING, commit=True, started_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    assert staff_imports.run_job(died.pk) is None  # within its time: another worker has it
    stale = timezone.now() - staff_imports.STALE - datetime.timedelta(minutes=1)
    StaffImport.objects.filter(pk=died.pk).update(started_at=stale)
    assert staff_imports.run_job(died.pk).status == StaffImportStatus.IMPORTED
    assert Officer.objects.filter(username__in=["hanmei2", "lilei2"]).count() == 2


def test_a_list_with_errors_asked_to_import_writes_nothing_and_says_why(client_for, world):
    client = client_for(world.admin)
    upload(client, world, LIST + "公诉处,书记员,,nobody\n")  # line 4: no name
    staff_import = StaffImport.objects.get()
    assert not staff_imports.queue(staff_import, staff_import.mapping(), commit=True, acting_user=world.admin)
    staff_imports.run_job(staff_import.pk)
    assert staff_imports.queue(staff_import, staff_import.mapping(), commit=True, acting_user=world.admin)
    staff_import = staff_imports.run_job(staff_import.pk)
    assert staff_import.status == StaffImportStatus.UPLOADED and staff_import.password  # still to be imported
    assert staff_import.preview["refused"] and [line for line, _m in staff_import.preview["errors"]] == [4]
    assert not Officer.objects.filter(username__in=["hanmei", "lilei", "nobody"]).exists()
    page = client.get(staff_import.get_absolute_url()).content.decode()
    assert "未写入任何数据" in page and 'data-testid="confirm-import" disabled' in page


def test_a_list_wrong_throughout_keeps_its_first_errors_and_counts_them_all(client_for, world, monkeypatch):
    monkeypatch.setattr(staff_imports, "ERRORS_KEPT", 3)
    client = client_for(world.admin)
    upload(client, world, "部门,姓名,用户名\n" + "".join(f"公诉处,,user{i}\n" for i in range(5)))
    staff_import = staff_imports.run_job(StaffImport.objects.get().pk)
    assert [line for line, _m in staff_import.preview["errors"]] == [2, 3, 4]
    assert staff_import.preview["error_count"] == 5 and not staff_import.preview["ok"]


def test_a_file_that_cannot_be_read_is_told_on_its_page(client_for, world):
    staff_import = StaffImport.objects.create(
        institution=world.city, filename="名单.xlsx", content=b"not a workbook", header=["姓名"],
        created_by=world.admin, status=StaffImportStatus.QUEUED, password="x",
    )  # fmt: skip
    staff_import = staff_imports.run_job(staff_import.pk)
    assert staff_import.status == StaffImportStatus.UPLOADED and staff_import.preview["failure"]
    page = client_for(world.admin).get(staff_import.get_absolute_url()).content.decode()
    assert 'data-testid="import-failure"' in page and staff_import.preview["failure"] in page
