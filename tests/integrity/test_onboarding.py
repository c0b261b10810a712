"""Bulk onboarding (批量导入人员): the system administrator imports a staff list — the template, or an institution's
own GBK CSV with its own headers and merged department cells — all or nothing, re-runnable without duplicates; the
roles it names wait for the security administrator, in their to-dos, who grants or declines them. The clock is pinned
to 20 November 2026 (the day posts start and requests wait from)."""

import datetime
import io

import pytest
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from integrity import actions, obligations, onboarding, staff_imports, tasks
from integrity.choices import RequestStatus, Role
from integrity.models import (
    Department,
    HeaderSynonym,
    Officer,
    PasswordHistory,
    Post,
    RoleAssignment,
    RoleRequest,
    StaffImport,
)
from integrity.spreadsheets import read_rows
from tests.factories import OfficerFactory

pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-11-20")]
INITIAL = "Chushi-2026x"

# An institution's own export: its headers (账号, 警号, 所在部门, 角色), the department written once for the rows
# below it (a merged cell), GBK-encoded as Chinese Excel saves it.
STAFF_LIST = """序号,所在部门,岗位,姓名,账号,警号,手机号,角色,分管部门
1,第二检察部,检察官,林晓,linxiao,JZ2001,13900000001,部门负责人,第二检察部
2,,检察官助理,高远,gaoyuan,JZ2002,13900000002,,
3,,检察官助理,宋雨,songyu,JZ2003,,,
4,公诉处,书记员,韩梅,hanmei,JZ2004,,,
"""


def staff_csv(text: str = STAFF_LIST) -> bytes:
    return text.encode("gbk")


@pytest.fixture
def security(world):
    officer = OfficerFactory(username="security", full_name="安全员", department=world.office)
    actions.grant_role(officer, Role.SECURITY_ADMIN, world.city, acting_user=None)
    return officer


def plan_of(rows, world):
    return onboarding.plan(rows, acting_user=world.admin, default_institution=world.city)


def upload(client: Client, content: bytes, name: str, world, password: str = INITIAL):
    """Upload, then import with the columns proposed, running the jobs as a worker would; the upload's page when its
    rows have errors."""
    response = client.post(
        reverse("integrity:officer_import"),
        {
            "file": SimpleUploadedFile(name, content),
            "institution": world.city.pk,
            "password1": password,
            "password2": password,
        },
    )
    if response.status_code != 302:
        return response
    staff_import = StaffImport.objects.latest("created_at")
    staff_imports.run_job(staff_import.pk)  # the worker checks it
    page = client.get(staff_import.get_absolute_url())
    if 'data-testid="import-errors"' in page.content.decode():
        return page
    form = {f"col_{k}": "" if v is None else str(v) for k, v in staff_import.column_map.items()}
    response = client.post(staff_import.get_absolute_url(), form | {"import": "1"})
    staff_imports.run_job(staff_import.pk)  # and imports it
    return response


def test_an_institutions_own_gbk_list_opens_accounts_departments_posts_and_asks_for_roles(world, client_for):
    before = Officer.objects.count()
    response = upload(client_for(world.admin), staff_csv(), "人员名单.csv", world)
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert Officer.objects.count() == before + 4
    second = Department.objects.get(institution=world.city, name="第二检察部")
    gao = Officer.objects.get(username="gaoyuan")
    assert (gao.full_name, gao.staff_number, gao.phone, gao.department, gao.post.name) == (
        "高远", "JZ2002", "13900000002", second, "检察官助理"
    )  # fmt: skip
    assert gao.must_change_password and gao.check_password(INITIAL)
    assert gao.post_assignments.get().started_on.isoformat() == "2026-11-20"
    assert PasswordHistory.objects.filter(officer=gao).count() == 1
    assert gao.history.first().history_user == world.admin
    assert Officer.objects.get(username="hanmei").department == world.prosecution  # an existing department
    request = RoleRequest.objects.get()
    assert (request.officer.username, request.role, request.status) == ("linxiao", Role.DEPARTMENT_HEAD, "pending")
    assert list(request.departments.all()) == [second]
    assert not RoleAssignment.objects.filter(officer__username="linxiao").exists()  # asked, not granted

    # The same file again finds everything in place.
    counts = onboarding.apply(
        onboarding.plan(read_rows(staff_csv(), "a.csv"), acting_user=world.admin, default_institution=world.city),
        initial_password=INITIAL,
        acting_user=world.admin,
    )
    assert counts == {"departments": 0, "posts": 0, "created": 0, "changed": 0, "requested": 0}
    assert Officer.objects.count() == before + 4 and RoleRequest.objects.count() == 1


