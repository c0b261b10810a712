"""Organisation pages: role homes, lists (query counts, export, filters), the profile, language, health."""

import codecs
import csv
import datetime
import io

import pytest
from django.db import OperationalError
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from integrity.celeryconf import app as celery_app
from integrity.middleware import InstitutionTimezoneMiddleware
from integrity.models import Officer
from integrity.queries import visible_officers
from tests.factories import OfficerFactory, PostFactory

# The dates below are November 2026's; the clock stands on the day these tests were written against.
pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-11-20")]


@pytest.mark.parametrize(
    ("persona", "cards"),
    [
        ("officer", {"officer"}),
        ("depthead", {"officer", "department_head"}),
        ("deputy", {"officer", "deputy_leader"}),
        ("chief", {"officer", "overseer"}),
        ("inspector", {"officer", "overseer"}),
        ("admin", {"officer", "administrator"}),  # 三员: no overseer's card, no record
    ],
)
def test_each_role_gets_its_own_workbench(client_for, world, persona, cards):
    html = client_for(getattr(world, persona)).get(reverse("home")).content.decode()
    shown = {
        card
        for card in ("officer", "department_head", "deputy_leader", "overseer", "administrator")
        if f'data-role="{card}"' in html
    }
    assert shown == cards


def test_the_navigation_shows_each_role_what_it_may_use(client_for, world):
    officer_page = client_for(world.officer).get(reverse("home")).content.decode()
    assert 'data-nav="integrity:officer_list"' not in officer_page
    assert 'data-nav="admin"' not in officer_page
    admin_page = client_for(world.admin).get(reverse("home")).content.decode()
    assert 'data-nav="integrity:officer_list"' in admin_page and 'data-nav="admin"' in admin_page


def test_the_menu_reverses_its_addresses_once_and_follows_the_prefix_the_site_is_served_under(
    client_for, world, monkeypatch
):
    """Every page draws some thirty menu entries: their addresses are reversed once per process, not per page —
    and a site served under a prefix (behind the proxy, say) still links under it."""
    import re

    from django import urls
    from django.urls import set_script_prefix

    from integrity.navigation import NAVIGATION

    client = client_for(world.inspector)
    client.get(reverse("home"))
    reversed_names = []
    real = urls.reverse
    monkeypatch.setattr(urls, "reverse", lambda name, *a, **kw: reversed_names.append(name) or real(name, *a, **kw))
    page = client.get(reverse("alerts:board")).content.decode()
    shown = re.findall(r'href="([^"]+)" data-nav="([^"]+)"', page)
    assert len(shown) > 15 and not ({name for _, name in shown} - {"home"}) & set(reversed_names)  # the brand: home
    assert all(href == reverse(name) for href, name in shown if name != "admin")
    assert 'active" href="/alerts/board/"' in page
    board = next(item for item in NAVIGATION if item.url_name == "alerts:board")
    try:
        set_script_prefix("/lianzheng/")
        assert board.url == "/lianzheng/alerts/board/"
    finally:
        set_script_prefix("/")
    assert board.url == "/alerts/board/"


def test_the_menu_is_drawn_once_for_each_set_of_entries_marked_entry_and_language(client_for, world, monkeypatch):
    """Every page shows the menu: drawn through the template engine once per process for each set of entries, entry
    marked active and language, then taken as drawn."""
    from integrity import navigation

    drawn = []
    render = navigation.render_to_string
    monkeypatch.setattr(navigation, "render_to_string", lambda *a, **kw: drawn.append(a) or render(*a, **kw))
    navigation._drawn.cache_clear()
    client = client_for(world.inspector)

    def menu(url: str, **headers: str) -> str:
        page = client.get(url, **headers).content.decode()
        return page[page.index('id="mainnav"') : page.index('data-testid="todos-link"')]

    board = menu(reverse("alerts:board"))
    assert menu(reverse("alerts:board")) == board and len(drawn) == 1  # taken as drawn
    assert 'active" href="/alerts/board/" data-nav="alerts:board">预警看板' in board
    home = menu(reverse("home"))
    assert len(drawn) == 2 and 'active" href="/" data-nav="home"' in home and 'active" href="/alerts/' not in home
    english = menu(reverse("alerts:board"), headers={"Accept-Language": "en"})
    assert len(drawn) == 3 and 'data-nav="alerts:board">Warning board' in english
    assert menu(reverse("alerts:board")) == board and len(drawn) == 3
    officer = client_for(world.officer).get(reverse("home")).content.decode()
    assert len(drawn) == 4 and 'data-nav="alerts:board"' not in officer  # another set of entries


def test_the_officer_list_costs_the_same_queries_for_15_and_65_rows(client_for, world, django_assert_num_queries):
    client = client_for(world.inspector)
    url = reverse("integrity:officer_list")
    for rows in (15, 65):
        while visible_officers(world.inspector).count() < rows:
            OfficerFactory(department=world.prosecution)
        # session, user (with institution, department, post), scope, one page of officers (and one more row, which
        # says whether another page follows: no count) with their institution, department and post, the two filter
        # choice lists, and the bell's unread count
        with django_assert_num_queries(7):
            assert client.get(url).status_code == 200


def test_the_officer_list_filters_and_exports(client_for, world):
    client = client_for(world.inspector)
    url = reverse("integrity:officer_list")
    filtered = client.get(url, {"institution": world.dh.pk}).content.decode()
    assert world.dh_officer.full_name in filtered and world.officer.full_name not in filtered

    csv = client.get(url, {"_export": "csv", "department": world.prosecution.pk})
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    body = csv.content.decode("utf-8-sig")
    assert world.officer.full_name in body and world.dh_officer.full_name not in body

    xlsx = client.get(url, {"_export": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_a_list_longer_than_an_export_takes_is_narrowed_first_and_nothing_is_written(client_for, world, settings):
    from integrity.models import AuditEvent

    settings.EXPORT_MAX_ROWS = 3
    client = client_for(world.inspector)
    url = reverse("integrity:officer_list")
    exported = AuditEvent.objects.filter(event="exported").count()
    refused = client.get(url, {"_export": "csv", "institution": world.city.pk})
    assert refused.status_code == 302 and refused["Location"] == f"{url}?institution={world.city.pk}"
    page = client.get(refused["Location"]).content.decode()
    assert "超过单次导出上限（3 行）" in page  # the message says how many rows one export takes
    assert AuditEvent.objects.filter(event="exported").count() == exported
    narrowed = client.get(url, {"_export": "csv", "department": world.office.pk})  # 2 people
    assert narrowed.status_code == 200 and AuditEvent.objects.filter(event="exported").count() == exported + 1


def test_an_htmx_filter_request_gets_only_the_table(client_for, world):
    response = client_for(world.inspector).get(reverse("integrity:officer_list"), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<table" in html and '<nav class="navbar' not in html


def test_the_profile_shows_post_history(client_for, world):
    PostFactory(department=world.prosecution, name="书记员")
    html = client_for(world.officer).get(reverse("my_profile"), follow=True).content.decode()
    assert world.officer.post.name in html
    assert "岗位变动" in html or "Post history" in html


def test_an_administrator_records_a_post_change_from_the_profile(client_for, world):
    new_post = PostFactory(department=world.investigation, name="检察员")
    url = reverse("integrity:officer_assign_post", args=[world.officer.pk])
    response = client_for(world.admin).post(url, {"post": new_post.pk, "started_on": "2026-06-01", "note": "轮岗"})
    assert response.status_code == 302
    world.officer.refresh_from_db()
    assert world.officer.post == new_post
    assert world.officer.post_assignments.get(ended_on=None).started_on == datetime.date(2026, 6, 1)


def test_a_bad_post_change_writes_nothing_and_says_why(client_for, world):
    new_post = PostFactory(department=world.investigation)
    url = reverse("integrity:officer_assign_post", args=[world.officer.pk])
    response = client_for(world.admin).post(url, {"post": new_post.pk, "started_on": "2020-01-01"}, follow=True)
    assert "2024-01-01" in response.content.decode()
    world.officer.refresh_from_db()
    assert world.officer.post != new_post


def test_a_department_head_cannot_change_posts(client_for, world):
    new_post = PostFactory(department=world.prosecution)
    url = reverse("integrity:officer_assign_post", args=[world.officer.pk])
    assert client_for(world.depthead).post(url, {"post": new_post.pk, "started_on": "2026-06-01"}).status_code == 404


def test_pages_are_in_chinese_by_default_and_english_on_request(client, world):
    page = client.get(reverse("login")).content.decode()
    assert "登录" in page and 'lang="zh-hans"' in page
    client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    page = client.get(reverse("login")).content.decode()
    assert "Log in" in page and 'lang="en"' in page and "登录" not in page


def test_health_is_200_when_database_and_broker_answer(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok"}


def test_health_is_503_when_the_broker_does_not_answer(client, monkeypatch):
    unreachable = celery_app.connection_for_write(url="redis://127.0.0.1:1/0")
    monkeypatch.setattr(celery_app, "connection_for_write", lambda: unreachable)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503 and response.json()["broker"].startswith("error")


def test_health_is_503_when_the_database_does_not_answer(client, monkeypatch):
    from django.db import connection

    def broken():
        raise OperationalError("database is down")

    monkeypatch.setattr(connection, "cursor", broken)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503 and response.json()["database"].startswith("error")


def test_an_officers_requests_run_in_their_institutions_time_zone(rf, world):
    world.dh.time_zone = "Asia/Urumqi"
    world.dh.save(update_fields=["time_zone"])
    request = rf.get("/")
    request.user = Officer.objects.select_related("institution").get(pk=world.dh_officer.pk)
    middleware = InstitutionTimezoneMiddleware(lambda r: HttpResponse(timezone.get_current_timezone_name()))
    assert middleware(request).content.decode() == "Asia/Urumqi"


def test_repeated_wrong_passwords_lock_the_account(client, world):
    for _ in range(5):
        client.post(reverse("login"), {"username": "officer", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "officer", "password": "correct-horse-battery"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "账号已锁定" in response.content.decode()


def test_exports_open_in_chinese_excel_and_run_no_formula(client_for, world):
    """CSV starts with the byte-order mark Excel needs to read UTF-8; a name that begins like a formula stays text
    (a leading apostrophe in CSV, a string cell in XLSX), while a plain number is left as it is."""
    world.officer.full_name = '=HYPERLINK("http://x","点我")'
    world.officer.staff_number = "-12"
    world.officer.save()
    client = client_for(world.inspector)
    url = reverse("integrity:officer_list")
    exported = client.get(url, {"_export": "csv"}).content
    assert exported.startswith(codecs.BOM_UTF8)
    cells = [cell for row in csv.reader(io.StringIO(exported.decode("utf-8-sig"))) for cell in row]
    assert "'" + world.officer.full_name in cells and world.officer.full_name not in cells and "-12" in cells

    book = load_workbook(io.BytesIO(client.get(url, {"_export": "xlsx"}).content))
    found = [c for row in book.active.iter_rows() for c in row if c.value and "HYPERLINK" in str(c.value)]
    assert [(c.value, c.data_type) for c in found] == [(world.officer.full_name, "s")]


def test_an_xlsx_export_holds_dates_as_dates_and_numbers_as_numbers(client_for, world):
    """The case list renders its dates as text; the spreadsheet holds them as dates, with the header row frozen and
    the columns as wide as their content. A phone-like or zero-led identifier stays text."""
    from cases.tables import CaseTable
    from integrity.exports import typed
    from tests.cases.records import make_case

    make_case(world.officer.department, [world.officer], received_on=datetime.date(2026, 11, 2))
    book = load_workbook(
        io.BytesIO(client_for(world.inspector).get(reverse("cases:case_list"), {"_export": "xlsx"}).content)
    )
    sheet = book.active
    header = [c.value for c in sheet[1]]
    received = sheet.cell(row=2, column=header.index(str(CaseTable.base_columns["received_on"].verbose_name)) + 1)
    assert received.is_date and received.value.date() == datetime.date(2026, 11, 2)
    assert sheet.freeze_panes == "A2" and sheet.column_dimensions["B"].width > 8
    assert (typed("95.5"), typed("12"), typed("13900000001"), typed("0012"), typed("JZ2001")) == (
        95.5, 12, "13900000001", "0012", "JZ2001"
    )  # fmt: skip