def test_one_bad_row_writes_nothing_and_every_error_is_told_by_line(world, client_for):
    bad = STAFF_LIST + (
        "5,公诉处,书记员,,nobody,,,,\n"  # line 6: no name
        "6,公诉处,书记员,赵六,linxiao,,,,\n"  # line 7: the username of line 2
        "7,公诉处,书记员,钱七,qianqi,,,副主任,\n"  # line 8: no such role
        "8,公诉处,书记员,孙八,sunba,,,系统管理员,\n"  # line 9: administrators are appointed, not imported
    )
    before = (Officer.objects.count(), Department.objects.count(), Post.objects.count())
    response = upload(client_for(world.admin), staff_csv(bad), "list.csv", world)
    page = response.content.decode()
    assert response.status_code == 200 and 'data-testid="import-errors"' in page
    assert (Officer.objects.count(), Department.objects.count(), Post.objects.count()) == before
    result = onboarding.plan(
        read_rows(staff_csv(bad), "l.csv"), acting_user=world.admin, default_institution=world.city
    )
    assert [line for line, _message in result.errors] == [6, 7, 8, 9]
    with pytest.raises(ValidationError):
        onboarding.apply(result, initial_password=INITIAL, acting_user=world.admin)

    # A district administrator cannot take over a city account by naming it.
    district_admin = OfficerFactory(username="dh_admin", department=world.dh_officer.department)
    actions.grant_role(district_admin, Role.ADMINISTRATOR, world.dh, acting_user=None)
    row = "部门,姓名,用户名\n东湖检察部,张三,officer\n"
    with translation.override("en"):
        result = onboarding.plan(
            read_rows(row.encode(), "x.csv"), acting_user=district_admin, default_institution=world.dh
        )
    assert [message for _line, message in result.errors] == ["The account “officer” belongs to another institution."]


def test_the_template_goes_back_in_and_missing_columns_are_named(world, client_for):
    client = client_for(world.admin)
    template = client.get(reverse("integrity:onboarding_template"))
    sheet = load_workbook(io.BytesIO(template.content)).active
    header = [c.value for c in sheet[1]]
    assert header[:5] == ["单位", "部门*", "岗位", "姓名*", "用户名*"]
    assert upload(client, template.content, "template.xlsx", world).status_code == 302
    assert Officer.objects.get(username="wangxm").post.name == "检察官"

    result = onboarding.plan(
        [["姓名", "账号"], ["李四", "lisi"]], acting_user=world.admin, default_institution=world.city
    )
    assert result.missing_columns == ["部门"] and not result.ok
    assert client_for(world.officer).get(reverse("integrity:officer_import")).status_code == 404


def test_an_opened_account_must_choose_its_own_password_and_not_the_initial_one(world, client_for):
    upload(client_for(world.admin), staff_csv(), "list.csv", world)
    client = Client()
    client.post(reverse("login"), {"username": "hanmei", "password": INITIAL})
    assert client.get(reverse("home"))["Location"] == reverse("password_change")
    response = client.post(
        reverse("password_change"), {"old_password": INITIAL, "new_password1": INITIAL, "new_password2": INITIAL}
    )
    assert response.status_code == 200 and client.get(reverse("home")).status_code == 302


def test_the_security_administrator_finds_the_requests_in_the_to_dos_and_grants_or_declines(
    world, client_for, security
):
    also_discipline = STAFF_LIST.replace("宋雨,songyu,JZ2003,,,", "宋雨,songyu,JZ2003,,纪检监察,")
    upload(client_for(world.admin), staff_csv(also_discipline), "l.csv", world)
    head, discipline = RoleRequest.objects.order_by("id")
    requests = "integrity.role_request"
    assert obligations.counts(security)[requests] == 2 and obligations.counts(world.admin)[requests] == 0

    client = client_for(security)
    assert "林晓" in client.get(reverse("integrity:role_requests")).content.decode()
    client.post(reverse("integrity:role_request_decide", args=[head.pk]), {"grant": "1"})
    granted = RoleAssignment.objects.get(officer__username="linxiao")
    assert granted.role == Role.DEPARTMENT_HEAD and list(granted.departments.values_list("name", flat=True)) == [
        "第二检察部"
    ]
    assert granted.granted_by == security
    client.post(reverse("integrity:role_request_decide", args=[discipline.pk]), {"decline": "1"})
    assert RoleRequest.objects.get(pk=discipline.pk).status == RequestStatus.PENDING  # a decline needs its reason
    client.post(
        reverse("integrity:role_request_decide", args=[discipline.pk]), {"decline": "1", "comment": "无任命文件"}
    )
    discipline.refresh_from_db()
    assert (discipline.status, discipline.decided_by, discipline.comment) == ("declined", security, "无任命文件")
    assert obligations.counts(security)[requests] == 0

    # The system administrator asks; only the security administrator decides.
    assert client_for(world.admin).get(reverse("integrity:role_requests")).status_code == 404
    assert client_for(world.admin).post(reverse("integrity:role_request_decide", args=[head.pk])).status_code == 404


def test_an_import_costs_the_same_queries_for_ten_and_for_two_hundred_people(world):
    """Besides the bulk INSERTs, which the database splits into batches (SQLite's parameter limit), the queries
    do not grow with the rows."""

    def staff(n: int, start: int) -> list[list[str]]:
        return [["部门", "岗位", "姓名", "用户名"]] + [
            ["公诉处", "检察官助理", f"干警{i}", f"user{i}"] for i in range(start, start + n)
        ]

    def queries(rows) -> tuple[int, set[str]]:
        with CaptureQueriesContext(connection) as captured:
            result = onboarding.plan(rows, acting_user=world.admin, default_institution=world.city)
            onboarding.apply(result, initial_password=INITIAL, acting_user=world.admin)
        inserts = {q["sql"].split('"')[1] for q in captured.captured_queries if q["sql"].startswith("INSERT")}
        return sum(1 for q in captured.captured_queries if not q["sql"].startswith("INSERT")), inserts

    queries(staff(1, 0))  # the post exists from here on
    assert queries(staff(10, 100)) == queries(staff(200, 1000))


def test_a_staff_list_with_its_own_headers_is_mapped_on_its_page_and_its_password_never_kept_as_typed(
    world, client_for
):
    client = client_for(world.admin)
    content = "干警姓名,登录名,岗位\n韩梅,hanmei,书记员\n李雷,lilei,\n".encode("gbk")  # no department column
    response = client.post(
        reverse("integrity:officer_import"),
        {"file": SimpleUploadedFile("名单.csv", content), "institution": world.city.pk,
         "password1": INITIAL, "password2": INITIAL},
    )  # fmt: skip
    staff_import = StaffImport.objects.get()
    assert response["Location"] == staff_import.get_absolute_url()
    assert INITIAL not in staff_import.password and check_password(INITIAL, staff_import.password)
    assert (staff_import.column_map["full_name"], staff_import.column_map["username"]) == (None, 1)  # 登录名 is known
    staff_imports.run_job(staff_import.pk)
    page = client.get(staff_import.get_absolute_url()).content.decode()
    assert 'data-testid="mapping"' in page and "姓名" in page.split('data-testid="import-errors"')[1]
    assert not Officer.objects.filter(username="hanmei").exists()

    form = {f"col_{k}": "" if v is None else str(v) for k, v in staff_import.column_map.items()}
    form |= {"col_full_name": "0", "const_department": "公诉处", "remember_headers": "on"}
    client.post(staff_import.get_absolute_url(), form)  # the preview with the mapping given
    staff_imports.run_job(staff_import.pk)
    page = client.get(staff_import.get_absolute_url()).content.decode()
    assert 'data-testid="import-summary"' in page and 'data-testid="import-errors"' not in page
    response = client.post(staff_import.get_absolute_url(), form | {"import": "1"})
    assert response["Location"] == staff_import.get_absolute_url()
    staff_imports.run_job(staff_import.pk)
    assert set(Officer.objects.filter(username__in=["hanmei", "lilei"]).values_list("department", flat=True)) == {
        world.prosecution.pk
    }
    staff_import.refresh_from_db()
    assert (staff_import.status, staff_import.password, staff_import.result["created"]) == ("imported", "", 2)
    assert HeaderSynonym.objects.filter(kind="people", field="full_name", header="干警姓名").exists()
    # Imported: a second post opens nothing more.
    client.post(staff_import.get_absolute_url(), form | {"import": "1"})
    assert Officer.objects.filter(username__in=["hanmei", "lilei"]).count() == 2
    # Only the administrators of its institution open it.
    assert client_for(world.officer).get(staff_import.get_absolute_url()).status_code == 404


def test_a_workbook_opening_on_a_notes_sheet_is_read_from_its_staff_sheet_or_the_one_named(world, client_for):
    book = Workbook()
    book.active.title = "填表说明"
    book.active.append(["请勿修改表头"])
    staff = book.create_sheet("名单")
    staff.append(["部门", "姓名", "用户名"])
    staff.append(["公诉处", "韩梅", "hanmei"])
    buffer = io.BytesIO()
    book.save(buffer)
    client = client_for(world.admin)
    data = {"institution": world.city.pk, "password1": INITIAL, "password2": INITIAL}
    client.post(
        reverse("integrity:officer_import"), data | {"file": SimpleUploadedFile("名单.xlsx", buffer.getvalue())}
    )
    assert StaffImport.objects.get().sheet == "名单"
    named = {"file": SimpleUploadedFile("名单.xlsx", buffer.getvalue()), "sheet": "人员"}
    response = client.post(reverse("integrity:officer_import"), data | named)
    assert response.status_code == 200 and "名单" in response.content.decode() and StaffImport.objects.count() == 1


def test_a_staff_list_left_unimported_for_a_day_forgets_its_password(world, client_for, clock):
    client = client_for(world.admin)
    content = "部门,姓名,用户名\n公诉处,韩梅,hanmei\n".encode("gbk")
    data = {"institution": world.city.pk, "password1": INITIAL, "password2": INITIAL}
    client.post(reverse("integrity:officer_import"), data | {"file": SimpleUploadedFile("名单.csv", content)})
    staff_import = StaffImport.objects.get()
    staff_imports.run_job(staff_import.pk)
    assert staff_imports.forget_stale_passwords() == 0 and staff_import.password  # not a day yet
    clock.shift(datetime.timedelta(days=1, minutes=1))
    assert tasks.forget_stale_upload_passwords_task() == 1
    staff_import.refresh_from_db()
    assert staff_import.password == ""
    client = client_for(world.admin)  # a day later: signed in again
    assert 'data-testid="password-forgotten"' in client.get(staff_import.get_absolute_url()).content.decode()
    assert 'data-testid="confirm-import" disabled' in client.get(staff_import.get_absolute_url()).content.decode()
    form = {f"col_{k}": "" if v is None else str(v) for k, v in staff_import.column_map.items()}
    response = client.post(staff_import.get_absolute_url(), form | {"import": "1"}, follow=True)
    assert "初始密码已清除" in response.content.decode()
    staff_import.refresh_from_db()
    assert staff_import.status == "uploaded" and not staff_import.commit  # nothing queued
    assert not Officer.objects.filter(username="hanmei").exists()
